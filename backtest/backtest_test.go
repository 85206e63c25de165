package backtest

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/models"
)

// asOf is the end of 2024-12-31, as --as-of 2024-12-31 means; the horizon
// of 12 months ends at the end of 2025-12-31.
var asOf = time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC)

func options(t testing.TB) Options {
	t.Helper()
	set, err := models.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		AsOf: asOf, Horizon: 12, Models: set, Identities: affiliation.NewIdentities(nil, nil),
		Tree:    []TreeSource{{Collector: license.New(), RootOnly: true}},
		Workers: 2, TempDir: t.TempDir(),
		Now: func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) },
	}
}

// fader winds down before the date and stops: two people weekly through
// 2022 and half of 2023, then Ann alone once a month until stop, nothing
// by a person after; bots (with bots) keep committing after the date.
func fader(t *testing.T, name string, stop time.Time, bots bool) *repoMaker {
	m := newRepo(t, name)
	m.every(utc(2022, 1, 3), utc(2023, 6, 1), 7, ann, bob)
	m.tag("v1.0.0")
	m.every(utc(2023, 6, 5), stop, 30, ann)
	if bots {
		m.every(utc(2025, 2, 1), utc(2026, 3, 1), 30, depbt)
	}
	return m
}

// busy stays busy: five people taking turns every 3 days from 2022 to
// March 2026, a release every 90 days.
func busy(t *testing.T, name string) *repoMaker {
	m := newRepo(t, name)
	for d := utc(2022, 1, 2); d.Before(utc(2026, 3, 1)); d = d.AddDate(0, 0, 90) {
		m.every(d, d.AddDate(0, 0, 90), 3, ann, bob, cai, dee, eve)
		m.tag("v" + d.Format("2006.01.02"))
	}
	return m
}

