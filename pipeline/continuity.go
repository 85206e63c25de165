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
	// graded at or above continuity.support_tier and its jurisdiction
	// (suppliers[].jurisdiction) is continuity.home_jurisdiction, 0.5 when
	// such suppliers are all abroad, 0 when none is graded at the tier.
	MetricQualifiedSupport = "derived.qualified_support"
	// MetricSourceFetchDays: days since the newest successful fetch of
	// the internal copy of the source (the fresher of osgauge's managed
	// clone and the clone gitlocal read), also when the latest fetch
	// failed; aged by the engine as any days_since_ metric.
	MetricSourceFetchDays = "derived.days_since_source_fetch"
	// MetricSourceLagDays: how many days the newest commit by a person
	// the copy held lay behind the upstream's at that fetch (a mirror's
	// own age); not aged: it is the fetch's.
	MetricSourceLagDays = "derived.source_lag_days"
	// MetricSourceCurrentDays: days since the copy was current with its
	// upstream, days_since_source_fetch + source_lag_days (SCJ-6); aged.
	MetricSourceCurrentDays = "derived.days_since_source_current"
	// MetricFallback: 1 qualified support at home, 0.5 source held
	// internally or qualified support from abroad only, 0 neither (the
	// scale of the facts: fallback key).
	MetricFallback = "derived.fallback"

	MetricClonesSourceHeld = "clones.source_held"
	MetricClonesSourceAge  = "clones.source_age_days"
	metricCloneAgeDays     = "gitlocal.clone_age_days"
)

// SourceHeldMaxDays is how long ago an internal copy (osgauge's clone or
// the user's) may have been current with its upstream (days since its
// last successful fetch plus its lag) and still count as the source held
// internally: gitlocal's own limit, beyond which it calls a clone stale.
// The same rule for both copies, whether or not the latest fetch failed: a
// copy that can no longer be fetched is exactly what a cut-off leaves.
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
	// Jurisdiction is the supplier's country as the config states it
	// (suppliers[].jurisdiction; "" not stated).
	Jurisdiction string
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

	// The source held internally (SCJ-5, SCJ-6): the fresher of osgauge's
	// managed clone and the clone gitlocal read (a local_path clone), and
	// how far what it holds lags the upstream.
	src := sourceHeld(facts, fresh, mk, now)
	out = append(out, src.fetch, src.lag, src.current)
	held, heldWhy := src.held, src.why

	// Qualified support: a supplier in the config that supports the
	// project, graded at or above the tier, counted by its jurisdiction:
	// 1 at home, 0.5 abroad (it may be barred from serving in a cut-off),
	// 0.5 to 1 (not decided) when its jurisdiction is not stated.
	qs := mk(MetricQualifiedSupport)
	qlo, qhi := 0.0, 0.0
	var whys []string
	for _, s := range supporters {
		vlo, vhi, where := 1.0, 1.0, ""
		switch j := s.Jurisdiction; {
		case j == "":
			vlo, where = 0.5, fmt.Sprintf("its jurisdiction is not stated (%s: suppliers[%s].jurisdiction): 1 at home, 0.5 abroad", pol.Where, s.Name)
		case j == home:
			where = fmt.Sprintf("jurisdiction %s, the home jurisdiction (%s: continuity.home_jurisdiction)", j, pol.Where)
		default:
			vlo, vhi, where = 0.5, 0.5, fmt.Sprintf("jurisdiction %s, abroad (home %s): support from abroad counts 0.5 against a cut-off", j, home)
		}
		lo, hi := 0.0, 0.0
		switch s.Qualified {
		case 1:
			lo, hi = vlo, vhi
			whys = append(whys, s.Why+"; "+where)
		case 0:
			whys = append(whys, s.Why)
		default:
			hi = vhi
			whys = append(whys, s.Why+"; "+where)
		}
		qlo, qhi = math.Max(qlo, lo), math.Max(qhi, hi)
	}
	switch {
	case len(supporters) == 0:
		qs.Value, qs.Evidence = models.Num(0), "no supplier in "+pol.Where+" supports it (suppliers[].supports)"
	case qlo == qhi:
		qs.Value, qs.Evidence = models.Num(qlo), strings.Join(whys, "; ")
	default:
		qs.Reason = fmt.Sprintf("between %g and %g: %s", qlo, qhi, strings.Join(whys, "; "))
	}
	out = append(out, qs)

	// Continuity fallback (SCJ-5), on the facts.fallback scale: the best of
	// qualified support (1 at home, 0.5 abroad) and the source held
	// internally (0.5); decided when the best and worst cases agree.
	fb := mk(MetricFallback)
	hlo, hhi := 0.0, 0.0
	switch held {
	case 1:
		hlo, hhi = 0.5, 0.5
	case -1:
		hhi = 0.5
	}
	supportText := qs.Evidence
	if !qs.HasData() {
		supportText = "qualified support not decided, " + qs.Reason
	}
	lo, hi := math.Max(qlo, hlo), math.Max(qhi, hhi)
	switch {
	case lo != hi:
		fb.Reason = fmt.Sprintf("between %g and %g: support: %s; source: %s", lo, hi, supportText, heldWhy)
	case lo == 1:
		fb.Value, fb.Evidence = models.Num(1), "qualified support at home: "+supportText+"; source: "+heldWhy
	case lo == 0.5 && qlo == 0.5:
		fb.Value, fb.Evidence = models.Num(0.5), "qualified support from abroad only: "+supportText+"; source: "+heldWhy
	case lo == 0.5:
		fb.Value, fb.Evidence = models.Num(0.5), "source held internally: "+heldWhy+"; no qualified support: "+supportText
	default:
		fb.Value, fb.Evidence = models.Num(0), "source not held internally: "+heldWhy+"; no qualified support: "+supportText
	}
	out = append(out, fb)
	return out
}

