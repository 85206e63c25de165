package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/reports/intake"
	"github.com/osgauge/osgauge/store"
)

// Intake assessment (issue 23, 引入评估): a candidate is assessed before it
// is taken in, with whatever sources the config and the network allow; its
// observations go to the store like any collection's, its PHI result is
// kept in a run of kind "intake" (never in a period's assessment), and the
// intake report rides along as that run's stats, so that `intake decide`
// can attach what a decision was based on.

// CandidateAttr is the subject attribute that marks a subject registered
// by an intake assessment: a candidate, not (yet) in the portfolio. Assess
// leaves such subjects out of a period's results; a candidate added to the
// config's projects loses the mark at its next collection.
const CandidateAttr = "intake_candidate"

// RunIntake is the run kind of intake assessments.
const RunIntake = "intake"

// How a TARGET was read.
const (
	IntakeFromPURL      = "purl"
	IntakeFromRepo      = "repository"
	IntakeFromClone     = "clone"
	IntakeFromProject   = "project"
	IntakeFromComponent = "component"
)

// IntakeTarget is a command-line TARGET, read.
type IntakeTarget struct {
	Input string // as given
	Kind  string // purl, repository, clone, project, component
	Name  string
	// Target is what a ledger decision names: a package URL without
	// version, else host/owner/name (local/<name> for a clone without a
	// remote address).
	Target  string
	Version string
	// Ecosystem is the package URL type (maven, npm…) and Package the
	// package's name in OSV's spelling (com.alibaba:fastjson), when the
	// target names a package.
	Ecosystem, Package string
	// Repo, LocalPath and ProjectID locate the project whose health is
	// assessed ("" ProjectID: none known).
	Repo, LocalPath, ProjectID string
	// Licence is the licence the inventory declares for the component
	// (used when no clone is at hand), LicenceFrom the system whose SBOM
	// declared it.
	Licence, LicenceFrom string
	// Facts and UseType come from the config's project of the same
	// repository, when there is one.
	Facts       map[string]string
	FactsSource string
	UseType     string
	Note        string // how it was read, when worth saying
}

