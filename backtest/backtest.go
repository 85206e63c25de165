// Package backtest measures whether the Project Health Index predicts
// anything: every project with a clone is assessed as of a past date from
// what its history allows, in a temporary store (the user's store is never
// touched), and its outcome over the following horizon is read from the
// same history (abandoned, declining, alive). The summary gives the outcome
// rates per grade and the area under the ROC curve of the score, of each
// dimension and of each gate for "abandoned".
//
// It reuses the as-of machinery of `osgauge collect --as-of`: the
// pipeline's collection as of an instant (only collectors.Historian
// sources run, observations are recorded at the instant), gitlocal's
// history as it stood then, and the assessment of a period ending then.
// Sources that read a directory (the licence files, Scorecard's local
// checks) run on the tree of the commit HEAD's first-parent line held at
// the instant, written out to a temporary directory (tree.go).
package backtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// ModelID is the model the backtest judges: the Project Health Index.
const ModelID = "project-health"

// Options configure a backtest.
type Options struct {
	// AsOf is the instant assessed (a day's end, 23:59:59 UTC, for a day).
	AsOf time.Time
	// Horizon is the months observed after AsOf (12 by default).
	Horizon int
	// Models holds the Project Health Index (models.Load; the config's
	// override of it applies).
	Models models.Set
	// Identities tells bots from people (the config's identities:); nil
	// means the built-in rules.
	Identities *affiliation.Identities
	// Tree are the directory sources run on the past tree: the licence
	// collector, Scorecard's local checks.
	Tree []TreeSource
	// Workers bounds the projects read at once (default: the CPUs).
	Workers int
	// FetchedAt, when known, is when the clones were fetched from their
	// sources (Observe).
	FetchedAt time.Time
	// Archived gives, for a project's id, the instant a forge was seen to
	// say it is archived (the forge keeps no date of archiving): seen by
	// the horizon's end, the project is abandoned; seen later, it is only
	// noted. nil: no forge data.
	Archived map[string]time.Time
	// TempDir is where the temporary store and trees go (default
	// os.TempDir()); everything written there is removed.
	TempDir string
	// Now is the present (default time.Now): the horizon must end by it.
	Now func() time.Time
	// Progress shows the collection's progress; Logf takes other lines.
	Progress pipeline.Progress
	Logf     func(format string, args ...any)
}

// Run backtests the targets (projects; LocalPath is the clone, empty when
// the project has none).
func Run(ctx context.Context, targets []collectors.Target, opt Options) (*Report, error) {
	t0 := time.Now()
	if opt.Horizon <= 0 {
		opt.Horizon = 12
	}
	if opt.Workers < 1 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	m := opt.Models[ModelID]
	if m == nil {
		return nil, fmt.Errorf("backtest: the models hold no %s", ModelID)
	}
	end := opt.AsOf.AddDate(0, opt.Horizon, 0)
	if end.After(opt.Now()) {
		return nil, fmt.Errorf("--as-of %s with a %d-month horizon ends %s, after today: the outcome is not yet history (pick a date at least %d months ago)",
			day(opt.AsOf), opt.Horizon, day(end), opt.Horizon)
	}
	tmp, err := os.MkdirTemp(opt.TempDir, "osgauge-backtest-")
	if err != nil {
		return nil, fmt.Errorf("backtest: %w", err)
	}
	defer os.RemoveAll(tmp)

	rep := newReport(m, opt, end)
	took := map[string]time.Duration{}
	var mu sync.Mutex

	// 1. Outcomes first: a project whose outcome cannot be observed is not
	// assessed at all.
	var projects []collectors.Target
	for _, t := range targets {
		if t.Subject.Kind == models.KindProject {
			projects = append(projects, t)
		}
	}
	obs := make([]*Observation, len(projects))
	errs := make([]error, len(projects))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				t := projects[i]
				if t.LocalPath == "" {
					continue
				}
				if _, err := os.Stat(t.LocalPath); err != nil {
					errs[i] = fmt.Errorf("clone %s: %w", t.LocalPath, err)
					continue
				}
				s := time.Now()
				obs[i], errs[i] = Observe(ctx, t.LocalPath, ObserveOptions{AsOf: opt.AsOf, Horizon: opt.Horizon, Identities: opt.Identities, FetchedAt: opt.FetchedAt})
				mu.Lock()
				took[t.Subject.ID] += time.Since(s)
				mu.Unlock()
			}
		}()
	}
	for i := range projects {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var observable []collectors.Target
	byID := map[string]*Observation{}
	for i, t := range projects {
		o := obs[i]
		switch {
		case t.LocalPath == "":
			rep.leaveOut(t, CodeNoClone, "no clone: give the project a local_path, or a repo with clones: in the config and run 'osgauge collect' once to make the managed clone")
		case errs[i] != nil:
			rep.leaveOut(t, CodeUnreadableRepo, errs[i].Error())
		case o.LeftOut != "":
			rep.leaveOut(t, o.LeftOut, o.Why)
		default:
			if at, ok := opt.Archived[t.Subject.ID]; ok && !at.After(end) && o.Outcome != Abandoned {
				o.Outcome = Abandoned
				o.Why = fmt.Sprintf("the forge said it is archived (seen %s, by the horizon's end %s); %s", day(at), day(end), o.Why)
			}
			observable = append(observable, t)
			byID[t.Subject.ID] = o
		}
	}
	opt.Logf("backtest: %d of %d project(s) observable over %s..%s; assessing them as of %s", len(observable), len(projects), day(opt.AsOf), day(end), day(opt.AsOf))

	// 2. Assess the observable ones as of the date, in a temporary store.
	results := map[string]models.Result{}
	failed := map[string]string{}
	if len(observable) > 0 {
		if results, failed, err = assessAsOf(ctx, tmp, observable, opt, took); err != nil {
			return nil, err
		}
	}
	for _, t := range observable {
		r, ok := results[t.Subject.ID]
		if !ok || r.Score == nil {
			why := failed[t.Subject.ID]
			if why == "" {
				why = "the assessment as of " + day(opt.AsOf) + " gave no score"
			}
			rep.leaveOut(t, CodeNotAssessed, why)
			continue
		}
		rep.add(t, r, byID[t.Subject.ID], took[t.Subject.ID], opt.Archived)
	}
	rep.summarise(m)
	rep.Seconds = round4(time.Since(t0).Seconds())
	return rep, nil
}

