package assess

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

const testModel = `
id: t
version: "1"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
profiles:
  deep: {dimensions: {A: 30, B: 70}}
dimensions:
  - id: A
    weight: 60
    indicators:
      - {id: a1, metrics: [manual.m1], normalize: {log: {threshold: 10}}, weight: 3, clause: c}
      - {id: a2, metrics: [manual.m2], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
  - id: B
    weight: 40
    indicators:
      - id: b1
        metrics: [manual.m3]
        normalize: {bands: [{min: 0, score: 0}, {min: 2, score: 0.5}, {min: 5, score: 1}]}
        weight: 1
        clause: c
      - {id: b2, metrics: [manual.m4], normalize: {bool: true}, weight: 1, clause: c}
gates:
  - {id: G1, metric: manual.m5, op: eq, value: 1, cap: C, clause: c, name: {en: gate one}}
`

func mustModel(t *testing.T, src string) *models.Model {
	t.Helper()
	m, err := models.Parse("test.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func facts(kv map[string]float64) Facts {
	f := Facts{}
	for k, v := range kv {
		f[k] = models.Observation{Metric: k, Value: models.Num(v), Source: "test", Evidence: "ev-" + k}
	}
	return f
}

func near(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Errorf("%s = nil, want %v", what, want)
		return
	}
	if math.Abs(*got-want) > 0.05 {
		t.Errorf("%s = %v, want %v", what, *got, want)
	}
}

func TestScoreByHand(t *testing.T) {
	m := mustModel(t, testModel)
	s := models.Subject{Kind: models.KindProject, ID: "p"}
	r := Score(m, s, facts(map[string]float64{"manual.m1": 4, "manual.m2": 7, "manual.m3": 3}), Env{Now: time.Unix(0, 0)})
	// a1 = ln(1+4)/ln(1+max(4,10)) = 1.609438/2.397895 = 0.671188
	// a2 = (7-0)/(10-0) = 0.7
	// A  = (3·0.671188 + 1·0.7)/(3+1) = 2.713564/4 = 0.678391 → 67.8
	// b1 = band ≥2 → 0.5; b2 has no data (inconclusive, drops out)
	// B  = 1·0.5/1 = 0.5 → 50.0, coverage 1/2
	// index = (60·0.678391 + 40·0.5)/100 = 60.70346/100 = 0.607035 → 60.7 → C
	// coverage = (60·1 + 40·0.5)/100 = 0.8
	// Bounds: B at worst (0.5+0)/2 = 0.25, at best (0.5+1)/2 = 0.75:
	// low = 40.7035 + 40·0.25 = 50.7 → C, high = 40.7035 + 30 = 70.7 → B.
	// G1 (manual.m5) has no data: at worst it fires (C), at best it caps
	// at B. So the grade is between C and B, estimate C (the point 60.7).
	near(t, "A", r.Dimensions[0].Score, 67.8)
	near(t, "B", r.Dimensions[1].Score, 50.0)
	near(t, "score", r.Score, 60.7)
	if r.Grade != "" || r.GradeEstimate != "C" || strings.Join(r.GradeRange, ",") != "C,B" || r.Status != models.StatusOK {
		t.Errorf("grade %q estimate %q range %v status %q, want between C and B, estimate C, ok", r.Grade, r.GradeEstimate, r.GradeRange, r.Status)
	}
	// With b2 = 0 and G1 clear (m5 = 0), every indicator and gate has data:
	// B = (0.5+0)/2 = 0.25, index = 40.7035 + 10 = 50.7 → C at both ends.
	d := Score(m, s, facts(map[string]float64{"manual.m1": 4, "manual.m2": 7, "manual.m3": 3, "manual.m4": 0, "manual.m5": 0}), Env{Now: time.Unix(0, 0)})
	near(t, "score (all data)", d.Score, 50.7)
	if d.Grade != "C" || len(d.GradeRange) != 0 || d.GradeEstimate != "" {
		t.Errorf("all data: grade %q range %v estimate %q, want C decided", d.Grade, d.GradeRange, d.GradeEstimate)
	}
	if math.Abs(r.Coverage-0.8) > 1e-4 || r.Dimensions[1].Coverage != 0.5 {
		t.Errorf("coverage %v / B %v", r.Coverage, r.Dimensions[1].Coverage)
	}
	// Contributions are index points: a1 = 100·0.6·3·0.671188/4 = 30.20,
	// a2 = 100·0.6·0.7/4 = 10.50, b1 = 100·0.4·0.5/1 = 20.00; sum 60.70.
	near(t, "a1 contribution", r.Indicators[0].Contribution, 30.20)
	near(t, "a2 contribution", r.Indicators[1].Contribution, 10.50)
	near(t, "b1 contribution", r.Indicators[2].Contribution, 20.00)
	b2 := r.Indicators[3]
	if b2.Status != models.StatusInconclusive || b2.Raw != nil || b2.Normalized != nil || b2.Contribution != nil {
		t.Errorf("b2 should be inconclusive with nulls: %+v", b2)
	}
	if r.Indicators[0].Evidence != "ev-manual.m1" || r.Indicators[0].Source != "test" {
		t.Errorf("a1 provenance lost: %+v", r.Indicators[0])
	}
}

