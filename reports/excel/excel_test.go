package excel

import (
	"archive/zip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// Small inline models, so the tests do not depend on models/builtin.
const phiYAML = `
id: project-health
version: 1.0.0
subject: project
name: {en: Project Health Index, zh: 项目健康度指数}
min_coverage: 0.5
grades:
  - {id: A, min: 80, label: {en: healthy, zh: 健康}}
  - {id: B, min: 60, label: {en: fair, zh: 一般}}
  - {id: C, min: 40, label: {en: weak, zh: 较弱}}
  - {id: D, min: 0, label: {en: at risk, zh: 高风险}}
gates:
  - {id: G-ARCHIVED, name: {en: Archived, zh: 已归档}, metric: manual.archived, op: eq, value: 1, cap: D, clause: "JR/T 0290-2024 6.2"}
dimensions:
  - id: ACT
    name: {en: Activity, zh: 活跃度}
    weight: 50
    indicators:
      - {id: ACT-1, name: {en: Commits, zh: 提交频率}, metrics: [manual.commits_90d], normalize: {log: {threshold: 100}}, weight: 1, clause: "CHAOSS Activity"}
      - {id: ACT-2, name: {en: Releases, zh: 发布频率}, metrics: [manual.releases_1y], normalize: {log: {threshold: 12}}, weight: 1, clause: "CHAOSS Release"}
  - id: SEC
    name: {en: Security, zh: 安全}
    weight: 50
    indicators:
      - {id: SEC-1, name: {en: Scorecard, zh: Scorecard 得分}, metrics: [manual.scorecard], normalize: {linear: {min: 0, max: 10}}, weight: 1, clause: "OpenSSF Scorecard"}
`

const seiYAML = `
id: supplier
version: 1.0.0
subject: supplier
name: {en: Supplier Evaluation Index, zh: 供应商评估指数}
min_coverage: 0.5
grades:
  - {id: T1, min: 75, label: {en: preferred, zh: 优选}}
  - {id: T2, min: 50, label: {en: acceptable, zh: 合格}}
  - {id: T3, min: 0, label: {en: not recommended, zh: 不推荐}}
dimensions:
  - id: CAP
    name: {en: Capability, zh: 技术能力}
    weight: 50
    indicators:
      - {id: CAP-1, name: {en: Maintainers, zh: 维护者}, metrics: [manual.maintainers], normalize: {evidence: true}, weight: 1, clause: "GB/T 42927-2023 5.1"}
  - id: SVC
    name: {en: Service, zh: 服务}
    weight: 50
    indicators:
      - {id: SVC-1, name: {en: SLA, zh: 服务等级}, metrics: [manual.sla], normalize: {evidence: true}, weight: 1, clause: "GB/T 42927-2023 5.3"}
`

const gmiYAML = `
id: governance-maturity
version: 1.0.0
kind: staged
subject: institution
name: {en: Governance Maturity Index, zh: 开源治理成熟度}
min_coverage: 0.5
pass_evidence: 3
levels:
  - {level: 1, name: {en: Initial, zh: 初始级}}
  - {level: 2, name: {en: Managed, zh: 受管理级}}
  - {level: 3, name: {en: Defined, zh: 已定义级}}
dimensions:
  - id: POL
    name: {en: Policy, zh: 制度}
    weight: 50
    core: true
    indicators:
      - {id: POL-1, name: {en: OSS policy, zh: 开源制度}, metrics: [manual.pol1], normalize: {evidence: true}, weight: 1, level: 1, clause: "JR/T 0289-2024 5.1"}
      - {id: POL-2, name: {en: OSPO, zh: 开源办公室}, metrics: [manual.pol2], normalize: {evidence: true}, weight: 1, level: 2, clause: "ISO/IEC 5230 3.1"}
  - id: INV
    name: {en: Inventory, zh: 资产清单}
    weight: 50
    core: true
    indicators:
      - {id: INV-1, name: {en: SBOM, zh: 软件物料清单}, metrics: [manual.inv1], normalize: {evidence: true}, weight: 1, level: 1, clause: "ISO/IEC 5230 3.3"}
`

func defs(t testing.TB) models.Set {
	t.Helper()
	set := models.Set{}
	for name, y := range map[string]string{"phi.yaml": phiYAML, "sei.yaml": seiYAML, "gmi.yaml": gmiYAML} {
		m, err := models.Parse(name, []byte(y))
		if err != nil {
			t.Fatal(err)
		}
		set[m.ID] = m
	}
	return set
}

func num(v float64) *float64 { return &v }

const (
	evilHyperlink = `=HYPERLINK("http://evil","x")`
	evilSum       = `@SUM(A1)`
	evilPlus      = `+1+2`
	evilMinus     = `-3-4`
	evilTab       = "\t=1+1"
	evilCmd       = `=cmd|' /C calc'!A0`
)

func phiResult(score *float64, grade, status string, cov float64, gates ...models.GateHit) models.Result {
	r := models.Result{Model: models.ProjectHealth, Score: score, Grade: grade, Status: status, Coverage: cov, Gates: gates}
	r.Dimensions = []models.DimensionResult{{ID: "ACT", Score: num(64), Coverage: 1}, {ID: "SEC", Coverage: 0}}
	r.Indicators = []models.IndicatorResult{
		{ID: "ACT-1", Dimension: "ACT", Raw: num(12.5), Normalized: num(0.61), Weight: 1, Contribution: num(30.5), Source: "gitlocal", Evidence: "git log --since 90d", Status: "ok"},
		{ID: "ACT-2", Dimension: "ACT", Raw: num(4), Normalized: num(0.67), Weight: 1, Contribution: num(33.5), Source: "github", Evidence: evilCmd, Status: "ok", Explanation: evilPlus},
		{ID: "SEC-1", Dimension: "SEC", Weight: 1, Source: "scorecard", Status: "inconclusive", Explanation: "scorecard not run"},
	}
	if status == models.StatusInconclusive {
		r.Dimensions[0].Score = nil
	}
	return r
}

func withRange(r models.Result, low, high float64) models.Result {
	r.ScoreRange = []float64{low, high}
	return r
}

func between(r models.Result, worst, best string) models.Result {
	r.GradeRange = []string{worst, best}
	r.Missing = []models.MissingIndicator{
		{ID: "SEC-1", Dimension: "SEC", Metrics: []string{"scorecard.aggregate"}, Swing: 20, Sources: []string{"scorecard"}},
		{ID: "ACT-9", Dimension: "ACT", Metrics: []string{"github.x", "osv.y"}, Swing: 5, Sources: []string{"github", "osv"}},
	}
	return r
}

func partial(r models.Result) models.Result {
	r.Partial = true
	return r
}

func testReport(t testing.TB, lang string) *reports.Report {
	t.Helper()
	gen := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	r := &reports.Report{
		Period: "2026Q4", GeneratedAt: gen, Lang: lang, Institution: "Example Bank", Defs: defs(t),
		Models: []reports.ModelRef{{ID: "project-health", Version: "1.0.0", Hash: "sha256:abc"}},
		Runs:   []reports.RunSummary{{ID: 1, Kind: "collect", Status: "ok", StartedAt: gen.Add(-time.Hour), FinishedAt: gen, Note: evilSum}},
	}
	r.Subjects = []reports.SubjectReport{
		{Kind: models.KindProject, ID: "github.com/karmada-io/karmada", Name: "karmada",
			Results: []models.Result{withRange(phiResult(num(71.2), "B", "ok", 0.82), 63.4, 76.6)}},
		{Kind: models.KindProject, ID: "github.com/x/gone", Name: "gone",
			Results: []models.Result{phiResult(num(85), "D", "ok", 1, models.GateHit{ID: "G-ARCHIVED", Reason: "archived in 2025", Cap: "D"})}},
		{Kind: models.KindProject, ID: "github.com/x/unknown", Name: "unknown",
			Results: []models.Result{between(withRange(phiResult(nil, "", models.StatusInconclusive, 0.2), 12, 70), "D", "B")}},
		{Kind: models.KindProject, ID: "evil-1", Name: evilHyperlink,
			Results: []models.Result{phiResult(num(50), "C", "ok", 1)}},
		{Kind: models.KindProject, ID: "evil-2", Name: evilSum,
			Results: []models.Result{phiResult(num(90), "A", "ok", 1)}},
		{Kind: models.KindProject, ID: evilTab, Name: evilMinus,
			Results: []models.Result{partial(phiResult(num(10), "D", "ok", 1))}},
		{Kind: models.KindSupplier, ID: "acme", Name: "Acme OSS Services",
			Results: []models.Result{{Model: models.Supplier, Score: num(80), Grade: "T1", Status: "ok", Coverage: 1,
				Dimensions: []models.DimensionResult{{ID: "CAP", Score: num(75)}, {ID: "SVC", Score: num(85)}}}}},
		{Kind: models.KindSupplier, ID: "evil-sup", Name: evilHyperlink,
			Results: []models.Result{{Model: models.Supplier, Status: models.StatusInconclusive, Coverage: 0.3,
				Dimensions: []models.DimensionResult{{ID: "CAP", Score: num(40)}, {ID: "SVC"}}}}},
		{Kind: models.KindInstitution, ID: "bank", Name: "Example Bank",
			Results: []models.Result{{Model: models.GovernanceMaturity, Score: num(55.5), Level: 1, Status: "ok", Coverage: 1,
				Dimensions: []models.DimensionResult{{ID: "POL", Score: num(60), Level: 1, Coverage: 1}, {ID: "INV", Score: num(51), Level: 2, Coverage: 1}},
				Gaps:       []models.Gap{{Domain: "POL", Practice: "POL-2", Level: 2, Evidence: num(1)}, {Domain: "INV", Practice: "INV-1", Level: 1}}}}},
	}
	return r
}

func writeOpen(t *testing.T, r *reports.Report) (*excelize.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "osgauge-2026Q4.xlsx")
	if err := Write(path, r); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, path
}

