// Package store keeps osgauge's history: runs, subjects, observations
// (append-only, with provenance) and assessment results. SQLite by default
// (modernc.org/sqlite, no cgo). SQL is kept portable so that a PostgreSQL
// store can implement the same methods later.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
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

// Store is the SQLite store.
type Store struct {
	db *sql.DB
}

// Open opens (creating if needed) the SQLite database at path and applies
// pending migrations.
func Open(ctx context.Context, path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	// One writer at a time is SQLite's model; a single connection also keeps
	// the pragmas in force.
	db.SetMaxOpenConns(1)
	s := &Store{db: db}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// StartRun records the start of a run (kind: collect, assess, demo…).
func (s *Store) StartRun(ctx context.Context, kind, period string) (int64, error) {
	res, err := s.db.ExecContext(ctx,
		`INSERT INTO runs (kind, period, status, started_at) VALUES (?, ?, ?, ?)`,
		kind, period, RunRunning, ts(time.Now()))
	if err != nil {
		return 0, fmt.Errorf("start run: %w", err)
	}
	return res.LastInsertId()
}

// FinishRun marks a run finished with status and a JSON-serialisable
// summary (calls spent, sources skipped, errors).
func (s *Store) FinishRun(ctx context.Context, id int64, status, note string, stats any) error {
	b, err := json.Marshal(stats)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx,
		`UPDATE runs SET status = ?, note = ?, stats = ?, finished_at = ? WHERE id = ?`,
		status, note, string(b), ts(time.Now()), id)
	if err != nil {
		return fmt.Errorf("finish run %d: %w", id, err)
	}
	return nil
}

// MarkInterrupted marks runs left "running" by a crashed process as
// interrupted, so they are never taken for complete.
func (s *Store) MarkInterrupted(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx,
		`UPDATE runs SET status = ?, finished_at = ? WHERE status = ?`,
		RunInterrupted, ts(time.Now()), RunRunning)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
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
	rows, err := s.db.QueryContext(ctx,
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
	_, err := s.db.ExecContext(ctx,
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, kind, name, attrs FROM subjects ORDER BY kind, id`)
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx,
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
	return tx.Commit()
}

// usableRuns are the run statuses whose observations assess may use.
const usableRuns = `('complete', 'partial')`

// LatestFacts returns, for every subject, the latest observation of each
// metric observed up to until, from finished runs only. Observations stored
// under names since renamed also answer to their new names.
func (s *Store) LatestFacts(ctx context.Context, until time.Time) (map[string]map[string]models.Observation, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT o.run_id, o.subject_id, o.metric, o.value, o.text, o.unit, o.source, o.observed_at, o.evidence, o.reason
		FROM observations o
		JOIN (SELECT MAX(o2.id) AS id FROM observations o2
		      JOIN runs r ON r.id = o2.run_id
		      WHERE r.status IN `+usableRuns+` AND o2.observed_at <= ?
		      GROUP BY o2.subject_id, o2.metric) latest ON latest.id = o.id`, ts(until))
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
	rows, err := s.db.QueryContext(ctx, `
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `
		INSERT INTO results (run_id, period, subject_id, model_id, model_version, model_hash, score, grade, level, coverage, status, detail, assessed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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
		if _, err := stmt.ExecContext(ctx, runID, period, r.SubjectID, r.Model, r.ModelVersion, r.ModelHash,
			score, r.Grade, r.Level, r.Coverage, r.Status, string(detail), ts(r.AssessedAt)); err != nil {
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
	err := s.db.QueryRowContext(ctx,
		`SELECT MAX(id) FROM runs WHERE kind = 'assess' AND period = ? AND status IN `+usableRuns, period).Scan(&runID)
	if err != nil {
		return nil, err
	}
	if !runID.Valid {
		return nil, fmt.Errorf("%w %s: run 'osgauge assess --period %s' first", ErrNoResults, period, period)
	}
	rows, err := s.db.QueryContext(ctx,
		`SELECT subject_id, detail FROM results WHERE run_id = ? ORDER BY subject_id, model_id`, runID.Int64)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []models.Result
	for rows.Next() {
		var subject, detail string
		if err := rows.Scan(&subject, &detail); err != nil {
			return nil, err
		}
		var r models.Result
		if err := json.Unmarshal([]byte(detail), &r); err != nil {
			return nil, fmt.Errorf("result %s: %w", subject, err)
		}
		r.SubjectID = subject
		out = append(out, r)
	}
	return out, rows.Err()
}

// IsAppendOnlyError reports whether err came from the append-only guard.
func IsAppendOnlyError(err error) bool {
	return err != nil && strings.Contains(err.Error(), "append-only")
}

// PreviousPeriod returns the most recently assessed period other than
// period whose name sorts before it ("2026Q3" before "2026Q4"), or "".
func (s *Store) PreviousPeriod(ctx context.Context, period string) (string, error) {
	var prev sql.NullString
	err := s.db.QueryRowContext(ctx,
		`SELECT period FROM runs WHERE kind = 'assess' AND status IN `+usableRuns+` AND period < ?
		 ORDER BY period DESC, id DESC LIMIT 1`, period).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return prev.String, err
}
