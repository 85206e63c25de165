package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

// intakeSubcommands are the subcommands of `osgauge intake`: decide, exit
// and list here; assess appends its own from its file's init.
var intakeSubcommands []func(*globals) *cobra.Command

func init() {
	intakeSubcommands = append(intakeSubcommands, newIntakeDecide, newIntakeExit, newIntakeList)
}

// intakeNow is the clock of the intake commands (tests set it).
var intakeNow = time.Now

func newIntake(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "intake",
		Short: "Intake (引入): assess candidates, record decisions and exits in the ledger, list the approved and exit lists",
		Long: `intake runs the open-source lifecycle's decisions (JR/T 0291-2024 引入评估 /
退出评估). Decisions and exits are kept in the ledger: one YAML file per record
under lifecycle.ledger (default ledger/ beside the config), never rewritten,
reviewable in the institution's own git, and mirrored into the store.

In the order an office uses them:
  osgauge intake assess TARGET...       assess candidates (a selection when several)
  osgauge intake decide TARGET ...      record approved, conditional or rejected
  osgauge intake list                   the approved list (白名单) and the exit list (不推荐使用清单)
  osgauge intake exit TARGET ...        put a component on the exit list`,
		Args: cobra.NoArgs,
	}
	for _, f := range intakeSubcommands {
		cmd.AddCommand(f(g))
	}
	return cmd
}

// intakeTarget is a command-line TARGET read: the ledger's target, the
// version it named, and the portfolio project whose results assess it.
type intakeTarget struct {
	Target    string // the ledger's target: a purl without version, or host/owner/name
	Version   string // the version the TARGET named ("" when none)
	ProjectID string // the subject id of its project's results ("" when unknown)
	Name      string // how to name it in messages
}

// resolveIntakeTarget reads TARGET: a package URL (with or without a
// version), a project name from the config, or a repository URL.
func resolveIntakeTarget(cfg *config.Config, arg string) (intakeTarget, error) {
	arg = strings.TrimSpace(arg)
	if len(arg) >= 4 && strings.EqualFold(arg[:4], "pkg:") {
		p, ok := sbom.ParsePURL(arg)
		if !ok || p.Type == "" || p.Name == "" {
			return intakeTarget{}, fmt.Errorf("%q is not a package URL (pkg:maven/com.alibaba/fastjson@1.2.83)", arg)
		}
		t := intakeTarget{Target: p.Package(), Version: p.Version, Name: arg}
		if repo := cfg.ComponentRepos[t.Target]; repo != "" {
			t.ProjectID = sbom.ProjectID(repo)
		}
		return t, nil
	}
	for _, p := range cfg.Projects {
		if p.Name == arg {
			t := intakeTarget{ProjectID: pipeline.ProjectID(p.Name, p.Repo), Name: arg}
			t.Target = ledger.CanonicalTarget(t.ProjectID)
			return t, nil
		}
	}
	if u, ok := repourl.Parse(arg); ok && len(u.Parts) >= 2 {
		id := u.Host + "/" + strings.Join(u.Parts, "/")
		return intakeTarget{Target: ledger.CanonicalTarget(id), ProjectID: id, Name: arg}, nil
	}
	return intakeTarget{}, fmt.Errorf("TARGET must be a package URL (pkg:maven/com.alibaba/fastjson@1.2.83), a repository URL (https://github.com/alibaba/fastjson) or a project name from the config; got %q", arg)
}

