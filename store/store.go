// Package store keeps osgauge's history: runs, subjects, observations
// (append-only, with provenance) and assessment results. SQLite by default
// (modernc.org/sqlite, no cgo); PostgreSQL (pgx v5) for many users and
// machines, with the same schema, migrations and guarantees. Queries are
// written once, with ? placeholders, and rebound for PostgreSQL.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/osgauge/osgauge/models"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Run statuses. A run is "running" until it is finished; a run that never
// finishes (a crash) is never taken for complete.
const (
	RunRunning     = "running"
	RunComplete    = "complete"
	RunPartial     = "partial" // finished, but some sources failed
	RunFailed      = "failed"
	RunInterrupted = "interrupted"
)

// Store is the osgauge store, on SQLite or PostgreSQL.
type Store struct {
	db     *sql.DB
	driver string
	dsn    string

	self     string     // this process's id, recorded as the owner of the runs it starts
	beatMu   sync.Mutex // the heartbeat starts with the first run this process owns
	beating  bool
	stopBeat chan struct{}
	closed   sync.Once
}

// Open opens the store named by dsn and applies pending migrations. A DSN
// that starts with postgres:// or postgresql://, or a key=value DSN with
// host=, opens PostgreSQL (through pgx v5); anything else is the path of a
// SQLite database, created if needed.
func Open(ctx context.Context, dsn string) (*Store, error) {
	if IsPostgresDSN(dsn) {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	q := url.Values{}
	// busy_timeout first: the pragmas run in order when a connection opens.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Transactions take the write lock when they begin, so that processes
	// sharing the file wait for each other (busy_timeout) instead of
	// failing when a read in a transaction is upgraded to a write.
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	// Processes opening one new file at once race to switch it to WAL, and
	// SQLite answers the loser SQLITE_BUSY at once, without its busy
	// handler (TestConcurrentOpenMigratesOnce failed about 1 run in 10):
	// such an open is tried again, a bounded number of times.
	for attempt := 1; ; attempt++ {
		s, err := openSQLiteOnce(ctx, path, dsn)
		if err == nil || attempt == 20 || !strings.Contains(err.Error(), "SQLITE_BUSY") || ctx.Err() != nil {
			return s, err
		}
		time.Sleep(time.Duration(attempt) * 25 * time.Millisecond)
	}
}

func openSQLiteOnce(ctx context.Context, path, dsn string) (*Store, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	// One writer at a time is SQLite's model; a single connection also keeps
	// the pragmas in force.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, driver: DriverSQLite, dsn: path, self: newProcessID(), stopBeat: make(chan struct{})}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	// Messages name the database without the DSN: it may hold a password.
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store (postgres): %w", err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(4)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store (postgres): %w", err)
	}
	s := &Store{db: db, driver: DriverPostgres, dsn: dsn, self: newProcessID(), stopBeat: make(chan struct{})}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store (postgres): %w", err)
	}
	return s, nil
}

// Driver returns the store's database: "sqlite" or "postgres".
func (s *Store) Driver() string { return s.driver }

// DB returns the underlying database handle, for code that shares the
// store's database (a job queue). Queries through it must be written for
// Driver()'s dialect.
func (s *Store) DB() *sql.DB { return s.db }

// DSN returns the DSN the store was opened with, exactly as given. It is a
// secret (a PostgreSQL DSN may hold a password): pass it only to code that
// opens the same database, and never log, print or store it.
func (s *Store) DSN() string { return s.dsn }

