// Package questionnaire reads questionnaire answers (supplier evaluations
// and the institution's self-assessment) written as YAML or returned as an
// Excel workbook made from the model (Template, ParseWorkbook). Each answer
// becomes an observation with the file and line, or the workbook, sheet and
// cell, as evidence. A file is taken whole or not at all: any invalid
// answer rejects the file.
package questionnaire

import (
	"context"

	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"gopkg.in/yaml.v3"
)

// Name is the source name of questionnaire observations.
const Name = "questionnaire"

// Collector reads questionnaire files against the models they answer.
type Collector struct {
	Models models.Set
	Now    func() time.Time
	// Warn receives warnings (an undated file for a model without
	// answer_validity_months, answers already expired); New prints them on
	// stderr.
	Warn func(msg string)
}

// New returns a collector that validates answers against set.
func New(set models.Set) *Collector {
	return &Collector{Models: set, Now: time.Now, Warn: func(msg string) { fmt.Fprintln(os.Stderr, "warning: "+msg) }}
}

func (c *Collector) Name() string            { return Name }
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{} }

func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if t.Questionnaire == "" {
		if t.Subject.Kind == models.KindProject {
			return false, "" // projects are not asked questionnaires
		}
		return false, "no questionnaire file"
	}
	return true, ""
}

// Answers is a parsed, validated questionnaire.
type Answers struct {
	File       string
	Model      *models.Model
	Subject    string
	Respondent string
	// Date is when the answers were given: the respondent's date (YAML
	// respondent.date, the form's date cell D6); zero when the file is
	// undated, which Parse and ParseWorkbook allow only when the model
	// sets no answer_validity_months (see DateRequired). A workbook's
	// last-saved date never stands in for it: saving a form again would
	// renew its answers.
	Date time.Time
	// Where the date is, for messages: the YAML line, or the sheet and cell.
	DateLine            int
	DateSheet, DateCell string
	Items               []Item
}

// Item is one answer.
type Item struct {
	ID       string
	Value    float64
	Evidence string
	Notes    string
	Line     int // YAML: the line; workbook: the row
	// Where locates the answer in a workbook ("sheet 供应商评估, cell G14");
	// empty for YAML, whose evidence names the line.
	Where string
	// NotApplicable: answered "N/A" or "不适用" (a self-assessment's
	// practice that does not apply), with the reason in Notes (else
	// Evidence). Value is then meaningless.
	NotApplicable bool
}

// notApplicableAnswer reports whether an answer says "not applicable":
// N/A, NA, n/a, 不适用.
func notApplicableAnswer(s string) bool {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "N/A", "NA", "不适用":
		return true
	}
	return false
}

// notApplicableReason is why an N/A answer does not apply: its notes,
// else its evidence.
func (it Item) notApplicableReason() string {
	if r := strings.TrimSpace(it.Notes); r != "" {
		return r
	}
	return strings.TrimSpace(it.Evidence)
}

// Collect parses and validates the target's questionnaire and returns one
// observation per question of the model (unanswered ones inconclusive).
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	a, err := Read(t.Questionnaire, c.Models, t.Subject.Kind)
	if err != nil {
		return nil, cost, err
	}
	if a.Subject != "" && a.Subject != t.Subject.Name {
		return nil, cost, fmt.Errorf("%s: questionnaire is for %q but the config names %q", t.Questionnaire, a.Subject, t.Subject.Name)
	}
	now := c.Now()
	at, undated, err := a.AnsweredAt(now)
	if err != nil {
		return nil, cost, err
	}
	switch {
	case len(a.Items) == 0 || c.Warn == nil:
	case undated != "":
		// Only for a model without answer_validity_months: the others
		// refuse an undated file.
		c.Warn(fmt.Sprintf("%s: the answers are not dated (no respondent date): taken as of %s, the collection date; add the date they were given", t.Questionnaire, now.Format(time.DateOnly)))
	case a.Model.AnswerValidityMonths > 0 && a.Expired(at, now):
		c.Warn(fmt.Sprintf("%s: the answers are dated %s and expired on %s (answer_validity_months of model %s: %d): the assessment will not use them; ask for new answers",
			t.Questionnaire, at.Format(time.DateOnly), a.Expiry(at).Format(time.DateOnly), a.Model.ID, a.Model.AnswerValidityMonths))
	}
	answered := map[string]Item{}
	for _, it := range a.Items {
		answered[it.ID] = it
	}
	base := filepath.Base(a.File)
	by := a.Attribution(now)
	var obs []models.Observation
	for _, id := range a.Model.IndicatorIDs() {
		o := models.Observation{SubjectID: t.Subject.ID, Metric: Name + "." + id, Source: Name, ObservedAt: at}
		if it, ok := answered[id]; ok {
			o.Value = models.Num(it.Value)
			if it.NotApplicable {
				// Not applicable, with who (the evidence) and why (the
				// reason): the assessment leaves the practice out.
				o.Value, o.Text, o.Reason = nil, models.NotApplicableText, it.notApplicableReason()
			}
			o.Evidence = fmt.Sprintf("%s line %d", base, it.Line)
			if it.Where != "" {
				o.Evidence = base + ", " + it.Where
			}
			o.Evidence += " (" + by + ")"
			if it.Evidence != "" {
				o.Evidence += ": " + it.Evidence
			}
		} else if usesQuestionnaire(a.Model.Indicator(id)) {
			// No value, never 0: a gate on an unanswered question is not
			// evaluated, neither passed nor fired.
			o.Reason = "not answered in " + base
		} else {
			continue // fed by another source, not asked
		}
		obs = append(obs, o)
	}
	return obs, cost, nil
}

