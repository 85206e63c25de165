// Package queue runs collection runs as durable jobs on River
// (riverqueue/river), in the store's own database: PostgreSQL for many
// machines, SQLite for one. `osgauge collect --queue` enqueues a run (one
// collect_subject job per subject and source, plus a finish_run job, in one
// transaction); `osgauge worker` processes take the jobs.
//
// Every job is idempotent. A collection writes its observations with the
// store's exactly-once write, so a job retried after a crash between the
// write and River's completion writes nothing the second time. The run
// stays "running" until every collection of it is finalized; the finisher
// then marks it complete, or partial with the failures listed, exactly as
// an in-process `osgauge collect` does, and chains the post-collection
// stages (supplier evidence, then optionally assess and report).
package queue

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/osgauge/osgauge/models"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

// Store is what the queue needs from the store (*store.Store implements
// it): which database it is, and the writes the jobs make.
type Store interface {
	// Driver is "sqlite" or "postgres".
	Driver() string
	// DSN is the SQLite path or the PostgreSQL connection string. It is a
	// secret: the queue never logs it or puts it in an error.
	DSN() string
	// AppendObservationsOnce writes one (run, subject, source) collection
	// and its observations in one transaction; a second call for the same
	// triple writes nothing and returns false.
	AppendObservationsOnce(ctx context.Context, runID int64, subjectID, source string, obs []models.Observation) (written bool, err error)
	// FinishRun marks a run finished with a status, a note and a summary.
	FinishRun(ctx context.Context, id int64, status, note string, stats any) error
}

// Queue is a River client on the store's database.
type Queue struct {
	st  Store
	b   backend
	log *slog.Logger

	// Tunables; the defaults suit production, tests shorten them.
	poll       time.Duration // how often Wait and the finisher look at a run
	fetchPoll  time.Duration // River's FetchPollInterval
	retry      river.ClientRetryPolicy
	jobTimeout time.Duration
	rescue     time.Duration // a job still running after this is taken for a dead worker's and run again
	graceful   time.Duration // Work: how long in-flight jobs may finish after ctx is done
	heartbeat  time.Duration
	deadAfter  time.Duration // a worker unseen for this long is dead: its running jobs run again (work.go)

	stopping atomic.Bool // set before in-flight jobs are cancelled: they snooze instead of failing
}

// Defaults.
const (
	// CollectAttempts is how often a collection is tried before its failure
	// is recorded (River's exponential backoff between tries).
	CollectAttempts = 4
	// JobTimeout bounds one job (a scorecard or forge collection of a large
	// project can take minutes; River's default is one minute).
	JobTimeout = 30 * time.Minute
	// GracefulStop is how long a stopping worker lets running jobs finish
	// before it cancels them (they are then retried without losing an
	// attempt).
	GracefulStop = 2 * time.Minute
)

