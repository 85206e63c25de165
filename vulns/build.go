package vulns

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
)

// Load reads the SBOM history, the matches and the KEV list from the store
// and the analyses from the ledger (nil: none), and builds the findings as
// of now.
func Load(ctx context.Context, st *store.Store, l *ledger.Ledger, d Deadlines, now time.Time) ([]Finding, error) {
	in := Input{Deadlines: d, Now: now, Components: map[string]store.InvComponent{}}
	var err error
	if in.Snapshots, err = st.Snapshots(ctx); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	if in.Keys, err = st.SnapshotKeys(ctx); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	comps, err := st.Components(ctx)
	if err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	for _, c := range comps {
		in.Components[c.Key] = c
	}
	if in.Matches, in.Checked, err = st.Matches(ctx); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	if in.KEV, err = st.KEV(ctx); err != nil {
		return nil, fmt.Errorf("findings: %w", err)
	}
	if l != nil {
		in.Analyses = l.Analyses
	}
	return Build(in), nil
}

// PackageOf is the package a component is known by across its versions:
// its package URL without version (canonical), else its name.
func PackageOf(c store.InvComponent) string {
	for _, s := range []string{c.PURL, c.Key} {
		if p, ok := sbom.ParsePURL(s); ok && p.Type != "" && p.Name != "" {
			return p.Package()
		}
	}
	if c.Name != "" {
		return c.Name
	}
	k := c.Key
	if i := strings.LastIndexByte(k, '@'); i > 0 {
		k = k[:i]
	}
	return k
}

// pkg is PackageOf the component of key, read once per key.
func (in *Input) pkg(key string) string {
	if p, ok := in.pkgs[key]; ok {
		return p
	}
	if in.pkgs == nil {
		in.pkgs = map[string]string{}
	}
	c, ok := in.Components[key]
	if !ok {
		c = store.InvComponent{Key: key}
	}
	p := PackageOf(c)
	in.pkgs[key] = p
	return p
}

// versions are the versions of each package a snapshot holds, sorted
// (read once per snapshot).
func (in *Input) versions(id int64) map[string][]string {
	if m, ok := in.snapVersions[id]; ok {
		return m
	}
	if in.snapVersions == nil {
		in.snapVersions = map[int64]map[string][]string{}
	}
	m := map[string][]string{}
	for _, k := range in.Keys[id] {
		c, ok := in.Components[k]
		if !ok {
			continue
		}
		p := in.pkg(k)
		if !slices.Contains(m[p], c.Version) {
			m[p] = append(m[p], c.Version)
		}
	}
	for _, vs := range m {
		sort.Strings(vs)
	}
	in.snapVersions[id] = m
	return m
}

// canonicalTarget is an analysis's target in the form of PackageOf.
func canonicalTarget(t string) string {
	if p, ok := sbom.ParsePURL(t); ok && p.Type != "" && p.Name != "" {
		return p.Package()
	}
	return ledger.CanonicalTarget(t)
}

var severityRank = map[string]int{"critical": 4, "high": 3, "medium": 2, "moderate": 2, "low": 1}

// SeverityRank orders severities: critical 4, high 3, medium 2, low 1,
// anything else 0.
func SeverityRank(s string) int { return severityRank[strings.ToLower(s)] }

// groups joins vulnerability ids that are aliases of one another (a CVE,
// its GHSA, its OSV ids) over every matched record.
type groups struct {
	parent map[string]string
}

func (g *groups) find(x string) string {
	if g.parent[x] == "" {
		g.parent[x] = x
	}
	for g.parent[x] != x {
		g.parent[x] = g.parent[g.parent[x]]
		x = g.parent[x]
	}
	return x
}

func (g *groups) union(a, b string) {
	ra, rb := g.find(a), g.find(b)
	if ra != rb {
		if rb < ra {
			ra, rb = rb, ra
		}
		g.parent[rb] = ra
	}
}

// vulnInfo is what is known about one group of aliases.
type vulnInfo struct {
	ids       []string // every id and alias, sorted
	primary   string   // the CVE when there is one
	severity  string
	published time.Time // the earliest publication
	kev       *store.KEVEntry
}

// presence is a snapshot's affected versions of a package for one group.
type presence struct {
	keys  []string
	fixed string
}

type findingKey struct{ system, pkg, group string }

