package pipeline

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Re-assessing 2026Q1 on 2026-11-01 judges its evidence at the quarter's
// end (2026-04-01), not at the wall clock:
//
//   - a clone's 0.5 months since the last commit observed 2026-02-20 (40
//     days before the end, within gitlocal's 45 days) is aged to 0.5 + 40 ÷
//     30.4375 = 1.81417 months (judged at the wall clock it would be 255
//     days old: missing);
//   - the same observed 2025-02-25 (400 days before the end) is missing,
//     and G-UNMAINTAINED is not evaluated, never clear.
//
// Each indicator with data carries its observation time.
func TestAssessJudgesAtThePeriodsEnd(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, err := models.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		id string
		at time.Time
	}{{"fresh", end.AddDate(0, 0, -40)}, {"stale", end.AddDate(0, 0, -400)}} {
		if err := st.PutSubject(ctx, models.Subject{Kind: models.KindProject, ID: tc.id, Name: tc.id}); err != nil {
			t.Fatal(err)
		}
		run, err := st.StartRun(ctx, "collect", "")
		if err != nil {
			t.Fatal(err)
		}
		o := models.Observation{SubjectID: tc.id, Metric: "gitlocal.months_since_last_commit", Value: models.Num(0.5), Unit: "months",
			Source: "gitlocal", ObservedAt: tc.at, Evidence: "newest commit by a person"}
		if err := st.AppendObservations(ctx, run, []models.Observation{o}); err != nil {
			t.Fatal(err)
		}
		if err := st.FinishRun(ctx, run, store.RunComplete, "", nil); err != nil {
			t.Fatal(err)
		}
	}
	period, err := assess.ParsePeriod("2026Q1")
	if err != nil {
		t.Fatal(err)
	}
	results, err := Assess(ctx, st, set, period, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Model != "project-health" {
			continue
		}
		var act2 models.IndicatorResult
		for _, ir := range r.Indicators {
			if ir.ID == "ACT-2" {
				act2 = ir
			}
		}
		var gate models.GateState
		for _, g := range r.GateStates {
			if g.ID == "G-UNMAINTAINED" {
				gate = g
			}
		}
		switch r.SubjectID {
		case "fresh":
			if act2.Raw == nil || math.Abs(*act2.Raw-1.81417) > 1e-5 || act2.ObservedAt == nil || !act2.ObservedAt.Equal(end.AddDate(0, 0, -40)) {
				t.Errorf("fresh: ACT-2 raw %v observed %v, want 1.81417 observed 2026-02-20", act2.Raw, act2.ObservedAt)
			}
			if gate.State != models.GateClear {
				t.Errorf("fresh: G-UNMAINTAINED %s (%s)", gate.State, gate.Reason)
			}
		case "stale":
			if act2.Raw != nil || act2.ObservedAt != nil {
				t.Errorf("stale: ACT-2 raw %v observed %v, want missing", act2.Raw, act2.ObservedAt)
			}
			if gate.State != models.GateNotEvaluated || !strings.Contains(gate.Reason, "collected 2025-02-25, older than 45 days") {
				t.Errorf("stale: G-UNMAINTAINED %s (%s), want not evaluated", gate.State, gate.Reason)
			}
		}
		if !r.AssessedAt.Equal(end) {
			t.Errorf("%s: assessed at %v, want the period's end", r.SubjectID, r.AssessedAt)
		}
	}
}
