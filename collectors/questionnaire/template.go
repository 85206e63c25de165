package questionnaire

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/i18n"
	"github.com/osgauge/osgauge/models"
)

// The layout of a questionnaire workbook. Import checks a returned workbook
// against exactly this layout (and against the model named in the hidden
// meta sheet), so a change here must bump templateFormat.
const (
	templateFormat = "osgauge-questionnaire/1"
	metaSheet      = "_osgauge" // very hidden: format, model id, version, hash, language, subject

	rowSubject = 3 // the subject the workbook is for (locked; set by template --subject)
	rowName    = 4 // respondent name, role and date: values in column D, open
	rowRole    = 5
	rowDate    = 6
	rowHint    = 7
	headerRow  = 8
	firstRow   = 9 // the first question

	colID       = "A"
	colDim      = "B"
	colLevel    = "C"
	colQuestion = "D"
	colGuidance = "E"
	colType     = "F"
	colAnswer   = "G"
	colEvidence = "H"
	colNotes    = "I"
	colValue    = "D" // respondent values sit under the question column
)

// column is one column of the questions sheet.
type column struct {
	col   string
	label string // label key
	width float64
}

// columns lists the questions sheet's columns; the dimension header says
// "domain" for a staged model.
func columns(staged bool) []column {
	dim := "qx.col.dimension"
	if staged {
		dim = "qx.col.domain"
	}
	return []column{
		{colID, "qx.col.id", 9},
		{colDim, dim, 20},
		{colLevel, "qx.col.level", 7},
		{colQuestion, "qx.col.question", 50},
		{colGuidance, "qx.col.guidance", 34},
		{colType, "qx.col.type", 19},
		{colAnswer, "qx.col.answer", 11},
		{colEvidence, "qx.col.evidence", 36},
		{colNotes, "qx.col.notes", 28},
	}
}

// question is one asked indicator, in model order.
type question struct {
	in       *models.Indicator
	dim      models.Text // dimension name ("penalty items" for modifiers)
	modifier bool
}

// questions lists the indicators of m that take a questionnaire answer:
// dimensions in order, then modifiers.
func questions(m *models.Model) []question {
	var qs []question
	for d := range m.Dimensions {
		for i := range m.Dimensions[d].Indicators {
			in := &m.Dimensions[d].Indicators[i]
			if usesQuestionnaire(in) {
				qs = append(qs, question{in: in, dim: m.Dimensions[d].Name})
			}
		}
	}
	for i := range m.Modifiers {
		in := &m.Modifiers[i]
		if usesQuestionnaire(in) {
			qs = append(qs, question{in: in, dim: models.Text{En: i18n.T("en", "qx.modifiers"), Zh: i18n.T("zh", "qx.modifiers")}, modifier: true})
		}
	}
	return qs
}

// questionText is what the row asks: the model's question, else the
// indicator's name.
func questionText(in *models.Indicator, lang string) string {
	if q := in.Question.In(lang); q != "" {
		return q
	}
	return in.Name.In(lang)
}

// sheetNames returns the instructions and questions sheet names for a model
// in lang.
func sheetNames(m *models.Model, lang string) (instructions, questionsSheet string) {
	return i18n.T(lang, "qx.sheet.instructions"), i18n.T(lang, "qx.sheet."+string(m.Subject))
}

// TemplateOptions tune a generated questionnaire.
type TemplateOptions struct {
	Lang    string // zh or en (default en)
	Subject string // the supplier (or institution) the workbook is for; import checks it
}

