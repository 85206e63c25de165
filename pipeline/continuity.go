package pipeline

// Supply cut-off readiness (断供), measured: after each collection, every
// project gets the facts the PHI's supply-chain dimension reads (SCJ-1,
// SCJ-4, SCJ-5, SCJ-6), derived from what was collected and from the
// config, as observations of source "derived" whose evidence names where
// each fact came from. An assessor's typed facts (facts: governance,
// export_exposure, fallback) stay as overrides: the model lists them first.

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Continuity metrics: the derived ones (source DerivedSource) and the
// managed clones' (source "clones") they read.
const (
	DerivedSource = "derived"
	// MetricGovernance: foundation (the owner is a listed foundation's
	// organisation) or multi-vendor (elephant factor ≥ 2), as text.
	MetricGovernance = "derived.governance"
	// MetricHostJurisdiction and MetricGovernanceJurisdiction: the country
	// (ISO 3166-1 alpha-2) of the forge's operator and of the governing
	// foundation's seat, as text.
	MetricHostJurisdiction       = "derived.host_jurisdiction"
	MetricGovernanceJurisdiction = "derived.governance_jurisdiction"
	// MetricJurisdictionExposure: how many of hosting and governance lie
	// outside the home jurisdiction (0, 1, 2).
	MetricJurisdictionExposure = "derived.jurisdiction_exposure"
	// MetricQualifiedSupport: 1 when a supplier supporting the project is
	// graded at or above continuity.support_tier, 0 when none is.
	MetricQualifiedSupport = "derived.qualified_support"
	// MetricSourceFetchDays: days since the internal copy of the source
	// (osgauge's managed clone, or the user's local clone) was last
	// fetched; aged by the engine as any days_since_ metric.
	MetricSourceFetchDays = "derived.days_since_source_fetch"
	// MetricFallback: 1 qualified support, 0.5 source held internally,
	// 0 neither (the scale of the facts: fallback key).
	MetricFallback = "derived.fallback"

	MetricClonesSourceHeld = "clones.source_held"
	MetricClonesSourceAge  = "clones.source_age_days"
	metricCloneAgeDays     = "gitlocal.clone_age_days"
)

// SourceHeldMaxDays is how old a local clone the user keeps may be and
// still count as the source held internally: gitlocal's own limit, beyond
// which it calls the clone stale.
const SourceHeldMaxDays = 30

// ContinuityPolicy is the config's continuity section with its defaults.
type ContinuityPolicy struct {
	SupportTier, HomeJurisdiction string
	// Where names the config for messages ("osgauge.yaml").
	Where string
}

// ContinuityPolicyOf reads the policy from the config, defaults applied.
func ContinuityPolicyOf(c *config.Config) ContinuityPolicy {
	p := ContinuityPolicy{SupportTier: config.DefaultSupportTier, HomeJurisdiction: config.DefaultHomeJurisdiction, Where: "config"}
	if c == nil {
		return p
	}
	if c.Path != "" {
		p.Where = filepath.Base(c.Path)
	}
	if t := strings.TrimSpace(c.Continuity.SupportTier); t != "" {
		p.SupportTier = t
	}
	if h := strings.TrimSpace(c.Continuity.HomeJurisdiction); h != "" {
		p.HomeJurisdiction = h
	}
	return p
}

// SupplierStanding is one supplier's grade against the support tier.
type SupplierStanding struct {
	Name string
	// Qualified: 1 at or above the tier, 0 below, -1 not decided (no
	// grade, or a grade range across the tier).
	Qualified int
	// Why says so, naming the grade, the model and the tier.
	Why string
}

// Standing judges a supplier's SEI result against tier (a grade id of m).
// A result "between X and Y" is qualified when even X reaches the tier,
// not qualified when even Y falls short, else not decided.
func Standing(m *models.Model, r models.Result, name, tier string) SupplierStanding {
	rank := gradeRanks(m)
	t, ok := rank[tier]
	st := SupplierStanding{Name: name, Qualified: -1}
	if !ok {
		st.Why = fmt.Sprintf("%s: tier %q is not a grade of model %s", name, tier, m.ID)
		return st
	}
	score := ""
	if r.Score != nil {
		score = fmt.Sprintf(", score %.1f", *r.Score)
	}
	at := fmt.Sprintf("by %s %s%s, policy tier %s (continuity.support_tier)", m.ID, m.Version, score, tier)
	switch {
	case r.Grade != "":
		if g, ok := rank[r.Grade]; ok && g <= t {
			st.Qualified, st.Why = 1, fmt.Sprintf("%s graded %s %s: at or above the tier", name, r.Grade, at)
		} else {
			st.Qualified, st.Why = 0, fmt.Sprintf("%s graded %s %s: below the tier", name, r.Grade, at)
		}
	case len(r.GradeRange) == 2:
		worst, best := rank[r.GradeRange[0]], rank[r.GradeRange[1]]
		between := fmt.Sprintf("%s graded between %s and %s %s", name, r.GradeRange[0], r.GradeRange[1], at)
		switch {
		case worst <= t:
			st.Qualified, st.Why = 1, between+": even the worst case reaches the tier"
		case best > t:
			st.Qualified, st.Why = 0, between+": even the best case falls below the tier"
		default:
			st.Why = between + ": not decided, the missing answers decide"
		}
	default:
		st.Why = fmt.Sprintf("%s not graded %s (status %s)", name, at, r.Status)
	}
	return st
}

