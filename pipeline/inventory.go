package pipeline

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// InventoryOptions say what the supply-chain section is judged against.
type InventoryOptions struct {
	Policy licenses.Policy
	// DefaultSystemLicence judges the systems that give no licence
	// (license_policy.default_system_licence; proprietary when empty).
	DefaultSystemLicence string
	// Declared are the subject ids of the projects the config lists, for
	// the undercount (components discovered against projects declared).
	Declared []string
	// Subjects are the subject ids the report holds: a component links to
	// its project only when the project is in the report.
	Subjects map[string]bool
	// LedgerDir is the ledger whose vulnerability analyses take a match
	// analysed not_affected or false_positive in every system that runs
	// the component out of its counts (counted as NotAffected instead;
	// issue 24). "": none.
	LedgerDir string
	// Ledger, when set, is the ledger already loaded (LedgerDir is then
	// not read again).
	Ledger *ledger.Ledger
}

// BuildInventory assembles the supply chain from the store: every
// system's latest SBOM, each component judged (licence class, OSADL
// compatibility with each system's licence, policy for each system's use)
// and its known vulnerabilities. It returns nil when no SBOM was imported.
func BuildInventory(ctx context.Context, st *store.Store, opt InventoryOptions) (*reports.Inventory, error) {
	snaps, err := st.CurrentSnapshots(ctx)
	if err != nil || len(snaps) == 0 {
		return nil, err
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil {
		return nil, err
	}
	matches, checked, err := st.Matches(ctx)
	if err != nil {
		return nil, err
	}
	kev, err := st.KEV(ctx)
	if err != nil {
		return nil, err
	}
	if opt.Policy == nil {
		opt.Policy = licenses.DefaultPolicy()
	}
	judge := sbom.NewJudger(opt.Policy, opt.DefaultSystemLicence)
	failed, err := st.FailedImports(ctx)
	if err != nil {
		return nil, err
	}
	before, err := previousLicences(ctx, st)
	if err != nil {
		return nil, err
	}
	inv := &reports.Inventory{Totals: reports.InvTotals{ByClass: map[string]int{}, ByCompatibility: map[string]int{},
		ByPolicy: map[string]int{}, Vulnerable: map[string]int{}, DeclaredProjects: len(opt.Declared)}}
	sys := map[string]*reports.InvSystem{}
	for _, s := range snaps {
		is := reports.InvSystem{Name: s.System, Licence: s.SystemLicense, LicenceSource: s.LicenseSource,
			Use: s.Use, Format: s.Format, Components: s.Components, Imported: s.ImportedAt.UTC()}
		if is.Licence == "" {
			is.Licence, is.LicenceSource = judge.DefaultLicence(), "default"
		}
		if f, ok := failed[s.System]; ok {
			at := f.FailedAt.UTC()
			is.Stale, is.ImportError, is.ImportFailedAt = true, f.Error, &at
			inv.Totals.StaleSystems++
		}
		inv.Systems = append(inv.Systems, is)
	}
	// A system whose first import failed has no snapshot: it is listed,
	// stale, with the error, so that no report hides it.
	for _, name := range slices.Sorted(maps.Keys(failed)) {
		if slices.ContainsFunc(snaps, func(s store.Snapshot) bool { return s.System == name }) {
			continue
		}
		f := failed[name]
		at := f.FailedAt.UTC()
		inv.Systems = append(inv.Systems, reports.InvSystem{Name: name, Format: "-", Stale: true, ImportError: f.Error, ImportFailedAt: &at})
		inv.Totals.StaleSystems++
	}
	for i := range inv.Systems {
		sys[inv.Systems[i].Name] = &inv.Systems[i]
	}
	byKey := map[string]*reports.InvComponent{}
	var order []string
	anyCompat := false
	for _, r := range rows {
		u := judge.Judge(r)
		inv.Totals.References++
		if s := sys[r.System]; s != nil {
			switch r.Relation {
			case sbom.Direct:
				s.Direct++
			case sbom.Transitive:
				s.Transitive++
			default:
				s.NotStated++
			}
		}
		c := byKey[r.Key]
		if c == nil {
			c = &reports.InvComponent{Name: r.Name, Version: r.Version, PURL: r.PURL, Ecosystem: r.Ecosystem, Licence: r.DeclaredLicence(),
				LicenceClass: u.Class, Policy: u.Decision, Project: r.ProjectID}
			c.Name = sbom.DisplayName(r.Ecosystem, r.Namespace, r.Name)
			byKey[r.Key] = c
			order = append(order, r.Key)
		}
		src := "config"
		switch {
		case u.SystemLicenceSource == "default":
			src = "default"
		default:
			if s := sys[r.System]; s != nil && s.LicenceSource != "" {
				src = s.LicenceSource
			}
		}
		iu := reports.InvUse{System: r.System, Use: r.Use, Licence: u.SystemLicence, LicenceSource: src, Compatibility: u.Compat,
			Why: u.CompatWhy, Policy: u.Decision, Relation: r.Relation, Scope: r.Scope, Linking: r.Linking,
			ComponentLicence: r.DeclaredLicence(), LicenceBorrowedFrom: r.BorrowedFrom()}
		if len(u.Obligations) > 0 {
			iu.Why += " Obligations: " + strings.Join(u.Obligations, "; ")
		}
		if !slices.ContainsFunc(c.Systems, func(x reports.InvUse) bool { return x.System == r.System }) {
			c.Systems = append(c.Systems, iu)
		}
		for _, n := range u.Notes {
			if !slices.Contains(c.LicenceNotes, n) {
				c.LicenceNotes = append(c.LicenceNotes, n)
			}
		}
		if c.Licence == "" {
			c.Licence = r.DeclaredLicence()
		}
		p, ok := before[r.System+"|"+packageKey(r)+"|"+r.Version]
		if !ok {
			p, ok = before[r.System+"|"+packageKey(r)]
		}
		if ok && c.Relicensing == "" {
			if now := licenses.Normalize(r.DeclaredLicence()); now != "" && p.licence != "" && now != p.licence {
				c.Relicensing = fmt.Sprintf("%s → %s (%s: %s → %s)", p.shown, r.DeclaredLicence(), r.System, p.version, r.Version)
				c.RelicensingDirection, _ = licenses.Direction(p.shown, r.DeclaredLicence())
			}
		}
		switch r.Relation { // direct anywhere wins; unknown says nothing
		case sbom.Direct:
			c.Direct = boolPtr(true)
		case sbom.Transitive:
			if c.Direct == nil {
				c.Direct = boolPtr(false)
			}
		}
		// The component's verdict is the worst over its systems, each
		// judged under its own licence and use.
		if u.Compat != "" && licenses.WorseThan(licenses.Verdicts, u.Compat, c.Compatibility) {
			c.Compatibility, c.CompatibilityWhy = u.Compat, r.System+": "+iu.Why
			anyCompat = true
		}
		if licenses.WorseThan(licenses.Decisions, u.Decision, c.Policy) {
			c.Policy = u.Decision
		}
		if licenses.WorseThan(licenses.Classes, u.Class, c.LicenceClass) {
			c.LicenceClass = u.Class
		}
	}
	var dis *Dismissals
	if opt.Ledger != nil {
		dis, err = DismissalsFor(ctx, st, opt.Ledger, time.Time{})
	} else {
		dis, err = LoadDismissals(ctx, st, opt.LedgerDir, time.Time{})
	}
	if err != nil {
		return nil, err
	}
	comps := map[string]store.InvComponent{}
	for _, r := range rows {
		comps[r.Key] = r.InvComponent
	}
	mapped := map[string]bool{}
	for _, k := range order {
		c := byKey[k]
		var systems []string
		for _, u := range c.Systems {
			systems = append(systems, u.System)
		}
		c.Vulnerabilities = vulnCounts(matches[k], checked[k], kev, func(m store.ComponentVuln) (string, bool) {
			return dis.Everywhere(systems, comps[k], append([]string{m.ID}, m.Aliases...))
		})
		if c.Project != "" {
			mapped[c.Project] = true
			if !opt.Subjects[c.Project] {
				c.Project = "" // not assessed in this report: nothing to link to
			}
		}
		inv.Components = append(inv.Components, *c)
	}
	sort.SliceStable(inv.Components, func(i, j int) bool { return riskier(inv.Components[i], inv.Components[j]) })
	totals(inv, opt.Declared, mapped)
	if anyCompat {
		inv.Attribution = licenses.Attribution
	}
	return inv, nil
}

// priorLicence is a package's declared licence in a system's previous SBOM.
type priorLicence struct{ licence, shown, version string }

// previousLicences reads, for every system with more than one SBOM
// snapshot, the declared licence of each package in the snapshot before
// its latest, keyed "system|package".
func previousLicences(ctx context.Context, st *store.Store) (map[string]priorLicence, error) {
	snaps, err := st.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	latest, prev := map[string]int64{}, map[string]int64{}
	for _, s := range snaps { // any order: keep the two highest ids per system
		switch {
		case s.ID > latest[s.System]:
			prev[s.System], latest[s.System] = latest[s.System], s.ID
		case s.ID > prev[s.System]:
			prev[s.System] = s.ID
		}
	}
	out := map[string]priorLicence{}
	for system, id := range prev {
		if id == 0 {
			continue
		}
		rows, err := st.SnapshotInventory(ctx, id)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			// The same version, if the previous SBOM has it, else the
			// package's version there (the last listed).
			p := priorLicence{licenses.Normalize(r.DeclaredLicence()), r.DeclaredLicence(), r.Version}
			out[system+"|"+packageKey(r)+"|"+r.Version] = p
			out[system+"|"+packageKey(r)] = p
		}
	}
	return out, nil
}

