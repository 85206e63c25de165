package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/internal/yamlpos"
	"gopkg.in/yaml.v3"
)

// Text is a label in both report languages.
type Text struct {
	En string `yaml:"en" json:"en"`
	Zh string `yaml:"zh" json:"zh"`
}

// In returns the label in lang ("zh" or "en"), falling back to English.
func (t Text) In(lang string) string {
	if lang == "zh" && t.Zh != "" {
		return t.Zh
	}
	return t.En
}

// Model kinds: "index" models grade a weighted score; "staged" models give a
// maturity level by the staged rule, with the score beside it.
const (
	ModelIndex  = "index"
	ModelStaged = "staged"
)

// Model is a scoring model as written in YAML. Models are data: an
// institution can export one, change it and point its config at the copy.
type Model struct {
	ID          string      `yaml:"id" json:"id"`
	Version     string      `yaml:"version" json:"version"`
	Kind        string      `yaml:"kind" json:"kind"`
	Subject     SubjectKind `yaml:"subject" json:"subject"`
	Name        Text        `yaml:"name" json:"name"`
	Description Text        `yaml:"description" json:"description"`
	MinCoverage float64     `yaml:"min_coverage" json:"min_coverage"`
	Grades      []Grade     `yaml:"grades" json:"grades,omitempty"`
	Levels      []Level     `yaml:"levels" json:"levels,omitempty"`
	// PassEvidence is the evidence level (0–4) a practice needs to count as
	// done in a staged model.
	PassEvidence float64            `yaml:"pass_evidence" json:"pass_evidence,omitempty"`
	Profiles     map[string]Profile `yaml:"profiles" json:"profiles,omitempty"`
	Dimensions   []Dimension        `yaml:"dimensions" json:"dimensions"`
	Modifiers    []Indicator        `yaml:"modifiers" json:"modifiers,omitempty"`
	Gates        []Gate             `yaml:"gates" json:"gates,omitempty"`
	// AnswerValidityMonths: questionnaire answers older than this (by the
	// respondent's date) are expired, not evidence (ISO/IEC 5230 and 18974
	// conformance affirmations are valid for 18 months). 0: no expiry.
	AnswerValidityMonths int `yaml:"answer_validity_months" json:"answer_validity_months,omitempty"`
	// AnswersFrom lists earlier versions whose questionnaires still read
	// under this one: the model's author says the questions did not change
	// (a gate threshold or a weight did), so forms already sent out need
	// not be sent again.
	AnswersFrom []string `yaml:"answers_from" json:"answers_from,omitempty"`
	// EvidenceMaxAge says how old other evidence may be, by metric, by
	// source or by default (see EvidenceAge); older evidence is missing.
	EvidenceMaxAge *EvidenceAge `yaml:"evidence_max_age" json:"evidence_max_age,omitempty"`
	// Changes explains each version of the model, newest first.
	Changes []ModelChange         `yaml:"changes" json:"changes,omitempty"`
	Hash    string                `yaml:"-" json:"hash"`
	Source  string                `yaml:"-" json:"source"`
	byID    map[string]*Indicator `yaml:"-"`
}

// Grade is one step of the grade (or tier) scale: the best grade whose Min
// the score reaches applies. Grades are listed best first.
type Grade struct {
	ID    string  `yaml:"id" json:"id"`
	Min   float64 `yaml:"min" json:"min"`
	Label Text    `yaml:"label" json:"label"`
}

// ModelChange is what one model version changed, and why.
type ModelChange struct {
	Version string `yaml:"version" json:"version"`
	Text    `yaml:",inline"`
}

// Level is one maturity level of a staged model.
type Level struct {
	Level int  `yaml:"level" json:"level"`
	Name  Text `yaml:"name" json:"name"`
}

// Profile overrides dimension weights for one use type (JR/T 0291-2024:
// simple, deep, custom use).
type Profile struct {
	Name       Text               `yaml:"name" json:"name"`
	Dimensions map[string]float64 `yaml:"dimensions" json:"dimensions"`
}

