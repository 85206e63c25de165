package reports

import (
	"cmp"
	"maps"
	"slices"

	"github.com/osgauge/osgauge/models"
)

// Ungraded describes, in one place, a group of results: how many are
// graded, how many lie between which grades, and which sources' missing
// indicators weigh most over them — what data would grade them. The
// terminal summary and the dashboard say it in one line instead of a row
// per near-identical result.
type Ungraded struct {
	Graded  int
	Between []GradeSpan // by range, worst-best
	// NoRange counts the results with neither a grade nor a range.
	NoRange int
	// Sources are the metric sources whose missing indicators swing the
	// most index points over the group, most first; when no missing
	// indicator names a source, the sources of the gates not evaluated
	// that keep the grades open, the most frequent first.
	Sources []string
}

// GradeSpan is the number of results between two grades.
type GradeSpan struct {
	Worst string `json:"worst"`
	Best  string `json:"best"`
	N     int    `json:"n"`
}

// Group summarises results (see Ungraded). Sources are weighed over the
// results between two grades only; a missing indicator measured by
// several sources counts its swing in equal parts to each.
func Group(results []models.Result) Ungraded {
	var u Ungraded
	between := map[[2]string]int{}
	swing := map[string]float64{}
	for _, r := range results {
		switch {
		case len(r.GradeRange) == 2:
			between[[2]string{r.GradeRange[0], r.GradeRange[1]}]++
		case r.Grade != "":
			u.Graded++
			continue // graded: its missing data would not grade it
		default:
			u.NoRange++
			continue
		}
		for _, m := range r.Missing {
			for _, src := range m.Sources {
				swing[src] += m.Swing / float64(len(m.Sources))
			}
		}
	}
	for _, k := range slices.SortedFunc(maps.Keys(between), func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1]))
	}) {
		u.Between = append(u.Between, GradeSpan{k[0], k[1], between[k]})
	}
	u.Sources = slices.SortedFunc(maps.Keys(swing), func(a, b string) int {
		return cmp.Or(cmp.Compare(swing[b], swing[a]), cmp.Compare(a, b))
	})
	if len(u.Sources) == 0 {
		u.Sources = gateSources(results)
	}
	return u
}

// gateSources are the sources of the gates not evaluated over the results
// between two grades, the most frequent first (ties by name).
func gateSources(results []models.Result) []string {
	n := map[string]int{}
	for i := range results {
		if !Undecided(&results[i]) {
			continue
		}
		for _, g := range GateStates(&results[i]) {
			if g.State != models.GateNotEvaluated {
				continue
			}
			for _, src := range g.Sources {
				n[src]++
			}
		}
	}
	return slices.SortedFunc(maps.Keys(n), func(a, b string) int { return cmp.Or(cmp.Compare(n[b], n[a]), cmp.Compare(a, b)) })
}
