package excel

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// maxChangeRows caps the largest-changes and added/removed tables of the
// Summary sheet; the Projects sheet carries every change.
const maxChangeRows = 25

// summaryChanges writes "changes since the previous period" on the Summary
// sheet: counts, the largest score changes, new risks, subjects added and
// removed, and suppliers whose tier changed. The deltas are assess.Diff's.
func (w *writer) summaryChanges(put rowFunc, row int) error {
	prev := w.r.PreviousPeriod
	if prev == "" { // said in words, never "Changes since none"
		return put(row, []any{w.b(w.t("xlsx.no_previous"))})
	}
	if err := put(row, []any{w.b(w.tp("xlsx.changes_since", prev))}); err != nil {
		return err
	}
	row++
	type changed struct {
		s   reports.SubjectReport
		res *models.Result
		c   *assess.Change
	}
	var all []changed
	var up, down, same, newG, resG, nc int
	for _, s := range w.r.Subjects {
		for i := range s.Results {
			res := &s.Results[i]
			c := s.Change(res.Model)
			if c == nil {
				continue
			}
			all = append(all, changed{s, res, c})
			newG += len(c.NewGates)
			resG += len(c.ResolvedGates)
			switch {
			case !c.Comparable:
				nc++
			case c.Delta == nil:
			case *c.Delta > 0:
				up++
			case *c.Delta < 0:
				down++
			default:
				same++
			}
		}
	}
	d := w.r.Delta
	if d == nil {
		d = &reports.PortfolioDelta{}
	}
	// Tier moves from the results themselves: only a move between two
	// decided tiers is a tier change; a move from or to an estimate (or
	// between grades) is said as such.
	moves := w.r.GradeMoves(models.KindSupplier)
	tierChanged, otherMoves := 0, 0
	for _, m := range moves {
		if m.Changed() {
			tierChanged++
		} else {
			otherMoves++
		}
	}
	facts := [][]any{
		{w.b(w.t("xlsx.improved")), up},
		{w.b(w.t("xlsx.declined")), down},
		{w.b(w.t("xlsx.unchanged")), same},
		{w.b(w.t("xlsx.new_gates")), newG},
		{w.b(w.t("xlsx.resolved_gates")), resG},
		{w.b(w.t("xlsx.added")), len(d.Added)},
		{w.b(w.t("xlsx.removed")), len(d.Removed)},
		{w.b(w.t("xlsx.tier_changes")), tierChanged},
		{w.b(w.t("xlsx.not_comparable_count")), nc},
	}
	if otherMoves > 0 {
		facts = slices.Insert(facts, 8, []any{w.b(w.t("grade.moves.estimate")), otherMoves})
	}
	for _, f := range facts {
		if err := put(row, f); err != nil {
			return err
		}
		row++
	}

	// Largest changes: new risks first, then the largest comparable deltas.
	slices.SortStableFunc(all, func(a, b changed) int {
		if c := cmp.Compare(len(b.c.NewGates), len(a.c.NewGates)); c != 0 {
			return c
		}
		return cmp.Compare(absDelta(b.c), absDelta(a.c))
	})
	row++
	if err := put(row, []any{w.b(w.t("xlsx.largest_changes"))}); err != nil {
		return err
	}
	row++
	if err := put(row, []any{w.h(w.t("subject")), w.h(w.t("kind")), w.h(w.t("model")), w.h(w.tp("xlsx.prev_score", prev)),
		w.h(w.t("score")), w.h(w.t("xlsx.change")), w.h(w.tp("xlsx.prev_grade", prev)), w.h(w.t("grade")),
		w.h(w.t("xlsx.new_gates")), w.h(w.t("xlsx.resolved_gates")), w.h(w.t("xlsx.comparability"))}); err != nil {
		return err
	}
	row++
	shown := 0
	for _, x := range all {
		if shown == maxChangeRows || (len(x.c.NewGates) == 0 && len(x.c.ResolvedGates) == 0 && absDelta(x.c) == 0 && x.c.Comparable) {
			break
		}
		shown++
		var delta any
		if x.c.Delta != nil {
			delta = excelize.Cell{StyleID: w.st.delta, Value: *x.c.Delta}
		}
		note := ""
		if !x.c.Comparable {
			note = w.t("xlsx.not_comparable")
		}
		prevGrade := x.c.PrevGrade
		if m := w.model(x.res.Model); m == nil || m.Kind != models.ModelStaged {
			if gm, ok := w.r.GradeMoveOf(x.s, x.res.Model); ok {
				if gm.From.Kind != reports.GradeDecided {
					prevGrade = gm.From.Text(w.lang, w.gradeNamer(x.res.Model))
				}
				if gm.Moved() && !gm.Changed() { // "B (estimate; …) → decided B": not a grade change
					note = strings.TrimPrefix(note+"; "+gm.Text(w.lang, w.gradeNamer(x.res.Model))+": "+w.t("grade.move.not_change"), "; ")
				}
			}
		}
		if err := put(row, []any{w.s(x.s.Name), w.s(w.t("kind." + string(x.s.Kind))), w.s(w.modelName(x.res.Model)),
			w.optScore(x.c.PrevScore), w.optScore(x.res.Score), delta, w.s(prevGrade), w.s(w.currentGrade(x.res)),
			w.s(strings.Join(x.c.NewGates, "; ")), w.s(strings.Join(x.c.ResolvedGates, "; ")), w.s(note)}); err != nil {
			return err
		}
		row++
	}
	if shown == 0 {
		if err := put(row, []any{w.s(w.t("xlsx.no_changes"))}); err != nil {
			return err
		}
		row++
	}

	// Added and removed subjects, tier changes.
	if len(d.Added)+len(d.Removed)+len(moves) > 0 {
		row++
		if err := put(row, []any{w.h(w.t("xlsx.change")), w.h(w.t("kind")), w.h(w.t("xlsx.name")), w.h(w.t("xlsx.id")),
			w.h(w.tp("xlsx.prev_grade", prev)), w.h(w.t("grade"))}); err != nil {
			return err
		}
		row++
		lists := []struct {
			label string
			refs  []reports.SubjectRef
		}{{w.t("xlsx.added"), d.Added}, {w.t("xlsx.removed"), d.Removed}}
		for _, l := range lists {
			for i, r := range l.refs {
				if i == maxChangeRows {
					if err := put(row, []any{w.s(l.label), nil, w.s(w.tpn("xlsx.more_rows", len(l.refs)-maxChangeRows))}); err != nil {
						return err
					}
					row++
					break
				}
				if err := put(row, []any{w.s(l.label), w.s(w.t("kind." + string(r.Kind))), w.s(r.Name), w.s(r.ID)}); err != nil {
					return err
				}
				row++
			}
		}
		for _, tc := range moves {
			label, from, to := w.t("xlsx.tier_changes"), tc.From.Grade, tc.To.Grade
			if !tc.Changed() {
				label, from, to = w.t("grade.moves.estimate"), tc.From.Text(w.lang, nil), tc.To.Text(w.lang, nil)
			}
			if !tc.Comparable {
				label += " (" + w.t("xlsx.not_comparable") + ")"
			}
			if err := put(row, []any{w.s(label), w.s(w.t("kind." + string(tc.Kind))), w.s(tc.Name), w.s(tc.ID),
				w.s(from), w.s(to)}); err != nil {
				return err
			}
			row++
		}
	}
	return nil
}

func absDelta(c *assess.Change) float64 {
	if c.Delta == nil {
		return 0
	}
	return math.Abs(*c.Delta)
}

func (w *writer) optScore(p *float64) any {
	if p == nil {
		return nil
	}
	return w.score(*p)
}
