// Package sbom imports software bills of materials (CycloneDX JSON and
// XML with github.com/CycloneDX/cyclonedx-go, SPDX JSON and tag-value with
// github.com/spdx/tools-golang) into the store's inventory: components
// deduplicated across systems, each import a snapshot of its system, so
// that "which systems run fastjson 1.2.24?" has an answer and relicensing
// shows between snapshots. For each portfolio project that the SBOMs use,
// it records the licence facts the PHI reads: compatibility with the
// licence of every system that uses it (OSADL), the institution policy's
// decision, and relicensing in the last 12 months.
package sbom

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Name is the source name of SBOM observations.
const Name = "sbom"

// System is one system and its SBOM.
type System struct {
	Name    string
	Path    string // the SBOM file
	Licence string // the system's own licence (SPDX id), "" if not given
	Use     string // internal, distributed, saas
	// UseUnstated: the config left use out (Use is the policy's default,
	// internal); the licence class in use then assumes distribution.
	UseUnstated bool
	// Doc, when set, is used instead of reading Path (an inventory built
	// from a binary's build info, for instance).
	Doc *Doc
}

// Options configure the collector.
type Options struct {
	Systems []System
	// Repos maps a package (purl without version) to its repository.
	Repos  map[string]string
	Policy licenses.Policy
	// DefaultSystemLicence is the licence a system is judged under when
	// neither the config nor its SBOM gives one
	// (license_policy.default_system_licence; "proprietary" when empty).
	DefaultSystemLicence string
	Store                *store.Store
	// HasInstitution says whether the run has an institution subject, on
	// which import failures and inventory totals are reported; without
	// one the first project to run reports them.
	HasInstitution bool
	Now            func() time.Time
}

// Collector imports the SBOMs once per run and records licence facts.
type Collector struct {
	opt      Options
	judge    *Judger
	once     sync.Once
	errs     error
	failed   map[string]store.ImportFailure // at the start of Import
	reported atomic.Bool
	Stats    ImportStats
}

// ImportStats says what an import did.
type ImportStats struct {
	Imported, Unchanged, Failed int
	References                  int
}

// New returns an SBOM collector.
func New(opt Options) *Collector {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Policy == nil {
		opt.Policy = licenses.DefaultPolicy()
	}
	// The config's component_repos keys in the canonical form of the
	// inventory's keys (pkg:npm/@babel/core is pkg:npm/%40babel/core).
	if len(opt.Repos) > 0 {
		repos := make(map[string]string, len(opt.Repos))
		for k, v := range opt.Repos {
			if p, ok := ParsePURL(k); ok {
				k = p.Package()
			}
			repos[k] = v
		}
		opt.Repos = repos
	}
	return &Collector{opt: opt, judge: NewJudger(opt.Policy, opt.DefaultSystemLicence)}
}

func (c *Collector) Name() string            { return Name }
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{} }

func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if len(c.opt.Systems) == 0 {
		return false, ""
	}
	switch t.Subject.Kind {
	case models.KindInstitution, models.KindProject:
		return true, ""
	}
	return false, ""
}

// Prepare imports the SBOMs before the run's jobs, so that a portfolio of
// SBOMs alone (no institution, no projects) is imported too.
func (c *Collector) Prepare(ctx context.Context) (string, error) {
	if len(c.opt.Systems) == 0 {
		return "", nil
	}
	err := c.Import(ctx)
	if err != nil && !c.reported.CompareAndSwap(false, true) {
		err = nil // already reported by a subject's collection
	}
	if err != nil {
		err = fmt.Errorf("sbom import: %w (the other systems were imported)", err)
	}
	return fmt.Sprintf("%d of %d systems' SBOMs imported (%d unchanged since the last import, %d failed), %d component references",
		c.Stats.Imported, len(c.opt.Systems), c.Stats.Unchanged, c.Stats.Failed, c.Stats.References), err
}