// Dimension groups indicators (for a staged model: a domain of practices).
type Dimension struct {
	ID         string      `yaml:"id" json:"id"`
	Name       Text        `yaml:"name" json:"name"`
	Weight     float64     `yaml:"weight" json:"weight"`
	Clause     string      `yaml:"clause" json:"clause,omitempty"`
	Core       bool        `yaml:"core" json:"core,omitempty"`
	Indicators []Indicator `yaml:"indicators" json:"indicators"`
}

// Indicator is one measured quantity: which observations feed it, how it is
// normalised to [0,1], and its weight in its dimension.
type Indicator struct {
	ID        string    `yaml:"id" json:"id"`
	Name      Text      `yaml:"name" json:"name"`
	Question  Text      `yaml:"question" json:"question,omitempty"`
	Guidance  Text      `yaml:"guidance" json:"guidance,omitempty"`
	Metrics   []string  `yaml:"metrics" json:"metrics"`
	Combine   string    `yaml:"combine" json:"combine,omitempty"` // first (default) | mean | min | max | sum
	Normalize Normalize `yaml:"normalize" json:"normalize"`
	Weight    float64   `yaml:"weight" json:"weight"`
	Level     int       `yaml:"level" json:"level,omitempty"` // staged models: the practice's level
	Clause    string    `yaml:"clause" json:"clause"`
	// Decay makes a file-presence check worth nothing on an inactive
	// project: a security policy nobody answers is no policy.
	Decay *Decay `yaml:"decay" json:"decay,omitempty"`
}

// Decay: when the first of Metrics with data (months since the last
// activity) reaches AfterMonths, the indicator scores 0. Without data the
// indicator is left as measured.
type Decay struct {
	Metrics     []string `yaml:"metrics" json:"metrics"`
	AfterMonths float64  `yaml:"after_months" json:"after_months"`
}

// Normalize picks exactly one normalisation. Invert turns "bigger is
// better" into "smaller is better" (n becomes 1-n).
type Normalize struct {
	Log      *Threshold `yaml:"log" json:"log,omitempty"`
	InvLog   *Threshold `yaml:"inv-log" json:"inv-log,omitempty"`
	Linear   *Range     `yaml:"linear" json:"linear,omitempty"`
	Bands    []Band     `yaml:"bands" json:"bands,omitempty"`
	Bool     bool       `yaml:"bool" json:"bool,omitempty"`
	Evidence bool       `yaml:"evidence" json:"evidence,omitempty"`
	Invert   bool       `yaml:"invert" json:"invert,omitempty"`
}

// Threshold parameterises log and inv-log: a fixed value
// ({threshold: 50}) or a percentile of the institution's own portfolio
// ({threshold: p90}), so thresholds can be calibrated on real data.
type Threshold struct {
	Threshold  float64 `json:"threshold,omitempty"`
	Percentile float64 `json:"percentile,omitempty"` // 1..100 when written as pNN
}

// UnmarshalYAML reads {threshold: 50} or {threshold: p90}.
func (t *Threshold) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected {threshold: N} or {threshold: pNN}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value != "threshold" {
			return fmt.Errorf("line %d: field %s not found in type models.Threshold", k.Line, k.Value)
		}
		if p, ok := strings.CutPrefix(v.Value, "p"); ok {
			x, err := strconv.ParseFloat(p, 64)
			if err != nil || x <= 0 || x > 100 {
				return fmt.Errorf("line %d: percentile threshold must be p1..p100, got %q", v.Line, v.Value)
			}
			t.Percentile = x
			continue
		}
		x, err := strconv.ParseFloat(v.Value, 64)
		if err != nil {
			return fmt.Errorf("line %d: threshold must be a number or pNN, got %q", v.Line, v.Value)
		}
		t.Threshold = x
	}
	return nil
}

