package assess

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// The built-in models' rules of issue 16, each worked by hand.

var rulesNow = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

func builtin(t *testing.T, id string) *models.Model {
	t.Helper()
	m, err := models.Builtin(id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// healthyFacts gives every PHI indicator its best value and every gate the
// data to clear it: score 100, grade A.
func healthyFacts() Facts {
	f := facts(map[string]float64{
		// ACT-1 25 ≥ threshold 10 → 1; ACT-2 0.5 months → band 0 → 1;
		// ACT-3 6 releases = threshold → ln7/ln7 = 1; ACT-5 10/10.
		"gitlocal.commits_per_week": 25, "gitlocal.months_since_last_commit": 0.5, "forge.releases_12m": 6, "scorecard.Maintained": 10,
		// COM-1..5 at or above their thresholds or top bands.
		"gitlocal.authors_12m": 200, "gitlocal.org_count_12m": 10, "gitlocal.bus_factor_12m": 5, "gitlocal.elephant_factor_12m": 3, "forge.adoption": 10000,
		// RSP-1, 2 at 0 days → 1 − ln1/ln16 = 1, RSP-4 → 1 − ln1/ln61 = 1;
		// RSP-3 1; RSP-5 10/10.
		"forge.issue_first_response_days": 0, "forge.change_first_response_days": 0, "forge.change_closure_ratio": 1, "forge.bug_open_days": 0, "scorecard.Code-Review": 10,
		"scorecard.Branch-Protection": 10, "scorecard.CI-Tests": 10, "scorecard.Security-Policy": 10, "scorecard.Signed-Releases": 10,
		"scorecard.CII-Best-Practices": 10, "scorecard.Pinned-Dependencies": 10, "scorecard.Dependency-Update-Tool": 10, "scorecard.SAST": 10, "scorecard.Fuzzing": 10,
		// VUL-1 0 → band 1; VUL-2, VUL-3 0 → 1; VUL-5 1 → 1.
		"osv.vulns_weighted_in_use": 0, "scorecard.Vulnerabilities": 10, "osv.vulns_weighted_latest": 0, "osv.fix_days_median": 0, "manual.eol_policy": 1,
		"scorecard.License": 10, "gitlocal.license_changes_36m": 0,
		"scorecard.Binary-Artifacts": 10, "scorecard.Token-Permissions": 10, "scorecard.Packaging": 10, "manual.export_exposure": 0, "manual.fallback": 1,
		// SCJ-6 (PHI 0.7.0): the internal copy current with its upstream
		// today, 0 days → band 1.
		"derived.days_since_source_current": 0,
		// Gates' inputs, each clear.
		"forge.archived": 0, "license.found": 1, "scorecard.Dangerous-Workflow": 10, "osv.kev_unpatched": 0, "gitlocal.relicensed_12m": 0,
		"gitlocal.months_since_last_release": 2, "osv.high_unpatched_fixed_30d": 0, "gitlocal.relicensed_source_available_36m": 0,
	})
	for k, v := range map[string]string{"license.class_in_use": "permissive:distributed", "license.class": "permissive",
		"license.compatibility": "directly-compatible", "license.policy": "allowed", "manual.governance": "foundation"} {
		f[k] = models.Observation{Metric: k, Text: v, Source: "test", Evidence: "ev-" + k}
	}
	return f
}

var phiSubject = models.Subject{Kind: models.KindProject, ID: "p"}

func gateState(r models.Result, id string) models.GateState {
	for _, g := range r.GateStates {
		if g.ID == id {
			return g
		}
	}
	return models.GateState{}
}

func TestPHIHealthyIsA(t *testing.T) {
	m := builtin(t, "project-health")
	r := Score(m, phiSubject, healthyFacts(), Env{Now: rulesNow})
	// Every indicator 1 → 100 at the point and at both ends; every gate clear.
	if r.Grade != "A" || *r.Score != 100 || r.ScoreRange[0] != 100 || len(r.GradeRange) != 0 {
		t.Fatalf("grade %q score %v range %v grades %v: %s", r.Grade, *r.Score, r.ScoreRange, r.GradeRange, r.Explanation)
	}
	if len(r.GateStates) != len(m.Gates) {
		t.Fatalf("%d gate states for %d gates", len(r.GateStates), len(m.Gates))
	}
	for _, g := range r.GateStates {
		if g.State != models.GateClear {
			t.Errorf("gate %+v, want clear", g)
		}
	}
}

// Acceptance: an unevaluated KEV gate keeps a project out of grade A.
func TestUnevaluatedKEVKeepsOutOfA(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts()
	delete(f, "osv.kev_unpatched")
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	// Score still 100 at both ends (KEV feeds no indicator); at worst
	// G-KEV fires (D), at best it caps at B (the grade below A).
	if r.Grade != "" || strings.Join(r.GradeRange, ",") != "D,B" || r.GradeEstimate != "B" {
		t.Fatalf("grade %q range %v estimate %q", r.Grade, r.GradeRange, r.GradeEstimate)
	}
	g := gateState(r, "G-KEV")
	if g.State != models.GateNotEvaluated || g.BestCap != "B" || strings.Join(g.Sources, ",") != "osv" || !strings.Contains(g.Reason, "osv.kev_unpatched: no observation") {
		t.Errorf("G-KEV %+v", g)
	}
}

// Acceptance: a stale clone does not trigger the unmaintained gate. The
// gitlocal collector records no value for time-bound metrics on a clone
// not fetched for 30 days.
func TestStaleCloneDoesNotFireUnmaintained(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts()
	stale := "clone not updated since 2026-08-01 (120 days): fetch it to measure recent activity"
	for _, k := range []string{"gitlocal.months_since_last_commit", "gitlocal.months_since_last_release"} {
		f[k] = models.Observation{Metric: k, Source: "gitlocal", Reason: stale}
	}
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-UNMAINTAINED"); g.State != models.GateNotEvaluated || !strings.Contains(g.Reason, "clone not updated since 2026-08-01") {
		t.Errorf("G-UNMAINTAINED %+v, want not evaluated with the clone's date", g)
	}
	if len(r.Gates) != 0 || r.Grade == "D" {
		t.Errorf("gates fired %+v grade %q", r.Gates, r.Grade)
	}
	// The forge's last push decides when the clone cannot: 1 month, clear.
	f["forge.months_since_last_push"] = models.Observation{Metric: "forge.months_since_last_push", Value: models.Num(1), Source: "github"}
	r = Score(m, phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-UNMAINTAINED"); g.State != models.GateClear {
		t.Errorf("G-UNMAINTAINED %+v, want clear from the forge", g)
	}
	// A fresh clone 30 months quiet fires it: D at both ends.
	f = healthyFacts()
	f["gitlocal.months_since_last_commit"] = models.Observation{Metric: "gitlocal.months_since_last_commit", Value: models.Num(30), Source: "gitlocal"}
	r = Score(m, phiSubject, f, Env{Now: rulesNow})
	if r.Grade != "D" || gateState(r, "G-UNMAINTAINED").State != models.GateFired {
		t.Errorf("grade %q, want D by G-UNMAINTAINED", r.Grade)
	}
}

func TestSingleMaintainerWithoutSecurityPolicy(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts()
	f["gitlocal.authors_12m"] = models.Observation{Metric: "gitlocal.authors_12m", Value: models.Num(1), Source: "gitlocal"}
	f["scorecard.Security-Policy"] = models.Observation{Metric: "scorecard.Security-Policy", Value: models.Num(0), Source: "scorecard"}
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	// COM-1: ln2/ln201 = 0.6931/5.3033 = 0.1307; COM = (4·0.1307 + 3+4+2+2)/15
	// = 11.5228/15 = 0.7682; SEC-3 0 → SEC = (20−4)/20 = 0.8.
	// Index (simple profile): 100 − 15·(1−0.7682) − 20·0.2 = 100 − 3.477 − 4
	// = 92.5 → A, but one author and no policy: G-SINGLE-MAINTAINER caps at C.
	near(t, "score", r.Score, 92.5)
	if r.Grade != "C" || gateState(r, "G-SINGLE-MAINTAINER").State != models.GateFired {
		t.Errorf("grade %q gates %+v", r.Grade, r.Gates)
	}
	// With a security policy the second condition fails: clear, A.
	f["scorecard.Security-Policy"] = models.Observation{Metric: "scorecard.Security-Policy", Value: models.Num(10), Source: "scorecard"}
	r = Score(m, phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-SINGLE-MAINTAINER"); g.State != models.GateClear || r.Grade != "A" {
		t.Errorf("G-SINGLE-MAINTAINER %+v grade %q", g, r.Grade)
	}
	// Without any security-policy data it is not evaluated (one author is
	// known, the policy is not).
	delete(f, "scorecard.Security-Policy")
	r = Score(m, phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-SINGLE-MAINTAINER"); g.State != models.GateNotEvaluated || strings.Join(g.Sources, ",") != "scorecard,forge" {
		t.Errorf("G-SINGLE-MAINTAINER %+v", g)
	}
}

func TestVulnerabilityRecalibration(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts()
	// One critical in the version in use: weighted 10 → VUL-1 band 10 → 0
	// (0.4.0's inv-log gave 1 − ln11/ln21 = 0.21).
	f["osv.vulns_weighted_in_use"] = models.Observation{Metric: "osv.vulns_weighted_in_use", Value: models.Num(10), Source: "osv"}
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	if in := indicator(r, "VUL-1"); in.Normalized == nil || *in.Normalized != 0 {
		t.Errorf("VUL-1 %+v", in)
	}
	// Its fix out for more than 30 days: G-UNPATCHED-FIXED decides, D.
	f["osv.high_unpatched_fixed_30d"] = models.Observation{Metric: "osv.high_unpatched_fixed_30d", Value: models.Num(1), Source: "osv"}
	r = Score(m, phiSubject, f, Env{Now: rulesNow})
	if r.Grade != "D" || gateState(r, "G-UNPATCHED-FIXED").State != models.GateFired {
		t.Errorf("grade %q gates %+v", r.Grade, r.Gates)
	}
	// A medium (2) → 0.5; a low (0.5) → 0.8.
	for v, want := range map[float64]float64{2: 0.5, 0.5: 0.8, 5: 0.2} {
		f["osv.vulns_weighted_in_use"] = models.Observation{Metric: "osv.vulns_weighted_in_use", Value: models.Num(v), Source: "osv"}
		if in := indicator(Score(m, phiSubject, f, Env{Now: rulesNow}), "VUL-1"); *in.Normalized != want {
			t.Errorf("VUL-1(%v) = %v, want %v", v, *in.Normalized, want)
		}
	}
}

func TestLicenceClassPerUse(t *testing.T) {
	m := builtin(t, "project-health")
	cases := []struct {
		inUse, class string
		want         float64
		gate         string
	}{
		{"strong-copyleft:internal", "strong-copyleft", 1, ""},      // no conveying, no obligation
		{"strong-copyleft:distributed", "strong-copyleft", 0.5, ""}, // source must go with the binary
		{"network-copyleft:saas", "network-copyleft", 0.3, ""},      // AGPL §13
		{"", "strong-copyleft", 0.5, ""},                            // no SBOM: distribution assumed
		{"source-available:internal", "source-available", 0, "G-SOURCE-AVAILABLE-IN-USE"},
		{"", "unknown", 0.2, "G-LICENSE-UNKNOWN"},
	}
	for _, c := range cases {
		f := healthyFacts()
		delete(f, "license.class_in_use")
		if c.inUse != "" {
			f["license.class_in_use"] = models.Observation{Metric: "license.class_in_use", Text: c.inUse, Source: "sbom"}
		}
		f["license.class"] = models.Observation{Metric: "license.class", Text: c.class, Source: "license"}
		r := Score(m, phiSubject, f, Env{Now: rulesNow})
		if in := indicator(r, "LIC-2"); in.Normalized == nil || *in.Normalized != c.want {
			t.Errorf("%s/%s: LIC-2 %+v, want %v", c.inUse, c.class, in, c.want)
		}
		if c.gate != "" && gateState(r, c.gate).State != models.GateFired {
			t.Errorf("%s/%s: %s not fired: %+v", c.inUse, c.class, c.gate, r.GateStates)
		}
	}
}

// SEC-1 (the Scorecard aggregate) is gone: the aggregate changes nothing.
func TestNoScorecardAggregateDoubleCount(t *testing.T) {
	m := builtin(t, "project-health")
	if m.Indicator("SEC-1") != nil {
		t.Fatal("SEC-1 still in the model")
	}
	f := healthyFacts()
	f["scorecard.aggregate"] = models.Observation{Metric: "scorecard.aggregate", Value: models.Num(0), Source: "scorecard"}
	if r := Score(m, phiSubject, f, Env{Now: rulesNow}); *r.Score != 100 {
		t.Errorf("score %v, want 100 whatever the aggregate", *r.Score)
	}
}

func TestNoReleaseIn24Months(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts()
	f["gitlocal.months_since_last_release"] = models.Observation{Metric: "gitlocal.months_since_last_release", Value: models.Num(30), Source: "gitlocal"}
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	// 30 ≥ 24: capped at C at both ends (score 100).
	if r.Grade != "C" || gateState(r, "G-NO-RELEASE").State != models.GateFired {
		t.Errorf("grade %q states %+v", r.Grade, r.GateStates)
	}
}

// Acceptance: a supplier that skips the security and ecosystem dimensions
// is never tiered above what its worst case supports.
func TestSupplierSkippingSecurityIsNotTiered(t *testing.T) {
	m := builtin(t, "supplier")
	f := facts(map[string]float64{
		// QUA-4 is a count (log, threshold 20): 20 → 1.
		"questionnaire.QUA-1": 4, "questionnaire.QUA-2": 4, "questionnaire.QUA-3": 4, "questionnaire.QUA-4": 20,
		// TEC-1, TEC-4 at threshold 10, TEC-2 at threshold 20 → 1.
		"evidence.maintainers": 10, "evidence.contribution_share_pct": 20, "evidence.security_fixes": 10, "questionnaire.TEC-5": 4,
		// SRV-3 at threshold 5; SRV-4 100 % → 1.
		"questionnaire.SRV-1": 4, "questionnaire.SRV-2": 4, "questionnaire.SRV-3": 5, "manual.sla_attainment_pct": 100, "questionnaire.SRV-5": 4,
		// No penalties: top-2 share 40 % (band 0), no sanctions exposure.
		"evidence.top2_share_pct": 40, "questionnaire.CNT-2": 0,
	})
	r := Score(m, models.Subject{Kind: models.KindSupplier, ID: "s"}, f, Env{Now: rulesNow})
	// Coverage (15 + 25 + 25)/100 = 0.65 ≥ 0.6; point 100 → strategic.
	// Worst: SCC (25) and ECO (10) at 0 → 65 → preferred, and the two SCC
	// gates (G-NO-VULN-PROCESS, G-NO-COMPLIANCE-ARTEFACTS) unanswered fire
	// at worst → not-approved. Best: 100 capped at preferred by the
	// unevaluated gates. Between not-approved and preferred: no tier.
	near(t, "score", r.Score, 100)
	if r.Grade != "" || strings.Join(r.GradeRange, ",") != "not-approved,preferred" || r.GradeEstimate != "preferred" {
		t.Fatalf("grade %q range %v estimate %q: %s", r.Grade, r.GradeRange, r.GradeEstimate, r.Explanation)
	}
	for _, id := range []string{"G-NO-VULN-PROCESS", "G-NO-COMPLIANCE-ARTEFACTS"} {
		if g := gateState(r, id); g.State != models.GateNotEvaluated || strings.Join(g.Sources, ",") != "questionnaire" {
			t.Errorf("%s %+v", id, g)
		}
	}
	if g := gateState(r, "G-SANCTIONS"); g.State != models.GateClear {
		t.Errorf("G-SANCTIONS %+v", g)
	}
}

const expiryModel = `
id: q
version: "1"
subject: supplier
min_coverage: 0.5
answer_validity_months: 18
grades: [{id: A, min: 80}, {id: B, min: 0}]
dimensions:
  - id: D
    weight: 100
    indicators:
      - {id: Q1, metrics: [questionnaire.Q1], normalize: {evidence: true}, weight: 1, clause: c}
      - {id: Q2, metrics: [questionnaire.Q2], normalize: {evidence: true}, weight: 1, clause: c}
gates:
  - {id: G-Q2, metric: questionnaire.Q2, op: eq, value: 0, cap: B, clause: c}
`

// Answers older than the model's validity (by the respondent's date) are
// expired: no evidence, and a gate on them is not evaluated.
func TestExpiredAnswers(t *testing.T) {
	m := mustModel(t, expiryModel)
	answer := func(id string, v float64, at time.Time) models.Observation {
		return models.Observation{Metric: "questionnaire." + id, Value: models.Num(v), Source: "questionnaire", ObservedAt: at}
	}
	// Q1 answered 2025-09-01 (14 months 28 days before 2026-11-29): valid. Q2
	// answered 2025-05-28: valid until 2026-11-28, the day before: expired.
	f := Facts{"questionnaire.Q1": answer("Q1", 4, time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)),
		"questionnaire.Q2": answer("Q2", 4, time.Date(2025, 5, 28, 0, 0, 0, 0, time.UTC))}
	r := Score(m, models.Subject{ID: "s"}, f, Env{Now: rulesNow})
	q2 := indicator(r, "Q2")
	if q2.Normalized != nil || !strings.Contains(q2.Explanation, "answer dated 2025-05-28 expired on 2026-11-28 (answers are valid for 18 months)") {
		t.Errorf("Q2 %+v", q2)
	}
	if q1 := indicator(r, "Q1"); q1.Normalized == nil || *q1.Normalized != 1 {
		t.Errorf("Q1 %+v", q1)
	}
	// Q1 = 1, Q2 unknown: range [50, 100] → B..A; the gate on Q2 is not
	// evaluated (worst B, best capped at B): B at both ends.
	if g := gateState(r, "G-Q2"); g.State != models.GateNotEvaluated {
		t.Errorf("G-Q2 %+v", g)
	}
	if r.Grade != "B" {
		t.Errorf("grade %q range %v", r.Grade, r.GradeRange)
	}
	if f["questionnaire.Q2"].Value == nil {
		t.Error("Score changed the caller's facts")
	}
}

