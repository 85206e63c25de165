package assess

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/osgauge/osgauge/models"
)

// Partial indicators (issue 22): an indicator that combines several
// metrics (combine: mean, min, max or sum) of which some have no data
// keeps its point value from the metrics measured, but it is bounded with
// each missing metric at its worst and at its best, and it counts in
// coverage only for the share of its metrics that was measured.
//
// The worst and best raw values of a missing metric are the ends of the
// indicator's normalisation: the raw value that normalises to 0 and the
// one that normalises to 1 (for bands: to the lowest and the highest band
// score). linear(min, max) ends at min and max, bool at 0 and 1, evidence
// at 0 and 4; log(T) runs from 0 to no end (+∞: a count has no upper
// limit, and any value ≥ T normalises to 1); inv-log(T) the reverse;
// invert swaps the ends. Where the normalisation is affine on its range
// (linear, bool, evidence) and the combination is a mean, this is the
// same as working on normalised values: the bound is the mean of the
// measured metrics' normalised values and of 0 (worst) or 1 (best) for
// each missing one, clamped to [0, 1]; e.g. SEC-2 with CI-Tests 10 and
// Branch-Protection missing lies in [(1+0)/2, (1+1)/2] = [0.5, 1]. For
// log and bands it is done on raw values, which is what the indicator
// normalises: the combination with the missing metrics at a raw end, then
// normalised; an unbounded end stands for its limit (normalised 1 for log).
// A metric is taken to lie within its normalisation's range (Scorecard
// checks 0–10 for linear 0..10); a combination, like the normalisation, is
// monotone in each metric, so the two ends bound every value the missing
// metrics could take within that range.

// normEnd is one end of a normalisation: a raw value (possibly ±∞) and
// what it normalises to.
type normEnd struct{ raw, norm float64 }

// normEnds returns the worst and best ends of n; ok is false when n has
// none that a combination can use (text bands, bands whose scores do not
// rise or fall steadily).
func normEnds(n models.Normalize) (worst, best normEnd, ok bool) {
	inf := math.Inf(1)
	switch {
	case n.Linear != nil:
		worst, best = normEnd{n.Linear.Min, 0}, normEnd{n.Linear.Max, 1}
	case n.Log != nil:
		worst, best = normEnd{0, 0}, normEnd{inf, 1}
	case n.InvLog != nil:
		worst, best = normEnd{inf, 0}, normEnd{0, 1}
	case n.Bool:
		worst, best = normEnd{0, 0}, normEnd{1, 1}
	case n.Evidence:
		worst, best = normEnd{0, 0}, normEnd{4, 1}
	case len(n.Bands) > 0:
		var mins, scores []float64
		for _, b := range n.Bands {
			if b.Min == nil {
				return worst, best, false // text bands: no order
			}
			mins, scores = append(mins, *b.Min), append(scores, b.Score)
		}
		first, last := normEnd{mins[0], scores[0]}, normEnd{inf, scores[len(scores)-1]}
		switch {
		case slices.IsSorted(scores): // rising: the lowest band is the worst
			worst, best = first, last
		case slices.IsSortedFunc(scores, func(a, b float64) int { return -cmpFloat(a, b) }):
			worst, best = last, first
		default:
			return worst, best, false
		}
		// Invert applies to the band score too (1 − score).
		if n.Invert {
			worst.norm, best.norm = 1-worst.norm, 1-best.norm
			worst, best = best, worst
		}
		return worst, best, true
	default:
		return worst, best, false
	}
	if n.Invert { // 1 − n: the raw ends swap roles
		worst, best = normEnd{best.raw, 0}, normEnd{worst.raw, 1}
	}
	return worst, best, true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// partialRange bounds the normalised value of an indicator combining
// measured values vals by how with missing more metrics under n; point is
// its value from the measured metrics alone. It returns [lo, hi], which
// always holds point: a metric outside its normalisation's range could
// otherwise leave the point outside (a sum with a missing term at a
// positive minimum); the range is then widened to it, never narrowed. For
// a sum the ends are those of each missing term: a count adds 0 at worst
// and has no limit at best.
func partialRange(how string, n models.Normalize, vals []float64, missing int, point float64) (lo, hi float64) {
	worst, best, ok := normEnds(n)
	if !ok {
		// No usable ends: the missing metrics could take the indicator
		// anywhere the normalisation reaches.
		return 0, 1
	}
	at := func(e normEnd) float64 {
		all := slices.Clone(vals)
		for range missing {
			all = append(all, e.raw)
		}
		v := combineValues(how, all)
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return e.norm // the unbounded end dominates: its limit
		}
		x, ok, _ := Normalize(n, &v, "")
		if !ok {
			return e.norm
		}
		return x
	}
	a, b := at(worst), at(best)
	lo, hi = math.Min(a, b), math.Max(a, b)
	return math.Min(lo, point), math.Max(hi, point)
}

// combineValues combines numbers as combine does (mean, min, max, sum).
func combineValues(how string, vals []float64) float64 {
	switch how {
	case "min":
		return slices.Min(vals)
	case "max":
		return slices.Max(vals)
	}
	var v float64
	for _, x := range vals {
		v += x
	}
	if how == "mean" {
		v /= float64(len(vals))
	}
	return v
}

// indicatorBounds is an indicator's normalised value at the worst and the
// best, and the share of it that counts in coverage: a missing indicator
// lies in [0, 1] and counts nothing; a partial one lies in its
// NormalizedRange and counts its measured share; any other with data is
// what it is and counts whole. An exception's value replaces the measured
// one whole.
func indicatorBounds(ir models.IndicatorResult) (lo, hi, cov float64) {
	switch {
	case ir.Normalized == nil:
		return 0, 1, 0
	case len(ir.NormalizedRange) == 2 && ir.Measured != nil && ir.Exception == "":
		return ir.NormalizedRange[0], ir.NormalizedRange[1], *ir.Measured
	}
	return *ir.Normalized, *ir.Normalized, 1
}

// missingOf lists the metrics of in that the indicator's result did not
// use (ir.Metric: the metrics used, comma-separated).
func missingOf(in models.Indicator, ir models.IndicatorResult) []string {
	var out []string
	for _, m := range in.Metrics {
		if !slices.Contains(splitMetrics(ir.Metric), m) {
			out = append(out, m)
		}
	}
	return out
}

func splitMetrics(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

// decayUnknown reports whether an indicator with a decay rule cannot tell
// whether it has decayed: none of the decay's metrics has a value.
// Without them the indicator keeps its measured value as its point, but
// it could be 0 (removing the activity data must not raise it).
func decayUnknown(d *models.Decay, facts Facts) bool {
	if d == nil {
		return false
	}
	for _, metric := range d.Metrics {
		if o, ok := facts[metric]; ok && o.Value != nil {
			return false
		}
	}
	return true
}

// widenForDecay bounds an indicator whose decay cannot be told between 0
// (decayed) and its best.
func widenForDecay(ir *models.IndicatorResult, d *models.Decay, note *string) {
	hi := *ir.Normalized
	if len(ir.NormalizedRange) == 2 {
		hi = ir.NormalizedRange[1]
	}
	if ir.Measured == nil {
		ir.Measured = models.Num(1) // its own metrics are all measured
	}
	ir.NormalizedRange = []float64{0, hi}
	*note += fmt.Sprintf("; at worst 0: no data on %s to tell whether the project has been inactive %g months", strings.Join(d.Metrics, ", "), d.AfterMonths)
}
