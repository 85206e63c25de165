package vulns

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func comp(eco, ns, name, version string) store.InvComponent {
	p := "pkg:" + eco + "/" + ns + "/" + name + "@" + version
	if ns == "" {
		p = "pkg:" + eco + "/" + name + "@" + version
	}
	return store.InvComponent{Key: p, PURL: p, Ecosystem: eco, Namespace: ns, Name: name, Version: version}
}

var (
	fastjson80  = comp("maven", "com.alibaba", "fastjson", "1.2.80")
	fastjson83  = comp("maven", "com.alibaba", "fastjson", "1.2.83")
	log4j       = comp("maven", "org.apache.logging.log4j", "log4j-core", "2.14.1")
	jackson     = comp("maven", "com.fasterxml.jackson.core", "jackson-databind", "2.9.10")
	snakeyaml   = comp("maven", "org.yaml", "snakeyaml", "1.33")
	text19      = comp("maven", "org.apache.commons", "commons-text", "1.9")
	text110     = comp("maven", "org.apache.commons", "commons-text", "1.10.0")
	lodash      = comp("npm", "", "lodash", "4.17.20")
	minimist    = comp("npm", "", "minimist", "1.2.5")
	testDeadl   = DefaultDeadlines() // kev 14, critical 30, high 30, medium 90, low 180
	testNow     = day("2026-04-15")
	q1Start     = day("2026-01-01")
	q1End       = day("2026-04-01")
	payments    = "payments"
	analysisDir = ""
)

