package scheduler

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// LeaderLockKey is the PostgreSQL advisory lock the serve nodes of one
// store compete for: its holder is the leader and fires the schedule, and
// holds it for as long as it leads. It is "osg-lead" in ASCII, distinct
// from the store's migration lock ("osgauge", store/migrate.go) and the
// queue's ("osgqueue", queue/queue.go), which every process takes at start:
// sharing a key with either would block workers and other nodes for ever.
const LeaderLockKey int64 = 0x6f73672d6c656164 // "osg-lead"

// leaderApp prefixes the application_name of the leader's session, which
// names the node (Elector.ID) for the followers (Leader).
const leaderApp = "osgauge leader "

// Elector decides which of several `osgauge serve` nodes on one store
// fires the schedule. On PostgreSQL the leader holds a session-level
// advisory lock on a connection of its own: when the leader's process dies
// its session ends, the lock is released, and another node takes it at
// its next try (every Retry, so a handover takes at most Retry plus the
// time the server takes to notice the dead session). When a node stops
// leading for any other reason (its schedule ended, the lock's session
// did not answer, ctx was cancelled) the session is ended, not returned
// to the pool, so that the lock goes with it. On SQLite (one machine, one
// serve) a node leads at once.
type Elector struct {
	DB     *sql.DB
	Driver string // "sqlite" or "postgres"
	// ID names this node to the others (e.g. its host and listen address):
	// it is the lock session's application_name while it leads, read by
	// Leader.
	ID string
	// Retry is how often a follower tries to take the lock and the leader
	// checks that it still holds it (default 5 s).
	Retry  time.Duration
	Logger *slog.Logger

	// probe checks that the lock's session still holds the lock (tests
	// replace it to force an error).
	probe func(ctx context.Context, conn *sql.Conn) (bool, error)
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
		conn, ok, err := e.tryLock(ctx, retry)
		switch {
		case err != nil:
			log.Warn("leader election: cannot reach the store", "err", err)
		case ok:
			log.Info("leader election: this node leads the schedule", "node", e.ID)
			e.holdAndLead(ctx, conn, retry, lead, log)
			endSession(conn) // the lock goes with the session
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

// endSession closes conn's session instead of returning it to the pool:
// database/sql discards a connection whose Raw call says it is bad, and
// closing it ends the PostgreSQL session, releasing its advisory locks. A
// pooled session would keep the lock, idle, until the pool dropped it.
func endSession(conn *sql.Conn) {
	conn.Raw(func(any) error { return driver.ErrBadConn })
	conn.Close()
}

// tryLock takes the advisory lock on a connection of its own and, when it
// got it, names the session after the node.
func (e *Elector) tryLock(ctx context.Context, timeout time.Duration) (*sql.Conn, bool, error) {
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := e.DB.Conn(tctx)
	if err != nil {
		return nil, false, err
	}
	var ok bool
	if err := conn.QueryRowContext(tctx, `SELECT pg_try_advisory_lock($1)`, LeaderLockKey).Scan(&ok); err != nil {
		// The lock may have been granted with the answer lost: end the
		// session rather than pool it.
		endSession(conn)
		return nil, false, fmt.Errorf("pg_try_advisory_lock: %w", err)
	}
	if !ok {
		conn.Close() // holds nothing: back to the pool
		return nil, false, nil
	}
	if _, err := conn.ExecContext(tctx, `SELECT set_config('application_name', $1, false)`, leaderApp+e.ID); err != nil {
		endSession(conn)
		return nil, false, fmt.Errorf("naming the leader's session: %w", err)
	}
	return conn, true, nil
}

// held reports whether conn's session holds the leader lock.
func held(ctx context.Context, conn *sql.Conn) (bool, error) {
	var ok bool
	err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted
		AND ((classid::bigint << 32) | objid::bigint) = $1)`, LeaderLockKey).Scan(&ok)
	return ok, err
}

// holdAndLead runs lead while the lock's session answers.
func (e *Elector) holdAndLead(ctx context.Context, conn *sql.Conn, retry time.Duration, lead func(context.Context), log *slog.Logger) {
	probe := e.probe
	if probe == nil {
		probe = held
	}
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
			ok, err := probe(pctx, conn)
			pcancel()
			if err != nil || !ok {
				log.Warn("leader election: the lock's session is gone", "err", err)
				cancel()
				<-done
				return
			}
		}
	}
}

// ErrNoLeader is Leader's answer when no node holds the leader lock.
var ErrNoLeader = errors.New("no serve node leads the schedule")

// Leader returns the ID of the node that leads the schedule on a
// PostgreSQL store (the application_name of the session that holds the
// leader lock), or ErrNoLeader.
func Leader(ctx context.Context, db *sql.DB) (string, error) {
	var app sql.NullString
	err := db.QueryRowContext(ctx, `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
		WHERE l.locktype = 'advisory' AND l.granted AND ((l.classid::bigint << 32) | l.objid::bigint) = $1 LIMIT 1`, LeaderLockKey).Scan(&app)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", ErrNoLeader
	case err != nil:
		return "", err
	}
	id := app.String
	if len(id) >= len(leaderApp) && id[:len(leaderApp)] == leaderApp {
		id = id[len(leaderApp):]
	}
	return id, nil
}

// NotLeaderError is what a manual trigger gets on a node that does not
// lead the schedule: Leader names the node that does ("" when unknown).
type NotLeaderError struct {
	Leader string
}

// ErrNotLeader matches a NotLeaderError with errors.Is.
var ErrNotLeader = errors.New("this serve node does not lead the schedule")

func (e *NotLeaderError) Error() string {
	if e.Leader == "" {
		return ErrNotLeader.Error() + " and no node leads it now: try again in a few seconds, or run osgauge collect --queue"
	}
	return ErrNotLeader.Error() + ": " + e.Leader + " does; trigger the job there, or run osgauge collect --queue"
}

func (e *NotLeaderError) Is(target error) bool { return target == ErrNotLeader }
