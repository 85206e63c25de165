package assess

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
)

// Facts are the latest observations of one subject, by metric.
type Facts map[string]models.Observation

// Env is what scoring needs besides one subject's facts.
type Env struct {
	Now time.Time
	// Portfolio holds every subject's values per metric, for thresholds
	// calibrated on the portfolio ({threshold: p90}).
	Portfolio Portfolio
	// Exceptions may list every subject's; Score picks this subject's.
	Exceptions []models.Exception
}

// Score assesses subject s with model m from its facts. It is a pure
// function: the same facts, model and env always give the same result.
func Score(m *models.Model, s models.Subject, facts Facts, env Env) models.Result {
	now := env.Now
	profile := s.Attrs["use_type"]
	if _, ok := m.Profiles[profile]; !ok {
		profile = ""
	}
	res := models.Result{
		SubjectID:    s.ID,
		Model:        m.ID,
		ModelVersion: m.Version,
		ModelHash:    m.Hash,
		Profile:      profile,
		AssessedAt:   now.UTC(),
		Gates:        []models.GateHit{},
	}
	staged := m.Kind == models.ModelStaged
	na, env := notApplicable(m, s, env, &res) // N/A exceptions take their own path (notapplicable.go)
	exceptions := exceptionsFor(m, s, env, &res)
	facts = expireAnswers(m, facts, now)
	facts = ageEvidence(m, facts, now)

	type dimAcc struct {
		weight      float64 // dimension weight under the profile
		sumWN, sumW float64 // over indicators with data
		totalW      float64 // over all indicators but the not applicable
		// Bounds and coverage: Σ w·worst, Σ w·best and Σ w·measured share
		// (indicatorBounds), not-applicable indicators left out.
		lowWN, highWN, covW float64
		first, last         int // indicator index range in res.Indicators
	}
	accs := make([]dimAcc, len(m.Dimensions))
	for di, d := range m.Dimensions {
		acc := dimAcc{weight: m.DimensionWeight(d, profile), first: len(res.Indicators)}
		for _, in := range d.Indicators {
			ir := evalIndicator(in, d.ID, facts, staged, env.Portfolio)
			ir = applyIndicatorException(ir, exceptions, &res)
			if x, ok := na[in.ID]; ok {
				setNotApplicable(&ir, x)
			}
			if ir.Status == models.StatusNotApplicable {
				res.Indicators = append(res.Indicators, ir)
				continue
			}
			ir.NotApplicable = nil // answered N/A, but an exception gave it a value
			acc.totalW += ir.Weight
			lo, hi, cov := indicatorBounds(ir)
			acc.lowWN += ir.Weight * lo
			acc.highWN += ir.Weight * hi
			acc.covW += ir.Weight * cov
			if ir.Normalized != nil {
				acc.sumW += ir.Weight
				acc.sumWN += ir.Weight * *ir.Normalized
			}
			res.Indicators = append(res.Indicators, ir)
		}
		acc.last = len(res.Indicators)
		accs[di] = acc
	}

	// Dimension scores and the weighted index over dimensions with data.
	var idxW, idxWS, covW, covSum float64
	for di, d := range m.Dimensions {
		acc := accs[di]
		dr := models.DimensionResult{ID: d.ID, Weight: acc.weight}
		if acc.totalW > 0 {
			dr.Coverage = acc.covW / acc.totalW // a partial indicator counts its measured share
		}
		if acc.sumW > 0 {
			dr.Score = models.Num(round(100 * acc.sumWN / acc.sumW))
			idxW += acc.weight
			idxWS += acc.weight * acc.sumWN / acc.sumW
		}
		if acc.totalW > 0 { // a domain all not applicable is left out of coverage
			covW += acc.weight
			covSum += acc.weight * dr.Coverage
		}
		res.Dimensions = append(res.Dimensions, dr)
	}
	if covW > 0 {
		res.Coverage = round4(covSum / covW)
	}
	var score *float64
	if idxW > 0 {
		score = models.Num(100 * idxWS / idxW)
		// Contribution: the index points each indicator adds, so that the
		// contributions of a result add up to its score.
		for di := range m.Dimensions {
			acc := accs[di]
			if acc.sumW == 0 {
				continue
			}
			for i := acc.first; i < acc.last; i++ {
				ir := &res.Indicators[i]
				if ir.Normalized != nil {
					c := 100 * (acc.weight / idxW) * ir.Weight * *ir.Normalized / acc.sumW
					ir.Contribution = models.Num(round4(c))
				}
			}
		}
	}

	// Modifiers subtract penalty points (SEI continuity and jurisdiction).
	for _, in := range m.Modifiers {
		ir := evalIndicator(in, "modifier", facts, false, env.Portfolio)
		ir = applyIndicatorException(ir, exceptions, &res) // a penalty an exception sets is applied
		if x, ok := na[in.ID]; ok {
			setNotApplicable(&ir, x) // no penalty, at either end
		}
		if ir.Normalized != nil && score != nil {
			pen := ir.Weight * *ir.Normalized
			ir.Contribution = models.Num(round4(-pen))
			*score = math.Max(0, *score-pen)
		}
		res.Modifiers = append(res.Modifiers, ir)
	}
	if score != nil {
		res.Score = models.Num(round(*score))
	}

	// Bounds: every missing indicator at 0 and at 1, over all indicators
	// and dimensions at their full weights. Within a dimension the point
	// score S/P (S the weighted sum, P the weight with data, T the total)
	// lies between S/T and (S+T−P)/T, since S ≤ P; the index is a weighted
	// mean of such dimensions, so it lies within the bounds too. A partial
	// indicator enters each end at its NormalizedRange's end, which holds
	// its point value, so this still holds. Not-applicable indicators are
	// in none of S, P, T.
	var allW, lowSum, highSum float64
	var bounds []float64 // [low, high] unrounded
	for di, d := range m.Dimensions {
		acc := accs[di]
		if acc.totalW == 0 {
			continue // a dimension without indicators
		}
		allW += acc.weight
		lowSum += acc.weight * acc.lowWN / acc.totalW
		highSum += acc.weight * acc.highWN / acc.totalW
		for i := acc.first; i < acc.last; i++ {
			ir := res.Indicators[i]
			lo, hi, _ := indicatorBounds(ir)
			if ir.Status == models.StatusNotApplicable || hi == lo {
				continue
			}
			in := d.Indicators[i-acc.first]
			metrics := in.Metrics
			if ir.Normalized != nil { // partial: the metrics still missing
				metrics = missingOf(in, ir)
				if len(metrics) == 0 && in.Decay != nil {
					metrics = in.Decay.Metrics // whether it has decayed
				}
			}
			res.Missing = append(res.Missing, models.MissingIndicator{ID: ir.ID, Dimension: d.ID, Metrics: metrics,
				Swing: acc.weight * ir.Weight * (hi - lo) / acc.totalW, Sources: metricSources(metrics)})
		}
	}
	if allW > 0 {
		low, high := 100*lowSum/allW, 100*highSum/allW
		for i, mr := range res.Modifiers {
			switch {
			case mr.Normalized != nil:
				pen := mr.Weight * *mr.Normalized
				low, high = low-pen, high-pen
			case mr.Status == models.StatusNotApplicable:
			default:
				low -= m.Modifiers[i].Weight // a missing penalty: all of it at worst, none at best
			}
		}
		// Grades are taken from these unrounded ends (gradeFromBounds): a
		// worst case of 64.96 is below 65 though it shows as 65.0.
		bounds = []float64{math.Max(0, low), math.Max(0, high)}
		res.ScoreRange = []float64{round(bounds[0]), round(bounds[1])}
		for i := range res.Missing {
			res.Missing[i].Swing = round4(100 * res.Missing[i].Swing / allW)
		}
		for i, mr := range res.Modifiers { // a missing penalty swings by its whole weight
			if mr.Normalized == nil && mr.Status != models.StatusNotApplicable {
				in := m.Modifiers[i]
				res.Missing = append(res.Missing, models.MissingIndicator{ID: in.ID, Dimension: "modifier", Metrics: in.Metrics,
					Swing: round4(in.Weight), Sources: metricSources(in.Metrics)})
			}
		}
		sort.SliceStable(res.Missing, func(i, j int) bool {
			if res.Missing[i].Swing != res.Missing[j].Swing {
				return res.Missing[i].Swing > res.Missing[j].Swing
			}
			return res.Missing[i].ID < res.Missing[j].ID
		})
	}

	res.GateStates = evalGates(m, facts)
	waiveGates(m, facts, exceptions, &res) // exceptions.go: a waiver covers what it accepted
	for i := range res.GateStates {
		switch g := res.GateStates[i]; {
		case g.State == models.GateFired:
			res.Gates = append(res.Gates, models.GateHit{ID: g.ID, Reason: g.Reason, Cap: g.Cap, Waived: g.Waived})
		case g.State == models.GateNotEvaluated && g.Waived == "":
			res.GatesUnknown = append(res.GatesUnknown, g.ID)
		}
	}
	res.Status = models.StatusOK
	if res.Score == nil || res.Coverage < m.MinCoverage {
		res.Status = models.StatusInconclusive
	}

	if staged {
		limits := stage(m, &res)
		low, high := res.LevelRange[0], res.LevelRange[1]
		res.Explanation = fmt.Sprintf("level %d (minimum over core domains); continuous score over domains with evidence; coverage %.0f%%", low, 100*res.Coverage)
		if low != high {
			res.Explanation = fmt.Sprintf("level between %d and %d (minimum over core domains): the evidence proves level %d; "+
				"the unanswered practices, answered at the top evidence value, could give level %d%s; continuous score over domains with evidence; coverage %.0f%%",
				low, high, low, high, limits, 100*res.Coverage)
		}
		if res.Status == models.StatusInconclusive {
			// Below the coverage minimum the level is still the one the
			// evidence proves (unanswered practices are unknown, not failed);
			// when the unanswered practices cannot change it, it is certain.
			below := fmt.Sprintf("coverage %.1f%% is below the model's minimum %.0f%%", 100*res.Coverage, 100*m.MinCoverage)
			if low == high && res.Score != nil {
				res.Status = models.StatusOK
				res.Explanation = fmt.Sprintf("level %d on partial data (%s): the unanswered practices cannot change it", low, below)
			} else {
				res.Explanation = below + "; " + res.Explanation
			}
		}
		return res
	}
	gradeFromBounds(m, &res, bounds, score)
	return res
}

