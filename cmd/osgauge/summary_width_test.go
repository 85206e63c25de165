package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

func TestDisplayWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"abc", 3},
		{"核心", 4},        // Wide: 2 each
		{"ｆｕｌｌ", 8},      // Fullwidth Latin: 2 each
		{"ﾊﾝｶｸ", 4},      // Halfwidth katakana: 1 each
		{"한국", 4},        // Hangul syllables: Wide
		{"e\u0301", 1},   // e + combining acute: the mark takes no column
		{"混合 mix 名", 11}, // 2+2+1+3+1+2
		{"项目（健康）", 12},   // fullwidth parentheses
		{"a\u200bb", 2},  // zero-width space
		{"…", 1},         // ambiguous width: narrow, as terminals in a UTF-8 locale show it
		{"", 0},
	} {
		if got := displayWidth(c.s); got != c.want {
			t.Errorf("displayWidth(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestTruncateWidth(t *testing.T) {
	for _, c := range []struct {
		s    string
		n    int
		want string
	}{
		{"核心交易系统", 12, "核心交易系统"}, // fits exactly
		{"核心交易系统", 7, "核心交…"},    // 2+2+2 + 1 for the ellipsis
		{"核心交易系统", 8, "核心交…"},    // 易 would make 8+1
		{"abcdefgh", 5, "abcd…"},
		{"ab核心", 4, "ab…"},
	} {
		if got := truncateWidth(c.s, c.n); got != c.want {
			t.Errorf("truncateWidth(%q, %d) = %q, want %q", c.s, c.n, got, c.want)
		}
		if got := truncateWidth(c.s, c.n); displayWidth(got) > c.n {
			t.Errorf("truncateWidth(%q, %d) = %q is %d columns", c.s, c.n, got, displayWidth(got))
		}
	}
}

// TestTableAlignsByDisplayWidth: the first column is 12 columns wide
// (核心交易系统: 6 × 2), the second 5 (SCORE); each is followed by two
// spaces; a row's last cell is not padded and trailing spaces go; the
// spanning line takes no part in the widths.
func TestTableAlignsByDisplayWidth(t *testing.T) {
	var tb table
	tb.row("SUBJECT", "SCORE", "GATES")
	tb.row("核心交易系统", "71.2", "G-KEV")
	tb.line("… and a note wider than any column of the table")
	tb.row("karmada", "65.0", "")
	tb.row("混合 mix 名", "5.5", "")
	tb.row("e\u0301clair", "80.0", "x")
	var b bytes.Buffer
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"SUBJECT       SCORE  GATES\n" + // 7 + 7 spaces = 14; 5 + 2
		"核心交易系统  71.2   G-KEV\n" + // 12 + 2; 4 + 3
		"… and a note wider than any column of the table\n" +
		"karmada       65.0\n" + // 7 + 7
		"混合 mix 名   5.5\n" + // 11 + 3
		"e\u0301clair        80.0   x\n" // 6 + 8
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
}

// TestPrintSummaryChineseNames: the Chinese name (12 columns) sets the
// SUBJECT column; every column starts at the same display column on
// every line.
func TestPrintSummaryChineseNames(t *testing.T) {
	res := func(score float64, grade string, cov float64, gates ...string) models.Result {
		r := models.Result{Model: "project-health", Score: models.Num(score), Grade: grade, Status: models.StatusOK, Coverage: cov}
		for _, g := range gates {
			r.Gates = append(r.Gates, models.GateHit{ID: g})
		}
		return r
	}
	rep := &reports.Report{Subjects: []reports.SubjectReport{
		{Kind: models.KindProject, ID: "p1", Name: "karmada", Results: []models.Result{res(65, "B", 1)}},
		{Kind: models.KindProject, ID: "p2", Name: "核心交易系统", Results: []models.Result{res(71.2, "A", 0.9, "G-KEV")}},
		{Kind: models.KindProject, ID: "p3", Name: "混合 mix 名", Results: []models.Result{res(50, "C", 0.75)}},
	}}
	var b bytes.Buffer
	printSummary(&b, rep, 0)
	lines := strings.Split(b.String(), "\n")
	// The rows: the gated project first, then by score, lowest first
	// (50 before 65). Widths, with the two-column indent: SUBJECT 14
	// ("  核心交易系统"), SCORE 5, GRADE 5, COVERAGE 8, CHANGE 6; two
	// spaces after each; trailing spaces dropped.
	want := []string{
		"  SUBJECT       SCORE  GRADE  COVERAGE  CHANGE  GATES FIRED",
		"  核心交易系统  71.2   A      90%" + strings.Repeat(" ", 5+2+6+2) + "G-KEV", // COVERAGE 3+5+2, empty CHANGE 6+2
		"  混合 mix 名   50.0   C      75%",
		"  karmada       65.0   B      100%",
	}
	start := slices.Index(lines, want[0])
	if start < 0 {
		t.Fatalf("no header line %q in\n%s", want[0], b.String())
	}
	for i, w := range want {
		if start+i >= len(lines) || lines[start+i] != w {
			t.Errorf("line %d:\n got %q\nwant %q", i, lines[min(start+i, len(lines)-1)], w)
		}
	}
}
