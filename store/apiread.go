package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/osgauge/osgauge/models"
)

// The API's reads by key (issue 28): one subject's results, history and
// indicators without reading a period's every result, pages of a run's
// results, and the sources' freshness kept as a summary when a run ends
// instead of an aggregate over every observation per request.

// Migration 15: results indexed by run and subject (one subject's
// results in a run, pages of a run's results in subject order) and by
// subject (its history across periods); source_freshness holds each
// source's newest usable observation, brought up to date by FinishRun,
// filled here from what is stored.
func init() {
	addMigration(15, `CREATE INDEX results_run_subject ON results (run_id, subject_id, model_id);
	CREATE INDEX results_subject ON results (subject_id, run_id);
	CREATE TABLE source_freshness (
		source TEXT PRIMARY KEY,
		newest TEXT NOT NULL,
		run_id INTEGER NOT NULL
	);
	INSERT INTO source_freshness (source, newest, run_id)
		SELECT o.source, MAX(o.observed_at), MAX(o.run_id) FROM observations o JOIN runs r ON r.id = o.run_id
		WHERE r.status IN ('complete', 'partial') GROUP BY o.source;`,
		// PostgreSQL
		`CREATE INDEX results_run_subject ON results (run_id, subject_id, model_id);
	CREATE INDEX results_subject ON results (subject_id, run_id);
	CREATE TABLE source_freshness (
		source TEXT COLLATE "C" PRIMARY KEY,
		newest TEXT COLLATE "C" NOT NULL,
		run_id BIGINT NOT NULL
	);
	INSERT INTO source_freshness (source, newest, run_id)
		SELECT o.source, MAX(o.observed_at), MAX(o.run_id) FROM observations o JOIN runs r ON r.id = o.run_id
		WHERE r.status IN ('complete', 'partial') GROUP BY o.source;`)
}

// updateFreshness folds run runID's observations into source_freshness:
// a source's newest observation moves forward, never back (a backfill
// stores older observations). FinishRun calls it for a usable run.
func (s *Store) updateFreshness(ctx context.Context, runID int64) error {
	_, err := s.exec(ctx, `INSERT INTO source_freshness (source, newest, run_id)
		SELECT source, MAX(observed_at), ? FROM observations WHERE run_id = ? GROUP BY source
		ON CONFLICT (source) DO UPDATE SET newest = excluded.newest, run_id = excluded.run_id
		WHERE excluded.newest > source_freshness.newest`, runID, runID)
	if err != nil {
		return fmt.Errorf("source freshness of run %d: %w", runID, err)
	}
	return nil
}

// FreshnessSummary returns, per source, when its newest observation of a
// finished (complete or partial) run was made: what SourceFreshness
// computes from every observation, read from the summary FinishRun keeps.
func (s *Store) FreshnessSummary(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.query(ctx, `SELECT source, newest FROM source_freshness ORDER BY source`)
	if err != nil {
		return nil, fmt.Errorf("source freshness: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var src, at string
		if err := rows.Scan(&src, &at); err != nil {
			return nil, err
		}
		out[src] = parseTS(at)
	}
	return out, rows.Err()
}

// Subject returns one registered subject; ok is false when there is none.
func (s *Store) Subject(ctx context.Context, id string) (sub models.Subject, ok bool, err error) {
	var kind, attrs string
	err = s.queryRow(ctx, `SELECT id, kind, name, attrs FROM subjects WHERE id = ?`, id).Scan(&sub.ID, &kind, &sub.Name, &attrs)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, false, nil
	}
	if err != nil {
		return sub, false, fmt.Errorf("subject %s: %w", id, err)
	}
	sub.Kind = models.SubjectKind(kind)
	if attrs != "" && attrs != "{}" && attrs != "null" {
		_ = json.Unmarshal([]byte(attrs), &sub.Attrs)
	}
	return sub, true, nil
}

// AssessRun returns the latest finished assessment run of period (the
// run Results reads); ok is false when the period has none.
func (s *Store) AssessRun(ctx context.Context, period string) (id int64, ok bool, err error) {
	var runID sql.NullInt64
	err = s.queryRow(ctx,
		`SELECT MAX(id) FROM runs WHERE kind = 'assess' AND period = ? AND status IN `+usableRuns, period).Scan(&runID)
	if err != nil {
		return 0, false, fmt.Errorf("assessment of %s: %w", period, err)
	}
	return runID.Int64, runID.Valid, nil
}

