package ledger

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Maker-checker (双人复核, issue 29). A policy (server.auth.maker_checker)
// names the decisions that need a second person: intake approvals
// (intake), waivers of a gate (waiver), exits cancelled (exit) and
// not_affected analyses of known-exploited vulnerabilities (vex_kev). Such
// a decision is first written as a proposal (kind proposal, folder
// proposals/), which changes nothing: no state, score or report reads it.
// An approver other than the proposer confirms it: the records it holds
// are then written to their own folders as any record is, each naming the
// proposal and both people —
//
//	kind: decision
//	id: dec-0c1d2e3f
//	target: pkg:maven/com.alibaba/fastjson
//	versions: 1.2.83
//	decision: approved
//	by: alice                         # who proposed it
//	why: intake assessment grade B
//	at: 2026-12-08T09:00:00Z          # when it took effect: the confirmation
//	proposal: prop-5a6b7c8d
//	proposed_at: 2026-12-07T10:00:00Z
//	confirmed_by: bob
//	confirmed_at: 2026-12-08T09:00:00Z
//
// — or rejects it (kind proposal-rejection, in proposals/). Nothing is
// rewritten; the three files are the audit trail. Load refuses a record
// confirmed by its own proposer, a confirmation naming no proposal, and a
// proposal both confirmed and rejected, with file and line.
//
// A decision the policy does not name takes effect at once, as before.
// Hand-written files are the institution's own (its git review is their
// second pair of eyes); the policy governs what osgauge records.

// Record kinds of the maker-checker and the records it brought.
const (
	KindProposal   = "proposal"
	KindRejection  = "proposal-rejection"
	KindExitCancel = "exit-cancel"
	KindWaiver     = "waiver"
	ProposalsDir   = "proposals"
	WaiversDir     = "waivers"
)

// The decisions a maker-checker policy can name.
const (
	CheckIntake = "intake"  // intake approvals (approved, conditional)
	CheckWaiver = "waiver"  // waivers of a gate
	CheckExit   = "exit"    // exits cancelled
	CheckVexKEV = "vex_kev" // not_affected analyses of known-exploited vulnerabilities
)

// MakerCheckerKinds are the decisions a policy can name, and the default
// policy.
var MakerCheckerKinds = []string{CheckIntake, CheckWaiver, CheckExit, CheckVexKEV}

// MakerChecker is a maker-checker policy: the decisions that need a second
// person. nil is the default (every one of MakerCheckerKinds); an empty,
// non-nil list (maker_checker: []) turns it off.
type MakerChecker []string

// Needs reports whether the policy asks a second person for kind.
func (p MakerChecker) Needs(kind string) bool {
	if p == nil {
		return slices.Contains(MakerCheckerKinds, kind)
	}
	return slices.Contains(p, kind)
}

// CheckMakerChecker returns what is wrong with a policy's list ("" when
// nothing): each entry must be one of MakerCheckerKinds.
func CheckMakerChecker(list []string) string {
	for _, k := range list {
		if !slices.Contains(MakerCheckerKinds, k) {
			return fmt.Sprintf("unknown decision %q (known: %s)", k, strings.Join(MakerCheckerKinds, ", "))
		}
	}
	return ""
}

// States of a proposal.
const (
	ProposalProposed  = "proposed"
	ProposalConfirmed = "confirmed"
	ProposalRejected  = "rejected"
)

// Confirmation is what a record confirmed under the maker-checker carries:
// the proposal, when it was proposed, who confirmed it and when (its By is
// the proposer). Empty for a record that took effect at once.
type Confirmation struct {
	Proposal    string    `yaml:"proposal,omitempty" json:"proposal,omitempty"`
	ProposedAt  time.Time `yaml:"proposed_at,omitempty" json:"proposed_at,omitzero"`
	ConfirmedBy string    `yaml:"confirmed_by,omitempty" json:"confirmed_by,omitempty"`
	ConfirmedAt time.Time `yaml:"confirmed_at,omitempty" json:"confirmed_at,omitzero"`
}