var _ collectors.Preparer = (*Collector)(nil)

// Import imports every system's SBOM once (later calls wait for the
// first and return its error). Each SBOM is stored in its own transaction;
// a malformed file is refused with an error naming it and nothing of it
// is stored, while the other systems are imported.
func (c *Collector) Import(ctx context.Context) error {
	c.once.Do(func() {
		var errs []error
		// The systems left stale by a failed import, read once for all.
		failed, err := c.opt.Store.FailedImports(ctx)
		if err != nil {
			c.errs = err
			return
		}
		c.failed = failed
		for _, s := range c.opt.Systems {
			n, unchanged, err := c.importSystem(ctx, s)
			switch {
			case err != nil:
				c.Stats.Failed++
				errs = append(errs, err)
			case unchanged:
				c.Stats.Unchanged++
			default:
				c.Stats.Imported++
				c.Stats.References += n
			}
		}
		c.errs = errors.Join(errs...)
	})
	return c.errs
}

func (c *Collector) importSystem(ctx context.Context, s System) (refsN int, unchanged bool, err error) {
	n, unchanged, err := c.readSystem(ctx, s)
	if err != nil && s.Doc == nil && ctx.Err() == nil {
		// Kept, so that every report marks the system stale with the error
		// until an import succeeds; the previous snapshot stays the last
		// one read, not silently the current one.
		if rerr := c.opt.Store.RecordImportFailure(ctx, store.ImportFailure{System: s.Name, Path: s.Path,
			Error: err.Error(), FailedAt: c.opt.Now()}); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}
	return n, unchanged, err
}

// readerVersion is folded into the stored digest: when the way osgauge
// reads SBOMs changes (a graph without a root node, relationship types,
// purl qualifiers…), an unchanged file is read again once instead of
// keeping what the older reader made of it.
const readerVersion = "reader-2"

// fileSHA256 hashes a file as a stream.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)) + ";" + readerVersion, nil
}

func (c *Collector) readSystem(ctx context.Context, s System) (refsN int, unchanged bool, err error) {
	doc := s.Doc
	var sum string
	if doc == nil {
		// The hash first: an unchanged file is not parsed again.
		if sum, err = fileSHA256(s.Path); err != nil {
			return 0, false, fmt.Errorf("system %s: %w", s.Name, err)
		}
	} else {
		h := sha256.New()
		for _, comp := range doc.Components {
			fmt.Fprintln(h, comp.Key, comp.Relation, comp.Scope, comp.Linking, comp.License)
		}
		sum = hex.EncodeToString(h.Sum(nil)) + ";" + readerVersion
	}
	prev, hasPrev, err := c.opt.Store.LatestSnapshot(ctx, s.Name)
	if err != nil {
		return 0, false, err
	}
	stale := false
	if hasPrev && prev.SHA256 == sum {
		_, stale = c.failed[s.Name]
	}
	// The system's licence: the config's, else what the SBOM declares for
	// the system it describes (said so wherever it is shown); an
	// unchanged file declares what it did at the previous import.
	sysLicence := func() (string, string) {
		if l := strings.TrimSpace(s.Licence); l != "" {
			return l, "config"
		}
		l := prev.SystemLicense
		if doc != nil {
			l = doc.RootLicense
		} else if prev.LicenseSource != "sbom" {
			l = ""
		}
		if l == "" {
			return "", ""
		}
		return l, "sbom"
	}
	licence, source := sysLicence()
	// A use the config leaves out is stored as "": the policy then takes
	// its documented default (internal) and compatibility assumes
	// distribution, the conservative reading, saying so.
	use := s.Use
	if s.UseUnstated {
		use = ""
	}
	if hasPrev && prev.SHA256 == sum && !stale && prev.SystemLicense == licence && prev.LicenseSource == source && prev.Use == use {
		return 0, true, nil
	}
	if doc == nil {
		if doc, err = ParseFile(s.Path); err != nil {
			return 0, false, fmt.Errorf("system %s: %w", s.Name, err)
		}
		licence, source = sysLicence()
	}
	comps, refs := c.inventory(doc)
	format := doc.Format
	doc = nil // the parsed document is garbage while the store writes
	_, err = c.opt.Store.SaveSnapshot(ctx, store.Snapshot{System: s.Name, Path: s.Path, Format: format, SHA256: sum,
		SystemLicense: licence, LicenseSource: source, Use: use, ImportedAt: c.opt.Now()}, comps, refs)
	if err != nil {
		return 0, false, fmt.Errorf("system %s: %s: %w", s.Name, s.Path, err)
	}
	return len(refs), false, nil
}