// ResolveIntakeTargets reads each TARGET: a package URL
// (pkg:maven/com.alibaba/fastjson@1.2.83), a project name from the
// config, a local directory (a clone), a repository URL, or a component of
// the inventory (name or name@version).
func ResolveIntakeTargets(ctx context.Context, st *store.Store, cfg *config.Config, args []string) ([]IntakeTarget, error) {
	var comps []store.InvComponent
	loaded := false
	inventory := func() ([]store.InvComponent, error) {
		if !loaded {
			var err error
			if comps, err = st.Components(ctx); err != nil {
				return nil, err
			}
			loaded = true
		}
		return comps, nil
	}
	var out []IntakeTarget
	for _, arg := range args {
		t, err := resolveIntakeTarget(cfg, inventory, arg)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func resolveIntakeTarget(cfg *config.Config, inventory func() ([]store.InvComponent, error), arg string) (IntakeTarget, error) {
	arg = strings.TrimSpace(arg)
	t := IntakeTarget{Input: arg}
	if arg == "" {
		return t, errors.New("an empty TARGET")
	}
	// A package URL.
	if len(arg) >= 4 && strings.EqualFold(arg[:4], "pkg:") {
		p, ok := sbom.ParsePURL(arg)
		if !ok {
			return t, fmt.Errorf("%q is not a package URL (pkg:maven/com.alibaba/fastjson@1.2.83)", arg)
		}
		t.Kind, t.Target, t.Version, t.Ecosystem = IntakeFromPURL, p.Package(), p.Version, p.Type
		t.Name, t.Package = packageNames(p.Type, p.Namespace, p.Name)
		t.Repo = cfg.ComponentRepos[t.Target]
		comps, err := inventory()
		if err != nil {
			return t, err
		}
		for _, c := range comps {
			cp, ok := sbom.ParsePURL(c.PURL)
			if !ok || cp.Package() != t.Target {
				continue
			}
			if t.Repo == "" && c.Repo != "" {
				t.Repo = c.Repo
			}
			if c.Version == t.Version && c.License != "" {
				t.Licence, t.LicenceFrom = c.License, "SBOM of "+c.LicenseFrom
			}
		}
		if t.Repo == "" {
			t.Repo = repoOfPURL(p)
		}
		t.linkProject(cfg)
		return t, nil
	}
	// A project of the config (already in the portfolio: a re-assessment).
	for _, p := range cfg.Projects {
		if p.Name == arg {
			t.Kind, t.Name, t.Repo = IntakeFromProject, p.Name, p.Repo
			t.ProjectID = ProjectID(p.Name, p.Repo)
			t.Target = t.ProjectID
			t.LocalPath = cfg.Resolve(p.LocalPath)
			t.Facts, t.FactsSource, t.UseType = p.Facts, filepath.Base(cfg.Path)+": projects["+p.Name+"].facts", p.UseType
			return t, nil
		}
	}
	// A local directory: a clone or a source tree.
	if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
		abs, _ := filepath.Abs(arg)
		t.Kind, t.LocalPath, t.Name = IntakeFromClone, abs, filepath.Base(abs)
		t.Repo = originRepo(abs)
		if t.Repo == "" {
			t.Repo = moduleRepo(abs) // a Go module names its repository
		}
		t.ProjectID = ProjectID(t.Name, t.Repo)
		if t.Repo == "" {
			t.Note = "no remote address in the clone: assessed as " + t.ProjectID
		} else if n := repoName(t.Repo); n != "" {
			t.Name = n
		}
		t.Target = t.ProjectID
		t.fromManifest(abs)
		t.linkProject(cfg)
		return t, nil
	}
	// A repository URL.
	if u, ok := repourl.Parse(arg); ok && strings.Contains(u.Host, ".") && len(u.Parts) >= 2 {
		t.Kind, t.Repo = IntakeFromRepo, u.Scheme+"://"+u.Host+"/"+strings.Join(u.Parts, "/")
		t.Name = u.Parts[len(u.Parts)-1]
		t.ProjectID = ProjectID(t.Name, t.Repo)
		t.Target = t.ProjectID
		t.linkProject(cfg)
		return t, nil
	}
	// A component of the inventory: name or name@version.
	comps, err := inventory()
	if err != nil {
		return t, err
	}
	name, version := arg, ""
	if i := strings.LastIndex(arg, "@"); i > 0 {
		name, version = arg[:i], arg[i+1:]
	}
	var found []store.InvComponent
	for _, c := range comps {
		full, osvName := packageNames(c.Ecosystem, c.Namespace, c.Name)
		if (c.Name == name || full == name || osvName == name) && (version == "" || c.Version == version) {
			found = append(found, c)
		}
	}
	if len(found) == 0 {
		return t, fmt.Errorf("TARGET %q is not a package URL (pkg:maven/com.alibaba/fastjson@1.2.83), a project of the config, a local directory, a repository URL (https://github.com/owner/name) or a component of the inventory (name or name@version)", arg)
	}
	pkgs := map[string]bool{}
	for _, c := range found {
		if p, ok := sbom.ParsePURL(c.PURL); ok {
			pkgs[p.Package()] = true
		} else {
			pkgs[c.Name] = true
		}
	}
	if len(pkgs) > 1 {
		return t, fmt.Errorf("TARGET %q names %d packages of the inventory: %s; give the package URL", arg, len(pkgs), strings.Join(slices.Sorted(mapKeysOf(pkgs)), ", "))
	}
	sort.SliceStable(found, func(i, j int) bool { return osv.Compare(found[i].Version, found[j].Version) > 0 })
	c := found[0]
	if version == "" && len(found) > 1 {
		t.Note = fmt.Sprintf("the inventory holds %d versions; the newest, %s, is assessed (name@version for another)", len(found), c.Version)
	}
	t.Kind, t.Version, t.Ecosystem, t.Repo = IntakeFromComponent, c.Version, c.Ecosystem, c.Repo
	t.Name, t.Package = packageNames(c.Ecosystem, c.Namespace, c.Name)
	t.Target = c.Name
	if p, ok := sbom.ParsePURL(c.PURL); ok {
		t.Target = p.Package()
	}
	if c.License != "" {
		t.Licence, t.LicenceFrom = c.License, "SBOM of "+c.LicenseFrom
	}
	t.linkProject(cfg)
	return t, nil
}

// linkProject sets the project id from the repository and takes the local
// clone, facts and use type of the config's project of that repository.
func (t *IntakeTarget) linkProject(cfg *config.Config) {
	if t.ProjectID == "" && t.Repo != "" {
		t.ProjectID = ProjectID(t.Name, t.Repo)
	}
	if t.ProjectID == "" {
		return
	}
	for _, p := range cfg.Projects {
		if ProjectID(p.Name, p.Repo) != t.ProjectID {
			continue
		}
		if t.LocalPath == "" {
			t.LocalPath = cfg.Resolve(p.LocalPath)
		}
		t.Facts, t.FactsSource, t.UseType = p.Facts, filepath.Base(cfg.Path)+": projects["+p.Name+"].facts", p.UseType
		return
	}
}

// packageNames are a package's display name (namespace/name) and its name
// in OSV's spelling (Maven: group:artifact).
func packageNames(typ, ns, name string) (display, osvName string) {
	switch {
	case ns == "":
		return name, name
	case typ == "maven":
		return ns + ":" + name, ns + ":" + name
	}
	return ns + "/" + name, ns + "/" + name
}

// repoOfPURL is the repository a package URL names: a vcs_url qualifier,
// a GitHub package, a Go module on a known forge.
func repoOfPURL(p sbom.PURL) string {
	if v := p.Qualifiers.Get("vcs_url"); v != "" {
		if u, ok := repourl.Parse(strings.TrimPrefix(v, "git+")); ok && len(u.Parts) >= 2 {
			return "https://" + u.Host + "/" + strings.Join(u.Parts[:2], "/")
		}
	}
	switch p.Type {
	case "github":
		return "https://github.com/" + p.Namespace + "/" + p.Name
	case "golang":
		parts := strings.Split(p.Namespace+"/"+p.Name, "/")
		switch parts[0] {
		case "github.com", "gitlab.com", "gitee.com", "bitbucket.org":
			if len(parts) >= 3 {
				return "https://" + strings.Join(parts[:3], "/")
			}
		}
	}
	return ""
}

// originRepo is the web address of a clone's origin remote ("" when it
// has none, or it is a path on this machine).
func originRepo(dir string) string {
	r, err := git.PlainOpen(dir)
	if err != nil {
		return ""
	}
	rem, err := r.Remote("origin")
	if err != nil || len(rem.Config().URLs) == 0 {
		return ""
	}
	raw := rem.Config().URLs[0]
	if !strings.Contains(raw, "://") && !strings.HasPrefix(raw, "git@") || strings.HasPrefix(raw, "file://") {
		return "" // a path: a local mirror says nothing of the project's address
	}
	u, ok := repourl.Parse(raw)
	if !ok || len(u.Parts) < 2 {
		return ""
	}
	return u.Scheme + "://" + u.Host + "/" + strings.Join(u.Parts, "/")
}

func repoName(repo string) string {
	if u, ok := repourl.Parse(repo); ok && len(u.Parts) > 0 {
		return u.Parts[len(u.Parts)-1]
	}
	return ""
}

// IntakeOptions are what an intake assessment is judged in.
type IntakeOptions struct {
	Config *config.Config
	// System is the target system (--system): its sboms entry gives the
	// licence and use; "" judges against the institution's default.
	System string
	// Use (--use) overrides the system's use; "" takes the system's, else
	// distributed (the conservative reading).
	Use string
	// UseType (--use-type) picks the model's weights: simple, deep,
	// custom ("" the project's, else the model's default).
	UseType string
	// Collectors are the sources to run for the candidates (none: only
	// what the store already holds).
	Collectors []collectors.Collector
	// Offline keeps the OSV lookup to the stored records and exports.
	Offline  bool
	Now      time.Time
	Workers  int
	Progress Progress
	// OSV, when set, is the OSV collector the lookup asks (tests); else
	// one is made from the config's osv section.
	OSV *osv.Collector
}

// IntakeSummary is what AssessIntake did besides the report.
type IntakeSummary struct {
	Collect *CollectSummary
	RunID   int64
}

// AssessIntake assesses the candidates: collects what the sources allow,
// scores the project's health with the PHI (its in-use gates and
// indicators not applicable), judges the licence for the system and use,
// looks up the version's known vulnerabilities, names the suppliers that
// support it, and asks the policy for a recommendation. The results and
// the report are stored in a run of kind "intake".
func AssessIntake(ctx context.Context, st *store.Store, set models.Set, targets []IntakeTarget, opt IntakeOptions) (*intake.Report, *IntakeSummary, error) {
	cfg := opt.Config
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	phi := set[models.ProjectHealth]
	if phi == nil {
		return nil, nil, errors.New("no project-health model loaded")
	}
	if opt.UseType != "" {
		if _, ok := phi.Profiles[opt.UseType]; !ok {
			return nil, nil, fmt.Errorf("--use-type %q: the %s model's use types are %s", opt.UseType, phi.ID, strings.Join(phi.SortedProfiles(), ", "))
		}
	}
	rep := &intake.Report{GeneratedAt: opt.Now.UTC(), System: opt.System, UseType: opt.UseType,
		Policy: cfg.Lifecycle.Policy.WithDefaults()}
	if err := intakeContext(cfg, opt, rep); err != nil {
		return nil, nil, err
	}
	model, naGates, naIndicators := IntakeModel(phi)
	rep.Model = phi.ID + " " + phi.Version
	rep.GatesNotApplicable, rep.IndicatorsNotApplicable = naGates, naIndicators

	// Collect, once per project.
	known, err := st.Subjects(ctx)
	if err != nil {
		return nil, nil, err
	}
	existing := map[string]models.Subject{}
	for _, s := range known {
		existing[s.ID] = s
	}
	var ctargets []collectors.Target
	byID := map[string]collectors.Target{}
	for _, t := range targets {
		if t.ProjectID == "" {
			continue
		}
		if _, dup := byID[t.ProjectID]; dup {
			continue
		}
		ct := collectors.Target{Subject: intakeSubject(t, existing), Repo: t.Repo, LocalPath: t.LocalPath,
			Facts: t.Facts, FactsSource: t.FactsSource}
		byID[t.ProjectID] = ct
		ctargets = append(ctargets, ct)
	}
	sum := &IntakeSummary{}
	if len(ctargets) > 0 && len(opt.Collectors) > 0 {
		cs, err := Collect(ctx, st, ctargets, opt.Collectors, CollectOptions{Workers: opt.Workers, Progress: opt.Progress})
		sum.Collect = cs
		if err != nil {
			return nil, sum, err
		}
	}
	until := time.Now()
	if until.Before(opt.Now) {
		until = opt.Now
	}
	facts, err := st.LatestFacts(ctx, until)
	if err != nil {
		return nil, sum, err
	}
	vl, err := newVulnLookup(ctx, st, cfg, opt)
	if err != nil {
		return nil, sum, err
	}
	rep.Notes = append(rep.Notes, vl.notes...)
	nVulnNotes := len(vl.notes)
	env := assess.Env{Now: opt.Now, Portfolio: assess.NewPortfolio(facts)}
	var results []models.Result
	for _, t := range targets {
		c := intake.Candidate{Name: t.Name, Target: t.Target, Version: t.Version, Input: t.Input, Kind: t.Kind,
			Project: t.ProjectID, GatesNotApplicable: naGates}
		if t.Note != "" {
			rep.Notes = append(rep.Notes, t.Name+": "+t.Note)
		}
		var pf assess.Facts
		if ct, ok := byID[t.ProjectID]; ok {
			pf = facts[t.ProjectID]
			s := ct.Subject
			s.Attrs = cloneAttrs(s.Attrs)
			if ut := firstOf(opt.UseType, t.UseType); ut != "" {
				s.Attrs["use_type"] = ut
			}
			e := env
			e.Exceptions = append(slices.Clone(cfg.Exceptions), notApplicableExceptions(model, s.ID, naIndicators, opt.Now)...)
			r := assess.Score(model, s, pf, e)
			assess.DateEvidence(&r, pf)
			if len(naGates) > 0 {
				r.Explanation = "not applicable before intake: " + strings.Join(naGates, ", ") + "; " + r.Explanation
			}
			results = append(results, r)
			fillPHI(&c, r)
			c.Sources = candidateSources(ct, opt.Collectors, sum.Collect)
		} else {
			c.Explanation = "no repository known for " + t.Input + ": the project's health is not assessed (map the package to its repository in component_repos, or give the repository or a clone)"
		}
		judgeLicence(&c, t, pf, rep, cfg)
		if err := vl.lookup(ctx, &c, t); err != nil {
			return nil, sum, err
		}
		c.Suppliers = supportingSuppliers(cfg, t)
		c.Recommendation = recommend(c, rep.Policy, opt.Now)
		rep.Candidates = append(rep.Candidates, c)
	}
	rep.Notes = append(rep.Notes, vl.notes[nVulnNotes:]...)
	if sum.Collect != nil {
		for _, f := range sum.Collect.Failed {
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s failed for %s: %s", f.Source, f.Subject, f.Error))
		}
	}
	runID, err := st.StartRun(ctx, RunIntake, assess.CurrentQuarter(opt.Now).Name)
	if err != nil {
		return rep, sum, err
	}
	sum.RunID = runID
	if err := st.SaveResults(ctx, runID, assess.CurrentQuarter(opt.Now).Name, results); err != nil {
		st.FinishRun(context.WithoutCancel(ctx), runID, store.RunFailed, err.Error(), nil)
		return rep, sum, err
	}
	note := fmt.Sprintf("intake assessment of %d candidate(s)", len(rep.Candidates))
	return rep, sum, st.FinishRun(ctx, runID, store.RunComplete, note, rep)
}

// intakeContext sets the system licence and use the candidates are
// judged in.
func intakeContext(cfg *config.Config, opt IntakeOptions, rep *intake.Report) error {
	if opt.Use != "" && !slices.Contains(licenses.Uses, opt.Use) {
		return fmt.Errorf("--use must be internal, saas or distributed, got %q", opt.Use)
	}
	rep.SystemLicence = strings.TrimSpace(cfg.LicensePolicy.DefaultSystemLicence)
	rep.SystemLicenceFrom = "license_policy.default_system_licence"
	if rep.SystemLicence == "" {
		rep.SystemLicence, rep.SystemLicenceFrom = licenses.Proprietary, "default (proprietary)"
	}
	rep.Use, rep.UseFrom = licenses.UseDistributed, "default: distributed, the conservative reading"
	var sys *config.SBOM
	if opt.System != "" {
		for i := range cfg.SBOMs {
			if cfg.SBOMs[i].System == opt.System {
				sys = &cfg.SBOMs[i]
			}
		}
		if sys == nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("no sboms entry names the system %q: judged against %s (%s)", opt.System, rep.SystemLicence, rep.SystemLicenceFrom))
		}
	}
	if sys != nil {
		if sys.Licence != "" {
			rep.SystemLicence, rep.SystemLicenceFrom = sys.Licence, "sboms["+sys.System+"].licence"
		}
		if sys.UseStated {
			rep.Use, rep.UseFrom = sys.Use, "sboms["+sys.System+"].use"
		}
	}
	if opt.Use != "" {
		rep.Use, rep.UseFrom = opt.Use, "--use"
	}
	return nil
}

