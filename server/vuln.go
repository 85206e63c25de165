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
	"github.com/osgauge/osgauge/vulns"
)

// proposedAnalysis is the 202 of POST …/analysis when the analysis waits
// for a second person: the proposal and the finding as it still stands.
type proposedAnalysis struct {
	State    string          `json:"state"` // proposed
	Proposal ledger.Proposal `json:"proposal"`
	Finding  vulns.Finding   `json:"finding"`
}

// VulnService is the server's access to the vulnerability findings (the
// command wires it, reading the config's ledger and deadlines per
// request). Set's errors: a *vulns.NotFoundError is 404, a
// policy.InputError (an invalid analysis, an ambiguous finding, a broken
// ledger) 400.
type VulnService struct {
	List func(ctx context.Context, now time.Time) ([]vulns.Finding, error)
	Set  func(ctx context.Context, finding, system string, d vulns.Decision, now time.Time) (vulns.Finding, error)
}

// VulnListDoc is the answer of GET /api/v1/vulnerabilities and of 'osgauge
// vuln list --format json': the findings and their totals, the verified
// count and the medians over the current quarter (period).
type VulnListDoc struct {
	AsOf     time.Time       `json:"as_of"`
	Period   string          `json:"period"`
	Findings []vulns.Finding `json:"findings"`
	Totals   vulns.Totals    `json:"totals"`
}

// VulnList is the list document of fs as of now.
func VulnList(fs []vulns.Finding, now time.Time) VulnListDoc {
	if fs == nil {
		fs = []vulns.Finding{}
	}
	return VulnListDoc{AsOf: now.UTC(), Period: vulns.Quarter(now), Findings: fs, Totals: vulns.Summarise(fs, vulns.QuarterStart(now), time.Time{})}
}

// vulnList serves GET /api/v1/vulnerabilities[?system=NAME][&state=S][&overdue=true]
// [&severity=critical|high|medium|low|unknown][&kev=true|false][&limit=N][&cursor=C]:
// the findings in their order (vulns.List's), paged; totals count every
// finding the filters select, not only the page's.
func (s *Server) vulnList(w http.ResponseWriter, r *http.Request) {
	if s.opt.Vulns == nil {
		writeError(w, http.StatusServiceUnavailable, "vulnerability handling is not configured on this server")
		return
	}
	q := r.URL.Query()
	if err := checkParams(q, "system", "state", "overdue", "severity", "kev", "limit", "cursor"); err != nil {
		badParam(w, err)
		return
	}
	_, overdue, err := parseBool(q, "overdue")
	if err != nil {
		badParam(w, err)
		return
	}
	kevSet, kev, err := parseBool(q, "kev")
	if err != nil {
		badParam(w, err)
		return
	}
	severity, err := oneOf(q, "severity", "critical", "high", "medium", "low", "unknown")
	if err != nil {
		badParam(w, err)
		return
	}
	p, err := parsePage(q, 2)
	if err != nil {
		badParam(w, err)
		return
	}
	now := s.opt.Now()
	fs, err := s.opt.Vulns.List(r.Context(), now)
	if err != nil {
		if policy.IsInputError(err) {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		s.serverError(w, r, err)
		return
	}
	fs, err = vulns.Filter(fs, q.Get("system"), q.Get("state"), overdue)
	if err != nil {
		badParam(w, &paramError{"state", err.Error()})
		return
	}
	fs = slices.DeleteFunc(fs, func(f vulns.Finding) bool {
		return (severity != "" && f.Severity != severity) || (kevSet && f.KEV != kev)
	})
	doc := VulnList(fs, now)
	// Paged in (finding, system) order: stable whatever the list's.
	sorted := slices.Clone(doc.Findings)
	slices.SortStableFunc(sorted, func(a, b vulns.Finding) int { return compareKeys(findingKey(a), findingKey(b)) })
	out, next := pageOf(sorted, p, findingKey)
	if out == nil {
		out = []vulns.Finding{}
	}
	for i := range out {
		out[i].Since, out[i].Due = utc(out[i].Since), utc(out[i].Due)
	}
	writeRead(w, r, vulnPage{VulnListDoc: VulnListDoc{AsOf: doc.AsOf, Period: doc.Period, Findings: out, Totals: doc.Totals},
		listMeta: listMeta{Count: len(out), Total: len(fs), Limit: p.limit, NextCursor: next}}, nil)
}

func findingKey(f vulns.Finding) []string { return []string{f.ID, f.System} }

// vulnPage is VulnListDoc with the paging fields.
type vulnPage struct {
	VulnListDoc
	listMeta
}

// vulnAnalysisBody is the body of POST …/analysis: the decision, and the
// system when {finding} is a vulnerability id.
type vulnAnalysisBody struct {
	vulns.Decision
	System string `json:"system,omitempty"`
}

// vulnAnalysis serves POST /api/v1/vulnerabilities/{finding}/analysis: the
// body {state, justification, response, detail, until, by, why} is
// recorded in the ledger as 'osgauge vuln set' records it; the answer
// (201) is the finding as it now stands. {finding} is the finding's id
// with its slashes escaped (%2F), or a vulnerability id.
func (s *Server) vulnAnalysis(w http.ResponseWriter, r *http.Request) {
	if s.opt.Vulns == nil {
		writeError(w, http.StatusServiceUnavailable, "vulnerability handling is not configured on this server")
		return
	}
	var body vulnAnalysisBody
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", tooBig.Limit))
			return
		}
		writeError(w, http.StatusBadRequest, "body: a JSON object {state, justification, response, detail, until, by, why}: "+err.Error())
		return
	}
	var missing []string
	required := map[string]string{"state": body.State, "by": body.By, "why": body.Why}
	if _, ok := auth.From(r.Context()); ok {
		delete(required, "by") // the signed-in user's name
	}
	for k, v := range required {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		writeError(w, http.StatusBadRequest, "body: "+strings.Join(slices.Sorted(slices.Values(missing)), ", ")+" required (the audit trail: what, who, why)")
		return
	}
	f, err := s.opt.Vulns.Set(r.Context(), r.PathValue("finding"), body.System, body.Decision, s.opt.Now())
	var nf *vulns.NotFoundError
	var proposed *ledger.ProposedError
	switch {
	case errors.As(err, &proposed):
		// Maker-checker (vex_kev): proposed, the finding unchanged until
		// an approver other than the proposer confirms it.
		p := proposed.Proposal
		p.File = ""
		writeJSON(w, http.StatusAccepted, proposedAnalysis{State: ledger.ProposalProposed, Proposal: p, Finding: f})
		return
	case errors.As(err, &nf):
		writeError(w, http.StatusNotFound, err.Error())
		return
	case policy.IsInputError(err):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, f)
}
