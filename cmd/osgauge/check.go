package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

// exitError carries a process exit code (main exits with it; an empty
// message prints nothing).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }
func (e *exitError) ExitCode() int { return e.code }

// usageError is exit code 2: a usage or input error (check's contract).
func usageError(err error) error { return &exitError{code: 2, err: err} }

func newCheck(g *globals) *cobra.Command {
	var sbomPath, system, format string
	cmd := &cobra.Command{
		Use:   "check --sbom FILE --system NAME [--format text|json|sarif|junit]",
		Short: "Check a system's SBOM against the lifecycle policy, for pipelines: exit 0 passes, 1 blocks, 2 bad input",
		Long: `check judges every component of an SBOM the way the policy (lifecycle.policy)
says, offline, from the store and the ledger, and prints one line per
finding with its fix. It blocks (exit code 1) on:

  - a component rejected at intake, or on the exit list past its deadline;
  - a licence banned by license_policy or lifecycle.policy.banned_licences,
    or incompatible with the system's licence in its use;
  - a known-exploited vulnerability (CISA KEV, block_kev) or one at or above
    block_severity (default critical), from the OSV records in the store;
  - use without an intake decision where lifecycle.intake_required asks
    for one (direct components by default; transitive ones under all).

It warns on an exit before its deadline, an approval on conditions or due
for review, and a licence to review. The system's licence and use come
from its sboms: entry in the config (the licence, else the one its SBOM
declares, else license_policy.default_system_licence); a system the config
does not list is judged under the default licence as distributed.

Exit codes: 0 nothing blocks, 1 the policy blocks, 2 a usage or input error
(a broken SBOM is named with its line). --format json prints
{"passed": bool, "findings": [{"component", "version", "purl", "rule",
"message", "fix", "blocking"}], …}; sarif is a SARIF 2.1.0 log (code
scanning), junit one test case per component with a failure per blocking
finding. Fill the store first: osgauge collect --only osv (with osv.export
and osv.kev for an offline intranet).`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError(fmt.Errorf("check takes no arguments (got %q): use --sbom FILE --system NAME", args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			if sbomPath == "" || system == "" {
				return usageError(errors.New("check needs --sbom FILE and --system NAME"))
			}
			if !slices.Contains(policy.Formats, format) {
				return usageError(fmt.Errorf("--format %q: use text, json, sarif or junit", format))
			}
			cfg, err := g.loadConfig()
			if err != nil {
				return usageError(err)
			}
			data, err := os.ReadFile(sbomPath)
			if err != nil {
				return usageError(fmt.Errorf("--sbom: %w", err))
			}
			st, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return usageError(err)
			}
			defer st.Close()
			res, err := runCheck(cmd.Context(), cfg, st, system, sbomPath, bytes.NewReader(data), time.Now())
			if err != nil {
				return usageError(err)
			}
			if err := res.Write(cmd.OutOrStdout(), format, version()); err != nil {
				return usageError(err)
			}
			if !res.Passed {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&sbomPath, "sbom", "", "the SBOM to check (CycloneDX or SPDX, JSON, XML or tag-value)")
	cmd.Flags().StringVar(&system, "system", "", "the system the SBOM describes (its sboms: entry gives its licence and use)")
	cmd.Flags().StringVar(&format, "format", "text", "output: text, json, sarif or junit")
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })
	return cmd
}

// checker is runCheck for serve's POST /api/v1/check: the config as
// serve loaded it, the ledger read again for each request (its files
// change under review).
func checker(cfg *config.Config, st *store.Store) server.Checker {
	return func(ctx context.Context, system, name string, body io.Reader) (policy.Result, error) {
		return runCheck(ctx, cfg, st, system, name, body, time.Now())
	}
}

// runCheck checks one SBOM (read from r, named name in messages) for a
// system: the ledger from lifecycle.ledger, the licence verdicts for the
// system's licence and use, the vulnerabilities of each version from the
// OSV records and the KEV list in the store (no network). Input errors
// (an SBOM that does not parse, a broken ledger file) are
// policy.InputErrors.
func runCheck(ctx context.Context, cfg *config.Config, st *store.Store, system, name string, r io.Reader, now time.Time) (policy.Result, error) {
	if strings.TrimSpace(system) == "" {
		return policy.Result{}, &policy.InputError{Err: errors.New("no system named: give the system the SBOM describes")}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return policy.Result{}, &policy.InputError{Err: fmt.Errorf("%s: %w", name, err)}
	}
	doc, err := sbom.Parse(name, data)
	if err != nil {
		return policy.Result{}, &policy.InputError{Err: err}
	}
	led, err := ledger.Load(cfg.LedgerDir())
	if err != nil {
		return policy.Result{}, &policy.InputError{Err: err}
	}
	rules := cfg.Lifecycle.Policy
	rules.IntakeRequired = cfg.Lifecycle.IntakeRequired
	comps, notes, err := checkComponents(ctx, cfg, st, led, system, doc, now)
	if err != nil {
		return policy.Result{}, err
	}
	res := policy.NewResult(system, name, comps, rules, now)
	res.Notes = notes
	res.Lines = purlLines(data)
	return res, nil
}