var relationRank = map[string]int{Direct: 0, Transitive: 1, Unknown: 2}

// scopeRank orders scopes from the least restricted on (the system's own
// modules, then runtime): a component listed twice keeps the scope that
// reaches furthest.
func scopeRank(s string) int {
	if i := slices.Index([]string{ScopeOwn, ScopeRuntime, ScopeOptional, ScopeProvided, ScopeBuild, ScopeDev, ScopeTest, ScopeExcluded}, s); i >= 0 {
		return i
	}
	return 1
}

// notShipped are the scopes whose components are not part of what a
// system delivers: test and build tools, development dependencies, what
// the runtime provides (a servlet API in the application server) and
// what the SBOM excludes. Nothing of them is conveyed, whatever the
// system's use, so they are judged as internal use.
var notShipped = map[string]string{
	ScopeTest: "a test dependency", ScopeBuild: "a build dependency or tool", ScopeDev: "a development dependency",
	ScopeProvided: "provided by the runtime environment", ScopeExcluded: "excluded from the delivered system by its SBOM",
}

// inventory turns a document into deduplicated components and references.
func (c *Collector) inventory(doc *Doc) ([]store.InvComponent, []store.InvRef) {
	byKey := make(map[string]int, len(doc.Components))
	comps := make([]store.InvComponent, 0, len(doc.Components))
	refs := make([]store.InvRef, 0, len(doc.Components))
	for _, x := range doc.Components {
		if i, ok := byKey[x.Key]; ok { // listed twice (nested and top level): keep the closest relation
			if relationRank[x.Relation] < relationRank[refs[i].Relation] {
				refs[i].Relation = x.Relation
			}
			if refs[i].License == "" {
				refs[i].License, refs[i].LicenseNote = x.License, x.LicenseNote
			}
			if scopeRank(x.Scope) < scopeRank(refs[i].Scope) {
				refs[i].Scope = x.Scope
			}
			if refs[i].Linking == "" {
				refs[i].Linking = x.Linking
			}
			continue
		}
		repo, project := x.Repo, ""
		p, isPURL := ParsePURL(x.PURL)
		if r, ok := c.opt.Repos[p.Package()]; isPURL && ok {
			repo, project = r, ProjectID(r)
		} else if x.Ecosystem == "golang" {
			project = p.Namespace + "/" + p.Name // a Go module is named by its path
		} else {
			project = ProjectID(repo)
		}
		byKey[x.Key] = len(refs)
		comps = append(comps, store.InvComponent{Key: x.Key, PURL: x.PURL, Ecosystem: x.Ecosystem, Namespace: x.Namespace,
			Name: x.Name, Version: x.Version, License: x.License, Supplier: x.Supplier, Hashes: strings.Join(x.Hashes, "; "),
			Repo: repo, ProjectID: project})
		refs = append(refs, store.InvRef{Key: x.Key, Relation: x.Relation, License: x.License, Scope: x.Scope, Linking: x.Linking,
			LicenseNote: x.LicenseNote})
	}
	return comps, refs
}