// String shows the threshold as written.
func (t Threshold) String() string {
	if t.Percentile > 0 {
		return fmt.Sprintf("p%g", t.Percentile)
	}
	return strconv.FormatFloat(t.Threshold, 'g', -1, 64)
}

// Range parameterises linear.
type Range struct {
	Min float64 `yaml:"min" json:"min"`
	Max float64 `yaml:"max" json:"max"`
}

// Band is one step of a step table. Numeric bands apply from Min upwards
// (the last band whose Min the value reaches wins); text bands match Equals.
type Band struct {
	Min    *float64 `yaml:"min" json:"min,omitempty"`
	Equals string   `yaml:"equals" json:"equals,omitempty"`
	Score  float64  `yaml:"score" json:"score"`
}

// Gate is a knock-out: when its condition holds on the observed data, the
// grade is capped at Cap whatever the score.
type Gate struct {
	ID     string `yaml:"id" json:"id"`
	Name   Text   `yaml:"name" json:"name"`
	Metric string `yaml:"metric" json:"metric,omitempty"`
	// Metrics is the alternative to Metric when several sources can
	// decide (git history or a forge); Combine says how: "first" (the
	// default: the first metric with data decides, as for indicators) or
	// "any" (the gate fires when any metric with data meets the condition).
	Metrics []string `yaml:"metrics" json:"metrics,omitempty"`
	Combine string   `yaml:"combine" json:"combine,omitempty"`
	Op      string   `yaml:"op" json:"op"` // eq ne lt le gt ge
	Value   float64  `yaml:"value" json:"value"`
	Equals  string   `yaml:"equals" json:"equals,omitempty"` // text match instead of Op/Value
	Cap     string   `yaml:"cap" json:"cap"`
	// UnevaluatedCap is the best grade a subject can have while the gate
	// cannot be evaluated (default: the grade below the top), so missing
	// data never passes a gate silently.
	UnevaluatedCap string `yaml:"unevaluated_cap" json:"unevaluated_cap,omitempty"`
	// Also are further conditions that must all hold too (a single
	// maintainer and no security policy).
	Also   []GateCondition `yaml:"also" json:"also,omitempty"`
	Clause string          `yaml:"clause" json:"clause"`
}

// GateCondition is one more condition of a gate: the first of Metrics
// with data is compared with Op/Value or Equals.
type GateCondition struct {
	Metrics []string `yaml:"metrics" json:"metrics"`
	Op      string   `yaml:"op" json:"op,omitempty"`
	Value   float64  `yaml:"value" json:"value"`
	Equals  string   `yaml:"equals" json:"equals,omitempty"`
}

// MetricList is the gate's metrics, in order.
func (g Gate) MetricList() []string {
	if len(g.Metrics) > 0 {
		return g.Metrics
	}
	if g.Metric == "" {
		return nil
	}
	return []string{g.Metric}
}

// Condition says when the gate fires, e.g. "gitlocal.months_since_last_commit ge 12"
// or, with several metrics, "first of [a, b] ge 12".
func (g Gate) Condition() string {
	subject := g.Metric
	if len(g.Metrics) > 0 {
		how := g.Combine
		if how == "" {
			how = "first"
		}
		subject = how + " of [" + strings.Join(g.Metrics, ", ") + "]"
	}
	cond := fmt.Sprintf("%s %s %g", subject, g.Op, g.Value)
	if g.Equals != "" {
		cond = fmt.Sprintf("%s = %q", subject, g.Equals)
	}
	for _, c := range g.Also {
		of := c.Metrics[0]
		if len(c.Metrics) > 1 {
			of = "first of [" + strings.Join(c.Metrics, ", ") + "]"
		}
		if c.Equals != "" {
			cond += fmt.Sprintf(" and %s = %q", of, c.Equals)
		} else {
			cond += fmt.Sprintf(" and %s %s %g", of, c.Op, c.Value)
		}
	}
	return cond
}

