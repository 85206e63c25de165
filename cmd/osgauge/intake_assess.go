package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/reports/intake"
	"github.com/osgauge/osgauge/reports/labels"
)

func init() {
	intakeSubcommands = append(intakeSubcommands, newIntakeAssess)
}

// intakeSources are the collectors an intake assessment runs: a
// project's own sources (no SBOM import, no questionnaire); offline, the
// local ones only.
var (
	intakeSources        = []string{"github", "gitlab", "gitee", "gitcode", "gitlocal", "scorecard", "license", "manual"}
	intakeOfflineSources = []string{"gitlocal", "scorecard", "license", "manual"}
)

type intakeAssessOptions struct {
	system, use, useType string
	offline              bool
	formats              []string
	width                int
}

func newIntakeAssess(g *globals) *cobra.Command {
	var o intakeAssessOptions
	cmd := &cobra.Command{
		Use:   "assess TARGET... [--system NAME] [--use internal|saas|distributed] [--use-type simple|deep|custom]",
		Short: "Assess candidates before intake (引入评估); several at once are a selection (选型), compared side by side",
		Long: `assess judges each TARGET before it is taken in, with whatever sources the
config and the network allow, and recommends approve, approve with conditions
(each stated) or reject (each reason stated) under lifecycle.policy.

A TARGET is a package URL with the version to be taken in
(pkg:maven/com.alibaba/fastjson@1.2.83), a project of the config, a local
clone, a repository URL, or a component of the inventory (name or
name@version). For each it shows:
  - the project's health (PHI) with its range, its gates, and the missing
    data that would narrow the range most;
  - the licence and its verdict for the target system's licence and use (the
    system's sboms entry, else license_policy.default_system_licence; the use
    from --use, else the system's, else distributed);
  - the known vulnerabilities of that version and the nearest fixed version
    (the OSV API when osv.api_url allows it, else the stored OSV exports);
  - the suppliers whose supports name it;
  - the recommendation.
A candidate is not yet in use: the PHI gates and indicators that judge the
versions systems run (SBOMs, their vulnerabilities) are not applicable to it.

Several TARGETs are a selection: one column each. The intake report is
written to <out>/intake-<date>.html (printable), .xlsx and .json, and the
assessment is stored (a run of kind intake) for 'osgauge intake decide'.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return intakeAssess(cmd.Context(), cmd.OutOrStdout(), g, args, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.system, "system", "", "the system that would take it in (its sboms entry gives the licence and use)")
	f.StringVar(&o.use, "use", "", "internal, saas or distributed (default: the system's use, else distributed)")
	f.StringVar(&o.useType, "use-type", "", "JR/T 0291 use type: simple, deep or custom (the model's weights)")
	f.BoolVar(&o.offline, "offline", false, "local sources only (clone, licence files, Scorecard's local checks) and the stored OSV data")
	f.StringSliceVar(&o.formats, "format", intake.Formats, "report formats: html, xlsx, json")
	f.IntVar(&o.width, "width", 0, "terminal width for the comparison (default $COLUMNS, else 160)")
	return cmd
}

func intakeAssess(ctx context.Context, w io.Writer, g *globals, args []string, o intakeAssessOptions) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	only := intakeSources
	if o.offline {
		only = intakeOfflineSources
		cfg.Scorecard.Mode, cfg.Scorecard.Online = "local", false
	}
	s, err := openSession(ctx, w, g, cfg)
	if err != nil {
		return err
	}
	defer s.Close()
	targets, err := pipeline.ResolveIntakeTargets(ctx, s.st, cfg, args)
	if err != nil {
		return err
	}
	colls, err := allCollectors(cfg, s.set, s.st, only)
	if err != nil {
		return err
	}
	rep, sum, err := pipeline.AssessIntake(ctx, s.st, s.set, targets, pipeline.IntakeOptions{Config: cfg, System: o.system,
		Use: o.use, UseType: o.useType, Collectors: colls, Offline: o.offline, Now: intakeNow(),
		Workers: max(runtime.NumCPU(), cfg.GitHub.Concurrency), Progress: pipeline.NewProgress()})
	if sum != nil && sum.Collect != nil {
		printCollect(w, sum.Collect)
	}
	if err != nil {
		return err
	}
	lang := cfg.Report.Lang
	fmt.Fprintln(w)
	printIntakeComparison(w, rep, lang, o.width)
	if err := os.MkdirAll(cfg.Report.Out, 0o755); err != nil {
		return err
	}
	paths, err := intake.Write(rep, cfg.Report.Out, lang, o.formats)
	for _, p := range paths {
		fmt.Fprintln(w, "wrote", absOr(p))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "stored as intake run %d; record a decision with: osgauge intake decide TARGET --decision approved|conditional|rejected --by WHO --why TEXT\n", sum.RunID)
	return nil
}

// printIntakeComparison prints the candidates side by side: one column
// each, the rows of the intake report, long cells wrapped.
func printIntakeComparison(w io.Writer, r *intake.Report, lang string, width int) {
	t := func(k string) string { return labels.T(lang, k) }
	title := t("intake.title")
	if len(r.Candidates) > 1 {
		title = strings.ReplaceAll(t("intake.title.selection"), "{n}", strconv.Itoa(len(r.Candidates)))
	}
	if width <= 0 {
		width, _ = strconv.Atoi(os.Getenv("COLUMNS"))
	}
	if width <= 0 {
		width = 160
	}
	para := func(first, rest, text string) {
		for i, l := range wrapWidth(text, width-displayWidth(first)) {
			if i == 0 {
				fmt.Fprintln(w, first+l)
			} else {
				fmt.Fprintln(w, rest+l)
			}
		}
	}
	para("", "", title)
	sys := r.System
	if sys == "" {
		sys = t("intake.system.none")
	}
	para("", "  ", fmt.Sprintf("%s: %s · %s: %s (%s) · %s: %s (%s)", t("intake.system"), sys, t("intake.system_licence"), r.SystemLicence,
		r.SystemLicenceFrom, t("intake.use"), r.Use, r.UseFrom))
	para("", "  ", fmt.Sprintf("%s: %s · %s: %s", t("intake.model"), r.Model, t("intake.policy_rules"), intake.RulesText(r, lang)))
	if na := append(append([]string{}, r.GatesNotApplicable...), r.IndicatorsNotApplicable...); len(na) > 0 {
		para("", "  ", strings.ReplaceAll(t("intake.na"), "{list}", strings.Join(na, ", ")))
	}
	fmt.Fprintln(w)

	rows := intake.Rows(r, lang)
	labelW := 0
	for _, rw := range rows {
		labelW = max(labelW, displayWidth(rw.Label))
	}
	labelW = min(labelW, 22)
	n := max(1, len(r.Candidates))
	colW := max(24, (width-labelW-3*n)/n)
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			wd := colW
			if i == 0 {
				wd = labelW
			}
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", max(0, wd-displayWidth(c))) + " │ ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	rule := strings.Repeat("─", labelW+1)
	for range n {
		rule += "┼" + strings.Repeat("─", colW+2)
	}
	head := []string{""}
	for _, c := range r.Candidates {
		head = append(head, truncateWidth(c.Name, colW))
	}
	line(head)
	fmt.Fprintln(w, rule)
	for _, rw := range rows {
		label := wrapWidth(rw.Label, labelW)
		cols := make([][]string, len(rw.Cells))
		height := len(label)
		for i, cell := range rw.Cells {
			for _, l := range cell {
				cols[i] = append(cols[i], wrapWidth(l, colW)...)
			}
			height = max(height, len(cols[i]))
		}
		for k := range height {
			cells := []string{at(label, k)}
			for i := range cols {
				cells = append(cells, at(cols[i], k))
			}
			line(cells)
		}
		fmt.Fprintln(w, rule)
	}
	if len(r.Notes) > 0 {
		fmt.Fprintln(w, t("intake.notes")+":")
		for _, n := range r.Notes {
			para("  - ", "    ", n)
		}
	}
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return ""
}

// wrapWidth breaks s into lines of at most n columns, at spaces where it
// can (a word longer than a line is cut).
func wrapWidth(s string, n int) []string {
	if displayWidth(s) <= n {
		return []string{s}
	}
	var out []string
	var cur strings.Builder
	curW := 0
	flush := func() {
		out = append(out, strings.TrimRight(cur.String(), " "))
		cur.Reset()
		curW = 0
	}
	for _, word := range strings.SplitAfter(s, " ") {
		ww := displayWidth(strings.TrimRight(word, " "))
		if curW > 0 && curW+ww > n {
			flush()
		}
		for displayWidth(word) > n { // a word longer than a line
			cut, cw := 0, 0
			for i, r := range word {
				if cw+runeWidth(r) > n {
					cut = i
					break
				}
				cw += runeWidth(r)
			}
			if cut == 0 {
				break
			}
			if curW > 0 {
				flush()
			}
			out = append(out, word[:cut])
			word = word[cut:]
		}
		cur.WriteString(word)
		curW += displayWidth(word)
	}
	if cur.Len() > 0 {
		flush()
	}
	return out
}