// Collect imports the SBOMs (once) and records, for the institution,
// the inventory totals and, for a project, its licence facts.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	ierr := c.Import(ctx)
	reportHere := t.Subject.Kind == models.KindInstitution || !c.opt.HasInstitution
	if ierr != nil && reportHere && c.reported.CompareAndSwap(false, true) {
		return nil, cost, fmt.Errorf("sbom import: %w (the other systems were imported)", ierr)
	}
	if ctx.Err() != nil {
		return nil, cost, ctx.Err()
	}
	if t.Subject.Kind == models.KindInstitution {
		obs, err := c.institution(ctx, t)
		return obs, cost, err
	}
	obs, err := c.project(ctx, t)
	return obs, cost, err
}

func (c *Collector) obs(subject, metric string) models.Observation {
	return models.Observation{SubjectID: subject, Metric: metric, Source: Name, ObservedAt: c.opt.Now()}
}

// Use is one system's use of a component, judged for licence.
type Use struct {
	store.InventoryRow
	Class string
	// SystemLicence is the licence the component was judged against: the
	// system's, else the institution's default (SystemLicenceSource
	// "default").
	SystemLicence       string
	SystemLicenceSource string
	Compat              string
	CompatWhy           string
	Obligations         []string
	Decision            string
	Expression          licenses.Expr
	// Notes say how the licence was read (names mapped to SPDX ids,
	// several entries combined, a licence borrowed from another SBOM).
	Notes []string
}

// Judger judges inventory rows under one policy, memoising: an inventory
// has few distinct (licence, system licence, use, linking) tuples and
// many references.
type Judger struct {
	policy         licenses.Policy
	defaultLicence string
	mu             sync.Mutex
	cache          map[[4]string]Use
}

// NewJudger returns a judge for policy; a system that gives no licence is
// judged under defaultLicence ("proprietary" when empty).
func NewJudger(policy licenses.Policy, defaultLicence string) *Judger {
	if strings.TrimSpace(defaultLicence) == "" {
		defaultLicence = licenses.Proprietary
	}
	if policy == nil {
		policy = licenses.DefaultPolicy()
	}
	return &Judger{policy: policy, defaultLicence: defaultLicence, cache: map[[4]string]Use{}}
}

// DefaultLicence is the licence a system that gives none is judged under.
func (j *Judger) DefaultLicence() string { return j.defaultLicence }

// Judge judges one inventory row: the component's licence (as this SBOM
// declares it, else as another SBOM does, said so) against the system's
// licence (else the institution's default) in the system's use, and the
// policy for that use.
func (j *Judger) Judge(r store.InventoryRow) Use {
	lic := r.DeclaredLicence()
	sys, source := strings.TrimSpace(r.SysLicense), "system"
	if sys == "" {
		sys, source = j.defaultLicence, "default"
	}
	use, scopeNote := r.Use, ""
	if why, ok := notShipped[r.Scope]; ok && use != licenses.UseInternal {
		use, scopeNote = licenses.UseInternal, fmt.Sprintf("%s (scope %s): not shipped with %s, so judged as internal use", why, r.Scope, r.System)
	}
	policyUse := use
	if use == "" {
		// Not stated: the policy's documented default; compatibility is
		// judged as distribution (licenses.Judge reads "" so and says it).
		policyUse = licenses.UseInternal
	}
	k := [4]string{lic, sys, use, r.Linking + "|" + r.Scope}
	j.mu.Lock()
	u, ok := j.cache[k]
	j.mu.Unlock()
	if !ok {
		e := licenses.Parse(lic)
		u = Use{Expression: e, Class: e.Class(), Decision: j.policy.Decide(e, policyUse), SystemLicence: sys}
		if r.Scope == ScopeOwn {
			// The system's own module: its licence is the system's own
			// choice, not a third party's terms to comply with.
			// It is not judged (no verdict, not counted), and allowed.
			u.CompatWhy, u.Decision = "the system's own module (scope own), not a third-party component: not judged", licenses.Allowed
		} else {
			jd := licenses.Judge(licenses.Context{SystemLicence: sys, Use: use, Linking: r.Linking}, e)
			u.Compat, u.CompatWhy, u.Obligations = jd.Verdict, jd.Why, jd.Obligations
		}
		j.mu.Lock()
		j.cache[k] = u
		j.mu.Unlock()
	}
	u.SystemLicenceSource = source
	u.Notes = nil
	if r.LicenseNote != "" {
		u.Notes = append(u.Notes, r.LicenseNote)
	}
	u.Notes = append(u.Notes, u.Expression.Notes...)
	if scopeNote != "" {
		u.Notes = append(u.Notes, scopeNote)
	}
	if from := r.BorrowedFrom(); from == r.System {
		u.Notes = append(u.Notes, fmt.Sprintf("%s's latest SBOM declares no licence for it; the licence an earlier SBOM of %s declared is used", r.System, r.System))
	} else if from != "" {
		u.Notes = append(u.Notes, fmt.Sprintf("%s's SBOM declares no licence for it; the licence %s's SBOM declares is used", r.System, from))
	}
	if r.Use == "" {
		u.Notes = append(u.Notes, fmt.Sprintf("%s states no use (sboms: use): compatibility judged as distributed, the policy as internal use", r.System))
	}
	u.InventoryRow = r
	return u
}

