//go:build postgres

package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/queue"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/store/storetest"
)

func pgOpen(t *testing.T, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// lead starts an elector that leads until the test ends; it returns once
// the node leads.
func lead(t *testing.T, el *Elector) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	leading := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		el.Run(ctx, func(lctx context.Context) { close(leading); <-lctx.Done() })
	}()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-leading:
	case <-time.After(10 * time.Second):
		t.Fatal("the elector never led")
	}
}

// tryLeaderLock takes the leader lock on a session of its own, as another
// node would; the session ends with the test.
func tryLeaderLock(t *testing.T, db *sql.DB) bool {
	t.Helper()
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ok bool
	if err := conn.QueryRowContext(context.Background(), `SELECT pg_try_advisory_lock($1)`, LeaderLockKey).Scan(&ok); err != nil {
		t.Fatal(err)
	}
	if ok {
		t.Cleanup(func() { endSession(conn) })
	} else {
		conn.Close()
	}
	return ok
}

// While a serve node leads (holding the leader lock), the queue opens
// (and takes its migration lock) at once, as `osgauge worker` and
// `collect --queue` do at start: the two locks have distinct keys.
func TestQueueOpensWhileANodeLeads(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	leader := pgOpen(t, dsn)
	lead(t, &Elector{DB: leader.DB(), Driver: leader.Driver(), ID: "node-a", Retry: time.Hour})

	worker := pgOpen(t, dsn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	q, err := queue.Open(ctx, worker)
	if err != nil {
		t.Fatalf("queue.Open while a node leads: %v (after %s)", err, time.Since(start).Round(time.Millisecond))
	}
	q.Close()
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("queue.Open took %s while a node leads", took)
	}
}

// A leader that steps down after an error on the lock's session ends the
// session: another node takes the lock at once (the pooled session used to
// keep it, idle, while this node said it followed).
func TestSteppedDownLeaderReleasesTheLock(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	a := pgOpen(t, dsn)
	var leads atomic.Int32
	stepped := make(chan struct{}, 4)
	el := &Elector{DB: a.DB(), Driver: a.Driver(), ID: "node-a", Retry: 300 * time.Millisecond,
		probe: func(context.Context, *sql.Conn) (bool, error) { return false, errors.New("forced: connection reset") }}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		el.Run(ctx, func(lctx context.Context) {
			leads.Add(1)
			<-lctx.Done()
			stepped <- struct{}{}
		})
	}()
	defer func() { cancel(); <-done }()
	select {
	case <-stepped: // led, then the forced error made it step down
	case <-time.After(10 * time.Second):
		t.Fatal("node A never stepped down")
	}
	b := pgOpen(t, dsn)
	deadline := time.Now().Add(200 * time.Millisecond) // A retries after 300 ms
	got := false
	for !got && time.Now().Before(deadline) {
		got = tryLeaderLock(t, b.DB())
		if !got {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if !got {
		t.Fatal("after node A stepped down, another node could not take the leader lock: A's pooled session still holds it")
	}
	time.Sleep(time.Second) // A tries again three times meanwhile
	if n := leads.Load(); n != 1 {
		t.Errorf("node A led %d times; want 1 (B holds the lock since A stepped down)", n)
	}
}

// The same when the leader's schedule ends on its own (lead returns).
func TestLeaderWhoseScheduleEndsReleasesTheLock(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	a := pgOpen(t, dsn)
	returned := make(chan struct{})
	el := &Elector{DB: a.DB(), Driver: a.Driver(), ID: "node-a", Retry: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		el.Run(ctx, func(context.Context) { close(returned) })
	}()
	defer func() { cancel(); <-done }()
	<-returned
	b := pgOpen(t, dsn)
	deadline := time.Now().Add(2 * time.Second)
	for !tryLeaderLock(t, b.DB()) {
		if time.Now().After(deadline) {
			t.Fatal("the lock outlived the leader's schedule")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// Followers learn who leads from the lock's session.
func TestLeaderNamesTheNode(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	a, b := pgOpen(t, dsn), pgOpen(t, dsn)
	ctx := context.Background()
	if _, err := Leader(ctx, b.DB()); !errors.Is(err, ErrNoLeader) {
		t.Errorf("before any node leads: %v, want ErrNoLeader", err)
	}
	lead(t, &Elector{DB: a.DB(), Driver: a.Driver(), ID: "host-a:8080", Retry: time.Hour})
	id, err := Leader(ctx, b.DB())
	if err != nil || id != "host-a:8080" {
		t.Errorf("Leader = %q, %v; want host-a:8080", id, err)
	}
}