// gradeFromBounds grades a result from its worst and best cases, whatever
// its coverage. The worst case is the score with every missing indicator
// at 0, capped by the fired gates and by every gate not evaluated as if it
// fired; the best case is the score with every missing indicator at 1,
// capped by the fired gates and, for every gate not evaluated, by its
// unevaluated cap (missing data never passes a gate). When the two agree
// (or a fired gate decides), that is the grade; otherwise the result is
// "between" them, with the point score's grade as an estimate at or above
// the coverage minimum; below it, the range alone with the point score
// (issue 22: one indicator at 5 % coverage is no estimate). bounds and
// score are unrounded: grades are taken from them, res.ScoreRange and
// res.Score (rounded to 0.1) are for display.
func gradeFromBounds(m *models.Model, res *models.Result, bounds []float64, score *float64) {
	covText := fmt.Sprintf("coverage %.0f%% ≥ minimum %.0f%%", 100*res.Coverage, 100*m.MinCoverage)
	below := res.Coverage < m.MinCoverage
	if below {
		covText = fmt.Sprintf("coverage %.1f%% is below the model's minimum %.0f%%", 100*res.Coverage, 100*m.MinCoverage)
	}
	if len(bounds) != 2 {
		res.Explanation = covText + ": no grade is given"
		return
	}
	rawLow, rawHigh := grade(m, bounds[0]), grade(m, bounds[1])
	worstHits := slices.Clone(res.Gates)
	high := capped(m, rawHigh, res.Gates)
	var unevaluated []string
	for _, gs := range res.GateStates {
		if gs.State != models.GateNotEvaluated || gs.Waived != "" {
			continue
		}
		worstHits = append(worstHits, models.GateHit{ID: gs.ID, Cap: gs.Cap})
		high = worse(m, high, gs.BestCap)
		unevaluated = append(unevaluated, fmt.Sprintf("%s (%s)", gs.ID, strings.Join(gs.Sources, ", ")))
	}
	low := capped(m, rawLow, worstHits)
	rangeText := fmt.Sprintf("score between %.1f and %.1f with the missing indicators at their worst and best", res.ScoreRange[0], res.ScoreRange[1])
	var notes []string
	for _, ae := range res.Exceptions {
		if ae.Active {
			notes = append(notes, fmt.Sprintf("exception on %s (%s)", ae.Target(), ae.Effect))
		}
	}
	if low == high {
		res.Status = models.StatusOK
		res.Grade = low
		res.Partial = below
		res.Explanation = fmt.Sprintf("weighted mean of %d dimensions with data; %s; the missing indicators and gates cannot change the grade (%s)",
			countScored(res.Dimensions), covText, rangeText)
		if below {
			res.Explanation = fmt.Sprintf("graded on partial data (%s): the missing indicators cannot change the grade (%s)", covText, rangeText)
		}
		if rawLow != rawHigh || rawHigh != low {
			var by []string
			for _, g := range res.Gates { // the gates that decided: those capping at the grade given
				if g.Waived == "" && g.Cap == low {
					by = append(by, g.ID)
				}
			}
			if len(by) > 0 {
				res.Explanation += "; capped at " + low + " by " + strings.Join(by, ", ")
			}
		}
		if len(notes) > 0 {
			res.Explanation += "; " + strings.Join(notes, "; ")
		}
		return
	}
	res.GradeRange = []string{low, high}
	res.Explanation = fmt.Sprintf("%s: between %s and %s (%s)", covText, low, high, rangeText)
	switch {
	case score != nil && below:
		res.Explanation += fmt.Sprintf("; point score %.1f from the indicators with data (no estimate below the coverage minimum)", *res.Score)
	case score != nil:
		// The estimate: the point score's grade under the fired gates,
		// within the range.
		est := worse(m, capped(m, grade(m, *score), res.Gates), high)
		if worse(m, est, low) != low { // below the worst case
			est = low
		}
		res.GradeEstimate = est
		res.Explanation += fmt.Sprintf("; estimate %s from the score %.1f (the indicators with data)", est, *res.Score)
	}
	if len(unevaluated) > 0 {
		res.Explanation += "; gates not evaluated (fired at worst, capping the best case): " + strings.Join(unevaluated, ", ")
	}
	if len(notes) > 0 {
		res.Explanation += "; " + strings.Join(notes, "; ")
	}
}