// SubjectResults returns one subject's results in assessment run runID,
// by model, read by key.
func (s *Store) SubjectResults(ctx context.Context, runID int64, subjectID string) ([]models.Result, error) {
	rows, err := s.query(ctx,
		`SELECT subject_id, detail FROM results WHERE run_id = ? AND subject_id = ? ORDER BY model_id`, runID, subjectID)
	if err != nil {
		return nil, fmt.Errorf("results of %s in run %d: %w", subjectID, runID, err)
	}
	defer rows.Close()
	// A few rows (one per model): decoded here, without decodeResults'
	// workers, which pay off on a period's every result only.
	var out []models.Result
	for rows.Next() {
		var subject string
		var detail []byte
		if err := rows.Scan(&subject, &detail); err != nil {
			return nil, err
		}
		var r models.Result
		if err := json.Unmarshal(detail, &r); err != nil {
			return nil, fmt.Errorf("result %s: %w", subject, err)
		}
		r.SubjectID = subject
		out = append(out, r)
	}
	return out, rows.Err()
}

// HistoryPoint is one subject's result for one model in one period's
// latest finished assessment.
type HistoryPoint struct {
	Period string
	RunID  int64
	ResultSummary
}

// SubjectHistory returns one subject's results in every assessed
// period's latest finished assessment, oldest period first, then by
// model: columns only, the detail neither read nor decoded.
func (s *Store) SubjectHistory(ctx context.Context, subjectID string) ([]HistoryPoint, error) {
	rows, err := s.query(ctx,
		`SELECT r.period, r.run_id, r.subject_id, r.model_id, r.model_version, r.model_hash, r.score, r.grade, r.level, r.coverage, r.status,
		        r.grade_worst, r.grade_best, r.grade_estimate
		 FROM results r
		 WHERE r.subject_id = ? AND r.run_id IN (SELECT MAX(id) FROM runs WHERE kind = 'assess' AND status IN `+usableRuns+` GROUP BY period)
		 ORDER BY r.period, r.model_id`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", subjectID, err)
	}
	defer rows.Close()
	var out []HistoryPoint
	for rows.Next() {
		var p HistoryPoint
		r := &p.ResultSummary
		var score sql.NullFloat64
		var worst, best string
		if err := rows.Scan(&p.Period, &p.RunID, &r.SubjectID, &r.Model, &r.ModelVersion, &r.ModelHash, &score, &r.Grade, &r.Level, &r.Coverage, &r.Status,
			&worst, &best, &r.GradeEstimate); err != nil {
			return nil, err
		}
		if score.Valid {
			r.Score = models.Num(score.Float64)
		}
		r.GradeRange = gradeRange(worst, best)
		out = append(out, p)
	}
	return out, rows.Err()
}

// ResultFilter selects a run's results for ResultPage and ResultCount:
// empty fields select all.
type ResultFilter struct {
	Model  string
	Grade  string // the decided grade
	Status string
}

func (f ResultFilter) where() (string, []any) {
	q, args := "", []any{}
	if f.Model != "" {
		q += ` AND model_id = ?`
		args = append(args, f.Model)
	}
	if f.Grade != "" {
		q += ` AND grade = ?`
		args = append(args, f.Grade)
	}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, f.Status)
	}
	return q, args
}