func TestBacktestWindDownAgainstBusy(t *testing.T) {
	var targets []collectors.Target
	for i, stop := range []time.Time{utc(2024, 4, 1), utc(2024, 2, 1), utc(2023, 11, 1)} {
		name := "fade-" + string(rune('1'+i))
		targets = append(targets, fader(t, name, stop, i == 1).target(name))
	}
	for i := range 3 {
		name := "busy-" + string(rune('1'+i))
		targets = append(targets, busy(t, name).target(name))
	}
	// A project whose first commit is after the date: left out, counted.
	late := newRepo(t, "late")
	late.every(utc(2025, 3, 1), utc(2026, 2, 1), 5, ann, bob)
	targets = append(targets, late.target("late"))
	// A project without a clone: left out, counted.
	targets = append(targets, collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/x/none", Name: "none"}})

	rep, err := Run(context.Background(), targets, options(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Projects) != 6 {
		t.Fatalf("projects = %d, want 6 (left out: %+v)", len(rep.Projects), rep.LeftOut)
	}
	var fadeMax, busyMin = -1.0, 101.0
	for _, p := range rep.Projects {
		if p.Score == nil || p.Grade == "" || len(p.ScoreRange) != 2 {
			t.Fatalf("%s: score %v grade %q range %v: want all three (%+v)", p.Name, *p.Score, p.Grade, p.ScoreRange, p)
		}
		want := Alive
		if strings.HasPrefix(p.Name, "fade") {
			want = Abandoned
			fadeMax = math.Max(fadeMax, *p.Score)
			// fade-1 and fade-2: in 2024 only Ann committed (2024-01-01 and
			// on, every 30 days until March or January): bus factor 1, the
			// key-person gate. fade-3's last commit is 2023-10-03: none in
			// the 12 months (bus factor 0, no key person), and 455.5 days ÷
			// 30.4375 = 14.97 months ≥ 12: unmaintained.
			gate := "G-KEY-PERSON"
			if p.Name == "fade-3" {
				gate = "G-UNMAINTAINED"
			}
			if !hasGate(p.Gates, gate) {
				t.Errorf("%s: gates %v, want %s", p.Name, p.Gates, gate)
			}
		} else {
			busyMin = math.Min(busyMin, *p.Score)
		}
		if p.Outcome != want {
			t.Errorf("%s: outcome %s (%s), want %s", p.Name, p.Outcome, p.OutcomeWhy, want)
		}
		// The licence files of the tree as of the date were read.
		if s := rep.states[p.ID]["G-NO-LICENSE"]; s != models.GateClear {
			t.Errorf("%s: G-NO-LICENSE %q, want clear (MIT at the root of the tree then)", p.Name, s)
		}
	}
	if fadeMax >= busyMin {
		t.Errorf("fading projects' best score %.1f ≥ busy projects' worst %.1f", fadeMax, busyMin)
	}
	// 3 abandoned × 3 alive = 9 pairs, each abandoned below: 9/9.
	if rep.AUCAbandoned == nil || *rep.AUCAbandoned != 1 {
		t.Errorf("auc_abandoned = %v, want 1", rep.AUCAbandoned)
	}
	// Key person: fired (0) for fade-1 and fade-2, clear (1) for fade-3
	// and the busy three. fade-1, fade-2 below each busy one: 2 × 3 wins;
	// fade-3 ties all three: 3 × 0.5. (6 + 1.5) / 9 = 0.8333.
	// Unmaintained: fired for fade-3 only (fade-1's last commit 2024-03-31,
	// fade-2's 2024-01-31: 11.0 months, under 12): 3 wins + 2 × 3 ties ×
	// 0.5 = 6 / 9 = 0.6667.
	for id, want := range map[string]float64{"G-KEY-PERSON": 0.8333, "G-UNMAINTAINED": 0.6667} {
		if a := rep.AUC.Gates[id]; a.AUC == nil || *a.AUC != want || a.Abandoned != 3 || a.Others != 3 {
			t.Errorf("%s AUC = %v over %d and %d, want %v over 3 and 3", id, deref(a.AUC), a.Abandoned, a.Others, want)
		}
	}
	if rep.LeftOut.Count != 2 || rep.LeftOut.ByCode[CodeNoHistory] != 1 || rep.LeftOut.ByCode[CodeNoClone] != 1 {
		t.Errorf("left_out = %+v, want 2: one no_history_before (late), one no_clone (none)", rep.LeftOut)
	}
	if rep.Outcomes[Abandoned] != 3 || rep.Outcomes[Alive] != 3 || rep.Outcomes[Declining] != 0 {
		t.Errorf("outcomes = %v", rep.Outcomes)
	}
	n := 0
	for _, g := range rep.RatesByGrade {
		n += g.Projects
	}
	if n != 6 {
		t.Errorf("rates_by_grade hold %d projects, want 6", n)
	}

	// The files: the JSON contract's keys, the workbook read back.
	dir := t.TempDir()
	paths, err := rep.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(paths[0]) != "backtest-2024-12-31.json" || filepath.Base(paths[1]) != "backtest-2024-12-31.xlsx" {
		t.Fatalf("paths = %v", paths)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"as_of", "horizon_months", "projects", "auc_abandoned", "rates_by_grade", "left_out"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if doc["as_of"] != "2024-12-31" || doc["horizon_months"] != 12.0 || doc["auc_abandoned"] != 1.0 {
		t.Errorf("as_of %v horizon_months %v auc_abandoned %v", doc["as_of"], doc["horizon_months"], doc["auc_abandoned"])
	}
	p0 := doc["projects"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "score", "grade", "score_range", "gates", "outcome"} {
		if _, ok := p0[k]; !ok {
			t.Errorf("project lacks %q", k)
		}
	}
	f, err := excelize.OpenFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetProjects)
	if err != nil {
		t.Fatal(err)
	}
	// A header, 6 projects, 2 left out.
	if len(rows) != 9 || rows[0][0] != "Project" || rows[1][0] != "busy-1" || rows[1][7] != Alive {
		t.Errorf("sheet rows %d, first %v", len(rows), rows[:min(2, len(rows))])
	}
}

func hasGate(gs []models.GateHit, id string) bool {
	for _, g := range gs {
		if g.ID == id {
			return true
		}
	}
	return false
}

func TestHorizonMustBeHistory(t *testing.T) {
	opt := options(t)
	opt.AsOf = time.Date(2025, 9, 30, 23, 59, 59, 0, time.UTC) // + 12 months = 2026-09-30, after Now (2026-06-01)
	_, err := Run(context.Background(), nil, opt)
	if err == nil || !strings.Contains(err.Error(), "after today") {
		t.Fatalf("err = %v, want the horizon after today refused", err)
	}
}

func TestParseHorizon(t *testing.T) {
	for in, want := range map[string]int{"12m": 12, "18": 18, "1m": 1} {
		if got, err := ParseHorizon(in); err != nil || got != want {
			t.Errorf("ParseHorizon(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0m", "12y", "m", "121m", "-3m"} {
		if _, err := ParseHorizon(in); err == nil {
			t.Errorf("ParseHorizon(%q) accepted", in)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
