package questionnaire

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/i18n"
	"github.com/osgauge/osgauge/models"
)

// Problem is one thing wrong in a questionnaire workbook, at a sheet and
// cell when it has one.
type Problem struct {
	Sheet string
	Cell  string
	Msg   string
}

// WorkbookError lists every problem found in a workbook, one per line:
// "acme.xlsx: sheet 供应商评估, cell G14: evidence level must be 0-4, got "5"".
type WorkbookError struct {
	File     string
	Problems []Problem
}

func (e *WorkbookError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.File)
		b.WriteString(": ")
		if p.Sheet != "" {
			b.WriteString("sheet " + p.Sheet)
			if p.Cell != "" {
				b.WriteString(", cell " + p.Cell)
			}
			b.WriteString(": ")
		}
		b.WriteString(p.Msg)
	}
	return b.String()
}

// at reports whether a problem was found at sheet and cell already (a
// formula in the date cell, say).
func (e *WorkbookError) at(sheet, ref string) bool {
	return slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Sheet == sheet && p.Cell == ref })
}

func (e *WorkbookError) add(sheet, ref, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{Sheet: sheet, Cell: ref, Msg: fmt.Sprintf(format, args...)})
}

// IsWorkbook reports whether path names an Excel questionnaire (by its
// extension), which ParseWorkbook reads; other files are YAML.
func IsWorkbook(path string) bool {
	p := strings.ToLower(path)
	return strings.HasSuffix(p, ".xlsx") || strings.HasSuffix(p, ".xlsm") || strings.HasSuffix(p, ".xls")
}

// ParseWorkbook reads and validates a questionnaire workbook made by
// Template. kind is the subject kind expected ("" accepts any). Every
// problem is reported with its sheet and cell (a *WorkbookError), all at
// once; nothing is returned unless the whole workbook is valid. Cell
// values are read as typed, never evaluated: a formula is an error, and
// text beginning with =, +, - or @ stays text.
func ParseWorkbook(path string, set models.Set, kind models.SubjectKind) (*Answers, error) {
	if strings.HasSuffix(strings.ToLower(path), ".xls") {
		return nil, fmt.Errorf("%s: the old .xls format cannot be read: open it in Excel or LibreOffice and save it as .xlsx", path)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: not a readable .xlsx workbook: %v", path, err)
	}
	defer f.Close()
	return readWorkbook(path, f, set, kind)
}

// numberRE is a plain decimal number. A leading + is not accepted: text
// such as "+5" was typed as text (a number cell would hold 5), and text
// beginning with =, +, - or @ is never taken for a value.
var numberRE = regexp.MustCompile(`^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$`)

// reader reads cell values as stored, never formulas.
type reader struct {
	f     *excelize.File
	sheet string
	e     *WorkbookError
}

// value returns the cell's value as typed. A formula is reported and
// reads as blank.
func (r reader) value(ref string) string {
	if fml, err := r.f.GetCellFormula(r.sheet, ref); err != nil {
		r.e.add(r.sheet, ref, "cannot read the cell: %v", err)
		return ""
	} else if fml != "" {
		r.e.add(r.sheet, ref, "contains a formula (=%s); type the value, not a formula", strings.TrimPrefix(fml, "="))
		return ""
	}
	raw := true
	// Booleans and dates read as shown (TRUE, not 1), so they never pass
	// for a number.
	if t, err := r.f.GetCellType(r.sheet, ref); err == nil && (t == excelize.CellTypeBool || t == excelize.CellTypeDate) {
		raw = false
	}
	v, err := r.f.GetCellValue(r.sheet, ref, excelize.Options{RawCellValue: raw})
	if err != nil {
		r.e.add(r.sheet, ref, "cannot read the cell: %v", err)
		return ""
	}
	return v
}