// Proposal is a decision waiting for a second person: exactly one of
// Decision, Analyses (one per version running, as 'vuln set' records
// them), ExitCancel and Waiver. By, Role and Via are the proposer's
// authenticated identity (auth.Identity); each record's by is By.
type Proposal struct {
	ID         string         `yaml:"id" json:"id"`
	Policy     string         `yaml:"policy" json:"policy"` // intake, waiver, exit, vex_kev
	By         string         `yaml:"by" json:"by"`
	Role       string         `yaml:"role,omitempty" json:"role,omitempty"`
	Via        string         `yaml:"via,omitempty" json:"via,omitempty"`
	At         time.Time      `yaml:"at" json:"at"`
	Decision   *Decision      `yaml:"decision,omitempty" json:"decision,omitempty"`
	Analyses   []VulnAnalysis `yaml:"analyses,omitempty" json:"analyses,omitempty"`
	ExitCancel *ExitCancel    `yaml:"exit_cancel,omitempty" json:"exit_cancel,omitempty"`
	Waiver     *Waiver        `yaml:"waiver,omitempty" json:"waiver,omitempty"`

	// Settled on Load from the records that name it.
	State      string    `yaml:"-" json:"state"`
	ReviewedBy string    `yaml:"-" json:"reviewed_by,omitempty"`
	ReviewedAt time.Time `yaml:"-" json:"reviewed_at,omitzero"`
	ReviewWhy  string    `yaml:"-" json:"review_why,omitempty"` // a rejection's why
	Records    []string  `yaml:"-" json:"records,omitempty"`    // the ids of the records confirmed

	File string `yaml:"-" json:"file,omitempty"`
	Line int    `yaml:"-" json:"line,omitempty"`
}

// Rejection rejects a proposal (kind proposal-rejection).
type Rejection struct {
	ID       string    `yaml:"id" json:"id"`
	Proposal string    `yaml:"proposal" json:"proposal"`
	By       string    `yaml:"by" json:"by"`
	Role     string    `yaml:"role,omitempty" json:"role,omitempty"`
	Via      string    `yaml:"via,omitempty" json:"via,omitempty"`
	Why      string    `yaml:"why" json:"why"`
	At       time.Time `yaml:"at" json:"at"`

	File string `yaml:"-" json:"file,omitempty"`
	Line int    `yaml:"-" json:"line,omitempty"`
}

// ExitCancel takes an exit off the exit list (kind exit-cancel, folder
// exits/): from its At the exit no longer applies, and the component's
// state is its decision's again.
type ExitCancel struct {
	ID           string    `yaml:"id" json:"id"`
	Exit         string    `yaml:"exit" json:"exit"` // the exit's id
	By           string    `yaml:"by" json:"by"`
	Why          string    `yaml:"why" json:"why"`
	At           time.Time `yaml:"at" json:"at"`
	Confirmation `yaml:",inline"`

	File string `yaml:"-" json:"file,omitempty"`
	Line int    `yaml:"-" json:"line,omitempty"`
}

// Waiver waives a gate of a subject (kind waiver, folder waivers/): an
// exception (models.Exception) recorded in the ledger, which scoring
// reads beside the config's exceptions (Ledger.WaiverExceptions).
type Waiver struct {
	ID      string   `yaml:"id" json:"id"`
	Subject string   `yaml:"subject" json:"subject"`
	Model   string   `yaml:"model,omitempty" json:"model,omitempty"`
	Gate    string   `yaml:"gate" json:"gate"`
	Accepts []string `yaml:"accepts,omitempty" json:"accepts,omitempty"`
	// Accepted and Expires are the first and last day it applies
	// (YYYY-MM-DD); a confirmed waiver applies from its confirmation's
	// day at the earliest.
	Accepted     string    `yaml:"accepted" json:"accepted"`
	Expires      string    `yaml:"expires" json:"expires"`
	By           string    `yaml:"by" json:"by"`
	Why          string    `yaml:"why" json:"why"`
	At           time.Time `yaml:"at" json:"at"`
	Confirmation `yaml:",inline"`

	File string `yaml:"-" json:"file,omitempty"`
	Line int    `yaml:"-" json:"line,omitempty"`
}

type proposalFile struct {
	Kind     string `yaml:"kind"`
	Proposal `yaml:",inline"`
}

type rejectionFile struct {
	Kind      string `yaml:"kind"`
	Rejection `yaml:",inline"`
}

type exitCancelFile struct {
	Kind       string `yaml:"kind"`
	ExitCancel `yaml:",inline"`
}

type waiverFile struct {
	Kind   string `yaml:"kind"`
	Waiver `yaml:",inline"`
}

func (p *Proposal) origin(defaultID, file string, line int) {
	p.ID, p.File, p.Line = cmp.Or(p.ID, defaultID), file, line
	if p.Decision != nil {
		p.Decision.Target = CanonicalTarget(p.Decision.Target)
	}
	for i := range p.Analyses {
		p.Analyses[i].Target = CanonicalTarget(p.Analyses[i].Target)
	}
}

