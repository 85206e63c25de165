//go:build postgres

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/store/storetest"
)

// faultGitHub is a GitHub Enterprise-style API on loopback that answers
// every repository o/rN as an empty project, after latency, and enforces a
// rate limit of limit requests per window: a request beyond it is counted
// as a violation (and refused as GitHub would).
type faultGitHub struct {
	srv        *httptest.Server
	latency    time.Duration
	limit      int
	window     time.Duration
	mu         sync.Mutex
	windowEnd  time.Time
	used       int
	requests   int
	violations int
	overAt     []string // window start + offset of each request over the limit
}

func newFaultGitHub(t *testing.T, latency time.Duration, limit int, window time.Duration) *faultGitHub {
	f := &faultGitHub{latency: latency, limit: limit, window: window}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *faultGitHub) serve(w http.ResponseWriter, r *http.Request) {
	time.Sleep(f.latency)
	now := time.Now()
	f.mu.Lock()
	if !now.Before(f.windowEnd) {
		f.windowEnd = now.Truncate(f.window).Add(f.window)
		f.used = 0
	}
	f.requests++
	f.used++
	over := f.used > f.limit
	if over {
		f.violations++
		f.overAt = append(f.overAt, fmt.Sprintf("%s+%s", f.windowEnd.Add(-f.window).Format("15:04:05"), now.Sub(f.windowEnd.Add(-f.window)).Round(time.Millisecond)))
	}
	remaining, reset := max(f.limit-f.used, 0), f.windowEnd
	f.mu.Unlock()
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-RateLimit-Limit", strconv.Itoa(f.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	if over {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"API rate limit exceeded","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}`)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/api/v3")
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) == 3 && parts[0] == "repos" {
		fmt.Fprintf(w, `{"id":1,"name":%q,"full_name":"o/%s","private":false,"fork":false,"archived":false,"disabled":false,
			"html_url":"%s/o/%s","default_branch":"main","stargazers_count":3,"forks_count":1,"subscribers_count":1,
			"open_issues_count":0,"created_at":"2024-01-02T03:04:05Z","pushed_at":"2026-11-01T00:00:00Z",
			"owner":{"login":"o","id":7,"type":"Organization"}}`, parts[2], parts[2], f.srv.URL, parts[2])
		return
	}
	io.WriteString(w, `[]`) // commits, releases, tags, issues, comments, contents, advisories
}

func (f *faultGitHub) counts() (requests, violations int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests, f.violations
}

// faultCluster is a config of n projects on the fake GitHub with a
// PostgreSQL store, and the osgauge binary to run workers with.
type faultCluster struct {
	t   *testing.T
	bin string
	cfg string
	env []string
	st  *store.Store
}

func buildOsgauge(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "osgauge")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

func newFaultCluster(t *testing.T, bin string, gh *faultGitHub, n int) *faultCluster {
	dsn := storetest.PostgresDSN(t)
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "github: {api_url: %s/api/v3/, token_env: FAULT_TOKEN, concurrency: 8}\nstore: {driver: postgres, dsn_env: FAULT_PG}\nprojects:\n", gh.srv.URL)
	for i := range n {
		fmt.Fprintf(&b, "  - {name: r%d, repo: %s/o/r%d}\n", i, gh.srv.URL, i)
	}
	cfg := filepath.Join(dir, "osgauge.yaml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	env := append(os.Environ(), "FAULT_TOKEN=ghp_fault", "FAULT_PG="+dsn)
	return &faultCluster{t: t, bin: bin, cfg: cfg, env: env, st: st}
}

// enqueue runs `collect --queue --no-wait --only github` and returns the run.
func (c *faultCluster) enqueue() int64 {
	c.t.Helper()
	cmd := exec.Command(c.bin, "collect", "--queue", "--no-wait", "--only", "github", "--config", c.cfg)
	cmd.Env = c.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		c.t.Fatalf("collect --queue: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`collection run (\d+):`).FindSubmatch(out)
	if m == nil {
		c.t.Fatalf("no run id in:\n%s", out)
	}
	id, _ := strconv.ParseInt(string(m[1]), 10, 64)
	return id
}

// worker starts `osgauge worker` as its own process.
func (c *faultCluster) worker(name string) *exec.Cmd {
	c.t.Helper()
	cmd := exec.Command(c.bin, "worker", "--concurrency", "8", "--rescue-after", "30s", "--config", c.cfg)
	cmd.Env = c.env
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	go func() { // keep the pipe drained; show errors only
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if l := sc.Text(); strings.Contains(l, "level=ERROR") || strings.Contains(l, "budget") || strings.Contains(l, "HTTP 403") {
				c.t.Logf("%s: %s", name, l)
			}
		}
	}()
	c.t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd
}

func (c *faultCluster) collected(run int64) int {
	n, err := c.st.RunCollections(context.Background(), run)
	if err != nil {
		c.t.Fatal(err)
	}
	return n
}

// waitRun waits until the run is finished and returns its status.
func (c *faultCluster) waitRun(run int64, timeout time.Duration) string {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		var status string
		if err := c.st.DB().QueryRow(`SELECT status FROM runs WHERE id = $1`, run).Scan(&status); err != nil {
			c.t.Fatal(err)
		}
		if status != store.RunRunning {
			return status
		}
		time.Sleep(500 * time.Millisecond)
	}
	c.t.Fatalf("run %d not finished after %s: %d collections", run, timeout, c.collected(run))
	return ""
}

// TestWorkersSurviveAKilledWorker: 2,000 subjects against a fake GitHub
// with 50 ms latency per request and a limit of 2,500 requests per 10 s
// window; three worker processes, one killed with SIGKILL mid-run and
// replaced. Every subject is collected exactly once in the finished run
// (no lost, no duplicated observation) and the limit is never exceeded.
func TestWorkersSurviveAKilledWorker(t *testing.T) {
	bin := buildOsgauge(t)
	gh := newFaultGitHub(t, 50*time.Millisecond, 2500, 10*time.Second)
	const n = 2000
	c := newFaultCluster(t, bin, gh, n)
	start := time.Now()
	run := c.enqueue()
	workers := []*exec.Cmd{c.worker("w1"), c.worker("w2"), c.worker("w3")}
	for c.collected(run) < n/4 {
		time.Sleep(200 * time.Millisecond)
	}
	killedAt := c.collected(run)
	if err := workers[0].Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	workers[0].Wait()
	c.worker("w1-restarted")
	status := c.waitRun(run, 10*time.Minute)
	took := time.Since(start)
	requests, violations := gh.counts()

	if status != store.RunComplete {
		t.Errorf("run %d ended %s", run, status)
	}
	if got := c.collected(run); got != n {
		t.Errorf("%d of %d subjects collected", got, n)
	}
	db := c.st.DB()
	var subjects, rows, dupes int
	db.QueryRow(`SELECT COUNT(DISTINCT subject_id), COUNT(*) FROM observations WHERE run_id = $1`, run).Scan(&subjects, &rows)
	db.QueryRow(`SELECT COUNT(*) FROM (SELECT subject_id, metric FROM observations WHERE run_id = $1 GROUP BY 1, 2 HAVING COUNT(*) > 1) d`, run).Scan(&dupes)
	var perSubject []int
	r, _ := db.Query(`SELECT DISTINCT c FROM (SELECT COUNT(*) AS c FROM observations WHERE run_id = $1 GROUP BY subject_id) x`, run)
	for r.Next() {
		var k int
		r.Scan(&k)
		perSubject = append(perSubject, k)
	}
	r.Close()
	if subjects != n || dupes != 0 || len(perSubject) != 1 || rows != n*perSubject[0] {
		t.Errorf("observations: %d subjects, %d rows, %d duplicated metrics, per-subject counts %v", subjects, rows, dupes, perSubject)
	}
	if violations != 0 {
		t.Errorf("the shared budget was exceeded %d times: %v", violations, gh.overAt)
	}
	t.Logf("fault run: %d subjects, worker 1 killed at %d collected, %d observations, %d API requests (limit 2,500 per 10 s), %d over the limit, %s",
		n, killedAt, rows, requests, violations, took.Round(time.Second))
}

// TestThreeWorkersThroughput: the same collection with one worker and with
// three (no rate limit in the way): three must collect at least 2.5 times
// as many subjects per second.
func TestThreeWorkersThroughput(t *testing.T) {
	bin := buildOsgauge(t)
	const n = 600
	timed := func(workers int) time.Duration {
		gh := newFaultGitHub(t, 50*time.Millisecond, 1_000_000, time.Hour)
		c := newFaultCluster(t, bin, gh, n)
		var ws []*exec.Cmd
		for i := range workers {
			ws = append(ws, c.worker(fmt.Sprintf("w%d", i+1)))
		}
		time.Sleep(3 * time.Second) // workers up and polling
		run := c.enqueue()
		// Throughput is collections per second while the workers work:
		// from the first collection written to the last (the enqueueing
		// process and the finisher cost the same whatever the workers).
		var first time.Time
		deadline := time.Now().Add(10 * time.Minute)
		for time.Now().Before(deadline) {
			k := c.collected(run)
			if k > 0 && first.IsZero() {
				first = time.Now()
			}
			if k == n {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		took := time.Since(first)
		if status := c.waitRun(run, time.Minute); status != store.RunComplete {
			t.Fatalf("%d workers: run ended %s", workers, status)
		}
		for _, w := range ws {
			w.Process.Signal(syscall.SIGTERM)
		}
		return took
	}
	one := timed(1)
	three := timed(3)
	ratio := one.Seconds() / three.Seconds()
	t.Logf("%d subjects: one worker %s (%.1f/s), three workers %s (%.1f/s): %.2f×", n, one.Round(100*time.Millisecond), float64(n-1)/one.Seconds(),
		three.Round(100*time.Millisecond), float64(n-1)/three.Seconds(), ratio)
	if ratio < 2.5 {
		t.Errorf("three workers are %.2f× as fast as one, want ≥ 2.5×", ratio)
	}
}
