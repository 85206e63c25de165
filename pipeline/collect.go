// Package pipeline wires the stages together: collect (collectors → store),
// assess (store + models → results) and report (results → files). The CLI
// and the scheduler call it; it holds no scoring and no layout of its own.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Skip is a collector that did not run for a target, and why.
type Skip struct {
	Source  string `json:"source"`
	Subject string `json:"subject"`
	Reason  string `json:"reason"`
}

// Failure is a collector that ran and failed for a target.
type Failure struct {
	Source  string `json:"source"`
	Subject string `json:"subject"`
	Error   string `json:"error"`
}

// CollectSummary is what a collection run did; it is stored with the run.
type CollectSummary struct {
	RunID        int64                      `json:"run_id"`
	Status       string                     `json:"status"`
	Observations int                        `json:"observations"`
	BySource     map[string]int             `json:"by_source"`
	Cost         map[string]collectors.Cost `json:"cost"`         // by source
	SubjectCost  map[string]collectors.Cost `json:"subject_cost"` // by subject, sources that made calls
	// AsOf is the past instant the run collected as of (collect --as-of),
	// absent for a run of the present.
	AsOf     *time.Time    `json:"as_of,omitempty"`
	Skipped  []Skip        `json:"skipped,omitempty"`
	Failed   []Failure     `json:"failed,omitempty"`
	Duration time.Duration `json:"duration_ns"`
}

// CollectOptions tune a collection run.
type CollectOptions struct {
	// Workers bounds how many collections run at once (default 2).
	Workers  int
	Progress Progress
	// AsOf, when set, collects as of that past instant (collect --as-of):
	// every target gets it (collectors.Target.AsOf), only the collectors
	// that can compute from history run (collectors.Historian), the others
	// are skipped with their reason, and every observation is recorded at
	// AsOf.
	AsOf time.Time
	// Clones, when set, clones or fetches the projects that have a
	// repository and no local_path before the collectors run (clones.go).
	Clones *Clones
}

// Job is one collector to run for one target.
type Job struct {
	Target    collectors.Target
	Collector collectors.Collector
}

// Plan is what a collection will do, in-process or on the queue: it runs
// the collectors' once-per-run preparation (SBOM imports; a failure is the
// whole run's, the rest goes on; note gets their one-line summaries) and
// lists the jobs, skipping, with the reason, a collector that needs a
// clone the target lacks or does not apply to it (silently when it says
// the subject is not its). Targets with AsOf set are collected as of that
// instant: a collector runs only when it is a collectors.Historian that
// says it can; the preparations are not run (SBOM imports are the
// present).
func Plan(ctx context.Context, targets []collectors.Target, colls []collectors.Collector, note func(string)) (jobs []Job, skipped []Skip, failed []Failure) {
	past := false
	for _, t := range targets {
		past = past || !t.AsOf.IsZero()
	}
	for _, c := range colls {
		if p, ok := c.(collectors.Preparer); ok && !past {
			line, err := p.Prepare(ctx)
			if err != nil {
				failed = append(failed, Failure{Source: c.Name(), Subject: "the whole run", Error: err.Error()})
			}
			if line != "" {
				note(c.Name() + ": " + line)
			}
		}
	}
	for _, t := range targets {
		missing := missingClone(t)
		for _, c := range colls {
			needsClone := c.Needs().Clone
			if needsClone && t.Subject.Kind != models.KindProject {
				continue // by design: suppliers and the institution have no clone
			}
			if needsClone && missing != "" {
				skipped = append(skipped, Skip{Source: c.Name(), Subject: t.Subject.ID, Reason: missing})
				continue
			}
			if ok, why := c.Applies(t); !ok {
				if why != "" { // an empty reason means "not meant for this subject"
					skipped = append(skipped, Skip{Source: c.Name(), Subject: t.Subject.ID, Reason: why})
				}
				continue
			}
			if ok, why := canAsOf(c, t); !ok {
				skipped = append(skipped, Skip{Source: c.Name(), Subject: t.Subject.ID, Reason: why})
				continue
			}
			jobs = append(jobs, Job{t, c})
		}
	}
	return jobs, skipped, failed
}

