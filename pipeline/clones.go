package pipeline

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/clones"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports/labels"
	"github.com/osgauge/osgauge/store"
)

// Clones is a collection's managed-clone preparation (issue 27): before
// the collectors run, every project with a repository and no local_path is
// cloned or fetched (collectors/clones) and given the clone as its
// local_path, so that gitlocal, Scorecard's local checks and the licence
// collector read it.
type Clones struct {
	Options clones.Options
	// HasForge reports whether a forge collector serves a repository's
	// host; a project on another host gets one line saying it is assessed
	// from git without forge data. nil: every host has one.
	HasForge func(repo string) bool
	// Lang is the language of the lines it notes (report.lang).
	Lang string
}

// ClonesFromConfig is the clones: and mirrors: of a config, nil when
// clones.enabled is false (managed clones are on by default). Credentials are read from the environment at
// each fetch: a mirror rule's token_env, else the token of the forge that
// serves the host fetched from (never a forge's token for a mirror).
func ClonesFromConfig(c *config.Config) *Clones {
	if !c.ClonesEnabled() {
		return nil
	}
	s := c.ClonesSettings()
	o := clones.Options{Dir: s.Dir, MaxBytes: int64(s.MaxGB * (1 << 30)), Concurrency: s.Concurrency, Timeout: c.ClonesTimeout(),
		QuietFailures: true} // a failure is reported once, as the run's FAILED line
	for _, m := range c.Mirrors {
		o.Mirrors = append(o.Mirrors, clones.Mirror{From: m.From, To: m.To, TokenEnv: m.TokenEnv})
	}
	o.Credential = func(fetchURL string) (string, string, bool) {
		f, ok := c.ForgeFor(fetchURL)
		if !ok || f.TokenEnv == "" {
			return "", "", false
		}
		tok := strings.TrimSpace(os.Getenv(f.TokenEnv))
		user := "oauth2" // GitLab's convention; Gitee and GitCode take the token as the password too
		if f.Type == "github" {
			user = "x-access-token"
		}
		return user, tok, tok != ""
	}
	return &Clones{Options: o, HasForge: func(repo string) bool { _, ok := c.ForgeFor(repo); return ok }, Lang: c.Report.Lang}
}

// prepare clones or fetches the targets' repositories and returns the
// targets with their clones as local_path, and the release of the
// clones' locks, to call when the collectors have finished reading them. It records, for each prepared
// clone, the clones observations (not for a run as of a past date: they
// describe the present), adds a failure per repository that failed (once,
// with its URL and reason), and notes the tool, the disk use and every
// project that has no forge data.
func (c *Clones) prepare(ctx context.Context, st *store.Store, runID int64, targets []collectors.Target, asOf time.Time, sum *CollectSummary, note func(string)) ([]collectors.Target, func()) {
	out := make([]collectors.Target, len(targets))
	copy(out, targets)
	var repos []string
	for _, t := range out {
		if t.Subject.Kind != models.KindProject || strings.TrimSpace(t.Repo) == "" {
			continue
		}
		if c.HasForge != nil && !c.HasForge(t.Repo) {
			sum.Skipped = append(sum.Skipped, Skip{Source: "forge", Subject: t.Subject.ID,
				Reason: fmt.Sprintf("no forge collector serves %s: assessed from git only, no forge data", hostOf(t.Repo))})
		}
		if t.LocalPath == "" {
			repos = append(repos, t.Repo)
		}
	}
	if len(repos) == 0 {
		return out, func() {}
	}
	o := c.Options
	o.Logf = func(format string, args ...any) { note(labels.CloneLog(c.Lang, format, args...)) }
	m, err := clones.New(o)
	if err != nil {
		sum.Failed = append(sum.Failed, Failure{Source: clones.Source, Subject: "the whole run", Error: err.Error()})
		return out, func() {}
	}
	distinct := map[string]bool{} // two spellings of one repository are one clone
	for _, r := range repos {
		distinct[clones.Key(r)] = true
	}
	note(labels.TermLine(c.Lang, "term.clones.preparing", "{n}", fmt.Sprint(len(distinct)), "{dir}", m.Dir(), "{tool}", labels.TermPhrase(c.Lang, m.Tool()), "{k}", fmt.Sprint(max(1, o.Concurrency))))
	results := m.Prepare(ctx, repos)
	now := time.Now()
	reported := map[*clones.Result]bool{} // two spellings of one repository are one clone, one failure
	for i, t := range out {
		r, ok := results[t.Repo]
		if !ok || t.LocalPath != "" || t.Subject.Kind != models.KindProject {
			continue
		}
		if r.Path != "" {
			out[i].LocalPath = r.Path
		}
		if r.Err != nil && !reported[r] {
			reported[r] = true
			sum.Failed = append(sum.Failed, Failure{Source: clones.Source, Subject: t.Subject.ID, Error: fmt.Sprintf("%s %s: %v", verbOf(r), r.URL, r.Err)})
		}
		if !asOf.IsZero() {
			continue
		}
		obs := clones.Observations(t.Subject.ID, r, now)
		for j := range obs {
			obs[j].RunID = runID
		}
		if err := st.AppendObservations(ctx, runID, obs); err != nil {
			sum.Failed = append(sum.Failed, Failure{Source: clones.Source, Subject: t.Subject.ID, Error: err.Error()})
			continue
		}
		sum.Observations += len(obs)
		sum.BySource[clones.Source] += len(obs)
	}
	bytes, n := m.Usage()
	limit := labels.T(c.Lang, "term.clones.unbounded")
	if o.MaxBytes > 0 {
		limit = "max_gb " + clones.HumanBytes(o.MaxBytes)
	}
	note(labels.TermLine(c.Lang, "term.clones.usage", "{n}", fmt.Sprint(n), "{size}", clones.HumanBytes(bytes), "{limit}", limit, "{dir}", m.Dir()))
	return out, m.Release
}

