package assess

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// The end of 2026Q1 (periods end exclusive): the instant a re-assessment
// of that quarter judges its evidence at.
var q1End = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

func builtinPHI(t *testing.T) *models.Model {
	t.Helper()
	m, err := models.Builtin("project-health")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// phiWithLimit is the built-in PHI with gitlocal evidence allowed to be
// `limit` old instead of 45d.
func phiWithLimit(t *testing.T, limit string) *models.Model {
	t.Helper()
	src, err := models.BuiltinSource("project-health")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(src), "    gitlocal: 45d\n", "    gitlocal: "+limit+"\n", 1)
	if y == string(src) {
		t.Fatal("gitlocal: 45d not found in the built-in PHI")
	}
	m, err := models.Parse("phi-"+limit+".yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func obsAt(metric, source string, v float64, at time.Time) models.Observation {
	return models.Observation{SubjectID: "p", Metric: metric, Source: source, Value: models.Num(v), ObservedAt: at, Evidence: "ev"}
}

func ageGate(t *testing.T, r models.Result, id string) models.GateState {
	t.Helper()
	for _, g := range r.GateStates {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("gate %s not in %+v", id, r.GateStates)
	return models.GateState{}
}

func ageIndicator(t *testing.T, r models.Result, id string) models.IndicatorResult {
	t.Helper()
	for _, ir := range append(r.Indicators, r.Modifiers...) {
		if ir.ID == id {
			return ir
		}
	}
	t.Fatalf("indicator %s not in the result", id)
	return models.IndicatorResult{}
}

// A clone's "0.5 months since the last person's commit" observed 400 days
// before the end of the period assessed.
//
//   - Under the built-in PHI (gitlocal evidence at most 45 days old) it is
//     missing: ACT-2 inconclusive, G-UNMAINTAINED not evaluated (the best
//     case stays below A), never clear.
//   - Under a copy that allows 450 days it is aged: 0.5 + 400 ÷ 30.4375 =
//     0.5 + 13.14168 = 13.64168 months ≥ 12, so G-UNMAINTAINED fires (cap
//     D) and ACT-2's band for ≥ 12 months gives 0.
//   - Observed 40 days before (within 45 days) under the built-in PHI: 0.5 +
//     40 ÷ 30.4375 = 0.5 + 1.31417 = 1.81417 months: ACT-2 band [0, 3) → 1,
//     the gate clear on the aged value.
func TestAgedMonthsSinceLastCommit(t *testing.T) {
	s := models.Subject{ID: "p"}
	env := Env{Now: q1End}
	old := q1End.AddDate(0, 0, -400) // 2025-02-25
	facts := Facts{"gitlocal.months_since_last_commit": obsAt("gitlocal.months_since_last_commit", "gitlocal", 0.5, old)}

	r := Score(builtinPHI(t), s, facts, env)
	g := ageGate(t, r, "G-UNMAINTAINED")
	if g.State != models.GateNotEvaluated {
		t.Fatalf("G-UNMAINTAINED %s (%s), want not evaluated", g.State, g.Reason)
	}
	why := "collected 2025-02-25, older than 45 days (evidence_max_age, source gitlocal; 400 days old on 2026-04-01)"
	if !strings.Contains(g.Reason, why) {
		t.Errorf("gate reason %q, want it to say %q", g.Reason, why)
	}
	act2 := ageIndicator(t, r, "ACT-2")
	if act2.Normalized != nil || !strings.Contains(act2.Explanation, why) {
		t.Errorf("ACT-2 = %v, %q: want inconclusive saying %q", act2.Normalized, act2.Explanation, why)
	}
	if r.Grade == "A" || (len(r.GradeRange) == 2 && r.GradeRange[1] == "A") {
		t.Errorf("stale activity still reaches A: grade %q range %v", r.Grade, r.GradeRange)
	}

	r = Score(phiWithLimit(t, "450d"), s, facts, env)
	g = ageGate(t, r, "G-UNMAINTAINED")
	if g.State != models.GateFired {
		t.Fatalf("450d: G-UNMAINTAINED %s (%s), want fired on the aged value", g.State, g.Reason)
	}
	for _, want := range []string{"gitlocal.months_since_last_commit = 13.6417",
		"aged to 2026-04-01: 0.5 months observed 2025-02-25 + 400 days ÷ 30.4375 = 13.64 months"} {
		if !strings.Contains(g.Reason, want) {
			t.Errorf("450d: gate reason %q, want %q", g.Reason, want)
		}
	}
	act2 = ageIndicator(t, r, "ACT-2")
	if act2.Raw == nil || math.Abs(*act2.Raw-13.64168) > 1e-5 || act2.Normalized == nil || *act2.Normalized != 0 {
		t.Errorf("450d: ACT-2 raw %v normalised %v, want 13.64168 → 0", act2.Raw, act2.Normalized)
	}

	recent := q1End.AddDate(0, 0, -40) // 2026-02-20
	facts["gitlocal.months_since_last_commit"] = obsAt("gitlocal.months_since_last_commit", "gitlocal", 0.5, recent)
	r = Score(builtinPHI(t), s, facts, env)
	act2 = ageIndicator(t, r, "ACT-2")
	if act2.Raw == nil || math.Abs(*act2.Raw-1.81417) > 1e-5 || act2.Normalized == nil || *act2.Normalized != 1 {
		t.Errorf("40 days: ACT-2 raw %v normalised %v, want 1.81417 → 1", act2.Raw, act2.Normalized)
	}
	if g := ageGate(t, r, "G-UNMAINTAINED"); g.State != models.GateClear {
		t.Errorf("40 days: G-UNMAINTAINED %s (%s), want clear on 1.81 months", g.State, g.Reason)
	}
	if !strings.Contains(act2.Evidence, "0.5 months observed 2026-02-20 + 40 days ÷ 30.4375 = 1.81 months") {
		t.Errorf("40 days: evidence %q does not say how it was aged", act2.Evidence)
	}

	// Judged when it was observed, nothing is aged.
	r = Score(builtinPHI(t), s, facts, Env{Now: recent})
	if act2 = ageIndicator(t, r, "ACT-2"); act2.Raw == nil || *act2.Raw != 0.5 {
		t.Errorf("at the observation: ACT-2 raw %v, want 0.5", act2.Raw)
	}
}

// "No release for 24 months": 23 months observed 40 days before the
// period's end is 23 + 40 ÷ 30.4375 = 24.31417 months, so G-NO-RELEASE
// (ge 24) fires; judged at the observation it is clear.
func TestAgedMonthsSinceLastReleaseFiresGate(t *testing.T) {
	at := q1End.AddDate(0, 0, -40)
	facts := Facts{"gitlocal.months_since_last_release": obsAt("gitlocal.months_since_last_release", "gitlocal", 23, at)}
	s := models.Subject{ID: "p"}
	if g := ageGate(t, Score(builtinPHI(t), s, facts, Env{Now: at}), "G-NO-RELEASE"); g.State != models.GateClear {
		t.Errorf("at the observation: %s (%s), want clear", g.State, g.Reason)
	}
	g := ageGate(t, Score(builtinPHI(t), s, facts, Env{Now: q1End}), "G-NO-RELEASE")
	if g.State != models.GateFired || !strings.Contains(g.Reason, "gitlocal.months_since_last_release = 24.3142") {
		t.Errorf("at the period's end: %s (%s), want fired at 24.3142", g.State, g.Reason)
	}
}

// A manual fact dated by as_of 2025-01-01 is 455 days old at the end of
// 2026Q1 (365 to 2026-01-01, + 31 + 28 + 31): older than the 365 days
// PHI allows manual facts, so SCJ-1 is missing with the reason. Dated
// 2025-10-01 (182 days: 31+30+31+31+28+31) it scores: foundation → 1.
func TestManualFactOlderThanItsLimit(t *testing.T) {
	s := models.Subject{ID: "p"}
	fact := func(asOf time.Time) Facts {
		return Facts{"manual.governance": {SubjectID: "p", Metric: "manual.governance", Source: "manual", Text: "foundation",
			ObservedAt: asOf, Evidence: "bank.yaml: projects[p].facts.governance = foundation (as of " + asOf.Format(time.DateOnly) + ")"}}
	}
	r := Score(builtinPHI(t), s, fact(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), Env{Now: q1End})
	scj1 := ageIndicator(t, r, "SCJ-1")
	// PHI 0.7.0 lists the measured derived.governance after the fact: none here.
	why := "manual.governance: collected 2025-01-01, older than 365 days (evidence_max_age, source manual; 455 days old on 2026-04-01); derived.governance: no observation"
	if scj1.Normalized != nil || scj1.Explanation != "inconclusive: "+why {
		t.Errorf("SCJ-1 = %v %q, want inconclusive: %s", scj1.Normalized, scj1.Explanation, why)
	}
	r = Score(builtinPHI(t), s, fact(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC)), Env{Now: q1End})
	if scj1 = ageIndicator(t, r, "SCJ-1"); scj1.Normalized == nil || *scj1.Normalized != 1 {
		t.Errorf("dated 2025-10-01: SCJ-1 = %v (%s), want 1", scj1.Normalized, scj1.Explanation)
	}
}

// A metric's limit wins over its source's: scorecard.Maintained (45d)
// observed 60 days ago is missing, scorecard.Code-Review (scorecard 180d)
// observed then is not; osv (14d) observed 15 days ago is missing, so
// G-KEV is not evaluated rather than clear on a reading of 0.
func TestMetricAndSourceLimits(t *testing.T) {
	at60, at15 := q1End.AddDate(0, 0, -60), q1End.AddDate(0, 0, -15)
	facts := Facts{
		"scorecard.Maintained":  obsAt("scorecard.Maintained", "scorecard", 10, at60),
		"scorecard.Code-Review": obsAt("scorecard.Code-Review", "scorecard", 10, at60),
		"osv.kev_unpatched":     obsAt("osv.kev_unpatched", "osv", 0, at15),
	}
	r := Score(builtinPHI(t), models.Subject{ID: "p"}, facts, Env{Now: q1End})
	if ir := ageIndicator(t, r, "ACT-5"); ir.Normalized != nil ||
		!strings.Contains(ir.Explanation, "older than 45 days (evidence_max_age, metric scorecard.Maintained; 60 days old on 2026-04-01)") {
		t.Errorf("ACT-5 = %v %q", ir.Normalized, ir.Explanation)
	}
	if ir := ageIndicator(t, r, "RSP-5"); ir.Normalized == nil || *ir.Normalized != 1 {
		t.Errorf("RSP-5 = %v %q, want 10 → 1", ir.Normalized, ir.Explanation)
	}
	if g := ageGate(t, r, "G-KEV"); g.State != models.GateNotEvaluated ||
		!strings.Contains(g.Reason, "older than 14 days (evidence_max_age, source osv; 15 days old on 2026-04-01)") {
		t.Errorf("G-KEV %s (%s), want not evaluated", g.State, g.Reason)
	}
}

// Questionnaire answers keep answer_validity_months (18): an answer 400
// days old is evidence under the supplier model whatever its default
// evidence_max_age (90d); the supplier's evidence source (45d) is aged out.
func TestQuestionnaireKeepsItsValidity(t *testing.T) {
	m, err := models.Builtin("supplier")
	if err != nil {
		t.Fatal(err)
	}
	old := q1End.AddDate(0, 0, -400)
	facts := Facts{
		"questionnaire.QUA-1":  obsAt("questionnaire.QUA-1", "questionnaire", 4, old),
		"evidence.maintainers": obsAt("evidence.maintainers", "evidence", 3, q1End.AddDate(0, 0, -46)),
	}
	r := Score(m, models.Subject{ID: "s", Kind: models.KindSupplier}, facts, Env{Now: q1End})
	if ir := ageIndicator(t, r, "QUA-1"); ir.Normalized == nil || *ir.Normalized != 1 {
		t.Errorf("QUA-1 = %v %q, want 4/4 = 1", ir.Normalized, ir.Explanation)
	}
	var evInd string
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			if len(in.Metrics) > 0 && in.Metrics[0] == "evidence.maintainers" {
				evInd = in.ID
			}
		}
	}
	if ir := ageIndicator(t, r, evInd); ir.Normalized != nil || !strings.Contains(ir.Explanation, "older than 45 days (evidence_max_age, source evidence") {
		t.Errorf("%s = %v %q, want missing", evInd, ir.Normalized, ir.Explanation)
	}
}

