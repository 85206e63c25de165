package excel

import (
	"archive/zip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// boardReport adds to testReport what the board pack shows beyond one
// period: changes against 2026Q3, three periods of history (2026Q2 scored
// with model 0.9.0: not comparable), run costs, an exception, a supplier
// claim contradicted by evidence and GMI practices by level.
func boardReport(t *testing.T, lang string) *reports.Report {
	r := testReport(t, lang)
	r.PreviousPeriod = "2026Q3"
	r.Periods = []string{"2026Q4", "2026Q3", "2026Q2"}
	for i := range r.Subjects {
		s := &r.Subjects[i]
		for _, res := range s.Results {
			s.History = append(s.History, reports.HistoryPoint{Period: "2026Q4", Model: res.Model, ModelVersion: "1.0.0",
				Score: res.Score, Grade: res.Grade, Level: res.Level, Status: res.Status, Comparable: true})
		}
	}
	karmada := &r.Subjects[0]
	prev := phiResult(num(61.2), "B", "ok", 0.8, models.GateHit{ID: "G-ARCHIVED", Reason: "was archived", Cap: "D"})
	karmada.Changes = []assess.Change{assess.Diff(prev, karmada.Results[0], "2026Q3")}
	karmada.History = append(karmada.History,
		reports.HistoryPoint{Period: "2026Q3", Model: models.ProjectHealth, ModelVersion: "1.0.0", Score: num(61.2), Grade: "B", Status: "ok", Comparable: true},
		reports.HistoryPoint{Period: "2026Q2", Model: models.ProjectHealth, ModelVersion: "0.9.0", Score: num(40.5), Grade: "C", Status: "ok", Comparable: false})
	karmada.Results[0].Indicators[1].Exception = "accepted by CISO until 2027-03-31"
	gone := &r.Subjects[1]
	gprev := phiResult(num(86), "A", "ok", 1)
	gone.Changes = []assess.Change{assess.Diff(gprev, gone.Results[0], "2026Q3")}
	gone.History = append(gone.History, reports.HistoryPoint{Period: "2026Q3", Model: models.ProjectHealth, ModelVersion: "1.0.0", Score: num(86), Grade: "A", Status: "ok", Comparable: true})

	acme := &r.Subjects[6]
	acme.Results[0].Indicators = []models.IndicatorResult{{ID: "CAP-1", Dimension: "CAP", Raw: num(1), Normalized: num(0.2), Weight: 1,
		Source: "evidence", Evidence: "DISCREPANCY: claims 3, evidence shows 1 (maintainers). MAINTAINERS lists 1", Status: "ok"}}
	acme.Changes = []assess.Change{{Model: models.Supplier, PrevPeriod: "2026Q3", PrevScore: num(70), PrevGrade: "T2", Delta: num(10), Comparable: true}}
	r.Delta = &reports.PortfolioDelta{PreviousPeriod: "2026Q3",
		Added:       []reports.SubjectRef{{Kind: models.KindProject, ID: "github.com/x/unknown", Name: "unknown"}},
		Removed:     []reports.SubjectRef{{Kind: models.KindProject, ID: "github.com/x/old", Name: "old-project"}},
		TierChanges: []reports.GradeChange{{SubjectRef: reports.SubjectRef{Kind: models.KindSupplier, ID: "acme", Name: "Acme OSS Services"}, Model: models.Supplier, From: "T2", To: "T1", Comparable: true}},
	}
	bank := &r.Subjects[8]
	bank.Results[0].Indicators = []models.IndicatorResult{
		{ID: "POL-1", Dimension: "POL", Raw: num(4), Weight: 1, Level: 1, Status: "ok"},
		{ID: "POL-2", Dimension: "POL", Raw: num(1), Weight: 1, Level: 2, Status: "ok"},
		{ID: "INV-1", Dimension: "INV", Weight: 1, Level: 1, Status: "inconclusive"},
	}
	gen := r.GeneratedAt
	r.Runs = append(r.Runs, reports.RunSummary{ID: 7, Kind: "collect", Status: "complete", StartedAt: gen.Add(-90 * time.Second), FinishedAt: gen,
		Observations: 1234, Costs: []reports.SourceCost{{Source: "github", Requests: 420, NotModified: 37, Retries: 2, RateRemaining: 4580},
			{Source: "gitlocal", RateRemaining: -1}}})
	return r
}

func findRow(all [][]string, prefix ...string) []string {
	for _, r := range all {
		if len(r) >= len(prefix) && slices.Equal(r[:len(prefix)], prefix) {
			return r
		}
	}
	return nil
}

func TestBoardProjectsChanges(t *testing.T) {
	f, _ := writeOpen(t, boardReport(t, "en"))
	header, rows, _ := rowsByName(t, f, "Projects")
	want := []string{"Gates", "Gates not evaluated (what to run)", "Δ score vs 2026Q3", "Grade 2026Q3", "New gates (new risks)", "Resolved gates", "Comparability"}
	if !slices.Equal(header[len(header)-7:], want) {
		t.Fatalf("header = %q", header)
	}
	k := rows["karmada"]
	// 71.2 - 61.2 = +10.0; the archived gate of 2026Q3 is resolved.
	if k[12] != "+10.0" || k[13] != "B" || k[14] != "" || k[15] != "G-ARCHIVED" {
		t.Errorf("karmada change = %q", k[12:])
	}
	g := rows["gone"]
	// 85 - 86 = -1.0; the archived gate is new.
	if g[12] != "-1.0" || g[13] != "A" || g[14] != "G-ARCHIVED" {
		t.Errorf("gone change = %q", g[12:])
	}
	if u := rows["unknown"]; len(u) < 17 || u[16] != "new this period" {
		t.Errorf("new project row = %q", u)
	}
}

func TestBoardSummaryChanges(t *testing.T) {
	f, _ := writeOpen(t, boardReport(t, "en"))
	all, _ := f.GetRows("Summary")
	for label, want := range map[string]string{
		"Compared with period": "2026Q3", "Scores improved": "2", "Scores declined": "1", "New gates (new risks)": "1",
		"Resolved gates": "1", "Added since last period": "1", "Removed since last period": "1", "Supplier tier changed": "1",
	} {
		if r := findRow(all, label); r == nil || r[1] != want {
			t.Errorf("Summary %q = %q, want %s", label, r, want)
		}
	}
	// New risks first in the largest changes; the risk row says it is new.
	if r := findRow(all, "gone", "Project", "Project Health Index", "86.0", "85.0", "-1.0", "A", "D", "G-ARCHIVED"); r == nil {
		t.Errorf("no largest-change row for gone in %q", all)
	}
	if r := findRow(all, "gone", "Project", "Project Health Index", "G-ARCHIVED"); r == nil || r[7] != "yes" {
		t.Errorf("risk row = %q, want New since = yes", r)
	}
	if findRow(all, "Removed since last period", "Project", "old-project", "github.com/x/old") == nil {
		t.Errorf("removed project not listed")
	}
	if findRow(all, "Supplier tier changed", "Supplier", "Acme OSS Services", "acme", "T2", "T1") == nil {
		t.Errorf("tier change not listed")
	}
}

func TestBoardTrends(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		f, path := writeOpen(t, boardReport(t, lang))
		sh := map[string]string{"en": "Trends", "zh": "趋势"}[lang]
		all, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		if lang == "zh" {
			if findRow(all, "开源项目", "karmada") == nil {
				t.Errorf("zh trends lack the karmada row")
			}
			continue
		}
		// Portfolio, oldest first: 2026Q2 has karmada only (40.5, C, 0.9.0);
		// 2026Q3 karmada 61.2 and gone 86 (mean 73.6); 2026Q4 six projects,
		// mean of the five confident scores (71.2+85+50+90+10)/5 = 61.24.
		q2 := findRow(all, "2026Q2", "1", "40.5")
		if q2 == nil || !strings.Contains(q2[len(q2)-1], "0.9.0") || !strings.Contains(q2[len(q2)-1], "not directly comparable") {
			t.Errorf("2026Q2 portfolio row = %q", q2)
		}
		if findRow(all, "2026Q3", "2", "73.6") == nil || findRow(all, "2026Q4", "6", "61.2") == nil {
			t.Errorf("portfolio rows missing: %q", all[:10])
		}
		hdr := findRow(all, "Kind", "Name", "ID", "Model")
		if !slices.Equal(hdr[4:10], []string{"2026Q4 Score", "2026Q4 Grade", "2026Q3 Score", "2026Q3 Grade", "2026Q2 Score", "2026Q2 Grade"}) {
			t.Errorf("trend header = %q", hdr)
		}
		k := findRow(all, "Project", "karmada")
		if k == nil || !slices.Equal(k[4:10], []string{"71.2", "B", "61.2", "B", "40.5", "C"}) || !strings.Contains(k[10], "2026Q2 (Version 0.9.0)") {
			t.Errorf("karmada trend = %q", k)
		}
		// The incomparable score is styled apart (grey italics).
		zr, _ := zip.OpenReader(path)
		x := zipEntry(t, &zr.Reader, "xl/worksheets/sheet6.xml")
		zr.Close()
		if !strings.Contains(x, "<drawing ") {
			t.Errorf("Trends sheet has no charts")
		}
	}
}