// intakeSubject is the subject a candidate is collected as: the stored
// subject when the project is already known other than as a candidate
// (its attributes kept), else a candidate.
func intakeSubject(t IntakeTarget, existing map[string]models.Subject) models.Subject {
	if s, ok := existing[t.ProjectID]; ok && s.Attrs[CandidateAttr] == "" {
		return s
	}
	attrs := map[string]string{CandidateAttr: "true", "description": "intake candidate (osgauge intake assess " + t.Input + ")"}
	if t.Repo != "" {
		attrs["repo"] = t.Repo
	}
	if t.UseType != "" {
		attrs["use_type"] = t.UseType
	}
	return models.Subject{Kind: models.KindProject, ID: t.ProjectID, Name: t.Name, Attrs: attrs}
}

// inUseMetric reports whether a metric describes the versions systems run
// (from their SBOMs): the licence class, policy and compatibility per use,
// a relicensing of the version in use, the vulnerabilities of the
// versions in use and those left unpatched.
func inUseMetric(m string) bool {
	switch m {
	case "license.class_in_use", "license.policy", "license.compatibility", "license.relicensed_12m":
		return true
	}
	if strings.HasPrefix(m, "sbom.") {
		return true
	}
	return strings.HasPrefix(m, "osv.") && (strings.Contains(m, "unpatched") || strings.HasSuffix(m, "_in_use"))
}

