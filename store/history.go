package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/osgauge/osgauge/models"
)

// PeriodRun is the latest finished assessment run of one period.
type PeriodRun struct {
	Period string
	RunID  int64
}

// EarlierPeriods returns up to limit assessed periods whose name sorts
// before period, newest first, each with its latest finished assessment
// run (the run Results would read).
func (s *Store) EarlierPeriods(ctx context.Context, period string, limit int) ([]PeriodRun, error) {
	rows, err := s.query(ctx,
		`SELECT period, MAX(id) FROM runs WHERE kind = 'assess' AND status IN `+usableRuns+` AND period < ?
		 GROUP BY period ORDER BY period DESC LIMIT ?`, period, limit)
	if err != nil {
		return nil, fmt.Errorf("earlier periods: %w", err)
	}
	defer rows.Close()
	var out []PeriodRun
	for rows.Next() {
		var p PeriodRun
		if err := rows.Scan(&p.Period, &p.RunID); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// Migration 9: a result's grade range and estimate as columns (a result
// between two grades has no grade), so trends and period comparisons tell
// an undecided result from an inconclusive one without decoding the
// detail. Stored results get them from their detail.
func init() {
	addMigration(9, `ALTER TABLE results ADD COLUMN grade_worst TEXT NOT NULL DEFAULT '';
	ALTER TABLE results ADD COLUMN grade_best TEXT NOT NULL DEFAULT '';
	ALTER TABLE results ADD COLUMN grade_estimate TEXT NOT NULL DEFAULT '';
	UPDATE results SET grade_worst = COALESCE(json_extract(detail, '$.grade_range[0]'), ''),
		grade_best = COALESCE(json_extract(detail, '$.grade_range[1]'), ''),
		grade_estimate = COALESCE(json_extract(detail, '$.grade_estimate'), '')
	WHERE json_valid(detail) AND json_type(detail, '$.grade_range') = 'array';`,
		// PostgreSQL
		`ALTER TABLE results ADD COLUMN grade_worst TEXT COLLATE "C" NOT NULL DEFAULT '';
	ALTER TABLE results ADD COLUMN grade_best TEXT COLLATE "C" NOT NULL DEFAULT '';
	ALTER TABLE results ADD COLUMN grade_estimate TEXT COLLATE "C" NOT NULL DEFAULT '';
	UPDATE results SET grade_worst = COALESCE((detail::jsonb)->'grade_range'->>0, ''),
		grade_best = COALESCE((detail::jsonb)->'grade_range'->>1, ''),
		grade_estimate = COALESCE((detail::jsonb)->>'grade_estimate', '')
	WHERE jsonb_typeof((detail::jsonb)->'grade_range') = 'array';`)
}

// ResultSummary is a result without its detail: what a trend needs.
type ResultSummary struct {
	SubjectID    string
	Model        string
	ModelVersion string
	ModelHash    string
	Score        *float64
	Grade        string
	Level        int
	Coverage     float64
	Status       string
	// GradeRange and GradeEstimate: a result between two grades (empty
	// for a decided or inconclusive one, and for results stored before
	// PHI 0.5.0 decided grades at any coverage).
	GradeRange    []string
	GradeEstimate string
	// Gates are the gates that fired, waived ones included; filled by
	// ResultSummariesWithGates only.
	Gates []models.GateHit
	// Profile is the weight profile (use type) the result was scored
	// with; filled by ResultSummariesWithGates only, so that a change of
	// profile is not compared as if it were comparable.
	Profile string
}

// ResultSummaries returns the results of one assessment run from the
// results table's columns, without decoding the detail JSON, so that many
// periods of a large portfolio load quickly.
func (s *Store) ResultSummaries(ctx context.Context, runID int64) ([]ResultSummary, error) {
	rows, err := s.query(ctx,
		`SELECT `+summaryColumns+`
		 FROM results WHERE run_id = ? ORDER BY subject_id, model_id`, runID)
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

// summaryColumns are the results columns a ResultSummary holds, in the
// order scanSummary reads them.
const summaryColumns = `subject_id, model_id, model_version, model_hash, score, grade, level, coverage, status, grade_worst, grade_best, grade_estimate`

// scanSummary reads one row of summaryColumns, followed by extra columns
// into extra.
func scanSummary(rows *sql.Rows, extra ...any) (ResultSummary, error) {
	var r ResultSummary
	var score sql.NullFloat64
	var worst, best string
	dest := append([]any{&r.SubjectID, &r.Model, &r.ModelVersion, &r.ModelHash, &score, &r.Grade, &r.Level, &r.Coverage, &r.Status,
		&worst, &best, &r.GradeEstimate}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return r, err
	}
	if score.Valid {
		r.Score = models.Num(score.Float64)
	}
	r.GradeRange = gradeRange(worst, best)
	return r, nil
}

// ResultSummariesWithGates is ResultSummaries with each result's gates,
// what a comparison with the previous period needs besides the columns.
// The database extracts the gates from the detail JSON, so the detail
// (indicators, dimensions, explanations: nearly all of it) is neither
// sent nor decoded.
func (s *Store) ResultSummariesWithGates(ctx context.Context, runID int64) ([]ResultSummary, error) {
	gates := `json_extract(detail, '$.gates'), json_extract(detail, '$.profile')`
	if s.pg() {
		gates = `(detail::json)->>'gates', (detail::json)->>'profile'`
	}
	rows, err := s.query(ctx,
		`SELECT `+summaryColumns+`, `+gates+`
		 FROM results WHERE run_id = ? ORDER BY subject_id, model_id`, runID)
	if err != nil {
		return nil, fmt.Errorf("results of run %d: %w", runID, err)
	}
	defer rows.Close()
	var out []ResultSummary
	for rows.Next() {
		var g, profile sql.NullString
		r, err := scanSummary(rows, &g, &profile)
		if err != nil {
			return nil, err
		}
		r.Profile = profile.String
		if g.Valid && g.String != "" && g.String != "null" {
			if err := json.Unmarshal([]byte(g.String), &r.Gates); err != nil {
				return nil, fmt.Errorf("result %s: gates: %w", r.SubjectID, err)
			}
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// gradeRange is [worst, best] from the columns, nil when the result has
// no range.
func gradeRange(worst, best string) []string {
	if worst == "" || best == "" {
		return nil
	}
	return []string{worst, best}
}
