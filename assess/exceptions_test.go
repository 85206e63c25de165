package assess

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestExceptionsWaiveGatesAndOverrideIndicators(t *testing.T) {
	m := mustModel(t, testModel)
	s := models.Subject{ID: "github.com/a/b", Name: "b"}
	all := facts(map[string]float64{"manual.m1": 10, "manual.m2": 0, "manual.m3": 5, "manual.m4": 1, "manual.m5": 1})
	exc := []models.Exception{
		// G1 fires on a value (manual.m5 = 1), not an identifier: an
		// exception without accepts waives it whatever the value.
		{Subject: "b", Gate: "G1", Who: "CISO", Why: "compensating control", Accepted: "2026-01-05", Expires: "2026-12-31"},
		// a2 measured 0 is a false positive: set it to 1
		{Subject: "github.com/a/b", Indicator: "a2", Normalized: models.Num(1), Who: "OSPO", Why: "binary is a test fixture", Accepted: "2026-01-05", Expires: "2026-12-31"},
		{Subject: "other", Gate: "G1", Who: "x", Why: "y", Accepted: "2026-01-05", Expires: "2027-01-01"},
	}
	in := Score(m, s, all, Env{Now: time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), Exceptions: exc})
	// With a2 = 1 every indicator is 1: score 100, grade A, and G1 fires
	// but is waived, so it does not cap the grade.
	near(t, "score", in.Score, 100)
	if in.Grade != "A" || len(in.Gates) != 1 || in.Gates[0].Waived == "" {
		t.Errorf("grade %q gates %+v", in.Grade, in.Gates)
	}
	if in.Indicators[1].Exception == "" || *in.Indicators[1].Normalized != 1 {
		t.Errorf("a2 = %+v", in.Indicators[1])
	}
	if len(in.Exceptions) != 2 || !in.Exceptions[0].Active {
		t.Errorf("exceptions recorded = %+v", in.Exceptions)
	}

	// The day after expiry nothing applies:
	// A = (3·1 + 1·0)/4 = 0.75; B = (1+1)/2 = 1; (60·0.75 + 40·1)/100 = 0.85 → 85.0,
	// grade A capped to C by G1.
	out := Score(m, s, all, Env{Now: time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC), Exceptions: exc})
	near(t, "score after expiry", out.Score, 85.0)
	if out.Grade != "C" || out.Gates[0].Waived != "" || out.Indicators[1].Exception != "" {
		t.Errorf("expired exceptions still apply: grade %q %+v", out.Grade, out.Gates)
	}
	if len(out.Exceptions) != 2 || out.Exceptions[0].Active {
		t.Errorf("expired exceptions must be listed as not applied: %+v", out.Exceptions)
	}
}

func TestPercentileThreshold(t *testing.T) {
	m := mustModel(t, `
id: c
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: D
    weight: 100
    indicators:
      - {id: i, metrics: [manual.x], normalize: {log: {threshold: p80}}, weight: 1, clause: c}
`)
	all := map[string]map[string]models.Observation{}
	for i, v := range []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} {
		all[string(rune('a'+i))] = facts(map[string]float64{"manual.x": v})
	}
	pf := NewPortfolio(all)
	// Nearest rank p80 of 1..10: ceil(0.8·10) = 8th value = 8.
	// Subject with x = 4: ln(5)/ln(9) = 1.609438/2.197225 = 0.732487 → 73.2
	r := Score(m, models.Subject{ID: "d"}, all["d"], Env{Now: time.Now(), Portfolio: pf})
	near(t, "score", r.Score, 73.2)
	// Without portfolio data the indicator is inconclusive, not guessed.
	r = Score(m, models.Subject{ID: "d"}, all["d"], Env{Now: time.Now()})
	if r.Indicators[0].Status != models.StatusInconclusive {
		t.Errorf("uncalibrated threshold scored: %+v", r.Indicators[0])
	}
}

func TestDomainWithAMissingLevel3PracticeIsLevel2(t *testing.T) {
	m := mustModel(t, stagedModel)
	// D2: q1 (L2) = 4, q2 (L3) missing → level 2; D1: p1 (L2) = 3, p2 missing → 2.
	r := Score(m, models.Subject{ID: "bank"}, facts(map[string]float64{"manual.p1": 3, "manual.q1": 4}), Env{Now: time.Now()})
	if r.Dimensions[1].Level != 2 || r.Dimensions[0].Level != 2 || r.Level != 2 {
		t.Errorf("levels D1 %d D2 %d institution %d, want 2 2 2", r.Dimensions[0].Level, r.Dimensions[1].Level, r.Level)
	}
}

