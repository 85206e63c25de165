// Package assess scores subjects: it normalises observations, aggregates
// them by the model's weights, applies gates and assigns grades or staged
// maturity levels. It reads only observations and models; it never calls
// the network, and the same input always gives the same result.
package assess

import (
	"fmt"
	"math"
	"strings"

	"github.com/osgauge/osgauge/models"
)

// logScale is the criticality-score transform ln(1+x)/ln(1+max(x,T)).
func logScale(x, t float64) float64 {
	if x <= 0 {
		return 0
	}
	return math.Log1p(x) / math.Log1p(math.Max(x, t))
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// Normalize maps a raw value (number, or text for text bands) into [0,1]
// under n. ok is false when the value cannot be normalised by n (for
// instance a text value with no matching band); the reason says why.
func Normalize(n models.Normalize, raw *float64, text string) (v float64, ok bool, reason string) {
	switch {
	case len(n.Bands) > 0:
		v, ok, reason = bands(n.Bands, raw, text)
	case raw == nil:
		return 0, false, "no numeric value"
	case n.Log != nil:
		v, ok = logScale(*raw, n.Log.Threshold), true
	case n.InvLog != nil:
		v, ok = 1-logScale(*raw, n.InvLog.Threshold), true
	case n.Linear != nil:
		v, ok = clamp01((*raw-n.Linear.Min)/(n.Linear.Max-n.Linear.Min)), true
	case n.Bool:
		v, ok = 0, true
		if *raw != 0 {
			v = 1
		}
	case n.Evidence:
		if *raw < 0 || *raw > 4 || *raw != math.Trunc(*raw) {
			return 0, false, fmt.Sprintf("evidence level must be an integer 0-4, got %v", *raw)
		}
		v, ok = *raw/4, true
	default:
		return 0, false, "no normalisation"
	}
	if !ok {
		return 0, false, reason
	}
	if n.Invert {
		v = 1 - v
	}
	return v, true, ""
}

func bands(bs []models.Band, raw *float64, text string) (float64, bool, string) {
	if raw == nil || text != "" {
		for _, b := range bs {
			if b.Equals != "" && strings.EqualFold(b.Equals, text) {
				return b.Score, true, ""
			}
		}
		if raw == nil {
			return 0, false, fmt.Sprintf("no band matches %q", text)
		}
	}
	found := false
	var score float64
	for _, b := range bs {
		if b.Min != nil && *raw >= *b.Min {
			score, found = b.Score, true
		}
	}
	if !found {
		return 0, false, fmt.Sprintf("value %v is below the lowest band", *raw)
	}
	return score, true, ""
}

// Describe explains a normalisation in words, for reports.
func Describe(n models.Normalize) string {
	var s string
	switch {
	case n.Log != nil:
		s = fmt.Sprintf("log(T=%g): ln(1+x)/ln(1+max(x,%g))", n.Log.Threshold, n.Log.Threshold)
	case n.InvLog != nil:
		s = fmt.Sprintf("inv-log(T=%g): 1-ln(1+x)/ln(1+max(x,%g))", n.InvLog.Threshold, n.InvLog.Threshold)
	case n.Linear != nil:
		s = fmt.Sprintf("linear(%g..%g)", n.Linear.Min, n.Linear.Max)
	case len(n.Bands) > 0:
		var parts []string
		for _, b := range n.Bands {
			if b.Min != nil {
				parts = append(parts, fmt.Sprintf("≥%g→%g", *b.Min, b.Score))
			} else {
				parts = append(parts, fmt.Sprintf("%s→%g", b.Equals, b.Score))
			}
		}
		s = "bands " + strings.Join(parts, ", ")
	case n.Bool:
		s = "bool"
	case n.Evidence:
		s = "evidence level/4"
	}
	if n.Invert {
		s += ", inverted (smaller is better)"
	}
	return s
}