// Template builds a fillable questionnaire workbook from model m: an
// instructions sheet, a questions sheet with one row per asked indicator
// (drop-down 0-4 for evidence questions, a number ≥ 0 otherwise) and a very
// hidden sheet naming the model, its version and hash, so that import can
// refuse a workbook made for another model or version.
func Template(m *models.Model, opt TemplateOptions) (*excelize.File, error) {
	lang := opt.Lang
	if lang != "zh" {
		lang = "en"
	}
	qs := questions(m)
	if len(qs) == 0 {
		return nil, fmt.Errorf("model %s %s asks no questions: none of its indicators takes a %s.* metric", m.ID, m.Version, Name)
	}
	f := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			f.Close()
		}
	}()
	instr, qsheet := sheetNames(m, lang)
	if err := f.SetSheetName("Sheet1", instr); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(qsheet); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(metaSheet); err != nil {
		return nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	if err := writeQuestions(f, st, m, qs, qsheet, lang, opt.Subject); err != nil {
		return nil, err
	}
	if err := writeInstructions(f, st, m, qs, instr, qsheet, lang, opt.Subject); err != nil {
		return nil, err
	}
	meta := [][2]string{
		{"format", templateFormat},
		{"model", m.ID},
		{"version", m.Version},
		{"hash", m.Hash},
		{"lang", lang},
		{"subject", opt.Subject},
		{"instructions", instr},
		{"sheet", qsheet},
		{"first_row", strconv.Itoa(firstRow)},
		{"questions", strconv.Itoa(len(qs))},
	}
	for i, kv := range meta {
		if err := f.SetCellStr(metaSheet, cell("A", i+1), kv[0]); err != nil {
			return nil, err
		}
		if err := f.SetCellStr(metaSheet, cell("B", i+1), kv[1]); err != nil {
			return nil, err
		}
	}
	if err := f.ProtectSheet(metaSheet, &excelize.SheetProtectionOptions{}); err != nil {
		return nil, err
	}
	if err := f.SetSheetVisible(metaSheet, false, true); err != nil {
		return nil, err
	}
	f.SetActiveSheet(0) // open on the instructions
	// Sheets cannot be renamed, added or deleted from Excel's menus; no
	// password, so an administrator can still lift it (import checks anyway).
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return nil, err
	}
	title := m.Name.In(lang) + " — " + i18n.T(lang, "qx.title")
	made := time.Now().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:       title,
		Subject:     fmt.Sprintf("%s %s", m.ID, m.Version),
		Creator:     "osgauge",
		Description: fmt.Sprintf("osgauge questionnaire for model %s %s (%s)", m.ID, m.Version, m.Hash),
		// Made now. Import does not read them: the answers are dated by
		// the respondent (D6), never by the workbook's last save, which
		// saving the form again would move.
		Created:  made,
		Modified: made,
	}); err != nil {
		return nil, err
	}
	ok = true
	return f, nil
}

// WriteTemplate writes Template(m, opt) to path. The file appears whole or
// not at all (written beside it, then renamed), readable by everyone.
func WriteTemplate(path string, m *models.Model, opt TemplateOptions) error {
	if !strings.EqualFold(filepath.Ext(path), ".xlsx") {
		return fmt.Errorf("%s: the questionnaire must be an .xlsx file", path)
	}
	f, err := Template(m, opt)
	if err != nil {
		return err
	}
	defer f.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".osgauge-questionnaire-*.xlsx")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer os.Remove(name) // a no-op once renamed
	if _, err := f.WriteTo(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}

type styles struct {
	title, bold, label, header, locked, lockedWrap, center, answer, open, openWrap, small, required int
}

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	locked := &excelize.Protection{Locked: true}
	open := &excelize.Protection{Locked: false}
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	st := &styles{}
	defs := []struct {
		dst *int
		s   excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}, Protection: locked}},
		{&st.bold, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}, Protection: locked}},
		{&st.label, excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Vertical: "top"}, Protection: locked}},
		{&st.header, excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border, Protection: locked}},
		{&st.locked, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}, Border: border, Protection: locked}},
		{&st.lockedWrap, excelize.Style{Alignment: top, Border: border, Protection: locked}},
		{&st.center, excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}, Border: border, Protection: locked}},
		{&st.answer, excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			Alignment: &excelize.Alignment{Vertical: "top", Horizontal: "center"}, Border: border, Protection: open}},
		{&st.open, excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			Alignment: &excelize.Alignment{Vertical: "top"}, Border: border, Protection: open, NumFmt: 49}}, // text: a name or date stays as typed
		{&st.openWrap, excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}},
			Alignment: top, Border: border, Protection: open, NumFmt: 49}},
		{&st.small, excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: false}, Protection: locked}},
		{&st.required, excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Alignment: &excelize.Alignment{Vertical: "top", WrapText: false}, Protection: locked}},
	}
	for _, d := range defs {
		id, err := f.NewStyle(&d.s)
		if err != nil {
			return nil, err
		}
		*d.dst = id
	}
	return st, nil
}

