package html

import (
	"fmt"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// decidedReport is the sample with a decided project (karmada, B), an
// undecided one (thin-data: status ok, between D and A, estimate B, two
// gates not evaluated), an undecided supplier (acme), an institution
// between L2 and L4 and a project model with a change log.
func decidedReport(t *testing.T, lang string) *reports.Report {
	t.Helper()
	r := sampleReport(t, lang)
	r.Defs["project-health"] = mustModel(t, "ph.yaml", phYAML+`
changes:
  - version: 1.0.0
    en: "Grades are decided from bounds;
      an undecided grade is shown as an estimate."
    zh: 等级按上下界判定；未判定的等级显示为估计。
`)
	k := &r.Subjects[0].Results[0]
	k.GateStates = []models.GateState{{ID: "archived", State: models.GateClear, Cap: "D"}}
	thin := &r.Subjects[2].Results[0]
	thin.Status, thin.Score, thin.Coverage = models.StatusOK, f(70), 0.8
	thin.ScoreRange, thin.GradeRange, thin.GradeEstimate = []float64{40, 85}, []string{"D", "A"}, "B"
	thin.GateStates = []models.GateState{
		{ID: "archived", State: models.GateClear, Cap: "D"},
		{ID: "G-KEV", State: models.GateNotEvaluated, Cap: "D", BestCap: "B", Reason: "no OSV data " + evil, Sources: []string{"osv"}},
		{ID: "G-DANGEROUS-WORKFLOW", State: models.GateNotEvaluated, Cap: "C", BestCap: "B", Reason: "no Scorecard data", Sources: []string{"scorecard"}},
	}
	acme := &r.Subjects[3].Results[0]
	acme.Grade, acme.GradeRange, acme.GradeEstimate = "", []string{"T3", "T1"}, "T2"
	acme.GatesUnknown = []string{"no-license"} // an older result: no GateStates
	inst := &r.Subjects[5].Results[0]
	inst.Level, inst.LevelRange = 2, []int{2, 4}
	return r
}

func TestDecidedAndEstimatedGrades(t *testing.T) {
	for _, tc := range []struct {
		lang, estimate, supplier, notEval, state, run, between, changes string
	}{
		{"en", "D–A, undecided", "Tier 3–Tier 1, undecided", // issue 26: the range first, the estimate in the detail
			"2 not evaluated", "not evaluated",
			"OSV (network, or an offline OSV export)", "Undecided", "Grades are decided from bounds; an undecided grade is shown as an estimate."},
		{"zh", "D–A，未定级", "三级–一级，未定级",
			"2 项未评估", "未评估",
			"OSV（联网，或离线 OSV 导出）", "未定级", "等级按上下界判定；未判定的等级显示为估计。"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out := renderHTML(t, decidedReport(t, tc.lang))
			if strings.Contains(out, evil) {
				t.Fatalf("a gate reason reached the page unescaped")
			}
			doc, _ := parse(t, out)

			// Project table (first page, written in the page): the decided
			// grade, the estimate labelled with its range, and a badge
			// naming the gates not evaluated and what evaluates them.
			if got := text(elements(projectRow(t, doc, "karmada"), "td")[3]); got != "B" {
				t.Errorf("decided grade cell = %q, want B", got)
			}
			cells := elements(projectRow(t, doc, "thin-data"), "td")
			if got := text(cells[3]); got != tc.estimate {
				t.Errorf("undecided grade cell = %q, want %q", got, tc.estimate)
			}
			if got := text(cells[2]); got != "70.0" {
				t.Errorf("undecided (status ok) score cell = %q, want 70.0", got)
			}
			badge := firstWithClass(cells[1], "ne")
			if badge == nil || text(badge) != tc.notEval {
				t.Fatalf("gates cell lacks the not-evaluated badge %q", tc.notEval)
			}
			if title, _ := attr(badge, "title"); title != "G-KEV (osv), G-DANGEROUS-WORKFLOW (scorecard)" {
				t.Errorf("badge title = %q", title)
			}

			// The project detail is drawn from the embedded data.
			var thin map[string]any
			for _, p := range embedded(t, doc).P {
				if p["n"] == "thin-data" {
					thin = p
				}
			}
			if thin["g"] != tc.estimate || thin["ge"] != float64(1) || thin["en"] == nil {
				t.Errorf("thin-data data: g %v, ge %v, en %v", thin["g"], thin["ge"], thin["en"])
			}
			gs, _ := thin["gs"].([]any)
			var kev []any
			for _, g := range gs {
				if row := g.([]any); row[6] == "G-KEV" {
					kev = row
				}
			}
			if kev == nil || kev[1] != tc.state || kev[3] != map[string]string{"en": "D (at risk)", "zh": "D（高风险）"}[tc.lang] || kev[4] != "B" || kev[5] != tc.run || kev[7] != models.GateNotEvaluated {
				t.Errorf("G-KEV gate state = %q, want not evaluated, cap D (its label), best B, run %q", kev, tc.run)
			}
			if len(gs) != 3 || gs[0].([]any)[7] != models.GateNotEvaluated || gs[2].([]any)[6] != "archived" {
				t.Errorf("gate states = %v: want the 3 gates, not evaluated before clear", gs)
			}

			// Supplier: the estimate in the ranking and in the detail; the
			// older result's GatesUnknown listed as not evaluated.
			var srow *xhtml.Node
			for _, tr := range elements(byID(doc, "stable"), "tr") {
				if strings.Contains(text(tr), "Acme") {
					srow = tr
				}
			}
			if got := text(elements(srow, "td")[4]); got != tc.supplier {
				t.Errorf("supplier tier cell = %q, want %q", got, tc.supplier)
			}
			det := detailsOf(doc, "Acme")
			if det == nil || !strings.Contains(text(det), tc.supplier) || firstWithClass(det, "estimate-note") == nil {
				t.Fatalf("supplier detail lacks the estimate and its note")
			}
			gt := firstWithClass(det, "gates")
			if gt == nil || !strings.Contains(text(gt), tc.state) || !strings.Contains(text(gt), "no-license") {
				t.Errorf("supplier detail's gate table lacks no-license not evaluated")
			}

			// The ungraded note names what to run: here the sources of the
			// gates not evaluated (thin-data misses no indicator).
			if note := text(byID(doc, "ungraded-note")); !strings.Contains(note, tc.run) {
				t.Errorf("ungraded note = %q, want it to name %q", note, tc.run)
			}

			// Counts: one undecided project (thin-data; the undecided
			// supplier acme is not a project, issue 26); the grade chart
			// counts thin-data as undecided, never as B.
			if got := text(byID(doc, "count-undecided")); got != "1" {
				t.Errorf("undecided count = %q, want 1", got)
			}
			js := chartScript(doc)
			if !strings.Contains(js, fmt.Sprintf(`{"name":%q,"value":1`, tc.between)) {
				t.Errorf("grade chart lacks %q with 1", tc.between)
			}
			bName := map[string]string{"en": "B", "zh": "B"}[tc.lang]
			if !strings.Contains(js, fmt.Sprintf(`{"name":%q,"value":1}`, bName)) {
				t.Errorf("grade chart: B should count karmada only")
			}

			// Maturity: the level range, its note and the radar's name.
			lvl := byID(doc, "level-s5")
			if lvl == nil || !strings.HasPrefix(text(lvl), "L2–L4 · ") {
				t.Errorf("maturity level card = %q, want L2–L4", text(lvl))
			}
			if firstWithClass(byID(doc, "maturity"), "level-note") == nil {
				t.Errorf("no note on the level range")
			}
			if !strings.Contains(js, "Example Bank · L2–L4") {
				t.Errorf("maturity radar does not name the level range")
			}

			// Model changes.
			mc := firstWithClass(byID(doc, "models"), "model-changes")
			if mc == nil {
				t.Fatal("no model changes")
			}
			tables := elements(byID(doc, "models"), "table")
			if last := text(tables[len(tables)-1]); !strings.Contains(last, "1.0.0") || !strings.Contains(last, tc.changes) {
				t.Errorf("model changes table = %q", last)
			}
		})
	}
}