// checkComponents gathers policy.Components for a parsed SBOM.
func checkComponents(ctx context.Context, cfg *config.Config, st *store.Store, led *ledger.Ledger, system string, doc *sbom.Doc, now time.Time) ([]policy.Component, []string, error) {
	var notes []string
	// The system's licence and use: its sboms: entry (licence, else the
	// SBOM's own declaration), else the institution's default as
	// distributed.
	sysLicence, use := "", licenses.UseDistributed
	i := slices.IndexFunc(cfg.SBOMs, func(s config.SBOM) bool { return s.System == system })
	if i >= 0 {
		s := cfg.SBOMs[i]
		sysLicence, use = strings.TrimSpace(s.Licence), s.Use
		if !s.UseStated {
			use = "" // judged as distributed for compatibility, internal for the policy, as collect does
		}
		if sysLicence == "" {
			sysLicence = doc.RootLicense
		}
	} else {
		notes = append(notes, fmt.Sprintf("%s is not in the config's sboms: judged under license_policy.default_system_licence (%s) as distributed", system, cfg.LicensePolicy.DefaultSystemLicence))
	}
	repos := map[string]string{} // component_repos, keyed as the inventory's packages
	for k, v := range cfg.ComponentRepos {
		if p, ok := sbom.ParsePURL(k); ok {
			k = p.Package()
		}
		repos[k] = v
	}
	judge := sbom.NewJudger(licenses.WithOverrides(cfg.LicensePolicy.Uses), cfg.LicensePolicy.DefaultSystemLicence)
	kev, err := st.KEV(ctx)
	if err != nil {
		return nil, nil, err
	}
	m := &vulnMatcher{st: st, kev: kev, records: map[string]*osv.Record{}}

	// One entry per component key, as an import keeps it: the closest
	// relation and the least restricted scope.
	byKey := map[string]int{}
	var list []sbom.Component
	for _, c := range doc.Components {
		if j, ok := byKey[c.Key]; ok {
			if checkRelationRank(c.Relation) < checkRelationRank(list[j].Relation) {
				list[j].Relation = c.Relation
			}
			if checkScopeRank(c.Scope) < checkScopeRank(list[j].Scope) {
				list[j].Scope = c.Scope
			}
			if list[j].License == "" {
				list[j].License, list[j].LicenseNote = c.License, c.LicenseNote
			}
			continue
		}
		byKey[c.Key] = len(list)
		list = append(list, c)
	}
	out := make([]policy.Component, 0, len(list))
	matched := 0
	for _, c := range list {
		pc := policy.Component{Name: c.DisplayName(), Version: c.Version, PURL: c.PURL, Scope: c.Scope,
			Direct: c.Relation == sbom.Direct || c.Relation == sbom.Unknown, RelationUnknown: c.Relation == sbom.Unknown}
		if pc.Name == "" {
			pc.Name = c.Name
		}
		// The component's repository and project, as an import records
		// them (component_repos first), so that a decision or exit on the
		// package URL, the project or the repository applies, as in the
		// report's lifecycle section.
		repo, project := c.Repo, ""
		p, isPURL := sbom.ParsePURL(c.PURL)
		if r, ok := repos[p.Package()]; isPURL && ok {
			repo, project = r, sbom.ProjectID(r)
		} else if c.Ecosystem == "golang" {
			project = p.Namespace + "/" + p.Name
		} else {
			project = sbom.ProjectID(repo)
		}
		row := store.InventoryRow{System: system, Use: use, SysLicense: sysLicence, Relation: c.Relation, RefLicense: c.License,
			Scope: c.Scope, Linking: c.Linking, LicenseNote: c.LicenseNote,
			InvComponent: store.InvComponent{Key: c.Key, PURL: c.PURL, Ecosystem: c.Ecosystem, Namespace: c.Namespace, Name: c.Name,
				Version: c.Version, License: c.License, Repo: repo, ProjectID: project}}
		targets := pipeline.LifecycleTargets(row)
		if len(targets) > 0 {
			pc.Target = targets[0]
		}
		state, id := pipeline.LifecycleState(led, targets, c.Version)
		pc.State = state
		switch state {
		case ledger.StateExit:
			if i := slices.IndexFunc(led.Exits, func(e ledger.Exit) bool { return e.ID == id }); i >= 0 {
				e := led.Exits[i]
				pc.ExitDeadline, pc.ExitReplacement, pc.ExitReason = e.Deadline, e.Replacement, e.Reason
				pc.Decided, pc.DecidedBy, pc.Why = dateOf(e.At), e.By, e.Why
			}
		case ledger.StateApproved, ledger.StateConditional, ledger.StateRejected:
			if i := slices.IndexFunc(led.Decisions, func(d ledger.Decision) bool { return d.ID == id }); i >= 0 {
				d := led.Decisions[i]
				pc.Decided, pc.DecidedBy, pc.Why, pc.Conditions, pc.ReviewBy = dateOf(d.At), d.By, d.Why, d.Conditions, d.ReviewBy
			}
		}
		u := judge.Judge(row)
		pc.Licence, pc.LicenceClass, pc.Compatibility, pc.CompatibilityWhy, pc.LicencePolicy = c.License, u.Class, u.Compat, u.CompatWhy, u.Decision
		pc.SystemLicence, pc.Use = u.SystemLicence, use
		if c.Scope != sbom.ScopeOwn && c.Scope != sbom.ScopeExcluded {
			vs, err := m.match(ctx, c)
			if err != nil {
				return nil, nil, err
			}
			pc.Vulns = vs
			if len(vs) > 0 {
				matched++
			}
		}
		out = append(out, pc)
	}
	sl := sysLicence
	if sl == "" {
		sl = judge.DefaultLicence() + " (license_policy.default_system_licence)"
	}
	u := use
	if u == "" {
		u = "not stated (compatibility judged as distributed)"
	}
	notes = append(notes, fmt.Sprintf("licences judged against %s, use %s", sl, u),
		fmt.Sprintf("vulnerabilities from the store's OSV records (%d records read, %d components affected) and its KEV list (%d entries): run osgauge collect --only osv to refresh them", len(m.records), matched, len(kev)))
	return out, notes, nil
}