// ResultPage returns up to limit results of run runID after the result
// (afterSubject, afterModel) in (subject, model) order, columns only:
// keyset paging, so a page never repeats or skips a result of the run
// whatever is stored meanwhile.
func (s *Store) ResultPage(ctx context.Context, runID int64, f ResultFilter, afterSubject, afterModel string, limit int) ([]ResultSummary, error) {
	w, args := f.where()
	q := `SELECT ` + summaryColumns + ` FROM results WHERE run_id = ?` + w
	args = append([]any{runID}, args...)
	if afterSubject != "" || afterModel != "" {
		q += ` AND (subject_id > ? OR (subject_id = ? AND model_id > ?))`
		args = append(args, afterSubject, afterSubject, afterModel)
	}
	q += ` ORDER BY subject_id, model_id LIMIT ?`
	args = append(args, limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("results of run %d: %w", runID, err)
	}
	defer rows.Close()
	var out []ResultSummary
	for rows.Next() {
		r, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ResultCount counts the results of run runID that f selects.
func (s *Store) ResultCount(ctx context.Context, runID int64, f ResultFilter) (int, error) {
	w, args := f.where()
	var n int
	err := s.queryRow(ctx, `SELECT COUNT(*) FROM results WHERE run_id = ?`+w, append([]any{runID}, args...)...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("results of run %d: %w", runID, err)
	}
	return n, nil
}

// RunFilter selects runs for RunPage: empty fields select all.
type RunFilter struct {
	Kind   string
	Status string
}

// RunPage returns up to limit runs older than beforeID (0: from the
// newest), newest first, and how many runs f selects in all.
func (s *Store) RunPage(ctx context.Context, f RunFilter, beforeID int64, limit int) ([]Run, int, error) {
	w, args := "", []any{}
	if f.Kind != "" {
		w += ` AND kind = ?`
		args = append(args, f.Kind)
	}
	if f.Status != "" {
		w += ` AND status = ?`
		args = append(args, f.Status)
	}
	var total int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM runs WHERE 1 = 1`+w, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("runs: %w", err)
	}
	if beforeID > 0 {
		w += ` AND id < ?`
		args = append(args, beforeID)
	}
	rows, err := s.query(ctx,
		`SELECT id, kind, period, status, started_at, COALESCE(finished_at, ''), COALESCE(note, ''), COALESCE(stats, '')
		 FROM runs WHERE 1 = 1`+w+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		var st, fin string
		if err := rows.Scan(&r.ID, &r.Kind, &r.Period, &r.Status, &st, &fin, &r.Note, &r.Stats); err != nil {
			return nil, 0, err
		}
		r.StartedAt, r.FinishedAt = parseTS(st), parseTS(fin)
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// ChangeToken changes whenever a run starts or ends or a subject is
// added: a cheap question a cache asks before reading again what runs
// write (the subjects and a period's results).
func (s *Store) ChangeToken(ctx context.Context) (string, error) {
	var maxID, ended, subjects int64
	err := s.queryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM runs), (SELECT COUNT(*) FROM runs WHERE status <> 'running'),
		(SELECT COUNT(*) FROM subjects)`).Scan(&maxID, &ended, &subjects)
	if err != nil {
		return "", fmt.Errorf("change token: %w", err)
	}
	return fmt.Sprintf("%d.%d.%d", maxID, ended, subjects), nil
}

// AssessedPeriods returns the periods that have a finished (complete or
// partial) assessment run, in no particular order.
func (s *Store) AssessedPeriods(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT period FROM runs WHERE kind = 'assess' AND period <> '' AND status IN `+usableRuns)
	if err != nil {
		return nil, fmt.Errorf("assessed periods: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AssessRunPeriod returns the period of run id when it is a finished
// (complete or partial) assessment run; ok is false otherwise.
func (s *Store) AssessRunPeriod(ctx context.Context, id int64) (period string, ok bool, err error) {
	err = s.queryRow(ctx, `SELECT period FROM runs WHERE id = ? AND kind = 'assess' AND status IN `+usableRuns, id).Scan(&period)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("run %d: %w", id, err)
	}
	return period, true, nil
}

// VulnToken changes whenever what the vulnerability findings are computed
// from may have changed in the store: a run started or ended, an SBOM
// snapshot stored, KEV entries or OSV records and matches added. (The
// ledger's analyses are files; their caller watches them.)
func (s *Store) VulnToken(ctx context.Context) (string, error) {
	var maxRun, ended, snaps, kev, vulns, matches int64
	err := s.queryRow(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM runs), (SELECT COUNT(*) FROM runs WHERE status <> 'running'),
		(SELECT COALESCE(MAX(id), 0) FROM sbom_snapshots), (SELECT COUNT(*) FROM kev), (SELECT COUNT(*) FROM osv_vulns),
		(SELECT COUNT(*) FROM osv_matches)`).Scan(&maxRun, &ended, &snaps, &kev, &vulns, &matches)
	if err != nil {
		return "", fmt.Errorf("vulnerability token: %w", err)
	}
	return fmt.Sprintf("%d.%d.%d.%d.%d.%d", maxRun, ended, snaps, kev, vulns, matches), nil
}
