package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/examples"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
)

func newDemo(g *globals) *cobra.Command {
	var maxDeps, maxMB int
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole job offline on the embedded example",
		Long: `demo runs collect, assess and report offline, with no token and no network:

  - this repository itself (when run inside an osgauge git checkout), through
    the gitlocal, scorecard (local checks) and licence collectors;
  - osgauge's own Go dependencies, listed from the binary's build info and
    read from the local module cache, through scorecard and licence detection;
  - the example supplier questionnaires and self-assessment (written to
    <out>/examples so you can edit them).

It writes <out>/osgauge-<period>.{xlsx,html,json} (default ./osgauge-report)
and keeps its history in <out>/osgauge-demo.db. Projects without git history
or GitHub data are honestly "inconclusive": too little of the model is
covered offline to grade them.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			w := cmd.OutOrStdout()
			c := config.Default()
			c.Report.Lang = "zh"
			c.OSV.APIURL = "off" // offline: the demo never asks api.osv.dev
			if err := g.override(c); err != nil {
				return err
			}
			if g.out == "" {
				c.Report.Out = "osgauge-report"
			}
			if g.db == "" {
				c.Store.DSN = filepath.Join(c.Report.Out, "osgauge-demo.db")
			}
			exDir := filepath.Join(c.Report.Out, "examples")
			if _, err := examples.Write(exDir, true); err != nil {
				return err
			}
			c.Dir = exDir
			c.Institution = config.Institution{Name: "Example Bank", SelfAssessment: "self-assessment.yaml"}
			c.Suppliers = []config.Supplier{
				{Name: "Acme OSS Services", Questionnaire: "suppliers/acme.yaml", Facts: map[string]string{"sla_attainment_pct": "99.4", "patch_latency_days": "9"}},
				{Name: "Beta Cloud Native Ltd", Questionnaire: "suppliers/beta.yaml"},
				{Name: "Gamma Data Systems", Questionnaire: "suppliers/gamma.yaml"},
			}
			targets := pipeline.Targets(c)

			var skipped []pipeline.Skip
			wd, _ := os.Getwd()
			if root, why := pipeline.FindSelfCheckout(wd); root != "" {
				targets = append(targets, collectors.Target{
					Subject: models.Subject{Kind: models.KindProject, ID: pipeline.SelfModule, Name: "osgauge (this repository)",
						Attrs: map[string]string{"use_type": "simple", "description": "osgauge itself, assessed from its git checkout"}},
					LocalPath: root,
					// What an assessor would state about osgauge: a small
					// project of one team, no export-control exposure, no
					// fallback supplier yet.
					Facts:       map[string]string{"governance": "single-vendor", "export_exposure": "0", "fallback": "0"},
					FactsSource: "osgauge demo (assessor's facts)",
				})
				fmt.Fprintf(w, "assessing this repository: %s\n", root)
			} else {
				skipped = append(skipped, pipeline.Skip{Source: "demo", Subject: "this repository", Reason: why})
			}

			cache := pipeline.ModCache()
			deps, depSkips := pipeline.BuildDependencies(cache)
			skipped = append(skipped, depSkips...)
			n := 0
			for _, d := range deps {
				if maxDeps > 0 && n >= maxDeps {
					skipped = append(skipped, pipeline.Skip{Source: "demo", Subject: d.Path, Reason: "over --max-deps"})
					continue
				}
				if files, size, over := pipeline.DirSize(d.Dir, 20000, int64(maxMB)<<20); over {
					skipped = append(skipped, pipeline.Skip{Source: "demo", Subject: d.Path,
						Reason: fmt.Sprintf("larger than --max-module-mb: %d+ files, %d+ MB", files, size>>20)})
					continue
				}
				targets = append(targets, pipeline.DependencyTarget(d))
				n++
			}
			fmt.Fprintf(w, "assessing %d Go dependency modules from %s\n", n, cache)

			s, err := openSession(ctx, w, g, c)
			if err != nil {
				return err
			}
			defer s.Close()
			s.maxRows = 30
			if err := s.collect(ctx, targets, offlineSources, runtime.NumCPU(), skipped); err != nil {
				return err
			}
			if err := demoInventory(ctx, s, targets); err != nil {
				return err
			}
			if err := s.assess(ctx); err != nil {
				return err
			}
			err = s.report(ctx)
			fmt.Fprintln(w, "store:", absOr(c.Store.DSN))
			return s.finish(err)
		},
	}
	cmd.Flags().IntVar(&maxDeps, "max-deps", 0, "assess at most this many dependency modules (0: all that fit --max-module-mb)")
	cmd.Flags().IntVar(&maxMB, "max-module-mb", 500, "skip dependency modules larger than this many MB, to keep the demo quick")
	return cmd
}

// version is the main module's version from the build info.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// offlineSources are the sources the demo uses: it never reaches the
// network, even when a GitHub token is set in the environment.
var offlineSources = []string{"gitlocal", "scorecard", "license", "questionnaire", "manual"}
