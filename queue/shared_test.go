package queue

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// The tests below run on SQLite (sqlite_test.go) and on PostgreSQL
// (postgres_test.go, build tag postgres) through the same functions.

type newStoreFunc func(t *testing.T) *store.Store

// fakeRunner answers every collection with two observations, except the
// (subject, source) pairs in fail, which always fail.
type fakeRunner struct {
	name  string
	delay time.Duration
	fail  map[string]bool // subject/source
	calls atomic.Int64
	mu    sync.Mutex
	by    map[string]int // subject/source → calls
}

func (r *fakeRunner) Collect(ctx context.Context, subjectID, source string) ([]models.Observation, collectors.Cost, error) {
	r.calls.Add(1)
	r.mu.Lock()
	if r.by == nil {
		r.by = map[string]int{}
	}
	r.by[subjectID+"/"+source]++
	r.mu.Unlock()
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-ctx.Done():
			return nil, collectors.Cost{}, ctx.Err()
		}
	}
	if r.fail[subjectID+"/"+source] {
		return nil, collectors.Cost{Requests: 1, RateRemaining: -1}, errors.New("upstream said no")
	}
	v1, v2 := 1.0, 2.0
	now := time.Now().UTC()
	return []models.Observation{
		{SubjectID: subjectID, Metric: source + ".one", Value: &v1, Source: source, ObservedAt: now},
		{SubjectID: subjectID, Metric: source + ".two", Value: &v2, Source: source, ObservedAt: now},
	}, collectors.Cost{Requests: 3, NotModified: 1, RateRemaining: -1}, nil
}

// fastRetry retries a failed job at once.
type fastRetry struct{}

func (fastRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(10 * time.Millisecond) }

func openQueue(t *testing.T, st *store.Store) *Queue {
	t.Helper()
	q, err := Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	q.poll = 50 * time.Millisecond
	q.fetchPoll = 20 * time.Millisecond
	q.retry = fastRetry{}
	q.graceful = 5 * time.Second
	q.heartbeat = time.Second
	return q
}

// work runs q.Work in the background until the test ends.
func work(t *testing.T, q *Queue, concurrency int, r Runner) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Work(ctx, concurrency, r) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Work: %v", err)
		}
	})
}

// startRun starts a run of n subjects × the sources and returns its id and
// jobs.
func startRun(t *testing.T, st *store.Store, n int, sources ...string) (int64, []CollectJob) {
	t.Helper()
	ctx := context.Background()
	runID, err := st.StartRun(ctx, "collect", "")
	if err != nil {
		t.Fatal(err)
	}
	var jobs []CollectJob
	for i := range n {
		id := fmt.Sprintf("github.com/example/p%d", i)
		if err := st.PutSubject(ctx, models.Subject{ID: id, Kind: models.KindProject, Name: fmt.Sprintf("p%d", i)}); err != nil {
			t.Fatal(err)
		}
		for _, src := range sources {
			jobs = append(jobs, CollectJob{SubjectID: id, Source: src})
		}
	}
	return runID, jobs
}

func waitRun(t *testing.T, q *Queue, runID int64) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var last [2]int
	status, err := q.Wait(ctx, runID, func(done, total int) { last = [2]int{done, total} })
	if err != nil {
		t.Fatal(err)
	}
	if last[0] != last[1] {
		t.Errorf("progress ended at %d/%d", last[0], last[1])
	}
	return status
}

func storedRun(t *testing.T, st *store.Store, runID int64) store.Run {
	t.Helper()
	runs, err := st.Runs(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.ID == runID {
			return r
		}
	}
	t.Fatalf("run %d not stored", runID)
	return store.Run{}
}

