package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// The governance maturity model measured, not only asked (issue 23): the
// lifecycle practices get objective evidence from the ledger and the
// store, recorded as observations of the institution (source lifecycle),
// as supplier evidence is (collectors/evidence). Each measure is a share;
// its evidence level (0–4, the questionnaire's scale) stands first in the
// practice's metrics, the questionnaire answer after it, so a measured
// practice is judged by what the ledger and the SBOMs show and the
// answer is its fallback. The answer stands beside the evidence in the
// text, and an answer the evidence contradicts (claims a higher level than
// the evidence shows) is a DISCREPANCY, as for suppliers.
//
//	measure (lifecycle.…)                         level metric             practice (GMI 0.4.0)
//	intake_decided_pct: components in use that    intake_level             G4-2 intake required at a threshold
//	  need intake and have a decision
//	decisions_assessed_pct: decisions in force    assessed_level           G4-1 classification and grading at intake
//	  recorded with an assessment (grade, licence)
//	exits_on_time_pct: exits past their deadline  exit_level               G8-3 exit procedure
//	  that no system ran at the deadline's end
//	systems_with_sbom_pct: systems with an SBOM   sbom_level               G7-1 SBOM for every system
//	sboms_current_pct: systems whose SBOM was     inventory_level          G9-1 ledger of what runs, kept current
//	  imported within 90 days (and sbom_age_days_max)
//
// Bands from share to level: ≥ 95 % → 4, ≥ 80 % → 3 (the pass level), ≥ 50 % → 2,
// > 0 → 1, 0 → 0. A measure that cannot be taken (no ledger folder, no
// exit past its deadline, no system known) is recorded with its reason,
// and the practice is judged by its answer.

// LifecycleSource is the source name of the lifecycle evidence.
const LifecycleSource = "lifecycle"

// SBOMCurrentDays is how recently a system's SBOM must have been imported
// to count as current (a quarter, the reporting period; an unchanged file
// is not imported again, so a system not rebuilt in a quarter ages).
const SBOMCurrentDays = 90

// EvidenceLevel turns a share (0–100 %) into an evidence level 0–4.
func EvidenceLevel(pct float64) float64 {
	switch {
	case pct >= 95:
		return 4
	case pct >= 80:
		return 3
	case pct >= 50:
		return 2
	case pct > 0:
		return 1
	}
	return 0
}

const bandsText = "bands: ≥95% 4, ≥80% 3, ≥50% 2, >0 1"

// lifecycleMeasures are the counts the evidence is made of.
type lifecycleMeasures struct {
	ledgerUsed                 bool
	required                   string
	need, decided              int
	inForce, assessed          int
	exitsDue, exitsOnTime      int
	exitsLate                  []string
	systems, withSBOM, current int
	noSBOM, stale              []string
	maxAgeDays                 int
}

// LifecycleEvidenceOptions say what the evidence is measured against.
type LifecycleEvidenceOptions struct {
	LifecycleOptions
	// Institution is the institution's subject id.
	Institution string
	// Model is the governance model: which practices each level metric
	// stands for, and so which answers it is compared with.
	Model *models.Model
	// Systems are the systems the config names (sboms:): a system without
	// an SBOM counts against the share.
	Systems []string
}

// DeriveLifecycleEvidence records the institution's lifecycle evidence
// from the config's ledger and the store, as one run of its own. Nothing
// is recorded without an institution in the config.
func DeriveLifecycleEvidence(ctx context.Context, st *store.Store, c *config.Config, set models.Set, now time.Time) (int, error) {
	if c.Institution.Name == "" {
		return 0, nil
	}
	opt := LifecycleEvidenceOptions{LifecycleOptions: LifecycleOptions{LedgerDir: c.LedgerDir(), IntakeRequired: c.Lifecycle.IntakeRequired, Now: now},
		Institution: "institution/" + slug(c.Institution.Name), Model: set[models.GovernanceMaturity]}
	for _, s := range c.SBOMs {
		opt.Systems = append(opt.Systems, s.System)
	}
	return deriveLifecycleEvidence(ctx, st, opt)
}