func TestBoardModelSheet(t *testing.T) {
	f, _ := writeOpen(t, boardReport(t, "en"))
	all, _ := f.GetRows("Model")
	if findRow(all, "Project Health Index (project-health 1.0.0)") == nil {
		t.Errorf("no model title: %q", all[:5])
	}
	// Dimension weight on the first indicator row; normalisation in words.
	if r := findRow(all, "ACT", "Activity", "50", "ACT-1", "Commits", "1"); r == nil || r[7] != "manual.commits_90d" ||
		r[8] != "log(T=100): ln(1+x)/ln(1+max(x,100))" || r[9] != "CHAOSS Activity" {
		t.Errorf("ACT-1 row = %q", r)
	}
	if r := findRow(all, "G-ARCHIVED", "Archived"); r == nil || r[4] != "manual.archived eq 1" || r[5] != "D" {
		t.Errorf("gate row = %q", r)
	}
	if findRow(all, "A", "80", "healthy") == nil || findRow(all, "2", "Managed") == nil {
		t.Errorf("grades or levels missing")
	}
}

func TestBoardSourcesSheet(t *testing.T) {
	f, _ := writeOpen(t, boardReport(t, "en"))
	all, _ := f.GetRows("Sources")
	r := findRow(all, "7", "collect")
	// 90 s, 1234 observations, 420 calls, 37 not modified, 2 retries, 4580 left.
	if r == nil || !slices.Equal(r[6:12], []string{"90.0", "1234", "420", "37", "2", "4580"}) {
		t.Errorf("collect run row = %q", r)
	}
	if findRow(all, "7", "github", "420", "37", "2", "4580") == nil {
		t.Errorf("per-source costs missing: %q", all)
	}
}