// Build computes the findings (see the package documentation): pure, and
// sorted overdue first, then open, then by severity, KEV, due date and id.
func Build(in Input) []Finding {
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC()
	d := in.Deadlines
	if d == (Deadlines{}) {
		d = DefaultDeadlines()
	}

	// Alias groups over every matched record.
	g := &groups{parent: map[string]string{}}
	for _, cvs := range in.Matches {
		for _, cv := range cvs {
			g.find(cv.ID)
			for _, a := range cv.Aliases {
				g.union(cv.ID, a)
			}
		}
	}
	members := map[string][]string{}
	for id := range g.parent {
		r := g.find(id)
		members[r] = append(members[r], id)
	}
	infos := map[string]*vulnInfo{}
	info := func(root string) *vulnInfo {
		if vi := infos[root]; vi != nil {
			return vi
		}
		ids := slices.Clone(members[root])
		sort.Strings(ids)
		vi := &vulnInfo{ids: ids, primary: ids[0], severity: "unknown"}
		for _, id := range ids {
			if strings.HasPrefix(id, "CVE-") {
				vi.primary = id
				break
			}
		}
		for _, id := range ids {
			if e, ok := in.KEV[id]; ok && vi.kev == nil {
				e := e
				vi.kev = &e
			}
		}
		infos[root] = vi
		return vi
	}
	for _, cvs := range in.Matches {
		for _, cv := range cvs {
			vi := info(g.find(cv.ID))
			if SeverityRank(cv.Severity) > SeverityRank(vi.severity) {
				vi.severity = strings.ToLower(cv.Severity)
			}
			if p, ok := parseTime(cv.Published); ok && (vi.published.IsZero() || p.Before(vi.published)) {
				vi.published = p
			}
		}
	}

	// Each system's snapshots, in import order.
	bySystem := map[string][]store.Snapshot{}
	for _, sn := range in.Snapshots {
		bySystem[sn.System] = append(bySystem[sn.System], sn)
	}
	// Which (package, group) each snapshot holds affected, at which keys.
	var keys []findingKey
	seen := map[findingKey]bool{}
	held := map[int64]map[findingKey]*presence{}
	for sys, snaps := range bySystem {
		slices.SortStableFunc(snaps, func(a, b store.Snapshot) int {
			if c := a.ImportedAt.Compare(b.ImportedAt); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
		for _, sn := range snaps {
			m := map[findingKey]*presence{}
			for _, k := range in.Keys[sn.ID] {
				cvs := in.Matches[k]
				if len(cvs) == 0 {
					continue
				}
				pkg := in.pkg(k)
				for _, cv := range cvs {
					fk := findingKey{sys, pkg, g.find(cv.ID)}
					p := m[fk]
					if p == nil {
						p = &presence{}
						m[fk] = p
					}
					if !slices.Contains(p.keys, k) {
						p.keys = append(p.keys, k)
					}
					if cv.Fixed != "" && (p.fixed == "" || ledger.CompareVersions(cv.Fixed, p.fixed) > 0) {
						p.fixed = cv.Fixed
					}
				}
			}
			for fk, p := range m {
				sort.Strings(p.keys)
				if !seen[fk] {
					seen[fk] = true
					keys = append(keys, fk)
				}
			}
			held[sn.ID] = m
		}
	}

	// Analyses by package, each target read once.
	byTarget := map[string][]ledger.VulnAnalysis{}
	for _, a := range in.Analyses {
		t := canonicalTarget(a.Target)
		byTarget[t] = append(byTarget[t], a)
	}
	var out []Finding
	for _, fk := range keys {
		vi := info(fk.group)
		var as []ledger.VulnAnalysis
		for _, a := range byTarget[fk.pkg] {
			if (a.System == "" || a.System == fk.system) && slices.ContainsFunc(vi.ids, func(id string) bool { return strings.EqualFold(id, a.Vuln) }) {
				as = append(as, a)
			}
		}
		slices.SortStableFunc(as, func(a, b ledger.VulnAnalysis) int {
			if c := a.At.Compare(b.At); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		if f, ok := build(fk, vi, bySystem[fk.system], held, &in, as, d, now); ok {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		switch {
		case a.Overdue != b.Overdue:
			return boolFirst(a.Overdue)
		case a.Open != b.Open:
			return boolFirst(a.Open)
		}
		if c := cmp.Compare(SeverityRank(b.Severity), SeverityRank(a.Severity)); c != 0 {
			return c
		}
		if a.KEV != b.KEV {
			return boolFirst(a.KEV)
		}
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func boolFirst(a bool) int {
	if a {
		return -1
	}
	return 1
}

func rank(s step) int {
	if s.snap != nil {
		return 0
	}
	return 1
}

// step is one moment of a finding's timeline: a snapshot or an analysis.
type step struct {
	at        time.Time
	snap      *store.Snapshot
	pres      *presence // nil: the snapshot holds no affected version
	unchecked []string  // versions of the package in snap that OSV has not checked yet
	analysis  *ledger.VulnAnalysis
}

// unchecked are the versions of pkg that snapshot id holds and OSV has not
// checked yet (a key with a match is checked).
func (in *Input) unchecked(id int64, pkg string) []string {
	if in.Checked == nil {
		return nil
	}
	var vs []string
	for _, k := range in.Keys[id] {
		if in.Checked[k] || len(in.Matches[k]) > 0 || in.pkg(k) != pkg {
			continue
		}
		v := in.Components[k].Version
		if v == "" {
			v = k
		}
		if !slices.Contains(vs, v) {
			vs = append(vs, v)
		}
	}
	sort.Strings(vs)
	return vs
}

// build runs one finding's state machine over its system's snapshots and
// its analyses; ok is false when the finding never existed (every version
// gone before the vulnerability was published).
func build(fk findingKey, vi *vulnInfo, snaps []store.Snapshot, held map[int64]map[findingKey]*presence,
	in *Input, as []ledger.VulnAnalysis, d Deadlines, now time.Time) (Finding, bool) {
	comps := in.Components
	// otherVersions are the versions of the package a snapshot holds.
	otherVersions := func(id int64) []string { return in.versions(id)[fk.pkg] }
	var steps []step
	for i := range snaps {
		sn := &snaps[i]
		st := step{at: sn.ImportedAt.UTC(), snap: sn, pres: held[sn.ID][fk]}
		if st.pres == nil {
			st.unchecked = in.unchecked(sn.ID, fk.pkg)
		}
		// A snapshot taken before the vulnerability was published counts
		// from its publication (what was then known), as long as no later
		// snapshot came first.
		if st.pres != nil && !vi.published.IsZero() && st.at.Before(vi.published) {
			if i+1 < len(snaps) && !snaps[i+1].ImportedAt.After(vi.published) {
				continue // superseded before the vulnerability was known
			}
			st.at = vi.published
		} else if st.pres == nil && !vi.published.IsZero() && st.at.Before(vi.published) {
			continue
		}
		steps = append(steps, st)
	}
	for i := range as {
		steps = append(steps, step{at: as[i].At.UTC(), analysis: &as[i]})
	}
	slices.SortStableFunc(steps, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		// At one instant, the snapshot first.
		return cmp.Compare(rank(a), rank(b))
	})
	if !slices.ContainsFunc(steps, func(s step) bool { return s.pres != nil }) {
		return Finding{}, false
	}

	f := Finding{System: fk.system, Component: fk.pkg, Vuln: vi.primary, Severity: vi.severity, KEV: vi.kev != nil}
	for _, id := range vi.ids {
		if id != vi.primary {
			f.Aliases = append(f.Aliases, id)
		}
	}
	if vi.kev != nil {
		f.KEVDateAdded = vi.kev.DateAdded
	}
	var (
		open       bool      // an affected version is running
		everOpen   bool      // it was opened once
		cutoff     time.Time // analyses of the deployment before it (fixed, mitigated…) no longer apply
		applied    *ledger.VulnAnalysis
		versions   []string
		firstTouch bool // an analysis came in the current run
	)
	versionsOf := func(p *presence) []string {
		var vs []string
		for _, k := range p.keys {
			v := comps[k].Version
			if v == "" {
				if i := strings.LastIndexByte(k, '@'); i > 0 {
					v = k[i+1:]
				}
			}
			if !slices.Contains(vs, v) {
				vs = append(vs, v)
			}
		}
		sort.Strings(vs)
		return vs
	}
	// covers says whether analysis a's range holds every running version:
	// an analysis of one version says nothing of another that runs beside
	// it, so it applies only to all of them (the finding stays in triage
	// otherwise, and its history says why).
	covers := func(a *ledger.VulnAnalysis) bool {
		return len(versions) > 0 && !slices.ContainsFunc(versions, func(v string) bool { return !ledger.VersionMatches(a.Versions, v) })
	}
	// applicable is the latest analysis recorded by t that applies to the
	// running versions (deployment analyses only when made after cutoff).
	applicable := func(t time.Time) *ledger.VulnAnalysis {
		for i := len(as) - 1; i >= 0; i-- {
			a := &as[i]
			if a.At.After(t) {
				continue
			}
			if (a.State != NotAffected && a.State != FalsePositive) && a.At.Before(cutoff) {
				continue
			}
			if covers(a) {
				return a
			}
		}
		return nil
	}
	source := func(a *ledger.VulnAnalysis) string {
		if a.Source != "" {
			return SourceVEX
		}
		return SourceLedger
	}
	evidence := func(a *ledger.VulnAnalysis) string {
		if a.Source != "" {
			return a.Source + " (" + a.ID + ")"
		}
		return a.File + " (" + a.ID + ")"
	}
	snapName := func(sn *store.Snapshot) string { return fmt.Sprintf("snapshot #%d %s", sn.ID, sn.Path) }
	// apply puts the finding in the state of analysis a (nil: in_triage).
	apply := func(a *ledger.VulnAnalysis, at time.Time) {
		applied = a
		f.Justification, f.Response, f.Detail, f.MitigatedUntil, f.AnalysisVersions = "", "", "", "", ""
		if a == nil {
			f.State = InTriage
			return
		}
		f.State, f.Justification, f.Response, f.Detail, f.MitigatedUntil = a.State, a.Justification, a.Response, a.Detail, a.Until
		f.AnalysisVersions = a.Versions
		if f.AnalysisVersions == "" {
			f.AnalysisVersions = "*"
		}
		if a.State == Fixed {
			t := a.At.UTC()
			f.FixedAt = &t
			f.FixNotVerified = false
		} else {
			f.FixedAt = nil
			f.FixNotVerified = false
		}
		if !firstTouch {
			firstTouch = true
			if days := daysBetween(f.Since, at); days >= 0 {
				f.DaysToTriage = &days
			} else {
				zero := 0.0
				f.DaysToTriage = &zero
			}
		}
	}
	// expire turns a mitigation past its last day back into affected.
	expire := func(before time.Time) {
		if !open || applied == nil || f.State != Mitigated {
			return
		}
		end, ok := applied.UntilDate()
		if !ok {
			return
		}
		end = end.AddDate(0, 0, 1)
		if end.After(before) {
			return
		}
		f.State = Affected
		if n := len(f.History); n > 0 && f.History[n-1].At.After(end) {
			end = f.History[n-1].At // it ended before the event that applied it (a reopening)
		}
		f.History = append(f.History, Event{At: end, State: Affected, By: "osgauge", Source: SourceExpiry, Evidence: evidence(applied),
			Why: fmt.Sprintf("the mitigation (%s) ended on %s: affected again until fixed or mitigated anew", applied.Detail, applied.Until)})
	}

	for _, s := range steps {
		expire(s.at)
		switch {
		case s.analysis != nil:
			a := s.analysis
			ev := Event{At: a.At.UTC(), State: a.State, By: a.By, Why: a.Why, Justification: a.Justification, Source: source(a), Evidence: evidence(a)}
			if !open {
				if everOpen {
					ev.Why += fmt.Sprintf(" (recorded while no affected version runs: the finding stays %s)", f.State)
				}
				f.History = append(f.History, ev)
				continue
			}
			if !covers(a) {
				ev.Why += fmt.Sprintf(" (for versions %q; %s runs %s: does not apply, it must cover every version running)", a.Versions, fk.system, strings.Join(versions, ", "))
				f.History = append(f.History, ev)
				continue
			}
			apply(a, a.At.UTC())
			f.History = append(f.History, ev)
		case s.pres != nil:
			vs := versionsOf(s.pres)
			f.FixedIn = s.pres.fixed
			if c, ok := comps[s.pres.keys[0]]; ok {
				f.PURL = c.PURL
			}
			if !open {
				reopen := everOpen
				open, everOpen, versions = true, true, vs
				f.Since = s.at
				f.FixedAt, f.FixNotVerified, f.DaysToTriage, f.DaysToFix, f.DaysToVerify = nil, false, nil, nil, nil
				f.VerifiedAt, f.VerifiedBy, f.VerifiedSnapshot = nil, "", 0
				firstTouch = false
				if f.ID == "" {
					f.ID = fk.system + "/" + s.pres.keys[0] + "/" + vi.primary
				}
				why := fmt.Sprintf("%s holds %s %s, affected by %s", snapName(s.snap), fk.pkg, strings.Join(vs, ", "), vi.primary)
				if s.at.After(s.snap.ImportedAt.UTC()) {
					why += fmt.Sprintf(" (published %s, after the snapshot)", vi.published.Format(time.RFC3339))
				}
				if reopen {
					f.Reopened = true
					why = "reopened: " + why + ", after it was verified gone"
				}
				a := applicable(s.at)
				apply(a, s.at)
				if a != nil {
					why += fmt.Sprintf("; analysis %s applies (%s)", a.ID, a.State)
				}
				f.History = append(f.History, Event{At: s.at, State: f.State, By: "osgauge", Why: why, Justification: f.Justification, Source: SourceSBOM, Evidence: snapName(s.snap)})
				continue
			}
			// Still held: a version change, a fix not in.
			changed := !slices.Equal(vs, versions)
			prevVersions := versions
			versions = vs
			if changed {
				a := applicable(s.at)
				why := fmt.Sprintf("%s holds %s %s (was %s), still affected by %s", snapName(s.snap), fk.pkg, strings.Join(vs, ", "), strings.Join(prevVersions, ", "), vi.primary)
				if a != applied {
					apply(a, s.at)
					if a == nil {
						why += "; no analysis applies to this version: in triage"
					} else {
						why += fmt.Sprintf("; analysis %s applies (%s)", a.ID, a.State)
					}
				}
				f.History = append(f.History, Event{At: s.at, State: f.State, By: "osgauge", Why: why, Justification: f.Justification, Source: SourceSBOM, Evidence: snapName(s.snap)})
			}
			if f.State == Fixed && !f.FixNotVerified && f.FixedAt != nil && s.at.After(*f.FixedAt) {
				f.FixNotVerified = true
				f.History = append(f.History, Event{At: s.at, State: Fixed, By: "osgauge", Source: SourceRetest, Evidence: snapName(s.snap),
					Why: fmt.Sprintf("fix not verified: %s, imported after the fix was recorded, still holds %s %s", snapName(s.snap), fk.pkg, strings.Join(vs, ", "))})
			}
		case s.snap != nil:
			if !open {
				continue
			}
			if len(s.unchecked) > 0 {
				// No affected version known, but not every version has been
				// looked up: the re-test waits for the OSV check.
				f.History = append(f.History, Event{At: s.at, State: f.State, By: "osgauge", Source: SourceRetest, Evidence: snapName(s.snap),
					Why: fmt.Sprintf("re-test waits for the OSV check: %s holds %s %s, not yet checked against OSV; the finding stays %s", snapName(s.snap), fk.pkg, strings.Join(s.unchecked, ", "), f.State)})
				continue
			}
			// The re-test: no affected version any more.
			open = false
			before := f.State
			t := s.at
			f.VerifiedAt, f.VerifiedBy, f.VerifiedSnapshot = &t, snapName(s.snap), s.snap.ID
			if before != NotAffected && before != FalsePositive {
				days := daysBetween(f.Since, t)
				f.DaysToFix = &days
			}
			if f.FixedAt != nil {
				days := daysBetween(*f.FixedAt, t)
				f.DaysToVerify = &days
			}
			now := "removed"
			if vs := otherVersions(s.snap.ID); len(vs) > 0 {
				now = "now " + strings.Join(vs, ", ")
			}
			f.State, f.FixNotVerified = Verified, false
			f.History = append(f.History, Event{At: t, State: Verified, By: "osgauge", Source: SourceRetest, Evidence: snapName(s.snap),
				Why: fmt.Sprintf("re-test: %s no longer holds an affected version of %s (%s, was %s)", snapName(s.snap), fk.pkg, now, strings.Join(versions, ", "))})
			cutoff = t
			applied = nil
		}
	}
	expire(now)
	f.Version = strings.Join(versions, ", ")
	f.Open = open && (f.State == InTriage || f.State == Affected || (f.State == Fixed && f.FixNotVerified))
	f.Due = due(f, vi, d)
	f.Overdue = f.Open && now.After(f.Due)
	return f, true
}

// due is the finding's deadline: the end (UTC) of the due day, the day of
// since + the days for its severity; for a known-exploited vulnerability,
// the day of the later of since and the day CISA added it + the KEV days,
// when that is earlier. The whole due day is in time: the finding is
// overdue from the next day's 00:00 UTC (as ledger.Exit.Overdue).
func due(f Finding, vi *vulnInfo, d Deadlines) time.Time {
	since := f.Since.UTC()
	day := time.Date(since.Year(), since.Month(), since.Day(), 0, 0, 0, 0, time.UTC)
	t := day.AddDate(0, 0, d.Days(f.Severity))
	if vi.kev != nil {
		start := day
		if added, err := time.Parse("2006-01-02", vi.kev.DateAdded); err == nil && added.After(start) {
			start = added
		}
		if k := start.AddDate(0, 0, d.KEV); k.Before(t) {
			t = k
		}
	}
	return EndOfDay(t)
}

// EndOfDay is the last instant of t's day, UTC: a due date's whole day is
// in time, and now.After(EndOfDay(d)) from the next day's 00:00 UTC.
func EndOfDay(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1).Add(-time.Nanosecond)
}

func daysBetween(a, b time.Time) float64 {
	return float64(b.Sub(a)) / float64(24*time.Hour)
}

func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