// Close closes the database.
func (s *Store) Close() error {
	s.closed.Do(func() {
		if s.stopBeat != nil {
			close(s.stopBeat)
		}
	})
	return s.db.Close()
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// StartRun records the start of a run (kind: collect, assess, demo…),
// owned by this process: the process heartbeats in the store from then on
// (every ProcessHeartbeat, until Close), and a run whose owner stops
// heartbeating for ProcessDeadAfter is taken for interrupted
// (MarkInterrupted).
func (s *Store) StartRun(ctx context.Context, kind, period string) (int64, error) {
	if err := s.startHeartbeat(ctx); err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return s.StartRunOwned(ctx, kind, period, s.self)
}

// StartRunOwned records the start of a run owned by owner: a process id,
// or OwnerQueue for a run whose jobs are on the durable queue (the queue's
// workers and finisher carry it; queue.RecoverRuns looks after it).
func (s *Store) StartRunOwned(ctx context.Context, kind, period, owner string) (int64, error) {
	var id int64
	err := s.queryRow(ctx,
		`INSERT INTO runs (kind, period, status, started_at, owner) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		kind, period, RunRunning, ts(time.Now()), owner).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return id, nil
}

// OwnerQueue owns the runs whose collections are jobs on the queue.
const OwnerQueue = "queue"

// Process heartbeats: a process that owns runs writes its row in
// processes every ProcessHeartbeat; one unseen for ProcessDeadAfter is
// gone (killed, its machine lost), and so are the runs it owned.
const (
	ProcessHeartbeat = 10 * time.Second
	ProcessDeadAfter = time.Minute
)

// Migration 13: who owns a run (the process that started it, or the
// queue), and the heartbeats of the processes that own runs.
func init() {
	addMigration(13, `ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL DEFAULT '';
	CREATE TABLE processes (
		id         TEXT PRIMARY KEY,
		host       TEXT NOT NULL,
		pid        INTEGER NOT NULL,
		started_at TEXT NOT NULL,
		seen_at    INTEGER NOT NULL
	);`,
		// PostgreSQL
		`ALTER TABLE runs ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT '';
	CREATE TABLE processes (
		id         TEXT COLLATE "C" PRIMARY KEY,
		host       TEXT COLLATE "C" NOT NULL,
		pid        BIGINT NOT NULL,
		started_at TEXT COLLATE "C" NOT NULL,
		seen_at    BIGINT NOT NULL
	);`)
}

// ProcessID is this process's id (host, pid, start time and a random
// part), the owner StartRun records.
func (s *Store) ProcessID() string { return s.self }

func newProcessID() string {
	host, _ := os.Hostname()
	b := make([]byte, 3)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%d-%s", host, os.Getpid(), time.Now().Unix(), hex.EncodeToString(b))
}

// startHeartbeat writes this process's heartbeat now and then every
// ProcessHeartbeat until Close.
func (s *Store) startHeartbeat(ctx context.Context) error {
	s.beatMu.Lock()
	defer s.beatMu.Unlock()
	if s.beating {
		return nil
	}
	host, _ := os.Hostname()
	if _, err := s.exec(ctx, `INSERT INTO processes (id, host, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`, s.self, host, os.Getpid(), ts(time.Now()), time.Now().Unix()); err != nil {
		return err
	}
	s.beating = true
	go func() {
		t := time.NewTicker(ProcessHeartbeat)
		defer t.Stop()
		for {
			select {
			case <-s.stopBeat:
				return
			case <-t.C:
				bctx, cancel := context.WithTimeout(context.Background(), ProcessHeartbeat)
				s.exec(bctx, `UPDATE processes SET seen_at = ? WHERE id = ?`, time.Now().Unix(), s.self)
				cancel()
			}
		}
	}()
	return nil
}

// SetRunOwner hands run id to another owner (a process, or OwnerQueue).
func (s *Store) SetRunOwner(ctx context.Context, id int64, owner string) error {
	_, err := s.exec(ctx, `UPDATE runs SET owner = ? WHERE id = ?`, owner, id)
	return err
}

// RunningRun is a run still marked running, with its owner.
type RunningRun struct {
	ID        int64
	Kind      string
	Owner     string
	StartedAt time.Time
}

// RunningRuns lists the runs still marked running, oldest first.
func (s *Store) RunningRuns(ctx context.Context) ([]RunningRun, error) {
	rows, err := s.query(ctx, `SELECT id, kind, owner, started_at FROM runs WHERE status = ? ORDER BY id`, RunRunning)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunningRun
	for rows.Next() {
		var r RunningRun
		var st string
		if err := rows.Scan(&r.ID, &r.Kind, &r.Owner, &st); err != nil {
			return nil, err
		}
		r.StartedAt = parseTS(st)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LiveProcesses returns the ids of the processes seen within
// ProcessDeadAfter, less those on this host whose process is gone (a
// process killed and restarted on one machine is known dead at once).
func (s *Store) LiveProcesses(ctx context.Context) (map[string]bool, error) {
	rows, err := s.query(ctx, `SELECT id, host, pid FROM processes WHERE seen_at >= ?`, time.Now().Add(-ProcessDeadAfter).Unix())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	me, _ := os.Hostname()
	out := map[string]bool{}
	for rows.Next() {
		var id, host string
		var pid int64
		if err := rows.Scan(&id, &host, &pid); err != nil {
			return nil, err
		}
		if id != s.self && host == me && !pidAlive(int(pid)) {
			continue
		}
		out[id] = true
	}
	return out, rows.Err()
}

// pidAlive says whether a process with this pid runs on this machine
// (signal 0). Where that cannot be told, it is taken for alive.
func pidAlive(pid int) bool {
	if runtime.GOOS == "windows" || pid <= 0 {
		return true
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return err == nil || errors.Is(err, syscall.EPERM)
}

// MarkRunInterrupted marks run id interrupted, with why, if it is still
// running; it says whether it did.
func (s *Store) MarkRunInterrupted(ctx context.Context, id int64, why string) (bool, error) {
	res, err := s.exec(ctx, `UPDATE runs SET status = ?, finished_at = ?, note = ? WHERE id = ? AND status = ?`,
		RunInterrupted, ts(time.Now()), why, id, RunRunning)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// FinishRun marks a run finished with status and a JSON-serialisable
// summary (calls spent, sources skipped, errors).
func (s *Store) FinishRun(ctx context.Context, id int64, status, note string, stats any) error {
	b, err := json.Marshal(stats)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx,
		`UPDATE runs SET status = ?, note = ?, stats = ?, finished_at = ? WHERE id = ?`,
		status, note, string(b), ts(time.Now()), id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	if status == RunComplete || status == RunPartial {
		return s.updateFreshness(ctx, id) // the summary /api/v1/status reads
	}
	return nil
}

// MarkInterrupted marks the runs left "running" by a process that is gone
// (its heartbeat older than ProcessDeadAfter, or none: a run from before
// owners were recorded) as interrupted, so they are never taken for
// complete. Runs of live processes (this one included) and runs owned by
// the queue (queue.RecoverRuns looks after those) are left alone.
func (s *Store) MarkInterrupted(ctx context.Context) (int64, error) {
	ids, err := s.MarkInterruptedRuns(ctx)
	return int64(len(ids)), err
}

// MarkInterruptedRuns is MarkInterrupted, returning the ids of the runs it
// marked.
func (s *Store) MarkInterruptedRuns(ctx context.Context) ([]int64, error) {
	runs, err := s.RunningRuns(ctx)
	if err != nil {
		return nil, err
	}
	live, err := s.LiveProcesses(ctx)
	if err != nil {
		return nil, err
	}
	var n []int64
	for _, r := range runs {
		if r.Owner == OwnerQueue || r.Owner == s.self || live[r.Owner] {
			continue
		}
		why := "the process that ran it stopped (no heartbeat for " + ProcessDeadAfter.String() + ")"
		if r.Owner == "" {
			why = "the process that ran it stopped"
		}
		ok, err := s.MarkRunInterrupted(ctx, r.ID, why)
		if err != nil {
			return n, err
		}
		if ok {
			n = append(n, r.ID)
		}
	}
	return n, nil
}

// Run is a stored run.
type Run struct {
	ID         int64
	Kind       string
	Period     string
	Status     string
	StartedAt  time.Time
	FinishedAt time.Time
	Note       string
	Stats      string
}

// Runs returns the most recent runs, newest first.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.query(ctx,
		`SELECT id, kind, period, status, started_at, COALESCE(finished_at, ''), COALESCE(note, ''), COALESCE(stats, '')
		 FROM runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		var st, fin string
		if err := rows.Scan(&r.ID, &r.Kind, &r.Period, &r.Status, &st, &fin, &r.Note, &r.Stats); err != nil {
			return nil, err
		}
		r.StartedAt, r.FinishedAt = parseTS(st), parseTS(fin)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PutSubject registers a subject or updates its name and attributes.
// Subjects are a registry, not history: observations hold the history.
func (s *Store) PutSubject(ctx context.Context, sub models.Subject) error {
	attrs, _ := json.Marshal(sub.Attrs)
	_, err := s.exec(ctx,
		`INSERT INTO subjects (id, kind, name, attrs, first_seen) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, attrs = excluded.attrs`,
		sub.ID, string(sub.Kind), sub.Name, string(attrs), ts(time.Now()))
	if err != nil {
		return fmt.Errorf("subject %s: %w", sub.ID, err)
	}
	return nil
}

// Subjects returns every registered subject, ordered by kind and id.
func (s *Store) Subjects(ctx context.Context) ([]models.Subject, error) {
	rows, err := s.query(ctx, `SELECT id, kind, name, attrs FROM subjects ORDER BY kind, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []models.Subject
	for rows.Next() {
		var sub models.Subject
		var kind, attrs string
		if err := rows.Scan(&sub.ID, &kind, &sub.Name, &attrs); err != nil {
			return nil, err
		}
		sub.Kind = models.SubjectKind(kind)
		_ = json.Unmarshal([]byte(attrs), &sub.Attrs)
		out = append(out, sub)
	}
	return out, rows.Err()
}

// AppendObservations stores observations of one run in one transaction:
// either all are kept or none.
func (s *Store) AppendObservations(ctx context.Context, runID int64, obs []models.Observation) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertObservations(ctx, tx, runID, obs); err != nil {
		return err
	}
	return tx.Commit()
}

// Migration 6: the collections done in a run (one collector, one subject),
// so that a queue job delivered twice stores its observations once.
func init() {
	addMigration(6, `CREATE TABLE run_collections (
		run_id     INTEGER NOT NULL REFERENCES runs(id),
		subject_id TEXT NOT NULL,
		source     TEXT NOT NULL,
		done_at    TEXT NOT NULL,
		PRIMARY KEY (run_id, subject_id, source)
	);`,
		// PostgreSQL
		`CREATE TABLE run_collections (
		run_id     BIGINT NOT NULL REFERENCES runs(id),
		subject_id TEXT COLLATE "C" NOT NULL,
		source     TEXT COLLATE "C" NOT NULL,
		done_at    TEXT COLLATE "C" NOT NULL,
		PRIMARY KEY (run_id, subject_id, source)
	);`)
}

// AppendObservationsOnce stores the observations that one collector
// (source) made of one subject in run runID, exactly once: in one
// transaction it records (run, subject, source) in run_collections and
// stores the observations. When that collection was already recorded (a
// queue job delivered twice, or retried after its commit), it writes
// nothing and returns written=false.
func (s *Store) AppendObservationsOnce(ctx context.Context, runID int64, subjectID, source string, obs []models.Observation) (written bool, err error) {
	if subjectID == "" || source == "" {
		return false, fmt.Errorf("collection of run %d without subject or source", runID)
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	res, err := tx.exec(ctx,
		`INSERT INTO run_collections (run_id, subject_id, source, done_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		runID, subjectID, source, ts(time.Now()))
	if err != nil {
		return false, fmt.Errorf("collection %s/%s of run %d: %w", subjectID, source, runID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, err
	} else if n == 0 {
		return false, nil // already collected
	}
	if err := insertObservations(ctx, tx, runID, obs); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	return true, nil
}

// RunCollections counts the collections (subject × source) recorded by
// AppendObservationsOnce for a run.
func (s *Store) RunCollections(ctx context.Context, runID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM run_collections WHERE run_id = ?`, runID).Scan(&n)
	return n, err
}

// RunCollectionCounts returns, for each collection recorded by
// AppendObservationsOnce in run runID (keyed subject_id + "\x00" + source),
// how many observations it stored: what the run holds, however often a
// job delivering it was tried.
func (s *Store) RunCollectionCounts(ctx context.Context, runID int64) (map[string]int, error) {
	rows, err := s.query(ctx,
		`SELECT c.subject_id, c.source, COUNT(o.id) FROM run_collections c
		 LEFT JOIN observations o ON o.run_id = c.run_id AND o.subject_id = c.subject_id AND o.source = c.source
		 WHERE c.run_id = ? GROUP BY c.subject_id, c.source`, runID)
	if err != nil {
		return nil, fmt.Errorf("collections of run %d: %w", runID, err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var sub, src string
		var n int
		if err := rows.Scan(&sub, &src, &n); err != nil {
			return nil, err
		}
		out[sub+"\x00"+src] = n
	}
	return out, rows.Err()
}

func insertObservations(ctx context.Context, tx *tx, runID int64, obs []models.Observation) error {
	stmt, err := tx.prepare(ctx,
		`INSERT INTO observations (run_id, subject_id, metric, value, text, unit, source, observed_at, evidence, reason)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, o := range obs {
		if o.SubjectID == "" || o.Metric == "" || o.Source == "" {
			return fmt.Errorf("observation without subject, metric or source: %+v", o)
		}
		var v any
		if o.Value != nil {
			v = *o.Value
		}
		if _, err := stmt.ExecContext(ctx, runID, o.SubjectID, o.Metric, v, o.Text, o.Unit, o.Source, ts(o.ObservedAt), o.Evidence, o.Reason); err != nil {
			return fmt.Errorf("observation %s/%s: %w", o.SubjectID, o.Metric, err)
		}
	}
	return nil
}

// usableRuns are the run statuses whose observations assess may use.
const usableRuns = `('complete', 'partial')`

// LatestFacts returns, for every subject, the latest observation of each
// metric observed up to until, from finished runs only: the newest
// observed_at, and of equal ones the last stored. Latest by when it was
// observed, not by when it was stored: a backfill (collect --as-of) stores
// past observations after today's. Observations stored under names since
// renamed also answer to their new names.
func (s *Store) LatestFacts(ctx context.Context, until time.Time) (map[string]map[string]models.Observation, error) {
	rows, err := s.query(ctx, `
		SELECT o.run_id, o.subject_id, o.metric, o.value, o.text, o.unit, o.source, o.observed_at, o.evidence, o.reason
		FROM (SELECT o2.*, ROW_NUMBER() OVER (PARTITION BY o2.subject_id, o2.metric ORDER BY o2.observed_at DESC, o2.id DESC) AS rn
		      FROM observations o2
		      JOIN runs r ON r.id = o2.run_id
		      WHERE r.status IN `+usableRuns+` AND o2.observed_at <= ?) o
		WHERE o.rn = 1`, ts(until))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]models.Observation{}
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, err
		}
		if out[o.SubjectID] == nil {
			out[o.SubjectID] = map[string]models.Observation{}
		}
		out[o.SubjectID][o.Metric] = o
	}
	for _, f := range out {
		models.UpgradeFacts(f)
	}
	return out, rows.Err()
}

// History returns every stored observation of a subject's metric, oldest
// first, whatever the run's status.
func (s *Store) History(ctx context.Context, subjectID, metric string) ([]models.Observation, error) {
	rows, err := s.query(ctx, `
		SELECT run_id, subject_id, metric, value, text, unit, source, observed_at, evidence, reason
		FROM observations WHERE subject_id = ? AND metric = ? ORDER BY id`, subjectID, metric)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []models.Observation
	for rows.Next() {
		o, err := scanObservation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

func scanObservation(rows *sql.Rows) (models.Observation, error) {
	var o models.Observation
	var v sql.NullFloat64
	var at string
	if err := rows.Scan(&o.RunID, &o.SubjectID, &o.Metric, &v, &o.Text, &o.Unit, &o.Source, &at, &o.Evidence, &o.Reason); err != nil {
		return o, err
	}
	if v.Valid {
		o.Value = models.Num(v.Float64)
	}
	o.ObservedAt = parseTS(at)
	return o, nil
}

// SaveResults stores an assessment's results in one transaction.
func (s *Store) SaveResults(ctx context.Context, runID int64, period string, results []models.Result) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.prepare(ctx, `
		INSERT INTO results (run_id, period, subject_id, model_id, model_version, model_hash, score, grade, level, coverage, status, detail, assessed_at,
			grade_worst, grade_best, grade_estimate)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, r := range results {
		detail, err := json.Marshal(r)
		if err != nil {
			return err
		}
		var score any
		if r.Score != nil {
			score = *r.Score
		}
		worst, best := "", ""
		if len(r.GradeRange) == 2 {
			worst, best = r.GradeRange[0], r.GradeRange[1]
		}
		if _, err := stmt.ExecContext(ctx, runID, period, r.SubjectID, r.Model, r.ModelVersion, r.ModelHash,
			score, r.Grade, r.Level, r.Coverage, r.Status, string(detail), ts(r.AssessedAt), worst, best, r.GradeEstimate); err != nil {
			return fmt.Errorf("result %s/%s: %w", r.SubjectID, r.Model, err)
		}
	}
	return tx.Commit()
}

// ErrNoResults means no finished assessment exists for the period.
var ErrNoResults = errors.New("no assessment results for this period")

// Results returns the results of the latest finished assessment of period.
func (s *Store) Results(ctx context.Context, period string) ([]models.Result, error) {
	var runID sql.NullInt64
	err := s.queryRow(ctx,
		`SELECT MAX(id) FROM runs WHERE kind = 'assess' AND period = ? AND status IN `+usableRuns, period).Scan(&runID)
	if err != nil {
		return nil, err
	}
	if !runID.Valid {
		return nil, fmt.Errorf("%w %s: run 'osgauge assess --period %s' first", ErrNoResults, period, period)
	}
	rows, err := s.query(ctx,
		`SELECT subject_id, detail FROM results WHERE run_id = ? ORDER BY subject_id, model_id`, runID.Int64)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return decodeResults(rows)
}

// resultBatch is a run of consecutive result rows, decoded together.
type resultBatch struct {
	subjects []string
	details  [][]byte
	out      []models.Result
	err      error
}

// resultBatchRows is how many rows a decoding worker takes at a time.
const resultBatchRows = 64

// decodeResults reads (subject_id, detail) rows and decodes the detail
// JSON, which is most of a report's reading time, on GOMAXPROCS workers
// while the rows are read. The results keep the rows' order; the first
// row (in that order) that does not decode is the error (reading stops
// at the first failure seen; every batch sent is decoded). Batches in
// flight are bounded, so the raw JSON is never all held at once.
func decodeResults(rows *sql.Rows) ([]models.Result, error) {
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *resultBatch, 2*workers)
	var wg sync.WaitGroup
	var failed atomic.Bool
	for range workers {
		wg.Go(func() {
			for b := range jobs {
				b.out = make([]models.Result, len(b.details))
				for i, d := range b.details {
					if err := json.Unmarshal(d, &b.out[i]); err != nil {
						b.err = fmt.Errorf("result %s: %w", b.subjects[i], err)
						failed.Store(true)
						break
					}
					b.out[i].SubjectID = b.subjects[i]
					b.details[i] = nil
				}
				b.details = nil
			}
		})
	}
	var batches []*resultBatch
	cur := &resultBatch{}
	var scanErr error
	n := 0
	for rows.Next() && !failed.Load() {
		var subject string
		var detail []byte
		if scanErr = rows.Scan(&subject, &detail); scanErr != nil {
			break
		}
		cur.subjects = append(cur.subjects, subject)
		cur.details = append(cur.details, detail)
		n++
		if len(cur.details) == resultBatchRows {
			batches = append(batches, cur)
			jobs <- cur
			cur = &resultBatch{}
		}
	}
	if len(cur.details) > 0 {
		batches = append(batches, cur)
		jobs <- cur
	}
	close(jobs)
	wg.Wait()
	if scanErr != nil {
		return nil, scanErr
	}
	for _, b := range batches {
		if b.err != nil {
			return nil, b.err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []models.Result
	if n > 0 {
		out = make([]models.Result, 0, n)
	}
	for _, b := range batches {
		out = append(out, b.out...)
	}
	return out, nil
}

// IsAppendOnlyError reports whether err came from the append-only guard.
func IsAppendOnlyError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "append-only")
}

// PreviousPeriod returns the most recently assessed period other than
// period whose name sorts before it ("2026Q3" before "2026Q4"), or "".
func (s *Store) PreviousPeriod(ctx context.Context, period string) (string, error) {
	var prev sql.NullString
	err := s.queryRow(ctx,
		`SELECT period FROM runs WHERE kind = 'assess' AND status IN `+usableRuns+` AND period < ?
		 ORDER BY period DESC, id DESC LIMIT 1`, period).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return prev.String, err
}
