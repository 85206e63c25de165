package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// `collect --queue` with a worker gives the same observations as a plain
// `collect`, on SQLite, with local-only collectors (gitlocal and license on
// test-made repositories).
func TestQueueCollectMatchesCollect(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	dir := t.TempDir()
	lic, _ := os.ReadFile("../../LICENSE")
	var projects strings.Builder
	for p, authors := range [][]string{{"ann", "bob"}, {"cat"}, {"dan", "eve", "fay"}} {
		name := fmt.Sprintf("lib%d", p)
		path := filepath.Join(dir, "clones", name)
		repo, err := git.PlainInit(path, false)
		if err != nil {
			t.Fatal(err)
		}
		wt, _ := repo.Worktree()
		os.WriteFile(filepath.Join(path, "LICENSE"), lic, 0o644)
		wt.Add("LICENSE")
		start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
		for i := range 6 {
			a := authors[i%len(authors)]
			f := fmt.Sprintf("f%d.go", i)
			os.WriteFile(filepath.Join(path, f), []byte("package lib\n"), 0o644)
			wt.Add(f)
			sig := &object.Signature{Name: a, Email: a + "@lib.example", When: start.AddDate(0, 0, 7*i)}
			if _, err := wt.Commit("change "+f, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Fprintf(&projects, "  - {name: %s, repo: https://github.com/example/%s, local_path: clones/%s}\n", name, name, name)
	}
	// A project whose clone is missing: skipped by both, for the same reason.
	projects.WriteString("  - {name: gone, repo: https://github.com/example/gone, local_path: clones/gone}\n")
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte("projects:\n"+projects.String()+"osv: {api_url: \"off\"}\nreport: {lang: en, formats: [json]}\n"), 0o644)

	plainDB, queuedDB := filepath.Join(dir, "plain.db"), filepath.Join(dir, "queued.db")
	if out, err := runCLI(t, "collect", "--config", cfg, "--db", plainDB, "--only", "gitlocal,license"); err != nil {
		t.Fatalf("collect: %v\n%s", err, out)
	}

	// A worker on the queued store, as `osgauge worker` would run.
	ctx, cancel := context.WithCancel(context.Background())
	g := &globals{configPath: cfg, db: queuedDB}
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
	for _, want := range []string{"complete", "skipped:", "gitlocal: local_path", "6 jobs on the queue"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	plain, queued := facts(t, plainDB), facts(t, queuedDB)
	if len(plain) == 0 {
		t.Fatal("plain collect stored nothing")
	}
	if strings.Join(plain, "\n") != strings.Join(queued, "\n") {
		t.Errorf("observations differ:\nplain:\n%s\nqueued:\n%s", strings.Join(plain, "\n"), strings.Join(queued, "\n"))
	}
	// The queued run is complete and counts one collection per job.
	st, err := store.Open(context.Background(), queuedDB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, err := st.Runs(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var collectRun store.Run
	for _, r := range runs {
		if r.Kind == "collect" {
			collectRun = r
			break
		}
	}
	if collectRun.Status != store.RunComplete {
		t.Errorf("queued run: %+v", collectRun)
	}
	if n, err := st.RunCollections(context.Background(), collectRun.ID); err != nil || n != 6 {
		t.Errorf("collections %d (%v), want 6", n, err)
	}
}

// facts lists a store's latest observations as comparable lines (subject,
// source, metric, value, text), without times and run ids.
func facts(t *testing.T, db string) []string {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.LatestFacts(context.Background(), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for subject, m := range all {
		for metric, o := range m {
			v := "nil"
			if o.Value != nil {
				v = fmt.Sprintf("%.2f", *o.Value) // days since the last commit move on between the runs
			}
			lines = append(lines, fmt.Sprintf("%s %s %s %s %q", subject, o.Source, metric, v, o.Text))
		}
	}
	sort.Strings(lines)
	return lines
}