func TestBoardMaturityAndSuppliers(t *testing.T) {
	f, _ := writeOpen(t, boardReport(t, "en"))
	all, _ := f.GetRows("Maturity")
	// Heat map: POL L1 4.0, L2 1.0; INV L1 unanswered.
	if r := findRow(all, "POL", "Policy", "4.0", "1.0"); r == nil {
		t.Errorf("heat map POL row missing: %q", all)
	}
	if r := findRow(all, "INV", "Inventory", "inconclusive"); r == nil {
		t.Errorf("heat map INV row missing")
	}
	// Improvements: level 1 before level 2.
	i1, i2 := -1, -1
	for i, r := range all {
		if len(r) > 3 && r[0] == "1" && r[2] == "INV-1" {
			i1 = i
		}
		if len(r) > 3 && r[0] == "2" && r[2] == "POL-2" {
			i2 = i
		}
	}
	if i1 < 0 || i2 < 0 {
		t.Errorf("improvement list lacks INV-1 (1st) or POL-2 (2nd): %q", all)
	}
	sup, _ := f.GetRows("Suppliers")
	if r := findRow(sup, "Acme OSS Services", "CAP-1", "Maintainers", "1"); r == nil || !strings.HasPrefix(r[4], "DISCREPANCY: claims 3") {
		t.Errorf("discrepancy row = %q", r)
	}
	ind, _ := f.GetRows("Indicators")
	found := false
	for _, r := range ind {
		if len(r) > 15 && r[3] == "ACT-2" && r[0] == "karmada" && r[15] == "accepted by CISO until 2027-03-31" {
			found = true
		}
	}
	if !found {
		t.Errorf("exception column not filled")
	}
}
