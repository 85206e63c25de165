package html

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

const evilWhy = `<img src=x onerror=alert(1)>`

func intp(n int) *int { return &n }

// lifecycleFixture: 5 components in third-party use — approved, rejected,
// exit, used without intake and a transitive one needing none; one exit
// overdue, 2 systems remaining where 3 were at the previous period's end.
func lifecycleFixture() *reports.Lifecycle {
	return &reports.Lifecycle{IntakeRequired: "direct", AsOf: time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC),
		PreviousAsOf: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC),
		InUse: reports.LcCounts{Approved: 1, Rejected: 1, Exit: 1, Unapproved: 1, TransitiveNoIntake: 1, NotThirdParty: 2, Total: 5,
			NeedIntake: 4, Decided: 3, OverdueExits: 1},
		UnapprovedInUse: []reports.LcUnapproved{{Component: "org.apache.commons:commons-text", Version: "1.9",
			Target: "pkg:maven/org.apache.commons/commons-text", Systems: []string{"payments", "portal"}}},
		UnapprovedBySystem: []reports.LcSystemCount{{System: "payments", Unapproved: 1, Components: 5}, {System: "portal", Unapproved: 1, Components: 2},
			{System: "batch", Components: 1}},
		Exits: []reports.LcExit{{ID: "exit-jackson", Component: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.x",
			Reason: "security", Replacement: "jackson-databind 2.15", Deadline: "2026-03-31", Owner: "Li Wei", SystemsRemaining: 2,
			Systems: []reports.LcExitSystem{{System: "payments", Version: "2.9.10", Relation: "direct"},
				{System: "portal", Version: "2.9.10", Relation: "transitive"}},
			Overdue: true, SystemsRemainingPrevious: intp(3)}},
		Decisions: []reports.LcDecision{
			{ID: "dec-fastjson", Target: "pkg:maven/com.alibaba/fastjson", Decision: "approved", By: "OSPO", Why: evilWhy,
				At: time.Date(2025, 11, 2, 0, 0, 0, 0, time.UTC), ReviewBy: "2026-05-01", ReviewDue: true, Status: "current", InUse: 1},
			{ID: "dec-old", Target: "pkg:maven/com.alibaba/fastjson", Decision: "rejected", By: "OSPO", Why: "old", Status: "superseded"},
		},
	}
}

