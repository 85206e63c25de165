//go:build postgres

package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/osgauge/osgauge/store/storetest"
)

// The distributed mode under real process failures: the built binary runs
// as separate processes — two serve nodes and two workers on one
// PostgreSQL store, a fake GitHub on loopback — and is killed with SIGKILL:
//
//  1. a worker started while a node leads starts within 10 s;
//  2. kill -9 of a worker mid-run: the run completes within 3 minutes with
//     the default settings, every observation written exactly once;
//  3. kill -9 of the leading node: the other fires the next slot, once;
//  4. kill -9 of everything mid-job, then a restart: the interrupted job
//     is resumed once.
func TestProcessesSurviveKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the process-level test takes about three minutes")
	}
	dsn := storetest.PostgresDSN(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "osgauge")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	forge := newSlowForge(t)
	const projects = 40
	var cfg strings.Builder
	cfg.WriteString("store: {driver: postgres, dsn_env: OSGAUGE_PG_DSN}\n")
	// A GitHub Enterprise on loopback: its API under /api/v3, its
	// repositories on its own host.
	fmt.Fprintf(&cfg, "github: {api_url: %s/api/v3/, token_env: GITHUB_TOKEN, concurrency: 2}\n", forge.URL)
	cfg.WriteString("osv: {api_url: \"off\"}\n")
	// report every 30 s: the slot the leader's death must not lose or
	// repeat; scorecard on its own (yearly) schedule so that collect runs
	// only the github and licence collectors.
	cfg.WriteString("schedule: {report: \"@every 30s\", scorecard: \"@yearly\"}\n")
	fmt.Fprintf(&cfg, "report: {out: %s, formats: [json], lang: en}\n", filepath.Join(dir, "reports"))
	cfg.WriteString("projects:\n")
	for i := range projects {
		fmt.Fprintf(&cfg, "  - {name: p%02d, repo: %s/fake/p%02d}\n", i, forge.URL, i)
	}
	cfgPath := filepath.Join(dir, "osgauge.yaml")
	if err := os.WriteFile(cfgPath, []byte(cfg.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "OSGAUGE_PG_DSN="+dsn, "GITHUB_TOKEN=fake-token", "OSGAUGE_TOKEN=")
	start := func(name string, args ...string) *proc {
		p := &proc{name: name, out: &syncBuffer{}}
		p.cmd = exec.Command(bin, append([]string{"--config", cfgPath}, args...)...)
		p.cmd.Env = env
		p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		p.done = make(chan struct{})
		go func() { p.cmd.Wait(); close(p.done) }()
		t.Cleanup(func() {
			p.kill()
			if t.Failed() {
				t.Logf("--- %s output:\n%s", name, p.out.String())
			}
		})
		return p
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	// Two serve nodes; A leads (it starts first).
	nodeA := start("serve-a", "serve", "--listen", "127.0.0.1:0")
	urlA := nodeA.waitFor(t, regexp.MustCompile(`listen=(http://127\.0\.0\.1:\d+)/`), 60*time.Second)
	waitUntil(t, 30*time.Second, "node A leads", func() bool { return leads(urlA) })
	nodeB := start("serve-b", "serve", "--listen", "127.0.0.1:0")
	urlB := nodeB.waitFor(t, regexp.MustCompile(`listen=(http://127\.0\.0\.1:\d+)/`), 60*time.Second)
	if leads(urlB) {
		t.Fatal("both nodes lead")
	}

	// 1. Workers start while a node leads.
	var workers [2]*proc
	for i := range workers {
		t0 := time.Now()
		workers[i] = start(fmt.Sprintf("worker-%d", i+1), "worker", "--concurrency", "2")
		workers[i].waitFor(t, regexp.MustCompile(`worker: taking jobs`), 10*time.Second)
		t.Logf("worker %d started in %s while node A leads", i+1, time.Since(t0).Round(time.Millisecond))
	}

	// 2. A queued collection; kill -9 of worker 1 once it has collections
	// in progress; the run completes within 3 minutes of the kill.
	forge.delay.Store(int64(400 * time.Millisecond)) // each project takes seconds
	collect := start("collect", "collect", "--queue", "--only", "github")
	runID := collect.waitFor(t, regexp.MustCompile(`collection run (\d+):`), 60*time.Second)
	waitUntil(t, 60*time.Second, "collections in progress", func() bool {
		var n int
		db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT subject_id) FROM observations WHERE run_id = $1`, runID).Scan(&n)
		return n >= 4 && forge.inflight.Load() > 0
	})
	workers[0].kill()
	killed := time.Now()
	select {
	case <-collect.done:
	case <-time.After(3 * time.Minute):
		t.Fatalf("the run was not complete 3 minutes after a worker was killed:\n%s", collect.out.String())
	}
	t.Logf("run %s complete %s after worker 1 was killed", runID, time.Since(killed).Round(time.Second))
	if code := collect.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("collect --queue exited %d", code)
	}
	var status string
	db.QueryRowContext(ctx, `SELECT status FROM runs WHERE id = $1`, runID).Scan(&status)
	if status != "complete" {
		t.Errorf("run %s: status %q, want complete", runID, status)
	}
	// Exactly once: every project has the github observations of one
	// collection, and no metric twice.
	var subjects, dupes int
	db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT subject_id) FROM observations WHERE run_id = $1 AND source = 'github'`, runID).Scan(&subjects)
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT subject_id, metric FROM observations WHERE run_id = $1
		GROUP BY subject_id, metric HAVING COUNT(*) > 1) d`, runID).Scan(&dupes)
	if subjects != projects || dupes != 0 {
		t.Errorf("run %s: github observations for %d projects, %d metrics written twice; want %d and 0", runID, subjects, dupes, projects)
	}
	forge.delay.Store(0)

	// 3. kill -9 of the leading node right after it fired the report job:
	// node B takes over and fires the next slot, once.
	reportRuns := func() (runs int, owner string) {
		db.QueryRowContext(ctx, `SELECT runs, owner FROM jobs WHERE name = 'report'`).Scan(&runs, &owner)
		return
	}
	before, _ := reportRuns()
	waitUntil(t, 45*time.Second, "node A fires the report job", func() bool { n, _ := reportRuns(); return n > before })
	fired, ownerA := reportRuns()
	nodeA.kill()
	t.Logf("node A (%s) killed after its report run %d", ownerA, fired)
	waitUntil(t, 20*time.Second, "node B leads", func() bool { return leads(urlB) })
	// @every 30s from B's start: one slot within 40 s of the kill, and
	// the one after it not before 55 s.
	waitUntil(t, 45*time.Second, "node B fires the next report slot", func() bool { n, _ := reportRuns(); return n > fired })
	time.Sleep(5 * time.Second)
	after, ownerB := reportRuns()
	if after != fired+1 || ownerB == ownerA || ownerB == "" {
		t.Errorf("after the leader's death: report started %d more times by %q; want once, by node B (not %q)", after-fired, ownerB, ownerA)
	}

	// 4. Everything killed while node B runs a collection; restarted, the
	// interrupted collection runs again once.
	forge.delay.Store(int64(300 * time.Millisecond))
	if code := postRun(t, urlB, "collect"); code != http.StatusAccepted {
		t.Fatalf("POST /api/v1/runs on the leader: %d, want 202", code)
	}
	var interruptedRun int64
	waitUntil(t, 30*time.Second, "node B's collection under way", func() bool {
		db.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM runs WHERE kind = 'collect' AND status = 'running' AND owner <> 'queue'`).Scan(&interruptedRun)
		return interruptedRun > 0 && forge.inflight.Load() > 0
	})
	var collectsBefore int
	db.QueryRowContext(ctx, `SELECT runs FROM jobs WHERE name = 'collect'`).Scan(&collectsBefore)
	nodeB.kill()
	workers[1].kill()
	forge.delay.Store(0)
	for _, name := range []string{"serve-a2", "serve-b2"} {
		p := start(name, "serve", "--listen", "127.0.0.1:0")
		p.waitFor(t, regexp.MustCompile(`listen=(http://127\.0\.0\.1:\d+)/`), 60*time.Second)
	}
	waitUntil(t, 90*time.Second, "the interrupted collection resumed and finished", func() bool {
		var outcome string
		db.QueryRowContext(ctx, `SELECT last_outcome FROM jobs WHERE name = 'collect'`).Scan(&outcome)
		var n int
		db.QueryRowContext(ctx, `SELECT runs FROM jobs WHERE name = 'collect'`).Scan(&n)
		return n > collectsBefore && outcome != "running"
	})
	time.Sleep(2 * time.Second) // room for a second, wrong, resume
	var oldStatus string
	var resumedRuns, collectsAfter int
	db.QueryRowContext(ctx, `SELECT status FROM runs WHERE id = $1`, interruptedRun).Scan(&oldStatus)
	db.QueryRowContext(ctx, `SELECT COUNT(*) FROM runs WHERE kind = 'collect' AND owner <> 'queue' AND id > $1`, interruptedRun).Scan(&resumedRuns)
	db.QueryRowContext(ctx, `SELECT runs FROM jobs WHERE name = 'collect'`).Scan(&collectsAfter)
	if oldStatus != "interrupted" || resumedRuns != 1 || collectsAfter != collectsBefore+1 {
		t.Errorf("after the restart: run %d is %q, %d new collect runs, the job started %d more times; want interrupted, 1, 1",
			interruptedRun, oldStatus, resumedRuns, collectsAfter-collectsBefore)
	}
}