func TestProfileChangesDimensionWeights(t *testing.T) {
	m := mustModel(t, testModel)
	s := models.Subject{ID: "p", Attrs: map[string]string{"use_type": "deep"}}
	r := Score(m, s, facts(map[string]float64{"manual.m1": 4, "manual.m2": 7, "manual.m3": 3}), Env{Now: time.Unix(0, 0)})
	// deep: A weighs 30, B weighs 70: (30·0.678391 + 70·0.5)/100 = 0.553517 → 55.4
	near(t, "score", r.Score, 55.4)
	if r.Profile != "deep" {
		t.Errorf("profile %q", r.Profile)
	}
}

func TestGateCapsGrade(t *testing.T) {
	m := mustModel(t, testModel)
	// All indicators at 1 (m1 ≥ T gives ln11/ln11 = 1; m2 = 10 → 1; m3 = 5 → 1;
	// m4 = 1 → 1): score 100, grade A, but gate G1 (m5 = 1) caps at C.
	r := Score(m, models.Subject{ID: "p"}, facts(map[string]float64{"manual.m1": 10, "manual.m2": 10, "manual.m3": 5, "manual.m4": 1, "manual.m5": 1}), Env{Now: time.Unix(0, 0)})
	near(t, "score", r.Score, 100)
	if r.Grade != "C" || len(r.Gates) != 1 || r.Gates[0].ID != "G1" {
		t.Errorf("grade %q gates %+v, want C capped by G1", r.Grade, r.Gates)
	}
	// m5 = 0: the gate does not fire, grade A.
	r = Score(m, models.Subject{ID: "p"}, facts(map[string]float64{"manual.m1": 10, "manual.m2": 10, "manual.m3": 5, "manual.m4": 1, "manual.m5": 0}), Env{Now: time.Unix(0, 0)})
	if r.Grade != "A" || len(r.Gates) != 0 {
		t.Errorf("grade %q gates %+v, want A and no gate", r.Grade, r.Gates)
	}
}

func TestLowCoverageIsInconclusive(t *testing.T) {
	m := mustModel(t, testModel)
	// Only m3: A has no data; B coverage 1/2; index coverage (60·0 + 40·0.5)/100
	// = 0.2 < 0.5 → inconclusive, no grade, even though B scores 50.
	r := Score(m, models.Subject{ID: "p"}, facts(map[string]float64{"manual.m3": 3}), Env{Now: time.Unix(0, 0)})
	if r.Status != models.StatusInconclusive || r.Grade != "" {
		t.Errorf("status %q grade %q, want inconclusive and no grade", r.Status, r.Grade)
	}
	if math.Abs(r.Coverage-0.2) > 1e-4 {
		t.Errorf("coverage %v", r.Coverage)
	}
	if r.Dimensions[0].Score != nil {
		t.Errorf("dimension without data must have no score, got %v", *r.Dimensions[0].Score)
	}
}

// Removing a poor indicator's data may raise the score, but never without
// the coverage dropping; and below the minimum coverage no grade is given.
func TestMissingDataDoesNotHideBehindAGrade(t *testing.T) {
	m := mustModel(t, testModel)
	full := facts(map[string]float64{"manual.m1": 10, "manual.m2": 0, "manual.m3": 5, "manual.m4": 1})
	r1 := Score(m, models.Subject{ID: "p"}, full, Env{Now: time.Unix(0, 0)})
	delete(full, "manual.m2") // a2 normalised to 0: the poor indicator
	r2 := Score(m, models.Subject{ID: "p"}, full, Env{Now: time.Unix(0, 0)})
	// r1: A = (3·1 + 1·0)/4 = 0.75; B = 1; (60·0.75 + 40·1)/100 = 0.85 → 85.0
	// r2: A = 3·1/3 = 1; index 100; coverage (60·3/4 + 40·1)/100 = 0.85 < 1
	near(t, "with", r1.Score, 85.0)
	near(t, "without", r2.Score, 100)
	if !(r2.Coverage < r1.Coverage) {
		t.Errorf("coverage did not drop: %v → %v", r1.Coverage, r2.Coverage)
	}
}

