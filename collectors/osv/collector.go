// Package osv finds the known vulnerabilities of the component versions
// in the SBOM inventory: from the OSV API (/v1/querybatch, batched and
// cached in the store) and/or offline OSV exports (an ecosystem's zip),
// with a CISA KEV list for the known-exploited gate. It records, per
// portfolio project, the osv.* metrics the PHI reads, and for the
// institution the median time from an advisory to the SBOM that no longer
// holds the vulnerable version.
//
// With the API off, a component version is checked only when an
// imported export covers its ecosystem (Coverage): finding no advisory
// where none was imported is not "no vulnerability". The metrics of a
// project none of whose versions in use could be checked have no value
// and a Reason saying how to cover the ecosystem; the gates' metrics
// (osv.kev_unpatched, osv.high_unpatched_fixed_30d) have a value of 0
// only when every version in use was checked. Records that share an id
// or alias (a GHSA and its CVE) count as one vulnerability.
package osv

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Name is the source name of vulnerability observations.
const Name = "osv"

// Options configure the collector.
type Options struct {
	APIURL  string   // "" or "off": no API
	Exports []string // OSV export zips or folders
	KEV     string   // CISA KEV JSON file
	Store   *store.Store
	HTTP    *http.Client
	// Before runs first (the SBOM import of the same run, so that the
	// inventory is complete before it is matched).
	Before         func(context.Context) error
	HasInstitution bool
	Now            func() time.Time
	// Analyses, when set, is read once after the matching (issue 24): a
	// match analysed not_affected or false_positive for every system that
	// runs the version is left out of the project's osv.* metrics, and
	// their evidence says so.
	Analyses func(context.Context) (Analyses, error)
}

// Analyses say whether a vulnerability (known by any of ids) of a
// component version is analysed not_affected or false_positive in a
// system, and how ("not_affected (vulnerable_code_not_in_execute_path)").
type Analyses interface {
	NotAffected(system string, comp store.InvComponent, ids []string) (why string, ok bool)
}

// Collector matches the inventory once per run and records osv.* facts.
type Collector struct {
	opt      Options
	client   *Client
	once     sync.Once
	err      error
	reported atomic.Bool

	matches map[string][]store.ComponentVuln
	checked map[string]bool
	// With the API off: the ecosystems the exports cover (lower case),
	// and the versions left unchecked because none covers theirs (key →
	// ecosystem).
	covered   map[string]bool
	uncovered map[string]string
	kev       map[string]store.KEVEntry
	records   map[string]*Record
	pkgs      map[[2]string][]store.Vuln
	analyses  Analyses // Options.Analyses read after the matching (nil: none)
	mu        sync.Mutex
	Stats     Stats
}

// Stats says what the matching did.
type Stats struct {
	Exported, KEV, Checked, Matches, Fetched int
}

// New returns an OSV collector.
func New(opt Options) *Collector {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	c := &Collector{opt: opt, records: map[string]*Record{}, pkgs: map[[2]string][]store.Vuln{}}
	if opt.APIURL != "" && opt.APIURL != "off" {
		c.client = NewClient(opt.APIURL, opt.Store)
		c.client.Now = opt.Now
		if opt.HTTP != nil {
			c.client.HTTP = opt.HTTP
		}
	}
	return c
}

func (c *Collector) Name() string { return Name }
func (c *Collector) Needs() collectors.Needs {
	return collectors.Needs{Network: c.client != nil}
}

func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if c.client == nil && len(c.opt.Exports) == 0 {
		return false, ""
	}
	switch t.Subject.Kind {
	case models.KindInstitution, models.KindProject:
		return true, ""
	}
	return false, ""
}

// Prepare imports the exports and the KEV list and matches every
// inventory component, once per run.
func (c *Collector) Prepare(ctx context.Context) error {
	c.once.Do(func() { c.err = c.prepare(ctx) })
	return c.err
}

