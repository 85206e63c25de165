package scheduler

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// LeaderLockKey is the PostgreSQL advisory lock the serve nodes of one
// store compete for: its holder is the leader and fires the schedule.
const LeaderLockKey int64 = 0x6f7367617567 // "osgaug"

// Elector decides which of several `osgauge serve` nodes on one store
// fires the schedule. On PostgreSQL the leader holds a session-level
// advisory lock on a connection of its own: when the leader's process dies
// its session ends, the lock is released, and another node takes it at
// its next try (every Retry, so a handover takes at most Retry plus the
// time the server takes to notice the dead session). On SQLite (one
// machine, one serve) a node leads at once.
type Elector struct {
	DB     *sql.DB
	Driver string // "sqlite" or "postgres"
	// Retry is how often a follower tries to take the lock and the leader
	// checks that it still holds it (default 5 s).
	Retry  time.Duration
	Logger *slog.Logger
}

// Run calls lead with a context that is cancelled when leadership is lost
// or ctx is done, each time this node becomes the leader, until ctx is
// done. lead must return when its context is cancelled.
func (e *Elector) Run(ctx context.Context, lead func(ctx context.Context)) error {
	log := e.Logger
	if log == nil {
		log = slog.Default()
	}
	retry := e.Retry
	if retry <= 0 {
		retry = 5 * time.Second
	}
	if e.Driver != "postgres" {
		lead(ctx)
		return ctx.Err()
	}
	for {
		conn, ok, err := e.tryLock(ctx)
		switch {
		case err != nil:
			log.Warn("leader election: cannot reach the store", "err", err)
		case ok:
			log.Info("leader election: this node leads the schedule")
			e.holdAndLead(ctx, conn, retry, lead, log)
			conn.Close() // ends the session: the lock is released if still held
			if ctx.Err() == nil {
				log.Warn("leader election: leadership lost; following")
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(retry):
		}
	}
}

// tryLock takes the advisory lock on a connection of its own.
func (e *Elector) tryLock(ctx context.Context) (*sql.Conn, bool, error) {
	conn, err := e.DB.Conn(ctx)
	if err != nil {
		return nil, false, err
	}
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock($1)`, LeaderLockKey).Scan(&ok); err != nil {
		conn.Close()
		return nil, false, fmt.Errorf("pg_try_advisory_lock: %w", err)
	}
	if !ok {
		conn.Close()
		return nil, false, nil
	}
	return conn, true, nil
}

// holdAndLead runs lead while the lock's session answers.
func (e *Elector) holdAndLead(ctx context.Context, conn *sql.Conn, retry time.Duration, lead func(context.Context), log *slog.Logger) {
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		lead(lctx)
	}()
	t := time.NewTicker(retry)
	defer t.Stop()
	for {
		select {
		case <-done:
			cancel()
			return
		case <-ctx.Done():
			cancel()
			<-done
			return
		case <-t.C:
			pctx, pcancel := context.WithTimeout(ctx, retry)
			var held bool
			err := conn.QueryRowContext(pctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
				AND ((classid::bigint << 32) | objid::bigint) = $1)`, LeaderLockKey).Scan(&held)
			pcancel()
			if err != nil || !held {
				log.Warn("leader election: the lock's session is gone", "err", err)
				cancel()
				<-done
				return
			}
		}
	}
}
