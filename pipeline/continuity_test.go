package pipeline

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// tinySEI is a supplier model whose score is the institution's rating
// (manual.rating, linear 0..100, so a rating of 70 scores 70), with the
// built-in supplier model's grades, so a test can move a supplier across
// the tiers by hand.
const tinySEI = `
id: supplier
version: 9.9.9
kind: index
subject: supplier
name: {en: "tiny SEI", zh: 小}
description: {en: "test", zh: 测}
min_coverage: 0.5
grades:
  - {id: strategic, min: 80, label: {en: "Strategic", zh: 战略级}}
  - {id: preferred, min: 65, label: {en: "Preferred", zh: 优选级}}
  - {id: conditional, min: 50, label: {en: "Conditional", zh: 有条件准入}}
  - {id: not-approved, min: 0, label: {en: "Not approved", zh: 不予准入}}
dimensions:
  - id: Q
    name: {en: "Q", zh: Q}
    weight: 100
    clause: test
    indicators:
      - id: Q-1
        name: {en: "rating", zh: 评分}
        metrics: [manual.rating]
        normalize: {linear: {min: 0, max: 100}}
        weight: 1
        clause: test
`

type contFixture struct {
	t   *testing.T
	ctx context.Context
	st  *store.Store
	set models.Set
	cfg *config.Config
}

