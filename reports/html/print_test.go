package html

import (
	"encoding/json"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// historyReport gives the sample report two earlier periods. The three
// projects' grades per period (oldest first):
//
//	2026Q2: karmada C, evil D, thin-data inconclusive
//	2026Q3: karmada B, evil D, thin-data C
//	2026Q4: karmada B, evil D, thin-data inconclusive (this period)
//
// so the grade counts are Q2 {C 1, D 1, inc 1}, Q3 {B 1, C 1, D 1},
// Q4 {B 1, D 1, inc 1}.
func historyReport(t *testing.T, lang string) *reports.Report {
	r := sampleReport(t, lang)
	r.Periods = []string{"2026Q4", "2026Q3", "2026Q2"}
	r.PreviousPeriod = "2026Q3"
	grades := map[string][]string{
		"karmada":   {"B", "B", "C"},
		evil:        {"D", "D", "D"},
		"thin-data": {"", "C", ""},
	}
	for i := range r.Subjects {
		s := &r.Subjects[i]
		g, ok := grades[s.Name]
		if !ok {
			continue
		}
		for k, p := range r.Periods {
			h := reports.HistoryPoint{Period: p, Model: "project-health", ModelVersion: "1.0.0", Score: f(50), Grade: g[k], Status: models.StatusOK, Comparable: true}
			if g[k] == "" {
				h.Score, h.Status = nil, models.StatusInconclusive
			}
			s.History = append(s.History, h)
		}
	}
	return r
}

// chartOption returns the option the script passes for chart id.
func chartOption(t *testing.T, js, id string) map[string]any {
	t.Helper()
	i := strings.Index(js, `chart("`+id+`", `)
	if i < 0 {
		t.Fatalf("no chart %s in the script", id)
	}
	dec := json.NewDecoder(strings.NewReader(js[i+len(`chart("`+id+`", `):]))
	var o map[string]any
	if err := dec.Decode(&o); err != nil {
		t.Fatalf("chart %s option: %v", id, err)
	}
	return o
}

func TestGradeTrendChart(t *testing.T) {
	out := renderHTML(t, historyReport(t, "en"))
	doc, _ := parse(t, out)
	if byID(doc, "chart-grade-trend") == nil || byID(doc, "grade-trend") == nil {
		t.Fatal("no grade-by-period chart in the trends section")
	}
	o := chartOption(t, chartScript(doc), "chart-grade-trend")
	xs := o["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if got := strings.Join(strs(xs), ","); got != "2026Q2,2026Q3,2026Q4" {
		t.Errorf("periods = %s, want oldest first", got)
	}
	want := map[string][]float64{ // from the table in historyReport
		"A (healthy)": {0, 0, 0}, "B": {0, 1, 1}, "C": {1, 1, 0}, "D (at risk)": {1, 1, 1},
		"Between grades": {0, 0, 0}, "Inconclusive": {1, 0, 1},
	}
	series := o["series"].([]any)
	if len(series) != len(want) {
		t.Fatalf("%d series, want %d (four grades, between grades and inconclusive)", len(series), len(want))
	}
	for _, s := range series {
		m := s.(map[string]any)
		name := m["name"].(string)
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected series %q", name)
			continue
		}
		if m["stack"] != "grades" || m["type"] != "bar" {
			t.Errorf("series %q: type %v stack %v, want stacked bars", name, m["type"], m["stack"])
		}
		for k, d := range m["data"].([]any) {
			if v := d.(map[string]any)["value"].(float64); v != w[k] {
				t.Errorf("series %q period %d = %v, want %v", name, k, v, w[k])
			}
		}
	}
}

func strs(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i], _ = x.(string)
	}
	return out
}

func styleText(doc *xhtml.Node) string {
	var sb strings.Builder
	for _, s := range elements(doc, "style") {
		sb.WriteString(text(s))
	}
	return sb.String()
}

func TestBoardPaperPrint(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			r := historyReport(t, lang)
			out := renderHTML(t, r)
			doc, _ := parse(t, out)
			css := styleText(doc)
			period := "Period 2026Q4"
			if lang == "zh" {
				period = "评估期 2026Q4"
			}
			// A running header on every page: institution, title, period; a
			// footer with the generation time and the page number.
			for _, want := range []string{
				`@top-left{content:"Example Bank"`,
				`@top-right{content:"` + period + `"`,
				`counter(page) " / " counter(pages)`,
				"@media print{",
				"section{margin-top:0;break-before:page}",
				"nav.toc,input.search,.noprint,.pager,#pdetail,button{display:none!important}",
				".detail-only,details.subj{display:none!important}",
				// A4 from the paper itself, whatever the printer's default.
				"@page{size:A4;",
				// A heading stays with its note and its chart or table.
				"h2,h3,h3+p,h2+p{break-after:avoid}",
				".container,",
				// The projects' few lines follow the overview.
				"#projects{break-before:auto",
			} {
				if !strings.Contains(css, want) {
					t.Errorf("print stylesheet lacks %q", want)
				}
			}
			// The detail stays off the board paper: the project and
			// component tables, the subject details, the runs.
			for _, id := range []string{"ptable", "ctable"} {
				if n := byID(doc, id); n != nil {
					if c, _ := attr(n, "class"); !strings.Contains(c, "detail-only") {
						t.Errorf("#%s is not marked detail-only (class %q)", id, c)
					}
				}
			}
			// The project table prints alone, every filtered row.
			if c, _ := attr(byID(doc, "ptable"), "class"); !strings.Contains(c, "ptable-part") {
				t.Errorf("#ptable class %q, want ptable-part (printed by the print-table button)", c)
			}
			if byID(doc, "pprint") == nil {
				t.Error("no print-table button")
			}
			js := scriptText(doc)
			for _, want := range []string{
				`root.classList.add("printing")`,
				`if (D && root.classList.contains("print-projects")) { draw(true); }`,
				`root.classList.add("print-projects"); window.print();`,
				`c.resize(`,
				// Charts print as vector with real text, their labels dark
				// and never skipped.
				`echarts.init(el, null, { renderer: "svg" })`,
				`c.setOption(legible(option))`,
				`a.axisLabel.interval = 0`,
				`a.minInterval = 1`,
				`r.axisName.color = ink`,
			} {
				if !strings.Contains(js, want) {
					t.Errorf("script lacks %q", want)
				}
			}
		})
	}
}

// Outside text in the running header is escaped for CSS: it cannot end
// the string, the rule or the style element.
func TestBoardPaperHeaderEscaping(t *testing.T) {
	r := sampleReport(t, "en")
	r.Institution = `Evil"}</style><script>alert(1)</script>`
	out := renderHTML(t, r)
	doc, _ := parse(t, out)
	if n := len(elements(doc, "style")); n != 1 {
		t.Fatalf("%d style elements, want 1", n)
	}
	css := styleText(doc)
	if strings.Contains(css, `Evil"}`) || strings.Contains(css, "</style") {
		t.Errorf("institution not escaped in the print header: %q", css[strings.Index(css, "@top-left"):][:120])
	}
}