// Property: for random data, removing one indicator's data never gives a
// better grade unless the coverage drops (and is shown); when the result
// becomes inconclusive it has no grade at all.
func TestRemovingDataNeverImprovesSilently(t *testing.T) {
	m, err := models.Builtin(models.ProjectHealth)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	rank := map[string]int{"A": 0, "B": 1, "C": 2, "D": 3}
	for trial := 0; trial < 300; trial++ {
		f := Facts{}
		for _, d := range m.Dimensions {
			for _, in := range d.Indicators {
				if rnd.IntN(4) == 0 {
					continue
				}
				f[in.Metrics[0]] = models.Observation{Metric: in.Metrics[0], Value: models.Num(float64(rnd.IntN(60))), Source: "t"}
			}
		}
		f["license.class"] = models.Observation{Metric: "license.class", Text: "permissive", Source: "t"}
		before := Score(m, models.Subject{ID: "p"}, f, Env{})
		for metric := range f {
			g := Facts{}
			for k, v := range f {
				if k != metric {
					g[k] = v
				}
			}
			after := Score(m, models.Subject{ID: "p"}, g, Env{})
			if after.Status == models.StatusInconclusive && after.Grade != "" {
				t.Fatalf("inconclusive result with a grade: %+v", after)
			}
			if before.Grade != "" && after.Grade != "" && rank[after.Grade] < rank[before.Grade] && !(after.Coverage < before.Coverage) {
				t.Fatalf("removing %s improved %s → %s without a coverage drop (%v → %v)", metric, before.Grade, after.Grade, before.Coverage, after.Coverage)
			}
		}
	}
}

// waiverModel: one indicator (weight 1, linear 0..10) and gates of the
// three kinds: on vulnerabilities (osv.*), on a licence (license.*) and on
// a value (manual.authors). A supplier-style penalty of 10 points.
const waiverModel = `
id: w
version: "1"
subject: project
min_coverage: 0.5
grades: [{id: A, min: 80}, {id: B, min: 65}, {id: C, min: 50}, {id: D, min: 0}]
dimensions:
  - id: X
    weight: 100
    indicators:
      - {id: x1, metrics: [manual.x], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: c}
modifiers:
  - {id: P1, metrics: [manual.p], normalize: {evidence: true}, weight: 10, clause: c}
gates:
  - {id: G-KEV, metric: osv.kev_unpatched, op: ge, value: 1, cap: D, clause: c}
  - {id: G-SA, metric: license.class, equals: source-available, cap: C, clause: c}
  - {id: G-FEW, metric: manual.authors, op: le, value: 2, cap: C, clause: c}
`

// waiverFacts: x = 10 (x1 = 1, score 100), no penalty (p = 0), two
// authors of record (G-FEW clear at 3), a permissive licence, and the
// known-exploited vulnerabilities given (each its ids, aliases joined).
func waiverFacts(kev ...[]string) Facts {
	f := facts(map[string]float64{"manual.x": 10, "manual.p": 0, "manual.authors": 3})
	f["license.class"] = models.Observation{Metric: "license.class", Text: "permissive", Source: "t"}
	f["license.spdx"] = models.Observation{Metric: "license.spdx", Text: "Apache-2.0", Source: "t"}
	f["osv.kev_unpatched"] = models.Observation{Metric: "osv.kev_unpatched", Value: models.Num(float64(len(kev))), Source: "osv",
		Evidence: models.WithIDs("distinct open vulnerabilities in the CISA KEV catalogue", kev)}
	return f
}

var (
	log4shell  = []string{"CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"}
	spring4sh  = []string{"CVE-2022-22965", "GHSA-36p3-wjmg-h94x"}
	q3End      = time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC) // 2026Q3's exclusive end: the engine's Now for that period
	q4End      = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	kevWaiver  = models.Exception{Subject: "p", Gate: "G-KEV", Accepts: []string{"CVE-2021-44228"}, Who: "CISO", Why: "JNDI lookups disabled", Accepted: "2026-07-01", Expires: "2026-12-31"}
	waiverSubj = models.Subject{ID: "p"}
)

