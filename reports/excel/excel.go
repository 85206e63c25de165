// Package excel writes a Report as an Excel workbook (excelize).
//
// Sheets, named in the report's language: Summary, Projects, Indicators,
// Suppliers, Maturity, Trends, Model and Sources. The large sheets
// (Projects, Indicators, Trends) are written with excelize's StreamWriter;
// their charts, filters and conditional formats are added before streaming
// (a chart added after a stream writer's Flush is silently lost).
//
// Outside text (subject names, evidence, explanations, model labels) is
// always written as a string cell (shared or inline string, never a
// formula) with the Text number format "@", so a value beginning with =,
// +, -, @, tab or CR stays the exact text and Excel never evaluates it.
package excel

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// maxRiskRows caps the top-risk table on the Summary sheet, which prints
// on one page; the subject sheets carry every gate.
const maxRiskRows = 30

// The Summary's charts, in pixels: beside their tables, in columns E–F.
const summaryChartW, summaryChartH = 480, 240

// Write renders r as an .xlsx workbook at path. It writes a temporary file
// in the same directory and renames it into place, so a failure never
// leaves a half-written workbook; the file mode is 0644.
func Write(path string, r *reports.Report) (err error) {
	if r == nil {
		return errors.New("excel: nil report")
	}
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("excel: %s: %w", path, cerr)
		}
	}()
	w := newWriter(f, r)
	if err := w.build(); err != nil {
		return fmt.Errorf("excel: %s: %w", path, err)
	}

	return reports.WriteAtomic(path, func(out io.Writer) error {
		_, err := f.WriteTo(out)
		return err
	})
}

type styles struct {
	title, header, text, bold, score, num, pct, date, delta, dim, heat, wrap int
	// undecided greys a grade cell without a decided grade (and its
	// score), as the dashboard's class "undecided" does (issue 26).
	undecided, undecidedScore int
}

type writer struct {
	f    *excelize.File
	r    *reports.Report
	lang string
	st   styles
	// sheet names, localised
	summary, projects, suppliers, maturity, indicators, sources, trends, modelSheet string
	supply, inventory                                                               string // with an inventory only
	lifecycle                                                                       string // with a lifecycle section only
	vulns                                                                           string // with a vulnerability section only (vulns.go)
	// ext is how far each sheet's content reaches, for its print area.
	ext map[string]*extent
	// indicatorsPrinted is false when the Indicators sheet is too long for
	// the default print selection.
	indicatorsPrinted bool
	// indSel is which subjects the Indicators sheet lists (all of them up
	// to maxIndicatorRows rows).
	indSel indicatorSelection
}

func newWriter(f *excelize.File, r *reports.Report) *writer {
	lang := "en"
	if r.Lang == "zh" {
		lang = "zh"
	}
	w := &writer{f: f, r: r, lang: lang}
	w.summary = w.t("xlsx.sheet.summary")
	w.projects = w.t("xlsx.sheet.projects")
	w.suppliers = w.t("xlsx.sheet.suppliers")
	w.maturity = w.t("xlsx.sheet.maturity")
	w.indicators = w.t("xlsx.sheet.indicators")
	w.sources = w.t("xlsx.sheet.sources")
	w.trends = w.t("xlsx.sheet.trends")
	w.modelSheet = w.t("xlsx.sheet.model")
	w.supply = w.t("xlsx.sheet.supply")
	w.inventory = w.t("xlsx.sheet.inventory")
	w.lifecycle = w.t("xlsx.sheet.lifecycle")
	w.vulns = w.t("xlsx.sheet.vulns")
	return w
}

func (w *writer) t(key string) string { return labels.T(w.lang, key) }

// tp is a label with {p} replaced by a period.
func (w *writer) tp(key, period string) string { return strings.ReplaceAll(w.t(key), "{p}", period) }

func (w *writer) build() error {
	if err := w.makeStyles(); err != nil {
		return err
	}
	if err := w.f.SetSheetName("Sheet1", w.summary); err != nil {
		return err
	}
	sheets := []string{w.projects, w.indicators, w.suppliers, w.maturity, w.trends, w.modelSheet, w.sources}
	if w.r.Inventory != nil {
		sheets = slices.Insert(sheets, 1, w.supply, w.inventory)
	}
	if w.r.Lifecycle != nil {
		sheets = slices.Insert(sheets, slices.Index(sheets, w.indicators), w.lifecycle)
	}
	if w.r.Vulnerabilities != nil {
		sheets = slices.Insert(sheets, slices.Index(sheets, w.indicators), w.vulns)
	}
	for _, s := range sheets {
		if _, err := w.f.NewSheet(s); err != nil {
			return fmt.Errorf("sheet %s: %w", s, err)
		}
	}
	w.f.SetActiveSheet(0)
	all := append([]string{w.summary}, sheets...)
	w.indSel = w.selectIndicators(maxIndicatorRows)
	if err := w.printSetupAll(all); err != nil {
		return err
	}
	steps := []struct {
		sheet string
		fn    func() error
	}{
		{w.summary, w.writeSummary},
		{w.projects, func() error { return w.writeSubjects(w.projects, models.KindProject, models.ProjectHealth, true) }},
		{w.supply, w.writeSupply},
		{w.inventory, w.writeInventory},
		{w.lifecycle, w.writeLifecycle},
		{w.vulns, w.writeVulns},
		{w.indicators, w.writeIndicators},
		{w.suppliers, func() error { return w.writeSubjects(w.suppliers, models.KindSupplier, models.Supplier, false) }},
		{w.maturity, w.writeMaturity},
		{w.trends, w.writeTrends},
		{w.modelSheet, w.writeModels},
		{w.sources, w.writeSources},
	}
	for _, s := range steps {
		if w.r.Inventory == nil && (s.sheet == w.supply || s.sheet == w.inventory) || w.r.Lifecycle == nil && s.sheet == w.lifecycle ||
			w.r.Vulnerabilities == nil && s.sheet == w.vulns {
			continue
		}
		if err := s.fn(); err != nil {
			return fmt.Errorf("sheet %s: %w", s.sheet, err)
		}
	}
	return w.printNames(all)
}