// history stores three SBOMs of payments, the OSV records matched to their
// components, a KEV entry and the analyses of the ledger:
//
//	v1 2026-01-05: fastjson 1.2.80, log4j-core 2.14.1, jackson-databind 2.9.10, snakeyaml 1.33, commons-text 1.9, lodash 4.17.20
//	v2 2026-02-01: fastjson 1.2.83, log4j-core 2.14.1, jackson-databind 2.9.10, snakeyaml 1.33, commons-text 1.10.0, minimist 1.2.5
//	v3 2026-03-01: fastjson 1.2.83, log4j-core 2.14.1, jackson-databind 2.9.10, snakeyaml 1.33, commons-text 1.9, minimist 1.2.5
func history(t *testing.T) (*store.Store, *ledger.Ledger) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	snap := func(path, at string, cs ...store.InvComponent) {
		var refs []store.InvRef
		for _, c := range cs {
			refs = append(refs, store.InvRef{Key: c.Key, Relation: "direct"})
		}
		if _, err := st.SaveSnapshot(ctx, store.Snapshot{System: payments, Path: path, Format: "cyclonedx-json", SHA256: path, ImportedAt: day(at)}, cs, refs); err != nil {
			t.Fatal(err)
		}
	}
	snap("sboms/payments-v1.json", "2026-01-05", fastjson80, log4j, jackson, snakeyaml, text19, lodash)
	snap("sboms/payments-v2.json", "2026-02-01", fastjson83, log4j, jackson, snakeyaml, text110, minimist)
	snap("sboms/payments-v3.json", "2026-03-01", fastjson83, log4j, jackson, snakeyaml, text19, minimist)

	vuln := func(id, sev, published string, aliases ...string) store.Vuln {
		return store.Vuln{ID: id, Severity: sev, Published: published, Aliases: aliases, Record: []byte(`{"id":"` + id + `"}`), Source: "test"}
	}
	if err := st.PutVulns(ctx, []store.Vuln{
		// One vulnerability, two records: the GHSA and the CVE are one finding.
		vuln("GHSA-pv7h-hx5h-mgfj", "critical", "2022-06-10T00:00:00Z", "CVE-2022-25845"),
		vuln("CVE-2022-25845", "high", "2022-06-11T00:00:00Z", "GHSA-pv7h-hx5h-mgfj"),
		vuln("GHSA-jfh8-c2jp-5v3q", "critical", "2021-12-10T00:00:00Z", "CVE-2021-44228"),
		vuln("GHSA-57j2-w4cx-62h2", "high", "2022-03-11T00:00:00Z", "CVE-2020-36518"),
		vuln("GHSA-mjmj-j48q-9wg2", "high", "2022-12-12T00:00:00Z", "CVE-2022-1471"),
		vuln("GHSA-599f-7c49-w659", "critical", "2022-10-13T00:00:00Z", "CVE-2022-42889"),
		vuln("GHSA-TEST-LODASH-JAN", "high", "2026-01-15T00:00:00Z"), // published after v1
		vuln("GHSA-TEST-LODASH-FEB", "high", "2026-02-15T00:00:00Z"), // published after lodash was gone
		vuln("GHSA-TEST-MINIMIST", "medium", "2026-02-20T00:00:00Z"),
	}); err != nil {
		t.Fatal(err)
	}
	m := func(c store.InvComponent, id, fixed string) store.VulnMatch {
		return store.VulnMatch{Key: c.Key, Vuln: id, Fixed: fixed}
	}
	all := []string{fastjson80.Key, fastjson83.Key, log4j.Key, jackson.Key, snakeyaml.Key, text19.Key, text110.Key, lodash.Key, minimist.Key}
	if err := st.SetMatches(ctx, all, []store.VulnMatch{
		m(fastjson80, "GHSA-pv7h-hx5h-mgfj", "1.2.83"), m(fastjson80, "CVE-2022-25845", "1.2.83"),
		m(log4j, "GHSA-jfh8-c2jp-5v3q", "2.15.0"),
		m(jackson, "GHSA-57j2-w4cx-62h2", "2.12.6.1"),
		m(snakeyaml, "GHSA-mjmj-j48q-9wg2", "2.0"),
		m(text19, "GHSA-599f-7c49-w659", "1.10.0"),
		m(lodash, "GHSA-TEST-LODASH-JAN", "4.17.21"), m(lodash, "GHSA-TEST-LODASH-FEB", ""),
		m(minimist, "GHSA-TEST-MINIMIST", "1.2.6"),
	}, "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.PutKEV(ctx, []store.KEVEntry{{CVE: "CVE-2021-44228", Vendor: "Apache", Product: "Log4j2", DateAdded: "2021-12-10", DueDate: "2021-12-24"}}); err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	rec := func(at string, a ledger.VulnAnalysis) {
		a.System = payments
		if _, err := ledger.Record(dir, a, day(at)); err != nil {
			t.Fatal(err)
		}
	}
	// jackson: not affected, three days after v1 (2026-01-08).
	rec("2026-01-08", ledger.VulnAnalysis{Target: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.10", Vuln: "CVE-2020-36518",
		State: NotAffected, Justification: "vulnerable_code_not_in_execute_path", By: "alice", Why: "deeply nested JSON never reaches the mapper (request size limit)"})
	// log4j: a person says fixed on 2026-01-10 — v2 and v3 still hold 2.14.1.
	rec("2026-01-10", ledger.VulnAnalysis{Target: "pkg:maven/org.apache.logging.log4j/log4j-core", Vuln: "CVE-2021-44228",
		State: Fixed, By: "carol", Why: "upgrade merged, ticket OPS-7"})
	// snakeyaml: mitigated on 2026-01-12 until 2026-03-15.
	rec("2026-01-12", ledger.VulnAnalysis{Target: "pkg:maven/org.yaml/snakeyaml", Versions: "1.33", Vuln: "GHSA-mjmj-j48q-9wg2",
		State: Mitigated, Detail: "SafeConstructor enforced at the load boundary", Until: "2026-03-15", By: "dave", Why: "upgrade to 2.0 needs the Q2 release"})
	// fastjson: fixed on 2026-01-20 (by its GHSA); v2 (2026-02-01) holds 1.2.83.
	rec("2026-01-20", ledger.VulnAnalysis{Target: "pkg:maven/com.alibaba/fastjson", Vuln: "GHSA-pv7h-hx5h-mgfj",
		State: Fixed, By: "bob", Why: "upgraded to 1.2.83"})
	l, err := ledger.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st, l
}

func byVuln(t *testing.T, fs []Finding, vuln string) Finding {
	t.Helper()
	for _, f := range fs {
		if f.Vuln == vuln {
			return f
		}
	}
	t.Fatalf("no finding for %s in %d findings", vuln, len(fs))
	return Finding{}
}