func (r *Rejection) origin(defaultID, file string, line int) {
	r.ID, r.File, r.Line = cmp.Or(r.ID, defaultID), file, line
}

func (c *ExitCancel) origin(defaultID, file string, line int) {
	c.ID, c.File, c.Line = cmp.Or(c.ID, defaultID), file, line
}

func (w *Waiver) origin(defaultID, file string, line int) {
	w.ID, w.File, w.Line = cmp.Or(w.ID, defaultID), file, line
}

// payloads counts what the proposal holds.
func (p *Proposal) payloads() int {
	n := len(p.Analyses)
	for _, ok := range []bool{p.Decision != nil, p.ExitCancel != nil, p.Waiver != nil} {
		if ok {
			n++
		}
	}
	return n
}

func (p *Proposal) validate(loaded bool) []problem {
	var ps []problem
	if !slices.Contains(MakerCheckerKinds, p.Policy) {
		ps = append(ps, problem{"policy", fmt.Sprintf("must be one of %s, got %q", strings.Join(MakerCheckerKinds, ", "), p.Policy)})
	}
	if strings.TrimSpace(p.By) == "" {
		ps = append(ps, problem{"by", "who proposed it is required (the audit trail)"})
	}
	switch {
	case p.payloads() == 0:
		ps = append(ps, problem{"decision", "a proposal holds what it proposes: decision, analyses, exit_cancel or waiver"})
	case p.Decision != nil && p.payloads() > 1, p.ExitCancel != nil && p.payloads() > 1, p.Waiver != nil && p.payloads() > 1:
		ps = append(ps, problem{"decision", "a proposal holds one of decision, analyses, exit_cancel, waiver"})
	}
	sub := func(key, by string, inner []problem) {
		if by != "" && by != p.By {
			ps = append(ps, problem{key, fmt.Sprintf("by: the proposal's record is by its proposer %q, got %q", p.By, by)})
		}
		for _, q := range inner {
			ps = append(ps, problem{key, q.key + ": " + q.msg})
		}
	}
	if p.Decision != nil {
		sub("decision", p.Decision.By, p.Decision.validate(false))
	}
	for i := range p.Analyses {
		sub("analyses", p.Analyses[i].By, p.Analyses[i].validate(false))
	}
	if p.ExitCancel != nil {
		sub("exit_cancel", p.ExitCancel.By, p.ExitCancel.validate(false))
	}
	if p.Waiver != nil {
		sub("waiver", p.Waiver.By, p.Waiver.validate(false))
	}
	if loaded {
		ps = append(ps, checkLoaded(p.ID, p.At)...)
	}
	return ps
}

func (r *Rejection) validate(loaded bool) []problem {
	var ps []problem
	if strings.TrimSpace(r.Proposal) == "" {
		ps = append(ps, problem{"proposal", "the proposal rejected is required"})
	}
	ps = append(ps, checkWho(r.By, r.Why)...)
	if loaded {
		ps = append(ps, checkLoaded(r.ID, r.At)...)
	}
	return ps
}

func (c *ExitCancel) validate(loaded bool) []problem {
	var ps []problem
	if strings.TrimSpace(c.Exit) == "" {
		ps = append(ps, problem{"exit", "the id of the exit cancelled is required"})
	}
	ps = append(ps, checkWho(c.By, c.Why)...)
	ps = append(ps, c.Confirmation.check()...)
	if loaded {
		ps = append(ps, checkLoaded(c.ID, c.At)...)
	}
	return ps
}

func (w *Waiver) validate(loaded bool) []problem {
	var ps []problem
	if strings.TrimSpace(w.Subject) == "" {
		ps = append(ps, problem{"subject", "the subject (its id or name) whose gate is waived is required"})
	}
	if strings.TrimSpace(w.Gate) == "" {
		ps = append(ps, problem{"gate", "the gate waived is required (G-KEV, G-UNMAINTAINED, …)"})
	}
	for _, k := range []struct{ key, v string }{{"accepted", w.Accepted}, {"expires", w.Expires}} {
		if _, err := time.Parse(dateLayout, k.v); err != nil {
			ps = append(ps, problem{k.key, fmt.Sprintf("must be a date YYYY-MM-DD, got %q", k.v)})
		}
	}
	if msg := w.Exception().CheckDuration(models.DefaultExceptionMaxMonths); msg != "" {
		ps = append(ps, problem{"expires", msg})
	}
	ps = append(ps, checkWho(w.By, w.Why)...)
	ps = append(ps, w.Confirmation.check()...)
	if loaded {
		ps = append(ps, checkLoaded(w.ID, w.At)...)
	}
	return ps
}

