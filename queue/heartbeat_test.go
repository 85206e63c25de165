package queue

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// hangRunner is a worker that froze (as a killed process does): its
// collection never returns, whatever its context says, until released.
type hangRunner struct {
	started chan struct{}
	release chan struct{}
}

func (r *hangRunner) Collect(ctx context.Context, subjectID, source string) ([]models.Observation, collectors.Cost, error) {
	close(r.started)
	<-r.release
	return nil, collectors.Cost{RateRemaining: -1}, context.Canceled
}

// testDeadWorker: worker A takes the run's one collection and then stops
// heartbeating (its heartbeat interval is an hour: a killed process);
// worker B, with a 2 s dead-after, runs A's job again long before the
// rescue-after limit (45 min by default) and the run completes, its
// observations written once.
func testDeadWorker(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	qa, qb := openQueue(t, st), openQueue(t, st)
	qa.heartbeat = time.Hour // A beats once, when it starts, then never again
	qb.heartbeat = 200 * time.Millisecond
	qb.SetDeadAfter(2 * time.Second)
	ctx := context.Background()
	runID, jobs := startRun(t, st, 1, "gitlocal")
	if err := qa.EnqueueRun(ctx, runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	ra := &hangRunner{started: make(chan struct{}), release: make(chan struct{})}
	work(t, qa, 1, ra)
	t.Cleanup(func() { close(ra.release) }) // runs before A's Work is stopped
	select {
	case <-ra.started:
	case <-time.After(20 * time.Second):
		t.Fatal("worker A never took the job")
	}
	rb := &fakeRunner{name: "b"}
	work(t, qb, 1, rb)

	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	status, err := qb.Wait(wctx, runID, nil)
	if err != nil {
		t.Fatalf("run not finished while worker A is dead: %v (its job waits for --rescue-after)", err)
	}
	if status != store.RunComplete {
		t.Errorf("status %q, want complete", status)
	}
	if got := rb.calls.Load(); got != 1 {
		t.Errorf("worker B collected %d times, want 1", got)
	}
	if c, o := counts(t, st, runID); c != 1 || o != 2 {
		t.Errorf("collections %d observations %d, want 1 and 2", c, o)
	}
	// The rescued job says why it ran again.
	all, err := qb.runJobs(ctx, runID, KindCollect)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || len(all[0].Errors) != 1 || !contains(all[0].Errors[0].Error, "stopped heartbeating") {
		t.Errorf("rescued job %+v", all[0])
	}
}

// testLiveWorkerKept: a live worker's slow job is not taken from it.
func testLiveWorkerKept(t *testing.T, newStore newStoreFunc) {
	st := newStore(t)
	q := openQueue(t, st)
	q.heartbeat = 100 * time.Millisecond
	q.SetDeadAfter(time.Second)
	ctx := context.Background()
	runID, jobs := startRun(t, st, 1, "gitlocal")
	if err := q.EnqueueRun(ctx, runID, jobs, RunOptions{}); err != nil {
		t.Fatal(err)
	}
	r := &fakeRunner{delay: 3 * time.Second}
	work(t, q, 2, r)
	if got := waitRun(t, q, runID); got != store.RunComplete {
		t.Fatalf("status %q", got)
	}
	if got := r.calls.Load(); got != 1 {
		t.Errorf("collected %d times, want 1 (a live worker's job was rescued)", got)
	}
	all, err := q.b.list(ctx, river.NewJobListParams().States(rivertype.JobStateCompleted))
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range all {
		if len(j.Errors) > 0 && j.Kind == KindCollect {
			t.Errorf("job %d has errors %+v", j.ID, j.Errors)
		}
	}
}

func TestSQLiteDeadWorker(t *testing.T)     { testDeadWorker(t, sqliteStore) }
func TestSQLiteLiveWorkerKept(t *testing.T) { testLiveWorkerKept(t, sqliteStore) }
