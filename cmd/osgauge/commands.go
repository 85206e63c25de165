package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/collectors/questionnaire"
	"github.com/osgauge/osgauge/collectors/scorecard"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// knownSources are the collectors `collect --only` can name.
var knownSources = []string{"gitlocal", "scorecard", "license", "questionnaire"}

// allCollectors returns the collectors this build has, filtered by only.
func allCollectors(set models.Set, only []string) ([]collectors.Collector, error) {
	for _, o := range only {
		if !slices.Contains(knownSources, o) {
			return nil, fmt.Errorf("--only: unknown source %q (known: %s; github, sbom and osv are planned)", o, strings.Join(knownSources, ", "))
		}
	}
	all := []collectors.Collector{gitlocal.New(), scorecard.New(), license.New(), questionnaire.New(set)}
	if len(only) == 0 {
		return all, nil
	}
	var out []collectors.Collector
	for _, c := range all {
		if slices.Contains(only, c.Name()) {
			out = append(out, c)
		}
	}
	return out, nil
}

func openStore(ctx context.Context, c *config.Config) (*store.Store, error) {
	return store.Open(ctx, c.Store.DSN)
}

func newCollect(g *globals) *cobra.Command {
	var only []string
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Collect observations for every project, supplier and the institution",
		Long: `collect runs each source for every subject of osgauge.yaml and stores the
observations (append-only, with provenance). A source that fails for one
subject is reported and the rest of the run goes on.

Sources: gitlocal (a local clone's history), scorecard (OpenSSF Scorecard on
a local clone; network checks are inconclusive offline), license (licence
files), questionnaire (supplier and self-assessment answers).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			set, err := loadModels(c)
			if err != nil {
				return err
			}
			colls, err := allCollectors(set, only)
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			sum, err := pipeline.Collect(cmd.Context(), st, pipeline.Targets(c), colls, pipeline.CollectOptions{Progress: pipeline.NewProgress()})
			if sum != nil {
				printCollect(cmd.OutOrStdout(), sum)
			}
			return err
		},
	}
	cmd.Flags().StringSliceVar(&only, "only", nil, "run only these sources (comma-separated): "+strings.Join(knownSources, ","))
	return cmd
}

func newAssess(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "assess",
		Short: "Score every subject from the stored observations",
		Long: `assess reads only the store and the models (never the network), scores every
subject with the models for its kind, and stores the results with the model
id, version and hash. Observations after the period's end are not used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			_, err = assessStep(cmd.Context(), cmd.OutOrStdout(), g, c)
			return err
		},
	}
}

func assessStep(ctx context.Context, w io.Writer, g *globals, c *config.Config) ([]models.Result, error) {
	set, err := loadModels(c)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	period, err := g.periodOr(now)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	results, err := pipeline.Assess(ctx, st, set, period, now)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "assessed %d results for %s\n", len(results), period.Name)
	return results, nil
}

func newReport(g *globals) *cobra.Command {
	var formats []string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the Excel workbook, HTML dashboard and JSON report",
		Long: `report renders the stored results of the period into <out>/osgauge-<period>.xlsx,
.html (one self-contained file that works offline) and .json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			if len(formats) > 0 {
				c.Report.Formats = formats
			}
			return reportStep(cmd.Context(), cmd.OutOrStdout(), g, c)
		},
	}
	cmd.Flags().StringSliceVar(&formats, "format", nil, "formats to write (comma-separated): xlsx,html,json")
	return cmd
}

func reportStep(ctx context.Context, w io.Writer, g *globals, c *config.Config) error {
	for _, f := range c.Report.Formats {
		if !slices.Contains(config.KnownFormats, f) {
			return fmt.Errorf("--format: unknown format %q (known: %s)", f, strings.Join(config.KnownFormats, ", "))
		}
	}
	set, err := loadModels(c)
	if err != nil {
		return err
	}
	now := time.Now()
	period, err := g.periodOr(now)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := pipeline.BuildReport(ctx, st, set, period.Name, c.Report.Lang, c.Institution.Name, now)
	if err != nil {
		return err
	}
	printSummary(w, rep)
	paths, err := pipeline.WriteReports(rep, c.Report.Out, c.Report.Formats)
	for _, p := range paths {
		fmt.Fprintln(w, "wrote", absOr(p))
	}
	return err
}

func newRun(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "collect, assess and report in one go",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			set, err := loadModels(c)
			if err != nil {
				return err
			}
			colls, _ := allCollectors(set, nil)
			st, err := openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			sum, err := pipeline.Collect(cmd.Context(), st, pipeline.Targets(c), colls, pipeline.CollectOptions{Progress: pipeline.NewProgress()})
			st.Close()
			if sum != nil {
				printCollect(cmd.OutOrStdout(), sum)
			}
			if err != nil {
				return err
			}
			if _, err := assessStep(cmd.Context(), cmd.OutOrStdout(), g, c); err != nil {
				return err
			}
			return reportStep(cmd.Context(), cmd.OutOrStdout(), g, c)
		},
	}
}

// printCollect says what a collection did, skipped and failed.
func printCollect(w io.Writer, s *pipeline.CollectSummary) {
	fmt.Fprintf(w, "collection run %d: %s, %d observations in %s\n", s.RunID, s.Status, s.Observations, s.Duration.Round(time.Millisecond))
	if len(s.Skipped) > 0 {
		// Group skips by source and the general part of the reason:
		// "gitlocal: not a git repository (230 subjects, e.g. golang.org/x/mod)".
		type group struct {
			n       int
			example string
		}
		groups := map[string]*group{}
		var order []string
		for _, k := range s.Skipped {
			key := k.Source + ": " + strings.SplitN(k.Reason, ": ", 2)[0]
			if groups[key] == nil {
				groups[key] = &group{example: k.Subject}
				order = append(order, key)
			}
			groups[key].n++
		}
		fmt.Fprintln(w, "skipped:")
		for _, key := range order {
			g := groups[key]
			if g.n == 1 {
				fmt.Fprintf(w, "  %s (%s)\n", key, g.example)
			} else {
				fmt.Fprintf(w, "  %s (%d subjects, e.g. %s)\n", key, g.n, g.example)
			}
		}
	}
	for _, f := range s.Failed {
		fmt.Fprintf(w, "FAILED %s for %s: %s\n", f.Source, f.Subject, f.Error)
	}
}

// printSummary prints one line per subject and model.
func printSummary(w io.Writer, rep *reports.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SUBJECT\tMODEL\tSCORE\tGRADE/LEVEL\tCOVERAGE\tSTATUS\tGATES")
	for _, s := range rep.Subjects {
		for _, r := range s.Results {
			score := "-"
			if r.Score != nil {
				score = fmt.Sprintf("%.1f", *r.Score)
			}
			grade := r.Grade
			if m := rep.Defs[r.Model]; m != nil && m.Kind == models.ModelStaged {
				grade = fmt.Sprintf("L%d %s", r.Level, m.LevelName(r.Level, rep.Lang))
			} else if grade == "" {
				grade = "-"
			}
			var gates []string
			for _, gh := range r.Gates {
				gates = append(gates, gh.ID)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f%%\t%s\t%s\n", truncate(s.Name, 48), r.Model, score, grade, 100*r.Coverage, r.Status, strings.Join(gates, ","))
		}
	}
	tw.Flush()
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the osgauge version and the models it carries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "osgauge %s\n", version())
			for _, id := range models.BuiltinIDs() {
				m, err := models.Builtin(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "  model %s %s %s\n", m.ID, m.Version, m.Hash)
			}
			return nil
		},
	}
}
