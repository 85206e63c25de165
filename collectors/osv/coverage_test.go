package osv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Two records of one Go vulnerability (alias CVE-2026-9999) on gin: the
// GitHub advisory rates it high, the Go database moderate; both fixed in
// 1.7.0. gin v1.6.0 is in use.
var ginRecords = map[string]string{
	"GHSA-gin-1": `{"id": "GHSA-gin-1", "modified": "2026-01-01T00:00:00Z", "published": "2026-01-01T00:00:00Z", "aliases": ["CVE-2026-9999"],
	  "database_specific": {"severity": "HIGH"},
	  "affected": [{"package": {"ecosystem": "Go", "name": "github.com/gin-gonic/gin"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.7.0"}]}]}]}`,
	"GO-2026-0001": `{"id": "GO-2026-0001", "modified": "2026-02-01T00:00:00Z", "published": "2026-02-01T00:00:00Z", "aliases": ["CVE-2026-9999"],
	  "database_specific": {"severity": "MODERATE"},
	  "affected": [{"package": {"ecosystem": "Go", "name": "github.com/gin-gonic/gin"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.7.0"}]}]}]}`,
}

const ginComponent = `{"type": "library", "bom-ref": "gin", "name": "gin", "version": "v1.6.0", "purl": "pkg:golang/github.com/gin-gonic/gin@v1.6.0",
     "externalReferences": [{"type": "vcs", "url": "https://github.com/gin-gonic/gin"}]},
    {"type": "library", "bom-ref": "sc"`

// mixedFixture is payments with a Maven (fastjson 1.2.24 …) and a Go
// (gin v1.6.0) component.
func mixedFixture(t *testing.T) (*fixture, collectors.Target) {
	f := newFixture(t)
	b := strings.ReplaceAll(bom, "FJVERSION", "1.2.24")
	b = strings.Replace(b, `{"type": "library", "bom-ref": "sc"`, ginComponent, 1)
	b = strings.Replace(b, `"dependsOn": ["fj", "sc", "es"]`, `"dependsOn": ["fj", "gin", "sc", "es"]`, 1)
	if err := os.WriteFile(f.sys[0].Path, []byte(b), 0o644); err != nil {
		t.Fatal(err)
	}
	return f, collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: sbom.ProjectID("https://github.com/gin-gonic/gin")}}
}

