package intake

import (
	"encoding/json"
	"io"

	"github.com/osgauge/osgauge/reports"
)

// WriteJSON writes the report as indented JSON: {"generated_at", "system",
// "use", "candidates": [{name, target, version, project, score,
// score_range, grade, grade_range, gates, missing, licence,
// licence_class, compatibility, why, obligations, vulnerabilities: [{id,
// severity, kev, fixed}], nearest_fixed, suppliers, recommendation:
// {decision, conditions, reasons}}]}, and more fields beside them.
func WriteJSON(w io.Writer, r *Report) error {
	out := *r
	if out.Candidates == nil {
		out.Candidates = []Candidate{}
	}
	cs := make([]Candidate, len(out.Candidates))
	for i, c := range out.Candidates {
		cs[i] = c.withEmptyLists()
	}
	out.Candidates = cs
	if out.GatesNotApplicable == nil {
		out.GatesNotApplicable = []string{}
	}
	if out.IndicatorsNotApplicable == nil {
		out.IndicatorsNotApplicable = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// withEmptyLists gives the lists a reader iterates [] instead of null.
func (c Candidate) withEmptyLists() Candidate {
	if c.Gates == nil {
		c.Gates = []Gate{}
	}
	for _, p := range []*[]string{&c.GatesNotEvaluated, &c.GatesNotApplicable, &c.Obligations, &c.Suppliers, &c.GradeRange} {
		if *p == nil {
			*p = []string{}
		}
	}
	if c.ScoreRange == nil {
		c.ScoreRange = []float64{}
	}
	if c.Missing == nil {
		c.Missing = []Missing{}
	}
	if c.Vulnerabilities == nil {
		c.Vulnerabilities = []Vuln{}
	}
	return c
}

// WriteJSONFile writes the JSON to path atomically.
func WriteJSONFile(path string, r *Report) error {
	return reports.WriteAtomic(path, func(w io.Writer) error { return WriteJSON(w, r) })
}
