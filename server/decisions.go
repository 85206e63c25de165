package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/policy"
)

// DecisionService is the server's access to the ledger's decisions under
// the maker-checker (issue 29); the command wires it (the config's policy
// and ledger read per request). The identity is the request's
// (auth.From(ctx)): a proposal is made by who is signed in, and its
// proposer cannot confirm it. Errors: a *StoreError is 500 (even wrapped
// in an input error); a policy.InputError is 400; ledger.ErrNoProposal
// 404; ledger.ErrOwnProposal 403; ledger.ErrNotProposed 409; any other
// error 500.
type DecisionService struct {
	// Propose records req: a proposal when the policy asks a second
	// person for it (State "proposed"), else at once ("recorded").
	Propose func(ctx context.Context, req DecisionRequest, now time.Time) (DecisionResult, error)
	Confirm func(ctx context.Context, id string, now time.Time) (ledger.Proposal, error)
	Reject  func(ctx context.Context, id, why string, now time.Time) (ledger.Proposal, error)
	// List is every proposal, oldest first, each with its state.
	List func(ctx context.Context) ([]ledger.Proposal, error)
}

// StoreError marks a failure of the server's own state met while deciding
// (the store could not be read): the request was not at fault, so the
// answer is 500 whatever wraps it — a service that reads every other
// failure of a decision as bad input (400) must not turn this one into
// one.
type StoreError struct{ Err error }

func (e *StoreError) Error() string { return e.Err.Error() }
func (e *StoreError) Unwrap() error { return e.Err }

// DecisionRequest is the body of POST /api/v1/decisions: one of an intake
// decision (target: a package URL, repository URL or project name, as
// 'osgauge intake decide' reads it), an exit cancellation or a waiver. by
// may be left out: it is the signed-in user's name.
type DecisionRequest struct {
	Decision   *ledger.Decision   `json:"decision,omitempty"`
	ExitCancel *ledger.ExitCancel `json:"exit_cancel,omitempty"`
	Waiver     *ledger.Waiver     `json:"waiver,omitempty"`
}

// DecisionResult is the answer of POST /api/v1/decisions: proposed (202,
// with the proposal) or recorded (201); files are the ledger files
// written.
type DecisionResult struct {
	State    string           `json:"state"` // proposed or recorded
	Proposal *ledger.Proposal `json:"proposal,omitempty"`
	Files    []string         `json:"files"`
}

// decisionPage is GET /api/v1/decisions' answer.
type decisionPage struct {
	Proposals []ledger.Proposal `json:"proposals"`
	listMeta
}

// personal refuses (403) a decision written by an identity that is not
// one person: the legacy shared token and the no-users loopback access.
func personal(w http.ResponseWriter, r *http.Request) bool {
	if who, ok := auth.From(r.Context()); ok && !ledger.Personal(who.Via) {
		writeProblem(w, problem{Status: http.StatusForbidden, Detail: fmt.Sprintf("%s (%s) is not one person: decisions and their confirmation need a personal identity — sign in or use your own API key", who.Name, who.Via)})
		return false
	}
	return true
}

func (s *Server) decisionsReady(w http.ResponseWriter) bool {
	if s.opt.Decisions == nil {
		writeError(w, http.StatusServiceUnavailable, "decisions are not configured on this server")
		return false
	}
	return true
}

// decisionsList serves GET /api/v1/decisions[?state=proposed|confirmed|rejected][&limit=N][&cursor=C]:
// the proposals, oldest first, paged.
func (s *Server) decisionsList(w http.ResponseWriter, r *http.Request) {
	if !s.decisionsReady(w) {
		return
	}
	q := r.URL.Query()
	if err := checkParams(q, "state", "limit", "cursor"); err != nil {
		badParam(w, err)
		return
	}
	state, err := oneOf(q, "state", ledger.ProposalProposed, ledger.ProposalConfirmed, ledger.ProposalRejected)
	if err != nil {
		badParam(w, err)
		return
	}
	p, err := parsePage(q, 2)
	if err != nil {
		badParam(w, err)
		return
	}
	ps, err := s.opt.Decisions.List(r.Context())
	if err != nil {
		if se := (*StoreError)(nil); policy.IsInputError(err) && !errors.As(err, &se) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		s.serverError(w, r, err)
		return
	}
	ps = slices.DeleteFunc(slices.Clone(ps), func(x ledger.Proposal) bool { return state != "" && x.State != state })
	for i := range ps {
		ps[i].At, ps[i].ReviewedAt = utc(ps[i].At), utc(ps[i].ReviewedAt)
		ps[i].File = ""
	}
	key := func(x ledger.Proposal) []string { return []string{x.At.Format(time.RFC3339Nano), x.ID} }
	slices.SortStableFunc(ps, func(a, b ledger.Proposal) int { return compareKeys(key(a), key(b)) })
	out, next := pageOf(ps, p, key)
	if out == nil {
		out = []ledger.Proposal{}
	}
	writeRead(w, r, decisionPage{Proposals: out, listMeta: listMeta{Count: len(out), Total: len(ps), Limit: p.limit, NextCursor: next}}, nil)
}

