package pipeline

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vulns"
)

// The vulnerability handling section of the report (issue 24 point 7):
// the findings of package vulns (the store's SBOM history and matches,
// the KEV list and the ledger's analyses) laid out for the report — the
// findings riskiest first, the totals of the report's period, open and
// overdue by system, the ageing of the open findings and the time to fix
// per quarter. It also gives the analyses that take a vulnerability out
// of the risk counts elsewhere (Dismissals): a finding analysed
// not_affected or false_positive counts as a risk nowhere, and is listed
// with its justification.

// VulnOptions say what the vulnerability section is judged against.
type VulnOptions struct {
	// Ledger is the ledger to use; when nil, LedgerDir is loaded ("": no
	// ledger, no analyses; a missing folder is an empty ledger, a broken
	// one an error naming the file and line).
	Ledger    *ledger.Ledger
	LedgerDir string
	// Deadlines are vulnerability_policy.deadlines_days (zero: the
	// defaults, vulns.DefaultDeadlines).
	Deadlines vulns.Deadlines
	// Now judges states (a mitigation's end) and deadlines.
	Now time.Time
}

func (o VulnOptions) ledger() (*ledger.Ledger, error) {
	if o.Ledger != nil || o.LedgerDir == "" {
		return o.Ledger, nil
	}
	return ledger.Load(o.LedgerDir)
}

// BuildVulnerabilities assembles the report's vulnerability section from
// the store and the ledger. rep gives the period ("this period" in the
// totals; it may be nil: the totals are then over all time). It returns
// nil when there is no finding.
func BuildVulnerabilities(ctx context.Context, st *store.Store, rep *reports.Report, opt VulnOptions) (*reports.VulnReport, error) {
	l, err := opt.ledger()
	if err != nil {
		return nil, err
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	d := opt.Deadlines
	if d == (vulns.Deadlines{}) {
		d = vulns.DefaultDeadlines()
	}
	fs, err := vulns.Load(ctx, st, l, d, now)
	if err != nil || len(fs) == 0 {
		return nil, err
	}
	var start, end time.Time
	if rep != nil {
		if p, err := assess.ParsePeriod(rep.Period); err == nil {
			start, end = p.Start, p.End
		}
	}
	v := VulnSection(fs, start, end, d, now)
	if l != nil {
		v.Ledger = l.Dir
	}
	return v, nil
}

// Risk classes of the findings' order: overdue known-exploited, overdue,
// open known-exploited, open, mitigated or awaiting re-test, analysed
// not affected or false positive, verified.
func riskClass(f vulns.Finding) int {
	switch {
	case f.Overdue && f.KEV:
		return 0
	case f.Overdue:
		return 1
	case f.Open && f.KEV:
		return 2
	case f.Open:
		return 3
	case f.State == vulns.NotAffected || f.State == vulns.FalsePositive:
		return 5
	case f.State == vulns.Verified:
		return 6
	}
	return 4 // mitigated, fixed awaiting its re-test, affected but not open
}

// riskierFinding orders findings riskiest first: by risk class, then
// severity, earliest due date, system and id.
func riskierFinding(a, b vulns.Finding) int {
	if c := cmp.Compare(riskClass(a), riskClass(b)); c != 0 {
		return c
	}
	if c := cmp.Compare(vulns.SeverityRank(b.Severity), vulns.SeverityRank(a.Severity)); c != 0 {
		return c
	}
	if c := a.Due.Compare(b.Due); c != 0 {
		return c
	}
	if c := strings.Compare(a.System, b.System); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// ageBands are the ageing bands of open findings, in whole days since
// they opened: 0–30, 31–90, 91–180, more than 180.
var ageBands = []struct {
	name     string
	min, max int // max -1: none
}{{"0-30", 0, 30}, {"31-90", 31, 90}, {"91-180", 91, 180}, {">180", 181, -1}}

// ageDays is the whole days from since to now (0 when since is later).
func ageDays(since, now time.Time) int {
	d := now.Sub(since).Hours() / 24
	if d < 0 {
		return 0
	}
	return int(math.Floor(d))
}

// VulnSection lays findings out for the report: pure, so that a test can
// work every figure out by hand. start and end bound the period (zero:
// open).
func VulnSection(fs []vulns.Finding, start, end time.Time, d vulns.Deadlines, now time.Time) *reports.VulnReport {
	now = now.UTC()
	v := &reports.VulnReport{AsOf: now, PeriodStart: start, PeriodEnd: end, Deadlines: d,
		Findings: []reports.VulnFinding{}, Totals: vulnTotals(fs, start, end), ByQuarter: vulns.ByQuarter(fs)}
	if v.ByQuarter == nil {
		v.ByQuarter = []vulns.Period{}
	}
	sorted := slices.Clone(fs)
	slices.SortStableFunc(sorted, riskierFinding)
	listed := map[string]int{}
	for _, f := range sorted {
		if f.State == vulns.Verified && f.VerifiedAt != nil && !start.IsZero() && f.VerifiedAt.Before(start) {
			v.VerifiedBeforePeriod++
			continue
		}
		listed[f.System]++
		v.Findings = append(v.Findings, reportFinding(f, now))
	}
	// By system.
	bySys := map[string][]vulns.Finding{}
	for _, f := range fs {
		bySys[f.System] = append(bySys[f.System], f)
	}
	for sys, sfs := range bySys {
		v.BySystem = append(v.BySystem, reports.VulnSystem{System: sys, Findings: listed[sys], VulnTotals: vulnTotals(sfs, start, end)})
	}
	slices.SortFunc(v.BySystem, func(a, b reports.VulnSystem) int {
		if c := cmp.Compare(b.Totals.OverdueKEV, a.Totals.OverdueKEV); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Totals.Overdue, a.Totals.Overdue); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Totals.Open, a.Totals.Open); c != 0 {
			return c
		}
		return strings.Compare(a.System, b.System)
	})
	// Ageing of the open findings.
	for _, b := range ageBands {
		age := reports.VulnAge{Band: b.name, MinDays: b.min, BySeverity: map[string]int{}}
		if b.max >= 0 {
			m := b.max
			age.MaxDays = &m
		}
		for _, s := range vulns.Severities {
			age.BySeverity[s] = 0
		}
		for _, f := range fs {
			if !f.Open {
				continue
			}
			if a := ageDays(f.Since, now); a < b.min || (b.max >= 0 && a > b.max) {
				continue
			}
			age.Open++
			if f.Overdue {
				age.Overdue++
			}
			if f.KEV {
				age.KEV++
			}
			age.BySeverity[severityOf(f)]++
		}
		v.Ageing = append(v.Ageing, age)
	}
	return v
}

