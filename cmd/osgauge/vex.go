package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vex"
	"github.com/osgauge/osgauge/vulns"
)

// vexNow is the clock of the vex commands (tests set it).
var vexNow = time.Now

func newVex(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vex",
		Short: "VEX in and out: import CycloneDX VEX and OpenVEX statements as analyses, export a system's statements",
		Long: `vex exchanges vulnerability analyses with suppliers, scanners and downstream
parties as VEX (Vulnerability Exploitability eXchange) documents:

  osgauge vex import FILE [--system NAME] [--by WHO] [--strict]
  osgauge vex export --system NAME --format cyclonedx|openvex [-o FILE]

import reads CycloneDX VEX (JSON or XML, standalone or the vulnerabilities[]
with analysis of an SBOM) and OpenVEX (JSON, v0.2.0) and records each
statement about a component of the system and a vulnerability osgauge knows
as a vuln-analysis in the ledger. export writes the system's findings in
their current state.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newVexImport(g), newVexExport(g))
	return cmd
}

func newVexImport(g *globals) *cobra.Command {
	var system, by string
	var strict bool
	cmd := &cobra.Command{
		Use:   "import FILE [--system NAME] [--by WHO] [--strict]",
		Short: "Record a VEX document's statements as analyses in the ledger (who, when, why: from the document)",
		Long: `import reads a VEX document — CycloneDX VEX (JSON or XML; a standalone VEX or
an SBOM whose vulnerabilities[] carry an analysis) or OpenVEX (JSON, v0.2.0)
— and records each statement as a vuln-analysis in the ledger (vulns/ under
lifecycle.ledger), mirrored into the store. States map to osgauge's:
CycloneDX exploitable → affected, resolved and resolved_with_pedigree → fixed,
OpenVEX under_investigation → in_triage; justifications stay in the
document's vocabulary. Source is the file's name, by the document's author
(or tooling) unless --by is given, why its detail or impact statement.

The system is --system, else the system the document names (the CycloneDX
metadata component, an OpenVEX product with subcomponents) when the config
or the store knows it. Each statement must name a component of that system's
inventory (by package URL; a version, when given, one the system has run)
and a vulnerability osgauge knows (a stored OSV record or a finding, by any
alias). A statement that does not is listed as not recorded, with the
reason, never dropped in silence: the command exits 0 with the list, or 1
with --strict. A statement already recorded from the same file, or one that
would not change its finding, is skipped: importing a file twice records
nothing the second time.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := g.loadConfig()
			if err != nil {
				return err
			}
			data, err := os.ReadFile(args[0])
			if err != nil {
				return usageError(err)
			}
			doc, err := vex.Parse(args[0], data)
			if err != nil {
				return usageError(err)
			}
			st, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := vexImport(auth.With(cmd.Context(), cliIdentity()), cfg, st, doc, system, by, vexNow().UTC())
			if err != nil {
				return err
			}
			recordCLIIn(cmd.Context(), cmd.ErrOrStderr(), st, "vex import", args[0], map[string]any{"system": system, "source": res.Source, "by": res.By, // the audit log (token.go)
				"recorded": res.count(vexRecorded), "proposed": res.count(vexProposed), "skipped": res.count(vexSkipped), "not_recorded": res.count(vexNotRecorded)})
			printVexImport(cmd.OutOrStdout(), doc, res)
			if strict && res.count(vexNotRecorded) > 0 {
				return &exitError{code: 1}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&system, "system", "", "the system the statements are about (default: the one the document names)")
	f.StringVar(&by, "by", "", "who the analyses are recorded as by (default: the document's author or tooling)")
	f.BoolVar(&strict, "strict", false, "exit 1 when a statement is not recorded (names nothing osgauge knows, or cannot be read)")
	return cmd
}

