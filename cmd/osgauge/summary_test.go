package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// The undecided results are said in one line: how many lie between which
// grades (most first), how many have no range, and what would decide them
// (the first three sources, named as labels.Needs names them).
func TestUndecidedLine(t *testing.T) {
	g := reports.GradeFigures{Undecided: 4, Between: []reports.GradeSpan{{Worst: "C", Best: "B", N: 1}, {Worst: "D", Best: "A", N: 2}},
		NoRange: 1, DecidedBy: []string{"github", "scorecard", "manual", "osv"}}
	// 2 + 1 + 1 = 4; D–A (2) before C–B (1); osv, the fourth source, left out.
	want := "Undecided 4: 2 D–A, 1 C–B, 1 with no range yet — would be decided by GitHub collector (network and a token); " +
		"Scorecard (a local clone, or network for GitHub checks); a fact stated in the config (facts:)"
	if got := undecidedLine(g, nil, "en"); got != want {
		t.Errorf("undecidedLine =\n %q\nwant\n %q", got, want)
	}
	wantZh := "未定级 4 个：2 D–A，1 C–B，1 个尚无区间——补充以下数据即可定级：GitHub 采集器（需网络与令牌）；" +
		"Scorecard（本地克隆，或联网执行 GitHub 检查）；配置中声明的事实（facts:）"
	if got := undecidedLine(g, nil, "zh"); got != wantZh {
		t.Errorf("undecidedLine zh =\n %q\nwant\n %q", got, wantZh)
	}
}

// summaryReport: two graded projects (one with two gates fired), three
// undecided ones (two between D and B missing GitHub data, one between C
// and A), a supplier between two tiers, and names and gate lists long
// enough to overflow 100 columns if nothing were cut.
func summaryReport(lang string) *reports.Report {
	long := strings.Repeat("very-long-project-name-", 6)
	proj := func(id, name string, score float64, grade string, rng []string, gates ...string) reports.SubjectReport {
		r := models.Result{Model: "project-health", Score: models.Num(score), Grade: grade, GradeRange: rng, Coverage: 0.5, Status: models.StatusOK}
		if rng != nil {
			r.GradeEstimate = rng[1]
			r.Missing = []models.MissingIndicator{{ID: "ACT-1", Swing: 10, Sources: []string{"github"}}}
		}
		for _, g := range gates {
			r.Gates = append(r.Gates, models.GateHit{ID: g})
		}
		return reports.SubjectReport{Kind: models.KindProject, ID: id, Name: name, Results: []models.Result{r}}
	}
	return &reports.Report{Period: "2026Q4", Lang: lang, Subjects: []reports.SubjectReport{
		proj("u1", "undecided-one", 98, "", []string{"D", "B"}),
		proj("g1", "graded-good", 82, "A", nil),
		proj("u2", "undecided-two", 40, "", []string{"D", "B"}),
		proj("g2", long, 30, "D", nil, "G-NO-COMPLIANCE-DOCUMENTATION-AT-ALL", "G-KNOWN-EXPLOITED-VULNERABILITY-UNPATCHED"),
		proj("u3", "undecided-three", 60, "", []string{"C", "A"}),
		{Kind: models.KindSupplier, ID: "s1", Name: "Acme", Results: []models.Result{{Model: "supplier", Score: models.Num(60),
			GradeRange: []string{"conditional", "preferred"}, GradeEstimate: "conditional", Coverage: 0.4, Status: models.StatusInconclusive}}},
	}}
}