func (c *Collector) prepare(ctx context.Context) error {
	var errs []error
	if c.opt.Before != nil {
		if err := c.opt.Before(ctx); err != nil {
			errs = append(errs, err) // the inventory that was imported is still matched
		}
	}
	st := c.opt.Store
	c.covered, c.uncovered = map[string]bool{}, map[string]string{}
	for _, p := range c.opt.Exports {
		n, ecos, err := ImportExport(ctx, st, p)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		c.Stats.Exported += n
		for _, e := range ecos {
			c.covered[strings.ToLower(e)] = true
		}
	}
	if c.opt.KEV != "" {
		n, err := ImportKEV(ctx, st, c.opt.KEV)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		c.Stats.KEV = n
	}
	comps, err := st.Components(ctx)
	if err != nil {
		return err
	}
	var queries []Query
	var keys []string
	for _, comp := range comps {
		eco := sbom.OSVEcosystem(comp.Ecosystem)
		if eco == "" || comp.Version == "" {
			continue
		}
		if c.client == nil && !c.covered[strings.ToLower(eco)] {
			// No export holds this ecosystem's advisories: finding none
			// would say nothing, so the version is not checked.
			c.uncovered[comp.Key] = eco
			continue
		}
		queries = append(queries, Query{Ecosystem: eco, Name: fullName(comp), Version: comp.Version})
		keys = append(keys, comp.Key)
	}
	var matches []store.VulnMatch
	found := map[string]map[string]bool{}
	addMatch := func(key, id, fixed string) {
		if found[key] == nil {
			found[key] = map[string]bool{}
		}
		if !found[key][id] {
			found[key][id] = true
			matches = append(matches, store.VulnMatch{Key: key, Vuln: id, Fixed: fixed})
		}
	}
	source := "export"
	if c.client != nil {
		source = "api"
		ids, err := c.client.QueryBatch(ctx, queries)
		if err != nil {
			return errors.Join(append(errs, err)...)
		}
		if err := c.fetch(ctx, ids); err != nil {
			return errors.Join(append(errs, err)...)
		}
		for i, q := range queries {
			for _, ref := range ids[i] {
				r, err := c.record(ctx, ref.ID)
				if err != nil {
					return err
				}
				fixed := ""
				if r != nil {
					_, fixed, _ = r.AffectedVersion(q.Ecosystem, q.Name, q.Version)
				}
				addMatch(keys[i], ref.ID, fixed)
			}
		}
	}
	if len(c.opt.Exports) > 0 {
		for i, q := range queries {
			vs, err := c.packageVulns(ctx, q.Ecosystem, q.Name)
			if err != nil {
				return err
			}
			for _, v := range vs {
				r, err := c.record(ctx, v.ID)
				if err != nil || r == nil || r.Withdrawn != "" {
					continue
				}
				if ok, fixed, _ := r.AffectedVersion(q.Ecosystem, q.Name, q.Version); ok {
					addMatch(keys[i], v.ID, fixed)
				}
			}
		}
	}
	if err := st.SetMatches(ctx, keys, matches, source); err != nil {
		return err
	}
	c.Stats.Checked, c.Stats.Matches = len(keys), len(matches)
	// Checked are the versions matched in this run: a version checked
	// in an earlier run whose ecosystem no source covers now is not (the
	// store's list of checked versions keeps it), and its stored matches
	// are not read.
	all, _, err := st.Matches(ctx)
	if err != nil {
		return err
	}
	c.checked = make(map[string]bool, len(keys))
	c.matches = make(map[string][]store.ComponentVuln, len(all))
	for _, k := range keys {
		c.checked[k] = true
		if ms := all[k]; ms != nil {
			c.matches[k] = ms
		}
	}
	if c.kev, err = st.KEV(ctx); err != nil {
		return err
	}
	if c.opt.Analyses != nil {
		if c.analyses, err = c.opt.Analyses(ctx); err != nil {
			c.analyses = nil
			errs = append(errs, fmt.Errorf("vulnerability analyses: %w", err)) // counted as before, and said
		}
	}
	return errors.Join(errs...)
}