// Indicator returns the indicator (or modifier) with id.
func (m *Model) Indicator(id string) *Indicator {
	if m.byID == nil {
		m.index()
	}
	return m.byID[id]
}

func (m *Model) index() {
	m.byID = map[string]*Indicator{}
	for d := range m.Dimensions {
		for i := range m.Dimensions[d].Indicators {
			in := &m.Dimensions[d].Indicators[i]
			m.byID[in.ID] = in
		}
	}
	for i := range m.Modifiers {
		m.byID[m.Modifiers[i].ID] = &m.Modifiers[i]
	}
}

// IndicatorIDs lists every indicator and modifier id, in model order.
func (m *Model) IndicatorIDs() []string {
	var ids []string
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			ids = append(ids, in.ID)
		}
	}
	for _, in := range m.Modifiers {
		ids = append(ids, in.ID)
	}
	return ids
}

// GradeLabel returns the label of grade id in lang, or id itself.
func (m *Model) GradeLabel(id, lang string) string {
	for _, g := range m.Grades {
		if g.ID == id {
			if l := g.Label.In(lang); l != "" {
				return l
			}
		}
	}
	return id
}

// LevelName returns the name of maturity level n in lang.
func (m *Model) LevelName(n int, lang string) string {
	for _, l := range m.Levels {
		if l.Level == n {
			return l.Name.In(lang)
		}
	}
	return fmt.Sprintf("L%d", n)
}

// DimensionWeight returns dimension d's weight under profile (use type).
func (m *Model) DimensionWeight(d Dimension, profile string) float64 {
	if p, ok := m.Profiles[profile]; ok {
		if w, ok := p.Dimensions[d.ID]; ok {
			return w
		}
	}
	return d.Weight
}

// Parse decodes and validates a model. name is used in error messages
// (a file path, or "builtin/project-health.yaml"). Unknown keys are errors.
func Parse(name string, data []byte) (*Model, error) {
	var m Model
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %s", name, yamlpos.CleanError(err))
	}
	if errs := m.validate(yamlpos.Parse(data)); len(errs) > 0 {
		return nil, fmt.Errorf("%s: invalid model:\n  %s", name, strings.Join(errs, "\n  "))
	}
	sum := sha256.Sum256(data)
	m.Hash = "sha256:" + hex.EncodeToString(sum[:])
	m.Source = name
	if m.Kind == "" {
		m.Kind = ModelIndex
	}
	m.index()
	return &m, nil
}

// validateLadder refuses a staged model in which a domain has a level
// without any practice between 2 and the domain's highest practice level:
// the ladder rule would count such an empty level as passed, so a domain
// could reach it with no evidence at all. Level 1 (ad hoc) is the floor
// every subject stands on and needs no practice.
func (m *Model) validateLadder(doc yamlpos.Doc) []string {
	var errs []string
	for di, d := range m.Dimensions {
		top := 0
		has := map[int]bool{}
		for _, in := range d.Indicators {
			if in.Level >= 1 && in.Level <= len(m.Levels) {
				has[in.Level] = true
				top = max(top, in.Level)
			}
		}
		for n := 2; n < top; n++ {
			if !has[n] {
				errs = append(errs, doc.At("dimensions", fmt.Sprint(di))+fmt.Sprintf(
					"domain %s: level %d has no practice, but the domain has practices up to level %d (an empty level would count as passed)",
					d.ID, n, top))
			}
		}
	}
	return errs
}