func TestFindingsLifecycle(t *testing.T) {
	st, l := history(t)
	fs, err := Load(context.Background(), st, l, testDeadl, testNow)
	if err != nil {
		t.Fatal(err)
	}
	// Seven findings: the fastjson GHSA and CVE are one, and the lodash
	// vulnerability published on 2026-02-15, after v2 (2026-02-01) had
	// removed lodash, never was one.
	var got []string
	for _, f := range fs {
		got = append(got, f.Vuln)
	}
	// Order: overdue first (log4j KEV critical, commons-text critical,
	// snakeyaml high), then open (minimist), then closed by severity
	// (fastjson critical; jackson due 2026-02-04 before lodash 2026-02-14).
	want := "CVE-2021-44228 CVE-2022-42889 CVE-2022-1471 GHSA-TEST-MINIMIST CVE-2022-25845 CVE-2020-36518 GHSA-TEST-LODASH-JAN"
	if strings.Join(got, " ") != want {
		t.Fatalf("findings %s\nwant     %s", strings.Join(got, " "), want)
	}

	// fastjson: opened by v1 on 2026-01-05 in triage, critical: due
	// 2026-01-05 + 30 days = 2026-02-04. Fixed by bob on 2026-01-20 (15
	// days to triage), verified by v2 on 2026-02-01: 27 days to fix
	// (Jan 5 → Feb 1), 12 days to verify (Jan 20 → Feb 1).
	f := byVuln(t, fs, "CVE-2022-25845")
	if f.ID != "payments/pkg:maven/com.alibaba/fastjson@1.2.80/CVE-2022-25845" || strings.Join(f.Aliases, ",") != "GHSA-pv7h-hx5h-mgfj" || f.Severity != "critical" {
		t.Errorf("fastjson id %q aliases %v severity %s", f.ID, f.Aliases, f.Severity)
	}
	if f.State != Verified || f.Open || f.Overdue || f.VerifiedAt == nil || !f.VerifiedAt.Equal(day("2026-02-01")) ||
		f.VerifiedBy != "snapshot #2 sboms/payments-v2.json" || f.VerifiedSnapshot != 2 || f.Version != "1.2.80" || f.FixedIn != "1.2.83" {
		t.Errorf("fastjson %+v", f)
	}
	if !f.Since.Equal(day("2026-01-05")) || !f.Due.Equal(EndOfDay(day("2026-02-04"))) {
		t.Errorf("fastjson since %v due %v, want 2026-01-05 and 2026-02-04", f.Since, f.Due)
	}
	if f.DaysToTriage == nil || *f.DaysToTriage != 15 || f.DaysToFix == nil || *f.DaysToFix != 27 || f.DaysToVerify == nil || *f.DaysToVerify != 12 {
		t.Errorf("fastjson days to triage %v, fix %v, verify %v; want 15, 27, 12", f.DaysToTriage, f.DaysToFix, f.DaysToVerify)
	}
	if n := len(f.History); n != 3 || f.History[0].Source != SourceSBOM || f.History[1].Source != SourceLedger || f.History[1].By != "bob" ||
		f.History[2].Source != SourceRetest || !strings.Contains(f.History[2].Why, "now 1.2.83") {
		t.Errorf("fastjson history %+v", f.History)
	}

	// log4j: KEV (added 2021-12-10), so due = the later of since and the
	// date added (2026-01-05) + 14 days = 2026-01-19, before the critical
	// 2026-02-04. "Fixed" on 2026-01-10, but v2 (2026-02-01) still holds
	// 2.14.1: fix not verified, open, overdue on 2026-04-15.
	f = byVuln(t, fs, "CVE-2021-44228")
	if !f.KEV || !f.Due.Equal(EndOfDay(day("2026-01-19"))) || f.State != Fixed || !f.FixNotVerified || !f.Open || !f.Overdue || f.VerifiedAt != nil {
		t.Errorf("log4j %+v", f)
	}
	if ev := f.History[len(f.History)-1]; ev.Source != SourceRetest || !ev.At.Equal(day("2026-02-01")) || !strings.Contains(ev.Why, "fix not verified") {
		t.Errorf("log4j last event %+v, want the fix not verified by v2", ev)
	}

	// jackson: not_affected with its justification: listed, not a risk.
	f = byVuln(t, fs, "CVE-2020-36518")
	if f.State != NotAffected || f.Justification != "vulnerable_code_not_in_execute_path" || f.Open || f.Overdue || *f.DaysToTriage != 3 {
		t.Errorf("jackson %+v", f)
	}

	// commons-text: v1 opens it, v2 (1.10.0) verifies it on 2026-02-01
	// without a person's fix, v3 (2026-03-01) brings 1.9 back: reopened, in
	// triage from 2026-03-01, due 2026-03-01 + 30 = 2026-03-31, overdue.
	f = byVuln(t, fs, "CVE-2022-42889")
	if f.State != InTriage || !f.Reopened || !f.Since.Equal(day("2026-03-01")) || !f.Due.Equal(EndOfDay(day("2026-03-31"))) || !f.Overdue || f.VerifiedAt != nil {
		t.Errorf("commons-text %+v", f)
	}
	var states []string
	for _, ev := range f.History {
		states = append(states, ev.State+"/"+ev.Source)
	}
	if strings.Join(states, " ") != "in_triage/sbom verified/retest in_triage/sbom" || !strings.HasPrefix(f.History[2].Why, "reopened: snapshot #3") {
		t.Errorf("commons-text history %v %+v", states, f.History)
	}

	// snakeyaml: mitigated until 2026-03-15; from 2026-03-16 affected again (mitigated_until kept),
	// and overdue (high: due 2026-01-05 + 30 = 2026-02-04).
	f = byVuln(t, fs, "CVE-2022-1471")
	if f.State != Affected || !f.Open || !f.Overdue || f.MitigatedUntil != "2026-03-15" { // the until date stays: it says the mitigation expired
		t.Errorf("snakeyaml %+v", f)
	}
	if ev := f.History[len(f.History)-1]; ev.Source != SourceExpiry || !ev.At.Equal(day("2026-03-16")) || ev.State != Affected {
		t.Errorf("snakeyaml last event %+v, want the expiry on 2026-03-16", ev)
	}
	// As of 2026-03-15 the mitigation holds: not open, not overdue.
	fs15, _ := Load(context.Background(), st, l, testDeadl, day("2026-03-15").Add(23*time.Hour))
	if f := byVuln(t, fs15, "CVE-2022-1471"); f.State != Mitigated || f.Open || f.Overdue || f.MitigatedUntil != "2026-03-15" {
		t.Errorf("snakeyaml on 2026-03-15 %+v", f)
	}

	// lodash: v1 (2026-01-05) held it before the vulnerability was
	// published (2026-01-15): since 2026-01-15; v2 removed it: verified
	// 2026-02-01, 17 days to fix.
	f = byVuln(t, fs, "GHSA-TEST-LODASH-JAN")
	if !f.Since.Equal(day("2026-01-15")) || f.State != Verified || *f.DaysToFix != 17 || !strings.Contains(f.History[1].Why, "removed") {
		t.Errorf("lodash %+v", f)
	}
	// minimist: in v2 (2026-02-01), published 2026-02-20: since then,
	// medium: due 2026-02-20 + 90 days = 2026-05-21; open, not overdue.
	f = byVuln(t, fs, "GHSA-TEST-MINIMIST")
	if !f.Since.Equal(day("2026-02-20")) || !f.Due.Equal(EndOfDay(day("2026-05-21"))) || !f.Open || f.Overdue {
		t.Errorf("minimist %+v", f)
	}

	// Q1 2026: open commons-text and log4j (critical), snakeyaml (high),
	// minimist (medium); overdue log4j (KEV), commons-text, snakeyaml;
	// verified fastjson and lodash; days to fix 27 and 17: median 22; to
	// verify 12 (fastjson); to triage jackson 3, log4j 5, snakeyaml 7,
	// fastjson 15: median (5 + 7) / 2 = 6.
	tot := Summarise(fs, q1Start, q1End)
	if tot.Open != 4 || tot.OpenBySeverity["critical"] != 2 || tot.OpenBySeverity["high"] != 1 || tot.OpenBySeverity["medium"] != 1 ||
		tot.Overdue != 3 || tot.OverdueKEV != 1 || tot.NotAffected != 1 || tot.VerifiedThisPeriod != 2 || tot.Reopened != 1 || tot.FixNotVerified != 1 {
		t.Errorf("totals %+v", tot)
	}
	if tot.MedianDaysToFix == nil || *tot.MedianDaysToFix != 22 || *tot.MedianDaysToVerify != 12 || *tot.MedianDaysToTriage != 6 {
		t.Errorf("medians triage %v fix %v verify %v, want 6, 22, 12", tot.MedianDaysToTriage, tot.MedianDaysToFix, tot.MedianDaysToVerify)
	}
	// Q2 so far: nothing verified, no median.
	if q2 := Summarise(fs, q1End, day("2026-07-01")); q2.VerifiedThisPeriod != 0 || q2.MedianDaysToFix != nil || q2.Reopened != 0 || q2.Open != 4 {
		t.Errorf("Q2 totals %+v", q2)
	}
	// Per quarter: 2026-Q1 for payments opened 7 (Since: 5 on Jan 5,
	// lodash Jan 15, minimist Feb 20… commons-text counts at its reopening
	// on Mar 1), 4 triaged, 2 verified.
	found := false
	for _, p := range ByQuarter(fs) {
		if p.System == payments && p.Quarter == "2026-Q1" {
			found = true
			if p.Opened != 7 || p.Triaged != 4 || p.Verified != 2 || *p.MedianDaysToFix != 22 {
				t.Errorf("2026-Q1 %+v", p)
			}
		}
	}
	if !found {
		t.Error("no 2026-Q1 row for payments")
	}
}

