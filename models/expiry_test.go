package models

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestAddMonthsClampsTheDay(t *testing.T) {
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-08-31", 18, "2026-02-28"}, // February 2026 has 28 days
		{"2023-08-31", 18, "2025-02-28"},
		{"2022-08-31", 18, "2024-02-29"}, // leap year
		{"2025-05-28", 18, "2026-11-28"},
		{"2025-03-01", 18, "2026-09-01"},
		{"2025-12-31", 2, "2026-02-28"},
		{"2025-01-31", 1, "2025-02-28"},
	} {
		if got := AddMonths(day(c.from), c.n).Format(time.DateOnly); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}

func TestAnswerExpired(t *testing.T) {
	// 2024-08-31 + 18 months = 2026-02-28: expired on that day, not before.
	if AnswerExpired(day("2024-08-31"), 18, day("2026-02-27")) || !AnswerExpired(day("2024-08-31"), 18, day("2026-02-28")) {
		t.Error("2024-08-31 must expire on 2026-02-28, not before")
	}
	// 2025-03-01 + 18 months = 2026-09-01: still valid on 2026-08-31.
	if AnswerExpired(day("2025-03-01"), 18, day("2026-08-31")) {
		t.Error("2025-03-01 must still be valid on 2026-08-31")
	}
	if AnswerExpired(day("2000-01-01"), 0, day("2026-01-01")) {
		t.Error("no validity: never expires")
	}
}
