package server

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/scheduler"
)

// Metrics are the process's counters, written in the Prometheus text
// exposition format (version 0.0.4) by hand: a few counters do not
// justify the client library and its dependencies.
type Metrics struct {
	mu         sync.Mutex
	jobRuns    map[[2]string]float64 // job, outcome
	jobSeconds map[string]*summary   // job
	calls      map[string]float64    // source: API requests
	notMod     map[string]float64    // source: 304s
	retries    map[string]float64    // source
	errs       map[string]float64    // source: failed collections
	obs        map[string]float64    // source: observations stored
	rate       map[string]float64    // source: rate limit remaining
	httpReqs   map[[2]string]float64 // route, code
	httpSecs   map[string]*summary   // route
}

type summary struct{ sum, count float64 }

// NewMetrics returns empty metrics.
func NewMetrics() *Metrics {
	return &Metrics{jobRuns: map[[2]string]float64{}, jobSeconds: map[string]*summary{}, calls: map[string]float64{},
		notMod: map[string]float64{}, retries: map[string]float64{}, errs: map[string]float64{}, obs: map[string]float64{},
		rate: map[string]float64{}, httpReqs: map[[2]string]float64{}, httpSecs: map[string]*summary{}}
}

func add(m map[string]*summary, k string, v float64) {
	s := m[k]
	if s == nil {
		s = &summary{}
		m[k] = s
	}
	s.sum += v
	s.count++
}

// ObserveJob counts a finished job run (scheduler.Options.OnFinish).
func (m *Metrics) ObserveJob(st scheduler.Status) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.jobRuns[[2]string{st.Name, st.LastOutcome}]++
	add(m.jobSeconds, st.Name, st.LastDuration.Seconds())
}

// ObserveCollect adds a collection's API calls, errors and observations.
func (m *Metrics) ObserveCollect(sum *pipeline.CollectSummary) {
	if sum == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for src, c := range sum.Cost {
		m.calls[src] += float64(c.Requests)
		m.notMod[src] += float64(c.NotModified)
		m.retries[src] += float64(c.Retries)
		if c.RateRemaining >= 0 {
			m.rate[src] = float64(c.RateRemaining)
		}
	}
	for src, n := range sum.BySource {
		m.obs[src] += float64(n)
	}
	for _, f := range sum.Failed {
		m.errs[f.Source]++
	}
}

func (m *Metrics) observeHTTP(route string, code int, took time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.httpReqs[[2]string{route, strconv.Itoa(code)}]++
	add(m.httpSecs, route, took.Seconds())
}

// expo writes metric families.
type expo struct {
	w   io.Writer
	err error
}

func (e *expo) family(name, typ, help string) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
	}
}

func (e *expo) sample(name string, v float64, labels ...string) {
	if e.err != nil {
		return
	}
	var b strings.Builder
	b.WriteString(name)
	if len(labels) > 0 {
		b.WriteByte('{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(labels[i])
			b.WriteString(`="`)
			b.WriteString(labelEscaper.Replace(labels[i+1]))
			b.WriteByte('"')
		}
		b.WriteByte('}')
	}
	b.WriteByte(' ')
	b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	b.WriteByte('\n')
	_, e.err = io.WriteString(e.w, b.String())
}

var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

