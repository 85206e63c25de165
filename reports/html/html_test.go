package html

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/templates"
)

// Small inline models, so the tests do not depend on the built-in YAML.
const phYAML = `
id: project-health
version: 1.0.0
subject: project
name: {en: Project Health Index, zh: 项目健康度指数}
min_coverage: 0.5
grades:
  - {id: A, min: 80, label: {en: "A (healthy)", zh: "A（健康）"}}
  - {id: B, min: 60, label: {en: "B", zh: "B"}}
  - {id: C, min: 40, label: {en: "C", zh: "C"}}
  - {id: D, min: 0, label: {en: "D (at risk)", zh: "D（高风险）"}}
dimensions:
  - id: ACT
    name: {en: Activity, zh: 活跃度}
    weight: 50
    indicators:
      - {id: ACT-1, name: {en: Commit frequency, zh: 提交频率}, metrics: [manual.commits_90d], normalize: {log: {threshold: 100}}, weight: 4, clause: CHAOSS}
      - {id: ACT-2, name: {en: Contributors, zh: 贡献者数}, metrics: [manual.contributors_90d], normalize: {log: {threshold: 20}}, weight: 2, clause: CHAOSS}
  - id: SEC
    name: {en: Security, zh: 安全}
    weight: 50
    indicators:
      - {id: SEC-1, name: {en: Scorecard, zh: Scorecard 得分}, metrics: [manual.scorecard], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: OpenSSF}
gates:
  - {id: archived, name: {en: Archived but in production, zh: 已归档但仍在生产使用}, metric: manual.archived, op: eq, value: 1, cap: D, clause: JR/T 0291}
`

const seiYAML = `
id: supplier
version: 1.0.0
subject: supplier
name: {en: Supplier Evaluation Index, zh: 供应商评价指数}
min_coverage: 0.5
grades:
  - {id: T1, min: 80, label: {en: Tier 1, zh: 一级}}
  - {id: T2, min: 50, label: {en: Tier 2, zh: 二级}}
  - {id: T3, min: 0, label: {en: Tier 3, zh: 三级}}
dimensions:
  - {id: CAP, name: {en: Capability, zh: 能力}, weight: 40, indicators: [{id: CAP-1, metrics: [manual.cap], normalize: {evidence: true}, weight: 1, clause: GB/T 42927}]}
  - {id: SVC, name: {en: Service, zh: 服务}, weight: 30, indicators: [{id: SVC-1, metrics: [manual.svc], normalize: {evidence: true}, weight: 1, clause: GB/T 42927}]}
  - {id: CON, name: {en: Contribution, zh: 社区贡献}, weight: 30, indicators: [{id: CON-1, metrics: [manual.con], normalize: {evidence: true}, weight: 1, clause: GB/T 42927}]}
gates:
  - {id: no-license, name: {en: No licence, zh: 无许可证}, metric: manual.lic, op: eq, value: 0, cap: T3, clause: GB/T 42927}
`

const gmiYAML = `
id: governance-maturity
version: 0.1.0
kind: staged
subject: institution
name: {en: Governance Maturity Index, zh: 开源治理成熟度指数}
min_coverage: 0.5
pass_evidence: 3
levels:
  - {level: 1, name: {en: Ad hoc, zh: 初始级}}
  - {level: 2, name: {en: Compliant, zh: 基础级}}
  - {level: 3, name: {en: Managed, zh: 规范级}}
dimensions:
  - {id: G1, name: {en: Organisation, zh: 组织机构}, weight: 40, core: true, indicators: [{id: G1-1, level: 2, name: {en: Named owner, zh: 明确负责人}, metrics: [manual.G1-1], normalize: {evidence: true}, weight: 2, clause: ISO/IEC 5230 3.1.2}]}
  - {id: G2, name: {en: Policy, zh: 管理制度}, weight: 30, core: true, indicators: [{id: G2-1, level: 2, name: {en: Written policy, zh: 书面制度}, metrics: [manual.G2-1], normalize: {evidence: true}, weight: 2, clause: JR/T 0290 §6}]}
  - {id: G3, name: {en: Risk, zh: 风险管理}, weight: 30, core: true, indicators: [{id: G3-2, level: 2, name: {en: Risk owner, zh: 风险责任人}, metrics: [manual.G3-2], normalize: {evidence: true}, weight: 2, clause: JR/T 0290 §8}, {id: G3-1, level: 3, name: {en: Risk registers, zh: 风险台账}, metrics: [manual.G3-1], normalize: {evidence: true}, weight: 3, clause: JR/T 0290 §8}]}
`