func newIntakeDecide(g *globals) *cobra.Command {
	var d ledger.Decision
	cmd := &cobra.Command{
		Use:   "decide TARGET --decision approved|conditional|rejected --by WHO --why TEXT",
		Short: "Record an intake decision in the ledger, with the assessment it was based on",
		Long: `decide records an intake decision as a new file in the ledger
(decisions/YYYY-MM-DD-<id>.yaml) and mirrors the ledger into the store.

TARGET is a package URL (pkg:maven/com.alibaba/fastjson@1.2.83: the target is
the package without its version; the version is the decision's range unless
--versions gives one), a repository URL or a project name from the config
(every version unless --versions). Ranges: 1.2.83, >=1.2.83, <2.0.0, 1.2.x,
>=1.2.0,<2.0.0 (comma = and).

The decision keeps the assessment it was based on: the latest stored Project
Health Index result of the target's project (score, range, grade, gates), the
component's licence and its verdict for the system (--system, else the worst
over the systems that use it) and its known vulnerabilities, from the store.
JR/T 0291-2024 asks for an intake assessment before a component is
introduced: approved and conditional are refused when the store holds no
result for the target's project (run 'osgauge intake assess TARGET' first);
a rejection needs none.

A later decision for the same target and versions supersedes the earlier one
(both files are kept; the new one names the old in supersedes). An approval
without --review-by is reviewed after lifecycle.policy.review_months (12).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var err error
			if d.By, err = cliBy(d.By); err != nil {
				return err
			}
			return intakeDecide(auth.With(cmd.Context(), cliIdentity()), cmd.OutOrStdout(), g, args[0], d)
		},
	}
	f := cmd.Flags()
	f.StringVar(&d.Decision, "decision", "", "approved, conditional or rejected")
	f.StringVar(&d.Versions, "versions", "", "the versions decided: 1.2.83, >=1.2.83, <2.0.0, 1.2.x, >=1.2.0,<2.0.0 (default: TARGET's version, else all)")
	f.StringVar(&d.By, "by", "", byFlagHelp)
	f.StringVar(&d.Why, "why", "", "why (the audit trail)")
	f.StringArrayVar(&d.Conditions, "conditions", nil, "a condition of a conditional approval (repeat the flag for each)")
	f.StringVar(&d.ReviewBy, "review-by", "", "review date YYYY-MM-DD (default for approvals: today + lifecycle.policy.review_months)")
	f.StringVar(&d.System, "system", "", "the system that will use it (JR/T 0290 §9 registration)")
	f.StringVar(&d.Department, "department", "", "the system's department")
	f.StringVar(&d.Owner, "owner", "", "the owner of the component in that system")
	cmd.MarkFlagRequired("decision")
	cmd.MarkFlagRequired("why")
	return cmd
}

func intakeDecide(ctx context.Context, w io.Writer, g *globals, arg string, d ledger.Decision) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := intakeDecideIn(ctx, w, cfg, st, arg, d)
	if err == nil {
		recordCLIIn(ctx, cliStderr, st, "intake decide", arg, map[string]any{"decision": d, "result": res}) // the audit log (token.go)
	}
	return err
}

// intakeDecideIn records d (or, when the maker-checker asks a second
// person for it, proposes it as the identity ctx carries) and says so.
func intakeDecideIn(ctx context.Context, w io.Writer, cfg *config.Config, st *store.Store, arg string, d ledger.Decision) (server.DecisionResult, error) {
	t, err := resolveIntakeTarget(cfg, arg)
	if err != nil {
		return server.DecisionResult{}, err
	}
	if !slices.Contains(ledger.Decisions, d.Decision) {
		return server.DecisionResult{}, fmt.Errorf("--decision must be approved, conditional or rejected, got %q", d.Decision)
	}
	d.Target = t.Target
	if d.Versions == "" {
		d.Versions = t.Version
	}
	dir := cfg.LedgerDir()
	l, err := ledger.Load(dir)
	if err != nil {
		return server.DecisionResult{}, err
	}
	now := intakeNow().UTC()
	a, err := intakeAssessment(ctx, st, cfg, t, d.Versions, d.System)
	if err != nil { // the store: the server's failure, not the request's (500)
		return server.DecisionResult{}, &server.StoreError{Err: err}
	}
	if a == nil && d.Decision != ledger.Rejected {
		return server.DecisionResult{}, fmt.Errorf("no assessment on record for %s: run 'osgauge intake assess %s' first (JR/T 0291-2024 asks for an intake assessment before a component is introduced; a rejection needs none)", t.Name, arg)
	}
	d.Assessment = a
	if d.ReviewBy == "" && d.Decision != ledger.Rejected && cfg.Lifecycle.Policy.ReviewMonths > 0 {
		d.ReviewBy = now.AddDate(0, cfg.Lifecycle.Policy.ReviewMonths, 0).Format("2006-01-02")
	}
	// The latest decision for the same target and versions is superseded.
	for i := len(l.Decisions) - 1; i >= 0; i-- {
		p := l.Decisions[i]
		if p.Target == d.Target && intakeSameRange(p.Versions, d.Versions) {
			d.Supersedes = p.ID
			break
		}
	}
	versions := d.Versions
	if versions == "" {
		versions = "every version"
	}
	if d.Decision != ledger.Rejected && cfg.Server.Auth.NeedsSecondPerson(ledger.CheckIntake) {
		p, path, err := proposeAs(ctx, dir, ledger.Proposal{Policy: ledger.CheckIntake, Decision: &d}, d.By, now)
		if err != nil {
			return server.DecisionResult{}, err
		}
		fmt.Fprintf(w, "proposed %s for %s (%s): %s\n", d.Decision, d.Target, versions, path)
		printProposed(w, p)
		return server.DecisionResult{State: ledger.ProposalProposed, Proposal: &p, Files: []string{path}}, intakeSync(ctx, w, st, dir, now)
	}
	if d.By == "" {
		d.By = identityName(ctx)
	}
	path, err := ledger.Record(dir, d, now)
	if err != nil {
		return server.DecisionResult{}, err
	}
	fmt.Fprintf(w, "recorded %s for %s (%s): %s\n", d.Decision, d.Target, versions, path)
	if d.Supersedes != "" {
		fmt.Fprintf(w, "  supersedes %s\n", d.Supersedes)
	}
	if a != nil {
		fmt.Fprintf(w, "  based on: %s\n", intakeDescribe(a))
	} else {
		fmt.Fprintln(w, "  based on: no assessment on record")
	}
	if d.ReviewBy != "" {
		fmt.Fprintf(w, "  review by %s\n", d.ReviewBy)
	}
	return server.DecisionResult{State: "recorded", Files: []string{path}}, intakeSync(ctx, w, st, dir, now)
}

func newIntakeExit(g *globals) *cobra.Command {
	var e ledger.Exit
	cmd := &cobra.Command{
		Use:   "exit TARGET --reason security|licence|unmaintained|replaced --deadline DATE --owner WHO --by WHO --why TEXT",
		Short: "Put a component on the exit list (不推荐使用清单)",
		Long: `exit records an exit (JR/T 0291-2024 退出评估) as a new file in the ledger
(exits/YYYY-MM-DD-<id>.yaml) and mirrors the ledger into the store. From then
on every version in the range is in the state "exit", whatever was decided
before; past the deadline it is overdue. TARGET is read as for decide.
A later exit for the same target and versions (a new deadline, say)
supersedes the earlier one.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return intakeExit(cmd.Context(), cmd.OutOrStdout(), g, args[0], e)
		},
	}
	f := cmd.Flags()
	f.StringVar(&e.Reason, "reason", "", "security, licence, unmaintained or replaced")
	f.StringVar(&e.Deadline, "deadline", "", "the date by which no system runs it, YYYY-MM-DD")
	f.StringVar(&e.Replacement, "replacement", "", "what replaces it (required for reason replaced)")
	f.StringVar(&e.Versions, "versions", "", "the versions to exit (default: TARGET's version, else all)")
	f.StringVar(&e.Owner, "owner", "", "who owns the exit")
	f.StringVar(&e.By, "by", "", "who decided (the audit trail; default: the OS user)")
	f.StringVar(&e.Why, "why", "", "why (the audit trail)")
	for _, k := range []string{"reason", "deadline", "owner", "why"} {
		cmd.MarkFlagRequired(k)
	}
	return cmd
}

