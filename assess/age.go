package assess

import (
	"fmt"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
)

// daysPerMonth is the month the collectors count "months since" in
// (365.25 / 12).
const daysPerMonth = 30.4375

// ageEvidence returns facts as they stand at now, the end of the period
// being assessed (facts itself is not changed):
//
//   - an observation with data older than the model's evidence_max_age for
//     its metric or source is missing, with the reason ("collected
//     2025-10-01, older than 45 days …"), so an indicator reading it is
//     inconclusive and a gate reading it is not evaluated, never clear;
//   - a "months since" or "days since" value (metric name
//     <source>.months_since_… or <source>.days_since_…) is aged by the time
//     since it was observed: value + (now − observed_at) in the metric's
//     unit, said in the evidence. Nothing has been seen to happen since it
//     was observed, so the time since then counts as quiet time.
//
// Questionnaire answers are left to expireAnswers (answer_validity_months).
// An observation dated after now (clock skew) is left as it is.
func ageEvidence(m *models.Model, facts Facts, now time.Time) Facts {
	if now.IsZero() {
		return facts
	}
	var out Facts
	set := func(metric string, o models.Observation) {
		if out == nil {
			out = make(Facts, len(facts))
			for k, v := range facts {
				out[k] = v
			}
		}
		out[metric] = o
	}
	for metric, o := range facts {
		age := now.Sub(o.ObservedAt)
		if o.Source == "questionnaire" || o.ObservedAt.IsZero() || age <= 0 || !o.HasData() {
			continue
		}
		if limit, rule := m.MaxAge(o); limit > 0 && age > limit.Duration() {
			set(metric, models.Observation{SubjectID: o.SubjectID, Metric: o.Metric, Unit: o.Unit, Source: o.Source,
				ObservedAt: o.ObservedAt, RunID: o.RunID, Evidence: o.Evidence,
				Reason: fmt.Sprintf("collected %s, older than %d days (evidence_max_age, %s; %s old on %s)",
					o.ObservedAt.UTC().Format(time.DateOnly), int(limit), rule, days(age), now.UTC().Format(time.DateOnly))})
			continue
		}
		unit, perDay := sinceUnit(metric)
		if unit == "" || o.Value == nil {
			continue
		}
		add := age.Hours() / 24 / perDay
		aged := o
		aged.Value = models.Num(*o.Value + add)
		per := ""
		if unit == "months" {
			per = fmt.Sprintf(" ÷ %g", daysPerMonth)
		}
		note := fmt.Sprintf("aged to %s: %g %s observed %s + %s%s = %.2f %s", now.UTC().Format(time.DateOnly),
			round4(*o.Value), unit, o.ObservedAt.UTC().Format(time.DateOnly), days(age), per, *aged.Value, unit)
		if aged.Evidence != "" {
			aged.Evidence += "; " + note
		} else {
			aged.Evidence = note
		}
		set(metric, aged)
	}
	if out == nil {
		return facts
	}
	return out
}

// sinceUnit is the unit of a "months since" or "days since" metric and
// its length in days ("" when the metric is neither).
func sinceUnit(metric string) (string, float64) {
	_, name, _ := strings.Cut(metric, ".")
	switch {
	case strings.HasPrefix(name, "months_since_"):
		return "months", daysPerMonth
	case strings.HasPrefix(name, "days_since_"):
		return "days", 1
	}
	return "", 0
}

// days shows a duration in days: "400 days", "12.5 days".
func days(d time.Duration) string {
	x := d.Hours() / 24
	if x == float64(int64(x)) {
		return fmt.Sprintf("%d days", int64(x))
	}
	return fmt.Sprintf("%.1f days", x)
}

// DateEvidence sets each indicator's and modifier's ObservedAt in res from
// facts (the observations Score was given): the oldest observation among
// the metrics the indicator used. Indicators without data get none.
func DateEvidence(res *models.Result, facts Facts) {
	date := func(irs []models.IndicatorResult) {
		for i := range irs {
			ir := &irs[i]
			if ir.Raw == nil && ir.RawText == "" {
				continue
			}
			var oldest time.Time
			for _, metric := range strings.Split(ir.Metric, ",") {
				o, ok := facts[metric]
				if !ok || o.ObservedAt.IsZero() {
					continue
				}
				if oldest.IsZero() || o.ObservedAt.Before(oldest) {
					oldest = o.ObservedAt
				}
			}
			if !oldest.IsZero() {
				t := oldest.UTC()
				ir.ObservedAt = &t
			}
		}
	}
	date(res.Indicators)
	date(res.Modifiers)
}
