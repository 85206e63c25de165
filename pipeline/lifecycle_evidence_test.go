package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

const lcInst = "institution/example-bank"

// claim records the institution's questionnaire answers.
func claim(t *testing.T, st *store.Store, answers map[string]float64) {
	t.Helper()
	ctx := context.Background()
	if err := st.PutSubject(ctx, models.Subject{Kind: models.KindInstitution, ID: lcInst, Name: "Example Bank"}); err != nil {
		t.Fatal(err)
	}
	run, err := st.StartRun(ctx, "collect", "")
	if err != nil {
		t.Fatal(err)
	}
	var obs []models.Observation
	for id, v := range answers {
		obs = append(obs, models.Observation{SubjectID: lcInst, Metric: "questionnaire." + id, Value: models.Num(v), Source: "questionnaire",
			ObservedAt: day("2026-06-01"), Evidence: "self.yaml (answered 2026-06-01 by Chen Jing, Head of OSPO)", RunID: run})
	}
	if err := st.AppendObservations(ctx, run, obs); err != nil {
		t.Fatal(err)
	}
	st.FinishRun(ctx, run, store.RunComplete, "", nil)
}

func practice(t *testing.T, res models.Result, id string) models.IndicatorResult {
	t.Helper()
	for _, in := range res.Indicators {
		if in.ID == id {
			return in
		}
	}
	t.Fatalf("no practice %s", id)
	return models.IndicatorResult{}
}

// The questionnaire claims intake is required (G4-2 at 3) but most
// components in use have no decision: the GMI shows a DISCREPANCY and the
// practice is judged by the evidence.
func TestGMILifecycleDiscrepancy(t *testing.T) {
	ctx := context.Background()
	st := lcStore(t)
	now := day("2026-06-15")
	claim(t, st, map[string]float64{"G4-1": 2, "G4-2": 3, "G7-1": 4, "G8-3": 3, "G9-1": 2})
	gmi, err := models.Builtin(models.GovernanceMaturity)
	if err != nil {
		t.Fatal(err)
	}
	// Only fastjson has a decision (approved, with its assessment).
	l := &ledger.Ledger{Decisions: lcLedger().Decisions[:1]}
	n, err := deriveLifecycleEvidence(ctx, st, LifecycleEvidenceOptions{LifecycleOptions: LifecycleOptions{Ledger: l, IntakeRequired: "direct", Now: now},
		Institution: lcInst, Model: gmi, Systems: []string{"payments", "portal", "batch", "teller"}})
	if err != nil || n != 11 {
		t.Fatalf("%d observations, %v; want 11 (5 shares, 5 levels, the SBOM age)", n, err)
	}
	facts, err := st.LatestFacts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	f := facts[lcInst]
	// By hand (see lcStore): need intake = fastjson, log4j-core,
	// commons-text, jackson-databind (direct somewhere) = 4; decided 1
	// (fastjson) → 25% → level 1. Decisions in force 1, assessed 1 →
	// 100% → 4. Systems known: payments, portal, batch and teller (named
	// in the config, no SBOM) = 4, with an SBOM 3 → 75% → 2; all three
	// imported 2026-05-01, 45 days before now (≤ 90) → 75% → 2. No exit.
	for metric, want := range map[string]float64{"lifecycle.intake_decided_pct": 25, "lifecycle.intake_level": 1,
		"lifecycle.decisions_assessed_pct": 100, "lifecycle.assessed_level": 4, "lifecycle.systems_with_sbom_pct": 75,
		"lifecycle.sbom_level": 2, "lifecycle.sboms_current_pct": 75, "lifecycle.inventory_level": 2, "lifecycle.sbom_age_days_max": 45} {
		if o := f[metric]; o.Value == nil || *o.Value != want {
			t.Errorf("%s = %v (%s), want %g", metric, o.Value, o.Reason, want)
		}
	}
	if o := f["lifecycle.exit_level"]; o.Value != nil || !strings.Contains(o.Reason, "no exit") {
		t.Errorf("exit level without exits: %+v", o)
	}
	res := assess.Score(gmi, models.Subject{Kind: models.KindInstitution, ID: lcInst, Name: "Example Bank"}, f, assess.Env{Now: now})
	g42 := practice(t, res, "G4-2")
	if g42.Raw == nil || *g42.Raw != 1 || g42.Source != LifecycleSource ||
		!strings.HasPrefix(g42.Evidence, "DISCREPANCY: the questionnaire claims 3 (G4-2), the evidence shows 1. 1 of 4 components in use that need intake") {
		t.Errorf("G4-2: raw %v, source %s, evidence %q", g42.Raw, g42.Source, g42.Evidence)
	}
	if g71 := practice(t, res, "G7-1"); !strings.HasPrefix(g71.Evidence, "DISCREPANCY: the questionnaire claims 4 (G7-1), the evidence shows 2.") ||
		!strings.Contains(g71.Evidence, "without: teller") {
		t.Errorf("G7-1: %q", g71.Evidence)
	}
	if g41 := practice(t, res, "G4-1"); g41.Raw == nil || *g41.Raw != 4 || !strings.HasPrefix(g41.Evidence, "claim 2 (G4-1) confirmed.") {
		t.Errorf("G4-1: raw %v, %q", g41.Raw, g41.Evidence)
	}
	if g91 := practice(t, res, "G9-1"); !strings.HasPrefix(g91.Evidence, "claim 2 (G9-1) confirmed.") {
		t.Errorf("G9-1: %q", g91.Evidence)
	}
	// No exit past its deadline: G8-3 is judged by its answer.
	if g83 := practice(t, res, "G8-3"); g83.Raw == nil || *g83.Raw != 3 || g83.Source != "questionnaire" {
		t.Errorf("G8-3: raw %v source %s", g83.Raw, g83.Source)
	}
	// G4: G4-1 (level 2) passes at 4; G4-2 (level 3) fails at 1 < 3: the
	// domain stays at level 2 whatever the questionnaire says.
	for _, d := range res.Dimensions {
		if d.ID == "G4" && d.Level != 2 {
			t.Errorf("G4 level %d, want 2", d.Level)
		}
	}
}