func TestNormalisations(t *testing.T) {
	cases := []struct {
		name string
		n    models.Normalize
		raw  *float64
		text string
		want float64
		ok   bool
	}{
		// 1 - ln(5)/ln(13) = 1 - 1.609438/2.564949 = 0.372527
		{"inv-log", models.Normalize{InvLog: &models.Threshold{Threshold: 12}}, models.Num(4), "", 0.372527, true},
		// above the threshold the log scale saturates at 1
		{"log saturates", models.Normalize{Log: &models.Threshold{Threshold: 12}}, models.Num(500), "", 1, true},
		{"log zero", models.Normalize{Log: &models.Threshold{Threshold: 12}}, models.Num(0), "", 0, true},
		{"linear clamps", models.Normalize{Linear: &models.Range{Min: 0, Max: 10}}, models.Num(12), "", 1, true},
		{"linear inverted", models.Normalize{Linear: &models.Range{Min: 0, Max: 10}, Invert: true}, models.Num(2), "", 0.8, true},
		{"evidence 3", models.Normalize{Evidence: true}, models.Num(3), "", 0.75, true},
		{"evidence 5 refused", models.Normalize{Evidence: true}, models.Num(5), "", 0, false},
		{"text band", models.Normalize{Bands: []models.Band{{Equals: "permissive", Score: 1}, {Equals: "strong-copyleft", Score: 0.5}}}, nil, "Strong-Copyleft", 0.5, true},
		{"text band no match", models.Normalize{Bands: []models.Band{{Equals: "permissive", Score: 1}}}, nil, "other", 0, false},
		{"below lowest band", models.Normalize{Bands: []models.Band{{Min: models.Num(1), Score: 1}}}, models.Num(0), "", 0, false},
		{"bool", models.Normalize{Bool: true}, models.Num(2), "", 1, true},
	}
	for _, c := range cases {
		got, ok, _ := Normalize(c.n, c.raw, c.text)
		if ok != c.ok || (ok && math.Abs(got-c.want) > 1e-6) {
			t.Errorf("%s: got %v,%v want %v,%v", c.name, got, ok, c.want, c.ok)
		}
	}
}

const stagedModel = `
id: s
version: "1"
kind: staged
subject: institution
pass_evidence: 3
levels: [{level: 1}, {level: 2}, {level: 3}, {level: 4}, {level: 5}]
dimensions:
  - id: D1
    weight: 40
    core: true
    indicators:
      - {id: p1, level: 2, metrics: [manual.p1], normalize: {evidence: true}, clause: c}
      - {id: p2, level: 3, metrics: [manual.p2], normalize: {evidence: true}, clause: c}
      - {id: p3, level: 4, metrics: [manual.p3], normalize: {evidence: true}, clause: c}
  - id: D2
    weight: 40
    core: true
    indicators:
      - {id: q1, level: 2, metrics: [manual.q1], normalize: {evidence: true}, clause: c}
      - {id: q2, level: 3, metrics: [manual.q2], normalize: {evidence: true}, clause: c}
  - id: D3
    weight: 20
    indicators:
      - {id: r1, level: 2, metrics: [manual.r1], normalize: {evidence: true}, clause: c}
`

