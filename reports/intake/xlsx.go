package intake

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// xlsx writes the intake workbook: the comparison (candidates as
// columns), one row per candidate, the vulnerabilities and the
// recommendation's conditions, reasons and checks. Every text is written
// as a string cell, so that "=", "+", "-" or "@" never start a formula.
type xlsx struct {
	f          *excelize.File
	lang       string
	head, wrap int
}

func (x *xlsx) t(k string) string { return labels.T(x.lang, k) }

// WriteXLSX writes the workbook to path atomically.
func WriteXLSX(path string, r *Report, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsx{f: f, lang: lang}
	if err := x.build(r); err != nil {
		return fmt.Errorf("intake workbook: %w", err)
	}
	return reports.WriteAtomic(path, func(w io.Writer) error { return f.Write(w) })
}

func (x *xlsx) build(r *Report) error {
	var err error
	if x.head, err = x.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return err
	}
	if x.wrap, err = x.f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}); err != nil {
		return err
	}
	cmp := x.t("intake.xlsx.comparison")
	if err := x.f.SetSheetName("Sheet1", cmp); err != nil {
		return err
	}
	if err := x.comparison(cmp, r); err != nil {
		return err
	}
	for _, s := range []struct {
		key   string
		write func(string, *Report) error
	}{{"intake.xlsx.candidates", x.candidates}, {"intake.xlsx.vulns", x.vulns}, {"intake.xlsx.rec", x.recommendation}} {
		name := x.t(s.key)
		if _, err := x.f.NewSheet(name); err != nil {
			return err
		}
		if err := s.write(name, r); err != nil {
			return err
		}
	}
	for _, name := range x.f.GetSheetList() {
		if err := x.printable(name); err != nil {
			return err
		}
	}
	x.f.SetActiveSheet(0)
	return nil
}

// printable: A4 landscape, one page wide.
func (x *xlsx) printable(sheet string) error {
	fit := true
	if err := x.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	size, orient, one, any := 9, "landscape", 1, 0
	return x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &any})
}

// set writes one row from column 1: strings as string cells, numbers as
// numbers, nil left empty; style applies to every cell written.
func (x *xlsx) set(sheet string, row int, style int, vals ...any) error {
	for i, v := range vals {
		if v == nil {
			continue
		}
		ref, err := excelize.CoordinatesToCellName(i+1, row)
		if err != nil {
			return err
		}
		switch v := v.(type) {
		case string:
			err = x.f.SetCellStr(sheet, ref, v)
		case *float64:
			if v == nil {
				continue
			}
			err = x.f.SetCellValue(sheet, ref, *v)
		default:
			err = x.f.SetCellValue(sheet, ref, v)
		}
		if err != nil {
			return err
		}
		if err := x.f.SetCellStyle(sheet, ref, ref, style); err != nil {
			return err
		}
	}
	return nil
}