func checkRelationRank(r string) int {
	switch r {
	case sbom.Direct:
		return 0
	case sbom.Transitive:
		return 1
	}
	return 2
}

// checkScopeRank orders scopes as an import does: the least restricted
// wins when a component is listed twice.
func checkScopeRank(s string) int {
	if i := slices.Index([]string{sbom.ScopeOwn, sbom.ScopeRuntime, sbom.ScopeOptional, sbom.ScopeProvided, sbom.ScopeBuild, sbom.ScopeDev, sbom.ScopeTest, sbom.ScopeExcluded}, s); i >= 0 {
		return i
	}
	return 1
}

func dateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// vulnMatcher matches component versions against the OSV records in the
// store, as the osv collector does offline (Record.AffectedVersion on the
// package's records, withdrawn ones left out), each record parsed once.
type vulnMatcher struct {
	st      *store.Store
	kev     map[string]store.KEVEntry
	records map[string]*osv.Record
	pkgs    map[[2]string][]store.Vuln
}

func (m *vulnMatcher) match(ctx context.Context, c sbom.Component) ([]policy.Vuln, error) {
	eco := sbom.OSVEcosystem(c.Ecosystem)
	if eco == "" || c.Version == "" {
		return nil, nil
	}
	name := c.DisplayName()
	k := [2]string{eco, name}
	if m.pkgs == nil {
		m.pkgs = map[[2]string][]store.Vuln{}
	}
	vs, ok := m.pkgs[k]
	if !ok {
		var err error
		if vs, err = m.st.VulnsForPackage(ctx, eco, name); err != nil {
			return nil, err
		}
		m.pkgs[k] = vs
	}
	var out []policy.Vuln
	for i := range vs {
		v := &vs[i]
		r, ok := m.records[v.ID]
		if !ok {
			r, _ = osv.ParseRecord(v.Record) // a record that does not parse is left out, as the collector does
			m.records[v.ID] = r
			v.Record = nil
		}
		if r == nil || r.Withdrawn != "" {
			continue
		}
		affected, fixed, _ := r.AffectedVersion(eco, name, c.Version)
		if !affected {
			continue
		}
		sev, _ := r.Rate(eco, name)
		out = append(out, policy.Vuln{ID: v.ID, Aliases: v.Aliases, Severity: sev, KEV: osv.InKEV(*v, m.kev), Fixed: fixed})
	}
	return out, nil
}

// purlLines maps each package URL in an SBOM's text to the line where it
// first appears (for SARIF locations): the text from "pkg:" to the next
// quote, angle bracket, comma or white space.
func purlLines(data []byte) map[string]int {
	out := map[string]int{}
	line := 1
	for len(data) > 0 {
		i := bytes.IndexAny(data, "\np")
		if i < 0 {
			break
		}
		if data[i] == '\n' {
			line++
			data = data[i+1:]
			continue
		}
		data = data[i:]
		if !bytes.HasPrefix(data, []byte("pkg:")) {
			data = data[1:]
			continue
		}
		end := bytes.IndexAny(data, "\"'<>, \t\r\n")
		if end < 0 {
			end = len(data)
		}
		p := string(data[:end])
		if _, ok := out[p]; !ok {
			out[p] = line
		}
		data = data[end:]
	}
	return out
}
