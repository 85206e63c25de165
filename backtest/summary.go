package backtest

import (
	"sort"

	"github.com/osgauge/osgauge/models"
)

// Ungraded is the rates_by_grade key of projects with neither a grade nor
// an estimate.
const Ungraded = "ungraded"

// gateStates is every gate's state in a result: from GateStates, or, for
// a result without them, fired from Gates and not evaluated from
// GatesUnknown (the others unknown too: left out of the gates' AUC).
func gateStates(res models.Result) map[string]string {
	out := map[string]string{}
	if len(res.GateStates) > 0 {
		for _, g := range res.GateStates {
			out[g.ID] = g.State
		}
		return out
	}
	for _, g := range res.Gates {
		out[g.ID] = models.GateFired
	}
	for _, id := range res.GatesUnknown {
		out[id] = models.GateNotEvaluated
	}
	return out
}

// summarise computes the outcome rates per grade and the AUCs.
func (r *Report) summarise(m *models.Model) {
	sort.SliceStable(r.Projects, func(i, j int) bool { return r.Projects[i].Name < r.Projects[j].Name })
	for _, row := range r.Projects {
		g := row.Grade
		if g == "" {
			g = Ungraded
		}
		gr, ok := r.RatesByGrade[g]
		if !ok {
			gr = GradeRates{Counts: map[string]int{Abandoned: 0, Declining: 0, Alive: 0}, Rates: map[string]float64{}}
		}
		gr.Projects++
		gr.Counts[row.Outcome]++
		r.RatesByGrade[g] = gr
	}
	for g, gr := range r.RatesByGrade {
		for _, o := range []string{Abandoned, Declining, Alive} {
			gr.Rates[o] = round4(float64(gr.Counts[o]) / float64(gr.Projects))
		}
		r.RatesByGrade[g] = gr
	}

	var pos, neg []float64
	for _, row := range r.Projects {
		if row.Score == nil {
			continue
		}
		if row.Outcome == Abandoned {
			pos = append(pos, *row.Score)
		} else {
			neg = append(neg, *row.Score)
		}
	}
	r.AUC.Score = aucOf(pos, neg)
	r.AUCAbandoned = r.AUC.Score.AUC

	r.AUC.Dimensions = map[string]AUCResult{}
	for _, d := range m.Dimensions {
		var pos, neg []float64
		for _, row := range r.Projects {
			v := row.Dimensions[d.ID]
			if v == nil {
				continue
			}
			if row.Outcome == Abandoned {
				pos = append(pos, *v)
			} else {
				neg = append(neg, *v)
			}
		}
		r.AUC.Dimensions[d.ID] = aucOf(pos, neg)
	}

	r.AUC.Gates = map[string]AUCResult{}
	for _, g := range m.Gates {
		var pos, neg []float64
		for _, row := range r.Projects {
			v, ok := gateValue(r.states[row.ID][g.ID])
			if !ok {
				continue
			}
			if row.Outcome == Abandoned {
				pos = append(pos, v)
			} else {
				neg = append(neg, v)
			}
		}
		a := aucOf(pos, neg)
		a.Note = "fired = 0, clear = 1; projects whose gate was not evaluated left out"
		r.AUC.Gates[g.ID] = a
	}
}

// gateValue is a gate's state as a score: fired 0 (predicts abandoned),
// clear 1; not evaluated has none.
func gateValue(state string) (float64, bool) {
	switch state {
	case models.GateFired:
		return 0, true
	case models.GateClear:
		return 1, true
	}
	return 0, false
}
