package assess

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// Properties of evidence ageing on the built-in models, with random data.
//
//  1. Ageing never improves a result: judging the same evidence later (the
//     "months since" values growing with the time since they were
//     observed) never raises either end of score_range, never improves the
//     best grade and never turns a fired or unevaluated gate clear. Checked
//     with the models' age limits (and answer validity) lifted, so that any delay (up to two
//     years) only ages values.
//  2. Evidence past its limit is no evidence: under the built-in limits, a
//     gate whose metrics have all expired is not evaluated (never clear, and
//     never fired on stale data), and an indicator whose metrics have all
//     expired is inconclusive.
//
// What ageing cannot promise: that the best case never rises once
// evidence expires. A low measurement that expires becomes unknown, and
// unknown is bounded at its best as well as its worst (a poor ACT-1 that
// expires lets the best case rise); that is the range being honest about
// what is no longer known. The best grade is still held below the top by
// every gate left unevaluated.
func TestAgeingNeverImproves(t *testing.T) {
	rnd := rand.New(rand.NewPCG(22, 1))
	t0 := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	for _, id := range models.BuiltinIDs() {
		builtin, err := models.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		unlimited := *builtin
		unlimited.EvidenceMaxAge = nil
		unlimited.AnswerValidityMonths = 0
		m := &unlimited
		rank := map[string]int{}
		for i, g := range m.Grades {
			rank[g.ID] = i
		}
		aged := 0
		for trial := 0; trial < 300; trial++ {
			f := randomDatedFacts(rnd, m, t0)
			s := models.Subject{ID: "p"}
			later := t0.Add(time.Duration(rnd.IntN(730*24)) * time.Hour)
			r1 := Score(m, s, f, Env{Now: t0})
			r2 := Score(m, s, f, Env{Now: later})
			if r2.ScoreRange[0] > r1.ScoreRange[0] || r2.ScoreRange[1] > r1.ScoreRange[1] {
				t.Fatalf("%s: judged %s later the range rose: %v → %v", id, later.Sub(t0), r1.ScoreRange, r2.ScoreRange)
			}
			if m.Kind != models.ModelStaged && rank[bestGrade(r2)] < rank[bestGrade(r1)] {
				t.Fatalf("%s: judged later the best grade improved: %s → %s", id, bestGrade(r1), bestGrade(r2))
			}
			for i, g := range r2.GateStates {
				if g.State == models.GateClear && r1.GateStates[i].State != models.GateClear {
					t.Fatalf("%s: %s was %s, judged later clear (%s)", id, g.ID, r1.GateStates[i].State, g.Reason)
				}
			}
			if r1.Score != nil && r2.Score != nil && *r2.Score < *r1.Score {
				aged++
			}
		}
		t.Logf("%s: 300 pairs checked, %d scored lower when judged later", id, aged)

		// 2: under the built-in limits, judged a year and a day later everything
		// but questionnaire answers (their own validity) has expired.
		m = builtin
		for trial := 0; trial < 100; trial++ {
			f := randomDatedFacts(rnd, m, t0)
			r := Score(m, models.Subject{ID: "p"}, f, Env{Now: t0.AddDate(1, 0, 1)})
			for _, g := range r.GateStates {
				if gateMetricsAllExpired(m, g.ID) && g.State != models.GateNotEvaluated {
					t.Fatalf("%s: %s %s on expired evidence (%s)", id, g.ID, g.State, g.Reason)
				}
			}
			for _, ir := range append(r.Indicators, r.Modifiers...) {
				if allExpired(m.Indicator(ir.ID).Metrics) && ir.Status != models.StatusInconclusive {
					t.Fatalf("%s: %s %s on expired evidence (%s)", id, ir.ID, ir.Status, ir.Explanation)
				}
			}
		}
	}
}

// randomDatedFacts gives about two thirds of the model's indicator and
// gate metrics a random value, observed up to nine days before t0 (within
// every built-in limit), "months since" values between 0 and 30.
func randomDatedFacts(rnd *rand.Rand, m *models.Model, t0 time.Time) Facts {
	f := Facts{}
	add := func(o models.Observation) {
		if rnd.IntN(3) == 0 {
			return
		}
		src, name, _ := strings.Cut(o.Metric, ".")
		o.Source = src
		if src == "forge" {
			o.Source = "github"
		}
		if strings.HasPrefix(name, "months_since_") || strings.HasPrefix(name, "days_since_") {
			o.Value, o.Text = models.Num(30*rnd.Float64()), ""
		}
		o.ObservedAt = t0.Add(-time.Duration(rnd.IntN(9*24)) * time.Hour)
		f[o.Metric] = o
	}
	for _, in := range allIndicators(m) {
		for _, mt := range in.Metrics {
			o := randomObservation(rnd, in)
			o.Metric = mt
			add(o)
		}
	}
	for _, g := range m.Gates {
		for _, mt := range g.MetricList() {
			o := models.Observation{Metric: mt, Value: models.Num(float64(rnd.IntN(30)))}
			if g.Equals != "" {
				o.Value, o.Text = nil, []string{strings.TrimSuffix(g.Equals, "*"), "other"}[rnd.IntN(2)]
			}
			add(o)
		}
	}
	return f
}

func bestGrade(r models.Result) string {
	if len(r.GradeRange) == 2 {
		return r.GradeRange[1]
	}
	return r.Grade
}

// allExpired: every metric is of a source other than the questionnaire
// (all of which the built-in models limit to a year or less).
func allExpired(metrics []string) bool {
	for _, mt := range metrics {
		if strings.HasPrefix(mt, "questionnaire.") {
			return false
		}
	}
	return true
}

func gateMetricsAllExpired(m *models.Model, id string) bool {
	for _, g := range m.Gates {
		if g.ID != id {
			continue
		}
		ms := g.MetricList()
		for _, c := range g.Also {
			ms = append(ms, c.Metrics...)
		}
		return allExpired(ms)
	}
	return false
}