// validate checks what the YAML decoder cannot: ids, weights, bands,
// normalisations, grade order. Messages carry the line of the offending node.
func (m *Model) validate(doc yamlpos.Doc) []string {
	var errs []string
	at := doc.At
	if m.ID == "" {
		errs = append(errs, "id is required")
	}
	if m.Version == "" {
		errs = append(errs, at("id")+"version is required")
	}
	switch m.Kind {
	case "", ModelIndex, ModelStaged:
	default:
		errs = append(errs, at("kind")+fmt.Sprintf("kind must be %q or %q, got %q", ModelIndex, ModelStaged, m.Kind))
	}
	switch m.Subject {
	case KindProject, KindSupplier, KindInstitution:
	default:
		errs = append(errs, at("subject")+fmt.Sprintf("subject must be project, supplier or institution, got %q", m.Subject))
	}
	for _, v := range m.AnswersFrom {
		if strings.TrimSpace(v) == "" || v == m.Version {
			errs = append(errs, at("answers_from")+fmt.Sprintf("answers_from: %q is not an earlier version", v))
		}
	}
	if m.AnswerValidityMonths < 0 {
		errs = append(errs, at("answer_validity_months")+"answer_validity_months must not be negative")
	}
	errs = append(errs, m.validateEvidenceAge(doc)...)
	if m.MinCoverage < 0 || m.MinCoverage > 1 {
		errs = append(errs, at("min_coverage")+fmt.Sprintf("min_coverage must be within 0..1, got %v", m.MinCoverage))
	}
	if m.Kind == ModelStaged {
		if len(m.Levels) == 0 {
			errs = append(errs, "a staged model needs levels")
		}
		if m.PassEvidence <= 0 || m.PassEvidence > 4 {
			errs = append(errs, at("pass_evidence")+"pass_evidence must be within 1..4")
		}
		errs = append(errs, m.validateLadder(doc)...)
	} else if len(m.Grades) == 0 {
		errs = append(errs, "grades are required")
	}
	for i := 1; i < len(m.Grades); i++ {
		if m.Grades[i].Min >= m.Grades[i-1].Min {
			errs = append(errs, at("grades")+fmt.Sprintf("grades must be listed best first with decreasing min: %s (%v) after %s (%v)",
				m.Grades[i].ID, m.Grades[i].Min, m.Grades[i-1].ID, m.Grades[i-1].Min))
		}
	}
	if len(m.Dimensions) == 0 {
		errs = append(errs, "at least one dimension is required")
	}
	seen := map[string]bool{}
	dup := func(id, where string) {
		if seen[id] {
			errs = append(errs, where+fmt.Sprintf("duplicate id %q", id))
		}
		seen[id] = true
	}
	var total float64
	for di, d := range m.Dimensions {
		dpath := []string{"dimensions", fmt.Sprint(di)}
		if d.ID == "" {
			errs = append(errs, at(dpath...)+"dimension id is required")
		}
		dup(d.ID, at(append(dpath, "id")...))
		if d.Weight < 0 {
			errs = append(errs, at(append(dpath, "weight")...)+fmt.Sprintf("%s: dimension %s: weight must not be negative, got %g", keyPath(append(dpath, "weight")...), d.ID, d.Weight))
		}
		total += d.Weight
		if len(d.Indicators) == 0 {
			errs = append(errs, at(dpath...)+fmt.Sprintf("dimension %s has no indicators", d.ID))
		}
		for ii, in := range d.Indicators {
			ipath := append(slices.Clone(dpath), "indicators", fmt.Sprint(ii))
			dup(in.ID, at(append(ipath, "id")...))
			errs = append(errs, negativeWeight(at, ipath, in)...)
			errs = append(errs, in.validate(at(ipath...), m.Kind == ModelStaged, len(m.Levels))...)
		}
	}
	// Weights are points of the index: they must add up to 100, for the
	// model and for every use-type profile, or scores stop being comparable.
	if math.Abs(total-100) > 1e-9 {
		errs = append(errs, at("dimensions")+fmt.Sprintf("dimension weights add up to %g, not 100", total))
	}
	for _, name := range m.SortedProfiles() {
		sum := 0.0
		for _, d := range m.Dimensions {
			sum += m.DimensionWeight(d, name)
		}
		if math.Abs(sum-100) > 1e-9 {
			errs = append(errs, at("profiles", name)+fmt.Sprintf("profile %s: dimension weights add up to %g, not 100", name, sum))
		}
		// A negative weight could still add up to 100 with the others,
		// and would turn a score range upside down (issue 22).
		p := m.Profiles[name]
		for _, did := range slices.Sorted(maps.Keys(p.Dimensions)) {
			if w := p.Dimensions[did]; w < 0 {
				path := []string{"profiles", name, "dimensions", did}
				errs = append(errs, at(path...)+fmt.Sprintf("%s: profile %s: weight of dimension %s must not be negative, got %g", keyPath(path...), name, did, w))
			}
		}
	}
	var ids []string
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			ids = append(ids, in.ID)
		}
	}
	for _, in := range m.Modifiers {
		ids = append(ids, in.ID)
	}
	checkMetrics := func(path []string, metrics []string) {
		for mi, metric := range metrics {
			if why := CheckMetric(metric, ids); why != "" {
				errs = append(errs, at(append(path, "metrics", fmt.Sprint(mi))...)+why)
			}
		}
	}
	for di, d := range m.Dimensions {
		for ii, in := range d.Indicators {
			checkMetrics([]string{"dimensions", fmt.Sprint(di), "indicators", fmt.Sprint(ii)}, in.Metrics)
		}
	}
	for ii, in := range m.Modifiers {
		checkMetrics([]string{"modifiers", fmt.Sprint(ii)}, in.Metrics)
	}
	for di, d := range m.Dimensions {
		for ii, in := range d.Indicators {
			if in.Decay == nil {
				continue
			}
			path := []string{"dimensions", fmt.Sprint(di), "indicators", fmt.Sprint(ii), "decay"}
			if len(in.Decay.Metrics) == 0 || in.Decay.AfterMonths <= 0 {
				errs = append(errs, at(path...)+fmt.Sprintf("indicator %s: decay needs metrics and after_months > 0", in.ID))
			}
			checkMetrics(path, in.Decay.Metrics)
		}
	}
	for gi, g := range m.Gates {
		if g.Metric != "" {
			if why := CheckMetric(g.Metric, ids); why != "" {
				errs = append(errs, at("gates", fmt.Sprint(gi), "metric")+why)
			}
		}
		for mi, metric := range g.Metrics {
			if why := CheckMetric(metric, ids); why != "" {
				errs = append(errs, at("gates", fmt.Sprint(gi), "metrics", fmt.Sprint(mi))+why)
			}
		}
	}
	for ii, in := range m.Modifiers {
		ipath := []string{"modifiers", fmt.Sprint(ii)}
		dup(in.ID, at(append(ipath, "id")...))
		errs = append(errs, negativeWeight(at, ipath, in)...)
		errs = append(errs, in.validate(at(ipath...), false, 0)...)
	}
	for name, p := range m.Profiles {
		for did := range p.Dimensions {
			if !slices.ContainsFunc(m.Dimensions, func(d Dimension) bool { return d.ID == did }) {
				errs = append(errs, at("profiles", name)+fmt.Sprintf("profile %s names unknown dimension %q", name, did))
			}
		}
	}
	for gi, g := range m.Gates {
		where := at("gates", fmt.Sprint(gi))
		dup(g.ID, where)
		switch {
		case g.Metric == "" && len(g.Metrics) == 0:
			errs = append(errs, where+fmt.Sprintf("gate %s: metric (or metrics) is required", g.ID))
		case g.Metric != "" && len(g.Metrics) > 0:
			errs = append(errs, where+fmt.Sprintf("gate %s: give metric or metrics, not both", g.ID))
		}
		if g.Combine != "" && g.Combine != "first" && g.Combine != "any" {
			errs = append(errs, where+fmt.Sprintf("gate %s: combine must be first or any, got %q", g.ID, g.Combine))
		}
		if g.Equals == "" && !slices.Contains([]string{"eq", "ne", "lt", "le", "gt", "ge"}, g.Op) {
			errs = append(errs, where+fmt.Sprintf("gate %s: op must be one of eq ne lt le gt ge, got %q", g.ID, g.Op))
		}
		if m.Kind != ModelStaged && !slices.ContainsFunc(m.Grades, func(gr Grade) bool { return gr.ID == g.Cap }) {
			errs = append(errs, where+fmt.Sprintf("gate %s: cap %q is not a grade of this model", g.ID, g.Cap))
		}
		ui := slices.IndexFunc(m.Grades, func(gr Grade) bool { return gr.ID == g.UnevaluatedCap })
		ci := slices.IndexFunc(m.Grades, func(gr Grade) bool { return gr.ID == g.Cap })
		switch {
		case g.UnevaluatedCap != "" && ui < 0:
			errs = append(errs, at("gates", fmt.Sprint(gi), "unevaluated_cap")+fmt.Sprintf("gate %s: unevaluated_cap %q is not a grade of this model", g.ID, g.UnevaluatedCap))
		case g.UnevaluatedCap != "" && ci >= 0 && ui > ci:
			// grades are listed best first: a larger index is worse
			errs = append(errs, at("gates", fmt.Sprint(gi), "unevaluated_cap")+fmt.Sprintf(
				"gate %s: unevaluated_cap %s is worse than the gate's cap %s: not knowing cannot be worse than the gate firing", g.ID, g.UnevaluatedCap, g.Cap))
		}
		for ci, c := range g.Also {
			cw := at("gates", fmt.Sprint(gi), "also", fmt.Sprint(ci))
			if len(c.Metrics) == 0 {
				errs = append(errs, cw+fmt.Sprintf("gate %s: each also condition needs metrics", g.ID))
			}
			for _, metric := range c.Metrics {
				if why := CheckMetric(metric, ids); why != "" {
					errs = append(errs, cw+why)
				}
			}
			if c.Equals == "" && !slices.Contains([]string{"eq", "ne", "lt", "le", "gt", "ge"}, c.Op) {
				errs = append(errs, cw+fmt.Sprintf("gate %s: also condition: op must be one of eq ne lt le gt ge, got %q", g.ID, c.Op))
			}
		}
	}
	return errs
}

