// Command gen records the sample portfolio that `osgauge demo` imports
// (examples/recorded/portfolio.json): a few public projects observed by
// osgauge's own collectors from snapshots of their real histories.
//
//	go run ./examples/recorded/gen -from /work/.mirror   # mirrors named owner+name/repo
//	go run ./examples/recorded/gen                       # clones from GitHub
//
// For each project it makes a clone, finds the snapshot instant (the end of
// the day of the newest commit on any project's HEAD), and for the ends of
// the four complete quarters before that instant's quarter, and for the
// instant itself, checks out the commit HEAD's first-parent line held then
// and runs (images are left out of the work trees: mirror snapshots may
// lack their blobs, and no collector reads them)
//
//	osgauge collect --as-of T --only gitlocal        (history as it stood at T)
//	osgauge collect --only scorecard,license,manual  (the tree checked out at T)
//
// into a fresh store. The observations are exported with the instant T,
// the commit and the source of each. The present-only sources (Scorecard's
// local checks, the licence files, the assessor's facts) are run on the
// tree as it was at T and are dated T, which is what they describe.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// project is one recorded project: real public repositories; the facts
// are what an assessor would state about their governance (public
// knowledge), recorded as manual.* observations.
type project struct {
	name, repo, useType, governance string
}

var projects = []project{
	{"karmada", "https://github.com/karmada-io/karmada", "deep", "foundation"},         // CNCF
	{"commons-lang", "https://github.com/apache/commons-lang", "simple", "foundation"}, // Apache Software Foundation
	{"gson", "https://github.com/google/gson", "simple", "single-vendor"},              // Google
	{"fastjson", "https://github.com/alibaba/fastjson", "simple", "single-vendor"},     // Alibaba
	{"JSON-java", "https://github.com/stleary/JSON-java", "simple", "individual"},      // one maintainer
	{"errors", "https://github.com/pkg/errors", "simple", "individual"},                // pkg/errors
}

