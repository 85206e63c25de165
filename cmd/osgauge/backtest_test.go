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
)

// backtestRepo makes a repository with a commit every step days from from
// to until, the authors taking turns, the MIT-free osgauge LICENSE at the
// root.
func backtestRepo(t *testing.T, dir string, from, until time.Time, step int, authors ...string) {
	t.Helper()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	lic, _ := os.ReadFile("../../LICENSE")
	os.WriteFile(filepath.Join(dir, "LICENSE"), lic, 0o644)
	wt.Add("LICENSE")
	i := 0
	for d := from; d.Before(until); d = d.AddDate(0, 0, step) {
		os.WriteFile(filepath.Join(dir, "lib.go"), []byte("package lib // "+d.String()+"\n"), 0o644)
		wt.Add("lib.go")
		a := authors[i%len(authors)]
		sig := &object.Signature{Name: a, Email: strings.ToLower(a) + "@example.org", When: d}
		if _, err := wt.Commit("change", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
		i++
	}
}

// Two projects as of 2024-12-31: one whose last commit was in June 2024
// (abandoned in 2025), one busy through February 2026 (alive), and one
// whose history begins in 2025 (left out). The config's store is never
// created; the table is printed and both files are written to --out.
func TestBacktestCommand(t *testing.T) {
	dir := t.TempDir()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	backtestRepo(t, filepath.Join(dir, "fading"), day(2023, 1, 10), day(2024, 7, 1), 30, "Ann")
	backtestRepo(t, filepath.Join(dir, "busy"), day(2023, 1, 5), day(2026, 3, 1), 10, "Ann", "Bob", "Cai")
	backtestRepo(t, filepath.Join(dir, "late"), day(2025, 2, 1), day(2025, 6, 1), 20, "Dee")
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`store: {driver: sqlite, dsn: users-store.db}
projects:
  - {name: fading, local_path: fading}
  - {name: busy, local_path: busy}
  - {name: late, local_path: late}
report: {lang: en}
`), 0o644)
	out := filepath.Join(dir, "bt")
	stdout, err := runCLI(t, "backtest", "--config", cfg, "--as-of", "2024-12-31", "--horizon", "12m", "--out", out)
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	for _, want := range []string{"fading", "busy", "abandoned", "alive", "left out late", "no_history_before 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "users-store.db")); err == nil {
		t.Error("the backtest created the config's store; it must work in a temporary one")
	}
	data, err := os.ReadFile(filepath.Join(out, "backtest-2024-12-31.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		AsOf     string `json:"as_of"`
		Horizon  int    `json:"horizon_months"`
		Projects []struct {
			Name    string
			Score   *float64
			Grade   string
			Outcome string
		}
		AUC     *float64            `json:"auc_abandoned"`
		LeftOut struct{ Count int } `json:"left_out"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	outcome := map[string]string{}
	for _, p := range doc.Projects {
		outcome[p.Name] = p.Outcome
	}
	// One pair (fading abandoned, busy alive): the AUC is 1 if fading
	// scored lower, 0 if higher.
	if doc.AsOf != "2024-12-31" || doc.Horizon != 12 || outcome["fading"] != "abandoned" || outcome["busy"] != "alive" || doc.LeftOut.Count != 1 || doc.AUC == nil || *doc.AUC != 1 {
		t.Errorf("backtest = %+v (auc %v)", doc, doc.AUC)
	}
	if _, err := os.Stat(filepath.Join(out, "backtest-2024-12-31.xlsx")); err != nil {
		t.Error(err)
	}
}

func TestBacktestFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte("projects:\n  - {name: x, local_path: x}\n"), 0o644)
	for args, want := range map[string]string{
		"backtest": "--as-of DATE is required",
		"backtest --as-of 2023-12-31 --horizon 12y": "--horizon",
		"backtest --as-of 2099-01-01":               "in the future",
		// A month ago: its 12-month horizon ends in the future.
		"backtest --as-of " + time.Now().AddDate(0, -1, 0).Format("2006-01-02"): "after today",
	} {
		_, err := runCLI(t, append(strings.Fields(args), "--config", cfg)...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", args, err, want)
		}
	}
}