// severityOf is a finding's severity as vulns.Severities spells it.
func severityOf(f vulns.Finding) string {
	if slices.Contains(vulns.Severities, f.Severity) {
		return f.Severity
	}
	return "unknown"
}

// vulnTotals are vulns.Summarise's totals and the overdue by severity.
func vulnTotals(fs []vulns.Finding, start, end time.Time) reports.VulnTotals {
	t := reports.VulnTotals{Totals: vulns.Summarise(fs, start, end), OverdueBySeverity: map[string]int{}}
	for _, s := range vulns.Severities {
		t.OverdueBySeverity[s] = 0
	}
	for _, f := range fs {
		if f.Overdue {
			t.OverdueBySeverity[severityOf(f)]++
		}
	}
	return t
}

func reportFinding(f vulns.Finding, now time.Time) reports.VulnFinding {
	r := reports.VulnFinding{Finding: f.ID, System: f.System, Component: f.Component, Version: f.Version, PURL: f.PURL, ID: f.Vuln,
		Aliases: f.Aliases, Severity: f.Severity, KEV: f.KEV, KEVDateAdded: f.KEVDateAdded, State: f.State, Justification: f.Justification,
		Response: f.Response, Detail: f.Detail, Since: f.Since, Due: f.Due, Overdue: f.Overdue, FixedIn: f.FixedIn, VerifiedAt: f.VerifiedAt,
		VerifiedBy: f.VerifiedBy, Open: f.Open, Reopened: f.Reopened, FixNotVerified: f.FixNotVerified, MitigatedUntil: f.MitigatedUntil,
		FixedAt: f.FixedAt, DaysToTriage: f.DaysToTriage, DaysToFix: f.DaysToFix, DaysToVerify: f.DaysToVerify, History: f.History}
	if r.Aliases == nil {
		r.Aliases = []string{}
	}
	if r.History == nil {
		r.History = []vulns.Event{}
	}
	if f.Open {
		a := ageDays(f.Since, now)
		r.AgeDays = &a
	}
	return r
}

