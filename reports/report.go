// Package reports assembles assessment results into a Report, the one
// structure every writer (excel, html, json) renders. Writers compute
// nothing that assess owns; they only lay out what is here.
package reports

import (
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
)

// Report is what one period's report shows. Its JSON form is the
// machine-readable report of DESIGN.md.
type Report struct {
	Period      string          `json:"period"`
	GeneratedAt time.Time       `json:"generated_at"`
	Lang        string          `json:"lang"`
	Institution string          `json:"institution,omitempty"`
	Models      []ModelRef      `json:"models"`
	Subjects    []SubjectReport `json:"subjects"`
	Runs        []RunSummary    `json:"runs,omitempty"`
	// PreviousPeriod is the period the changes compare with ("" if none).
	PreviousPeriod string `json:"previous_period,omitempty"`
	// Defs are the full model definitions, for labels, clauses and the
	// model sheet. Not part of the JSON contract.
	Defs models.Set `json:"-"`
}

// ModelRef identifies a model exactly as it was used.
type ModelRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// SubjectReport is one subject and its results, one per model.
type SubjectReport struct {
	Kind        models.SubjectKind `json:"kind"`
	ID          string             `json:"id"`
	Name        string             `json:"name"`
	Description string             `json:"description,omitempty"`
	Attrs       map[string]string  `json:"attrs,omitempty"`
	Results     []models.Result    `json:"results"`
	// Changes compare each result with the previous period's.
	Changes []assess.Change `json:"changes,omitempty"`
}

// RunSummary says what a collection run did, for the Sources view.
type RunSummary struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitempty"`
	Note       string    `json:"note,omitempty"`
}

// OfKind returns the subjects of kind k, in report order.
func (r *Report) OfKind(k models.SubjectKind) []SubjectReport {
	var out []SubjectReport
	for _, s := range r.Subjects {
		if s.Kind == k {
			out = append(out, s)
		}
	}
	return out
}

// Result returns the subject's result for model id, or nil.
func (s SubjectReport) Result(model string) *models.Result {
	for i := range s.Results {
		if s.Results[i].Model == model {
			return &s.Results[i]
		}
	}
	return nil
}
