package models

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/internal/yamlpos"
	"gopkg.in/yaml.v3"
)

// EvidenceAge says how old evidence may be when a subject is assessed, by
// metric, else by source (the observation's source: gitlocal, github,
// gitlab, gitee, gitcode, scorecard, license, sbom, osv, evidence,
// manual), else Default. Older evidence is missing, with the reason.
// Questionnaire answers are not governed here: they expire by
// answer_validity_months (calendar months from the respondent's date).
//
//	evidence_max_age:
//	  default: 90d
//	  sources: {gitlocal: 45d, osv: 14d, scorecard: 180d, manual: 365d}
//	  metrics: {scorecard.Maintained: 45d}
type EvidenceAge struct {
	Default Days            `yaml:"default" json:"default,omitempty"`
	Sources map[string]Days `yaml:"sources" json:"sources,omitempty"`
	Metrics map[string]Days `yaml:"metrics" json:"metrics,omitempty"`
}

// Days is a length of time in whole days, written "45d".
type Days int

// UnmarshalYAML reads "45d".
func (d *Days) UnmarshalYAML(n *yaml.Node) error {
	s, ok := strings.CutSuffix(strings.TrimSpace(n.Value), "d")
	x, err := strconv.Atoi(s)
	if n.Kind != yaml.ScalarNode || !ok || err != nil || x <= 0 {
		return fmt.Errorf("line %d: %q is not a number of days: write it as 45d (a whole number of days, greater than 0)", n.Line, n.Value)
	}
	*d = Days(x)
	return nil
}

// MarshalYAML writes "45d".
func (d Days) MarshalYAML() (any, error) { return d.String(), nil }

// MarshalJSON writes "45d".
func (d Days) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(d.String())), nil }

func (d Days) String() string { return strconv.Itoa(int(d)) + "d" }

// Duration is d as a time.Duration.
func (d Days) Duration() time.Duration { return time.Duration(d) * 24 * time.Hour }

// MaxAge is how old observation o may be under the model, and which rule
// says so ("metric scorecard.Maintained", "source gitlocal", "default");
// 0 when nothing limits it (no evidence_max_age, a questionnaire answer,
// or a source without a limit and no default).
func (m *Model) MaxAge(o Observation) (Days, string) {
	a := m.EvidenceMaxAge
	if a == nil || o.Source == "questionnaire" {
		return 0, ""
	}
	if d, ok := a.Metrics[o.Metric]; ok {
		return d, "metric " + o.Metric
	}
	if d, ok := a.Sources[o.Source]; ok {
		return d, "source " + o.Source
	}
	if a.Default > 0 {
		return a.Default, "default"
	}
	return 0, ""
}

// evidenceSources are the sources evidence_max_age.sources may name: the
// metric sources and the forges whose observations carry forge.* metrics.
func evidenceSources() []string {
	var out []string
	for _, s := range Sources() {
		if s != "questionnaire" && s != "forge" {
			out = append(out, s)
		}
	}
	out = append(out, "github", "gitlab", "gitee", "gitcode")
	sort.Strings(out)
	return out
}

// validateEvidenceAge checks evidence_max_age: known sources, known
// metrics, nothing about questionnaire answers (answer_validity_months
// governs them).
func (m *Model) validateEvidenceAge(doc yamlpos.Doc) []string {
	a := m.EvidenceMaxAge
	if a == nil {
		return nil
	}
	var errs []string
	known := evidenceSources()
	for _, src := range sortedKeys(a.Sources) {
		where := doc.At("evidence_max_age", "sources", src)
		switch {
		case src == "questionnaire":
			errs = append(errs, where+"evidence_max_age.sources: questionnaire answers expire by answer_validity_months, not here")
		case src == "forge":
			errs = append(errs, where+"evidence_max_age.sources: name the forge (github, gitlab, gitee, gitcode), not forge")
		case !slices.Contains(known, src):
			errs = append(errs, where+fmt.Sprintf("evidence_max_age.sources: unknown source %q (sources: %s)", src, strings.Join(known, ", ")))
		}
	}
	ids := m.IndicatorIDs()
	for _, metric := range sortedKeys(a.Metrics) {
		where := doc.At("evidence_max_age", "metrics", metric)
		if strings.HasPrefix(metric, "questionnaire.") {
			errs = append(errs, where+"evidence_max_age.metrics: questionnaire answers expire by answer_validity_months, not here")
			continue
		}
		if why := CheckMetric(metric, ids); why != "" {
			errs = append(errs, where+"evidence_max_age.metrics: "+why)
		}
	}
	return errs
}

func sortedKeys(m map[string]Days) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
