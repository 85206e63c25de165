package main

import (
	"encoding/json"
	"github.com/osgauge/osgauge/ledger"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// A small PHI whose in-use parts (G-KEV, LIC-4) intake sets aside; the
// rest decides from git history and the licence files.
const intakeTestModel = `id: project-health
version: "0.0-test"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: COM
    weight: 50
    indicators:
      - {id: COM-1, metrics: [gitlocal.authors_12m], normalize: {bands: [{min: 0, score: 0}, {min: 2, score: 0.5}, {min: 3, score: 1}]}, weight: 1, clause: c}
  - id: LIC
    weight: 50
    indicators:
      - {id: LIC-2, metrics: [license.class], normalize: {bands: [{equals: permissive, score: 1}, {equals: weak-copyleft, score: 0.8}, {equals: source-available, score: 0}]}, weight: 1, clause: c}
      - {id: LIC-4, metrics: [license.compatibility], normalize: {bands: [{equals: directly-compatible, score: 1}]}, weight: 1, clause: c}
gates:
  - {id: G-SOURCE-AVAILABLE, metric: license.class, equals: source-available, cap: C, clause: c}
  - {id: G-KEV, metric: osv.kev_unpatched, op: ge, value: 1, cap: D, clause: c}
`

func intakeTestRepo(t *testing.T, dir, licence, module string) {
	t.Helper()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	os.WriteFile(filepath.Join(dir, "LICENSE"), []byte(licence), 0o644)
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+module+"\n"), 0o644)
	wt.Add("LICENSE")
	wt.Add("go.mod")
	for i, who := range []string{"ana@a.example", "ben@b.example", "chen@c.example", "ana@a.example", "ben@b.example", "chen@c.example"} {
		os.WriteFile(filepath.Join(dir, "n.txt"), []byte{byte('a' + i)}, 0o644)
		wt.Add("n.txt")
		sig := &object.Signature{Name: strings.Split(who, "@")[0], Email: who, When: time.Now().AddDate(0, 0, -60+10*i)}
		if _, err := wt.Commit("c", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
	head, _ := repo.Head()
	repo.CreateTag("v1.0.0", head.Hash(), nil)
}

// osgauge intake assess on three clones, offline: the side-by-side
// comparison in the terminal, the intake report in three formats, and
// the three recommendations (SSPL rejected, MPL on its conditions, MIT
// approved) in the JSON.
func TestIntakeAssessSelectionCLI(t *testing.T) {
	asUser(t, "Li Wei") // --by is the OS user's (cliBy)
	t.Setenv("GITHUB_TOKEN", "")
	dir := t.TempDir()
	mit, _ := os.ReadFile("../../LICENSE") // Apache-2.0: permissive
	intakeTestRepo(t, filepath.Join(dir, "vaultdb"), "Server Side Public License\nVERSION 1\n\nmake the Service Source Code available\n", "example.com/vaultdb")
	intakeTestRepo(t, filepath.Join(dir, "mozlib"), "This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0. If a copy of the MPL was not distributed with this file, You can obtain one at https://mozilla.org/MPL/2.0/.\n", "example.com/mozlib")
	intakeTestRepo(t, filepath.Join(dir, "plainlib"), string(mit), "example.com/plainlib")
	os.MkdirAll(filepath.Join(dir, "osv", "Go"), 0o755)
	os.WriteFile(filepath.Join(dir, "phi.yaml"), []byte(intakeTestModel), 0o644)
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`models: {project-health: phi.yaml}
osv: {api_url: "off", export: [osv/Go]}
license_policy: {distributed: {weak-copyleft: allowed}}
# A supplier's supports name projects of the config (config validation):
# mozlib is tracked as one, its clone the one assessed.
projects:
  - {name: mozlib, local_path: mozlib}
suppliers:
  - {name: Acme OSS Services, supports: [mozlib]}
lifecycle: {policy: {banned_licences: [SSPL-1.0]}}
report: {lang: en, out: out}
server: {auth: {maker_checker: []}} # the decision below takes effect at once
`), 0o644)
	stdout, err := runCLI(t, "intake", "assess", "--config", cfg, "--use", "distributed", "--offline", "--width", "150",
		filepath.Join(dir, "vaultdb"), filepath.Join(dir, "mozlib"), filepath.Join(dir, "plainlib"))
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, want := range []string{"Intake assessment: selection of 3 candidates", "│ vaultdb", "│ mozlib", "│ plainlib",
		"(--use)", "Not applicable before intake", "G-KEV, LIC-4", "reject", "approve with conditions", "approve (review by",
		"MPL-2.0 §3.3", "Acme OSS Services", "intake-" + time.Now().UTC().Format("2006-01-02") + ".html", "stored as intake run"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, l := range strings.Split(stdout, "\n") {
		if displayWidth(l) > 150 {
			t.Errorf("line wider than --width 150 (%d): %q", displayWidth(l), l)
		}
	}
	base := filepath.Join(dir, "out", "intake-"+time.Now().UTC().Format("2006-01-02"))
	for _, ext := range []string{".html", ".xlsx"} {
		if _, err := os.Stat(base + ext); err != nil {
			t.Error(err)
		}
	}
	data, err := os.ReadFile(base + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Use        string
		Candidates []struct {
			Name, Licence, Grade string
			Recommendation       struct {
				Decision   string
				Conditions []string
				Reasons    []string
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range doc.Candidates {
		got[c.Name] = c.Licence + " " + c.Recommendation.Decision
	}
	want := map[string]string{"vaultdb": "SSPL-1.0 rejected", "mozlib": "MPL-2.0 conditional", "plainlib": "Apache-2.0 approved"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	// plainlib: COM-1 = 1 (3 authors), LIC-2 = 1, LIC-4 not applicable:
	// (50·100 + 50·100)/100 = 100, nothing missing: A.
	if doc.Candidates[2].Grade != "A" {
		t.Errorf("plainlib grade %q", doc.Candidates[2].Grade)
	}

	// The decision finds the candidate's intake assessment and records it:
	// plainlib approved on grade A, the run named.
	out, err := runCLI(t, "intake", "decide", "--config", cfg, "pkg:golang/example.com/plainlib@v1.0.0", "--decision", "approved",
		"--by", "Li Wei", "--why", "selection 2026-12: permissive, three maintainers")
	if err != nil || !strings.Contains(out, "intake assessment, run") {
		t.Errorf("decide after assess: %v\n%s", err, out)
	}
	led, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil || len(led.Decisions) != 1 || led.Decisions[0].Assessment == nil || led.Decisions[0].Assessment.Grade != "A" ||
		led.Decisions[0].Assessment.Recommendation != "approved" {
		t.Errorf("ledger: %+v %v", led, err)
	}

	// Bad input: an unknown use, a use type the model lacks.
	if _, err := runCLI(t, "intake", "assess", "--config", cfg, "--use", "public", filepath.Join(dir, "plainlib")); err == nil || !strings.Contains(err.Error(), "--use must be internal, saas or distributed") {
		t.Errorf("--use public: %v", err)
	}
	if _, err := runCLI(t, "intake", "assess", "--config", cfg, "--use-type", "deep", "--offline", filepath.Join(dir, "plainlib")); err == nil || !strings.Contains(err.Error(), "--use-type \"deep\"") {
		t.Errorf("--use-type deep: %v", err)
	}
}

func TestWrapWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want []string
	}{
		{"short", 10, []string{"short"}},
		{"one two three four", 9, []string{"one two", "three", "four"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"许可证兼容性判定", 6, []string{"许可证", "兼容性", "判定"}}, // two columns a character
	} {
		got := wrapWidth(c.s, c.n)
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrapWidth(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
	}
}
