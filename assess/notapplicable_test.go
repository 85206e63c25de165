package assess

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

const naModel = `
id: t
version: "1"
subject: project
min_coverage: 0.9
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: A
    weight: 60
    indicators:
      - {id: a1, metrics: [manual.m1], normalize: {linear: {min: 0, max: 10}}, weight: 3, clause: c}
      - {id: a2, metrics: [manual.m2], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
  - id: B
    weight: 40
    indicators:
      - {id: b1, metrics: [manual.m3], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
`

// Issue 22 item 9, index model: an exception naming an indicator without
// normalized sets it aside as not applicable, with who and why; it is
// left out of the score, of both ends of the range and of coverage.
func TestNotApplicableByException(t *testing.T) {
	m := mustModel(t, naModel)
	f := facts(map[string]float64{"manual.m1": 8, "manual.m3": 5})
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

	// a2 missing. point = (60·0.8 + 40·0.5)/100 = 68.0;
	// low  = (60·(3·0.8)/4 + 40·0.5)/100 = (36 + 20)/100 = 56.0;
	// high = (60·(2.4 + 1)/4 + 20)/100 = (51 + 20)/100 = 71.0;
	// coverage = (60·3/4 + 40·1)/100 = 0.85 < 0.9.
	r := Score(m, subject, f, Env{Now: now})
	near(t, "score", r.Score, 68)
	if r.ScoreRange[0] != 56 || r.ScoreRange[1] != 71 || r.Coverage != 0.85 || len(r.Missing) != 1 {
		t.Fatalf("missing a2: range %v coverage %v missing %+v", r.ScoreRange, r.Coverage, r.Missing)
	}

	// a2 not applicable: A = 0.8 at both ends (T = 3), so the range is
	// [68, 68], coverage (60·1 + 40·1)/100 = 1, graded B (65 ≤ 68 < 80).
	na := models.Exception{Subject: "p", Indicator: "a2", Who: "Li Lei (OSPO)", Why: "no releases: the project is vendored as source", Expires: "2026-12-31"}
	r = Score(m, subject, f, Env{Now: now, Exceptions: []models.Exception{na}})
	near(t, "score", r.Score, 68)
	if r.ScoreRange[0] != 68 || r.ScoreRange[1] != 68 || r.Coverage != 1 || r.Grade != "B" || len(r.Missing) != 0 {
		t.Fatalf("a2 N/A: range %v coverage %v grade %q missing %+v (%s)", r.ScoreRange, r.Coverage, r.Grade, r.Missing, r.Explanation)
	}
	a2 := r.Indicators[1]
	if a2.ID != "a2" || a2.Status != models.StatusNotApplicable || a2.Normalized != nil || a2.Contribution != nil || a2.NotApplicable == nil ||
		a2.NotApplicable.Who != "Li Lei (OSPO)" || a2.NotApplicable.Why != na.Why || a2.NotApplicable.Source != "exception" || a2.NotApplicable.Until != "2026-12-31" {
		t.Fatalf("a2 = %+v", a2)
	}
	if !strings.Contains(a2.Explanation, "not applicable") || !strings.Contains(a2.Explanation, "Li Lei") {
		t.Errorf("a2 explanation %q", a2.Explanation)
	}
	// Recorded as an exception like any other.
	if len(r.Exceptions) != 1 || !r.Exceptions[0].Active || !strings.Contains(r.Exceptions[0].Effect, "not applicable") {
		t.Errorf("exceptions = %+v", r.Exceptions)
	}
	// Contributions still add up to the score: a1 60·0.8 = 48, b1 40·0.5 = 20.
	if c := *r.Indicators[0].Contribution + *r.Indicators[2].Contribution; c != 68 {
		t.Errorf("contributions add up to %v", c)
	}

	// Expired (31 Dec 2026 < 2 Jan 2027): a2 is missing again.
	r = Score(m, subject, f, Env{Now: time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC), Exceptions: []models.Exception{na}})
	if r.ScoreRange[0] != 56 || r.ScoreRange[1] != 71 || len(r.Exceptions) != 1 || r.Exceptions[0].Active || r.Indicators[1].Status != models.StatusInconclusive {
		t.Errorf("expired: range %v exceptions %+v a2 %+v", r.ScoreRange, r.Exceptions, r.Indicators[1])
	}

	// A measured indicator set aside: b1 N/A takes dimension B out of the
	// index and of coverage: point = A alone = 0.8 → 80.0; range: only A
	// counts, [60·0.6/60, 60·0.85/60] = [60, 85]; coverage = A's 0.75.
	nb := models.Exception{Subject: "p", Indicator: "b1", Who: "w", Why: "y", Expires: "2026-12-31"}
	r = Score(m, subject, f, Env{Now: now, Exceptions: []models.Exception{nb}})
	near(t, "score without B", r.Score, 80)
	if r.ScoreRange[0] != 60 || r.ScoreRange[1] != 85 || r.Coverage != 0.75 {
		t.Errorf("b1 N/A: range %v coverage %v", r.ScoreRange, r.Coverage)
	}
	if !strings.Contains(r.Indicators[2].Explanation, "measured: 5") {
		t.Errorf("b1 explanation %q", r.Indicators[2].Explanation)
	}
}

