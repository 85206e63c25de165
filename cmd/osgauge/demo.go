package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/examples"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/reports/labels"
)

func newDemo(g *globals) *cobra.Command {
	var maxDeps, maxMB int
	var self bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole job offline on an embedded sample portfolio (recorded sample data)",
		Long: `demo runs assess and report offline, with no token and no network, on an
embedded sample portfolio, labelled "recorded sample data" in every output:

  - six public projects (karmada, commons-lang, gson, fastjson, JSON-java,
    pkg/errors) whose observations osgauge's own collectors (gitlocal,
    Scorecard's local checks, licence) recorded from their real histories at
    the ends of four quarters and at a snapshot, each with its date, commit
    and source (examples/recorded/README.md; re-record with
    'go run ./examples/recorded/gen'); the demo imports them instead of
    collecting, so trends and changes since an earlier quarter show;
  - two systems' SBOMs (CycloneDX and SPDX) of the fictional Example Bank,
    checked against one recorded OSV advisory (Log4Shell);
  - the fictional example suppliers' questionnaires and the bank's
    self-assessment (written to <out>/examples so you can edit them).

With --self it assesses osgauge itself instead: this repository (when run
inside an osgauge git checkout) and osgauge's own Go dependencies from the
local module cache, collected now (most of them inconclusive offline: no
history, no forge data).

It writes <out>/osgauge-<period>.{xlsx,html,json} (default ./osgauge-report)
and keeps its history in <out>/osgauge-demo.db (the recorded data is
imported once).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if self {
				return demoSelf(cmd, g, maxDeps, maxMB)
			}
			return demoRecorded(cmd, g)
		},
	}
	cmd.Flags().BoolVar(&self, "self", false, "assess osgauge itself (this checkout and its Go dependencies from the module cache) instead of the recorded sample portfolio")
	cmd.Flags().IntVar(&maxDeps, "max-deps", 0, "with --self: assess at most this many dependency modules (0: all that fit --max-module-mb)")
	cmd.Flags().IntVar(&maxMB, "max-module-mb", 500, "with --self: skip dependency modules larger than this many MB, to keep the demo quick")
	return cmd
}

// demoConfig is the demo's starting config: offline (OSV off), Chinese
// unless --lang says otherwise, writing to ./osgauge-report and keeping
// its store there.
func demoConfig(g *globals) (*config.Config, string, error) {
	c := config.Default()
	c.Report.Lang = "zh"
	c.OSV.APIURL = "off" // offline: the demo never asks api.osv.dev
	if err := g.override(c); err != nil {
		return nil, "", err
	}
	if g.out == "" {
		c.Report.Out = "osgauge-report"
	}
	if g.db == "" {
		c.Store.DSN = filepath.Join(c.Report.Out, "osgauge-demo.db")
	}
	exDir := filepath.Join(c.Report.Out, "examples")
	if _, err := examples.Write(exDir, true); err != nil {
		return nil, "", err
	}
	c.Dir = exDir
	c.Institution = config.Institution{Name: "Example Bank", SelfAssessment: "self-assessment.yaml"}
	return c, exDir, nil
}

// demoSources are the sources the recorded demo collects now: the
// questionnaires, the stated facts and the supply chain. The projects'
// history-based sources come recorded.
var demoSources = []string{"questionnaire", "manual", "sbom", "osv"}

// demoRecorded is `osgauge demo`: the recorded sample portfolio.
func demoRecorded(cmd *cobra.Command, g *globals) error {
	ctx := cmd.Context()
	w := cmd.OutOrStdout()
	c, exDir, err := demoConfig(g)
	if err != nil {
		return err
	}
	if _, err := examples.WriteRecorded(exDir); err != nil {
		return err
	}
	data, err := examples.Recorded()
	if err != nil {
		return err
	}
	rec, err := pipeline.ReadRecorded(examples.RecordedFile, data)
	if err != nil {
		return err
	}
	for _, p := range rec.Projects {
		commit, at := rec.RecordedCommit(pipeline.ProjectID(p.Name, p.Repo))
		c.Projects = append(c.Projects, config.Project{Name: p.Name, Repo: p.Repo, UseType: p.UseType,
			Description: fmt.Sprintf("%s: %s at commit %.12s (%s)", rec.Label, p.Repo, commit, at.Format("2006-01-02"))})
	}
	c.Suppliers = []config.Supplier{
		{Name: "Acme OSS Services", Questionnaire: "recorded/suppliers/acme.yaml", Supports: []string{"karmada"},
			Facts: map[string]string{"sla_attainment_pct": "99.4", "patch_latency_days": "9", "as_of": "2026-08-15"}},
		{Name: "Beta Cloud Native Ltd", Questionnaire: "recorded/suppliers/beta.yaml", Supports: []string{"karmada"}},
		{Name: "Gamma Data Systems", Questionnaire: "recorded/suppliers/gamma.yaml", Supports: []string{"gson", "fastjson"}},
	}
	c.Institution.SelfAssessment = "recorded/self-assessment.yaml"
	c.SBOMs = []config.SBOM{
		{System: "payments-gateway", Path: "recorded/sboms/payments-gateway.cdx.json", Use: "internal", UseStated: true},
		{System: "container-platform", Path: "recorded/sboms/container-platform.spdx.json", Use: "distributed", UseStated: true},
	}
	// The Maven components' repositories, which their SBOM entries do not
	// name: they make the components the recorded projects'.
	c.ComponentRepos = map[string]string{
		"pkg:maven/com.google.code.gson/gson":        "https://github.com/google/gson",
		"pkg:maven/com.alibaba/fastjson":             "https://github.com/alibaba/fastjson",
		"pkg:maven/org.apache.commons/commons-lang3": "https://github.com/apache/commons-lang",
		"pkg:maven/org.json/json":                    "https://github.com/stleary/JSON-java",
	}
	c.OSV.Export = config.StringList{"recorded/osv"}
	c.Inventory.Assess = "none" // the SBOMs' other components have no recorded history

	s, err := openSession(ctx, w, g, c)
	if err != nil {
		return err
	}
	defer s.Close()
	s.maxRows = 30
	if g.period == "" {
		// The quarter of the snapshot, judged at its end: the recorded
		// evidence is fresh then (evidence_max_age), and stale today.
		s.period = assess.CurrentQuarter(rec.Snapshot)
	}
	imp, err := pipeline.ImportRecorded(ctx, s.st, rec, examples.RecordedFile, data)
	if err != nil {
		return fmt.Errorf("%s: %w", examples.RecordedFile, err)
	}
	label := rec.Label
	if s.lang() == "zh" {
		label = labels.T("zh", "term.demo.label")
	}
	if imp.Already {
		s.say("term.demo.imported_before", "{label}", label, "{path}", absOr(c.Store.DSN))
	} else {
		s.say("term.demo.imported", "{label}", label, "{n}", strconv.Itoa(imp.Observations), "{p}", strconv.Itoa(len(rec.Projects)),
			"{k}", strconv.Itoa(imp.Runs), "{day}", rec.Snapshot.Format("2006-01-02"), "{file}", examples.RecordedFile)
		// The recorded quarters, each judged from what was known at its end.
		current := s.period
		for _, q := range rec.Backfill {
			p, err := assess.ParsePeriod(q)
			if err != nil || p.Name >= current.Name {
				continue
			}
			s.period = p
			if err := s.assess(ctx); err != nil {
				return fmt.Errorf("recorded %s: %w", q, err)
			}
		}
		s.period = current
	}
	targets := pipeline.Targets(c)
	for i, t := range targets {
		switch t.Subject.Kind {
		case models.KindSupplier:
			targets[i].Subject.Attrs["description"] = "Fictional example supplier: sample questionnaire answers, not a real company"
		case models.KindInstitution:
			targets[i].Subject.Attrs = map[string]string{"description": "Fictional example bank: a sample self-assessment"}
		}
	}
	if err := s.collect(ctx, targets, demoSources, runtime.NumCPU(), nil); err != nil {
		return err
	}
	if err := s.assess(ctx); err != nil {
		return err
	}
	// Every output names the data: the report's title carries the label.
	c.Institution.Name = demoTitle(c.Report.Lang)
	if c.Report.Lang == "zh" {
		fmt.Fprintln(w, "\n录制的样例数据：以下项目数据由 osgauge 自身的采集器（gitlocal、Scorecard 本地检查、许可证、评估人陈述的治理事实）从公开仓库的快照录制，并非实时数据；未录制代码托管平台数据和需联网的 Scorecard 检查。")
	} else {
		fmt.Fprintf(w, "\n%s\n", strings.ToUpper(rec.Label)+": "+rec.Note)
	}
	err = s.report(ctx)
	s.say("term.store", "{path}", absOr(c.Store.DSN))
	switch {
	case err != nil:
	case c.Report.Lang == "zh":
		fmt.Fprintf(w, "（录制的样例数据，报告期 %s 为快照所在季度；'osgauge init' 开始评估自己的组合，'osgauge demo --self' 评估 osgauge 自身）\n", s.period.Name)
	default:
		fmt.Fprintf(w, "(%s as of %s, the quarter of the snapshot: 'osgauge init' starts your own portfolio; 'osgauge demo --self' assesses osgauge itself)\n",
			rec.Label, s.period.Name)
	}
	return s.finish(err)
}

// demoTitle is the recorded demo's institution title: the fictional bank,
// labelled as sample data wherever the reports show the institution.
func demoTitle(lang string) string {
	if lang == "zh" {
		return "示例银行（虚构）· 录制的样例数据"
	}
	return "Example Bank (fictional) · recorded sample data"
}

// demoSelf is `osgauge demo --self`: osgauge's own checkout and Go
// dependencies, collected now.
func demoSelf(cmd *cobra.Command, g *globals, maxDeps, maxMB int) error {
	ctx := cmd.Context()
	w := cmd.OutOrStdout()
	c, _, err := demoConfig(g)
	if err != nil {
		return err
	}
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
		fmt.Fprintln(w, labels.TermLine(termLang(c.Report.Lang), "term.demo.self_repo", "{path}", root))
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
	fmt.Fprintln(w, labels.TermLine(termLang(c.Report.Lang), "term.demo.self_deps", "{n}", strconv.Itoa(n), "{dir}", cache))

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
	s.say("term.store", "{path}", absOr(c.Store.DSN))
	return s.finish(err)
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
