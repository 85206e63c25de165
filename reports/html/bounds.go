package html

import (
	"fmt"
	"sort"
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
	srcs := g.Sources
	if len(srcs) == 0 { // no missing indicator: the gates not evaluated keep the grades open
		srcs = gateSources(rs)
	}
	var needs []string
	for _, src := range srcs[:min(3, len(srcs))] {
		needs = append(needs, labels.Needs(lang, src))
	}
	key := "html.ungraded_note"
	if len(needs) == 0 {
		key = "html.ungraded_note_nosrc"
	}
	return strings.NewReplacer("{n}", strconv.Itoa(len(rs)), "{spans}", strings.Join(spans, ", "), "{needs}", strings.Join(needs, "; ")).
		Replace(labels.T(lang, key))
}

// gateSources are the sources of the gates not evaluated over results
// between grades, the most frequent first.
func gateSources(rs []models.Result) []string {
	n := map[string]int{}
	var order []string
	for i := range rs {
		if !reports.Undecided(&rs[i]) {
			continue
		}
		for _, g := range reports.GateStates(&rs[i]) {
			if g.State != models.GateNotEvaluated {
				continue
			}
			for _, src := range g.Sources {
				if n[src] == 0 {
					order = append(order, src)
				}
				n[src]++
			}
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return n[order[i]] > n[order[j]] })
	return order
}
