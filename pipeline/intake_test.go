package pipeline

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/reports/intake"
	"github.com/osgauge/osgauge/store"
)

// intakeModel is a small PHI (id project-health) whose arithmetic can be
// followed by hand, with the built-in's in-use parts: the gates G-KEV and
// G-SOURCE-AVAILABLE-IN-USE and the indicator LIC-4 judge only what runs.
const intakeModelYAML = `
id: project-health
version: "0.0-test"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
profiles:
  simple: {dimensions: {COM: 50, LIC: 50}}
dimensions:
  - id: COM
    weight: 50
    indicators:
      - {id: COM-1, metrics: [gitlocal.authors_12m], normalize: {bands: [{min: 0, score: 0}, {min: 2, score: 0.5}, {min: 3, score: 1}]}, weight: 3, clause: c}
      - {id: COM-2, metrics: [forge.stars], normalize: {linear: {min: 0, max: 100}}, weight: 1, clause: c}
  - id: LIC
    weight: 50
    indicators:
      - id: LIC-2
        metrics: [license.class_in_use, license.class]
        normalize: {bands: [{equals: permissive, score: 1}, {equals: weak-copyleft, score: 0.8}, {equals: source-available, score: 0}]}
        weight: 1
        clause: c
      - id: LIC-4
        metrics: [license.compatibility]
        normalize: {bands: [{equals: directly-compatible, score: 1}, {equals: incompatible, score: 0}]}
        weight: 1
        clause: c
gates:
  - {id: G-SOURCE-AVAILABLE, metric: license.class, equals: source-available, cap: C, clause: c}
  - {id: G-KEY-PERSON, metric: gitlocal.bus_factor_12m, op: eq, value: 1, cap: B, clause: c}
  - {id: G-KEV, metric: osv.kev_unpatched, op: ge, value: 1, cap: D, clause: c}
  - {id: G-SOURCE-AVAILABLE-IN-USE, metric: license.class_in_use, equals: "source-available:*", cap: D, clause: c}
`

const mitText = `MIT License

Copyright (c) 2026 Plain Authors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

// The MPL-2.0 notice (its Exhibit A), which the scanner recognises.
const mplNotice = `This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of the MPL was not distributed with this file, You can obtain one at https://mozilla.org/MPL/2.0/.
`

// SSPL recognised by its wording (licenses.SourceAvailableText).
const ssplText = `Server Side Public License
VERSION 1, OCTOBER 16, 2018

