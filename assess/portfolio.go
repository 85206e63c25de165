package assess

import (
	"fmt"
	"math"
	"sort"

	"github.com/osgauge/osgauge/models"
)

// Portfolio holds, per metric, the sorted numeric values observed across
// all subjects, so that a threshold can be a percentile of the
// institution's own portfolio ({threshold: p90}).
type Portfolio map[string][]float64

// NewPortfolio gathers the numeric values of every subject's facts.
func NewPortfolio(all map[string]map[string]models.Observation) Portfolio {
	p := Portfolio{}
	for _, facts := range all {
		for metric, o := range facts {
			if o.Value != nil {
				p[metric] = append(p[metric], *o.Value)
			}
		}
	}
	for _, v := range p {
		sort.Float64s(v)
	}
	return p
}

// Percentile returns the nearest-rank percentile pct of the values of the
// given metrics across the portfolio.
func (p Portfolio) Percentile(metrics []string, pct float64) (float64, bool) {
	var vals []float64
	for _, m := range metrics {
		vals = append(vals, p[m]...)
	}
	if len(vals) == 0 {
		return 0, false
	}
	sort.Float64s(vals)
	rank := int(math.Ceil(pct / 100 * float64(len(vals))))
	rank = max(1, min(rank, len(vals)))
	return vals[rank-1], true
}

// resolve turns percentile thresholds into numbers for this portfolio.
func (p Portfolio) resolve(n models.Normalize, metrics []string) (models.Normalize, string) {
	for _, t := range []**models.Threshold{&n.Log, &n.InvLog} {
		if *t == nil || (*t).Percentile == 0 {
			continue
		}
		v, ok := p.Percentile(metrics, (*t).Percentile)
		if !ok || v <= 0 {
			return n, fmt.Sprintf("threshold p%g needs portfolio data above 0", (*t).Percentile)
		}
		*t = &models.Threshold{Threshold: v}
	}
	return n, ""
}

// calibrated describes a percentile threshold, "" for a fixed one.
func calibrated(n models.Normalize) string {
	for _, t := range []*models.Threshold{n.Log, n.InvLog} {
		if t != nil && t.Percentile > 0 {
			return t.String()
		}
	}
	return ""
}
