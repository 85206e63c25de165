package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
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
)

// The maker-checker's commands (issue 29): under 'osgauge intake' —
// proposals, confirm, reject, cancel-exit, waive — and 'osgauge vuln
// confirm|reject' (the same proposals; any proposal's id works with
// either). Proposals are made by 'intake decide' (approvals),
// 'intake cancel-exit', 'intake waive' and 'vuln set' (not_affected of a
// known-exploited vulnerability) when server.auth.maker_checker names
// them.

func init() {
	intakeSubcommands = append(intakeSubcommands, newIntakeProposals, newConfirm("intake"), newReject("intake"), newIntakeCancelExit, newIntakeWaive)
}

// cliIdentity is the identity of a command (tests set it): the OS user.
var cliIdentity = auth.CLI

// identityName is the name of the identity ctx carries ("" without one).
func identityName(ctx context.Context) string {
	id, _ := auth.From(ctx)
	return id.Name
}

// proposeAs writes p as a proposal by the identity ctx carries (the
// server's authenticated user, the CLI's OS user). by is the name the
// request gave, if any: it must be that identity's (a proposal is made
// by who is signed in, never on someone else's behalf).
func proposeAs(ctx context.Context, dir string, p ledger.Proposal, by string, now time.Time) (ledger.Proposal, string, error) {
	id, ok := auth.From(ctx)
	if !ok || strings.TrimSpace(id.Name) == "" {
		return p, "", errors.New("a proposal needs an authenticated identity (sign in or use an API key)")
	}
	if by != "" && !ledger.SamePerson(by, id.Name) {
		return p, "", fmt.Errorf("by %q: a proposal is recorded under the identity that makes it, %s (leave by out)", by, id.Name)
	}
	p.By, p.Role, p.Via = id.Name, string(id.Role), id.Via
	return ledger.Propose(dir, p, now)
}

func printProposed(w io.Writer, p ledger.Proposal) {
	fmt.Fprintf(w, "  proposal %s by %s (maker-checker: %s): it takes effect when an approver other than %s confirms it:\n    osgauge intake confirm %s   (or reject %s --why TEXT)\n",
		p.ID, p.By, p.Policy, p.By, p.ID, p.ID)
}

