package assess

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// partialModel: SEC-2's shape (the mean of two Scorecard checks, linear
// 0..10) beside a single-metric indicator three times as heavy.
const partialModel = `
id: t
version: "1"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: S
    weight: 100
    indicators:
      - {id: s1, metrics: [scorecard.Branch-Protection, scorecard.CI-Tests], combine: mean, normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
      - {id: s2, metrics: [scorecard.SAST], normalize: {linear: {min: 0, max: 10}}, weight: 3, clause: c}
`

// Issue 22 item 3: an indicator combining several metrics with one missing
// is bounded with the missing one at its worst and best and counts in
// coverage for its measured share only.
func TestPartialIndicatorWidensTheRange(t *testing.T) {
	m := mustModel(t, partialModel)
	// CI-Tests 10, SAST 6, Branch-Protection missing (a non-admin token).
	r := Score(m, subject, facts(map[string]float64{"scorecard.CI-Tests": 10, "scorecard.SAST": 6}), Env{Now: time.Unix(0, 0)})
	// s1: point = N(10) = 1 (the measured metric); worst = mean(0, 10)/10
	// = 0.5, best = mean(10, 10)/10 = 1; measured 1/2. s2 = 0.6.
	s1 := r.Indicators[0]
	if s1.Normalized == nil || *s1.Normalized != 1 || len(s1.NormalizedRange) != 2 || s1.NormalizedRange[0] != 0.5 || s1.NormalizedRange[1] != 1 ||
		s1.Measured == nil || *s1.Measured != 0.5 {
		t.Fatalf("s1 = %+v", s1)
	}
	// point = 100·(1·1 + 3·0.6)/4 = 100·2.8/4 = 70.0
	// low   = 100·(1·0.5 + 3·0.6)/4 = 100·2.3/4 = 57.5; high = 70.0
	// coverage = (1·0.5 + 3·1)/4 = 0.875 (it was 1: counted as measured)
	near(t, "score", r.Score, 70)
	if r.ScoreRange[0] != 57.5 || r.ScoreRange[1] != 70 || r.Coverage != 0.875 {
		t.Fatalf("range %v coverage %v, want [57.5 70] 0.875", r.ScoreRange, r.Coverage)
	}
	// 57.5 → C, 70 → B: between C and B (it was "decided B"); coverage
	// 0.875 ≥ 0.5, so the point's grade B is the estimate.
	if r.Grade != "" || strings.Join(r.GradeRange, ",") != "C,B" || r.GradeEstimate != "B" {
		t.Errorf("grade %q range %v estimate %q", r.Grade, r.GradeRange, r.GradeEstimate)
	}
	// Missing: s1 for its missing metric, swing 100·1·(1 − 0.5)/4 = 12.5.
	if len(r.Missing) != 1 || r.Missing[0].ID != "s1" || r.Missing[0].Swing != 12.5 ||
		strings.Join(r.Missing[0].Metrics, ",") != "scorecard.Branch-Protection" || strings.Join(r.Missing[0].Sources, ",") != "scorecard" {
		t.Errorf("missing = %+v", r.Missing)
	}
	if !strings.Contains(s1.Explanation, "mean of 1/2 metrics") || !strings.Contains(s1.Explanation, "0.50–1.00") {
		t.Errorf("s1 explanation %q", s1.Explanation)
	}
	// With the check measured at 0, the score is the low end: s1 = 0.5,
	// 100·(0.5 + 1.8)/4 = 57.5, graded C — inside the earlier range.
	r0 := Score(m, subject, facts(map[string]float64{"scorecard.CI-Tests": 10, "scorecard.SAST": 6, "scorecard.Branch-Protection": 0}), Env{Now: time.Unix(0, 0)})
	near(t, "score with the check at 0", r0.Score, 57.5)
	if r0.Grade != "C" || r0.Coverage != 1 || r0.Indicators[0].NormalizedRange != nil {
		t.Errorf("measured: grade %q coverage %v %+v", r0.Grade, r0.Coverage, r0.Indicators[0])
	}
}

