package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/backtest"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/clones"
	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/collectors/scorecard"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
)

func newBacktest(g *globals) *cobra.Command {
	var asOf, horizon, fetched string
	var withScorecard, forgeArchived bool
	var workers int
	cmd := &cobra.Command{
		Use:   "backtest --as-of DATE [--horizon 12m]",
		Short: "Would the health index have warned? Grade every project as of a past date and read what became of it",
		Long: `backtest assesses every project that has a clone (its local_path, or the
managed clone of clones: once 'osgauge collect' has made it) as of DATE,
from what the history allows: gitlocal on HEAD's history as it stood then,
the licence files and Scorecard's local checks on the tree of that commit.
It works in a temporary store: the store of the config is not touched.
Then it reads from the same history what became of each project over the
horizon after DATE:

  abandoned  no commit by a person (bots left out, .mailmap applied) in the
             horizon, or (with --forge-archived) a forge seen to say the
             repository is archived by the horizon's end
  declining  people's commits and their distinct authors both down by half
             or more, the horizon against the same length before DATE
  alive      otherwise

A project whose HEAD holds no commit by DATE, or whose clone's history ends
before the horizon's end while people committed in it, is left out and
counted. It prints the table and the summary (outcome rates per grade; the
area under the ROC curve of the score for "abandoned", and of each dimension
and gate) and writes DIR/backtest-<DATE>.json and DIR/backtest-<DATE>.xlsx.`,
		Example: `  osgauge backtest --as-of 2023-12-31 --horizon 12m --out validation
  osgauge backtest --as-of 2021-12-31 --clones-fetched 2026-08-22 --scorecard=false`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if asOf == "" {
				return errors.New("--as-of DATE is required (a day, 2023-12-31, meaning its end; or an RFC 3339 instant)")
			}
			at, err := parseAsOf(asOf, time.Now())
			if err != nil {
				return err
			}
			months, err := backtest.ParseHorizon(horizon)
			if err != nil {
				return err
			}
			var fetchedAt time.Time
			if fetched != "" {
				if fetchedAt, err = parseAsOf(fetched, time.Now()); err != nil {
					return fmt.Errorf("--clones-fetched: %w", err)
				}
			}
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			return runBacktest(cmd.Context(), cmd.OutOrStdout(), c, backtestFlags{asOf: at, horizon: months, fetchedAt: fetchedAt,
				scorecard: withScorecard, forgeArchived: forgeArchived, workers: workers})
		},
	}
	f := cmd.Flags()
	f.StringVar(&asOf, "as-of", "", "the date assessed: a day (2023-12-31, its end, UTC) or an RFC 3339 instant")
	f.StringVar(&horizon, "horizon", "12m", "the months observed after the date (1m to 120m)")
	f.StringVar(&fetched, "clones-fetched", "", "when the clones were fetched from their sources (a day): a history that ends before the horizon's end but was fetched after it is complete, not cut short")
	f.BoolVar(&withScorecard, "scorecard", true, "run Scorecard's local checks on the tree as of the date (about a second or more per project; left out for partial clones)")
	f.BoolVar(&forgeArchived, "forge-archived", false, "read the forges' archived flags from the config's store (collected by 'osgauge collect'; the store is only read)")
	f.IntVar(&workers, "workers", 0, "projects read at once (default: the CPUs)")
	return cmd
}

type backtestFlags struct {
	asOf, fetchedAt time.Time
	horizon         int
	scorecard       bool
	forgeArchived   bool
	workers         int
}

func runBacktest(ctx context.Context, w io.Writer, c *config.Config, fl backtestFlags) error {
	if len(c.Projects) == 0 {
		return fmt.Errorf("%s: %w", c.Path, backtest.ErrNoProjects)
	}
	set, err := loadModels(c)
	if err != nil {
		return err
	}
	targets := backtestTargets(c)
	tree := []backtest.TreeSource{{Collector: license.New(), RootOnly: true}}
	if fl.scorecard {
		tree = append(tree, backtest.TreeSource{Collector: scorecard.New()})
	}
	opt := backtest.Options{
		AsOf: fl.asOf, Horizon: fl.horizon, Models: set,
		Identities: affiliation.NewIdentities(c.Identities.Bots, c.Identities.Humans),
		Tree:       tree, Workers: fl.workers, FetchedAt: fl.fetchedAt,
		Progress: pipeline.NewProgress(),
		Logf:     func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) },
	}
	if opt.Workers == 0 {
		opt.Workers = runtime.NumCPU()
	}
	if fl.forgeArchived {
		if opt.Archived, err = archivedFlags(ctx, c); err != nil {
			return err
		}
	}
	rep, err := backtest.Run(ctx, targets, opt)
	if err != nil {
		return err
	}
	printBacktest(w, rep)
	paths, err := rep.Write(c.Report.Out)
	for _, p := range paths {
		fmt.Fprintf(w, "wrote %s\n", absOr(p))
	}
	return err
}

// backtestTargets are the config's projects, each with its clone: its
// local_path, else the managed clone of clones: when one exists (the
// backtest fetches nothing).
func backtestTargets(c *config.Config) []collectors.Target {
	var out []collectors.Target
	dir := ""
	if c.ClonesEnabled() {
		dir = c.ClonesSettings().Dir
	}
	for _, t := range pipeline.Targets(c) {
		if t.Subject.Kind != models.KindProject {
			continue
		}
		if t.LocalPath == "" && dir != "" && strings.TrimSpace(t.Repo) != "" {
			p := filepath.Join(dir, clones.Key(t.Repo))
			if _, err := os.Stat(p); err == nil {
				t.LocalPath = p
			}
		}
		out = append(out, t)
	}
	return out
}

