package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vulns"
)

// vulnNow is the clock of the vuln commands (tests set it).
var vulnNow = time.Now

// printVulnProposed is printProposed for 'vuln set': the hint names 'osgauge
// vuln confirm', the command of the vuln user (the same proposals as intake
// confirm).
func printVulnProposed(w io.Writer, p ledger.Proposal) {
	fmt.Fprintf(w, "  proposal %s by %s (maker-checker: %s): it takes effect when an approver other than %s confirms it:\n    osgauge vuln confirm %s   (or osgauge vuln reject %s --why TEXT)\n",
		p.ID, p.By, p.Policy, p.By, p.ID, p.ID)
}

func newVuln(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "vuln",
		Short: "Vulnerability handling (漏洞处置, 漏洞复测): list findings with their state and deadline, record analyses",
		Long: `vuln shows the known vulnerabilities of the components each system runs as
findings with a state, and records what the institution decided about them.

A finding is one vulnerability (a CVE and its GHSA are one) in one package of
one system, named system/component@version/vulnerability. Its state follows
CycloneDX VEX and OpenVEX: in_triage, affected (CycloneDX exploitable),
not_affected (with a justification), false_positive, mitigated (a measure
until a date), fixed (a person says the fix is in) and verified (the system's
next SBOM no longer holds an affected version: the re-test is automatic). A
finding whose version comes back is reopened; one set fixed that the next
SBOM still holds is "fix not verified". Deadlines per severity and for known-
exploited vulnerabilities come from vulnerability_policy.deadlines_days.

Decisions are ledger records (vulns/ under lifecycle.ledger), one file each,
never rewritten, mirrored into the store:
  osgauge vuln list [--system NAME] [--state S] [--overdue] [--format text|json]
  osgauge vuln set FINDING --state S [--justification J] --by WHO --why TEXT [--until DATE]`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newVulnList(g), newVulnSet(g), newConfirm("vuln")(g), newReject("vuln")(g))
	return cmd
}

func newVulnList(g *globals) *cobra.Command {
	var system, state, format string
	var overdue bool
	cmd := &cobra.Command{
		Use:   "list [--system NAME] [--state S] [--overdue] [--format text|json]",
		Short: "The findings, overdue first, with state, severity, deadline and justification",
		Long: `list prints every finding as of now, overdue first, then open, then by
severity: its id, state, severity, KEV, the date it opened and its deadline,
and what explains its state (the justification of not_affected, a mitigation's
end, the SBOM that verified it, "fix not verified", "reopened").

--state takes a state (in_triage, affected, not_affected, false_positive,
mitigated, fixed, verified; CycloneDX's exploitable and resolved are read as
affected and fixed) or open (the findings that are risks now).
--format json prints {"as_of", "period", "findings": [...], "totals": {...}};
the totals count the listed findings, verified and medians over the current
quarter.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("--format must be text or json, got %q", format)
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
			now := vulnNow().UTC()
			fs, err := vulnFindings(cmd.Context(), cfg, st, now)
			if err != nil {
				return err
			}
			fs, err = vulns.Filter(fs, system, state, overdue)
			if err != nil {
				return fmt.Errorf("--%w", err)
			}
			if format == "json" {
				return writeVulnJSON(cmd.OutOrStdout(), fs, now)
			}
			printVulnList(cmd.OutOrStdout(), fs, now)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&system, "system", "", "only this system's findings")
	f.StringVar(&state, "state", "", "only findings in this state (or open: the risks)")
	f.BoolVar(&overdue, "overdue", false, "only overdue findings")
	f.StringVar(&format, "format", "text", "text or json")
	return cmd
}

func newVulnSet(g *globals) *cobra.Command {
	var d vulns.Decision
	var system string
	cmd := &cobra.Command{
		Use:   "set FINDING --state S [--justification J] --by WHO --why TEXT [--until DATE]",
		Short: "Record an analysis of a finding in the ledger (who, when, why)",
		Long: `set records an analysis of a finding as a new file in the ledger
(vulns/YYYY-MM-DD-<id>.yaml) and mirrors the ledger into the store. A later
analysis supersedes an earlier one; none is rewritten.

FINDING is the id 'osgauge vuln list' prints (system/component@version/
vulnerability), or a vulnerability id or alias when it names one finding
(--system narrows it). The analysis applies to the finding's system, package
and the version running; a later SBOM with another version brings the finding
back to in_triage unless that version is analysed too.

States: in_triage, affected, not_affected (needs --justification:
code_not_present, code_not_reachable, requires_configuration,
requires_dependency, requires_environment, protected_by_compiler,
protected_at_runtime, protected_at_perimeter, protected_by_mitigating_control,
component_not_present, vulnerable_code_not_present,
vulnerable_code_not_in_execute_path,
vulnerable_code_cannot_be_controlled_by_adversary,
inline_mitigations_already_exist — or an impact statement in --detail),
false_positive, mitigated (needs --detail, the measure, and --until, its last
day) and fixed (the next SBOM verifies it). verified is not set by hand.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			by, err := cliBy(d.By)
			if err != nil {
				return err
			}
			d.By = by
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
			f, path, err := vulnSet(auth.With(cmd.Context(), cliIdentity()), cfg, st, args[0], system, d, vulnNow().UTC())
			var proposed *ledger.ProposedError
			if err == nil || errors.As(err, &proposed) { // the audit log (token.go)
				recordCLIIn(cmd.Context(), cmd.ErrOrStderr(), st, "vuln set", args[0], map[string]any{"analysis": d, "system": system, "file": path, "proposed": proposed != nil})
			}
			if errors.As(err, &proposed) {
				fmt.Fprintf(w, "proposed %s for %s (a known-exploited vulnerability): %s\n", vulns.NormalizeState(d.State), f.ID, path)
				printVulnProposed(w, proposed.Proposal)
				fmt.Fprintf(w, "  now %s%s\n", f.State, vulnNote(f))
				return nil
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "recorded %s for %s: %s\n", vulns.NormalizeState(d.State), f.ID, path)
			fmt.Fprintf(w, "  now %s%s\n", f.State, vulnNote(f))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&d.State, "state", "", "in_triage, affected, not_affected, false_positive, mitigated or fixed")
	fl.StringVar(&d.Justification, "justification", "", "why not_affected (CycloneDX or OpenVEX justification)")
	fl.StringVar(&d.Response, "response", "", "CycloneDX response: can_not_fix, will_not_fix, update, rollback, workaround_available (comma-separated)")
	fl.StringVar(&d.Detail, "detail", "", "the impact statement, or a mitigation's measure")
	fl.StringVar(&d.Until, "until", "", "a mitigation's last day, YYYY-MM-DD")
	fl.StringVar(&d.By, "by", "", byFlagHelp)
	fl.StringVar(&d.Why, "why", "", "why (the audit trail)")
	fl.StringVar(&system, "system", "", "the system, when FINDING is a vulnerability id")
	for _, k := range []string{"state", "why"} {
		cmd.MarkFlagRequired(k)
	}
	return cmd
}