// capped is g after every gate that is not waived.
func capped(m *models.Model, g string, hits []models.GateHit) string {
	for _, h := range hits {
		if h.Waived == "" {
			g = worse(m, g, h.Cap)
		}
	}
	return g
}

// metricSources are the distinct sources ("github", "scorecard") of metrics.
func metricSources(metrics []string) []string {
	var out []string
	for _, mt := range metrics {
		src, _, _ := strings.Cut(mt, ".")
		if !slices.Contains(out, src) {
			out = append(out, src)
		}
	}
	return out
}

func countScored(ds []models.DimensionResult) int {
	n := 0
	for _, d := range ds {
		if d.Score != nil {
			n++
		}
	}
	return n
}

// evalIndicator combines the indicator's metrics and normalises the value.
func evalIndicator(in models.Indicator, dim string, facts Facts, staged bool, pf Portfolio) models.IndicatorResult {
	w := in.Weight
	if w == 0 && staged {
		w = float64(in.Level)
	}
	ir := models.IndicatorResult{ID: in.ID, Dimension: dim, Weight: w, Level: in.Level, Status: models.StatusInconclusive}
	var used []models.Observation
	var missing []string
	var naObs []models.Observation // answered not applicable
	for _, metric := range in.Metrics {
		o, ok := facts[metric]
		if ok && o.IsNotApplicable() {
			naObs = append(naObs, o)
			continue
		}
		if ok && o.HasData() {
			used = append(used, o)
			if in.Combine == "" || in.Combine == "first" {
				break
			}
		} else if ok && o.Reason != "" {
			missing = append(missing, metric+": "+o.Reason)
		} else {
			missing = append(missing, metric+": no observation")
		}
	}
	if len(used) == 0 {
		ir.Metric = strings.Join(in.Metrics, ",")
		ir.Explanation = "inconclusive: " + strings.Join(missing, "; ")
		if na, ok := answeredNotApplicable(naObs); ok {
			setNotApplicable(&ir, na)
		}
		return ir
	}
	var metrics, sources, evidence []string
	for _, o := range used {
		metrics = append(metrics, o.Metric)
		if !slices.Contains(sources, o.Source) {
			sources = append(sources, o.Source)
		}
		if o.Evidence != "" {
			evidence = append(evidence, o.Evidence)
		}
	}
	ir.Metric = strings.Join(metrics, ",")
	ir.Source = strings.Join(sources, ",")
	ir.Evidence = strings.Join(evidence, "; ")

	raw, text, err := combine(in.Combine, used)
	if err != "" {
		ir.Explanation = "inconclusive: " + err
		return ir
	}
	ir.Raw, ir.RawText = raw, text
	norm, err := pf.resolve(in.Normalize, in.Metrics)
	if err != "" {
		ir.Explanation = "inconclusive: " + err
		return ir
	}
	n, ok, reason := Normalize(norm, raw, text)
	if !ok {
		ir.Explanation = "inconclusive: " + reason
		return ir
	}
	ir.Normalized = models.Num(n) // unrounded: reports round for display
	ir.Status = models.StatusOK
	ir.Explanation = fmt.Sprintf("%s → %s → %.2f", rawString(raw, text), Describe(norm), n)
	partial := ""
	if of := len(in.Metrics) - len(naObs); in.Combine != "" && in.Combine != "first" && len(used) < of {
		// Some of the metrics combined are missing: bounded with them at
		// their worst and best (partial.go), counted in coverage for the
		// share measured.
		var vals []float64
		for _, o := range used {
			vals = append(vals, *o.Value)
		}
		lo, hi := partialRange(in.Combine, norm, vals, of-len(used), n)
		ir.Measured = models.Num(float64(len(used)) / float64(of))
		ir.NormalizedRange = []float64{lo, hi}
		partial = fmt.Sprintf("; with the %d missing (%s) at their worst and best: %.2f–%.2f", of-len(used), strings.Join(missing, "; "), lo, hi)
	}
	if why := decayed(in.Decay, facts); why != "" {
		ir.Normalized = models.Num(0)
		ir.Explanation += "; set to 0: " + why
		if ir.NormalizedRange != nil {
			ir.NormalizedRange, partial = []float64{0, 0}, "" // 0 whatever the missing metrics say
		}
	} else if decayUnknown(in.Decay, facts) {
		widenForDecay(&ir, in.Decay, &partial)
	}
	ir.Explanation += partial
	if d := calibrated(in.Normalize); d != "" {
		ir.Explanation += " (threshold " + d + " of the portfolio)"
	}
	if in.Combine != "" && in.Combine != "first" {
		ir.Explanation = fmt.Sprintf("%s of %d/%d metrics; ", in.Combine, len(used), len(in.Metrics)) + ir.Explanation
	}
	return ir
}

