// Package intake writes the intake report of `osgauge intake assess`: the
// assessment of one or more candidates (a selection, 选型, when several)
// side by side, as a printable HTML page (html/template, self-contained:
// no script, no external resource), a workbook (excelize) and JSON. It
// renders what the pipeline gathered and the policy recommended; it
// computes nothing.
package intake

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/reports/labels"
)

// Report is one intake assessment: every candidate judged for one target
// system and use.
type Report struct {
	GeneratedAt time.Time `json:"generated_at"`
	// System is the target system (--system), "" when none was named.
	System string `json:"system"`
	// SystemLicence is the licence the candidates are judged against and
	// SystemLicenceFrom where it came from (sboms, default_system_licence).
	SystemLicence     string `json:"system_licence"`
	SystemLicenceFrom string `json:"system_licence_from"`
	// Use is internal, saas or distributed; UseFrom where it came from
	// (--use, sboms, default: distributed, the conservative reading).
	Use     string `json:"use"`
	UseFrom string `json:"use_from"`
	// UseType is the JR/T 0291 use type (simple, deep, custom) whose
	// weights scored the candidates ("" for the model's default).
	UseType string `json:"use_type,omitempty"`
	// Model is the index the candidates were scored with ("project-health
	// 0.6.0"); GatesNotApplicable and IndicatorsNotApplicable are what it
	// sets aside for a candidate not yet in use.
	Model                   string       `json:"model"`
	GatesNotApplicable      []string     `json:"gates_not_applicable"`
	IndicatorsNotApplicable []string     `json:"indicators_not_applicable"`
	Policy                  policy.Rules `json:"policy"`
	Candidates              []Candidate  `json:"candidates"`
	// Notes are what the assessment could not do (sources skipped or
	// failed, OSV not reachable).
	Notes []string `json:"notes,omitempty"`
}

// Candidate is one target's assessment.
type Candidate struct {
	Name string `json:"name"`
	// Target is what a ledger decision names: a package URL without its
	// version, or host/owner/name of a repository (local/<name> for a
	// clone without a remote address).
	Target  string `json:"target"`
	Version string `json:"version,omitempty"`
	// Input is the command-line TARGET and Kind how it was read
	// (purl, repository, clone, project, component).
	Input string `json:"input"`
	Kind  string `json:"kind"`
	// Project is the subject the PHI was computed for ("" when no
	// repository is known).
	Project       string    `json:"project"`
	Score         *float64  `json:"score"`
	ScoreRange    []float64 `json:"score_range"`
	Grade         string    `json:"grade"`
	GradeRange    []string  `json:"grade_range"`
	GradeEstimate string    `json:"grade_estimate,omitempty"`
	Coverage      float64   `json:"coverage"`
	Status        string    `json:"status"`
	Explanation   string    `json:"explanation,omitempty"`
	// Gates are the gates that fired; GatesNotEvaluated those without the
	// data to decide (each caps the best case); GatesNotApplicable the
	// in-use gates set aside for a candidate.
	Gates              []Gate   `json:"gates"`
	GatesNotEvaluated  []string `json:"gates_not_evaluated"`
	GatesNotApplicable []string `json:"gates_not_applicable"`
	// Missing are the missing indicators that would narrow the range
	// most (up to three, the largest swing first).
	Missing         []Missing `json:"missing"`
	Licence         string    `json:"licence"`
	LicenceFrom     string    `json:"licence_from,omitempty"`
	LicenceClass    string    `json:"licence_class"`
	Compatibility   string    `json:"compatibility"`
	Why             string    `json:"why"`
	Obligations     []string  `json:"obligations"`
	LicencePolicy   string    `json:"licence_policy"`
	Vulnerabilities []Vuln    `json:"vulnerabilities"`
	// VulnsChecked says whether the version's vulnerabilities could be
	// looked up at all (a version, an ecosystem OSV data covers);
	// VulnsNote says how, or why not.
	VulnsChecked   bool                  `json:"vulnerabilities_checked"`
	VulnsNote      string                `json:"vulnerabilities_note,omitempty"`
	NearestFixed   string                `json:"nearest_fixed"`
	Suppliers      []string              `json:"suppliers"`
	Recommendation policy.Recommendation `json:"recommendation"`
	// Sources say which collectors ran for it, were skipped or failed.
	Sources []Source `json:"sources,omitempty"`
}

