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
// weight (its penalty in full at the low end, none at the high end). A
// modifier not applicable widens nothing.
func unlistedModifiers(r models.Result) float64 {
	var w float64
	for _, md := range r.Modifiers {
		if md.Normalized == nil && md.Status != models.StatusNotApplicable && !slices.ContainsFunc(r.Missing, func(mi models.MissingIndicator) bool { return mi.ID == md.ID }) {
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

// Removing evidence never makes a result look better (issue 22), on the
// built-in models with random data, partial indicators (several metrics
// combined, some missing) and not-applicable indicators:
//
//  1. the score range only widens: its low end (the worst case) never
//     rises and its high end never falls, so the result with more
//     evidence keeps its promise (its score lies in the thinner range);
//  2. the worst grade (the decided grade, or the low end of the grade
//     range) is never better; a staged result's level range only widens;
//  3. not-applicable indicators are never listed as missing;
//  4. setting a missing indicator aside as not applicable narrows the
//     range, never widens it.
//
// The literal "the best case never rises" cannot hold: a measured 0,
// removed, may be anything up to 1; what must not happen is that the
// worst case or the grade rises. Evidence is removed in units: the metrics
// of which the first with data decides (combine: first indicators, gates,
// also conditions, decay rules) go together, since removing the first
// lets the next decide, which is other evidence, not less of it.
func TestEvidenceRemovalNeverImproves(t *testing.T) {
	rnd := rand.New(rand.NewPCG(22, 3))
	for _, id := range models.BuiltinIDs() {
		m, err := models.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		rank := map[string]int{}
		for i, g := range m.Grades {
			rank[g.ID] = i
		}
		units := metricUnits(m)
		profiles := append([]string{""}, m.SortedProfiles()...)
		all := allIndicators(m)
		var checked, partials, nas int
		for trial := 0; trial < 200; trial++ {
			s := models.Subject{ID: "p", Attrs: map[string]string{"use_type": profiles[rnd.IntN(len(profiles))]}}
			f := Facts{}
			keep := 0.3 + 0.7*rnd.Float64()
			for _, in := range all {
				for _, mt := range in.Metrics {
					if rnd.Float64() < keep {
						o := randomObservation(rnd, in)
						o.Metric = mt
						f[mt] = o
					}
				}
			}
			for _, g := range m.Gates {
				for _, mt := range g.MetricList() {
					if _, ok := f[mt]; !ok && g.Equals == "" && rnd.Float64() < keep {
						f[mt] = models.Observation{Metric: mt, Source: "t", Value: models.Num(float64(rnd.IntN(30)))}
					}
				}
			}
			var exc []models.Exception
			for _, in := range all {
				if rnd.IntN(10) == 0 {
					exc = append(exc, models.Exception{Subject: "p", Indicator: in.ID, Who: "w", Why: "y", Expires: "2099-12-31"})
				}
			}
			env := Env{Exceptions: exc}
			r := Score(m, s, f, env)
			// Remove whole units of metrics.
			g := Facts{}
			drop := map[int]bool{}
			for k, o := range f {
				u := units[k]
				if _, seen := drop[u]; !seen {
					drop[u] = rnd.IntN(3) == 0
				}
				if !drop[u] {
					g[k] = o
				}
			}
			r2 := Score(m, s, g, env)
			checkRange(t, id, r2)
			checked++
			for _, ir := range r2.Indicators {
				if ir.NormalizedRange != nil {
					partials++
				}
				if ir.Status == models.StatusNotApplicable {
					nas++
					if slices.ContainsFunc(r2.Missing, func(mi models.MissingIndicator) bool { return mi.ID == ir.ID }) {
						t.Fatalf("%s: %s is not applicable and listed as missing", id, ir.ID)
					}
				}
			}
			if r2.ScoreRange[0] > r.ScoreRange[0] || r2.ScoreRange[1] < r.ScoreRange[1] {
				t.Fatalf("%s: removing evidence moved the range %v → %v", id, r.ScoreRange, r2.ScoreRange)
			}
			if r.Score != nil && (*r.Score < r2.ScoreRange[0] || *r.Score > r2.ScoreRange[1]) {
				t.Fatalf("%s: with more evidence %v, outside the thinner range %v", id, *r.Score, r2.ScoreRange)
			}
			if m.Kind == models.ModelStaged {
				if r2.LevelRange[0] > r.LevelRange[0] || r2.LevelRange[1] < r.LevelRange[1] {
					t.Fatalf("%s: removing evidence moved the level range %v → %v", id, r.LevelRange, r2.LevelRange)
				}
			} else if w, w2 := worstGrade(r), worstGrade(r2); w != "" && w2 != "" && rank[w2] < rank[w] {
				t.Fatalf("%s: removing evidence raised the worst grade %s → %s (%s)", id, w, w2, r2.Explanation)
			}
			// Set one missing indicator aside: the range narrows. (Not a
			// partial one: that would discard what was measured of it.)
			var wholly []models.MissingIndicator
			for _, mi := range r2.Missing {
				i := slices.IndexFunc(r2.Indicators, func(ir models.IndicatorResult) bool { return ir.ID == mi.ID })
				if i >= 0 && r2.Indicators[i].Normalized == nil {
					wholly = append(wholly, mi)
				}
			}
			if len(wholly) > 0 {
				mi := wholly[rnd.IntN(len(wholly))]
				env3 := Env{Exceptions: append(slices.Clone(exc), models.Exception{Subject: "p", Indicator: mi.ID, Who: "w", Why: "y", Expires: "2099-12-31"})}
				r3 := Score(m, s, g, env3)
				checkRange(t, id, r3)
				if r3.ScoreRange[0] < r2.ScoreRange[0]-0.1 || r3.ScoreRange[1] > r2.ScoreRange[1]+0.1 {
					t.Fatalf("%s: %s not applicable widened the range %v → %v", id, mi.ID, r2.ScoreRange, r3.ScoreRange)
				}
			}
		}
		if partials == 0 && id == "project-health" {
			t.Errorf("%s: no partial indicator was exercised", id)
		}
		t.Logf("%s: %d removals checked (%d partial indicators, %d not applicable)", id, checked, partials, nas)
	}
}

// worstGrade is the decided grade, or the worst of the grade range.
func worstGrade(r models.Result) string {
	if r.Grade != "" {
		return r.Grade
	}
	if len(r.GradeRange) == 2 {
		return r.GradeRange[0]
	}
	return ""
}

// metricUnits numbers the metrics so that metrics of which the first with
// data decides share a number (union-find over combine: first
// indicators, gates, also conditions and decay rules).
func metricUnits(m *models.Model) map[string]int {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if p, ok := parent[x]; ok && p != x {
			parent[x] = find(p)
			return parent[x]
		}
		parent[x] = x
		return x
	}
	join := func(ms []string) {
		for _, x := range ms[1:] {
			parent[find(x)] = find(ms[0])
		}
	}
	var groups [][]string
	for _, in := range allIndicators(m) {
		if in.Combine == "" || in.Combine == "first" {
			groups = append(groups, in.Metrics)
		} else {
			for _, mt := range in.Metrics {
				groups = append(groups, []string{mt})
			}
		}
		if in.Decay != nil {
			groups = append(groups, in.Decay.Metrics)
		}
	}
	for _, g := range m.Gates {
		if ms := g.MetricList(); len(ms) > 0 {
			groups = append(groups, ms)
		}
		for _, c := range g.Also {
			groups = append(groups, c.Metrics)
		}
	}
	for _, g := range groups {
		if len(g) > 0 {
			join(g)
		}
	}
	ids := map[string]int{}
	out := map[string]int{}
	for x := range parent {
		root := find(x)
		if _, ok := ids[root]; !ok {
			ids[root] = len(ids)
		}
		out[x] = ids[root]
	}
	return out
}