func (c *Collector) institution(ctx context.Context, t collectors.Target) ([]models.Observation, error) {
	rows, err := c.opt.Store.CurrentInventory(ctx)
	if err != nil {
		return nil, err
	}
	snaps, err := c.opt.Store.CurrentSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	distinct := map[string]bool{}
	rel := map[string]int{}
	banned, incompatible, review := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, r := range rows {
		distinct[r.Key] = true
		rel[r.Relation]++
		u := c.judge.Judge(r)
		switch u.Decision {
		case licenses.Banned:
			banned[r.Key] = true
		case licenses.Review:
			review[r.Key] = true
		}
		if u.Compat == licenses.Incompatible {
			incompatible[r.Key] = true
		}
	}
	id := t.Subject.ID
	ev := fmt.Sprintf("%d systems' latest SBOMs (%d imported now, %d unchanged)", len(snaps), c.Stats.Imported, c.Stats.Unchanged)
	mk := func(metric string, v int, unit string) models.Observation {
		o := c.obs(id, metric)
		o.Value, o.Unit, o.Evidence = models.Num(float64(v)), unit, ev
		return o
	}
	return []models.Observation{
		mk("sbom.systems", len(snaps), "systems"),
		mk("sbom.components", len(distinct), "components"),
		mk("sbom.references", len(rows), "references"),
		mk("sbom.direct", rel[Direct], "references"),
		mk("sbom.transitive", rel[Transitive], "references"),
		mk("sbom.banned_components", len(banned), "components"),
		mk("sbom.review_components", len(review), "components"),
		mk("sbom.incompatible_components", len(incompatible), "components"),
	}, nil
}

// worse returns the later of a and b in list (verdicts and policy
// decisions are listed best first).
// useUnstated reports whether the config left the system's use out.
func (c *Collector) useUnstated(system string) bool {
	for _, s := range c.opt.Systems {
		if s.Name == system {
			return s.UseUnstated
		}
	}
	return false
}

// obligatingUses orders the systems' uses by the licence obligations they
// trigger, least first.
var obligatingUses = []string{"internal", "saas", "distributed"}

func worse(list []string, a, b string) string {
	if slices.Index(list, b) > slices.Index(list, a) {
		return b
	}
	return a
}

