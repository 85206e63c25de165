package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/questionnaire"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
)

func newQuestionnaire(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "questionnaire",
		Short: "Make, check and import Excel questionnaires (supplier evaluation, self-assessment)",
		Long: `Procurement officers and governance teams send a workbook, get it back filled
in, and import it. The workbook is generated from the model itself, so a
custom model (config key models:) gives a matching form.

  1. osgauge questionnaire template --model supplier --lang zh --subject "Acme OSS Services" -o acme.xlsx
  2. send acme.xlsx; the respondent answers in the yellow cells and returns it
  3. osgauge questionnaire validate acme.xlsx   (or 'check', the same command: stores nothing)
  4. osgauge questionnaire import acme.xlsx --subject "Acme OSS Services"
  5. osgauge assess && osgauge report

Evidence questions take a level from 0 to 4: 0 absent, 1 claimed,
2 documented, 3 documented and evidence sampled, 4 measured and continuously
improved. A blank answer is "not answered" (inconclusive), never 0.

Answers are evidence as of the respondent's date (the form's date cell D6,
or respondent: {date: YYYY-MM-DD} in YAML): every answer is stored as
observed on that date, and the model's answer_validity_months (18 for
ISO/IEC 5230 and 18974 affirmations) expires it 18 months later, by calendar
months (2024-08-31 + 18 months = 2026-02-28). For such a model the date is
required: an undated file is refused, naming the line or cell (a workbook's
last-saved date does not count: saving it again would renew the answers).
Only for a model without answer_validity_months is an undated file taken as
of its collection, with a warning. A date later than the collection is an
error.

A returned workbook is checked against the model and version it was made for;
every problem is reported with its sheet and cell, and nothing is stored
unless the whole workbook is valid. Cell values are read as typed, never
evaluated: a formula is an error, and text starting with =, +, - or @ stays
text.

To score from a workbook at every 'osgauge collect', point the config at it
(suppliers: [{name: ..., questionnaire: acme.xlsx}] or
institution: {self_assessment: self.xlsx}); YAML answers keep working too.`,
	}
	cmd.AddCommand(newQuestionnaireTemplate(g), newQuestionnaireValidate(g), newQuestionnaireImport(g))
	return cmd
}

// questionnaireModels returns the models in use: the config's (with its
// model overrides) when there is a config, the built-in ones otherwise.
func questionnaireModels(g *globals) (models.Set, *config.Config, error) {
	if g.configPath == "" {
		if _, err := os.Stat("osgauge.yaml"); err != nil {
			set, err := models.Load(nil)
			return set, nil, err
		}
	}
	c, err := g.loadConfig()
	if err != nil {
		return nil, nil, err
	}
	set, err := loadModels(c)
	return set, c, err
}

// askingModels lists the models that ask questions.
func askingModels(set models.Set) []string {
	var ids []string
	for id, m := range set {
		for _, mid := range m.IndicatorIDs() {
			if in := m.Indicator(mid); in != nil && slices.ContainsFunc(in.Metrics, func(s string) bool { return strings.HasPrefix(s, questionnaire.Name+".") }) {
				ids = append(ids, id)
				break
			}
		}
	}
	slices.Sort(ids)
	return ids
}

