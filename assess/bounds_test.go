package assess

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// boundsModel: two dimensions, a gate with several metrics in each mode.
const boundsModel = `
id: t
version: "1"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: A
    weight: 60
    indicators:
      - {id: a1, metrics: [manual.m1], normalize: {linear: {min: 0, max: 10}}, weight: 3, clause: c}
      - {id: a2, metrics: [forge.stars, scorecard.License], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
  - id: B
    weight: 40
    indicators:
      - {id: b1, metrics: [manual.m3], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
      - {id: b2, metrics: [osv.vulns_open], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
gates:
  - {id: G-D, metrics: [forge.months_since_last_push, gitlocal.months_since_last_commit], op: ge, value: 12, cap: D, clause: c}
  - {id: G-C, metrics: [license.relicensed_12m, gitlocal.relicensed_12m], combine: any, op: ge, value: 1, cap: C, clause: c}
`

var subject = models.Subject{Kind: models.KindProject, ID: "p"}

func TestScoreRangeAndMissing(t *testing.T) {
	m := mustModel(t, boundsModel)
	// a1 = 0.9 only; a2, b1, b2 missing. Coverage = 60·(3/4)/100 = 0.45 < 0.5.
	r := Score(m, subject, facts(map[string]float64{"manual.m1": 9}), Env{Now: time.Unix(0, 0)})
	// point: A = 0.9 → only dimension with data → 90.0
	// low:  A = 3·0.9/4 = 0.675, B = 0 → (60·0.675 + 0)/100 = 40.5
	// high: A = (2.7+1)/4 = 0.925, B = 1 → (60·0.925 + 40)/100 = 95.5
	near(t, "score", r.Score, 90)
	if len(r.ScoreRange) != 2 || r.ScoreRange[0] != 40.5 || r.ScoreRange[1] != 95.5 {
		t.Fatalf("score_range = %v, want [40.5 95.5]", r.ScoreRange)
	}
	// 40.5 → D, 95.5 → A; neither gate has data, so at worst both fire
	// (D) and each caps the best case at the grade below the top (B):
	// between D and B, no grade. Coverage 0.45 is below the minimum 0.5,
	// so the point 90 gives no estimate (issue 22: it used to be shown as
	// "B (estimate; …)"): the range alone, with the point score.
	if r.Status != models.StatusInconclusive || r.Grade != "" || strings.Join(r.GradeRange, ",") != "D,B" || r.GradeEstimate != "" {
		t.Errorf("status %s grade %q range %v estimate %q", r.Status, r.Grade, r.GradeRange, r.GradeEstimate)
	}
	if !strings.Contains(r.Explanation, "between D and B") || !strings.Contains(r.Explanation, "G-D (forge, gitlocal)") ||
		!strings.Contains(r.Explanation, "point score 90.0") {
		t.Errorf("explanation %q", r.Explanation)
	}
	// Swings: b1, b2 = 100·40/100·1/2 = 20 each; a2 = 100·60/100·1/4 = 15.
	want := []struct {
		id    string
		swing float64
		src   string
	}{{"b1", 20, "manual"}, {"b2", 20, "osv"}, {"a2", 15, "forge,scorecard"}}
	if len(r.Missing) != len(want) {
		t.Fatalf("missing = %+v", r.Missing)
	}
	for i, w := range want {
		g := r.Missing[i]
		if g.ID != w.id || g.Swing != w.swing || strings.Join(g.Sources, ",") != w.src {
			t.Errorf("missing[%d] = %+v, want %s %v %s", i, g, w.id, w.swing, w.src)
		}
	}
}