// packageKey names a package whatever its version.
func packageKey(r store.InventoryRow) string {
	return r.Ecosystem + "|" + r.Namespace + "|" + r.Name
}

// vulnCounts counts one component's matches by severity, KEV and fix.
// A match that notAffected says is analysed not_affected or
// false_positive in every system that runs the component is no risk: it
// is counted in NotAffected and listed with its analysis, not in the
// severities (issue 24).
func vulnCounts(ms []store.ComponentVuln, checked bool, kev map[string]store.KEVEntry, notAffected func(store.ComponentVuln) (string, bool)) reports.InvVuln {
	v := reports.InvVuln{Checked: checked}
	for _, m := range ms {
		if why, ok := notAffected(m); ok {
			v.NotAffected++
			v.NotAffectedIDs = append(v.NotAffectedIDs, m.ID+" — "+why)
			continue
		}
		switch m.Severity {
		case osv.Critical:
			v.Critical++
		case osv.High:
			v.High++
		case osv.Medium:
			v.Medium++
		case osv.Low:
			v.Low++
		default:
			v.Unknown++
		}
		if m.Fixed != "" {
			v.Fixable++
		}
		if osv.InKEV(m.Vuln, kev) {
			v.KEV++
		}
		v.IDs = append(v.IDs, m.ID)
	}
	return v
}