func TestStagedLevels(t *testing.T) {
	m := mustModel(t, stagedModel)
	r := Score(m, models.Subject{ID: "bank"}, facts(map[string]float64{"manual.p1": 4, "manual.p2": 3, "manual.p3": 1, "manual.q1": 3, "manual.q2": 2, "manual.r1": 0}), Env{Now: time.Unix(0, 0)})
	// D1: L2 (p1=4 ≥ 3) and L3 (p2=3 ≥ 3) pass, L4 (p3=1) fails → level 3
	// D2: L2 (q1=3) passes, L3 (q2=2) fails → level 2
	// D3: L2 (r1=0) fails → level 1 (not core)
	// institution = min over core domains = min(3, 2) = 2
	want := []int{3, 2, 1}
	for i, d := range r.Dimensions {
		if d.Level != want[i] {
			t.Errorf("%s level %d, want %d", d.ID, d.Level, want[i])
		}
	}
	if r.Level != 2 {
		t.Errorf("institution level %d, want 2", r.Level)
	}
	// Weights are practice levels, n = evidence/4:
	// D1 = (2·4/4 + 3·3/4 + 4·1/4)/(2+3+4) = 5.25/9 = 58.3
	// D2 = (2·3/4 + 3·2/4)/(2+3) = 3/5 = 60.0; D3 = 0
	// score = (40·58.333 + 40·60 + 20·0)/100 = 47.3
	near(t, "D1", r.Dimensions[0].Score, 58.3)
	near(t, "D2", r.Dimensions[1].Score, 60.0)
	near(t, "score", r.Score, 47.3)
	// Gaps to the next level, lowest domain first: D3/r1, D2/q2, D1/p3.
	var got []string
	for _, g := range r.Gaps {
		got = append(got, g.Domain+"/"+g.Practice)
	}
	if len(got) != 3 || got[0] != "D3/r1" || got[1] != "D2/q2" || got[2] != "D1/p3" {
		t.Errorf("gaps = %v", got)
	}
}

func TestStagedMissingEvidenceIsNotMet(t *testing.T) {
	m := mustModel(t, stagedModel)
	// q1 missing: D2 cannot reach L2 however good q2 is.
	r := Score(m, models.Subject{ID: "bank"}, facts(map[string]float64{"manual.p1": 4, "manual.p2": 4, "manual.q2": 4}), Env{Now: time.Unix(0, 0)})
	if r.Dimensions[1].Level != 1 || r.Level != 1 {
		t.Errorf("D2 level %d, institution %d; want 1 and 1", r.Dimensions[1].Level, r.Level)
	}
	if r.Gaps[0].Evidence != nil {
		t.Errorf("a missing practice must show no evidence, got %v", *r.Gaps[0].Evidence)
	}
}

func TestCombineMean(t *testing.T) {
	m := mustModel(t, `
id: c
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: D
    weight: 100
    indicators:
      - {id: i, metrics: [manual.x, manual.y, manual.z], combine: mean, normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
`)
	f := facts(map[string]float64{"manual.x": 4, "manual.y": 8})
	f["manual.z"] = models.Observation{Metric: "manual.z", Reason: "needs network"}
	r := Score(m, models.Subject{ID: "p"}, f, Env{Now: time.Unix(0, 0)})
	// mean of the metrics with data: (4+8)/2 = 6 → 0.6 → 60
	near(t, "raw", r.Indicators[0].Raw, 6)
	near(t, "score", r.Score, 60)
}

// The OpenSSF criticality score, Σαᵢ·ln(1+Sᵢ)/ln(1+max(Sᵢ,Tᵢ)) / Σαᵢ,
// reproduced with log normalisations and weights in one dimension.
func TestCriticalityScoreWorkedExample(t *testing.T) {
	m := mustModel(t, `
id: crit
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: C
    weight: 100
    indicators:
      - {id: contributors, metrics: [manual.contributors], normalize: {log: {threshold: 5000}}, weight: 2, clause: criticality_score contributor_count}
      - {id: commits, metrics: [manual.commit_frequency], normalize: {log: {threshold: 1000}}, weight: 1, clause: criticality_score commit_frequency}
      - {id: dependents, metrics: [manual.dependents], normalize: {log: {threshold: 500000}}, weight: 2, clause: criticality_score dependents_count}
`)
	r := Score(m, models.Subject{ID: "p"}, facts(map[string]float64{"manual.contributors": 100, "manual.commit_frequency": 50, "manual.dependents": 2000}), Env{})
	// f1 = ln(101)/ln(5001)    = 4.61512/8.51739  = 0.541846
	// f2 = ln(51)/ln(1001)     = 3.93183/6.90875  = 0.569108
	// f3 = ln(2001)/ln(500001) = 7.60140/13.12236 = 0.579271
	// (2·0.541846 + 1·0.569108 + 2·0.579271)/5 = 2.811342/5 = 0.562268 → 56.2
	near(t, "criticality", r.Score, 56.2)
}