// withoutNotAffected leaves out of the matches of the versions in use
// those analysed not_affected or false_positive in every system that runs
// the version (issue 24: no risk anywhere); dismissed lists them with the
// analyses, for the evidence. Without analyses it returns c.matches.
func (c *Collector) withoutNotAffected(rows []store.InventoryRow, current map[int64]bool, inUse map[string]store.InvComponent) (map[string][]store.ComponentVuln, []string) {
	if c.analyses == nil {
		return c.matches, nil
	}
	systems := map[string][]string{}
	for _, r := range rows {
		if current[r.SnapshotID] && !slices.Contains(systems[r.Key], r.System) {
			systems[r.Key] = append(systems[r.Key], r.System)
		}
	}
	out := make(map[string][]store.ComponentVuln, len(inUse))
	var dismissed []string
	for _, k := range slices.Sorted(mapKeys(inUse)) {
		comp := inUse[k]
		sort.Strings(systems[k])
		for _, m := range c.matches[k] {
			ids := append([]string{m.ID}, m.Aliases...)
			var whys []string
			for _, sys := range systems[k] {
				why, ok := c.analyses.NotAffected(sys, comp, ids)
				if !ok {
					whys = nil
					break
				}
				whys = append(whys, sys+": "+why)
			}
			if len(whys) == 0 {
				out[k] = append(out[k], m)
				continue
			}
			dismissed = append(dismissed, fmt.Sprintf("%s %s %s (%s)", comp.Name, comp.Version, m.ID, strings.Join(whys, "; ")))
		}
	}
	return out, dismissed
}

// notAffectedNote is what the evidence says of the matches left out.
func notAffectedNote(dismissed []string) string {
	return clip(fmt.Sprintf("not counted, analysed not affected or a false positive in every system that runs it (%d): %s",
		len(dismissed), strings.Join(dismissed, "; ")), 600)
}

// why says why a version in use was not checked: its ecosystem is
// covered by no export while the API is off ("" otherwise; the caller
// falls back on noEcosystem).
func (c *Collector) why(key string) string {
	if eco := c.uncovered[key]; eco != "" {
		return uncoveredText(eco)
	}
	return ""
}

// uncoveredText is the Reason for an ecosystem no export covers.
func uncoveredText(eco string) string {
	return fmt.Sprintf("no OSV data for %s: add the %s all.zip export to osv.exports or turn the API on", ecosystemNoun(eco), eco)
}

func ecosystemNoun(eco string) string {
	switch eco {
	case "Go":
		return "Go modules"
	case "crates.io":
		return "Rust crates (crates.io)"
	case "RubyGems":
		return "Ruby gems (RubyGems)"
	}
	return eco + " packages"
}

func fullName(comp store.InvComponent) string {
	switch {
	case comp.Namespace == "":
		return comp.Name
	case comp.Ecosystem == "maven":
		return comp.Namespace + ":" + comp.Name
	}
	return comp.Namespace + "/" + comp.Name
}

// fetch stores the records the API named that the store lacks or holds
// in an older version.
func (c *Collector) fetch(ctx context.Context, ids [][]IDRef) error {
	want := map[string]string{}
	for _, l := range ids {
		for _, r := range l {
			want[r.ID] = r.Modified
		}
	}
	var batch []store.Vuln
	for _, id := range slices.Sorted(mapKeys(want)) {
		if v, ok, err := c.opt.Store.VulnByID(ctx, id); err != nil {
			return err
		} else if ok && (want[id] == "" || v.Modified == want[id]) {
			continue
		}
		data, err := c.client.Vuln(ctx, id)
		if err != nil {
			return err
		}
		r, err := ParseRecord(data)
		if err != nil {
			return fmt.Errorf("osv: /v1/vulns/%s: %w", id, err)
		}
		batch = append(batch, toVuln(r, data, "api"))
		c.Stats.Fetched++
	}
	return c.opt.Store.PutVulns(ctx, batch)
}