// vulnFindings are the findings as of now: the store's SBOM history and
// matches, the ledger's analyses, the config's deadlines.
func vulnFindings(ctx context.Context, cfg *config.Config, st *store.Store, now time.Time) ([]vulns.Finding, error) {
	l, err := ledger.Load(cfg.LedgerDir())
	if err != nil {
		return nil, &policy.InputError{Err: err}
	}
	return vulns.Load(ctx, st, l, cfg.VulnerabilityPolicy.Deadlines(), now)
}

// vulnSet records d for the finding ref names and mirrors the ledger;
// it returns the finding as it now stands and the new file. Errors of the
// request (no such finding, an invalid analysis, a broken ledger) are
// policy.InputErrors; a ref naming no finding is a vulns.NotFoundError.
func vulnSet(ctx context.Context, cfg *config.Config, st *store.Store, ref, system string, d vulns.Decision, now time.Time) (vulns.Finding, string, error) {
	fs, err := vulnFindings(ctx, cfg, st, now)
	if err != nil {
		return vulns.Finding{}, "", err
	}
	f, err := vulns.Find(fs, ref, system)
	if err != nil {
		if _, ok := err.(*vulns.NotFoundError); ok {
			return vulns.Finding{}, "", err
		}
		return vulns.Finding{}, "", &policy.InputError{Err: err}
	}
	if d.By == "" {
		d.By = identityName(ctx) // the signed-in user, the OS user
	}
	// One record per running version, each for exactly that version
	// (vulns.Analyses); a version no range names exactly is refused.
	as, err := vulns.Analyses(f, d)
	if err != nil {
		return vulns.Finding{}, "", &policy.InputError{Err: err}
	}
	for i := range as {
		a := &as[i]
		if a.State == vulns.Mitigated && a.Expired(now) {
			return vulns.Finding{}, "", &policy.InputError{Err: fmt.Errorf("until: %s has passed: a mitigation recorded now holds until today or later", a.Until)}
		}
		// The ledger holds every mitigation to 12 months; the config's
		// exception_policy.max_months may ask for less.
		a.At = now
		if msg := a.CheckMitigationLength(cfg.ExceptionPolicy.MaxMonths); msg != "" {
			return vulns.Finding{}, "", &policy.InputError{Err: fmt.Errorf("until: %s", msg)}
		}
	}
	dir := cfg.LedgerDir()
	// Maker-checker: any closing state (not_affected, false_positive,
	// mitigated) of a known-exploited vulnerability waits for a second
	// person (vex_kev); the finding stays as it is.
	if f.KEV && kevClosing(d.State) && cfg.Server.Auth.NeedsSecondPerson(ledger.CheckVexKEV) {
		p, path, err := proposeAs(ctx, dir, ledger.Proposal{Policy: ledger.CheckVexKEV, Analyses: as}, d.By, now)
		if err != nil {
			return vulns.Finding{}, "", &policy.InputError{Err: err}
		}
		if err := mirrorLedger(ctx, st, dir, now); err != nil {
			return f, path, err
		}
		return f, path, &ledger.ProposedError{Proposal: p, Path: path}
	}
	var paths []string
	for _, a := range as {
		p, err := ledger.Record(dir, a, now)
		if err != nil {
			if len(paths) > 0 {
				err = fmt.Errorf("%w (already written: %s)", err, strings.Join(paths, ", "))
			}
			return vulns.Finding{}, "", &policy.InputError{Err: err}
		}
		paths = append(paths, p)
	}
	path := strings.Join(paths, ", ")
	l, err := ledger.Load(dir)
	if err != nil {
		return vulns.Finding{}, path, err
	}
	if _, err := ledger.Sync(ctx, st, l, now); err != nil {
		return vulns.Finding{}, path, fmt.Errorf("the record is written (%s), but the store mirror failed (it is brought up to date on the next sync): %w", path, err)
	}
	after, err := vulns.Load(ctx, st, l, cfg.VulnerabilityPolicy.Deadlines(), now)
	if err != nil {
		return vulns.Finding{}, path, err
	}
	g, err := vulns.Find(after, f.ID, "")
	if err != nil {
		return vulns.Finding{}, path, err
	}
	return g, path, nil
}

