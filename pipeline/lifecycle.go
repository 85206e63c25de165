package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// The lifecycle section of the report (issue 23): every component the
// systems' current SBOMs list, checked against the ledger (approved,
// conditional, rejected, exit, unapproved), the exit list with the
// systems that still run each entry and the progress since the previous
// period, and the components whose gated project makes them exit
// candidates. It computes states and counts from the store and the
// ledger; it scores nothing.

// LifecycleOptions say what the lifecycle section is judged against.
type LifecycleOptions struct {
	// Ledger is the ledger to use; when nil, LedgerDir is loaded (a
	// missing folder is an empty ledger, a broken one an error naming the
	// file and line).
	Ledger    *ledger.Ledger
	LedgerDir string
	// IntakeRequired is lifecycle.intake_required: direct (the default),
	// all or none.
	IntakeRequired string
	// Now judges the exits' deadlines and the decisions' review dates.
	Now time.Time
}

// Intake scopes of lifecycle.intake_required (as config and policy spell
// them).
const (
	intakeDirect = "direct"
	intakeAll    = "all"
	intakeNone   = "none"
)

// notThirdParty are the SBOM scopes that are not third-party use in the
// delivered system: the system's own modules, what only tests, builds and
// development use, and what the SBOM excludes. They need no intake and
// are left out of the lifecycle's counts.
var notThirdParty = []string{sbom.ScopeOwn, sbom.ScopeTest, sbom.ScopeBuild, sbom.ScopeDev, sbom.ScopeExcluded}

// ThirdPartyUse reports whether a reference of this SBOM scope is
// third-party use that the lifecycle counts.
func ThirdPartyUse(scope string) bool { return !slices.Contains(notThirdParty, scope) }

// exitGates are the project gates that make a component an exit
// candidate, with the exit reason each proposes (most urgent first).
var exitGates = []struct{ id, reason string }{
	{"G-KEV", ledger.ReasonSecurity},
	{"G-SOURCE-AVAILABLE", ledger.ReasonLicence},
	{"G-RELICENSED-SOURCE-AVAILABLE", ledger.ReasonLicence},
	{"G-UNMAINTAINED", ledger.ReasonUnmaintained},
	{"G-ARCHIVED", ledger.ReasonUnmaintained},
}