func readWorkbook(path string, f *excelize.File, set models.Set, kind models.SubjectKind) (*Answers, error) {
	e := &WorkbookError{File: path}
	sheets := f.GetSheetList()
	if !slices.Contains(sheets, metaSheet) {
		e.add("", "", "not an osgauge questionnaire: its hidden sheet %q (model id and version) is missing; make the form with 'osgauge questionnaire template --model ID'", metaSheet)
		return nil, e
	}
	meta := map[string]string{}
	if rows, err := f.GetRows(metaSheet, excelize.Options{RawCellValue: true}); err == nil {
		for _, row := range rows {
			if len(row) >= 2 {
				meta[row[0]] = row[1]
			}
		}
	}
	modelID, version, lang := meta["model"], meta["version"], meta["lang"]
	if meta["format"] != templateFormat {
		e.add(metaSheet, "", "workbook format %q is not %q, the one this osgauge reads: make a new form with 'osgauge questionnaire template --model %s'", meta["format"], templateFormat, modelID)
		return nil, e
	}
	m, ok := set[modelID]
	switch {
	case modelID == "":
		e.add(metaSheet, "", "the workbook does not name its model; make a new form with 'osgauge questionnaire template'")
	case !ok:
		ids := make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		e.add("", "", "the workbook is for model %q, which is not in use here (models: %s)", modelID, strings.Join(ids, ", "))
	case kind != "" && m.Subject != kind:
		e.add("", "", "the workbook answers model %s, which assesses %ss, but this questionnaire is for a %s", modelID, m.Subject, kind)
	case !m.AcceptsAnswersFor(version):
		e.add("", "", "the workbook was made for %s version %s, but the model in use is version %s: send a new form made with 'osgauge questionnaire template --model %s', or use the matching model",
			modelID, version, m.Version, modelID)
	}
	if lang != "zh" && lang != "en" {
		e.add(metaSheet, "", "unknown workbook language %q", lang)
	}
	if len(e.Problems) > 0 {
		return nil, e
	}
	instr, qsheet := sheetNames(m, lang)
	var visible []string
	for _, s := range sheets {
		if s != metaSheet {
			visible = append(visible, s)
		}
	}
	missing := func(name string) {
		e.add("", "", "sheet %q is missing (renamed or deleted? the workbook has: %s); restore its name or make a new form", name, strings.Join(visible, ", "))
	}
	if !slices.Contains(sheets, instr) {
		missing(instr)
	}
	if !slices.Contains(sheets, qsheet) {
		missing(qsheet)
		return nil, e
	}
	rd := reader{f: f, sheet: qsheet, e: e}
	qs := questions(m)
	staged := m.Kind == models.ModelStaged

	// Merged cells: each question needs its own answer cell, and a merged
	// range repeats its first value in every cell it covers.
	if merged, err := f.GetMergeCells(qsheet, true); err == nil {
		for _, mc := range merged {
			_, r2, err := excelize.CellNameToCoordinates(mc.GetEndAxis())
			if err == nil && r2 >= rowSubject {
				e.add(qsheet, mc.GetStartAxis(), "cells %s:%s are merged; unmerge them so that every question and respondent field keeps its own cell", mc.GetStartAxis(), mc.GetEndAxis())
			}
		}
	}

	// Column headers: an inserted, deleted or moved column shifts them.
	headersOK := true
	for _, c := range columns(staged) {
		ref := cell(c.col, headerRow)
		want := i18n.T(lang, c.label)
		if got := strings.TrimSpace(rd.value(ref)); got != want {
			headersOK = false
			e.add(qsheet, ref, "column header must be %q, found %q (were columns inserted, deleted or moved?)", want, got)
		}
	}
	if !headersOK {
		return nil, e
	}

	a := &Answers{File: path, Model: m, Subject: meta["subject"]}
	name := strings.TrimSpace(rd.value(cell(colValue, rowName)))
	role := strings.TrimSpace(rd.value(cell(colValue, rowRole)))
	a.Respondent = strings.Trim(strings.Join([]string{name, role}, ", "), ", ")
	readDate(f, rd, a)

	// Rows: the question ids must be the model's, in the model's order.
	byID := map[string]question{}
	pos := map[string]int{}
	for i, q := range qs {
		byID[q.in.ID] = q
		pos[q.in.ID] = i
	}
	lastRow := firstRow + len(qs) - 1
	if rows, err := f.GetRows(qsheet); err == nil {
		lastRow = max(lastRow, len(rows))
	}
	type found struct {
		id  string
		row int
	}
	var rowsFound []found
	firstSeen := map[string]int{}
	structural := false
	for r := firstRow; r <= lastRow; r++ {
		id := strings.TrimSpace(rd.value(cell(colID, r)))
		if id == "" {
			if ans := strings.TrimSpace(rd.value(cell(colAnswer, r))); ans != "" {
				structural = true
				e.add(qsheet, cell(colAnswer, r), "answer %q is in a row without a question id (was a row inserted?)", ans)
			}
			continue
		}
		if _, ok := byID[id]; !ok {
			structural = true
			e.add(qsheet, cell(colID, r), "%q is not a question of model %s %s (was a row added or an id changed?)", id, m.ID, m.Version)
			continue
		}
		if prev, dup := firstSeen[id]; dup {
			structural = true
			e.add(qsheet, cell(colID, r), "question %s appears twice (also in row %d)", id, prev)
			continue
		}
		firstSeen[id] = r
		rowsFound = append(rowsFound, found{id, r})
	}
	for i, q := range qs {
		if _, ok := firstSeen[q.in.ID]; !ok {
			structural = true
			e.add(qsheet, cell(colID, firstRow+i), "question %s is missing (was its row deleted?); it belongs in row %d: restore the row or make a new form", q.in.ID, firstRow+i)
		}
	}
	if !structural {
		for _, fr := range rowsFound {
			if want := firstRow + pos[fr.id]; fr.row != want {
				e.add(qsheet, cell(colID, fr.row), "question %s belongs in row %d, found in row %d (were rows moved, sorted or inserted?)", fr.id, want, fr.row)
			}
		}
	}

	// Answers, by question id (so that every problem is reported even when
	// rows are out of place).
	answeredAny := false
	for _, fr := range rowsFound {
		q := byID[fr.id]
		in := q.in
		r := fr.row
		lv := strings.TrimSpace(rd.value(cell(colLevel, r)))
		if staged && !q.modifier {
			if lv != strconv.Itoa(in.Level) {
				e.add(qsheet, cell(colLevel, r), "level must be %d, the level of practice %s in model %s %s; got %q (the level column is not for answers: answer in column %s)",
					in.Level, in.ID, m.ID, m.Version, lv, colAnswer)
			}
		} else if lv != "" {
			e.add(qsheet, cell(colLevel, r), "level must be blank: %s is not a staged practice; got %q (answer in column %s)", in.ID, lv, colAnswer)
		}
		ansRef := cell(colAnswer, r)
		raw := rd.value(ansRef)
		evidence := rd.value(cell(colEvidence, r))
		notes := rd.value(cell(colNotes, r))
		ans := strings.TrimSpace(raw)
		if ans == "" {
			continue // not answered: inconclusive, like a YAML answer left out
		}
		answeredAny = true
		if in.Normalize.Evidence && notApplicableAnswer(ans) {
			it := Item{ID: in.ID, Evidence: evidence, Notes: notes, Line: r, Where: fmt.Sprintf("sheet %s, cell %s", qsheet, ansRef), NotApplicable: true}
			if msg := checkNotApplicable(m, in, it); msg != "" {
				e.add(qsheet, ansRef, "%s", strings.Replace(msg, "in notes ({level: N/A, notes: …})", "in the notes column "+colNotes, 1))
				continue
			}
			a.Items = append(a.Items, it)
			continue
		}
		isNum := numberRE.MatchString(ans)
		x, err := strconv.ParseFloat(ans, 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			isNum = false
		}
		if in.Normalize.Evidence {
			if !isNum || x < 0 || x > 4 || x != math.Trunc(x) {
				e.add(qsheet, ansRef, "evidence level must be 0-4, got %q", ans)
				continue
			}
		} else {
			if !isNum {
				e.add(qsheet, ansRef, "answer must be a number (0 or more), got %q", ans)
				continue
			}
			if x < 0 {
				e.add(qsheet, ansRef, "answer must not be negative, got %q", ans)
				continue
			}
		}
		a.Items = append(a.Items, Item{
			ID: in.ID, Value: x, Evidence: evidence, Notes: notes, Line: r,
			Where: fmt.Sprintf("sheet %s, cell %s", qsheet, ansRef),
		})
	}
	if len(a.Items) > 0 && name == "" {
		e.add(qsheet, cell(colValue, rowName), "the respondent's name is required: who answered this questionnaire?")
	}
	if answeredAny && a.DateCell == "" && m.AnswerValidityMonths > 0 && !e.at(qsheet, cell(colValue, rowDate)) {
		// Blank: undated answers to a model that expires them would be
		// taken as of every collection, renewed for ever. The workbook's
		// last save does not stand in: saving the form again would renew
		// them too.
		e.add(qsheet, cell(colValue, rowDate), "the respondent's date is required: type the date the answers were given, as YYYY-MM-DD (e.g. 2026-11-20): %s", whyDated(m))
	}
	if len(e.Problems) > 0 {
		e.sortByCell()
		return nil, e
	}
	return a, nil
}