// decisionsPropose serves POST /api/v1/decisions: the body
// {decision|exit_cancel|waiver} is proposed (202) when the maker-checker
// names it, else recorded (201). A waiver needs the approver role.
func (s *Server) decisionsPropose(w http.ResponseWriter, r *http.Request) {
	if !s.decisionsReady(w) {
		return
	}
	if !personal(w, r) {
		return
	}
	var req DecisionRequest
	if !decodeBody(w, r, &req, "{decision | exit_cancel | waiver}") {
		return
	}
	n := 0
	for _, set := range []bool{req.Decision != nil, req.ExitCancel != nil, req.Waiver != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		writeError(w, http.StatusBadRequest, "body: exactly one of decision, exit_cancel, waiver")
		return
	}
	// What only osgauge writes: ids, times, confirmations.
	var c ledger.Confirmation
	var id string
	var at time.Time
	switch {
	case req.Decision != nil:
		c, id, at = req.Decision.Confirmation, req.Decision.ID, req.Decision.At
	case req.ExitCancel != nil:
		c, id, at = req.ExitCancel.Confirmation, req.ExitCancel.ID, req.ExitCancel.At
	case req.Waiver != nil:
		c, id, at = req.Waiver.Confirmation, req.Waiver.ID, req.Waiver.At
	}
	if c != (ledger.Confirmation{}) || id != "" || !at.IsZero() {
		writeError(w, http.StatusBadRequest, "body: id, at, proposal, proposed_at, confirmed_by and confirmed_at are written by osgauge, not sent")
		return
	}
	if who, ok := auth.From(r.Context()); ok {
		var by string
		switch {
		case req.Decision != nil:
			by = req.Decision.By
		case req.ExitCancel != nil:
			by = req.ExitCancel.By
		case req.Waiver != nil:
			by = req.Waiver.By
		}
		if strings.TrimSpace(by) != "" && !auth.SamePerson(by, who.Name) {
			writeProblem(w, problem{Status: http.StatusForbidden, Detail: fmt.Sprintf("by %q: a decision is recorded under the signed-in identity, %s (leave by out)", by, who.Name)})
			return
		}
	}
	if req.Waiver != nil {
		if who, ok := auth.From(r.Context()); ok && !who.Role.Allows(auth.Approver) {
			writeProblem(w, problem{Status: http.StatusForbidden, Detail: fmt.Sprintf("a waiver needs the role approver; %s has %s", who.Name, who.Role)})
			return
		}
	}
	// The audit entry first: when it cannot be stored, nothing is written.
	if err := s.auditBefore(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	res, err := s.opt.Decisions.Propose(r.Context(), req, s.opt.Now())
	if err != nil && res.State == "" {
		s.decisionError(w, r, err)
		return
	}
	if err != nil { // written, the store mirror failed: said in the log, the answer is the record
		s.opt.Logger.Warn("decision written, store mirror failed", "err", err)
	}
	code := http.StatusCreated
	if res.State == ledger.ProposalProposed {
		code = http.StatusAccepted
	}
	if res.Files == nil {
		res.Files = []string{}
	}
	if res.Proposal != nil {
		res.Proposal.File = ""
	}
	writeJSON(w, code, res)
}

// reviewBody is the body of POST …/confirm (optional) and …/reject.
type reviewBody struct {
	Why string `json:"why"`
}

// decisionsConfirm serves POST /api/v1/decisions/{id}/confirm: the
// proposal is confirmed by the request's identity (403 when it is its
// proposer) and takes effect; the answer is the proposal, confirmed.
func (s *Server) decisionsConfirm(w http.ResponseWriter, r *http.Request) {
	if !s.decisionsReady(w) {
		return
	}
	if !personal(w, r) {
		return
	}
	if r.ContentLength != 0 {
		var b reviewBody
		if !decodeBody(w, r, &b, "{why} or nothing") {
			return
		}
	}
	if err := s.auditBefore(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	p, err := s.opt.Decisions.Confirm(r.Context(), r.PathValue("id"), s.opt.Now())
	if err != nil {
		s.decisionError(w, r, err)
		return
	}
	p.File = ""
	writeJSON(w, http.StatusOK, p)
}

// decisionsReject serves POST /api/v1/decisions/{id}/reject with {why}.
func (s *Server) decisionsReject(w http.ResponseWriter, r *http.Request) {
	if !s.decisionsReady(w) {
		return
	}
	if !personal(w, r) {
		return
	}
	var b reviewBody
	if !decodeBody(w, r, &b, "{why}") {
		return
	}
	if strings.TrimSpace(b.Why) == "" {
		writeError(w, http.StatusBadRequest, "body: why required (the audit trail)")
		return
	}
	if err := s.auditBefore(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	p, err := s.opt.Decisions.Reject(r.Context(), r.PathValue("id"), b.Why, s.opt.Now())
	if err != nil {
		s.decisionError(w, r, err)
		return
	}
	p.File = ""
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) decisionError(w http.ResponseWriter, r *http.Request, err error) {
	var se *StoreError
	switch {
	case errors.As(err, &se):
		s.serverError(w, r, err)
	case errors.Is(err, ledger.ErrNoProposal):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, ledger.ErrOwnProposal), errors.Is(err, ledger.ErrNotPersonal):
		writeError(w, http.StatusForbidden, err.Error())
	case errors.Is(err, ledger.ErrNotProposed):
		writeError(w, http.StatusConflict, err.Error())
	case policy.IsInputError(err):
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		s.serverError(w, r, err)
	}
}

// decodeBody reads r's JSON body into v strictly (unknown fields
// refused); false when it answered an error (400, 413).
func decodeBody(w http.ResponseWriter, r *http.Request, v any, shape string) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", tooBig.Limit))
			return false
		}
		writeError(w, http.StatusBadRequest, "body: a JSON object "+shape+": "+err.Error())
		return false
	}
	return true
}