func TestSheetsAndFile(t *testing.T) {
	for lang, want := range map[string][]string{
		"en": {"Summary", "Projects", "Indicators", "Suppliers", "Maturity", "Trends", "Model", "Sources"},
		"zh": {"概览", "开源项目", "指标明细", "供应商", "治理成熟度", "趋势", "评估模型", "数据来源"},
	} {
		t.Run(lang, func(t *testing.T) {
			f, path := writeOpen(t, testReport(t, lang))
			if got := f.GetSheetList(); !slices.Equal(got, want) {
				t.Fatalf("sheets = %q, want %q", got, want)
			}
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm() != 0o644 {
				t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries, want only the workbook (no temp file left)", len(entries))
			}
		})
	}
}

func TestWriteFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "missing", "out.xlsx")
	if err := Write(path, testReport(t, "en")); err == nil {
		t.Fatal("want an error for a missing directory")
	}
	if err := Write(filepath.Join(dir, "x.xlsx"), nil); err == nil {
		t.Fatal("want an error for a nil report")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Errorf("left %d files behind", len(entries))
	}
}

// rowsByName maps column A to its row.
func rowsByName(t *testing.T, f *excelize.File, sheet string) (header []string, rows map[string][]string, order []string) {
	t.Helper()
	all, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	rows = map[string][]string{}
	for _, r := range all[1:] {
		if len(r) == 0 {
			break
		}
		rows[r[0]] = r
		order = append(order, r[0])
	}
	return all[0], rows, order
}

