package main

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// summaryWidth is the widest line the terminal summary prints.
const summaryWidth = 100

// maxNameWidth bounds a table's first column (the subject's name).
const maxNameWidth = 36

// maxAttention bounds the gates listed one a line under "Needs attention".
const maxAttention = 8

// printSummary prints the terminal summary of a report, in the report's
// language, no line wider than summaryWidth columns (issue 26):
//
//  1. what needs attention: gates fired (the first few by subject and
//     gate), overdue findings and exits, licence conflicts, components
//     used without intake — or a line saying nothing does;
//  2. the projects: graded and undecided counts (reports.Figures), the
//     decided grades, the undecided in one line with what would decide
//     them, then a table of the projects with a gate fired and the graded
//     ones (riskiest first); maxProjects > 0 bounds its rows;
//  3. the suppliers' table and the institution's level;
//  4. the grade legend and the models used.
//
// The next step is printed after the report files are written
// (printNextStep).
func printSummary(w io.Writer, rep *reports.Report, maxProjects int) {
	lang := termLang(rep.Lang)
	T := func(key string, kv ...string) string {
		return strings.NewReplacer(kv...).Replace(labels.T(lang, key))
	}
	say := func(indent, s string) {
		for _, l := range wrapColumns(indent+s, summaryWidth, indent+"  ") {
			fmt.Fprintln(w, l)
		}
	}
	f := rep.Figures()
	itoa := strconv.Itoa

	say("", T("term.heading", "{period}", orDash(rep.Period), "{projects}", itoa(f.Projects), "{suppliers}", itoa(f.Suppliers)))
	fmt.Fprintln(w)

	// 1. What needs attention.
	if !f.NeedsAttention() {
		say("", T("term.attention_none"))
	} else {
		say("", T("term.attention"))
		if f.GatesFired > 0 {
			say("  ", T("term.gates", "{n}", itoa(f.GatesFired), "{m}", itoa(f.SubjectsGated)))
			listed := 0
			for _, s := range gatedOrder(rep) {
				for _, res := range s.Results {
					for _, g := range res.Gates {
						if g.Waived != "" {
							continue
						}
						if listed < maxAttention {
							line := "    " + truncateWidth(s.Name, 40) + " — " + g.ID
							if n := gateName(rep.Defs[res.Model], g.ID, lang); n != g.ID {
								line = "    " + truncateWidth(s.Name, 40) + " — " + n + " (" + g.ID + ")"
							}
							fmt.Fprintln(w, truncateWidth(line, summaryWidth))
						}
						listed++
					}
				}
			}
			if listed > maxAttention {
				say("    ", T("term.more", "{n}", itoa(listed-maxAttention)))
			}
		}
		if f.OverdueFindings > 0 {
			say("  ", T("term.overdue_findings", "{n}", itoa(f.OverdueFindings), "{kev}", itoa(f.OverdueKEV), "{crit}", itoa(f.OverdueCritical)))
		}
		if f.OverdueExits > 0 {
			say("  ", T("term.overdue_exits", "{n}", itoa(f.OverdueExits)))
		}
		if f.BannedLicences+f.IncompatibleLicences > 0 {
			say("  ", T("term.conflicts", "{banned}", itoa(f.BannedLicences), "{incompatible}", itoa(f.IncompatibleLicences)))
		}
		if f.Unapproved > 0 {
			say("  ", T("term.unapproved", "{n}", itoa(f.Unapproved)))
		}
	}

	// 2. Projects.
	if pg := f.ProjectGrades; f.Projects > 0 {
		def := rep.Defs[pg.Model]
		fmt.Fprintln(w)
		say("", T("term.projects", "{model}", modelTitle(def, pg.Model, lang), "{graded}", itoa(pg.Graded), "{undecided}", itoa(pg.Undecided)))
		if grades := gradeCounts(pg, def, lang); grades != "" && pg.Graded > 0 {
			say("  ", T("term.grades", "{list}", grades))
		}
		if pg.Undecided > 0 {
			say("  ", undecidedLine(pg, def, lang))
		}
		var rows []reports.SubjectReport
		for _, s := range rep.OfKind(models.KindProject) {
			if res := s.Result(pg.Model); res != nil && (res.Grade != "" || activeGates(res) > 0) {
				rows = append(rows, s)
			}
		}
		slices.SortStableFunc(rows, func(a, b reports.SubjectReport) int {
			ra, rb := a.Result(pg.Model), b.Result(pg.Model)
			return cmp.Or(-cmp.Compare(activeGates(ra), activeGates(rb)), cmpScore(ra, rb))
		})
		hidden := 0
		if maxProjects > 0 && len(rows) > maxProjects {
			hidden = len(rows) - maxProjects
			rows = rows[:maxProjects]
		}
		if len(rows) > 0 {
			printRows(w, rep, rows, pg.Model, T("term.col.grade"), lang)
		}
		if hidden > 0 {
			say("  ", T("term.more_projects", "{n}", itoa(hidden)))
		}
	}

	// 3. Suppliers and the institution.
	if st := f.SupplierTiers; f.Suppliers > 0 {
		def := rep.Defs[st.Model]
		fmt.Fprintln(w)
		say("", T("term.suppliers", "{model}", modelTitle(def, st.Model, lang), "{graded}", itoa(st.Graded), "{undecided}", itoa(st.Undecided)))
		printRows(w, rep, rep.OfKind(models.KindSupplier), st.Model, T("term.col.tier"), lang)
	}
	for _, s := range rep.OfKind(models.KindInstitution) {
		for _, res := range s.Results {
			def := rep.Defs[res.Model]
			fmt.Fprintln(w)
			say("", T("term.institution", "{name}", s.Name, "{model}", modelTitle(def, res.Model, lang),
				"{level}", levelText(&res, def, lang), "{score}", reports.ScoreText(&res)))
		}
	}

	// 4. Legend and models.
	fmt.Fprintln(w)
	say("", T("term.legend"))
	var ms []string
	for _, m := range rep.Models {
		ms = append(ms, m.ID+" "+m.Version)
	}
	if len(ms) > 0 {
		say("", T("term.models", "{list}", strings.Join(ms, " · ")))
	}
}

