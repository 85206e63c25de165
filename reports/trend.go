package reports

import (
	"slices"

	"github.com/osgauge/osgauge/models"
)

// PeriodAggregate is the portfolio of one model in one period: how many
// results, how many of them decided per grade, between grades or
// inconclusive, their mean score, and the model versions used.
type PeriodAggregate struct {
	Period string
	N      int
	// Grades counts the decided grades only.
	Grades map[string]int
	// Between counts the results between two grades (undecided), whatever
	// their status.
	Between int
	// Inconclusive counts the results with neither a grade nor a range.
	Inconclusive int
	// Unsplit is how many of Inconclusive come from stored summaries that
	// cannot tell an inconclusive result from one between grades below the
	// coverage minimum (earlier periods, whose ranges were not read).
	Unsplit int
	// Scored and Sum are the count and sum of the scores in the mean.
	Scored   int
	Sum      float64
	Versions []string
	// NotComparable is set when a result of this period was made with
	// another model version than the current one.
	NotComparable bool
}

// Mean is the mean score of the results with a score and status ok.
//
// Which results enter the mean: every result with a score whose status is
// ok — decided grades, and results between grades whose coverage meets the
// model's minimum (their point score rests on as much data as a decided
// result's). Leaving the latter out would bias the mean towards the
// results whose data happens to decide their grade. Results below the
// coverage minimum (inconclusive, whether or not between grades) are left
// out: their score rests on too little data. A decided result graded on
// partial data (below the minimum, its grade certain) has status ok and
// is in.
func (a PeriodAggregate) Mean() (float64, bool) {
	if a.Scored == 0 {
		return 0, false
	}
	return a.Sum / float64(a.Scored), true
}

// PortfolioTrend aggregates the subjects' results of model (an index
// model: one with grades) per period, oldest period first, and returns
// the grade ids seen (the model's own first, in its order). Each result
// counts once: as its decided grade, as between grades, or as
// inconclusive (see GradeOfPoint for earlier periods, whose stored
// summaries carry no range); this period's results are classified from
// the results themselves. The mean is over the results with a score and
// status ok (see Mean).
func (r *Report) PortfolioTrend(model string, subjects []SubjectReport) ([]PeriodAggregate, []string) {
	periods := r.Periods
	if len(periods) == 0 {
		periods = []string{r.Period}
	}
	chrono := slices.Clone(periods)
	slices.Reverse(chrono)
	var gradeIDs []string
	if def := r.Defs[model]; def != nil {
		for _, g := range def.Grades {
			gradeIDs = append(gradeIDs, g.ID)
		}
	}
	cur := ""
	for _, m := range r.Models {
		if m.ID == model {
			cur = m.Version
		}
	}
	aggs := make([]PeriodAggregate, len(chrono))
	at := map[string]*PeriodAggregate{}
	for i, p := range chrono {
		aggs[i] = PeriodAggregate{Period: p, Grades: map[string]int{}}
		at[p] = &aggs[i]
	}
	for _, s := range subjects {
		for _, h := range r.SubjectTrend(s, model) {
			a := at[h.Period]
			if a == nil {
				continue
			}
			a.N++
			if !slices.Contains(a.Versions, h.ModelVersion) {
				a.Versions = append(a.Versions, h.ModelVersion)
			}
			if h.Score != nil && h.Status == models.StatusOK {
				a.Sum += *h.Score
				a.Scored++
			}
			switch g := GradeOfPoint(h); g.Kind {
			case GradeDecided:
				a.Grades[g.Grade]++
				if !slices.Contains(gradeIDs, g.Grade) {
					gradeIDs = append(gradeIDs, g.Grade)
				}
			case GradeBetween:
				a.Between++
			case GradeUnknown:
				a.Inconclusive++
				a.Unsplit++
			default:
				a.Inconclusive++
			}
		}
	}
	for i := range aggs {
		v := aggs[i].Versions
		aggs[i].NotComparable = cur != "" && len(v) > 0 && (len(v) > 1 || v[0] != cur)
	}
	return aggs, gradeIDs
}

// SubjectTrend is s's history for model, newest first, its point of this
// period completed from the result itself (grade range and estimate).
func (r *Report) SubjectTrend(s SubjectReport, model string) []HistoryPoint {
	hist := s.Trend(model)
	res := s.Result(model)
	if res == nil {
		return hist
	}
	for i := range hist {
		if hist[i].Period == r.Period {
			hist[i].Grade, hist[i].GradeRange, hist[i].GradeEstimate, hist[i].Ranged = res.Grade, res.GradeRange, res.GradeEstimate, true
		}
	}
	return hist
}