func main() {
	from := flag.String("from", "", "a folder of bare mirrors named owner+name/repo (as /work/.mirror); empty: clone from GitHub")
	work := flag.String("work", filepath.Join(os.TempDir(), "osgauge-recorded"), "working folder for the clones and stores (kept, reused)")
	out := flag.String("out", "examples/recorded/portfolio.json", "the recorded file to write")
	bin := flag.String("osgauge", "", "an osgauge binary to record with (default: go build ./cmd/osgauge)")
	flag.Parse()
	if err := run(*from, *work, *out, *bin); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(from, work, out, bin string) error {
	ctx := context.Background()
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	if bin == "" {
		bin = filepath.Join(work, "osgauge")
		if err := sh("", "go", "build", "-o", bin, "./cmd/osgauge"); err != nil {
			return fmt.Errorf("build osgauge (run gen from the osgauge checkout): %w", err)
		}
	}
	self, _ := output("", "git", "rev-parse", "HEAD")

	var snapshot time.Time
	for _, p := range projects {
		dir := filepath.Join(work, "clones", p.name)
		if _, err := os.Stat(dir); err != nil {
			src := p.repo
			if from != "" {
				src = filepath.Join(from, strings.ReplaceAll(strings.TrimPrefix(p.repo, "https://github.com/"), "/", "+"), "repo")
			}
			// Images are left out of the work tree: mirror snapshots may
			// lack their blobs, and no collector reads them.
			if err := sh("", "git", "clone", "--quiet", "--no-checkout", src, dir); err != nil {
				return err
			}
			// core.sparseCheckout with the patterns file, not `git
			// sparse-checkout`, which sets a repository extension the
			// gitlocal collector's git library refuses.
			if err := sh(dir, "git", "config", "core.sparseCheckout", "true"); err != nil {
				return err
			}
			patterns := "/*\n!*.png\n!*.jpg\n!*.jpeg\n!*.gif\n!*.pdf\n!*.svg\n"
			if err := os.WriteFile(filepath.Join(dir, ".git", "info", "sparse-checkout"), []byte(patterns), 0o644); err != nil {
				return err
			}
		}
		if err := sh(dir, "git", "checkout", "--quiet", "--detach", "origin/HEAD"); err != nil {
			return err
		}
		s, err := output(dir, "git", "log", "-1", "--format=%cI", "HEAD")
		if err != nil {
			return err
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return err
		}
		if t.After(snapshot) {
			snapshot = t
		}
	}
	snapshot = snapshot.UTC().Truncate(24 * time.Hour).Add(24*time.Hour - time.Second)
	var points []time.Time
	var backfill []string
	cur := assess.CurrentQuarter(snapshot)
	for i := 4; i >= 1; i-- {
		q := assess.CurrentQuarter(cur.Start.AddDate(0, -3*i, 0))
		points = append(points, q.End.Add(-time.Second))
		backfill = append(backfill, q.Name)
	}
	points = append(points, snapshot)

	rec := pipeline.Recorded{
		Label:     "recorded sample data",
		Note:      "Observations recorded by osgauge's own collectors (gitlocal, Scorecard's local checks, licence, the assessor's governance facts) from snapshots of public repositories; not live data. Forge data (stars, archived flag, issues) and networked Scorecard checks were not recorded.",
		Recorder:  "go run ./examples/recorded/gen",
		OsgaugeAt: self,
		Snapshot:  snapshot,
		Backfill:  backfill,
	}
	for _, p := range projects {
		rec.Projects = append(rec.Projects, pipeline.RecordedProject{Name: p.name, Repo: p.repo, UseType: p.useType})
	}
	for i, at := range points {
		dir := filepath.Join(work, fmt.Sprintf("point%d", i))
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		commits := map[string]string{}
		var cfg strings.Builder
		cfg.WriteString("store: {driver: sqlite, dsn: osgauge.db}\nosv: {api_url: \"off\"}\nscorecard: {mode: local}\nprojects:\n")
		for _, p := range projects {
			clone := filepath.Join(work, "clones", p.name)
			c, err := output(clone, "git", "rev-list", "-1", "--first-parent", "--before="+at.Format(time.RFC3339), "origin/HEAD")
			if err != nil || c == "" {
				return fmt.Errorf("%s: no commit by %s: %v", p.name, at.Format(time.RFC3339), err)
			}
			if err := sh(clone, "git", "checkout", "--quiet", "--detach", c); err != nil {
				return err
			}
			commits[pipeline.ProjectID(p.name, p.repo)] = c
			fmt.Fprintf(&cfg, "  - {name: %s, repo: %s, local_path: %s, use_type: %s, facts: {governance: %s}}\n", p.name, p.repo, clone, p.useType, p.governance)
		}
		conf := filepath.Join(dir, "osgauge.yaml")
		if err := os.WriteFile(conf, []byte(cfg.String()), 0o644); err != nil {
			return err
		}
		fmt.Printf("recording as of %s\n", at.Format(time.RFC3339))
		if err := sh(dir, bin, "collect", "--config", conf, "--as-of", at.Format(time.RFC3339), "--only", "gitlocal"); err != nil {
			return err
		}
		if err := sh(dir, bin, "collect", "--config", conf, "--only", "scorecard,license,manual"); err != nil {
			return err
		}
		obs, err := export(ctx, filepath.Join(dir, "osgauge.db"), at, commits)
		if err != nil {
			return err
		}
		rec.Observations = append(rec.Observations, obs...)
	}
	data, err := json.MarshalIndent(rec, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, append(data, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s: %d observations of %d projects at %d instants\n", out, len(rec.Observations), len(projects), len(points))
	return nil
}

// export reads a point's store: every observation of its finished runs,
// dated at (the present-only sources ran on the tree as of at).
func export(ctx context.Context, dsn string, at time.Time, commits map[string]string) ([]pipeline.RecordedObservation, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	facts, err := st.LatestFacts(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	var out []pipeline.RecordedObservation
	for subject, ms := range facts {
		for _, o := range ms {
			out = append(out, pipeline.RecordedObservation{Subject: subject, Metric: o.Metric, Value: o.Value, Text: o.Text,
				Unit: o.Unit, Source: o.Source, ObservedAt: at, Commit: commits[subject], Evidence: o.Evidence, Reason: o.Reason})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Subject != out[j].Subject {
			return out[i].Subject < out[j].Subject
		}
		return out[i].Metric < out[j].Metric
	})
	return out, nil
}

func sh(dir, name string, args ...string) error {
	c := exec.Command(name, args...)
	c.Dir, c.Stdout, c.Stderr = dir, os.Stderr, os.Stderr
	if err := c.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}

func output(dir, name string, args ...string) (string, error) {
	c := exec.Command(name, args...)
	c.Dir, c.Stderr = dir, os.Stderr
	b, err := c.Output()
	return strings.TrimSpace(string(b)), err
}
