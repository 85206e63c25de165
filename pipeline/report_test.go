package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

func phi(version, hash string, score float64, grade string, gates ...string) models.Result {
	r := models.Result{Model: models.ProjectHealth, ModelVersion: version, ModelHash: hash, Score: models.Num(score), Grade: grade,
		Coverage: 0.9, Status: models.StatusOK,
		Dimensions: []models.DimensionResult{{ID: "ACT", Score: models.Num(score), Coverage: 1}}}
	for _, g := range gates {
		r.Gates = append(r.Gates, models.GateHit{ID: g, Reason: g + " fired", Cap: "D"})
	}
	return r
}

func sei(score float64, tier string) models.Result {
	return models.Result{Model: models.Supplier, ModelVersion: "0.1.0", ModelHash: "sha256:sei", Score: models.Num(score), Grade: tier,
		Coverage: 1, Status: models.StatusOK}
}

func saveAssessment(t *testing.T, st *store.Store, period string, rs map[string]models.Result) {
	t.Helper()
	ctx := context.Background()
	id, err := st.StartRun(ctx, "assess", period)
	if err != nil {
		t.Fatal(err)
	}
	var list []models.Result
	for subject, r := range rs {
		r.SubjectID = subject
		list = append(list, r)
	}
	if err := st.SaveResults(ctx, id, period, list); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, id, store.RunComplete, "", nil); err != nil {
		t.Fatal(err)
	}
}