// Attribution says when and by whom the answers were given, for evidence:
// "answered 2026-10-20 by Wang Fang, Solution Director"; an undated file
// says it was taken as of now.
func (a *Answers) Attribution(now time.Time) string {
	var s string
	switch {
	case a.Date.IsZero():
		s = "answer not dated: taken as of " + now.Format(time.DateOnly)
		if a.Respondent != "" {
			s = "answered by " + a.Respondent + "; " + s
		}
		return s
	default:
		s = "answered " + a.Date.Format(time.DateOnly)
	}
	if a.Respondent != "" {
		s += " by " + a.Respondent
	}
	return s
}

// Read parses and validates a questionnaire file: a workbook (by its
// extension) through ParseWorkbook, YAML through Parse.
func Read(path string, set models.Set, kind models.SubjectKind) (*Answers, error) {
	if IsWorkbook(path) {
		return ParseWorkbook(path, set, kind)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, set, kind)
}

// mapValue returns the value of key in mapping n, nil if absent.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func usesQuestionnaire(in *models.Indicator) bool {
	for _, m := range in.Metrics {
		if strings.HasPrefix(m, Name+".") {
			return true
		}
	}
	return false
}

// Parse validates a questionnaire file. kind is the subject kind expected
// (a supplier's file must answer a supplier model). Every problem is
// reported with its line; nothing is returned unless the whole file is valid.
func Parse(file string, data []byte, set models.Set, kind models.SubjectKind) (*Answers, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: expected a mapping with model, subject, respondent and answers", file)
	}
	root := doc.Content[0]
	var errs []string
	fail := func(n *yaml.Node, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("line %d: ", n.Line)+fmt.Sprintf(format, args...))
	}
	a := &Answers{File: file}
	var modelID, version string
	var answers *yaml.Node
	dateAt := 0 // where respondent.date goes: the respondent's line, or the blank date's
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "model":
			modelID = v.Value
		case "model_version":
			version = v.Value
		case "subject":
			a.Subject = v.Value
		case "respondent":
			dateAt = v.Line
			var r struct {
				Name string `yaml:"name"`
				Role string `yaml:"role"`
				Date string `yaml:"date"`
			}
			if err := v.Decode(&r); err != nil {
				fail(v, "respondent: %s", strings.TrimPrefix(err.Error(), "yaml: "))
			}
			a.Respondent = strings.TrimSpace(strings.Join([]string{r.Name, r.Role}, ", "))
			a.Respondent = strings.Trim(a.Respondent, ", ")
			d := mapValue(v, "date")
			if d != nil {
				dateAt = d.Line
			}
			if d != nil && strings.TrimSpace(d.Value) != "" {
				a.DateLine = d.Line
				if at, err := parseDate(d.Value); err != nil {
					fail(d, "respondent.date: %v", err)
				} else {
					a.Date = at
				}
			}
		case "answers":
			answers = v
		default:
			fail(k, "unknown key %q (expected model, model_version, subject, respondent, answers)", k.Value)
		}
	}
	m, ok := set[modelID]
	switch {
	case modelID == "":
		fail(root, "model is required (e.g. model: supplier)")
	case !ok:
		fail(root, "unknown model %q", modelID)
	case kind != "" && m.Subject != kind:
		fail(root, "model %q assesses %ss, but this questionnaire is for a %s", modelID, m.Subject, kind)
	case version != "" && !m.AcceptsAnswersFor(version):
		fail(root, "questionnaire was made for %s version %s, but the model in use is version %s: regenerate the questionnaire or use the matching model", modelID, version, m.Version)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", file, strings.Join(errs, "\n  "))
	}
	a.Model = m
	if answers == nil {
		return nil, fmt.Errorf("%s: answers are missing", file)
	}
	if answers.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: line %d: answers must be a mapping of question id to answer", file, answers.Line)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(answers.Content); i += 2 {
		k, v := answers.Content[i], answers.Content[i+1]
		id := k.Value
		in := m.Indicator(id)
		if in == nil || !usesQuestionnaire(in) {
			fail(k, "answers.%s: no such question in model %s %s", id, m.ID, m.Version)
			continue
		}
		if seen[id] {
			fail(k, "answers.%s: answered twice", id)
			continue
		}
		seen[id] = true
		it, err := parseItem(id, v, in.Normalize.Evidence)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		if it.NotApplicable {
			if msg := checkNotApplicable(m, in, it); msg != "" {
				fail(k, "answers.%s: %s", id, msg)
				continue
			}
		}
		it.Line = k.Line
		a.Items = append(a.Items, it)
	}
	if a.DateLine == 0 && m.AnswerValidityMonths > 0 && len(answers.Content) > 0 {
		// Undated answers to a model that expires them would be taken as
		// of every collection, renewed for ever. First: the respondent
		// comes before the answers.
		var msg string
		if dateAt != 0 {
			msg = fmt.Sprintf("line %d: respondent.date is required: add the date the answers were given, as YYYY-MM-DD (respondent: {name: …, date: 2026-11-20}): %s",
				dateAt, whyDated(m))
		} else {
			msg = fmt.Sprintf("line %d: respondent is required: add respondent: {name: NAME, date: YYYY-MM-DD} with the date the answers were given (e.g. 2026-11-20): %s",
				root.Line, whyDated(m))
		}
		errs = append([]string{msg}, errs...)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", file, strings.Join(errs, "\n  "))
	}
	return a, nil
}