func TestProjectsSheet(t *testing.T) {
	f, _ := writeOpen(t, testReport(t, "en"))
	header, rows, order := rowsByName(t, f, "Projects")
	wantHdr := []string{"Name", "ID", "Score", "Grade", "Coverage", "Status", "Score range", "Missing data that would narrow the range most", "Activity (ACT)", "Security (SEC)", "Gates", "Gates not evaluated (what to run)"}
	if !slices.Equal(header, wantHdr) {
		t.Fatalf("header = %q, want %q", header, wantHdr)
	}
	if len(order) != 6 {
		t.Fatalf("%d project rows, want 6", len(order))
	}
	if order[0] != "gone" {
		t.Errorf("first row = %q; the gated project must be listed first", order[0])
	}
	check := func(name string, want ...string) {
		t.Helper()
		got := rows[name]
		for i, w := range want {
			if i >= len(got) || got[i] != w {
				t.Errorf("%s: row = %q, want prefix %q", name, got, want)
				return
			}
		}
	}
	// score style "0.0", coverage style "0%"
	check("karmada", "karmada", "github.com/karmada-io/karmada", "71.2", "B", "82%", "ok", "63.4–76.6", "", "64.0", "inconclusive")
	check("gone", "gone", "github.com/x/gone", "85.0", "D", "100%", "ok", "", "", "64.0", "inconclusive",
		// The gate's sentence (labels explain.gate.G-ARCHIVED), then the reason it was built from (issue 26).
		"G-ARCHIVED: The project is archived by its maintainers (read-only, no more fixes) but still in use. [archived in 2025]")
	// inconclusive: no grade, no score, never 0; the grades still open are shown
	check("unknown", "unknown", "github.com/x/unknown", "inconclusive", "D–B, undecided", "20%", "inconclusive", "12.0–70.0",
		"SEC-1 20.0 (Scorecard (a local clone, or network for GitHub checks)); ACT-9 5.0 (GitHub collector (network and a token) / OSV (network, or an offline OSV export))",
		"inconclusive", "inconclusive")
	// graded below the coverage minimum: said in the status
	check(evilMinus, evilMinus, evilTab, "10.0", "D", "100%", "graded on partial data")

	// the score is a number, typed as such
	cell := "C" + fmt.Sprint(slices.Index(order, "karmada")+2)
	if typ, _ := f.GetCellType("Projects", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("score cell %s type = %v, want a number", cell, typ)
	}
	raw, _ := f.GetCellValue("Projects", cell, excelize.Options{RawCellValue: true})
	if raw != "71.2" {
		t.Errorf("raw score = %q, want 71.2", raw)
	}

	xml := sheetXML(t, f, "Projects")
	for _, part := range []string{"<autoFilter", "<conditionalFormatting", `state="frozen"`, "colorScale"} {
		if !strings.Contains(xml, part) {
			t.Errorf("Projects sheet XML lacks %s", part)
		}
	}
	// <col> elements in ascending order (Excel rejects them otherwise)
	for c := 1; c < len(wantHdr); c++ {
		a, b := strings.Index(xml, fmt.Sprintf(`<col min="%d"`, c)), strings.Index(xml, fmt.Sprintf(`<col min="%d"`, c+1))
		if a < 0 || b < 0 || a > b {
			t.Errorf("Projects <col> elements out of order at column %d", c)
		}
	}
}