func (x *xlsx) header(sheet string, widths []float64, vals ...any) error {
	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := x.f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	if err := x.set(sheet, 1, x.head, vals...); err != nil {
		return err
	}
	return x.f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func (x *xlsx) comparison(sheet string, r *Report) error {
	head := []any{x.t("intake.candidate")}
	widths := []float64{22}
	for _, c := range r.Candidates {
		head = append(head, c.Name)
		widths = append(widths, 45)
	}
	if err := x.header(sheet, widths, head...); err != nil {
		return err
	}
	row := 2
	for _, rw := range Rows(r, x.lang) {
		vals := []any{rw.Label}
		for _, c := range rw.Cells {
			vals = append(vals, cellText(c))
		}
		if err := x.set(sheet, row, x.wrap, vals...); err != nil {
			return err
		}
		if err := x.f.SetCellStyle(sheet, fmt.Sprintf("A%d", row), fmt.Sprintf("A%d", row), x.head); err != nil {
			return err
		}
		row++
	}
	row++
	meta := [][2]string{
		{x.t("intake.system"), orText(r.System, x.t("intake.system.none"))},
		{x.t("intake.system_licence"), r.SystemLicence + " (" + r.SystemLicenceFrom + ")"},
		{x.t("intake.use"), r.Use + " (" + r.UseFrom + ")"},
		{x.t("intake.model"), r.Model},
		{x.t("intake.policy_rules"), RulesText(r, x.lang)},
		{x.t("intake.generated"), r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")},
	}
	if na := append(append([]string{}, r.GatesNotApplicable...), r.IndicatorsNotApplicable...); len(na) > 0 {
		meta = append(meta, [2]string{x.t("intake.notes"), strings.ReplaceAll(x.t("intake.na"), "{list}", strings.Join(na, ", "))})
	}
	for _, n := range r.Notes {
		meta = append(meta, [2]string{x.t("intake.notes"), n})
	}
	for _, m := range meta {
		if err := x.set(sheet, row, x.wrap, m[0], m[1]); err != nil {
			return err
		}
		row++
	}
	return nil
}

func (x *xlsx) candidates(sheet string, r *Report) error {
	cols := []string{"intake.candidate", "intake.row.target", "intake.version", "intake.project", "score", "intake.row.score",
		"grade", "coverage", "gates", "intake.not_evaluated", "intake.row.missing", "intake.sec.licence", "intake.class",
		"intake.compat", "intake.policy", "intake.why", "intake.obligations", "intake.row.vulns", "intake.nearest_fixed",
		"intake.row.suppliers", "intake.row.recommendation", "intake.review_by"}
	head := make([]any, len(cols))
	widths := make([]float64, len(cols))
	for i, k := range cols {
		head[i] = x.t(k)
		widths[i] = 18
	}
	widths[15] = 50
	if err := x.header(sheet, widths, head...); err != nil {
		return err
	}
	for i, c := range r.Candidates {
		var gates, vulns []string
		for _, g := range c.Gates {
			gates = append(gates, g.ID)
		}
		for _, v := range c.Vulnerabilities {
			vulns = append(vulns, v.ID)
		}
		var missing []string
		for _, m := range c.Missing {
			missing = append(missing, fmt.Sprintf("%s ±%.1f", m.ID, m.Swing))
		}
		vulnText := strings.Join(vulns, ", ")
		if !c.VulnsChecked {
			vulnText = x.t("intake.vulns_unchecked")
		}
		if err := x.set(sheet, i+2, x.wrap, c.Name, c.Target, c.Version, c.Project, c.Score, ScoreText(c, x.lang),
			GradeText(c, x.lang), c.Coverage, strings.Join(gates, ", "), strings.Join(c.GatesNotEvaluated, ", "),
			strings.Join(missing, ", "), c.Licence, c.LicenceClass, c.Compatibility, c.LicencePolicy, c.Why,
			strings.Join(c.Obligations, "\n"), vulnText, c.NearestFixed, strings.Join(c.Suppliers, ", "),
			DecisionText(c.Recommendation.Decision, x.lang), c.Recommendation.ReviewBy); err != nil {
			return err
		}
	}
	return nil
}

func (x *xlsx) vulns(sheet string, r *Report) error {
	if err := x.header(sheet, []float64{22, 22, 28, 12, 10, 14, 60}, x.t("intake.candidate"), x.t("intake.version"), "ID",
		x.t("intake.severity"), "KEV", x.t("intake.fixed"), x.t("intake.summary")); err != nil {
		return err
	}
	row := 2
	for _, c := range r.Candidates {
		for _, v := range c.Vulnerabilities {
			kev := x.t("intake.no")
			if v.KEV {
				kev = x.t("intake.yes")
			}
			id := v.ID
			if len(v.Aliases) > 0 {
				id += " (" + strings.Join(v.Aliases, ", ") + ")"
			}
			if err := x.set(sheet, row, x.wrap, c.Name, c.Version, id, v.Severity, kev, v.Fixed, v.Summary); err != nil {
				return err
			}
			row++
		}
	}
	return nil
}

func (x *xlsx) recommendation(sheet string, r *Report) error {
	if err := x.header(sheet, []float64{22, 20, 14, 90}, x.t("intake.candidate"), x.t("intake.row.recommendation"),
		x.t("intake.xlsx.kind"), x.t("intake.xlsx.text")); err != nil {
		return err
	}
	row := 2
	for _, c := range r.Candidates {
		dec := DecisionText(c.Recommendation.Decision, x.lang)
		for _, part := range []struct {
			kind  string
			lines []string
		}{{"intake.xlsx.reason", c.Recommendation.Reasons}, {"intake.xlsx.condition", c.Recommendation.Conditions}, {"intake.xlsx.note", c.Recommendation.Notes}} {
			for _, l := range part.lines {
				if err := x.set(sheet, row, x.wrap, c.Name, dec, x.t(part.kind), l); err != nil {
					return err
				}
				row++
			}
		}
	}
	return nil
}

func orText(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