// archivedFlags reads the newest forge.archived observation of each
// subject from the config's store: the instant a forge was seen to say the
// repository is archived.
func archivedFlags(ctx context.Context, c *config.Config) (map[string]time.Time, error) {
	st, err := openStore(ctx, c)
	if err != nil {
		return nil, fmt.Errorf("--forge-archived: %w", err)
	}
	defer st.Close()
	facts, err := st.LatestFacts(ctx, time.Now())
	if err != nil {
		return nil, fmt.Errorf("--forge-archived: %w", err)
	}
	out := map[string]time.Time{}
	for id, f := range facts {
		if o, ok := f["forge.archived"]; ok && o.Value != nil && *o.Value == 1 {
			out[id] = o.ObservedAt
		}
	}
	return out, nil
}

func printBacktest(w io.Writer, r *backtest.Report) {
	fmt.Fprintf(w, "\nBacktest of %s %s as of %s, outcome over %d months (to %s)\n\n", r.Model.ID, r.Model.Version, r.AsOf, r.HorizonMonths, r.HorizonEnds)
	name := 7
	for _, p := range r.Projects {
		name = max(name, min(40, len([]rune(p.Name))))
	}
	fmt.Fprintf(w, "%-*s  %5s  %-11s  %-9s  %-10s  %-15s  %s\n", name, "project", "score", "range", "grade", "outcome", "commits b→a", "gates fired")
	var secs float64
	for _, p := range r.Projects {
		rng := ""
		if len(p.ScoreRange) == 2 {
			rng = fmt.Sprintf("%.0f–%.0f", p.ScoreRange[0], p.ScoreRange[1])
		}
		grade := p.Grade
		if p.GradeBasis != backtest.BasisDecided && grade != "" {
			grade += " (" + p.GradeBasis + ")"
		}
		var gates []string
		for _, g := range p.Gates {
			gates = append(gates, g.ID)
		}
		score := "—"
		if p.Score != nil {
			score = fmt.Sprintf("%.1f", *p.Score)
		}
		fmt.Fprintf(w, "%-*s  %5s  %-11s  %-9s  %-10s  %-15s  %s\n", name, clipName(p.Name, name), score, rng, grade, p.Outcome,
			fmt.Sprintf("%d→%d", p.Before.Commits, p.After.Commits), strings.Join(gates, ", "))
		secs += p.Seconds
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "outcomes: %d abandoned, %d declining, %d alive; left out %d", r.Outcomes[backtest.Abandoned], r.Outcomes[backtest.Declining], r.Outcomes[backtest.Alive], r.LeftOut.Count)
	if r.LeftOut.Count > 0 {
		var parts []string
		for _, k := range sortedBacktestKeys(r.LeftOut.ByCode) {
			parts = append(parts, fmt.Sprintf("%s %d", k, r.LeftOut.ByCode[k]))
		}
		fmt.Fprintf(w, " (%s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	for _, lo := range r.LeftOut.Projects {
		fmt.Fprintf(w, "  left out %s: %s\n", lo.Name, lo.Reason)
	}
	fmt.Fprintln(w, "\nrates by grade (abandoned / declining / alive):")
	for _, g := range sortedBacktestKeys(r.RatesByGrade) {
		gr := r.RatesByGrade[g]
		fmt.Fprintf(w, "  %-9s %3d project(s): %3.0f %% / %3.0f %% / %3.0f %%\n", g, gr.Projects,
			100*gr.Rates[backtest.Abandoned], 100*gr.Rates[backtest.Declining], 100*gr.Rates[backtest.Alive])
	}
	fmt.Fprintln(w, "\narea under the ROC curve for abandoned (1 = a perfect warning, 0.5 = none, below 0.5 inverted):")
	fmt.Fprintf(w, "  %-28s %s\n", "score", aucText(r.AUC.Score))
	for _, k := range sortedBacktestKeys(r.AUC.Dimensions) {
		fmt.Fprintf(w, "  %-28s %s\n", "dimension "+k, aucText(r.AUC.Dimensions[k]))
	}
	for _, k := range sortedBacktestKeys(r.AUC.Gates) {
		fmt.Fprintf(w, "  %-28s %s\n", "gate "+k, aucText(r.AUC.Gates[k]))
	}
	if n := len(r.Projects); n > 0 {
		fmt.Fprintf(w, "\n%d project(s) in %.1f s (%.2f s of work per project, outcome and collection)\n", n, r.Seconds, secs/float64(n))
	}
	fmt.Fprintln(w, "limits:")
	for _, l := range r.Limits {
		fmt.Fprintf(w, "  - %s\n", l)
	}
}

func aucText(a backtest.AUCResult) string {
	if a.AUC == nil {
		return fmt.Sprintf("—  (no pair: %d abandoned, %d others)", a.Abandoned, a.Others)
	}
	return fmt.Sprintf("%.3f  (%d abandoned, %d others)", *a.AUC, a.Abandoned, a.Others)
}

func clipName(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func sortedBacktestKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