func TestZhInconclusive(t *testing.T) {
	f, _ := writeOpen(t, testReport(t, "zh"))
	header, rows, _ := rowsByName(t, f, "开源项目")
	if header[2] != "得分" || header[3] != "等级" || header[6] != "得分区间" || header[8] != "活跃度 (ACT)" {
		t.Errorf("zh header = %q", header)
	}
	got := rows["unknown"]
	if got[2] != "数据不足" || got[3] != "D–B，未定级" || got[5] != "数据不足" {
		t.Errorf("zh inconclusive row = %q", got)
	}
	if rows["karmada"][5] != "正常" {
		t.Errorf("zh status = %q, want 正常", rows["karmada"][5])
	}
}

func TestSuppliersSheet(t *testing.T) {
	f, _ := writeOpen(t, testReport(t, "en"))
	header, rows, _ := rowsByName(t, f, "Suppliers")
	// tier T1 reads by its label in the test model, "preferred" (issue 26: a tier id is not shown)
	if header[3] != "Tier" {
		t.Errorf("header = %q", header)
	}
	if got := rows["Acme OSS Services"]; got[2] != "80.0" || got[3] != "preferred" || got[8] != "75.0" || got[9] != "85.0" {
		t.Errorf("acme row = %q", got)
	}
	if got := rows[evilHyperlink]; got[2] != "inconclusive" || got[3] != "undecided" || got[9] != "inconclusive" {
		t.Errorf("inconclusive supplier row = %q", got)
	}
}

