package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
)

func newModel(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "List, export and validate scoring models",
		Long: `Models are data. Export a built-in model, change weights or thresholds, point
the config at your copy (models: {project-health: my.yaml}), and osgauge
validates it and records its hash with every result.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the built-in models",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "%-20s %-8s %-12s %s\n", "ID", "VERSION", "SUBJECT", "CONTENTS")
			for _, id := range models.BuiltinIDs() {
				m, err := models.Builtin(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%-20s %-8s %-12s %d dimensions, %d indicators  %s\n",
					m.ID, m.Version, m.Subject, len(m.Dimensions), len(m.IndicatorIDs()), m.Name.En)
			}
			return nil
		},
	}, newModelShow(g), &cobra.Command{
		Use:   "export ID",
		Short: "Print a built-in model's YAML (to edit and use as an override)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := models.BuiltinSource(args[0])
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}, &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a model file; errors name the line",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			m, err := models.Parse(args[0], data)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (model %s %s, %s)\n", args[0], m.ID, m.Version, m.Hash)
			return nil
		},
	})
	return cmd
}

func newModelShow(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "show ID|FILE",
		Short: "Print a model readably: dimensions, indicators, weights, thresholds, clauses",
		Long: `show prints a model readably: its dimensions, indicators, weights,
thresholds and the standard clauses they cite. It takes a built-in model's
id (` + strings.Join(models.BuiltinIDs(), ", ") + `; 'osgauge model list' describes
them) or the path of a model file (an exported, edited copy).`,
		Example: "  osgauge model show project-health\n  osgauge model show my-phi.yaml --lang zh",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := models.Builtin(args[0])
			if err != nil {
				data, rerr := os.ReadFile(args[0])
				if rerr != nil {
					return fmt.Errorf("%w, and no model file %s", err, args[0])
				}
				if m, err = models.Parse(args[0], data); err != nil {
					return err
				}
			}
			lang := g.lang
			if lang == "" {
				lang = "en"
			}
			showModel(cmd.OutOrStdout(), m, lang)
			return nil
		},
	}
}

func showModel(w io.Writer, m *models.Model, lang string) {
	fmt.Fprintf(w, "%s (%s) %s\n%s\n", m.Name.In(lang), m.ID, m.Version, m.Hash)
	if d := m.Description.In(lang); d != "" {
		fmt.Fprintln(w, d)
	}
	fmt.Fprintf(w, "subject: %s; minimum coverage %.0f%%\n", m.Subject, 100*m.MinCoverage)
	if m.Kind == models.ModelStaged {
		var ls []string
		for _, l := range m.Levels {
			ls = append(ls, fmt.Sprintf("L%d %s", l.Level, l.Name.In(lang)))
		}
		fmt.Fprintf(w, "levels: %s; a practice counts at evidence >= %g\n", strings.Join(ls, ", "), m.PassEvidence)
	} else {
		var gs []string
		for _, gr := range m.Grades {
			gs = append(gs, fmt.Sprintf("%s >= %g", m.GradeLabel(gr.ID, lang), gr.Min))
		}
		fmt.Fprintf(w, "grades: %s\n", strings.Join(gs, ", "))
	}
	for _, name := range m.SortedProfiles() {
		p := m.Profiles[name]
		var ws []string
		for _, d := range m.Dimensions {
			ws = append(ws, fmt.Sprintf("%s %g", d.ID, m.DimensionWeight(d, name)))
		}
		fmt.Fprintf(w, "profile %s (%s): %s\n", name, p.Name.In(lang), strings.Join(ws, ", "))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, d := range m.Dimensions {
		core := ""
		if d.Core {
			core = ", core"
		}
		fmt.Fprintf(tw, "\n%s %s (weight %g%s)\t%s\n", d.ID, d.Name.In(lang), d.Weight, core, d.Clause)
		for _, in := range d.Indicators {
			showIndicator(tw, m, in, lang)
		}
	}
	if len(m.Modifiers) > 0 {
		fmt.Fprintf(tw, "\nmodifiers (penalty points)\t\n")
		for _, in := range m.Modifiers {
			showIndicator(tw, m, in, lang)
		}
	}
	if len(m.Gates) > 0 {
		fmt.Fprintf(tw, "\ngates (cap the grade)\t\n")
		for _, gt := range m.Gates {
			fmt.Fprintf(tw, "  %s %s\t%s → %s\t%s\n", gt.ID, gt.Name.In(lang), gt.Condition(), m.GradeLabel(gt.Cap, lang), gt.Clause)
		}
	}
	tw.Flush()
	showChanges(w, m, lang)
}

// showChanges prints the model's change log, newest first: what each
// version changed and why, so that a grade that moved with the model is
// explained next to the model.
func showChanges(w io.Writer, m *models.Model, lang string) {
	if len(m.Changes) == 0 {
		return
	}
	head := "changes (newest first)"
	if lang == "zh" {
		head = "版本变更（由新到旧）"
	}
	fmt.Fprintf(w, "\n%s\n", head)
	for _, c := range m.Changes {
		text := strings.Join(strings.Fields(c.Text.In(lang)), " ")
		fmt.Fprintf(w, "  %s  %s\n", c.Version, text)
	}
}

func showIndicator(tw io.Writer, m *models.Model, in models.Indicator, lang string) {
	w := fmt.Sprintf("w %g", in.Weight)
	if m.Kind == models.ModelStaged {
		w = fmt.Sprintf("L%d", in.Level)
	}
	combine := ""
	if in.Combine != "" && in.Combine != "first" {
		combine = in.Combine + " of "
	}
	norm := assess.Describe(in.Normalize)
	long := utf8.RuneCountInString(norm) > maxNormWidth
	short := norm
	if long {
		short = fmt.Sprintf("%s (%d steps, below)", strings.SplitN(norm, " ", 2)[0], len(in.Normalize.Bands))
	}
	fmt.Fprintf(tw, "  %s %s\t%s\t%s%s\t%s\t%s\n", in.ID, in.Name.In(lang), w, combine, strings.Join(in.Metrics, ", "), short, in.Clause)
	// Lines whose text is their last cell do not widen the columns.
	if long {
		fmt.Fprintf(tw, "\t\t\t%s\n", norm)
	}
	if d := in.Decay; d != nil {
		fmt.Fprintf(tw, "\t\t\tscores 0 when first of [%s] ≥ %g months (no recent activity)\n", strings.Join(d.Metrics, ", "), d.AfterMonths)
	}
}

// maxNormWidth bounds the normalisation column: a long step table is
// printed on its own line under the indicator.
const maxNormWidth = 60
