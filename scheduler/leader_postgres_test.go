//go:build postgres

package scheduler

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/store/storetest"
)

// Two serve nodes on one PostgreSQL store: only the leader fires the
// schedule; when the leader dies (its connections close, as when its
// process is killed) the other takes the lock and fires the next run; no
// scheduled slot runs twice.
func TestTwoNodesOneLeader(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	const period = 400 * time.Millisecond
	var mu sync.Mutex
	type fire struct {
		node string
		at   time.Time
	}
	var fires []fire
	node := func(name string) (*store.Store, context.CancelFunc, chan struct{}) {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		el := &Elector{DB: st.DB(), Driver: st.Driver(), Retry: 200 * time.Millisecond}
		go func() {
			defer close(done)
			el.Run(ctx, func(lctx context.Context) {
				s := New(st, Options{Shared: true})
				s.Add(Job{Name: "collect", Schedule: every(period), Run: func(context.Context) (Result, error) {
					mu.Lock()
					fires = append(fires, fire{name, time.Now()})
					mu.Unlock()
					return Result{}, nil
				}})
				if _, err := s.Start(lctx); err != nil {
					t.Error(err)
					return
				}
				<-lctx.Done()
				sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
				defer c()
				s.Stop(sctx)
			})
		}()
		return st, cancel, done
	}
	stA, cancelA, doneA := node("A")
	time.Sleep(300 * time.Millisecond) // A takes the lock first
	stB, cancelB, doneB := node("B")
	defer func() { cancelB(); <-doneB; stB.Close() }()
	time.Sleep(2 * time.Second)
	count := func(n string) (k int) {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range fires {
			if f.node == n {
				k++
			}
		}
		return k
	}
	if count("A") < 3 || count("B") != 0 {
		t.Fatalf("before the kill: A fired %d, B fired %d; want A only", count("A"), count("B"))
	}
	// Kill A: its store's connections close without unlocking, as a dead
	// process's would (the server ends the session, releasing the lock).
	killed := time.Now()
	stA.Close()
	cancelA()
	<-doneA
	deadline := time.Now().Add(time.Minute)
	for count("B") == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if count("B") == 0 {
		t.Fatal("B never fired after A died")
	}
	mu.Lock()
	var firstB time.Time
	for _, f := range fires {
		if f.node == "B" {
			firstB = f.at
			break
		}
	}
	// No slot twice: consecutive fires are at least most of a period apart.
	for i := 1; i < len(fires); i++ {
		if gap := fires[i].at.Sub(fires[i-1].at); gap < period/2 {
			t.Errorf("fires %d (%s) and %d (%s) only %s apart", i-1, fires[i-1].node, i, fires[i].node, gap)
		}
	}
	mu.Unlock()
	t.Logf("B fired %s after A died", firstB.Sub(killed).Round(10*time.Millisecond))
}
