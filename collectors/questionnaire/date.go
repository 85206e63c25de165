package questionnaire

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
)

// DefaultValidityMonths is the validity check advises when the model sets
// no answer_validity_months: ISO/IEC 5230 and 18974 conformance
// affirmations are valid for 18 months. Only check warns by it; the
// assessment expires answers by the model's own answer_validity_months.
const DefaultValidityMonths = 18

// dateRE is a calendar date, year first: 2026-11-20, 2026/11/20,
// 2026.11.20, 2026-1-5 or 2026年11月20日.
var dateRE = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)

// parseDate reads a respondent's date: a calendar date, year first (taken
// as midnight UTC), or an RFC 3339 time. Anything else, day-first dates
// included (is 03/04/2026 March or April?), is an error.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if m := dateRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if mo < 1 || mo > 12 || d < 1 || t.Day() != d {
			return time.Time{}, fmt.Errorf("%q is not a calendar date", s)
		}
		return t, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, e.g. 2026-11-20", s)
}

// DateRequired reports whether the answers must carry the respondent's
// date: the model expires answers (answer_validity_months > 0), so an
// undated file would be renewed by every collection. A file that answers
// nothing needs no date.
func (a *Answers) DateRequired() bool {
	return a.Model != nil && a.Model.AnswerValidityMonths > 0 && len(a.Items) > 0
}

// whyDated says why the respondent's date is required.
func whyDated(m *models.Model) string {
	return fmt.Sprintf("answers expire %d months after the respondent's date (answer_validity_months of model %s), so undated answers cannot be used",
		m.AnswerValidityMonths, m.ID)
}

// AnsweredAt says as of when the answers hold, for a collection (or a
// check) at now: the respondent's date, but never later than now (a date
// of today, written where the day has already begun, stays findable).
// Undated answers are an error when the model expires answers
// (DateRequired; Parse and ParseWorkbook refuse them already); otherwise
// they are taken as of now, with a note saying so. A date later than now's
// day is an error naming the file and the key or cell.
func (a *Answers) AnsweredAt(now time.Time) (at time.Time, note string, err error) {
	if a.Date.IsZero() {
		if a.DateRequired() {
			return time.Time{}, "", fmt.Errorf("%s: the respondent's date is required: %s", a.File, whyDated(a.Model))
		}
		return now, "answer not dated: taken as of " + now.Format(time.DateOnly), nil
	}
	future := a.Date.After(now)
	if a.Date.Hour() == 0 && a.Date.Minute() == 0 && a.Date.Second() == 0 && a.Date.Nanosecond() == 0 {
		// A calendar date: later than the collection day, not merely than
		// its hour.
		future = a.Date.Format(time.DateOnly) > now.Format(time.DateOnly)
	}
	if future {
		msg := fmt.Sprintf("the answer date %s is later than the date of collection, %s: is the date right?", a.Date.Format(time.DateOnly), now.Format(time.DateOnly))
		if a.DateSheet != "" || a.DateCell != "" {
			return time.Time{}, "", &WorkbookError{File: a.File, Problems: []Problem{{Sheet: a.DateSheet, Cell: a.DateCell, Msg: msg}}}
		}
		return time.Time{}, "", fmt.Errorf("%s: line %d: respondent.date: %s", a.File, a.DateLine, msg)
	}
	if a.Date.After(now) {
		return now, "", nil
	}
	return a.Date, "", nil
}

// ValidityMonths is how long answers to the model stay evidence: the
// model's answer_validity_months, else DefaultValidityMonths (check's
// advice; the assessment then never expires them).
func (a *Answers) ValidityMonths() int {
	if a.Model != nil && a.Model.AnswerValidityMonths > 0 {
		return a.Model.AnswerValidityMonths
	}
	return DefaultValidityMonths
}

// Expiry is when answers dated at expire after ValidityMonths, by
// calendar months clamped to the end of the month as the engine counts
// them (models.AnswerExpiry: 2024-08-31 + 18 months = 2026-02-28).
func (a *Answers) Expiry(at time.Time) time.Time {
	return models.AnswerExpiry(at, a.ValidityMonths())
}

// Expired reports whether answers dated at have expired at now
// (models.AnswerExpired, over ValidityMonths): from their Expiry on.
func (a *Answers) Expired(at, now time.Time) bool {
	return models.AnswerExpired(at, a.ValidityMonths(), now)
}