func TestGradedOnPartialData(t *testing.T) {
	m := mustModel(t, boundsModel)
	// a1 = 1, a2 = 1 (from scorecard.License, github missing), b1 = 1, b2 missing.
	// Coverage = (60·1 + 40·0.5)/100 = 0.8 ≥ 0.5.
	// low: A = 1, B = 1/2 → (60 + 20)/100 = 80 → A; high 100 → A. Above the
	// coverage minimum the bounds decide too: neither gate has data, so at
	// worst they fire (D) and at best they cap at B. Between D and B.
	gitClear := map[string]float64{"gitlocal.months_since_last_commit": 2, "gitlocal.relicensed_12m": 0, "license.relicensed_12m": 0}
	r := Score(m, subject, facts(map[string]float64{"manual.m1": 10, "scorecard.License": 10, "manual.m3": 10}), Env{Now: time.Unix(0, 0)})
	if r.Grade != "" || strings.Join(r.GradeRange, ",") != "D,B" || r.GradeEstimate != "B" || r.Status != models.StatusOK || r.ScoreRange[0] != 80 || r.ScoreRange[1] != 100 {
		t.Errorf("grade %q range %v estimate %q status %s score range %v", r.Grade, r.GradeRange, r.GradeEstimate, r.Status, r.ScoreRange)
	}
	// With the gates' data (both clear) the two ends agree: A, not partial.
	all := map[string]float64{"manual.m1": 10, "scorecard.License": 10, "manual.m3": 10}
	for k, v := range gitClear {
		all[k] = v
	}
	r = Score(m, subject, facts(all), Env{Now: time.Unix(0, 0)})
	if r.Grade != "A" || r.Partial || len(r.GradeRange) != 0 || r.GradeEstimate != "" {
		t.Errorf("grade %q partial %v range %v estimate %q", r.Grade, r.Partial, r.GradeRange, r.GradeEstimate)
	}
	for _, g := range r.GateStates {
		if g.State != models.GateClear {
			t.Errorf("gate %+v, want clear", g)
		}
	}
	// With min_coverage 0.5 a result below it misses more than 50 points,
	// wider than any band but D: only a gate can grade it. A stricter
	// model shows grading from the bounds: min_coverage 0.9, a2 missing.
	strict := mustModel(t, strings.Replace(boundsModel, "min_coverage: 0.5", "min_coverage: 0.9", 1))
	measured := map[string]float64{"manual.m1": 10, "manual.m3": 10, "osv.vulns_open": 10}
	// coverage = (60·3/4 + 40)/100 = 0.85 < 0.9; low = (60·3/4 + 40)/100 = 85
	// → A, high 100 → A. But neither gate has data: at worst both fire
	// (D), at best they cap at B: between D and B, the gates named.
	r = Score(strict, subject, facts(measured), Env{Now: time.Unix(0, 0)})
	if r.Status != models.StatusInconclusive || strings.Join(r.GradeRange, ",") != "D,B" || strings.Join(r.GatesUnknown, ",") != "G-D,G-C" {
		t.Errorf("status %s range %v unknown gates %v", r.Status, r.GradeRange, r.GatesUnknown)
	}
	// G-C combines with "any": git's 0 alone leaves the SBOM's metric able
	// to fire it, so it is still not evaluated: the worst end is C, the
	// best B.
	measured["gitlocal.months_since_last_commit"], measured["gitlocal.relicensed_12m"] = 2, 0
	r = Score(strict, subject, facts(measured), Env{Now: time.Unix(0, 0)})
	if strings.Join(r.GatesUnknown, ",") != "G-C" || strings.Join(r.GradeRange, ",") != "C,B" {
		t.Errorf("unknown gates %v range %v, want G-C and C..B", r.GatesUnknown, r.GradeRange)
	}
	if gs := r.GateStates[1]; gs.ID != "G-C" || gs.State != models.GateNotEvaluated || gs.BestCap != "B" ||
		strings.Join(gs.Sources, ",") != "license" || !strings.Contains(gs.Reason, "license.relicensed_12m: no observation") {
		t.Errorf("G-C state %+v", gs)
	}
	// With every gate metric in (and passing): graded A on partial data.
	measured["license.relicensed_12m"] = 0
	r = Score(strict, subject, facts(measured), Env{Now: time.Unix(0, 0)})
	if r.Status != models.StatusOK || r.Grade != "A" || !r.Partial || r.ScoreRange[0] != 85 {
		t.Errorf("status %s grade %q partial %v range %v", r.Status, r.Grade, r.Partial, r.ScoreRange)
	}
	if !strings.Contains(r.Explanation, "the missing indicators cannot change the grade") {
		t.Errorf("explanation %q", r.Explanation)
	}
	// a1 = 0 only (coverage 0.45): low 0 → D, high (60·1/4 + 40)/100 = 55 → C
	// (the unevaluated gates' best cap B is above it).
	r = Score(m, subject, facts(map[string]float64{"manual.m1": 0}), Env{Now: time.Unix(0, 0)})
	if r.ScoreRange[1] != 55 || strings.Join(r.GradeRange, ",") != "D,C" || r.Grade != "" {
		t.Errorf("range %v grades %v grade %q", r.ScoreRange, r.GradeRange, r.Grade)
	}
}

