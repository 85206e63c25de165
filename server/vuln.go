package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/store"
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
//
// Stamp, if set, returns what changes when the analyses List reads
// change outside the store (DirStamp of the ledger directory): the list
// is then computed once and kept while the store's VulnToken, the stamp
// and the hour stay the same (one computation at a time); without it the
// list is computed per request.
type VulnService struct {
	List  func(ctx context.Context, now time.Time) ([]vulns.Finding, error)
	Set   func(ctx context.Context, finding, system string, d vulns.Decision, now time.Time) (vulns.Finding, error)
	Stamp func() (string, error)

	cache vulnCache
}

// vulnCache keeps the findings list (sorted by vulnKey) for one key.
type vulnCache struct {
	mu       sync.Mutex
	key      string
	asOf     time.Time
	fs       []vulns.Finding
	building chan struct{}
	bkey     string
	err      error
	gen      int // bumped by each analysis recorded through the API
	builds   int // lists computed (for tests)
	tokAt    time.Time
	tok      string
}

// vulnRetryAfter is the Retry-After (seconds) of a 503 while the list is
// computed for longer than the request may wait.
const vulnRetryAfter = 10

// DirStamp summarises the files under dir (their number, total size and
// newest modification): it changes when a file is added, removed or
// rewritten. A missing directory is "none".
func DirStamp(dir string) (string, error) {
	var n, size int64
	var newest time.Time
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		size += info.Size()
		if info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	})
	if errors.Is(err, fs.ErrNotExist) {
		return "none", nil
	}
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d.%d.%d", n, size, newest.UnixNano()), nil
}

// findings returns every finding sorted by vulnKey and the time they were
// computed for: from the cache when the service has a Stamp.
func (v *VulnService) findings(ctx context.Context, st *store.Store, now time.Time) ([]vulns.Finding, time.Time, error) {
	if v.Stamp == nil {
		fs, err := v.List(ctx, now)
		if err != nil {
			return nil, now, err
		}
		return sortFindings(fs), now, nil
	}
	c := &v.cache
	c.mu.Lock()
	tok := c.tok
	fresh := !c.tokAt.IsZero() && now.Sub(c.tokAt) < time.Second && !now.Before(c.tokAt)
	c.mu.Unlock()
	if !fresh {
		t, err := st.VulnToken(ctx)
		if err != nil {
			return nil, now, err
		}
		c.mu.Lock()
		c.tok, c.tokAt, tok = t, now, t
		c.mu.Unlock()
	}
	stamp, err := v.Stamp()
	if err != nil {
		return nil, now, err
	}
	for {
		c.mu.Lock()
		key := fmt.Sprintf("%s|%s|%d|%s", tok, stamp, c.gen, now.UTC().Format("2006-01-02T15"))
		if c.key == key && c.err == nil {
			defer c.mu.Unlock()
			return c.fs, c.asOf, nil
		}
		ch := c.building
		if ch == nil {
			ch = make(chan struct{})
			c.building, c.bkey = ch, key
			c.builds++
			go func() {
				bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Minute)
				defer cancel()
				fs, err := v.List(bctx, now)
				sorted := sortFindings(fs)
				c.mu.Lock()
				c.building, c.err = nil, err
				if err == nil {
					c.key, c.fs, c.asOf = key, sorted, now
				}
				c.mu.Unlock()
				close(ch)
			}()
		} else if c.bkey != key && c.key != "" && c.err == nil {
			// A newer list is being computed: the last one meanwhile.
			defer c.mu.Unlock()
			return c.fs, c.asOf, nil
		}
		c.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, now, errVulnsWarming
		}
		c.mu.Lock()
		err := c.err
		c.mu.Unlock()
		if err != nil {
			return nil, now, err
		}
	}
}

var errVulnsWarming = errors.New("the findings are being computed")