func (c *Collector) project(ctx context.Context, t collectors.Target) ([]models.Observation, error) {
	id := t.Subject.ID
	hist, current, err := c.opt.Store.ProjectInventory(ctx, id)
	if err != nil {
		return nil, err
	}
	// The project's own licence when the SBOMs declare none: the latest
	// detected from its licence files.
	fallback := ""
	if h, err := c.opt.Store.History(ctx, id, "license.spdx"); err == nil && len(h) > 0 {
		fallback = h[len(h)-1].Text
	}
	var out []models.Observation
	compat, decision := "", ""
	var compatEv, decisionEv, systems []string
	// The licence class in use: the least favourable class over the
	// systems, with the most obligating use of it (distributed > saas >
	// internal): copyleft obligations arise on distribution (GPL) or
	// network use (AGPL), not on internal use.
	inUseClass, inUseUse := "", ""
	var inUseEv []string
	for _, r := range hist {
		if !current[r.SnapshotID] {
			continue
		}
		if r.RefLicense == "" && r.License == "" {
			r.RefLicense = fallback
		}
		u := c.judge.Judge(r)
		if !slices.Contains(systems, r.System) {
			systems = append(systems, r.System)
		}
		line := fmt.Sprintf("%s (%s", r.System, r.Use)
		if r.SysLicense != "" {
			line += ", " + r.SysLicense
		}
		line += fmt.Sprintf("): %s %s %s [%s]", r.Name, r.Version, orNone(u.Expression.Raw), u.Class)
		if u.Compat != "" {
			compat = worse(licenses.Verdicts, compat, u.Compat)
			sys := ""
			if u.SystemLicenceSource == "default" {
				sys = " [system licence not given: " + u.SystemLicence + ", the institution's default]"
			}
			compatEv = append(compatEv, line+sys+" → "+u.Compat+"; "+u.CompatWhy)
		}
		decision = worse(licenses.Decisions, decision, u.Decision)
		decisionEv = append(decisionEv, line+" → "+u.Decision)
		use := r.Use
		if use == "" {
			use = "internal"
		}
		if c.useUnstated(r.System) {
			use = "distributed" // not stated: the obligations of distribution assumed
			line += " [use not stated in sboms: distribution assumed for the licence class]"
		}
		if u.Class != "" {
			switch {
			case inUseClass == "" || slices.Index(licenses.Classes, u.Class) > slices.Index(licenses.Classes, inUseClass):
				inUseClass, inUseUse = u.Class, use
			case u.Class == inUseClass && slices.Index(obligatingUses, use) > slices.Index(obligatingUses, inUseUse):
				inUseUse = use
			}
			inUseEv = append(inUseEv, line)
		}
	}
	if len(systems) > 0 {
		o := c.obs(id, "sbom.systems_using")
		o.Value, o.Unit, o.Evidence = models.Num(float64(len(systems))), "systems", strings.Join(systems, ", ")
		out = append(out, o)
		co := c.obs(id, "license.compatibility")
		if compat != "" {
			co.Text, co.Evidence = compat, clip(strings.Join(compatEv, " | "))
		} else {
			co.Reason = "no system using it states its own licence (sboms: licence)"
		}
		po := c.obs(id, "license.policy")
		po.Text, po.Evidence = decision, clip(strings.Join(decisionEv, " | "))
		out = append(out, co, po)
		cu := c.obs(id, "license.class_in_use")
		if inUseClass != "" {
			cu.Text, cu.Evidence = inUseClass+":"+inUseUse, clip(strings.Join(inUseEv, " | "))
		} else {
			cu.Reason = "no licence class for the versions in use"
		}
		out = append(out, cu)
	}
	if rel, ok, err := c.relicensing(ctx, id, hist); err != nil {
		return nil, err
	} else if ok {
		out = append(out, rel)
	}
	return out, nil
}