func intakeExit(ctx context.Context, w io.Writer, g *globals, arg string, e ledger.Exit) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	t, err := resolveIntakeTarget(cfg, arg)
	if err != nil {
		return err
	}
	e.Target = t.Target
	if e.Versions == "" {
		e.Versions = t.Version
	}
	if e.By == "" {
		e.By = cliIdentity().Name
	}
	dir := cfg.LedgerDir()
	now := intakeNow().UTC()
	path, err := ledger.Record(dir, e, now)
	if err != nil {
		return err
	}
	versions := e.Versions
	if versions == "" {
		versions = "every version"
	}
	fmt.Fprintf(w, "recorded exit of %s (%s), %s, by %s: %s\n", e.Target, versions, e.Reason, e.Deadline, path)
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	recordCLIIn(ctx, cliStderr, st, "intake exit", e.Target, map[string]any{"exit": e, "file": path}) // the audit log (token.go)
	return intakeSync(ctx, w, st, dir, now)
}

func newIntakeList(g *globals) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "The approved list (白名单) with review dates, the exit list (不推荐使用清单) and the rejections",
		Long: `list reads the ledger and prints, as of now: the approved list (approved and
conditional decisions in force, those with the earliest review date first, a
review date that has come marked DUE), the exit list (earliest deadline first,
a deadline that has passed marked OVERDUE) and the rejections in force.
--format json prints {"as_of", "approved": [...], "exits": [...], "rejected": [...]},
each entry the ledger record with review_due or overdue.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := g.loadConfig()
			if err != nil {
				return err
			}
			l, err := ledger.Load(cfg.LedgerDir())
			if err != nil {
				return err
			}
			switch format {
			case "text":
				return printIntakeList(cmd.OutOrStdout(), l, intakeNow())
			case "json":
				return writeIntakeListJSON(cmd.OutOrStdout(), l, intakeNow())
			}
			return fmt.Errorf("--format must be text or json, got %q", format)
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func printIntakeList(w io.Writer, l *ledger.Ledger, now time.Time) error {
	now = now.UTC()
	app, exits, rej := l.Approved(now), l.ExitList(now), l.Rejected(now)
	fmt.Fprintf(w, "Approved list (白名单), as of %s: %s\n", now.Format("2006-01-02"), intakeCount(len(app), "entry", "entries"))
	if len(app) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TARGET\tVERSIONS\tDECISION\tREVIEW BY\tSYSTEM\tOWNER\tDECIDED\tBY\tID")
		for _, d := range app {
			review := intakeOrDash(d.ReviewBy)
			if d.ReviewDue(now) {
				review += " DUE"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Target, intakeOrAll(d.Versions), d.Decision, review,
				intakeOrDash(d.System), intakeOrDash(d.Owner), d.At.Format("2006-01-02"), d.By, d.ID)
		}
		tw.Flush()
		for _, d := range app {
			if len(d.Conditions) > 0 {
				fmt.Fprintf(w, "  %s %s conditions: %s\n", d.Target, intakeOrAll(d.Versions), strings.Join(d.Conditions, "; "))
			}
		}
	}
	fmt.Fprintf(w, "\nExit list (不推荐使用清单): %s\n", intakeCount(len(exits), "entry", "entries"))
	if len(exits) > 0 {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TARGET\tVERSIONS\tREASON\tREPLACEMENT\tDEADLINE\tOWNER\tID")
		for _, e := range exits {
			deadline := e.Deadline
			if e.Overdue(now) {
				deadline += " OVERDUE"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Target, intakeOrAll(e.Versions), e.Reason, intakeOrDash(e.Replacement), deadline, e.Owner, e.ID)
		}
		tw.Flush()
	}
	if len(rej) > 0 {
		fmt.Fprintf(w, "\nRejected: %s\n", intakeCount(len(rej), "entry", "entries"))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TARGET\tVERSIONS\tDECIDED\tBY\tWHY\tID")
		for _, d := range rej {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Target, intakeOrAll(d.Versions), d.At.Format("2006-01-02"), d.By, d.Why, d.ID)
		}
		tw.Flush()
	}
	return nil
}

func writeIntakeListJSON(w io.Writer, l *ledger.Ledger, now time.Time) error {
	now = now.UTC()
	type approved struct {
		ledger.Decision
		ReviewDue bool `json:"review_due"`
	}
	type exit struct {
		ledger.Exit
		Overdue bool `json:"overdue"`
	}
	out := struct {
		AsOf     time.Time         `json:"as_of"`
		Approved []approved        `json:"approved"`
		Exits    []exit            `json:"exits"`
		Rejected []ledger.Decision `json:"rejected"`
	}{AsOf: now, Approved: []approved{}, Exits: []exit{}, Rejected: []ledger.Decision{}}
	for _, d := range l.Approved(now) {
		out.Approved = append(out.Approved, approved{d, d.ReviewDue(now)})
	}
	for _, e := range l.ExitList(now) {
		out.Exits = append(out.Exits, exit{e, e.Overdue(now)})
	}
	out.Rejected = append(out.Rejected, l.Rejected(now)...)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// intakeAssessment gathers what a decision is based on, from the store:
// the latest Project Health Index result of the target's project, and,
// when the target is a component in the inventory, its licence with the
// verdict for system (else the worst over its systems) and its known
// vulnerabilities in versions. nil when the store has no result for the
// project.
func intakeAssessment(ctx context.Context, st *store.Store, cfg *config.Config, t intakeTarget, versions, system string) (*ledger.Assessment, error) {
	// The candidate's own intake assessment ('osgauge intake assess'),
	// newest first, is what the decision is based on when there is one.
	recs, err := pipeline.LatestIntakeAssessments(ctx, st, 0)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		c := rec.Candidate
		if c.Target != t.Target && (t.ProjectID == "" || c.Project != t.ProjectID) {
			continue
		}
		if versions != "" && c.Version != "" && !ledger.VersionMatches(versions, c.Version) {
			continue
		}
		if system != "" && rec.System != "" && rec.System != system {
			continue
		}
		a := &ledger.Assessment{Model: "project-health (intake assessment, run " + strconv.FormatInt(rec.RunID, 10) + ")",
			Score: c.Score, ScoreRange: c.ScoreRange, Grade: c.Grade, GradeRange: c.GradeRange, Licence: c.Licence,
			Recommendation: c.Recommendation.Decision, AssessedAt: rec.At.UTC()}
		for _, g := range c.Gates {
			a.Gates = append(a.Gates, g.ID)
		}
		a.LicenceVerdict = c.LicencePolicy + ", " + c.Compatibility + " with " + rec.Licence
		if rec.Use != "" {
			a.LicenceVerdict += " (" + rec.Use + ")"
		}
		for _, v := range c.Vulnerabilities {
			a.Vulnerabilities = append(a.Vulnerabilities, v.ID)
		}
		return a, nil
	}
	var a ledger.Assessment
	found := false
	projectIDs := []string{t.ProjectID}
	inv, err := st.CurrentInventory(ctx)
	if err != nil {
		return nil, err
	}
	var rows []store.InventoryRow
	if strings.HasPrefix(t.Target, "pkg:") {
		for _, r := range inv {
			p, ok := sbom.ParsePURL(r.Key)
			if !ok || p.Package() != t.Target || !ledger.VersionMatches(versions, r.Version) {
				continue
			}
			rows = append(rows, r)
			if r.ProjectID != "" && !slices.Contains(projectIDs, r.ProjectID) {
				projectIDs = append(projectIDs, r.ProjectID)
			}
		}
	}
	for _, id := range projectIDs {
		if id == "" {
			continue
		}
		r, ok, err := st.LatestResult(ctx, id, models.ProjectHealth)
		if err != nil {
			return nil, err
		}
		if ok {
			found = true
			a.Model = r.Model + " " + r.ModelVersion
			a.Score, a.ScoreRange, a.Grade, a.GradeRange, a.AssessedAt = r.Score, r.ScoreRange, r.Grade, r.GradeRange, r.AssessedAt.UTC()
			for _, gh := range r.Gates {
				gate := gh.ID
				if gh.Waived != "" {
					gate += " (waived)"
				}
				a.Gates = append(a.Gates, gate)
			}
			break
		}
	}
	if !found {
		return nil, nil
	}
	if len(rows) > 0 {
		judge := sbom.NewJudger(licenses.WithOverrides(cfg.LicensePolicy.Uses), cfg.LicensePolicy.DefaultSystemLicence)
		matches, _, err := st.Matches(ctx)
		if err != nil {
			return nil, err
		}
		worst := -1
		for _, r := range rows {
			if system != "" && r.System != system {
				continue
			}
			u := judge.Judge(r)
			if rank := intakeVerdictRank(u.Decision, u.Compat); rank > worst {
				worst = rank
				a.Licence = u.DeclaredLicence()
				a.LicenceVerdict = u.Decision + ", " + u.Compat + " with " + u.SystemLicence + " (" + r.System + ", " + r.Use + ")"
			}
			for _, m := range matches[r.Key] {
				if !slices.Contains(a.Vulnerabilities, m.ID) {
					a.Vulnerabilities = append(a.Vulnerabilities, m.ID)
				}
			}
		}
		slices.Sort(a.Vulnerabilities)
	}
	return &a, nil
}

// verdictRank orders licence verdicts, the worst highest.
func intakeVerdictRank(decision, compat string) int {
	r := 0
	switch decision {
	case "banned":
		r += 20
	case "review":
		r += 10
	}
	switch compat {
	case licenses.Incompatible:
		r += 2
	case licenses.NeedsReview:
		r++
	}
	return r
}

func intakeDescribe(a *ledger.Assessment) string {
	var parts []string
	switch {
	case a.Grade != "":
		parts = append(parts, "grade "+a.Grade)
	case len(a.GradeRange) == 2:
		parts = append(parts, "between "+a.GradeRange[0]+" and "+a.GradeRange[1])
	}
	if a.Score != nil {
		s := fmt.Sprintf("score %.1f", *a.Score)
		if len(a.ScoreRange) == 2 {
			s += fmt.Sprintf(" (%.1f–%.1f)", a.ScoreRange[0], a.ScoreRange[1])
		}
		parts = append(parts, s)
	}
	if len(a.Gates) > 0 {
		parts = append(parts, "gates "+strings.Join(a.Gates, ", "))
	}
	if a.Licence != "" {
		parts = append(parts, "licence "+a.Licence+": "+a.LicenceVerdict)
	}
	if len(a.Vulnerabilities) > 0 {
		parts = append(parts, "vulnerabilities "+strings.Join(a.Vulnerabilities, ", "))
	}
	parts = append(parts, a.Model+" assessed "+a.AssessedAt.Format("2006-01-02"))
	return strings.Join(parts, "; ")
}

// syncLedger mirrors the ledger folder into the store and says so.
func intakeSync(ctx context.Context, w io.Writer, st *store.Store, dir string, now time.Time) error {
	l, err := ledger.Load(dir)
	if err != nil {
		return err
	}
	n, err := ledger.Sync(ctx, st, l, now)
	if err != nil {
		return fmt.Errorf("the record is written, but the store mirror failed (it is brought up to date on the next sync): %w", err)
	}
	fmt.Fprintf(w, "ledger mirrored into the store: %d added, %d updated, %d withdrawn\n", n.Added, n.Updated+n.Restored, n.Withdrawn)
	return nil
}

// openStore opens the store the config names (store.dsn, store.dsn_env).
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	dsn, err := cfg.StoreDSN()
	if err != nil {
		return nil, err
	}
	if dsn == "" {
		return nil, errors.New("no store configured (store.dsn)")
	}
	return store.Open(ctx, dsn)
}

func intakeSameRange(a, b string) bool {
	norm := func(s string) string {
		s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
		if s == "*" {
			return ""
		}
		return s
	}
	return norm(a) == norm(b)
}

func intakeOrAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

func intakeOrDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func intakeCount(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