func (w *writer) makeStyles() error {
	textFmt := 49 // "@": Text
	one := "0.0"
	pct := "0%"
	date := "yyyy-mm-dd hh:mm:ss"
	signed := "+0.0;-0.0;0.0"
	var thin []excelize.Border
	for _, side := range []string{"left", "right", "top", "bottom"} {
		thin = append(thin, excelize.Border{Type: side, Color: "BFBFBF", Style: 1})
	}
	defs := []struct {
		dst *int
		s   *excelize.Style
	}{
		{&w.st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, NumFmt: textFmt}},
		{&w.st.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}},
			NumFmt:    textFmt,
		}},
		{&w.st.text, &excelize.Style{NumFmt: textFmt}},
		{&w.st.bold, &excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: textFmt}},
		{&w.st.score, &excelize.Style{CustomNumFmt: &one}},
		{&w.st.num, &excelize.Style{NumFmt: 0}},
		{&w.st.pct, &excelize.Style{CustomNumFmt: &pct}},
		{&w.st.date, &excelize.Style{CustomNumFmt: &date}},
		{&w.st.delta, &excelize.Style{CustomNumFmt: &signed}},
		{&w.st.dim, &excelize.Style{CustomNumFmt: &one, Font: &excelize.Font{Italic: true, Color: "808080"}}},
		{&w.st.heat, &excelize.Style{CustomNumFmt: &one, Alignment: &excelize.Alignment{Horizontal: "center"}, Border: thin}},
		{&w.st.wrap, &excelize.Style{NumFmt: textFmt, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&w.st.undecided, &excelize.Style{NumFmt: textFmt, Font: &excelize.Font{Color: "595959"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}}},
		{&w.st.undecidedScore, &excelize.Style{CustomNumFmt: &one, Font: &excelize.Font{Color: "7F7F7F", Italic: true}}},
	}
	for _, d := range defs {
		id, err := w.f.NewStyle(d.s)
		if err != nil {
			return err
		}
		*d.dst = id
	}
	return nil
}

// ---- cell helpers ----------------------------------------------------------

// s is a text cell: a string value, typed as text, never a formula.
func (w *writer) s(v string) any {
	if v == "" {
		return nil
	}
	return excelize.Cell{StyleID: w.st.text, Value: v}
}

func (w *writer) h(v string) any      { return excelize.Cell{StyleID: w.st.header, Value: v} }
func (w *writer) b(v string) any      { return excelize.Cell{StyleID: w.st.bold, Value: v} }
func (w *writer) f64(v float64) any   { return excelize.Cell{StyleID: w.st.num, Value: v} }
func (w *writer) score(v float64) any { return excelize.Cell{StyleID: w.st.score, Value: v} }
func (w *writer) pct(v float64) any   { return excelize.Cell{StyleID: w.st.pct, Value: v} }
func (w *writer) inconclusive() any   { return w.s(w.t("status.inconclusive")) }

// scoreOr is the score, or "inconclusive" when there is none (never 0).
func (w *writer) scoreOr(p *float64) any {
	if p == nil {
		return w.inconclusive()
	}
	return w.score(*p)
}

func (w *writer) optNum(p *float64) any {
	if p == nil {
		return nil
	}
	return w.f64(*p)
}

func (w *writer) date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return excelize.Cell{StyleID: w.st.date, Value: t.UTC()}
}

func (w *writer) status(s string) string {
	if s == "" {
		return ""
	}
	if k := "status." + s; labels.Has(k) {
		return w.t(k)
	}
	return s
}

// gradeOr is the grade cell (reports.GradeDisplay, issue 26): the decided
// grade id; otherwise the grades left open, range first, "D–B,
// undecided", or "undecided", greyed (style undecided).
func (w *writer) gradeOr(res *models.Result) any {
	g := w.gradeText(res)
	if res.Grade != "" {
		return w.s(g)
	}
	return excelize.Cell{StyleID: w.st.undecided, Value: g}
}

// gradeText is a result's grade cell text: a project's grade by its id
// ("B", "D–B, undecided"), a supplier's tier by its name in the report's
// language (不予准入, never the id "not-approved"; issue 26).
func (w *writer) gradeText(res *models.Result) string {
	name := w.gradeNamer(res.Model)
	return reports.GradeDisplay(res, w.lang, name, name)
}

// capName is a gate's cap in a cell: as gradeNamer names it, "" kept.
func (w *writer) capName(modelID, cap string) string {
	if name := w.gradeNamer(modelID); name != nil && cap != "" {
		return name(cap)
	}
	return cap
}

// gradeNamer names the grades of a model in cells: nil (ids: "B") for the
// project model and a model not known, else reports.GradeName (a tier by
// its label).
func (w *writer) gradeNamer(modelID string) func(string) string {
	m := w.model(modelID)
	if modelID == models.ProjectHealth || m == nil {
		return nil
	}
	return func(id string) string { return reports.GradeName(m, id, w.lang) }
}

// resultStatus is the status, "graded on partial data" when the missing
// indicators cannot change the grade.
func (w *writer) resultStatus(res *models.Result) string {
	if res.Partial {
		return w.t("status.partial")
	}
	return w.status(res.Status)
}

