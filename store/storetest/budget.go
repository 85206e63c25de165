package storetest

import (
	"context"
	"testing"
	"time"
)

// Budget is a shared API budget (forge.Budget; *store.Store and
// forge.MemBudget are ones).
type Budget interface {
	BudgetTake(ctx context.Context, key string, now time.Time) (time.Duration, error)
	BudgetObserve(ctx context.Context, key string, remaining int, reset time.Time, now time.Time) error
	BudgetBlock(ctx context.Context, key string, until time.Time) error
}

// BudgetSequence checks b against the shared budget rules
// (store.BudgetEntry), with waits worked by hand. Key k, t0 = the clock's
// start; the window ends at t0+1h.
func BudgetSequence(t testing.TB, b Budget) {
	t.Helper()
	ctx := context.Background()
	t0 := time.Unix(1_700_000_000, 0)
	reset := t0.Add(time.Hour)
	take := func(at time.Time, want time.Duration) {
		t.Helper()
		got, err := b.BudgetTake(ctx, "k", at)
		if err != nil || got != want {
			t.Fatalf("take at t0+%v: wait %v %v, want %v", at.Sub(t0), got, err, want)
		}
	}
	observe := func(at time.Time, remaining int, reset time.Time) {
		t.Helper()
		if err := b.BudgetObserve(ctx, "k", remaining, reset, at); err != nil {
			t.Fatal(err)
		}
	}
	// Unknown key: takes pass and are pending (2).
	take(t0, 0)
	take(t0, 0)
	// The first answer says 9 left; the other pending request may not be
	// counted yet: 9 − (2 − 1) = 8.
	observe(t0, 9, reset)
	// Same window (a reset 2 s off is the same one): the smaller count, 8,
	// stays; a later, smaller one (7) wins.
	observe(t0, 12, reset.Add(2*time.Second))
	observe(t0, 8, reset)
	observe(t0, 7, reset)
	// 7 takes pass, the 8th waits until the reset + 1 s = 1h1s.
	for range 7 {
		take(t0, 0)
	}
	take(t0, time.Hour+time.Second)
	// An answer of an older window changes nothing.
	observe(t0, 100, t0.Add(-time.Hour))
	take(t0, time.Hour+time.Second)
	// A block from t0+10m: at t0+5m the block's 5m is waited first; once
	// it is over, the spent window's 50m1s.
	if err := b.BudgetBlock(ctx, "k", t0.Add(10*time.Minute)); err != nil {
		t.Fatal(err)
	}
	take(t0.Add(5*time.Minute), 5*time.Minute)
	take(t0.Add(10*time.Minute), 50*time.Minute+time.Second)
	// At the reset + 1 s the window is over: unknown again, 2 takes pending.
	after := reset.Add(time.Second)
	take(after, 0)
	take(after, 0)
	// A late answer of the old window is not the new one.
	observe(after, 3, reset)
	take(after, 0) // pending 3
	// The new window's first answer: 20 − (3 − 1) = 18 left.
	observe(after, 20, after.Add(time.Hour))
	for range 18 {
		take(after, 0)
	}
	take(after, time.Hour+time.Second)
	// Keys are separate.
	if w, _ := b.BudgetTake(ctx, "other", after); w != 0 {
		t.Errorf("another key waits %v", w)
	}
}