func sortedPairs(m map[[2]string]float64) [][2]string {
	return slices.SortedFunc(maps.Keys(m), func(a, b [2]string) int {
		if c := strings.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return strings.Compare(a[1], b[1])
	})
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	counts, err := s.opt.Store.RunCounts(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var jobs []scheduler.Status
	if s.opt.Jobs != nil {
		jobs = s.opt.Jobs.Status()
	}
	var buf bytes.Buffer // written out once the lock is released
	defer func() {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(buf.Bytes())
	}()
	e := &expo{w: &buf}

	e.family("osgauge_runs", "gauge", "Stored runs by kind and status (running, complete, partial, failed, interrupted).")
	for _, c := range counts {
		e.sample("osgauge_runs", float64(c.N), "kind", c.Kind, "status", c.Status)
	}

	e.family("osgauge_job_running", "gauge", "1 while the job runs.")
	for _, j := range jobs {
		v := 0.0
		if j.Running {
			v = 1
		}
		e.sample("osgauge_job_running", v, "job", j.Name)
	}
	e.family("osgauge_job_next_run_timestamp_seconds", "gauge", "When the job fires next (Unix time; absent without a schedule).")
	for _, j := range jobs {
		if !j.NextRun.IsZero() {
			e.sample("osgauge_job_next_run_timestamp_seconds", float64(j.NextRun.Unix()), "job", j.Name)
		}
	}
	e.family("osgauge_job_last_end_timestamp_seconds", "gauge", "When the job's last run ended (Unix time).")
	for _, j := range jobs {
		if !j.LastEnd.IsZero() {
			e.sample("osgauge_job_last_end_timestamp_seconds", float64(j.LastEnd.Unix()), "job", j.Name, "outcome", j.LastOutcome)
		}
	}
	e.family("osgauge_job_skipped_total", "counter", "Fires and manual triggers skipped because the job was still running (since the job was first stored).")
	for _, j := range jobs {
		e.sample("osgauge_job_skipped_total", float64(j.Skipped), "job", j.Name)
	}

	if s.opt.Queue != nil {
		if qs, err := s.opt.Queue.Stats(r.Context()); err == nil {
			e.family("osgauge_queue_jobs", "gauge", "Jobs in the durable queue, by state (available, running, retryable, scheduled, completed, discarded, cancelled, pending).")
			for _, st := range slices.Sorted(maps.Keys(qs.ByState)) {
				e.sample("osgauge_queue_jobs", float64(qs.ByState[st]), "state", st)
			}
			e.family("osgauge_queue_depth", "gauge", "Jobs waiting to run (available, retryable, scheduled, pending).")
			e.sample("osgauge_queue_depth", float64(qs.Depth))
			e.family("osgauge_queue_workers", "gauge", "Worker processes seen in their last three heartbeats.")
			e.sample("osgauge_queue_workers", float64(qs.Workers))
		}
	}
	if budgets, err := s.opt.Store.BudgetState(r.Context()); err == nil && len(budgets) > 0 {
		e.family("osgauge_api_budget_remaining", "gauge", "API requests left in the current rate-limit window, per credential (a hash, never the token), shared by every worker.")
		for _, b := range budgets {
			e.sample("osgauge_api_budget_remaining", float64(b.Remaining), "credential", b.Key)
		}
		e.family("osgauge_api_budget_reset_timestamp_seconds", "gauge", "When the credential's rate-limit window resets (Unix time).")
		for _, b := range budgets {
			if !b.Reset.IsZero() {
				e.sample("osgauge_api_budget_reset_timestamp_seconds", float64(b.Reset.Unix()), "credential", b.Key)
			}
		}
		e.family("osgauge_api_budget_blocked_until_timestamp_seconds", "gauge", "Until when the credential backs off a secondary limit or Retry-After (Unix time).")
		for _, b := range budgets {
			if !b.BlockedUntil.IsZero() {
				e.sample("osgauge_api_budget_blocked_until_timestamp_seconds", float64(b.BlockedUntil.Unix()), "credential", b.Key)
			}
		}
	}

	m := s.opt.Metrics
	m.mu.Lock()
	defer m.mu.Unlock()
	e.family("osgauge_job_runs_total", "counter", "Job runs finished by this process, by outcome.")
	for _, k := range sortedPairs(m.jobRuns) {
		e.sample("osgauge_job_runs_total", m.jobRuns[k], "job", k[0], "outcome", k[1])
	}
	e.family("osgauge_job_duration_seconds", "summary", "Duration of job runs finished by this process.")
	for _, k := range slices.Sorted(maps.Keys(m.jobSeconds)) {
		e.sample("osgauge_job_duration_seconds_sum", m.jobSeconds[k].sum, "job", k)
		e.sample("osgauge_job_duration_seconds_count", m.jobSeconds[k].count, "job", k)
	}
	for _, f := range []struct {
		name, typ, help string
		m               map[string]float64
	}{
		{"osgauge_collect_api_calls_total", "counter", "API requests made by collections, by source.", m.calls},
		{"osgauge_collect_api_not_modified_total", "counter", "API requests answered 304 Not Modified (free against the rate limit), by source.", m.notMod},
		{"osgauge_collect_api_retries_total", "counter", "API requests retried, by source.", m.retries},
		{"osgauge_collect_errors_total", "counter", "Collections that failed for a subject, by source.", m.errs},
		{"osgauge_collect_observations_total", "counter", "Observations stored, by source.", m.obs},
		{"osgauge_rate_limit_remaining", "gauge", "API rate limit remaining after the last collection, by source.", m.rate},
	} {
		e.family(f.name, f.typ, f.help)
		for _, src := range slices.Sorted(maps.Keys(f.m)) {
			e.sample(f.name, f.m[src], "source", src)
		}
	}
	e.family("osgauge_http_requests_total", "counter", "HTTP requests served, by route and status code.")
	for _, k := range sortedPairs(m.httpReqs) {
		e.sample("osgauge_http_requests_total", m.httpReqs[k], "route", k[0], "code", k[1])
	}
	e.family("osgauge_http_request_duration_seconds", "summary", "HTTP request durations, by route.")
	for _, k := range slices.Sorted(maps.Keys(m.httpSecs)) {
		e.sample("osgauge_http_request_duration_seconds_sum", m.httpSecs[k].sum, "route", k)
		e.sample("osgauge_http_request_duration_seconds_count", m.httpSecs[k].count, "route", k)
	}
}
