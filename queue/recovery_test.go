package queue

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// lostAckStore writes every collection, then reports an error, every
// time: the first attempt's data is in the store, every attempt fails,
// and the job ends discarded after CollectAttempts.
type lostAckStore struct{ *store.Store }

func (s lostAckStore) AppendObservationsOnce(ctx context.Context, runID int64, subjectID, source string, obs []models.Observation) (bool, error) {
	if _, err := s.Store.AppendObservationsOnce(ctx, runID, subjectID, source, obs); err != nil {
		return false, err
	}
	return false, errors.New("connection lost after commit")
}

// growingRunner returns one more observation on each call: 1, 2, 3…
type growingRunner struct{ calls atomic.Int64 }

func (r *growingRunner) Collect(ctx context.Context, subjectID, source string) ([]models.Observation, collectors.Cost, error) {
	n := int(r.calls.Add(1))
	obs := make([]models.Observation, n)
	for i := range obs {
		v := float64(i)
		obs[i] = models.Observation{SubjectID: subjectID, Metric: source + ".m" + string(rune('a'+i)), Value: &v, Source: source, ObservedAt: time.Now().UTC()}
	}
	return obs, collectors.Cost{RateRemaining: -1}, nil
}

func fastQueue(t *testing.T, st Store) *Queue {
	t.Helper()
	q, err := Open(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	q.poll, q.fetchPoll, q.retry, q.heartbeat, q.graceful = 50*time.Millisecond, 20*time.Millisecond, fastRetry{}, time.Second, 5*time.Second
	return q
}

// testWrittenThenDiscarded: a collection whose data was written but whose
// job then failed for good (its last attempt lost, or rescued) is done:
// the run is complete, not partial, and counts what was written (1
// observation: the first attempt's; later attempts collected 2, 3, 4 and
// wrote nothing).
func testWrittenThenDiscarded(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q := fastQueue(t, lostAckStore{st})
	runID, jobs := startRun(t, st, 1, "gitlocal")
	if err := q.EnqueueRun(context.Background(), runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	r := &growingRunner{}
	work(t, q, 1, r)
	if got := waitRun(t, q, runID); got != store.RunComplete {
		t.Errorf("status %q, want complete (the collection's data is written)", got)
	}
	if got := r.calls.Load(); got != CollectAttempts {
		t.Errorf("%d attempts, want %d", got, CollectAttempts)
	}
	sum, _, err := q.Summary(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Observations != 1 || sum.BySource["gitlocal"] != 1 || len(sum.Failed) != 0 {
		t.Errorf("summary: %d observations %v, failed %+v; want 1, none failed", sum.Observations, sum.BySource, sum.Failed)
	}
	if c, o := counts(t, st, runID); c != 1 || o != 1 {
		t.Errorf("collections %d observations %d, want 1 and 1", c, o)
	}
}

// testRetryCountsWritten: the first attempt writes 1 observation and then
// "crashes"; the retry collects 2, writes nothing, and completes. The
// summary counts the 1 observation stored, not the retry's 2.
func testRetryCountsWritten(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	cs := &crashStore{Store: st, crashed: map[string]bool{}}
	q := fastQueue(t, cs)
	runID, jobs := startRun(t, st, 1, "gitlocal")
	if err := q.EnqueueRun(context.Background(), runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	r := &growingRunner{}
	work(t, q, 1, r)
	if got := waitRun(t, q, runID); got != store.RunComplete {
		t.Errorf("status %q, want complete", got)
	}
	if got := r.calls.Load(); got != 2 {
		t.Errorf("%d attempts, want 2", got)
	}
	sum, _, err := q.Summary(context.Background(), runID)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Observations != 1 || sum.BySource["gitlocal"] != 1 {
		t.Errorf("summary: %d observations %v; want 1 (what the store holds)", sum.Observations, sum.BySource)
	}
	run := storedRun(t, st, runID)
	if !contains(run.Note, "1 observations (gitlocal 1)") {
		t.Errorf("run note %q", run.Note)
	}
}

// testRecoverRuns: runs record their owner; recovery marks interrupted
// exactly the runs whose owner is gone, once, and leaves alone the runs of
// live processes and those the queue still carries.
func testRecoverRuns(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	ctx := context.Background()
	q := openQueue(t, st)
	openAnother := func() *store.Store {
		o, err := store.Open(ctx, st.DSN())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { o.Close() })
		return o
	}
	// A live process (another store on the database, heartbeating).
	other := openAnother()
	live, err := other.StartRun(ctx, "collect", "")
	if err != nil {
		t.Fatal(err)
	}
	// A process that is gone: its heartbeat is two minutes old.
	gone := openAnother()
	dead, err := gone.StartRun(ctx, "collect", "") // an in-process collect, or a collect --queue that crashed before enqueuing
	if err != nil {
		t.Fatal(err)
	}
	deadEnqueued, jobs := startRunBy(t, gone, 2, "gitlocal") // crashed after enqueuing, before handing the run to the queue
	if err := q.EnqueueRun(ctx, deadEnqueued, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	gone.Close()
	if _, err := st.DB().ExecContext(ctx, `UPDATE processes SET seen_at = seen_at - 120 WHERE id = '`+gone.ProcessID()+`'`); err != nil {
		t.Fatal(err)
	}
	// A run the queue carries (collect --queue, its workers not started yet).
	queued, jobs := startRunBy(t, st, 2, "license")
	if err := q.EnqueueRun(ctx, queued, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetRunOwner(ctx, queued, store.OwnerQueue); err != nil {
		t.Fatal(err)
	}
	// A run owned by the queue whose jobs are gone.
	lost, err := st.StartRunOwned(ctx, "collect", "", store.OwnerQueue)
	if err != nil {
		t.Fatal(err)
	}

	// The store alone (serve on one node, SQLite) leaves live processes'
	// and the queue's runs alone.
	n, err := st.MarkInterrupted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// (It cannot see the queue: the run the dead process enqueued is
	// marked too; RecoverRuns below knows better.)
	if n != 2 || storedRun(t, st, dead).Status != store.RunInterrupted {
		t.Errorf("MarkInterrupted marked %d runs, want 2 (the dead process's runs)", n)
	}
	for _, id := range []int64{live, queued, lost} {
		if got := storedRun(t, st, id).Status; got != store.RunRunning {
			t.Errorf("run %d is %s after MarkInterrupted, want running", id, got)
		}
	}
	// Undo, to see RecoverRuns do it all.
	if _, err := st.DB().ExecContext(ctx, `UPDATE runs SET status = 'running' WHERE status = 'interrupted'`); err != nil {
		t.Fatal(err)
	}

	got, err := RecoverRuns(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := []int64{dead, lost}; !slices.Equal(got, want) {
		t.Errorf("RecoverRuns interrupted %v, want %v", got, want)
	}
	want := map[int64]string{live: store.RunRunning, dead: store.RunInterrupted, deadEnqueued: store.RunRunning,
		queued: store.RunRunning, lost: store.RunInterrupted}
	for id, w := range want {
		if r := storedRun(t, st, id); r.Status != w {
			t.Errorf("run %d is %s, want %s", id, r.Status, w)
		}
	}
	// Once: a second recovery (another node, a later leader) finds nothing.
	if again, err := RecoverRuns(ctx, st); err != nil || len(again) != 0 {
		t.Errorf("second RecoverRuns: %v, %v", again, err)
	}
	// The run enqueued by the dead process now belongs to the queue and
	// completes when a worker comes.
	work(t, q, 2, &fakeRunner{})
	if got := waitRun(t, q, deadEnqueued); got != store.RunComplete {
		t.Errorf("run %d: %s", deadEnqueued, got)
	}
}

// startRunBy is startRun on the given store (the owner of the run).
func startRunBy(t *testing.T, st *store.Store, n int, source string) (int64, []CollectJob) {
	t.Helper()
	runID, jobs := startRun(t, st, n, source)
	return runID, jobs
}

func TestSQLiteRecoverRuns(t *testing.T)          { testRecoverRuns(t, sqliteStore) }
func TestSQLiteWrittenThenDiscarded(t *testing.T) { testWrittenThenDiscarded(t, sqliteStore) }
func TestSQLiteRetryCountsWritten(t *testing.T)   { testRetryCountsWritten(t, sqliteStore) }
