package main

import (
	"strings"
	"testing"
	"time"
)

// --as-of DAY is the end of that day in UTC; an RFC 3339 instant is taken
// as it is; a date after now, or one in another shape, is refused.
func TestParseAsOf(t *testing.T) {
	now := time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2025-09-30":                time.Date(2025, 9, 30, 23, 59, 59, 0, time.UTC),
		"2026-12-06":                time.Date(2026, 12, 6, 23, 59, 59, 0, time.UTC),
		"2025-09-30T12:00:00+02:00": time.Date(2025, 9, 30, 10, 0, 0, 0, time.UTC),
	} {
		got, err := parseAsOf(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseAsOf(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"2026-12-07": "is in the future", // its end, 23:59:59, is after 05:00
		"2027-01-01": "is in the future",
		"30.09.2025": "use a day (2025-09-30, its end) or an RFC 3339 instant",
		"2025Q3":     "use a day",
	} {
		if _, err := parseAsOf(in, now); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("parseAsOf(%q) err = %v, want %q", in, err, msg)
		}
	}
}

// On 2026-12-07 (2026Q4) the last four complete quarters are 2025Q4 to
// 2026Q3, oldest first; 2026Q3 ends (exclusive) on 2026-10-01, so it is
// collected as of 2026-09-30 23:59:59.
func TestBackfillQuarters(t *testing.T) {
	ps := backfillQuarters(4, time.Date(2026, 12, 7, 5, 0, 0, 0, time.UTC))
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, " "); got != "2025Q4 2026Q1 2026Q2 2026Q3" {
		t.Errorf("quarters = %s", got)
	}
	if end := ps[3].End.Add(-time.Second); !end.Equal(time.Date(2026, 9, 30, 23, 59, 59, 0, time.UTC)) {
		t.Errorf("2026Q3 as of %s", end)
	}
	// In January the previous quarter is last year's fourth.
	if p := backfillQuarters(1, time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)); p[0].Name != "2026Q4" {
		t.Errorf("January's last quarter = %s", p[0].Name)
	}
}
