package excel

import (
	"slices"
	"testing"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// decidedReport has a decided grade, an undecided one (status ok, worst D,
// best A, estimate B) with two gates not evaluated, an older result with
// GatesUnknown only, an institution between L2 and L4, and a project
// model with a change log.
func decidedReport(t *testing.T, lang string) *reports.Report {
	t.Helper()
	r := testReport(t, lang)
	m, err := models.Parse("phi.yaml", []byte(phiYAML+`
changes:
  - version: 1.0.0
    en: "Grades are decided from bounds;
      an undecided grade is shown as an estimate."
    zh: 等级按上下界判定；未判定的等级显示为估计。
`))
	if err != nil {
		t.Fatal(err)
	}
	r.Defs[m.ID] = m
	decidedRes := phiResult(num(72), "B", "ok", 1)
	decidedRes.GateStates = []models.GateState{{ID: "G-ARCHIVED", State: models.GateClear, Cap: "D"}}
	und := phiResult(num(70), "", "ok", 0.8)
	und.ScoreRange = []float64{40, 85}
	und.GradeRange = []string{"D", "A"}
	und.GradeEstimate = "B"
	und.GateStates = []models.GateState{
		{ID: "G-ARCHIVED", State: models.GateClear, Cap: "D"},
		{ID: "G-KEV", State: models.GateNotEvaluated, Cap: "D", BestCap: "B", Reason: "no OSV data", Sources: []string{"osv"}},
		{ID: "G-DANGEROUS-WORKFLOW", State: models.GateNotEvaluated, Cap: "C", BestCap: "B", Reason: "no Scorecard data", Sources: []string{"scorecard"}},
	}
	old := phiResult(num(60), "", "ok", 0.9)
	old.GradeRange = []string{"C", "B"}
	old.GatesUnknown = []string{"G-ARCHIVED"}
	r.Subjects = []reports.SubjectReport{
		{Kind: models.KindProject, ID: "github.com/x/decided", Name: "decided", Results: []models.Result{decidedRes}},
		{Kind: models.KindProject, ID: "github.com/x/undecided", Name: "undecided", Results: []models.Result{und}},
		{Kind: models.KindProject, ID: "github.com/x/old", Name: "old", Results: []models.Result{old}},
		{Kind: models.KindInstitution, ID: "bank", Name: "Example Bank",
			Results: []models.Result{{Model: models.GovernanceMaturity, Score: num(55.5), Level: 2, LevelRange: []int{2, 4}, Status: "ok", Coverage: 0.7,
				Dimensions: []models.DimensionResult{{ID: "POL", Score: num(60), Level: 2, Coverage: 1}, {ID: "INV", Score: num(51), Level: 2, Coverage: 0.4}}}}},
	}
	return r
}

func TestDecidedAndEstimatedGrades(t *testing.T) {
	for _, tc := range []struct {
		lang, projects, summary, maturity, model, trends string
		estimate, notEval, between, undecided            string
		old, oldNotEval, levelLabel, changes             string
	}{
		{lang: "en", projects: "Projects", summary: "Summary", maturity: "Maturity", model: "Model", trends: "Trends",
			// issue 26: the range first, the estimate only in the detail;
			// one "undecided" row and count
			estimate: "D–A, undecided", notEval: "not evaluated: G-KEV (osv), G-DANGEROUS-WORKFLOW (scorecard)",
			between: "Undecided", undecided: "Projects undecided",
			old: "C–B, undecided", oldNotEval: "not evaluated: G-ARCHIVED", levelLabel: "Governance maturity level", changes: "Changes"},
		{lang: "zh", projects: "开源项目", summary: "概览", maturity: "治理成熟度", model: "评估模型", trends: "趋势",
			estimate: "D–A，未定级", notEval: "未评估：G-KEV（osv），G-DANGEROUS-WORKFLOW（scorecard）",
			between: "未定级", undecided: "未定级项目",
			old: "C–B，未定级", oldNotEval: "未评估：G-ARCHIVED", levelLabel: "开源治理成熟度级别", changes: "版本变更"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			f, _ := writeOpen(t, decidedReport(t, tc.lang))
			header, rows, _ := rowsByName(t, f, tc.projects)
			ne := slices.Index(header, labels.T(tc.lang, "xlsx.gates_not_evaluated"))
			if ne != 11 {
				t.Fatalf("header = %q: want the not-evaluated gates in column L", header)
			}
			// decided: the grade; undecided (status ok): the score, the
			// estimate labelled with its range, the gates not evaluated
			// and what to run.
			if d := rows["decided"]; d[3] != "B" || len(d) > ne && d[ne] != "" {
				t.Errorf("decided row = %q", d)
			}
			u := rows["undecided"]
			if u[2] != "70.0" || u[3] != tc.estimate || u[ne] != tc.notEval {
				t.Errorf("undecided row = %q, want grade %q and gates %q", u, tc.estimate, tc.notEval)
			}
			// an older result: no estimate, GatesUnknown as not evaluated
			if o := rows["old"]; o[3] != tc.old || o[ne] != tc.oldNotEval {
				t.Errorf("old row = %q", o)
			}

			sum, _ := f.GetRows(tc.summary)
			// Decided grades are counted; the two undecided results are
			// counted between grades, never under their estimate.
			for g, n := range map[string]string{"A": "0", "B": "1", "C": "0", "D": "0", tc.between: "2"} {
				if r := findRow(sum, g); r == nil || r[2] != n {
					t.Errorf("distribution %s = %q, want %s", g, r, n)
				}
			}
			if r := findRow(sum, tc.undecided); r == nil || r[1] != "2" {
				t.Errorf("undecided count = %q", r)
			}
			if r := findRow(sum, tc.levelLabel); r == nil || r[1] != "L2–L4" {
				t.Errorf("maturity level = %q, want L2–L4", r)
			}

			mat, _ := f.GetRows(tc.maturity)
			if r := findRow(mat, labels.T(tc.lang, "level"), "L2–L4"); r == nil {
				t.Errorf("Maturity has no level row L2–L4: %q", mat)
			}

			// this period's grade in the per-subject trend
			tr, _ := f.GetRows(tc.trends)
			found := false
			for _, r := range tr {
				if len(r) > 5 && r[1] == "undecided" && r[5] == tc.estimate {
					found = true
				}
			}
			if !found {
				t.Errorf("Trends has no row for undecided with %q: %q", tc.estimate, tr)
			}

			ms, _ := f.GetRows(tc.model)
			if findRow(ms, tc.changes) == nil {
				t.Errorf("Model sheet has no Changes block: %q", ms)
			}
			want := map[string]string{"en": "Grades are decided from bounds; an undecided grade is shown as an estimate.",
				"zh": "等级按上下界判定；未判定的等级显示为估计。"}[tc.lang]
			if findRow(ms, "1.0.0", want) == nil {
				t.Errorf("Model sheet has no change row %q: %q", want, ms)
			}
		})
	}
}

// A staged result whose two ends agree shows one level.
func TestLevelRangeText(t *testing.T) {
	for _, c := range []struct {
		res  models.Result
		want string
		open bool
	}{
		{models.Result{Level: 2, LevelRange: []int{2, 4}}, "L2–L4", true},
		{models.Result{Level: 3, LevelRange: []int{3, 3}}, "L3", false},
		{models.Result{Level: 1}, "L1", false},
	} {
		if got := reports.LevelRange(&c.res); got != c.want || reports.LevelOpen(&c.res) != c.open {
			t.Errorf("reports.LevelRange(%v) = %q, open %v; want %q, %v", c.res.LevelRange, got, reports.LevelOpen(&c.res), c.want, c.open)
		}
	}
}
