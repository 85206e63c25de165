package questionnaire

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// DefaultValidityMonths is how long an answer stays evidence when the model
// sets no answer_validity_months: ISO/IEC 5230 and 18974 conformance
// affirmations are valid for 18 months. check warns past it.
const DefaultValidityMonths = 18

// Where the answer date came from.
const (
	DatedByRespondent = "respondent" // the respondent's date (YAML respondent.date, the form's date cell)
	DatedBySave       = "saved"      // no respondent date: the date the workbook was last saved
)

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

// AnsweredAt says as of when the answers hold, for a collection (or a
// check) at now: the answer date, but never later than now (a date of
// today, written where the day has already begun, stays findable);
// now when the file is undated, with a note saying so. A date later than
// now's day is an error naming the file and the key or cell.
func (a *Answers) AnsweredAt(now time.Time) (at time.Time, note string, err error) {
	if a.Date.IsZero() {
		return now, "answer not dated: taken as of " + now.Format(time.DateOnly), nil
	}
	if a.DatedBy == DatedBySave && a.Date.After(now) {
		return now, "", nil // a machine's clock, not the respondent's word
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

// Expired reports whether answers dated at are older than months before
// now, as the engine expires them (at < now − months); months ≤ 0 means
// DefaultValidityMonths.
func Expired(at, now time.Time, months int) bool {
	if months <= 0 {
		months = DefaultValidityMonths
	}
	return at.Before(now.AddDate(0, -months, 0))
}

// ValidityMonths is how long answers to m stay evidence: the model's
// answer_validity_months, else DefaultValidityMonths.
func (a *Answers) ValidityMonths() int {
	if a.Model != nil && a.Model.AnswerValidityMonths > 0 {
		return a.Model.AnswerValidityMonths
	}
	return DefaultValidityMonths
}