func collectAll(t *testing.T, f *fixture, opt Options, targets ...collectors.Target) (map[string]map[string]models.Observation, *Collector) {
	t.Helper()
	now := f.now
	sb := sbom.New(sbom.Options{Systems: f.sys, Store: f.st, HasInstitution: true, Now: func() time.Time { return now }})
	opt.Store, opt.HasInstitution, opt.Before = f.st, true, sb.Import
	opt.Now = func() time.Time { return now }
	c := New(opt)
	out := map[string]map[string]models.Observation{}
	for _, tg := range append([]collectors.Target{f.inst, f.fj}, targets...) {
		obs, _, err := c.Collect(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs {
			if out[o.SubjectID] == nil {
				out[o.SubjectID] = map[string]models.Observation{}
			}
			out[o.SubjectID][o.Metric] = o
		}
	}
	return out, c
}

func withRecords(extra map[string]string) map[string]string {
	all := map[string]string{}
	for k, v := range records {
		all[k] = v
	}
	for k, v := range extra {
		all[k] = v
	}
	return all
}

// TestExportCoverage is issue 16's false clear: the API off and only a
// Maven export imported. The Go component gin is not checked, so its
// project's metrics have no value and say how to cover Go; fastjson's
// are as before.
func TestExportCoverage(t *testing.T) {
	const goReason = "no OSV data for Go modules: add the Go all.zip export to osv.exports or turn the API on (gin v1.6.0)"
	f, gin := mixedFixture(t)
	// Maven.zip also holds the Go records (an advisory naming a Go
	// package): it is still only Maven's export, Go is not covered.
	zipPath := filepath.Join(f.dir, "Maven.zip")
	writeZip(t, zipPath, withRecords(ginRecords))
	got, c := collectAll(t, f, Options{Exports: []string{zipPath}}, gin)
	// fastjson, spring-core, elasticsearch checked; gin not: 3.
	if c.Stats.Checked != 3 || c.Stats.Exported != 7 {
		t.Errorf("stats %+v", c.Stats)
	}
	fjObs := got[f.fj.Subject.ID]
	for m, w := range map[string]float64{"osv.vulns_weighted_in_use": 12, "osv.vulns_open": 2, "osv.vulns_critical": 1,
		"osv.days_exposed_max": 151, "osv.vulns_weighted_latest": 2, HighUnpatchedMetric: 1} {
		if v := val(t, fjObs, m); v != w {
			t.Errorf("fastjson %s = %v, want %v", m, v, w)
		}
	}
	// No KEV catalogue configured: no value, whatever the matches say.
	if o := fjObs[KEVMetric]; o.Value != nil || o.Reason != "no CISA KEV catalogue configured (osv.kev)" {
		t.Errorf("fastjson kev: %+v", o)
	}
	ginObs := got[gin.Subject.ID]
	for _, m := range append(append([]string{}, countMetrics...), "osv.vulns_weighted_latest", "osv.fix_days_median", HighUnpatchedMetric) {
		o, ok := ginObs[m]
		if !ok || o.Value != nil || !strings.Contains(o.Reason, goReason) {
			t.Errorf("gin %s: %+v, want no value and a Reason with %q", m, o, goReason)
		}
	}
	if o := ginObs[KEVMetric]; o.Value != nil || o.Reason != "no CISA KEV catalogue configured (osv.kev)" {
		t.Errorf("gin kev: %+v", o)
	}
	in := got[f.inst.Subject.ID]
	// Institution: FJ-1, FJ-3, SPR-1 = 3, gin not counted; 3 of 4 checked.
	if val(t, in, "osv.vulns_open") != 3 || !strings.Contains(in["osv.vulns_open"].Evidence, "3 of 4 component versions checked") ||
		!strings.Contains(in["osv.vulns_open"].Evidence, "no OSV data for Go modules") || in[KEVMetric].Value != nil {
		t.Errorf("institution: %+v", in)
	}

	// With a KEV catalogue: fastjson 1 (FJ-1 is CVE-2017-18349); gin 0
	// found but not checked: no value, the Go Reason; the institution 1
	// (true whatever gin holds).
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(kevJSON), 0o644)
	got, _ = collectAll(t, f, Options{Exports: []string{zipPath}, KEV: kev}, gin)
	if v := val(t, got[f.fj.Subject.ID], KEVMetric); v != 1 {
		t.Errorf("fastjson kev = %v", v)
	}
	if o := got[gin.Subject.ID][KEVMetric]; o.Value != nil || !strings.Contains(o.Reason, goReason) {
		t.Errorf("gin kev: %+v", o)
	}
	if o := got[f.inst.Subject.ID][KEVMetric]; o.Value == nil || *o.Value != 1 || !strings.Contains(o.Evidence, "not checked: no OSV data for Go modules") {
		t.Errorf("institution kev: %+v", o)
	}

	// The same records as a folder not named after an ecosystem: it
	// covers what its records name, Maven and Go. gin is checked: the two
	// records are one vulnerability (CVE-2026-9999) at its worst
	// severity, high: open 1, high 1, weighted 5 (not 5 + 2 = 7), fixable
	// 1; exposed since the older record, 2026-01-01 → 2026-06-01 =
	// 31+28+31+30+31 = 151 days; fixed in 1.7.0 since 2026-01-01, 151 >
	// 30 days: the 30-day gate counts 1. Not in KEV: 0.
	dir := filepath.Join(f.dir, "osv")
	os.MkdirAll(dir, 0o755)
	for id, body := range withRecords(ginRecords) {
		os.WriteFile(filepath.Join(dir, id+".json"), []byte(body), 0o644)
	}
	got, c = collectAll(t, f, Options{Exports: []string{dir}, KEV: kev}, gin)
	if c.Stats.Checked != 4 {
		t.Errorf("stats %+v", c.Stats)
	}
	ginObs = got[gin.Subject.ID]
	for m, w := range map[string]float64{"osv.vulns_weighted_in_use": 5, "osv.vulns_open": 1, "osv.vulns_high": 1, "osv.vulns_critical": 0,
		"osv.vulns_fixable": 1, "osv.days_exposed_max": 151, HighUnpatchedMetric: 1, KEVMetric: 0} {
		if v := val(t, ginObs, m); v != w {
			t.Errorf("gin %s = %v, want %v (%s)", m, v, w, ginObs[m].Evidence)
		}
	}
	if ev := ginObs["osv.vulns_weighted_in_use"].Evidence; !strings.Contains(ev, "gin v1.6.0: 1 known (weighted 5): GHSA-gin-1 high, fixed in 1.7.0 (same as GO-2026-0001)") {
		t.Errorf("evidence: %s", ev)
	}
	// Institution: FJ-1, FJ-3, SPR-1 and CVE-2026-9999 = 4, all 4 checked.
	if in := got[f.inst.Subject.ID]; val(t, in, "osv.vulns_open") != 4 || !strings.Contains(in["osv.vulns_open"].Evidence, "4 of 4 component versions checked") {
		t.Errorf("institution: %+v", in)
	}
}