// assessAsOf collects the targets as of opt.AsOf into a temporary store
// (gitlocal and the tree sources) and assesses them with a period ending
// then. failed says, by subject, why gitlocal gave nothing.
func assessAsOf(ctx context.Context, tmp string, targets []collectors.Target, opt Options, took map[string]time.Duration) (map[string]models.Result, map[string]string, error) {
	st, err := store.Open(ctx, filepath.Join(tmp, "backtest.db"))
	if err != nil {
		return nil, nil, fmt.Errorf("backtest: temporary store: %w", err)
	}
	defer st.Close()
	gl := gitlocal.New()
	gl.Identities = opt.Identities
	colls := []collectors.Collector{gl}
	for _, s := range opt.Tree {
		colls = append(colls, &pastTree{src: s, tmp: tmp})
	}
	prog := &timing{inner: opt.Progress, took: took, ids: map[string]string{}}
	for _, t := range targets {
		prog.ids[t.Subject.Name] = t.Subject.ID
	}
	sum, err := pipeline.Collect(ctx, st, targets, colls, pipeline.CollectOptions{Workers: opt.Workers, Progress: prog, AsOf: opt.AsOf})
	if err != nil {
		return nil, nil, err
	}
	failed := map[string]string{}
	for _, f := range sum.Failed {
		if f.Source == gitlocal.Source {
			failed[f.Subject] = "gitlocal as of " + day(opt.AsOf) + ": " + f.Error
		} else {
			opt.Logf("backtest: %s for %s failed: %s", f.Source, f.Subject, f.Error)
		}
	}
	for _, s := range sum.Skipped {
		if s.Source == gitlocal.Source {
			failed[s.Subject] = "gitlocal as of " + day(opt.AsOf) + ": " + s.Reason
		}
	}
	period := assess.Period{Name: "as-of-" + day(opt.AsOf), Start: opt.AsOf.AddDate(0, -3, 0), End: opt.AsOf.Add(time.Second)}
	res, err := pipeline.Assess(ctx, st, models.Set{ModelID: opt.Models[ModelID]}, period, opt.Now(), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("backtest: assess as of %s: %w", day(opt.AsOf), err)
	}
	out := map[string]models.Result{}
	for _, r := range res {
		if r.Model == ModelID {
			out[r.SubjectID] = r
		}
	}
	return out, failed, nil
}

// timing forwards the collection's progress and adds each job's time to
// its project's.
type timing struct {
	inner pipeline.Progress
	mu    sync.Mutex
	took  map[string]time.Duration
	ids   map[string]string // subject name → id
}

func (p *timing) Start(n int) {
	if p.inner != nil {
		p.inner.Start(n)
	}
}

func (p *timing) Step(source, subject string, err error, d time.Duration) {
	p.mu.Lock()
	p.took[p.ids[subject]] += d
	p.mu.Unlock()
	if p.inner != nil {
		p.inner.Step(source, subject, err, d)
	}
}

func (p *timing) Done() {
	if p.inner != nil {
		p.inner.Done()
	}
}

func (p *timing) Note(line string) {
	if n, ok := p.inner.(interface{ Note(string) }); ok {
		n.Note(line)
	}
}

// ParseHorizon reads --horizon: months, written 12m or 12 (1 to 120).
func ParseHorizon(s string) (int, error) {
	var n int
	var unit string
	if k, _ := fmt.Sscanf(s, "%d%s", &n, &unit); k == 0 || (unit != "" && unit != "m") || n < 1 || n > 120 {
		return 0, fmt.Errorf("--horizon %q: give months, 1m to 120m (12m is a year)", s)
	}
	return n, nil
}

// ErrNoProjects is returned by the command when the config has no project.
var ErrNoProjects = errors.New("the config lists no projects")

func round4(x float64) float64 { return float64(int64(x*10000+0.5)) / 10000 }

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