func indicator(r models.Result, id string) models.IndicatorResult {
	for _, in := range r.Indicators {
		if in.ID == id {
			return in
		}
	}
	return models.IndicatorResult{}
}

// A security policy and a best-practices badge are worth nothing on a
// project without a commit for 24 months.
func TestFilePresenceDecays(t *testing.T) {
	m := builtin(t, "project-health")
	for _, c := range []struct {
		months, want float64
	}{{23.9, 1}, {24, 0}, {40, 0}} {
		f := healthyFacts()
		f["gitlocal.months_since_last_commit"] = models.Observation{Metric: "gitlocal.months_since_last_commit", Value: models.Num(c.months), Source: "gitlocal"}
		r := Score(m, phiSubject, f, Env{Now: rulesNow})
		for _, id := range []string{"SEC-3", "SEC-5"} {
			in := indicator(r, id)
			if in.Normalized == nil || *in.Normalized != c.want {
				t.Errorf("%v months: %s = %v, want %v (%s)", c.months, id, in.Normalized, c.want, in.Explanation)
			}
			if c.want == 0 && !strings.Contains(in.Explanation, "inactive gitlocal.months_since_last_commit") {
				t.Errorf("%s explanation %q", id, in.Explanation)
			}
		}
	}
	// Without any activity data the files count as measured.
	f := healthyFacts()
	delete(f, "gitlocal.months_since_last_commit")
	if in := indicator(Score(m, phiSubject, f, Env{Now: rulesNow}), "SEC-3"); *in.Normalized != 1 {
		t.Errorf("SEC-3 without activity data = %v, want 1", *in.Normalized)
	}
}

