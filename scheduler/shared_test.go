package scheduler

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// A new leader on a shared store fires a job whose stored next run passed
// with no start (the old leader died just before firing it), fires a job
// the old leader already started in its slot no second time, and leaves
// runs other processes hold "running" alone.
func TestSharedStartCatchesUpOnceAndLeavesRunsAlone(t *testing.T) {
	st, _ := openStore(t)
	ctx := context.Background()
	now := time.Now()
	// "missed": due 30 s ago, last started an hour ago → fire now.
	st.PutJob(ctx, "missed", "@hourly", now.Add(-30*time.Second))
	st.JobStarted(ctx, "missed", now.Add(-time.Hour), now.Add(-30*time.Second))
	st.JobFinished(ctx, "missed", now.Add(-59*time.Minute), "ok", "", 0, now.Add(-30*time.Second), false)
	// "taken": the old leader started it 30 s ago and recorded its next slot
	// in an hour → not again.
	st.PutJob(ctx, "taken", "@hourly", now.Add(time.Hour))
	st.JobStarted(ctx, "taken", now.Add(-30*time.Second), now.Add(time.Hour))
	// A queue run in progress on a worker.
	runID, _ := st.StartRun(ctx, "collect", "")

	var missed, taken atomic.Int32
	s := New(st, Options{Shared: true})
	count := func(n *atomic.Int32) Func {
		return func(context.Context) (Result, error) { n.Add(1); return Result{}, nil }
	}
	s.Add(Job{Name: "missed", Spec: "@hourly", Run: count(&missed)})
	s.Add(Job{Name: "taken", Spec: "@hourly", Run: count(&taken)})
	resumed, err := s.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	waitIdle(t, s, "missed", 2) // 1 run before + this one
	stopped(t, s)
	if missed.Load() != 1 || taken.Load() != 0 || len(resumed) != 1 || resumed[0] != "missed" {
		t.Errorf("missed ran %d, taken ran %d, resumed %v: want 1, 0, [missed]", missed.Load(), taken.Load(), resumed)
	}
	runs, _ := st.Runs(ctx, 10)
	for _, r := range runs {
		if r.ID == runID && r.Status != store.RunRunning {
			t.Errorf("a worker's run was marked %s by the new leader", r.Status)
		}
	}
}

// A new leader calls RecoverRuns once, before its schedules start; so does
// serve on one node (SQLite), whose runs may be queue runs too.
func TestRecoverRunsOncePerLeadership(t *testing.T) {
	for _, shared := range []bool{true, false} {
		st, _ := openStore(t)
		var calls atomic.Int32
		s := New(st, Options{Shared: shared, RecoverRuns: func(context.Context) error { calls.Add(1); return nil }})
		s.Add(Job{Name: "collect", Spec: "@hourly", Run: func(context.Context) (Result, error) { return Result{}, nil }})
		if _, err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		stopped(t, s)
		if got, want := calls.Load(), int32(1); got != want {
			t.Errorf("shared=%v: RecoverRuns called %d times, want %d", shared, got, want)
		}
	}
}