// A finding whose version changes to another affected one stays the same
// finding (its clock runs on); an analysis for the old version no longer
// applies.
func TestVersionChangeKeepsFinding(t *testing.T) {
	v1 := comp("maven", "com.alibaba", "fastjson", "1.2.24")
	v2 := comp("maven", "com.alibaba", "fastjson", "1.2.25")
	in := Input{
		Snapshots: []store.Snapshot{
			{ID: 1, System: "s", Path: "a.json", ImportedAt: day("2026-01-01")},
			{ID: 2, System: "s", Path: "b.json", ImportedAt: day("2026-01-11")},
		},
		Keys:       map[int64][]string{1: {v1.Key}, 2: {v2.Key}},
		Components: map[string]store.InvComponent{v1.Key: v1, v2.Key: v2},
		Matches: map[string][]store.ComponentVuln{
			v1.Key: {{Key: v1.Key, Fixed: "1.2.83", Vuln: store.Vuln{ID: "CVE-2017-18349", Severity: "critical"}}},
			v2.Key: {{Key: v2.Key, Fixed: "1.2.83", Vuln: store.Vuln{ID: "CVE-2017-18349", Severity: "critical"}}},
		},
		Analyses: []ledger.VulnAnalysis{{ID: "va-1", Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.24", Vuln: "CVE-2017-18349",
			State: NotAffected, Justification: "requires_configuration", By: "a", Why: "autoType off", At: day("2026-01-02")}},
		Deadlines: testDeadl,
		Now:       day("2026-02-15"),
	}
	fs := Build(in)
	if len(fs) != 1 {
		t.Fatalf("%d findings, want one", len(fs))
	}
	f := fs[0]
	// since 2026-01-01, critical: due 2026-01-31; in triage again from
	// 2026-01-11 (1.2.25: the analysis was for 1.2.24), overdue on 02-15.
	if f.ID != "s/pkg:maven/com.alibaba/fastjson@1.2.24/CVE-2017-18349" || f.Version != "1.2.25" || f.State != InTriage ||
		!f.Due.Equal(EndOfDay(day("2026-01-31"))) || !f.Overdue || len(f.History) != 3 {
		t.Errorf("finding %+v", f)
	}
}
