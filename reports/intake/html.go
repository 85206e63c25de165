package intake

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

//go:embed intake.html.tmpl
var pageSource string

// page is parsed once; its functions take the language from the data.
var page = template.Must(template.New("intake").Funcs(template.FuncMap{
	"t":        func(string) string { return "" },
	"decision": func(string) string { return "" },
	"grade":    func(Candidate) string { return "" },
	"score":    func(Candidate) string { return "" },
	"join":     strings.Join,
}).Parse(pageSource))

type pageData struct {
	Lang, Title, Generated, System, Rules, NA string
	R                                         *Report
	Rows                                      []Row
	Decisions                                 []string
}

// WriteHTML writes the printable page: no script and nothing loaded from
// elsewhere; every text from outside (names, licences, reasons) is
// escaped by html/template.
func WriteHTML(w io.Writer, r *Report, lang string) error {
	t := func(k string) string { return labels.T(lang, k) }
	d := pageData{Lang: lang, R: r, Rows: Rows(r, lang), Generated: r.GeneratedAt.UTC().Format("2006-01-02 15:04 UTC")}
	d.Title = t("intake.title")
	if len(r.Candidates) > 1 {
		d.Title = strings.ReplaceAll(t("intake.title.selection"), "{n}", fmt.Sprint(len(r.Candidates)))
	}
	d.System = r.System
	if d.System == "" {
		d.System = t("intake.system.none")
	}
	d.Rules = RulesText(r, lang)
	if len(r.GatesNotApplicable)+len(r.IndicatorsNotApplicable) > 0 {
		d.NA = strings.ReplaceAll(t("intake.na"), "{list}", strings.Join(append(append([]string{}, r.GatesNotApplicable...), r.IndicatorsNotApplicable...), ", "))
	}
	for _, c := range r.Candidates {
		d.Decisions = append(d.Decisions, c.Recommendation.Decision)
	}
	p, err := page.Clone()
	if err != nil {
		return err
	}
	p.Funcs(template.FuncMap{
		"t":        t,
		"decision": func(s string) string { return DecisionText(s, lang) },
		"grade":    func(c Candidate) string { return GradeText(c, lang) },
		"score":    func(c Candidate) string { return ScoreText(c, lang) },
	})
	return p.Execute(w, d)
}

// WriteHTMLFile writes the page to path atomically.
func WriteHTMLFile(path string, r *Report, lang string) error {
	return reports.WriteAtomic(path, func(w io.Writer) error { return WriteHTML(w, r, lang) })
}

// RulesText is the intake policy in one line.
func RulesText(r *Report, lang string) string {
	p := r.Policy.WithDefaults()
	banned := strings.Join(p.BannedLicences, ", ")
	if banned == "" {
		banned = labels.T(lang, "none")
	}
	kev := labels.T(lang, "intake.no")
	if p.BlockKEV != nil && *p.BlockKEV {
		kev = labels.T(lang, "intake.yes")
	}
	return strings.NewReplacer("{g}", p.MinGrade, "{s}", p.BlockSeverity, "{k}", kev, "{b}", banned,
		"{m}", fmt.Sprint(p.ReviewMonths)).Replace(labels.T(lang, "intake.policy_rules.text"))
}