// check is what a record's confirmation must hold: all of it or none.
func (c Confirmation) check() []problem {
	switch {
	case c == Confirmation{}:
		return nil
	case c.Proposal == "":
		return []problem{{"confirmed_by", "a confirmed record names its proposal (proposal: prop-…)"}}
	case strings.TrimSpace(c.ConfirmedBy) == "":
		return []problem{{"confirmed_by", "a record confirming a proposal names who confirmed it"}}
	case c.ConfirmedAt.IsZero():
		return []problem{{"confirmed_at", "when it was confirmed is required (RFC 3339)"}}
	}
	return nil
}

// Exception is the waiver as scoring reads it: who accepted it names both
// people when it was confirmed.
func (w Waiver) Exception() models.Exception {
	who := w.By
	if w.ConfirmedBy != "" {
		who += ", confirmed by " + w.ConfirmedBy
	}
	return models.Exception{Subject: w.Subject, Model: w.Model, Gate: w.Gate, Accepts: w.Accepts, Who: who, Why: w.Why,
		Accepted: w.Accepted, Expires: w.Expires}
}

// WaiverExceptions are the ledger's waivers as exceptions (confirmed ones
// and those recorded at once; proposals are not in l.Waivers), for
// scoring beside the config's.
func (l *Ledger) WaiverExceptions() []models.Exception {
	var out []models.Exception
	for _, w := range l.Waivers {
		out = append(out, w.Exception())
	}
	return out
}

// cancelled returns the cancellation of the exit id, if any.
func (l *Ledger) cancelled(id string) (ExitCancel, bool) {
	for _, c := range l.Cancels {
		if c.Exit == id {
			return c, true
		}
	}
	return ExitCancel{}, false
}

// parseMore reads the maker-checker's kinds (see parse); ok is false for
// any other kind.
func (l *Ledger) parseMore(kind, name string, data []byte, defaultID string, firstLine int, where func(string) string, decodeErr func(error) []string) ([]string, bool) {
	switch kind {
	case KindProposal:
		p, errs := readRecord(data, func(f *proposalFile) *Proposal { return &f.Proposal }, defaultID, name, firstLine, where, decodeErr)
		if len(errs) == 0 {
			l.Proposals = append(l.Proposals, *p)
		}
		return errs, true
	case KindRejection:
		r, errs := readRecord(data, func(f *rejectionFile) *Rejection { return &f.Rejection }, defaultID, name, firstLine, where, decodeErr)
		if len(errs) == 0 {
			l.Rejections = append(l.Rejections, *r)
		}
		return errs, true
	case KindExitCancel:
		c, errs := readRecord(data, func(f *exitCancelFile) *ExitCancel { return &f.ExitCancel }, defaultID, name, firstLine, where, decodeErr)
		if len(errs) == 0 {
			l.Cancels = append(l.Cancels, *c)
		}
		return errs, true
	case KindWaiver:
		w, errs := readRecord(data, func(f *waiverFile) *Waiver { return &f.Waiver }, defaultID, name, firstLine, where, decodeErr)
		if len(errs) == 0 {
			l.Waivers = append(l.Waivers, *w)
		}
		return errs, true
	}
	return nil, false
}

// confirmed is one record that names a proposal.
type confirmed struct {
	id, by, file string
	line         int
	c            Confirmation
}

func (l *Ledger) confirmedRecords() []confirmed {
	var out []confirmed
	for _, d := range l.Decisions {
		out = append(out, confirmed{d.ID, d.By, d.File, d.Line, d.Confirmation})
	}
	for _, a := range l.Analyses {
		out = append(out, confirmed{a.ID, a.By, a.File, a.Line, a.Confirmation})
	}
	for _, c := range l.Cancels {
		out = append(out, confirmed{c.ID, c.By, c.File, c.Line, c.Confirmation})
	}
	for _, w := range l.Waivers {
		out = append(out, confirmed{w.ID, w.By, w.File, w.Line, w.Confirmation})
	}
	return slices.DeleteFunc(out, func(r confirmed) bool { return r.c == Confirmation{} })
}