func writeQuestions(f *excelize.File, st *styles, m *models.Model, qs []question, sheet, lang, subject string) error {
	staged := m.Kind == models.ModelStaged
	w := &sheetWriter{f: f, sheet: sheet}
	w.str("A1", m.Name.In(lang)+" — "+i18n.T(lang, "qx.title"), st.title)
	w.str("A2", fmt.Sprintf("%s: %s %s  (%s)", i18n.T(lang, "qx.model"), m.ID, m.Version, m.Hash), st.small)
	w.str(cell("A", rowSubject), i18n.T(lang, "qx.subject."+string(m.Subject)), st.label)
	w.str(cell(colValue, rowSubject), subject, st.locked)
	for _, r := range []struct {
		row int
		key string
	}{{rowName, "qx.respondent.name"}, {rowRole, "qx.respondent.role"}, {rowDate, "qx.respondent.date"}} {
		label := i18n.T(lang, r.key)
		if r.row == rowDate {
			label = dateLabel(m, lang)
		}
		w.str(cell("A", r.row), label, st.label)
		w.str(cell(colValue, r.row), "", st.open)
	}
	// Beside the date cell (text spilling over the empty cells to its
	// right: merged cells there would be refused on import), what to type
	// and why; the same as the cell's input message.
	w.str(cell(colGuidance, rowDate), dateNote(m, lang), st.required)
	if w.err == nil {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(cell(colValue, rowDate))
		dv.SetInput(dateLabel(m, lang), dateNote(m, lang))
		w.err = f.AddDataValidation(sheet, dv)
	}
	w.str(cell("A", rowHint), i18n.T(lang, "qx.hint"), st.small)

	cols := columns(staged)
	for _, c := range cols {
		w.str(cell(c.col, headerRow), i18n.T(lang, c.label), st.header)
		if w.err == nil {
			w.err = f.SetColWidth(sheet, c.col, c.col, c.width)
		}
	}
	if !staged && w.err == nil {
		// Index models have no practice levels: keep the column (the
		// layout is the same for every model) but out of sight.
		w.err = f.SetColVisible(sheet, colLevel, false)
	}
	if w.err == nil {
		w.err = f.SetRowHeight(sheet, headerRow, 30)
	}
	var evidenceRows, numberRows []int
	for i, q := range qs {
		row := firstRow + i
		in := q.in
		w.str(cell(colID, row), in.ID, st.locked)
		w.str(cell(colDim, row), q.dim.In(lang), st.lockedWrap)
		if staged && !q.modifier {
			w.num(cell(colLevel, row), in.Level, st.center)
		} else {
			w.str(cell(colLevel, row), "", st.center)
		}
		w.str(cell(colQuestion, row), questionText(in, lang), st.lockedWrap)
		guidance := in.Guidance.In(lang)
		if in.Clause != "" {
			if guidance != "" {
				guidance += "\n"
			}
			guidance += i18n.T(lang, "qx.clause") + ": " + in.Clause
		}
		w.str(cell(colGuidance, row), guidance, st.lockedWrap)
		if in.Normalize.Evidence {
			w.str(cell(colType, row), i18n.T(lang, "qx.type.evidence"), st.lockedWrap)
			evidenceRows = append(evidenceRows, row)
		} else {
			w.str(cell(colType, row), i18n.T(lang, "qx.type.number"), st.lockedWrap)
			numberRows = append(numberRows, row)
		}
		w.str(cell(colAnswer, row), "", st.answer)
		w.str(cell(colEvidence, row), "", st.openWrap)
		w.str(cell(colNotes, row), "", st.openWrap)
		if w.err == nil {
			w.err = f.SetRowHeight(sheet, row, rowHeight(cols, map[string]string{
				colDim: q.dim.In(lang), colQuestion: questionText(in, lang), colGuidance: guidance, colType: i18n.T(lang, "qx.type.evidence"),
			}))
		}
	}
	if w.err != nil {
		return w.err
	}
	for _, rg := range runs(evidenceRows) {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(rangeRef(colAnswer, rg))
		choices, msg, bad := []string{"0", "1", "2", "3", "4"}, i18n.T(lang, "qx.dv.evidence.msg"), i18n.T(lang, "qx.dv.evidence.error")
		if staged { // a self-assessment's practice may not apply (with a reason)
			choices, msg, bad = append(choices, i18n.T(lang, "qx.na")), msg+i18n.T(lang, "qx.dv.evidence.na_msg"), i18n.T(lang, "qx.dv.evidence.na_error")
		}
		if err := dv.SetDropList(choices); err != nil {
			return err
		}
		dv.SetInput(i18n.T(lang, "qx.dv.evidence.title"), msg)
		dv.SetError(excelize.DataValidationErrorStyleStop, i18n.T(lang, "qx.dv.evidence.title"), bad)
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	for _, rg := range runs(numberRows) {
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(rangeRef(colAnswer, rg))
		if err := dv.SetRange(0, math.MaxInt32, excelize.DataValidationTypeDecimal, excelize.DataValidationOperatorGreaterThanOrEqual); err != nil {
			return err
		}
		dv.SetInput(i18n.T(lang, "qx.dv.number.title"), i18n.T(lang, "qx.dv.number.msg"))
		dv.SetError(excelize.DataValidationErrorStyleStop, i18n.T(lang, "qx.dv.number.title"), i18n.T(lang, "qx.dv.number.error"))
		if err := f.AddDataValidation(sheet, dv); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell("A", firstRow), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := printSetup(f, sheet); err != nil {
		return err
	}
	// Locked: everything but the respondent cells and the answer, evidence
	// and notes columns. Columns may be resized; rows and columns cannot be
	// inserted or deleted.
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
	})
}