var _ osv.Analyses = (*Dismissals)(nil)

// Dismissals are the findings analysed not_affected or false_positive:
// the vulnerability is no risk in that system's version of the package,
// so the inventory's and the projects' vulnerability counts leave it out
// (and say so). It implements osv.Analyses.
type Dismissals struct {
	// by is keyed system|package|version|VULN-ID (each id and alias).
	by map[string]string
}

// NewDismissals gathers the findings analysed not_affected or
// false_positive: each running version that the applied analysis's range
// (Finding.AnalysisVersions) covers, and no other.
func NewDismissals(fs []vulns.Finding) *Dismissals {
	d := &Dismissals{by: map[string]string{}}
	for _, f := range fs {
		if f.State != vulns.NotAffected && f.State != vulns.FalsePositive {
			continue
		}
		why := f.State
		if f.Justification != "" {
			why += " (" + f.Justification + ")"
		}
		for _, ver := range strings.Split(f.Version, ", ") {
			if f.AnalysisVersions == "" || !ledger.VersionMatches(f.AnalysisVersions, ver) {
				continue // the analysis does not speak for this version
			}
			for _, id := range append([]string{f.Vuln}, f.Aliases...) {
				d.by[dismissKey(f.System, f.Component, ver, id)] = why
			}
		}
	}
	return d
}

func dismissKey(system, pkg, version, id string) string {
	return system + "|" + pkg + "|" + version + "|" + strings.ToUpper(id)
}

// LoadDismissals builds the findings from the store and the ledger folder
// ("" or missing: none) and gathers their dismissals.
func LoadDismissals(ctx context.Context, st *store.Store, ledgerDir string, now time.Time) (*Dismissals, error) {
	l, err := VulnOptions{LedgerDir: ledgerDir}.ledger()
	if err != nil {
		return nil, err
	}
	return DismissalsFor(ctx, st, l, now)
}

// DismissalsFor gathers the dismissals of the findings built from the
// store and a loaded ledger (nil: none).
func DismissalsFor(ctx context.Context, st *store.Store, l *ledger.Ledger, now time.Time) (*Dismissals, error) {
	if l == nil || len(l.Analyses) == 0 {
		return NewDismissals(nil), nil // nothing analysed: nothing to build
	}
	if now.IsZero() {
		now = time.Now()
	}
	fs, err := vulns.Load(ctx, st, l, vulns.DefaultDeadlines(), now)
	if err != nil {
		return nil, err
	}
	return NewDismissals(fs), nil
}

// NotAffected says whether the vulnerability known by any of ids is
// analysed not_affected or false_positive in system's version c, and how
// ("not_affected (vulnerable_code_not_in_execute_path)").
func (d *Dismissals) NotAffected(system string, c store.InvComponent, ids []string) (string, bool) {
	if d == nil || len(d.by) == 0 {
		return "", false
	}
	pkg := vulns.PackageOf(c)
	ver := c.Version
	if ver == "" {
		if i := strings.LastIndexByte(c.Key, '@'); i > 0 {
			ver = c.Key[i+1:]
		}
	}
	for _, id := range ids {
		if why, ok := d.by[dismissKey(system, pkg, ver, id)]; ok {
			return why, true
		}
	}
	return "", false
}

// Everywhere says whether the vulnerability is analysed not_affected or
// false_positive in every one of systems (none: false), with the
// analyses ("payments: not_affected (…); portal: false_positive").
func (d *Dismissals) Everywhere(systems []string, c store.InvComponent, ids []string) (string, bool) {
	if len(systems) == 0 {
		return "", false
	}
	var whys []string
	for _, s := range systems {
		why, ok := d.NotAffected(s, c, ids)
		if !ok {
			return "", false
		}
		whys = append(whys, s+": "+why)
	}
	return strings.Join(whys, "; "), true
}