// missingText names the n missing indicators that would narrow the score
// range most, with their swing and what measures them:
// "RSP-1 4.0 (GitHub collector (network and a token))".
func (w *writer) missingText(res *models.Result, n int) string {
	parts := make([]string, 0, n)
	for i, mi := range res.Missing {
		if i == n {
			parts = append(parts, fmt.Sprintf("+%d", len(res.Missing)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %.1f (%s)", mi.ID, mi.Swing, labels.NeedsAll(w.lang, mi.Sources)))
	}
	return strings.Join(parts, "; ")
}

// scoreRangeText is "low–high", or "" for results stored without a range.
func scoreRangeText(res *models.Result) string {
	if len(res.ScoreRange) != 2 {
		return ""
	}
	return fmt.Sprintf("%.1f–%.1f", res.ScoreRange[0], res.ScoreRange[1])
}

// gatesText is a result's fired gates, each as its id, the sentence that
// says what it means and, after it, the metric and evidence it was built
// from: "G-KEY-PERSON: One person made 84 % of last year's commits (bus
// factor 1). [gitlocal.bus_factor_12m = 1: …]". The Summary's top risks
// show the sentences alone, at the width they print at.
func (w *writer) gatesText(res *models.Result) string {
	parts := make([]string, 0, len(res.Gates))
	for _, g := range res.Gates {
		ex := w.explainGate(res.Model, g)
		p := g.ID + ": " + ex.Text
		if ex.Detail != "" {
			p += " [" + ex.Detail + "]"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// explainGate is fired gate g of a model in the report's language.
func (w *writer) explainGate(modelID string, g models.GateHit) reports.Explained {
	return reports.ExplainGate(w.model(modelID), models.GateState{ID: g.ID, State: models.GateFired, Cap: g.Cap, Reason: g.Reason, Waived: g.Waived}, w.lang)
}

// rowFunc writes one row of values starting in column A.
type rowFunc func(row int, vals []any) error

// cellRows writes rows cell by cell on a normal (non-streamed) sheet.
// sectionRows returns a writer of section heads for a sheet written row
// by row: a blank row, the title in bold, then the column headers; *row
// moves past them.
func (w *writer) sectionRows(put rowFunc, row *int) func(title string, header ...string) error {
	return func(title string, header ...string) error {
		*row++
		if err := put(*row, []any{w.b(title)}); err != nil {
			return err
		}
		*row++
		h := make([]any, 0, len(header))
		for _, x := range header {
			h = append(h, w.h(x))
		}
		err := put(*row, h)
		*row++
		return err
	}
}

func (w *writer) cellRows(sheet string) rowFunc {
	return func(row int, vals []any) error {
		w.note(sheet, row, vals)
		for i, v := range vals {
			if v == nil {
				continue
			}
			ref, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			style := 0
			if c, ok := v.(excelize.Cell); ok {
				style, v = c.StyleID, c.Value
			}
			if s, ok := v.(string); ok {
				err = w.f.SetCellStr(sheet, ref, s)
			} else {
				err = w.f.SetCellValue(sheet, ref, v)
			}
			if err != nil {
				return err
			}
			if style != 0 {
				if err := w.f.SetCellStyle(sheet, ref, ref, style); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// streamTable starts a streamed table sheet: the column widths, the header
// row written and frozen. Sheet-level parts (filters, conditional formats)
// must be set before it is called.
func (w *writer) streamTable(sh string, widths []float64, header []any) (*excelize.StreamWriter, rowFunc, error) {
	return w.streamTableAt(sh, widths, 1, nil, header)
}

// streamTableAt is streamTable with the header in row hdr: above calls
// put for the rows above it (nil: none), which stay in view with it.
func (w *writer) streamTableAt(sh string, widths []float64, hdr int, above func(rowFunc) error, header []any) (*excelize.StreamWriter, rowFunc, error) {
	sw, err := w.newStreamWriter(sh, widths)
	if err != nil {
		return nil, nil, err
	}
	if err := w.streamWidths(sw, widths); err != nil {
		return nil, nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: hdr, TopLeftCell: cell(1, hdr+1), ActivePane: "bottomLeft"}); err != nil {
		return nil, nil, err
	}
	put := w.streamRows(sw)
	if above != nil {
		if err := above(put); err != nil {
			return nil, nil, err
		}
	}
	w.extentOf(sh).titleRow = hdr
	return sw, put, put(hdr, header)
}

func (w *writer) streamRows(sw *excelize.StreamWriter) rowFunc {
	w.extentOf(sw.Sheet).streamed = true
	return func(row int, vals []any) error {
		w.note(sw.Sheet, row, vals)
		return sw.SetRow("A"+fmt.Sprint(row), vals, w.rowOpts(sw.Sheet, vals)...)
	}
}

func (w *writer) colWidths(sheet string, widths []float64) error {
	w.extentOf(sheet).widths = widths
	for i, wd := range widths {
		c, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := w.f.SetColWidth(sheet, c, c, wd); err != nil {
			return err
		}
	}
	return nil
}

// streamWidths sets column widths on a stream writer. excelize puts each new
// <col> before the earlier ones and the stream writer emits them as they
// are, so they are set last column first to come out in ascending order,
// as Excel expects.
func (w *writer) streamWidths(sw *excelize.StreamWriter, widths []float64) error {
	w.extentOf(sw.Sheet).widths = widths
	for i := len(widths) - 1; i >= 0; i-- {
		if err := sw.SetColWidth(i+1, i+1, widths[i]); err != nil {
			return err
		}
	}
	return nil
}

func cell(col, row int) string {
	ref, _ := excelize.CoordinatesToCellName(col, row)
	return ref
}

// absRef is 'Sheet'!$A$1:$A$9, for chart series.
func absRef(sheet string, col1, row1, col2, row2 int) string {
	a, _ := excelize.CoordinatesToCellName(col1, row1, true)
	b, _ := excelize.CoordinatesToCellName(col2, row2, true)
	q := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	if a == b {
		return q + a
	}
	return q + a + ":" + b
}

func chartTitle(s string) excelize.ChartTitle {
	return excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: s}}}
}

// ---- model lookups ---------------------------------------------------------

func (w *writer) model(id string) *models.Model {
	if w.r.Defs == nil {
		return nil
	}
	return w.r.Defs[id]
}

func (w *writer) modelName(id string) string {
	if m := w.model(id); m != nil {
		if n := m.Name.In(w.lang); n != "" {
			return n
		}
	}
	return id
}

func (w *writer) dimName(m *models.Model, id string) string {
	if m != nil {
		for _, d := range m.Dimensions {
			if d.ID == id {
				if n := d.Name.In(w.lang); n != "" {
					return n
				}
			}
		}
	}
	return id
}

func (w *writer) gateName(modelID, id string) string {
	if m := w.model(modelID); m != nil {
		for _, g := range m.Gates {
			if g.ID == id {
				return g.Name.In(w.lang)
			}
		}
	}
	return ""
}

// dimIDs lists the dimensions of a model: from its definition, or else in
// order of first appearance in the results.
func dimIDs(m *models.Model, subs []reports.SubjectReport, modelID string) []string {
	var ids []string
	if m != nil {
		for _, d := range m.Dimensions {
			ids = append(ids, d.ID)
		}
		return ids
	}
	seen := map[string]bool{}
	for _, s := range subs {
		if res := s.Result(modelID); res != nil {
			for _, d := range res.Dimensions {
				if !seen[d.ID] {
					seen[d.ID] = true
					ids = append(ids, d.ID)
				}
			}
		}
	}
	return ids
}

func dimResult(res *models.Result, id string) *models.DimensionResult {
	for i := range res.Dimensions {
		if res.Dimensions[i].ID == id {
			return &res.Dimensions[i]
		}
	}
	return nil
}

// gatedFirst returns the subjects with a fired gate first, otherwise in
// report order: gates are listed first in every report.
func gatedFirst(subs []reports.SubjectReport, modelID string) []reports.SubjectReport {
	out := slices.Clone(subs)
	gated := func(s reports.SubjectReport) int {
		if res := s.Result(modelID); res != nil && len(res.Gates) > 0 {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(out, func(a, b reports.SubjectReport) int { return cmp.Compare(gated(a), gated(b)) })
	return out
}

// ---- Summary ---------------------------------------------------------------

type distRow struct {
	id, label string
	n         int
}

// distribution is the Summary's table of decided grades (tiers) of one
// kind of subject, from the key figures (reports.Figures): every grade of
// the model best first, then one row for the undecided, never counted as
// a grade (issue 26).
func (w *writer) distribution(kind models.SubjectKind, fig reports.Figures) []distRow {
	g := fig.ProjectGrades
	if kind == models.KindSupplier {
		g = fig.SupplierTiers
	}
	m := w.model(g.Model)
	var rows []distRow
	for _, c := range g.Grades {
		label := ""
		if m != nil {
			label = m.GradeLabel(c.Grade, w.lang)
		}
		rows = append(rows, distRow{c.Grade, label, c.N})
	}
	return append(rows, distRow{w.t("fig.undecided"), "", g.Undecided}) // defined beside the count above
}

func (w *writer) writeSummary() error {
	sh := w.summary
	fig := w.r.Figures()
	put := w.cellRows(sh)
	// D holds a gate's whole id ("G-NO-COMPLIANCE-ARTEFACTS", 25 characters).
	// G and H hold the changes' grades: "D–B, undecided" is 14 wide (issue 26)
	if err := w.colWidths(sh, []float64{40, 36, 22, 27, 26, 48, 18, 18, 24, 20, 24}); err != nil {
		return err
	}
	row := 1
	if err := put(row, []any{excelize.Cell{StyleID: w.st.title, Value: w.t("title")}}); err != nil {
		return err
	}
	row += 2
	institution := w.r.Institution
	var gmi *models.Result
	for _, s := range w.r.OfKind(models.KindInstitution) {
		if institution == "" {
			institution = s.Name
		}
		if res := s.Result(models.GovernanceMaturity); res != nil && gmi == nil {
			gmi = res
		}
	}
	info := [][]any{
		{w.b(w.t("period")), w.s(w.r.Period)},
		{w.b(w.t("xlsx.generated_utc")), w.date(w.r.GeneratedAt)},
		{w.b(w.t("xlsx.institution")), w.s(institution)},
		// the key figures, counted once for every output (reports.Figures)
		{w.b(w.t("xlsx.count.projects")), fig.Projects},
		{w.b(w.t("xlsx.count.suppliers")), fig.Suppliers},
		{w.b(w.t("xlsx.count.gates")), fig.GatesFired},
		{w.b(w.t("fig.projects_graded")), fig.ProjectGrades.Graded},
		{w.b(w.t("fig.projects_undecided")), fig.ProjectGrades.Undecided, w.s(w.t("fig.undecided_def"))},
		{w.b(w.t("xlsx.previous_period")), w.s(orNone(w.r.PreviousPeriod, w.t("xlsx.no_previous")))},
	}
	if gmi != nil {
		var lvl any
		switch {
		case reports.LevelOpen(gmi): // inconclusive or not, the range is what is known
			lvl = w.s(reports.LevelRange(gmi))
		case gmi.Status == models.StatusInconclusive:
			lvl = w.inconclusive()
		default:
			name := reports.LevelRange(gmi)
			if m := w.model(models.GovernanceMaturity); m != nil {
				name += " · " + m.LevelName(gmi.Level, w.lang)
			}
			lvl = w.s(name)
		}
		info = append(info, []any{w.b(w.t("xlsx.maturity_level")), lvl, w.scoreOr(gmi.Score)})
	}
	if inv := w.r.Inventory; inv != nil { // the supply chain's key figures; detail on its own sheets
		t := inv.Totals
		info = append(info,
			[]any{w.b(w.t("inv.discovered")), t.Components, w.s(w.t("inv.where"))},
			[]any{w.b(w.t("inv.banned")), t.ByPolicy[licenses.Banned]},
			[]any{w.b(w.t("inv.incompatible")), t.ByCompatibility[licenses.Incompatible]},
			[]any{w.b(w.t("inv.kev_components")), t.KEVComponents},
			[]any{w.b(w.t("inv.critical_components")), t.Vulnerable["critical"]},
			[]any{w.b(w.t("inv.relicensed")), t.Relicensed})
		if t.DeclaredProjects > 0 {
			info = append(info, []any{w.b(w.t("inv.undercount")), w.f64(round1(t.Undercount))})
		}
	}
	if lc := w.r.Lifecycle; lc != nil { // the lifecycle's key figures; detail on its own sheet
		info = append(info, []any{w.b(w.t("lc.unapproved")), lc.InUse.Unapproved}, []any{w.b(w.t("lc.overdue_exits")), lc.InUse.OverdueExits})
	}
	if v := w.r.Vulnerabilities; v != nil { // first of the key figures: overdue known-exploited and critical findings (vulns.go)
		info = slices.Insert(info, 3, []any{w.b(w.t("vh.overdue_kev")), v.Totals.OverdueKEV},
			[]any{w.b(w.t("vh.overdue_critical")), v.Totals.OverdueCritical()}, []any{w.b(w.t("vh.open")), v.Totals.Open})
	}
	if w.indSel.bounded { // a large portfolio: not every indicator is in the workbook
		info = append(info, []any{w.b(w.t("xlsx.indicators.bounded")), w.s(w.boundedText("xlsx.indicators.bounded_where"))})
	}
	if !w.indicatorsPrinted { // where the detail is when it is not printed
		info = append(info, []any{w.b(w.t("xlsx.print.detail")), w.s(strings.ReplaceAll(w.t("xlsx.print.detail_where"), "{s}", w.indicators))})
	}
	for _, vals := range info {
		if err := put(row, vals); err != nil {
			return err
		}
		row++
	}

	// Top risks: gates fired, listed before anything else is ranked.
	row++
	if err := put(row, []any{w.b(w.t("xlsx.top_risks"))}); err != nil {
		return err
	}
	row++
	type risk struct {
		s   reports.SubjectReport
		res *models.Result
		g   models.GateHit
	}
	var risks []risk
	for _, k := range []models.SubjectKind{models.KindInstitution, models.KindSupplier, models.KindProject} {
		for _, s := range w.r.OfKind(k) {
			for i := range s.Results {
				for _, g := range s.Results[i].Gates {
					risks = append(risks, risk{s, &s.Results[i], g})
				}
			}
		}
	}
	if len(risks) == 0 {
		if err := put(row, []any{w.s(w.t("xlsx.no_gates"))}); err != nil {
			return err
		}
		row++
	} else {
		hdr := []any{w.h(w.t("subject")), w.h(w.t("kind")), w.h(w.t("model")), w.h(w.t("xlsx.gate")),
			w.h(w.t("xlsx.gate_name")), w.h(w.t("xlsx.reason")), w.h(w.t("xlsx.cap"))}
		if w.r.PreviousPeriod != "" {
			hdr = append(hdr, w.h(w.tp("xlsx.new_since", w.r.PreviousPeriod)))
		}
		if err := put(row, hdr); err != nil {
			return err
		}
		row++
		for i, k := range risks {
			if i == maxRiskRows {
				if err := put(row, []any{w.s(fmt.Sprintf("+%d %s", len(risks)-maxRiskRows, w.t("xlsx.more_gates")))}); err != nil {
					return err
				}
				row++
				break
			}
			ex := w.explainGate(k.res.Model, k.g)
			vals := []any{w.s(k.s.Name), w.s(w.t("kind." + string(k.s.Kind))), w.s(w.modelName(k.res.Model)),
				w.s(k.g.ID), w.s(w.gateName(k.res.Model, k.g.ID)), w.s(ex.Text), w.s(reports.CapLabel(w.model(k.res.Model), k.g.Cap, w.lang))}
			if w.r.PreviousPeriod != "" {
				isNew := ""
				if c := k.s.Change(k.res.Model); c == nil {
					isNew = w.t("xlsx.new_subject")
				} else if slices.Contains(c.NewGates, k.g.ID) {
					isNew = w.t("xlsx.yes")
				}
				vals = append(vals, w.s(isNew))
			}
			if err := put(row, vals); err != nil {
				return err
			}
			row++
		}
	}

	// Grade and tier distributions, each with a native bar chart.
	row++
	// Each chart sits beside its table (columns E–F, free there), and the
	// next block starts below the chart, so the Summary prints on one page
	// no wider than its tables.
	charts := []struct {
		kind           models.SubjectKind
		model, heading string
		title          string
	}{
		{models.KindProject, models.ProjectHealth, w.t("xlsx.grade_dist"), w.t("xlsx.chart.grades")},
		{models.KindSupplier, models.Supplier, w.t("xlsx.tier_dist"), w.t("xlsx.chart.tiers")},
	}
	for _, c := range charts {
		if len(w.r.OfKind(c.kind)) == 0 {
			continue
		}
		if err := put(row, []any{w.b(c.heading)}); err != nil {
			return err
		}
		top := row
		row++
		gradeHdr := w.t("grade")
		if c.kind == models.KindSupplier {
			gradeHdr = w.t("tier")
		}
		if err := put(row, []any{w.h(gradeHdr), w.h(w.t("xlsx.grade_label")), w.h(w.t("xlsx.count"))}); err != nil {
			return err
		}
		hdr := row
		row++
		dist := w.distribution(c.kind, fig)
		for _, d := range dist {
			if c.kind == models.KindSupplier && d.label != "" {
				// A tier reads by its name in the report's language
				// ("不予准入", not "not-approved"), in the table and as
				// the chart's category.
				d.id, d.label = d.label, ""
			}
			if err := put(row, []any{w.s(d.id), w.s(d.label), d.n}); err != nil {
				return err
			}
			row++
		}
		maxN := 0
		for _, d := range dist {
			maxN = max(maxN, d.n)
		}
		err := w.countChart(sh, cell(5, top), &excelize.Chart{
			Type: excelize.Col,
			Series: []excelize.ChartSeries{{
				Name:       absRef(sh, 3, hdr, 3, hdr),
				Categories: absRef(sh, 1, hdr+1, 1, hdr+len(dist)),
				Values:     absRef(sh, 3, hdr+1, 3, hdr+len(dist)),
			}},
			Title:     chartTitle(c.title),
			Legend:    excelize.ChartLegend{Position: "none"},
			Dimension: excelize.ChartDimension{Width: summaryChartW, Height: summaryChartH},
			Format:    excelize.GraphicOptions{AltText: c.title},
		}, maxN)
		if err != nil {
			return err
		}
		row = max(row, top+summaryChartH/int(defaultRowPx)+1) + 1
	}
	return w.summaryChanges(put, row)
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}

// ---- Projects and Suppliers ------------------------------------------------

// gradeWidth is the width of a grade column: its longest cell (a Chinese
// character counts two), at least 14, at most 40 — wide enough that
// "D–B, undecided" is never cut (issue 26).
func (w *writer) gradeWidth(subs []reports.SubjectReport, modelID string) float64 {
	n := 14
	for _, s := range subs {
		if res := s.Result(modelID); res != nil {
			n = max(n, textWidth(w.gradeText(res))+2)
		}
	}
	return float64(min(n, 40))
}

// textWidth is the width of s in characters, East Asian wide ones
// counting two.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// gradeLegend is the one-line legend of a table of grades (or tiers).
func (w *writer) gradeLegend(kind models.SubjectKind) string {
	if kind == models.KindSupplier {
		return w.t("grade.legend_tier")
	}
	return w.t("grade.legend")
}

func (w *writer) writeSubjects(sh string, kind models.SubjectKind, modelID string, stream bool) error {
	subs := gatedFirst(w.r.OfKind(kind), modelID)
	m := w.model(modelID)
	dims := dimIDs(m, subs, modelID)

	gradeHdr := w.t("grade")
	if kind == models.KindSupplier {
		gradeHdr = w.t("tier")
	}
	header := []any{w.h(w.t("xlsx.name")), w.h(w.t("xlsx.id")), w.h(w.t("score")), w.h(gradeHdr),
		w.h(w.t("coverage")), w.h(w.t("status")), w.h(w.t("score_range")), w.h(w.t("missing.title"))}
	widths := []float64{32, 40, 9, w.gradeWidth(subs, modelID), 11, 14, 12, 50}
	for _, d := range dims {
		name := w.dimName(m, d)
		if name != d {
			name += " (" + d + ")"
		}
		header = append(header, w.h(name))
		widths = append(widths, 14)
	}
	header = append(header, w.h(w.t("gates")), w.h(w.t("xlsx.gates_not_evaluated")))
	widths = append(widths, 60, 60)
	firstDim, gatesCol := 9, len(header)-1
	prev := w.r.PreviousPeriod
	if prev != "" {
		header = append(header, w.h(w.tp("xlsx.delta", prev)), w.h(w.tp("xlsx.prev_grade", prev)),
			w.h(w.t("xlsx.new_gates")), w.h(w.t("xlsx.resolved_gates")), w.h(w.t("xlsx.comparability")))
		widths = append(widths, 12, 12, 24, 24, 40)
	}
	lastCol := len(header)
	lastRow := len(subs) + 1

	// Sheet-level parts go in before the stream writer starts: it copies
	// them from the worksheet when it flushes.
	if len(subs) > 0 {
		if err := w.f.AutoFilter(sh, "A1:"+cell(lastCol, lastRow), nil); err != nil {
			return err
		}
		if err := w.f.SetConditionalFormat(sh, "C2:"+cell(3, lastRow), []excelize.ConditionalFormatOptions{{
			Type: "3_color_scale", Criteria: "=",
			MinType: "num", MinValue: "0", MinColor: "#F8696B",
			MidType: "num", MidValue: "60", MidColor: "#FFEB84",
			MaxType: "num", MaxValue: "100", MaxColor: "#63BE7B",
		}}); err != nil {
			return err
		}
		if len(dims) > 0 {
			if err := w.f.SetConditionalFormat(sh, cell(firstDim, 2)+":"+cell(gatesCol-1, lastRow), []excelize.ConditionalFormatOptions{{
				Type: "2_color_scale", Criteria: "=",
				MinType: "num", MinValue: "0", MinColor: "#FCE4E4",
				MaxType: "num", MaxValue: "100", MaxColor: "#E2F0D9",
			}}); err != nil {
				return err
			}
		}
		if prev != "" {
			if err := w.f.SetConditionalFormat(sh, cell(gatesCol+2, 2)+":"+cell(gatesCol+2, lastRow), []excelize.ConditionalFormatOptions{{
				Type: "3_color_scale", Criteria: "=",
				MinType: "num", MinValue: "-20", MinColor: "#F8696B",
				MidType: "num", MidValue: "0", MidColor: "#FFFFFF",
				MaxType: "num", MaxValue: "20", MaxColor: "#63BE7B",
			}}); err != nil {
				return err
			}
		}
	}
	panes := &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}

	var put rowFunc
	var sw *excelize.StreamWriter
	if stream {
		var err error
		if sw, err = w.newStreamWriter(sh, widths); err != nil {
			return err
		}
		if err := w.streamWidths(sw, widths); err != nil {
			return err
		}
		if err := sw.SetPanes(panes); err != nil {
			return err
		}
		put = w.streamRows(sw)
	} else {
		if err := w.colWidths(sh, widths); err != nil {
			return err
		}
		if err := w.f.SetPanes(sh, panes); err != nil {
			return err
		}
		put = w.cellRows(sh)
	}

	if err := put(1, header); err != nil {
		return err
	}
	w.extentOf(sh).titleRow = 1
	row := 2
	vals := make([]any, 0, lastCol)
	for _, s := range subs {
		vals = vals[:0]
		vals = append(vals, w.s(s.Name), w.s(s.ID))
		res := s.Result(modelID)
		if res == nil {
			vals = append(vals, w.inconclusive(), w.inconclusive())
		} else {
			score := w.scoreOr(res.Score)
			if res.Grade == "" && res.Score != nil { // greyed with its undecided grade
				score = excelize.Cell{StyleID: w.st.undecidedScore, Value: *res.Score}
			}
			vals = append(vals, score, w.gradeOr(res), w.pct(res.Coverage), w.s(w.resultStatus(res)), w.s(scoreRangeText(res)), w.s(w.missingText(res, 3)))
			for _, d := range dims {
				if dr := dimResult(res, d); dr != nil {
					vals = append(vals, w.scoreOr(dr.Score))
				} else {
					vals = append(vals, nil)
				}
			}
			vals = append(vals, w.s(w.gatesText(res)), w.s(notEvaluatedText(res, w.lang)))
			if prev != "" {
				vals = w.changeCells(vals, s.Change(modelID))
			}
		}
		if err := put(row, vals); err != nil {
			return err
		}
		row++
	}
	if len(subs) == 0 {
		if err := put(row, []any{w.s(w.t("xlsx.none_rows"))}); err != nil {
			return err
		}
	} else if err := put(row+1, []any{w.s(w.gradeLegend(kind))}); err != nil { // the grade cell's legend, below the table
		return err
	} else {
		w.extentOf(sh).legendRow = row + 1 // on paper it is in every page's footer (print.go)
	}
	if stream {
		return sw.Flush()
	}
	if kind == models.KindSupplier && len(subs) > 0 {
		next, err := w.supplierChart(sh, subs, m, dims, lastRow+2, lastCol+2)
		if err != nil {
			return err
		}
		return w.discrepancies(sh, subs, m, next+2)
	}
	return nil
}

// changeCells appends the change since the previous period: score delta,
// previous grade, new and resolved gates, and whether the results are
// directly comparable. A subject new in this period says so.
func (w *writer) changeCells(vals []any, c *assess.Change) []any {
	if c == nil {
		return append(vals, nil, nil, nil, nil, w.s(w.t("xlsx.new_subject")))
	}
	var d any
	if c.Delta != nil {
		d = excelize.Cell{StyleID: w.st.delta, Value: *c.Delta}
	}
	note := ""
	if !c.Comparable {
		note = w.t("xlsx.not_comparable")
		if c.Note != "" {
			note += ": " + c.Note
		}
	}
	return append(vals, d, w.s(c.PrevGrade), w.s(strings.Join(c.NewGates, "; ")), w.s(strings.Join(c.ResolvedGates, "; ")), w.s(note))
}

// discrepancies lists the supplier indicators whose evidence contradicts
// the supplier's claim (the evidence text starts with "DISCREPANCY:").
func (w *writer) discrepancies(sh string, subs []reports.SubjectReport, m *models.Model, row int) error {
	put := w.cellRows(sh)
	if err := put(row, []any{w.b(w.t("xlsx.discrepancies"))}); err != nil {
		return err
	}
	row++
	if err := put(row, []any{w.h(w.t("xlsx.name")), w.h(w.t("xlsx.indicator_id")), w.h(w.t("xlsx.indicator_name")),
		w.h(w.t("raw")), w.h(w.t("evidence"))}); err != nil {
		return err
	}
	n := 0
	for _, s := range subs {
		res := s.Result(models.Supplier)
		if res == nil {
			continue
		}
		for _, in := range res.Indicators {
			if !strings.HasPrefix(in.Evidence, DiscrepancyPrefix) {
				continue
			}
			name := ""
			if m != nil {
				if d := m.Indicator(in.ID); d != nil {
					name = d.Name.In(w.lang)
				}
			}
			row++
			n++
			if err := put(row, []any{w.s(s.Name), w.s(in.ID), w.s(name), w.optNum(in.Raw),
				excelize.Cell{StyleID: w.st.wrap, Value: in.Evidence}}); err != nil {
				return err
			}
		}
	}
	if n == 0 {
		return put(row+1, []any{w.s(w.t("xlsx.no_discrepancies"))})
	}
	return nil
}

// DiscrepancyPrefix starts the evidence of an indicator whose objective
// evidence disagrees with the supplier's claim.
const DiscrepancyPrefix = "DISCREPANCY:"

// supplierChart writes a small numeric block (blank where a score is
// inconclusive, so nothing is drawn as 0) and a clustered bar chart of the
// suppliers' scores by dimension.
func (w *writer) supplierChart(sh string, subs []reports.SubjectReport, m *models.Model, dims []string, row, chartCol int) (int, error) {
	put := w.cellRows(sh)
	if err := put(row, []any{w.b(w.t("xlsx.chart_data"))}); err != nil {
		return 0, err
	}
	row++
	hdr := []any{w.h(w.t("xlsx.name")), w.h(w.t("score"))}
	for _, d := range dims {
		hdr = append(hdr, w.h(w.dimName(m, d)))
	}
	if err := put(row, hdr); err != nil {
		return 0, err
	}
	hdrRow := row
	for _, s := range subs {
		row++
		vals := []any{w.s(s.Name)}
		if res := s.Result(models.Supplier); res != nil {
			vals = append(vals, w.optNum(res.Score))
			for _, d := range dims {
				if dr := dimResult(res, d); dr != nil {
					vals = append(vals, w.optNum(dr.Score))
				} else {
					vals = append(vals, nil)
				}
			}
		}
		if err := put(row, vals); err != nil {
			return 0, err
		}
	}
	var series []excelize.ChartSeries
	for c := 2; c <= len(hdr); c++ {
		series = append(series, excelize.ChartSeries{
			Name:       absRef(sh, c, hdrRow, c, hdrRow),
			Categories: absRef(sh, 1, hdrRow+1, 1, row),
			Values:     absRef(sh, c, hdrRow+1, c, row),
		})
	}
	yMax, yMin := 100.0, 0.0
	title := w.t("xlsx.chart.suppliers")
	return row, w.addChart(sh, cell(chartCol, 2), &excelize.Chart{
		Type:         excelize.Col,
		Series:       series,
		Title:        chartTitle(title),
		Legend:       excelize.ChartLegend{Position: "bottom"},
		YAxis:        excelize.ChartAxis{Minimum: &yMin, Maximum: &yMax, MajorGridLines: true},
		ShowBlanksAs: "gap",
		Dimension:    excelize.ChartDimension{Width: 720, Height: 360},
		Format:       excelize.GraphicOptions{AltText: title},
	})
}

// ---- Maturity --------------------------------------------------------------

func (w *writer) writeMaturity() error {
	sh := w.maturity
	put := w.cellRows(sh)
	if err := w.colWidths(sh, []float64{14, 36, 14, 30, 18, 60}); err != nil {
		return err
	}
	m := w.model(models.GovernanceMaturity)
	row := 1
	any1 := false
	for _, s := range w.r.OfKind(models.KindInstitution) {
		res := s.Result(models.GovernanceMaturity)
		if res == nil {
			continue
		}
		any1 = true
		levelName := func(n int) string {
			if m != nil {
				return m.LevelName(n, w.lang)
			}
			return fmt.Sprintf("L%d", n)
		}
		if err := put(row, []any{excelize.Cell{StyleID: w.st.title, Value: w.modelName(models.GovernanceMaturity)}}); err != nil {
			return err
		}
		row += 2
		var lvl, lvlName any = w.inconclusive(), nil
		switch {
		case reports.LevelOpen(res): // "L2–L4": the level proved and the best reachable
			lvl = w.s(reports.LevelRange(res))
			lvlName = w.s(strings.NewReplacer("{a}", fmt.Sprint(res.LevelRange[0]), "{b}", fmt.Sprint(res.LevelRange[1])).
				Replace(w.t("xlsx.level_between")) + " (" + levelName(res.LevelRange[0]) + " – " + levelName(res.LevelRange[1]) + ")")
		case res.Status != models.StatusInconclusive:
			lvl, lvlName = res.Level, w.s(levelName(res.Level))
		}
		info := [][]any{
			{w.b(w.t("xlsx.institution")), w.s(s.Name)},
			{w.b(w.t("level")), lvl, lvlName},
			{w.b(w.t("score")), w.scoreOr(res.Score)},
			{w.b(w.t("coverage")), w.pct(res.Coverage)},
			{w.b(w.t("status")), w.s(w.status(res.Status))},
		}
		for _, g := range res.Gates {
			ex := w.explainGate(res.Model, g)
			info = append(info, []any{w.b(w.t("gates")), w.s(g.ID), w.s(w.gateName(res.Model, g.ID)), w.s(ex.Text), w.s(ex.Detail)})
		}
		if ne := notEvaluatedText(res, w.lang); ne != "" {
			info = append(info, []any{w.b(w.t("xlsx.gates_not_evaluated")), w.s(ne)})
		}
		for _, vals := range info {
			if err := put(row, vals); err != nil {
				return err
			}
			row++
		}
		row++
		if err := put(row, []any{w.h(w.t("domain")), w.h(w.t("xlsx.domain_name")), w.h(w.t("level")),
			w.h(w.t("xlsx.level_name")), w.h(w.t("score")), w.h(w.t("coverage"))}); err != nil {
			return err
		}
		hdr := row
		for _, d := range res.Dimensions {
			row++
			var dl, dn any = w.inconclusive(), nil
			if d.Score != nil || d.Level > 0 {
				dl, dn = d.Level, w.s(levelName(d.Level))
			}
			if err := put(row, []any{w.s(d.ID), w.s(w.dimName(m, d.ID)), dl, dn, w.scoreOr(d.Score), w.pct(d.Coverage)}); err != nil {
				return err
			}
		}
		if len(res.Dimensions) > 0 {
			title := w.t("xlsx.chart.maturity")
			maxL := 5.0
			if m != nil && len(m.Levels) > 0 {
				maxL = float64(len(m.Levels))
			}
			minL := 0.0
			if err := w.addChart(sh, cell(8, hdr), &excelize.Chart{
				Type: excelize.Radar,
				Series: []excelize.ChartSeries{{
					Name:       absRef(sh, 3, hdr, 3, hdr),
					Categories: absRef(sh, 2, hdr+1, 2, row),
					Values:     absRef(sh, 3, hdr+1, 3, row),
				}},
				Title:  chartTitle(title),
				Legend: excelize.ChartLegend{Position: "none"},
				YAxis:  excelize.ChartAxis{Minimum: &minL, Maximum: &maxL, MajorUnit: 1},
				Format: excelize.GraphicOptions{AltText: title},
			}); err != nil {
				return err
			}
		}
		row += 2
		if err := put(row, []any{w.b(w.t("gap"))}); err != nil {
			return err
		}
		row++
		if err := put(row, []any{w.h(w.t("domain")), w.h(w.t("xlsx.practice_id")), w.h(w.t("xlsx.practice_name")),
			w.h(w.t("level")), w.h(w.t("xlsx.evidence_level")), w.h(w.t("clause"))}); err != nil {
			return err
		}
		if len(res.Gaps) == 0 {
			row++
			if err := put(row, []any{w.s(w.t("none"))}); err != nil {
				return err
			}
		}
		for _, g := range res.Gaps {
			row++
			name, clause := g.Practice, g.Clause
			if m != nil {
				if in := m.Indicator(g.Practice); in != nil {
					if n := in.Name.In(w.lang); n != "" {
						name = n
					}
					if clause == "" {
						clause = in.Clause
					}
				}
			}
			var ev any = w.inconclusive()
			if g.Evidence != nil {
				ev = w.f64(*g.Evidence)
			}
			if err := put(row, []any{w.s(g.Domain), w.s(g.Practice), w.s(name), g.Level, ev, w.s(clause)}); err != nil {
				return err
			}
		}
		row += 2
		var err error
		if row, err = w.heatMap(sh, row, res, m); err != nil {
			return err
		}
		row++
		if row, err = w.improvements(sh, row, res, m); err != nil {
			return err
		}
		row += 3
	}
	if !any1 {
		return put(row, []any{w.s(w.t("xlsx.no_institution"))})
	}
	return nil
}

// ---- Indicators (long form, streamed) --------------------------------------

func (w *writer) writeIndicators() error {
	sh := w.indicators
	header := []any{w.h(w.t("subject")), w.h(w.t("xlsx.subject_id")), w.h(w.t("model")), w.h(w.t("xlsx.indicator_id")),
		w.h(w.t("xlsx.indicator_name")), w.h(w.t("dimension")), w.h(w.t("raw")), w.h(w.t("normalized")),
		w.h(w.t("weight")), w.h(w.t("contribution")), w.h(w.t("source")), w.h(w.t("evidence")),
		w.h(w.t("status")), w.h(w.t("explanation")), w.h(w.t("clause")), w.h(w.t("xlsx.exception"))}
	widths := indicatorCols
	n := w.indSel.rows
	// A bounded sheet says so in its first row, above the table.
	hdr := 1
	if w.indSel.bounded {
		hdr = 2
	}
	if n > 0 {
		if err := w.f.AutoFilter(sh, cell(1, hdr)+":"+cell(len(header), n+hdr), nil); err != nil {
			return err
		}
	}
	sw, put, err := w.streamTableAt(sh, widths, hdr, func(put rowFunc) error {
		if hdr > 1 {
			return put(1, []any{w.b(w.boundedText("xlsx.indicators.bounded_note"))})
		}
		return nil
	}, header)
	if err != nil {
		return err
	}
	row := hdr + 1
	vals := make([]any, 0, len(header))
	modifier := w.t("xlsx.modifier")
	for _, si := range w.indSel.subjects {
		s := &w.r.Subjects[si]
		for ri := range s.Results {
			res := &s.Results[ri]
			m := w.model(res.Model)
			mname := w.modelName(res.Model)
			dimNames := map[string]string{}
			emit := func(in models.IndicatorResult, isMod bool) error {
				name, clause := "", ""
				if m != nil {
					if def := m.Indicator(in.ID); def != nil {
						name, clause = def.Name.In(w.lang), def.Clause
					}
				}
				dim := in.Dimension
				if isMod && dim == "" {
					dim = modifier
				} else if dn, ok := dimNames[dim]; ok {
					dim = dn
				} else {
					dn = w.dimName(m, dim)
					dimNames[dim] = dn
					dim = dn
				}
				var raw any
				switch {
				case in.Raw != nil:
					raw = w.f64(*in.Raw)
				case in.RawText != "":
					raw = w.s(in.RawText)
				default:
					raw = w.inconclusive()
				}
				vals = append(vals[:0], w.s(s.Name), w.s(s.ID), w.s(mname), w.s(in.ID), w.s(name), w.s(dim),
					raw, w.optNum(in.Normalized), w.f64(in.Weight), w.optNum(in.Contribution),
					w.s(reports.SourceLabel(w.lang, in.Source)), w.s(reports.DatedEvidence(in)), w.s(w.status(in.Status)), w.s(w.explainIndicator(m, in)), w.s(clause), w.s(in.Exception))
				if err := put(row, vals); err != nil {
					return err
				}
				row++
				return nil
			}
			for _, in := range res.Indicators {
				if err := emit(in, false); err != nil {
					return err
				}
			}
			for _, in := range res.Modifiers {
				if err := emit(in, true); err != nil {
					return err
				}
			}
		}
	}
	if !w.indicatorsPrinted {
		// Too long to print by default: the print area is this note, two
		// rows below the table; the repeated header row (print titles)
		// prints above it, so the sheet prints as one page.
		note := row + 1
		text := strings.NewReplacer("{n}", fmt.Sprint(n),
			"{p}", fmt.Sprint(estimatePages(widths, n+hdr))).Replace(w.t("xlsx.print.indicators_note"))
		if err := put(note, []any{w.b(text)}); err != nil {
			return err
		}
		w.extentOf(sh).area = fmt.Sprintf("%s!$A$%d:%s", quoteSheet(sh), note, cellAbs(len(header), note))
	}
	return sw.Flush()
}

func cellStyled(style int, v any) any { return excelize.Cell{StyleID: style, Value: v} }

// explainIndicator is what an indicator's Explanation cell shows: the
// engine's explanation when there is one (what is missing, a decay, kept
// verbatim: it may hold outside text), else the sentence that says what
// its value means (reports.ExplainIndicator).
func (w *writer) explainIndicator(m *models.Model, in models.IndicatorResult) string {
	if in.Explanation != "" {
		return labels.IndicatorExplanation(w.lang, in.Explanation) // its fixed phrases in the report's language
	}
	return reports.ExplainIndicator(m, in, w.lang)
}