// IntakeModel is m for a candidate, not yet in use: without the gates
// that judge only what runs (every metric of theirs is an in-use metric:
// G-SOURCE-AVAILABLE-IN-USE, G-KEV, G-UNPATCHED-FIXED, G-LICENSE-BANNED in
// the built-in PHI), which would otherwise stay "not evaluated" and cap
// the worst case ("between D and B" for want of an SBOM). The gates are
// dropped from a copy because not applicable is an indicator's state, not
// a gate's. It also names the indicators whose every metric is an in-use
// one: the caller marks them not applicable (an exception without a
// normalised value). The licence verdict for the target system and the
// version's vulnerabilities take their place in the recommendation.
func IntakeModel(m *models.Model) (*models.Model, []string, []string) {
	cp := *m
	cp.Gates = nil
	var gates, indicators []string
	for _, g := range m.Gates {
		ms := g.MetricList()
		for _, a := range g.Also {
			ms = append(ms, a.Metrics...)
		}
		if len(ms) > 0 && !slices.ContainsFunc(ms, func(x string) bool { return !inUseMetric(x) }) {
			gates = append(gates, g.ID)
			continue
		}
		cp.Gates = append(cp.Gates, g)
	}
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			if len(in.Metrics) > 0 && !slices.ContainsFunc(in.Metrics, func(x string) bool { return !inUseMetric(x) }) {
				indicators = append(indicators, in.ID)
			}
		}
	}
	return &cp, gates, indicators
}