func TestSummarySheet(t *testing.T) {
	f, _ := writeOpen(t, testReport(t, "en"))
	all, err := f.GetRows("Summary")
	if err != nil {
		t.Fatal(err)
	}
	find := func(label string) []string {
		for _, r := range all {
			if len(r) > 0 && r[0] == label {
				return r
			}
		}
		t.Fatalf("Summary has no row %q in %q", label, all)
		return nil
	}
	if got := find("Period"); got[1] != "2026Q4" {
		t.Errorf("period = %q", got)
	}
	if got := find("Generated at (UTC)"); got[1] != "2026-11-24 10:00:00" {
		t.Errorf("generated = %q", got)
	}
	if got := find("Institution"); got[1] != "Example Bank" {
		t.Errorf("institution = %q", got)
	}
	if got := find("Projects assessed"); got[1] != "6" {
		t.Errorf("projects = %q", got)
	}
	if got := find("Suppliers assessed"); got[1] != "2" {
		t.Errorf("suppliers = %q", got)
	}
	if got := find("Governance maturity level"); got[1] != "L1 · Initial" || got[2] != "55.5" {
		t.Errorf("maturity = %q", got)
	}
	// gates first: the top-risk row for "gone" comes before the distribution
	gone := find("gone")
	// The reason is the gate's sentence (explain.gate.G-ARCHIVED), the cap
	// the grade's label ("D" is labelled "at risk" by this test's model),
	// never the raw id (issue 26).
	if gone[3] != "G-ARCHIVED" || gone[4] != "Archived" ||
		gone[5] != "The project is archived by its maintainers (read-only, no more fixes) but still in use." || gone[6] != "at risk" {
		t.Errorf("risk row = %q", gone)
	}
	// grade distribution: A 1 (evil-2), B 1, C 1, D 2, inconclusive 1
	// The supplier tier T1 reads by its label, "preferred" (issue 26).
	want := map[string]string{"A": "1", "B": "1", "C": "1", "D": "2", "preferred": "1"}
	for g, n := range want {
		if got := find(g); got[2] != n {
			t.Errorf("grade %s count = %q, want %s", g, got, n)
		}
	}
	// undecided (issue 26: one row, one word): the project between D and
	// B, never counted as a grade (1), and the supplier without a range (1).
	var und []string
	for _, r := range all {
		if len(r) > 2 && r[0] == "Undecided" {
			und = append(und, r[2])
		}
	}
	if !slices.Equal(und, []string{"1", "1"}) {
		t.Errorf("undecided counts = %q, want projects 1, suppliers 1", und)
	}
}

func TestMaturitySheet(t *testing.T) {
	f, _ := writeOpen(t, testReport(t, "en"))
	all, err := f.GetRows("Maturity")
	if err != nil {
		t.Fatal(err)
	}
	has := func(want ...string) {
		t.Helper()
		for _, r := range all {
			if len(r) >= len(want) && slices.Equal(r[:len(want)], want) {
				return
			}
		}
		t.Errorf("Maturity has no row starting %q; rows: %q", want, all)
	}
	has("Level", "1", "Initial")
	has("Domain", "Domain name", "Level", "Level name", "Score", "Coverage")
	has("POL", "Policy", "1", "Initial", "60.0", "100%")
	has("INV", "Inventory", "2", "Managed", "51.0", "100%")
	has("POL", "POL-2", "OSPO", "2", "1", "ISO/IEC 5230 3.1")
	has("INV", "INV-1", "SBOM", "1", "inconclusive", "ISO/IEC 5230 3.3")
}

func TestIndicatorsSheet(t *testing.T) {
	f, _ := writeOpen(t, testReport(t, "en"))
	all, err := f.GetRows("Indicators")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1+6*3 {
		t.Fatalf("%d rows, want header + 18", len(all))
	}
	want := []string{"Subject", "Subject ID", "Model", "Indicator ID", "Indicator name", "Dimension", "Raw value",
		"Normalised", "Weight", "Contribution", "Source", "Evidence", "Status", "Explanation", "Clause", "Exception"}
	if !slices.Equal(all[0], want) {
		t.Errorf("header = %q", all[0])
	}
	r1 := all[1]
	if !slices.Equal(r1[:7], []string{"karmada", "github.com/karmada-io/karmada", "Project Health Index", "ACT-1", "Commits", "Activity", "12.5"}) ||
		r1[7] != "0.61" || r1[10] != "gitlocal" || r1[14] != "CHAOSS Activity" {
		t.Errorf("first indicator row = %q", r1)
	}
	r3 := all[3]
	if r3[3] != "SEC-1" || r3[6] != "inconclusive" || r3[7] != "" || r3[12] != "inconclusive" || r3[13] != "scorecard not run" {
		t.Errorf("inconclusive indicator row = %q", r3)
	}
	if r2 := all[2]; r2[11] != evilCmd || r2[13] != evilPlus {
		t.Errorf("evidence/explanation = %q / %q", r2[11], r2[13])
	}
}

