package excel

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// The supply chain: a Licences & Vulnerabilities sheet (key figures,
// systems, native charts) and an Inventory sheet (one row per component,
// streamed, with filters and conditional formats), when the report holds
// an inventory.

// valueLabel shows a licence class, compatibility verdict or policy
// decision in the report's language; an unknown value is shown as it is.
func (w *writer) valueLabel(prefix, v string) string {
	if v == "" {
		return ""
	}
	if k := prefix + v; labels.Has(k) {
		return w.t(k)
	}
	return v
}

func (w *writer) writeSupply() error {
	inv := w.r.Inventory
	sh := w.supply
	put := w.cellRows(sh)
	if err := w.colWidths(sh, []float64{44, 14, 16, 16, 14, 12, 12, 12}); err != nil {
		return err
	}
	t := inv.Totals
	row := 1
	if err := put(row, []any{excelize.Cell{StyleID: w.st.title, Value: w.t("inv.key_figures")}}); err != nil {
		return err
	}
	row += 2
	undercount := any(nil)
	if t.DeclaredProjects > 0 {
		undercount = w.f64(round1(t.Undercount))
	}
	figures := [][]any{
		{w.b(w.t("inv.systems")), t.Systems},
		{w.b(w.t("inv.discovered")), t.Components},
		{w.b(w.t("inv.direct")), t.Direct},
		{w.b(w.t("inv.transitive")), t.Transitive},
		{w.b(w.t("inv.declared_projects")), t.DeclaredProjects},
		{w.b(w.t("inv.undercount")), undercount},
		{w.b(w.t("inv.banned")), t.ByPolicy[licenses.Banned]},
		{w.b(w.t("inv.incompatible")), t.ByCompatibility[licenses.Incompatible]},
		{w.b(w.t("inv.with_conditions")), t.ByCompatibility[licenses.CompatibleWithConditions]},
		{w.b(w.t("inv.kev_components")), t.KEVComponents},
		{w.b(w.t("inv.critical_components")), t.Vulnerable["critical"]},
		{w.b(w.t("inv.relicensed")), t.Relicensed},
		{w.b(w.t("inv.where"))},
	}
	for _, f := range figures {
		if err := put(row, f); err != nil {
			return err
		}
		row++
	}
	row++
	// Systems.
	if err := put(row, []any{w.h(w.t("inv.system")), w.h(w.t("inv.licence")), w.h(w.t("inv.licence_source")), w.h(w.t("inv.use")),
		w.h(w.t("inv.format")), w.h(w.t("inv.components")), w.h(w.t("inv.direct")), w.h(w.t("inv.transitive")), w.h(w.t("inv.not_stated")),
		w.h(w.t("inv.import_status"))}); err != nil {
		return err
	}
	row++
	for _, s := range inv.Systems {
		status := w.t("inv.import_ok")
		if s.Stale {
			status = w.t("inv.stale") + ": " + w.t("inv.import_failed")
			if s.ImportFailedAt != nil {
				status += " " + s.ImportFailedAt.Format("2006-01-02 15:04")
			}
			status += ": " + s.ImportError
		}
		use := reports.UseLabel(w.lang, s.Use) // a name: 对外分发, not "distributed" (issue 26)
		if s.Use == "" {
			use = w.t("inv.use_unstated")
		}
		if err := put(row, []any{w.s(s.Name), w.s(s.Licence), w.s(w.valueLabel("inv.licence_source.", s.LicenceSource)), w.s(use),
			w.s(s.Format), s.Components, s.Direct, s.Transitive, s.NotStated, w.s(status)}); err != nil {
			return err
		}
		row++
	}
	row++
	// Three small tables, each with its native chart beside it.
	tables := []struct {
		title string
		rows  []labelCount
		chart excelize.ChartType
	}{
		{w.t("inv.by_class"), counts(t.ByClass, licenses.Classes, func(v string) string { return w.valueLabel("class.", v) }), excelize.Pie},
		{w.t("inv.by_compatibility"), counts(t.ByCompatibility, licenses.Verdicts, func(v string) string { return w.valueLabel("compat.", v) }), excelize.Bar},
		{w.t("inv.by_severity"), counts(t.Vulnerable, []string{"critical", "high", "medium", "low"}, func(v string) string { return w.t("inv." + v) }), excelize.Col},
	}
	for _, tb := range tables {
		if err := put(row, []any{w.h(tb.title), w.h(w.t("inv.count"))}); err != nil {
			return err
		}
		hdr := row
		row++
		for _, r := range tb.rows {
			if err := put(row, []any{w.s(r.label), r.n}); err != nil {
				return err
			}
			row++
		}
		if len(tb.rows) > 0 {
			add := w.addChart
			if tb.chart != excelize.Pie { // bars of counts: whole steps
				maxN := 0
				for _, r := range tb.rows {
					maxN = max(maxN, r.n)
				}
				add = func(sheet, anchor string, c *excelize.Chart) error { return w.countChart(sheet, anchor, c, maxN) }
			}
			if err := add(w.supply, cell(4, hdr), &excelize.Chart{
				Type: tb.chart,
				Series: []excelize.ChartSeries{{
					Name:       absRef(sh, 2, hdr, 2, hdr),
					Categories: absRef(sh, 1, hdr+1, 1, hdr+len(tb.rows)),
					Values:     absRef(sh, 2, hdr+1, 2, hdr+len(tb.rows)),
				}},
				Title:     chartTitle(tb.title),
				Legend:    excelize.ChartLegend{Position: "right"},
				Dimension: excelize.ChartDimension{Width: 480, Height: 260},
				Format:    excelize.GraphicOptions{AltText: tb.title},
			}); err != nil {
				return err
			}
		}
		row += max(0, 14-len(tb.rows)) // room for the chart
	}
	return nil
}

