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

	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/vulns"
)

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

// vulnRoutes registers the vulnerability routes.
func (s *Server) vulnRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/vulnerabilities", s.vulnList)
	mux.HandleFunc("POST /api/v1/vulnerabilities/{finding}/analysis", s.vulnAnalysis)
}

// vulnList serves GET /api/v1/vulnerabilities[?system=NAME][&state=S][&overdue=true].
func (s *Server) vulnList(w http.ResponseWriter, r *http.Request) {
	if s.opt.Vulns == nil {
		writeError(w, http.StatusServiceUnavailable, "vulnerability handling is not configured on this server")
		return
	}
	q := r.URL.Query()
	overdue := false
	switch q.Get("overdue") {
	case "", "false", "0":
	case "true", "1":
		overdue = true
	default:
		writeError(w, http.StatusBadRequest, fmt.Sprintf("overdue: true or false, got %q", q.Get("overdue")))
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
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, VulnList(fs, now))
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
	for k, v := range map[string]string{"state": body.State, "by": body.By, "why": body.Why} {
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
	switch {
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
