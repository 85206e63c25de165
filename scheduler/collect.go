package scheduler

import (
	"context"
	"fmt"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// CollectJob is the work of a collection job: the collectors (made afresh
// for each run) over the targets, through pipeline.Collect, so that a run
// is stored exactly as `osgauge collect` stores it (one transaction per
// collector per subject; the run is complete only once every collection
// has finished, and interrupted when ctx is cancelled). Each collector is
// wrapped by RecoverCollector, so that a panicking source fails for its
// subject instead of taking the service down.
type CollectJob struct {
	Store      *store.Store
	Targets    func() []collectors.Target
	Collectors func() ([]collectors.Collector, error)
	Workers    int
	Progress   pipeline.Progress
	// Clones, when set, prepares the managed clones before the collectors
	// run (pipeline.ClonesFromConfig).
	Clones *pipeline.Clones
	// Summary, when set, is called with every run's summary (for logs
	// and metrics), also for interrupted runs.
	Summary func(*pipeline.CollectSummary)
	// After runs once the collection finished (e.g. deriving supplier
	// evidence); its error fails the job.
	After func(ctx context.Context) error
}

// Func returns the job's Func.
func (c CollectJob) Func() Func {
	return func(ctx context.Context) (Result, error) {
		colls, err := c.Collectors()
		if err != nil {
			return Result{}, err
		}
		for i := range colls {
			colls[i] = RecoverCollector(colls[i])
		}
		sum, err := pipeline.Collect(ctx, c.Store, c.Targets(), colls, pipeline.CollectOptions{Workers: c.Workers, Progress: c.Progress, Clones: c.Clones})
		var res Result
		if sum != nil {
			res = Result{RunID: sum.RunID, Outcome: sum.Status}
			if c.Summary != nil {
				c.Summary(sum)
			}
		}
		if err != nil {
			return res, err
		}
		if c.After != nil {
			if err := c.After(ctx); err != nil {
				return res, err
			}
		}
		return res, nil
	}
}

// RecoverCollector wraps c so that a panic in Collect becomes an error
// for that subject. (pipeline.Collect runs collectors on its own worker
// goroutines, where the job's recover cannot reach.)
func RecoverCollector(c collectors.Collector) collectors.Collector {
	if _, ok := c.(recovering); ok {
		return c
	}
	return recovering{c}
}

type recovering struct{ collectors.Collector }

func (r recovering) Collect(ctx context.Context, t collectors.Target) (obs []models.Observation, cost collectors.Cost, err error) {
	defer func() {
		if p := recover(); p != nil {
			obs, cost, err = nil, collectors.Cost{RateRemaining: -1}, fmt.Errorf("%s panicked: %v", r.Name(), p)
		}
	}()
	return r.Collector.Collect(ctx, t)
}
