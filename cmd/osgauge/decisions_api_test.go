package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

// decisionsRig is serve's wiring over intakeFixture under the default
// maker-checker policy, with users: a tokens file holding a key each for
// alice (assessor), bob (approver) and vera (viewer), read as serve reads
// it (serveAuth), and the real decision service and check.
type decisionsRig struct {
	dir  string
	cfg  *config.Config
	st   *store.Store
	srv  *server.Server
	keys map[string]string // user → API key
	auth *auth.Keys        // the tokens file as serve reads it
}

func newDecisionsRig(t *testing.T) *decisionsRig {
	t.Helper()
	dir, cfgPath := intakeFixture(t)
	withDefaultPolicy(t, cfgPath) // intake approvals need a second person
	b, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, append(b, []byte("server: {auth: {tokens_file: tokens.yaml}}\n")...), 0o644)
	// Proposed an hour ago; the server confirms at its own time.Now, and
	// the check judges as of time.Now: the confirmation is in force.
	setIntakeNow(t, time.Now().UTC().Add(-time.Hour).Truncate(time.Second))
	rig := &decisionsRig{dir: dir, keys: map[string]string{}}
	for user, role := range map[string]auth.Role{"alice": auth.Assessor, "bob": auth.Approver, "vera": auth.Viewer} {
		k, _, err := auth.CreateKey(filepath.Join(dir, "tokens.yaml"), user, role, time.Now().AddDate(0, 1, 0), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		rig.keys[user] = k
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	rig.cfg = cfg
	keys, proxy, users, err := serveAuth(cfg)
	if err != nil || !users {
		t.Fatalf("serveAuth: users %v, %v", users, err)
	}
	rig.auth = keys
	if rig.st, err = store.Open(context.Background(), filepath.Join(dir, "osgauge.db")); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rig.st.Close() })
	rig.srv, err = server.New(server.Options{Store: rig.st, Keys: keys, Proxy: proxy, Decisions: decisionService(cfg, rig.st), Check: checker(cfg, rig.st)})
	if err != nil {
		t.Fatal(err)
	}
	return rig
}

// do sends method path with body as user's key (none when user is "").
func (rig *decisionsRig) do(user, method, path, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = "10.1.2.3:50000"
	if method == "POST" { // every POST, an empty body too (the guard's check)
		r.Header.Set("Content-Type", "application/json")
	}
	if user != "" {
		r.Header.Set("Authorization", "Bearer "+rig.keys[user])
	}
	w := httptest.NewRecorder()
	rig.srv.Handler().ServeHTTP(w, r)
	return w
}

// fastjsonState is fastjson 1.2.24's state in the report's lifecycle
// section as of now, from the same store and ledger.
func (rig *decisionsRig) fastjsonState(t *testing.T) string {
	t.Helper()
	lc, err := pipeline.BuildLifecycle(context.Background(), rig.st, nil, pipeline.LifecycleOptions{LedgerDir: rig.cfg.LedgerDir(), Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range lc.Components {
		if strings.Contains(c.Target, "fastjson") {
			return c.State
		}
	}
	t.Fatalf("no fastjson in %+v", lc.Components)
	return ""
}

// unapprovedInCheck says whether POST /api/v1/check (as vera, a viewer:
// a pipeline's role) finds fastjson used by payments without intake.
func (rig *decisionsRig) unapprovedInCheck(t *testing.T) bool {
	t.Helper()
	w := rig.do("vera", "POST", "/api/v1/check?system=payments&format=json", invPayments)
	if w.Code != 200 {
		t.Fatalf("check: %d %s", w.Code, w.Body)
	}
	var res policy.Result
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Rule == policy.RuleUnapproved && strings.Contains(f.PURL, "fastjson") {
			return true
		}
	}
	return false
}

type apiProblem struct {
	Status       int    `json:"status"`
	Detail       string `json:"detail"`
	RequiredRole string `json:"required_role"`
}

func problemIn(t *testing.T, w *httptest.ResponseRecorder) apiProblem {
	t.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json (%d %s)", ct, w.Code, w.Body)
	}
	var p apiProblem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("%v: %s", err, w.Body)
	}
	return p
}

