package assess

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Period is an assessment period: observations up to End are used.
type Period struct {
	Name  string
	Start time.Time
	End   time.Time // exclusive
}

var (
	quarterRE = regexp.MustCompile(`^(\d{4})Q([1-4])$`)
	monthRE   = regexp.MustCompile(`^(\d{4})-(\d{2})$`)
	rangeRE   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$`)
)

// ParsePeriod reads "2026Q4", "2026-11" or "2026-10-01..2026-12-31".
func ParsePeriod(s string) (Period, error) {
	if m := quarterRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		q, _ := strconv.Atoi(m[2])
		start := time.Date(y, time.Month(3*(q-1)+1), 1, 0, 0, 0, 0, time.UTC)
		return Period{Name: s, Start: start, End: start.AddDate(0, 3, 0)}, nil
	}
	if m := monthRE.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		if mo >= 1 && mo <= 12 {
			start := time.Date(y, time.Month(mo), 1, 0, 0, 0, 0, time.UTC)
			return Period{Name: s, Start: start, End: start.AddDate(0, 1, 0)}, nil
		}
	}
	if m := rangeRE.FindStringSubmatch(s); m != nil {
		a, err1 := time.Parse("2006-01-02", m[1])
		b, err2 := time.Parse("2006-01-02", m[2])
		if err1 == nil && err2 == nil {
			if b.Before(a) {
				return Period{}, fmt.Errorf("period %q: the end date is before the start date", s)
			}
			return Period{Name: s, Start: a, End: b.AddDate(0, 0, 1)}, nil
		}
	}
	return Period{}, fmt.Errorf("period %q: use a quarter (2026Q4), a month (2026-11) or a date range (2026-10-01..2026-12-31)", s)
}

// CurrentQuarter is the quarter containing t.
func CurrentQuarter(t time.Time) Period {
	t = t.UTC()
	p, _ := ParsePeriod(fmt.Sprintf("%dQ%d", t.Year(), (int(t.Month())-1)/3+1))
	return p
}