// Not knowing a gate cannot be worse than the gate firing: a gate capping
// at the top grade leaves the best case at the top while not evaluated
// (the default best cap, the grade below the top, would turn the range
// upside down), and a model whose unevaluated_cap is worse than its cap
// is refused.
func TestUnevaluatedCapNeverWorseThanCap(t *testing.T) {
	src := strings.Replace(boundsModel, "gates:\n", "gates:\n  - {id: G-TOP, metric: manual.m9, op: eq, value: 1, cap: A, clause: c}\n", 1)
	m := mustModel(t, src)
	f := facts(map[string]float64{"manual.m1": 10, "forge.stars": 10, "manual.m3": 10, "osv.vulns_open": 10,
		"gitlocal.months_since_last_commit": 1, "gitlocal.relicensed_12m": 0, "license.relicensed_12m": 0})
	r := Score(m, subject, f, Env{Now: rulesNow})
	// Every indicator 1 → 100 at both ends; G-D and G-C clear; G-TOP not
	// evaluated: at worst it fires (A), at best it caps at A → A decided.
	if r.Grade != "A" || len(r.GradeRange) != 0 {
		t.Errorf("grade %q range %v, want A decided", r.Grade, r.GradeRange)
	}
	if g := gateState(r, "G-TOP"); g.State != models.GateNotEvaluated || g.BestCap != "A" {
		t.Errorf("G-TOP %+v", g)
	}
	bad := strings.Replace(boundsModel, "cap: C, clause: c}", "cap: C, unevaluated_cap: D, clause: c}", 1)
	if _, err := models.Parse("m.yaml", []byte(bad)); err == nil || !strings.Contains(err.Error(), "unevaluated_cap D is worse than the gate's cap C") {
		t.Errorf("err = %v", err)
	}
}