const evil = `<script>alert(1)</script>`

func mustModel(t testing.TB, name, src string) *models.Model {
	t.Helper()
	m, err := models.Parse(name, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func defs(t testing.TB) models.Set {
	return models.Set{
		"project-health":      mustModel(t, "ph.yaml", phYAML),
		"supplier":            mustModel(t, "sei.yaml", seiYAML),
		"governance-maturity": mustModel(t, "gmi.yaml", gmiYAML),
	}
}

func f(v float64) *float64 { return &v }

func phResult(score float64, grade string, gates ...models.GateHit) models.Result {
	return models.Result{
		Model: "project-health", ModelVersion: "1.0.0", Score: f(score), Grade: grade, Coverage: 1, Status: models.StatusOK,
		Gates: gates,
		Dimensions: []models.DimensionResult{
			{ID: "ACT", Score: f(score), Coverage: 1, Weight: 1},
			{ID: "SEC", Score: f(score), Coverage: 1, Weight: 1},
		},
		Indicators: []models.IndicatorResult{
			{ID: "ACT-1", Dimension: "ACT", Raw: f(42), Normalized: f(0.81), Weight: 4, Contribution: f(3.24), Source: "gitlocal",
				Evidence: "git log --since=90d: 42 commits", Status: models.StatusOK, Explanation: "ln(43)/ln(101)"},
			{ID: "ACT-2", Dimension: "ACT", Raw: f(7), Normalized: f(0.69), Weight: 2, Contribution: f(1.38), Source: "github",
				Evidence: `https://github.com/x/y/graphs/contributors?a=1&b=<2>`, Status: models.StatusOK},
			{ID: "SEC-1", Dimension: "SEC", Raw: nil, Weight: 1, Source: "scorecard", Status: models.StatusInconclusive,
				Explanation: "scorecard did not run"},
		},
	}
}

func sampleReport(t testing.TB, lang string) *reports.Report {
	bad := phResult(33.3, "D", models.GateHit{ID: "archived", Reason: "archived=1 " + evil, Cap: "D"})
	bad.Indicators[0].Evidence = "evidence " + evil + ` "'&`
	bad.Indicators[0].Explanation = "explained " + evil
	inconc := phResult(0, "")
	inconc.Score = nil
	inconc.Status = models.StatusInconclusive
	inconc.Coverage = 0.2
	return &reports.Report{
		Period:      "2026Q4",
		GeneratedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		Lang:        lang,
		Institution: "Example Bank",
		Models: []reports.ModelRef{
			{ID: "project-health", Version: "1.0.0", Hash: "sha256:abc"},
			{ID: "supplier", Version: "1.0.0", Hash: "sha256:def"},
			{ID: "governance-maturity", Version: "0.1.0", Hash: "sha256:123"},
		},
		Defs: defs(t),
		Subjects: []reports.SubjectReport{
			{Kind: models.KindProject, ID: "github.com/karmada-io/karmada", Name: "karmada",
				Description: "Multi-cluster <b>orchestration</b>", Results: []models.Result{phResult(71.25, "B")}},
			{Kind: models.KindProject, ID: "github.com/evil/evil", Name: evil,
				Results: []models.Result{bad}},
			{Kind: models.KindProject, ID: "github.com/thin/data", Name: "thin-data", Results: []models.Result{inconc}},
			{Kind: models.KindSupplier, ID: "acme", Name: "Acme OSS Services", Results: []models.Result{{
				Model: "supplier", Score: f(82.5), Grade: "T1", Coverage: 1, Status: models.StatusOK,
				Dimensions: []models.DimensionResult{{ID: "CAP", Score: f(90)}, {ID: "SVC", Score: f(80)}, {ID: "CON", Score: f(77.5)}},
			}}},
			{Kind: models.KindSupplier, ID: "beta", Name: "Beta Support</script>", Results: []models.Result{{
				Model: "supplier", Score: f(55), Grade: "T3", Coverage: 0.67, Status: models.StatusOK,
				Gates:      []models.GateHit{{ID: "no-license", Reason: "no licence file", Cap: "T3"}},
				Dimensions: []models.DimensionResult{{ID: "CAP", Score: f(60)}, {ID: "SVC", Score: nil}, {ID: "CON", Score: f(50)}},
			}}},
			{Kind: models.KindInstitution, ID: "inst", Name: "Example Bank", Results: []models.Result{{
				Model: "governance-maturity", Score: f(58.3), Level: 2, Coverage: 1, Status: models.StatusOK,
				Dimensions: []models.DimensionResult{
					{ID: "G1", Score: f(75), Coverage: 1, Level: 3}, {ID: "G2", Score: f(62.5), Coverage: 1, Level: 2},
					{ID: "G3", Score: f(37.5), Coverage: 1, Level: 2},
				},
				Indicators: []models.IndicatorResult{
					{ID: "G3-1", Dimension: "G3", Raw: f(2), Normalized: f(0.5), Weight: 3, Contribution: f(1.5),
						Source: "questionnaire", Evidence: "self-assessment.xlsx!G3-1", Status: models.StatusOK},
				},
				Gaps: []models.Gap{{Domain: "G3", Practice: "G3-1", Level: 3, Evidence: f(2), Clause: "JR/T 0290 §8", Weight: 3}},
			}}},
		},
	}
}

func renderHTML(t testing.TB, r *reports.Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// parse returns the document and its visible text (outside script/style).
func parse(t *testing.T, s string) (*xhtml.Node, string) {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == xhtml.TextNode {
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return doc, sb.String()
}

func elements(n *xhtml.Node, tag string) []*xhtml.Node {
	var out []*xhtml.Node
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode && n.Data == tag {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *xhtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *xhtml.Node) string {
	var sb strings.Builder
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.TextNode {
			sb.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return sb.String()
}

func byID(doc *xhtml.Node, id string) *xhtml.Node {
	var found *xhtml.Node
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if found != nil {
			return
		}
		if v, ok := attr(n, "id"); ok && v == id {
			found = n
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func TestContent(t *testing.T) {
	out := renderHTML(t, sampleReport(t, "en"))
	doc, vis := parse(t, out)
	for _, want := range []string{
		"karmada", "71.3", "33.3", "thin-data", "Acme OSS Services", "82.5", "Beta Support</script>",
		"2026Q4", "2026-11-24 10:00:00 UTC", "Example Bank",
		"B", "D (at risk)", "Tier 1", "Tier 3", // grade / tier labels from the model
		"Archived but in production", "archived=1 " + evil, "No licence", // gates by name, with reasons
		"Compliant", "Managed", "Risk registers", "JR/T 0290 §8", // GMI level names, gaps
		"Project Health Index", "sha256:abc",
	} {
		if !strings.Contains(vis, want) {
			t.Errorf("visible text lacks %q", want)
		}
	}
	if n := len(elements(doc, "b")); n != 0 {
		for _, b := range elements(doc, "b") {
			if text(b) == "orchestration" {
				t.Errorf("description markup was rendered as an element")
			}
		}
	}
	// Project details (indicators with explanations) are in the embedded
	// data, drawn on demand: the data carries every value.
	data := embedded(t, doc)
	var all strings.Builder
	for _, p := range data.P {
		all.WriteString(fmt.Sprint(p))
	}
	for _, want := range []string{"git log --since=90d: 42 commits", "ln(43)/ln(101)", "gitlocal", "3.24", "0.81",
		"https://github.com/x/y/graphs/contributors?a=1&b=<2>", "scorecard did not run", "Multi-cluster <b>orchestration</b>"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("project data lacks %q", want)
		}
	}
	if data.Inds["ACT-1"][0] != "Commit frequency" || data.Inds["ACT-1"][1] != "Activity" {
		t.Errorf("indicator names = %q", data.Inds["ACT-1"])
	}
	if !strings.Contains(out, "showProject") || !strings.Contains(out, `echarts.init(c1`) {
		t.Errorf("no on-demand detail view (radar, trend)")
	}
	// The project table's first page lists the projects, gated first, each
	// linking to its entry in the data.
	table := byID(doc, "ptable")
	if table == nil {
		t.Fatal("no project table")
	}
	rows := elements(elements(table, "tbody")[0], "tr")
	if len(rows) != 3 || len(data.P) != 3 {
		t.Fatalf("project table has %d rows and %d data entries, want 3", len(rows), len(data.P))
	}
	for k, row := range rows {
		a := elements(row, "a")[0]
		href, _ := attr(a, "href")
		if href != fmt.Sprintf("#p%d", k) || data.P[k]["n"] != text(a) {
			t.Errorf("row %d links %q (%q), data has %q", k, href, text(a), data.P[k]["n"])
		}
	}
	if text(elements(rows[0], "a")[0]) != evil {
		t.Errorf("the gated project is not listed first")
	}
	// Charts exist with deterministic ids.
	for _, id := range []string{"chart-grades", "chart-scores", "chart-suppliers", "chart-maturity-0"} {
		if byID(doc, id) == nil {
			t.Errorf("no chart element %s", id)
		}
		if !strings.Contains(out, `chart("`+id+`", {`) {
			t.Errorf("chart %s is not initialised", id)
		}
	}
	// Gates come first: the risk table precedes the charts and tables.
	if i, j := strings.Index(out, `id="risks"`), strings.Index(out, `id="chart-grades"`); i < 0 || i > j {
		t.Errorf("risks are not listed before the charts")
	}
	if !strings.Contains(out, "@media print") {
		t.Errorf("no print stylesheet")
	}
}

func TestOffline(t *testing.T) {
	out := renderHTML(t, sampleReport(t, "en"))
	doc, _ := parse(t, out)
	for _, tag := range []string{"script", "link", "img", "iframe"} {
		for _, n := range elements(doc, tag) {
			for _, k := range []string{"src", "href"} {
				if v, ok := attr(n, k); ok {
					t.Errorf("<%s %s=%q>: the dashboard must load nothing", tag, k, v)
				}
			}
		}
	}
	if strings.Contains(strings.ToLower(out), "go-echarts-assets") || strings.Contains(out, "cdn.") {
		t.Errorf("a CDN reference is in the output")
	}
	// The vendored echarts is inlined, whole.
	embedded := false
	for _, s := range elements(doc, "script") {
		if text(s) == templates.EChartsJS {
			embedded = true
		}
	}
	if !embedded || len(templates.EChartsJS) < 500_000 {
		t.Errorf("echarts.min.js is not embedded (len %d)", len(templates.EChartsJS))
	}
}

func TestEscaping(t *testing.T) {
	out := renderHTML(t, sampleReport(t, "en"))
	doc, _ := parse(t, out)
	scripts := elements(doc, "script")
	if len(scripts) != 2 { // echarts, and our own
		t.Fatalf("%d script elements, want 2 (something was injected)", len(scripts))
	}
	for _, s := range scripts {
		if strings.Contains(text(s), "alert(1)") && !strings.Contains(text(s), `\u003cscript\u003ealert(1)\u003c/script\u003e`) {
			t.Errorf("a script element carries the subject name unescaped")
		}
	}
	// The name reached the chart options only JSON-escaped.
	own := text(scripts[1])
	if !strings.Contains(own, `\u003cscript\u003ealert(1)`) || !strings.Contains(own, `Beta Support\u003c/script\u003e`) {
		t.Errorf("chart options lack the escaped names")
	}
	// Evidence and explanations reach the data JSON-escaped, and decode
	// back to the exact text (the script sets them with textContent).
	if strings.Contains(own, "evidence <script>") || !strings.Contains(own, `evidence \u003cscript\u003ealert(1)\u003c/script\u003e \"'\u0026`) {
		t.Errorf("evidence is not JSON-escaped in the data")
	}
	if strings.Contains(own, "innerHTML") {
		t.Errorf("the script writes markup with innerHTML")
	}
	data := embedded(t, doc)
	var all strings.Builder
	for _, p := range data.P {
		all.WriteString(fmt.Sprint(p))
	}
	for _, want := range []string{"evidence " + evil + ` "'&`, "explained " + evil} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("data lacks %q", want)
		}
	}
	// And the name appears as text in the table.
	found := false
	for _, a := range elements(byID(doc, "ptable"), "a") {
		if text(a) == evil {
			found = true
		}
	}
	if !found {
		t.Errorf("the subject name %q is not shown as text", evil)
	}
}

func TestInconclusive(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		out := renderHTML(t, sampleReport(t, lang))
		doc, _ := parse(t, out)
		word := map[string]string{"en": "inconclusive", "zh": "数据不足"}[lang]
		undecided := map[string]string{"en": "undecided", "zh": "未定级"}[lang] // issue 26: one word for no decided grade
		row := projectRow(t, doc, "thin-data")
		cells := elements(row, "td")
		// name, gates, score, grade, coverage, status
		if got := text(cells[2]); got != "—" {
			t.Errorf("%s: inconclusive score shown as %q, want —", lang, got)
		}
		if got := text(cells[3]); got != undecided {
			t.Errorf("%s: inconclusive grade shown as %q, want %q", lang, got, undecided)
		}
		if got := text(cells[5]); got != word {
			t.Errorf("%s: status shown as %q, want %q", lang, got, word)
		}
		for _, c := range cells {
			if strings.TrimSpace(text(c)) == "0" || strings.TrimSpace(text(c)) == "0.0" {
				t.Errorf("%s: an inconclusive result shows a zero", lang)
			}
		}
		// Not drawn in the score chart.
		if strings.Contains(chartScript(doc), `"thin-data"`) {
			t.Errorf("%s: inconclusive project is drawn in a chart", lang)
		}
	}
}

// projectRow is the project table's row that names name.
func projectRow(t *testing.T, doc *xhtml.Node, name string) *xhtml.Node {
	t.Helper()
	for _, tr := range elements(byID(doc, "ptable"), "tr") {
		if strings.Contains(text(tr), name) {
			return tr
		}
	}
	t.Fatalf("no project row for %s", name)
	return nil
}

func scriptText(doc *xhtml.Node) string {
	s := elements(doc, "script")
	return text(s[len(s)-1])
}

// chartScript is our script up to the embedded project data: the chart
// options only.
func chartScript(doc *xhtml.Node) string {
	js := scriptText(doc)
	if i := strings.Index(js, "var D = "); i >= 0 {
		return js[:i]
	}
	return js
}

type embeddedData struct {
	Dims    [][2]string          `json:"dims"`
	Inds    map[string][2]string `json:"inds"`
	Periods []string             `json:"periods"`
	Prev    string               `json:"prev"`
	L       map[string]string    `json:"L"`
	P       []map[string]any     `json:"p"`
}

// embedded decodes the project data the script holds (var D = {...};).
func embedded(t *testing.T, doc *xhtml.Node) embeddedData {
	t.Helper()
	js := scriptText(doc)
	i := strings.Index(js, "var D = ")
	if i < 0 {
		t.Fatal("no embedded project data")
	}
	dec := json.NewDecoder(strings.NewReader(js[i+len("var D = "):]))
	var d embeddedData
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	return d
}

func TestLanguages(t *testing.T) {
	en := renderHTML(t, sampleReport(t, "en"))
	zh := renderHTML(t, sampleReport(t, "zh"))
	_, envis := parse(t, en)
	_, zhvis := parse(t, zh)
	for _, want := range []string{"Open-source assessment dashboard", "Supplier comparison", "Gaps to next level", "Project Health Index", "Compliant"} {
		if !strings.Contains(envis, want) {
			t.Errorf("en lacks %q", want)
		}
		if strings.Contains(zhvis, want) {
			t.Errorf("zh still has English %q", want)
		}
	}
	zhdoc, _ := parse(t, zh)
	zhdata, _ := json.Marshal(embedded(t, zhdoc))
	zhvis += string(zhdata)
	for _, want := range []string{"开源评估看板", "供应商对比", "距下一级差距", "项目健康度指数", "基础级", "活跃度", "提交频率", "一级", "上一页"} {
		if !strings.Contains(zhvis, want) {
			t.Errorf("zh lacks %q", want)
		}
	}
	if !strings.Contains(zh, `<html lang="zh-CN">`) {
		t.Errorf("zh page does not declare its language")
	}
}

func TestScoreChartLimit(t *testing.T) {
	r := sampleReport(t, "en")
	r.Subjects = nil
	for i := 0; i < 120; i++ {
		r.Subjects = append(r.Subjects, reports.SubjectReport{Kind: models.KindProject, ID: fmt.Sprint(i),
			Name: fmt.Sprintf("proj-%03d", i), Results: []models.Result{phResult(float64(i%100)+0.5, "C")}})
	}
	out := renderHTML(t, r)
	doc, _ := parse(t, out)
	if n := len(elements(elements(byID(doc, "ptable"), "tbody")[0], "tr")); n != PageSize {
		t.Errorf("table has %d rows, want one page (%d)", n, PageSize)
	}
	if n := len(embedded(t, doc).P); n != 120 {
		t.Errorf("data has %d projects, want 120", n)
	}
	js := chartScript(doc)
	// The 50 lowest: scores 0.5..24.5 twice (i and i+100 for i<20), then 20.5..
	if !strings.Contains(js, `"proj-000"`) || strings.Contains(js, `"proj-099"`) {
		t.Errorf("score chart does not hold the lowest-scoring projects only")
	}
	if n := strings.Count(js[strings.Index(js, `chart("chart-scores"`):], `"proj-`); n != 2*MaxScoreBars {
		// each bar appears twice: as an axis label and as a data item name
		t.Errorf("score chart has %d name references, want %d", n, 2*MaxScoreBars)
	}
}

func TestEmptyReport(t *testing.T) {
	out := renderHTML(t, &reports.Report{Lang: "en"})
	_, vis := parse(t, out)
	for _, want := range []string{"No projects in this report.", "No suppliers in this report.", "No governance self-assessment"} {
		if !strings.Contains(vis, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "osgauge-2026Q4.html")
	if err := WriteFile(path, sampleReport(t, "en")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("karmada")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("</html>")) {
		t.Errorf("written file is incomplete")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// Into a missing directory: an error naming the path, nothing written.
	bad := filepath.Join(dir, "missing", "x.html")
	if err := WriteFile(bad, sampleReport(t, "en")); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("WriteFile into a missing dir: err = %v", err)
	}
}

func largeReport(b testing.TB, projects, indicators int) *reports.Report {
	r := sampleReport(b, "en")
	r.Subjects = r.Subjects[3:] // keep suppliers and institution
	for i := 0; i < projects; i++ {
		res := models.Result{Model: "project-health", Score: f(float64(i%1000) / 10), Grade: "B", Coverage: 0.9, Status: models.StatusOK,
			Dimensions: []models.DimensionResult{{ID: "ACT", Score: f(50), Coverage: 1}, {ID: "SEC", Score: f(60), Coverage: 0.8}}}
		if i%7 == 0 {
			res.Gates = []models.GateHit{{ID: "archived", Reason: "repository archived", Cap: "D"}}
		}
		for j := 0; j < indicators; j++ {
			res.Indicators = append(res.Indicators, models.IndicatorResult{
				ID: fmt.Sprintf("ACT-%d", j), Dimension: "ACT", Raw: f(float64(j * 3)), Normalized: f(0.5), Weight: 2,
				Contribution: f(1), Source: "github", Evidence: fmt.Sprintf("https://github.com/org/p%d/pulls?state=closed", i),
				Status: models.StatusOK})
		}
		r.Subjects = append(r.Subjects, reports.SubjectReport{Kind: models.KindProject,
			ID: fmt.Sprintf("github.com/org/p%d", i), Name: fmt.Sprintf("project-%05d", i), Results: []models.Result{res}})
	}
	return r
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkWriteLarge renders 10,000 projects × 40 indicators.
func BenchmarkWriteLarge(b *testing.B) { benchWrite(b, largeReport(b, 10000, 40)) }

// benchWrite renders r b.N times and reports the size of one report.
func benchWrite(b *testing.B, r *reports.Report) {
	b.ReportAllocs()
	b.ResetTimer()
	var size int64
	for i := 0; i < b.N; i++ {
		cw := &countWriter{}
		if err := Write(cw, r); err != nil {
			b.Fatal(err)
		}
		size = cw.n
	}
	b.ReportMetric(float64(size)/1e6, "MB/report")
}

var _ io.Writer = (*countWriter)(nil)

// TestBuiltinModels renders with the built-in model definitions, when they
// load, so label lookups against the real models are exercised too.
func TestBuiltinModels(t *testing.T) {
	set, err := models.Load(nil)
	if err != nil {
		t.Skipf("built-in models do not load: %v", err)
	}
	r := sampleReport(t, "zh")
	r.Defs = set
	out := renderHTML(t, r)
	_, vis := parse(t, out)
	for id, m := range set {
		if !strings.Contains(vis, m.Name.In("zh")) {
			t.Errorf("model %s: name %q not shown", id, m.Name.In("zh"))
		}
	}
}
