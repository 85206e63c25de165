package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Migration 3: the scheduler's jobs (osgauge serve). One row per job: its
// schedule and what happened the last time it ran. Runs keep the history;
// this table keeps only the latest state, so it is updated in place.
func init() {
	addMigration(3, `CREATE TABLE jobs (
		name         TEXT PRIMARY KEY,
		spec         TEXT NOT NULL DEFAULT '',
		last_start   TEXT NOT NULL DEFAULT '',
		last_end     TEXT NOT NULL DEFAULT '',
		last_outcome TEXT NOT NULL DEFAULT '',
		last_error   TEXT NOT NULL DEFAULT '',
		last_run_id  INTEGER NOT NULL DEFAULT 0,
		next_run     TEXT NOT NULL DEFAULT '',
		runs         INTEGER NOT NULL DEFAULT 0,
		failures     INTEGER NOT NULL DEFAULT 0,
		skipped      INTEGER NOT NULL DEFAULT 0,
		updated_at   TEXT NOT NULL
	);`,
		// PostgreSQL
		`CREATE TABLE jobs (
		name         TEXT COLLATE "C" PRIMARY KEY,
		spec         TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_start   TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_end     TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_outcome TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_error   TEXT COLLATE "C" NOT NULL DEFAULT '',
		last_run_id  BIGINT NOT NULL DEFAULT 0,
		next_run     TEXT COLLATE "C" NOT NULL DEFAULT '',
		runs         INTEGER NOT NULL DEFAULT 0,
		failures     INTEGER NOT NULL DEFAULT 0,
		skipped      INTEGER NOT NULL DEFAULT 0,
		updated_at   TEXT COLLATE "C" NOT NULL
	);`)
}

// Migration 14: which process runs a job (store.ProcessID), so that a new
// leader resumes the jobs of processes that are gone and only those.
func init() {
	addMigration(14, `ALTER TABLE jobs ADD COLUMN owner TEXT NOT NULL DEFAULT '';`,
		`ALTER TABLE jobs ADD COLUMN owner TEXT COLLATE "C" NOT NULL DEFAULT '';`)
}

// Job outcomes recorded beside a job (a run's own status is in runs).
const (
	JobRunning     = "running"
	JobOK          = "ok"
	JobFailed      = "failed"
	JobPanicked    = "panic"
	JobInterrupted = "interrupted"
)

// Job is the stored state of one scheduled job.
type Job struct {
	Name        string
	Spec        string
	LastStart   time.Time
	LastEnd     time.Time
	LastOutcome string // "", running, ok, partial, failed, panic, interrupted
	LastError   string
	LastRunID   int64
	NextRun     time.Time
	Runs        int // times started
	Failures    int // failed, panicked or interrupted
	Skipped     int // fires skipped because the job was still running
}

func tsOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return ts(t)
}

// PutJob registers a job (or updates its schedule and next run), keeping
// what is known about its earlier runs.
func (s *Store) PutJob(ctx context.Context, name, spec string, next time.Time) error {
	_, err := s.exec(ctx,
		`INSERT INTO jobs (name, spec, next_run, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, next_run = excluded.next_run, updated_at = excluded.updated_at`,
		name, spec, tsOrEmpty(next), ts(time.Now()))
	if err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	return nil
}

// JobStarted records that a job started at start, in this process (the
// job's owner, whose heartbeat says whether the job can still finish).
func (s *Store) JobStarted(ctx context.Context, name string, start, next time.Time) error {
	if err := s.startHeartbeat(ctx); err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	_, err := s.exec(ctx,
		`UPDATE jobs SET last_start = ?, last_end = '', last_outcome = ?, last_error = '', last_run_id = 0,
		        next_run = ?, runs = runs + 1, owner = ?, updated_at = ? WHERE name = ?`,
		ts(start), JobRunning, tsOrEmpty(next), s.self, ts(time.Now()), name)
	if err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	return nil
}

// JobFinished records how a job's latest run ended. failure counts the
// run among the job's failures.
func (s *Store) JobFinished(ctx context.Context, name string, end time.Time, outcome, errMsg string, runID int64, next time.Time, failure bool) error {
	f := 0
	if failure {
		f = 1
	}
	_, err := s.exec(ctx,
		`UPDATE jobs SET last_end = ?, last_outcome = ?, last_error = ?, last_run_id = ?, next_run = ?,
		        failures = failures + ?, updated_at = ? WHERE name = ?`,
		ts(end), outcome, errMsg, runID, tsOrEmpty(next), f, ts(time.Now()), name)
	if err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	return nil
}

// JobSkipped counts a fire skipped because the job was still running.
func (s *Store) JobSkipped(ctx context.Context, name string, next time.Time) error {
	_, err := s.exec(ctx,
		`UPDATE jobs SET skipped = skipped + 1, next_run = ?, updated_at = ? WHERE name = ?`,
		tsOrEmpty(next), ts(time.Now()), name)
	return err
}

