package excel

import (
	"fmt"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports/labels"
)

// Labels of decided grades, estimates, gate states, level ranges and
// model changes (issue 16). They are looked up before the shared
// catalogue (w.t).
var decidedLabels = map[string][2]string{
	"grade.estimate":            {"{g} (estimate; between {a} and {b})", "{g}（估计；介于 {a} 与 {b} 之间）"},
	"xlsx.gates_not_evaluated":  {"Gates not evaluated (what to run)", "未评估的否决项（需运行）"},
	"gates.not_evaluated":       {"not evaluated: {list}", "未评估：{list}"},
	"xlsx.between_grades":       {"between grades (undecided)", "介于等级之间（未判定）"},
	"xlsx.between_grades_label": {"not counted as a grade: the data leaves two or more grades open", "不计入任何等级：现有数据无法在等级间判定"},
	"xlsx.count.undecided":      {"Undecided grades (between grades)", "未判定等级的结果数（介于等级之间）"},
	"xlsx.level_between":        {"level between L{a} and L{b}", "级别介于 L{a} 与 L{b} 之间"},
	"xlsx.gate_best_cap":        {"Best grade while not evaluated", "未评估时最高等级"},
	"xlsx.not_decided":          {"Not graded (inconclusive or between grades)", "未定级（数据不足或介于等级之间）"},
	"xlsx.model_changes":        {"Changes", "版本变更"},
	"xlsx.change_text":          {"What changed", "变更说明"},
}

// undecided reports whether the result lies between two grades.
func undecided(res *models.Result) bool { return res.Grade == "" && len(res.GradeRange) == 2 }

// gradeDisplay is a result's grade as the reports show it, each grade
// named by label: the decided grade; "B (estimate; between D and A)"
// when the worst and best cases grade differently (the point score's
// grade labelled as an estimate); "between D and A" for a result stored
// without an estimate; "" when there is no grade at all.
func gradeDisplay(res *models.Result, lang string, label func(string) string) string {
	switch {
	case res.Grade != "":
		return label(res.Grade)
	case len(res.GradeRange) == 2 && res.GradeEstimate != "":
		return strings.NewReplacer("{g}", label(res.GradeEstimate), "{a}", label(res.GradeRange[0]), "{b}", label(res.GradeRange[1])).
			Replace(decidedLabel(lang, "grade.estimate"))
	case len(res.GradeRange) == 2:
		return labels.Between(lang, label(res.GradeRange[0]), label(res.GradeRange[1]))
	}
	return ""
}

func decidedLabel(lang, key string) string {
	e, ok := decidedLabels[key]
	if !ok {
		return labels.T(lang, key)
	}
	if lang == "zh" && e[1] != "" {
		return e[1]
	}
	return e[0]
}

// gateStates are the result's gates in three states. Results stored
// before GateStates existed give their fired gates (Gates) and the gates
// none of whose metrics had data (GatesUnknown, not evaluated).
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

// notEvaluatedText lists the gates not evaluated with what would evaluate
// them: "not evaluated: G-KEV (osv), G-DANGEROUS-WORKFLOW (scorecard)";
// "" when every gate was evaluated.
func notEvaluatedText(res *models.Result, lang string) string {
	var parts []string
	for _, g := range gateStates(res) {
		if g.State != models.GateNotEvaluated {
			continue
		}
		p := g.ID
		if len(g.Sources) > 0 {
			open, close := " (", ")"
			if lang == "zh" {
				open, close = "（", "）"
			}
			p += open + strings.Join(g.Sources, " / ") + close
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	sep := ", "
	if lang == "zh" {
		sep = "，"
	}
	return strings.ReplaceAll(decidedLabel(lang, "gates.not_evaluated"), "{list}", strings.Join(parts, sep))
}

// levelRange is a staged result's level as a range: "L2–L4" when the
// evidence proves L2 and at best L4 is reachable, "L3" when the two agree,
// and "L<Level>" for results stored without a range.
func levelRange(res *models.Result) string {
	if len(res.LevelRange) == 2 {
		if res.LevelRange[0] == res.LevelRange[1] {
			return fmt.Sprintf("L%d", res.LevelRange[0])
		}
		return fmt.Sprintf("L%d–L%d", res.LevelRange[0], res.LevelRange[1])
	}
	return fmt.Sprintf("L%d", res.Level)
}

// levelOpen reports whether a staged result's level is not decided.
func levelOpen(res *models.Result) bool {
	return len(res.LevelRange) == 2 && res.LevelRange[0] != res.LevelRange[1]
}

// currentGrade is this period's grade of a result in a table of grades:
// a staged result's level ("L3", or "L2–L4" while undecided), else the
// grade as gradeOr shows it.
func (w *writer) currentGrade(res *models.Result) string {
	if m := w.model(res.Model); (m != nil && m.Kind == models.ModelStaged) || (res.Grade == "" && len(res.GradeRange) == 0 && (res.Level > 0 || len(res.LevelRange) == 2)) {
		if res.Status == models.StatusInconclusive && !levelOpen(res) {
			return w.t("status.inconclusive")
		}
		return levelRange(res)
	}
	if g := gradeDisplay(res, w.lang, func(id string) string { return id }); g != "" {
		return g
	}
	return w.t("status.inconclusive")
}