13. Offering the Program as a Service. If you make the functionality of the
Program available to third parties as a service, you must make the Service
Source Code available under this License.
`

// candidateRepo makes a git repository: three people, two commits each,
// in the last 90 days, the files in the first commit, and a release tag.
func candidateRepo(t *testing.T, dir string, files map[string]string, tag string) {
	t.Helper()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	people := [][2]string{{"Ana Lima", "ana@a.example"}, {"Ben Okafor", "ben@b.example"}, {"Chen Wei", "chen@c.example"}}
	now := time.Now()
	for i := range 6 {
		if i == 0 {
			for p, body := range files {
				if err := os.WriteFile(filepath.Join(dir, p), []byte(body), 0o644); err != nil {
					t.Fatal(err)
				}
				wt.Add(p)
			}
		}
		os.WriteFile(filepath.Join(dir, "n.txt"), []byte{byte('a' + i)}, 0o644)
		wt.Add("n.txt")
		p := people[i%3]
		sig := &object.Signature{Name: p[0], Email: p[1], When: now.AddDate(0, 0, -90+10*i)}
		if _, err := wt.Commit("change "+string(rune('a'+i)), &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
	if tag != "" {
		head, _ := repo.Head()
		if _, err := repo.CreateTag(tag, head.Hash(), nil); err != nil {
			t.Fatal(err)
		}
	}
}

type intakeFixture struct {
	dir string
	st  *store.Store
	cfg *config.Config
	set models.Set
}

func newIntakeFixture(t *testing.T) *intakeFixture {
	t.Helper()
	dir := t.TempDir()
	m, err := models.Parse("intake-phi.yaml", []byte(intakeModelYAML))
	if err != nil {
		t.Fatal(err)
	}
	// An OSV export for Go with no advisory for these modules: the Go
	// ecosystem is covered, so "none known" is a checked answer.
	goExport := filepath.Join(dir, "osv", "Go")
	os.MkdirAll(goExport, 0o755)
	st, err := store.Open(context.Background(), filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rules := policy.Defaults()
	rules.BannedLicences = []string{"SSPL-1.0"}
	cfg := &config.Config{Dir: dir, Path: filepath.Join(dir, "osgauge.yaml"),
		SBOMs:     []config.SBOM{{System: "core-banking", Licence: "proprietary", Use: "distributed", UseStated: true}},
		Suppliers: []config.Supplier{{Name: "Acme OSS Services", Supports: []string{"mozlib"}}},
		OSV:       config.OSV{APIURL: "off", Export: config.StringList{goExport}},
		// The institution allows weak copyleft in what it distributes (the
		// default asks for a review), on the licence's conditions.
		LicensePolicy: config.LicensePolicy{Uses: map[string]map[string]string{"distributed": {"weak-copyleft": "allowed"}}},
		Lifecycle:     config.Lifecycle{IntakeRequired: "direct", Policy: rules}}
	return &intakeFixture{dir: dir, st: st, cfg: cfg, set: models.Set{models.ProjectHealth: m}}
}

func (f *intakeFixture) assess(t *testing.T, args ...string) *intake.Report {
	t.Helper()
	ctx := context.Background()
	targets, err := ResolveIntakeTargets(ctx, f.st, f.cfg, args)
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := AssessIntake(ctx, f.st, f.set, targets, IntakeOptions{Config: f.cfg, System: "core-banking",
		Collectors: []collectors.Collector{gitlocal.New(), license.New()}, Offline: true, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// A selection of three candidates for a proprietary system distributed to
// customers: vaultdb (SSPL) rejected for a banned licence, mozlib (MPL-2.0)
// approved on the MPL's conditions, plainlib (MIT) approved.
func TestIntakeSelection(t *testing.T) {
	f := newIntakeFixture(t)
	for name, lic := range map[string]string{"vaultdb": ssplText, "mozlib": mplNotice, "plainlib": mitText} {
		candidateRepo(t, filepath.Join(f.dir, name), map[string]string{"LICENSE": lic, "go.mod": "module example.com/" + name + "\n\ngo 1.22\n"}, "v1.0.0")
	}
	rep := f.assess(t, filepath.Join(f.dir, "vaultdb"), filepath.Join(f.dir, "mozlib"), filepath.Join(f.dir, "plainlib"))
	if rep.System != "core-banking" || rep.SystemLicence != "proprietary" || rep.Use != "distributed" {
		t.Errorf("context: system %q licence %q use %q", rep.System, rep.SystemLicence, rep.Use)
	}
	// The in-use parts of the model are set aside, and said so.
	if !slices.Equal(rep.GatesNotApplicable, []string{"G-KEV", "G-SOURCE-AVAILABLE-IN-USE"}) || !slices.Equal(rep.IndicatorsNotApplicable, []string{"LIC-4"}) {
		t.Errorf("not applicable: gates %v indicators %v", rep.GatesNotApplicable, rep.IndicatorsNotApplicable)
	}
	if len(rep.Candidates) != 3 {
		t.Fatalf("%d candidates", len(rep.Candidates))
	}
	vault, moz, plain := rep.Candidates[0], rep.Candidates[1], rep.Candidates[2]

	// Every candidate: 3 authors in 12 months → COM-1 = 1 (weight 3);
	// forge.stars missing → COM-2 (weight 1) missing; LIC-4 not
	// applicable. COM = 100 on its data, between 100·3/4 = 75 and 100.
	// Coverage (50·3/4 + 50·1)/100 = 0.875.
	//
	// plainlib, MIT (permissive, LIC-2 = 1): LIC = 100; score
	// (50·100 + 50·100)/100 = 100, range [(50·75 + 50·100)/100, 100] =
	// [87.5, 100]: A at both ends, graded A. COM-2's swing: 50/100 of the
	// index × 1/4 of COM × 100 = 12.5 points.
	if plain.Grade != "A" || plain.Score == nil || *plain.Score != 100 || !slices.Equal(plain.ScoreRange, []float64{87.5, 100}) || plain.Coverage != 0.875 {
		t.Errorf("plainlib: grade %q score %v range %v coverage %v (%s)", plain.Grade, plain.Score, plain.ScoreRange, plain.Coverage, plain.Explanation)
	}
	if len(plain.Missing) != 1 || plain.Missing[0].ID != "COM-2" || plain.Missing[0].Swing != 12.5 {
		t.Errorf("plainlib missing %+v", plain.Missing)
	}
	if plain.Target != "pkg:golang/example.com/plainlib" || plain.Version != "v1.0.0" || !plain.VulnsChecked || len(plain.Vulnerabilities) != 0 {
		t.Errorf("plainlib: target %q version %q checked %v vulns %v (%s)", plain.Target, plain.Version, plain.VulnsChecked, plain.Vulnerabilities, plain.VulnsNote)
	}
	if plain.Licence != "MIT" || plain.Compatibility != "directly-compatible" || plain.LicencePolicy != "allowed" {
		t.Errorf("plainlib licence %q %q %q", plain.Licence, plain.Compatibility, plain.LicencePolicy)
	}
	if r := plain.Recommendation; r.Decision != policy.Approved || len(r.Conditions) != 0 || len(r.Reasons) != 0 ||
		r.ReviewBy != time.Now().UTC().AddDate(0, 12, 0).Format(time.DateOnly) {
		t.Errorf("plainlib recommendation %+v", r)
	}

	// mozlib, MPL-2.0 (weak copyleft, LIC-2 = 0.8): LIC = 80; score
	// (50·100 + 50·80)/100 = 90, range [(50·75 + 50·80)/100, 90] =
	// [77.5, 90]: between B and A, both at or above the minimum C. In a
	// proprietary distributed system the MPL is compatible on its
	// conditions: approved with them, each stated.
	if !slices.Equal(moz.GradeRange, []string{"B", "A"}) || moz.Score == nil || *moz.Score != 90 || !slices.Equal(moz.ScoreRange, []float64{77.5, 90}) {
		t.Errorf("mozlib: grade %q range %v score %v %v", moz.Grade, moz.GradeRange, moz.Score, moz.ScoreRange)
	}
	if moz.Licence != "MPL-2.0" || moz.Compatibility != "compatible-with-conditions" || len(moz.Obligations) == 0 {
		t.Errorf("mozlib licence %q %q %v", moz.Licence, moz.Compatibility, moz.Obligations)
	}
	r := moz.Recommendation
	if r.Decision != policy.Conditional || len(r.Reasons) != 0 || len(r.Conditions) != len(moz.Obligations) {
		t.Errorf("mozlib recommendation %+v", r)
	}
	for _, c := range r.Conditions {
		if !strings.HasPrefix(c, "licence obligation: ") {
			t.Errorf("mozlib condition %q is not an MPL obligation", c)
		}
	}
	if !slices.ContainsFunc(r.Conditions, func(c string) bool { return strings.Contains(c, "MPL-2.0") && strings.Contains(c, "3.3") }) {
		t.Errorf("no MPL §3.3 condition among %q", r.Conditions)
	}
	if !slices.Equal(moz.Suppliers, []string{"Acme OSS Services"}) {
		t.Errorf("mozlib suppliers %v", moz.Suppliers)
	}

	// vaultdb, SSPL-1.0 (source-available, LIC-2 = 0): LIC = 0; score
	// (50·100 + 0)/100 = 50, range [(50·75)/100, 50] = [37.5, 50]: D to
	// C, G-SOURCE-AVAILABLE caps at C: between D and C. Rejected: SSPL is
	// in banned_licences, incompatible with a distributed proprietary
	// work, and not open source (the gate).
	if !slices.Equal(vault.GradeRange, []string{"D", "C"}) || !slices.Equal(vault.ScoreRange, []float64{37.5, 50}) {
		t.Errorf("vaultdb: range %v %v", vault.GradeRange, vault.ScoreRange)
	}
	if len(vault.Gates) != 1 || vault.Gates[0].ID != "G-SOURCE-AVAILABLE" {
		t.Errorf("vaultdb gates %+v", vault.Gates)
	}
	r = vault.Recommendation
	if r.Decision != policy.Rejected || len(r.Reasons) != 3 ||
		!strings.Contains(r.Reasons[0], "banned (lifecycle.policy.banned_licences)") ||
		!strings.Contains(r.Reasons[1], "incompatible") || !strings.Contains(r.Reasons[2], "G-SOURCE-AVAILABLE") {
		t.Errorf("vaultdb recommendation %+v", r)
	}
	for _, c := range rep.Candidates {
		if len(c.GatesNotEvaluated) != 0 {
			t.Errorf("%s: gates not evaluated %v: an in-use gate would make the worst case D", c.Name, c.GatesNotEvaluated)
		}
	}

	// Without setting the in-use parts aside, plainlib's own data would
	// read "between D and B": G-KEV and G-SOURCE-AVAILABLE-IN-USE not
	// evaluated (the worst case capped at D, the best at B, the grade
	// below the top) and LIC-4 missing.
	ctx := context.Background()
	facts, _ := f.st.LatestFacts(ctx, time.Now().Add(time.Minute))
	full := assess.Score(f.set[models.ProjectHealth], models.Subject{Kind: models.KindProject, ID: plain.Project}, facts[plain.Project], assess.Env{Now: time.Now()})
	if !slices.Equal(full.GradeRange, []string{"D", "B"}) {
		t.Errorf("the full model on plainlib's data: %q %v, want between D and B", full.Grade, full.GradeRange)
	}

	// Stored: the result where intake decide reads it, the report in the
	// intake run, and the candidates left out of a period's assessment.
	if res, ok, err := f.st.LatestResult(ctx, plain.Project, models.ProjectHealth); err != nil || !ok || res.Grade != "A" {
		t.Errorf("stored result %v %v %+v", ok, err, res.Grade)
	}
	recs, err := LatestIntakeAssessments(ctx, f.st, 0)
	if err != nil || len(recs) != 3 || recs[0].System != "core-banking" {
		t.Fatalf("intake records %d %v", len(recs), err)
	}
	if i := slices.IndexFunc(recs, func(r IntakeRecord) bool { return r.Target == "pkg:golang/example.com/mozlib" }); i < 0 || recs[i].Recommendation.Decision != policy.Conditional {
		t.Errorf("mozlib's stored assessment not found: %+v", recs)
	}
	results, err := Assess(ctx, f.st, f.set, assess.CurrentQuarter(time.Now()), time.Now(), nil)
	if err != nil || len(results) != 0 {
		t.Errorf("a period's assessment scored %d candidates (%v)", len(results), err)
	}
}

// The known vulnerabilities of the version taken in, from a stored OSV
// export, with CISA's KEV list: a known-exploited one rejects it, naming
// the nearest version that fixes every advisory.
func TestIntakeVulnerabilities(t *testing.T) {
	f := newIntakeFixture(t)
	candidateRepo(t, filepath.Join(f.dir, "kevlib"), map[string]string{"LICENSE": mitText, "go.mod": "module example.com/kevlib\n"}, "v1.0.0")
	goExport := f.cfg.OSV.Export[0]
	record := func(id, alias, severity, introduced, fixed string) {
		body := `{"id": "` + id + `", "aliases": ["` + alias + `"], "summary": "` + id + ` in kevlib", "modified": "2026-01-01T00:00:00Z",
"affected": [{"package": {"ecosystem": "Go", "name": "example.com/kevlib"},
  "ranges": [{"type": "SEMVER", "events": [{"introduced": "` + introduced + `"}, {"fixed": "` + fixed + `"}]}]}],
"database_specific": {"severity": "` + severity + `"}}`
		if err := os.WriteFile(filepath.Join(goExport, id+".json"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	record("GO-2026-0001", "CVE-2026-1111", "CRITICAL", "0", "1.2.0") // known exploited
	record("GO-2026-0002", "CVE-2026-2222", "HIGH", "0", "1.1.0")
	record("GO-2026-0003", "CVE-2026-3333", "LOW", "1.3.0", "1.3.1") // not in 1.0.0
	kev := filepath.Join(f.dir, "kev.json")
	os.WriteFile(kev, []byte(`{"catalogVersion": "t", "vulnerabilities": [{"cveID": "CVE-2026-1111", "dateAdded": "2026-02-01"}]}`), 0o644)
	f.cfg.OSV.KEV = kev

	rep := f.assess(t, filepath.Join(f.dir, "kevlib"))
	c := rep.Candidates[0]
	if c.Version != "v1.0.0" || !c.VulnsChecked {
		t.Fatalf("version %q checked %v (%s)", c.Version, c.VulnsChecked, c.VulnsNote)
	}
	// v1.0.0 is in [0, 1.2.0) and [0, 1.1.0), not in [1.3.0, 1.3.1).
	want := []intake.Vuln{
		{ID: "GO-2026-0001", Aliases: []string{"CVE-2026-1111"}, Severity: "critical", KEV: true, Fixed: "1.2.0", Summary: "GO-2026-0001 in kevlib"},
		{ID: "GO-2026-0002", Aliases: []string{"CVE-2026-2222"}, Severity: "high", Fixed: "1.1.0", Summary: "GO-2026-0002 in kevlib"},
	}
	if len(c.Vulnerabilities) != 2 {
		t.Fatalf("vulnerabilities %+v", c.Vulnerabilities)
	}
	for i, v := range c.Vulnerabilities {
		w := want[i]
		if v.ID != w.ID || !slices.Equal(v.Aliases, w.Aliases) || v.Severity != w.Severity || v.KEV != w.KEV || v.Fixed != w.Fixed {
			t.Errorf("vulnerability %d = %+v, want %+v", i, v, w)
		}
	}
	// Fixed versions above 1.0.0: 1.1.0 (still in GO-2026-0001's range),
	// 1.2.0 (in no range), 1.3.1: the nearest is 1.2.0.
	if c.NearestFixed != "1.2.0" {
		t.Errorf("nearest fixed %q, want 1.2.0", c.NearestFixed)
	}
	r := c.Recommendation
	if r.Decision != policy.Rejected || len(r.Reasons) != 1 || !strings.Contains(r.Reasons[0], "known-exploited vulnerability GO-2026-0001") ||
		!strings.Contains(r.Reasons[0], "fixed in 1.2.0") {
		t.Errorf("recommendation %+v", r)
	}
}

// Without OSV data for the ecosystem (or without a version) the
// vulnerabilities are not checked: an approval is made conditional on the
// check, and "no known vulnerability" is not claimed.
func TestIntakeVulnerabilitiesUnchecked(t *testing.T) {
	f := newIntakeFixture(t)
	f.cfg.OSV.Export = nil
	candidateRepo(t, filepath.Join(f.dir, "plainlib"), map[string]string{"LICENSE": mitText, "go.mod": "module example.com/plainlib\n"}, "v1.0.0")
	c := f.assess(t, filepath.Join(f.dir, "plainlib")).Candidates[0]
	if c.VulnsChecked || !strings.Contains(c.VulnsNote, "no OSV data for Go packages") {
		t.Errorf("checked %v (%s)", c.VulnsChecked, c.VulnsNote)
	}
	r := c.Recommendation
	if r.Decision != policy.Conditional || len(r.Conditions) != 1 || !strings.HasPrefix(r.Conditions[0], "vulnerability check of the version taken in before use") {
		t.Errorf("recommendation %+v", r)
	}
	if slices.ContainsFunc(r.Notes, func(n string) bool { return strings.HasPrefix(n, "no known vulnerability") }) {
		t.Errorf("notes claim no known vulnerability: %q", r.Notes)
	}
}

// TARGETs: a package URL, a project of the config, a repository URL, an
// inventory component; and a clear error for anything else.
func TestResolveIntakeTargets(t *testing.T) {
	f := newIntakeFixture(t)
	f.cfg.ComponentRepos = map[string]string{"pkg:maven/com.alibaba/fastjson": "https://github.com/alibaba/fastjson"}
	f.cfg.Projects = []config.Project{{Name: "fastjson", Repo: "https://github.com/alibaba/fastjson", LocalPath: "clones/fastjson"}}
	ts, err := ResolveIntakeTargets(context.Background(), f.st, f.cfg, []string{"pkg:maven/com.alibaba/fastjson@1.2.83", "https://github.com/google/gson.git", "fastjson"})
	if err != nil {
		t.Fatal(err)
	}
	p := ts[0]
	if p.Kind != IntakeFromPURL || p.Target != "pkg:maven/com.alibaba/fastjson" || p.Version != "1.2.83" || p.Package != "com.alibaba:fastjson" ||
		p.ProjectID != "github.com/alibaba/fastjson" || p.LocalPath != filepath.Join(f.dir, "clones/fastjson") {
		t.Errorf("purl %+v", p)
	}
	if g := ts[1]; g.Kind != IntakeFromRepo || g.ProjectID != "github.com/google/gson" || g.Name != "gson" || g.Version != "" {
		t.Errorf("repo %+v", g)
	}
	if pr := ts[2]; pr.Kind != IntakeFromProject || pr.ProjectID != "github.com/alibaba/fastjson" {
		t.Errorf("project %+v", pr)
	}
	if _, err := ResolveIntakeTargets(context.Background(), f.st, f.cfg, []string{"no-such-thing"}); err == nil || !strings.Contains(err.Error(), "a component of the inventory") {
		t.Errorf("unknown target: %v", err)
	}
}

// The built-in PHI's parts that judge only what runs.
func TestIntakeModelBuiltin(t *testing.T) {
	m, err := models.Builtin(models.ProjectHealth)
	if err != nil {
		t.Fatal(err)
	}
	cp, gates, indicators := IntakeModel(m)
	if !slices.Equal(gates, []string{"G-KEV", "G-LICENSE-BANNED", "G-UNPATCHED-FIXED", "G-SOURCE-AVAILABLE-IN-USE"}) {
		t.Errorf("gates %v", gates)
	}
	if !slices.Equal(indicators, []string{"VUL-1", "LIC-4", "LIC-5"}) {
		t.Errorf("indicators %v", indicators)
	}
	if len(cp.Gates) != len(m.Gates)-len(gates) || len(m.Gates) == len(cp.Gates) {
		t.Errorf("the copy has %d gates of %d; the model must keep its own", len(cp.Gates), len(m.Gates))
	}
}

// A package URL with no known repository, the OSV API on (a fake one):
// the project's health is not assessed (no grade: a review by the review
// date), the API's advisory is fetched, stored and matched, and its fix
// is the minimum version of a conditional approval.
func TestIntakePURLWithOSVAPI(t *testing.T) {
	f := newIntakeFixture(t)
	record := `{"id": "GHSA-aaaa-bbbb-cccc", "aliases": ["CVE-2022-25845"], "summary": "fastjson autoType bypass", "modified": "2026-05-01T00:00:00Z",
"affected": [{"package": {"ecosystem": "Maven", "name": "com.alibaba:fastjson"},
  "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.83"}]}]}],
