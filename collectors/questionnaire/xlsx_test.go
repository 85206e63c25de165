package questionnaire

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

var (
	acme = models.Subject{Kind: models.KindSupplier, ID: "supplier/acme", Name: "Acme OSS Services"}
	bank = models.Subject{Kind: models.KindInstitution, ID: "institution/example-bank", Name: "Example Bank"}
)

// template writes the form for model id in lang and returns its path.
func template(t *testing.T, s models.Set, id, lang, subject string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), id+"-"+lang+".xlsx")
	if err := WriteTemplate(p, s[id], TemplateOptions{Lang: lang, Subject: subject}); err != nil {
		t.Fatal(err)
	}
	return p
}

// respondent is what a person types at the top of the form.
type respondent struct{ name, role, date string }

// fill answers a form as a person would in Excel: typed values in the
// answer cells (found by the question id in column A), evidence and notes
// beside them, name, role and date at the top. edit, if given, then
// changes the workbook (to make it malformed).
func fill(t *testing.T, path string, who respondent, answers map[string]any, evidence, notes map[string]string, edit func(f *excelize.File, sheet string)) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[1]
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellStr(sheet, "D4", who.name))
	must(f.SetCellStr(sheet, "D5", who.role))
	must(f.SetCellStr(sheet, "D6", who.date))
	seen := map[string]bool{}
	for r := firstRow; ; r++ {
		id, err := f.GetCellValue(sheet, cell("A", r))
		must(err)
		if id == "" {
			break
		}
		seen[id] = true
		if v, ok := answers[id]; ok {
			must(f.SetCellValue(sheet, cell("G", r), v))
		}
		if v, ok := evidence[id]; ok {
			must(f.SetCellStr(sheet, cell("H", r), v))
		}
		if v, ok := notes[id]; ok {
			must(f.SetCellStr(sheet, cell("I", r), v))
		}
	}
	for id := range answers {
		if !seen[id] {
			t.Fatalf("the form has no row for %s", id)
		}
	}
	if edit != nil {
		edit(f, sheet)
	}
	must(f.Save())
}

func collect(t *testing.T, s models.Set, subj models.Subject, path string) ([]models.Observation, error) {
	t.Helper()
	c := New(s)
	c.Now = func() time.Time { return now }
	obs, _, err := c.Collect(context.Background(), collectors.Target{Subject: subj, Questionnaire: path})
	return obs, err
}