// heldFacts are the derived facts about the internal copy of a project's
// source and whether it counts as held: held 1 when the copy was current
// with its upstream at most SourceHeldMaxDays ago, 0 when longer ago or
// when there is no copy, -1 when that cannot be told.
type heldFacts struct {
	fetch, lag, current models.Observation
	held                int
	why                 string
}

// internalCopy is one copy of the source: osgauge's managed clone or the
// clone gitlocal read.
type internalCopy struct {
	what string
	// days since its newest successful fetch, at the derivation; ev says
	// how that was worked out.
	days float64
	ev   string
	// failed is the evidence of a latest fetch that failed ("" when it
	// succeeded or is not known).
	failed string
}

const daysPerMonth = 30.4375 // 365.25 / 12, as the collectors

func days(d float64) time.Duration { return time.Duration(d * 24 * float64(time.Hour)) }

// sourceHeld derives the internal copy's facts from the latest
// observations (fresh reads one as the PHI model ages it):
//
//   - derived.days_since_source_fetch: days since the newest successful
//     fetch of the fresher copy — osgauge's clone (clones.source_age_days,
//     which counts from the last successful fetch also when the latest one
//     failed) or the clone gitlocal read (gitlocal.clone_age_days), each
//     aged to now;
//   - derived.source_lag_days: how far the newest commit by a person the
//     copy holds (gitlocal.days_since_last_commit) lay behind the upstream
//     at that fetch: the forge's newest commit by a person
//     (forge.months_since_last_person_commit) when it is older than the
//     fetch, else the fetch itself (an upper bound, said so: without the
//     forge's figure a quiet project and a mirror that stopped syncing
//     look alike). A mirror's own age shows here: a mirror fetched today
//     whose newest commit is 219 days older than the forge's lags 219
//     days. While no new fetch succeeded the lag of the last one stands
//     (the previous derived.source_lag_days);
//   - derived.days_since_source_current: the two added, the days since the
//     copy was current with its upstream; SCJ-6 scores it.
func sourceHeld(facts map[string]models.Observation, fresh func(string) (models.Observation, string), mk func(string) models.Observation, now time.Time) heldFacts {
	r := heldFacts{fetch: mk(MetricSourceFetchDays), lag: mk(MetricSourceLagDays), current: mk(MetricSourceCurrentDays), held: -1}
	r.fetch.Unit, r.lag.Unit, r.current.Unit = "days", "days", "days"
	date := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	aged := func(o models.Observation) float64 { return *o.Value + now.Sub(o.ObservedAt).Hours()/24 }

	var copies []internalCopy
	var missing []string
	noCopy := ""
	if h, miss := fresh(MetricClonesSourceHeld); miss != "" || h.Value == nil {
		missing = append(missing, orNoValue(miss, MetricClonesSourceHeld))
	} else {
		c := internalCopy{what: "osgauge's clone"}
		if *h.Value < 1 {
			c.failed = h.Evidence
		}
		a, amiss := fresh(MetricClonesSourceAge)
		switch {
		case amiss == "" && a.Value != nil:
			c.days = aged(a)
			c.ev = fmt.Sprintf("%s = %g observed %s + %s since: %s", MetricClonesSourceAge, *a.Value, date(a.ObservedAt), daysText(now.Sub(a.ObservedAt)), a.Evidence)
			copies = append(copies, c)
		case *h.Value >= 1: // fetched in that collection
			c.days = now.Sub(h.ObservedAt).Hours() / 24
			c.ev = fmt.Sprintf("%s = 1 observed %s, %s since (%s): %s", MetricClonesSourceHeld, date(h.ObservedAt), daysText(now.Sub(h.ObservedAt)), amiss, h.Evidence)
			copies = append(copies, c)
		default:
			noCopy = fmt.Sprintf("osgauge's clone was never fetched successfully (%s = 0: %s; %s)", MetricClonesSourceHeld, h.Evidence, amiss)
		}
	}
	if g, miss := fresh(metricCloneAgeDays); miss == "" && g.Value != nil {
		copies = append(copies, internalCopy{what: "the clone gitlocal read", days: aged(g),
			ev: fmt.Sprintf("%s = %g observed %s + %s since: %s", metricCloneAgeDays, *g.Value, date(g.ObservedAt), daysText(now.Sub(g.ObservedAt)), g.Evidence)})
	} else {
		missing = append(missing, orNoValue(miss, metricCloneAgeDays))
	}
	if noCopy != "" {
		missing = append([]string{noCopy}, missing...)
	}
	if len(copies) == 0 {
		r.why = "no internal copy measured (" + strings.Join(missing, "; ") + ")"
		if noCopy != "" {
			r.held, r.why = 0, "no internal copy: "+strings.Join(missing, "; ")
		}
		r.fetch.Reason, r.lag.Reason, r.current.Reason = r.why, r.why, r.why
		return r
	}
	// The fresher copy decides (osgauge's clone on a tie).
	c := copies[0]
	for _, o := range copies[1:] {
		if o.days < c.days {
			c = o
		}
	}
	fetchDays := round2(c.days)
	r.fetch.Value = models.Num(fetchDays)
	r.fetch.Evidence = c.what + ": " + c.ev
	if len(copies) == 2 {
		other := copies[0]
		if other.what == c.what {
			other = copies[1]
		}
		r.fetch.Evidence += fmt.Sprintf(" (the fresher copy; %s: %.2f days)", other.what, other.days)
	}
	if c.failed != "" {
		r.fetch.Evidence = "the latest fetch failed, days since the last successful one: " + r.fetch.Evidence
	}
	fetchedAt := now.Add(-days(c.days))

	// The lag of what that fetch served behind the upstream.
	lagOK := false
	if g, miss := fresh("gitlocal.days_since_last_commit"); miss == "" && g.Value != nil {
		served := g.ObservedAt.Add(-days(*g.Value))
		ref, refWhy := fetchedAt, ""
		if f, fmiss := fresh("forge.months_since_last_person_commit"); fmiss == "" && f.Value != nil {
			up := f.ObservedAt.Add(-days(*f.Value * daysPerMonth))
			if up.Before(fetchedAt) {
				ref, refWhy = up, fmt.Sprintf("the upstream's newest commit by a person %s (forge.months_since_last_person_commit = %g observed %s: %s)", date(up), *f.Value, date(f.ObservedAt), f.Evidence)
			} else {
				refWhy = fmt.Sprintf("at most: the fetch %s (the upstream's newest commit by a person, %s, came after it)", date(fetchedAt), date(up))
			}
		} else {
			refWhy = fmt.Sprintf("at most: the fetch %s (no forge figure to compare, %s: a quiet project and a mirror that stopped syncing look alike)", date(fetchedAt), orNoValue(fmiss, "forge.months_since_last_person_commit"))
		}
		lag := round2(math.Max(0, ref.Sub(served).Hours()/24))
		lagOK = true
		r.lag.Value = models.Num(lag)
		r.lag.Evidence = fmt.Sprintf("the copy's newest commit by a person %s (gitlocal.days_since_last_commit = %g observed %s: %s) against %s", date(served), *g.Value, date(g.ObservedAt), g.Evidence, refWhy)
	} else if p, pmiss := fresh(MetricSourceLagDays); (c.failed != "" || c.days > SourceHeldMaxDays) && pmiss == "" && p.Value != nil {
		// No new fetch since (it failed, or the copy is stale and gitlocal
		// reads no activity from it): the lag of the last one stands.
		lagOK = true
		r.lag.Value = models.Num(*p.Value)
		r.lag.Evidence = fmt.Sprintf("as derived %s, no fetch succeeded since: %s", date(p.ObservedAt), p.Evidence)
	} else {
		r.lag.Reason = "the copy's newest commit is not known (" + orNoValue(miss, "gitlocal.days_since_last_commit") + ")"
	}

	copyWhat := c.what
	if c.failed != "" {
		copyWhat += " (its latest fetch failed: " + c.failed + ")"
	}
	if !lagOK {
		r.current.Reason = fmt.Sprintf("%.2f days since the last successful fetch, and a lag behind the upstream not known: %s", fetchDays, r.lag.Reason)
		r.why = fmt.Sprintf("%s was fetched %.0f days ago; its lag behind the upstream is not known", copyWhat, fetchDays)
		if fetchDays > SourceHeldMaxDays {
			r.held, r.why = 0, fmt.Sprintf("%s was fetched %.0f days ago, more than %d", copyWhat, fetchDays, SourceHeldMaxDays)
		}
		return r
	}
	cur := round2(fetchDays + *r.lag.Value)
	r.current.Value = models.Num(cur)
	r.current.Evidence = fmt.Sprintf("%.2f days since the last successful fetch + %.2f days behind the upstream at that fetch", fetchDays, *r.lag.Value)
	r.held, r.why = 0, fmt.Sprintf("%s was current with its upstream %.0f days ago, more than %d (%s)", copyWhat, cur, SourceHeldMaxDays, r.current.Evidence)
	if cur <= SourceHeldMaxDays {
		r.held, r.why = 1, fmt.Sprintf("%s was current with its upstream %.0f days ago, within %d (%s; %s)", copyWhat, cur, SourceHeldMaxDays, r.current.Evidence, r.fetch.Evidence)
	}
	return r
}

// orNoValue is why a metric gave no number: fresh's reason, else that it
// has none.
func orNoValue(miss, metric string) string {
	if miss != "" {
		return miss
	}
	return metric + ": no value"
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
// that is not a grade of the supplier model is an error naming the file,
// the line and the key (config.CheckContinuity, which the CLI runs as soon
// as the models are loaded, before collecting).
func DeriveContinuity(ctx context.Context, st *store.Store, cfg *config.Config, set models.Set, now time.Time) (int, error) {
	pol := ContinuityPolicyOf(cfg)
	phi := set["project-health"]
	var sei *models.Model
	if ms := set.For(models.KindSupplier); len(ms) > 0 {
		sei = ms[0]
	}
	if cfg != nil {
		if err := cfg.CheckContinuity(set); err != nil {
			return 0, err
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
					st.Jurisdiction = strings.TrimSpace(s.Jurisdiction)
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