func newVexExport(g *globals) *cobra.Command {
	var system, format, out, author, spec string
	cmd := &cobra.Command{
		Use:   "export --system NAME --format cyclonedx|openvex [-o FILE]",
		Short: "Write a system's vulnerability statements as CycloneDX VEX or OpenVEX",
		Long: `export writes the institution's statements about a system: one per finding
(its vulnerability with aliases, the component's package URL with the version
the system runs or last ran, the state, justification, response and detail),
plus the analyses in force for the system that no finding uses.

--format cyclonedx writes CycloneDX VEX JSON (--spec 1.6, or 1.5): per
vulnerability its id, source (OSV), references (aliases), rating, analysis
{state, justification, response, detail, firstIssued, lastUpdated} and
affects. --format openvex writes OpenVEX v0.2.0 JSON. What a format cannot
say (a mitigation and its end, verified, false_positive in OpenVEX) is stated
as the nearest state with an osgauge note that 'osgauge vex import' reads
back. Without -o the document goes to standard output; with -o it is written
whole or not at all.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var specV cdx.SpecVersion
			switch spec {
			case "1.5":
				specV = cdx.SpecVersion1_5
			case "1.6":
				specV = cdx.SpecVersion1_6
			default:
				return usageError(fmt.Errorf("--spec must be 1.5 or 1.6, got %q", spec))
			}
			if format != "cyclonedx" && format != "openvex" {
				return usageError(fmt.Errorf("--format must be cyclonedx or openvex, got %q", format))
			}
			cfg, err := g.loadConfig()
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			now := vexNow().UTC()
			if author == "" {
				author = cfg.Institution.Name
			}
			doc, err := vexExport(cmd.Context(), cfg, st, system, author, now)
			if err != nil {
				return err
			}
			write := func(w io.Writer) error {
				if format == "openvex" {
					return vex.WriteOpenVEX(w, doc)
				}
				return vex.WriteCycloneDX(w, doc, specV)
			}
			if out == "" {
				return write(cmd.OutOrStdout())
			}
			if err := writeFileAtomic(out, write); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%s: %d statements about %s (%s)\n", out, len(doc.Statements), system, format)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&system, "system", "", "the system (required)")
	f.StringVar(&format, "format", "", "cyclonedx or openvex (required)")
	f.StringVarP(&out, "output", "o", "", "the file to write (default: standard output)")
	f.StringVar(&author, "author", "", "the document's author (default: institution.name)")
	f.StringVar(&spec, "spec", "1.6", "CycloneDX spec version: 1.6 or 1.5")
	cmd.MarkFlagRequired("system")
	cmd.MarkFlagRequired("format")
	return cmd
}

// writeFileAtomic writes through a temporary file beside path, renamed
// into place when write succeeds: nothing half-written is kept.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Outcomes of an imported statement.
const (
	vexRecorded    = "recorded"
	vexSkipped     = "skipped"
	vexNotRecorded = "not recorded"
	vexProposed    = "proposed" // a KEV finding's closing statement, waiting for a second person
)

// vexOutcome is what import did with one statement.
type vexOutcome struct {
	Statement vex.Statement
	System    string
	Outcome   string // recorded, skipped, not recorded
	Reason    string // why skipped or not recorded; the record's id when recorded
	Vuln      string // the id recorded under
	Path      string // the ledger file written
}

type vexImportResult struct {
	Source   string
	By       string
	Outcomes []vexOutcome
	Notes    []string
}

func (r vexImportResult) count(outcome string) int {
	n := 0
	for _, o := range r.Outcomes {
		if o.Outcome == outcome {
			n++
		}
	}
	return n
}

// vexKnown is what osgauge knows to resolve statements against.
type vexKnown struct {
	systems  map[string]bool
	versions map[string]map[string][]string // system → package → versions held in any snapshot
	vulnIDs  map[string]bool                // upper-case ids and aliases of stored records and findings
	findings []vulns.Finding
}

func loadVexKnown(ctx context.Context, cfg *config.Config, st *store.Store, l *ledger.Ledger, now time.Time) (*vexKnown, error) {
	k := &vexKnown{systems: map[string]bool{}, versions: map[string]map[string][]string{}, vulnIDs: map[string]bool{}}
	for _, s := range cfg.SBOMs {
		k.systems[s.System] = true
	}
	snaps, err := st.Snapshots(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := st.SnapshotKeys(ctx)
	if err != nil {
		return nil, err
	}
	comps, err := st.Components(ctx)
	if err != nil {
		return nil, err
	}
	byKey := map[string]store.InvComponent{}
	for _, c := range comps {
		byKey[c.Key] = c
	}
	for _, sn := range snaps {
		k.systems[sn.System] = true
		m := k.versions[sn.System]
		if m == nil {
			m = map[string][]string{}
			k.versions[sn.System] = m
		}
		for _, key := range keys[sn.ID] {
			c, ok := byKey[key]
			if !ok {
				c = store.InvComponent{Key: key}
			}
			pkg := vulns.PackageOf(c)
			if !slices.Contains(m[pkg], c.Version) {
				m[pkg] = append(m[pkg], c.Version)
			}
		}
	}
	matches, _, err := st.Matches(ctx)
	if err != nil {
		return nil, err
	}
	for _, cvs := range matches {
		for _, cv := range cvs {
			k.vulnIDs[strings.ToUpper(cv.ID)] = true
			for _, a := range cv.Aliases {
				k.vulnIDs[strings.ToUpper(a)] = true
			}
		}
	}
	if k.findings, err = vulns.Load(ctx, st, l, cfg.VulnerabilityPolicy.Deadlines(), now); err != nil {
		return nil, err
	}
	return k, nil
}

// knownVuln says whether osgauge knows id: a finding's or a matched record's
// id or alias, or a stored OSV record.
func (k *vexKnown) knownVuln(ctx context.Context, st *store.Store, id string) bool {
	if k.vulnIDs[strings.ToUpper(id)] {
		return true
	}
	_, ok, err := st.VulnByID(ctx, id)
	if ok && err == nil {
		k.vulnIDs[strings.ToUpper(id)] = true
	}
	return ok && err == nil
}

// finding is the system's finding of pkg whose vulnerability is one of ids.
func (k *vexKnown) finding(system, pkg string, ids []string) (vulns.Finding, bool) {
	for _, f := range k.findings {
		if f.System != system || f.Component != pkg {
			continue
		}
		all := append([]string{f.Vuln}, f.Aliases...)
		for _, id := range ids {
			if slices.ContainsFunc(all, func(x string) bool { return strings.EqualFold(x, id) }) {
				return f, true
			}
		}
	}
	return vulns.Finding{}, false
}

// vexImport resolves and records doc's statements (see 'vex import').
func vexImport(ctx context.Context, cfg *config.Config, st *store.Store, doc *vex.Document, system, by string, now time.Time) (vexImportResult, error) {
	dir := cfg.LedgerDir()
	l, err := ledger.Load(dir)
	if err != nil {
		return vexImportResult{}, usageError(err)
	}
	k, err := loadVexKnown(ctx, cfg, st, l, now)
	if err != nil {
		return vexImportResult{}, err
	}
	if system != "" && !k.systems[system] {
		return vexImportResult{}, usageError(fmt.Errorf("--system %s: no such system (neither in the config's sboms nor in the store)", system))
	}
	res := vexImportResult{Source: filepath.Base(doc.Name), By: strings.TrimSpace(by)}
	if res.By == "" {
		res.By = doc.Author
	}
	if res.By == "" {
		return res, usageError(fmt.Errorf("%s names no author or tooling: give --by WHO", doc.Name))
	}
	if system != "" && doc.System != "" && doc.System != system && k.systems[doc.System] {
		res.Notes = append(res.Notes, fmt.Sprintf("the document describes %s; its statements are recorded for %s (--system)", doc.System, system))
	}
	sup := l.SupersededAnalyses()

	// The latest statement per system, component version and vulnerability:
	// an earlier one in the same document is superseded by it.
	type key struct{ system, pkg, version, vuln string }
	var outs []vexOutcome
	latest := map[key]int{}
	for _, s := range doc.Statements {
		o := vexOutcome{Statement: s, Outcome: vexNotRecorded}
		outs = append(outs, o)
		i := len(outs) - 1
		if s.Problem != "" {
			outs[i].Reason = s.Problem
			continue
		}
		sys := system
		if sys == "" {
			for _, c := range []string{s.Product, doc.System} {
				if c != "" && k.systems[c] {
					sys = c
					break
				}
				if p := purlName(c); p != "" && k.systems[p] {
					sys = p
					break
				}
			}
		}
		if sys == "" {
			named := ""
			if s.Product != "" || doc.System != "" {
				named = fmt.Sprintf(" (the document names %q, which is no system osgauge knows)", firstNonEmpty(s.Product, doc.System))
			}
			outs[i].Reason = "no system: give --system" + named
			continue
		}
		outs[i].System = sys
		held, ok := k.versions[sys][s.Package]
		if !ok {
			outs[i].Reason = fmt.Sprintf("%s is not in %s's inventory (no SBOM of %s holds it)", s.Package, sys, sys)
			continue
		}
		if s.Version != "" && !slices.Contains(held, s.Version) {
			sort.Strings(held)
			outs[i].Reason = fmt.Sprintf("%s %s never ran in %s (its SBOMs hold %s)", s.Package, s.Version, sys, strings.Join(held, ", "))
			continue
		}
		ids := append([]string{s.Vuln}, s.Aliases...)
		vuln := ""
		if f, ok := k.finding(sys, s.Package, ids); ok {
			vuln = f.Vuln
		} else {
			for _, id := range ids {
				if k.knownVuln(ctx, st, id) {
					vuln = id
					break
				}
			}
		}
		if vuln == "" {
			outs[i].Reason = fmt.Sprintf("vulnerability %s is not known: no stored OSV record or finding has that id or alias", strings.Join(ids, " / "))
			continue
		}
		outs[i].Vuln = vuln
		kk := key{sys, s.Package, s.Version, strings.ToUpper(vuln)}
		if j, ok := latest[kk]; ok {
			older := j
			if s.Timestamp.Before(outs[j].Statement.Timestamp) {
				older = i
			} else {
				latest[kk] = i
			}
			outs[older].Outcome, outs[older].Reason = vexSkipped, "superseded by a later statement of the same document about the same component and vulnerability"
			if older == i {
				continue
			}
		} else {
			latest[kk] = i
		}
		outs[i].Outcome = "" // to record
	}

	// KEV findings' ids and aliases: a closing statement about one is
	// proposed (maker-checker vex_kev), one proposal per statement.
	kevIDs := map[string]bool{}
	needs2 := cfg.Server.Auth.NeedsSecondPerson(ledger.CheckVexKEV)
	for _, f := range k.findings {
		if f.KEV {
			kevIDs[strings.ToUpper(f.Vuln)] = true
			for _, a := range f.Aliases {
				kevIDs[strings.ToUpper(a)] = true
			}
		}
	}
	recorded := 0
	for i := range outs {
		o := &outs[i]
		if o.Outcome != "" {
			continue
		}
		s := o.Statement
		versions, err := versionRange(s.Version)
		if err != nil {
			o.Outcome, o.Reason = vexNotRecorded, err.Error()
			continue
		}
		a := ledger.VulnAnalysis{System: o.System, Target: s.Package, Versions: versions, Vuln: o.Vuln,
			State: s.State, Justification: s.Justification, Response: s.Response, Detail: s.Detail, Until: s.Until,
			By: res.By, Why: vexWhy(doc, s), Source: res.Source}
		if s.Version == "" {
			a.Why += " (no version given: every version)"
		}
		if reason := vexDuplicate(l, sup, k, a); reason != "" {
			o.Outcome, o.Reason = vexSkipped, reason
			continue
		}
		if needs2 && kevClosing(a.State) && kevIDs[strings.ToUpper(a.Vuln)] {
			// Proposed by who runs the import; the document's author is
			// said in the why.
			a.Why += " (statement by " + a.By + ")"
			a.By = ""
			p, path, err := proposeAs(ctx, dir, ledger.Proposal{Policy: ledger.CheckVexKEV, Analyses: []ledger.VulnAnalysis{a}}, "", now)
			if err != nil {
				o.Outcome, o.Reason = vexNotRecorded, err.Error()
				continue
			}
			o.Outcome, o.Path = vexProposed, path
			o.Reason = fmt.Sprintf("known exploited (KEV): proposal %s by %s waits for a second person (osgauge intake confirm %s)", p.ID, p.By, p.ID)
			recorded++
			continue
		}
		path, err := ledger.Record(dir, a, now)
		if err != nil {
			o.Outcome, o.Reason = vexNotRecorded, err.Error()
			continue
		}
		o.Outcome, o.Path = vexRecorded, path
		o.Reason = strings.TrimPrefix(strings.TrimSuffix(filepath.Base(path), ".yaml"), now.Format("2006-01-02")+"-")
		if s.Version == "" {
			o.Reason += " (no version given: every version)"
		}
		recorded++
	}
	res.Outcomes = outs
	if recorded > 0 {
		l, err := ledger.Load(dir)
		if err != nil {
			return res, err
		}
		if _, err := ledger.Sync(ctx, st, l, now); err != nil {
			return res, fmt.Errorf("%d analyses are written to %s, but the store mirror failed (it is brought up to date on the next sync): %w", recorded, dir, err)
		}
	}
	return res, nil
}

// versionRange is the ledger range of a statement's version: "" (none
// given) every version, which the record's why and the output line say;
// else exactly that version (ledger.ExactRange), or an error when no range
// names it exactly (the statement is not recorded, never widened).
func versionRange(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	return ledger.ExactRange(v)
}

// vexWhy is the record's why: the statement's detail or impact statement,
// else what the document said.
func vexWhy(doc *vex.Document, s vex.Statement) string {
	if s.Detail != "" {
		return s.Detail
	}
	what := s.DocState
	if s.Justification != "" {
		what += " (" + s.Justification + ")"
	}
	return fmt.Sprintf("%s states %s %s (%s)", doc.Format, s.Vuln, what, s.Where)
}

// vexDuplicate says why a is not recorded again: the same statement was
// already recorded from the same file, or the finding is already in that
// state; "" when a is new.
func vexDuplicate(l *ledger.Ledger, sup map[string]string, k *vexKnown, a ledger.VulnAnalysis) string {
	same := func(b ledger.VulnAnalysis) bool {
		return b.System == a.System && b.Target == a.Target && b.Versions == a.Versions && strings.EqualFold(b.Vuln, a.Vuln) &&
			b.State == a.State && b.Justification == a.Justification && b.Response == a.Response && b.Detail == a.Detail && b.Until == a.Until
	}
	for _, b := range l.Analyses {
		if b.Source == a.Source && same(b) {
			return fmt.Sprintf("already recorded from %s as %s", a.Source, b.ID)
		}
	}
	for _, b := range l.Analyses {
		if sup[b.ID] == "" && same(b) {
			return fmt.Sprintf("the same analysis is in force (%s)", b.ID)
		}
	}
	f, ok := k.finding(a.System, a.Target, []string{a.Vuln})
	if !ok || (a.Versions != "" && !slices.Contains(strings.Split(f.Version, ", "), strings.TrimPrefix(a.Versions, "="))) {
		return ""
	}
	switch {
	case f.State == vulns.Verified && a.State == vulns.Fixed:
		return fmt.Sprintf("the finding is already verified (%s)", f.VerifiedBy)
	case f.FixNotVerified:
		return ""
	case f.State == a.State && (a.Justification == "" || a.Justification == f.Justification) &&
		(a.Detail == "" || a.Detail == f.Detail) && (a.Response == "" || a.Response == f.Response) && a.Until == f.MitigatedUntil:
		return fmt.Sprintf("no change: the finding is already %s", f.State)
	}
	return ""
}

func purlName(s string) string {
	if !strings.HasPrefix(s, "pkg:") {
		return ""
	}
	s = strings.TrimPrefix(s, "pkg:")
	s, _, _ = strings.Cut(s, "?")
	if i := strings.LastIndexByte(s, '@'); i > 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	return s
}

func printVexImport(w io.Writer, doc *vex.Document, r vexImportResult) {
	for _, o := range r.Outcomes {
		s := o.Statement
		comp := s.Package
		if s.Version != "" {
			comp += "@" + s.Version
		}
		if comp == "" {
			comp = s.Ref
		}
		state := s.State
		if s.Justification != "" {
			state += " (" + s.Justification + ")"
		}
		sys := o.System
		if sys == "" {
			sys = "-"
		}
		label := o.Outcome
		if label == vexNotRecorded {
			label = "NOT RECORDED"
		}
		fmt.Fprintf(w, "%-12s %s %s %s %s: %s [%s]\n", label, sys, comp, firstNonEmpty(o.Vuln, s.Vuln), state, o.Reason, s.Where)
	}
	for _, n := range append(slices.Clone(doc.Notes), r.Notes...) {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	nr := r.count(vexNotRecorded)
	fmt.Fprintf(w, "%s (%s, by %s): %d statements: %d recorded, %d skipped, %d not recorded\n",
		doc.Name, doc.Format, r.By, len(r.Outcomes), r.count(vexRecorded), r.count(vexSkipped), nr)
	if n := r.count(vexProposed); n > 0 {
		fmt.Fprintf(w, "%d statements about known-exploited vulnerabilities are proposed: they take effect when a second person confirms them (osgauge intake proposals)\n", n)
	}
	if nr > 0 {
		fmt.Fprintf(w, "warning: %d statements not recorded (listed above): they name a component or vulnerability osgauge does not know, or cannot be read; after the next collection, importing the file again records those that then apply\n", nr)
	}
}

// vexExport builds the document of system's statements as of now.
func vexExport(ctx context.Context, cfg *config.Config, st *store.Store, system, author string, now time.Time) (*vex.Document, error) {
	l, err := ledger.Load(cfg.LedgerDir())
	if err != nil {
		return nil, usageError(err)
	}
	k, err := loadVexKnown(ctx, cfg, st, l, now)
	if err != nil {
		return nil, err
	}
	if !k.systems[system] {
		return nil, usageError(fmt.Errorf("--system %s: no such system (neither in the config's sboms nor in the store)", system))
	}
	// Analyses in force for the system that no finding of it uses.
	sup := l.SupersededAnalyses()
	var extra []ledger.VulnAnalysis
	for _, a := range l.Analyses {
		if sup[a.ID] != "" || (a.System != system && a.System != "") {
			continue
		}
		if a.System == "" {
			if _, ok := k.versions[system][a.Target]; !ok {
				continue
			}
		}
		if _, ok := k.finding(system, a.Target, []string{a.Vuln}); ok {
			continue
		}
		extra = append(extra, a)
	}
	return &vex.Document{System: system, Author: author, Timestamp: now, Statements: vex.FromFindings(system, k.findings, extra)}, nil
}
