package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

// resultsRun stores n results (two models per subject, over several
// decoding batches) in a finished assessment of 2026Q4 and returns the run
// and what was stored, in the order Results returns it.
func resultsRun(t *testing.T, s *Store, n int) (int64, []models.Result) {
	t.Helper()
	ctx := context.Background()
	run, _ := s.StartRun(ctx, "assess", "2026Q4")
	var rs []models.Result
	for i := range n {
		for _, m := range []string{"project-health", "supplier"} {
			r := models.Result{SubjectID: fmt.Sprintf("p%04d", i), Model: m, ModelVersion: "1", ModelHash: "sha256:x",
				Score: models.Num(float64(i % 100)), Grade: "B", Coverage: 0.8, Status: "ok",
				Indicators: []models.IndicatorResult{{ID: fmt.Sprintf("I-%d", i), Weight: 1, Status: "ok"}}}
			switch i % 3 {
			case 1:
				r.Gates = []models.GateHit{{ID: "G-KEV", Reason: fmt.Sprintf("kev %d", i), Cap: "D"}}
			case 2:
				r.Gates = []models.GateHit{{ID: "G-A", Reason: "a"}, {ID: "G-B", Reason: "b", Waived: "EX-1"}}
			}
			rs = append(rs, r)
		}
	}
	// Stored out of order: Results orders by subject and model.
	rev := slices.Clone(rs)
	slices.Reverse(rev)
	if err := s.SaveResults(ctx, run, "2026Q4", rev); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, run, RunComplete, "", nil); err != nil {
		t.Fatal(err)
	}
	return run, rs
}

// Results decodes on several workers and keeps the rows' order.
func TestResultsKeepOrder(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		s := open()
		_, want := resultsRun(t, s, 3*resultBatchRows+5)
		got, err := s.Results(context.Background(), "2026Q4")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d results, want %d", len(got), len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if g.SubjectID != w.SubjectID || g.Model != w.Model || *g.Score != *w.Score || g.Indicators[0].ID != w.Indicators[0].ID ||
				!slices.Equal(g.Gates, w.Gates) {
				t.Fatalf("result %d = %+v, want %+v", i, g, w)
			}
		}
	})
}

// A detail that does not decode fails Results, naming the first such
// subject in the rows' order.
func TestResultsBadDetail(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := resultsRun(t, s, 2*resultBatchRows)
		for _, sub := range []string{"p0100", "p0070"} { // p0070 sorts first
			if _, err := s.exec(ctx, `INSERT INTO results (run_id, period, subject_id, model_id, model_version, model_hash, score, grade, level, coverage, status, detail, assessed_at)
				VALUES (?, '2026Q4', ?, 'broken', '1', 'sha256:x', 1, 'B', 0, 1, 'ok', '{"score": "x"}', '2026-09-30T00:00:00Z')`, run, sub); err != nil {
				t.Fatal(err)
			}
		}
		_, err := s.Results(ctx, "2026Q4")
		if err == nil || !strings.HasPrefix(err.Error(), "result p0070: ") {
			t.Fatalf("err = %v, want the error of p0070", err)
		}
	})
}

// ResultSummariesWithGates has the columns and each result's gates
// (waived ones included), without the rest of the detail.
func TestResultSummariesWithGates(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		s := open()
		run, want := resultsRun(t, s, 7)
		got, err := s.ResultSummariesWithGates(context.Background(), run)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d summaries, want %d", len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.SubjectID != w.SubjectID || g.Model != w.Model || g.ModelVersion != "1" || g.ModelHash != "sha256:x" ||
				*g.Score != *w.Score || g.Grade != "B" || g.Coverage != 0.8 || g.Status != "ok" || !slices.Equal(g.Gates, w.Gates) {
				t.Errorf("summary %d = %+v, want gates %+v", i, g, w.Gates)
			}
		}
		plain, err := s.ResultSummaries(context.Background(), run)
		if err != nil || len(plain) != len(want) || plain[1].Gates != nil {
			t.Errorf("ResultSummaries = %d, %v (gates %v)", len(plain), err, plain[1].Gates)
		}
	})
}

// A result between two grades keeps its range and estimate in the
// summaries; results stored before the columns existed get them from
// their detail when the store is migrated.
func TestResultSummariesGradeRange(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "assess", "2026Q4")
		rs := []models.Result{
			{SubjectID: "decided", Model: "m", ModelVersion: "1", Grade: "B", Status: "ok"},
			{SubjectID: "open", Model: "m", ModelVersion: "1", GradeRange: []string{"D", "B"}, GradeEstimate: "C", Status: "ok"},
			{SubjectID: "old", Model: "m", ModelVersion: "1", GradeRange: []string{"D", "A"}, Status: "inconclusive"},
		}
		if err := s.SaveResults(ctx, run, "2026Q4", rs); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, run, RunComplete, "", nil); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			for name, read := range map[string]func(context.Context, int64) ([]ResultSummary, error){
				"ResultSummaries": s.ResultSummaries, "ResultSummariesWithGates": s.ResultSummariesWithGates} {
				got, err := read(ctx, run)
				if err != nil || len(got) != 3 {
					t.Fatalf("%s %s: %v %v", when, name, got, err)
				}
				// Ordered by subject: decided, old, open.
				if got[0].GradeRange != nil || got[0].GradeEstimate != "" || got[0].Grade != "B" ||
					strings.Join(got[1].GradeRange, ",") != "D,A" || got[1].GradeEstimate != "" ||
					strings.Join(got[2].GradeRange, ",") != "D,B" || got[2].GradeEstimate != "C" {
					t.Errorf("%s %s: %+v", when, name, got)
				}
			}
		}
		check("saved")
		// Back to schema 8: the columns gone, the detail kept; reopening
		// migrates again and fills them from the detail.
		for _, c := range []string{"grade_worst", "grade_best", "grade_estimate"} {
			if _, err := s.exec(ctx, `ALTER TABLE results DROP COLUMN `+c); err != nil {
				t.Fatal(err)
			}
		}
		// Later migrations are undone too, so that 9 runs again.
		for _, q := range []string{`ALTER TABLE sbom_refs DROP COLUMN scope`, `ALTER TABLE sbom_refs DROP COLUMN linking`,
			`ALTER TABLE sbom_refs DROP COLUMN license_note`, `ALTER TABLE inv_components DROP COLUMN license_from`,
			`DROP TABLE sbom_import_failures`, `DROP TABLE ledger_records`, `DROP TABLE notify_sends`, `ALTER TABLE runs DROP COLUMN owner`, `DROP TABLE processes`, `ALTER TABLE jobs DROP COLUMN owner`,
			`DROP INDEX results_run_subject`, `DROP INDEX results_subject`, `DROP TABLE source_freshness`, `DROP TABLE audit_log`, `DELETE FROM schema_migrations WHERE version >= 9`} {
			if _, err := s.exec(ctx, q); err != nil {
				t.Fatal(q, err)
			}
		}
		s.Close()
		s = open()
		check("migrated")
	})
}
