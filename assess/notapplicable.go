package assess

import (
	"fmt"
	"strings"

	"github.com/osgauge/osgauge/models"
)

// "Not applicable" (issue 22): an indicator (or a staged model's practice)
// can be set aside, with who and why, by
//   - an exception naming the indicator without normalized (config
//     exceptions:, models.Exception), while it is active; or
//   - an answer "N/A" or "不适用" with a reason in a self-assessment
//     (an observation whose text is models.NotApplicableText, its Reason
//     the why, its Evidence where and by whom).
// A not-applicable indicator is left out of the point score, of both ends
// of the range and of coverage, is not listed as missing, and does not
// block a staged level; its result has status not-applicable and says who
// and why in not_applicable.

// notApplicable takes this subject's not-applicable exceptions (an
// indicator and no normalized) out of env, so that they take this path
// and no other, and returns them by indicator id, with env without them.
// Each is recorded on the result like any exception, active or expired;
// an expired one sets nothing aside.
func notApplicable(m *models.Model, s models.Subject, env Env, res *models.Result) (map[string]models.NotApplicable, Env) {
	na := map[string]models.NotApplicable{}
	rest := make([]models.Exception, 0, len(env.Exceptions))
	for _, e := range env.Exceptions {
		if e.Indicator == "" || e.Gate != "" || e.Normalized != nil {
			rest = append(rest, e)
			continue
		}
		if (e.Subject != s.ID && e.Subject != s.Name) || (e.Model != "" && e.Model != m.ID) || m.Indicator(e.Indicator) == nil {
			continue // another subject's or model's
		}
		// Judged at env.Now, the end of the period assessed.
		why := e.InactiveWhy(env.Now)
		ae := models.AppliedException{Exception: e, Active: why == ""}
		if ae.Active {
			ae.Effect = "indicator " + e.Indicator + " not applicable: left out of the score, the range and coverage"
			na[e.Indicator] = models.NotApplicable{Who: e.Who, Why: e.Why, Source: "exception", Until: e.Expires}
		} else {
			ae.Effect = why
		}
		res.Exceptions = append(res.Exceptions, ae)
	}
	env.Exceptions = rest
	return na, env
}

// setNotApplicable marks ir not applicable, as na says.
func setNotApplicable(ir *models.IndicatorResult, na models.NotApplicable) {
	measured := ir.Explanation
	*ir = models.IndicatorResult{ID: ir.ID, Dimension: ir.Dimension, Weight: ir.Weight, Level: ir.Level, Metric: ir.Metric,
		Source: ir.Source, Evidence: ir.Evidence, Raw: ir.Raw, RawText: ir.RawText, Exception: ir.Exception,
		Status: models.StatusNotApplicable, NotApplicable: &na}
	ir.Explanation = naText(na) + "; left out of the score, the range and coverage"
	if na.Source == "exception" && measured != "" && !strings.HasPrefix(measured, "not applicable") {
		ir.Explanation += "; measured: " + measured
	}
}

func naText(na models.NotApplicable) string {
	s := "not applicable"
	switch {
	case na.Source == "exception":
		s += fmt.Sprintf(" (exception accepted by %s until %s: %s)", na.Who, na.Until, na.Why)
	default:
		s += fmt.Sprintf(" (answered %s: %s)", na.Who, na.Why)
	}
	return s
}

// answeredNotApplicable is the not-applicable answer among obs (the
// observations of an indicator's metrics without other data), if every
// one of them with data says not applicable.
func answeredNotApplicable(obs []models.Observation) (models.NotApplicable, bool) {
	var na models.NotApplicable
	found := false
	for _, o := range obs {
		if !o.IsNotApplicable() {
			return na, false
		}
		if !found {
			na = models.NotApplicable{Who: answeredBy(o.Evidence), Why: o.Reason, Source: o.Source, Evidence: o.Evidence}
			found = true
		}
	}
	return na, found
}

// answeredBy is who answered, from a questionnaire's evidence
// "self.yaml line 12 (answered 2026-10-20 by Wang Fang, Head of OSPO)":
// the parenthesis; the whole evidence when it has none.
func answeredBy(evidence string) string {
	i := strings.Index(evidence, " (")
	j := strings.LastIndex(evidence, ")")
	if i < 0 || j < i {
		return evidence
	}
	who := strings.TrimPrefix(evidence[i+2:j], "answered ")
	return who
}

// notApplicablePassed: a staged practice set aside does not block its
// domain's level (it is neither passed nor failed: it is not asked).
func notApplicablePassed(ir models.IndicatorResult) bool {
	return ir.Status == models.StatusNotApplicable
}
