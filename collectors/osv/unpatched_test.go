package osv

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// fjRecord is an advisory on fastjson with a database severity, a
// publication date and the range events given.
func fjRecord(id, severity, published, aliases, events string) string {
	return `{"id": "` + id + `", "modified": "` + published + `", "published": "` + published + `", "aliases": [` + aliases + `],
	  "database_specific": {"severity": "` + severity + `"},
	  "affected": [` + fj + `, "ranges": [{"type": "ECOSYSTEM", "events": [` + events + `]}]}]}`
}

// TestHighUnpatchedFixed30d is issue 16's example, from an offline
// export: fastjson 1.2.24 in use on 2026-06-01, no clone (the fix dates
// are the advisories' published dates).
func TestHighUnpatchedFixed30d(t *testing.T) {
	f := newFixture(t)
	f.fj.LocalPath = ""
	recs := map[string]string{
		// Critical, fixed in 1.2.30, published 2026-04-17: Apr 17 → May 17
		// = 30 days, → Jun 1 = 15 more: 45 days > 30: counts.
		"U-crit-45": fjRecord("U-crit-45", "CRITICAL", "2026-04-17T00:00:00Z", `"CVE-2026-0001"`, `{"introduced": "0"}, {"fixed": "1.2.30"}`),
		// The same vulnerability (alias CVE-2026-0001) from another
		// database, rated high, published 2026-04-20: merged with
		// U-crit-45 (one vulnerability, critical, fix from 2026-04-17).
		"OSV-2026-1": fjRecord("OSV-2026-1", "HIGH", "2026-04-20T00:00:00Z", `"CVE-2026-0001"`, `{"introduced": "0"}, {"fixed": "1.2.30"}`),
		// High, fixed in 1.2.40, published 2026-05-22: 9 days of May
		// (22 → 31) + 1 = 10 days ≤ 30: does not count.
		"U-high-10": fjRecord("U-high-10", "HIGH", "2026-05-22T00:00:00Z", "", `{"introduced": "0"}, {"fixed": "1.2.40"}`),
		// Medium, fixed in 1.2.31, published 2025-04-27: 2025-04-27 →
		// 2025-06-01 = 35 days, + 365 to 2026-06-01 = 400 days, but not
		// critical or high: does not count.
		"U-med-400": fjRecord("U-med-400", "MODERATE", "2025-04-27T00:00:00Z", "", `{"introduced": "0"}, {"fixed": "1.2.31"}`),
		// Critical with no fixed version: no fix exists: does not count.
		"U-crit-nofix": fjRecord("U-crit-nofix", "CRITICAL", "2025-01-01T00:00:00Z", "", `{"introduced": "0"}`),
		// High, fixed long ago, but only for 1.2.25 ≤ v < 1.2.26: 1.2.24
		// is not affected: does not count.
		"U-high-other": fjRecord("U-high-other", "HIGH", "2025-01-01T00:00:00Z", "", `{"introduced": "1.2.25"}, {"fixed": "1.2.26"}`),
	}
	zipPath := filepath.Join(f.dir, "Maven.zip")
	writeZip(t, zipPath, recs)
	got, c, err := f.run(t, Options{Exports: []string{zipPath}})
	if err != nil {
		t.Fatal(err)
	}
	o := got[f.fj.Subject.ID][HighUnpatchedMetric]
	// Only U-crit-45 (with OSV-2026-1 merged into it) counts → 1.
	if o.Value == nil || *o.Value != 1 || o.Reason != "" {
		t.Fatalf("%s = %+v", HighUnpatchedMetric, o)
	}
	for _, want := range []string{
		"U-crit-45 (CVE-2026-0001, OSV-2026-1) critical: fastjson 1.2.24 in use, fixed in 1.2.30, 45 days since the fix (advisory published 2026-04-17)",
		"advisory is assumed to be published with its fix",
	} {
		if !strings.Contains(o.Evidence, want) {
			t.Errorf("evidence lacks %q: %s", want, o.Evidence)
		}
	}
	for _, not := range []string{"U-high-10", "U-med-400", "U-crit-nofix", "U-high-other"} {
		if strings.Contains(o.Evidence, not) {
			t.Errorf("evidence lists %s: %s", not, o.Evidence)
		}
	}

	// The older counts merge aliases too: 1.2.24 is affected by U-crit-45
	// and OSV-2026-1 (one vulnerability, CVE-2026-0001, critical at
	// worst), U-high-10, U-med-400 and U-crit-nofix; not U-high-other.
	// Distinct: 4 (5 records); critical: CVE-2026-0001 and U-crit-nofix =
	// 2; high: U-high-10 = 1 (OSV-2026-1's high rating is CVE-2026-0001's,
	// not a second one); fixable: CVE-2026-0001, U-high-10, U-med-400 = 3;
	// weighted 10 + 5 + 2 + 10 = 27 (counting records: 10+5+5+2+10 = 32);
	// oldest advisory U-crit-nofix 2025-01-01 → 2026-06-01 = 365 + 151 = 516 days.
	fjObs := got[f.fj.Subject.ID]
	for m, w := range map[string]float64{"osv.vulns_open": 4, "osv.vulns_critical": 2, "osv.vulns_high": 1, "osv.vulns_fixable": 3,
		"osv.vulns_weighted_in_use": 27, "osv.days_exposed_max": 516} {
		if v := val(t, fjObs, m); v != w {
			t.Errorf("%s = %v, want %v (%s)", m, v, w, fjObs[m].Evidence)
		}
	}
	if ev := fjObs["osv.vulns_weighted_in_use"].Evidence; !strings.Contains(ev, "fastjson 1.2.24: 4 known (weighted 27): U-crit-45 critical, fixed in 1.2.30 (same as OSV-2026-1)") {
		t.Errorf("evidence: %s", ev)
	}

	// A project in no SBOM: no value, a Reason (the gates are not
	// evaluated, not clear); no KEV catalogue is configured here.
	none := collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/nobody/none"}}
	obs, _, err := c.Collect(context.Background(), none)
	if err != nil || len(obs) != 2 || obs[0].Metric != HighUnpatchedMetric || obs[0].Value != nil || obs[0].Reason == "" ||
		obs[1].Metric != KEVMetric || obs[1].Value != nil || obs[1].Reason != "no CISA KEV catalogue configured (osv.kev)" {
		t.Errorf("project in no SBOM: err %v obs %+v", err, obs)
	}
}

