package assess

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestExceptionsWaiveGatesAndOverrideIndicators(t *testing.T) {
	m := mustModel(t, testModel)
	s := models.Subject{ID: "github.com/a/b", Name: "b"}
	all := facts(map[string]float64{"manual.m1": 10, "manual.m2": 0, "manual.m3": 5, "manual.m4": 1, "manual.m5": 1})
	exc := []models.Exception{
		{Subject: "b", Gate: "G1", Who: "CISO", Why: "compensating control", Expires: "2026-12-31"},
		// a2 measured 0 is a false positive: set it to 1
		{Subject: "github.com/a/b", Indicator: "a2", Normalized: models.Num(1), Who: "OSPO", Why: "binary is a test fixture", Expires: "2026-12-31"},
		{Subject: "other", Gate: "G1", Who: "x", Why: "y", Expires: "2027-01-01"},
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