const naStaged = `
id: g
version: "1"
kind: staged
subject: institution
min_coverage: 0.5
pass_evidence: 3
levels: [{level: 1, name: {en: initial}}, {level: 2, name: {en: managed}}, {level: 3, name: {en: defined}}]
dimensions:
  - id: D1
    weight: 100
    core: true
    indicators:
      - {id: p2, metrics: [questionnaire.p2], normalize: {evidence: true}, level: 2, clause: c}
      - {id: p3a, metrics: [questionnaire.p3a], normalize: {evidence: true}, level: 3, clause: c}
      - {id: p3b, metrics: [questionnaire.p3b], normalize: {evidence: true}, level: 3, clause: c}
`

// Issue 22 item 9, staged model: a practice answered N/A with a reason
// does not block the level and does not count in coverage.
func TestNotApplicablePracticeDoesNotBlockTheLevel(t *testing.T) {
	m := mustModel(t, naStaged)
	at := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	answer := func(v float64) models.Observation {
		return models.Observation{Value: models.Num(v), Source: "questionnaire", ObservedAt: at}
	}
	f := Facts{"questionnaire.p2": answer(4), "questionnaire.p3a": answer(3)}
	inst := models.Subject{Kind: models.KindInstitution, ID: "bank"}

	// p3b unanswered: the evidence proves 2, p3b at 4 could give 3.
	// Weights are the levels: coverage (2 + 3)/(2 + 3 + 3) = 0.625.
	r := Score(m, inst, f, Env{Now: at})
	if r.Level != 2 || r.LevelRange[1] != 3 || r.Coverage != 0.625 {
		t.Fatalf("unanswered: level %v %v coverage %v", r.Level, r.LevelRange, r.Coverage)
	}

	// p3b N/A: level 3 at both ends; coverage (2 + 3)/5 = 1;
	// score 100·(2·4/4 + 3·3/4)/5 = 100·4.25/5 = 85.0; no gap.
	f["questionnaire.p3b"] = models.Observation{Text: models.NotApplicableText, Source: "questionnaire", ObservedAt: at,
		Reason: "we have no projects of our own", Evidence: "self.yaml line 9 (answered 2026-10-20 by Wang Fang, Head of OSPO)"}
	r = Score(m, inst, f, Env{Now: at})
	near(t, "score", r.Score, 85)
	if r.Level != 3 || r.LevelRange[0] != 3 || r.LevelRange[1] != 3 || r.Coverage != 1 || len(r.Gaps) != 0 {
		t.Fatalf("N/A: level %v %v coverage %v gaps %+v (%s)", r.Level, r.LevelRange, r.Coverage, r.Gaps, r.Explanation)
	}
	p3b := r.Indicators[2]
	if p3b.Status != models.StatusNotApplicable || p3b.NotApplicable == nil || p3b.NotApplicable.Why != "we have no projects of our own" ||
		p3b.NotApplicable.Who != "2026-10-20 by Wang Fang, Head of OSPO" || p3b.NotApplicable.Source != "questionnaire" {
		t.Fatalf("p3b = %+v", p3b)
	}

	// Answered 0 instead: it blocks level 3 at both ends.
	f["questionnaire.p3b"] = answer(0)
	r = Score(m, inst, f, Env{Now: at})
	if r.Level != 2 || r.LevelRange[1] != 2 {
		t.Errorf("answered 0: level %v %v", r.Level, r.LevelRange)
	}
}

// An N/A answer expires like any answer (GMI: 18 months): it then sets
// nothing aside and the practice is unanswered.
func TestNotApplicableAnswerExpires(t *testing.T) {
	m := mustModel(t, naStaged+"answer_validity_months: 18\n")
	old := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	now := time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)
	f := Facts{
		"questionnaire.p2":  {Value: models.Num(4), Source: "questionnaire", ObservedAt: now},
		"questionnaire.p3a": {Value: models.Num(3), Source: "questionnaire", ObservedAt: now},
		"questionnaire.p3b": {Text: models.NotApplicableText, Reason: "r", Source: "questionnaire", ObservedAt: old},
	}
	r := Score(m, models.Subject{Kind: models.KindInstitution, ID: "bank"}, f, Env{Now: now})
	if r.Indicators[2].Status != models.StatusInconclusive || r.Level != 2 || r.LevelRange[1] != 3 {
		t.Errorf("expired N/A: %+v level %v %v", r.Indicators[2], r.Level, r.LevelRange)
	}
}