// Collect runs every applicable collector for every target and stores the
// observations: one transaction per collector per subject. A failing
// source is recorded and the run goes on; the run is marked complete only
// after every job has finished (partial if any failed).
func Collect(ctx context.Context, st *store.Store, targets []collectors.Target, colls []collectors.Collector, opt CollectOptions) (*CollectSummary, error) {
	if opt.Workers < 1 {
		opt.Workers = 2
	}
	if opt.Progress == nil {
		opt.Progress = nopProgress{}
	}
	start := time.Now()
	if !opt.AsOf.IsZero() {
		if opt.AsOf.After(start) {
			return nil, fmt.Errorf("as of %s: a date in the future has no history yet", collectors.AsOfDay(opt.AsOf))
		}
		past := make([]collectors.Target, len(targets))
		for i, t := range targets {
			t.AsOf = opt.AsOf
			past[i] = t
		}
		targets = past
	}
	runID, err := st.StartRun(ctx, "collect", "")
	if err != nil {
		return nil, err
	}
	sum := &CollectSummary{RunID: runID, BySource: map[string]int{}, Cost: map[string]collectors.Cost{}, SubjectCost: map[string]collectors.Cost{}}
	if !opt.AsOf.IsZero() {
		at := opt.AsOf.UTC()
		sum.AsOf = &at
	}
	for _, t := range targets {
		if err := st.PutSubject(ctx, t.Subject); err != nil {
			st.FinishRun(ctx, runID, store.RunFailed, err.Error(), sum)
			return nil, err
		}
	}
	note := func(string) {}
	if n, ok := opt.Progress.(interface{ Note(string) }); ok {
		note = n.Note
	}
	if opt.Clones != nil && needClones(colls) {
		var release func()
		targets, release = opt.Clones.prepare(ctx, st, runID, targets, opt.AsOf, sum, note)
		defer release() // the clones stay locked while the collectors read them
	}
	jobs, skipped, failed := Plan(ctx, targets, colls, note)
	sum.Skipped, sum.Failed = append(sum.Skipped, skipped...), append(sum.Failed, failed...)
	opt.Progress.Start(len(jobs))

	var mu sync.Mutex
	work := make(chan Job)
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				t0 := time.Now()
				obs, cost, err := safeCollect(ctx, j)
				if err == nil {
					for i := range obs {
						obs[i].RunID = runID
						if !opt.AsOf.IsZero() {
							// Recorded at the instant they describe, so that
							// the period it ends judges them.
							obs[i].ObservedAt = opt.AsOf
						}
					}
					err = st.AppendObservations(ctx, runID, obs)
				}
				mu.Lock()
				name := j.Collector.Name()
				c, ok := sum.Cost[name]
				if !ok {
					c.RateRemaining = -1
				}
				sum.Cost[name] = c.Add(cost)
				if cost.Requests > 0 {
					sc, ok := sum.SubjectCost[j.Target.Subject.ID]
					if !ok {
						sc.RateRemaining = -1
					}
					sum.SubjectCost[j.Target.Subject.ID] = sc.Add(cost)
				}
				if err != nil {
					sum.Failed = append(sum.Failed, Failure{Source: name, Subject: j.Target.Subject.ID, Error: err.Error()})
				} else {
					sum.Observations += len(obs)
					sum.BySource[name] += len(obs)
				}
				mu.Unlock()
				opt.Progress.Step(name, j.Target.Subject.Name, err, time.Since(t0))
			}
		}()
	}
	cancelled := false
	for _, j := range jobs {
		if ctx.Err() != nil {
			cancelled = true
			break
		}
		work <- j
	}
	close(work)
	wg.Wait()
	opt.Progress.Done()

	sort.Slice(sum.Failed, func(i, j int) bool {
		return sum.Failed[i].Subject+sum.Failed[i].Source < sum.Failed[j].Subject+sum.Failed[j].Source
	})
	sum.Duration = time.Since(start)
	sum.Status = store.RunComplete
	switch {
	case cancelled || ctx.Err() != nil:
		sum.Status = store.RunInterrupted
	case len(sum.Failed) > 0:
		sum.Status = store.RunPartial
	}
	// The run's own bookkeeping must land even if ctx was cancelled.
	if err := st.FinishRun(context.WithoutCancel(ctx), runID, sum.Status, sum.note(), sum); err != nil {
		return sum, err
	}
	if sum.Status == store.RunInterrupted {
		return sum, errors.Join(errors.New("collection interrupted"), ctx.Err())
	}
	return sum, nil
}

// canAsOf reports whether c can collect t as of t.AsOf (always, for a
// collection of the present), and why not.
func canAsOf(c collectors.Collector, t collectors.Target) (bool, string) {
	if t.AsOf.IsZero() {
		return true, ""
	}
	h, ok := c.(collectors.Historian)
	if !ok {
		return false, fmt.Sprintf("reads only the present state, which has no history; skipped as of %s", collectors.AsOfDay(t.AsOf))
	}
	ok, why := h.AsOf(t)
	if !ok && why == "" {
		why = fmt.Sprintf("cannot compute as of a past date; skipped as of %s", collectors.AsOfDay(t.AsOf))
	}
	return ok, why
}

// safeCollect runs one collection; a panic in a collector fails that
// subject's collection instead of the whole run.
func safeCollect(ctx context.Context, j Job) (obs []models.Observation, cost collectors.Cost, err error) {
	defer func() {
		if p := recover(); p != nil {
			obs, cost, err = nil, collectors.Cost{RateRemaining: -1}, fmt.Errorf("collector %s panicked: %v", j.Collector.Name(), p)
		}
	}()
	return j.Collector.Collect(ctx, j.Target)
}

// missingClone explains a local_path that does not exist, once for all the
// collectors that need it.
func missingClone(t collectors.Target) string {
	if t.LocalPath == "" {
		return ""
	}
	if _, err := os.Stat(t.LocalPath); err == nil {
		return ""
	}
	hint := "clone the repository there"
	if t.Repo != "" {
		hint = "git clone " + t.Repo + " " + t.LocalPath
	}
	return "local_path " + t.LocalPath + " does not exist: " + hint
}

func (s *CollectSummary) note() string {
	var parts []string
	for _, src := range sortedKeys(s.BySource) {
		parts = append(parts, fmt.Sprintf("%s %d", src, s.BySource[src]))
	}
	n := fmt.Sprintf("%d observations (%s)", s.Observations, strings.Join(parts, ", "))
	if s.AsOf != nil {
		n += " as of " + collectors.AsOfDay(*s.AsOf)
	}
	if len(s.Failed) > 0 {
		n += fmt.Sprintf("; %d failed", len(s.Failed))
	}
	if len(s.Skipped) > 0 {
		n += fmt.Sprintf("; %d skipped", len(s.Skipped))
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