// managed reports whether t's clone is osgauge's to make: a project with
// a repository and no local_path.
func managed(t collectors.Target) bool {
	return t.Subject.Kind == models.KindProject && strings.TrimSpace(t.Repo) != "" && t.LocalPath == ""
}

// Managed reports whether a target's clone is made by osgauge (a project
// with a repository and no local_path), for planning queued jobs.
func (c *Clones) Managed(t collectors.Target) bool { return c != nil && managed(t) }

// PlanLine says, before a collection, which clones it will make or fetch
// and the disk the known ones hold (from the state file): "" when none.
func (c *Clones) PlanLine(targets []collectors.Target) string {
	if c == nil {
		return ""
	}
	known := clones.Known(c.Options.Dir)
	seen := map[string]bool{}
	var fetch, clone int
	var bytes int64
	for _, t := range targets {
		if !managed(t) {
			continue
		}
		k := clones.Key(t.Repo)
		if seen[k] {
			continue
		}
		seen[k] = true
		if b, ok := known[k]; ok {
			fetch++
			bytes += b
		} else {
			clone++
		}
	}
	if fetch+clone == 0 {
		return ""
	}
	dir := c.Options.Dir
	if dir == "" {
		dir = clones.DefaultDir()
	}
	var parts []string
	if fetch > 0 {
		parts = append(parts, fmt.Sprintf("%d to fetch (%s on disk)", fetch, clones.HumanBytes(bytes)))
	}
	if clone > 0 {
		parts = append(parts, fmt.Sprintf("%d to clone (size not known until cloned)", clone))
	}
	return "plan: clones: " + strings.Join(parts, ", ") + " in " + dir
}

// Worker prepares the clones of a queue worker's jobs: the job that runs a
// clone-reading collector for a project prepares the project's clone
// first (a fetch younger than FreshFor, by any process, is not repeated)
// and holds its lock while the collector reads it. A clone that fails is
// reported by the first job that tried it; the worker does not try it
// again within FreshFor, and the project's other jobs collect nothing.
type Worker struct {
	c        *Clones
	FreshFor time.Duration
	mu       sync.Mutex
	failed   map[string]time.Time // by clones.Key
}

// Worker is c's preparation for queue workers (nil when c is nil).
func (c *Clones) Worker() *Worker {
	if c == nil {
		return nil
	}
	return &Worker{c: c, FreshFor: 15 * time.Minute, failed: map[string]time.Time{}}
}

// Use prepares t's clone when osgauge manages it: t with the clone as
// local_path, the clones observations when this call fetched or cloned
// (nil otherwise), and the release of the clone's lock. skip is true when
// the clone failed earlier in this worker (the failure was reported
// then). A target osgauge does not clone is returned as it is.
func (w *Worker) Use(ctx context.Context, t collectors.Target) (out collectors.Target, obs []models.Observation, release func(), skip bool, err error) {
	release = func() {}
	if w == nil || !managed(t) {
		return t, nil, release, false, nil
	}
	key := clones.Key(t.Repo)
	w.mu.Lock()
	at, failed := w.failed[key]
	w.mu.Unlock()
	if failed && time.Since(at) < w.FreshFor {
		return t, nil, release, true, nil
	}
	o := w.c.Options
	o.FreshFor = w.FreshFor
	m, err := clones.New(o)
	if err != nil {
		return t, nil, release, false, err
	}
	r := m.Prepare(ctx, []string{t.Repo})[t.Repo]
	if r.Err != nil {
		w.mu.Lock()
		w.failed[key] = time.Now()
		w.mu.Unlock()
	}
	if r.Path == "" {
		m.Release()
		return t, nil, release, false, fmt.Errorf("%s %s: %v", verbOf(r), r.URL, r.Err)
	}
	t.LocalPath = r.Path
	if !r.Shared && !r.Reused {
		obs = clones.Observations(t.Subject.ID, r, time.Now())
	}
	return t, obs, m.Release, false, nil
}

// needClones reports whether a collector of the run reads a clone (a run
// of the forges alone, collect --only github, fetches none).
func needClones(colls []collectors.Collector) bool {
	for _, c := range colls {
		if c.Needs().Clone {
			return true
		}
	}
	return false
}

func verbOf(r *clones.Result) string {
	if r.Cloned {
		return "clone of"
	}
	return "fetch from"
}

// hostOf is a repository URL's host, for messages.
func hostOf(repo string) string {
	if u, ok := repourl.Parse(repo); ok {
		return u.Host
	}
	return repo
}