func (c *Collector) record(ctx context.Context, id string) (*Record, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.records[id]; ok {
		return r, nil
	}
	v, ok, err := c.opt.Store.VulnByID(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	r, err := ParseRecord(v.Record)
	if err != nil {
		return nil, nil
	}
	c.records[id] = r
	return r, nil
}

func (c *Collector) packageVulns(ctx context.Context, eco, name string) ([]store.Vuln, error) {
	k := [2]string{eco, name}
	c.mu.Lock()
	vs, ok := c.pkgs[k]
	c.mu.Unlock()
	if ok {
		return vs, nil
	}
	vs, err := c.opt.Store.VulnsForPackage(ctx, eco, name)
	if err != nil {
		return nil, err
	}
	for i := range vs {
		vs[i].Record = nil
	}
	c.mu.Lock()
	c.pkgs[k] = vs
	c.mu.Unlock()
	return vs, nil
}

// Collect matches the inventory (once) and records the facts of one subject.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	err := c.Prepare(ctx)
	cost := collectors.Cost{RateRemaining: -1}
	reportHere := t.Subject.Kind == models.KindInstitution || !c.opt.HasInstitution
	if err != nil && reportHere && c.reported.CompareAndSwap(false, true) {
		if c.client != nil {
			cost = c.client.Cost()
		}
		return nil, cost, err
	}
	if c.matches == nil { // the matching itself failed: nothing to say,
		// but that the 30-day gate cannot be evaluated (its metric must not
		// keep an earlier run's value and read as clear).
		if t.Subject.Kind == models.KindProject {
			reason := "OSV could not be read in this run (the vulnerability matching failed): " + clip(fmt.Sprint(err), 300)
			return c.reasons(t.Subject.ID, reason, HighUnpatchedMetric, KEVMetric), cost, nil
		}
		return nil, cost, nil
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

// KEVMetric is the gate "an unpatched known-exploited vulnerability".
const KEVMetric = "osv.kev_unpatched"

// countMetrics are the project's counts over its versions in use.
var countMetrics = []string{"osv.vulns_weighted_in_use", "osv.vulns_open", "osv.vulns_critical", "osv.vulns_high",
	"osv.vulns_fixable", "osv.days_exposed_max"}

// reasons returns the metrics with no value and the Reason.
func (c *Collector) reasons(subject, reason string, metrics ...string) []models.Observation {
	var out []models.Observation
	for _, m := range metrics {
		o := c.obs(subject, m)
		o.Reason = reason
		out = append(out, o)
	}
	return out
}

// kevObs is osv.kev_unpatched: the distinct known-exploited
// vulnerabilities among those found (items: each one's ids, written at
// the end of the evidence by models.WithIDs for exceptions to match). It
// has no value, with a Reason, when no KEV catalogue is configured (the store may still hold an older one: it is
// not read as this run's list), when the catalogue is empty, or when n is
// 0 but some version in use was not checked (0 would claim "clear"; a
// count of 1 or more is true whatever the unchecked versions hold).
func (c *Collector) kevObs(subject string, items [][]string, unchecked string) models.Observation {
	o := c.obs(subject, KEVMetric)
	n := len(items)
	switch {
	case c.opt.KEV == "":
		o.Reason = "no CISA KEV catalogue configured (osv.kev)"
	case len(c.kev) == 0:
		o.Reason = "the CISA KEV catalogue (osv.kev) lists no vulnerability"
	case n == 0 && unchecked != "":
		o.Reason = "OSV data was not read for every version in use: " + unchecked
	default:
		o.Value, o.Unit = models.Num(float64(n)), "vulnerabilities"
		o.Evidence = fmt.Sprintf("distinct open vulnerabilities (aliases merged) in the CISA KEV catalogue (%d entries)", len(c.kev))
		if unchecked != "" {
			o.Evidence += "; not checked: " + unchecked
		}
		o.Evidence = models.WithIDs(o.Evidence, items)
	}
	return o
}

// kevItems are the ids of the known-exploited groups, CVE ids first (the
// catalogue's key), each group's ids sorted, the groups in order.
func kevItems(groups map[string]*vulnGroup) [][]string {
	var items [][]string
	for _, g := range groups {
		if !g.kev {
			continue
		}
		var cves, other []string
		for _, id := range append(slices.Clone(g.ids), g.aliases...) {
			switch {
			case slices.Contains(cves, id) || slices.Contains(other, id):
			case strings.HasPrefix(id, "CVE-"):
				cves = append(cves, id)
			default:
				other = append(other, id)
			}
		}
		slices.Sort(cves)
		slices.Sort(other)
		items = append(items, append(cves, other...))
	}
	slices.SortFunc(items, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return items
}

// InKEV reports whether a vulnerability, by its id or an alias, is in
// CISA's Known Exploited Vulnerabilities catalogue.
func InKEV(v store.Vuln, kev map[string]store.KEVEntry) bool {
	if kev[v.ID].CVE != "" {
		return true
	}
	for _, a := range v.Aliases {
		if kev[a].CVE != "" {
			return true
		}
	}
	return false
}

func (c *Collector) project(ctx context.Context, t collectors.Target) ([]models.Observation, error) {
	id := t.Subject.ID
	hist, current, err := c.opt.Store.ProjectInventory(ctx, id)
	if err != nil {
		return nil, err
	}
	inUse := map[string]store.InvComponent{}
	for _, r := range hist {
		if current[r.SnapshotID] {
			inUse[r.Key] = r.InvComponent
		}
	}
	now := c.opt.Now()
	// The project's release dates, read from its clone once and only
	// when a fix needs dating.
	var dates map[string]time.Time
	var datesErr error
	datesRead := false
	tags := func() (map[string]time.Time, error) {
		if !datesRead {
			datesRead = true
			dates, datesErr = tagDates(t.LocalPath)
		}
		return dates, datesErr
	}
	matches, dismissed := c.withoutNotAffected(hist, current, inUse)
	unpatched := highUnpatched(c.obs(id, HighUnpatchedMetric), now, inUse, c.checked, matches, tags, c.why)
	if len(inUse) == 0 {
		// Not in any system's SBOM: only the gates' metrics say so, so
		// that the gates are not evaluated rather than clear.
		ko := c.kevObs(id, nil, "")
		if ko.Value != nil {
			ko.Value, ko.Unit, ko.Evidence = nil, "", ""
			ko.Reason = unpatched.Reason
		}
		return []models.Observation{unpatched, ko}, nil
	}
	var checkedKeys, uncheckedKeys []string
	for _, k := range slices.Sorted(mapKeys(inUse)) {
		if c.checked[k] {
			checkedKeys = append(checkedKeys, k)
		} else {
			uncheckedKeys = append(uncheckedKeys, k)
		}
	}
	unchecked := ""
	if len(uncheckedKeys) > 0 {
		unchecked = uncheckedText(inUse, uncheckedKeys, c.why)
	}
	latest, fixDays, err := c.packageFacts(ctx, id, inUse, tags)
	if err != nil {
		return nil, err
	}
	if len(checkedKeys) == 0 {
		reason := "no version in use could be checked: " + unchecked
		out := c.reasons(id, reason, countMetrics...)
		ko := c.kevObs(id, nil, unchecked)
		return append(out, ko, latest, fixDays, unpatched), nil
	}
	worst := -1.0
	var worstEv string
	var evs []string
	for _, k := range checkedKeys {
		// Records of one vulnerability (aliases) count once per version,
		// at their worst severity.
		sum := 0.0
		var parts []string
		groups, sets := groupVulns([]string{k}, matches, nil)
		done := map[*vulnGroup]bool{}
		for _, m := range matches[k] {
			g := groups[sets.find(m.ID)]
			if done[g] {
				continue
			}
			done[g] = true
			sum += Weight(g.severity)
			// Shown as the record rated worst, with the first fix any
			// of its records names.
			rep, fixed := m, ""
			found := false
			for _, o := range matches[k] {
				if g != groups[sets.find(o.ID)] {
					continue
				}
				if !found && o.Severity == g.severity {
					rep, found = o, true
				}
				if o.Fixed != "" && (fixed == "" || Compare(o.Fixed, fixed) < 0) {
					fixed = o.Fixed
				}
			}
			m := rep
			p := m.ID + " " + g.severity
			if m.Score != nil {
				p += fmt.Sprintf(" %.1f", *m.Score)
			}
			if fixed != "" {
				p += ", fixed in " + fixed
			} else {
				p += ", no fix"
			}
			if len(g.ids) > 1 {
				p += " (same as " + strings.Join(otherIDs(setOf(g.ids), m.ID), ", ") + ")"
			}
			parts = append(parts, p)
		}
		comp := inUse[k]
		line := fmt.Sprintf("%s %s: %d known (weighted %g)", comp.Name, comp.Version, len(parts), sum)
		if len(parts) > 0 {
			line += ": " + strings.Join(parts, "; ")
		}
		evs = append(evs, line)
		if sum > worst {
			worst, worstEv = sum, line
		}
	}
	ev := strings.Join(evs, " | ")
	if len(ev) > 2000 {
		ev = worstEv + fmt.Sprintf(" (worst of %d versions in use)", len(checkedKeys))
	}
	if unchecked != "" {
		ev += "; not checked: " + clip(unchecked, 500)
	}
	if len(dismissed) > 0 {
		ev += "; " + notAffectedNote(dismissed)
	}
	num := func(metric string, v float64, unit, evidence string) models.Observation {
		o := c.obs(id, metric)
		o.Value, o.Unit, o.Evidence = models.Num(v), unit, evidence
		return o
	}
	var crit, high, fixable int
	exposed := 0.0
	groups, _ := groupVulns(checkedKeys, matches, c.kev)
	for _, g := range groups {
		switch g.severity {
		case Critical:
			crit++
		case High:
			high++
		}
		if g.fixed {
			fixable++
		}
		if p, ok := parseTime(g.published); ok {
			exposed = math.Max(exposed, math.Floor(now.Sub(p).Hours()/24))
		}
	}
	distinct := "distinct vulnerabilities (records sharing an id or alias are one) of the versions in use: "
	out := []models.Observation{
		num("osv.vulns_weighted_in_use", worst, "weighted", "worst version in use (critical 10, high 5, medium 2, low 0.5): "+ev),
		num("osv.vulns_open", float64(len(groups)), "vulnerabilities", distinct+ev),
		num("osv.vulns_critical", float64(crit), "vulnerabilities", distinct+ev),
		num("osv.vulns_high", float64(high), "vulnerabilities", distinct+ev),
		num("osv.vulns_fixable", float64(fixable), "vulnerabilities", "open vulnerabilities with a fixed version released"),
		num("osv.days_exposed_max", exposed, "days", "days since the oldest open advisory was published"),
		c.kevObs(id, kevItems(groups), unchecked),
	}
	if ko := &out[len(out)-1]; len(dismissed) > 0 && ko.Value != nil {
		ko.Evidence = notAffectedNote(dismissed) + "; " + ko.Evidence // before the ids WithIDs wrote at the end
	}
	return append(out, latest, fixDays, unpatched), nil
}

// packageFacts looks at every advisory osgauge knows for the project's
// packages: those with no fixed version affect the latest release too
// (osv.vulns_weighted_latest); those with one give the time from the
// advisory to the fixed release, dated by the project's git tags
// (osv.fix_days_median, advisories of the last 24 months).
func (c *Collector) packageFacts(ctx context.Context, id string, inUse map[string]store.InvComponent, tags func() (map[string]time.Time, error)) (models.Observation, models.Observation, error) {
	now := c.opt.Now()
	latest, fix := c.obs(id, "osv.vulns_weighted_latest"), c.obs(id, "osv.fix_days_median")
	seenPkg := map[[2]string]bool{}
	var unfixedVulns []store.Vuln
	type fixed struct {
		id, version string
		published   time.Time
	}
	var fixes []fixed
	var skipped []string // keys of versions whose package was not looked at
	for _, key := range slices.Sorted(mapKeys(inUse)) {
		comp := inUse[key]
		eco := sbom.OSVEcosystem(comp.Ecosystem)
		k := [2]string{eco, fullName(comp)}
		if eco == "" || c.uncovered[key] != "" || (c.client == nil && !c.covered[strings.ToLower(eco)]) {
			// No OSV ecosystem, or no source of its advisories: none
			// found would say nothing.
			skipped = append(skipped, key)
			continue
		}
		if seenPkg[k] {
			continue
		}
		seenPkg[k] = true
		vs, err := c.packageVulns(ctx, k[0], k[1])
		if err != nil {
			return latest, fix, err
		}
		for _, v := range vs {
			r, err := c.record(ctx, v.ID)
			if err != nil || r == nil || r.Withdrawn != "" {
				continue
			}
			fixVersion := ""
			anyFix := false
			for _, a := range r.Affected {
				if a.Package.Name != k[1] {
					continue
				}
				for _, rg := range a.Ranges {
					for _, e := range rg.Events {
						if e["fixed"] != "" {
							anyFix = true
							if fixVersion == "" || Compare(e["fixed"], fixVersion) < 0 {
								fixVersion = e["fixed"]
							}
						}
					}
				}
			}
			if !anyFix {
				unfixedVulns = append(unfixedVulns, v)
				continue
			}
			if p, ok := parseTime(v.Published); ok && now.Sub(p) <= 2*365*24*time.Hour {
				fixes = append(fixes, fixed{v.ID, fixVersion, p})
			}
		}
	}
	// Records of one vulnerability (aliases) weigh once, at their worst.
	sets := aliasSets{}
	for _, v := range unfixedVulns {
		sets.add(v)
	}
	worstOf := map[string]string{}
	for _, v := range unfixedVulns {
		r := sets.find(v.ID)
		if _, ok := worstOf[r]; !ok || severityRank(v.Severity) > severityRank(worstOf[r]) {
			worstOf[r] = v.Severity
		}
	}
	weighted := 0.0
	for _, sev := range worstOf {
		weighted += Weight(sev)
	}
	var unfixed []string
	for _, v := range unfixedVulns {
		unfixed = append(unfixed, v.ID+" "+v.Severity)
	}
	notRead := ""
	if len(skipped) > 0 {
		notRead = uncheckedText(inUse, skipped, c.why)
	}
	if len(seenPkg) == 0 {
		reason := "the advisories of no package of the project could be read: " + notRead
		latest.Reason, fix.Reason = reason, reason
		return latest, fix, nil
	}
	latest.Value, latest.Unit = models.Num(weighted), "weighted"
	latest.Evidence = "advisories with no fixed release (they affect the latest release too)"
	if len(unfixed) > 0 {
		sort.Strings(unfixed)
		latest.Evidence += ": " + strings.Join(unfixed, "; ")
	}
	if notRead != "" {
		latest.Evidence += "; packages not looked at: " + clip(notRead, 500)
	}
	if len(fixes) == 0 {
		fix.Reason = "no advisory with a fixed release in the last 24 months"
		return latest, fix, nil
	}
	dates, err := tags()
	if err != nil || len(dates) == 0 {
		fix.Reason = "the fixed releases' dates are unknown: needs a local clone with release tags (local_path)"
		return latest, fix, nil
	}
	var days []float64
	var ev []string
	for _, f := range fixes {
		d, ok := releaseDate(dates, f.version)
		if !ok {
			continue
		}
		n := math.Max(0, math.Floor(d.Sub(f.published).Hours()/24))
		days = append(days, n)
		ev = append(ev, fmt.Sprintf("%s: published %s, fixed in %s on %s (%g days)", f.id, f.published.Format("2006-01-02"), f.version, d.Format("2006-01-02"), n))
	}
	if len(days) == 0 {
		fix.Reason = "no release tag matches a fixed version"
		return latest, fix, nil
	}
	fix.Value, fix.Unit, fix.Evidence = models.Num(median(days)), "days", strings.Join(ev, "; ")
	return latest, fix, nil
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

var tagVersion = regexp.MustCompile(`\d+(\.\d+)*([-.+]?[A-Za-z0-9]+)*$`)

// tagDates reads the release tags of a local clone: version → date (the
// tagger's date of an annotated tag, else the commit's).
func tagDates(dir string) (map[string]time.Time, error) {
	if dir == "" {
		return nil, nil
	}
	repo, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true}) // a linked worktree too
	if err != nil {
		return nil, err
	}
	iter, err := repo.Tags()
	if err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	err = iter.ForEach(func(ref *plumbing.Reference) error {
		v := tagVersion.FindString(ref.Name().Short())
		if v == "" {
			return nil
		}
		if tag, err := repo.TagObject(ref.Hash()); err == nil {
			out[v] = tag.Tagger.When
		} else if cm, err := repo.CommitObject(ref.Hash()); err == nil {
			out[v] = cm.Committer.When
		}
		return nil
	})
	return out, err
}

func releaseDate(dates map[string]time.Time, version string) (time.Time, bool) {
	if d, ok := dates[strings.TrimPrefix(version, "v")]; ok {
		return d, true
	}
	for v, d := range dates {
		if Compare(v, version) == 0 {
			return d, true
		}
	}
	return time.Time{}, false
}

func (c *Collector) institution(ctx context.Context, t collectors.Target) ([]models.Observation, error) {
	id := t.Subject.ID
	snaps, err := c.opt.Store.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := c.opt.Store.SnapshotKeys(ctx)
	if err != nil {
		return nil, err
	}
	latest := map[string]int64{}
	for _, s := range snaps {
		latest[s.System] = s.ID
	}
	inLatest := map[string]bool{}
	for _, sid := range latest {
		for _, k := range keys[sid] {
			inLatest[k] = true
		}
	}
	current := slices.Sorted(mapKeys(inLatest))
	// A match analysed not affected (or a false positive) in every system
	// that runs the version is no risk here either (issue 24), as for the
	// projects; it is named in the evidence.
	matches, dismissed := c.matches, []string(nil)
	if c.analyses != nil {
		rows, err := c.opt.Store.CurrentInventory(ctx)
		if err != nil {
			return nil, err
		}
		cur := map[int64]bool{}
		for _, sid := range latest {
			cur[sid] = true
		}
		inUse := map[string]store.InvComponent{}
		for _, r := range rows {
			inUse[r.Key] = r.InvComponent
		}
		matches, dismissed = c.withoutNotAffected(rows, cur, inUse)
	}
	groups, _ := groupVulns(current, matches, c.kev)
	// The versions of the latest SBOMs not checked, by ecosystem.
	uncheckedBy := map[string]int{}
	uncheckedN := 0
	for _, k := range current {
		if !c.checked[k] {
			uncheckedN++
			if eco := c.uncovered[k]; eco != "" {
				uncheckedBy[uncoveredText(eco)]++
			} else {
				uncheckedBy[noEcosystem]++
			}
		}
	}
	unchecked := ""
	if uncheckedN > 0 {
		var parts []string
		for _, cause := range slices.Sorted(mapKeys(uncheckedBy)) {
			parts = append(parts, fmt.Sprintf("%s (%d versions)", cause, uncheckedBy[cause]))
		}
		unchecked = strings.Join(parts, "; ")
	}
	var out []models.Observation
	o := c.obs(id, "osv.vulns_open")
	o.Value, o.Unit = models.Num(float64(len(groups))), "vulnerabilities"
	o.Evidence = fmt.Sprintf("distinct known vulnerabilities (aliases merged) in the latest SBOMs (%d of %d component versions checked)", len(current)-uncheckedN, len(current))
	if unchecked != "" {
		o.Evidence += "; not checked: " + unchecked
	}
	if len(dismissed) > 0 {
		o.Evidence += "; " + notAffectedNote(dismissed)
	}
	out = append(out, o)
	out = append(out, c.kevObs(id, kevItems(groups), unchecked))
	return append(out, c.remediation(id, snaps, keys)), nil
}

// remediation is the median time from an advisory to the first later
// snapshot of the same system that no longer holds the vulnerable
// component version (handled and re-tested, as SBOM history shows it).
func (c *Collector) remediation(id string, snaps []store.Snapshot, keys map[int64][]string) models.Observation {
	o := c.obs(id, "osv.remediation_days_median")
	bySystem := map[string][]store.Snapshot{}
	for _, s := range snaps {
		bySystem[s.System] = append(bySystem[s.System], s)
	}
	var days []float64
	var ev []string
	for _, sys := range slices.Sorted(mapKeys(bySystem)) {
		list := bySystem[sys]
		var prev map[string]bool
		for _, s := range list {
			cur := map[string]bool{}
			for _, k := range keys[s.ID] {
				cur[k] = true
			}
			still := map[string]bool{} // vulnerabilities the snapshot still holds
			for k := range cur {
				for _, m := range c.matches[k] {
					still[m.ID] = true
				}
			}
			for _, k := range slices.Sorted(mapKeys(prev)) {
				if cur[k] {
					continue
				}
				for _, m := range c.matches[k] {
					if still[m.ID] {
						continue // upgraded to a version that is still affected
					}
					p, ok := parseTime(m.Published)
					if !ok {
						continue
					}
					d := math.Max(0, math.Floor(s.ImportedAt.Sub(p).Hours()/24))
					days = append(days, d)
					if len(ev) < 20 {
						ev = append(ev, fmt.Sprintf("%s: %s gone from %s on %s (%g days after the advisory)", m.ID, k, sys, s.ImportedAt.Format("2006-01-02"), d))
					}
				}
			}
			prev = cur
		}
	}
	if len(days) == 0 {
		o.Reason = "no vulnerable component version has yet left a system's SBOM"
		return o
	}
	o.Value, o.Unit, o.Evidence = models.Num(median(days)), "days", strings.Join(ev, "; ")
	return o
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
