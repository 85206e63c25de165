// Package collectors defines the one small interface every data source
// implements. Each source lives in its own sub-package. Collectors turn a
// source into observations; they never score.
package collectors

import (
	"context"

	"github.com/osgauge/osgauge/models"
)

// Needs declares what a collector requires, so a run can say exactly what
// it skipped and why.
type Needs struct {
	Network bool // reaches a remote service
	Token   bool // needs an API token
	Clone   bool // needs a local checkout of the project
}

// Target is one subject with the locations the config gives for it.
type Target struct {
	Subject       models.Subject
	Repo          string // e.g. https://github.com/karmada-io/karmada
	LocalPath     string // a local clone or source directory
	Questionnaire string // path of a questionnaire file (suppliers, institution)
	// Facts are what an assessor states in the config (facts: {governance:
	// foundation}); FactsSource says where, for evidence.
	Facts       map[string]string
	FactsSource string
}

// Cost is what a collection spent against remote services.
type Cost struct {
	Requests    int `json:"requests"`
	NotModified int `json:"not_modified"`
	Retries     int `json:"retries"`
	// RateRemaining is the API rate limit left after the call, -1 if unknown.
	RateRemaining int `json:"rate_remaining"`
}

// Add sums two costs; the later rate-limit reading wins.
func (c Cost) Add(o Cost) Cost {
	c.Requests += o.Requests
	c.NotModified += o.NotModified
	c.Retries += o.Retries
	if o.RateRemaining >= 0 {
		c.RateRemaining = o.RateRemaining
	}
	return c
}

// Collector turns one source into observations about one target.
type Collector interface {
	// Name is the source name recorded on every observation.
	Name() string
	// Needs says what the collector requires.
	Needs() Needs
	// Applies reports whether the collector can run for t; when it cannot,
	// reason says why (e.g. "no local_path").
	Applies(t Target) (ok bool, reason string)
	// Collect gathers observations. An error means the source failed for
	// this target; the run records it and goes on.
	Collect(ctx context.Context, t Target) ([]models.Observation, Cost, error)
}

// Preparer is a collector with work to do once per run before, and
// whatever, the subjects (importing the systems' SBOMs): a run calls
// Prepare even when no subject applies, so that an SBOM-only portfolio is
// still imported. Prepare says what it did in one line.
type Preparer interface {
	Prepare(ctx context.Context) (summary string, err error)
}
