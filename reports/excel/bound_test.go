package excel

import (
	"slices"
	"testing"
)

// withIndicatorBound lowers maxIndicatorRows for one test.
func withIndicatorBound(t *testing.T, n int) {
	old := maxIndicatorRows
	maxIndicatorRows = n
	t.Cleanup(func() { maxIndicatorRows = old })
}

// testReport's six projects have 3 indicator rows each (18); its suppliers
// and institution none. Ranked worst first: gone (gate G-ARCHIVED, D),
// then the graded by grade, worst first: -3-4 (D, 10), evil-1 (C, 50),
// karmada (B, 71.2), evil-2 (A, 90); unknown (inconclusive) last.
func TestIndicatorsBounded(t *testing.T) {
	for _, tc := range []struct {
		bound    int
		subjects []string // names listed, in order
		note     string   // row 1 (en)
		summary  string
	}{
		{7, []string{"gone", evilMinus},
			"6 of 18 indicator rows listed: the 2 subjects with gates or the lowest grades, worst first. 12 rows of 4 subjects are left out of this workbook; every indicator is in the JSON report and the dashboard (HTML).",
			"6 of 18 rows in the Indicators sheet (subjects with gates or the lowest grades first); all 18 are in the JSON report and the dashboard (HTML)"},
		{9, []string{"gone", evilMinus, evilHyperlink},
			"9 of 18 indicator rows listed: the 3 subjects with gates or the lowest grades, worst first. 9 rows of 3 subjects are left out of this workbook; every indicator is in the JSON report and the dashboard (HTML).",
			"9 of 18 rows in the Indicators sheet (subjects with gates or the lowest grades first); all 18 are in the JSON report and the dashboard (HTML)"},
		{17, []string{"gone", evilMinus, evilHyperlink, "karmada", evilSum},
			"15 of 18 indicator rows listed: the 5 subjects with gates or the lowest grades, worst first. 3 rows of 1 subjects are left out of this workbook; every indicator is in the JSON report and the dashboard (HTML).",
			"15 of 18 rows in the Indicators sheet (subjects with gates or the lowest grades first); all 18 are in the JSON report and the dashboard (HTML)"},
		// A first subject larger than the bound is listed whole.
		{2, []string{"gone"},
			"3 of 18 indicator rows listed: the 1 subjects with gates or the lowest grades, worst first. 15 rows of 5 subjects are left out of this workbook; every indicator is in the JSON report and the dashboard (HTML).",
			"3 of 18 rows in the Indicators sheet (subjects with gates or the lowest grades first); all 18 are in the JSON report and the dashboard (HTML)"},
	} {
		withIndicatorBound(t, tc.bound)
		f, _ := writeOpen(t, testReport(t, "en"))
		all, err := f.GetRows("Indicators")
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2+3*len(tc.subjects) {
			t.Fatalf("bound %d: %d rows, want note + header + %d", tc.bound, len(all), 3*len(tc.subjects))
		}
		if len(all[0]) != 1 || all[0][0] != tc.note {
			t.Errorf("bound %d: note row = %q\nwant %q", tc.bound, all[0], tc.note)
		}
		if all[1][0] != "Subject" || all[1][3] != "Indicator ID" {
			t.Errorf("bound %d: header row = %q", tc.bound, all[1])
		}
		var got []string
		for i, row := range all[2:] {
			if i%3 == 0 {
				got = append(got, row[0])
			}
			if want := []string{"ACT-1", "ACT-2", "SEC-1"}[i%3]; row[3] != want || row[0] != got[len(got)-1] {
				t.Errorf("bound %d: row %d = %q, want %s of %s", tc.bound, i+3, row, want, got[len(got)-1])
			}
		}
		if !slices.Equal(got, tc.subjects) {
			t.Errorf("bound %d: subjects %q, want %q", tc.bound, got, tc.subjects)
		}
		names := definedNames(f)
		if got, want := names["Indicators|_xlnm.Print_Titles"], "'Indicators'!$A:$A,'Indicators'!$2:$2"; got != want {
			t.Errorf("bound %d: print titles = %q, want %q", tc.bound, got, want)
		}
		sum, _ := f.GetRows("Summary")
		if !slices.ContainsFunc(sum, func(r []string) bool {
			return len(r) > 1 && r[0] == "Indicators in this workbook" && r[1] == tc.summary
		}) {
			t.Errorf("bound %d: the Summary does not say %q", tc.bound, tc.summary)
		}
	}
}

func TestIndicatorsBoundedZh(t *testing.T) {
	withIndicatorBound(t, 7)
	f, _ := writeOpen(t, testReport(t, "zh"))
	all, err := f.GetRows("指标明细")
	if err != nil {
		t.Fatal(err)
	}
	want := "本表列出全部 18 行指标明细中的 6 行：触发否决项或等级最低的 2 个对象，最差者在前。其余 4 个对象的 12 行未写入本工作簿；全部指标见 JSON 报告和仪表盘（HTML）。"
	if len(all) != 8 || all[0][0] != want {
		t.Fatalf("%d rows; note = %q, want %q", len(all), all[0], want)
	}
	sum, _ := f.GetRows("概览")
	wantSum := "“指标明细”工作表列出 18 行中的 6 行（触发否决项或等级最低的对象优先）；全部 18 行见 JSON 报告和仪表盘（HTML）"
	if !slices.ContainsFunc(sum, func(r []string) bool {
		return len(r) > 1 && r[0] == "本工作簿中的指标明细" && r[1] == wantSum
	}) {
		t.Errorf("the Summary does not say %q", wantSum)
	}
}

// At the bound exactly, every row is listed in report order, with no note.
func TestIndicatorsAtBound(t *testing.T) {
	withIndicatorBound(t, 18)
	f, _ := writeOpen(t, testReport(t, "en"))
	all, _ := f.GetRows("Indicators")
	if len(all) != 19 || all[0][0] != "Subject" || all[1][0] != "karmada" {
		t.Fatalf("%d rows, first %q / %q: want header + 18 in report order", len(all), all[0], all[1])
	}
	sum, _ := f.GetRows("Summary")
	for _, r := range sum {
		if len(r) > 0 && r[0] == "Indicators in this workbook" {
			t.Errorf("Summary row %q for an unbounded sheet", r)
		}
	}
	// Too wide for one legible page: the first column repeats across too.
	if got, want := definedNames(f)["Indicators|_xlnm.Print_Titles"], "'Indicators'!$A:$A,'Indicators'!$1:$1"; got != want {
		t.Errorf("print titles = %q, want %q", got, want)
	}
}