// printNextStep ends the summary with what to do next: open the
// dashboard (and the workbook); without projects of one's own in the
// config (the demo), write a config with osgauge init.
func printNextStep(w io.Writer, lang string, paths []string, ownPortfolio bool) {
	lang = termLang(lang)
	var dash, book string
	for _, p := range paths {
		switch {
		case strings.HasSuffix(p, ".html"):
			dash = absOr(p)
		case strings.HasSuffix(p, ".xlsx"):
			book = absOr(p)
		}
	}
	say := func(s string) {
		for _, l := range wrapColumns(s, summaryWidth, "  ") {
			fmt.Fprintln(w, l)
		}
	}
	fmt.Fprintln(w)
	if dash != "" {
		say(strings.ReplaceAll(labels.T(lang, "term.next_dashboard"), "{path}", dash))
	}
	if book != "" {
		say("      " + strings.ReplaceAll(labels.T(lang, "term.next_workbook"), "{path}", book))
	}
	if !ownPortfolio {
		say(labels.T(lang, "term.next_init"))
	}
}

func termLang(lang string) string {
	if lang == "zh" {
		return "zh"
	}
	return "en"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// printRows prints the table of subjects under model: name, score, grade
// cell (reports.CellOf), coverage, change, gates fired; indented two
// columns and fitted to summaryWidth (fitRows).
func printRows(w io.Writer, rep *reports.Report, subs []reports.SubjectReport, model, gradeHdr, lang string) {
	def := rep.Defs[model]
	L := func(k string) string { return labels.T(lang, k) }
	rows := [][]string{{L("term.col.subject"), L("term.col.score"), gradeHdr, L("term.col.coverage"), L("term.col.change"), L("term.col.gates")}}
	for _, s := range subs {
		res := s.Result(model)
		if res == nil {
			rows = append(rows, []string{s.Name, "—", L("term.no_result"), "", "", ""})
			continue
		}
		var gates []string
		for _, g := range res.Gates {
			if g.Waived != "" {
				gates = append(gates, g.ID+" ("+L("fig.waived")+")")
			} else {
				gates = append(gates, g.ID)
			}
		}
		rows = append(rows, []string{s.Name, reports.ScoreText(res), reports.CellOf(res, def, lang).Text,
			fmt.Sprintf("%.0f%%", 100*res.Coverage), change(s, model, lang), strings.Join(gates, ", ")})
	}
	var tb table
	for _, r := range fitRows(rows, summaryWidth-2) {
		r[0] = "  " + r[0]
		tb.row(r...)
	}
	tb.write(w)
}

// fitRows fits a table to width columns: the first column is cut to
// maxNameWidth, and further (never below 12 columns) so that the last has
// at least 16; the last is cut to what remains. Cells are aligned with two spaces between columns, as
// table does.
func fitRows(rows [][]string, width int) [][]string {
	if len(rows) == 0 {
		return rows
	}
	n := len(rows[0])
	widths := make([]int, n)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	lead := func() int { // the columns before the last, with their gaps
		t := 0
		for _, wd := range widths[:n-1] {
			t += wd + 2
		}
		return t
	}
	widths[0] = min(widths[0], maxNameWidth)
	if over := lead() + 16 - width; over > 0 {
		widths[0] = max(12, widths[0]-over)
	}
	last := max(1, width-lead())
	out := make([][]string, len(rows))
	for k, r := range rows {
		c := slices.Clone(r)
		c[0] = truncateWidth(c[0], widths[0])
		c[n-1] = truncateWidth(c[n-1], last)
		out[k] = c
	}
	return out
}

// undecidedLine says the undecided results in one line: how many lie
// between which grades, how many have no range, and what data would
// decide them.
func undecidedLine(g reports.GradeFigures, def *models.Model, lang string) string {
	var spans []string
	between := slices.Clone(g.Between) // most first
	slices.SortStableFunc(between, func(a, b reports.GradeSpan) int { return cmp.Compare(b.N, a.N) })
	for _, b := range between {
		spans = append(spans, strconv.Itoa(b.N)+" "+reports.GradeName(def, b.Worst, lang)+"–"+reports.GradeName(def, b.Best, lang))
	}
	if g.NoRange > 0 {
		spans = append(spans, strings.ReplaceAll(labels.T(lang, "term.no_range"), "{n}", strconv.Itoa(g.NoRange)))
	}
	sep := ", "
	if lang == "zh" {
		sep = "，"
	}
	line := strings.NewReplacer("{n}", strconv.Itoa(g.Undecided), "{spans}", strings.Join(spans, sep)).Replace(labels.T(lang, "term.undecided"))
	if len(g.DecidedBy) > 0 {
		var needs []string
		for _, src := range g.DecidedBy[:min(3, len(g.DecidedBy))] {
			needs = append(needs, labels.Needs(lang, src))
		}
		semi := "; "
		if lang == "zh" {
			semi = "；"
		}
		line += strings.ReplaceAll(labels.T(lang, "term.decided_by"), "{needs}", strings.Join(needs, semi))
	}
	return line
}

// gradeCounts lists the decided grades with their counts, best first:
// "A 3 · B 5 · C 2 · D 0".
func gradeCounts(g reports.GradeFigures, def *models.Model, lang string) string {
	var parts []string
	for _, c := range g.Grades {
		parts = append(parts, reports.GradeName(def, c.Grade, lang)+" "+strconv.Itoa(c.N))
	}
	return strings.Join(parts, " · ")
}

// gatedOrder is the subjects with a gate fired (not waived): the
// institution, suppliers, then projects, each in report order.
func gatedOrder(rep *reports.Report) []reports.SubjectReport {
	var out []reports.SubjectReport
	for _, k := range []models.SubjectKind{models.KindInstitution, models.KindSupplier, models.KindProject} {
		for _, s := range rep.OfKind(k) {
			for i := range s.Results {
				if activeGates(&s.Results[i]) > 0 {
					out = append(out, s)
					break
				}
			}
		}
	}
	return out
}

func activeGates(res *models.Result) int {
	n := 0
	for _, g := range res.Gates {
		if g.Waived == "" {
			n++
		}
	}
	return n
}

// cmpScore orders results by score, lowest (riskiest) first, those
// without a score last.
func cmpScore(a, b *models.Result) int {
	switch {
	case a.Score == nil && b.Score == nil:
		return 0
	case a.Score == nil:
		return 1
	case b.Score == nil:
		return -1
	}
	return cmp.Compare(*a.Score, *b.Score)
}

func gateName(def *models.Model, id, lang string) string {
	if def != nil {
		for _, g := range def.Gates {
			if g.ID == id {
				if n := g.Name.In(lang); n != "" {
					return n
				}
			}
		}
	}
	return id
}

func modelTitle(def *models.Model, id, lang string) string {
	if def != nil {
		if n := def.Name.In(lang); n != "" {
			return n
		}
	}
	return id
}

// levelText is a staged result's level: "L2 Managed", "L1–L3" while the
// open practices leave it open, "undecided" without a level.
func levelText(res *models.Result, def *models.Model, lang string) string {
	switch {
	case reports.LevelOpen(res):
		return reports.LevelRange(res) + labels.T(lang, "term.level_open")
	case res.Level > 0 && res.Status != models.StatusInconclusive:
		if def != nil {
			return reports.LevelRange(res) + " " + def.LevelName(res.Level, lang)
		}
		return reports.LevelRange(res)
	case res.Grade != "" || len(res.GradeRange) == 2:
		return reports.CellOf(res, def, lang).Text
	}
	return labels.T(lang, "grade.cell.undecided")
}

// change shows the score change since the previous period: "+8.3",
// "n/c" when the model changed, "" when there is nothing to compare.
func change(s reports.SubjectReport, model, lang string) string {
	for _, c := range s.Changes {
		if c.Model != model {
			continue
		}
		switch {
		case !c.Comparable:
			return labels.T(lang, "term.not_comparable")
		case c.Delta != nil:
			return fmt.Sprintf("%+.1f", *c.Delta)
		}
	}
	return ""
}

// wrapColumns breaks s into lines of at most width display columns, the
// continuation lines starting with indent. It breaks after a space or
// after Chinese punctuation (，、；：。）), never inside a word or between
// the characters of a Chinese phrase; a piece wider than a line is cut
// where it must be.
func wrapColumns(s string, width int, indent string) []string {
	var pieces []string
	start := 0
	for i, r := range s {
		if r == ' ' || strings.ContainsRune("，、；：。）", r) {
			end := i + len(string(r))
			pieces = append(pieces, s[start:end])
			start = end
		}
	}
	if start < len(s) {
		pieces = append(pieces, s[start:])
	}
	var lines []string
	line := ""
	for _, p := range pieces {
		if line != "" && strings.TrimSpace(line) != "" && displayWidth(strings.TrimRight(line+p, " ")) > width {
			lines = append(lines, strings.TrimRight(line, " "))
			line = indent
			p = strings.TrimLeft(p, " ")
		}
		line += p
		for displayWidth(strings.TrimRight(line, " ")) > width { // one piece wider than a line
			cut := cutWidth(line, width)
			lines = append(lines, line[:cut])
			line = indent + line[cut:]
		}
	}
	if strings.TrimSpace(line) != "" {
		lines = append(lines, strings.TrimRight(line, " "))
	}
	return lines
}

// cutWidth is the byte offset of the longest prefix of s at most width
// columns wide (at least one rune).
func cutWidth(s string, width int) int {
	w := 0
	for i, r := range s {
		if w+runeWidth(r) > width && i > 0 {
			return i
		}
		w += runeWidth(r)
	}
	return len(s)
}