func firstWithClass(n *xhtml.Node, class string) *xhtml.Node {
	if n == nil {
		return nil
	}
	if c, ok := attr(n, "class"); ok && n.Type == xhtml.ElementNode {
		for _, x := range strings.Fields(c) {
			if x == class {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := firstWithClass(c, class); f != nil {
			return f
		}
	}
	return nil
}

// detailsOf is the <details> whose summary names name.
func detailsOf(doc *xhtml.Node, name string) *xhtml.Node {
	for _, d := range elements(doc, "details") {
		if s := elements(d, "summary"); len(s) > 0 && strings.Contains(text(s[0]), name) {
			return d
		}
	}
	return nil
}

// Level ranges: two ends, one level, or a result stored without a range.
func TestLevelRangeText(t *testing.T) {
	for _, c := range []struct {
		res  models.Result
		want string
	}{
		{models.Result{Level: 2, LevelRange: []int{2, 4}}, "L2–L4"},
		{models.Result{Level: 3, LevelRange: []int{3, 3}}, "L3"},
		{models.Result{Level: 1}, "L1"},
		{models.Result{}, ""},
	} {
		if got := reports.LevelRange(&c.res); got != c.want {
			t.Errorf("reports.LevelRange(%v) = %q, want %q", c.res.LevelRange, got, c.want)
		}
	}
}