func facts(obs []models.Observation) assess.Facts {
	f := assess.Facts{}
	for _, o := range obs {
		f[o.Metric] = o
	}
	return f
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func dim(r models.Result, id string) models.DimensionResult {
	for _, d := range r.Dimensions {
		if d.ID == id {
			return d
		}
	}
	return models.DimensionResult{}
}

// The supplier form, generated in Chinese, filled as a person would,
// imported through the collector and scored.
func TestSupplierWorkbookRoundTrip(t *testing.T) {
	s := set(t)
	p := template(t, s, "supplier", "zh", acme.Name)
	answers := map[string]any{
		"QUA-1": 4, "QUA-2": 3, "QUA-3": 2, "QUA-4": 20,
		"TEC-5": "3",                       // typed into a cell formatted as text: still a number
		"SRV-1": 4, "SRV-2": 2, "SRV-5": 1, // SRV-3 left blank: not answered
		"SCC-1": 3, "SCC-3": 2, "SCC-4": 4, "SCC-5": 0,
		"ECO-1": 1, "ECO-3": 4,
		"CNT-2": 1,
	}
	// Text that looks like a formula stays text, exactly as typed.
	evidence := map[string]string{
		"QUA-1": "审计报告 2025.pdf",
		"QUA-2": `=HYPERLINK("http://evil.example/","ISO 27001")`,
		"QUA-3": "+86 10 5555 0100",
		"SCC-1": "-",
		"SCC-3": "@SUM(A1:A9)",
	}
	notes := map[string]string{"QUA-1": "=1+2", "SRV-1": "-1 day SLA credit"}
	fill(t, p, respondent{"王芳", "解决方案总监", "2026-11-20"}, answers, evidence, notes, nil)

	a, err := ParseWorkbook(p, s, models.KindSupplier)
	if err != nil {
		t.Fatal(err)
	}
	if a.Respondent != "王芳, 解决方案总监" || a.Subject != acme.Name || len(a.Items) != len(answers) {
		t.Fatalf("respondent %q, subject %q, %d items", a.Respondent, a.Subject, len(a.Items))
	}
	for _, it := range a.Items {
		if want, ok := evidence[it.ID]; ok && it.Evidence != want {
			t.Errorf("%s evidence = %q, want %q", it.ID, it.Evidence, want)
		}
		if want, ok := notes[it.ID]; ok && it.Notes != want {
			t.Errorf("%s notes = %q, want %q", it.ID, it.Notes, want)
		}
	}

	obs, err := collect(t, s, acme, p)
	if err != nil {
		t.Fatal(err)
	}
	fs := facts(obs)
	base := filepath.Base(p)
	if o := fs["questionnaire.QUA-1"]; o.Value == nil || *o.Value != 4 ||
		o.Evidence != base+", sheet 供应商评估, cell G9 (answered 2026-11-20 by 王芳, 解决方案总监): 审计报告 2025.pdf" ||
		!o.ObservedAt.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("QUA-1 = %+v", o)
	}
	if o := fs["questionnaire.QUA-2"]; !strings.HasSuffix(o.Evidence, `(answered 2026-11-20 by 王芳, 解决方案总监): =HYPERLINK("http://evil.example/","ISO 27001")`) {
		t.Errorf("QUA-2 evidence = %q", o.Evidence)
	}
	if o := fs["questionnaire.SRV-3"]; o.Value != nil || o.Reason != "not answered in "+base || !o.ObservedAt.Equal(time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("SRV-3 = %+v", o)
	}
	if _, ok := fs["questionnaire.TEC-1"]; ok {
		t.Error("TEC-1 is fed by upstream evidence, not asked")
	}
	if len(obs) != 16 { // every question of the form, answered or not
		t.Errorf("%d observations, want 16", len(obs))
	}

	r := assess.Score(s["supplier"], acme, fs, assess.Env{Now: now})
	// By hand (n = level/4; log(20) of 20 = ln21/ln21 = 1):
	//   QUA (15): QUA-1 4·1 + QUA-2 4·.75 + QUA-3 4·.5 + QUA-4 3·1 = 12 / 15      = 80
	//   TEC (25): TEC-5 6·.75 = 4.5 / 6 (TEC-1,2,4 have no evidence data)        = 75
	//   SRV (25): SRV-1 6·1 + SRV-2 4·.5 + SRV-5 4·.25 = 9 / 14 (SRV-3 blank,
	//             SRV-4 no contract records)                                     = 64.2857
	//   SCC (25): SCC-1 6·.75 + SCC-3 5·.5 + SCC-4 4·1 + SCC-5 4·0 = 11 / 19     = 57.8947
	//   ECO (10): ECO-1 4·.25 + ECO-3 3·1 = 4 / 7                                = 57.1429
	//   index = (15·.8 + 25·.75 + 25·9/14 + 25·11/19 + 10·4/7) / 100 · 100
	//         = 12 + 18.75 + 16.0714 + 14.4737 + 5.7143 = 67.0094
	//   CNT-2 penalty: 10 · 1/4 = 2.5 → 64.5094 → 64.5: "conditional" (50 ≤ 64.5 < 65),
	//   the estimate: the missing indicators at their worst and best grade
	//   not-approved and preferred, so the grade is between them.
	//   coverage = (15·15/15 + 25·6/22 + 25·14/25 + 25·19/25 + 10·7/10) / 100
	//            = (15 + 6.8182 + 14 + 19 + 7) / 100 = 0.6182 ≥ 0.6: ok
	if r.Score == nil || *r.Score != 64.5 || r.GradeEstimate != "conditional" || r.Status != models.StatusOK ||
		strings.Join(r.GradeRange, "-") != "not-approved-preferred" {
		t.Fatalf("score %v grade %q status %s: %s", r.Score, r.Grade, r.Status, r.Explanation)
	}
	if !near(r.Coverage, 0.6182) {
		t.Errorf("coverage %v, want 0.6182", r.Coverage)
	}
	for id, want := range map[string]float64{"QUA": 80, "TEC": 75, "SRV": 64.3, "SCC": 57.9, "ECO": 57.1} {
		if d := dim(r, id); d.Score == nil || *d.Score != want {
			t.Errorf("%s = %v, want %v", id, d.Score, want)
		}
	}
	if len(r.Gates) != 0 {
		t.Errorf("gates %+v", r.Gates)
	}
}