func newIntakeProposals(g *globals) *cobra.Command {
	var all bool
	var format string
	cmd := &cobra.Command{
		Use:   "proposals [--all] [--format text|json]",
		Short: "The proposals waiting for a second person (maker-checker), oldest first",
		Long: `proposals lists the decisions proposed under the maker-checker policy
(server.auth.maker_checker: intake approvals, waivers, exits cancelled,
not_affected analyses of known-exploited vulnerabilities) that no approver has
confirmed or rejected yet; --all lists the confirmed and rejected too.
A proposal changes no state, score or report until an approver other than its
proposer confirms it ('osgauge intake confirm ID').`,
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
			ps := l.Pending()
			if all {
				ps = l.Proposals
			}
			switch format {
			case "json":
				if ps == nil {
					ps = []ledger.Proposal{}
				}
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(ps)
			case "text":
				printProposals(cmd.OutOrStdout(), ps)
				return nil
			}
			return fmt.Errorf("--format must be text or json, got %q", format)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "also the confirmed and rejected proposals")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

func printProposals(w io.Writer, ps []ledger.Proposal) {
	if len(ps) == 0 {
		fmt.Fprintln(w, "no proposals waiting")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPOLICY\tWHAT\tTARGET\tPROPOSED\tBY\tSTATE")
	for _, p := range ps {
		t, v := p.Target()
		if v != "" {
			t += " " + v
		}
		state := p.State
		if p.ReviewedBy != "" {
			state += " by " + p.ReviewedBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Policy, proposalWhat(p), t, p.At.Format("2006-01-02 15:04"), p.By, state)
	}
	tw.Flush()
}

// proposalWhat names what a proposal would record.
func proposalWhat(p ledger.Proposal) string {
	switch {
	case p.Decision != nil:
		return p.Decision.Decision
	case len(p.Analyses) > 0:
		return p.Analyses[0].Vuln + " " + p.Analyses[0].State
	case p.ExitCancel != nil:
		return "cancel exit"
	case p.Waiver != nil:
		return "waive " + p.Waiver.Gate
	}
	return ""
}

// newConfirm is 'osgauge intake confirm ID' (and 'vuln confirm').
func newConfirm(parent string) func(*globals) *cobra.Command {
	return func(g *globals) *cobra.Command {
		return &cobra.Command{
			Use:   "confirm PROPOSAL-ID",
			Short: "Confirm a proposal as the second person (maker-checker): it takes effect now",
			Long: `confirm signs off a proposal ('osgauge ` + parent + ` proposals' lists them): its
records are written to the ledger with both people (by: the proposer,
confirmed_by: you, the OS user; proposed_at, confirmed_at) and take effect
now. Its proposer cannot confirm it; a confirmed or rejected proposal cannot be
confirmed again.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				cfg, err := g.loadConfig()
				if err != nil {
					return err
				}
				st, err := openStore(cmd.Context(), cfg)
				if err != nil {
					return err
				}
				defer st.Close()
				if err := cliReviewAllowed(cfg); err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				now := intakeNow().UTC()
				ctx := auth.With(cmd.Context(), cliIdentity())
				p, paths, err := confirmProposal(ctx, cfg, st, args[0], now)
				if err != nil {
					return err
				}
				recordCLIIn(ctx, cmd.ErrOrStderr(), st, parent+" confirm", p.ID, map[string]any{"proposed_by": p.By, "files": paths}) // the audit log (token.go)
				fmt.Fprintf(w, "confirmed %s (%s, proposed by %s) as %s: %s\n", p.ID, proposalWhat(p), p.By, p.ReviewedBy, strings.Join(paths, ", "))
				return nil
			},
		}
	}
}

// cliReviewAllowed refuses confirm and reject on the command line once
// users are configured (tokens_file, oidc or trusted_proxy): any OS
// account on the server would pass for a second person there. Without
// users the OS user is the identity, and the ledger refuses the
// proposer's own (ledger.SamePerson).
func cliReviewAllowed(cfg *config.Config) error {
	if cfg.Server.Auth.UsersConfigured() {
		return usageError(errors.New("users are configured (server.auth: tokens_file, oidc or trusted_proxy): confirm or reject through the API (POST /api/v1/decisions/ID/confirm or /reject) with your own API key or sign-in, not the command line"))
	}
	return nil
}

// newReject is 'osgauge intake reject ID --why TEXT' (and 'vuln reject').
func newReject(parent string) func(*globals) *cobra.Command {
	return func(g *globals) *cobra.Command {
		var why string
		cmd := &cobra.Command{
			Use:   "reject PROPOSAL-ID --why TEXT",
			Short: "Reject a proposal (maker-checker): it never takes effect",
			Long: `reject records that a proposal ('osgauge ` + parent + ` proposals') is not
confirmed: a rejection file beside it names you (the OS user) and why. The
proposal never takes effect; its proposer may withdraw it so.`,
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				cfg, err := g.loadConfig()
				if err != nil {
					return err
				}
				st, err := openStore(cmd.Context(), cfg)
				if err != nil {
					return err
				}
				defer st.Close()
				if err := cliReviewAllowed(cfg); err != nil {
					return err
				}
				ctx := auth.With(cmd.Context(), cliIdentity())
				p, path, err := rejectProposal(ctx, cfg, st, args[0], why, intakeNow().UTC())
				if err != nil {
					return err
				}
				recordCLIIn(ctx, cmd.ErrOrStderr(), st, parent+" reject", p.ID, map[string]any{"proposed_by": p.By, "why": why, "file": path}) // the audit log (token.go)
				fmt.Fprintf(cmd.OutOrStdout(), "rejected %s (%s, proposed by %s): %s\n", p.ID, proposalWhat(p), p.By, path)
				return nil
			},
		}
		cmd.Flags().StringVar(&why, "why", "", "why (the audit trail)")
		cmd.MarkFlagRequired("why")
		return cmd
	}
}

// reviewer is the identity ctx carries as a ledger reviewer.
func reviewer(ctx context.Context) (ledger.Reviewer, error) {
	id, ok := auth.From(ctx)
	if !ok || strings.TrimSpace(id.Name) == "" {
		return ledger.Reviewer{}, errors.New("a confirmation needs an authenticated identity (sign in or use an API key)")
	}
	return ledger.Reviewer{Name: id.Name, Role: string(id.Role), Via: id.Via}, nil
}

// confirmProposal confirms proposal id as the identity ctx carries and
// mirrors the ledger into the store.
func confirmProposal(ctx context.Context, cfg *config.Config, st *store.Store, id string, now time.Time) (ledger.Proposal, []string, error) {
	who, err := reviewer(ctx)
	if err != nil {
		return ledger.Proposal{}, nil, err
	}
	dir := cfg.LedgerDir()
	p, paths, err := ledger.Confirm(dir, id, who, now)
	if err != nil {
		return p, paths, err
	}
	return p, paths, mirrorLedger(ctx, st, dir, now)
}

func rejectProposal(ctx context.Context, cfg *config.Config, st *store.Store, id, why string, now time.Time) (ledger.Proposal, string, error) {
	who, err := reviewer(ctx)
	if err != nil {
		return ledger.Proposal{}, "", err
	}
	if strings.TrimSpace(why) == "" {
		return ledger.Proposal{}, "", &policy.InputError{Err: errors.New("why: a rejection says why (the audit trail)")}
	}
	dir := cfg.LedgerDir()
	p, path, err := ledger.Reject(dir, id, who, why, now)
	if err != nil {
		return p, path, err
	}
	return p, path, mirrorLedger(ctx, st, dir, now)
}

func mirrorLedger(ctx context.Context, st *store.Store, dir string, now time.Time) error {
	l, err := ledger.Load(dir)
	if err != nil {
		return err
	}
	if _, err := ledger.Sync(ctx, st, l, now); err != nil {
		return fmt.Errorf("the record is written, but the store mirror failed (it is brought up to date on the next sync): %w", err)
	}
	return nil
}

func newIntakeCancelExit(g *globals) *cobra.Command {
	var c ledger.ExitCancel
	cmd := &cobra.Command{
		Use:   "cancel-exit EXIT-ID --why TEXT",
		Short: "Take a component off the exit list (a proposal when the maker-checker names exit)",
		Long: `cancel-exit takes an exit (its id: 'osgauge intake list') off the exit list:
from then the component's state is its decision's again. Under the
maker-checker (server.auth.maker_checker names exit, the default) it is a
proposal until an approver other than you confirms it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c.Exit = args[0]
			var err error
			if c.By, err = cliBy(c.By); err != nil {
				return err
			}
			return recordOrPropose(auth.With(cmd.Context(), cliIdentity()), cmd.OutOrStdout(), g, ledger.CheckExit, ledger.Proposal{ExitCancel: &c}, c.By, "intake cancel-exit", c.Exit)
		},
	}
	cmd.Flags().StringVar(&c.By, "by", "", byFlagHelp)
	cmd.Flags().StringVar(&c.Why, "why", "", "why (the audit trail)")
	cmd.MarkFlagRequired("why")
	return cmd
}

func newIntakeWaive(g *globals) *cobra.Command {
	var wv ledger.Waiver
	cmd := &cobra.Command{
		Use:   "waive SUBJECT --gate G [--accepts ID]... --expires DATE --why TEXT",
		Short: "Waive a gate of a subject, recorded in the ledger (a proposal when the maker-checker names waiver)",
		Long: `waive records a waiver (waivers/ in the ledger): the gate of SUBJECT (its id
or name) no longer caps its grade for what --accepts names (the vulnerability
ids, the licence or the value the gate fired on), from --accepted (default
today) through --expires, at most 12 months — as an exception in the config's
exceptions: does. Under the maker-checker (server.auth.maker_checker names
waiver, the default) it is a proposal until an approver other than you
confirms it, and applies from the day it is confirmed.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			wv.Subject = args[0]
			var err error
			if wv.By, err = cliBy(wv.By); err != nil {
				return err
			}
			if wv.Accepted == "" {
				wv.Accepted = intakeNow().UTC().Format("2006-01-02")
			}
			return recordOrPropose(auth.With(cmd.Context(), cliIdentity()), cmd.OutOrStdout(), g, ledger.CheckWaiver, ledger.Proposal{Waiver: &wv}, wv.By, "intake waive", wv.Subject)
		},
	}
	f := cmd.Flags()
	f.StringVar(&wv.Gate, "gate", "", "the gate waived (G-KEV, G-UNMAINTAINED, …)")
	f.StringVar(&wv.Model, "model", "", "only this model's gate")
	f.StringArrayVar(&wv.Accepts, "accepts", nil, "what the waiver accepts: a vulnerability id, a licence, a value (repeat the flag)")
	f.StringVar(&wv.Accepted, "accepted", "", "the first day it applies, YYYY-MM-DD (default today)")
	f.StringVar(&wv.Expires, "expires", "", "the last day it applies, YYYY-MM-DD")
	f.StringVar(&wv.By, "by", "", byFlagHelp)
	f.StringVar(&wv.Why, "why", "", "why (the audit trail)")
	for _, k := range []string{"gate", "expires", "why"} {
		cmd.MarkFlagRequired(k)
	}
	return cmd
}

// recordOrPropose records p's one record at once, or proposes it when the
// policy names kind, and mirrors the ledger.
func recordOrPropose(ctx context.Context, w io.Writer, g *globals, kind string, p ledger.Proposal, by, action, target string) error {
	cfg, err := g.loadConfig()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := recordOrProposeIn(ctx, cfg, st, kind, p, by, intakeNow().UTC())
	if err != nil {
		return err
	}
	recordCLIIn(ctx, os.Stderr, st, action, target, map[string]any{"proposal": p, "files": res.Files, "proposed": res.Proposal != nil}) // the audit log (token.go)
	if res.Proposal != nil {
		fmt.Fprintf(w, "proposed %s: %s\n", proposalWhat(*res.Proposal), strings.Join(res.Files, ", "))
		printProposed(w, *res.Proposal)
		return nil
	}
	fmt.Fprintf(w, "recorded %s: %s\n", proposalWhat(p), strings.Join(res.Files, ", "))
	return nil
}

// recordOrProposeIn is recordOrPropose's work: a proposal by the identity
// ctx carries when the policy names kind, else the record at once.
func recordOrProposeIn(ctx context.Context, cfg *config.Config, st *store.Store, kind string, p ledger.Proposal, by string, now time.Time) (server.DecisionResult, error) {
	dir := cfg.LedgerDir()
	if cfg.Server.Auth.NeedsSecondPerson(kind) {
		p.Policy = kind
		q, path, err := proposeAs(ctx, dir, p, by, now)
		if err != nil {
			return server.DecisionResult{}, &policy.InputError{Err: err}
		}
		return server.DecisionResult{State: ledger.ProposalProposed, Proposal: &q, Files: []string{path}}, mirrorLedger(ctx, st, dir, now)
	}
	if by == "" {
		by = identityName(ctx)
	}
	var rec any
	switch {
	case p.Decision != nil:
		p.Decision.By = by
		rec = *p.Decision
	case p.ExitCancel != nil:
		p.ExitCancel.By = by
		rec = *p.ExitCancel
	case p.Waiver != nil:
		p.Waiver.By = by
		rec = *p.Waiver
	}
	path, err := ledger.Record(dir, rec, now)
	if err != nil {
		return server.DecisionResult{}, &policy.InputError{Err: err}
	}
	return server.DecisionResult{State: "recorded", Files: []string{path}}, mirrorLedger(ctx, st, dir, now)
}

// decisionService is serve's access to proposals and confirmations: the
// identity is the request's (auth.From), the config and ledger read per
// request as the CLI reads them.
func decisionService(cfg *config.Config, st *store.Store) *server.DecisionService {
	return &server.DecisionService{
		Propose: func(ctx context.Context, req server.DecisionRequest, now time.Time) (server.DecisionResult, error) {
			switch {
			case req.Decision != nil:
				var buf strings.Builder
				res, err := intakeDecideIn(ctx, &buf, cfg, st, req.Decision.Target, *req.Decision)
				if err != nil && res.State == "" {
					return res, &policy.InputError{Err: err}
				}
				return res, err
			case req.ExitCancel != nil:
				return recordOrProposeIn(ctx, cfg, st, ledger.CheckExit, ledger.Proposal{ExitCancel: req.ExitCancel}, req.ExitCancel.By, now)
			case req.Waiver != nil:
				return recordOrProposeIn(ctx, cfg, st, ledger.CheckWaiver, ledger.Proposal{Waiver: req.Waiver}, req.Waiver.By, now)
			}
			return server.DecisionResult{}, &policy.InputError{Err: errors.New("body: one of decision, exit_cancel, waiver")}
		},
		Confirm: func(ctx context.Context, id string, now time.Time) (ledger.Proposal, error) {
			p, _, err := confirmProposal(ctx, cfg, st, id, now)
			return p, err
		},
		Reject: func(ctx context.Context, id, why string, now time.Time) (ledger.Proposal, error) {
			p, _, err := rejectProposal(ctx, cfg, st, id, why, now)
			return p, err
		},
		List: func(ctx context.Context) ([]ledger.Proposal, error) {
			l, err := ledger.Load(cfg.LedgerDir())
			if err != nil {
				return nil, &policy.InputError{Err: err}
			}
			return l.Proposals, nil
		},
	}
}

// withLedgerWaivers adds the ledger's waivers (recorded at once, or
// confirmed under the maker-checker; a proposal is none) to the config's
// exceptions, so that scoring waives their gates as it waives the
// config's. A broken ledger is an error naming the file and line.
func withLedgerWaivers(c *config.Config) error {
	l, err := ledger.Load(c.LedgerDir())
	if err != nil {
		return err
	}
	c.Exceptions = append(c.Exceptions, l.WaiverExceptions()...)
	return nil
}

// byFlagHelp is the help of the CLI's --by flags.
const byFlagHelp = "who decided: the CLI records the OS user; --by is accepted only when it names that same person (case aside), another name is refused — to act as someone else, use the API with their own key"

// cliBy is the name the CLI records as by: the OS user (cliIdentity,
// auth.CLI). flag (--by) is kept only when it names that same person
// (auth.SamePerson): the simplest honest rule, since the CLI cannot tell
// who else is at the keyboard.
func cliBy(flag string) (string, error) {
	me := cliIdentity().Name
	if strings.TrimSpace(flag) == "" || auth.SamePerson(flag, me) {
		return me, nil
	}
	return "", fmt.Errorf("--by %q: the CLI records the operating-system user, %s, as by; --by may only name that same person (leave it out, or use the API with %s's own key)", flag, me, flag)
}