func TestChartsPresent(t *testing.T) {
	_, path := writeOpen(t, testReport(t, "en"))
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	charts := 0
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "xl/charts/chart") && strings.HasSuffix(e.Name, ".xml") {
			charts++
		}
	}
	// Summary: grade + tier distribution; Suppliers: comparison; Maturity:
	// radar; Trends: mean score line and grades by period.
	if charts != 6 {
		t.Errorf("%d charts, want 6", charts)
	}
	f, _ := excelize.OpenFile(path)
	defer f.Close()
	for _, sh := range []string{"Summary", "Suppliers", "Maturity", "Trends"} {
		if !strings.Contains(sheetXML(t, f, sh), "<drawing ") {
			t.Errorf("%s sheet has no drawing reference", sh)
		}
	}
	c1 := strings.ReplaceAll(zipEntry(t, &zr.Reader, "xl/charts/chart1.xml"), "&#39;", "'")
	if !strings.Contains(c1, "barChart>") || !strings.Contains(c1, "'Summary'!$A$") {
		t.Errorf("chart1 is not a bar chart over the Summary distribution:\n%.600s", c1)
	}
}

// Outside text must never become a formula: every such cell reads back as
// the exact text, with no formula, typed as a string.
func TestFormulaInjection(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		f, path := writeOpen(t, testReport(t, lang))
		evil := []string{evilHyperlink, evilSum, evilPlus, evilMinus, evilTab, evilCmd}
		found := map[string]int{}
		for _, sh := range f.GetSheetList() {
			rows, err := f.GetRows(sh)
			if err != nil {
				t.Fatal(err)
			}
			for ri, r := range rows {
				for ci, v := range r {
					if !slices.Contains(evil, v) {
						continue
					}
					found[v]++
					ref, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
					if fm, err := f.GetCellFormula(sh, ref); err != nil || fm != "" {
						t.Errorf("%s!%s: formula %q (err %v)", sh, ref, fm, err)
					}
					typ, _ := f.GetCellType(sh, ref)
					if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
						t.Errorf("%s!%s = %q: cell type %v, want a string", sh, ref, v, typ)
					}
				}
			}
		}
		for _, e := range evil {
			if found[e] == 0 {
				t.Errorf("%s: text %q not found verbatim in the workbook", lang, e)
			}
		}
		// No worksheet holds any formula at all.
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range zr.File {
			if strings.HasPrefix(e.Name, "xl/worksheets/") {
				if x := zipEntry(t, &zr.Reader, e.Name); strings.Contains(x, "<f>") || strings.Contains(x, "<f ") {
					t.Errorf("%s contains a formula", e.Name)
				}
			}
		}
		zr.Close()
	}
}

func TestNoDefs(t *testing.T) {
	r := testReport(t, "en")
	r.Defs = nil
	f, _ := writeOpen(t, r)
	header, rows, _ := rowsByName(t, f, "Projects")
	if !slices.Contains(header, "ACT") || rows["karmada"][3] != "B" {
		t.Errorf("without model definitions: header %q, karmada %q", header, rows["karmada"])
	}
}

func TestEmptyReport(t *testing.T) {
	f, _ := writeOpen(t, &reports.Report{Period: "2026Q4", Lang: "en"})
	if got := len(f.GetSheetList()); got != 8 {
		t.Errorf("%d sheets, want 8", got)
	}
	v, _ := f.GetCellValue("Maturity", "A1")
	if !strings.Contains(v, "No governance maturity") {
		t.Errorf("Maturity A1 = %q", v)
	}
}