func (in Indicator) validate(where string, staged bool, levels int) []string {
	var errs []string
	if in.ID == "" {
		errs = append(errs, where+"indicator id is required")
	}
	if len(in.Metrics) == 0 {
		errs = append(errs, where+fmt.Sprintf("indicator %s: metrics are required", in.ID))
	}
	// A staged model's practice may leave weight out: its level is its
	// weight. A negative weight is refused by negativeWeight, with its key.
	if in.Weight == 0 && !staged {
		errs = append(errs, where+fmt.Sprintf("indicator %s: weight must be greater than 0", in.ID))
	}
	if in.Clause == "" {
		errs = append(errs, where+fmt.Sprintf("indicator %s: clause (the standard it follows) is required", in.ID))
	}
	switch in.Combine {
	case "", "first", "mean", "min", "max", "sum":
	default:
		errs = append(errs, where+fmt.Sprintf("indicator %s: combine must be first, mean, min, max or sum, got %q", in.ID, in.Combine))
	}
	if staged && (in.Level < 1 || in.Level > levels) {
		errs = append(errs, where+fmt.Sprintf("practice %s: level must be within 1..%d, got %d", in.ID, levels, in.Level))
	}
	n := in.Normalize
	count := 0
	if n.Log != nil {
		count++
		if n.Log.Threshold <= 0 && n.Log.Percentile == 0 {
			errs = append(errs, where+fmt.Sprintf("indicator %s: log threshold must be greater than 0", in.ID))
		}
	}
	if n.InvLog != nil {
		count++
		if n.InvLog.Threshold <= 0 && n.InvLog.Percentile == 0 {
			errs = append(errs, where+fmt.Sprintf("indicator %s: inv-log threshold must be greater than 0", in.ID))
		}
	}
	if n.Linear != nil {
		count++
		if n.Linear.Max <= n.Linear.Min {
			errs = append(errs, where+fmt.Sprintf("indicator %s: linear max must be greater than min", in.ID))
		}
	}
	if len(n.Bands) > 0 {
		count++
		errs = append(errs, validateBands(where, in.ID, n.Bands)...)
	}
	if n.Bool {
		count++
	}
	if n.Evidence {
		count++
	}
	if count != 1 {
		errs = append(errs, where+fmt.Sprintf("indicator %s: exactly one normalisation (log, inv-log, linear, bands, bool, evidence) is required, got %d", in.ID, count))
	}
	return errs
}