// The self-assessment form, generated in English, filled and scored by
// the staged rule.
func TestGovernanceWorkbookRoundTrip(t *testing.T) {
	s := set(t)
	p := template(t, s, "governance-maturity", "en", "")
	answers := map[string]any{
		"G1-1": 4, "G1-2": 3, "G1-3": 2, "G1-4": 0,
		"G2-1": 3, "G2-2": 2, "G2-3": 4, "G2-4": 0, "G2-5": 0,
		"G3-1": 3, "G3-2": 3, "G3-3": 3, "G3-4": 0,
		"G4-1": 3, "G4-2": 4, "G4-3": 4, "G4-4": 0, "G4-5": 0,
		"G5-1": 3, "G5-2": 3, "G5-3": 0, "G5-4": 0,
		"G6-1": 4, "G6-2": 4, "G6-3": 0, "G6-4": 0,
		"G7-1": 3, "G7-2": 3, "G7-3": 1, "G7-4": 0,
		"G8-3": 3, "G8-1": 3, "G8-2": 3, "G8-4": 0, "G8-5": 0,
		"G9-1": 3, "G9-2": 3, "G9-3": 0, "G9-4": 0,
		"G10-1": 3, "G10-2": 3, "G10-3": 4, "G10-4": 0,
		"G11-2": 3, "G11-3": 3, "G11-1": 0,
		"G12-4": 3, "G12-1": 2, // G12-2 and G12-3 left blank
	}
	fill(t, p, respondent{"Li Wei", "Head of OSPO", "2026-11-21"}, answers, map[string]string{"G1-1": "OSPO charter v3, board minutes 2026-03"}, nil, nil)
	obs, err := collect(t, s, bank, p)
	if err != nil {
		t.Fatal(err)
	}
	fs := facts(obs)
	if o := fs["questionnaire.G1-1"]; o.Evidence != filepath.Base(p)+", sheet Self-assessment, cell G9 (answered 2026-11-21 by Li Wei, Head of OSPO): OSPO charter v3, board minutes 2026-03" {
		t.Errorf("G1-1 evidence = %q", o.Evidence)
	}
	r := assess.Score(s["governance-maturity"], bank, fs, assess.Env{Now: now})
	// Staged rule, pass = evidence 3 (n ≥ .75): a domain is at level N only if
	// every practice at levels ≤ N passes. Model 0.2.0 has practices at every
	// level 2-5 of each core domain (no empty level passes by itself any more:
	// under 0.1.0 G1 reached 4 through an empty level 4, G8 3 through an
	// empty level 2).
	//   G1: G1-1(L2)=4, G1-2(L3)=3 pass; G1-4(L4)=0 fails                    → 3
	//   G2: G2-1(L2)=3 passes, G2-2(L3)=2 fails                             → 2
	//   G3: 3,3,3 at L2,L3,L4; G3-4(L5)=0                                   → 4
	//   G4: 3,4,4 at L2,L3,L3; G4-4(L4)=0                                   → 3
	//   G5, G6, G9: L2 and L3 pass, L4 = 0                                  → 3
	//   G7: L2, L3 pass; G7-3(L4)=1 fails                                   → 3
	//   G8: G8-3(L2)=3, two L3 practices = 3; G8-4(L4)=0                    → 3
	//   G10: 3,3,4 at L2,L3,L4; G10-4(L5)=0                                 → 4
	//   G11 (not core): G11-2(L2)=3, G11-3(L3)=3, G11-1(L4)=0 → 3
	//   G12 (not core): G12-4(L2)=3, G12-1(L3)=2 → 2
	//   institution = min over core G1..G10 = G2 = 2; every core practice is
	//   answered, so level_range = [2, 2].
	// Continuous score (a practice's weight is its level; per domain Σ level·n / Σ level):
	//   G1 (2·1 + 3·.75 + 4·0 + 5·.5)/14 = 6.75/14     G2 (2·.75 + 3·.5 + 3·1)/17 = 6/17
	//   G3 (2+3+4)·.75/14 = 6.75/14                     G4 (2·.75 + 3 + 3)/17 = 7.5/17
	//   G5 (2+3)·.75/14 = 3.75/14   G6 (2+3)/14 = 5/14  G7 (2·.75 + 3·.75 + 4·.25)/14 = 4.75/14
	//   G8 (2+3+3)·.75/17 = 6/17    G9 3.75/14          G10 (2·.75 + 3·.75 + 4·1)/14 = 7.75/14
	//   G11 (2+3)·.75/9 = 3.75/9    G12 over the answered (2·.75 + 3·.5)/5 = .6
	//   score = 10·.48214 + 10·.35294 + 10·.48214 + 12·.44118 + 8·.26786 + 8·.35714
	//         + 12·.33929 + 6·.35294 + 8·.26786 + 8·.55357 + 4·.41667 + 4·.6
	//         = 4.8214 + 3.5294 + 4.8214 + 5.2941 + 2.1429 + 2.8571 + 4.0714
	//         + 2.1176 + 2.1429 + 4.4286 + 1.6667 + 2.4 = 40.2936 → 40.3
	//   coverage = (96 + 4 · 5/14) / 100 = 0.97429 → 0.9743 (G12: levels 2+3 of 2+3+4+5)
	if r.Level != 2 || r.Score == nil || *r.Score != 40.3 || !near(r.Coverage, 0.9743) || r.Status != models.StatusOK ||
		len(r.LevelRange) != 2 || r.LevelRange[0] != 2 || r.LevelRange[1] != 2 {
		t.Fatalf("level %d %v score %v coverage %v status %s: %s", r.Level, r.LevelRange, r.Score, r.Coverage, r.Status, r.Explanation)
	}
	want := map[string]int{"G1": 3, "G2": 2, "G3": 4, "G4": 3, "G5": 3, "G6": 3, "G7": 3, "G8": 3, "G9": 3, "G10": 4, "G11": 3, "G12": 2}
	for id, lv := range want {
		if d := dim(r, id); d.Level != lv {
			t.Errorf("%s level %d, want %d", id, d.Level, lv)
		}
	}
	if d := dim(r, "G7"); d.Score == nil || *d.Score != 33.9 { // 4.75/14 = 33.93
		t.Errorf("G7 score %v, want 33.9", d.Score)
	}
}