// sortFindings sorts by vulnKey: vulns.List's order (overdue, then open,
// then by severity, KEV, due date and id), the system last.
func sortFindings(fs []vulns.Finding) []vulns.Finding {
	out := slices.Clone(fs)
	if out == nil {
		out = []vulns.Finding{}
	}
	slices.SortStableFunc(out, func(a, b vulns.Finding) int { return compareKeys(vulnKey(a), vulnKey(b)) })
	return out
}

// vulnKey is a finding's place in the list: its rank (overdue first, then
// open, severity from critical, KEV first, due date soonest) written so
// that it sorts as text, its id and its system.
func vulnKey(f vulns.Finding) []string {
	b := func(x bool) byte {
		if x {
			return '0'
		}
		return '1'
	}
	rank := string([]byte{b(f.Overdue), b(f.Open), byte('9' - vulns.SeverityRank(f.Severity)), b(f.KEV)}) +
		f.Due.UTC().Format("20060102150405.000000000")
	return []string{rank, f.ID, f.System}
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
	p, err := routePage(q, "vulnerabilities", 3)
	if err != nil {
		badParam(w, err)
		return
	}
	now := s.opt.Now()
	all, asOf, err := s.opt.Vulns.findings(r.Context(), s.opt.Store, now)
	switch {
	case errors.Is(err, errVulnsWarming):
		w.Header().Set("Retry-After", strconv.Itoa(vulnRetryAfter))
		writeProblem(w, problem{Status: http.StatusServiceUnavailable, RetryAfter: vulnRetryAfter,
			Detail: "the findings are being computed: retry in a few seconds"})
		return
	case err != nil && policy.IsInputError(err):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	fs, err := vulns.Filter(all, q.Get("system"), q.Get("state"), overdue)
	if err != nil {
		badParam(w, &paramError{"state", err.Error()})
		return
	}
	fs = slices.DeleteFunc(fs, func(f vulns.Finding) bool {
		return (severity != "" && f.Severity != severity) || (kevSet && f.KEV != kev)
	})
	doc := VulnList(fs, asOf)
	// Paged by (rank, id, system): vulns.List's order, overdue then open
	// first, and a cursor that holds whatever is stored meanwhile.
	out, next := pageOf(doc.Findings, p, vulnKey)
	out = slices.Clone(out)
	if out == nil {
		out = []vulns.Finding{}
	}
	for i := range out {
		out[i].Since, out[i].Due = utc(out[i].Since), utc(out[i].Due)
	}
	meta := listMeta{Count: len(out), Total: len(fs), Limit: p.limit, NextCursor: next}
	// The ETag leaves as_of out: a poller gets 304 while the findings,
	// totals and period stay the same.
	writeRead(w, r, vulnPage{VulnListDoc: VulnListDoc{AsOf: doc.AsOf, Period: doc.Period, Findings: out, Totals: doc.Totals}, listMeta: meta},
		[]any{doc.Period, out, doc.Totals, meta})
}

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
	if who, ok := auth.From(r.Context()); ok {
		delete(required, "by") // the signed-in user's name
		if strings.TrimSpace(body.By) != "" && !auth.SamePerson(body.By, who.Name) {
			writeProblem(w, problem{Status: http.StatusForbidden, Detail: fmt.Sprintf("by %q: an analysis is recorded under the signed-in identity, %s (leave by out)", body.By, who.Name)})
			return
		}
		body.By = who.Name
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
	// The audit entry first: when it cannot be stored, nothing is written.
	if err := s.auditBefore(r); err != nil {
		s.serverError(w, r, err)
		return
	}
	f, err := s.opt.Vulns.Set(r.Context(), r.PathValue("finding"), body.System, body.Decision, s.opt.Now())
	if err == nil || errors.As(err, new(*ledger.ProposedError)) {
		s.opt.Vulns.cache.mu.Lock()
		s.opt.Vulns.cache.gen++ // the ledger changed: the list is computed again
		s.opt.Vulns.cache.mu.Unlock()
	}
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