// The terminal summary fits 100 columns, says first what needs attention,
// groups the undecided projects in one line (none of them gets a row),
// lists the gated project before the graded one, and is Chinese under zh.
func TestSummaryLayout(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		var b bytes.Buffer
		printSummary(&b, summaryReport(lang), 0)
		printNextStep(&b, lang, []string{"out/osgauge-2026Q4.html", "out/osgauge-2026Q4.xlsx", "out/osgauge-2026Q4.json"}, false)
		out := strings.TrimRight(b.String(), "\n")
		lines := strings.Split(out, "\n")
		for i, l := range lines {
			if w := displayWidth(l); w > summaryWidth {
				t.Errorf("%s line %d is %d columns: %q", lang, i, w, l)
			}
		}
		attention, projects, undecided, next, init := "Needs attention:", "Projects (project-health): 2 graded, 3 undecided", "Undecided 3: 2 D–B, 1 C–A", "Next: open the dashboard", "osgauge init"
		if lang == "zh" {
			attention, projects, undecided, next, init = "需要关注：", "开源项目（project-health）：已定级 2 个，未定级 3 个", "未定级 3 个：2 D–B，1 C–A", "下一步：打开仪表板", "osgauge init"
		}
		at := func(s string) int {
			for i, l := range lines {
				if strings.Contains(l, s) {
					return i
				}
			}
			t.Errorf("%s: no line has %q:\n%s", lang, s, out)
			return -1
		}
		ia, ip, iu, in := at(attention), at(projects), at(undecided), at(next)
		if !(ia < ip && ip < iu && iu < in) {
			t.Errorf("%s: order attention %d, projects %d, undecided %d, next %d; want increasing:\n%s", lang, ia, ip, iu, in, out)
		}
		if !strings.Contains(lines[len(lines)-1], init) && !strings.Contains(lines[len(lines)-2], init) {
			t.Errorf("%s: the summary does not end with %q:\n%s", lang, init, out)
		}
		for _, name := range []string{"undecided-one", "undecided-two", "undecided-three"} {
			if strings.Contains(out, name) {
				t.Errorf("%s: undecided project %s has a row:\n%s", lang, name, out)
			}
		}
		// The gated project (score 30, two gates) before the graded one
		// without gates; its name is cut to fit.
		ig, ia2 := at("very-long-project-name-very"), at("graded-good")
		if ig > ia2 {
			t.Errorf("%s: gated row %d after graded row %d", lang, ig, ia2)
		}
		// The supplier's tier cell: the range first, the likeliest tier
		// not shown; without the model definitions tiers are named by id.
		cell := "conditional–preferred, undecided"
		if lang == "zh" {
			cell = "conditional–preferred，未定级"
		}
		at(cell)
		if lang == "zh" {
			for _, en := range []string{"SUBJECT", "GRADE", "Needs attention", "undecided", "Next:"} {
				if strings.Contains(out, en) {
					t.Errorf("zh summary has English %q:\n%s", en, out)
				}
			}
		}
	}
}

// fitRows cuts the first column (never below 12) so that the last keeps
// 16 columns, and the last to what remains.
func TestFitRows(t *testing.T) {
	rows := [][]string{{strings.Repeat("n", 50), "12345", strings.Repeat("g", 60)}}
	got := fitRows(rows, 60)
	// widths 50 + 2 + 5 + 2 = 59 before the last; 59 + 16 - 60 = 15 over:
	// the first column is cut to 50 - 15 = 35 (34 n's and "…"), leaving
	// 60 - (35 + 2 + 5 + 2) = 16 for the last (15 g's and "…").
	if w := displayWidth(got[0][0]); w != 35 {
		t.Errorf("first column %d wide, want 35: %q", w, got[0][0])
	}
	if got[0][2] != strings.Repeat("g", 15)+"…" {
		t.Errorf("last column %q, want 15 g's and …", got[0][2])
	}
}

// wrapColumns breaks at spaces and after Chinese punctuation, never inside
// a Chinese phrase, and indents continuation lines.
func TestWrapColumns(t *testing.T) {
	got := wrapColumns("aaa bbb ccc", 8, "  ")
	// "aaa bbb" is 7 columns; "aaa bbb ccc" 11 > 8: ccc on the next line.
	if want := []string{"aaa bbb", "  ccc"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
	// 数据不足 is 8 columns, ，4 more: "数据不足，" 10 fits in 12; "尚未定级" (8)
	// would make 18, so it starts the next line, whole.
	got = wrapColumns("数据不足，尚未定级", 12, "")
	if want := []string{"数据不足，", "尚未定级"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap zh = %q, want %q", got, want)
	}
}