// checkProposals adds the maker-checker's records to the ids seen (add)
// and returns what no single file shows: a record confirmed by its own
// proposer, or naming no proposal, or by someone else than its proposer;
// a rejection naming no proposal; a proposal both confirmed and rejected;
// a cancellation naming no exit. It settles each proposal's state.
func (l *Ledger) checkProposals(add func(id, file string, line int)) []string {
	var errs []string
	for _, p := range l.Proposals {
		add(p.ID, p.File, p.Line)
	}
	for _, r := range l.Rejections {
		add(r.ID, r.File, r.Line)
	}
	for _, c := range l.Cancels {
		add(c.ID, c.File, c.Line)
	}
	for _, w := range l.Waivers {
		add(w.ID, w.File, w.Line)
	}
	byID := map[string]*Proposal{}
	for i := range l.Proposals {
		p := &l.Proposals[i]
		p.State = ProposalProposed
		byID[p.ID] = p
	}
	for _, r := range l.confirmedRecords() {
		p := byID[r.c.Proposal]
		switch {
		case p == nil:
			errs = append(errs, fmt.Sprintf("%s:%d: proposal: no proposal has the id %q", r.file, r.line, r.c.Proposal))
			continue
		case SamePerson(r.c.ConfirmedBy, p.By):
			errs = append(errs, fmt.Sprintf("%s:%d: confirmed_by: %q proposed %s (%s:%d): a proposal is confirmed by another person (maker-checker)", r.file, r.line, r.c.ConfirmedBy, p.ID, p.File, p.Line))
			continue
		case r.by != p.By:
			errs = append(errs, fmt.Sprintf("%s:%d: by: a confirmed record is by its proposer %q (%s), got %q", r.file, r.line, p.By, p.ID, r.by))
			continue
		}
		p.State, p.ReviewedBy, p.ReviewedAt = ProposalConfirmed, r.c.ConfirmedBy, r.c.ConfirmedAt
		p.Records = append(p.Records, r.id)
	}
	for _, r := range l.Rejections {
		p := byID[r.Proposal]
		switch {
		case p == nil:
			errs = append(errs, fmt.Sprintf("%s:%d: proposal: no proposal has the id %q", r.File, r.Line, r.Proposal))
		case p.State == ProposalConfirmed:
			errs = append(errs, fmt.Sprintf("%s:%d: proposal: %s was confirmed by %s (%s): a confirmed proposal is not rejected (record a new decision)", r.File, r.Line, p.ID, p.ReviewedBy, strings.Join(p.Records, ", ")))
		case p.State == ProposalRejected:
			errs = append(errs, fmt.Sprintf("%s:%d: proposal: %s was already rejected by %s", r.File, r.Line, p.ID, p.ReviewedBy))
		default:
			p.State, p.ReviewedBy, p.ReviewedAt, p.ReviewWhy = ProposalRejected, r.By, r.At, r.Why
		}
	}
	exits := map[string]bool{}
	for _, e := range l.Exits {
		exits[e.ID] = true
	}
	for _, c := range l.Cancels {
		if !exits[c.Exit] {
			errs = append(errs, fmt.Sprintf("%s:%d: exit: no exit has the id %q", c.File, c.Line, c.Exit))
		}
	}
	return errs
}

// SamePerson reports whether two identity names are one person (case and
// surrounding spaces aside: "Alice" and "alice " are one).
//
// The rule is auth.SamePerson's (NFKC normalisation and full case folding,
// so compatibility forms such as fullwidth "ａｌｉｃｅ" are the same person).
// auth.SamePerson never counts a name that mixes scripts (Cyrillic "а" in
// "аlice", refused by auth.CheckName at key creation and sign-in) as
// anyone; the ledger uses SamePerson to refuse self-confirmation, so it
// fails closed: such a name that looks like the other is taken as the same
// person, so that a look-alike account cannot confirm the other's proposal.
func SamePerson(a, b string) bool {
	if auth.SamePerson(a, b) {
		return true
	}
	if auth.CheckName(a) == nil && auth.CheckName(b) == nil {
		return false
	}
	return skeleton(foldName(a)) == skeleton(foldName(b))
}

var folder = cases.Fold()

// foldName is name trimmed, NFKC-normalised and case-folded.
func foldName(name string) string {
	return norm.NFKC.String(folder.String(norm.NFKC.String(strings.TrimSpace(name))))
}

// confusables maps Cyrillic and Greek letters that look like Latin ones
// (after case folding) to the Latin letter.
var confusables = strings.NewReplacer(
	"а", "a", "е", "e", "о", "o", "р", "p", "с", "c", "у", "y", "х", "x",
	"і", "i", "ј", "j", "ѕ", "s", "һ", "h", "ԁ", "d", "ԛ", "q", "ԝ", "w",
	"ο", "o", "α", "a", "ν", "v", "ι", "i", "κ", "k", "τ", "t", "ρ", "p",
)