// notApplicableExceptions set the in-use indicators aside for one
// candidate, for the day of the assessment.
func notApplicableExceptions(m *models.Model, subject string, ids []string, now time.Time) []models.Exception {
	day := now.UTC().Format(time.DateOnly)
	var out []models.Exception
	for _, id := range ids {
		out = append(out, models.Exception{Subject: subject, Model: m.ID, Indicator: id, Who: "osgauge intake",
			Why:      "a candidate is not yet in use: the indicator judges the versions systems run (intake judges the licence for the target system and the version's vulnerabilities instead)",
			Accepted: day, Expires: day})
	}
	return out
}

func fillPHI(c *intake.Candidate, r models.Result) {
	c.Score, c.ScoreRange, c.Grade, c.GradeRange, c.GradeEstimate = r.Score, r.ScoreRange, r.Grade, r.GradeRange, r.GradeEstimate
	c.Coverage, c.Status, c.Explanation = r.Coverage, r.Status, r.Explanation
	for _, g := range r.Gates {
		c.Gates = append(c.Gates, intake.Gate{ID: g.ID, Reason: g.Reason, Cap: g.Cap, Waived: g.Waived})
	}
	c.GatesNotEvaluated = r.GatesUnknown
	for i, m := range r.Missing {
		if i == 3 {
			break
		}
		c.Missing = append(c.Missing, intake.Missing{ID: m.ID, Swing: m.Swing, Sources: m.Sources})
	}
}