func counts(t *testing.T, st *store.Store, runID int64) (collections, observations int) {
	t.Helper()
	ctx := context.Background()
	c, err := st.RunCollections(ctx, runID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := st.RunObservations(ctx, runID)
	if err != nil {
		t.Fatal(err)
	}
	return c, o
}

// testRunCompletes: N subjects × 2 sources → N×2 collections, each
// observation once, run complete with the summary of an in-process run.
func testRunCompletes(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q := openQueue(t, st)
	const n = 6
	runID, jobs := startRun(t, st, n, "gitlocal", "license")
	if err := q.EnqueueRun(context.Background(), runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	r := &fakeRunner{}
	work(t, q, 3, r)
	if got := waitRun(t, q, runID); got != store.RunComplete {
		t.Fatalf("status %q, want complete", got)
	}
	c, o := counts(t, st, runID)
	if c != n*2 || o != n*2*2 {
		t.Errorf("collections %d observations %d, want %d and %d", c, o, n*2, n*2*2)
	}
	if got := r.calls.Load(); got != n*2 {
		t.Errorf("runner called %d times, want %d", got, n*2)
	}
	run := storedRun(t, st, runID)
	if run.Status != store.RunComplete || run.FinishedAt.IsZero() {
		t.Errorf("stored run %+v", run)
	}
	sum, pending, err := q.Summary(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	// 6 subjects × 2 observations per source; cost 3 requests per collection.
	if pending != 0 || sum.Observations != 24 || sum.BySource["gitlocal"] != 12 || sum.BySource["license"] != 12 ||
		sum.Cost["gitlocal"].Requests != 18 || sum.Cost["license"].NotModified != 6 || len(sum.Failed) != 0 {
		t.Errorf("summary %+v", sum)
	}
}

// testRunPartial: a source that always fails for one subject makes the run
// partial with that failure named, after CollectAttempts tries.
func testRunPartial(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q := openQueue(t, st)
	runID, jobs := startRun(t, st, 3, "gitlocal", "license")
	bad := jobs[3] // p1/license
	r := &fakeRunner{fail: map[string]bool{bad.SubjectID + "/" + bad.Source: true}}
	if err := q.EnqueueRun(context.Background(), runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	work(t, q, 2, r)
	if got := waitRun(t, q, runID); got != store.RunPartial {
		t.Fatalf("status %q, want partial", got)
	}
	r.mu.Lock()
	tries := r.by[bad.SubjectID+"/"+bad.Source]
	r.mu.Unlock()
	if tries != CollectAttempts {
		t.Errorf("failing collection tried %d times, want %d", tries, CollectAttempts)
	}
	c, o := counts(t, st, runID)
	if c != 5 || o != 10 {
		t.Errorf("collections %d observations %d, want 5 and 10", c, o)
	}
	run := storedRun(t, st, runID)
	if run.Status != store.RunPartial {
		t.Errorf("stored status %q", run.Status)
	}
	sum, _, err := q.Summary(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) != 1 || sum.Failed[0].Subject != bad.SubjectID || sum.Failed[0].Source != "license" ||
		sum.Failed[0].Error != "upstream said no (after 4 attempts)" {
		t.Errorf("failures %+v", sum.Failed)
	}
	if !contains(run.Stats, bad.SubjectID) || !contains(run.Stats, "upstream said no") {
		t.Errorf("stored stats do not name the failure: %s", run.Stats)
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// crashStore commits the first write of each collection and then reports
// an error, as a worker that dies between the store's commit and River's
// completion would: River retries the job.
type crashStore struct {
	*store.Store
	mu      sync.Mutex
	crashed map[string]bool
	written []bool
}

func (c *crashStore) AppendObservationsOnce(ctx context.Context, runID int64, subjectID, source string, obs []models.Observation) (bool, error) {
	w, err := c.Store.AppendObservationsOnce(ctx, runID, subjectID, source, obs)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.written = append(c.written, w)
	if err == nil && !c.crashed[subjectID+"/"+source] {
		c.crashed[subjectID+"/"+source] = true
		return false, errors.New("connection lost after commit")
	}
	return w, err
}

// testRetryAfterCrash: every collection is worked twice (the first attempt
// "crashes" after its commit); the observations are stored once.
func testRetryAfterCrash(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	cs := &crashStore{Store: st, crashed: map[string]bool{}}
	q, err := Open(context.Background(), cs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	q.poll, q.fetchPoll, q.retry, q.heartbeat = 50*time.Millisecond, 20*time.Millisecond, fastRetry{}, time.Second
	runID, jobs := startRun(t, st, 3, "gitlocal", "license")
	if err := q.EnqueueRun(context.Background(), runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	r := &fakeRunner{}
	work(t, q, 2, r)
	if got := waitRun(t, q, runID); got != store.RunComplete {
		t.Fatalf("status %q, want complete", got)
	}
	if got := r.calls.Load(); got != 12 {
		t.Errorf("runner called %d times, want 12 (every job twice)", got)
	}
	cs.mu.Lock()
	var w, nw int
	for _, x := range cs.written {
		if x {
			w++
		} else {
			nw++
		}
	}
	cs.mu.Unlock()
	if w != 6 || nw != 6 {
		t.Errorf("writes: %d written, %d already there; want 6 and 6", w, nw)
	}
	c, o := counts(t, st, runID)
	if c != 6 || o != 12 {
		t.Errorf("collections %d observations %d, want 6 and 12 (once each)", c, o)
	}
	sum, _, err := q.Summary(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Observations != 12 {
		t.Errorf("summary observations %d, want 12", sum.Observations)
	}
}

// testUnique: enqueuing the same run twice adds no job.
func testUnique(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q := openQueue(t, st)
	ctx := context.Background()
	runID, jobs := startRun(t, st, 4, "gitlocal", "license")
	for range 2 {
		if err := q.EnqueueRun(ctx, runID, jobs, RunOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := q.runJobs(ctx, runID, KindCollect, KindFinish)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4*2+1 {
		t.Errorf("%d jobs, want %d", len(all), 4*2+1)
	}
	// Inserting one collection again by itself is skipped as a duplicate.
	res, err := q.b.insertMany(ctx, []river.InsertManyParams{{Args: CollectArgs{RunID: runID, SubjectID: jobs[0].SubjectID, Source: jobs[0].Source}}})
	if err != nil {
		t.Fatal(err)
	}
	if !res[0].UniqueSkippedAsDuplicate {
		t.Error("a duplicate collection was inserted")
	}
	s, err := q.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if s.ByState["available"] != 9 || s.Depth != 9 || s.Workers != 0 {
		t.Errorf("stats %+v", s)
	}
}

// testTwoWorkers: two worker processes (two Queue clients) on one store
// share a run's work, each collection done once.
func testTwoWorkers(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q1, q2 := openQueue(t, st), openQueue(t, st)
	runID, jobs := startRun(t, st, 8, "gitlocal", "license")
	if err := q1.EnqueueRun(context.Background(), runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	r1, r2 := &fakeRunner{name: "one", delay: 40 * time.Millisecond}, &fakeRunner{name: "two", delay: 40 * time.Millisecond}
	work(t, q1, 1, r1)
	work(t, q2, 1, r2)
	// Both workers' heartbeats are seen while they work.
	deadline := time.Now().Add(10 * time.Second)
	for {
		s, err := q1.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if s.Workers == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats see %d workers, want 2", s.Workers)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if got := waitRun(t, q2, runID); got != store.RunComplete {
		t.Fatalf("status %q", got)
	}
	n1, n2 := r1.calls.Load(), r2.calls.Load()
	if n1 == 0 || n2 == 0 || n1+n2 != 16 {
		t.Errorf("worker one did %d, worker two %d; want both > 0, 16 in all", n1, n2)
	}
	c, o := counts(t, st, runID)
	if c != 16 || o != 32 {
		t.Errorf("collections %d observations %d, want 16 and 32", c, o)
	}
}

// testConcurrentOpen: several processes opening the queue at once on a
// fresh store all succeed (River's migrations applied once).
func testConcurrentOpen(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q, err := Open(context.Background(), st)
			if err == nil {
				q.Close()
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// testStages: a finished run chains evidence, assess and report on a
// Runner that has the stages.
func testStages(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q := openQueue(t, st)
	runID, jobs := startRun(t, st, 2, "gitlocal")
	r := &stageRunner{done: make(chan struct{})}
	if err := q.EnqueueRun(context.Background(), runID, jobs, RunOptions{Then: &Then{Evidence: true, Period: "2026Q4", Formats: []string{"json"}}}); err != nil {
		t.Fatal(err)
	}
	work(t, q, 2, r)
	if got := waitRun(t, q, runID); got != store.RunComplete {
		t.Fatalf("status %q", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := q.WaitAll(ctx, runID); err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.done:
	default:
		t.Fatal("WaitAll returned before the report ran")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if fmt.Sprint(r.steps) != "[evidence assess 2026Q4 report 2026Q4 [json]]" {
		t.Errorf("steps %v", r.steps)
	}
}

type stageRunner struct {
	fakeRunner
	mu    sync.Mutex
	steps []string
	done  chan struct{}
}

func (s *stageRunner) Evidence(context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, "evidence")
	return 0, nil
}

func (s *stageRunner) Assess(_ context.Context, period string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, "assess "+period)
	return nil
}

func (s *stageRunner) Report(_ context.Context, period string, formats []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, fmt.Sprintf("report %s %v", period, formats))
	close(s.done)
	return nil
}
