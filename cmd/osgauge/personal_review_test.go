package main

import (
	"encoding/json"
	"net/http/httptest"
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
