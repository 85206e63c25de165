package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/pipeline"
)

// Review item 8: `collect --queue` with a worker clones a project that has
// no local_path, as the in-process collection does: the worker that runs
// its gitlocal job prepares the clone through the mirror rule first, and
// gitlocal reads it (3 commits made in the last 12 months).
func TestQueueWorkerClones(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("needs the git program")
	}
	t.Setenv("GITHUB_TOKEN", "")
	dir := t.TempDir()
	up := filepath.Join(dir, "mirror/o/a")
	repo, err := git.PlainInit(up, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	for i := range 3 {
		os.WriteFile(filepath.Join(up, "README"), []byte(strings.Repeat("x", i+1)), 0o644)
		wt.Add("README")
		sig := &object.Signature{Name: "ann", Email: "ann@lib.example", When: time.Now().AddDate(0, 0, -10*(i+1))}
		if _, err := wt.Commit("c", &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`clones: {dir: clones}
mirrors: [{from: "https://git.example.org/", to: "file://`+dir+`/mirror/"}]
projects:
  - {name: a, repo: "https://git.example.org/o/a"}
osv: {api_url: "off"}
report: {lang: en, formats: [json]}
`), 0o644)
	db := filepath.Join(dir, "queued.db")
	ctx, cancel := context.WithCancel(context.Background())
	g := &globals{configPath: cfg, db: db}
	worker := newWorkerCmd(g)
	var wout bytes.Buffer
	worker.SetOut(&wout)
	worker.SetErr(&wout)
	worker.SetArgs([]string{"--concurrency", "2"})
	done := make(chan error, 1)
	go func() { done <- worker.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("worker: %v\n%s", err, wout.String())
		}
	}()
	c, err := g.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	s, err := openSession(ctx, &out, g, c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := queueCollect(ctx, s, pipeline.Targets(s.cfg), []string{"gitlocal", "license"}, false); err != nil {
		t.Fatalf("collect --queue: %v\n%s", err, out.String())
	}
	// gitlocal and license for a: 2 jobs, neither skipped for want of a clone
	if !strings.Contains(out.String(), "2 jobs on the queue") {
		t.Errorf("output:\n%s", out.String())
	}
	got := strings.Join(facts(t, db), "\n")
	for _, want := range []string{`git.example.org/o/a gitlocal gitlocal.commits_12m 3.00`, `git.example.org/o/a clones clones.source_held 1.00`} {
		if !strings.Contains(got, want) {
			t.Errorf("stored facts lack %q:\n%s", want, got)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "clones", "git.example.org+o+a", ".git")); err != nil {
		t.Errorf("no clone in clones.dir: %v", err)
	}
}