func newContFixture(t *testing.T, cfg *config.Config) *contFixture {
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
	for _, p := range cfg.Projects {
		if err := st.PutSubject(ctx, models.Subject{Kind: models.KindProject, ID: ProjectID(p.Name, p.Repo), Name: p.Name,
			Attrs: map[string]string{"repo": p.Repo}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range cfg.Suppliers {
		if err := st.PutSubject(ctx, models.Subject{Kind: models.KindSupplier, ID: "supplier/" + slug(s.Name), Name: s.Name}); err != nil {
			t.Fatal(err)
		}
	}
	return &contFixture{t: t, ctx: ctx, st: st, set: set, cfg: cfg}
}

func (f *contFixture) observe(obs ...models.Observation) {
	f.t.Helper()
	run, err := f.st.StartRun(f.ctx, "collect", "")
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.AppendObservations(f.ctx, run, obs); err != nil {
		f.t.Fatal(err)
	}
	if err := f.st.FinishRun(f.ctx, run, store.RunComplete, "", nil); err != nil {
		f.t.Fatal(err)
	}
}

// derive runs DeriveContinuity at now and returns the project's derived
// facts and its PHI result judged at now.
func (f *contFixture) derive(pid string, now time.Time) (map[string]models.Observation, models.Result) {
	f.t.Helper()
	if _, err := DeriveContinuity(f.ctx, f.st, f.cfg, f.set, now); err != nil {
		f.t.Fatal(err)
	}
	facts, err := f.st.LatestFacts(f.ctx, now)
	if err != nil {
		f.t.Fatal(err)
	}
	phi := f.set["project-health"]
	r := assess.Score(phi, models.Subject{Kind: models.KindProject, ID: pid}, facts[pid], assess.Env{Now: now})
	assess.NoteOverrides(phi, &r, facts[pid])
	return facts[pid], r
}

func indicator(r models.Result, id string) models.IndicatorResult {
	for _, ir := range r.Indicators {
		if ir.ID == id {
			return ir
		}
	}
	return models.IndicatorResult{}
}

func dimension(r models.Result, id string) models.DimensionResult {
	for _, d := range r.Dimensions {
		if d.ID == id {
			return d
		}
	}
	return models.DimensionResult{}
}

func norm(ir models.IndicatorResult) float64 {
	if ir.Normalized == nil {
		return -1
	}
	return *ir.Normalized
}

func num(o models.Observation) float64 {
	if o.Value == nil {
		return -1
	}
	return *o.Value
}

// The mirror disappears. acme/lib (no foundation, no supplier) is held by
// osgauge's clone through the bank's mirror on 2026-05-01: source_held 1,
// age 0; gitlocal read the clone's newest commit by a person 2 days old;
// no forge figure, so the lag is at most 2 days (the fetch − that commit)
// → days since current 0 + 2 = 2 ≤ 30 → held → derived.fallback 0.5 (no
// supplier) → SCJ-5 0.5; 2 ≤ 7 → SCJ-6 band 1. SCJ-1 to SCJ-4 have no
// data (no elephant factor, no foundation, no Scorecard), so SCJ =
// 100·(1·0.5 + 1·1)/(1+1) = 75.
// 40 days later the mirror is gone: source_held 0, age 40 (days since the
// last successful fetch, not 0); gitlocal finds the clone stale and reads
// no newest commit, so the lag of the last fetch stands (2, derived on
// 2026-05-01) → current 42 > 30 → not held → fallback 0 → SCJ-5 0; 42 is
// over 30 and at most 90 → SCJ-6 0.3; SCJ = 100·(0 + 0.3)/2 = 15.
func TestContinuityWhenTheMirrorDisappears(t *testing.T) {
	cfg := &config.Config{Path: "/x/bank.yaml", Projects: []config.Project{{Name: "lib", Repo: "https://github.com/acme/lib"}}}
	f := newContFixture(t, cfg)
	pid := "github.com/acme/lib"
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	clones := func(at time.Time, held, age float64, ev string) {
		f.observe(
			models.Observation{SubjectID: pid, Metric: MetricClonesSourceHeld, Value: models.Num(held), Source: "clones", ObservedAt: at, Evidence: ev},
			models.Observation{SubjectID: pid, Metric: MetricClonesSourceAge, Value: models.Num(age), Unit: "days", Source: "clones", ObservedAt: at, Evidence: ev})
	}
	clones(t0, 1, 0, "fetched from https://git.bank.internal/mirror/github/acme/lib (mirror https://github.com/)")
	f.observe(models.Observation{SubjectID: pid, Metric: "gitlocal.days_since_last_commit", Value: models.Num(2), Source: "gitlocal", ObservedAt: t0, Evidence: "newest commit by a person"})
	facts, r := f.derive(pid, t0)
	if fb := facts[MetricFallback]; num(fb) != 0.5 || !strings.Contains(fb.Evidence, "git.bank.internal/mirror") || !strings.Contains(fb.Evidence, "no supplier in bank.yaml supports it") {
		t.Errorf("held: fallback %v %q, want 0.5 naming the mirror and the missing supplier", num(fb), fb.Evidence)
	}
	if qs := facts[MetricQualifiedSupport]; num(qs) != 0 {
		t.Errorf("qualified support %v, want 0", num(qs))
	}
	if l := facts[MetricSourceLagDays]; num(l) != 2 || !strings.Contains(l.Evidence, "at most") {
		t.Errorf("held: lag %v %q, want at most 2", num(l), l.Evidence)
	}
	if n5, n6, scj := norm(indicator(r, "SCJ-5")), norm(indicator(r, "SCJ-6")), dimension(r, "SCJ"); n5 != 0.5 || n6 != 1 || scj.Score == nil || *scj.Score != 75 {
		t.Errorf("held: SCJ-5 %v SCJ-6 %v SCJ %v, want 0.5, 1, 75", n5, n6, scj.Score)
	}
	if ir := indicator(r, "SCJ-1"); ir.Status != models.StatusInconclusive || ir.Raw != nil || ir.RawText != "" {
		t.Errorf("SCJ-1 without elephant factor or foundation: %+v, want inconclusive", ir)
	}
	if ir := indicator(r, "SCJ-4"); ir.Status != models.StatusInconclusive || !strings.Contains(ir.Explanation, "whose seat osgauge does not know") {
		t.Errorf("SCJ-4 without a foundation: %s, want inconclusive (owner's seat unknown)", ir.Explanation)
	}

	t1 := t0.AddDate(0, 0, 40)
	clones(t1, 0, 40, "fetch of https://git.bank.internal/mirror/github/acme/lib failed: 404")
	f.observe(models.Observation{SubjectID: pid, Metric: "gitlocal.days_since_last_commit", Source: "gitlocal", ObservedAt: t1, Reason: "clone not updated since 2026-05-01: fetch it"})
	facts, r = f.derive(pid, t1)
	if fb := facts[MetricFallback]; num(fb) != 0 || !strings.Contains(fb.Evidence, "its latest fetch failed") || !strings.Contains(fb.Evidence, "42 days ago, more than 30") {
		t.Errorf("gone: fallback %v %q, want 0", num(fb), fb.Evidence)
	}
	if d := facts[MetricSourceFetchDays]; num(d) != 40 {
		t.Errorf("gone: days since fetch %v, want 40", num(d))
	}
	if l := facts[MetricSourceLagDays]; num(l) != 2 || !strings.Contains(l.Evidence, "as derived 2026-05-01, no fetch succeeded since") {
		t.Errorf("gone: lag %v %q, want 2 carried", num(l), l.Evidence)
	}
	if n5, n6, scj := norm(indicator(r, "SCJ-5")), norm(indicator(r, "SCJ-6")), dimension(r, "SCJ"); n5 != 0 || n6 != 0.3 || scj.Score == nil || *scj.Score != 15 {
		t.Errorf("gone: SCJ-5 %v SCJ-6 %v SCJ %v, want 0, 0.3, 15", n5, n6, scj.Score)
	}
}

// The mirror's own age is judged (issue 27: "the freshness logic judges
// the mirror's own age"). osgauge fetched lib from the bank's mirror
// today (source_held 1, age 0), but the newest commit by a person the
// mirror served is 219 days old (gitlocal.days_since_last_commit 219):
//   - the forge says the upstream's newest commit by a person is 1 month
//     old (forge.months_since_last_person_commit 1 = 30.4375 days): the
//     mirror lags 219 − 30.4375 = 188.5625 → 188.56 days; current 0 +
//     188.56 > 90 → SCJ-6 0; > 30 → not held → fallback 0 (no supplier);
//     days since the fetch stays 0;
//   - without the forge's figure the lag is at most the fetch − the newest
//     commit, 219 days → SCJ-6 0, fallback 0, and the evidence says "at
//     most";
//   - a quiet project: the forge's newest commit is 8 months old (243.5
//     days: 2025-08-30 12:00) and so is the mirror's: lag 0 → current 0 → SCJ-6 1, held →
//     fallback 0.5.
func TestContinuityJudgesTheMirrorsOwnAge(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	phi, err := models.Builtin("project-health")
	if err != nil {
		t.Fatal(err)
	}
	p := models.Subject{Kind: models.KindProject, ID: "github.com/acme/lib", Attrs: map[string]string{"repo": "https://github.com/acme/lib"}}
	obs := func(metric, source string, v float64) models.Observation {
		return models.Observation{SubjectID: p.ID, Metric: metric, Value: models.Num(v), Source: source, ObservedAt: now, Evidence: "ev " + metric}
	}
	for _, tc := range []struct {
		name            string
		mirror, forge   float64 // gitlocal days, forge months (-1: none)
		lag, scj6, fb   float64
		lagSays, fbSays string
	}{
		{"lagging", 219, 1, 188.56, 0, 0, "the upstream's newest commit by a person 2026-03-31", "more than 30"},
		{"no forge", 219, -1, 219, 0, 0, "at most", "more than 30"},
		{"quiet", 243.5, 8, 0, 1, 0.5, "the upstream's newest commit by a person 2025-08-30", "within 30"},
	} {
		facts := assess.Facts{}
		for _, o := range []models.Observation{obs(MetricClonesSourceHeld, "clones", 1), obs(MetricClonesSourceAge, "clones", 0), obs("gitlocal.days_since_last_commit", "gitlocal", tc.mirror)} {
			facts[o.Metric] = o
		}
		if tc.forge >= 0 {
			facts["forge.months_since_last_person_commit"] = obs("forge.months_since_last_person_commit", "github", tc.forge)
		}
		out := map[string]models.Observation{}
		for _, o := range ContinuityObservations(p, facts, nil, ContinuityPolicy{SupportTier: "preferred", HomeJurisdiction: "CN", Where: "bank.yaml"}, phi, now) {
			out[o.Metric] = o
			facts[o.Metric] = o
		}
		if num(out[MetricSourceFetchDays]) != 0 || num(out[MetricSourceLagDays]) != tc.lag || num(out[MetricSourceCurrentDays]) != tc.lag ||
			!strings.Contains(out[MetricSourceLagDays].Evidence, tc.lagSays) {
			t.Errorf("%s: fetch %v lag %v current %v (%s%s), want 0, %v, %v saying %q", tc.name, num(out[MetricSourceFetchDays]), num(out[MetricSourceLagDays]),
				num(out[MetricSourceCurrentDays]), out[MetricSourceLagDays].Evidence, out[MetricSourceLagDays].Reason, tc.lag, tc.lag, tc.lagSays)
		}
		if fb := out[MetricFallback]; num(fb) != tc.fb || !strings.Contains(fb.Evidence, tc.fbSays) {
			t.Errorf("%s: fallback %v %q, want %v saying %q", tc.name, num(fb), fb.Evidence+fb.Reason, tc.fb, tc.fbSays)
		}
		r := assess.Score(phi, p, facts, assess.Env{Now: now})
		if n6 := norm(indicator(r, "SCJ-6")); n6 != tc.scj6 {
			t.Errorf("%s: SCJ-6 %v, want %v", tc.name, n6, tc.scj6)
		}
	}
}

// After a failed fetch the facts agree. osgauge's clone was fetched on
// 2026-05-01 (newest commit by a person a day older); on 2026-05-11 the
// fetch fails: source_held 0, clones.source_age_days 10 (days since the
// last successful fetch). gitlocal reads the same clone: clone_age_days
// 10, newest commit by a person 11 days old. Days since the fetch: 10 (not
// 0); lag at most (2026-05-01 − 2026-04-30) = 1 → current 11 ≤ 30: the
// copy a cut-off leaves is still held → fallback 0.5 with the failure in
// its evidence; SCJ-6 0.7 (7 < 11 ≤ 30) — both read the same copy's age.
func TestContinuityAfterAFailedFetch(t *testing.T) {
	now := time.Date(2026, 5, 11, 0, 0, 0, 0, time.UTC)
	phi, err := models.Builtin("project-health")
	if err != nil {
		t.Fatal(err)
	}
	p := models.Subject{Kind: models.KindProject, ID: "github.com/acme/lib", Attrs: map[string]string{"repo": "https://github.com/acme/lib"}}
	facts := assess.Facts{}
	for _, o := range []models.Observation{
		{Metric: MetricClonesSourceHeld, Value: models.Num(0), Source: "clones", Evidence: "fetch from https://git.bank.internal/mirror/acme/lib failed: 503; the clone of the last successful fetch, 2026-05-01T00:00:00Z, is used"},
		{Metric: MetricClonesSourceAge, Value: models.Num(10), Source: "clones", Evidence: "same"},
		{Metric: "gitlocal.clone_age_days", Value: models.Num(10), Source: "gitlocal", Evidence: "FETCH_HEAD"},
		{Metric: "gitlocal.days_since_last_commit", Value: models.Num(11), Source: "gitlocal", Evidence: "newest commit by a person"},
	} {
		o.SubjectID, o.ObservedAt = p.ID, now
		facts[o.Metric] = o
	}
	out := map[string]models.Observation{}
	for _, o := range ContinuityObservations(p, facts, nil, ContinuityPolicy{SupportTier: "preferred", HomeJurisdiction: "CN", Where: "bank.yaml"}, phi, now) {
		out[o.Metric] = o
		facts[o.Metric] = o
	}
	if d := out[MetricSourceFetchDays]; num(d) != 10 || !strings.HasPrefix(d.Evidence, "the latest fetch failed, days since the last successful one: osgauge's clone") {
		t.Errorf("days since fetch %v %q, want 10 from osgauge's clone, its failure said", num(d), d.Evidence)
	}
	if c := out[MetricSourceCurrentDays]; num(c) != 11 {
		t.Errorf("current %v (%s%s), want 11", num(c), c.Evidence, c.Reason)
	}
	if fb := out[MetricFallback]; num(fb) != 0.5 || !strings.Contains(fb.Evidence, "its latest fetch failed: fetch from https://git.bank.internal/mirror/acme/lib failed: 503") {
		t.Errorf("fallback %v %q, want 0.5 naming the failure", num(fb), fb.Evidence+fb.Reason)
	}
	r := assess.Score(phi, p, facts, assess.Env{Now: now})
	if n5, n6 := norm(indicator(r, "SCJ-5")), norm(indicator(r, "SCJ-6")); n5 != 0.5 || n6 != 0.7 {
		t.Errorf("SCJ-5 %v SCJ-6 %v, want 0.5, 0.7", n5, n6)
	}
}

// The fresher copy decides, and osgauge's clone observations count for 14
// days (evidence_max_age clones). On 2026-05-21 the project has a
// local_path clone gitlocal found 2 days old (newest commit by a person 3
// days old: lag at most 1 → current 3 → SCJ-6 1, held):
//   - osgauge's clone was last observed held on 2026-05-01, 20 days ago: older
//     than 14 days, it is not evidence (it would have read 0 + 20 = 20
//     days, "fetched at the latest collection"); so even a local clone 25
//     days old (newest commit 26 days: lag at most 1, current 26, held)
//     decides over it;
//   - osgauge's clone observed today, failing, 12 days since its last
//     fetch: the local clone, 2 days, is fresher;
//   - osgauge's clone observed today, fetched 1 day ago (age 1): fresher
//     than the local clone's 2 → days since fetch 1.
func TestContinuityFresherCopy(t *testing.T) {
	now := time.Date(2026, 5, 21, 0, 0, 0, 0, time.UTC)
	phi, err := models.Builtin("project-health")
	if err != nil {
		t.Fatal(err)
	}
	p := models.Subject{Kind: models.KindProject, ID: "github.com/acme/lib", Attrs: map[string]string{"repo": "https://github.com/acme/lib"}}
	o := func(metric, source string, v float64, at time.Time) models.Observation {
		return models.Observation{SubjectID: p.ID, Metric: metric, Value: models.Num(v), Source: source, ObservedAt: at, Evidence: "ev " + metric}
	}
	for _, tc := range []struct {
		name          string
		held, age     float64
		at            time.Time
		local, newest float64 // gitlocal's clone age and newest commit
		days          float64
		what          string
	}{
		{"old clones observation", 1, 0, now.AddDate(0, 0, -20), 2, 3, 2, "the clone gitlocal read"},
		{"old clones observation, older local clone", 1, 0, now.AddDate(0, 0, -20), 25, 26, 25, "the clone gitlocal read"},
		{"failing managed clone", 0, 12, now, 2, 3, 2, "the clone gitlocal read"},
		{"fresher managed clone", 1, 1, now, 2, 3, 1, "osgauge's clone"},
	} {
		facts := assess.Facts{}
		for _, ob := range []models.Observation{o(MetricClonesSourceHeld, "clones", tc.held, tc.at), o(MetricClonesSourceAge, "clones", tc.age, tc.at),
			o("gitlocal.clone_age_days", "gitlocal", tc.local, now), o("gitlocal.days_since_last_commit", "gitlocal", tc.newest, now)} {
			facts[ob.Metric] = ob
		}
		out := map[string]models.Observation{}
		for _, ob := range ContinuityObservations(p, facts, nil, ContinuityPolicy{SupportTier: "preferred", HomeJurisdiction: "CN", Where: "bank.yaml"}, phi, now) {
			out[ob.Metric] = ob
		}
		if d := out[MetricSourceFetchDays]; num(d) != tc.days || !strings.Contains(d.Evidence, tc.what+": ") {
			t.Errorf("%s: days since fetch %v %q, want %v from %s", tc.name, num(d), d.Evidence, tc.days, tc.what)
		}
		if num(out[MetricFallback]) != 0.5 {
			t.Errorf("%s: fallback %v (%s%s), want 0.5", tc.name, num(out[MetricFallback]), out[MetricFallback].Evidence, out[MetricFallback].Reason)
		}
	}
}

// A supporting supplier falls below the tier. Acme (jurisdiction CN, the
// default home) supports lib, whose source osgauge holds (source_held 1
// at t0, newest commit by a person 1 day older: lag at most 1, current
// 1 day at t0, 2 at t1: held). Rated 70 → tiny SEI 70 → preferred (65 ≤
// 70 < 80), at the default tier preferred → qualified at home →
// derived.fallback 1 → SCJ-5 1. Rated 60 → conditional (50 ≤ 60 < 65),
// below preferred → qualified_support 0 → fallback 0.5 (source held) →
// SCJ-5 0.5. With continuity.support_tier strategic, 70 is below too.
// Back at preferred, rated 70, Acme in the US: support from abroad counts
// 0.5 → qualified_support 0.5, fallback max(0.5, 0.5 held) = 0.5; its
// jurisdiction not stated: qualified support between 0.5 and 1, no value,
// and fallback between 0.5 and 1 → SCJ-5 inconclusive.
func TestContinuityWhenTheSupplierFallsBelowItsTier(t *testing.T) {
	cfg := &config.Config{Path: "/x/bank.yaml",
		Projects:  []config.Project{{Name: "lib", Repo: "https://github.com/acme/lib"}},
		Suppliers: []config.Supplier{{Name: "Acme", Supports: []string{"lib"}, Jurisdiction: "CN"}}}
	f := newContFixture(t, cfg)
	sei, err := models.Parse("tiny.yaml", []byte(tinySEI))
	if err != nil {
		t.Fatal(err)
	}
	f.set["supplier"] = sei
	pid := "github.com/acme/lib"
	t0 := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	rate := func(at time.Time, v float64) {
		f.observe(models.Observation{SubjectID: "supplier/acme", Metric: "manual.rating", Value: models.Num(v), Source: "manual", ObservedAt: at, Evidence: "bank.yaml: suppliers[Acme].facts.rating"})
	}
	f.observe(models.Observation{SubjectID: pid, Metric: MetricClonesSourceHeld, Value: models.Num(1), Source: "clones", ObservedAt: t0, Evidence: "fetched from https://github.com/acme/lib"},
		models.Observation{SubjectID: pid, Metric: "gitlocal.days_since_last_commit", Value: models.Num(1), Source: "gitlocal", ObservedAt: t0, Evidence: "newest commit by a person"})
	rate(t0, 70)
	facts, r := f.derive(pid, t0)
	qs := facts[MetricQualifiedSupport]
	if num(qs) != 1 || !strings.Contains(qs.Evidence, "Acme graded preferred") || !strings.Contains(qs.Evidence, "score 70.0") || !strings.Contains(qs.Evidence, "suppliers[Acme].supports") ||
		!strings.Contains(qs.Evidence, "jurisdiction CN, the home jurisdiction") {
		t.Errorf("rated 70: qualified %v %q", num(qs), qs.Evidence)
	}
	if num(facts[MetricFallback]) != 1 || norm(indicator(r, "SCJ-5")) != 1 {
		t.Errorf("rated 70: fallback %v SCJ-5 %v, want 1, 1", num(facts[MetricFallback]), norm(indicator(r, "SCJ-5")))
	}

	t1 := t0.AddDate(0, 0, 1)
	rate(t1, 60)
	facts, r = f.derive(pid, t1)
	qs = facts[MetricQualifiedSupport]
	if num(qs) != 0 || !strings.Contains(qs.Evidence, "Acme graded conditional") || !strings.Contains(qs.Evidence, "below the tier") {
		t.Errorf("rated 60: qualified %v %q", num(qs), qs.Evidence)
	}
	if num(facts[MetricFallback]) != 0.5 || norm(indicator(r, "SCJ-5")) != 0.5 {
		t.Errorf("rated 60: fallback %v SCJ-5 %v, want 0.5, 0.5", num(facts[MetricFallback]), norm(indicator(r, "SCJ-5")))
	}

	rate(t1.Add(time.Hour), 70)
	f.cfg.Continuity.SupportTier = "strategic"
	facts, _ = f.derive(pid, t1.Add(2*time.Hour))
	if qs := facts[MetricQualifiedSupport]; num(qs) != 0 || !strings.Contains(qs.Evidence, "policy tier strategic") {
		t.Errorf("tier strategic, rated 70: qualified %v %q, want 0", num(qs), qs.Evidence)
	}

	f.cfg.Continuity.SupportTier = ""
	f.cfg.Suppliers[0].Jurisdiction = "US"
	facts, r = f.derive(pid, t1.Add(3*time.Hour))
	if qs, fb := facts[MetricQualifiedSupport], facts[MetricFallback]; num(qs) != 0.5 || !strings.Contains(qs.Evidence, "jurisdiction US, abroad (home CN)") ||
		num(fb) != 0.5 || !strings.HasPrefix(fb.Evidence, "qualified support from abroad only") || norm(indicator(r, "SCJ-5")) != 0.5 {
		t.Errorf("Acme in the US: qualified %v %q, fallback %v %q, SCJ-5 %v; want 0.5, 0.5, 0.5", num(qs), qs.Evidence, num(fb), fb.Evidence, norm(indicator(r, "SCJ-5")))
	}
	f.cfg.Suppliers[0].Jurisdiction = ""
	facts, r = f.derive(pid, t1.Add(4*time.Hour))
	if qs, fb := facts[MetricQualifiedSupport], facts[MetricFallback]; qs.HasData() || !strings.Contains(qs.Reason, "between 0.5 and 1") || !strings.Contains(qs.Reason, "suppliers[Acme].jurisdiction") ||
		fb.HasData() || !strings.HasPrefix(fb.Reason, "between 0.5 and 1") || indicator(r, "SCJ-5").Status != models.StatusInconclusive {
		t.Errorf("Acme's jurisdiction not stated: qualified %v %q, fallback %v %q, SCJ-5 %s; want no value", num(qs), qs.Reason, num(fb), fb.Reason, indicator(r, "SCJ-5").Status)
	}

	f.cfg.Continuity.SupportTier = "gold"
	_, err = DeriveContinuity(f.ctx, f.st, f.cfg, f.set, t1)
	if err == nil || !strings.Contains(err.Error(), `bank.yaml: continuity.support_tier: "gold" is not a grade of model supplier`) {
		t.Errorf("unknown tier: %v", err)
	}
}

// A result between two grades is qualified only when even its worst case
// reaches the tier.
func TestStandingOfAGradeRange(t *testing.T) {
	sei, err := models.Parse("tiny.yaml", []byte(tinySEI))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		rng  []string
		want int
	}{
		{[]string{"preferred", "strategic"}, 1},      // worst preferred reaches preferred
		{[]string{"conditional", "strategic"}, -1},   // could be either
		{[]string{"not-approved", "conditional"}, 0}, // best conditional is below
	} {
		s := Standing(sei, models.Result{GradeRange: tc.rng}, "Acme", "preferred")
		if s.Qualified != tc.want {
			t.Errorf("%v: %d (%s), want %d", tc.rng, s.Qualified, s.Why, tc.want)
		}
	}
}

// A typed fact wins over the measurement and says so. apache/kafka is a
// foundation's (measured: foundation → 1), but the assessor typed
// single-vendor (0.3): SCJ-1 is 0.3 from manual.governance, and its
// evidence names the overridden derived.governance.
func TestContinuityTypedFactOverrides(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	p := models.Subject{Kind: models.KindProject, ID: "github.com/apache/kafka", Attrs: map[string]string{"repo": "https://github.com/apache/kafka"}}
	facts := assess.Facts{}
	for _, o := range ContinuityObservations(p, nil, nil, ContinuityPolicy{SupportTier: "preferred", HomeJurisdiction: "CN", Where: "bank.yaml"}, nil, now) {
		facts[o.Metric] = o
	}
	facts["manual.governance"] = models.Observation{SubjectID: p.ID, Metric: "manual.governance", Text: "single-vendor", Source: "manual", ObservedAt: now.AddDate(0, -1, 0),
		Evidence: "bank.yaml: projects[kafka].facts.governance = single-vendor (as of 2026-04-01)"}
	phi, err := models.Builtin("project-health")
	if err != nil {
		t.Fatal(err)
	}
	r := assess.Score(phi, p, facts, assess.Env{Now: now})
	assess.NoteOverrides(phi, &r, facts)
	ir := indicator(r, "SCJ-1")
	if norm(ir) != 0.3 || ir.Source != "manual" || !strings.Contains(ir.Evidence, "as of 2026-04-01") ||
		!strings.Contains(ir.Evidence, `the typed fact overrides the measured derived.governance = "foundation"`) || !strings.Contains(ir.Evidence, "Apache Software Foundation") {
		t.Errorf("SCJ-1 %v from %s: %q", norm(ir), ir.Source, ir.Evidence)
	}
	// Without the fact the measurement counts: foundation → 1.
	delete(facts, "manual.governance")
	r = assess.Score(phi, p, facts, assess.Env{Now: now})
	assess.NoteOverrides(phi, &r, facts)
	if ir := indicator(r, "SCJ-1"); norm(ir) != 1 || ir.Source != DerivedSource || strings.Contains(ir.Evidence, "overrides") {
		t.Errorf("measured SCJ-1 %v from %s: %q", norm(ir), ir.Source, ir.Evidence)
	}
}

// Where projects are hosted and governed, against the home jurisdiction:
//   - github.com/apache/kafka: host US (GitHub), ASF seat US; home CN → 2
//     of 2 abroad; home US → 0;
//   - gitee.com/openharmony/docs: Gitee CN, OpenAtom CN → 0;
//   - github.com/openharmony/docs (the GitHub mirror org): US host, CN
//     seat → 1;
//   - gitee.com/someco/x: CN host, no foundation → no value (seat unknown);
//   - git.bank.internal/a/b: host not listed → no host jurisdiction, no
//     exposure.
//
// Governance: elephant factor 3 → multi-vendor; 1 → no value.
func TestContinuityJurisdictionAndGovernance(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	derive := func(repo, home string, facts map[string]models.Observation) map[string]models.Observation {
		p := models.Subject{Kind: models.KindProject, ID: strings.TrimPrefix(repo, "https://"), Attrs: map[string]string{"repo": repo}}
		out := map[string]models.Observation{}
		for _, o := range ContinuityObservations(p, facts, nil, ContinuityPolicy{SupportTier: "preferred", HomeJurisdiction: home, Where: "bank.yaml"}, nil, now) {
			if o.Source != DerivedSource || !o.ObservedAt.Equal(now) {
				t.Errorf("%s: %s source %s at %v", repo, o.Metric, o.Source, o.ObservedAt)
			}
			if o.HasData() == (o.Reason != "") || (o.HasData() && o.Evidence == "") {
				t.Errorf("%s: %s has data %v, reason %q, evidence %q", repo, o.Metric, o.HasData(), o.Reason, o.Evidence)
			}
			out[o.Metric] = o
		}
		return out
	}
	for _, tc := range []struct {
		repo, home, host, gov string
		exposure              float64 // -1: no value
	}{
		{"https://github.com/apache/kafka", "CN", "US", "US", 2},
		{"https://github.com/apache/kafka", "US", "US", "US", 0},
		{"https://gitee.com/openharmony/docs", "CN", "CN", "CN", 0},
		{"https://github.com/openharmony/docs", "CN", "US", "CN", 1},
		{"https://gitee.com/someco/x", "CN", "CN", "", -1},
		{"https://git.bank.internal/a/b", "CN", "", "", -1},
	} {
		d := derive(tc.repo, tc.home, nil)
		if d[MetricHostJurisdiction].Text != tc.host || d[MetricGovernanceJurisdiction].Text != tc.gov || num(d[MetricJurisdictionExposure]) != tc.exposure {
			t.Errorf("%s (home %s): host %q gov %q exposure %v (%s%s), want %q %q %v", tc.repo, tc.home, d[MetricHostJurisdiction].Text,
				d[MetricGovernanceJurisdiction].Text, num(d[MetricJurisdictionExposure]), d[MetricJurisdictionExposure].Evidence, d[MetricJurisdictionExposure].Reason, tc.host, tc.gov, tc.exposure)
		}
	}
	if ev := derive("https://github.com/apache/kafka", "CN", nil)[MetricHostJurisdiction].Evidence; !strings.Contains(ev, "GitHub, Inc.") || !strings.Contains(ev, "Terms of Service") {
		t.Errorf("host evidence names no source: %q", ev)
	}
	ef := func(v float64) map[string]models.Observation {
		return map[string]models.Observation{"gitlocal.elephant_factor_12m": {Metric: "gitlocal.elephant_factor_12m", Value: models.Num(v), Source: "gitlocal", ObservedAt: now, Evidence: "top orgs"}}
	}
	if g := derive("https://github.com/acme/x", "CN", ef(3))[MetricGovernance]; g.Text != "multi-vendor" || !strings.Contains(g.Evidence, "elephant factor 3") {
		t.Errorf("elephant 3: %q %q", g.Text, g.Evidence)
	}
	if g := derive("https://github.com/acme/x", "CN", ef(1))[MetricGovernance]; g.HasData() || !strings.Contains(g.Reason, "cannot be told apart") {
		t.Errorf("elephant 1: %q %q, want no value", g.Text, g.Reason)
	}
	// A foundation's organisation wins over the elephant factor.
	if g := derive("https://github.com/apache/kafka", "CN", ef(1))[MetricGovernance]; g.Text != "foundation" {
		t.Errorf("apache with elephant 1: %q", g.Text)
	}
}

// A local clone the user keeps counts when it was current with its
// upstream within 30 days. clone_age_days 10 observed 5 days ago → 15
// days since its fetch; its newest commit by a person 12 days old then →
// 17 days ago, no forge figure: lag at most 17 − 15 = 2 → current 17 →
// held (fallback 0.5 without a supplier), SCJ-6's input 17. clone_age_days
// 26 observed 5 days ago → 31 days: gitlocal reads no activity from a
// stale clone (no newest commit), but 31 > 30 already decides: not held
// (fallback 0), and SCJ-6's input has no value (the lag is not known).
// clone_age_days 10 without a newest commit: held cannot be told, and the
// fallback lies between 0 and 0.5.
func TestContinuityLocalClone(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	p := models.Subject{Kind: models.KindProject, ID: "github.com/acme/x", Attrs: map[string]string{"repo": "https://github.com/acme/x"}}
	for _, tc := range []struct{ age, newest, days, current, fallback float64 }{{10, 12, 15, 17, 0.5}, {26, -1, 31, -1, 0}, {10, -1, 15, -1, -1}} {
		at := now.AddDate(0, 0, -5)
		facts := map[string]models.Observation{"gitlocal.clone_age_days": {Metric: "gitlocal.clone_age_days", Value: models.Num(tc.age), Source: "gitlocal", ObservedAt: at, Evidence: "last fetch by FETCH_HEAD"}}
		if tc.newest >= 0 {
			facts["gitlocal.days_since_last_commit"] = models.Observation{Metric: "gitlocal.days_since_last_commit", Value: models.Num(tc.newest), Source: "gitlocal", ObservedAt: at, Evidence: "newest"}
		}
		out := map[string]models.Observation{}
		for _, o := range ContinuityObservations(p, facts, nil, ContinuityPolicy{HomeJurisdiction: "CN", Where: "bank.yaml"}, nil, now) {
			out[o.Metric] = o
		}
		if num(out[MetricSourceFetchDays]) != tc.days || num(out[MetricSourceCurrentDays]) != tc.current || num(out[MetricFallback]) != tc.fallback {
			t.Errorf("clone age %v: days %v current %v fallback %v (%s%s), want %v %v %v", tc.age, num(out[MetricSourceFetchDays]), num(out[MetricSourceCurrentDays]),
				num(out[MetricFallback]), out[MetricFallback].Evidence, out[MetricFallback].Reason, tc.days, tc.current, tc.fallback)
		}
	}
}

// Qualified support by jurisdiction, home CN, no internal copy measured
// (held not known: 0 to 0.5):
//   - qualified in CN → 1; fallback max(1, ·) = 1;
//   - qualified in US → 0.5; fallback between max(0.5, 0) and max(0.5,
//     0.5): 0.5;
//   - qualified in US and another in CN below the tier → 0.5;
//   - qualified in US and another in CN → 1;
//   - undecided grade, in CN → between 0 and 1: no value; fallback
//     between 0 and 1: no value;
//   - undecided grade, in US → between 0 and 0.5: no value; fallback
//     between 0 and 0.5: no value.
func TestContinuitySupportByJurisdiction(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	p := models.Subject{Kind: models.KindProject, ID: "github.com/acme/x", Attrs: map[string]string{"repo": "https://github.com/acme/x"}}
	s := func(q int, j string) SupplierStanding {
		return SupplierStanding{Name: "S" + j, Qualified: q, Jurisdiction: j, Why: fmt.Sprintf("S%s standing %d", j, q)}
	}
	for _, tc := range []struct {
		name   string
		sup    []SupplierStanding
		qs, fb float64 // -1: no value
	}{
		{"CN", []SupplierStanding{s(1, "CN")}, 1, 1},
		{"US", []SupplierStanding{s(1, "US")}, 0.5, 0.5},
		{"US, CN below", []SupplierStanding{s(1, "US"), s(0, "CN")}, 0.5, 0.5},
		{"US and CN", []SupplierStanding{s(1, "US"), s(1, "CN")}, 1, 1},
		{"CN undecided", []SupplierStanding{s(-1, "CN")}, -1, -1},
		{"US undecided", []SupplierStanding{s(-1, "US")}, -1, -1},
	} {
		out := map[string]models.Observation{}
		for _, o := range ContinuityObservations(p, nil, tc.sup, ContinuityPolicy{SupportTier: "preferred", HomeJurisdiction: "CN", Where: "bank.yaml"}, nil, now) {
			out[o.Metric] = o
		}
		if num(out[MetricQualifiedSupport]) != tc.qs || num(out[MetricFallback]) != tc.fb {
			t.Errorf("%s: qualified %v fallback %v (%s%s), want %v %v", tc.name, num(out[MetricQualifiedSupport]), num(out[MetricFallback]),
				out[MetricFallback].Evidence, out[MetricFallback].Reason, tc.qs, tc.fb)
		}
	}
}
