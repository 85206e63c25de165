package scheduler

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// A job left running by a process that is gone is resumed by the new
// leader on a shared store, once: a second leader after it finds nothing to
// resume. A job still running in a live process (a node that lost the
// leadership and is finishing it) is neither marked nor run again.
func TestSharedLeaderResumesJobsOfGoneProcessesOnce(t *testing.T) {
	st, _ := openStore(t)
	ctx := context.Background()
	now := time.Now()
	db := st.DB()
	// "collect": started an hour ago by a process that left no heartbeat
	// (killed); its next slot is tomorrow, so only the resume can run it.
	st.PutJob(ctx, "collect", "@daily", now.Add(24*time.Hour))
	st.JobStarted(ctx, "collect", now.Add(-time.Hour), now.Add(24*time.Hour))
	if _, err := db.ExecContext(ctx, `UPDATE jobs SET owner = 'gone-host-4242-1-abcdef' WHERE name = 'collect'`); err != nil {
		t.Fatal(err)
	}
	// "scorecard": started a minute ago by a node on another host that
	// heartbeat 5 s ago: alive, finishing it.
	st.PutJob(ctx, "scorecard", "@daily", now.Add(24*time.Hour))
	st.JobStarted(ctx, "scorecard", now.Add(-time.Minute), now.Add(24*time.Hour))
	if _, err := db.ExecContext(ctx, `UPDATE jobs SET owner = 'other-host-7-1-fedcba' WHERE name = 'scorecard'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO processes (id, host, pid, started_at, seen_at) VALUES ('other-host-7-1-fedcba', 'other-host', 7, '2026-12-07T00:00:00Z', ?)`,
		now.Add(-5*time.Second).Unix()); err != nil {
		t.Fatal(err)
	}

	var collects, scorecards atomic.Int32
	count := func(n *atomic.Int32) Func {
		return func(context.Context) (Result, error) { n.Add(1); return Result{}, nil }
	}
	lead := func() []string {
		s := New(st, Options{Shared: true})
		s.Add(Job{Name: "collect", Spec: "@daily", Run: count(&collects)})
		s.Add(Job{Name: "scorecard", Spec: "@daily", Run: count(&scorecards)})
		resumed, err := s.Start(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(resumed) > 0 {
			waitIdle(t, s, resumed[0], 2) // the killed run + the resumed one
		}
		stopped(t, s)
		return resumed
	}
	if got := lead(); len(got) != 1 || got[0] != "collect" {
		t.Fatalf("first leader resumed %v, want [collect]", got)
	}
	if got := lead(); len(got) != 0 {
		t.Errorf("second leader resumed %v, want nothing (collect was resumed once already)", got)
	}
	if collects.Load() != 1 || scorecards.Load() != 0 {
		t.Errorf("collect ran %d times, scorecard %d: want 1 and 0", collects.Load(), scorecards.Load())
	}
	jobs, _ := st.Jobs(ctx)
	for _, j := range jobs {
		// collect: interrupted then resumed and finished ok; scorecard
		// still running in its live owner.
		want := map[string]string{"collect": store.JobOK, "scorecard": store.JobRunning}[j.Name]
		if j.LastOutcome != want {
			t.Errorf("job %s: outcome %q, want %q", j.Name, j.LastOutcome, want)
		}
	}
}

// Two leaders racing to recover the same store (the old lock holder and
// the new, for a moment): each job of a dead process is handed to one.
func TestMarkJobsInterruptedHandsEachJobOut(t *testing.T) {
	st, _ := openStore(t)
	ctx := context.Background()
	now := time.Now()
	for _, name := range []string{"a", "b", "c"} {
		st.PutJob(ctx, name, "@daily", now.Add(time.Hour))
		st.JobStarted(ctx, name, now.Add(-time.Hour), now.Add(time.Hour))
	}
	if _, err := st.DB().ExecContext(ctx, `UPDATE jobs SET owner = 'gone-host-1-1-000000'`); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	done := make(chan []string, 4)
	for range 4 {
		go func() {
			names, err := st.MarkJobsInterrupted(ctx)
			if err != nil {
				t.Error(err)
			}
			done <- names
		}()
	}
	for range 4 {
		for _, n := range <-done {
			got[n]++
		}
	}
	// Three jobs, four callers: each job once, whoever won it.
	if len(got) != 3 || got["a"] != 1 || got["b"] != 1 || got["c"] != 1 {
		t.Errorf("jobs handed out %v, want a, b and c once each", got)
	}
}