func writeInstructions(f *excelize.File, st *styles, m *models.Model, qs []question, sheet, qsheet, lang, subject string) error {
	w := &sheetWriter{f: f, sheet: sheet}
	repl := strings.NewReplacer("{sheet}", qsheet, "{model}", m.ID, "{version}", m.Version)
	nEvidence := 0
	for _, q := range qs {
		if q.in.Normalize.Evidence {
			nEvidence++
		}
	}
	row := 1
	line := func(label, text string, labelStyle, textStyle int) {
		w.str(cell("A", row), label, labelStyle)
		w.str(cell("B", row), text, textStyle)
		if w.err == nil && text != "" {
			w.err = f.SetRowHeight(sheet, row, rowHeight([]column{{"B", "", 96}}, map[string]string{"B": text}))
		}
		row++
	}
	w.str("A1", m.Name.In(lang)+" — "+i18n.T(lang, "qx.title"), st.title)
	row = 2
	if d := m.Description.In(lang); d != "" {
		line("", d, st.label, st.lockedWrap)
	}
	row++
	line(i18n.T(lang, "qx.model"), fmt.Sprintf("%s (%s)", m.Name.In(lang), m.ID), st.label, st.lockedWrap)
	line(i18n.T(lang, "qx.version"), m.Version, st.label, st.lockedWrap)
	line(i18n.T(lang, "qx.hash"), m.Hash, st.label, st.lockedWrap)
	if subject != "" {
		line(i18n.T(lang, "qx.subject."+string(m.Subject)), subject, st.label, st.lockedWrap)
	}
	count := strings.NewReplacer("{n}", strconv.Itoa(len(qs)), "{e}", strconv.Itoa(nEvidence), "{x}", strconv.Itoa(len(qs)-nEvidence), "{sheet}", qsheet)
	line(i18n.T(lang, "qx.questions"), count.Replace(i18n.T(lang, "qx.questions.count")), st.label, st.lockedWrap)
	line(i18n.T(lang, "qx.who"), i18n.T(lang, "qx.who."+string(m.Subject)), st.label, st.lockedWrap)
	row++
	w.str(cell("A", row), i18n.T(lang, "qx.steps"), st.bold)
	row++
	for i := 1; i <= 6; i++ {
		line(strconv.Itoa(i), repl.Replace(i18n.T(lang, fmt.Sprintf("qx.step.%d", i))), st.center, st.lockedWrap)
	}
	if m.AnswerValidityMonths > 0 {
		label, text := dateInstruction(m, lang, qsheet)
		line(label, text, st.label, st.lockedWrap)
	}
	row++
	w.str(cell("A", row), i18n.T(lang, "qx.scale.title"), st.bold)
	row++
	for i := 0; i <= 4; i++ {
		line(strconv.Itoa(i), i18n.T(lang, fmt.Sprintf("qx.scale.%d", i)), st.center, st.lockedWrap)
	}
	if staged := m.Kind == models.ModelStaged; staged && len(m.Levels) > 0 {
		row++
		w.str(cell("A", row), i18n.T(lang, "qx.col.level"), st.bold)
		row++
		for _, l := range m.Levels {
			line(fmt.Sprintf("L%d", l.Level), l.Name.In(lang), st.center, st.lockedWrap)
		}
	}
	if w.err != nil {
		return w.err
	}
	if err := f.SetColWidth(sheet, "A", "A", 22); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 100); err != nil {
		return err
	}
	if err := printSetup(f, sheet); err != nil {
		return err
	}
	return f.ProtectSheet(sheet, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true})
}

// The respondent's date, required when the model expires answers
// (answer_validity_months > 0): these texts depend on the model, so they
// are made here rather than kept among the fixed labels.