// decayed says why an indicator with a decay rule is worth nothing now
// ("" when it is not): the project has been inactive at least AfterMonths.
func decayed(d *models.Decay, facts Facts) string {
	if d == nil {
		return ""
	}
	for _, metric := range d.Metrics {
		o, ok := facts[metric]
		if !ok || o.Value == nil {
			continue
		}
		if *o.Value >= d.AfterMonths {
			return fmt.Sprintf("the project has been inactive %s = %.1f ≥ %g months", metric, *o.Value, d.AfterMonths)
		}
		return ""
	}
	return ""
}

func rawString(raw *float64, text string) string {
	if text != "" {
		return fmt.Sprintf("%q", text)
	}
	return fmt.Sprintf("%g", round4(*raw))
}

func combine(how string, obs []models.Observation) (*float64, string, string) {
	if how == "" || how == "first" {
		return obs[0].Value, obs[0].Text, ""
	}
	var vals []float64
	for _, o := range obs {
		if o.Value == nil {
			return nil, "", fmt.Sprintf("%s needs numbers, %s is %q", how, o.Metric, o.Text)
		}
		vals = append(vals, *o.Value)
	}
	var v float64
	switch how {
	case "mean", "sum":
		for _, x := range vals {
			v += x
		}
		if how == "mean" {
			v /= float64(len(vals))
		}
	case "min":
		v = slices.Min(vals)
	case "max":
		v = slices.Max(vals)
	}
	return models.Num(v), "", ""
}