// relicensing counts the licence changes of a project in the last 12
// months: between consecutive SBOM snapshots of each system (the declared
// licence of its components) and between consecutive detections of its
// licence files (license.spdx).
func (c *Collector) relicensing(ctx context.Context, id string, hist []store.InventoryRow) (models.Observation, bool, error) {
	now := c.opt.Now()
	since := now.AddDate(-1, 0, 0)
	type change struct {
		from, to, where string
		at              time.Time
	}
	var changes []change
	seen := false
	// SBOM history: per system, the licence of each snapshot in order.
	times := map[int64]time.Time{}
	snaps, err := c.opt.Store.Snapshots(ctx)
	if err != nil {
		return models.Observation{}, false, err
	}
	for _, s := range snaps {
		times[s.ID] = s.ImportedAt
	}
	type state struct{ norm, lic, version string }
	last := map[string]state{} // per system and package
	for _, r := range hist {
		lic := r.RefLicense
		if lic == "" {
			continue
		}
		seen = true
		norm := licenses.Normalize(lic) // a re-spelling is not a change
		k := r.System + "|" + r.Ecosystem + "|" + r.Namespace + "|" + r.Name
		// The same version cannot have been relicensed: a different
		// licence for it is a different reading (another SBOM tool).
		if p, ok := last[k]; ok && p.norm != norm && p.version != r.Version {
			changes = append(changes, change{p.lic, lic, fmt.Sprintf("SBOM of %s: %s %s → %s", r.System, r.Name, p.version, r.Version), times[r.SnapshotID]})
		}
		last[k] = state{norm, lic, r.Version}
	}
	// Licence-file detections (the licence collector): a change counts
	// only when the files changed too (their digest, recorded in the same
	// run), so a newer osgauge reading the same files differently is no
	// relicensing; detections without a digest (stored before it existed)
	// cannot tell, and do not count.
	digests := map[int64]string{}
	if h, err := c.opt.Store.History(ctx, id, "license.files_sha256"); err == nil {
		for _, o := range h {
			digests[o.RunID] = o.Text
		}
	}
	if h, err := c.opt.Store.History(ctx, id, "license.spdx"); err == nil {
		var prev models.Observation
		for _, o := range h {
			if o.Text == "" {
				continue
			}
			seen = true
			if prev.Text != "" && o.Text != prev.Text {
				was, is := digests[prev.RunID], digests[o.RunID]
				if was != "" && is != "" && was != is {
					changes = append(changes, change{prev.Text, o.Text, "licence files", o.ObservedAt})
				}
			}
			prev = o
		}
	}
	if !seen {
		return models.Observation{}, false, nil
	}
	// Only a move to a more restrictive licence counts (the gate reads the
	// count); a relaxation — an AGPL option added beside SSPL — or a change
	// within one class is recorded in the evidence, not penalised.
	restrictive := map[string]bool{}
	seenChange := map[string]bool{}
	var ev, others []string
	sort.Slice(changes, func(i, j int) bool { return changes[i].at.Before(changes[j].at) })
	for _, ch := range changes {
		if ch.at.Before(since) {
			continue
		}
		k := ch.from + "→" + ch.to
		if seenChange[k] {
			continue
		}
		seenChange[k] = true
		dir, _ := licenses.Direction(ch.from, ch.to)
		line := fmt.Sprintf("%s → %s (%s, %s; %s)", ch.from, ch.to, ch.where, ch.at.Format("2006-01-02"), dir)
		if dir == licenses.MoreRestrictive {
			restrictive[k] = true
			ev = append(ev, line)
		} else {
			others = append(others, line)
		}
	}
	o := c.obs(id, "license.relicensed_12m")
	o.Value, o.Unit = models.Num(float64(len(restrictive))), "changes to a more restrictive licence"
	o.Evidence = "no change to a more restrictive licence in 12 months of snapshots"
	if len(ev) > 0 {
		o.Evidence = "relicensed: " + strings.Join(ev, "; ")
	}
	if len(others) > 0 {
		o.Evidence += "; not counted (relaxations or changes within a class): " + strings.Join(others, "; ")
	}
	return o, true, nil
}

func orNone(s string) string {
	if s == "" {
		return "(no licence declared)"
	}
	return s
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:1990] + " …"
	}
	return s
}
