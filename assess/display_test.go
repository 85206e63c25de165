package assess_test

import (
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// Issue 22 item 6: below the coverage minimum the grade cell reads the
// range alone, "between D and B" (the score is shown beside it); at or
// above it, the point score's grade as an estimate.
func TestGradeDisplayBelowMinimum(t *testing.T) {
	m, err := models.Parse("t.yaml", []byte(`
id: t
version: "1"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: S
    weight: 100
    indicators:
      - {id: s1, metrics: [manual.m1], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
      - {id: s2, metrics: [manual.m2], normalize: {linear: {min: 0, max: 10}}, weight: 19, clause: c}
`))
	if err != nil {
		t.Fatal(err)
	}
	obs := func(kv map[string]float64) assess.Facts {
		f := assess.Facts{}
		for k, v := range kv {
			f[k] = models.Observation{Metric: k, Value: models.Num(v), Source: "t"}
		}
		return f
	}
	p := models.Subject{Kind: models.KindProject, ID: "p"}
	// s1 = 0.7 alone: coverage 1/20 = 5 %. point 70.0; range
	// [100·0.7/20, 100·(0.7 + 19)/20] = [3.5, 98.5]: between D and A.
	// It was "B (estimate; between D and A)".
	r := assess.Score(m, p, obs(map[string]float64{"manual.m1": 7}), assess.Env{Now: time.Unix(0, 0)})
	if r.Coverage != 0.05 || r.GradeEstimate != "" {
		t.Fatalf("coverage %v estimate %q", r.Coverage, r.GradeEstimate)
	}
	// Issue 26: every undecided cell reads the range first, "D–A, undecided".
	if g := reports.GradeDisplay(&r, "en", nil, nil); g != "D–A, undecided" {
		t.Errorf("below the minimum: %q, want \"D–A, undecided\"", g)
	}
	// s2 = 0.8 alone: coverage 19/20 = 95 % ≥ 50 %. point 80.0 → A; range
	// [100·19·0.8/20, 100·(15.2 + 1)/20] = [76, 81]: between B and A, with
	// the estimate A.
	r = assess.Score(m, p, obs(map[string]float64{"manual.m2": 8}), assess.Env{Now: time.Unix(0, 0)})
	// the estimate A is in the detail only (reports.GradeDetail)
	if g := reports.GradeDisplay(&r, "en", nil, nil); g != "B–A, undecided" {
		t.Errorf("above the minimum: %q, want \"B–A, undecided\"", g)
	}
}