// Three-valued truth of a gate condition.
type truth int

const (
	unknown truth = iota
	holds
	fails
)

// evalGates gives every gate of the model its state: fired, clear, or not
// evaluated when the data to decide it is missing. A gate's main condition
// is decided by the first of its metrics with usable data ("first") or,
// with "any", holds when any metric with data meets it and fails only
// when every metric has data and none does. Its "also" conditions must all
// hold too: the gate fires when every condition holds, is clear when one
// fails, and is not evaluated otherwise.
func evalGates(m *models.Model, facts Facts) []models.GateState {
	states := make([]models.GateState, 0, len(m.Gates))
	for _, g := range m.Gates {
		st := models.GateState{ID: g.ID, Cap: g.Cap, BestCap: unevaluatedCap(m, g)}
		main, reason, missing := mainCondition(g, facts)
		overall := main
		reasons := []string{reason}
		for _, c := range g.Also {
			t, r, miss := alsoCondition(c, facts)
			missing = append(missing, miss...)
			reasons = append(reasons, r)
			switch {
			case t == fails:
				overall = fails
			case t == unknown && overall == holds:
				overall = unknown
			}
		}
		switch overall {
		case holds:
			st.State = models.GateFired
			st.Reason = strings.Join(reasons, "; and ")
		case fails:
			st.State = models.GateClear
			st.Reason = strings.Join(slices.DeleteFunc(reasons, func(r string) bool { return r == "" }), "; ")
		default:
			st.State = models.GateNotEvaluated
			st.Reason = "no data: " + strings.Join(missing, "; ")
			st.Sources = metricSources(missingMetrics(missing))
		}
		states = append(states, st)
	}
	return states
}

