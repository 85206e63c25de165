package queue

import (
	"context"
	"errors"
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

func TestSQLiteWrittenThenDiscarded(t *testing.T) { testWrittenThenDiscarded(t, sqliteStore) }
func TestSQLiteRetryCountsWritten(t *testing.T)   { testRetryCountsWritten(t, sqliteStore) }
