package vulns

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Severities in report order.
var Severities = []string{"critical", "high", "medium", "low", "unknown"}

// IsRisk says whether a finding counts as a risk: open (in triage,
// affected, an expired mitigation or a fix not verified). not_affected and
// false_positive findings are listed with their justification, never
// counted as risks; a mitigation in force and a fix awaiting its re-test
// are not open either.
func IsRisk(f Finding) bool { return f.Open }

// Summarise sums findings up: the open ones by severity, overdue, the
// analysed ones, and for the period [periodStart, periodEnd) the findings
// verified, reopened, and the median days to triage (first analysis in
// the period), to fix and to verify (re-test in the period). A zero bound
// is open.
func Summarise(fs []Finding, periodStart, periodEnd time.Time) Totals {
	t := Totals{OpenBySeverity: map[string]int{}}
	for _, s := range Severities {
		t.OpenBySeverity[s] = 0
	}
	in := func(x time.Time) bool {
		return (periodStart.IsZero() || !x.Before(periodStart)) && (periodEnd.IsZero() || x.Before(periodEnd))
	}
	var triage, fix, verify []float64
	for _, f := range fs {
		if f.Open {
			t.Open++
			sev := f.Severity
			if _, ok := t.OpenBySeverity[sev]; !ok {
				sev = "unknown"
			}
			t.OpenBySeverity[sev]++
		}
		if f.Overdue {
			t.Overdue++
			if f.KEV {
				t.OverdueKEV++
			}
		}
		switch f.State {
		case NotAffected:
			t.NotAffected++
		case FalsePositive:
			t.FalsePositive++
		case Mitigated:
			t.Mitigated++
		}
		if f.FixNotVerified {
			t.FixNotVerified++
		}
		if f.Reopened && in(f.Since) {
			t.Reopened++
		}
		if f.DaysToTriage != nil && in(f.Since.Add(time.Duration(*f.DaysToTriage*float64(24*time.Hour)))) {
			triage = append(triage, *f.DaysToTriage)
		}
		if f.VerifiedAt != nil && in(*f.VerifiedAt) {
			t.VerifiedThisPeriod++
			if f.DaysToFix != nil {
				fix = append(fix, *f.DaysToFix)
			}
			if f.DaysToVerify != nil {
				verify = append(verify, *f.DaysToVerify)
			}
		}
	}
	t.MedianDaysToTriage, t.MedianDaysToFix, t.MedianDaysToVerify = Median(triage), Median(fix), Median(verify)
	return t
}

// Median is the median of xs (the mean of the middle two for an even
// count), nil for none.
func Median(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := slices.Clone(xs)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

// Quarter is the calendar quarter of t, UTC: "2026-Q4".
func Quarter(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("%d-Q%d", t.Year(), (int(t.Month())-1)/3+1)
}

// Period is one system's handling in one quarter (System "" is every
// system): findings opened, first analysed and verified in the quarter,
// and the median days to triage, fix and verify of those.
type Period struct {
	System             string   `json:"system"`
	Quarter            string   `json:"quarter"`
	Opened             int      `json:"opened"`
	Triaged            int      `json:"triaged"`
	Verified           int      `json:"verified"`
	MedianDaysToTriage *float64 `json:"median_days_to_triage"`
	MedianDaysToFix    *float64 `json:"median_days_to_fix"`
	MedianDaysToVerify *float64 `json:"median_days_to_verify"`
}

// ByQuarter is the time to triage, fix and verify per system and per
// quarter (each finding counted in the quarter the step happened), then
// for every system together (System ""), ordered by system and quarter.
func ByQuarter(fs []Finding) []Period {
	type acc struct {
		p                   Period
		triage, fix, verify []float64
	}
	m := map[[2]string]*acc{}
	get := func(sys, q string) *acc {
		k := [2]string{sys, q}
		if m[k] == nil {
			m[k] = &acc{p: Period{System: sys, Quarter: q}}
		}
		return m[k]
	}
	for _, f := range fs {
		for _, sys := range []string{f.System, ""} {
			get(sys, Quarter(f.Since)).p.Opened++
			if f.DaysToTriage != nil {
				a := get(sys, Quarter(f.Since.Add(time.Duration(*f.DaysToTriage*float64(24*time.Hour)))))
				a.p.Triaged++
				a.triage = append(a.triage, *f.DaysToTriage)
			}
			if f.VerifiedAt != nil {
				a := get(sys, Quarter(*f.VerifiedAt))
				a.p.Verified++
				if f.DaysToFix != nil {
					a.fix = append(a.fix, *f.DaysToFix)
				}
				if f.DaysToVerify != nil {
					a.verify = append(a.verify, *f.DaysToVerify)
				}
			}
		}
	}
	var out []Period
	for _, a := range m {
		a.p.MedianDaysToTriage, a.p.MedianDaysToFix, a.p.MedianDaysToVerify = Median(a.triage), Median(a.fix), Median(a.verify)
		out = append(out, a.p)
	}
	sort.Slice(out, func(i, j int) bool {
		if (out[i].System == "") != (out[j].System == "") {
			return out[j].System == ""
		}
		if out[i].System != out[j].System {
			return out[i].System < out[j].System
		}
		return out[i].Quarter < out[j].Quarter
	})
	return out
}
