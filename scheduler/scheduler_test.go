package scheduler

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "osgauge.db")
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// every is a sub-second schedule ("@every" rounds up to a second).
type every time.Duration

func (e every) Next(t time.Time) time.Time { return t.Add(time.Duration(e)) }

func stopped(t *testing.T, s *Scheduler) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatal(err)
	}
}

// waitIdle waits until the job has run at least runs times and is not running.
func waitIdle(t *testing.T, s *Scheduler, name string, runs int) Status {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		for _, st := range s.Status() {
			if st.Name == name && !st.Running && st.Runs >= runs && st.LastOutcome != store.JobRunning {
				return st
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("job %s did not finish: %+v", name, s.Status())
	return Status{}
}

func storedJob(t *testing.T, st *store.Store, name string) store.Job {
	t.Helper()
	jobs, err := st.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Name == name {
			return j
		}
	}
	t.Fatalf("job %s not stored: %+v", name, jobs)
	return store.Job{}
}

func TestSpecsAndDescriptors(t *testing.T) {
	st, _ := openStore(t)
	s := New(st, Options{})
	nop := func(context.Context) (Result, error) { return Result{}, nil }
	for _, spec := range []string{"@daily", "@weekly", "0 6 1 1,4,7,10 *", "@every 6h", "CRON_TZ=Asia/Shanghai 0 2 * * *", ""} {
		if err := s.Add(Job{Name: "j" + spec, Spec: spec, Run: nop}); err != nil {
			t.Errorf("%q: %v", spec, err)
		}
	}
	err := s.Add(Job{Name: "collect", Spec: "every day", Run: nop})
	if err == nil || !strings.Contains(err.Error(), "schedule.collect") {
		t.Errorf("bad spec: %v", err)
	}
	if err := s.Add(Job{Name: "j@daily", Spec: "@daily", Run: nop}); err == nil {
		t.Error("a job added twice is accepted")
	}
	if _, err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer stopped(t, s)
	now := time.Now()
	for _, j := range s.Status() {
		switch {
		case j.Spec == "" && !j.NextRun.IsZero():
			t.Errorf("on-demand job %q has a next run", j.Name)
		case j.Spec != "" && !j.NextRun.After(now):
			t.Errorf("%q: next run %v", j.Spec, j.NextRun)
		}
	}
	// @daily fires next at midnight; the quarterly spec on the 1st at 06:00.
	for _, j := range s.Status() {
		if j.Spec == "@daily" && (j.NextRun.Hour() != 0 || j.NextRun.Minute() != 0) {
			t.Errorf("@daily next = %v", j.NextRun)
		}
		if j.Spec == "0 6 1 1,4,7,10 *" && (j.NextRun.Day() != 1 || j.NextRun.Hour() != 6 || (j.NextRun.Month()-1)%3 != 0) {
			t.Errorf("quarterly next = %v", j.NextRun)
		}
		if sj := storedJob(t, st, j.Name); !sj.NextRun.Equal(j.NextRun) {
			t.Errorf("%s: stored next %v, in memory %v", j.Name, sj.NextRun, j.NextRun)
		}
	}
}

// Jobs fire on their schedule, never overlap themselves (a fire while
// running is skipped and counted), and record their outcome.
func TestJobsFireWithoutOverlap(t *testing.T) {
	st, _ := openStore(t)
	s := New(st, Options{})
	var running, maxRunning, runs atomic.Int32
	err := s.Add(Job{Name: "collect", Spec: "every 20ms (test)", Schedule: every(20 * time.Millisecond), Run: func(ctx context.Context) (Result, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			m := maxRunning.Load()
			if n <= m || maxRunning.CompareAndSwap(m, n) {
				break
			}
		}
		runs.Add(1)
		select { // longer than the schedule's period
		case <-time.After(90 * time.Millisecond):
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
		return Result{RunID: 7, Outcome: store.RunComplete}, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for runs.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	stopped(t, s)
	if runs.Load() < 3 {
		t.Fatalf("job ran %d times", runs.Load())
	}
	if maxRunning.Load() != 1 {
		t.Errorf("job overlapped itself: %d at once", maxRunning.Load())
	}
	got := s.Status()[0]
	if got.Skipped == 0 {
		t.Errorf("no fire skipped while running: %+v", got)
	}
	j := storedJob(t, st, "collect")
	if j.Runs != got.Runs || j.Skipped != got.Skipped || j.Runs < 3 {
		t.Errorf("stored %+v, in memory %+v", j, got)
	}
	// The last run was either complete or cancelled by Stop.
	if j.LastOutcome != store.RunComplete && j.LastOutcome != store.JobInterrupted {
		t.Errorf("last outcome %q", j.LastOutcome)
	}
	if j.LastStart.IsZero() || j.LastEnd.Before(j.LastStart) {
		t.Errorf("start %v end %v", j.LastStart, j.LastEnd)
	}
}

func TestOutcomesPanicsAndTrigger(t *testing.T) {
	st, _ := openStore(t)
	var finished []Status
	var mu sync.Mutex
	s := New(st, Options{OnFinish: func(st Status) { mu.Lock(); finished = append(finished, st); mu.Unlock() }})
	release := make(chan struct{})
	jobs := []Job{
		{Name: "ok", Run: func(context.Context) (Result, error) { return Result{RunID: 3, Outcome: store.RunPartial}, nil }},
		{Name: "fails", Run: func(context.Context) (Result, error) { return Result{RunID: 4}, errors.New("no such file") }},
		{Name: "panics", Run: func(context.Context) (Result, error) { var m map[string]int; m["x"]++; return Result{}, nil }},
		{Name: "slow", Spec: "@daily", Run: func(ctx context.Context) (Result, error) { <-release; return Result{}, nil }},
	}
	for _, j := range jobs {
		if err := s.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer stopped(t, s)
	for _, name := range []string{"ok", "fails", "panics"} {
		done, err := s.Trigger(name)
		if err != nil {
			t.Fatal(err)
		}
		<-done
	}
	want := map[string]struct{ outcome, err string }{
		"ok": {store.RunPartial, ""}, "fails": {store.JobFailed, "no such file"}, "panics": {store.JobPanicked, "assignment to entry in nil map"},
	}
	for name, w := range want {
		got := waitIdle(t, s, name, 1)
		j := storedJob(t, st, name)
		if got.LastOutcome != w.outcome || j.LastOutcome != w.outcome || !strings.Contains(j.LastError, w.err) || (w.err == "") != (j.LastError == "") {
			t.Errorf("%s: memory %q, stored %q %q; want %q %q", name, got.LastOutcome, j.LastOutcome, j.LastError, w.outcome, w.err)
		}
		wantFail := 0
		if w.err != "" {
			wantFail = 1
		}
		if j.Failures != wantFail || got.Failures != wantFail {
			t.Errorf("%s: failures %d/%d", name, j.Failures, got.Failures)
		}
	}
	if j := storedJob(t, st, "fails"); j.LastRunID != 4 {
		t.Errorf("run id %d", j.LastRunID)
	}
	// The service survives a panic: the job runs again.
	done, err := s.Trigger("panics")
	if err != nil {
		t.Fatal(err)
	}
	<-done
	if got := waitIdle(t, s, "panics", 2); got.Runs != 2 || got.Failures != 2 {
		t.Errorf("after a second panic: %+v", got)
	}
	// A trigger while running is refused (the HTTP API answers 409).
	if _, err := s.Trigger("slow"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Trigger("slow"); !errors.Is(err, ErrRunning) {
		t.Errorf("second trigger: %v", err)
	}
	if !s.Running("slow") {
		t.Error("slow is not running")
	}
	close(release)
	if got := waitIdle(t, s, "slow", 1); got.Skipped != 1 || got.NextRun.IsZero() || got.LastOutcome != store.JobOK {
		t.Errorf("slow: %+v", got)
	}
	if _, err := s.Trigger("nope"); !errors.Is(err, ErrUnknown) {
		t.Errorf("unknown job: %v", err)
	}
	mu.Lock()
	if len(finished) != 5 { // ok, fails, panics twice, slow
		t.Errorf("OnFinish called %d times", len(finished))
	}
	mu.Unlock()

	// A new scheduler on the same store knows what happened last time.
	s2 := New(st, Options{})
	for _, j := range jobs {
		s2.Add(j)
	}
	if _, err := s2.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer stopped(t, s2)
	for _, got := range s2.Status() {
		if got.Name == "fails" && (got.LastOutcome != store.JobFailed || got.Runs != 1 || got.LastRunID != 4) {
			t.Errorf("reloaded: %+v", got)
		}
	}
}

// --- collections -------------------------------------------------------

// fakeCollector returns metrics observations per subject; gate, when set,
// is called first (it may block until ctx ends).
type fakeCollector struct {
	name    string
	metrics int
	value   float64
	gate    func(ctx context.Context, t collectors.Target) error
	calls   atomic.Int32
}

func (f *fakeCollector) Name() string                             { return f.name }
func (f *fakeCollector) Needs() collectors.Needs                  { return collectors.Needs{} }
func (f *fakeCollector) Applies(collectors.Target) (bool, string) { return true, "" }
func (f *fakeCollector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	f.calls.Add(1)
	if f.gate != nil {
		if err := f.gate(ctx, t); err != nil {
			return nil, collectors.Cost{RateRemaining: -1}, err
		}
	}
	var obs []models.Observation
	for i := range f.metrics {
		obs = append(obs, models.Observation{SubjectID: t.Subject.ID, Metric: fmt.Sprintf("%s.m%d", f.name, i),
			Value: models.Num(f.value), Source: f.name, ObservedAt: time.Now()})
	}
	return obs, collectors.Cost{Requests: 2, RateRemaining: 4000}, nil
}

func targets(n int) []collectors.Target {
	var out []collectors.Target
	for i := range n {
		id := fmt.Sprintf("github.com/o/r%02d", i)
		out = append(out, collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: id, Name: fmt.Sprintf("r%02d", i)}})
	}
	return out
}

const (
	nSubjects = 12
	nMetrics  = 5
)

// checkFresh checks that the latest facts are exactly one observation per
// subject and metric, from run, with value v.
func checkFresh(t *testing.T, st *store.Store, run int64, v float64) {
	t.Helper()
	ctx := context.Background()
	n, err := st.RunObservations(ctx, run)
	if err != nil || n != nSubjects*nMetrics {
		t.Errorf("run %d holds %d observations, want %d (%v)", run, n, nSubjects*nMetrics, err)
	}
	facts, err := st.LatestFacts(ctx, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for subject, metrics := range facts {
		for metric, o := range metrics {
			count++
			if o.RunID != run || *o.Value != v {
				t.Errorf("%s %s from run %d value %v, want run %d value %v", subject, metric, o.RunID, *o.Value, run, v)
			}
		}
	}
	if count != nSubjects*nMetrics {
		t.Errorf("latest facts: %d, want %d", count, nSubjects*nMetrics)
	}
}

func runStatus(t *testing.T, st *store.Store, id int64) string {
	t.Helper()
	runs, err := st.Runs(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.ID == id {
			return r.Status
		}
	}
	t.Fatalf("run %d not found", id)
	return ""
}

// A collection cancelled mid-run (graceful shutdown) is recorded as
// interrupted, never complete; what it stored stays (append-only) but is
// not used; the next collection stores every observation exactly once.
func TestCancelledCollectionIsInterruptedAndTheNextRunIsWhole(t *testing.T) {
	st, _ := openStore(t)
	ctx := context.Background()
	started := make(chan struct{}, nSubjects)
	fc := &fakeCollector{name: "fake", metrics: nMetrics, value: 1, gate: func(ctx context.Context, t collectors.Target) error {
		started <- struct{}{}
		if t.Subject.ID >= "github.com/o/r04" { // the fifth subject hangs until cancelled
			<-ctx.Done()
			return ctx.Err()
		}
		return nil
	}}
	var sums []int64
	job := CollectJob{Store: st, Targets: func() []collectors.Target { return targets(nSubjects) }, Workers: 1,
		Collectors: func() ([]collectors.Collector, error) { return []collectors.Collector{fc}, nil }}
	job.Summary = func(s *pipeline.CollectSummary) { sums = append(sums, s.RunID) }
	s := New(st, Options{})
	if err := s.Add(Job{Name: "collect", Spec: "@daily", Run: job.Func()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Trigger("collect"); err != nil {
		t.Fatal(err)
	}
	for range 5 {
		<-started
	}
	stopped(t, s) // SIGTERM: cancels the job through its context
	got := s.Status()[0]
	if got.LastOutcome != store.JobInterrupted || got.LastRunID == 0 {
		t.Fatalf("after stop: %+v", got)
	}
	first := got.LastRunID
	if status := runStatus(t, st, first); status != store.RunInterrupted {
		t.Errorf("cancelled run is %q", status)
	}
	if n, _ := st.RunObservations(ctx, first); n != 4*nMetrics {
		t.Errorf("cancelled run kept %d observations, want %d (the four finished subjects)", n, 4*nMetrics)
	}
	if facts, _ := st.LatestFacts(ctx, time.Now().Add(time.Hour)); len(facts) != 0 {
		t.Errorf("an interrupted run's observations are used: %v", facts)
	}

	// The next run (after a restart) picks up and stores everything once.
	fc.gate, fc.value = nil, 2
	s2 := New(st, Options{})
	s2.Add(Job{Name: "collect", Spec: "@daily", Run: job.Func()})
	if _, err := s2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer stopped(t, s2)
	done, err := s2.Trigger("collect")
	if err != nil {
		t.Fatal(err)
	}
	<-done
	got = waitIdle(t, s2, "collect", 1)
	if got.LastOutcome != store.RunComplete {
		t.Fatalf("second run: %+v", got)
	}
	checkFresh(t, st, got.LastRunID, 2)
	// Nothing the first run stored was lost: history keeps both.
	h, _ := st.History(ctx, "github.com/o/r00", "fake.m0")
	if len(h) != 2 || h[0].RunID != first || h[1].RunID != got.LastRunID {
		t.Errorf("history %+v", h)
	}
	if len(sums) != 2 || sums[0] != first {
		t.Errorf("summaries %v", sums)
	}
}

// A collector that panics fails for its subject; the run goes on
// (partial) and the service stays up.
func TestPanickingCollectorFailsOneSubject(t *testing.T) {
	st, _ := openStore(t)
	bad := &fakeCollector{name: "bad", metrics: 1, value: 1, gate: func(_ context.Context, t collectors.Target) error {
		if t.Subject.ID == "github.com/o/r01" {
			panic("nil pointer somewhere")
		}
		return nil
	}}
	good := &fakeCollector{name: "good", metrics: 2, value: 1}
	job := CollectJob{Store: st, Targets: func() []collectors.Target { return targets(3) }, Workers: 2,
		Collectors: func() ([]collectors.Collector, error) { return []collectors.Collector{bad, good}, nil }}
	res, err := job.Func()(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != store.RunPartial {
		t.Errorf("outcome %q", res.Outcome)
	}
	if n, _ := st.RunObservations(context.Background(), res.RunID); n != 3*2+2*1 {
		t.Errorf("%d observations", n)
	}
}
