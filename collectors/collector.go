// Package collectors defines the one small interface every data source
// implements. Each source lives in its own sub-package. Collectors turn a
// source into observations; they never score.
package collectors

import (
	"context"
	"time"

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
	// AsOf, when set, asks for the observations as they were at that
	// instant (osgauge collect --as-of): computed from history up to it,
	// windows ending at it, "months since" counted from it, and recorded
	// with ObservedAt = AsOf. Only a collector that implements Historian
	// and says yes runs; the others are skipped with their reason. Zero
	// means now.
	AsOf time.Time
}

// Historian is a collector that can say whether it computes its
// observations as of a past instant (Target.AsOf) from history. A
// collector that does not implement it reads only the present and is
// skipped for a target with AsOf set.
type Historian interface {
	// AsOf reports whether the collector can compute t's observations as
	// of t.AsOf; when it cannot, reason says why, in words a reader of the
	// run's summary understands ("stars and the archived flag have no
	// history").
	AsOf(t Target) (ok bool, reason string)
}

// AsOfDay is how an as-of instant is written in reasons and evidence:
// the day, and the time when it is not the end of a day (23:59:59 UTC).
func AsOfDay(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 23 && t.Minute() == 59 && t.Second() == 59 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
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