// The form follows the model: locked ids and questions, open answer
// cells with a 0-4 drop-down or a number ≥ 0, the model recorded in a
// very hidden sheet; a custom model gives a custom form.
func TestTemplateLayout(t *testing.T) {
	s := set(t)
	p := template(t, s, "supplier", "en", "")
	f, err := excelize.OpenFile(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "Instructions|Supplier evaluation|_osgauge" {
		t.Fatalf("sheets %s", got)
	}
	if vis, _ := f.GetSheetVisible("_osgauge"); vis {
		t.Error("meta sheet is visible")
	}
	sh := "Supplier evaluation"
	get := func(ref string) string {
		v, _ := f.GetCellValue(sh, ref)
		return v
	}
	if get("A8") != "ID" || get("G8") != "Answer" || get("H8") != "Evidence reference" || get("A9") != "QUA-1" || get("A24") != "CNT-2" || get("A25") != "" {
		t.Errorf("layout: A8=%q G8=%q A9=%q A24=%q A25=%q", get("A8"), get("G8"), get("A9"), get("A24"), get("A25"))
	}
	if get("D9") != s["supplier"].Indicator("QUA-1").Question.En || get("F12") != "Number ≥ 0" {
		t.Errorf("D9=%q F12=%q", get("D9"), get("F12"))
	}
	// The date is marked required, with what to type and why beside it
	// and in the instructions.
	const dateNoteEn = "Required, as YYYY-MM-DD (e.g. 2026-11-20): answers expire 18 months after this date; a form without it is refused."
	if get("A4") != "Respondent name" || get("A6") != "Date (required)" || get("E6") != dateNoteEn || get("D6") != "" {
		t.Errorf("A4=%q A6=%q E6=%q D6=%q", get("A4"), get("A6"), get("E6"), get("D6"))
	}
	if rows, err := f.GetRows("Instructions"); err != nil || !slices.ContainsFunc(rows, func(r []string) bool {
		return len(r) == 2 && r[0] == "Date required" &&
			r[1] == "Type the date the answers were given in cell D6 of sheet “Supplier evaluation”, as YYYY-MM-DD (e.g. 2026-11-20). Answers expire 18 months after that date (answer_validity_months of model supplier), so a returned form without a date is refused."
	}) {
		t.Errorf("the instructions do not say the date is required: %q %v", rows, err)
	}
	locked := func(ref string) bool {
		id, err := f.GetCellStyle(sh, ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st.Protection == nil || st.Protection.Locked
	}
	for _, ref := range []string{"A8", "A9", "D9", "C9", "G8"} {
		if !locked(ref) {
			t.Errorf("%s is not locked", ref)
		}
	}
	for _, ref := range []string{"G9", "H9", "I9", "D4", "D5", "D6", "G24"} {
		if locked(ref) {
			t.Errorf("%s is locked", ref)
		}
	}
	dvs, err := f.GetDataValidations(sh)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, dv := range dvs {
		kinds = append(kinds, dv.Type+" "+dv.Sqref+" "+dv.Formula1)
		if dv.Sqref == "D6" && (dv.PromptTitle == nil || *dv.PromptTitle != "Date (required)" || dv.Prompt == nil || *dv.Prompt != dateNoteEn) {
			t.Errorf("D6 input message: %v %v", dv.PromptTitle, dv.Prompt)
		}
	}
	// The date cell (D6), any value, with an input message saying it is
	// required; QUA-4 (row 12) and SRV-3 (row 16) take numbers; the rest
	// levels.
	want := ` D6 |list G9:G11 "0,1,2,3,4"|list G13:G15 "0,1,2,3,4"|list G17:G24 "0,1,2,3,4"|decimal G12 0|decimal G16 0`
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("data validations:\n got %s\nwant %s", got, want)
	}

	// A custom model: its own questions, levels and guidance.
	custom, err := models.Parse("my-gmi.yaml", []byte(`id: my-gmi
version: 2.0.0
kind: staged
subject: institution
name: {en: "Bank GMI", zh: 本行成熟度}
min_coverage: 0.5
pass_evidence: 3
levels: [{level: 1, name: {en: L1}}, {level: 2, name: {en: L2}}]
dimensions:
  - id: D1
    name: {en: "Policy", zh: 制度}
    weight: 100
    core: true
    indicators:
      - {id: P-1, level: 2, metrics: [questionnaire.P-1], normalize: {evidence: true}, clause: "Bank rule 7",
         name: {en: "Policy exists"}, question: {en: "Is there a written policy?", zh: 是否有书面制度？},
         guidance: {en: "Attach the policy.", zh: 附制度文件。}}
      - {id: P-2, level: 2, metrics: [manual.p2], normalize: {bool: true}, clause: "Bank rule 8", name: {en: "Not asked"}}
`))
	if err != nil {
		t.Fatal(err)
	}
	cf, err := Template(custom, TemplateOptions{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	cget := func(ref string) string {
		v, _ := cf.GetCellValue("治理成熟度自评", ref)
		return v
	}
	if cget("A9") != "P-1" || cget("B9") != "制度" || cget("C9") != "2" || cget("D9") != "是否有书面制度？" ||
		cget("E9") != "附制度文件。\n依据: Bank rule 7" || cget("A10") != "" {
		t.Errorf("custom form: %q %q %q %q %q %q", cget("A9"), cget("B9"), cget("C9"), cget("D9"), cget("E9"), cget("A10"))
	}
	// It sets no answer_validity_months: the date is not required.
	if cget("A6") != "填写日期" || cget("E6") != "格式 YYYY-MM-DD（如 2026-11-20）；留空则以导入日期为准。" {
		t.Errorf("custom form's date: A6=%q E6=%q", cget("A6"), cget("E6"))
	}
	// The built-in one, in Chinese.
	zf, err := Template(s["supplier"], TemplateOptions{Lang: "zh"})
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	if a6, _ := zf.GetCellValue("供应商评估", "A6"); a6 != "填写日期（必填）" {
		t.Errorf("A6 = %q", a6)
	}
	if e6, _ := zf.GetCellValue("供应商评估", "E6"); e6 != "必填，格式 YYYY-MM-DD（如 2026-11-20）：答案自该日期起 18 个月后失效，未填日期的问卷将被拒绝。" {
		t.Errorf("E6 = %q", e6)
	}
}

// Malformed workbooks are refused with messages naming the sheet and
// cell, and the collector returns no observations.
func TestMalformedWorkbooksAreRefused(t *testing.T) {
	s := set(t)
	const sh = "sheet 供应商评估"
	good := map[string]any{"QUA-1": 3, "QUA-2": 2, "QUA-3": 4, "QUA-4": 5, "SCC-1": 3}
	who := respondent{"王芳", "解决方案总监", "2026-11-20"}
	cases := []struct {
		name    string
		answers map[string]any
		who     *respondent
		edit    func(f *excelize.File, sheet string)
		want    []string
	}{
		{name: "renamed sheet", edit: func(f *excelize.File, sheet string) { f.SetSheetName(sheet, "Sheet2") },
			want: []string{`: sheet "供应商评估" is missing (renamed or deleted? the workbook has: 填写说明, Sheet2)`}},
		{name: "deleted instructions", edit: func(f *excelize.File, sheet string) { f.DeleteSheet("填写说明") },
			want: []string{`sheet "填写说明" is missing`}},
		{name: "deleted row", edit: func(f *excelize.File, sheet string) { f.RemoveRow(sheet, 11) },
			want: []string{sh + ", cell A11: question QUA-3 is missing (was its row deleted?)"}},
		{name: "inserted row", edit: func(f *excelize.File, sheet string) { f.InsertRows(sheet, 12, 1) },
			want: []string{sh + ", cell A13: question QUA-4 belongs in row 12, found in row 13", sh + ", cell A25: question CNT-2 belongs in row 24"}},
		{name: "moved rows", edit: func(f *excelize.File, sheet string) {
			f.SetCellStr(sheet, "A9", "QUA-2")
			f.SetCellStr(sheet, "A10", "QUA-1")
		}, want: []string{sh + ", cell A9: question QUA-2 belongs in row 10, found in row 9", sh + ", cell A10: question QUA-1 belongs in row 9"}},
		{name: "unknown id", edit: func(f *excelize.File, sheet string) { f.SetCellStr(sheet, "A26", "QUA-9") },
			want: []string{sh + `, cell A26: "QUA-9" is not a question of model supplier 0.3.0`}},
		{name: "merged answer cell", edit: func(f *excelize.File, sheet string) { f.MergeCell(sheet, "G9", "G10") },
			want: []string{sh + ", cell G9: cells G9:G10 are merged"}},
		{name: "inserted column", edit: func(f *excelize.File, sheet string) { f.InsertCols(sheet, "G", 1) },
			want: []string{sh + `, cell G8: column header must be "答案", found ""`}},
		{name: "text in the level column", edit: func(f *excelize.File, sheet string) { f.SetCellStr(sheet, "C9", "3") },
			want: []string{sh + `, cell C9: level must be blank: QUA-1 is not a staged practice; got "3"`}},
		{name: "text as an evidence level", answers: map[string]any{"QUA-1": "high"},
			want: []string{sh + `, cell G9: evidence level must be 0-4, got "high"`}},
		{name: "level out of range", answers: map[string]any{"QUA-1": 5, "QUA-2": 2.5, "QUA-3": -1},
			want: []string{sh + `, cell G9: evidence level must be 0-4, got "5"`, `cell G10: evidence level must be 0-4, got "2.5"`, `cell G11: evidence level must be 0-4, got "-1"`}},
		{name: "bad numbers", answers: map[string]any{"QUA-4": "many", "SRV-3": -2},
			want: []string{sh + `, cell G12: answer must be a number (0 or more), got "many"`, `cell G16: answer must not be negative, got "-2"`}},
		{name: "formula-looking text answer", answers: map[string]any{"QUA-1": "=3", "QUA-4": "+5", "SRV-3": "@A1"},
			want: []string{`cell G9: evidence level must be 0-4, got "=3"`, `cell G12: answer must be a number (0 or more), got "+5"`, `cell G16: answer must be a number (0 or more), got "@A1"`}},
		{name: "formula in an answer", edit: func(f *excelize.File, sheet string) { f.SetCellFormula(sheet, "G9", "1+2") },
			want: []string{sh + ", cell G9: contains a formula (=1+2); type the value, not a formula"}},
		{name: "formula in evidence", edit: func(f *excelize.File, sheet string) { f.SetCellFormula(sheet, "H10", `HYPERLINK("http://x")`) },
			want: []string{sh + `, cell H10: contains a formula (=HYPERLINK("http://x"))`}},
		{name: "no respondent", who: &respondent{},
			want: []string{sh + ", cell D4: the respondent's name is required"}},
		{name: "meta sheet deleted", edit: func(f *excelize.File, sheet string) { f.DeleteSheet("_osgauge") },
			want: []string{`not an osgauge questionnaire: its hidden sheet "_osgauge" (model id and version) is missing`}},
		{name: "another model version", edit: func(f *excelize.File, sheet string) { f.SetCellStr("_osgauge", "B3", "0.0.9") },
			want: []string{"the workbook was made for supplier version 0.0.9, but the model in use is version 0.3.0"}},
		{name: "another model", edit: func(f *excelize.File, sheet string) { f.SetCellStr("_osgauge", "B2", "governance-maturity") },
			want: []string{"the workbook answers model governance-maturity, which assesses institutions, but this questionnaire is for a supplier"}},
		// Every problem at once, not just the first.
		{name: "many problems", answers: map[string]any{"QUA-1": 7, "SRV-3": "n/a"}, edit: func(f *excelize.File, sheet string) {
			f.SetCellFormula(sheet, "G10", "SUM(G9:G9)")
			f.MergeCell(sheet, "I13", "I14")
			f.SetCellFormula(sheet, "D5", `"CEO"`)
		}, want: []string{`cell G9: evidence level must be 0-4, got "7"`, "cell G10: contains a formula (=SUM(G9:G9))",
			"cell I13: cells I13:I14 are merged", `cell G16: answer must be a number (0 or more), got "n/a"`, "cell D5: contains a formula"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := template(t, s, "supplier", "zh", "")
			answers := map[string]any{}
			for k, v := range good {
				answers[k] = v
			}
			for k, v := range c.answers {
				answers[k] = v
			}
			w := who
			if c.who != nil {
				w = *c.who
			}
			fill(t, p, w, answers, nil, nil, c.edit)
			obs, err := collect(t, s, acme, p)
			if err == nil || obs != nil {
				t.Fatalf("workbook taken: %d observations, err %v", len(obs), err)
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			if !strings.HasPrefix(err.Error(), p+": ") {
				t.Errorf("error does not start with the file name: %v", err)
			}
			var we *WorkbookError
			if errors.As(err, &we) && c.name == "many problems" && len(we.Problems) != len(c.want) {
				t.Errorf("%d problems, want %d:\n%v", len(we.Problems), len(c.want), err)
			}
		})
	}
}

// A staged form: text in the level column (the practice's level) is
// refused, and so is a form for another version of the model in use.
func TestGovernanceLevelColumnAndModelVersion(t *testing.T) {
	s := set(t)
	p := template(t, s, "governance-maturity", "en", "")
	fill(t, p, respondent{"Li Wei", "OSPO", "2026-11-21"}, map[string]any{"G1-1": 3}, nil, nil, func(f *excelize.File, sheet string) {
		f.SetCellStr(sheet, "C9", "high")
		f.SetCellInt(sheet, "C10", 2) // G1-2 is a level-3 practice
	})
	_, err := collect(t, s, bank, p)
	for _, want := range []string{
		`sheet Self-assessment, cell C9: level must be 2, the level of practice G1-1 in model governance-maturity 0.4.0; got "high"`,
		`sheet Self-assessment, cell C10: level must be 3, the level of practice G1-2`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}

	// The institution moved to its own version of the model: a form made
	// for the built-in 0.4.0 is refused.
	src, err := models.BuiltinSource("governance-maturity")
	if err != nil {
		t.Fatal(err)
	}
	m2, err := models.Parse("my-gmi.yaml", []byte(strings.Replace(string(src), "\nversion: 0.4.0", "\nversion: 0.5.0", 1)))
	if err != nil {
		t.Fatal(err)
	}
	s2 := set(t)
	s2["governance-maturity"] = m2
	p2 := template(t, s, "governance-maturity", "en", "")
	fill(t, p2, respondent{"Li Wei", "OSPO", "2026-11-21"}, map[string]any{"G1-1": 3}, nil, nil, nil)
	obs, err := collect(t, s2, bank, p2)
	if err == nil || obs != nil || !strings.Contains(err.Error(), "made for governance-maturity version 0.4.0, but the model in use is version 0.5.0") {
		t.Errorf("obs %v err %v", obs, err)
	}
	// A supplier form is not a self-assessment.
	p3 := template(t, s, "supplier", "en", "")
	if _, err := collect(t, s, bank, p3); err == nil || !strings.Contains(err.Error(), "which assesses suppliers, but this questionnaire is for a institution") {
		t.Errorf("err %v", err)
	}
}

// A form made for one supplier is refused for another; an unanswered form
// is valid and yields only "not answered" observations.
func TestWorkbookSubjectAndBlankForm(t *testing.T) {
	s := set(t)
	p := template(t, s, "supplier", "en", "Beta Cloud Native Ltd")
	if _, err := collect(t, s, acme, p); err == nil || !strings.Contains(err.Error(), `questionnaire is for "Beta Cloud Native Ltd" but the config names "Acme OSS Services"`) {
		t.Errorf("err = %v", err)
	}
	p = template(t, s, "supplier", "en", "")
	obs, err := collect(t, s, acme, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.HasData() || !strings.HasPrefix(o.Reason, "not answered in ") {
			t.Errorf("%+v", o)
		}
	}
	if len(obs) != 16 {
		t.Errorf("%d observations", len(obs))
	}
}

func TestWriteTemplateRefusesOtherExtensionsAndOldExcel(t *testing.T) {
	s := set(t)
	dir := t.TempDir()
	if err := WriteTemplate(filepath.Join(dir, "x.xls"), s["supplier"], TemplateOptions{}); err == nil {
		t.Error("wrote an .xls")
	}
	old := filepath.Join(dir, "old.xls")
	os.WriteFile(old, []byte("not really"), 0o644)
	if _, err := collect(t, s, acme, old); err == nil || !strings.Contains(err.Error(), "save it as .xlsx") {
		t.Errorf("err = %v", err)
	}
	if err := WriteTemplate(filepath.Join(dir, "p.xlsx"), s["project-health"], TemplateOptions{}); err == nil || !strings.Contains(err.Error(), "asks no questions") {
		t.Errorf("err = %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
}