// MarkJobsInterrupted marks the jobs left "running" by processes that are
// gone (no heartbeat for ProcessDeadAfter, a dead pid on this host, or no
// owner recorded: a job from before owners were) as interrupted, and
// returns their names, so that they can be run again. A job still running
// in a live process (this one, or a node that lost the leadership and is
// finishing it) is left alone. Each job is marked by one conditional
// update, so of several nodes recovering at once only one gets its name:
// an interrupted job is resumed once.
func (s *Store) MarkJobsInterrupted(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, `SELECT name, owner FROM jobs WHERE last_outcome = ? ORDER BY name`, JobRunning)
	if err != nil {
		return nil, err
	}
	type running struct{ name, owner string }
	var jobs []running
	for rows.Next() {
		var j running
		if err := rows.Scan(&j.name, &j.owner); err != nil {
			rows.Close()
			return nil, err
		}
		jobs = append(jobs, j)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	live, err := s.LiveProcesses(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, j := range jobs {
		if j.owner == s.self || live[j.owner] {
			continue
		}
		now := ts(time.Now())
		res, err := s.exec(ctx,
			`UPDATE jobs SET last_outcome = ?, last_end = ?, last_error = 'the process stopped while the job was running',
			        failures = failures + 1, updated_at = ? WHERE name = ? AND last_outcome = ? AND owner = ?`,
			JobInterrupted, now, now, j.name, JobRunning, j.owner)
		if err != nil {
			return names, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return names, err
		} else if n > 0 {
			names = append(names, j.name)
		}
	}
	return names, nil
}

// Jobs returns every registered job, by name.
func (s *Store) Jobs(ctx context.Context) ([]Job, error) {
	rows, err := s.query(ctx,
		`SELECT name, spec, last_start, last_end, last_outcome, last_error, last_run_id, next_run, runs, failures, skipped
		 FROM jobs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		var j Job
		var start, end, next string
		if err := rows.Scan(&j.Name, &j.Spec, &start, &end, &j.LastOutcome, &j.LastError, &j.LastRunID, &next, &j.Runs, &j.Failures, &j.Skipped); err != nil {
			return nil, err
		}
		j.LastStart, j.LastEnd, j.NextRun = parseTS(start), parseTS(end), parseTS(next)
		out = append(out, j)
	}
	return out, rows.Err()
}

// SourceFreshness returns, for each source, when its newest observation
// from a finished run (complete or partial) was made.
func (s *Store) SourceFreshness(ctx context.Context) (map[string]time.Time, error) {
	// observed_at is RFC 3339 text in UTC; MAX compares it as text, which
	// orders it correctly to the second (trimmed fractions may not be).
	rows, err := s.query(ctx, `
		SELECT o.source, MAX(o.observed_at) FROM observations o
		JOIN runs r ON r.id = o.run_id
		WHERE r.status IN `+usableRuns+`
		GROUP BY o.source`)
	if err != nil {
		return nil, fmt.Errorf("source freshness: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var src string
		var at sql.NullString
		if err := rows.Scan(&src, &at); err != nil {
			return nil, err
		}
		out[src] = parseTS(at.String)
	}
	return out, rows.Err()
}

// LatestRun returns the newest run of kind whose status is one of
// statuses (any status when none is given); ok is false when there is none.
func (s *Store) LatestRun(ctx context.Context, kind string, statuses ...string) (r Run, ok bool, err error) {
	q := `SELECT id, kind, period, status, started_at, COALESCE(finished_at, ''), COALESCE(note, ''), COALESCE(stats, '')
	      FROM runs WHERE kind = ?`
	args := []any{kind}
	if len(statuses) > 0 {
		q += ` AND status IN (?` + strings.Repeat(",?", len(statuses)-1) + `)`
		for _, st := range statuses {
			args = append(args, st)
		}
	}
	q += ` ORDER BY id DESC LIMIT 1`
	var st, fin string
	err = s.queryRow(ctx, q, args...).Scan(&r.ID, &r.Kind, &r.Period, &r.Status, &st, &fin, &r.Note, &r.Stats)
	if err == sql.ErrNoRows {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	r.StartedAt, r.FinishedAt = parseTS(st), parseTS(fin)
	return r, true, nil
}

// RunObservations counts the observations stored by run id.
func (s *Store) RunObservations(ctx context.Context, runID int64) (int, error) {
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM observations WHERE run_id = ?`, runID).Scan(&n)
	return n, err
}

// RunCount is how many runs of a kind have a status.
type RunCount struct {
	Kind, Status string
	N            int
}

// RunCounts counts the stored runs by kind and status.
func (s *Store) RunCounts(ctx context.Context) ([]RunCount, error) {
	rows, err := s.query(ctx, `SELECT kind, status, COUNT(*) FROM runs GROUP BY kind, status ORDER BY kind, status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RunCount
	for rows.Next() {
		var c RunCount
		if err := rows.Scan(&c.Kind, &c.Status, &c.N); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
