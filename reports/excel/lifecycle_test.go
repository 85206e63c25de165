package excel

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

func intp(n int) *int { return &n }

// testLifecycle: 5 components in third-party use — approved, rejected,
// exit, used without intake (a name that looks like a formula), and a
// transitive one needing none; one exit overdue with 2 systems remaining
// (3 at the previous period's end).
func testLifecycle() *reports.Lifecycle {
	at := time.Date(2025, 11, 2, 9, 0, 0, 0, time.UTC)
	return &reports.Lifecycle{IntakeRequired: "direct", AsOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		PreviousAsOf: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		InUse: reports.LcCounts{Approved: 1, Rejected: 1, Exit: 1, Unapproved: 1, TransitiveNoIntake: 1, NotThirdParty: 2, Total: 5,
			NeedIntake: 4, Decided: 3, OverdueExits: 1},
		UnapprovedInUse: []reports.LcUnapproved{{Component: `=HYPERLINK("http://evil","x")`, Version: "1.9", Target: "pkg:maven/evil/x",
			Systems: []string{"payments", "portal"}}},
		UnapprovedBySystem: []reports.LcSystemCount{{System: "payments", Unapproved: 1, Components: 5}, {System: "portal", Unapproved: 1, Components: 2},
			{System: "batch", Components: 1}},
		Exits: []reports.LcExit{{ID: "exit-jackson", Component: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.x",
			Reason: "security", Replacement: "jackson-databind 2.15", Deadline: "2026-03-31", Owner: "Li Wei", SystemsRemaining: 2,
			Systems:                  []reports.LcExitSystem{{System: "payments", Version: "2.9.10", Relation: "direct"}, {System: "portal", Version: "2.9.10", Relation: "transitive"}},
			Overdue:                  true,
			SystemsRemainingPrevious: intp(3)}},
		ExitCandidates: []reports.LcCandidate{{Component: "org.apache.commons:commons-text", Version: "1.9", Target: "pkg:maven/org.apache.commons/commons-text",
			Project: "github.com/apache/commons-text", Gates: []string{"G-UNMAINTAINED"}, Reason: "unmaintained", Systems: []string{"payments"}}},
		Decisions: []reports.LcDecision{{ID: "dec-fastjson", Target: "pkg:maven/com.alibaba/fastjson", Versions: ">=1.2.83", Decision: "approved",
			By: "OSPO", Why: "+cmd|' /C calc'!A0", At: at, ReviewBy: "2026-05-01", ReviewDue: true, Status: "current", InUse: 1}},
		Components:        []reports.LcComponent{},
		IntakeAssessments: []reports.LcAssessment{},
	}
}

func TestLifecycleSheet(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		r := testReport(t, lang)
		r.Lifecycle = testLifecycle()
		// The institution's G4-2 measured from the ledger, contradicting
		// its answer.
		for i := range r.Subjects {
			if r.Subjects[i].Kind == models.KindInstitution {
				res := &r.Subjects[i].Results[0]
				res.Indicators = append(res.Indicators, models.IndicatorResult{ID: "G4-2", Raw: num(1), Source: "lifecycle",
					Evidence: "DISCREPANCY: the questionnaire claims 3 (G4-2), the evidence shows 1. 1 of 4 components in use that need intake have a decision"},
					models.IndicatorResult{ID: "G4-3", Raw: num(3), Source: "questionnaire", Evidence: "answered"})
			}
		}
		f, _ := writeOpen(t, r)
		sheet, summary := "Lifecycle", "Summary"
		if lang == "zh" {
			sheet, summary = "生命周期", "概览"
		}
		if !slices.Contains(f.GetSheetList(), sheet) {
			t.Fatalf("%s: no sheet %q in %v", lang, sheet, f.GetSheetList())
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		find := func(first string) []string {
			for _, r := range rows {
				if len(r) > 0 && r[0] == first {
					return r
				}
			}
			return nil
		}
		if lang == "en" {
			// Key figures as given; 3 of 4 needing intake decided = 75%.
			for label, want := range map[string]string{"Components in third-party use": "5", "approved": "1", "rejected": "1",
				"on the exit list": "1", "Used without intake": "1", "Transitive, no intake needed": "1", "Overdue exits": "1",
				"Components needing intake with a decision": "75%"} {
				if r := find(label); len(r) < 2 || r[1] != want {
					t.Errorf("figure %q: %q, want %q", label, r, want)
				}
			}
			if r := find("payments"); len(r) < 3 || r[1] != "1" || r[2] != "5" {
				t.Errorf("by system: payments %q", r)
			}
			if r := find("batch"); len(r) < 3 || r[1] != "0" || r[2] != "1" {
				t.Errorf("by system: batch %q", r)
			}
			// The exit: 2 remaining, 3 at 2026-10-01, overdue, who runs it how.
			x := find("pkg:maven/com.fasterxml.jackson.core/jackson-databind")
			if len(x) < 10 || x[2] != "security" || x[6] != "2" || x[7] != "3" || x[8] != "OVERDUE" ||
				x[9] != "payments 2.9.10 (directly); portal 2.9.10 (transitively)" {
				t.Errorf("exit row %q", x)
			}
			if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "At the previous period's end (2026-10-01)") }) {
				t.Errorf("no previous-period header")
			}
			if c := find("org.apache.commons:commons-text"); len(c) < 7 || c[4] != "G-UNMAINTAINED" || c[5] != "unmaintained" {
				t.Errorf("candidate %q", c)
			}
			if d := find("dec-fastjson"); len(d) < 10 || d[3] != "approved" || d[4] != "in force" || d[7] != "2026-05-01 DUE" || d[8] != "1" {
				t.Errorf("decision %q", d)
			}
		} else if find("已批准") == nil || find("未经准入使用") == nil {
			t.Errorf("zh: labels missing: %q", rows)
		}
		// Outside text stays text: no cell of the sheet holds a formula.
		for ri, r := range rows {
			for ci := range r {
				ref := cell(ci+1, ri+1)
				if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
					t.Errorf("%s: %s holds a formula %q", lang, ref, fm)
				}
			}
		}
		if g := find("G4-2"); len(g) < 4 || g[2] != "1" || !strings.HasPrefix(g[3], "DISCREPANCY: the questionnaire claims 3 (G4-2)") {
			t.Errorf("%s: GMI evidence row %q", lang, g)
		}
		if find("G4-3") != nil {
			t.Errorf("%s: a practice judged by its answer alone is listed", lang)
		}
		if u := find(`=HYPERLINK("http://evil","x")`); len(u) < 4 || u[3] != "payments, portal" {
			t.Errorf("%s: unapproved row %q", lang, u)
		}
		// The Summary carries use without intake and overdue exits.
		srows, _ := f.GetRows(summary)
		label := map[string]string{"en": "Used without intake", "zh": "未经准入使用"}[lang]
		if !slices.ContainsFunc(srows, func(r []string) bool { return len(r) > 1 && r[0] == label && r[1] == "1" }) {
			t.Errorf("%s: the Summary lacks %q: %q", lang, label, srows)
		}
		if !strings.Contains(strings.Join(f.GetSheetList(), ","), sheet) {
			t.Errorf("sheet list %v", f.GetSheetList())
		}
	}
	// No lifecycle, no sheet.
	r := testReport(t, "en")
	f, _ := writeOpen(t, r)
	if slices.Contains(f.GetSheetList(), "Lifecycle") {
		t.Errorf("a report without lifecycle has its sheet")
	}
}
