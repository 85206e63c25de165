package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/mod/modfile"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// supplyChain builds the sbom and osv collectors from the config. The OSV
// matching waits for the SBOM import when both run.
func supplyChain(cfg *config.Config, st *store.Store, only []string) (*sbom.Collector, *osv.Collector) {
	var systems []sbom.System
	for _, s := range cfg.SBOMs {
		systems = append(systems, sbom.System{Name: s.System, Path: cfg.Resolve(s.Path), Licence: s.Licence, Use: s.Use, UseUnstated: !s.UseStated})
	}
	hasInst := cfg.Institution.Name != ""
	sb := sbom.New(sbom.Options{Systems: systems, Repos: cfg.ComponentRepos, Policy: licenses.WithOverrides(cfg.LicensePolicy.Uses),
		DefaultSystemLicence: cfg.LicensePolicy.DefaultSystemLicence, Store: st, HasInstitution: hasInst})
	var before func(context.Context) error
	if len(only) == 0 || slices.Contains(only, sbom.Name) {
		before = sb.Import
	}
	var exports []string
	for _, e := range cfg.OSV.Export {
		exports = append(exports, cfg.Resolve(e))
	}
	ov := osv.New(osv.Options{APIURL: cfg.OSV.APIURL, Exports: exports, KEV: cfg.Resolve(cfg.OSV.KEV), Store: st,
		Before: before, HasInstitution: hasInst,
		// A match analysed not_affected or false_positive in the ledger (issue 24) counts in no project's metrics.
		Analyses: func(ctx context.Context) (osv.Analyses, error) {
			d, err := pipeline.LoadDismissals(ctx, st, cfg.LedgerDir(), time.Time{})
			if err != nil {
				return nil, err
			}
			return d, nil
		}})
	return sb, ov
}