func TestLifecycleSection(t *testing.T) {
	for _, tc := range []struct{ lang, title, unapproved, overdue string }{
		{"en", "Open-source lifecycle: intake, use, exit", "Used without intake", "Overdue exits"},
		{"zh", "开源软件生命周期：准入、使用、退出", "未经准入使用", "逾期未退出"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := sampleReport(t, tc.lang)
			r.Lifecycle = lifecycleFixture()
			// The institution's G4-2 measured from the ledger.
			for i := range r.Subjects {
				if r.Subjects[i].Kind == models.KindInstitution {
					for j := range r.Subjects[i].Results {
						if r.Subjects[i].Results[j].Model == models.GovernanceMaturity {
							res := &r.Subjects[i].Results[j]
							one := 1.0
							res.Indicators = append(res.Indicators, models.IndicatorResult{ID: "G4-2", Raw: &one, Source: "lifecycle",
								Evidence: "DISCREPANCY: the questionnaire claims 3 (G4-2), the evidence shows 1. " + evilWhy})
						}
					}
				}
			}
			out := renderHTML(t, r)
			if strings.Contains(out, evilWhy) {
				t.Errorf("outside text not escaped")
			}
			doc, _ := parse(t, out)
			sec := byID(doc, "lifecycle")
			if sec == nil {
				t.Fatal("no lifecycle section")
			}
			if h := elements(sec, "h2"); len(h) == 0 || text(h[0]) != tc.title {
				t.Errorf("heading: want %q", tc.title)
			}
			// Key figures as given; 3 of 4 needing intake decided = 75%.
			for id, want := range map[string]string{"lc-total": "5", "lc-approved": "1", "lc-conditional": "0", "lc-rejected": "1",
				"lc-exit": "1", "lc-unapproved": "1", "lc-overdue": "1"} {
				if n := byID(doc, id); n == nil || text(n) != want {
					t.Errorf("%s: want %q", id, want)
				}
			}
			if tc.lang == "en" && !strings.Contains(text(byID(doc, "lc-cards")), "Components needing intake with a decision: 75%") {
				t.Errorf("no decided share: %q", text(byID(doc, "lc-cards")))
			}
			// The overview (the board paper's first page) carries both.
			ov := byID(doc, "overview")
			for id, want := range map[string]string{"count-unapproved": "1", "count-overdue-exits": "1"} {
				if n := byID(ov, id); n == nil || text(n) != want {
					t.Errorf("overview %s: want %q", id, want)
				}
			}
			if s := text(ov); !strings.Contains(s, tc.unapproved) || !strings.Contains(s, tc.overdue) {
				t.Errorf("overview lacks %q / %q", tc.unapproved, tc.overdue)
			}
			// Use without intake by system: header + 3 systems.
			sys := byID(doc, "lc-systems")
			if rows := elements(sys, "tr"); len(rows) != 4 || !strings.HasPrefix(text(rows[1]), "payments1") {
				t.Errorf("systems table: %d rows", len(rows))
			}
			// The exit: 2 remaining, 3 before (−1), overdue.
			ex := elements(byID(doc, "lc-exits"), "tr")
			if len(ex) != 2 {
				t.Fatalf("exit table: %d rows", len(ex))
			}
			cells := elements(ex[1], "td")
			if text(cells[6]) != "2" || text(cells[7]) != "3 (-1)" || (tc.lang == "en" && text(cells[8]) != "OVERDUE") {
				t.Errorf("exit row %q %q %q", text(cells[6]), text(cells[7]), text(cells[8]))
			}
			if tc.lang == "en" && text(cells[9]) != "payments 2.9.10 (directly); portal 2.9.10 (transitively)" {
				t.Errorf("exit systems %q", text(cells[9]))
			}
			if tc.lang == "en" && !strings.Contains(text(elements(byID(doc, "lc-exits"), "thead")[0]), "At the previous period's end (2026-10-01)") {
				t.Errorf("no previous-period header")
			}
			// Decisions in force only: the superseded one is not listed.
			dec := elements(byID(doc, "lc-decisions"), "tr")
			if len(dec) != 2 || !strings.Contains(text(dec[1]), evilWhy) {
				t.Errorf("decisions: %d rows", len(dec))
			}
			// The measured practice, its answer beside the evidence.
			gmi := elements(byID(doc, "lc-gmi"), "tr")
			if len(gmi) != 2 {
				t.Fatalf("GMI evidence table: %d rows, want header + 1", len(gmi))
			}
			if c := elements(gmi[1], "td"); text(c[0]) != "G4-2" || text(c[2]) != "1" ||
				!strings.HasPrefix(text(c[3]), "DISCREPANCY: the questionnaire claims 3 (G4-2)") {
				t.Errorf("GMI row %q", text(gmi[1]))
			} else if cl, _ := attr(c[3], "class"); cl != "bad" {
				t.Errorf("a discrepancy is not marked")
			}
			// The nav links to it.
			var nav bool
			for _, a := range elements(doc, "a") {
				if h, _ := attr(a, "href"); h == "#lifecycle" {
					nav = true
				}
			}
			if !nav {
				t.Errorf("no nav link to #lifecycle")
			}
		})
	}
	// No lifecycle: no section, no overview figures.
	out := renderHTML(t, sampleReport(t, "en"))
	doc, _ := parse(t, out)
	if byID(doc, "lifecycle") != nil || byID(doc, "count-unapproved") != nil {
		t.Errorf("a report without lifecycle shows one")
	}
}
