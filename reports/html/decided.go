package html

import (
	"fmt"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports/labels"
)

// Labels of decided grades, estimates, gate states, level ranges and
// model changes (issue 16), looked up before the shared catalogue (lt).
var decidedLabels = map[string][2]string{
	"grade.estimate":                {"{g} (estimate; between {a} and {b})", "{g}（估计；介于 {a} 与 {b} 之间）"},
	"html.estimate_note":            {"Grade not decided: with the missing data at its worst and at its best the grades differ ({range}); {g} is the grade of the point score, an estimate.", "等级未判定：缺失数据取最差与最好时等级不同（{range}）；{g} 为点得分对应的等级，仅为估计。"},
	"html.count_undecided":          {"Undecided grades (between grades)", "未判定等级（介于等级之间）"},
	"html.between_grades":           {"between grades", "介于等级之间"},
	"html.gate_state":               {"State", "状态"},
	"html.gate_detail":              {"Why / what is missing", "原因 / 缺失数据"},
	"html.gate_run":                 {"To evaluate, run", "评估所需数据来源"},
	"html.gate_best_cap":            {"Best grade while not evaluated", "未评估时最高等级"},
	"html.not_evaluated_n":          {"{n} not evaluated", "{n} 项未评估"},
	"gate.state.fired":              {"fired", "已触发"},
	"gate.state.clear":              {"clear", "未触发"},
	"gate.state.not-evaluated":      {"not evaluated", "未评估"},
	"gate.waived":                   {"waived", "已豁免"},
	"html.level_between":            {"Level between L{a} and L{b}: the evidence proves L{a}; answering the open practices could reach L{b}.", "级别介于 L{a} 与 L{b} 之间：现有证据证明达到 L{a}；补充未作答的实践最高可达 L{b}。"},
	"html.not_decided":              {"not graded (inconclusive or between grades)", "未定级（数据不足或介于等级之间）"},
	"html.grade_trend_note_decided": {"Number of projects per decided grade in each period; grey: not graded (inconclusive, or between grades).", "各期各已判定等级的项目数；灰色：未定级（数据不足或介于等级之间）。"},
	"html.ungraded_note_nosrc":      {"Projects not graded yet: {n} ({spans}).", "尚未定级的项目：{n} 个（{spans}）。"},
	"html.model_changes":            {"Changes", "版本变更"},
	"html.grade_distribution_note":  {"Only decided grades are counted as grades; results whose data leaves two or more grades open are counted as between grades.", "只有已判定的等级计入各等级；数据不足以在等级间判定的结果计为“介于等级之间”。"},
}

// lt is a label in lang: the labels above first, then the shared catalogue.
func lt(lang, key string) string {
	e, ok := decidedLabels[key]
	if !ok {
		return labels.T(lang, key)
	}
	if lang == "zh" && e[1] != "" {
		return e[1]
	}
	return e[0]
}

// undecided reports whether the result lies between two grades: no
// decided grade, whatever its status or coverage.
func undecided(res *models.Result) bool { return res.Grade == "" && len(res.GradeRange) == 2 }

// gradeDisplay is the grade cell: the decided grade's label; the point
// score's grade labelled as an estimate with the grades left open, "B
// (estimate; between D and A)", when the worst and best cases differ;
// "between D and A" for results stored without an estimate; else
// "inconclusive". Inside the sentence grades are named by shortLabel.
func gradeDisplay(res *models.Result, def *models.Model, lang string) string {
	switch {
	case res.Grade != "":
		if def != nil {
			return def.GradeLabel(res.Grade, lang)
		}
		return res.Grade
	case len(res.GradeRange) == 2 && res.GradeEstimate != "":
		return strings.NewReplacer("{g}", shortLabel(def, res.GradeEstimate, lang), "{a}", shortLabel(def, res.GradeRange[0], lang),
			"{b}", shortLabel(def, res.GradeRange[1], lang)).Replace(lt(lang, "grade.estimate"))
	case len(res.GradeRange) == 2:
		return labels.Between(lang, shortLabel(def, res.GradeRange[0], lang), shortLabel(def, res.GradeRange[1], lang))
	}
	return gradeText(res, lang)
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
	if !undecided(res) || res.GradeEstimate == "" {
		return ""
	}
	return strings.NewReplacer("{range}", labels.Between(lang, shortLabel(def, res.GradeRange[0], lang), shortLabel(def, res.GradeRange[1], lang)),
		"{g}", shortLabel(def, res.GradeEstimate, lang)).Replace(lt(lang, "html.estimate_note"))
}

// gateStateView is one gate in one of three states, as the details show it.
type gateStateView struct {
	ID, Name, State, StateText, Cap, BestCap, Reason, Run, Waived string
}

// gateStates are the result's gates in three states. Results stored
// before GateStates existed give their fired gates (Gates) and the gates
// none of whose metrics had data (GatesUnknown) as not evaluated.
func gateStates(res *models.Result) []models.GateState {
	if len(res.GateStates) > 0 {
		return res.GateStates
	}
	var out []models.GateState
	for _, g := range res.Gates {
		out = append(out, models.GateState{ID: g.ID, State: models.GateFired, Cap: g.Cap, Reason: g.Reason, Waived: g.Waived})
	}
	for _, id := range res.GatesUnknown {
		out = append(out, models.GateState{ID: id, State: models.GateNotEvaluated})
	}
	return out
}

// gateStateViews lays out the gate states: fired first, then not
// evaluated, then clear (each in the result's order).
func gateStateViews(res *models.Result, def *models.Model, lang string) []gateStateView {
	var out []gateStateView
	for _, order := range []string{models.GateFired, models.GateNotEvaluated, models.GateClear} {
		for _, g := range gateStates(res) {
			if g.State != order && !(order == models.GateClear && g.State != models.GateFired && g.State != models.GateNotEvaluated) {
				continue
			}
			gv := gate(def, models.GateHit{ID: g.ID, Reason: g.Reason, Cap: g.Cap, Waived: g.Waived}, lang)
			v := gateStateView{ID: g.ID, Name: gv.Name, State: g.State, StateText: lt(lang, "gate.state."+g.State), Cap: gv.Cap,
				BestCap: g.BestCap, Reason: g.Reason, Waived: g.Waived}
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
	for _, g := range gateStates(res) {
		if g.State == models.GateNotEvaluated {
			n++
		}
	}
	return n
}

// notEvaluatedTitle names the gates not evaluated and their sources, for
// a tooltip: "G-KEV (osv), G-DANGEROUS-WORKFLOW (scorecard)".
func notEvaluatedTitle(res *models.Result) string {
	var parts []string
	for _, g := range gateStates(res) {
		if g.State != models.GateNotEvaluated {
			continue
		}
		p := g.ID
		if len(g.Sources) > 0 {
			p += " (" + strings.Join(g.Sources, " / ") + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}

// levelRange is a staged result's level: "L2–L4" while the evidence
// proves L2 and L4 is reachable, "L3" when the two agree, "L<Level>" for
// results stored without a range, "" without a level.
func levelRange(res *models.Result) string {
	if len(res.LevelRange) == 2 {
		if res.LevelRange[0] == res.LevelRange[1] {
			return fmt.Sprintf("L%d", res.LevelRange[0])
		}
		return fmt.Sprintf("L%d–L%d", res.LevelRange[0], res.LevelRange[1])
	}
	if res.Level > 0 {
		return fmt.Sprintf("L%d", res.Level)
	}
	return ""
}

// levelOpen reports whether a staged result's level is not decided.
func levelOpen(res *models.Result) bool {
	return len(res.LevelRange) == 2 && res.LevelRange[0] != res.LevelRange[1]
}