// dateLabel labels the date cell: "Date (required)" when it is.
func dateLabel(m *models.Model, lang string) string {
	l := i18n.T(lang, "qx.respondent.date")
	if m.AnswerValidityMonths <= 0 {
		return l
	}
	if lang == "zh" {
		return l + "（必填）"
	}
	return l + " (required)"
}

// dateNote says, beside the date cell and as its input message (at most
// 255 characters), what to type and why.
func dateNote(m *models.Model, lang string) string {
	n := m.AnswerValidityMonths
	switch {
	case n > 0 && lang == "zh":
		return fmt.Sprintf("必填，格式 YYYY-MM-DD（如 2026-11-20）：答案自该日期起 %d 个月后失效，未填日期的问卷将被拒绝。", n)
	case n > 0:
		return fmt.Sprintf("Required, as YYYY-MM-DD (e.g. 2026-11-20): answers expire %d months after this date; a form without it is refused.", n)
	case lang == "zh":
		return "格式 YYYY-MM-DD（如 2026-11-20）；留空则以导入日期为准。"
	default:
		return "As YYYY-MM-DD (e.g. 2026-11-20); left blank, the answers are taken as of the day they are imported."
	}
}

// dateInstruction is the instructions' line on the required date.
func dateInstruction(m *models.Model, lang, qsheet string) (label, text string) {
	ref := cell(colValue, rowDate)
	if lang == "zh" {
		return "日期必填", fmt.Sprintf("请在工作表“%s”的 %s 单元格填写作答日期，格式 YYYY-MM-DD（如 2026-11-20）。答案自该日期起 %d 个月后失效（模型 %s 的 answer_validity_months），未填日期的问卷将被拒绝。",
			qsheet, ref, m.AnswerValidityMonths, m.ID)
	}
	return "Date required", fmt.Sprintf("Type the date the answers were given in cell %s of sheet “%s”, as YYYY-MM-DD (e.g. 2026-11-20). Answers expire %d months after that date (answer_validity_months of model %s), so a returned form without a date is refused.",
		ref, qsheet, m.AnswerValidityMonths, m.ID)
}

func printSetup(f *excelize.File, sheet string) error {
	landscape, wide, tall := "landscape", 1, 0 // one page wide, as many pages tall as needed
	yes := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes}); err != nil {
		return err
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
}

// sheetWriter writes strings (never formulas: text from a model or a
// person is data) and keeps the first error.
type sheetWriter struct {
	f     *excelize.File
	sheet string
	err   error
}

func (w *sheetWriter) str(ref, s string, style int) {
	if w.err != nil {
		return
	}
	if s != "" {
		w.err = w.f.SetCellStr(w.sheet, ref, s)
	}
	if w.err == nil {
		w.err = w.f.SetCellStyle(w.sheet, ref, ref, style)
	}
}

func (w *sheetWriter) num(ref string, n, style int) {
	if w.err != nil {
		return
	}
	w.err = w.f.SetCellInt(w.sheet, ref, int64(n))
	if w.err == nil {
		w.err = w.f.SetCellStyle(w.sheet, ref, ref, style)
	}
}

func cell(col string, row int) string { return col + strconv.Itoa(row) }

// runs groups sorted row numbers into contiguous [first, last] ranges.
func runs(rows []int) [][2]int {
	var out [][2]int
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1][1] == r-1 {
			out[n-1][1] = r
			continue
		}
		out = append(out, [2]int{r, r})
	}
	return out
}

// rangeRef names rows rg of column col: "G12" or "G9:G11".
func rangeRef(col string, rg [2]int) string {
	if rg[0] == rg[1] {
		return cell(col, rg[0])
	}
	return cell(col, rg[0]) + ":" + cell(col, rg[1])
}

// rowHeight estimates the height (points) wrapped text needs: spreadsheet
// files carry no auto-fit, and Excel does not re-measure on open.
func rowHeight(cols []column, texts map[string]string) float64 {
	lines := 1
	for _, c := range cols {
		t, ok := texts[c.col]
		if !ok {
			continue
		}
		n := 0
		for _, part := range strings.Split(t, "\n") {
			wd := displayWidth(part)
			n += max(1, int(math.Ceil(wd/math.Max(1, c.width-1))))
		}
		lines = max(lines, n)
	}
	return math.Min(409, float64(lines)*15+3)
}

// displayWidth counts a CJK character as two columns.
func displayWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r >= 0x1100 && utf8.RuneLen(r) >= 3 {
			w += 2
		} else {
			w++
		}
	}
	return w
}