// totals fills the key figures from the components and systems.
func totals(inv *reports.Inventory, declared []string, mapped map[string]bool) {
	t := &inv.Totals
	t.Systems, t.Components = len(inv.Systems), len(inv.Components)
	for _, c := range inv.Components {
		switch {
		case c.Direct != nil && *c.Direct:
			t.Direct++
		case c.Direct != nil:
			t.Transitive++
		default:
			t.NotStated++
		}
		t.ByClass[c.LicenceClass]++
		if c.Compatibility != "" {
			t.ByCompatibility[c.Compatibility]++
		}
		t.ByPolicy[c.Policy]++
		v := c.Vulnerabilities
		if v.Checked {
			t.Checked++
		}
		for _, sv := range []struct {
			name string
			n    int
		}{{osv.Critical, v.Critical}, {osv.High, v.High}, {osv.Medium, v.Medium}, {osv.Low, v.Low}, {"unknown", v.Unknown}} {
			if sv.n > 0 {
				t.Vulnerable[sv.name]++
				break
			}
		}
		if v.KEV > 0 {
			t.KEVComponents++
		}
		if c.Relicensing != "" && c.RelicensingDirection == licenses.MoreRestrictive {
			t.Relicensed++ // a relaxation is shown, not counted
		}
	}
	t.MappedProjects = len(mapped)
	for _, id := range declared {
		if mapped[id] {
			t.DeclaredFound++
		}
	}
	if len(declared) > 0 {
		t.Undercount = float64(t.Components) / float64(len(declared))
	}
}

// riskier orders components for the board: known-exploited first, then
// banned, incompatible, critical, then by name.
func riskier(a, b reports.InvComponent) bool {
	ka, kb := riskKey(a), riskKey(b)
	if ka != kb {
		return ka > kb
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	return a.Version < b.Version
}

func riskKey(c reports.InvComponent) int {
	k := 0
	if c.Vulnerabilities.KEV > 0 {
		k += 16
	}
	if c.Policy == licenses.Banned {
		k += 8
	}
	if c.Compatibility == licenses.Incompatible {
		k += 4
	}
	if c.Vulnerabilities.Critical > 0 {
		k += 2
	}
	if c.Policy == licenses.Review || c.Vulnerabilities.High > 0 {
		k++
	}
	return k
}

func boolPtr(b bool) *bool { return &b }

// DiscoveredTargets turns the components the imported SBOMs list into
// project targets, so that what is actually run is assessed and not only
// what was declared: components whose repository is known, used directly
// by some system (scope "direct") or at all ("all"); none for "none".
// Projects already among targets are left as they are.
func DiscoveredTargets(ctx context.Context, st *store.Store, scope string, targets []collectors.Target) ([]collectors.Target, error) {
	if scope == "none" {
		return nil, nil
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, t := range targets {
		have[t.Subject.ID] = true
	}
	direct := map[string]bool{}
	for _, r := range rows {
		if r.Relation == sbom.Direct {
			direct[r.ProjectID] = true
		}
	}
	var out []collectors.Target
	for _, r := range rows {
		id := r.ProjectID
		if id == "" || r.Repo == "" || have[id] || (scope == "direct" && !direct[id]) {
			continue
		}
		have[id] = true
		name := r.Name
		if r.Namespace != "" && !strings.Contains(name, "/") {
			name = r.Namespace + "/" + name
		}
		out = append(out, collectors.Target{
			Subject: models.Subject{Kind: models.KindProject, ID: id, Name: name,
				Attrs: map[string]string{"use_type": "simple", "repo": r.Repo, "discovered": "sbom"}},
			Repo: r.Repo,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Subject.ID < out[j].Subject.ID })
	return out, nil
}