func sheetXML(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	idx, err := f.GetSheetIndex(sheet)
	if err != nil || idx < 0 {
		t.Fatalf("no sheet %s", sheet)
	}
	zr, err := zip.OpenReader(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	// sheets are created in order: sheetN.xml is the N-th sheet
	return zipEntry(t, &zr.Reader, fmt.Sprintf("xl/worksheets/sheet%d.xml", idx+1))
}

func zipEntry(t testing.TB, zr *zip.Reader, name string) string {
	t.Helper()
	for _, e := range zr.File {
		if e.Name == name {
			rc, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("zip has no %s", name)
	return ""
}

// ---- benchmarks --------------------------------------------------------------

const (
	benchProjects   = 10000
	benchIndicators = 40 // 5 dimensions × 8 indicators
	benchDims       = 5
)

func largeReport(b *testing.B) *reports.Report {
	var y strings.Builder
	y.WriteString("id: project-health\nversion: 1.0.0\nsubject: project\nname: {en: PHI, zh: 项目健康度}\nmin_coverage: 0.5\n")
	y.WriteString("grades:\n  - {id: A, min: 80}\n  - {id: B, min: 60}\n  - {id: C, min: 40}\n  - {id: D, min: 0}\ndimensions:\n")
	for d := 0; d < benchDims; d++ {
		fmt.Fprintf(&y, "  - id: D%d\n    name: {en: Dimension %d, zh: 维度%d}\n    weight: 20\n    indicators:\n", d, d, d)
		for i := 0; i < benchIndicators/benchDims; i++ {
			fmt.Fprintf(&y, "      - {id: D%d-%d, name: {en: Indicator %d.%d}, metrics: [manual.m%d_%d], normalize: {log: {threshold: 10}}, weight: 1, clause: \"CHAOSS %d\"}\n", d, i, d, i, d, i, i)
		}
	}
	m, err := models.Parse("bench.yaml", []byte(y.String()))
	if err != nil {
		b.Fatal(err)
	}
	r := &reports.Report{Period: "2026Q4", Lang: "en", GeneratedAt: time.Now(), Defs: models.Set{m.ID: m}}
	grades := []string{"A", "B", "C", "D"}
	for p := 0; p < benchProjects; p++ {
		res := models.Result{Model: m.ID, Score: num(float64(p % 100)), Grade: grades[p%4], Status: "ok", Coverage: 0.9}
		for d := 0; d < benchDims; d++ {
			res.Dimensions = append(res.Dimensions, models.DimensionResult{ID: fmt.Sprintf("D%d", d), Score: num(float64((p + d) % 100)), Coverage: 1})
			for i := 0; i < benchIndicators/benchDims; i++ {
				res.Indicators = append(res.Indicators, models.IndicatorResult{
					ID: fmt.Sprintf("D%d-%d", d, i), Dimension: fmt.Sprintf("D%d", d), Raw: num(float64(p + i)), Normalized: num(0.5),
					Weight: 1, Contribution: num(6.25), Source: "github", Evidence: "https://github.com/org/repo/commits", Status: "ok",
					Explanation: "ln(1+x)/ln(1+max(x,T))",
				})
			}
		}
		r.Subjects = append(r.Subjects, reports.SubjectReport{Kind: models.KindProject, ID: fmt.Sprintf("github.com/org/repo-%d", p),
			Name: fmt.Sprintf("repo-%d", p), Results: []models.Result{res}})
	}
	return r
}

// BenchmarkWriteLarge writes 10,000 projects × 40 indicators (400,000
// indicator rows × 15 columns, plus the Projects sheet).
func BenchmarkWriteLarge(b *testing.B) {
	r := largeReport(b)
	path := filepath.Join(b.TempDir(), "large.xlsx")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Write(path, r); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainStream writes the same number of cells as BenchmarkWriteLarge's
// two big sheets with a bare excelize StreamWriter: the floor to compare with.
func BenchmarkPlainStream(b *testing.B) {
	path := filepath.Join(b.TempDir(), "plain.xlsx")
	projCols := 7 + benchDims
	b.ReportAllocs()
	for b.Loop() {
		f := excelize.NewFile()
		if _, err := f.NewSheet("Indicators"); err != nil {
			b.Fatal(err)
		}
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		row := make([]any, projCols)
		for p := 0; p <= benchProjects; p++ {
			row[0], row[1] = fmt.Sprintf("repo-%d", p), fmt.Sprintf("github.com/org/repo-%d", p)
			for c := 2; c < projCols; c++ {
				row[c] = float64(p % 100)
			}
			if err := sw.SetRow("A"+fmt.Sprint(p+1), row); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		sw, err = f.NewStreamWriter("Indicators")
		if err != nil {
			b.Fatal(err)
		}
		row = make([]any, 15)
		n := 1
		for p := 0; p < benchProjects; p++ {
			for i := 0; i < benchIndicators; i++ {
				n++
				row[0], row[1], row[2], row[3], row[4], row[5] = "repo", "github.com/org/repo", "PHI", "D0-1", "Indicator", "Dimension"
				row[6], row[7], row[8], row[9] = float64(p+i), 0.5, 1.0, 6.25
				row[10], row[11], row[12], row[13], row[14] = "github", "https://github.com/org/repo/commits", "ok", "ln(1+x)/ln(1+max(x,T))", "CHAOSS"
				if err := sw.SetRow("A"+fmt.Sprint(n), row); err != nil {
					b.Fatal(err)
				}
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.SaveAs(path); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
