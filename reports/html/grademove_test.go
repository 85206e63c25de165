package html

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// TestTrendSplitAndTierMoves: the trend table counts decided grades,
// between grades and inconclusive results apart, and the portfolio
// changes say a tier decided from a result between grades as such, not
// as a tier change.
func TestTrendSplitAndTierMoves(t *testing.T) {
	r := historyReport(t, "en")
	for i := range r.Subjects {
		s := &r.Subjects[i]
		var prevGrade string
		switch s.Name {
		case "Acme OSS Services": // 2026Q3 between tiers, range not stored; now Tier 1
		case "Beta Support</script>": // 2026Q3 Tier 1, now Tier 3: a tier change
			prevGrade = "T1"
		default:
			continue
		}
		s.History = append(s.History,
			reports.HistoryPoint{Period: "2026Q4", Model: "supplier", ModelVersion: "1.0.0", Score: s.Results[0].Score, Grade: s.Results[0].Grade, Status: models.StatusOK, Comparable: true},
			reports.HistoryPoint{Period: "2026Q3", Model: "supplier", ModelVersion: "1.0.0", Score: f(60), Grade: prevGrade, Status: models.StatusOK, Comparable: true})
		s.Changes = []assess.Change{{Model: "supplier", PrevPeriod: "2026Q3", PrevScore: f(60), PrevGrade: prevGrade, Comparable: true}}
	}
	doc, _ := parse(t, renderHTML(t, r))
	var rows []string
	for _, tr := range elements(byID(doc, "portfolio-changes"), "tr")[1:] {
		rows = append(rows, text(tr))
	}
	want := []string{
		"Supplier tier estimate or decision changed" + "Supplier" + "Acme OSS Services" + "between grades (range not stored) → decided Tier 1",
		"Supplier tier changed" + "Supplier" + "Beta Support</script>" + "Tier 1 → Tier 3",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("portfolio changes:\n%s\nwant\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	// historyReport's grade counts (oldest first), thin-data's earlier
	// inconclusive point without a stored range flagged as unsplit.
	var got []string
	for _, tr := range elements(byID(doc, "trend-table"), "tr")[1:] {
		var cells []string
		for _, td := range elements(tr, "td")[:9] {
			cells = append(cells, text(td))
		}
		got = append(got, strings.Join(cells, " "))
	}
	wantRows := []string{
		"2026Q2 3 50.0 0 0 1 1 0 1", // period, n, mean, A B C D, between, inconclusive
		"2026Q3 3 50.0 0 1 1 1 0 0",
		"2026Q4 3 50.0 0 1 0 1 0 1",
	}
	if len(got) != 3 {
		t.Fatalf("trend rows = %q, want 3", got)
	}
	if v := text(elements(elements(byID(doc, "trend-table"), "tr")[1], "td")[9]); !strings.Contains(v, "1 of the inconclusive may lie between grades") {
		t.Errorf("2026Q2 versions cell = %q, want the unsplit note", v)
	}
	for i := range wantRows {
		if i >= len(got) || !strings.HasPrefix(got[i], wantRows[i]) {
			t.Errorf("trend rows = %q, want %q", got, wantRows)
			break
		}
	}
}
