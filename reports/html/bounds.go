package html

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// maxMissingShown is how many missing indicators a subject's detail names.
const maxMissingShown = 3

// missingView is one missing indicator as the detail shows it.
type missingView struct{ ID, Name, Swing, Needs string }

// gradeText is an inconclusive result's grade cell: "between D and B"
// when the missing data leaves grades open, else "inconclusive".
func gradeText(res *models.Result, lang string) string {
	if len(res.GradeRange) == 2 {
		return labels.Between(lang, res.GradeRange[0], res.GradeRange[1])
	}
	return labels.T(lang, "status.inconclusive")
}

// statusText is the status label, "graded on partial data" when the
// missing indicators cannot change the grade.
func statusText(res *models.Result, lang string) string {
	if res.Partial {
		return labels.T(lang, "status.partial")
	}
	return labels.T(lang, "status."+res.Status)
}

// scoreRange is "low–high", or "" for results stored without a range.
func scoreRange(res *models.Result) string {
	if len(res.ScoreRange) != 2 {
		return ""
	}
	return fmt.Sprintf("%.1f–%.1f", res.ScoreRange[0], res.ScoreRange[1])
}

// missingViews are the first n missing indicators (the ones that would
// narrow the range most come first).
func missingViews(res *models.Result, lang string, n int) []missingView {
	var out []missingView
	for i, mi := range res.Missing {
		if i == n {
			break
		}
		out = append(out, missingView{ID: mi.ID, Swing: fmt.Sprintf("±%.1f", mi.Swing), Needs: labels.NeedsAll(lang, mi.Sources)})
	}
	return out
}

// ungradedNote groups the projects without a grade in one sentence: how
// many lie between which grades and what data would grade them, so that a
// table of near-identical "between D and A" rows is explained once.
func ungradedNote(r *reports.Report, model, lang string) string {
	var rs []models.Result
	for _, s := range r.OfKind(models.KindProject) {
		if res := s.Result(model); res != nil && res.Grade == "" {
			rs = append(rs, *res)
		}
	}
	if len(rs) == 0 {
		return ""
	}
	g := reports.Group(rs)
	var spans []string
	for _, b := range g.Between {
		spans = append(spans, strconv.Itoa(b.N)+" "+labels.Between(lang, b.Worst, b.Best))
	}
	var needs []string
	for _, src := range g.Sources[:min(3, len(g.Sources))] {
		needs = append(needs, labels.Needs(lang, src))
	}
	return strings.NewReplacer("{n}", strconv.Itoa(len(rs)), "{spans}", strings.Join(spans, ", "), "{needs}", strings.Join(needs, "; ")).
		Replace(labels.T(lang, "html.ungraded_note"))
}