// Exits done by their deadline: jackson-databind (deadline 2026-03-31)
// still ran in 3 systems at the deadline's end (the SBOMs of 2026-03-01);
// guava (same deadline) ran in none then → 1 of 2 = 50% → level 2, below
// the claim of 3.
func TestGMILifecycleExitsOnTime(t *testing.T) {
	ctx := context.Background()
	st := lcStore(t)
	now := day("2026-06-15")
	claim(t, st, map[string]float64{"G8-3": 3})
	gmi, err := models.Builtin(models.GovernanceMaturity)
	if err != nil {
		t.Fatal(err)
	}
	l := lcLedger()
	l.Exits = append(l.Exits, ledger.Exit{ID: "exit-guava", Target: "pkg:maven/com.google.guava/guava", Reason: ledger.ReasonReplaced,
		Replacement: "the JDK", Deadline: "2026-03-31", Owner: "Li Wei", By: "OSPO", Why: "not needed", At: day("2025-10-02")})
	if _, err := deriveLifecycleEvidence(ctx, st, LifecycleEvidenceOptions{LifecycleOptions: LifecycleOptions{Ledger: l, Now: now},
		Institution: lcInst, Model: gmi}); err != nil {
		t.Fatal(err)
	}
	facts, _ := st.LatestFacts(ctx, now)
	f := facts[lcInst]
	if o := f["lifecycle.exits_on_time_pct"]; o.Value == nil || *o.Value != 50 || !strings.Contains(o.Evidence, "late: pkg:maven/com.fasterxml.jackson.core/jackson-databind 2.9.x (deadline 2026-03-31, 3 systems)") {
		t.Errorf("exits on time: %v %q", o.Value, o.Evidence)
	}
	res := assess.Score(gmi, models.Subject{Kind: models.KindInstitution, ID: lcInst}, f, assess.Env{Now: now})
	if g := practice(t, res, "G8-3"); g.Raw == nil || *g.Raw != 2 || !strings.HasPrefix(g.Evidence, "DISCREPANCY: the questionnaire claims 3 (G8-3), the evidence shows 2.") {
		t.Errorf("G8-3: %v %q", g.Raw, g.Evidence)
	}
	// With the full ledger, intake: need 4, decided 3 (fastjson approved,
	// log4j rejected, jackson on the exit list) → 75% → level 2.
	if o := f["lifecycle.intake_level"]; o.Value == nil || *o.Value != 2 {
		t.Errorf("intake level %v", o.Value)
	}
}

// Without a ledger folder the intake share is not measured: the
// questionnaire's answer stands, and nothing is called a discrepancy.
func TestGMILifecycleNoLedger(t *testing.T) {
	ctx := context.Background()
	st := lcStore(t)
	now := day("2026-06-15")
	claim(t, st, map[string]float64{"G4-2": 3})
	gmi, _ := models.Builtin(models.GovernanceMaturity)
	if _, err := deriveLifecycleEvidence(ctx, st, LifecycleEvidenceOptions{LifecycleOptions: LifecycleOptions{LedgerDir: t.TempDir() + "/none", Now: now},
		Institution: lcInst, Model: gmi}); err != nil {
		t.Fatal(err)
	}
	facts, _ := st.LatestFacts(ctx, now)
	res := assess.Score(gmi, models.Subject{Kind: models.KindInstitution, ID: lcInst}, facts[lcInst], assess.Env{Now: now})
	if g := practice(t, res, "G4-2"); g.Raw == nil || *g.Raw != 3 || g.Source != "questionnaire" || strings.Contains(g.Evidence, "DISCREPANCY") {
		t.Errorf("G4-2 without a ledger: %v %s %q", g.Raw, g.Source, g.Evidence)
	}
}