func newQuestionnaireTemplate(g *globals) *cobra.Command {
	var modelID, out, subject string
	var force bool
	cmd := &cobra.Command{
		Use:   "template --model ID [-o FILE.xlsx]",
		Short: "Write a fillable questionnaire workbook for a model",
		Long: `template writes an Excel workbook generated from the model (the built-in one,
or the config's override under models:):

  - an instructions sheet: what to do, who answers, the evidence scale
    (0 absent … 4 measured and continuously improved), the model id, version
    and content hash;
  - a questions sheet with one row per question: id, dimension or domain,
    level (staged models), question, guidance and the standard clause, the
    answer type, then the answer (a 0-4 drop-down for evidence questions, a
    number ≥ 0 otherwise), evidence reference and notes; the respondent's
    name, role and date at the top.

Headers, ids and questions are locked (sheet protection, no password);
answer, evidence, notes and respondent cells are open. A hidden sheet
records the model id and version, so that import refuses a workbook made
for another model or version.

The language comes from --lang, else the config's report.lang, else zh.
--subject prints the supplier's (or institution's) name on the form; import
then refuses the workbook for any other subject.`,
		Example: `  osgauge questionnaire template --model supplier --lang zh --subject "Acme OSS Services" -o acme.xlsx
  osgauge questionnaire template --model governance-maturity --lang en -o self-assessment.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			set, c, err := questionnaireModels(g)
			if err != nil {
				return err
			}
			asking := askingModels(set)
			if modelID == "" {
				return fmt.Errorf("--model is required: one of %s", strings.Join(asking, ", "))
			}
			m, ok := set[modelID]
			if !ok {
				return fmt.Errorf("--model: unknown model %q (models with questions: %s)", modelID, strings.Join(asking, ", "))
			}
			lang := g.lang
			switch {
			case lang == "" && c != nil:
				lang = c.Report.Lang
			case lang == "":
				lang = "zh"
			case !slices.Contains(config.KnownLangs, lang):
				return fmt.Errorf("--lang must be zh or en, got %q", lang)
			}
			if out == "" {
				out = fmt.Sprintf("questionnaire-%s-%s.xlsx", m.ID, lang)
			}
			if !force {
				if _, err := os.Stat(out); err == nil {
					return fmt.Errorf("%s already exists (it may hold answers): choose another -o, or pass --force to overwrite it", out)
				}
			}
			if err := questionnaire.WriteTemplate(out, m, questionnaire.TemplateOptions{Lang: lang, Subject: subject}); err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "wrote %s: model %s %s (%s), %s\n", absOr(out), m.ID, m.Version, m.Name.In(lang), lang)
			who := subject
			if who == "" {
				who = "NAME"
			}
			fmt.Fprintf(w, "send it to the respondent; when it comes back:\n  osgauge questionnaire validate %s\n  osgauge questionnaire import %s --subject %q\n", out, out, who)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&modelID, "model", "", "model to make the form from: supplier or governance-maturity (or a custom model's id)")
	f.StringVarP(&out, "output", "o", "", "workbook to write (.xlsx; default questionnaire-<model>-<lang>.xlsx)")
	f.StringVar(&subject, "subject", "", "the supplier (or institution) the form is for, as named in osgauge.yaml")
	f.BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

// reportProblems prints a workbook's problems, one per line, and returns a
// short error for the exit status.
func reportProblems(w io.Writer, file string, err error, after string) error {
	var we *questionnaire.WorkbookError
	if !errors.As(err, &we) {
		return err
	}
	fmt.Fprintln(w, we.Error())
	return fmt.Errorf("%s: %d problem(s) found%s", file, len(we.Problems), after)
}

// questionnaireNow is the time of a check or an import (tests set it).
var questionnaireNow = time.Now

func newQuestionnaireValidate(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:     "validate FILE.xlsx...",
		Aliases: []string{"check"},
		Short:   "Check returned questionnaires without storing them (alias: check); every problem names its sheet and cell",
		Long: `validate checks each workbook against the model and version it was made for
(built-in, or the config's override) and prints every problem with its sheet
and cell, all at once: a renamed or missing sheet, deleted, inserted or moved
rows, merged cells, text or changes in the level column, formulas, evidence
levels outside 0-4, numbers below 0, a missing respondent name, a missing
respondent's date (when the model sets answer_validity_months), a date that
is not a date or is later than today, a workbook for another model or
version. It stores nothing. YAML answer files are checked too.

It reports the respondent's date and warns when the answers have expired:
dated answer_validity_months or more before today (by calendar months,
clamped to the end of the month: 2024-08-31 + 18 months = 2026-02-28), the
assessment does not use them; ask for new answers. For a model without
answer_validity_months it warns when the file is undated (the answers would
be taken as of their collection) or older than 18 months, the validity of
ISO/IEC 5230 and 18974 affirmations.

'questionnaire check' is another name for validate: the same command. It
differs from 'questionnaire import', which validates the same way and then
stores the answers, and from the top-level 'osgauge check', which checks a
system's SBOM against the lifecycle policy.`,
		Example: "  osgauge questionnaire check acme.xlsx beta.xlsx",
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, _, err := questionnaireModels(g)
			if err != nil {
				return err
			}
			now := questionnaireNow()
			var failed []error
			for _, file := range args {
				a, err := questionnaire.Read(file, set, "")
				if err == nil {
					err = printAnswers(cmd.OutOrStdout(), cmd.ErrOrStderr(), file, a, now)
				}
				if err != nil {
					failed = append(failed, reportProblems(cmd.ErrOrStderr(), file, err, ""))
				}
			}
			return errors.Join(failed...)
		},
	}
}

