package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vulns"
)

func vhComp(eco, ns, name, version string) store.InvComponent {
	p := "pkg:" + eco + "/" + ns + "/" + name + "@" + version
	if ns == "" {
		p = "pkg:" + eco + "/" + name + "@" + version
	}
	return store.InvComponent{Key: p, PURL: p, Ecosystem: eco, Namespace: ns, Name: name, Version: version}
}

var (
	vhLog4j    = vhComp("maven", "org.apache.logging.log4j", "log4j-core", "2.14.1")
	vhJackson  = vhComp("maven", "com.fasterxml.jackson.core", "jackson-databind", "2.9.10")
	vhText19   = vhComp("maven", "org.apache.commons", "commons-text", "1.9")
	vhText110  = vhComp("maven", "org.apache.commons", "commons-text", "1.10.0")
	vhLodash   = vhComp("npm", "", "lodash", "4.17.20")
	vhMinimist = vhComp("npm", "", "minimist", "1.2.5")
)

// vhStore stores three SBOMs of payments, the OSV records matched to
// their components, a KEV entry, and a ledger of two analyses:
//
//	v1 2026-01-05: log4j-core 2.14.1, jackson-databind 2.9.10, commons-text 1.9, lodash 4.17.20
//	v2 2026-02-10: log4j-core 2.14.1, jackson-databind 2.9.10, commons-text 1.10.0, lodash 4.17.20
//	v3 2026-03-20: log4j-core 2.14.1, jackson-databind 2.9.10, commons-text 1.10.0, minimist 1.2.5
//
// Every advisory was published before v1 (in 2021-2022), so each finding
// opens with the snapshot that brings it. The ledger: jackson-databind
// not_affected (vulnerable_code_not_in_execute_path) by alice on
// 2026-01-08; commons-text fixed by bob on 2026-02-01. With portal, a
// second system runs jackson-databind 2.9.10 (from 2026-01-06), which no
// analysis covers.
func vhStore(t *testing.T, portal bool) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "v.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	snap := func(system, path, at string, cs ...store.InvComponent) {
		var refs []store.InvRef
		for _, c := range cs {
			refs = append(refs, store.InvRef{Key: c.Key, Relation: "direct"})
		}
		if _, err := st.SaveSnapshot(ctx, store.Snapshot{System: system, Path: path, Format: "cyclonedx-json", SHA256: path, ImportedAt: day(at)}, cs, refs); err != nil {
			t.Fatal(err)
		}
	}
	snap("payments", "sboms/payments-v1.json", "2026-01-05", vhLog4j, vhJackson, vhText19, vhLodash)
	if portal {
		snap("portal", "sboms/portal-v1.json", "2026-01-06", vhJackson)
	}
	snap("payments", "sboms/payments-v2.json", "2026-02-10", vhLog4j, vhJackson, vhText110, vhLodash)
	snap("payments", "sboms/payments-v3.json", "2026-03-20", vhLog4j, vhJackson, vhText110, vhMinimist)
	vuln := func(id, sev, published string, aliases ...string) store.Vuln {
		return store.Vuln{ID: id, Severity: sev, Published: published, Aliases: aliases, Record: []byte(`{"id":"` + id + `"}`), Source: "test"}
	}
	if err := st.PutVulns(ctx, []store.Vuln{
		vuln("GHSA-jfh8-c2jp-5v3q", "critical", "2021-12-10T00:00:00Z", "CVE-2021-44228"),
		vuln("GHSA-57j2-w4cx-62h2", "high", "2022-03-11T00:00:00Z", "CVE-2020-36518"),
		vuln("GHSA-599f-7c49-w659", "critical", "2022-10-13T00:00:00Z", "CVE-2022-42889"),
		vuln("GHSA-TEST-LODASH", "high", "2022-06-01T00:00:00Z"),
		vuln("GHSA-TEST-MINIMIST", "medium", "2022-03-17T00:00:00Z"),
	}); err != nil {
		t.Fatal(err)
	}
	m := func(c store.InvComponent, id, fixed string) store.VulnMatch {
		return store.VulnMatch{Key: c.Key, Vuln: id, Fixed: fixed}
	}
	all := []string{vhLog4j.Key, vhJackson.Key, vhText19.Key, vhText110.Key, vhLodash.Key, vhMinimist.Key}
	if err := st.SetMatches(ctx, all, []store.VulnMatch{
		m(vhLog4j, "GHSA-jfh8-c2jp-5v3q", "2.15.0"), m(vhJackson, "GHSA-57j2-w4cx-62h2", "2.12.6.1"),
		m(vhText19, "GHSA-599f-7c49-w659", "1.10.0"), m(vhLodash, "GHSA-TEST-LODASH", "4.17.21"), m(vhMinimist, "GHSA-TEST-MINIMIST", "1.2.6"),
	}, "test"); err != nil {
		t.Fatal(err)
	}
	if err := st.PutKEV(ctx, []store.KEVEntry{{CVE: "CVE-2021-44228", Vendor: "Apache", Product: "Log4j2", DateAdded: "2021-12-10", DueDate: "2021-12-24"}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rec := func(at string, a ledger.VulnAnalysis) {
		a.System = "payments"
		if _, err := ledger.Record(dir, a, day(at)); err != nil {
			t.Fatal(err)
		}
	}
	rec("2026-01-08", ledger.VulnAnalysis{Target: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.10", Vuln: "CVE-2020-36518",
		State: vulns.NotAffected, Justification: "vulnerable_code_not_in_execute_path", By: "alice", Why: "<b>deeply nested JSON</b> never reaches the mapper"})
	rec("2026-02-01", ledger.VulnAnalysis{Target: "pkg:maven/org.apache.commons/commons-text", Vuln: "CVE-2022-42889",
		State: vulns.Fixed, By: "bob", Why: "upgraded to 1.10.0, ticket OPS-9"})
	return st, dir
}

func TestVulnerabilitySection(t *testing.T) {
	ctx := context.Background()
	st, dir := vhStore(t, false)
	now := day("2026-03-31")
	rep := &reports.Report{Period: "2026Q1"}
	v, err := BuildVulnerabilities(ctx, st, rep, VulnOptions{LedgerDir: dir, Deadlines: vulns.DefaultDeadlines(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if v == nil {
		t.Fatal("no section")
	}
	rep.Vulnerabilities = v
	if !v.PeriodStart.Equal(day("2026-01-01")) || !v.PeriodEnd.Equal(day("2026-04-01")) || v.Ledger != dir {
		t.Errorf("period %v–%v ledger %q", v.PeriodStart, v.PeriodEnd, v.Ledger)
	}

	// Riskiest first: log4j (overdue, KEV), minimist (open, medium),
	// jackson (not affected), then the verified: commons-text (critical)
	// before lodash (high).
	var ids []string
	for _, f := range v.Findings {
		ids = append(ids, f.ID)
	}
	if got, want := strings.Join(ids, " "), "CVE-2021-44228 GHSA-TEST-MINIMIST CVE-2020-36518 CVE-2022-42889 GHSA-TEST-LODASH"; got != want {
		t.Fatalf("findings %s\nwant     %s", got, want)
	}
	f := v.Findings[0]
	// log4j: opened by v1 on 2026-01-05; KEV (added 2021-12-10), so due
	// the later of the two + 14 days = 2026-01-19 (before critical's
	// 2026-02-04); open on 2026-03-31: overdue, 26 + 28 + 31 = 85 days old.
	if f.System != "payments" || f.Component != "pkg:maven/org.apache.logging.log4j/log4j-core" || f.Version != "2.14.1" ||
		!f.KEV || f.State != vulns.InTriage || !f.Since.Equal(day("2026-01-05")) || !f.Due.Equal(vulns.EndOfDay(day("2026-01-19"))) || !f.Overdue ||
		f.FixedIn != "2.15.0" || f.VerifiedAt != nil || f.AgeDays == nil || *f.AgeDays != 85 || strings.Join(f.Aliases, ",") != "GHSA-jfh8-c2jp-5v3q" {
		t.Errorf("log4j %+v", f)
	}
	// minimist: opened by v3 on 2026-03-20, medium: due + 90 days =
	// 2026-06-18 (11 + 30 + 31 + 18); 11 days old, not overdue.
	f = v.Findings[1]
	if !f.Open || f.Overdue || !f.Due.Equal(vulns.EndOfDay(day("2026-06-18"))) || *f.AgeDays != 11 {
		t.Errorf("minimist %+v", f)
	}
	// jackson: not affected, with its justification; not open, no age.
	f = v.Findings[2]
	if f.State != vulns.NotAffected || f.Justification != "vulnerable_code_not_in_execute_path" || f.Open || f.Overdue || f.AgeDays != nil {
		t.Errorf("jackson %+v", f)
	}
	// commons-text: fixed by bob on 02-01 (27 days to triage), verified by
	// v2 on 02-10: 36 days to fix (Jan 5 → Feb 10), 9 to verify.
	f = v.Findings[3]
	if f.State != vulns.Verified || f.VerifiedAt == nil || !f.VerifiedAt.Equal(day("2026-02-10")) || *f.DaysToFix != 36 || *f.DaysToVerify != 9 ||
		f.VerifiedBy != "snapshot #2 sboms/payments-v2.json" {
		t.Errorf("commons-text %+v", f)
	}
	// lodash: removed by v3 on 03-20: 26 + 28 + 20 = 74 days to fix, no
	// person's fix, so no days to verify.
	if f = v.Findings[4]; *f.DaysToFix != 74 || f.DaysToVerify != nil {
		t.Errorf("lodash %+v", f)
	}

	// Totals of Q1: open log4j (critical) and minimist (medium); overdue
	// log4j (KEV, critical); not affected jackson; verified commons-text
	// and lodash; median days to triage (3 + 27) / 2 = 15, to fix
	// (36 + 74) / 2 = 55, to verify 9.
	tot := v.Totals
	if tot.Open != 2 || tot.OpenBySeverity["critical"] != 1 || tot.OpenBySeverity["medium"] != 1 || tot.OpenBySeverity["high"] != 0 ||
		tot.Overdue != 1 || tot.OverdueKEV != 1 || tot.OverdueCritical() != 1 || tot.NotAffected != 1 || tot.VerifiedThisPeriod != 2 || tot.Reopened != 0 {
		t.Errorf("totals %+v", tot)
	}
	if tot.MedianDaysToTriage == nil || *tot.MedianDaysToTriage != 15 || *tot.MedianDaysToFix != 55 || *tot.MedianDaysToVerify != 9 {
		t.Errorf("medians triage %v fix %v verify %v, want 15, 55, 9", tot.MedianDaysToTriage, tot.MedianDaysToFix, tot.MedianDaysToVerify)
	}
	if len(v.BySystem) != 1 || v.BySystem[0].System != "payments" || v.BySystem[0].Findings != 5 || v.BySystem[0].Totals.Overdue != 1 {
		t.Errorf("by system %+v", v.BySystem)
	}
	// Ageing: minimist (11 days) in 0-30, log4j (85 days) in 31-90.
	var ages []string
	for _, a := range v.Ageing {
		ages = append(ages, fmt.Sprintf("%s:%d", a.Band, a.Open))
	}
	if strings.Join(ages, " ") != "0-30:1 31-90:1 91-180:0 >180:0" || v.Ageing[1].Overdue != 1 || v.Ageing[1].KEV != 1 ||
		v.Ageing[1].BySeverity["critical"] != 1 || v.Ageing[0].BySeverity["medium"] != 1 || v.Ageing[3].MaxDays != nil || *v.Ageing[2].MaxDays != 180 {
		t.Errorf("ageing %v %+v", ages, v.Ageing)
	}
	// Per quarter: payments opened 5 in 2026-Q1 (4 on Jan 5, minimist on
	// Mar 20), 2 triaged, 2 verified, median days to fix 55.
	var q *vulns.Period
	for i := range v.ByQuarter {
		if p := v.ByQuarter[i]; p.System == "payments" && p.Quarter == "2026-Q1" {
			q = &v.ByQuarter[i]
		}
	}
	if q == nil || q.Opened != 5 || q.Triaged != 2 || q.Verified != 2 || *q.MedianDaysToFix != 55 {
		t.Errorf("by quarter %+v", v.ByQuarter)
	}

	// The JSON contract.
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		V struct {
			Findings []map[string]any `json:"findings"`
			Totals   map[string]any   `json:"totals"`
		} `json:"vulnerabilities"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.V.Findings) != 5 {
		t.Fatalf("JSON findings: %d", len(doc.V.Findings))
	}
	for _, k := range []string{"system", "component", "version", "id", "aliases", "severity", "kev", "state", "justification", "since", "due",
		"overdue", "fixed_in", "verified_at"} {
		if _, ok := doc.V.Findings[0][k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	if j := doc.V.Findings[2]; j["state"] != "not_affected" || j["justification"] != "vulnerable_code_not_in_execute_path" {
		t.Errorf("JSON jackson %v", j)
	}
	if j := doc.V.Findings[3]; j["verified_at"] != "2026-02-10T00:00:00Z" || j["due"] != "2026-02-04T23:59:59.999999999Z" /* the whole due day is in time */ {
		t.Errorf("JSON commons-text verified_at %v due %v", j["verified_at"], j["due"])
	}
	for k, want := range map[string]any{"overdue": 1.0, "overdue_kev": 1.0, "not_affected": 1.0, "verified_this_period": 2.0, "reopened": 0.0,
		"median_days_to_fix": 55.0, "median_days_to_verify": 9.0, "open": 2.0} {
		if doc.V.Totals[k] != want {
			t.Errorf("JSON totals %s = %v, want %v", k, doc.V.Totals[k], want)
		}
	}
	if sev, _ := doc.V.Totals["open_by_severity"].(map[string]any); sev["critical"] != 1.0 || sev["medium"] != 1.0 {
		t.Errorf("JSON open_by_severity %v", doc.V.Totals["open_by_severity"])
	}

	// Q2 (as of 2026-04-15): the two findings verified in Q1 need nothing
	// more and are not listed; nothing verified yet, no median.
	q2, err := BuildVulnerabilities(ctx, st, &reports.Report{Period: "2026Q2"}, VulnOptions{LedgerDir: dir, Now: day("2026-04-15")})
	if err != nil {
		t.Fatal(err)
	}
	if len(q2.Findings) != 3 || q2.VerifiedBeforePeriod != 2 || q2.Totals.VerifiedThisPeriod != 0 || q2.Totals.MedianDaysToFix != nil {
		t.Errorf("Q2: %d findings, %d verified before, totals %+v", len(q2.Findings), q2.VerifiedBeforePeriod, q2.Totals)
	}

	// No finding (an empty store): no section.
	empty, err := store.Open(ctx, filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	if v, err := BuildVulnerabilities(ctx, empty, rep, VulnOptions{Now: now}); err != nil || v != nil {
		t.Errorf("empty store: %+v, %v", v, err)
	}
}

// A match analysed not_affected in every system that runs the version
// counts as no risk in the inventory (but is listed with the analysis);
// one that a second system runs without an analysis still counts.
func TestInventoryLeavesNotAffectedOut(t *testing.T) {
	ctx := context.Background()
	jackson := func(inv *reports.Inventory) reports.InvComponent {
		for _, c := range inv.Components {
			if c.Version == "2.9.10" {
				return c
			}
		}
		t.Fatal("no jackson-databind in the inventory")
		return reports.InvComponent{}
	}

	st, dir := vhStore(t, false)
	// Without the ledger: the current SBOM (v3) holds log4j (critical),
	// jackson (high), minimist (medium) vulnerable.
	inv, err := BuildInventory(ctx, st, InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if j := jackson(inv); j.Vulnerabilities.High != 1 || inv.Totals.Vulnerable["high"] != 1 {
		t.Fatalf("without the ledger: jackson %+v, vulnerable %v", j.Vulnerabilities, inv.Totals.Vulnerable)
	}
	// With it: jackson's only match is analysed not_affected in payments,
	// the only system running it: 0 high, 1 not affected, listed.
	inv, err = BuildInventory(ctx, st, InventoryOptions{LedgerDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	j := jackson(inv)
	if j.Vulnerabilities.High != 0 || j.Vulnerabilities.NotAffected != 1 || len(j.Vulnerabilities.IDs) != 0 || inv.Totals.Vulnerable["high"] != 0 ||
		inv.Totals.Vulnerable["critical"] != 1 || inv.Totals.Vulnerable["medium"] != 1 {
		t.Errorf("with the ledger: jackson %+v, vulnerable %v", j.Vulnerabilities, inv.Totals.Vulnerable)
	}
	if got := strings.Join(j.Vulnerabilities.NotAffectedIDs, "|"); got != "GHSA-57j2-w4cx-62h2 — payments: not_affected (vulnerable_code_not_in_execute_path)" {
		t.Errorf("listed %q", got)
	}

	// portal also runs jackson 2.9.10, not analysed there: still a risk.
	st2, dir2 := vhStore(t, true)
	inv, err = BuildInventory(ctx, st2, InventoryOptions{LedgerDir: dir2})
	if err != nil {
		t.Fatal(err)
	}
	if j := jackson(inv); j.Vulnerabilities.High != 1 || j.Vulnerabilities.NotAffected != 0 || inv.Totals.Vulnerable["high"] != 1 {
		t.Errorf("with portal: jackson %+v", j.Vulnerabilities)
	}

	// The dismissals osv reads: per system, by any id or alias.
	d, err := LoadDismissals(ctx, st2, dir2, day("2026-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		system string
		ids    []string
		want   bool
	}{
		{"payments", []string{"GHSA-57j2-w4cx-62h2"}, true},
		{"payments", []string{"cve-2020-36518"}, true},
		{"portal", []string{"GHSA-57j2-w4cx-62h2", "CVE-2020-36518"}, false},
		{"payments", []string{"GHSA-jfh8-c2jp-5v3q"}, false},
	} {
		why, ok := d.NotAffected(tc.system, vhJackson, tc.ids)
		if ok != tc.want || (ok && why != "not_affected (vulnerable_code_not_in_execute_path)") {
			t.Errorf("%s %v: %q %v, want %v", tc.system, tc.ids, why, ok, tc.want)
		}
	}
	if _, ok := d.Everywhere([]string{"payments", "portal"}, vhJackson, []string{"CVE-2020-36518"}); ok {
		t.Error("dismissed everywhere though portal has no analysis")
	}
	if _, ok := d.NotAffected("payments", vhComp("maven", "com.fasterxml.jackson.core", "jackson-databind", "2.9.11"), []string{"CVE-2020-36518"}); ok {
		t.Error("another version dismissed")
	}
	// A broken ledger is an error naming the file.
	bad := t.TempDir()
	if err := os.MkdirAll(filepath.Join(bad, "vulns"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bad, "vulns", "x.yaml"), []byte("kind: vuln-analysis\nstate: nonsense\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadDismissals(ctx, st2, bad, time.Time{}); err == nil || !strings.Contains(err.Error(), "x.yaml") {
		t.Errorf("broken ledger: %v", err)
	}
}

// Review finding 1: payments runs fastjson 1.2.24 (snapshot 1), then
// 1.2.24 and 1.2.80 (snapshot 2), both affected by CVE-2022-25845; the one
// analysis is not_affected for 1.2.24. The finding stays in triage (the
// analysis does not cover 1.2.80), so nothing is dismissed — not 1.2.80,
// which the G-KEV gate would otherwise pass. A finding whose analysis
// covers only some of its versions dismisses only those.
func TestDismissalsOnlyForCoveredVersions(t *testing.T) {
	f24, f80 := vhComp("maven", "com.alibaba", "fastjson", "1.2.24"), vhComp("maven", "com.alibaba", "fastjson", "1.2.80")
	match := func(c store.InvComponent) []store.ComponentVuln {
		return []store.ComponentVuln{{Key: c.Key, Fixed: "1.2.83", Vuln: store.Vuln{ID: "CVE-2022-25845", Severity: "critical"}}}
	}
	fs := vulns.Build(vulns.Input{
		Snapshots: []store.Snapshot{{ID: 1, System: "pay", Path: "v1.json", ImportedAt: day("2026-01-01")},
			{ID: 2, System: "pay", Path: "v2.json", ImportedAt: day("2026-01-10")}},
		Keys:       map[int64][]string{1: {f24.Key}, 2: {f24.Key, f80.Key}},
		Components: map[string]store.InvComponent{f24.Key: f24, f80.Key: f80},
		Matches:    map[string][]store.ComponentVuln{f24.Key: match(f24), f80.Key: match(f80)},
		Analyses: []ledger.VulnAnalysis{{ID: "va-1", Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.24", Vuln: "CVE-2022-25845",
			State: vulns.NotAffected, Justification: "requires_configuration", By: "a", Why: "autoType off", At: day("2026-01-02")}},
		Now: day("2026-01-20"),
	})
	if len(fs) != 1 || fs[0].State != vulns.InTriage || fs[0].Version != "1.2.24, 1.2.80" {
		t.Fatalf("findings %+v", fs)
	}
	d := NewDismissals(fs)
	for _, c := range []store.InvComponent{f24, f80} {
		if why, ok := d.NotAffected("pay", c, []string{"CVE-2022-25845"}); ok {
			t.Errorf("%s dismissed (%s)", c.Version, why)
		}
	}
	// A not_affected finding whose analysis covers 1.2.24 only: 1.2.80 stays a risk.
	f := fs[0]
	f.State, f.Justification, f.AnalysisVersions = vulns.NotAffected, "requires_configuration", "1.2.24"
	d = NewDismissals([]vulns.Finding{f})
	if _, ok := d.NotAffected("pay", f24, []string{"CVE-2022-25845"}); !ok {
		t.Error("1.2.24 not dismissed")
	}
	if why, ok := d.NotAffected("pay", f80, []string{"CVE-2022-25845"}); ok {
		t.Errorf("1.2.80 dismissed (%s)", why)
	}
	// Every version ("*"): both.
	f.AnalysisVersions = "*"
	d = NewDismissals([]vulns.Finding{f})
	if _, ok := d.NotAffected("pay", f80, []string{"CVE-2022-25845"}); !ok {
		t.Error("1.2.80 not dismissed by an analysis of every version")
	}
}
