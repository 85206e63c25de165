package html

import (
	"strings"
	"testing"
	"time"
)

// The dashboard shows the day the evidence was observed in front of it.
func TestIndicatorEvidenceDated(t *testing.T) {
	r := sampleReport(t, "en")
	d := time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)
	r.Subjects[0].Results[0].Indicators[0].ObservedAt = &d
	out := renderHTML(t, r)
	if !strings.Contains(out, "2026-03-01 · git log --since=90d: 42 commits") {
		t.Error("the dashboard does not show the evidence's date beside it")
	}
	if strings.Contains(out, "· https://github.com/x/y/graphs") {
		t.Error("undated evidence shown with a date")
	}
}
