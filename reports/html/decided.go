package html

import (
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// gradeDisplay is the grade cell: reports.GradeDisplay with the decided
// grade's label and, inside "B (estimate; between D and A)", grades named
// by shortLabel; "inconclusive" without a grade or a range.
func gradeDisplay(res *models.Result, def *models.Model, lang string) string {
	label := func(id string) string {
		if def != nil {
			return def.GradeLabel(id, lang)
		}
		return id
	}
	if g := reports.GradeDisplay(res, lang, label, func(id string) string { return shortLabel(def, id, lang) }); g != "" {
		return g
	}
	return labels.T(lang, "status.inconclusive")
}

// shortLabel names a grade inside a sentence: its id when its label
// starts with it ("B" for "B (acceptable)"), else its label ("Preferred"
// for "preferred"), so that grades read as the model names them.
func shortLabel(def *models.Model, id, lang string) string {
	if def == nil {
		return id
	}
	if l := def.GradeLabel(id, lang); !strings.HasPrefix(l, id) {
		return l
	}
	return id
}

// estimateNote explains an estimated grade in one sentence ("" when the
// grade is decided or there is no estimate).
func estimateNote(res *models.Result, def *models.Model, lang string) string {
	if !reports.Undecided(res) || res.GradeEstimate == "" {
		return ""
	}
	return strings.NewReplacer("{range}", labels.Between(lang, shortLabel(def, res.GradeRange[0], lang), shortLabel(def, res.GradeRange[1], lang)),
		"{g}", shortLabel(def, res.GradeEstimate, lang)).Replace(labels.T(lang, "html.estimate_note"))
}

// gateStateView is one gate in one of three states, as the details show it.
type gateStateView struct {
	ID, Name, State, StateText, Cap, BestCap, Reason, Run, Waived string
	// Reason is the plain-language sentence; Detail the metric, value and
	// evidence it was built from (reports.ExplainGate).
	Detail string
}

// gateStateViews lays out the gate states: fired first, then not
// evaluated, then clear (each in the result's order).
func gateStateViews(res *models.Result, def *models.Model, lang string) []gateStateView {
	var out []gateStateView
	for _, order := range []string{models.GateFired, models.GateNotEvaluated, models.GateClear} {
		for _, g := range reports.GateStates(res) {
			if g.State != order && !(order == models.GateClear && g.State != models.GateFired && g.State != models.GateNotEvaluated) {
				continue
			}
			gv := gate(def, models.GateHit{ID: g.ID, Reason: g.Reason, Cap: g.Cap, Waived: g.Waived}, lang)
			ex := reports.ExplainGate(def, g, lang)
			v := gateStateView{ID: g.ID, Name: gv.Name, State: g.State, StateText: labels.T(lang, "gate.state."+g.State), Cap: gv.Cap,
				BestCap: g.BestCap, Reason: ex.Text, Detail: ex.Detail, Waived: g.Waived}
			if g.State == models.GateNotEvaluated { // what to run; the best grade meanwhile
				v.Run = labels.NeedsAll(lang, g.Sources)
				if def != nil && g.BestCap != "" && def.Kind != models.ModelStaged {
					v.BestCap = def.GradeLabel(g.BestCap, lang)
				}
			} else {
				v.BestCap = ""
			}
			out = append(out, v)
		}
	}
	return out
}

// notEvaluated counts the gates not evaluated.
func notEvaluated(res *models.Result) int {
	n := 0
	for _, g := range reports.GateStates(res) {
		if g.State == models.GateNotEvaluated {
			n++
		}
	}
	return n
}

// notEvaluatedTitle names the gates not evaluated and their sources, for
// a tooltip: "G-KEV (osv), G-DANGEROUS-WORKFLOW (scorecard)".
func notEvaluatedTitle(res *models.Result) string { return reports.NotEvaluatedList(res, "en") }
