package excel

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/models"
)

// practiceLevel is the maturity level a practice belongs to: from its
// result, else from the model.
func practiceLevel(in models.IndicatorResult, m *models.Model) int {
	if in.Level > 0 || m == nil {
		return in.Level
	}
	if d := m.Indicator(in.ID); d != nil {
		return d.Level
	}
	return 0
}

// heatMap writes a domain × level grid: each cell is the mean evidence
// level (0–4) of the domain's practices at that level, coloured red to
// green; blank where the domain has no practice at that level, and
// "inconclusive" where none was answered.
func (w *writer) heatMap(sh string, row int, res *models.Result, m *models.Model) (int, error) {
	put := w.cellRows(sh)
	maxL := 0
	for _, in := range res.Indicators {
		maxL = max(maxL, practiceLevel(in, m))
	}
	if m != nil {
		maxL = max(maxL, len(m.Levels))
	}
	if maxL == 0 || len(res.Dimensions) == 0 {
		return row, nil
	}
	if err := put(row, []any{w.b(w.t("xlsx.heatmap"))}); err != nil {
		return row, err
	}
	row++
	pass := 3.0
	if m != nil && m.PassEvidence > 0 {
		pass = m.PassEvidence
	}
	if err := put(row, []any{w.s(fmt.Sprintf(w.t("xlsx.heatmap_note"), pass))}); err != nil {
		return row, err
	}
	row++
	hdr := []any{w.h(w.t("domain")), w.h(w.t("xlsx.domain_name"))}
	for l := 1; l <= maxL; l++ {
		name := fmt.Sprintf("L%d", l)
		if m != nil {
			name += " " + m.LevelName(l, w.lang)
		}
		hdr = append(hdr, w.h(name))
	}
	if err := put(row, hdr); err != nil {
		return row, err
	}
	first := row + 1
	for _, d := range res.Dimensions {
		row++
		vals := []any{w.s(d.ID), w.s(w.dimName(m, d.ID))}
		for l := 1; l <= maxL; l++ {
			sum, n, total := 0.0, 0, 0
			for _, in := range res.Indicators {
				if in.Dimension != d.ID || practiceLevel(in, m) != l {
					continue
				}
				total++
				if in.Raw != nil {
					sum += *in.Raw
					n++
				}
			}
			switch {
			case total == 0:
				vals = append(vals, nil)
			case n == 0:
				vals = append(vals, w.inconclusive())
			default:
				vals = append(vals, cellStyled(w.st.heat, sum/float64(n)))
			}
		}
		if err := put(row, vals); err != nil {
			return row, err
		}
	}
	err := w.f.SetConditionalFormat(sh, cell(3, first)+":"+cell(2+maxL, row), []excelize.ConditionalFormatOptions{{
		Type: "3_color_scale", Criteria: "=",
		MinType: "num", MinValue: "0", MinColor: "#F8696B",
		MidType: "num", MidValue: fmt.Sprint(pass), MidColor: "#FFEB84",
		MaxType: "num", MaxValue: "4", MaxColor: "#63BE7B",
	}})
	return row + 1, err
}

// improvements lists every practice whose evidence is below the pass
// level, in the order that raises the institution's level soonest: lowest
// level first, core domains first, heaviest practice first.
func (w *writer) improvements(sh string, row int, res *models.Result, m *models.Model) (int, error) {
	put := w.cellRows(sh)
	pass := 3.0
	if m != nil && m.PassEvidence > 0 {
		pass = m.PassEvidence
	}
	core := map[string]bool{}
	if m != nil {
		for _, d := range m.Dimensions {
			core[d.ID] = d.Core
		}
	}
	type item struct {
		in    models.IndicatorResult
		level int
	}
	var items []item
	for _, in := range res.Indicators {
		if in.Raw == nil || *in.Raw < pass {
			items = append(items, item{in, practiceLevel(in, m)})
		}
	}
	slices.SortStableFunc(items, func(a, b item) int {
		if c := cmp.Compare(a.level, b.level); c != 0 {
			return c
		}
		if ca, cb := core[a.in.Dimension], core[b.in.Dimension]; ca != cb {
			if ca {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.in.Weight, a.in.Weight)
	})
	if err := put(row, []any{w.b(w.t("xlsx.improvements"))}); err != nil {
		return row, err
	}
	row++
	if err := put(row, []any{w.h(w.t("xlsx.priority")), w.h(w.t("domain")), w.h(w.t("xlsx.practice_id")), w.h(w.t("xlsx.practice_name")),
		w.h(w.t("level")), w.h(w.t("xlsx.evidence_level")), w.h(w.t("xlsx.evidence_needed")), w.h(w.t("clause"))}); err != nil {
		return row, err
	}
	if len(items) == 0 {
		row++
		return row + 1, put(row, []any{w.s(w.t("none"))})
	}
	for i, it := range items {
		row++
		name, clause := it.in.ID, ""
		if m != nil {
			if d := m.Indicator(it.in.ID); d != nil {
				name, clause = orNone(d.Name.In(w.lang), it.in.ID), d.Clause
			}
		}
		var ev any = w.inconclusive()
		if it.in.Raw != nil {
			ev = *it.in.Raw
		}
		var lvl any
		if it.level > 0 {
			lvl = it.level
		}
		if err := put(row, []any{i + 1, w.s(w.dimName(m, it.in.Dimension)), w.s(it.in.ID), w.s(name), lvl, ev,
			w.s(fmt.Sprintf("≥ %g", pass)), w.s(clause)}); err != nil {
			return row, err
		}
	}
	return row + 1, nil
}