func gate(t *testing.T, r models.Result, id string) models.GateState {
	t.Helper()
	for _, g := range r.GateStates {
		if g.ID == id {
			return g
		}
	}
	t.Fatalf("no gate %s in %+v", id, r.GateStates)
	return models.GateState{}
}

func TestWaiverCoversOnlyTheVulnerabilitiesItAccepted(t *testing.T) {
	m := mustModel(t, waiverModel)
	env := Env{Now: q3End, Exceptions: []models.Exception{kevWaiver}}

	// Log4Shell alone, accepted: G-KEV fires, waived; x1 = 1 → 100, A.
	r := Score(m, waiverSubj, waiverFacts(log4shell), env)
	g := gate(t, r, "G-KEV")
	if g.State != models.GateFired || g.Waived == "" || !strings.Contains(g.Reason, "[waived: CVE-2021-44228 accepted by CISO on 2026-07-01 until 2026-12-31") {
		t.Errorf("G-KEV = %+v", g)
	}
	if r.Grade != "A" || len(r.Exceptions) != 1 || !r.Exceptions[0].Active || r.Exceptions[0].Effect != "gate G-KEV waived for CVE-2021-44228: it does not cap the grade" {
		t.Errorf("grade %q exceptions %+v", r.Grade, r.Exceptions)
	}

	// An alias accepted is the same vulnerability.
	byAlias := kevWaiver
	byAlias.Accepts = []string{"ghsa-jfh8-c2jp-5v3q"}
	if r := Score(m, waiverSubj, waiverFacts(log4shell), Env{Now: q3End, Exceptions: []models.Exception{byAlias}}); r.Grade != "A" {
		t.Errorf("waiver by alias: grade %q gates %+v", r.Grade, r.Gates)
	}

	// Spring4Shell appears: the waiver does not cover it, G-KEV fires
	// again (cap D), its reason naming the new id; the exception is
	// recorded as not applied.
	r = Score(m, waiverSubj, waiverFacts(log4shell, spring4sh), env)
	g = gate(t, r, "G-KEV")
	if g.Waived != "" || !strings.Contains(g.Reason, "[not waived: new since the exception: CVE-2022-22965; accepted: CVE-2021-44228]") {
		t.Errorf("G-KEV = %+v", g)
	}
	if r.Grade != "D" || r.Exceptions[0].Active || !strings.Contains(r.Exceptions[0].Effect, "fires on CVE-2022-22965, which no exception accepted: not waived") {
		t.Errorf("grade %q exceptions %+v", r.Grade, r.Exceptions)
	}

	// A second waiver accepting Spring4Shell: both apply, the gate is waived.
	second := kevWaiver
	second.Accepts, second.Accepted = []string{"CVE-2022-22965"}, "2026-09-01"
	r = Score(m, waiverSubj, waiverFacts(log4shell, spring4sh), Env{Now: q3End, Exceptions: []models.Exception{kevWaiver, second}})
	if r.Grade != "A" || !r.Exceptions[0].Active || !r.Exceptions[1].Active {
		t.Errorf("two waivers: grade %q exceptions %+v", r.Grade, r.Exceptions)
	}

	// A waiver without accepts on a gate that fires on vulnerabilities
	// is refused, never silently applied.
	blanket := kevWaiver
	blanket.Accepts = nil
	r = Score(m, waiverSubj, waiverFacts(log4shell), Env{Now: q3End, Exceptions: []models.Exception{blanket}})
	if r.Grade != "D" || r.Exceptions[0].Active || !strings.HasPrefix(r.Exceptions[0].Effect, "refused: gate G-KEV fires on vulnerabilities (CVE-2021-44228)") {
		t.Errorf("blanket waiver: grade %q exceptions %+v", r.Grade, r.Exceptions)
	}

	// An observation collected before the ids were recorded: the waiver
	// cannot be matched, and says so.
	old := waiverFacts(log4shell)
	o := old["osv.kev_unpatched"]
	o.Evidence = "distinct open vulnerabilities (aliases merged) in the CISA KEV catalogue (1200 entries)"
	old["osv.kev_unpatched"] = o
	r = Score(m, waiverSubj, old, env)
	if r.Grade != "D" || r.Exceptions[0].Active || !strings.Contains(r.Exceptions[0].Effect, "names no vulnerabilities") {
		t.Errorf("old observation: grade %q exceptions %+v", r.Grade, r.Exceptions)
	}

	// No known-exploited vulnerability: the gate is clear, nothing waived.
	r = Score(m, waiverSubj, waiverFacts(), env)
	if g := gate(t, r, "G-KEV"); g.State != models.GateClear || g.Waived != "" || r.Exceptions[0].Active ||
		r.Exceptions[0].Effect != "gate G-KEV is clear: nothing to waive" {
		t.Errorf("clear gate: %+v %+v", g, r.Exceptions)
	}
}

