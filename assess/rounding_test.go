package assess

import (
	"testing"

	"github.com/osgauge/osgauge/models"
)

// Issue 22 item 11: grades come from the unrounded bounds; rounding to 0.1
// is for display. One indicator, linear 0..10000, raw 6496: normalised
// 0.6496, score 100·0.6496 = 64.96, shown as 65.0 but below B's 65: C.
func TestGradeFromUnroundedBounds(t *testing.T) {
	m := mustModel(t, `
id: t
version: "1"
subject: project
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: S
    weight: 100
    indicators:
      - {id: s1, metrics: [manual.m1], normalize: {linear: {min: 0, max: 10000}}, weight: 1, clause: c}
`)
	r := Score(m, subject, facts(map[string]float64{"manual.m1": 6496}), Env{})
	if *r.Score != 65 || r.ScoreRange[0] != 65 || r.ScoreRange[1] != 65 {
		t.Fatalf("display: score %v range %v, want 65.0", *r.Score, r.ScoreRange)
	}
	if r.Grade != "C" || r.Status != models.StatusOK {
		t.Errorf("grade %q (%s), want C: 64.96 < 65", r.Grade, r.Explanation)
	}
	// 6500 → exactly 65 → B.
	r = Score(m, subject, facts(map[string]float64{"manual.m1": 6500}), Env{})
	if r.Grade != "B" {
		t.Errorf("65.0: grade %q, want B", r.Grade)
	}
}
