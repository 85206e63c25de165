package excel

import (
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// notEvaluatedText lists the gates not evaluated with what would evaluate
// them: "not evaluated: G-KEV (osv), G-DANGEROUS-WORKFLOW (scorecard)";
// "" when every gate was evaluated.
func notEvaluatedText(res *models.Result, lang string) string {
	list := reports.NotEvaluatedList(res, lang)
	if list == "" {
		return ""
	}
	return strings.ReplaceAll(labels.T(lang, "gates.not_evaluated"), "{list}", list)
}

// currentGrade is this period's grade of a result in a table of grades:
// a staged result's level ("L3", or "L2–L4" while undecided), else the
// grade as gradeOr shows it.
func (w *writer) currentGrade(res *models.Result) string {
	if m := w.model(res.Model); (m != nil && m.Kind == models.ModelStaged) || (res.Grade == "" && len(res.GradeRange) == 0 && (res.Level > 0 || len(res.LevelRange) == 2)) {
		if res.Status == models.StatusInconclusive && !reports.LevelOpen(res) {
			return w.t("status.inconclusive")
		}
		if l := reports.LevelRange(res); l != "" {
			return l
		}
	}
	if g := w.gradeText(res); g != "" { // a tier by its name (issue 26)
		return g
	}
	return w.t("status.inconclusive")
}