func deriveLifecycleEvidence(ctx context.Context, st *store.Store, opt LifecycleEvidenceOptions) (int, error) {
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	m, err := measureLifecycle(ctx, st, opt, now)
	if err != nil {
		return 0, err
	}
	facts, err := st.LatestFacts(ctx, now)
	if err != nil {
		return 0, err
	}
	obs := LifecycleObservations(opt.Institution, m, opt.Model, facts[opt.Institution], now)
	runID, err := st.StartRun(ctx, LifecycleSource, "")
	if err != nil {
		return 0, err
	}
	for i := range obs {
		obs[i].RunID = runID
	}
	if err := st.AppendObservations(ctx, runID, obs); err != nil {
		st.FinishRun(context.WithoutCancel(ctx), runID, store.RunFailed, err.Error(), nil)
		return 0, err
	}
	return len(obs), st.FinishRun(ctx, runID, store.RunComplete, "", map[string]int{"observations": len(obs)})
}

// measureLifecycle takes the counts from the ledger and the store.
func measureLifecycle(ctx context.Context, st *store.Store, opt LifecycleEvidenceOptions, now time.Time) (lifecycleMeasures, error) {
	var m lifecycleMeasures
	l := opt.Ledger
	if l == nil {
		var err error
		if l, err = ledger.Load(opt.LedgerDir); err != nil {
			return m, err
		}
		_, serr := os.Stat(opt.LedgerDir)
		m.ledgerUsed = serr == nil || !errors.Is(serr, fs.ErrNotExist)
	}
	m.ledgerUsed = m.ledgerUsed || len(l.Decisions) > 0 || len(l.Exits) > 0
	rows, err := st.CurrentInventory(ctx)
	if err != nil {
		return m, err
	}
	lc := checkLifecycle(rows, l, opt.IntakeRequired, now)
	m.required, m.need, m.decided = lc.IntakeRequired, lc.InUse.NeedIntake, lc.InUse.Decided
	sup := l.Superseded()
	for _, d := range l.Decisions {
		if _, gone := sup[d.ID]; gone || d.At.After(now) {
			continue
		}
		m.inForce++
		if a := d.Assessment; a != nil && (a.Grade != "" || a.Score != nil || len(a.GradeRange) > 0) {
			m.assessed++
		}
	}
	for _, e := range l.ExitList(now) {
		if !e.Overdue(now) {
			continue // its deadline has not passed
		}
		end, _ := time.Parse("2006-01-02", e.Deadline)
		end = end.AddDate(0, 0, 1)
		then, ok, err := RowsAt(ctx, st, end)
		if err != nil {
			return m, err
		}
		if !ok {
			continue // no SBOM by its deadline: not judged
		}
		m.exitsDue++
		if n := countSystems(exitSystems(e, then)); n == 0 {
			m.exitsOnTime++
		} else {
			m.exitsLate = append(m.exitsLate, fmt.Sprintf("%s %s (deadline %s, %d systems)", e.Target, e.Versions, e.Deadline, n))
		}
	}
	snaps, err := st.CurrentSnapshots(ctx)
	if err != nil {
		return m, err
	}
	failed, err := st.FailedImports(ctx)
	if err != nil {
		return m, err
	}
	known := map[string]bool{}
	for _, s := range opt.Systems {
		known[s] = true
	}
	for s := range failed {
		known[s] = true
	}
	for _, d := range l.Decisions {
		if d.System != "" {
			known[d.System] = true
		}
	}
	have := map[string]bool{}
	for _, s := range snaps {
		known[s.System], have[s.System] = true, true
		age := int(now.Sub(s.ImportedAt).Hours() / 24)
		m.maxAgeDays = max(m.maxAgeDays, age)
		if age <= SBOMCurrentDays {
			m.current++
		} else {
			m.stale = append(m.stale, fmt.Sprintf("%s (%d days)", s.System, age))
		}
	}
	m.systems, m.withSBOM = len(known), len(have)
	for s := range known {
		if !have[s] {
			m.noSBOM = append(m.noSBOM, s)
		}
	}
	sort.Strings(m.noSBOM)
	return m, nil
}