// Three stored periods: 2026Q2 was scored with PHI 0.9.0 (another hash),
// 2026Q3 and 2026Q4 with 0.1.0. Between Q3 and Q4: alpha rises 60 → 72.5
// and its archived gate is resolved; beta falls 80 → 55 and a gate fires;
// gamma is removed, delta added; the supplier moves from conditional to
// preferred.
// subjectStore is a new store holding subjects, and the built-in models.
func subjectStore(t *testing.T, subjects ...models.Subject) (*store.Store, models.Set) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set, err := models.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subjects {
		if err := st.PutSubject(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	return st, set
}

func trendStore(t *testing.T) (*store.Store, models.Set) {
	t.Helper()
	ctx := context.Background()
	st, set := subjectStore(t,
		models.Subject{Kind: models.KindProject, ID: "github.com/o/alpha", Name: "alpha", Attrs: map[string]string{"description": "<script>alert(1)</script>"}},
		models.Subject{Kind: models.KindProject, ID: "github.com/o/beta", Name: "beta"},
		models.Subject{Kind: models.KindProject, ID: "github.com/o/gamma", Name: "gamma"},
		models.Subject{Kind: models.KindProject, ID: "github.com/o/delta", Name: "delta"},
		models.Subject{Kind: models.KindSupplier, ID: "acme", Name: "Acme"})
	saveAssessment(t, st, "2026Q2", map[string]models.Result{
		"github.com/o/alpha": phi("0.9.0", "sha256:old", 40, "D"),
		"github.com/o/beta":  phi("0.9.0", "sha256:old", 75, "B"),
		"acme":               sei(52, "conditional"),
	})
	saveAssessment(t, st, "2026Q3", map[string]models.Result{
		"github.com/o/alpha": phi("0.1.0", "sha256:new", 60, "D", "G-ARCHIVED"),
		"github.com/o/beta":  phi("0.1.0", "sha256:new", 80, "A"),
		"github.com/o/gamma": phi("0.1.0", "sha256:new", 70, "B"),
		"acme":               sei(55, "conditional"),
	})
	saveAssessment(t, st, "2026Q4", map[string]models.Result{
		"github.com/o/alpha": phi("0.1.0", "sha256:new", 72.5, "B"),
		"github.com/o/beta":  phi("0.1.0", "sha256:new", 55, "D", "G-KEV"),
		"github.com/o/delta": phi("0.1.0", "sha256:new", 66, "B"),
		"acme":               sei(70, "preferred"),
	})
	// A collection run whose stats say what it spent.
	id, _ := st.StartRun(ctx, "collect", "")
	st.FinishRun(ctx, id, store.RunComplete, "", CollectSummary{Observations: 321,
		Cost: map[string]collectors.Cost{"github": {Requests: 120, NotModified: 30, Retries: 1, RateRemaining: 4870}}})
	return st, set
}

func TestBuildReportTrends(t *testing.T) {
	st, set := trendStore(t)
	rep, err := BuildReport(context.Background(), st, set, "2026Q4", "en", "Example Bank", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if rep.PreviousPeriod != "2026Q3" || !slices.Equal(rep.Periods, []string{"2026Q4", "2026Q3", "2026Q2"}) {
		t.Fatalf("previous %q, periods %q", rep.PreviousPeriod, rep.Periods)
	}
	by := map[string]reports.SubjectReport{}
	for _, s := range rep.Subjects {
		by[s.Name] = s
	}
	// alpha: 72.5 - 60 = +12.5, D → B, G-ARCHIVED resolved.
	c := by["alpha"].Change(models.ProjectHealth)
	if c == nil || c.Delta == nil || *c.Delta != 12.5 || c.PrevGrade != "D" || !slices.Equal(c.ResolvedGates, []string{"G-ARCHIVED"}) || !c.Comparable {
		t.Errorf("alpha change = %+v", c)
	}
	// beta: 55 - 80 = -25, new gate G-KEV.
	c = by["beta"].Change(models.ProjectHealth)
	if c == nil || *c.Delta != -25 || !slices.Equal(c.NewGates, []string{"G-KEV"}) {
		t.Errorf("beta change = %+v", c)
	}
	// History newest first; 2026Q2 was scored with 0.9.0: not comparable.
	h := by["alpha"].Trend(models.ProjectHealth)
	if len(h) != 3 || h[0].Period != "2026Q4" || h[1].Period != "2026Q3" || h[2].Period != "2026Q2" {
		t.Fatalf("alpha history = %+v", h)
	}
	if !h[0].Comparable || !h[1].Comparable || h[2].Comparable || h[2].ModelVersion != "0.9.0" || *h[2].Score != 40 {
		t.Errorf("alpha comparability = %+v", h)
	}
	if h := by["delta"].Trend(models.ProjectHealth); len(h) != 1 || by["delta"].Changes != nil {
		t.Errorf("delta (new) history = %+v, changes %+v", h, by["delta"].Changes)
	}
	if _, ok := by["gamma"]; ok {
		t.Errorf("gamma was not assessed in 2026Q4 but is in the report")
	}
	d := rep.Delta
	if d == nil || len(d.Added) != 1 || d.Added[0].Name != "delta" || len(d.Removed) != 1 || d.Removed[0].Name != "gamma" ||
		d.Removed[0].Kind != models.KindProject {
		t.Fatalf("portfolio delta = %+v", d)
	}
	if len(d.TierChanges) != 1 || d.TierChanges[0].Name != "Acme" || d.TierChanges[0].From != "conditional" || d.TierChanges[0].To != "preferred" {
		t.Errorf("tier changes = %+v", d.TierChanges)
	}
	// Runs carry the collection's cost.
	var collect *reports.RunSummary
	for i := range rep.Runs {
		if rep.Runs[i].Kind == "collect" {
			collect = &rep.Runs[i]
		}
	}
	if collect == nil || collect.Observations != 321 || len(collect.Costs) != 1 || collect.Costs[0].Requests != 120 || collect.Costs[0].RateRemaining != 4870 {
		t.Errorf("collect run = %+v", collect)
	}

	// Comparing 2026Q3 with 2026Q2 crosses the model change: no delta.
	rep3, err := BuildReport(context.Background(), st, set, "2026Q3", "en", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rep3.Subjects {
		if s.Name == "alpha" {
			c := s.Change(models.ProjectHealth)
			if c == nil || c.Comparable || c.Delta != nil || !strings.Contains(c.Note, "0.9.0 → 0.1.0") {
				t.Errorf("alpha 2026Q3 vs 2026Q2 = %+v", c)
			}
		}
	}
	if rep3.Delta == nil || rep3.Delta.NotComparable != 2 {
		t.Errorf("not comparable count = %+v", rep3.Delta)
	}

	// The three writers show it.
	dir := t.TempDir()
	paths, err := WriteReports(rep, dir, []string{"xlsx", "html", "json"})
	if err != nil || len(paths) != 3 {
		t.Fatalf("write: %v %v", paths, err)
	}
	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Trends")
	found := false
	for _, r := range rows {
		if len(r) > 10 && r[1] == "alpha" && r[4] == "72.5" && r[6] == "60.0" && r[8] == "40.0" && strings.Contains(r[10], "2026Q2") {
			found = true
		}
	}
	if !found {
		t.Errorf("Trends sheet lacks alpha's three periods: %q", rows)
	}
	html, _ := os.ReadFile(paths[1])
	for _, want := range []string{`id="trend-table"`, `id="changes-table"`, "2026Q2", "not directly comparable", `\u003cscript\u003ealert(1)`} {
		if !strings.Contains(string(html), want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(string(html), "<script>alert(1)") {
		t.Errorf("dashboard carries the description unescaped")
	}
	var js struct {
		Periods  []string `json:"periods"`
		Subjects []struct {
			Name    string                 `json:"name"`
			History []reports.HistoryPoint `json:"history"`
		} `json:"subjects"`
		Delta reports.PortfolioDelta `json:"portfolio_changes"`
	}
	b, _ := os.ReadFile(paths[2])
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Periods) != 3 || len(js.Delta.Removed) != 1 || len(js.Subjects[0].History) == 0 {
		t.Errorf("JSON lacks trends: %+v", js)
	}
}

// TestWriteSampleBoardPack writes the trend store's report to
// $OSGAUGE_SAMPLE_OUT (en and zh) for a visual check; skipped otherwise.
func TestWriteSampleBoardPack(t *testing.T) {
	out := os.Getenv("OSGAUGE_SAMPLE_OUT")
	if out == "" {
		t.Skip("set OSGAUGE_SAMPLE_OUT to write a sample report")
	}
	st, set := trendStore(t)
	for _, lang := range []string{"en", "zh"} {
		rep, err := BuildReport(context.Background(), st, set, "2026Q4", lang, "Example Bank", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := WriteReports(rep, filepath.Join(out, lang), []string{"xlsx", "html", "json"}); err != nil {
			t.Fatal(err)
		}
	}
}

// Estimates are not grades: a supplier whose tier goes from an estimate to
// a decided tier, or a project whose estimate moves, is no grade change;
// a decided grade that becomes another is. Earlier periods' points carry
// their range and estimate from the store.
func TestDeltaCountsDecidedGradeChangesOnly(t *testing.T) {
	ctx := context.Background()
	st, set := subjectStore(t,
		models.Subject{Kind: models.KindProject, ID: "p1", Name: "p1"}, models.Subject{Kind: models.KindProject, ID: "p2", Name: "p2"},
		models.Subject{Kind: models.KindSupplier, ID: "s1", Name: "s1"}, models.Subject{Kind: models.KindSupplier, ID: "s2", Name: "s2"})
	between := func(r models.Result, worst, best, est string) models.Result {
		r.Grade, r.GradeRange, r.GradeEstimate = "", []string{worst, best}, est
		return r
	}
	saveAssessment(t, st, "2026Q3", map[string]models.Result{
		"p1": between(phi("0.5.0", "sha256:h", 70, ""), "D", "B", "B"), // estimate B
		"p2": phi("0.5.0", "sha256:h", 70, "B"),                        // decided B
		"s1": between(sei(70, ""), "not-approved", "preferred", "preferred"),
		"s2": sei(70, "preferred"),
	})
	saveAssessment(t, st, "2026Q4", map[string]models.Result{
		"p1": between(phi("0.5.0", "sha256:h", 60, ""), "D", "B", "C"), // estimate B → C: not a grade change
		"p2": phi("0.5.0", "sha256:h", 60, "C"),                        // B → C: a grade change
		"s1": sei(70, "preferred"),                                     // estimate → decided preferred: not a tier change
		"s2": sei(55, "conditional"),                                   // preferred → conditional: a tier change
	})
	rep, err := BuildReport(ctx, st, set, "2026Q4", "en", "Bank", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	// Grade changes: p2 and s2 = 2; tier changes: s2 only; decision
	// changes: p1 (estimate B → C) and s1 (estimate → decided) = 2.
	if rep.Delta == nil || rep.Delta.GradeChanges != 2 || len(rep.Delta.TierChanges) != 1 || rep.Delta.TierChanges[0].ID != "s2" ||
		rep.Delta.DecisionChanges != 2 {
		t.Fatalf("delta %+v", rep.Delta)
	}
	for _, s := range rep.Subjects {
		if s.ID != "p1" {
			continue
		}
		var q3 *reports.HistoryPoint
		for i := range s.History {
			if s.History[i].Period == "2026Q3" {
				q3 = &s.History[i]
			}
		}
		if q3 == nil || strings.Join(q3.GradeRange, ",") != "D,B" || q3.GradeEstimate != "B" || !q3.Ranged {
			t.Errorf("p1's 2026Q3 point %+v", q3)
		}
	}
	moves := rep.GradeMoves(models.KindSupplier)
	if len(moves) != 2 || moves[0].ID != "s1" || moves[0].Changed() || !moves[1].Changed() {
		t.Errorf("supplier moves %+v", moves)
	}
}
