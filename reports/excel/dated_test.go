package excel

import (
	"testing"
	"time"
)

// The Indicators sheet shows the day the evidence was observed in front
// of it; an indicator without a date shows its evidence alone.
func TestIndicatorEvidenceDated(t *testing.T) {
	r := testReport(t, "en")
	d := time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)
	r.Subjects[0].Results[0].Indicators[0].ObservedAt = &d
	f, _ := writeOpen(t, r)
	all, err := f.GetRows("Indicators")
	if err != nil {
		t.Fatal(err)
	}
	if got := all[1][11]; got != "2026-03-01 · git log --since 90d" {
		t.Errorf("dated evidence = %q", got)
	}
	if got := all[2][11]; got != `=cmd|' /C calc'!A0` {
		t.Errorf("undated evidence = %q", got)
	}
}