// TestHighUnpatchedRules checks the count's edges on hand-made matches,
// collected on 2026-06-01 00:00 UTC.
func TestHighUnpatchedRules(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	inUse := map[string]store.InvComponent{
		"a": {Key: "a", Name: "liba", Version: "1.0.0"},
		"b": {Key: "b", Name: "libb", Version: "2.0.0"},
	}
	both := map[string]bool{"a": true, "b": true}
	vuln := func(id, sev, fixed, published, modified string, aliases ...string) store.ComponentVuln {
		return store.ComponentVuln{Fixed: fixed, Vuln: store.Vuln{ID: id, Severity: sev, Published: published, Modified: modified, Aliases: aliases}}
	}
	run := func(inUse map[string]store.InvComponent, checked map[string]bool, m map[string][]store.ComponentVuln) models.Observation {
		return highUnpatched(models.Observation{Metric: HighUnpatchedMetric}, now, inUse, checked, m, nil, nil)
	}
	value := func(name string, o models.Observation, want float64) {
		t.Helper()
		if o.Value == nil || *o.Value != want || o.Reason != "" {
			t.Errorf("%s: %+v, want %v", name, o, want)
		}
	}
	reason := func(name string, o models.Observation, want string) {
		t.Helper()
		if o.Value != nil || !strings.Contains(o.Reason, want) {
			t.Errorf("%s: %+v, want a Reason with %q", name, o, want)
		}
	}

	// 2026-05-01 → 2026-06-01 = 31 days > 30: counts; 2026-05-02 → 30
	// days, not more than 30: does not; 2026-05-01T12:00 → 30.5 days, 30
	// whole days: does not. → 1.
	value("31/30 days", run(inUse, both, map[string][]store.ComponentVuln{
		"a": {vuln("V-31", High, "1.0.1", "2026-05-01T00:00:00Z", "")},
		"b": {vuln("V-30", Critical, "2.0.1", "2026-05-02T00:00:00Z", ""), vuln("V-30h", High, "2.0.2", "2026-05-01T12:00:00Z", "")},
	}), 1)

	// One vulnerability (alias CVE-1) in both versions in use, rated low
	// in one record and high in the other: merged, it is high; its fix
	// dates from the older record, 2026-03-02 → Jun 1 = 30 + 30 + 31 = 91
	// days (Mar 2 → Apr 1 → May 1 → Jun 1). Another record links to it
	// by a shared alias only (GHSA-3 aliases CVE-1 too). → 1, not 3.
	o := run(inUse, both, map[string][]store.ComponentVuln{
		"a": {vuln("GHSA-1", Low, "1.0.5", "2026-03-02T00:00:00Z", "", "CVE-1")},
		"b": {vuln("PYSEC-2", High, "2.1.0", "2026-05-25T00:00:00Z", "", "CVE-1"), vuln("GHSA-3", Unrated, "", "2026-01-01T00:00:00Z", "", "CVE-1")},
	})
	value("aliases merged", o, 1)
	if !strings.Contains(o.Evidence, "GHSA-1 (CVE-1, GHSA-3, PYSEC-2) high: liba 1.0.0 in use, fixed in 1.0.5, 91 days since the fix (advisory published 2026-03-02)") {
		t.Errorf("evidence: %s", o.Evidence)
	}

	// No published date: the modified date, 2026-04-01 → Jun 1 = 30 + 31
	// = 61 days: counts.
	value("modified date", run(inUse, both, map[string][]store.ComponentVuln{
		"a": {vuln("V-mod", Critical, "1.0.1", "", "2026-04-01T00:00:00Z")},
	}), 1)

	// Checked, nothing qualifies: 0 (only a medium, fixed long ago).
	o = run(inUse, both, map[string][]store.ComponentVuln{"a": {vuln("V-med", Medium, "1.0.1", "2020-01-01T00:00:00Z", "")}})
	value("nothing qualifies", o, 0)
	if !strings.Contains(o.Evidence, "none (1 known vulnerabilities of the versions in use, 0 of them critical or high)") {
		t.Errorf("evidence: %s", o.Evidence)
	}

	// No data: no version in use, none checked, one of two unchecked with
	// nothing found in the other, a fix without any date.
	reason("no SBOM component", run(nil, nil, nil), "no component of the project is in a current SBOM")
	reason("none checked", run(inUse, nil, nil), "OSV data was not read for any version in use")
	reason("one unchecked", run(inUse, map[string]bool{"a": true}, nil), "not read for every version in use: no OSV ecosystem or version in the SBOM (libb 2.0.0)")
	reason("undated fix", run(inUse, both, map[string][]store.ComponentVuln{"a": {vuln("V-nodate", High, "1.0.1", "", "")}}), "1 critical or high vulnerabilities of a version in use have a fixed version but no date")

	// An unchecked version does not hide what the checked one shows: the
	// count is a lower bound, and the evidence names what was not checked.
	o = run(inUse, map[string]bool{"a": true}, map[string][]store.ComponentVuln{"a": {vuln("V-31", High, "1.0.1", "2026-05-01T00:00:00Z", "")}})
	value("one unchecked, one hit", o, 1)
	if !strings.Contains(o.Evidence, "not checked: no OSV ecosystem or version in the SBOM (libb 2.0.0)") {
		t.Errorf("evidence: %s", o.Evidence)
	}

	// Seven qualifying vulnerabilities: all counted, five listed, oldest
	// fix first (V-0 published 2026-01-01 … V-6 2026-01-07; V-0 is
	// 31+28+31+30+31 = 151 days old).
	var many []store.ComponentVuln
	for i := 0; i < 7; i++ {
		many = append(many, vuln(fmt.Sprintf("V-%d", i), Critical, "1.0.1", fmt.Sprintf("2026-01-%02dT00:00:00Z", i+1), ""))
	}
	o = run(inUse, both, map[string][]store.ComponentVuln{"a": many})
	value("seven", o, 7)
	// Five are described; the ids of all seven end the evidence, for
	// exceptions.
	if !strings.Contains(o.Evidence, ": V-0 critical: liba 1.0.0 in use, fixed in 1.0.1, 151 days since the fix") || !strings.Contains(o.Evidence, "V-4 critical") ||
		strings.Contains(o.Evidence, "V-5 critical") || !strings.HasSuffix(o.Evidence, "; and 2 more [ids: V-0, V-1, V-2, V-3, V-4, V-5, V-6]") {
		t.Errorf("evidence: %s", o.Evidence)
	}
}