// proc is one osgauge process.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

// kill sends SIGKILL: no deferred cleanup, no graceful stop.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// waitFor waits for re in the process's output and returns its first group.
func (p *proc) waitFor(t *testing.T, re *regexp.Regexp, d time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.out.String()); m != nil {
			if len(m) > 1 {
				return m[1]
			}
			return m[0]
		}
		select {
		case <-p.done:
			t.Fatalf("%s exited before printing %q:\n%s", p.name, re, p.out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("%s: no %q within %s:\n%s", p.name, re, d, p.out.String())
	return ""
}

func waitUntil(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s within %s", what, d)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// leads says whether the node at url schedules: its status names a next run.
func leads(url string) bool {
	resp, err := http.Get(url + "/api/v1/status")
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	var st struct {
		Leader *bool `json:"leader"`
	}
	if json.NewDecoder(resp.Body).Decode(&st) != nil || st.Leader == nil {
		return false
	}
	return *st.Leader
}

func postRun(t *testing.T, url, kind string) int {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/runs", strings.NewReader(`{"kind":"`+kind+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// slowForge is a fake GitHub REST API in its real response shapes, as
// little as the collector needs: every repository exists, is a year old
// and has no history; lists are empty; GraphQL is absent. Each answer
// waits delay, so that collections are in progress when a process dies.
type slowForge struct {
	*httptest.Server
	delay    atomic.Int64
	inflight atomic.Int64
}

func newSlowForge(t *testing.T) *slowForge {
	f := &slowForge{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.inflight.Add(1)
		defer f.inflight.Add(-1)
		time.Sleep(time.Duration(f.delay.Load()))
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-RateLimit-Limit", "5000")
		h.Set("X-RateLimit-Remaining", "4999")
		h.Set("X-RateLimit-Used", "1")
		h.Set("X-RateLimit-Reset", fmt.Sprint(time.Now().Add(time.Hour).Unix()))
		h.Set("X-RateLimit-Resource", "core")
		seg := strings.Split(strings.Trim(strings.TrimPrefix(r.URL.Path, "/api/v3"), "/"), "/")
		notFound := func() {
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"Not Found","documentation_url":"https://docs.github.com/rest","status":"404"}`))
		}
		switch {
		case r.Method != http.MethodGet || len(seg) < 3 || seg[0] != "repos":
			notFound()
		case len(seg) == 3:
			full := seg[1] + "/" + seg[2]
			fmt.Fprintf(w, `{"id":1,"node_id":"R_1","name":%q,"full_name":%q,"private":false,"owner":{"login":%q,"id":2,"type":"Organization"},
				"html_url":"https://github.com/%s","description":"a test project","fork":false,"archived":false,"disabled":false,
				"default_branch":"main","created_at":"2025-01-01T00:00:00Z","updated_at":"2026-11-01T00:00:00Z","pushed_at":"2026-11-01T00:00:00Z",
				"stargazers_count":10,"watchers_count":10,"forks_count":2,"open_issues_count":0,"has_issues":true,
				"license":{"key":"mit","name":"MIT License","spdx_id":"MIT"}}`, seg[2], full, seg[1], full)
		case seg[3] == "stats":
			w.WriteHeader(http.StatusAccepted)
			w.Write([]byte("{}"))
		case seg[3] == "contents" || seg[3] == "license" || seg[3] == "community":
			notFound()
		default:
			w.Write([]byte("[]"))
		}
	}))
	t.Cleanup(f.Server.Close)
	return f
}