func TestWaiverJudgedAtThePeriodEnd(t *testing.T) {
	m := mustModel(t, waiverModel)
	late := kevWaiver
	late.Accepted = "2026-10-15" // after 2026Q3
	for _, c := range []struct {
		name   string
		now    time.Time
		e      models.Exception
		grade  string
		effect string
	}{
		// Re-assessing 2026Q3 (Now = its end) does not apply a waiver
		// accepted in Q4: judged at 2026-09-30's last instant.
		{"Q3, accepted in Q4", q3End, late, "D", "accepted on 2026-10-15, after 2026-09-30: not applied"},
		// 2026Q4 with a waiver expiring on its last day: applies.
		{"Q4, expires 2026-12-31", q4End, kevWaiver, "A", "gate G-KEV waived for CVE-2021-44228: it does not cap the grade"},
		// 2027Q1: expired.
		{"Q1 2027", time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC), kevWaiver, "D", "expired on 2026-12-31: not applied"},
	} {
		r := Score(m, waiverSubj, waiverFacts(log4shell), Env{Now: c.now, Exceptions: []models.Exception{c.e}})
		if r.Grade != c.grade || r.Exceptions[0].Effect != c.effect || r.Exceptions[0].Active != (c.grade == "A") {
			t.Errorf("%s: grade %q (want %s), exception %+v", c.name, r.Grade, c.grade, r.Exceptions[0])
		}
	}
}

func TestUnwaivedGateIsNewInThePeriodDiff(t *testing.T) {
	m := mustModel(t, waiverModel)
	env := Env{Now: q3End, Exceptions: []models.Exception{kevWaiver}}
	q3 := Score(m, waiverSubj, waiverFacts(log4shell), env)
	// Q4: a new known-exploited vulnerability un-waives the gate.
	env.Now = q4End
	q4 := Score(m, waiverSubj, waiverFacts(log4shell, spring4sh), env)
	if c := Diff(q3, q4, "2026Q3"); !slices.Contains(c.NewGates, "G-KEV") {
		t.Errorf("new id: new gates %v, want G-KEV", c.NewGates)
	}
	// 2027Q1: the waiver expired; the same vulnerability fires the gate.
	env.Now = time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC)
	q1 := Score(m, waiverSubj, waiverFacts(log4shell), env)
	env.Now = q4End
	q4w := Score(m, waiverSubj, waiverFacts(log4shell), env)
	if c := Diff(q4w, q1, "2026Q4"); !slices.Contains(c.NewGates, "G-KEV") {
		t.Errorf("expiry: new gates %v, want G-KEV", c.NewGates)
	}
}