// candidateSources says, per collector, whether it collected, was skipped
// (and why) or failed for the candidate's project.
func candidateSources(t collectors.Target, colls []collectors.Collector, sum *CollectSummary) []intake.Source {
	var out []intake.Source
	for _, c := range colls {
		name := c.Name()
		if sum != nil {
			if i := slices.IndexFunc(sum.Failed, func(f Failure) bool { return f.Source == name && f.Subject == t.Subject.ID }); i >= 0 {
				out = append(out, intake.Source{Source: name, Status: "failed", Note: sum.Failed[i].Error})
				continue
			}
			if i := slices.IndexFunc(sum.Skipped, func(s Skip) bool { return s.Source == name && s.Subject == t.Subject.ID }); i >= 0 {
				out = append(out, intake.Source{Source: name, Status: "skipped", Note: sum.Skipped[i].Reason})
				continue
			}
		}
		if c.Needs().Clone && t.LocalPath == "" {
			out = append(out, intake.Source{Source: name, Status: "skipped", Note: "no local clone"})
			continue
		}
		if ok, _ := c.Applies(t); ok {
			out = append(out, intake.Source{Source: name, Status: "collected"})
		}
	}
	return out
}

// judgeLicence finds the candidate's licence (the clone's licence files,
// else what the inventory declares) and judges it for the system and use.
func judgeLicence(c *intake.Candidate, t IntakeTarget, pf assess.Facts, rep *intake.Report, cfg *config.Config) {
	if o, ok := pf["license.spdx"]; ok && o.Text != "" {
		c.Licence, c.LicenceFrom = o.Text, "licence files ("+o.Source+")"
		if o.Evidence != "" {
			c.LicenceFrom = o.Evidence
		}
	} else if t.Licence != "" {
		c.Licence, c.LicenceFrom = t.Licence, t.LicenceFrom
	}
	e := licenses.Parse(c.Licence)
	switch {
	case c.Licence != "" && e.Known():
		c.LicenceClass = e.Class()
	case c.Licence != "":
		c.LicenceClass = licenses.Unknown
	default:
		if o, ok := pf["license.class"]; ok && o.Text != "" {
			c.LicenceClass = o.Text // a licence file the scanner could not name
		}
		if o, ok := pf["license.found"]; ok && o.Value != nil && *o.Value == 0 {
			c.Why = "no licence file found: " + o.Evidence
		}
	}
	if c.Licence == "" && c.LicenceClass == "" {
		if c.Why == "" {
			c.Why = "no licence known: no clone to read its licence files, and the inventory declares none"
		}
		c.Compatibility = licenses.NeedsReview // one review asked; the policy cannot judge what is not known
		return
	}
	j := licenses.Judge(licenses.Context{SystemLicence: rep.SystemLicence, Use: rep.Use}, e)
	c.Compatibility, c.Obligations = j.Verdict, j.Obligations
	c.Why = strings.TrimSpace(strings.TrimPrefix(c.Why+"; "+j.Why, "; "))
	c.LicencePolicy = licenses.WithOverrides(cfg.LicensePolicy.Uses).Decide(e, rep.Use)
}

// supportingSuppliers are the config's suppliers whose supports name the
// candidate: its name, project, target, repository name or package name.
func supportingSuppliers(cfg *config.Config, t IntakeTarget) []string {
	names := map[string]bool{}
	for _, n := range []string{t.Name, t.Target, t.ProjectID, repoName(t.Repo), t.Package} {
		if n != "" {
			names[strings.ToLower(n)] = true
		}
	}
	if _, after, ok := strings.Cut(t.Package, ":"); ok {
		names[strings.ToLower(after)] = true
	}
	for _, p := range cfg.Projects {
		if t.ProjectID != "" && ProjectID(p.Name, p.Repo) == t.ProjectID {
			names[strings.ToLower(p.Name)] = true
		}
	}
	var out []string
	for _, s := range cfg.Suppliers {
		if slices.ContainsFunc(s.Supports, func(x string) bool { return names[strings.ToLower(strings.TrimSpace(x))] }) {
			out = append(out, s.Name)
		}
	}
	return out
}