// readDate reads the respondent's date (column D of the date row) into a:
// text typed as a date (2026-11-20; the cell is formatted as text), or a
// date Excel recognised (a serial number, or a date cell). A date that
// cannot be read is a problem at its cell. A blank cell leaves a undated:
// the workbook's last-saved date is not the respondent's word, and saving
// the form again would renew its answers.
func readDate(f *excelize.File, rd reader, a *Answers) {
	ref := cell(colValue, rowDate)
	raw := strings.TrimSpace(rd.value(ref)) // a formula there is an error too
	if raw == "" {
		return
	}
	a.DateSheet, a.DateCell = rd.sheet, ref
	if numberRE.MatchString(raw) {
		// A date Excel recognised is stored as its serial number.
		serial, err := strconv.ParseFloat(raw, 64)
		date1904 := false
		if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
			date1904 = *p.Date1904
		}
		if err == nil && serial >= 1 && serial < 2958466 { // 1900-01-01 … 9999-12-31
			if t, err := excelize.ExcelDateToTime(serial, date1904); err == nil {
				a.Date = t.UTC()
				return
			}
		}
		rd.e.add(rd.sheet, ref, "the respondent's date %q is not a date: write it as YYYY-MM-DD, e.g. 2026-11-20", raw)
		return
	}
	t, err := parseDate(raw)
	if err != nil {
		rd.e.add(rd.sheet, ref, "the respondent's date: %v", err)
		return
	}
	a.Date = t
}

// sortByCell puts the problems in reading order: those without a cell
// first, then by row and column.
func (e *WorkbookError) sortByCell() {
	pos := func(p Problem) (int, int) {
		if p.Cell == "" {
			return 0, 0
		}
		c, r, err := excelize.CellNameToCoordinates(p.Cell)
		if err != nil {
			return 0, 0
		}
		return r, c
	}
	sort.SliceStable(e.Problems, func(i, j int) bool {
		ri, ci := pos(e.Problems[i])
		rj, cj := pos(e.Problems[j])
		if ri != rj {
			return ri < rj
		}
		return ci < cj
	})
}
