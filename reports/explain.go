package reports

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports/labels"
)

// Explained is a gate or indicator in plain language: Text is the
// sentence a board member reads, in the report's language; Detail the
// metric, value and evidence it was built from (evidence deduplicated),
// shown one column, click or tooltip away, never instead of Text.
type Explained struct{ Text, Detail string }

// fact is one "metric = value[: evidence]" part of a gate reason (the
// engine joins a gate's conditions with "; and ").
type fact struct{ metric, value, evidence string }

// metricRE matches the start of a condition: a metric id and " = ".
var metricRE = regexp.MustCompile(`^([A-Za-z0-9_-]+\.[A-Za-z0-9_.-]+) = `)

// parseReason splits a fired gate's reason into its conditions, and the
// exception note the engine appends (" [waived: …]"), if any.
func parseReason(reason string) ([]fact, string) {
	note := ""
	if i := strings.LastIndex(reason, " ["); i >= 0 && strings.HasSuffix(reason, "]") {
		reason, note = reason[:i], reason[i+1:]
	}
	var out []fact
	for _, part := range strings.Split(reason, "; and ") {
		m := metricRE.FindStringSubmatch(part)
		if m == nil {
			if len(out) > 0 { // "; and " inside an evidence text
				out[len(out)-1].evidence += "; and " + part
			}
			continue
		}
		rest := part[len(m[0]):]
		// The value is a number (%g) or a text without ": " (a class such
		// as "source-available:distributed" has no space after its colon).
		val, ev, _ := strings.Cut(rest, ": ")
		out = append(out, fact{metric: m[1], value: val, evidence: ev})
	}
	return out, note
}

// ExplainGate says in a sentence what a gate's state means for the
// subject. A fired gate gets its sentence from the catalogue
// (explain.gate.<id>) with the observed value; a gate the catalogue does
// not know reads "<gate name> (observed: value)". Detail is the reason
// the engine recorded, with repeated evidence fragments collapsed.
func ExplainGate(def *models.Model, g models.GateState, lang string) Explained {
	detail := DedupEvidence(g.Reason)
	switch g.State {
	case models.GateClear:
		return Explained{Text: labels.T(lang, "explain.gate_clear"), Detail: detail}
	case models.GateNotEvaluated:
		return Explained{Text: labels.T(lang, "explain.gate_not_evaluated"), Detail: detail}
	}
	facts, _ := parseReason(g.Reason)
	var gd *models.Gate
	if def != nil {
		for i := range def.Gates {
			if def.Gates[i].ID == g.ID {
				gd = &def.Gates[i]
			}
		}
	}
	r := map[string]string{}
	v := ""
	if len(facts) > 0 {
		v = facts[0].value
		r["{v}"] = number(v)
		if len(facts) > 1 {
			r["{v2}"] = number(facts[1].value)
		}
		r["{pct}"] = share(facts[0].evidence)
		cls, use, _ := strings.Cut(v, ":")
		r["{use}"] = valueLabel(lang, "use.", use)
		r["{class}"] = valueLabel(lang, "class.", cls)
	}
	if gd != nil {
		r["{limit}"] = strconv.FormatFloat(gd.Value, 'g', -1, 64)
	}
	key := "explain.gate." + g.ID
	if !labels.Has(key) {
		name := g.ID
		if gd != nil && gd.Name.In(lang) != "" {
			name = gd.Name.In(lang)
		}
		obs := v
		if len(facts) > 0 {
			obs = facts[0].metric + " = " + v
		}
		return Explained{Text: fill(labels.T(lang, "explain.gate_unknown"), map[string]string{"{name}": name, "{v}": obs}), Detail: detail}
	}
	switch {
	case r["{pct}"] != "" && labels.Has(key+".pct"):
		key += ".pct"
	case r["{v}"] == "1" && labels.Has(key+".one"):
		key += ".one"
	}
	return Explained{Text: fill(labels.T(lang, key), r), Detail: detail}
}

// ExplainIndicator says in a sentence what an indicator's value is, in
// lang: from explain.ind.<id>, or for an evidence-level indicator from
// explain.evidence with the indicator's name. "" when the indicator has
// no data (its explanation says what is missing) or the catalogue has no
// sentence for it.
func ExplainIndicator(def *models.Model, ir models.IndicatorResult, lang string) string {
	if ir.Raw == nil && ir.RawText == "" {
		return ""
	}
	var in *models.Indicator
	if def != nil {
		in = def.Indicator(ir.ID)
	}
	v := ir.RawText
	if ir.Raw != nil {
		v = strconv.FormatFloat(*ir.Raw, 'f', -1, 64)
	}
	r := map[string]string{"{v}": number(v)}
	if ir.Raw != nil {
		r["{v100}"] = number(strconv.FormatFloat(*ir.Raw*100, 'f', -1, 64))
	}
	cls, use, _ := strings.Cut(ir.RawText, ":")
	if use == "" && ir.RawText != "" { // license.class alone: no use stated
		use = "distributed"
	}
	r["{class}"] = valueLabel(lang, "class.", cls)
	r["{use}"] = valueLabel(lang, "use.", use)
	r["{compat}"] = valueLabel(lang, "compat.", ir.RawText)
	r["{policy}"] = valueLabel(lang, "policy.", ir.RawText)
	r["{gov}"] = valueLabel(lang, "gov.", ir.RawText)
	if key := "explain.ind." + ir.ID; labels.Has(key) {
		return fill(labels.T(lang, key), r)
	}
	if in != nil && in.Normalize.Evidence && ir.Raw != nil {
		lv := int(*ir.Raw + 0.5)
		r["{name}"] = in.Name.In(lang)
		r["{scale}"] = labels.T(lang, fmt.Sprintf("explain.level.%d", max(0, min(4, lv))))
		return fill(labels.T(lang, "explain.evidence"), r)
	}
	return ""
}