// unevaluatedCap is the best grade while gate g is not evaluated: its
// unevaluated_cap, else the grade below the top, so the top grade stays
// out of reach until the gate can be evaluated. It is never worse than the
// gate's own cap: not knowing cannot be worse than the gate firing (the
// worst case), or the range would turn upside down.
func unevaluatedCap(m *models.Model, g models.Gate) string {
	best := g.UnevaluatedCap
	if best == "" && len(m.Grades) > 1 {
		best = m.Grades[1].ID
	}
	if best == "" || g.Cap == "" {
		return best
	}
	if worse(m, best, g.Cap) == best && best != g.Cap {
		return g.Cap // best is worse than the cap: the cap it is
	}
	return best
}

// mainCondition decides a gate's own condition. missing lists
// "metric: why" for the metrics without usable data that could decide it.
func mainCondition(g models.Gate, facts Facts) (truth, string, []string) {
	all := g.MetricList()
	var missing []string
	var clear []string
	for _, metric := range all {
		o, ok := facts[metric]
		if !ok || !usable(g.Equals, o) {
			missing = append(missing, metric+": "+whyMissing(o, ok))
			continue
		}
		fired, shown := conditionHolds(g.Op, g.Value, g.Equals, o)
		if fired {
			reason := fmt.Sprintf("%s = %s", metric, shown)
			if o.Evidence != "" {
				reason += ": " + o.Evidence
			}
			return holds, reason, nil
		}
		clear = append(clear, fmt.Sprintf("%s = %s", metric, shown))
		if g.Combine != "any" {
			return fails, clear[0], nil // the first metric with data decides
		}
	}
	if len(clear) > 0 && len(missing) == 0 {
		return fails, strings.Join(clear, ", "), nil
	}
	return unknown, "", missing
}

// alsoCondition decides one "also" condition: the first of its metrics
// with usable data.
func alsoCondition(c models.GateCondition, facts Facts) (truth, string, []string) {
	var missing []string
	for _, metric := range c.Metrics {
		o, ok := facts[metric]
		if !ok || !usable(c.Equals, o) {
			missing = append(missing, metric+": "+whyMissing(o, ok))
			continue
		}
		fired, shown := conditionHolds(c.Op, c.Value, c.Equals, o)
		reason := fmt.Sprintf("%s = %s", metric, shown)
		if fired {
			if o.Evidence != "" {
				reason += ": " + o.Evidence
			}
			return holds, reason, nil
		}
		return fails, reason, nil
	}
	return unknown, "", missing
}