// A gate that caps at the worst grade decides, whatever the coverage: the
// abandoned project with nothing but its git history is D.
func TestGateDecidesBelowMinimum(t *testing.T) {
	m := mustModel(t, boundsModel)
	// Only git history: 40 months since the last commit. No indicator has
	// data (coverage 0): low 0, high 100 — but G-D caps both ends at D.
	r := Score(m, subject, facts(map[string]float64{"gitlocal.months_since_last_commit": 40}), Env{Now: time.Unix(0, 0)})
	if r.Status != models.StatusOK || r.Grade != "D" || !r.Partial || len(r.Gates) != 1 || r.Gates[0].ID != "G-D" {
		t.Fatalf("status %s grade %q partial %v gates %+v", r.Status, r.Grade, r.Partial, r.Gates)
	}
	if !strings.Contains(r.Explanation, "graded on partial data") || !strings.Contains(r.Explanation, "capped at D by G-D") {
		t.Errorf("explanation %q", r.Explanation)
	}
	// combine first: GitHub's pushed date (3 months) decides over a stale
	// clone (40 months): no gate.
	r = Score(m, subject, facts(map[string]float64{"forge.months_since_last_push": 3, "gitlocal.months_since_last_commit": 40}), Env{Now: time.Unix(0, 0)})
	if len(r.Gates) != 0 {
		t.Errorf("gates %+v, want none: the first metric with data decides", r.Gates)
	}
	// A cap of C with a low end of D stays between D and C.
	r = Score(m, subject, facts(map[string]float64{"gitlocal.relicensed_12m": 1}), Env{Now: time.Unix(0, 0)})
	if r.Status != models.StatusInconclusive || strings.Join(r.GradeRange, ",") != "D,C" || len(r.Gates) != 1 {
		t.Errorf("status %s range %v gates %+v", r.Status, r.GradeRange, r.Gates)
	}
	// combine any: the SBOM says 0 relicensings, git says 1 → fires.
	r = Score(m, subject, facts(map[string]float64{"license.relicensed_12m": 0, "gitlocal.relicensed_12m": 1}), Env{Now: time.Unix(0, 0)})
	if len(r.Gates) != 1 || !strings.HasPrefix(r.Gates[0].Reason, "gitlocal.relicensed_12m = 1") {
		t.Errorf("gates %+v, want G-C from git", r.Gates)
	}
}

func TestGateMetricValidation(t *testing.T) {
	bad := strings.Replace(boundsModel, "metrics: [forge.months_since_last_push, gitlocal.months_since_last_commit]",
		"metric: forge.archived, metrics: [forge.months_since_last_push]", 1)
	_, err := models.Parse("m.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "give metric or metrics, not both") || !strings.Contains(err.Error(), "line 19") {
		t.Errorf("err = %v", err)
	}
	bad = strings.Replace(boundsModel, "combine: any", "combine: all", 1)
	if _, err := models.Parse("m.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "combine must be first or any") {
		t.Errorf("err = %v", err)
	}
}

// A missing penalty counts at its whole weight at the worst end and is
// listed among the missing data.
func TestMissingModifier(t *testing.T) {
	src := strings.Replace(boundsModel, "gates:", `modifiers:
  - {id: M1, metrics: [evidence.top2_share_pct], normalize: {bands: [{min: 0, score: 0}, {min: 80.0001, score: 1}]}, weight: 5, clause: c}
gates:`, 1)
	m := mustModel(t, src)
	r := Score(m, subject, facts(map[string]float64{"manual.m1": 10, "scorecard.License": 10, "manual.m3": 10, "osv.vulns_open": 10}), Env{Now: time.Unix(0, 0)})
	// Every indicator is 1: point 100, no penalty measured. Low = 100 − 5 = 95,
	// high = 100.
	if r.ScoreRange[0] != 95 || r.ScoreRange[1] != 100 {
		t.Errorf("range %v, want [95 100]", r.ScoreRange)
	}
	if len(r.Missing) != 1 || r.Missing[0].ID != "M1" || r.Missing[0].Dimension != "modifier" || r.Missing[0].Swing != 5 {
		t.Errorf("missing %+v", r.Missing)
	}
}