// BuildLifecycle assembles the report's lifecycle section from the
// store's current inventory, the ledger and the report's results (rep
// gives the period, for the exits' progress, and the projects' gates, for
// the exit candidates; it may be nil). It returns nil when there is
// neither an SBOM nor a ledger record.
func BuildLifecycle(ctx context.Context, st *store.Store, rep *reports.Report, opt LifecycleOptions) (*reports.Lifecycle, error) {
	l := opt.Ledger
	if l == nil {
		var err error
		if l, err = ledger.Load(opt.LedgerDir); err != nil {
			return nil, err
		}
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	pending := AwaitingConfirmation(l, now)
	if len(rows) == 0 && len(l.Decisions) == 0 && len(l.Exits) == 0 && len(pending) == 0 {
		return nil, nil
	}
	lc := checkLifecycle(rows, l, opt.IntakeRequired, now)
	lc.AwaitingConfirmation = pending
	lc.Ledger = l.Dir
	if err := exitProgress(ctx, st, lc, l, rows, rep, now); err != nil {
		return nil, err
	}
	if rep != nil {
		lc.ExitCandidates = exitCandidates(l, rows, rep)
	}
	return lc, nil
}

// AwaitingConfirmation are the proposals of l (maker-checker) awaiting a
// second person as of now, oldest first: proposed by then and neither
// confirmed nor rejected by then (one reviewed later was still waiting).
// An exit cancellation's subject is its exit's target when the exit is
// known, else the exit's id.
func AwaitingConfirmation(l *ledger.Ledger, now time.Time) []reports.LcPending {
	out := []reports.LcPending{}
	for _, p := range l.Proposals { // oldest first
		if p.At.After(now) || (p.State != ledger.ProposalProposed && !p.ReviewedAt.After(now)) {
			continue
		}
		target, versions := p.Target()
		x := reports.LcPending{ID: p.ID, Kind: p.Policy, Subject: target, Versions: versions, By: p.By, At: p.At.UTC()}
		switch {
		case p.Decision != nil:
			x.Action, x.Why = p.Decision.Decision, p.Decision.Why
		case len(p.Analyses) > 0:
			a := p.Analyses[0]
			x.Action, x.Why = a.State, a.Why
			var ids []string
			for _, a := range p.Analyses {
				if !slices.Contains(ids, a.Vuln) {
					ids = append(ids, a.Vuln)
				}
			}
			x.Detail = strings.Join(ids, ", ")
			if a.Justification != "" {
				x.Detail += " (" + a.Justification + ")"
			}
		case p.ExitCancel != nil:
			x.Action, x.Why, x.Detail = reports.PendingCancelExit, p.ExitCancel.Why, p.ExitCancel.Exit
			for _, e := range l.Exits {
				if e.ID == p.ExitCancel.Exit {
					x.Subject, x.Versions = e.Target, e.Versions
				}
			}
		case p.Waiver != nil:
			w := p.Waiver
			x.Action, x.Why = reports.PendingWaive, w.Why
			x.Detail = w.Gate
			if len(w.Accepts) > 0 {
				x.Detail += ": " + strings.Join(w.Accepts, ", ")
			}
			x.Detail += " (" + w.Accepted + " – " + w.Expires + ")"
		}
		out = append(out, x)
	}
	return out
}

// lcComp gathers one component's third-party references.
type lcComp struct {
	name, version, purl string
	targets             []string
	state, id           string
	need                bool
	systems, needIn     []string
}

// LifecycleTargets are the ledger targets a component is known by, the
// first its canonical name: the package URL without version, then its
// project and repository (host/owner/name). A decision or exit on any of
// them applies.
func LifecycleTargets(r store.InventoryRow) []string {
	var out []string
	add := func(t string) {
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, s := range []string{r.PURL, r.Key} {
		if p, ok := sbom.ParsePURL(s); ok && p.Type != "" && p.Name != "" {
			add(p.Package())
			break
		}
	}
	add(ledger.CanonicalTarget(r.ProjectID))
	add(ledger.CanonicalTarget(r.Repo))
	if len(out) == 0 {
		add(r.Name)
	}
	return out
}

// LifecycleState is the ledger's state of a component version known by
// targets (its package URL, project and repository): exit when an exit
// entry matches any of them, else the latest decision over all of them (a
// rejection recorded on the repository after an approval on the package
// URL rejects), else unapproved. id is the exit's or the decision's id.
func LifecycleState(l *ledger.Ledger, targets []string, version string) (state, id string) {
	for _, t := range targets {
		if e, ok := l.Exit(t, version); ok {
			return ledger.StateExit, e.ID
		}
	}
	var latest ledger.Decision
	found := false
	for _, t := range targets {
		d, ok := l.Decision(t, version)
		if !ok {
			continue
		}
		if !found || d.At.After(latest.At) || (d.At.Equal(latest.At) && d.ID > latest.ID) {
			latest, found = d, true
		}
	}
	if found {
		return latest.Decision, latest.ID
	}
	return ledger.StateUnapproved, ""
}

// NeedsIntake says whether one system's use of a component needs its own
// intake decision under intake_required: every direct use (and a use
// whose depth the SBOM does not state, read conservatively as direct, as
// check does) unless none; transitive ones only under all.
func NeedsIntake(required, relation string) bool {
	switch required {
	case intakeNone:
		return false
	case intakeAll:
		return true
	}
	return relation != sbom.Transitive
}

// checkLifecycle judges the current references against the ledger.
func checkLifecycle(rows []store.InventoryRow, l *ledger.Ledger, required string, now time.Time) *reports.Lifecycle {
	if required == "" {
		required = intakeDirect
	}
	lc := &reports.Lifecycle{IntakeRequired: required, AsOf: now.UTC(), Decisions: []reports.LcDecision{}, UnapprovedInUse: []reports.LcUnapproved{},
		UnapprovedBySystem: []reports.LcSystemCount{}, Exits: []reports.LcExit{}, ExitCandidates: []reports.LcCandidate{},
		IntakeAssessments: []reports.LcAssessment{}, Components: []reports.LcComponent{}, AwaitingConfirmation: []reports.LcPending{}}
	comps := map[string]*lcComp{}
	var order []string
	left := map[string]bool{} // components with no third-party reference
	sysComps := map[string]map[string]bool{}
	for _, r := range rows {
		if _, ok := sysComps[r.System]; !ok {
			sysComps[r.System] = map[string]bool{}
		}
		if !ThirdPartyUse(r.Scope) {
			if comps[r.Key] == nil {
				left[r.Key] = true
			}
			continue
		}
		delete(left, r.Key)
		sysComps[r.System][r.Key] = true
		c := comps[r.Key]
		if c == nil {
			c = &lcComp{name: sbom.DisplayName(r.Ecosystem, r.Namespace, r.Name), version: r.Version, purl: r.PURL, targets: LifecycleTargets(r)}
			c.state, c.id = LifecycleState(l, c.targets, r.Version)
			comps[r.Key] = c
			order = append(order, r.Key)
		}
		if !slices.Contains(c.systems, r.System) {
			c.systems = append(c.systems, r.System)
		}
		if NeedsIntake(required, r.Relation) {
			c.need = true
			if !slices.Contains(c.needIn, r.System) {
				c.needIn = append(c.needIn, r.System)
			}
		}
	}
	n := &lc.InUse
	n.NotThirdParty = len(left)
	inUse := map[string]int{} // decision id → components it decides
	unapprovedIn := map[string]int{}
	for _, k := range order {
		c := comps[k]
		n.Total++
		intake := reports.IntakeRequiredHere
		switch {
		case c.need:
			n.NeedIntake++
			if c.state != ledger.StateUnapproved {
				n.Decided++
			}
		case required == intakeNone:
			intake = reports.IntakeNotRequired
		default:
			intake = reports.IntakeTransitive
		}
		switch c.state {
		case ledger.StateApproved:
			n.Approved++
		case ledger.StateConditional:
			n.Conditional++
		case ledger.StateRejected:
			n.Rejected++
		case ledger.StateExit:
			n.Exit++
		default:
			switch intake {
			case reports.IntakeRequiredHere:
				n.Unapproved++
				lc.UnapprovedInUse = append(lc.UnapprovedInUse, reports.LcUnapproved{Component: c.name, Version: c.version, PURL: c.purl,
					Target: c.targets[0], Systems: c.needIn})
				for _, s := range c.needIn {
					unapprovedIn[s]++
				}
			case reports.IntakeTransitive:
				n.TransitiveNoIntake++
			default:
				n.IntakeNotRequired++
			}
		}
		if c.id != "" {
			inUse[c.id]++
		}
		lc.Components = append(lc.Components, reports.LcComponent{Component: c.name, Version: c.version, PURL: c.purl, Target: c.targets[0],
			State: c.state, Intake: intake, Decision: c.id, Systems: c.systems})
	}
	slices.SortStableFunc(lc.UnapprovedInUse, func(a, b reports.LcUnapproved) int {
		return cmp.Or(cmp.Compare(len(b.Systems), len(a.Systems)), cmp.Compare(a.Component, b.Component), cmp.Compare(a.Version, b.Version))
	})
	rank := map[string]int{ledger.StateRejected: 0, ledger.StateExit: 1, ledger.StateUnapproved: 2, ledger.StateConditional: 3, ledger.StateApproved: 4}
	slices.SortStableFunc(lc.Components, func(a, b reports.LcComponent) int {
		return cmp.Or(cmp.Compare(rank[a.State], rank[b.State]), cmp.Compare(a.Component, b.Component), cmp.Compare(a.Version, b.Version))
	})
	for _, s := range slices.Sorted(maps.Keys(sysComps)) {
		lc.UnapprovedBySystem = append(lc.UnapprovedBySystem, reports.LcSystemCount{System: s, Unapproved: unapprovedIn[s], Components: len(sysComps[s])})
	}
	slices.SortStableFunc(lc.UnapprovedBySystem, func(a, b reports.LcSystemCount) int {
		return cmp.Or(cmp.Compare(b.Unapproved, a.Unapproved), cmp.Compare(a.System, b.System))
	})
	sup := l.Superseded()
	for _, d := range l.Decisions {
		ld := reports.LcDecision{ID: d.ID, Target: d.Target, Versions: d.Versions, Decision: d.Decision, By: d.By, Why: d.Why,
			Conditions: d.Conditions, ReviewBy: d.ReviewBy, System: d.System, Department: d.Department, Owner: d.Owner, At: d.At.UTC(),
			Supersedes: d.Supersedes, Status: store.LedgerCurrent, InUse: inUse[d.ID], File: d.File}
		if by, ok := sup[d.ID]; ok {
			ld.Status, ld.SupersededBy = store.LedgerSuperseded, by
		} else {
			ld.ReviewDue = d.ReviewBy != "" && d.ReviewDue(now)
			if d.Assessment != nil {
				if b, err := json.Marshal(d.Assessment); err == nil {
					lc.IntakeAssessments = append(lc.IntakeAssessments, reports.LcAssessment{Decision: d.ID, Target: d.Target,
						Versions: d.Versions, State: d.Decision, Assessment: b})
				}
			}
		}
		lc.Decisions = append(lc.Decisions, ld)
	}
	for _, e := range l.ExitList(now) {
		x := reports.LcExit{ID: e.ID, Component: e.Target, Versions: e.Versions, Reason: e.Reason, Replacement: e.Replacement,
			Deadline: e.Deadline, Owner: e.Owner, By: e.By, Why: e.Why, Systems: exitSystems(e, rows)}
		x.SystemsRemaining = countSystems(x.Systems)
		x.Overdue = x.SystemsRemaining > 0 && e.Overdue(now)
		if x.Overdue {
			n.OverdueExits++
		}
		lc.Exits = append(lc.Exits, x)
	}
	return lc
}

// exitMatches reports whether a reference is third-party use of a
// version the exit covers.
func exitMatches(e ledger.Exit, r store.InventoryRow) bool {
	if !ThirdPartyUse(r.Scope) || !ledger.VersionMatches(e.Versions, r.Version) {
		return false
	}
	want := ledger.CanonicalTarget(e.Target)
	return slices.ContainsFunc(LifecycleTargets(r), func(t string) bool { return ledger.CanonicalTarget(t) == want })
}

// exitSystems lists the systems whose references run the exit's
// component, by system and version.
func exitSystems(e ledger.Exit, rows []store.InventoryRow) []reports.LcExitSystem {
	out := []reports.LcExitSystem{}
	for _, r := range rows {
		if !exitMatches(e, r) {
			continue
		}
		rel := r.Relation
		if rel == "" {
			rel = sbom.Unknown
		}
		s := reports.LcExitSystem{System: r.System, Version: r.Version, Relation: rel}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b reports.LcExitSystem) int {
		return cmp.Or(cmp.Compare(a.System, b.System), cmp.Compare(a.Version, b.Version))
	})
	return out
}

func countSystems(ss []reports.LcExitSystem) int {
	seen := map[string]bool{}
	for _, s := range ss {
		seen[s.System] = true
	}
	return len(seen)
}

// exitProgress sets each exit's systems remaining at the previous period's
// end: the start of the report's period, as the SBOMs current then (the
// latest snapshot of each system imported before it) show it.
func exitProgress(ctx context.Context, st *store.Store, lc *reports.Lifecycle, l *ledger.Ledger, rows []store.InventoryRow, rep *reports.Report, now time.Time) error {
	if rep == nil || len(lc.Exits) == 0 {
		return nil
	}
	p, err := assess.ParsePeriod(rep.Period)
	if err != nil {
		return nil // a period osgauge cannot date: no progress shown
	}
	lc.PreviousAsOf = p.Start
	if pp, err := assess.ParsePeriod(rep.PreviousPeriod); err == nil && pp.End.Equal(p.Start) {
		lc.PreviousPeriod = pp.Name
	}
	then, ok, err := RowsAt(ctx, st, p.Start)
	if err != nil || !ok {
		return err
	}
	byID := map[string]ledger.Exit{}
	for _, e := range l.Exits {
		byID[e.ID] = e
	}
	for i := range lc.Exits {
		e := byID[lc.Exits[i].ID]
		n := countSystems(exitSystems(e, then))
		lc.Exits[i].SystemsRemainingPrevious = &n
	}
	return nil
}

// RowsAt returns the references of the snapshots current at t: each
// system's latest snapshot imported before t. ok is false when no
// snapshot was imported by then.
func RowsAt(ctx context.Context, st *store.Store, t time.Time) ([]store.InventoryRow, bool, error) {
	snaps, err := st.Snapshots(ctx)
	if err != nil {
		return nil, false, err
	}
	latest := map[string]int64{}
	for _, s := range snaps {
		if s.ImportedAt.Before(t) && s.ID > latest[s.System] {
			latest[s.System] = s.ID
		}
	}
	if len(latest) == 0 {
		return nil, false, nil
	}
	var out []store.InventoryRow
	for _, sys := range slices.Sorted(maps.Keys(latest)) {
		rs, err := st.SnapshotInventory(ctx, latest[sys])
		if err != nil {
			return nil, false, err
		}
		out = append(out, rs...)
	}
	return out, true, nil
}

// exitCandidates proposes the components in use, not on the exit list,
// whose project's results carry an exit gate (fired, not waived).
func exitCandidates(l *ledger.Ledger, rows []store.InventoryRow, rep *reports.Report) []reports.LcCandidate {
	gated := map[string][]string{}
	for _, s := range rep.OfKind(models.KindProject) {
		for _, res := range s.Results {
			for _, g := range res.Gates {
				if g.Waived == "" && slices.ContainsFunc(exitGates, func(x struct{ id, reason string }) bool { return x.id == g.ID }) &&
					!slices.Contains(gated[s.ID], g.ID) {
					gated[s.ID] = append(gated[s.ID], g.ID)
				}
			}
		}
	}
	out := []reports.LcCandidate{}
	if len(gated) == 0 {
		return out
	}
	idx := map[string]int{}
	for _, r := range rows {
		gs := gated[r.ProjectID]
		if len(gs) == 0 || !ThirdPartyUse(r.Scope) {
			continue
		}
		name := sbom.DisplayName(r.Ecosystem, r.Namespace, r.Name)
		if st, _ := LifecycleState(l, LifecycleTargets(r), r.Version); st == ledger.StateExit {
			continue
		}
		if i, ok := idx[r.Key]; ok {
			if !slices.Contains(out[i].Systems, r.System) {
				out[i].Systems = append(out[i].Systems, r.System)
			}
			continue
		}
		reason := ""
		for _, x := range exitGates {
			if slices.Contains(gs, x.id) {
				reason = x.reason
				break
			}
		}
		idx[r.Key] = len(out)
		out = append(out, reports.LcCandidate{Component: name, Version: r.Version, PURL: r.PURL, Target: LifecycleTargets(r)[0],
			Project: r.ProjectID, Gates: gs, Reason: reason, Systems: []string{r.System}})
	}
	slices.SortStableFunc(out, func(a, b reports.LcCandidate) int {
		return cmp.Or(cmp.Compare(len(b.Systems), len(a.Systems)), cmp.Compare(a.Component, b.Component), cmp.Compare(a.Version, b.Version))
	})
	return out
}

// LifecycleSummary is a one-line account of the lifecycle counts, for the
// terminal.
func LifecycleSummary(lc *reports.Lifecycle) string {
	n := lc.InUse
	s := fmt.Sprintf("%d components in third-party use: %d approved, %d conditional, %d rejected, %d on the exit list, %d used without intake",
		n.Total, n.Approved, n.Conditional, n.Rejected, n.Exit, n.Unapproved)
	switch {
	case n.TransitiveNoIntake > 0:
		s += fmt.Sprintf(", %d transitive (no intake needed under intake_required: %s)", n.TransitiveNoIntake, lc.IntakeRequired)
	case n.IntakeNotRequired > 0:
		s += fmt.Sprintf(", %d without decision (intake_required: none)", n.IntakeNotRequired)
	}
	if n.OverdueExits > 0 {
		s += fmt.Sprintf("; %d exits overdue", n.OverdueExits)
	}
	return s
}