func skeleton(folded string) string { return confusables.Replace(folded) }

// Non-personal identities: the legacy shared token and the no-users
// loopback identity are not one person, so they neither propose nor
// confirm or reject (maker-checker needs two people).
var nonPersonalVia = []string{"shared-token", "loopback"}

// Personal reports whether an identity established via via is one person.
func Personal(via string) bool { return !slices.Contains(nonPersonalVia, via) }

func (l *Ledger) sortProposals() {
	slices.SortStableFunc(l.Proposals, func(a, b Proposal) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
	slices.SortStableFunc(l.Rejections, func(a, b Rejection) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
	slices.SortStableFunc(l.Cancels, func(a, b ExitCancel) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
	slices.SortStableFunc(l.Waivers, func(a, b Waiver) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
}

// prepareMore is Record's part for the maker-checker's kinds; ok is false
// for any other type.
func prepareMore(rec any, now time.Time) (doc any, sub, id string, errs []problem, ok bool) {
	switch r := rec.(type) {
	case Proposal:
		r.At, r.File, r.Line, r.State, r.Records = now, "", 0, "", nil
		if r.ID == "" {
			r.ID = newID("prop", r)
		}
		return proposalFile{Kind: KindProposal, Proposal: r}, ProposalsDir, r.ID, r.validate(false), true
	case Rejection:
		r.At, r.File, r.Line = now, "", 0
		if r.ID == "" {
			r.ID = newID("rej", r)
		}
		return rejectionFile{Kind: KindRejection, Rejection: r}, ProposalsDir, r.ID, r.validate(false), true
	case ExitCancel:
		r.At, r.File, r.Line = now, "", 0
		if r.ID == "" {
			r.ID = newID("exc", r)
		}
		return exitCancelFile{Kind: KindExitCancel, ExitCancel: r}, ExitsDir, r.ID, r.validate(false), true
	case Waiver:
		r.At, r.File, r.Line = now, "", 0
		if r.ID == "" {
			r.ID = newID("waiver", r)
		}
		return waiverFile{Kind: KindWaiver, Waiver: r}, WaiversDir, r.ID, r.validate(false), true
	case *Proposal:
		return prepareMore(*r, now)
	case *Rejection:
		return prepareMore(*r, now)
	case *ExitCancel:
		return prepareMore(*r, now)
	case *Waiver:
		return prepareMore(*r, now)
	}
	return nil, "", "", nil, false
}

// Errors of Confirm and Reject (errors.Is).
var (
	ErrNoProposal   = errors.New("no such proposal")
	ErrOwnProposal  = errors.New("a proposal is confirmed by another person than its proposer (maker-checker)")
	ErrNotProposed  = errors.New("the proposal is no longer proposed")
	ErrNotConfirmer = errors.New("not allowed to confirm")
	// ErrNotPersonal: the shared token or the loopback identity is not
	// one person and cannot propose, confirm or reject.
	ErrNotPersonal = errors.New("a personal identity is needed (sign in or use your own API key; the shared token and the no-users loopback access are not one person)")
	// ErrReviewed: another confirmation or rejection of the proposal is
	// under way or done (a race lost).
	ErrReviewed = fmt.Errorf("%w: another review of it won", ErrNotProposed)
)

// lockDir takes the ledger directory's lock (flock on dir/.osgauge-lock),
// held around a review's read-check-write. Several serve nodes of a
// PostgreSQL store share the ledger directory on a shared filesystem;
// flock on that file serialises them too (on NFS v4 and most cluster
// filesystems flock is honoured across hosts).
func lockDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, ".osgauge-lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("ledger %s: lock: %w", dir, err)
	}
	return func() { unlockFile(f); f.Close() }, nil
}

// claimReview creates dir/.reviews/<id> with O_EXCL: only one confirm or
// reject of a proposal claims it (ErrReviewed for the other). release
// removes it again when nothing was written.
func claimReview(dir, id, what string) (release func(), err error) {
	rd := filepath.Join(dir, ".reviews")
	if err := os.MkdirAll(rd, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(rd, filepath.Base(id))
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: %s", ErrReviewed, id)
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(f, what)
	f.Close()
	return func() { os.Remove(path) }, nil
}

// Reviewer is who confirms or rejects: an authenticated identity
// (auth.Identity's name, role and how it was established).
type Reviewer struct{ Name, Role, Via string }

// Propose validates p and writes it under dir (proposals/DATE-<id>.yaml):
// its id and at are set, and each record it holds is by its proposer
// (p.By). The proposal changes nothing until confirmed. It returns the
// proposal as written and its file.
func Propose(dir string, p Proposal, now time.Time) (Proposal, string, error) {
	now = now.UTC()
	if !Personal(p.Via) {
		return p, "", ErrNotPersonal
	}
	if p.Decision != nil {
		d := *p.Decision
		d.By = cmp.Or(d.By, p.By)
		p.Decision = &d
	}
	if p.ExitCancel != nil {
		c := *p.ExitCancel
		c.By = cmp.Or(c.By, p.By)
		p.ExitCancel = &c
	}
	if p.Waiver != nil {
		w := *p.Waiver
		w.By = cmp.Or(w.By, p.By)
		p.Waiver = &w
	}
	p.Analyses = slices.Clone(p.Analyses)
	for i := range p.Analyses {
		p.Analyses[i].By = cmp.Or(p.Analyses[i].By, p.By)
	}
	p.At, p.State, p.Records = now, "", nil
	if p.ID == "" {
		p.ID = newID("prop", p)
	}
	if p.ExitCancel != nil {
		l, err := Load(dir)
		if err != nil {
			return p, "", err
		}
		if !slices.ContainsFunc(l.Exits, func(e Exit) bool { return e.ID == p.ExitCancel.Exit }) {
			return p, "", fmt.Errorf("ledger: not recorded: exit_cancel: exit: no exit has the id %q", p.ExitCancel.Exit)
		}
	}
	path, err := Record(dir, p, now)
	p.State = ProposalProposed
	return p, path, err
}

// FindProposal returns the proposal id of the ledger under dir, its state
// settled.
func FindProposal(l *Ledger, id string) (Proposal, bool) {
	for _, p := range l.Proposals {
		if p.ID == id {
			return p, true
		}
	}
	return Proposal{}, false
}

// Confirm confirms the proposal id by who: refused (ErrOwnProposal) when
// who proposed it, (ErrNotProposed) when it was confirmed or rejected
// already, (ErrNoProposal) when there is none. It writes each record the
// proposal holds to its folder, by the proposer, confirmed by who, taking
// effect now (at); a waiver applies from today at the earliest. It
// returns the proposal as it now stands and the files written.
func Confirm(dir, id string, who Reviewer, now time.Time) (Proposal, []string, error) {
	now = now.UTC()
	if !Personal(who.Via) {
		return Proposal{}, nil, ErrNotPersonal
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return Proposal{}, nil, err
	}
	defer unlock()
	l, err := Load(dir)
	if err != nil {
		return Proposal{}, nil, err
	}
	p, ok := FindProposal(l, id)
	switch {
	case !ok:
		return Proposal{}, nil, fmt.Errorf("%w: %q (osgauge intake proposals lists them)", ErrNoProposal, id)
	case p.State != ProposalProposed:
		return p, nil, fmt.Errorf("%w: %s was %s by %s on %s", ErrNotProposed, p.ID, p.State, p.ReviewedBy, p.ReviewedAt.Format(time.RFC3339))
	case strings.TrimSpace(who.Name) == "":
		return p, nil, fmt.Errorf("%w: the confirmation needs an authenticated identity", ErrNotConfirmer)
	case SamePerson(who.Name, p.By):
		return p, nil, fmt.Errorf("%w: %s was proposed by %s", ErrOwnProposal, p.ID, p.By)
	}
	release, err := claimReview(dir, p.ID, "confirmed by "+strings.TrimSpace(who.Name))
	if err != nil {
		return p, nil, err
	}
	c := Confirmation{Proposal: p.ID, ProposedAt: p.At, ConfirmedBy: strings.TrimSpace(who.Name), ConfirmedAt: now}
	var recs []any
	if p.Decision != nil {
		d := *p.Decision
		d.ID, d.Confirmation = "", c
		recs = append(recs, d)
	}
	for _, a := range p.Analyses {
		a.ID, a.Confirmation = "", c
		recs = append(recs, a)
	}
	if p.ExitCancel != nil {
		x := *p.ExitCancel
		x.ID, x.Confirmation = "", c
		recs = append(recs, x)
	}
	if p.Waiver != nil {
		w := *p.Waiver
		w.ID, w.Confirmation = "", c
		if today := now.Format(dateLayout); w.Accepted < today {
			w.Accepted = today // a waiver applies from its confirmation
		}
		recs = append(recs, w)
	}
	var paths []string
	for _, r := range recs {
		path, err := Record(dir, r, now)
		if err != nil {
			if len(paths) > 0 {
				err = fmt.Errorf("%w (already written: %s)", err, strings.Join(paths, ", "))
			} else {
				release()
			}
			return p, paths, err
		}
		paths = append(paths, path)
	}
	if l, err = Load(dir); err == nil {
		p, _ = FindProposal(l, id)
	}
	return p, paths, err
}

// Reject rejects the proposal id by who, why: refused (ErrNotProposed)
// when it was confirmed or rejected already, (ErrNoProposal) when there is
// none. Its proposer may withdraw it so.
func Reject(dir, id string, who Reviewer, why string, now time.Time) (Proposal, string, error) {
	now = now.UTC()
	if !Personal(who.Via) {
		return Proposal{}, "", ErrNotPersonal
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return Proposal{}, "", err
	}
	defer unlock()
	l, err := Load(dir)
	if err != nil {
		return Proposal{}, "", err
	}
	p, ok := FindProposal(l, id)
	switch {
	case !ok:
		return Proposal{}, "", fmt.Errorf("%w: %q", ErrNoProposal, id)
	case p.State != ProposalProposed:
		return p, "", fmt.Errorf("%w: %s was %s by %s on %s", ErrNotProposed, p.ID, p.State, p.ReviewedBy, p.ReviewedAt.Format(time.RFC3339))
	}
	release, err := claimReview(dir, p.ID, "rejected by "+strings.TrimSpace(who.Name))
	if err != nil {
		return p, "", err
	}
	path, err := Record(dir, Rejection{Proposal: p.ID, By: strings.TrimSpace(who.Name), Role: who.Role, Via: who.Via, Why: why}, now)
	if err != nil {
		release()
		return p, "", err
	}
	if l, err = Load(dir); err == nil {
		p, _ = FindProposal(l, id)
	}
	return p, path, err
}

// Pending are the proposals still waiting for a second person, oldest
// first.
func (l *Ledger) Pending() []Proposal {
	var out []Proposal
	for _, p := range l.Proposals {
		if p.State == ProposalProposed {
			out = append(out, p)
		}
	}
	return out
}

// Target is what the proposal is about (for lists and the store).
func (p Proposal) Target() (target, versions string) {
	switch {
	case p.Decision != nil:
		return p.Decision.Target, p.Decision.Versions
	case len(p.Analyses) > 0:
		return p.Analyses[0].Target, p.Analyses[0].Versions
	case p.ExitCancel != nil:
		return p.ExitCancel.Exit, ""
	case p.Waiver != nil:
		return p.Waiver.Subject, ""
	}
	return "", ""
}

// ProposedError says a record was proposed rather than recorded: the
// policy asks a second person for it. Callers that record (the vuln set
// command, the API) return it so that the answer says so.
type ProposedError struct {
	Proposal Proposal
	Path     string
}

func (e *ProposedError) Error() string {
	return fmt.Sprintf("proposed %s (%s, maker-checker %s): it takes effect when an approver other than %s confirms it", e.Proposal.ID, e.Path, e.Proposal.Policy, e.Proposal.By)
}

// proposalRecords are the maker-checker's records as store rows (see
// Records): proposals (state proposed, confirmed or rejected),
// rejections, exit cancellations and waivers.
func (l *Ledger) proposalRecords() []store.LedgerRecord {
	var out []store.LedgerRecord
	row := func(id, kind, target, versions, state string, at time.Time, file string, v any) {
		b, _ := json.Marshal(v)
		out = append(out, store.LedgerRecord{ID: id, Kind: kind, Target: target, Versions: versions, State: state,
			Status: store.LedgerCurrent, At: at, File: l.rel(file), Record: b})
	}
	for _, p := range l.Proposals {
		t, v := p.Target()
		row(p.ID, KindProposal, t, v, p.State, p.At, p.File, p)
	}
	for _, r := range l.Rejections {
		row(r.ID, KindRejection, r.Proposal, "", ProposalRejected, r.At, r.File, r)
	}
	for _, c := range l.Cancels {
		row(c.ID, KindExitCancel, c.Exit, "", "cancelled", c.At, c.File, c)
	}
	for _, w := range l.Waivers {
		row(w.ID, KindWaiver, w.Subject, "", "waived", w.At, w.File, w)
	}
	return out
}
