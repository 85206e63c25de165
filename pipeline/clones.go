package pipeline

import (
	"context"
	"fmt"
	"os"
	"strings"
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

// ClonesFromConfig is the clones: and mirrors: of a config, nil when the
// config turns neither on. Credentials are read from the environment at
// each fetch: a mirror rule's token_env, else the token of the forge that
// serves the host fetched from (never a forge's token for a mirror).
func ClonesFromConfig(c *config.Config) *Clones {
	if !c.ClonesEnabled() {
		return nil
	}
	s := c.ClonesSettings()
	o := clones.Options{Dir: s.Dir, MaxBytes: int64(s.MaxGB * (1 << 30)), Concurrency: s.Concurrency}
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
// targets with their clones as local_path. It records, for each prepared
// clone, the clones observations (not for a run as of a past date: they
// describe the present), adds a failure per repository that failed (once,
// with its URL and reason), and notes the tool, the disk use and every
// project that has no forge data.
func (c *Clones) prepare(ctx context.Context, st *store.Store, runID int64, targets []collectors.Target, asOf time.Time, sum *CollectSummary, note func(string)) []collectors.Target {
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
		return out
	}
	o := c.Options
	o.Logf = func(format string, args ...any) { note(labels.CloneLog(c.Lang, format, args...)) }
	m, err := clones.New(o)
	if err != nil {
		sum.Failed = append(sum.Failed, Failure{Source: clones.Source, Subject: "the whole run", Error: err.Error()})
		return out
	}
	note(labels.TermLine(c.Lang, "term.clones.preparing", "{n}", fmt.Sprint(len(repos)), "{dir}", m.Dir(), "{tool}", m.Tool(), "{k}", fmt.Sprint(max(1, o.Concurrency))))
	results := m.Prepare(ctx, repos)
	now := time.Now()
	reported := map[string]bool{}
	for i, t := range out {
		r, ok := results[t.Repo]
		if !ok || t.LocalPath != "" || t.Subject.Kind != models.KindProject {
			continue
		}
		if r.Path != "" {
			out[i].LocalPath = r.Path
		}
		if r.Err != nil && !reported[t.Repo] {
			reported[t.Repo] = true
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
	return out
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