func TestWaiverOnALicenceAndOnAValue(t *testing.T) {
	m := mustModel(t, waiverModel)
	busl := waiverFacts()
	busl["license.class"] = models.Observation{Metric: "license.class", Text: "source-available", Source: "t"}
	busl["license.spdx"] = models.Observation{Metric: "license.spdx", Text: "BUSL-1.1", Source: "t"}
	lic := models.Exception{Subject: "p", Gate: "G-SA", Accepts: []string{"BUSL-1.1"}, Who: "Legal", Why: "internal use only", Accepted: "2026-07-01", Expires: "2026-12-31"}
	env := Env{Now: q3End, Exceptions: []models.Exception{lic}}
	if r := Score(m, waiverSubj, busl, env); r.Grade != "A" || !r.Exceptions[0].Active {
		t.Errorf("BUSL accepted: grade %q %+v", r.Grade, r.Exceptions)
	}
	// Relicensed again, to SSPL: new, the gate caps at C.
	sspl := waiverFacts()
	sspl["license.class"] = busl["license.class"]
	sspl["license.spdx"] = models.Observation{Metric: "license.spdx", Text: "SSPL-1.0", Source: "t"}
	if r := Score(m, waiverSubj, sspl, env); r.Grade != "C" || !strings.Contains(gate(t, r, "G-SA").Reason, "new since the exception: SSPL-1.0") {
		t.Errorf("SSPL: grade %q %+v", r.Grade, r.GateStates)
	}

	// G-FEW fires on a value (authors ≤ 2). accepts: [2] waives two
	// authors, not one; no accepts waives whatever the value.
	few := models.Exception{Subject: "p", Gate: "G-FEW", Accepts: []string{"2"}, Who: "OSPO", Why: "vendor support contract", Accepted: "2026-07-01", Expires: "2026-12-31"}
	two, one := waiverFacts(), waiverFacts()
	two["manual.authors"] = models.Observation{Metric: "manual.authors", Value: models.Num(2), Source: "t"}
	one["manual.authors"] = models.Observation{Metric: "manual.authors", Value: models.Num(1), Source: "t"}
	env.Exceptions = []models.Exception{few}
	if r := Score(m, waiverSubj, two, env); r.Grade != "A" {
		t.Errorf("two authors accepted: grade %q %+v", r.Grade, r.GateStates)
	}
	if r := Score(m, waiverSubj, one, env); r.Grade != "C" || !strings.Contains(gate(t, r, "G-FEW").Reason, "new since the exception: 1; accepted: 2") {
		t.Errorf("one author: grade %q %+v", r.Grade, r.GateStates)
	}
	few.Accepts = nil
	env.Exceptions = []models.Exception{few}
	if r := Score(m, waiverSubj, one, env); r.Grade != "A" || r.Exceptions[0].Effect != "gate G-FEW waived (value 1): it does not cap the grade" {
		t.Errorf("value gate without accepts: grade %q %+v", r.Grade, r.Exceptions)
	}
	// Not evaluated (no author count): a waiver without accepts keeps it
	// out of the worst case; one with accepts cannot be matched.
	none := waiverFacts()
	delete(none, "manual.authors")
	if r := Score(m, waiverSubj, none, env); r.Grade != "A" || slices.Contains(r.GatesUnknown, "G-FEW") {
		t.Errorf("not evaluated, blanket waiver: grade %q %v %v", r.Grade, r.GradeRange, r.GatesUnknown)
	}
	few.Accepts = []string{"2"}
	env.Exceptions = []models.Exception{few}
	if r := Score(m, waiverSubj, none, env); r.Grade != "" || !slices.Contains(r.GatesUnknown, "G-FEW") || r.Exceptions[0].Active {
		t.Errorf("not evaluated, waiver with accepts: grade %q %v %+v", r.Grade, r.GatesUnknown, r.Exceptions)
	}
}

// A penalty (modifier) set by exception is applied, and said so.
func TestExceptionOnAPenaltyIsApplied(t *testing.T) {
	m := mustModel(t, waiverModel)
	f := waiverFacts()
	f["manual.p"] = models.Observation{Metric: "manual.p", Value: models.Num(4), Source: "t"}
	// Without exception: x1 = 1 → 100; P1 = 4/4 = 1 → 10·1 = 10 points:
	// 100 − 10 = 90.
	near(t, "penalised", Score(m, waiverSubj, f, Env{Now: q3End}).Score, 90)
	// Exception sets P1 to 0.5: 10·0.5 = 5 points → 95.
	e := models.Exception{Subject: "p", Indicator: "P1", Normalized: models.Num(0.5), Who: "Risk", Why: "licence held in escrow", Accepted: "2026-07-01", Expires: "2026-12-31"}
	r := Score(m, waiverSubj, f, Env{Now: q3End, Exceptions: []models.Exception{e}})
	near(t, "penalty by exception", r.Score, 95)
	if len(r.Modifiers) != 1 || r.Modifiers[0].Exception == "" || *r.Modifiers[0].Normalized != 0.5 {
		t.Errorf("modifier %+v", r.Modifiers)
	}
	if !r.Exceptions[0].Active || r.Exceptions[0].Effect != "penalty P1 set to 0.50 (5.00 points)" {
		t.Errorf("exception %+v", r.Exceptions)
	}
	// The range: no missing indicator, so [95, 95].
	if len(r.ScoreRange) != 2 || r.ScoreRange[0] != 95 || r.ScoreRange[1] != 95 {
		t.Errorf("range %v", r.ScoreRange)
	}
}