// labelCount is one row of a count table.
type labelCount struct {
	label string
	n     int
}

// counts lists the non-zero counts in the order of keys, labelled.
func counts(m map[string]int, keys []string, label func(string) string) []labelCount {
	var out []labelCount
	for _, k := range keys {
		if m[k] > 0 {
			out = append(out, labelCount{label(k), m[k]})
		}
	}
	return out
}

// writeInventory streams one row per component, riskiest first (as the
// inventory lists them), with filters and conditional formats.
func (w *writer) writeInventory() error {
	inv := w.r.Inventory
	sh := w.inventory
	header := []any{w.h(w.t("inv.component")), w.h(w.t("inv.version")), w.h(w.t("inv.ecosystem")), w.h(w.t("inv.licence")),
		w.h(w.t("inv.class")), w.h(w.t("inv.compatibility")), w.h(w.t("inv.policy")), w.h(w.t("inv.relation")),
		w.h(w.t("inv.systems")), w.h(w.t("inv.critical")), w.h(w.t("inv.high")), w.h(w.t("inv.medium")), w.h(w.t("inv.low")),
		w.h(w.t("inv.kev")), w.h(w.t("inv.fixable")), w.h(w.t("inv.project")), w.h(w.t("inv.project_grade")),
		w.h(w.t("inv.purl")), w.h(w.t("inv.compatibility_why")), w.h(w.t("inv.relicensing"))}
	widths := []float64{36, 12, 10, 22, 18, 20, 10, 12, 30, 8, 8, 8, 8, 10, 8, 30, 12, 44, 60, 40}
	last := len(inv.Components) + 1
	if len(inv.Components) > 0 {
		if err := w.f.AutoFilter(sh, "A1:"+cell(len(header), last), nil); err != nil {
			return err
		}
		red, err := w.f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "9C0006"}, Fill: excelize.Fill{Type: "pattern", Color: []string{"FFC7CE"}, Pattern: 1}})
		if err != nil {
			return err
		}
		amber, err := w.f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "9C5700"}, Fill: excelize.Fill{Type: "pattern", Color: []string{"FFEB9C"}, Pattern: 1}})
		if err != nil {
			return err
		}
		quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
		rules := []struct {
			col    int
			values []string
			style  int
		}{
			{6, []string{w.valueLabel("compat.", licenses.Incompatible)}, red},
			{6, []string{w.valueLabel("compat.", licenses.NeedsReview), w.valueLabel("compat.", licenses.CompatibleWithConditions)}, amber},
			{7, []string{w.valueLabel("policy.", licenses.Banned)}, red},
			{7, []string{w.valueLabel("policy.", licenses.Review)}, amber},
		}
		for _, r := range rules {
			for _, v := range r.values {
				if err := w.f.SetConditionalFormat(sh, cell(r.col, 2)+":"+cell(r.col, last), []excelize.ConditionalFormatOptions{{
					Type: "cell", Criteria: "==", Format: &r.style, Value: quote(v)}}); err != nil {
					return err
				}
			}
		}
		for _, col := range []int{10, 14} { // critical and KEV counts above 0
			if err := w.f.SetConditionalFormat(sh, cell(col, 2)+":"+cell(col, last), []excelize.ConditionalFormatOptions{{
				Type: "cell", Criteria: ">", Format: &red, Value: "0"}}); err != nil {
				return err
			}
		}
	}
	sw, put, err := w.streamTable(sh, widths, header)
	if err != nil {
		return err
	}
	grades := map[string]string{}
	for _, s := range w.r.OfKind(models.KindProject) {
		if res := s.Result(models.ProjectHealth); res != nil {
			grades[s.ID] = fmt.Sprint(w.gradeOr(res).(excelize.Cell).Value)
		}
	}
	vals := make([]any, 0, len(header))
	for i, c := range inv.Components {
		rel := w.t("inv.relation.unknown")
		if c.Direct != nil && *c.Direct {
			rel = w.t("inv.direct")
		} else if c.Direct != nil {
			rel = w.t("inv.transitive")
		}
		v := c.Vulnerabilities
		vals = append(vals[:0], w.s(c.Name), w.s(c.Version), w.s(c.Ecosystem), w.s(c.Licence),
			w.s(w.valueLabel("class.", c.LicenceClass)), w.s(w.valueLabel("compat.", c.Compatibility)), w.s(w.valueLabel("policy.", c.Policy)),
			w.s(rel), w.s(strings.Join(c.SystemNames(), ", ")), v.Critical, v.High, v.Medium, v.Low, v.KEV, v.Fixable,
			w.s(c.Project), w.s(grades[c.Project]), w.s(c.PURL), w.s(labels.LicenceWhy(w.lang, c.CompatibilityWhy)), w.s(c.Relicensing))
		if err := put(i+2, vals); err != nil {
			return err
		}
	}
	return sw.Flush()
}

func round1(x float64) float64 { return float64(int(x*10+0.5)) / 10 }