// The maker-checker through the API with real identities (per-user keys
// through the authentication middleware): alice (assessor) proposes the
// approval of fastjson 1.2.24 — 202; she cannot confirm it — 403; vera
// (viewer) cannot either — 403 naming approver; bob (approver) confirms —
// 200. Only then is fastjson approved: in the report's lifecycle section,
// in the check, and among the confirmed decisions; the ledger's record
// names both; the audit log holds the proposal by alice and the
// confirmation by bob, and none of the refused requests.
func TestDecisionsAPIMakerCheckerIdentities(t *testing.T) {
	rig := newDecisionsRig(t)
	ctx := context.Background()

	w := rig.do("alice", "POST", "/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "approved", "why": "grade B, safe mode on"}}`)
	if w.Code != http.StatusAccepted {
		t.Fatalf("propose: %d %s", w.Code, w.Body)
	}
	var res server.DecisionResult
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.State != "proposed" || res.Proposal == nil {
		t.Fatalf("propose answer: %v %s", err, w.Body)
	}
	p := res.Proposal
	// The proposer is the key's identity, not a name in the body.
	if p.By != "alice" || p.Role != "assessor" || p.Via != "key" || p.Policy != "intake" || p.Decision.Versions != "1.2.24" {
		t.Errorf("proposal %+v", p)
	}
	id := p.ID
	if s := rig.fastjsonState(t); s != ledger.StateUnapproved {
		t.Errorf("lifecycle while proposed: %q, want unapproved", s)
	}
	if !rig.unapprovedInCheck(t) {
		t.Error("check while proposed: fastjson not unapproved")
	}

	// Her own confirmation: 403 — an assessor may not confirm at all (the
	// middleware answers before the maker-checker rule; carol below meets
	// the rule itself).
	w = rig.do("alice", "POST", "/api/v1/decisions/"+id+"/confirm", "{}")
	if w.Code != http.StatusForbidden {
		t.Fatalf("alice confirms: %d %s", w.Code, w.Body)
	}
	if pr := problemIn(t, w); pr.Status != 403 || pr.RequiredRole != "approver" {
		t.Errorf("alice confirms: %+v", pr)
	}
	// A viewer: 403 naming the role needed.
	w = rig.do("vera", "POST", "/api/v1/decisions/"+id+"/confirm", "{}")
	if w.Code != http.StatusForbidden {
		t.Fatalf("vera confirms: %d %s", w.Code, w.Body)
	}
	if pr := problemIn(t, w); pr.RequiredRole != "approver" || !strings.Contains(pr.Detail, "needs the approver role") || !strings.Contains(pr.Detail, "vera has viewer") {
		t.Errorf("vera confirms: %+v", pr)
	}
	// Without credentials: 401.
	if w = rig.do("", "POST", "/api/v1/decisions/"+id+"/confirm", "{}"); w.Code != http.StatusUnauthorized {
		t.Errorf("no key: %d %s", w.Code, w.Body)
	}
	if s := rig.fastjsonState(t); s != ledger.StateUnapproved {
		t.Errorf("lifecycle after refused confirmations: %q, want unapproved", s)
	}
	var page struct {
		Proposals []ledger.Proposal `json:"proposals"`
	}
	w = rig.do("vera", "GET", "/api/v1/decisions?state=confirmed", "")
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || w.Code != 200 || len(page.Proposals) != 0 {
		t.Errorf("confirmed before bob: %d %s", w.Code, w.Body)
	}

	w = rig.do("bob", "POST", "/api/v1/decisions/"+id+"/confirm", "{}")
	if w.Code != http.StatusOK {
		t.Fatalf("bob confirms: %d %s", w.Code, w.Body)
	}
	var got ledger.Proposal
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || got.State != "confirmed" || got.ReviewedBy != "bob" || got.By != "alice" {
		t.Errorf("bob's answer: %v %s", err, w.Body)
	}
	if s := rig.fastjsonState(t); s != ledger.StateApproved {
		t.Errorf("lifecycle after bob: %q, want approved", s)
	}
	if rig.unapprovedInCheck(t) {
		t.Error("check after bob: fastjson still unapproved")
	}
	w = rig.do("vera", "GET", "/api/v1/decisions?state=confirmed", "")
	if err := json.Unmarshal(w.Body.Bytes(), &page); err != nil || len(page.Proposals) != 1 || page.Proposals[0].ID != id ||
		page.Proposals[0].By != "alice" || page.Proposals[0].ReviewedBy != "bob" {
		t.Errorf("confirmed after bob: %v %s", err, w.Body)
	}
	l, err := ledger.Load(rig.cfg.LedgerDir())
	if err != nil || len(l.Decisions) != 1 {
		t.Fatalf("ledger: %v %+v", err, l)
	}
	if d := l.Decisions[0]; d.By != "alice" || d.ConfirmedBy != "bob" || d.Proposal != id || d.ProposedAt.IsZero() || d.ConfirmedAt.Before(d.ProposedAt) {
		t.Errorf("the record: %+v", d)
	}
	// Twice: 409.
	if w = rig.do("bob", "POST", "/api/v1/decisions/"+id+"/confirm", "{}"); w.Code != http.StatusConflict {
		t.Errorf("second confirmation: %d %s", w.Code, w.Body)
	}

	// An approver's own proposal (carol's waiver of fastjson's G-KEV):
	// she has the role, and the maker-checker refuses her — 403
	// problem+json saying why; bob may confirm it.
	k, _, err := auth.CreateKey(filepath.Join(rig.dir, "tokens.yaml"), "carol", auth.Approver, time.Now().AddDate(0, 1, 0), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rig.keys["carol"] = k
	today := time.Now().UTC()
	w = rig.do("carol", "POST", "/api/v1/decisions", fmt.Sprintf(`{"waiver": {"subject": "github.com/alibaba/fastjson", "gate": "G-KEV", "accepts": ["CVE-2022-25845"], "accepted": %q, "expires": %q, "why": "autoType off"}}`,
		today.Format("2006-01-02"), today.AddDate(0, 3, 0).Format("2006-01-02")))
	if w.Code != http.StatusAccepted {
		t.Fatalf("carol proposes a waiver: %d %s", w.Code, w.Body)
	}
	json.Unmarshal(w.Body.Bytes(), &res)
	w = rig.do("carol", "POST", "/api/v1/decisions/"+res.Proposal.ID+"/confirm", "{}")
	if pr := problemIn(t, w); w.Code != http.StatusForbidden || !strings.Contains(pr.Detail, "another person than its proposer") || !strings.Contains(pr.Detail, "proposed by carol") {
		t.Errorf("carol confirms her own: %d %+v", w.Code, pr)
	}
	if w = rig.do("bob", "POST", "/api/v1/decisions/"+res.Proposal.ID+"/confirm", "{}"); w.Code != http.StatusOK {
		t.Errorf("bob confirms carol's: %d %s", w.Code, w.Body)
	}

	// The audit log: the requests of /api/v1/decisions that reached the
	// ledger write, each with its identity. The handler writes the entry
	// before the write (status 0, "before the change"), so a confirmation
	// the ledger then refuses (own proposal 403, twice 409) is in it as an
	// attempt; the requests refused before (401, role 403) are not.
	es, err := rig.st.Audit(ctx, store.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var decisions []store.AuditEntry
	for _, e := range es {
		if strings.HasPrefix(e.Target, "/api/v1/decisions") {
			decisions = append(decisions, e)
		}
	}
	// Six: alice's proposal, bob's confirmation, bob's second (409),
	// carol's proposal, carol's own confirmation (403 from the ledger),
	// bob's confirmation of it. alice's and vera's confirmations (role
	// 403) and the keyless one (401) are refused before and not in it.
	if len(decisions) != 6 {
		t.Fatalf("audit entries of /api/v1/decisions: %d, want 6: %+v", len(decisions), decisions)
	}
	if e := decisions[3]; e.User != "carol" || e.Status != 0 || !strings.Contains(e.Detail, "G-KEV") {
		t.Errorf("carol's proposal's entry %+v", e)
	}
	if e := decisions[5]; e.User != "bob" || e.Target != "/api/v1/decisions/"+res.Proposal.ID+"/confirm" || e.Status != 0 {
		t.Errorf("the confirmation of carol's %+v", e)
	}
	if e := decisions[0]; e.User != "alice" || e.Role != "assessor" || e.Via != "key" || e.Action != "POST /api/v1/decisions" || e.Status != 0 ||
		e.Source != "10.1.2.3" || !strings.Contains(e.Detail, "fastjson@1.2.24") {
		t.Errorf("proposal's entry %+v", e)
	}
	if e := decisions[1]; e.User != "bob" || e.Role != "approver" || e.Action != "POST /api/v1/decisions/{id}/confirm" || e.Target != "/api/v1/decisions/"+id+"/confirm" || e.Status != 0 {
		t.Errorf("confirmation's entry %+v", e)
	}
}

// A store that fails while an intake decision is made through the API is
// the server's failure: 500 (internal error, the cause in the log), not
// 400 as if the request were bad — the service reads every other failure
// of a decision as the request's. Here the decision service's store is
// closed: reading the intake assessment fails. A bad request on the same
// server is still 400, since it fails before the store is read.
func TestDecisionsAPIStoreErrorIs500(t *testing.T) {
	rig := newDecisionsRig(t)
	broken, err := store.Open(context.Background(), filepath.Join(rig.dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	broken.Close()
	var logs bytes.Buffer
	srv, err := server.New(server.Options{Store: rig.st, Keys: rig.auth, Decisions: decisionService(rig.cfg, broken),
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	rig.srv = srv
	w := rig.do("alice", "POST", "/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "approved", "why": "grade B"}}`)
	if w.Code != http.StatusInternalServerError {
		t.Fatalf("store error: %d %s, want 500", w.Code, w.Body)
	}
	if pr := problemIn(t, w); pr.Detail != "internal error (see the server log)" {
		t.Errorf("500's detail %q", pr.Detail)
	}
	if !strings.Contains(logs.String(), "database is closed") {
		t.Errorf("the cause is not in the log:\n%s", logs.String())
	}
	// Input errors stay 400: a decision that is none of approved,
	// conditional, rejected.
	w = rig.do("alice", "POST", "/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "maybe", "why": "x"}}`)
	if pr := problemIn(t, w); w.Code != http.StatusBadRequest || !strings.Contains(pr.Detail, `got "maybe"`) {
		t.Errorf("bad decision: %d %+v", w.Code, pr)
	}
	if l, err := ledger.Load(rig.cfg.LedgerDir()); err != nil || len(l.Proposals) != 0 {
		t.Errorf("something was written: %v %+v", err, l)
	}
}
