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
	// Periods are the periods the history covers, newest first; the first
	// is Period itself.
	Periods []string `json:"periods,omitempty"`
	// Delta is what changed in the portfolio since PreviousPeriod.
	Delta *PortfolioDelta `json:"portfolio_changes,omitempty"`
	// Inventory is the supply chain from the systems' SBOMs (nil when no
	// SBOM has been imported).
	Inventory *Inventory `json:"inventory,omitempty"`
	Lifecycle *Lifecycle `json:"lifecycle,omitempty"` // intake decisions, use checked against them, exits (lifecycle.go)
	// Vulnerabilities are the findings, their handling and re-test (vulnerabilities.go).
	Vulnerabilities *VulnReport `json:"vulnerabilities,omitempty"`
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
	// History holds the subject's results in earlier periods (and this
	// one), newest first, one point per period and model.
	History []HistoryPoint `json:"history,omitempty"`
}

// HistoryPoint is one stored result of a subject in one period, for trends.
type HistoryPoint struct {
	Period       string   `json:"period"`
	Model        string   `json:"model"`
	ModelVersion string   `json:"model_version"`
	Score        *float64 `json:"score"`
	Grade        string   `json:"grade,omitempty"`
	// GradeRange and GradeEstimate are the result's when it lay between
	// two grades (see models.Result). The store's result summaries do not
	// carry them yet (they are only in the stored detail), so earlier
	// periods have them only once the history is built with them; Ranged
	// says they were read (see GradeOfPoint).
	GradeRange    []string `json:"grade_range,omitempty"`
	GradeEstimate string   `json:"grade_estimate,omitempty"`
	Ranged        bool     `json:"-"`
	Level         int      `json:"level,omitempty"`
	Status        string   `json:"status"`
	Gates         int      `json:"gates,omitempty"`
	// Comparable is false when the result was made with another model
	// version (or content hash) than this period's: not directly comparable.
	Comparable bool `json:"comparable"`
}

// PortfolioDelta is what changed in the portfolio since the previous
// period: subjects added or removed, and suppliers whose tier changed.
// Per-subject score and gate changes are in SubjectReport.Changes.
type PortfolioDelta struct {
	PreviousPeriod string        `json:"previous_period"`
	Added          []SubjectRef  `json:"added,omitempty"`
	Removed        []SubjectRef  `json:"removed,omitempty"`
	TierChanges    []GradeChange `json:"tier_changes,omitempty"`
	GradeChanges   int           `json:"grade_changes"`
	// DecisionChanges counts the other grade moves: a grade decided or no
	// longer decided, or an estimate or range that moved (reports.GradeMove).
	DecisionChanges int `json:"decision_changes"`
	NotComparable   int `json:"not_comparable"`
}

// SubjectRef names a subject.
type SubjectRef struct {
	Kind models.SubjectKind `json:"kind"`
	ID   string             `json:"id"`
	Name string             `json:"name"`
}

// GradeChange is a subject whose grade (a supplier's tier) changed.
type GradeChange struct {
	SubjectRef
	Model      string `json:"model"`
	From       string `json:"from"`
	To         string `json:"to"`
	Comparable bool   `json:"comparable"`
}

// Change returns the subject's change for model id, or nil.
func (s SubjectReport) Change(model string) *assess.Change {
	for i := range s.Changes {
		if s.Changes[i].Model == model {
			return &s.Changes[i]
		}
	}
	return nil
}

// Trend returns the subject's history for model id, newest first.
func (s SubjectReport) Trend(model string) []HistoryPoint {
	var out []HistoryPoint
	for _, h := range s.History {
		if h.Model == model {
			out = append(out, h)
		}
	}
	return out
}

// RunSummary says what a collection run did, for the Sources view.
type RunSummary struct {
	ID         int64     `json:"id"`
	Kind       string    `json:"kind"`
	Status     string    `json:"status"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitempty"`
	Note       string    `json:"note,omitempty"`
	Period     string    `json:"period,omitempty"`
	// Observations stored by a collection run.
	Observations int `json:"observations,omitempty"`
	// Costs are the API calls a collection run spent, per source.
	Costs []SourceCost `json:"costs,omitempty"`
}

// SourceCost is what one source of a collection run cost.
type SourceCost struct {
	Source      string `json:"source"`
	Requests    int    `json:"requests"`
	NotModified int    `json:"not_modified"`
	Retries     int    `json:"retries"`
	// RateRemaining is the API rate limit left at the end, -1 if unknown.
	RateRemaining int `json:"rate_remaining"`
}

// Calls sums the requests of all sources.
func (r RunSummary) Calls() (requests, notModified, retries int) {
	for _, c := range r.Costs {
		requests += c.Requests
		notModified += c.NotModified
		retries += c.Retries
	}
	return
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