// Gate is a gate that fired.
type Gate struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Cap    string `json:"cap"`
	Waived string `json:"waived,omitempty"`
}

// Missing is a missing indicator and what would measure it.
type Missing struct {
	ID      string   `json:"id"`
	Swing   float64  `json:"swing"`
	Sources []string `json:"sources"`
}

// Vuln is a known vulnerability of the candidate's version.
type Vuln struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases,omitempty"`
	Severity string   `json:"severity"`
	KEV      bool     `json:"kev"`
	Fixed    string   `json:"fixed"`
	Summary  string   `json:"summary,omitempty"`
}

// Source is what one collector did for a candidate.
type Source struct {
	Source string `json:"source"`
	Status string `json:"status"` // collected, skipped, failed
	Note   string `json:"note,omitempty"`
}

// Paths are the report files for a date: <out>/intake-<date>.{html,xlsx,json}.
func Paths(out string, at time.Time) (html, xlsx, json string) {
	base := filepath.Join(out, "intake-"+at.UTC().Format("2006-01-02"))
	return base + ".html", base + ".xlsx", base + ".json"
}

// Formats are the formats Write knows.
var Formats = []string{"html", "xlsx", "json"}

// Write writes the report in the formats asked (all when none) to out,
// each file atomically, and returns the paths written.
func Write(r *Report, out, lang string, formats []string) ([]string, error) {
	if len(formats) == 0 {
		formats = Formats
	}
	for _, f := range formats {
		if f != "html" && f != "xlsx" && f != "json" {
			return nil, fmt.Errorf("--format: unknown intake report format %q (known: html, xlsx, json)", f)
		}
	}
	h, x, j := Paths(out, r.GeneratedAt)
	var paths []string
	for _, f := range formats {
		var err error
		var p string
		switch f {
		case "html":
			p, err = h, WriteHTMLFile(h, r, lang)
		case "xlsx":
			p, err = x, WriteXLSX(x, r, lang)
		case "json":
			p, err = j, WriteJSONFile(j, r)
		default:
			return paths, fmt.Errorf("intake report: unknown format %q (known: html, xlsx, json)", f)
		}
		if err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// Row is one row of the side-by-side comparison: a label and, per
// candidate, the lines of its cell.
type Row struct {
	Key   string // the label key (intake.row.*)
	Label string
	Cells [][]string
}

// Rows is the comparison, candidates as columns, in the order the
// terminal, the page and the workbook show it.
func Rows(r *Report, lang string) []Row {
	t := func(k string) string { return labels.T(lang, k) }
	row := func(key string, cell func(c Candidate) []string) Row {
		out := Row{Key: key, Label: t(key)}
		for _, c := range r.Candidates {
			out.Cells = append(out.Cells, cell(c))
		}
		return out
	}
	return []Row{
		row("intake.row.target", func(c Candidate) []string {
			l := []string{c.Target}
			if c.Version != "" {
				l = append(l, t("intake.version")+" "+c.Version)
			}
			return l
		}),
		row("intake.row.grade", func(c Candidate) []string { return []string{GradeText(c, lang)} }),
		row("intake.row.score", func(c Candidate) []string { return []string{ScoreText(c, lang)} }),
		row("intake.row.gates", func(c Candidate) []string {
			var l []string
			for _, g := range c.Gates {
				s := g.ID + " (" + t("intake.cap") + " " + g.Cap + ")"
				if g.Waived != "" {
					s += " " + t("gate.waived")
				}
				l = append(l, s)
			}
			if len(c.GatesNotEvaluated) > 0 {
				l = append(l, t("intake.not_evaluated")+": "+strings.Join(c.GatesNotEvaluated, ", "))
			}
			if len(l) == 0 {
				l = []string{t("none")}
			}
			return l
		}),
		row("intake.row.missing", func(c Candidate) []string {
			var l []string
			for _, m := range c.Missing {
				l = append(l, fmt.Sprintf("%s ±%.1f (%s)", m.ID, m.Swing, strings.Join(m.Sources, ", ")))
			}
			if len(l) == 0 {
				l = []string{t("none")}
			}
			return l
		}),
		row("intake.row.licence", func(c Candidate) []string {
			lic := c.Licence
			if lic == "" {
				lic = t("intake.no_licence")
			}
			l := []string{lic}
			if c.LicenceClass != "" {
				l[0] += " (" + c.LicenceClass + ")"
			}
			l = append(l, Verdict(c, lang))
			return l
		}),
		row("intake.row.vulns", func(c Candidate) []string {
			if !c.VulnsChecked {
				return []string{t("intake.vulns_unchecked")}
			}
			if len(c.Vulnerabilities) == 0 {
				return []string{t("intake.vulns_none")}
			}
			var l []string
			for _, v := range c.Vulnerabilities {
				s := v.ID + " " + v.Severity
				if v.KEV {
					s += " KEV"
				}
				if v.Fixed != "" {
					s += " → " + v.Fixed
				}
				l = append(l, s)
			}
			if c.NearestFixed != "" {
				l = append(l, t("intake.nearest_fixed")+" "+c.NearestFixed)
			}
			return l
		}),
		row("intake.row.suppliers", func(c Candidate) []string {
			if len(c.Suppliers) == 0 {
				return []string{t("none")}
			}
			return []string{strings.Join(c.Suppliers, ", ")}
		}),
		row("intake.row.recommendation", func(c Candidate) []string {
			l := []string{DecisionText(c.Recommendation.Decision, lang)}
			if c.Recommendation.ReviewBy != "" {
				l[0] += " (" + t("intake.review_by") + " " + c.Recommendation.ReviewBy + ")"
			}
			return l
		}),
		row("intake.row.conditions", func(c Candidate) []string {
			if len(c.Recommendation.Conditions) == 0 {
				return []string{"-"}
			}
			return numbered(c.Recommendation.Conditions)
		}),
		row("intake.row.reasons", func(c Candidate) []string {
			if len(c.Recommendation.Reasons) == 0 {
				return []string{"-"}
			}
			return numbered(c.Recommendation.Reasons)
		}),
	}
}

func numbered(xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprintf("%d. %s", i+1, x)
	}
	return out
}

// GradeText is the grade as the reports say it: "B", or "between D and
// B" (with the estimate when there is one), or "not graded".
func GradeText(c Candidate, lang string) string {
	switch {
	case c.Grade != "":
		return c.Grade
	case len(c.GradeRange) == 2:
		s := strings.NewReplacer("{a}", c.GradeRange[0], "{b}", c.GradeRange[1]).Replace(labels.T(lang, "intake.between"))
		if c.GradeEstimate != "" {
			s += " (" + labels.T(lang, "intake.estimate") + " " + c.GradeEstimate + ")"
		}
		return s
	}
	return labels.T(lang, "intake.not_graded")
}

// ScoreText is "71.2 [64.0–80.5], coverage 82%", or "-".
func ScoreText(c Candidate, lang string) string {
	if c.Score == nil && len(c.ScoreRange) != 2 {
		return "-"
	}
	s := "-"
	if c.Score != nil {
		s = fmt.Sprintf("%.1f", *c.Score)
	}
	if len(c.ScoreRange) == 2 && c.ScoreRange[0] != c.ScoreRange[1] {
		s += fmt.Sprintf(" [%.1f–%.1f]", c.ScoreRange[0], c.ScoreRange[1])
	}
	return s + fmt.Sprintf(", %s %.0f%%", labels.T(lang, "coverage"), 100*c.Coverage)
}

// Verdict is the licence verdict in one line: compatibility and policy.
func Verdict(c Candidate, lang string) string {
	comp := c.Compatibility
	if comp == "" {
		comp = "-"
	}
	pol := c.LicencePolicy
	if pol == "" {
		pol = "-"
	}
	return labels.T(lang, "intake.compat") + " " + comp + "; " + labels.T(lang, "intake.policy") + " " + pol
}

// DecisionText is a recommendation's decision in words.
func DecisionText(d, lang string) string {
	if d == "" {
		return "-"
	}
	return labels.T(lang, "intake.decision."+d)
}

// cellText is a cell's lines as one text (workbook and JSON readers).
func cellText(lines []string) string { return strings.Join(lines, "\n") }