func newInventory(g *globals) *cobra.Command {
	var export, component string
	cmd := &cobra.Command{
		Use:   "inventory",
		Short: "Systems, components (direct/transitive), licences and vulnerabilities from the SBOMs",
		Long: `inventory reads the SBOM inventory in the store (osgauge collect --only sbom,osv)
and prints counts: systems, components (distinct across systems), direct vs
transitive, by ecosystem, by licence class, licence compatibility with each
system's licence (OSADL) and the licence policy's decisions, known
vulnerabilities, and the projects declared in the config against the
components discovered in the SBOMs (the undercount, made visible).

--component NAME[@VERSION] answers "which systems run fastjson 1.2.24?": NAME is
a name (fastjson), a Maven group:artifact, an npm scoped name (@babel/core) or a
package URL (pkg:npm/%40babel/core, as the inventory prints it; with @VERSION
or not).

Counts say their unit: a component is one version of one package, counted
once however many systems use it (its licence verdict is the worst over
the systems, each judged under its own licence and use); a reference is
one system's use of one component. A system whose latest SBOM failed to
import is marked STALE with the error: its figures are the last ones read.
--export FILE writes the counts (.json) or one row per system and component (.csv).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadConfig()
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer st.Close()
			w := cmd.OutOrStdout()
			if component != "" {
				name, version := componentQuery(component)
				rows, err := st.SystemsRunning(cmd.Context(), name, version)
				if err != nil {
					return err
				}
				if len(rows) == 0 {
					fmt.Fprintf(w, "no system's latest SBOM holds %s\n", component)
					return nil
				}
				state := componentStates(cfg)
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "SYSTEM\tCOMPONENT\tVERSION\tRELATION\tSCOPE\tSTATE\tLICENCE")
				for _, r := range rows {
					lic := r.DeclaredLicence()
					if from := r.BorrowedFrom(); from != "" {
						lic += " (declared in " + from + "'s SBOM)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.System, r.Key, r.Version, r.Relation, orRuntime(r.Scope), state(r), lic)
				}
				return tw.Flush()
			}
			inv, rows, err := buildInventory(cmd.Context(), st, cfg)
			if err != nil {
				return err
			}
			printInventory(w, inv)
			if err := printInventoryLifecycle(cmd.Context(), w, st, cfg); err != nil {
				return err
			}
			if export != "" {
				if err := exportInventory(export, inv, rows); err != nil {
					return err
				}
				fmt.Fprintln(w, "wrote", absOr(export))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&export, "export", "", "write the inventory to FILE (.json: counts; .csv: one row per system and component)")
	cmd.Flags().StringVar(&component, "component", "", "list the systems that run NAME[@VERSION] (name, group/name or package URL)")
	return cmd
}

// Inventory is what `osgauge inventory` prints and exports.
type Inventory struct {
	GeneratedAt     time.Time      `json:"generated_at"`
	Systems         []SystemCount  `json:"systems"`
	Components      int            `json:"components"` // distinct component versions
	Packages        int            `json:"packages"`   // distinct packages, versions merged
	References      int            `json:"references"`
	Relations       map[string]int `json:"relations"`    // direct, transitive, unknown (references)
	Depth           map[string]int `json:"depth"`        // direct (anywhere), transitive (only), unknown (components)
	ByEcosystem     map[string]int `json:"by_ecosystem"` // distinct components
	ByClass         map[string]int `json:"by_license_class"`
	ByCompatibility map[string]int `json:"by_compatibility"` // components, the worst verdict over their systems
	ByPolicy        map[string]int `json:"by_policy"`        // components, the worst decision over their systems
	StaleSystems    int            `json:"stale_systems"`
	Vulnerable      map[string]int `json:"vulnerable_components_by_severity,omitempty"`
	Checked         int            `json:"components_checked_for_vulnerabilities"`
	Declared        int            `json:"projects_declared"` // projects in the config
	Mapped          int            `json:"projects_mapped"`   // distinct projects the components map to
	DeclaredFound   int            `json:"declared_projects_found_in_sboms"`
	Attribution     string         `json:"attribution"`
}

// SystemCount is one system's line.
type SystemCount struct {
	Name    string `json:"name"`
	Use     string `json:"use"`
	Licence string `json:"licence,omitempty"`
	// LicenceSource is "config" or "sbom" (the SBOM's description of the
	// system, used when the config gives no licence).
	LicenceSource string    `json:"licence_source,omitempty"`
	Format        string    `json:"format"`
	Components    int       `json:"components"`
	Direct        int       `json:"direct"`
	Transitive    int       `json:"transitive"`
	Snapshots     int       `json:"snapshots"`
	ImportedAt    time.Time `json:"imported_at"`
	// Stale: the latest import failed (ImportError says why); the
	// figures are those of the last SBOM read.
	Stale       bool   `json:"stale,omitempty"`
	ImportError string `json:"import_error,omitempty"`
}

type invRow struct {
	sbom.Use
	Vulns string
}

func buildInventory(ctx context.Context, st *store.Store, cfg *config.Config) (*Inventory, []invRow, error) {
	judge := sbom.NewJudger(licenses.WithOverrides(cfg.LicensePolicy.Uses), cfg.LicensePolicy.DefaultSystemLicence)
	snaps, err := st.CurrentSnapshots(ctx)
	if err != nil {
		return nil, nil, err
	}
	all, err := st.Snapshots(ctx)
	if err != nil {
		return nil, nil, err
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil {
		return nil, nil, err
	}
	matches, checked, err := st.Matches(ctx)
	if err != nil {
		return nil, nil, err
	}
	failed, err := st.FailedImports(ctx)
	if err != nil {
		return nil, nil, err
	}
	inv := &Inventory{GeneratedAt: time.Now().UTC(), Relations: map[string]int{}, Depth: map[string]int{}, ByEcosystem: map[string]int{}, ByClass: map[string]int{},
		ByCompatibility: map[string]int{}, ByPolicy: map[string]int{}, Vulnerable: map[string]int{}, Declared: len(cfg.Projects),
		Attribution: licenses.Attribution}
	sys := map[string]*SystemCount{}
	for _, s := range snaps {
		sc := &SystemCount{Name: s.System, Use: s.Use, Licence: s.SystemLicense, LicenceSource: s.LicenseSource, Format: s.Format, Components: s.Components, ImportedAt: s.ImportedAt}
		if sc.Licence == "" {
			sc.Licence, sc.LicenceSource = judge.DefaultLicence(), "default"
		}
		if f, ok := failed[s.System]; ok {
			sc.Stale, sc.ImportError = true, f.Error
			inv.StaleSystems++
		}
		for _, a := range all {
			if a.System == s.System {
				sc.Snapshots++
			}
		}
		sys[s.System] = sc
	}
	seen, pkgs, projects := map[string]bool{}, map[string]bool{}, map[string]bool{}
	// Per component: the worst verdict and decision over its systems, and
	// its depth (direct anywhere wins; unknown only when no SBOM says).
	compat, decision, depth, class := map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}
	var out []invRow
	for _, r := range rows {
		u := judge.Judge(r)
		inv.References++
		inv.Relations[r.Relation]++
		if sc := sys[r.System]; sc != nil {
			switch r.Relation {
			case sbom.Direct:
				sc.Direct++
			case sbom.Transitive:
				sc.Transitive++
			}
		}
		if u.Compat != "" && licenses.WorseThan(licenses.Verdicts, u.Compat, compat[r.Key]) {
			compat[r.Key] = u.Compat
		}
		if licenses.WorseThan(licenses.Decisions, u.Decision, decision[r.Key]) {
			decision[r.Key] = u.Decision
		}
		if licenses.WorseThan(licenses.Classes, u.Class, class[r.Key]) {
			class[r.Key] = u.Class // as the reports: the worst over the SBOMs that declare it
		}
		if d := depth[r.Key]; d == "" || r.Relation == sbom.Direct || (d == sbom.Unknown && r.Relation == sbom.Transitive) {
			depth[r.Key] = r.Relation
		}
		var vs []string
		worst := ""
		for _, m := range matches[r.Key] {
			vs = append(vs, m.ID+" "+m.Severity)
			if worst == "" || osv.Weight(m.Severity) > osv.Weight(worst) {
				worst = m.Severity
			}
		}
		out = append(out, invRow{Use: u, Vulns: strings.Join(vs, "; ")})
		if seen[r.Key] {
			continue
		}
		seen[r.Key] = true
		inv.Components++
		eco := r.Ecosystem
		if eco == "" {
			eco = "generic"
		}
		inv.ByEcosystem[eco]++
		pkgs[strings.SplitN(r.Key, "@", 2)[0]] = true
		if r.ProjectID != "" {
			projects[r.ProjectID] = true
		}
		if checked[r.Key] {
			inv.Checked++
		}
		if worst != "" {
			inv.Vulnerable[worst]++
		}
	}
	for k := range seen {
		if compat[k] != "" {
			inv.ByCompatibility[compat[k]]++
		}
		inv.ByPolicy[decision[k]]++
		inv.Depth[depth[k]]++
		inv.ByClass[class[k]]++
	}
	inv.Packages, inv.Mapped = len(pkgs), len(projects)
	for _, p := range cfg.Projects {
		if projects[pipeline.ProjectID(p.Name, p.Repo)] {
			inv.DeclaredFound++
		}
	}
	for name, f := range failed { // never imported: listed, stale, with the error
		if sys[name] == nil {
			sys[name] = &SystemCount{Name: name, Format: "-", Stale: true, ImportError: f.Error, ImportedAt: f.FailedAt}
			inv.StaleSystems++
		}
	}
	for _, name := range slices.Sorted(maps.Keys(sys)) {
		inv.Systems = append(inv.Systems, *sys[name])
	}
	return inv, out, nil
}

func printInventory(w io.Writer, inv *Inventory) {
	if len(inv.Systems) == 0 {
		fmt.Fprintln(w, "no SBOM imported yet: list them under sboms: in osgauge.yaml and run 'osgauge collect --only sbom'")
		return
	}
	var tw table // aligned by display width: system names may be Chinese
	tw.row("SYSTEM", "USE", "LICENCE", "FORMAT", "COMPONENTS", "DIRECT", "TRANSITIVE", "SNAPSHOTS", "IMPORTED")
	for _, s := range inv.Systems {
		imported := s.ImportedAt.Format("2006-01-02")
		if s.Stale {
			imported += " STALE"
		}
		use := s.Use
		if use == "" {
			use = "not stated"
		}
		tw.row(s.Name, use, licenceShown(s), s.Format, fmt.Sprint(s.Components), fmt.Sprint(s.Direct), fmt.Sprint(s.Transitive),
			fmt.Sprint(s.Snapshots), imported)
	}
	tw.write(w)
	for _, s := range inv.Systems {
		if s.Stale {
			fmt.Fprintf(w, "STALE %s: the latest import failed (%s); its figures are those of the SBOM imported %s\n", s.Name, s.ImportError, s.ImportedAt.Format("2006-01-02"))
		}
	}
	fmt.Fprintf(w, "\n%d systems; %d components (distinct versions; %d packages), used in %d references (one system's use of one component)\n",
		len(inv.Systems), inv.Components, inv.Packages, inv.References)
	fmt.Fprintf(w, "depth (components): %d direct in some system, %d only transitive, %d not stated; (references): %d direct, %d transitive, %d not stated\n",
		inv.Depth[sbom.Direct], inv.Depth[sbom.Transitive], inv.Depth[sbom.Unknown], inv.Relations[sbom.Direct], inv.Relations[sbom.Transitive], inv.Relations[sbom.Unknown])
	fmt.Fprintf(w, "declared in the config: %d projects (%d of them found in the SBOMs); discovered in the SBOMs: %d packages mapping to %d projects\n",
		inv.Declared, inv.DeclaredFound, inv.Packages, inv.Mapped)
	counts := func(title string, m map[string]int, order []string) {
		var parts []string
		for _, k := range order {
			if m[k] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !slices.Contains(order, k) && m[k] > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
			}
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "%s: %s\n", title, strings.Join(parts, ", "))
		}
	}
	counts("by ecosystem (components)", inv.ByEcosystem, nil)
	counts("by licence class (components)", inv.ByClass, licenses.Classes)
	counts("compatibility with each system's licence and use (components, the worst over their systems)", inv.ByCompatibility, licenses.Verdicts)
	counts("licence policy (components, the worst over their systems)", inv.ByPolicy, licenses.Decisions)
	if inv.Checked > 0 {
		counts(fmt.Sprintf("vulnerable components by worst severity (%d checked)", inv.Checked), inv.Vulnerable, []string{osv.Critical, osv.High, osv.Medium, osv.Low, osv.Unrated})
	}
	if len(inv.ByCompatibility) > 0 {
		fmt.Fprintln(w, inv.Attribution)
	}
}

func exportInventory(path string, inv *Inventory, rows []invRow) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		err = enc.Encode(inv)
	case ".csv":
		cw := csv.NewWriter(f)
		cw.Write([]string{"system", "use", "system_licence", "component", "name", "version", "ecosystem", "relation", "scope", "linking", "licence",
			"licence_borrowed_from", "licence_notes", "class", "compatibility", "compatibility_why", "policy", "supplier", "project", "vulnerabilities"})
		for _, r := range rows {
			cw.Write([]string{cell(r.System), r.InventoryRow.Use, cell(r.SystemLicence), cell(r.Key), cell(r.Name), cell(r.Version), cell(r.Ecosystem), r.Relation,
				r.Scope, r.Linking, cell(r.DeclaredLicence()), cell(r.BorrowedFrom()), cell(strings.Join(r.Notes, " | ")), r.Class, r.Compat, cell(r.CompatWhy),
				r.Decision, cell(r.Supplier), cell(r.ProjectID), cell(r.Vulns)})
		}
		cw.Flush()
		err = cw.Error()
	default:
		err = fmt.Errorf("--export: %s: use a .json or .csv file", path)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// cell keeps text from SBOMs from being read as a spreadsheet formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// demoInventory records the inventory of osgauge's own Go dependencies
// (the modules the demo assessed, from the build info) as the SBOM of the
// system "osgauge", distributed under Apache-2.0, with each module's
// licence as the licence collector detected it; then records each
// module's licence compatibility and policy decision, and prints the
// inventory.
func demoInventory(ctx context.Context, s *session, targets []collectors.Target) error {
	facts, err := s.st.LatestFacts(ctx, time.Now())
	if err != nil {
		return err
	}
	direct := map[string]bool{}
	if root, _ := pipeline.FindSelfCheckout("."); root != "" {
		if data, err := os.ReadFile(filepath.Join(root, "go.mod")); err == nil {
			if mf, err := modfile.ParseLax("go.mod", data, nil); err == nil {
				for _, r := range mf.Require {
					if !r.Indirect {
						direct[r.Mod.Path] = true
					}
				}
			}
		}
	}
	doc := &sbom.Doc{Format: "go-buildinfo", Root: "osgauge"}
	var deps []collectors.Target
	for _, t := range targets {
		if t.Subject.Attrs["origin"] != "go module" {
			continue
		}
		deps = append(deps, t)
		path, version := t.Subject.ID, t.Subject.Attrs["version"]
		rel := sbom.Unknown
		if len(direct) > 0 {
			rel = sbom.Transitive
			if direct[path] {
				rel = sbom.Direct
			}
		}
		comp := sbom.Component{PURL: "pkg:golang/" + path + "@" + version, Name: path, Version: version,
			License: facts[path]["license.spdx"].Text, Relation: rel}
		comp.Key = "pkg:golang/" + path + "@" + version
		comp.Ecosystem = "golang"
		if i := strings.LastIndex(path, "/"); i >= 0 {
			comp.Namespace, comp.Name = path[:i], path[i+1:]
		}
		doc.Components = append(doc.Components, comp)
	}
	if len(deps) == 0 {
		return nil
	}
	sb := sbom.New(sbom.Options{Systems: []sbom.System{{Name: "osgauge", Path: "(build info)", Licence: "Apache-2.0", Use: licenses.UseDistributed, Doc: doc}},
		Store: s.st, Policy: licenses.WithOverrides(s.cfg.LicensePolicy.Uses), DefaultSystemLicence: s.cfg.LicensePolicy.DefaultSystemLicence})
	sum, err := pipeline.Collect(ctx, s.st, deps, []collectors.Collector{sb}, pipeline.CollectOptions{Workers: 2})
	if err != nil {
		return err
	}
	s.failed += len(sum.Failed)
	cfg := *s.cfg
	cfg.Projects = nil
	inv, _, err := buildInventory(ctx, s.st, &cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(s.w, "\ninventory of osgauge's own Go dependencies (system osgauge, Apache-2.0, distributed):")
	printInventory(s.w, inv)
	var bad []string
	rows, _ := s.st.CurrentInventory(ctx)
	judge := sbom.NewJudger(licenses.WithOverrides(s.cfg.LicensePolicy.Uses), s.cfg.LicensePolicy.DefaultSystemLicence)
	for _, r := range rows {
		if u := judge.Judge(r); u.Compat == licenses.Incompatible || u.Compat == licenses.NeedsReview {
			bad = append(bad, fmt.Sprintf("%s %s (%s: %s)", r.Namespace+"/"+r.Name, r.Version, orUnknown(firstNonEmpty(r.RefLicense, r.License)), u.Compat))
		}
	}
	if len(bad) > 0 {
		slices.Sort(bad)
		if len(bad) > 10 {
			bad = append(bad[:10], fmt.Sprintf("… and %d more", len(bad)-10))
		}
		fmt.Fprintln(s.w, "to look at:", strings.Join(bad, "; "))
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "licence not detected"
	}
	return s
}

// licenceShown is the system's licence as the terminal shows it, saying
// when it was read from the SBOM rather than given in the config.
func licenceShown(s SystemCount) string {
	switch {
	case s.Licence == "":
		return "-"
	case s.LicenceSource == "sbom":
		return s.Licence + " (from the SBOM)"
	case s.LicenceSource == "default":
		return s.Licence + " (the institution's default)"
	}
	return s.Licence
}

// componentQuery reads --component: NAME[@VERSION], where NAME may be a
// scoped npm name (@babel/core) or a package URL, which is put in the
// canonical form the inventory's keys use.
func componentQuery(q string) (name, version string) {
	q = strings.TrimSpace(q)
	if strings.HasPrefix(strings.ToLower(q), "pkg:") {
		if p, ok := sbom.ParsePURL(q); ok {
			return p.Package(), p.Version
		}
		return q, ""
	}
	if i := strings.LastIndex(q, "@"); i > 0 {
		return q[:i], q[i+1:]
	}
	return q, ""
}

func orRuntime(scope string) string {
	if scope == "" {
		return "runtime"
	}
	return scope
}