func validateBands(where, id string, bands []Band) []string {
	var errs []string
	prev := math.Inf(-1)
	for _, b := range bands {
		if b.Score < 0 || b.Score > 1 {
			errs = append(errs, where+fmt.Sprintf("indicator %s: band score must be within 0..1, got %v", id, b.Score))
		}
		if (b.Min == nil) == (b.Equals == "") {
			errs = append(errs, where+fmt.Sprintf("indicator %s: each band needs exactly one of min or equals", id))
			continue
		}
		if b.Min != nil {
			if *b.Min <= prev {
				errs = append(errs, where+fmt.Sprintf("indicator %s: band mins must increase (%v after %v)", id, *b.Min, prev))
			}
			prev = *b.Min
		}
	}
	return errs
}

// negativeWeight refuses a negative indicator (or modifier) weight at
// path, naming the line and the key path.
func negativeWeight(at func(...string) string, path []string, in Indicator) []string {
	if in.Weight >= 0 {
		return nil
	}
	wp := append(slices.Clone(path), "weight")
	return []string{at(wp...) + fmt.Sprintf("%s: indicator %s: weight must not be negative, got %g", keyPath(wp...), in.ID, in.Weight)}
}

// keyPath writes a path of mapping keys and sequence indexes as it reads
// in the YAML: "dimensions[2].indicators[0].weight".
func keyPath(path ...string) string {
	var b strings.Builder
	for _, p := range path {
		if _, err := strconv.Atoi(p); err == nil {
			b.WriteString("[" + p + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// SortedProfiles returns the profile names in a stable order.
func (m *Model) SortedProfiles() []string {
	names := make([]string, 0, len(m.Profiles))
	for k := range m.Profiles {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// StatusNotApplicable is the status of an indicator (or practice) set
// aside as not applicable: it is left out of the score, of both ends of
// the range and of coverage, and a staged model's practice does not block
// its level (issue 22).
const StatusNotApplicable = "not-applicable"

// NotApplicableText is the text of an observation that answers "not
// applicable" (a self-assessment answered N/A or 不适用); its Reason is why,
// its Evidence where and by whom.
const NotApplicableText = "n/a"

// IsNotApplicable reports whether o answers "not applicable".
func (o Observation) IsNotApplicable() bool { return o.Value == nil && o.Text == NotApplicableText }

// NotApplicable records who set an indicator aside as not applicable and
// why: an exception without normalized, or an N/A questionnaire answer.
type NotApplicable struct {
	Who string `json:"who"`
	Why string `json:"why"`
	// Source is "exception" or the source of the answer ("questionnaire").
	Source string `json:"source"`
	// Evidence locates it (the questionnaire's file and line or cell).
	Evidence string `json:"evidence,omitempty"`
	// Until is the exception's last day.
	Until string `json:"until,omitempty"`
}

// AcceptsAnswersFor reports whether a questionnaire made for version v
// reads under this model: the same version, or one in answers_from.
func (m *Model) AcceptsAnswersFor(v string) bool {
	return v == m.Version || slices.Contains(m.AnswersFrom, v)
}