// Expiry by calendar months, the day clamped to the month's end: an answer
// of 2024-08-31 valid 18 months expires on 2026-02-28 (not 2026-03-03).
func TestExpiryOnTheThirtyFirst(t *testing.T) {
	m := mustModel(t, expiryModel)
	f := Facts{"questionnaire.Q1": {Metric: "questionnaire.Q1", Value: models.Num(4), Source: "questionnaire",
		ObservedAt: time.Date(2024, 8, 31, 0, 0, 0, 0, time.UTC)}}
	if in := indicator(Score(m, models.Subject{ID: "s"}, f, Env{Now: time.Date(2026, 2, 27, 12, 0, 0, 0, time.UTC)}), "Q1"); in.Normalized == nil {
		t.Errorf("valid on 2026-02-27: %+v", in)
	}
	in := indicator(Score(m, models.Subject{ID: "s"}, f, Env{Now: time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)}), "Q1")
	if in.Normalized != nil || !strings.Contains(in.Explanation, "answer dated 2024-08-31 expired on 2026-02-28") {
		t.Errorf("on 2026-02-28: %+v", in)
	}
}

// G-RELICENSED: the SBOMs (the version in use) decide when the project is
// in one; the clone's licence history otherwise.
func TestRelicensedVersionInUseDecides(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts() // gitlocal.relicensed_12m = 0
	f["license.relicensed_12m"] = models.Observation{Metric: "license.relicensed_12m", Value: models.Num(1), Source: "sbom"}
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-RELICENSED"); g.State != models.GateFired || r.Grade != "C" {
		t.Errorf("G-RELICENSED %+v grade %q, want fired, C", g, r.Grade)
	}
	delete(f, "license.relicensed_12m") // no SBOM: the clone's 0 clears it
	if g := gateState(Score(m, phiSubject, f, Env{Now: rulesNow}), "G-RELICENSED"); g.State != models.GateClear {
		t.Errorf("G-RELICENSED without SBOM %+v, want clear", g)
	}
}

// Without a clone, the forge's newest commit by a person decides over its
// last push, which bots keep fresh: an abandoned project whose Renovate
// pushed yesterday is still unmaintained.
func TestBotPushesDoNotKeepAProjectAlive(t *testing.T) {
	m := builtin(t, "project-health")
	f := healthyFacts()
	delete(f, "gitlocal.months_since_last_commit")
	f["forge.months_since_last_push"] = models.Observation{Metric: "forge.months_since_last_push", Value: models.Num(0.03), Source: "github"}
	f["forge.months_since_last_person_commit"] = models.Observation{Metric: "forge.months_since_last_person_commit", Value: models.Num(12), Source: "github"}
	r := Score(m, phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-UNMAINTAINED"); g.State != models.GateFired || r.Grade != "D" {
		t.Errorf("G-UNMAINTAINED %+v grade %q, want fired by the person commit metric, D", g, r.Grade)
	}
}