"database_specific": {"severity": "HIGH"}}`
	var queried []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/querybatch":
			body, _ := io.ReadAll(r.Body)
			queried = append(queried, string(body))
			w.Write([]byte(`{"results": [{"vulns": [{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2026-05-01T00:00:00Z"}]}]}`))
		case "/v1/vulns/GHSA-aaaa-bbbb-cccc":
			w.Write([]byte(record))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	targets, err := ResolveIntakeTargets(ctx, f.st, f.cfg, []string{"pkg:maven/com.alibaba/fastjson@1.2.80"})
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := AssessIntake(ctx, f.st, f.set, targets, IntakeOptions{Config: f.cfg, Now: time.Now(),
		OSV: osv.New(osv.Options{APIURL: srv.URL, Store: f.st})})
	if err != nil {
		t.Fatal(err)
	}
	c := rep.Candidates[0]
	if len(queried) != 1 || !strings.Contains(queried[0], `"name":"com.alibaba:fastjson"`) || !strings.Contains(queried[0], `"ecosystem":"Maven"`) || !strings.Contains(queried[0], `"version":"1.2.80"`) {
		t.Errorf("queries %q", queried)
	}
	if !c.VulnsChecked || len(c.Vulnerabilities) != 1 || c.Vulnerabilities[0].Fixed != "1.2.83" || c.Vulnerabilities[0].Severity != "high" || c.NearestFixed != "1.2.83" {
		t.Fatalf("vulnerabilities %+v nearest %q (%s)", c.Vulnerabilities, c.NearestFixed, c.VulnsNote)
	}
	if _, ok, _ := f.st.VulnByID(ctx, "GHSA-aaaa-bbbb-cccc"); !ok {
		t.Error("the record fetched is not stored")
	}
	if c.Project != "" || c.Grade != "" || len(c.GradeRange) != 0 || !strings.Contains(c.Explanation, "no repository known") {
		t.Errorf("project %q grade %q %v (%s)", c.Project, c.Grade, c.GradeRange, c.Explanation)
	}
	// No licence known either (no clone, not in the inventory): review.
	r := c.Recommendation
	want := []string{"licence review", "minimum version 1.2.83", "review by"}
	if r.Decision != policy.Conditional || len(r.Conditions) != 3 {
		t.Fatalf("recommendation %+v", r)
	}
	for i, w := range want {
		if !strings.HasPrefix(r.Conditions[i], w) {
			t.Errorf("condition %d %q, want it to start %q", i, r.Conditions[i], w)
		}
	}
}

// An OSV API that cannot be reached is said once, in the notes, and not
// asked again for the next candidate; with no export for the ecosystem
// the versions are not checked.
func TestIntakeOSVAPIUnreachable(t *testing.T) {
	f := newIntakeFixture(t)
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there any more
	ctx := context.Background()
	targets, err := ResolveIntakeTargets(ctx, f.st, f.cfg, []string{"pkg:maven/com.alibaba/fastjson@1.2.80", "pkg:maven/com.google.code.gson/gson@2.10.1"})
	if err != nil {
		t.Fatal(err)
	}
	rep, _, err := AssessIntake(ctx, f.st, f.set, targets, IntakeOptions{Config: f.cfg, Now: time.Now(), OSV: osv.New(osv.Options{APIURL: url, Store: f.st})})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, note := range rep.Notes {
		if strings.HasPrefix(note, "OSV API not reachable") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d notes on the API, want 1: %q", n, rep.Notes)
	}
	for _, c := range rep.Candidates {
		if c.VulnsChecked || !strings.HasPrefix(c.VulnsNote, "OSV API not reachable (see the notes); no OSV data for Maven packages") {
			t.Errorf("%s: checked %v (%s)", c.Name, c.VulnsChecked, c.VulnsNote)
		}
	}
}
