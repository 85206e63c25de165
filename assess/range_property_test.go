package assess

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/osgauge/osgauge/models"
)

// Properties of score_range on the built-in models, with random data:
//
//  1. the point score lies within score_range;
//  2. the swings of the missing indicators add up to the width of the
//     range (less when the low end is clamped at 0), within rounding;
//  3. measuring a missing indicator (any value) gives a result whose score
//     lies within the earlier range: the range is a promise about the
//     missing data, not a guess;
//  4. hence a result graded on partial data keeps its grade whatever the
//     missing indicators turn out to be, and a result "between D and B"
//     ends up graded within D..B.
//
// Completions leave alone metrics that a gate reads or that an indicator
// with data also reads (through combine: first, a new metric can change an
// indicator that already had data; that is new data about a known
// indicator, which the range does not promise anything about).
func TestScoreRangeProperties(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 11))
	for _, id := range models.BuiltinIDs() {
		m, err := models.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		rank := map[string]int{}
		for i, g := range m.Grades {
			rank[g.ID] = i
		}
		gateMetrics := map[string]bool{}
		for _, g := range m.Gates {
			for _, mt := range g.MetricList() {
				gateMetrics[mt] = true
			}
		}
		profiles := append([]string{""}, m.SortedProfiles()...)
		all := allIndicators(m)
		var partial, between, completed int
		for trial := 0; trial < 150; trial++ {
			s := models.Subject{ID: "p", Attrs: map[string]string{"use_type": profiles[rnd.IntN(len(profiles))]}}
			f := Facts{}
			keep := 0.15 + 0.8*rnd.Float64() // from thin to nearly complete data
			for _, in := range all {
				if rnd.Float64() < keep {
					f[in.Metrics[0]] = randomObservation(rnd, in)
				}
			}
			r := Score(m, s, f, Env{})
			checkRange(t, id, r)
			if len(r.Missing) == 0 {
				continue
			}
			// Measure some of the missing indicators.
			g := Facts{}
			for k, v := range f {
				g[k] = v
			}
			used := usedMetrics(m, r)
			filled := 0
			for _, mi := range r.Missing {
				in := m.Indicator(mi.ID)
				mt := in.Metrics[0]
				if gateMetrics[mt] || used[mt] || rnd.IntN(2) == 0 {
					continue
				}
				g[mt] = randomObservation(rnd, *in)
				filled++
			}
			if filled == 0 {
				continue
			}
			r2 := Score(m, s, g, Env{})
			completed++
			checkRange(t, id, r2)
			if r2.Score != nil && (*r2.Score < r.ScoreRange[0] || *r2.Score > r.ScoreRange[1]) {
				t.Fatalf("%s: measuring %d missing indicators gave %v, outside the earlier range %v", id, filled, *r2.Score, r.ScoreRange)
			}
			if r2.ScoreRange[0] < r.ScoreRange[0] || r2.ScoreRange[1] > r.ScoreRange[1] {
				t.Fatalf("%s: the range widened with more data: %v → %v", id, r.ScoreRange, r2.ScoreRange)
			}
			if m.Kind == models.ModelStaged {
				continue
			}
			switch {
			case r.Partial:
				partial++
				if r2.Status != models.StatusOK || r2.Grade != r.Grade {
					t.Fatalf("%s: graded %s on partial data, but with more data %s %q (%s)", id, r.Grade, r2.Status, r2.Grade, r2.Explanation)
				}
			case r.Status == models.StatusInconclusive && len(r.GradeRange) == 2:
				between++
				lo, hi := rank[r.GradeRange[0]], rank[r.GradeRange[1]]
				if r2.Grade != "" && (rank[r2.Grade] > lo || rank[r2.Grade] < hi) {
					t.Fatalf("%s: between %v, but with more data graded %s", id, r.GradeRange, r2.Grade)
				}
			}
		}
		t.Logf("%s: %d completions checked (%d graded on partial data, %d between two grades)", id, completed, partial, between)
	}
}

// checkRange checks properties 1 and 2 and that grades agree with the
// status.
func checkRange(t *testing.T, id string, r models.Result) {
	t.Helper()
	if len(r.ScoreRange) != 2 || r.ScoreRange[0] > r.ScoreRange[1] {
		t.Fatalf("%s: score_range %v", id, r.ScoreRange)
	}
	if r.Score != nil && (*r.Score < r.ScoreRange[0] || *r.Score > r.ScoreRange[1]) {
		t.Fatalf("%s: score %v outside its range %v", id, *r.Score, r.ScoreRange)
	}
	var swings float64
	for i, mi := range r.Missing {
		swings += mi.Swing
		if i > 0 && (mi.Swing > r.Missing[i-1].Swing || (mi.Swing == r.Missing[i-1].Swing && mi.ID < r.Missing[i-1].ID)) {
			t.Fatalf("%s: missing not sorted by swing, then id: %+v", id, r.Missing)
		}
	}
	swings += unlistedModifiers(r)
	width := r.ScoreRange[1] - r.ScoreRange[0]
	// Each end is rounded to 0.1: the width is within 0.1 of the exact one;
	// clamping the low end at 0 only narrows it.
	if swings < width-0.11 || (r.ScoreRange[0] > 0 && math.Abs(swings-width) > 0.11) {
		t.Fatalf("%s: swings add up to %.4f, range %v", id, swings, r.ScoreRange)
	}
	if r.Status == models.StatusInconclusive && r.Grade != "" {
		t.Fatalf("%s: inconclusive with grade %q", id, r.Grade)
	}
	if r.Partial && (r.Status != models.StatusOK || r.Grade == "") {
		t.Fatalf("%s: partial without a grade: %+v", id, r)
	}
}

// unlistedModifiers is the weight of the modifiers without data that are
// not listed among the missing indicators: each widens the range by its
// weight (its penalty in full at the low end, none at the high end).
func unlistedModifiers(r models.Result) float64 {
	var w float64
	for _, md := range r.Modifiers {
		if md.Normalized == nil && !slices.ContainsFunc(r.Missing, func(mi models.MissingIndicator) bool { return mi.ID == md.ID }) {
			w += md.Weight
		}
	}
	return w
}

func allIndicators(m *models.Model) []models.Indicator {
	var out []models.Indicator
	for _, d := range m.Dimensions {
		out = append(out, d.Indicators...)
	}
	return append(out, m.Modifiers...)
}

// usedMetrics are the metrics read by indicators (and modifiers) that have
// data.
func usedMetrics(m *models.Model, r models.Result) map[string]bool {
	used := map[string]bool{}
	for _, ir := range append(slices.Clone(r.Indicators), r.Modifiers...) {
		if ir.Normalized == nil {
			continue
		}
		for _, mt := range m.Indicator(ir.ID).Metrics {
			used[mt] = true
		}
	}
	return used
}

// randomObservation is a value the indicator's normalisation accepts.
func randomObservation(rnd *rand.Rand, in models.Indicator) models.Observation {
	o := models.Observation{Metric: in.Metrics[0], Source: "t"}
	n := in.Normalize
	switch {
	case n.Evidence:
		o.Value = models.Num(float64(rnd.IntN(5)))
	case n.Bool:
		o.Value = models.Num(float64(rnd.IntN(2)))
	case len(n.Bands) > 0 && n.Bands[0].Equals != "":
		o.Text = n.Bands[rnd.IntN(len(n.Bands))].Equals
	default:
		o.Value = models.Num(float64(rnd.IntN(120)))
	}
	return o
}