func whyMissing(o models.Observation, ok bool) string {
	switch {
	case !ok:
		return "no observation"
	case o.Reason != "":
		return o.Reason
	}
	return "no usable value"
}

// missingMetrics are the metric names of "metric: why" entries.
func missingMetrics(missing []string) []string {
	out := make([]string, 0, len(missing))
	for _, m := range missing {
		name, _, _ := strings.Cut(m, ":")
		out = append(out, name)
	}
	return out
}

// usable reports whether an observation can decide the gate: a value for
// a numeric condition, a text for an equals condition.
func usable(equals string, o models.Observation) bool {
	if equals != "" {
		return o.Text != ""
	}
	return o.Value != nil
}

// conditionHolds reports whether one observation meets a condition, and
// the value as shown in the reason.
func conditionHolds(op string, value float64, equals string, o models.Observation) (bool, string) {
	if prefix, ok := strings.CutSuffix(equals, "*"); ok && equals != "" {
		// "source-available:*": any text starting with the prefix.
		return len(o.Text) >= len(prefix) && strings.EqualFold(o.Text[:len(prefix)], prefix), o.Text
	}
	if equals != "" {
		return strings.EqualFold(o.Text, equals), o.Text
	}
	if o.Value == nil {
		return false, o.Text
	}
	v := *o.Value
	shown := fmt.Sprintf("%g", round4(v))
	switch op {
	case "eq":
		return v == value, shown
	case "ne":
		return v != value, shown
	case "lt":
		return v < value, shown
	case "le":
		return v <= value, shown
	case "gt":
		return v > value, shown
	case "ge":
		return v >= value, shown
	}
	return false, shown
}

// grade returns the best grade whose minimum the score reaches.
func grade(m *models.Model, score float64) string {
	for _, g := range m.Grades {
		if score >= g.Min {
			return g.ID
		}
	}
	return m.Grades[len(m.Grades)-1].ID
}

// worse returns the worse of two grades (grades are listed best first).
func worse(m *models.Model, a, b string) string {
	ia := slices.IndexFunc(m.Grades, func(g models.Grade) bool { return g.ID == a })
	ib := slices.IndexFunc(m.Grades, func(g models.Grade) bool { return g.ID == b })
	if ib > ia {
		return b
	}
	return a
}