// gradeRanks ranks a model's grades best first (0 best).
func gradeRanks(m *models.Model) map[string]int {
	gs := slices.Clone(m.Grades)
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Min > gs[j].Min })
	out := map[string]int{}
	for i, g := range gs {
		out[g.ID] = i
	}
	return out
}

// ContinuityObservations derives one project's continuity facts from its
// latest observations (facts), the standings of the suppliers that
// support it (supporters; none is a fact: no qualified support), the
// policy, and the PHI model whose evidence_max_age decides which inputs
// are still evidence (nil: every input is). Facts that cannot be told are
// recorded without a value and with the reason, never as 0.
func ContinuityObservations(p models.Subject, facts map[string]models.Observation, supporters []SupplierStanding, pol ContinuityPolicy, phi *models.Model, now time.Time) []models.Observation {
	mk := func(metric string) models.Observation {
		return models.Observation{SubjectID: p.ID, Metric: metric, Source: DerivedSource, ObservedAt: now}
	}
	fresh := func(metric string) (models.Observation, string) {
		o, ok := facts[metric]
		switch {
		case !ok:
			return o, metric + ": no observation"
		case !o.HasData():
			return o, metric + ": " + o.Reason
		}
		if phi != nil {
			if limit, rule := phi.MaxAge(o); limit > 0 && now.Sub(o.ObservedAt) > limit.Duration() {
				return o, fmt.Sprintf("%s: collected %s, older than %d days (%s)", metric, o.ObservedAt.UTC().Format(time.DateOnly), int(limit), rule)
			}
		}
		return o, ""
	}
	var out []models.Observation

	// Where the repository lives: the forge host and the owner.
	repo := p.Attrs["repo"]
	if repo == "" {
		repo = p.ID
	}
	u, parsed := repourl.Parse(repo)
	host, owner := "", ""
	if parsed && len(u.Parts) >= 2 {
		host, owner = u.Host, u.Parts[0]
	}
	found, isFoundation := affiliation.Foundation{}, false
	if host != "" {
		found, isFoundation = affiliation.FoundationFor(host, owner)
	}
	listNote := "osgauge's foundation list of " + affiliation.ListDate

	// Governance neutrality (SCJ-1).
	gov := mk(MetricGovernance)
	if isFoundation {
		gov.Text = "foundation"
		gov.Evidence = fmt.Sprintf("%s/%s is an organisation of the %s (%s; source: %s)", host, owner, found.Name, listNote, found.Source)
	} else {
		notListed := "the owner is not on " + listNote
		if host == "" {
			notListed = "the repository's owner is not known (" + repo + ")"
		} else {
			notListed = host + "/" + owner + ": " + notListed
		}
		var why []string
		for _, metric := range []string{"gitlocal.elephant_factor_12m", "forge.elephant_factor_12m"} {
			o, miss := fresh(metric)
			if miss != "" {
				why = append(why, miss)
				continue
			}
			if o.Value == nil {
				continue
			}
			switch ef := *o.Value; {
			case ef >= 2:
				gov.Text = "multi-vendor"
				gov.Evidence = fmt.Sprintf("%s; elephant factor %g (%s, %s): at least %g organisations carry half the commits by people — %s",
					notListed, ef, metric, o.ObservedAt.UTC().Format(time.DateOnly), ef, o.Evidence)
			case ef == 1:
				gov.Reason = fmt.Sprintf("%s; elephant factor 1 (%s): one organisation, or the independent authors together, made half the commits — single-vendor and individual cannot be told apart: state facts.governance", notListed, metric)
			default:
				gov.Reason = fmt.Sprintf("%s; elephant factor %g (%s): no commits by people in 12 months", notListed, ef, metric)
			}
			break
		}
		if gov.Text == "" && gov.Reason == "" {
			gov.Reason = notListed + "; no elephant factor measured (" + strings.Join(why, "; ") + ")"
		}
	}
	out = append(out, gov)

	// Where it is hosted and governed (SCJ-4).
	place, hostKnown := affiliation.ForgeHosts[host]
	hj := mk(MetricHostJurisdiction)
	if hostKnown {
		hj.Text = place.Country
		hj.Evidence = fmt.Sprintf("%s is run by %s (osgauge's list of forge jurisdictions of %s; source: %s)", host, place.Operator, affiliation.ListDate, place.Source)
	} else if host != "" {
		hj.Reason = "the forge host " + host + " is not on osgauge's list of forge jurisdictions (" + affiliation.ListDate + ")"
	} else {
		hj.Reason = "the repository's host is not known (" + repo + ")"
	}
	out = append(out, hj)
	gj := mk(MetricGovernanceJurisdiction)
	if isFoundation {
		gj.Text = found.Seat
		gj.Evidence = fmt.Sprintf("governed by the %s, seated in %s (%s)", found.Name, found.Seat, found.SeatSource)
	} else {
		gj.Reason = "not governed by a foundation on " + listNote + ": the owner's legal seat is not known"
	}
	out = append(out, gj)
	je := mk(MetricJurisdictionExposure)
	home := pol.HomeJurisdiction
	switch {
	case !hostKnown:
		je.Reason = "hosting jurisdiction not known: " + hj.Reason
	case !isFoundation:
		je.Reason = fmt.Sprintf("hosted on %s (%s); governed by its owner %s, whose seat osgauge does not know: state facts.export_exposure", host, place.Country, owner)
	default:
		n := 0
		abroad := func(c string) string {
			if c != home {
				n++
				return "abroad"
			}
			return "at home"
		}
		hs, gs := abroad(place.Country), abroad(found.Seat)
		je.Value = models.Num(float64(n))
		je.Evidence = fmt.Sprintf("hosted on %s in %s (%s) and governed by the %s in %s (%s), home %s (%s: continuity.home_jurisdiction): %d of 2 abroad",
			host, place.Country, hs, found.Name, found.Seat, gs, home, pol.Where, n)
	}
	out = append(out, je)

	// The source held internally (SCJ-5, SCJ-6): osgauge's managed clone,
	// else a local clone the user keeps.
	held, heldWhy := -1, ""
	ages := mk(MetricSourceFetchDays)
	ages.Unit = "days"
	if o, miss := fresh(MetricClonesSourceHeld); miss == "" && o.Value != nil {
		held = 0
		heldWhy = "osgauge's clone failed its latest fetch (" + MetricClonesSourceHeld + " = 0: " + o.Evidence + ")"
		if *o.Value >= 1 {
			held, heldWhy = 1, "osgauge's clone fetched at the latest collection, "+o.ObservedAt.UTC().Format(time.DateOnly)+" ("+o.Evidence+")"
		}
		if a, miss := fresh(MetricClonesSourceAge); miss == "" && a.Value != nil {
			d := *a.Value + now.Sub(a.ObservedAt).Hours()/24
			ages.Value = models.Num(round2(d))
			ages.Evidence = fmt.Sprintf("%s = %g observed %s + %s since: %s", MetricClonesSourceAge, *a.Value, a.ObservedAt.UTC().Format(time.DateOnly), daysText(now.Sub(a.ObservedAt)), a.Evidence)
		} else {
			ages.Reason = miss
		}
	} else if g, gmiss := fresh(metricCloneAgeDays); gmiss == "" && g.Value != nil {
		d := *g.Value + now.Sub(g.ObservedAt).Hours()/24
		ages.Value = models.Num(round2(d))
		ages.Evidence = fmt.Sprintf("the local clone: %s = %g observed %s + %s since: %s", metricCloneAgeDays, *g.Value, g.ObservedAt.UTC().Format(time.DateOnly), daysText(now.Sub(g.ObservedAt)), g.Evidence)
		held = 0
		heldWhy = fmt.Sprintf("the local clone was last updated %.0f days ago, more than %d (stale)", d, SourceHeldMaxDays)
		if d <= SourceHeldMaxDays {
			held, heldWhy = 1, fmt.Sprintf("the local clone was last updated %.0f days ago, within %d (%s)", d, SourceHeldMaxDays, g.Evidence)
		}
	} else {
		heldWhy = "no internal copy measured (" + miss + "; " + gmiss + ")"
		ages.Reason = heldWhy
	}
	out = append(out, ages)

	// Qualified support: a supplier in the config that supports the
	// project, graded at or above the tier.
	qs := mk(MetricQualifiedSupport)
	qual := -1
	var yes, no, open []string
	for _, s := range supporters {
		switch s.Qualified {
		case 1:
			yes = append(yes, s.Why)
		case 0:
			no = append(no, s.Why)
		default:
			open = append(open, s.Why)
		}
	}
	switch {
	case len(yes) > 0:
		qual = 1
		qs.Value, qs.Evidence = models.Num(1), strings.Join(yes, "; ")
	case len(supporters) == 0:
		qual = 0
		qs.Value, qs.Evidence = models.Num(0), "no supplier in "+pol.Where+" supports it (suppliers[].supports)"
	case len(open) == 0:
		qual = 0
		qs.Value, qs.Evidence = models.Num(0), strings.Join(no, "; ")
	default:
		qs.Reason = strings.Join(append(open, no...), "; ")
	}
	out = append(out, qs)

	// Continuity fallback (SCJ-5), on the facts.fallback scale.
	fb := mk(MetricFallback)
	supportText := qs.Evidence
	if qual < 0 {
		supportText = "qualified support not decided: " + qs.Reason
	}
	switch {
	case qual == 1:
		fb.Value, fb.Evidence = models.Num(1), "qualified support: "+qs.Evidence+"; source: "+heldWhy
	case held == 1:
		if qual == 0 {
			fb.Value, fb.Evidence = models.Num(0.5), "source held internally: "+heldWhy+"; no qualified support: "+supportText
		} else {
			fb.Reason = "source held internally (" + heldWhy + ") but " + supportText
		}
	case held == 0 && qual == 0:
		fb.Value, fb.Evidence = models.Num(0), "source not held internally: "+heldWhy+"; no qualified support: "+supportText
	default:
		fb.Reason = "source: " + heldWhy + "; support: " + supportText
	}
	out = append(out, fb)
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func daysText(d time.Duration) string {
	return fmt.Sprintf("%g days", round2(d.Hours()/24))
}

// DeriveContinuity records every portfolio project's continuity facts
// (ContinuityObservations) as one run of kind "continuity", judged at now:
// the suppliers are graded with the supplier model from their latest
// evidence, the projects' inputs are read as the PHI model ages them. Run
// it after DeriveEvidence, which the supplier grades read. A support tier
// that is not a grade of the supplier model is an error naming the key.
func DeriveContinuity(ctx context.Context, st *store.Store, cfg *config.Config, set models.Set, now time.Time) (int, error) {
	pol := ContinuityPolicyOf(cfg)
	phi := set["project-health"]
	var sei *models.Model
	if ms := set.For(models.KindSupplier); len(ms) > 0 {
		sei = ms[0]
	}
	if sei != nil {
		if _, ok := gradeRanks(sei)[pol.SupportTier]; !ok {
			var ids []string
			for _, g := range sei.Grades {
				ids = append(ids, g.ID)
			}
			return 0, fmt.Errorf("%s: continuity.support_tier: %q is not a grade of model %s (grades: %s)", pol.Where, pol.SupportTier, sei.ID, strings.Join(ids, ", "))
		}
	}
	facts, err := st.LatestFacts(ctx, now)
	if err != nil {
		return 0, err
	}
	subjects, err := st.Subjects(ctx)
	if err != nil {
		return 0, err
	}
	// Each supplier's standing, once.
	standing := map[string]SupplierStanding{}
	supportedBy := map[string][]SupplierStanding{}
	if cfg != nil {
		env := assess.Env{Now: now, Portfolio: assess.NewPortfolio(facts), Exceptions: cfg.Exceptions}
		for _, s := range cfg.Suppliers {
			id := "supplier/" + slug(s.Name)
			if _, done := standing[id]; !done {
				if sei == nil {
					standing[id] = SupplierStanding{Name: s.Name, Qualified: -1, Why: s.Name + ": no supplier model loaded"}
				} else {
					subj := models.Subject{Kind: models.KindSupplier, ID: id, Name: s.Name}
					r := assess.Score(sei, subj, facts[id], env)
					standing[id] = Standing(sei, r, s.Name, pol.SupportTier)
				}
			}
			for _, pname := range s.Supports {
				pid := ""
				for _, p := range cfg.Projects {
					if p.Name == pname {
						pid = ProjectID(p.Name, p.Repo)
					}
				}
				if pid != "" {
					st := standing[id]
					st.Why += fmt.Sprintf(" (%s: suppliers[%s].supports)", pol.Where, s.Name)
					supportedBy[pid] = append(supportedBy[pid], st)
				}
			}
		}
	}
	runID, err := st.StartRun(ctx, "continuity", "")
	if err != nil {
		return 0, err
	}
	var obs []models.Observation
	for _, s := range subjects {
		if s.Kind != models.KindProject || s.Attrs[CandidateAttr] != "" {
			continue
		}
		for _, o := range ContinuityObservations(s, facts[s.ID], supportedBy[s.ID], pol, phi, now) {
			o.RunID = runID
			obs = append(obs, o)
		}
	}
	if err := st.AppendObservations(ctx, runID, obs); err != nil {
		st.FinishRun(context.WithoutCancel(ctx), runID, store.RunFailed, err.Error(), nil)
		return 0, err
	}
	return len(obs), st.FinishRun(ctx, runID, store.RunComplete, "", map[string]int{"observations": len(obs)})
}