// Open opens a River client on the store's database and applies River's
// migrations (safe when several processes start at once: PostgreSQL takes
// an advisory lock, SQLite an immediate write transaction).
func Open(ctx context.Context, st Store) (*Queue, error) {
	q := &Queue{
		st:         st,
		log:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		poll:       2 * time.Second,
		fetchPoll:  time.Second,
		jobTimeout: JobTimeout,
		rescue:     JobTimeout + 15*time.Minute,
		graceful:   GracefulStop,
		heartbeat:  10 * time.Second,
		deadAfter:  DeadAfter,
	}
	var err error
	switch st.Driver() {
	case "postgres":
		q.b, err = openPostgres(ctx, st.DSN(), q)
	case "sqlite", "":
		q.b, err = openSQLite(ctx, st.DSN(), q)
	default:
		return nil, fmt.Errorf("queue: unsupported store driver %q", st.Driver())
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}

// SetLogger replaces the logger River and the workers write to (default:
// warnings and errors on stderr).
func (q *Queue) SetLogger(l *slog.Logger) { q.log = l }

// SetRescueAfter sets how long a job may stay running before it is taken
// for the job of a worker that died (killed, its machine lost) and run
// again; a job is cancelled after two thirds of it. Running a job twice is
// safe (its observations are written once), so a short value only costs
// API calls when a live job is slow.
func (q *Queue) SetRescueAfter(d time.Duration) {
	if d > 0 {
		q.rescue, q.jobTimeout = d, d*2/3
	}
}

// Close closes the queue's own connections (not the store's).
func (q *Queue) Close() error { return q.b.close() }

// backend is the part of River that depends on the driver's transaction
// type (pgx.Tx or *sql.Tx).
type backend interface {
	insertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	list(ctx context.Context, params *river.JobListParams) ([]*rivertype.JobRow, error)
	// work starts a working client; stop stops it gracefully (soft) or by
	// cancelling its jobs.
	work(ctx context.Context, cfg *river.Config) (stopper, error)
	exec(ctx context.Context, query string, args ...any) error
	queryCounts(ctx context.Context, query string, args ...any) (map[string]int, error)
	close() error
}

type stopper interface {
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

type riverBackend[TTx any] struct {
	driver riverdriver.Driver[TTx]
	client *river.Client[TTx]
	db     dbRunner
	closer func()
}

func newBackend[TTx any](driver riverdriver.Driver[TTx], db dbRunner, closer func(), q *Queue) (*riverBackend[TTx], error) {
	client, err := river.NewClient(driver, &river.Config{Logger: q.log})
	if err != nil {
		closer()
		return nil, fmt.Errorf("queue: %w", err)
	}
	return &riverBackend[TTx]{driver: driver, client: client, db: db, closer: closer}, nil
}

func (b *riverBackend[TTx]) insertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error) {
	return b.client.InsertMany(ctx, params)
}

func (b *riverBackend[TTx]) list(ctx context.Context, params *river.JobListParams) ([]*rivertype.JobRow, error) {
	var out []*rivertype.JobRow
	params = params.First(1000)
	for {
		res, err := b.client.JobList(ctx, params)
		if err != nil {
			return nil, err
		}
		out = append(out, res.Jobs...)
		if len(res.Jobs) < 1000 {
			return out, nil
		}
		params = params.After(res.LastCursor)
	}
}

func (b *riverBackend[TTx]) work(ctx context.Context, cfg *river.Config) (stopper, error) {
	c, err := river.NewClient(b.driver, cfg)
	if err != nil {
		return nil, err
	}
	// Jobs inherit Start's context: a cancelled ctx would cancel them at
	// once. Work stops the client itself, gracefully first.
	if err := c.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	return c, nil
}

func (b *riverBackend[TTx]) exec(ctx context.Context, query string, args ...any) error {
	return b.db.exec(ctx, query, args...)
}

func (b *riverBackend[TTx]) queryCounts(ctx context.Context, query string, args ...any) (map[string]int, error) {
	return b.db.counts(ctx, query, args...)
}

func (b *riverBackend[TTx]) close() error { b.closer(); return nil }

// dbRunner runs the queue's few queries of its own (state counts, worker
// heartbeats), written with ? placeholders.
type dbRunner interface {
	exec(ctx context.Context, query string, args ...any) error
	// counts runs a query returning (key, count) rows.
	counts(ctx context.Context, query string, args ...any) (map[string]int, error)
}

type sqlRunner struct{ db *sql.DB }

func (r sqlRunner) exec(ctx context.Context, query string, args ...any) error {
	_, err := r.db.ExecContext(ctx, query, args...)
	return err
}

func (r sqlRunner) counts(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := r.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

type pgRunner struct{ pool *pgxpool.Pool }

// rebind turns ? placeholders into $1, $2… (the queries hold no literal ?).
func rebind(q string) string {
	var out []byte
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = fmt.Appendf(out, "$%d", n)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

func (r pgRunner) exec(ctx context.Context, query string, args ...any) error {
	_, err := r.pool.Exec(ctx, rebind(query), args...)
	return err
}

func (r pgRunner) counts(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := r.pool.Query(ctx, rebind(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = int(n)
	}
	return out, rows.Err()
}

// workersTable holds one row per running `osgauge worker`, refreshed every
// few seconds: River does not say how many clients are alive.
const workersTable = `CREATE TABLE IF NOT EXISTS osgauge_queue_workers (
	id         TEXT PRIMARY KEY,
	host       TEXT NOT NULL,
	pid        BIGINT NOT NULL,
	started_at BIGINT NOT NULL,
	seen_at    BIGINT NOT NULL
)`

// migrateLockKey is the PostgreSQL advisory lock held while migrating the
// queue's tables: "osgqueue" in ASCII. It must differ from every other
// advisory lock osgauge takes on the same database — the store's migration
// lock ("osgauge", store/migrate.go) and the serve nodes' leader lock
// ("osg-lead", scheduler.LeaderLockKey), which its holder keeps for as long
// as it leads: a shared key would block every worker at start.
const migrateLockKey = 0x6f73677175657565 // "osgqueue"

func openPostgres(ctx context.Context, dsn string, q *Queue) (backend, error) {
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		// pgx redacts the password; still, the DSN is never repeated here.
		return nil, errors.New("queue: PostgreSQL connection settings: " + redact(err))
	}
	if err := migratePostgres(ctx, pool, q.log); err != nil {
		pool.Close()
		return nil, err
	}
	b, err := newBackend[pgx.Tx](riverpgxv5.New(pool), pgRunner{pool}, pool.Close, q)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func migratePostgres(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return errors.New("queue: connect to PostgreSQL: " + redact(err))
	}
	defer conn.Release()
	// Several workers starting together: one migrates, the others wait and
	// then find nothing to do.
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(migrateLockKey)); err != nil {
		return fmt.Errorf("queue: migration lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(migrateLockKey))
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: River migrations: %w", err)
	}
	if _, err := conn.Exec(ctx, workersTable); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return nil
}

func openSQLite(ctx context.Context, path string, q *Queue) (backend, error) {
	v := url.Values{}
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "synchronous(NORMAL)")
	// Every transaction takes the write lock when it begins, so that two
	// processes never fail upgrading a read to a write (SQLITE_BUSY): they
	// wait their turn instead (busy_timeout).
	v.Add("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+v.Encode())
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	// River's advice for SQLite: one connection per process.
	db.SetMaxOpenConns(1)
	if err := migrateSQLite(ctx, db, q.log); err != nil {
		db.Close()
		return nil, err
	}
	b, err := newBackend[*sql.Tx](riversqlite.New(db), sqlRunner{db}, func() { db.Close() }, q)
	if err != nil {
		return nil, err
	}
	return b, nil
}

func migrateSQLite(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	// One immediate transaction: a second process waits for the first to
	// commit, then finds every migration applied.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	defer tx.Rollback()
	//lint:ignore SA1019 SQLite DDL is transactional; one transaction is what makes concurrent starts safe.
	if _, err := m.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("queue: River migrations: %w", err)
	}
	if _, err := tx.ExecContext(ctx, workersTable); err != nil {
		return fmt.Errorf("queue: %w", err)
	}
	return tx.Commit()
}

// redact keeps an error message from repeating a connection string.
func redact(err error) string {
	msg := err.Error()
	if u, perr := url.Parse(msg); perr == nil && u.User != nil {
		return "invalid connection string"
	}
	for _, marker := range []string{"postgres://", "postgresql://", "password="} {
		if i := strings.Index(strings.ToLower(msg), marker); i >= 0 {
			return msg[:i] + "…(connection string withheld)"
		}
	}
	return msg
}
