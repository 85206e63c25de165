package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/manual"
	"github.com/osgauge/osgauge/collectors/questionnaire"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/examples"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// fake is a collector that answers fixed values, or fails for one subject.
type fake struct {
	name   string
	values map[string]float64
	failOn string
}

func (f fake) Name() string            { return f.name }
func (f fake) Needs() collectors.Needs { return collectors.Needs{} }
func (f fake) Applies(t collectors.Target) (bool, string) {
	return t.Subject.Kind == models.KindProject, "not a project"
}
func (f fake) Collect(_ context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	if t.Subject.Name == f.failOn {
		return nil, collectors.Cost{RateRemaining: -1}, errors.New("boom")
	}
	var obs []models.Observation
	for m, v := range f.values {
		obs = append(obs, models.Observation{SubjectID: t.Subject.ID, Metric: m, Value: models.Num(v), Source: f.name, ObservedAt: time.Now(), Evidence: "fake " + m})
	}
	return obs, collectors.Cost{Requests: 2, RateRemaining: -1}, nil
}

func TestCollectAssessReportEndToEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := examples.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(filepath.Join(dir, "osgauge.yaml"), mustRead(t, filepath.Join(dir, "osgauge.yaml")))
	if err != nil {
		t.Fatal(err)
	}
	set, err := models.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	// Every PHI input the offline collectors give, at strong values, for
	// karmada; excelize's collection fails and must not sink the run.
	good := fake{name: "fake", failOn: "excelize", values: map[string]float64{
		"gitlocal.commits_per_week": 60, "gitlocal.months_since_last_commit": 0, "gitlocal.tags_12m": 12,
		"gitlocal.authors_12m": 250, "gitlocal.org_count_12m": 12, "gitlocal.bus_factor_12m": 6, "gitlocal.elephant_factor_12m": 4,
		"scorecard.Branch-Protection": 10, "scorecard.CI-Tests": 10, "scorecard.Security-Policy": 10, "scorecard.Pinned-Dependencies": 10,
		"scorecard.Dependency-Update-Tool": 10, "scorecard.SAST": 10, "scorecard.Fuzzing": 10, "scorecard.License": 10,
		"scorecard.Binary-Artifacts": 10, "scorecard.Token-Permissions": 10, "scorecard.Packaging": 10,
		"gitlocal.license_changes_36m": 0, "license.found": 1,
	}}
	sum, err := Collect(ctx, st, Targets(cfg), []collectors.Collector{good, questionnaire.New(set), manual.New()}, CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Status != store.RunPartial || len(sum.Failed) != 1 || sum.Failed[0].Subject != "github.com/qax-os/excelize" {
		t.Fatalf("summary = %+v", sum)
	}
	if sum.Cost["fake"].Requests != 2 {
		t.Errorf("cost = %+v", sum.Cost)
	}

	period, _ := assess.ParsePeriod("2026Q4")
	now := time.Now()
	if period.End.Before(now) {
		period, _ = assess.ParsePeriod(assess.CurrentQuarter(now).Name)
	}
	results, err := Assess(ctx, st, set, period, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	// 2 projects + 3 suppliers + 1 institution, one model each.
	if len(results) != 6 {
		t.Fatalf("%d results", len(results))
	}
	rep, err := BuildReport(ctx, st, set, period.Name, "en", cfg.Institution.Name, now)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	paths, err := WriteReports(rep, out, []string{"xlsx", "html", "json"})
	if err != nil || len(paths) != 3 {
		t.Fatalf("%v %v", paths, err)
	}

	var doc struct {
		Period   string `json:"period"`
		Models   []struct{ ID, Version, Hash string }
		Subjects []struct {
			Kind, ID, Name string
			Results        []struct {
				Model, Grade, Status string
				GradeRange           []string `json:"grade_range"`
				GradeEstimate        string   `json:"grade_estimate"`
				Score                *float64
				Level                int
				Coverage             float64
				Indicators           []struct {
					ID       string
					Raw      *float64
					Status   string
					Evidence string
				}
			}
		}
	}
	if err := json.Unmarshal(mustRead(t, paths[2]), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Period != period.Name || len(doc.Models) != 3 || !strings.HasPrefix(doc.Models[0].Hash, "sha256:") {
		t.Errorf("header: %+v", doc)
	}
	byName := map[string]int{}
	for i, s := range doc.Subjects {
		byName[s.Name] = i
	}
	k := doc.Subjects[byName["karmada"]]
	r := k.Results[0]
	// karmada (use_type deep: ACT 10, COM 10, RSP 20, SEC 20, VUL 15, LIC 10,
	// SCJ 15) has every offline input at its best value plus the config's
	// facts (SCJ-1, SCJ-4, SCJ-5, VUL-5); RSP, most of VUL, ACT-5, COM-5,
	// SEC-4, SEC-5, LIC-2, LIC-4, LIC-5 (no SBOM) and SCJ-6 (PHI 0.7.0: no
	// internal copy measured) have no data. Coverage:
	// ACT 10/12·10 + COM 13/15·10 + SEC 14/20·20 + VUL 2/15·15 + LIC 5/14·10
	// + SCJ 10/11·15 = 8.333 + 8.667 + 14 + 2 + 3.571 + 13.636 = 50.21 of 100
	// → 0.5021 ≥ 0.5; every scored indicator normalises to 1 (foundation →
	// 1, export_exposure 0 → 1, fallback 1 → 1, eol_policy 1 → 1), so the
	// score is 100. But the missing indicators at 0 give 50.21 (C), and
	// most gates have no data (G-KEV, G-ARCHIVED, …): at worst D, at best
	// B. So no grade: between D and B, estimate B.
	if r.Status != "ok" || r.Grade != "" || strings.Join(r.GradeRange, ",") != "D,B" || r.GradeEstimate != "B" ||
		r.Score == nil || *r.Score != 100 || r.Coverage < 0.5020 || r.Coverage > 0.5022 {
		t.Errorf("karmada = %+v", r)
	}
	for _, in := range r.Indicators {
		if in.Status == "inconclusive" && in.Raw != nil {
			t.Errorf("%s inconclusive with a raw value", in.ID)
		}
		if in.Status == "ok" && in.Evidence == "" {
			t.Errorf("%s has no evidence", in.ID)
		}
	}
	ex := doc.Subjects[byName["excelize"]].Results[0]
	if ex.Status != "inconclusive" || ex.Grade != "" {
		t.Errorf("failed source must leave excelize inconclusive: %+v", ex)
	}
	bank := doc.Subjects[byName["Example Bank"]].Results[0]
	if bank.Level < 1 || bank.Model != "governance-maturity" {
		t.Errorf("bank = %+v", bank)
	}

	f, err := excelize.OpenFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sheet := range []string{"Summary", "Projects", "Suppliers", "Maturity", "Indicators"} {
		if idx, _ := f.GetSheetIndex(sheet); idx < 0 {
			t.Errorf("sheet %s missing", sheet)
		}
	}
	html := string(mustRead(t, paths[1]))
	if strings.Contains(html, `src="http`) || strings.Contains(html, `href="http`) || !strings.Contains(html, "karmada") {
		t.Error("dashboard references the network or misses a project")
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProjectID(t *testing.T) {
	cases := map[[2]string]string{
		{"k", "https://github.com/karmada-io/karmada"}:     "github.com/karmada-io/karmada",
		{"k", "https://github.com/karmada-io/karmada.git"}: "github.com/karmada-io/karmada",
		{"k", ""}: "local/k",
	}
	for in, want := range cases {
		if got := ProjectID(in[0], in[1]); got != want {
			t.Errorf("ProjectID%v = %q, want %q", in, got, want)
		}
	}
}

func TestChangesSinceThePreviousPeriod(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	set, _ := models.Load(nil)
	cfg := &config.Config{Dir: dir, Projects: []config.Project{{Name: "p", Repo: "https://github.com/o/p", UseType: "simple"}}}
	targets := Targets(cfg)
	// Two periods that both contain today, named so that the first sorts
	// before the second.
	prevP, _ := assess.ParsePeriod("2000-01-01..2099-12-30")
	curP, _ := assess.ParsePeriod("2000-01-01..2099-12-31")
	collect := func(bus float64) {
		f := fake{name: "fake", values: map[string]float64{
			"gitlocal.commits_per_week": 60, "gitlocal.months_since_last_commit": 0, "gitlocal.tags_12m": 12,
			"gitlocal.authors_12m": 250, "gitlocal.org_count_12m": 12, "gitlocal.bus_factor_12m": bus, "gitlocal.elephant_factor_12m": 4,
			"scorecard.Branch-Protection": 10, "scorecard.CI-Tests": 10, "scorecard.Security-Policy": 10, "scorecard.License": 10, "gitlocal.license_changes_36m": 0,
			"scorecard.Binary-Artifacts": 10, "scorecard.Packaging": 10, "scorecard.SAST": 10, "scorecard.Pinned-Dependencies": 10,
		}}
		if _, err := Collect(ctx, st, targets, []collectors.Collector{f}, CollectOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	collect(6)
	if _, err := Assess(ctx, st, set, prevP, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	collect(1) // the bus factor collapses: COM-3 goes from 1 to 0
	if _, err := Assess(ctx, st, set, curP, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	rep, err := BuildReport(ctx, st, set, curP.Name, "en", "", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rep.PreviousPeriod != prevP.Name || len(rep.Subjects) != 1 || len(rep.Subjects[0].Changes) != 1 {
		t.Fatalf("report = %+v", rep)
	}
	c := rep.Subjects[0].Changes[0]
	r := rep.Subjects[0].Results[0]
	// Dimensions with data (simple profile): ACT 15, COM 15, SEC 20, LIC 10,
	// SCJ 10 = 70, every indicator at 1 before → 100. After, COM-3 (weight 4
	// of COM-1..4's 13) drops to 0: COM = 9/13 = 0.6923, index =
	// (70 − 15·(1 − 0.6923))/70 = 65.385/70 = 0.9341 → 93.4; delta −6.6.
	// (Coverage 12.5 + 13 + 15 + 5.556 + 4 = 50.06% ≥ 50%: graded.)
	if !c.Comparable || c.Delta == nil || *c.Delta != -6.6 || *c.PrevScore != 100 || *r.Score != 93.4 {
		t.Errorf("change = %+v (score now %v)", c, *r.Score)
	}
}

type panicky struct{ fake }

func (panicky) Collect(context.Context, collectors.Target) ([]models.Observation, collectors.Cost, error) {
	panic("boom")
}

func TestPanickingCollectorFailsOnlyItsSubject(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := &config.Config{Projects: []config.Project{{Name: "a", Repo: "https://github.com/o/a", UseType: "simple"}}}
	good := fake{name: "fake", values: map[string]float64{"gitlocal.tags_12m": 3}}
	sum, err := Collect(ctx, st, Targets(cfg), []collectors.Collector{panicky{fake{name: "bad"}}, good}, CollectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The panic is one failure; the other collector's observation is kept.
	if sum.Status != store.RunPartial || len(sum.Failed) != 1 || !strings.Contains(sum.Failed[0].Error, "panicked: boom") || sum.Observations != 1 {
		t.Errorf("summary = %+v", sum)
	}
}