// The ends of each normalisation and combination, by hand.
func TestPartialRangeByHand(t *testing.T) {
	lin := models.Normalize{Linear: &models.Range{Min: 0, Max: 10}}
	cases := []struct {
		name    string
		how     string
		n       models.Normalize
		vals    []float64
		missing int
		lo, hi  float64
	}{
		// mean(10, 0)/10 = 0.5; mean(10, 10)/10 = 1
		{"mean linear", "mean", lin, []float64{10}, 1, 0.5, 1},
		// three metrics, 6 measured: mean(6,0,0) = 2 → 0.2; mean(6,10,10) = 26/3 → 0.8667
		{"mean linear, two missing", "mean", lin, []float64{6}, 2, 0.2, 26.0 / 30},
		// log(T=10): worst mean(10, 0) = 5 → ln 6/ln 11 = 1.79176/2.39790 = 0.74722;
		// best: a count has no upper limit → 1
		{"mean log", "mean", models.Normalize{Log: &models.Threshold{Threshold: 10}}, []float64{10}, 1, math.Log(6) / math.Log(11), 1},
		// inv-log(T=30), min: the missing metric can only lower the min,
		// which is better: worst = the point 1 − ln 6/ln 31 = 0.47822;
		// best min(5, 0) = 0 → 1
		{"min inv-log", "min", models.Normalize{InvLog: &models.Threshold{Threshold: 30}}, []float64{5}, 1, 1 - math.Log(6)/math.Log(31), 1},
		// sum, log(T=100): worst 20 + 0 → ln 21/ln 101 = 0.65968; best → 1
		{"sum log", "sum", models.Normalize{Log: &models.Threshold{Threshold: 100}}, []float64{20}, 1, math.Log(21) / math.Log(101), 1},
		// max, linear inverted (smaller is better): worst raw 10 →
		// max(4, 10) = 10 → 0; best raw 0 → max(4, 0) = 4 → 1 − 0.4 = 0.6
		{"max linear inverted", "max", models.Normalize{Linear: &models.Range{Min: 0, Max: 10}, Invert: true}, []float64{4}, 1, 0, 0.6},
		// text bands have no order: anywhere in [0, 1]
		{"text bands", "mean", models.Normalize{Bands: []models.Band{{Equals: "x", Score: 0.3}}}, []float64{1}, 1, 0, 1},
	}
	for _, c := range cases {
		v := combineValues(c.how, c.vals)
		point, _, _ := Normalize(c.n, &v, "")
		lo, hi := partialRange(c.how, c.n, c.vals, c.missing, point)
		if math.Abs(lo-c.lo) > 1e-9 || math.Abs(hi-c.hi) > 1e-9 {
			t.Errorf("%s: [%v, %v], want [%v, %v]", c.name, lo, hi, c.lo, c.hi)
		}
		if point < lo || point > hi {
			t.Errorf("%s: point %v outside [%v, %v]", c.name, point, lo, hi)
		}
	}
}

// A decayed indicator is 0 whatever its missing metrics; one whose decay
// cannot be told (no activity data) lies between 0 and its value.
func TestPartialIndicatorAndDecay(t *testing.T) {
	m := mustModel(t, `
id: t
version: "1"
subject: project
grades: [{id: A, min: 80}, {id: D, min: 0}]
dimensions:
  - id: S
    weight: 100
    indicators:
      - {id: s1, metrics: [scorecard.SAST, scorecard.Fuzzing], combine: mean, normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c,
         decay: {metrics: [gitlocal.months_since_last_commit], after_months: 24}}
`)
	// Inactive 30 months ≥ 24: s1 = 0 at both ends, nothing missing.
	r := Score(m, subject, facts(map[string]float64{"scorecard.SAST": 8, "gitlocal.months_since_last_commit": 30}), Env{})
	if ir := r.Indicators[0]; *ir.Normalized != 0 || ir.NormalizedRange[0] != 0 || ir.NormalizedRange[1] != 0 || len(r.Missing) != 0 {
		t.Errorf("decayed: %+v missing %+v", ir, r.Missing)
	}
	// No activity data: point mean(8)/10 = 0.8; best mean(8, 10)/10 = 0.9;
	// worst 0 (it may have decayed). Range [0, 90], measured 1/2.
	r = Score(m, subject, facts(map[string]float64{"scorecard.SAST": 8}), Env{})
	near(t, "score", r.Score, 80)
	if r.ScoreRange[0] != 0 || r.ScoreRange[1] != 90 || r.Coverage != 0.5 {
		t.Errorf("range %v coverage %v, want [0 90] 0.5", r.ScoreRange, r.Coverage)
	}
}