// recommend asks the policy, and makes an approval conditional on a
// vulnerability check when the version's vulnerabilities could not be
// looked up (the policy's "no known vulnerability" would say what was not
// checked).
func recommend(c intake.Candidate, rules policy.Rules, now time.Time) policy.Recommendation {
	pc := policy.Candidate{Name: c.Name, Target: c.Target, Version: c.Version, Grade: c.Grade, GradeRange: c.GradeRange,
		Score: c.Score, GatesNotApplicable: c.GatesNotApplicable, Licence: c.Licence, LicenceClass: c.LicenceClass,
		Compatibility: c.Compatibility, CompatibilityWhy: c.Why, LicencePolicy: c.LicencePolicy, Obligations: c.Obligations,
		NearestFixed: c.NearestFixed, Suppliers: c.Suppliers}
	for _, g := range c.Gates {
		if g.Waived == "" {
			pc.Gates = append(pc.Gates, g.ID)
		}
	}
	for _, v := range c.Vulnerabilities {
		pc.Vulns = append(pc.Vulns, policy.Vuln{ID: v.ID, Aliases: v.Aliases, Severity: v.Severity, KEV: v.KEV, Fixed: v.Fixed})
	}
	rec := policy.Recommend(pc, rules, now)
	if c.VulnsChecked {
		return rec
	}
	rec.Notes = slices.DeleteFunc(rec.Notes, func(n string) bool { return strings.HasPrefix(n, "no known vulnerability") })
	rec.Notes = append(rec.Notes, "vulnerabilities not checked: "+c.VulnsNote)
	if rec.Decision == policy.Rejected {
		return rec
	}
	rec.Conditions = append(rec.Conditions, "vulnerability check of the version taken in before use: "+c.VulnsNote)
	rec.Decision = policy.Conditional
	return rec
}

// vulnLookup finds a version's known vulnerabilities: from the OSV API
// when the config has it on and the run is not offline (the records
// fetched are stored), else from the stored records of the imported
// exports, whose ecosystems alone count as checked.
type vulnLookup struct {
	st      *store.Store
	ov      *osv.Collector
	covered map[string]bool
	kev     map[string]store.KEVEntry
	notes   []string
	// apiFailed: the API failed once in this assessment; it is not asked
	// again.
	apiFailed bool
}

func newVulnLookup(ctx context.Context, st *store.Store, cfg *config.Config, opt IntakeOptions) (*vulnLookup, error) {
	vl := &vulnLookup{st: st, covered: map[string]bool{}}
	for _, e := range cfg.OSV.Export {
		_, ecos, err := osv.ImportExport(ctx, st, cfg.Resolve(e))
		if err != nil {
			vl.notes = append(vl.notes, "OSV export not read: "+err.Error())
			continue
		}
		for _, eco := range ecos {
			vl.covered[strings.ToLower(eco)] = true
		}
	}
	if cfg.OSV.KEV != "" {
		if _, err := osv.ImportKEV(ctx, st, cfg.Resolve(cfg.OSV.KEV)); err != nil {
			vl.notes = append(vl.notes, "CISA KEV list not read (stored entries used): "+err.Error())
		}
	}
	var err error
	if vl.kev, err = st.KEV(ctx); err != nil {
		return nil, err
	}
	switch {
	case opt.OSV != nil:
		vl.ov = opt.OSV
	case !opt.Offline && cfg.OSV.APIURL != "" && cfg.OSV.APIURL != "off":
		vl.ov = osv.New(osv.Options{APIURL: cfg.OSV.APIURL, Store: st})
	}
	if vl.ov != nil && !vl.ov.Online() {
		vl.ov = nil
	}
	return vl, nil
}

func (vl *vulnLookup) lookup(ctx context.Context, c *intake.Candidate, t IntakeTarget) error {
	eco := sbom.OSVEcosystem(t.Ecosystem)
	switch {
	case t.Version == "":
		c.VulnsNote = "no version named: give the package URL with the version to be taken in (pkg:TYPE/NAMESPACE/NAME@VERSION)"
		return nil
	case eco == "":
		c.VulnsNote = fmt.Sprintf("no OSV ecosystem for package type %q", t.Ecosystem)
		return nil
	}
	api := map[string]bool{}
	if vl.ov == nil && vl.apiFailed {
		c.VulnsNote = "OSV API not reachable (see the notes); "
	}
	if vl.ov != nil {
		ids, err := vl.ov.QueryVersion(ctx, osv.Query{Ecosystem: eco, Name: t.Package, Version: t.Version})
		if err != nil {
			// Said once in the report's notes; the other candidates do
			// not wait for it again.
			vl.notes = append(vl.notes, "OSV API not reachable, stored OSV data used instead: "+err.Error())
			vl.ov, vl.apiFailed = nil, true
			c.VulnsNote = "OSV API not reachable (see the notes); "
		} else {
			c.VulnsChecked = true
			c.VulnsNote = "OSV API (" + eco + ")"
			for _, id := range ids {
				api[id] = true
			}
		}
	}
	if !c.VulnsChecked {
		if !vl.covered[strings.ToLower(eco)] {
			c.VulnsNote += fmt.Sprintf("no OSV data for %s packages: add the %s export to osv.export or turn the OSV API on", eco, eco)
			return nil
		}
		c.VulnsChecked = true
		c.VulnsNote += "stored OSV export records (" + eco + ")"
	}
	stored, err := vl.st.VulnsForPackage(ctx, eco, t.Package)
	if err != nil {
		return err
	}
	for id := range api { // named by the API under another package spelling
		if !slices.ContainsFunc(stored, func(v store.Vuln) bool { return v.ID == id }) {
			if v, ok, err := vl.st.VulnByID(ctx, id); err != nil {
				return err
			} else if ok {
				stored = append(stored, v)
			}
		}
	}
	var recs []*osv.Record
	for _, v := range stored {
		r, err := osv.ParseRecord(v.Record)
		if err != nil || r.Withdrawn != "" {
			continue
		}
		recs = append(recs, r)
		affected, fixed, _ := r.AffectedVersion(eco, t.Package, t.Version)
		if !affected && !api[r.ID] {
			continue
		}
		sev, _ := r.Rate(eco, t.Package)
		c.Vulnerabilities = append(c.Vulnerabilities, intake.Vuln{ID: r.ID, Aliases: r.Aliases, Severity: sev,
			KEV: osv.InKEV(v, vl.kev), Fixed: fixed, Summary: r.Summary})
	}
	c.Vulnerabilities = mergeAliases(c.Vulnerabilities)
	if len(c.Vulnerabilities) > 0 {
		c.NearestFixed = nearestFixed(recs, eco, t.Package, t.Version)
	}
	return nil
}