// printAnswers summarises a valid questionnaire, with its answer date, and
// warns on w2 when the answers have expired at now (or, for a model
// without answer_validity_months, when they are undated or older than
// questionnaire.DefaultValidityMonths). Undated answers to a model that
// expires them, or a date later than now, are an error (nothing printed).
func printAnswers(w, w2 io.Writer, file string, a *questionnaire.Answers, now time.Time) error {
	at, undated, err := a.AnsweredAt(now)
	if err != nil {
		return err
	}
	asked := 0
	for _, id := range a.Model.IndicatorIDs() {
		in := a.Model.Indicator(id)
		if slices.ContainsFunc(in.Metrics, func(s string) bool { return strings.HasPrefix(s, questionnaire.Name+".") }) {
			asked++
		}
	}
	fmt.Fprintf(w, "%s: ok: model %s %s, %d questions, %d answered, %d not answered", file, a.Model.ID, a.Model.Version, asked, len(a.Items), asked-len(a.Items))
	if a.Respondent != "" {
		fmt.Fprintf(w, "; respondent %s", a.Respondent)
	}
	if a.Subject != "" {
		fmt.Fprintf(w, "; for %s", a.Subject)
	}
	if undated != "" {
		fmt.Fprint(w, "; not dated")
	} else {
		fmt.Fprintf(w, "; answered %s", a.Date.Format(time.DateOnly))
	}
	fmt.Fprintln(w)
	if len(a.Items) == 0 {
		return nil // nothing answered: nothing to date
	}
	if undated != "" {
		fmt.Fprintf(w2, "warning: %s: the answers are not dated: give the respondent's date (%s); otherwise they are taken as of the date they are collected\n", file, dateField(a))
		return nil
	}
	if !a.Expired(at, now) {
		return nil
	}
	months, expiry := a.ValidityMonths(), a.Expiry(at).Format(time.DateOnly)
	if a.Model.AnswerValidityMonths > 0 {
		fmt.Fprintf(w2, "warning: %s: the answers are dated %s, %d months or more (answer_validity_months of model %s) before %s: they expired on %s and are not evidence any more; ask for new answers\n",
			file, at.Format(time.DateOnly), months, a.Model.ID, now.Format(time.DateOnly), expiry)
	} else {
		fmt.Fprintf(w2, "warning: %s: the answers are dated %s, %d months or more (the validity of ISO/IEC 5230 and 18974 affirmations) before %s, since %s: model %s sets no answer_validity_months, so the assessment still uses them; ask for new answers\n",
			file, at.Format(time.DateOnly), months, now.Format(time.DateOnly), expiry, a.Model.ID)
	}
	return nil
}

// dateField says where a questionnaire's date goes.
func dateField(a *questionnaire.Answers) string {
	if questionnaire.IsWorkbook(a.File) {
		return "the Date cell at the top of the questions sheet, D6"
	}
	return "respondent: {date: YYYY-MM-DD}"
}