// checkNotApplicable says what is wrong with an N/A answer ("" when
// nothing): only a staged model's practice (the institution's
// self-assessment) may be answered not applicable, and only with a reason.
// A supplier cannot set its own questions aside: the institution records
// that as an exception, with who and why.
func checkNotApplicable(m *models.Model, in *models.Indicator, it Item) string {
	switch {
	case m.Kind != models.ModelStaged:
		return fmt.Sprintf("N/A is only for a self-assessment's practices; model %s is not staged (an indicator that does not apply to a %s is set aside by an exception in the config, with who and why)", m.ID, m.Subject)
	case it.notApplicableReason() == "":
		return fmt.Sprintf("N/A needs a reason: say why practice %s does not apply in notes ({level: N/A, notes: …})", in.ID)
	}
	return ""
}

// parseItem reads `ID: 3`, `ID: {level: 3, evidence: …, notes: …}` or,
// for numeric questions, `ID: {value: 12, evidence: …}`.
func parseItem(id string, v *yaml.Node, evidence bool) (Item, error) {
	it := Item{ID: id}
	at := func(n *yaml.Node) string { return fmt.Sprintf("line %d: answers.%s", n.Line, id) }
	field := "value"
	if evidence {
		field = "level"
	}
	var num *yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		num = v
	case yaml.MappingNode:
		for i := 0; i+1 < len(v.Content); i += 2 {
			k, val := v.Content[i], v.Content[i+1]
			switch k.Value {
			case field:
				num = val
			case "evidence":
				it.Evidence = val.Value
			case "notes":
				it.Notes = val.Value
			default:
				return it, fmt.Errorf("%s: unknown key %q (expected %s, evidence, notes)", at(k), k.Value, field)
			}
		}
		if num == nil {
			return it, fmt.Errorf("%s: %s is required", at(v), field)
		}
	default:
		return it, fmt.Errorf("%s: expected a number or a mapping", at(v))
	}
	if evidence && notApplicableAnswer(num.Value) {
		it.NotApplicable = true // checked against the model by checkNotApplicable
		return it, nil
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(num.Value), 64)
	if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return it, fmt.Errorf("%s.%s must be a number, got %q", at(num), field, num.Value)
	}
	if evidence && (x < 0 || x > 4 || x != math.Trunc(x)) {
		return it, fmt.Errorf("%s.%s: evidence level must be 0-4, got %q", at(num), field, num.Value)
	}
	if !evidence && x < 0 {
		return it, fmt.Errorf("%s.%s must not be negative, got %q", at(num), field, num.Value)
	}
	it.Value = x
	return it, nil
}