// vulnService is serve's access to the findings: the ledger and config
// read per request, as the CLI reads them.
// kevClosing reports whether recording state closes a finding: every
// state but in_triage, affected and fixed (a fix stays open until a
// snapshot shows the fixed version: vulns.Finding.Open). For a KEV
// finding such a state needs a second person (maker-checker vex_kev).
func kevClosing(state string) bool {
	switch vulns.NormalizeState(state) {
	case vulns.InTriage, vulns.Affected, vulns.Fixed:
		return false
	}
	return true
}

func vulnService(cfg *config.Config, st *store.Store) *server.VulnService {
	return &server.VulnService{
		List: func(ctx context.Context, now time.Time) ([]vulns.Finding, error) {
			return vulnFindings(ctx, cfg, st, now)
		},
		Set: func(ctx context.Context, ref, system string, d vulns.Decision, now time.Time) (vulns.Finding, error) {
			f, _, err := vulnSet(ctx, cfg, st, ref, system, d, now)
			return f, err
		},
		// The list is kept while the ledger's files are unchanged.
		Stamp: func() (string, error) { return server.DirStamp(cfg.LedgerDir()) },
	}
}

// vulnNote says what explains a finding's state.
func vulnNote(f vulns.Finding) string {
	var parts []string
	if f.Overdue {
		parts = append(parts, "OVERDUE")
	}
	if f.Reopened {
		parts = append(parts, "reopened")
	}
	if f.FixNotVerified {
		parts = append(parts, "fix not verified")
	}
	switch f.State {
	case vulns.NotAffected:
		j := f.Justification
		if j == "" {
			j = f.Detail
		}
		parts = append(parts, j)
	case vulns.Mitigated:
		parts = append(parts, "mitigated until "+f.MitigatedUntil)
	case vulns.Affected:
		if f.MitigatedUntil != "" {
			parts = append(parts, "mitigation ended "+f.MitigatedUntil)
		}
	case vulns.Verified:
		if f.VerifiedAt != nil {
			parts = append(parts, "verified "+f.VerifiedAt.Format("2006-01-02")+" by "+f.VerifiedBy)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

func printVulnList(w io.Writer, fs []vulns.Finding, now time.Time) {
	if len(fs) == 0 {
		fmt.Fprintln(w, "no findings")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FINDING\tSTATE\tSEVERITY\tKEV\tSINCE\tDUE\tFIXED IN\tNOTE")
	for _, f := range fs {
		kev := ""
		if f.KEV {
			kev = "KEV"
		}
		note := strings.TrimSuffix(strings.TrimPrefix(vulnNote(f), " ("), ")")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.ID, f.State, f.Severity, kev, f.Since.Format("2006-01-02"),
			f.Due.Format("2006-01-02"), intakeOrDash(f.FixedIn), note)
	}
	tw.Flush()
	t := vulns.Summarise(fs, vulns.QuarterStart(now), time.Time{})
	fmt.Fprintf(w, "\n%d findings: %d open (critical %d, high %d, medium %d, low %d, unknown %d), %d overdue (%d KEV); not affected %d, false positive %d, mitigated %d; verified in %s: %d\n",
		len(fs), t.Open, t.OpenBySeverity["critical"], t.OpenBySeverity["high"], t.OpenBySeverity["medium"], t.OpenBySeverity["low"], t.OpenBySeverity["unknown"],
		t.Overdue, t.OverdueKEV, t.NotAffected, t.FalsePositive, t.Mitigated, vulns.Quarter(now), t.VerifiedThisPeriod)
}

func writeVulnJSON(w io.Writer, fs []vulns.Finding, now time.Time) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(server.VulnList(fs, now))
}