// LifecycleObservations turns the measures into the institution's
// observations: each share and its evidence level, the level's evidence
// comparing it with the answers of the practices that use it (facts are
// the institution's latest observations; model the governance model).
func LifecycleObservations(inst string, m lifecycleMeasures, model *models.Model, facts map[string]models.Observation, now time.Time) []models.Observation {
	var out []models.Observation
	obs := func(metric, unit string) models.Observation {
		return models.Observation{SubjectID: inst, Metric: LifecycleSource + "." + metric, Unit: unit, Source: LifecycleSource, ObservedAt: now}
	}
	add := func(pctMetric, levelMetric string, num, den int, why, what string) {
		p, lv := obs(pctMetric, "%"), obs(levelMetric, "level")
		if why != "" {
			p.Reason, lv.Reason = why, why
			out = append(out, p, lv)
			return
		}
		pct := round1(100 * float64(num) / float64(den))
		level := EvidenceLevel(pct)
		p.Value, lv.Value = models.Num(pct), models.Num(level)
		p.Evidence = fmt.Sprintf("%d of %d %s", num, den, what)
		lv.Evidence = fmt.Sprintf("%s: %g%% → level %g (%s)", p.Evidence, pct, level, bandsText)
		lv.Evidence = compareClaims(lv.Metric, level, lv.Evidence, model, facts)
		out = append(out, p, lv)
	}
	// Intake: the components in use that need intake, with a decision.
	why := ""
	switch {
	case !m.ledgerUsed:
		why = "no ledger folder (lifecycle.ledger): intake decisions are not recorded in osgauge"
	case m.required == intakeNone:
		why = "lifecycle.intake_required is none: no component needs an intake decision"
	case m.need == 0:
		why = "no component in use needs an intake decision (no SBOM imported, or none direct)"
	}
	add("intake_decided_pct", "intake_level", m.decided, max(m.need, 1), why,
		"components in use that need intake (intake_required: "+m.required+") have a decision in the ledger")
	// Classification and grading at intake.
	why = ""
	switch {
	case !m.ledgerUsed:
		why = "no ledger folder (lifecycle.ledger)"
	case m.inForce == 0:
		why = "no intake decision in force in the ledger"
	}
	add("decisions_assessed_pct", "assessed_level", m.assessed, max(m.inForce, 1), why,
		"intake decisions in force were recorded with an assessment (grade or score)")
	// Exits done by their deadline.
	why = ""
	if m.exitsDue == 0 {
		why = "no exit on the exit list has reached its deadline (with an SBOM imported by then)"
	}
	what := "exits past their deadline had no system left running the component at the deadline's end"
	if len(m.exitsLate) > 0 {
		what += "; late: " + strings.Join(m.exitsLate, "; ")
	}
	add("exits_on_time_pct", "exit_level", m.exitsOnTime, max(m.exitsDue, 1), why, what)
	// SBOMs for the systems, and how current.
	why = ""
	if m.systems == 0 {
		why = "no system is known (sboms: in the config, SBOM imports, decisions naming a system)"
	}
	what = "systems osgauge knows (the config's sboms:, imports, decisions) have an SBOM"
	if len(m.noSBOM) > 0 {
		what += "; without: " + strings.Join(m.noSBOM, ", ")
	}
	add("systems_with_sbom_pct", "sbom_level", m.withSBOM, max(m.systems, 1), why, what)
	what = fmt.Sprintf("systems have an SBOM imported within %d days", SBOMCurrentDays)
	if len(m.stale) > 0 {
		what += "; older: " + strings.Join(m.stale, ", ")
	}
	add("sboms_current_pct", "inventory_level", m.current, max(m.systems, 1), why, what)
	age := obs("sbom_age_days_max", "days")
	if m.withSBOM == 0 {
		age.Reason = "no SBOM imported"
	} else {
		age.Value = models.Num(float64(m.maxAgeDays))
		age.Evidence = "the oldest current SBOM was imported this many days ago"
	}
	return append(out, age)
}

// compareClaims puts the questionnaire answers of the practices that use
// metric beside the evidence level: "claim N (G4-2) confirmed" or
// "DISCREPANCY: the questionnaire claims N (G4-2), the evidence shows M".
func compareClaims(metric string, level float64, evidence string, model *models.Model, facts map[string]models.Observation) string {
	if model == nil {
		return evidence
	}
	var confirmed, contradicted []string
	for _, d := range model.Dimensions {
		for _, in := range d.Indicators {
			if !slices.Contains(in.Metrics, metric) {
				continue
			}
			for _, qm := range in.Metrics {
				o, ok := facts[qm]
				if !strings.HasPrefix(qm, "questionnaire.") || !ok || o.Value == nil {
					continue
				}
				claim := fmt.Sprintf("%g (%s)", *o.Value, in.ID)
				if *o.Value > level {
					contradicted = append(contradicted, claim)
				} else {
					confirmed = append(confirmed, claim)
				}
			}
		}
	}
	switch {
	case len(contradicted) > 0:
		return fmt.Sprintf("DISCREPANCY: the questionnaire claims %s, the evidence shows %g. %s", strings.Join(contradicted, ", "), level, evidence)
	case len(confirmed) > 0:
		return fmt.Sprintf("claim %s confirmed. %s", strings.Join(confirmed, ", "), evidence)
	}
	return evidence
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
