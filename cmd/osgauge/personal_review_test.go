package main

import (
	"context"
	"encoding/json"
	"github.com/osgauge/osgauge/store"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/server"
)

// The shared token is not one person: alice holding it cannot confirm her
// own proposal with it (403, a problem saying a personal identity is
// needed), nor propose or reject; the ledger keeps no decision.
func TestSharedTokenCannotReview(t *testing.T) {
	rig := newDecisionsRig(t)
	srv, _ := server.New(server.Options{Store: rig.st, Keys: rig.auth, Token: "shared-secret", Decisions: decisionService(rig.cfg, rig.st)})
	rig.srv = srv
	w := rig.do("alice", "POST", "/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "approved", "why": "grade B"}}`)
	if w.Code != 202 {
		t.Fatalf("propose %d %s", w.Code, w.Body)
	}
	var res server.DecisionResult
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res.Proposal == nil {
		t.Fatalf("%v %s", err, w.Body)
	}
	id := res.Proposal.ID
	for _, c := range []struct{ path, body string }{
		{"/api/v1/decisions/" + id + "/confirm", "{}"},
		{"/api/v1/decisions/" + id + "/reject", `{"why":"no"}`},
		{"/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "rejected", "why": "x"}}`},
	} {
		r := httptest.NewRequest("POST", c.path, strings.NewReader(c.body))
		r.RemoteAddr = "10.1.2.3:1"
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer shared-secret")
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		if w.Code != 403 || !strings.Contains(w.Header().Get("Content-Type"), "problem+json") || !strings.Contains(w.Body.String(), "personal identity") {
			t.Errorf("shared token POST %s: %d %s %s, want 403 problem naming a personal identity", c.path, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
	l, err := ledger.Load(rig.cfg.LedgerDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Decisions) != 0 || len(l.Rejections) != 0 || len(l.Pending()) != 1 {
		t.Errorf("decisions %d rejections %d pending %d, want 0 0 1", len(l.Decisions), len(l.Rejections), len(l.Pending()))
	}
}

// With users configured (the rig's tokens_file), the command line cannot
// confirm or reject: alice's own OS account would pass for a second
// person. The ledger keeps the proposal pending.
func TestCLIReviewRefusedWithUsers(t *testing.T) {
	rig := newDecisionsRig(t)
	id := rvProposeID(t, rig)
	asUser(t, "alice-os")
	for _, args := range [][]string{{"intake", "confirm", id}, {"intake", "reject", id, "--why", "no"}} {
		out, err := runCLI(t, append([]string{"--config", rig.cfg.Path}, args...)...)
		if err == nil || !strings.Contains(err.Error(), "through the API") {
			t.Errorf("%v: err %v, want the refusal naming the API\n%s", args, err, out)
		}
	}
	l, err := ledger.Load(rig.cfg.LedgerDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Decisions) != 0 || len(l.Pending()) != 1 {
		t.Errorf("decisions %d pending %d, want 0 and 1", len(l.Decisions), len(l.Pending()))
	}
}

func rvProposeID(t *testing.T, rig *decisionsRig) string {
	t.Helper()
	w := rig.do("alice", "POST", "/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "approved", "why": "grade B"}}`)
	var res server.DecisionResult
	if err := json.Unmarshal(w.Body.Bytes(), &res); w.Code != 202 || err != nil || res.Proposal == nil {
		t.Fatalf("propose %d %s", w.Code, w.Body)
	}
	return res.Proposal.ID
}

// Without users the OS user is the identity: alice cannot confirm her own
// CLI proposal; bob can, and the audit log has bob's "intake confirm".
func TestCLIConfirmAudited(t *testing.T) {
	dir, cfg := intakeFixture(t)
	withDefaultPolicy(t, cfg)
	asUser(t, "alice")
	if out, err := runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/com.alibaba/fastjson@1.2.24", "--decision", "approved", "--why", "grade B"); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	l, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil || len(l.Pending()) != 1 {
		t.Fatalf("%v pending %d", err, len(l.Pending()))
	}
	id := l.Pending()[0].ID
	if _, err := runCLI(t, "--config", cfg, "intake", "confirm", id); err == nil {
		t.Error("alice confirmed her own proposal on the CLI")
	}
	asUser(t, "bob")
	if out, err := runCLI(t, "--config", cfg, "intake", "confirm", id); err != nil {
		t.Fatalf("bob: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	es, _ := st.Audit(context.Background(), store.AuditQuery{})
	found := false
	for _, e := range es {
		if e.User == "bob" && e.Action == "intake confirm" && e.Target == id {
			found = true
		}
	}
	if !found {
		t.Errorf("no audit entry of bob's intake confirm %s: %+v", id, es)
	}
}

// alice cannot write a decision under bob's name: by must be the
// signed-in identity's (403), and nothing is recorded.
func TestAPIByMustBeSignedIn(t *testing.T) {
	rig := newDecisionsRig(t)
	w := rig.do("alice", "POST", "/api/v1/decisions", `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "rejected", "by": "bob", "why": "x"}}`)
	if w.Code != 403 {
		t.Errorf("alice posts by=bob: %d %s, want 403", w.Code, w.Body)
	}
	l, err := ledger.Load(rig.cfg.LedgerDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Decisions) != 0 || len(l.Proposals) != 0 {
		t.Errorf("decisions %d proposals %d, want 0", len(l.Decisions), len(l.Proposals))
	}
}
