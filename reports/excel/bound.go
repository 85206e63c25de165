package excel

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// maxIndicatorRows bounds the Indicators sheet. The workbook is read by
// people: a portfolio whose indicators take more rows than this (10,000
// projects × 40 indicators is 400,000 rows) gets the indicators of the
// subjects with gates or the lowest grades, worst first, up to the bound,
// and a note row (and a Summary line) saying how many rows were left out
// and that every indicator is in the JSON report and the dashboard. A
// variable so that tests can lower it.
var maxIndicatorRows = 100_000

// indicatorSelection is which subjects' indicators the Indicators sheet
// lists, in the order it lists them.
type indicatorSelection struct {
	subjects []int // indices into Report.Subjects
	// rows: listed; total: every indicator row of the report.
	rows, total int
	// subjectsTotal counts the subjects with at least one indicator row.
	subjectsTotal int
	bounded       bool // some rows were left out
}

// subjectRows counts a subject's indicator and modifier rows.
func subjectRows(s *reports.SubjectReport) int {
	n := 0
	for _, res := range s.Results {
		n += len(res.Indicators) + len(res.Modifiers)
	}
	return n
}

// selectIndicators chooses the Indicators sheet's subjects. Up to limit
// rows every subject is listed in report order. Above it, subjects are
// ranked worst first (a fired gate; then graded before ungraded; then the
// lowest grade relative to its model's grades; then the lowest score; then
// report order) and listed whole while they fit (the first always), so
// that no subject's indicators are cut in two.
func (w *writer) selectIndicators(limit int) indicatorSelection {
	var sel indicatorSelection
	rows := make([]int, len(w.r.Subjects))
	for i := range w.r.Subjects {
		rows[i] = subjectRows(&w.r.Subjects[i])
		sel.total += rows[i]
		if rows[i] > 0 {
			sel.subjectsTotal++
		}
	}
	if sel.total <= limit {
		for i := range w.r.Subjects {
			if rows[i] > 0 {
				sel.subjects = append(sel.subjects, i)
			}
		}
		sel.rows = sel.total
		return sel
	}
	type key struct {
		i        int
		gated    int     // 0: a gate fired
		ungraded int     // 1: no result graded
		badness  float64 // worst grade's position in its model, 0 best … 1 worst
		score    float64 // lowest score (+Inf: none)
	}
	keys := make([]key, 0, sel.subjectsTotal)
	for i := range w.r.Subjects {
		if rows[i] == 0 {
			continue
		}
		k := key{i: i, gated: 1, ungraded: 1, score: math.Inf(1)}
		for _, res := range w.r.Subjects[i].Results {
			if len(res.Gates) > 0 {
				k.gated = 0
			}
			if res.Score != nil {
				k.score = min(k.score, *res.Score)
			}
			if res.Grade == "" {
				continue
			}
			k.ungraded = 0
			if m := w.model(res.Model); m != nil && len(m.Grades) > 1 {
				if g := slices.IndexFunc(m.Grades, func(g models.Grade) bool { return g.ID == res.Grade }); g >= 0 {
					k.badness = max(k.badness, float64(g)/float64(len(m.Grades)-1))
				}
			}
		}
		keys = append(keys, k)
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.gated, b.gated), cmp.Compare(a.ungraded, b.ungraded),
			cmp.Compare(b.badness, a.badness), cmp.Compare(a.score, b.score), cmp.Compare(a.i, b.i))
	})
	for _, k := range keys {
		if sel.rows > 0 && sel.rows+rows[k.i] > limit {
			break
		}
		sel.subjects = append(sel.subjects, k.i)
		sel.rows += rows[k.i]
	}
	sel.bounded = sel.rows < sel.total
	return sel
}

// boundedText fills a bounded-sheet label: {w} rows listed of {n}, {s}
// subjects listed, {o} rows and {k} subjects left out, {sheet} the
// Indicators sheet's name.
func (w *writer) boundedText(key string) string {
	sel := w.indSel
	return strings.NewReplacer("{w}", strconv.Itoa(sel.rows), "{n}", strconv.Itoa(sel.total),
		"{s}", strconv.Itoa(len(sel.subjects)), "{o}", strconv.Itoa(sel.total-sel.rows),
		"{k}", strconv.Itoa(sel.subjectsTotal-len(sel.subjects)), "{sheet}", w.indicators).Replace(w.t(key))
}