func newQuestionnaireImport(g *globals) *cobra.Command {
	var subject string
	cmd := &cobra.Command{
		Use:   "import FILE.xlsx --subject NAME",
		Short: "Validate a returned questionnaire and store its answers for a supplier or the institution",
		Long: `import validates the workbook (as validate does) and, only if the whole
workbook is valid, records every answer as an observation of the subject
NAME — a supplier of osgauge.yaml, or its institution — in one collection
run, observed on the respondent's date. Each observation's evidence names the
workbook, sheet and cell, the date and the respondent ("answered 2026-11-20
by name, role"), then the evidence reference typed beside the answer.
A blank answer is recorded as "not answered" (inconclusive). Nothing is
stored when any problem is found.

Then run 'osgauge assess' and 'osgauge report'. 'osgauge collect' reads the
questionnaire file the config names for the subject; point it at this
workbook to keep using these answers there.`,
		Example: `  osgauge questionnaire import acme.xlsx --subject "Acme OSS Services"
  osgauge questionnaire import self-assessment.xlsx --subject "Example Bank"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			if subject == "" {
				return errors.New("--subject is required: the supplier's name (or the institution's) as osgauge.yaml gives it")
			}
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			set, err := loadModels(c)
			if err != nil {
				return err
			}
			t, configured, err := questionnaireTarget(c, subject)
			if err != nil {
				return err
			}
			t.Questionnaire = absOr(file)
			// Validate before the store is opened: nothing is written unless
			// the whole workbook is valid.
			a, err := questionnaire.Read(file, set, t.Subject.Kind)
			if err != nil {
				return reportProblems(cmd.ErrOrStderr(), file, err, "; nothing was stored")
			}
			if a.Subject != "" && a.Subject != t.Subject.Name {
				return fmt.Errorf("%s: the workbook was made for %q, not %q; nothing was stored", file, a.Subject, t.Subject.Name)
			}
			if err := printAnswers(cmd.OutOrStdout(), cmd.ErrOrStderr(), file, a, questionnaireNow()); err != nil {
				return reportProblems(cmd.ErrOrStderr(), file, err, "; nothing was stored")
			}
			s, err := openSession(cmd.Context(), cmd.OutOrStdout(), g, c)
			if err != nil {
				return err
			}
			defer s.Close()
			// One collection run with the questionnaire collector only; its
			// warnings were printed above.
			qc := questionnaire.New(s.set)
			qc.Now = questionnaireNow
			qc.Warn = func(string) {}
			sum, err := pipeline.Collect(cmd.Context(), s.st, []collectors.Target{t}, []collectors.Collector{qc},
				pipeline.CollectOptions{Workers: 1, Progress: pipeline.NewProgress()})
			if sum != nil {
				printCollect(cmd.OutOrStdout(), sum)
			}
			if err != nil {
				return err
			}
			if len(sum.Failed) > 0 {
				return fmt.Errorf("%s: %s", file, sum.Failed[0].Error)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "imported %s for %s (%s); next: osgauge assess, osgauge report\n", file, t.Subject.Name, t.Subject.ID)
			if configured != "" && absOr(configured) != t.Questionnaire {
				fmt.Fprintf(cmd.OutOrStdout(), "note: %s names %s as this subject's questionnaire; 'osgauge collect' reads that file and its answers will then be the latest: point it at %s to keep these\n",
					filepath.Base(c.Path), configured, file)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&subject, "subject", "", "the supplier (or institution) the answers are about, as named in osgauge.yaml")
	return cmd
}

// questionnaireTarget finds the supplier or institution named name in the
// config, with the questionnaire file the config gives it.
func questionnaireTarget(c *config.Config, name string) (collectors.Target, string, error) {
	var names []string
	var match []collectors.Target
	for _, t := range pipeline.Targets(c) {
		if t.Subject.Kind == models.KindProject {
			continue
		}
		names = append(names, fmt.Sprintf("%q (%s)", t.Subject.Name, t.Subject.Kind))
		if t.Subject.Name == name || t.Subject.ID == name {
			return t, t.Questionnaire, nil
		}
		if strings.EqualFold(t.Subject.Name, name) {
			match = append(match, t)
		}
	}
	if len(match) == 1 {
		return match[0], match[0].Questionnaire, nil
	}
	if len(names) == 0 {
		return collectors.Target{}, "", fmt.Errorf("--subject %q: %s names no supplier and no institution", name, filepath.Base(c.Path))
	}
	return collectors.Target{}, "", fmt.Errorf("--subject %q is not a supplier or the institution of %s (it has: %s)", name, filepath.Base(c.Path), strings.Join(names, ", "))
}
