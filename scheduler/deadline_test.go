package scheduler

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// stuckStore is a store cut off by a partition: JobFinished answers only
// when its context ends (as a query on a dead TCP connection does).
type stuckStore struct {
	*store.Store
	once     sync.Once
	entered  chan struct{}
	deadline atomic.Bool
}

func (r *stuckStore) JobFinished(ctx context.Context, name string, end time.Time, outcome, errMsg string, runID int64, next time.Time, failure bool) error {
	_, ok := ctx.Deadline()
	r.deadline.Store(ok)
	r.once.Do(func() { close(r.entered) })
	<-ctx.Done()
	return ctx.Err()
}

// within runs f and fails the test if it has not returned after d.
func within(t *testing.T, what string, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s did not return within %s", what, d)
	}
}

// A store write that hangs neither blocks Status (what /metrics and
// /api/v1/status read) nor keeps Stop from returning; the write itself has
// a deadline.
func TestStuckStoreBlocksNeitherStatusNorStop(t *testing.T) {
	st, _ := openStore(t)
	rec := &stuckStore{Store: st, entered: make(chan struct{})}
	const timeout = 400 * time.Millisecond
	s := New(rec, Options{StoreTimeout: timeout})
	s.Add(Job{Name: "collect", Run: func(context.Context) (Result, error) { return Result{RunID: 3}, nil }})
	if _, err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Trigger("collect"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-rec.entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the job's end was never recorded")
	}
	// The end's write hangs now.
	within(t, "Status during a hung write", 100*time.Millisecond, func() { s.Status() })
	within(t, "Running during a hung write", 100*time.Millisecond, func() { s.Running("collect") })
	start := time.Now()
	within(t, "Stop during a hung write", 3*time.Second, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Stop(ctx); err != nil {
			t.Error(err)
		}
	})
	if took := time.Since(start); took > timeout+time.Second {
		t.Errorf("Stop took %s, want about the store timeout %s", took, timeout)
	}
	if !rec.deadline.Load() {
		t.Error("JobFinished was called without a deadline")
	}
	got := s.Status()[0]
	if got.Running || got.LastOutcome != store.JobOK || got.LastRunID != 3 {
		t.Errorf("after Stop: %+v; want finished ok, run 3", got)
	}
}

// blockedStart is a store whose JobStarted hangs until its context ends.
type blockedStart struct{ *store.Store }

func (r blockedStart) JobStarted(ctx context.Context, name string, start, next time.Time) error {
	<-ctx.Done()
	return ctx.Err()
}

// A hung start record neither blocks Trigger nor keeps the job from
// running once the store timeout passed.
func TestStuckStartRecordDelaysTheJobOnly(t *testing.T) {
	st, _ := openStore(t)
	s := New(blockedStart{st}, Options{StoreTimeout: 300 * time.Millisecond})
	ran := make(chan struct{})
	s.Add(Job{Name: "report", Run: func(context.Context) (Result, error) { close(ran); return Result{}, nil }})
	if _, err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	within(t, "Trigger with a hung store", 100*time.Millisecond, func() {
		if _, err := s.Trigger("report"); err != nil {
			t.Error(err)
		}
	})
	within(t, "Status with a hung store", 100*time.Millisecond, func() { s.Status() })
	select {
	case <-ran:
	case <-time.After(3 * time.Second):
		t.Fatal("the job never ran")
	}
	stopped(t, s)
}