// DateEvidence gives each indicator with data the date of the oldest
// observation it used: SEC-2 (mean of Branch-Protection observed
// 2026-03-01 and CI-Tests observed 2026-03-20) is dated 2026-03-01; an
// indicator without data gets no date.
func TestDateEvidence(t *testing.T) {
	a, b := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC), time.Date(2026, 3, 20, 8, 0, 0, 0, time.UTC)
	facts := Facts{
		"scorecard.Branch-Protection": obsAt("scorecard.Branch-Protection", "scorecard", 8, a),
		"scorecard.CI-Tests":          obsAt("scorecard.CI-Tests", "scorecard", 10, b),
	}
	r := Score(builtinPHI(t), models.Subject{ID: "p"}, facts, Env{Now: q1End})
	DateEvidence(&r, facts)
	if ir := ageIndicator(t, r, "SEC-2"); ir.ObservedAt == nil || !ir.ObservedAt.Equal(a) {
		t.Errorf("SEC-2 observed at %v, want %v", ir.ObservedAt, a)
	}
	if ir := ageIndicator(t, r, "ACT-1"); ir.ObservedAt != nil {
		t.Errorf("ACT-1 without data dated %v", ir.ObservedAt)
	}
}

// evidence_max_age is validated with the line: an unknown source, the
// questionnaire (answer_validity_months governs it), an unknown metric and
// a length that is not days.
func TestEvidenceMaxAgeValidation(t *testing.T) {
	src, err := models.BuiltinSource("project-health")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ from, to, want string }{
		{"    osv: 14d\n", "    osv: 2w\n", `"2w" is not a number of days: write it as 45d`},
		{"    osv: 14d\n", "    osvv: 14d\n", `evidence_max_age.sources: unknown source "osvv"`},
		{"    osv: 14d\n", "    questionnaire: 14d\n", "evidence_max_age.sources: questionnaire answers expire by answer_validity_months"},
		{"    scorecard.Maintained: 45d\n", "    scorecard.Maintaned: 45d\n", `evidence_max_age.metrics: unknown metric "scorecard.Maintaned"`},
	} {
		y := strings.Replace(string(src), tc.from, tc.to, 1)
		_, err := models.Parse("phi.yaml", []byte(y))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "line ") {
			t.Errorf("%q: %v, want a line and %q", tc.to, err, tc.want)
		}
	}
}
