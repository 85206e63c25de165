package models

import "time"

// AddMonths adds n calendar months to t, clamping the day to the end of
// the target month (2024-08-31 + 18 months = 2026-02-28), where Go's
// AddDate would roll over into the next month (2026-03-03).
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// AnswerExpiry is when an answer dated at expires under a validity of
// months (the zero time when months ≤ 0: it never expires).
func AnswerExpiry(at time.Time, months int) time.Time {
	if months <= 0 {
		return time.Time{}
	}
	return AddMonths(at, months)
}

// AnswerExpired reports whether an answer dated at has expired at now.
func AnswerExpired(at time.Time, months int, now time.Time) bool {
	return months > 0 && !now.Before(AnswerExpiry(at, months))
}