// Explains reports whether the catalogue has a plain-language sentence
// for gate or indicator id of def, in both languages: the built-in
// models' gates and indicators all must (a test checks it).
func Explains(def *models.Model, id string) bool {
	for _, key := range []string{"explain.gate." + id, "explain.ind." + id} {
		if labels.Has(key) {
			return true
		}
	}
	if in := def.Indicator(id); in != nil && in.Normalize.Evidence {
		return true
	}
	return false
}

// CapLabel is a gate's cap as the reader knows it: the grade's label
// ("Not approved", "不予准入", "D (high risk)"); the id when the model does
// not name it.
func CapLabel(def *models.Model, cap, lang string) string {
	if def == nil || cap == "" {
		return cap
	}
	return def.GradeLabel(cap, lang)
}

// DedupEvidence collapses repeated fragments of an evidence text: "a; a;
// … 1 more" reads "a (×2); … 1 more". Fragments are separated by "; ";
// order is kept. In a gate reason each condition ("metric = v: …",
// joined by "; and ") is collapsed on its own, after its "metric = v: ".
func DedupEvidence(s string) string {
	conds := strings.Split(s, "; and ")
	for i, c := range conds {
		head := ""
		if m := metricRE.FindString(c); m != "" {
			if _, ev, ok := strings.Cut(c[len(m):], ": "); ok {
				head, c = c[:len(c)-len(ev)], ev
			}
		}
		conds[i] = head + dedup(c)
	}
	return strings.Join(conds, "; and ")
}

func dedup(s string) string {
	parts := strings.Split(s, "; ")
	if len(parts) < 2 {
		return s
	}
	count := map[string]int{}
	var order []string
	for _, p := range parts {
		if count[p] == 0 {
			order = append(order, p)
		}
		count[p]++
	}
	if len(order) == len(parts) {
		return s
	}
	for i, p := range order {
		if n := count[p]; n > 1 {
			order[i] = fmt.Sprintf("%s (×%d)", p, n)
		}
	}
	return strings.Join(order, "; ")
}

// number shows a value with at most one decimal ("13.4", "2", "0.5");
// a text is returned as it is.
func number(v string) string {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return v
	}
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// shareRE finds the share an evidence text gives: "(84%)".
var shareRE = regexp.MustCompile(`\((\d+(?:\.\d+)?)\s?%\)`)

func share(evidence string) string {
	if m := shareRE.FindStringSubmatch(evidence); m != nil {
		return number(m[1])
	}
	return ""
}

// valueLabel is the label of a value under prefix, or the value itself.
func valueLabel(lang, prefix, v string) string {
	if v != "" && labels.Has(prefix+v) {
		return labels.T(lang, prefix+v)
	}
	return v
}

func fill(s string, r map[string]string) string {
	args := make([]string, 0, 2*len(r))
	for k, v := range r {
		args = append(args, k, v)
	}
	return strings.NewReplacer(args...).Replace(s)
}

// SourceLabel names a source of observations in lang: in Chinese by its
// label ("git 历史" for gitlocal), in English by its id, the name the
// config and "collect --only" use; an unknown source shows as it is.
// Several sources joined by ", " are named one by one.
func SourceLabel(lang, src string) string {
	if lang != "zh" {
		return src
	}
	parts := strings.Split(src, ", ")
	for i, p := range parts {
		parts[i] = valueLabel(lang, "source.", p)
	}
	return strings.Join(parts, "、")
}

// UseLabel names a system's use (internal, saas, distributed) in lang.
func UseLabel(lang, use string) string { return valueLabel(lang, "use.", use) }

// RunLabel names a run's kind and status in lang.
func RunLabel(lang, kind, status string) (string, string) {
	return valueLabel(lang, "run.kind.", kind), valueLabel(lang, "run.status.", status)
}

// AttributionText is the inventory's licence-data attribution in lang:
// the OSADL matrix's, which licenses gives in English, in the report's
// language; any other text as it is.
func AttributionText(lang, attribution string) string {
	if attribution == licenses.Attribution {
		return labels.T(lang, "inv.attribution")
	}
	return attribution
}