// stage applies the staged maturity rule: a domain is at level N only if
// every practice at levels ≤ N has evidence ≥ the pass level. Level 1 (ad
// hoc) is the floor and needs nothing. A practice without evidence is
// unknown, not failed: it keeps the domain's proven level (low) from
// rising past it, but not its reachable level (high), the level the domain
// would reach were every unanswered practice answered at the top evidence
// value (4, which passes any pass level). An answered practice below the
// pass level stops both. The institution's range is the minimum of the
// core domains' lows and of their highs; Level is the low end. stage
// returns a note naming the domains that bound the range.
func stage(m *models.Model, res *models.Result) string {
	pass := m.PassEvidence / 4
	minLow, minHigh := len(m.Levels), len(m.Levels)
	var lowBy, highBy []string // the domains at the institution's low and high
	anyCore := false
	byID := map[string]models.IndicatorResult{}
	for _, ir := range res.Indicators {
		byID[ir.ID] = ir
	}
	passed := func(ir models.IndicatorResult) bool {
		// A practice not applicable does not block the level (notapplicable.go).
		return notApplicablePassed(ir) || ir.Normalized != nil && *ir.Normalized >= pass-1e-9
	}
	type gapSort struct {
		g         models.Gap
		level     int
		domWeight float64
	}
	type domRange struct {
		id        string
		low, high int
		core      bool
	}
	var doms []domRange
	var gaps []gapSort
	for di, d := range m.Dimensions {
		top := 0
		for _, in := range d.Indicators {
			top = max(top, in.Level)
		}
		// low: the highest n whose practices at ≤ n all pass; high: the
		// highest n whose practices at ≤ n all pass or are unanswered.
		low, high := 1, 1
		lowOK, highOK := true, true
		for n := 2; n <= top && highOK; n++ {
			for _, in := range d.Indicators {
				if in.Level > n {
					continue
				}
				ir := byID[in.ID]
				if !passed(ir) {
					lowOK = false
					if ir.Normalized != nil {
						highOK = false
					}
				}
			}
			if lowOK {
				low = n
			}
			if highOK {
				high = n
			}
		}
		res.Dimensions[di].Level = low
		// A domain whose practices are all not applicable is left out of
		// the institution's level, like a domain that is not core.
		applicable := slices.ContainsFunc(d.Indicators, func(in models.Indicator) bool { return !notApplicablePassed(byID[in.ID]) })
		doms = append(doms, domRange{d.ID, low, high, d.Core && applicable})
		d.Core = d.Core && applicable
		if d.Core {
			anyCore = true
			minLow, minHigh = min(minLow, low), min(minHigh, high)
		}
		// The gap to the next level: every practice at ≤ low+1 not passed
		// (below low+1 only level-1 practices can be left, which level 2
		// needs too).
		for _, in := range d.Indicators {
			if in.Level > low+1 {
				continue
			}
			ir := byID[in.ID]
			if passed(ir) {
				continue
			}
			var ev *float64
			if ir.Raw != nil {
				ev = models.Num(*ir.Raw)
			}
			gaps = append(gaps, gapSort{models.Gap{Domain: d.ID, Practice: in.ID, Level: in.Level, Evidence: ev, Clause: in.Clause, Weight: ir.Weight}, low, d.Weight})
		}
	}
	if !anyCore {
		for _, dr := range doms {
			minLow, minHigh = min(minLow, dr.low), min(minHigh, dr.high)
		}
	}
	for _, dr := range doms {
		if anyCore && !dr.core {
			continue
		}
		if dr.low == minLow {
			lowBy = append(lowBy, fmt.Sprintf("%s %d–%d", dr.id, dr.low, dr.high))
		}
		if dr.high == minHigh && dr.low != minLow {
			highBy = append(highBy, fmt.Sprintf("%s %d–%d", dr.id, dr.low, dr.high))
		}
	}
	res.Level = minLow
	res.LevelRange = []int{minLow, minHigh}
	// Improvement order: lowest domain first, then the heavier domain, then
	// the heavier practice, then id.
	sort.SliceStable(gaps, func(i, j int) bool {
		a, b := gaps[i], gaps[j]
		if a.level != b.level {
			return a.level < b.level
		}
		if a.domWeight != b.domWeight {
			return a.domWeight > b.domWeight
		}
		if a.g.Weight != b.g.Weight {
			return a.g.Weight > b.g.Weight
		}
		return a.g.Practice < b.g.Practice
	})
	for _, g := range gaps {
		res.Gaps = append(res.Gaps, g.g)
	}
	note := " (domain ranges: " + strings.Join(lowBy, ", ")
	if len(highBy) > 0 {
		note += "; capping the best case: " + strings.Join(highBy, ", ")
	}
	return note + ")"
}

// expireAnswers returns facts without the questionnaire answers older than
// the model's answer validity (by the respondent's date, the observation
// time): an expired affirmation is no evidence. facts is not changed.
func expireAnswers(m *models.Model, facts Facts, now time.Time) Facts {
	if m.AnswerValidityMonths <= 0 {
		return facts
	}
	var out Facts
	for metric, o := range facts {
		if o.Source != "questionnaire" || !o.HasData() || !models.AnswerExpired(o.ObservedAt, m.AnswerValidityMonths, now) {
			continue
		}
		if out == nil {
			out = make(Facts, len(facts))
			for k, v := range facts {
				out[k] = v
			}
		}
		out[metric] = models.Observation{SubjectID: o.SubjectID, Metric: metric, Source: o.Source, ObservedAt: o.ObservedAt, RunID: o.RunID,
			Evidence: o.Evidence,
			Reason: fmt.Sprintf("answer dated %s expired on %s (answers are valid for %d months)",
				o.ObservedAt.Format(time.DateOnly), models.AnswerExpiry(o.ObservedAt, m.AnswerValidityMonths).Format(time.DateOnly), m.AnswerValidityMonths)}
	}
	if out == nil {
		return facts
	}
	return out
}

func round(x float64) float64  { return math.Round(x*10) / 10 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }
