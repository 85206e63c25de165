package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/assess"
)

// An abandoned library (last commit three years ago), offline and without
// a token: git history, Scorecard's local checks and licence detection
// leave the coverage below the minimum, yet the unmaintained gate decides
// the grade: D, graded on partial data, with its range in the JSON.
func TestAbandonedProjectGradedDOffline(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	dir := t.TempDir()
	proj := filepath.Join(dir, "clones", "oldlib")
	repo, err := git.PlainInit(proj, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	lic, _ := os.ReadFile("../../LICENSE")
	last := time.Now().AddDate(-3, 0, 0)
	for i, f := range []struct{ name, body string }{{"LICENSE", string(lic)}, {"lib.go", "package lib\n"}, {"lib.go", "package lib // v2\n"}} {
		os.WriteFile(filepath.Join(proj, f.name), []byte(f.body), 0o644)
		wt.Add(f.name)
		when := last.AddDate(0, -2+i, 0)
		sig := &object.Signature{Name: "Old Maintainer", Email: "old@lib.example", When: when}
		if _, err := wt.Commit("commit", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`projects:
  - {name: oldlib, repo: https://github.com/old/oldlib, local_path: clones/oldlib}
osv: {api_url: "off"}
report: {lang: en, formats: [json]}
`), 0o644)
	period := assess.CurrentQuarter(time.Now()).Name
	stdout, err := runCLI(t, "run", "--config", cfg, "--period", period)
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	data, err := os.ReadFile(filepath.Join(dir, "osgauge-report", "osgauge-"+period+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Subjects []struct {
			Name    string
			Results []struct {
				Model      string
				Grade      string
				Status     string
				Coverage   float64
				ScoreRange []float64 `json:"score_range"`
				Partial    bool      `json:"graded_on_partial_data"`
				Gates      []struct{ ID, Reason string }
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Subjects {
		if s.Name != "oldlib" {
			continue
		}
		r := s.Results[0]
		if r.Grade != "D" || r.Status != "ok" || len(r.ScoreRange) != 2 || len(r.Gates) == 0 || r.Gates[0].ID != "G-UNMAINTAINED" {
			t.Fatalf("oldlib result = %+v", r)
		}
		// ~36 months since the last commit: the gate's reason says so.
		if !strings.Contains(r.Gates[0].Reason, "gitlocal.months_since_last_commit = 3") {
			t.Errorf("gate reason %q", r.Gates[0].Reason)
		}
		if r.Coverage < 0.5 && !r.Partial {
			t.Errorf("coverage %.2f below the minimum: the result must say it is graded on partial data", r.Coverage)
		}
		if !strings.Contains(stdout, "G-UNMAINTAINED") {
			t.Errorf("summary lacks the gate:\n%s", stdout)
		}
		return
	}
	t.Fatalf("no oldlib in the report:\n%s", data)
}