// mergeAliases keeps one entry per vulnerability where records share an
// id or alias (a GHSA and its CVE): the worst severity, KEV if either is,
// the later fix.
func mergeAliases(vs []intake.Vuln) []intake.Vuln {
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].ID < vs[j].ID })
	rank := func(s string) int { return slices.Index(policy.Severities, s) }
	var out []intake.Vuln
	for _, v := range vs {
		names := append([]string{v.ID}, v.Aliases...)
		i := slices.IndexFunc(out, func(o intake.Vuln) bool {
			on := append([]string{o.ID}, o.Aliases...)
			return slices.ContainsFunc(names, func(n string) bool { return slices.Contains(on, n) })
		})
		if i < 0 {
			out = append(out, v)
			continue
		}
		o := &out[i]
		o.KEV = o.KEV || v.KEV
		if rank(v.Severity) > rank(o.Severity) {
			o.Severity = v.Severity
		}
		if o.Fixed == "" || v.Fixed != "" && osv.Compare(v.Fixed, o.Fixed) > 0 {
			o.Fixed = v.Fixed
		}
		for _, n := range names {
			if n != o.ID && !slices.Contains(o.Aliases, n) {
				o.Aliases = append(o.Aliases, n)
			}
		}
	}
	return out
}

// nearestFixed is the lowest version above version, among the fixed
// versions the package's records name, that none of them affects: the
// nearest upgrade with no known vulnerability ("" when none is).
func nearestFixed(recs []*osv.Record, eco, pkg, version string) string {
	var cands []string
	for _, r := range recs {
		for _, a := range r.Affected {
			if !strings.EqualFold(a.Package.Ecosystem, eco) || a.Package.Name != pkg {
				continue
			}
			for _, rg := range a.Ranges {
				for _, e := range rg.Events {
					if f := e["fixed"]; f != "" && (rg.Type == "SEMVER" || rg.Type == "ECOSYSTEM") && osv.Compare(f, version) > 0 && !slices.Contains(cands, f) {
						cands = append(cands, f)
					}
				}
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool { return osv.Compare(cands[i], cands[j]) < 0 })
	for _, v := range cands {
		if !slices.ContainsFunc(recs, func(r *osv.Record) bool { a, _, _ := r.AffectedVersion(eco, pkg, v); return a }) {
			return v
		}
	}
	return ""
}

// IntakeRecord is one candidate as an intake assessment judged it.
type IntakeRecord struct {
	RunID   int64     `json:"run_id"`
	At      time.Time `json:"at"`
	System  string    `json:"system"`
	Use     string    `json:"use"`
	Licence string    `json:"system_licence"`
	intake.Candidate
}

// LatestIntakeAssessments returns the latest intake assessment of each
// target (by the candidate's target and version), newest first, read from
// the stored intake runs (at most the last limit runs of any kind are
// searched; 0: 10,000).
func LatestIntakeAssessments(ctx context.Context, st *store.Store, limit int) ([]IntakeRecord, error) {
	if limit <= 0 {
		limit = 10000
	}
	runs, err := st.Runs(ctx, limit)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []IntakeRecord
	for _, r := range runs {
		if r.Kind != RunIntake || r.Status != store.RunComplete || r.Stats == "" {
			continue
		}
		var rep intake.Report
		if err := json.Unmarshal([]byte(r.Stats), &rep); err != nil {
			continue // not an intake report
		}
		for _, c := range rep.Candidates {
			k := c.Target + "@" + c.Version
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, IntakeRecord{RunID: r.ID, At: rep.GeneratedAt, System: rep.System, Use: rep.Use, Licence: rep.SystemLicence, Candidate: c})
		}
	}
	return out, nil
}

func cloneAttrs(m map[string]string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func firstOf(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

func mapKeysOf(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}
