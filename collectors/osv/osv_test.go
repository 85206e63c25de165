package osv

import (
	"archive/zip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

func TestCVSS3(t *testing.T) {
	cases := map[string]float64{
		// ISS = 1-0.44³ = 0.914816; impact 6.42·ISS = 5.8731; expl
		// 8.22·0.85·0.77·0.85·0.85 = 3.8870; 9.7601 → Roundup 9.8.
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H": 9.8,
		// ISS = 0.56; impact 3.5952; expl 8.22·0.85·0.44·0.85·0.85 = 2.2212;
		// 5.8164 → 5.9.
		"CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N": 5.9,
		// Scope changed: ISS = 1-0.78·0.78·1 = 0.3916; impact
		// 7.52·0.3626 - 3.25·0.3716^15 ≈ 2.7268; expl 8.22·0.85·0.77·0.85·0.62 = 2.8353;
		// 1.08·5.5621 = 6.0071 → 6.1 (the familiar XSS score).
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N": 6.1,
		"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N": 0,
	}
	for v, want := range cases {
		if got, ok := CVSS3(v); !ok || got != want {
			t.Errorf("CVSS3(%s) = %v %v, want %v", v, got, ok, want)
		}
	}
	if _, ok := CVSS3("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"); ok {
		t.Error("v4 is not scored here")
	}
	if Level(9.8) != Critical || Level(7) != High || Level(5.9) != Medium || Level(0.1) != Low || Level(0) != None {
		t.Error("levels")
	}
}

func TestCompareVersions(t *testing.T) {
	less := [][2]string{{"1.2.24", "1.2.25"}, {"1.2.9", "1.2.10"}, {"v1.0.0", "v1.0.1"}, {"1.0.0-rc1", "1.0.0"},
		{"1.0-beta", "1.0-rc1"}, {"2.14.1", "2.15.0"}, {"0", "0.0.1"}, {"1.1.1", "1.1.1n"}, {"1.0.a", "1.0.1"}}
	for _, p := range less {
		if Compare(p[0], p[1]) >= 0 || Compare(p[1], p[0]) <= 0 {
			t.Errorf("want %s < %s", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"1.0", "1.0.0"}, {"v2.1", "2.1"}, {"5.3.0.RELEASE", "5.3.0"}, {"1.0+build5", "1.0"}} {
		if Compare(p[0], p[1]) != 0 {
			t.Errorf("want %s == %s", p[0], p[1])
		}
	}
}

const fj = `{"package": {"ecosystem": "Maven", "name": "com.alibaba:fastjson"}`

// The advisories of the tests. fastjson 1.2.24 is affected by FJ-1
// (critical 9.8, fixed 1.2.25, in CISA KEV) and FJ-3 (moderate, no fix);
// FJ-2 (1.2.25 ≤ v < 1.2.83) misses it; spring-core 5.3.0 is listed by
// version in SPR-1 (CVSS 5.9: medium); a withdrawn advisory is ignored.
var records = map[string]string{
	"GHSA-fj-1": `{"id": "GHSA-fj-1", "modified": "2026-01-02T00:00:00Z", "published": "2026-01-01T00:00:00Z", "aliases": ["CVE-2017-18349"],
	  "summary": "fastjson deserialisation", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
	  "affected": [` + fj + `, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.25"}]}]}]}`,
	"GHSA-fj-2": `{"id": "GHSA-fj-2", "modified": "2025-12-02T00:00:00Z", "published": "2025-12-01T00:00:00Z", "database_specific": {"severity": "HIGH"},
	  "affected": [` + fj + `, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.2.25"}, {"fixed": "1.2.83"}]}]}]}`,
	"GHSA-fj-3": `{"id": "GHSA-fj-3", "modified": "2026-03-01T00:00:00Z", "published": "2026-03-01T00:00:00Z", "database_specific": {"severity": "MODERATE"},
	  "affected": [` + fj + `, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
	"GHSA-spr-1": `{"id": "GHSA-spr-1", "modified": "2026-02-01T00:00:00Z", "published": "2026-02-01T00:00:00Z",
	  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
	  "affected": [{"package": {"ecosystem": "Maven", "name": "org.springframework:spring-core"}, "versions": ["5.2.9", "5.3.0"]}]}`,
	"GHSA-es-0": `{"id": "GHSA-es-0", "modified": "2026-02-01T00:00:00Z", "published": "2026-02-01T00:00:00Z", "withdrawn": "2026-02-02T00:00:00Z",
	  "affected": [{"package": {"ecosystem": "Maven", "name": "org.elasticsearch:elasticsearch"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
}

const kevJSON = `{"catalogVersion": "2026.05.01", "count": 1, "vulnerabilities": [
  {"cveID": "CVE-2017-18349", "vendorProject": "Alibaba", "product": "fastjson", "vulnerabilityName": "fastjson RCE", "dateAdded": "2026-02-01", "dueDate": "2026-02-22"}]}`

const bom = `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "payments"}},
  "components": [
    {"type": "library", "bom-ref": "fj", "name": "fastjson", "version": "FJVERSION", "purl": "pkg:maven/com.alibaba/fastjson@FJVERSION",
     "externalReferences": [{"type": "vcs", "url": "https://github.com/alibaba/fastjson"}]},
    {"type": "library", "bom-ref": "sc", "name": "spring-core", "version": "5.3.0", "purl": "pkg:maven/org.springframework/spring-core@5.3.0"},
    {"type": "library", "bom-ref": "es", "name": "elasticsearch", "version": "7.10.2", "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.10.2"}
  ],
  "dependencies": [{"ref": "app", "dependsOn": ["fj", "sc", "es"]}]}`

func writeZip(t *testing.T, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for n, body := range files {
		w, _ := zw.Create(n + ".json")
		w.Write([]byte(body))
	}
	zw.Close()
	f.Close()
}

// fastjsonClone is a git repository whose release tags date the fixes:
// 1.2.25 on 2026-01-11, 1.2.83 on 2026-02-28.
func fastjsonClone(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	for i, tag := range []struct {
		name string
		at   time.Time
	}{{"1.2.25", time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC)}, {"fastjson-1.2.83", time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)}} {
		os.WriteFile(filepath.Join(dir, "f.txt"), []byte{byte('a' + i)}, 0o644)
		wt.Add("f.txt")
		sig := &object.Signature{Name: "dev", Email: "dev@example.com", When: tag.at}
		h, err := wt.Commit("release "+tag.name, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := repo.CreateTag(tag.name, h, nil); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type fixture struct {
	st   *store.Store
	dir  string
	sys  []sbom.System
	inst collectors.Target
	fj   collectors.Target
	now  time.Time
}

func newFixture(t *testing.T) *fixture {
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := filepath.Join(dir, "payments.cdx.json")
	os.WriteFile(p, []byte(strings.ReplaceAll(bom, "FJVERSION", "1.2.24")), 0o644)
	return &fixture{st: st, dir: dir, sys: []sbom.System{{Name: "payments", Path: p, Use: "internal"}},
		inst: collectors.Target{Subject: models.Subject{Kind: models.KindInstitution, ID: "institution/bank"}},
		fj:   collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/alibaba/fastjson"}, LocalPath: fastjsonClone(t)},
		now:  time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
}

func (f *fixture) run(t *testing.T, opt Options) (map[string]map[string]models.Observation, *Collector, error) {
	t.Helper()
	now := f.now
	sb := sbom.New(sbom.Options{Systems: f.sys, Store: f.st, HasInstitution: true, Now: func() time.Time { return now }})
	opt.Store, opt.HasInstitution, opt.Before = f.st, true, sb.Import
	opt.Now = func() time.Time { return now }
	c := New(opt)
	out := map[string]map[string]models.Observation{}
	var firstErr error
	for _, tg := range []collectors.Target{f.inst, f.fj} {
		obs, _, err := c.Collect(context.Background(), tg)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		for _, o := range obs {
			if out[o.SubjectID] == nil {
				out[o.SubjectID] = map[string]models.Observation{}
			}
			out[o.SubjectID][o.Metric] = o
		}
	}
	return out, c, firstErr
}

func val(t *testing.T, m map[string]models.Observation, metric string) float64 {
	t.Helper()
	o, ok := m[metric]
	if !ok || o.Value == nil {
		t.Fatalf("%s has no value: %+v", metric, o)
	}
	return *o.Value
}

// checkFastjson checks the hand-worked facts of fastjson 1.2.24 on 2026-06-01.
func checkFastjson(t *testing.T, got map[string]models.Observation) {
	t.Helper()
	want := map[string]float64{
		"osv.vulns_weighted_in_use": 12, // FJ-1 critical 10 + FJ-3 moderate 2
		"osv.vulns_open":            2,
		"osv.vulns_critical":        1,
		"osv.vulns_high":            0,
		"osv.vulns_fixable":         1, // FJ-1 (fixed in 1.2.25)
		"osv.kev_unpatched":         1, // FJ-1 is CVE-2017-18349
		// FJ-1 published 2026-01-01: 31+28+31+30+31 = 151 days to 2026-06-01.
		"osv.days_exposed_max": 151,
		// FJ-3 has no fix: the latest release is affected (moderate: 2).
		"osv.vulns_weighted_latest": 2,
		// FJ-1: 2026-01-01 → tag 1.2.25 on 2026-01-11 = 10 days; FJ-2:
		// 2025-12-01 → tag fastjson-1.2.83 on 2026-02-28 = 31+31+27 = 89
		// days; median (10+89)/2 = 49.5.
		"osv.fix_days_median": 49.5,
		// FJ-1 is critical and fixed in 1.2.25 for 1.2.24: advisory
		// published 2026-01-01 but release 1.2.25 tagged in the clone on
		// 2026-01-11 (later, so the fix dates from then): Jan 11 → Feb 1
		// = 21, + 28 (Feb) + 31 (Mar) + 30 (Apr) + 31 (May) = 141 days to
		// 2026-06-01, > 30: counts. FJ-3 is medium with no fix: does not. → 1.
		"osv.high_unpatched_fixed_30d": 1,
	}
	for m, w := range want {
		if v := val(t, got, m); v != w {
			t.Errorf("%s = %v, want %v (evidence %s)", m, v, w, got[m].Evidence)
		}
	}
	// The known-exploited vulnerability's ids, machine-readable for
	// exceptions (accepts:): its CVE first, then its record id.
	if items, ok := models.EvidenceIDs(got["osv.kev_unpatched"].Evidence); !ok || len(items) != 1 ||
		strings.Join(items[0], "/") != "CVE-2017-18349/GHSA-fj-1" {
		t.Errorf("kev ids %v %v in %q", items, ok, got["osv.kev_unpatched"].Evidence)
	}
	if items, ok := models.EvidenceIDs(got["osv.high_unpatched_fixed_30d"].Evidence); !ok || len(items) != 1 ||
		strings.Join(items[0], "/") != "CVE-2017-18349/GHSA-fj-1" {
		t.Errorf("unpatched ids %v %v", items, ok)
	}
	if ev := got["osv.vulns_weighted_in_use"].Evidence; !strings.Contains(ev, "fastjson 1.2.24: 2 known (weighted 12): GHSA-fj-1 critical 9.8, fixed in 1.2.25; GHSA-fj-3 medium, no fix") {
		t.Errorf("evidence = %s", ev)
	}
	if ev := got["osv.high_unpatched_fixed_30d"].Evidence; !strings.Contains(ev, "GHSA-fj-1 (CVE-2017-18349) critical: fastjson 1.2.24 in use, fixed in 1.2.25, 141 days since the fix (release 1.2.25 tagged 2026-01-11, after the advisory published 2026-01-01)") {
		t.Errorf("evidence = %s", ev)
	}
}

func TestOfflineExportAndKEV(t *testing.T) {
	f := newFixture(t)
	zipPath := filepath.Join(f.dir, "Maven.zip")
	writeZip(t, zipPath, records)
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(kevJSON), 0o644)
	got, c, err := f.run(t, Options{Exports: []string{zipPath}, KEV: kev})
	if err != nil {
		t.Fatal(err)
	}
	if c.Stats.Exported != 5 || c.Stats.KEV != 1 || c.Stats.Checked != 3 {
		t.Errorf("stats %+v", c.Stats)
	}
	checkFastjson(t, got[f.fj.Subject.ID])
	in := got[f.inst.Subject.ID]
	// Institution: FJ-1, FJ-3, SPR-1 open = 3; one in KEV.
	if val(t, in, "osv.vulns_open") != 3 || val(t, in, "osv.kev_unpatched") != 1 || in["osv.remediation_days_median"].Reason == "" {
		t.Errorf("institution: %+v", in)
	}

	// payments moves to fastjson 1.2.83 on 2026-07-01: FJ-1 is gone from
	// its SBOM 181 days after its advisory (31+28+31+30+31+30); FJ-3 is
	// still there (no fix), so it does not count as remediated.
	os.WriteFile(f.sys[0].Path, []byte(strings.ReplaceAll(bom, "FJVERSION", "1.2.83")), 0o644)
	f.now = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	got, _, err = f.run(t, Options{Exports: []string{zipPath}, KEV: kev})
	if err != nil {
		t.Fatal(err)
	}
	in = got[f.inst.Subject.ID]
	if v := val(t, in, "osv.remediation_days_median"); v != 181 {
		t.Errorf("remediation = %v (%s)", v, in["osv.remediation_days_median"].Evidence)
	}
	fjNow := got[f.fj.Subject.ID]
	// 1.2.83: only FJ-3 (moderate 2) remains; nothing in KEV; FJ-3 is
	// neither critical/high nor fixed, so the 30-day gate's count is 0.
	if val(t, fjNow, "osv.vulns_weighted_in_use") != 2 || val(t, fjNow, "osv.kev_unpatched") != 0 || val(t, fjNow, "osv.high_unpatched_fixed_30d") != 0 {
		t.Errorf("after upgrade: %+v", fjNow)
	}
}

func TestBadInputsAreRefused(t *testing.T) {
	f := newFixture(t)
	zipPath := filepath.Join(f.dir, "bad.zip")
	writeZip(t, zipPath, map[string]string{"GHSA-ok": records["GHSA-fj-1"], "GHSA-bad": "{\n\"id\": \"GHSA-bad\",,\n}"})
	_, _, err := f.run(t, Options{Exports: []string{zipPath}})
	if err == nil || !strings.Contains(err.Error(), "osv export "+zipPath+": GHSA-bad.json: line 2") {
		t.Fatalf("err = %v", err)
	}
	if v, ok, _ := f.st.VulnByID(context.Background(), "GHSA-fj-1"); ok {
		t.Errorf("half an export was kept: %+v", v.ID)
	}
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(`{"vulnerabilities": [{"cveID": "GHSA-x"}]}`), 0o644)
	if _, err := ImportKEV(context.Background(), f.st, kev); err == nil || !strings.Contains(err.Error(), `vulnerabilities[0]: cveID "GHSA-x" is not a CVE id`) {
		t.Errorf("kev err = %v", err)
	}
}

// fakeOSV answers /v1/querybatch and /v1/vulns/{id} as api.osv.dev does,
// from the records above, paginating fastjson's answer.
func fakeOSV(t *testing.T, batches, fetches *atomic.Int32) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/querybatch":
			batches.Add(1)
			var req struct {
				Queries []struct {
					Package   struct{ Name, Ecosystem string }
					Version   string
					PageToken string `json:"page_token"`
				}
			}
			if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			var resp struct {
				Results []map[string]any `json:"results"`
			}
			for _, q := range req.Queries {
				res := map[string]any{}
				var vulns []map[string]string
				for id, body := range records {
					rec, _ := ParseRecord([]byte(body))
					if rec.Withdrawn != "" {
						continue
					}
					if ok, _, _ := rec.AffectedVersion(q.Package.Ecosystem, q.Package.Name, q.Version); ok {
						vulns = append(vulns, map[string]string{"id": id, "modified": rec.Modified})
					}
				}
				sort.Slice(vulns, func(i, j int) bool { return vulns[i]["id"] < vulns[j]["id"] })
				// Two results for fastjson: one per page.
				if len(vulns) == 2 {
					if q.PageToken == "" {
						vulns = vulns[:1]
						res["next_page_token"] = "p2"
					} else {
						vulns = vulns[1:]
					}
				}
				if len(vulns) > 0 {
					res["vulns"] = vulns
				}
				resp.Results = append(resp.Results, res)
			}
			json.NewEncoder(w).Encode(resp)
		case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/v1/vulns/"):
			fetches.Add(1)
			body, ok := records[strings.TrimPrefix(r.URL.Path, "/v1/vulns/")]
			if !ok {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte(body))
		default:
			http.NotFound(w, r)
		}
	}))
}

func TestAPIBatchedAndCached(t *testing.T) {
	f := newFixture(t)
	var batches, fetches atomic.Int32
	srv := fakeOSV(t, &batches, &fetches)
	defer srv.Close()
	old := BatchSize
	BatchSize = 2 // 3 component versions → 2 batches
	defer func() { BatchSize = old }()
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(kevJSON), 0o644)
	got, c, err := f.run(t, Options{APIURL: srv.URL, KEV: kev})
	if err != nil {
		t.Fatal(err)
	}
	// Batches: [fastjson, spring-core] + page 2 of fastjson, then
	// [elasticsearch] = 3 requests; records fetched: FJ-1, FJ-3, SPR-1 = 3.
	if batches.Load() != 3 || fetches.Load() != 3 || c.client.Cost().Requests != 6 {
		t.Errorf("batches %d fetches %d cost %+v", batches.Load(), fetches.Load(), c.client.Cost())
	}
	fjObs := got[f.fj.Subject.ID]
	// osv.high_unpatched_fixed_30d: FJ-1 as in checkFastjson (141 days).
	for m, w := range map[string]float64{"osv.vulns_weighted_in_use": 12, "osv.vulns_open": 2, "osv.kev_unpatched": 1, "osv.days_exposed_max": 151, "osv.high_unpatched_fixed_30d": 1} {
		if v := val(t, fjObs, m); v != w {
			t.Errorf("%s = %v, want %v", m, v, w)
		}
	}
	// Within the cache's day: no request at all.
	batches.Store(0)
	fetches.Store(0)
	got, _, err = f.run(t, Options{APIURL: srv.URL, KEV: kev})
	if err != nil || batches.Load() != 0 || fetches.Load() != 0 || val(t, got[f.fj.Subject.ID], "osv.vulns_weighted_in_use") != 12 {
		t.Errorf("cached run: err %v batches %d fetches %d", err, batches.Load(), fetches.Load())
	}
	// The API down: an error, and no "0 vulnerabilities" claim: the
	// project has only the gates' metrics (30-day, KEV), with no value and
	// a Reason (not evaluated, not clear), though a KEV list is configured.
	f2 := newFixture(t)
	srv.Close()
	got, _, err = f2.run(t, Options{APIURL: srv.URL, KEV: kev})
	fjDown := got[f2.fj.Subject.ID]
	if o, k := fjDown[HighUnpatchedMetric], fjDown[KEVMetric]; err == nil || len(fjDown) != 2 || o.Value != nil || !strings.Contains(o.Reason, "OSV could not be read in this run") ||
		k.Value != nil || !strings.Contains(k.Reason, "OSV could not be read in this run") {
		t.Errorf("offline: err %v obs %+v", err, got)
	}
}

func TestExportWithClone(t *testing.T) {
	f := newFixture(t)
	dir := filepath.Join(f.dir, "osv")
	os.MkdirAll(dir, 0o755)
	for id, body := range records {
		os.WriteFile(filepath.Join(dir, id+".json"), []byte(body), 0o644)
	}
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(kevJSON), 0o644)
	got, _, err := f.run(t, Options{Exports: []string{dir}, KEV: kev})
	if err != nil {
		t.Fatal(err)
	}
	checkFastjson(t, got[f.fj.Subject.ID])
}
