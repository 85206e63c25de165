package reports

import (
	"slices"

	"github.com/osgauge/osgauge/models"
)

// PeriodAggregate is the portfolio of one model in one period: how many
// results, their grades, their mean score, and the model versions used.
type PeriodAggregate struct {
	Period       string
	N            int
	Inconclusive int
	Scored       int
	Sum          float64
	Grades       map[string]int
	Versions     []string
	// NotComparable is set when a result of this period was made with
	// another model version than the current one.
	NotComparable bool
}

// Mean is the mean score of the graded results.
func (a PeriodAggregate) Mean() (float64, bool) {
	if a.Scored == 0 {
		return 0, false
	}
	return a.Sum / float64(a.Scored), true
}

// PortfolioTrend aggregates the subjects' results of model per period,
// oldest period first, and returns the grade ids seen (the model's own
// first, in its order). Inconclusive results are counted but not graded
// or averaged.
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
		for _, h := range s.Trend(model) {
			a := at[h.Period]
			if a == nil {
				continue
			}
			a.N++
			if !slices.Contains(a.Versions, h.ModelVersion) {
				a.Versions = append(a.Versions, h.ModelVersion)
			}
			if h.Status == models.StatusInconclusive || h.Grade == "" {
				a.Inconclusive++
				continue
			}
			a.Grades[h.Grade]++
			if !slices.Contains(gradeIDs, h.Grade) {
				gradeIDs = append(gradeIDs, h.Grade)
			}
			if h.Score != nil {
				a.Sum += *h.Score
				a.Scored++
			}
		}
	}
	for i := range aggs {
		v := aggs[i].Versions
		aggs[i].NotComparable = cur != "" && len(v) > 0 && (len(v) > 1 || v[0] != cur)
	}
	return aggs, gradeIDs
}