func TestCoverageRule(t *testing.T) {
	for path, want := range map[string]string{
		"/x/Maven.zip": "Maven", "/x/maven.ZIP": "Maven", "/x/Go/all.zip": "Go", "/x/crates.io/all.zip": "crates.io",
		"/x/PyPI": "PyPI", "/x/npm/": "npm", "/x/advisories.zip": "", "/x/all.zip": "", "/x/osv": "",
	} {
		if got := pathEcosystem(path); got != want {
			t.Errorf("pathEcosystem(%s) = %q, want %q", path, got, want)
		}
	}
	vs := []struct {
		path string
		pkgs [][2]string
		want string
	}{
		{"/x/Maven.zip", [][2]string{{"Maven", "a:b"}, {"npm", "c"}}, "Maven"},
		{"/x/osv", [][2]string{{"Maven", "a:b"}, {"npm", "c"}, {"Debian:12", "d"}, {"maven", "e:f"}}, "Debian,Maven,npm"},
		{"/x/osv", nil, ""},
	}
	for _, c := range vs {
		if got := strings.Join(Coverage(c.path, []store.Vuln{{Packages: c.pkgs}}), ","); got != c.want {
			t.Errorf("Coverage(%s, %v) = %q, want %q", c.path, c.pkgs, got, c.want)
		}
	}
}

// TestAliasesCountOnce: two databases' records of one unfixed
// vulnerability on fastjson (alias CVE-2026-7777), rated high and
// moderate, are one vulnerability at its worst, high (5).
func TestAliasesCountOnce(t *testing.T) {
	f := newFixture(t)
	zipPath := filepath.Join(f.dir, "Maven.zip")
	writeZip(t, zipPath, map[string]string{
		"GHSA-a": fjRecord("GHSA-a", "HIGH", "2026-05-01T00:00:00Z", `"CVE-2026-7777"`, `{"introduced": "0"}`),
		"OSV-b":  fjRecord("OSV-b", "MODERATE", "2026-05-11T00:00:00Z", `"CVE-2026-7777"`, `{"introduced": "0"}`),
	})
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(strings.ReplaceAll(kevJSON, "CVE-2017-18349", "CVE-2026-7777")), 0o644)
	got, _ := collectAll(t, f, Options{Exports: []string{zipPath}, KEV: kev})
	fjObs := got[f.fj.Subject.ID]
	// open 1 (not 2), high 1, fixable 0, KEV 1 (not 2); weighted in use
	// and latest 5 (not 5 + 2 = 7); exposed since 2026-05-01: 31 days.
	for m, w := range map[string]float64{"osv.vulns_open": 1, "osv.vulns_high": 1, "osv.vulns_fixable": 0, KEVMetric: 1,
		"osv.vulns_weighted_in_use": 5, "osv.vulns_weighted_latest": 5, "osv.days_exposed_max": 31} {
		if v := val(t, fjObs, m); v != w {
			t.Errorf("%s = %v, want %v (%s)", m, v, w, fjObs[m].Evidence)
		}
	}
	// Institution: 1 distinct, 1 in KEV.
	if in := got[f.inst.Subject.ID]; val(t, in, "osv.vulns_open") != 1 || val(t, in, KEVMetric) != 1 {
		t.Errorf("institution: %+v", in)
	}
}
