package main

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

// ledgerFiles counts the files under dir (the ledger directory); 0 when
// it does not exist.
func ledgerFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}

// alice (assessor, key) cannot record a vulnerability analysis under
// bob's name: 403, nothing in the ledger; "ALICE" is alice (case folded,
// auth.SamePerson) and by left out is filled with her name: both 201, and
// both analyses are recorded by "alice".
func TestAPIAnalysisByMustBeSignedIn(t *testing.T) {
	dir, cfgPath := vulnFixture(t)
	b, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, append(b, []byte("server: {auth: {tokens_file: tokens.yaml}}\n")...), 0o644)
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key, _, err := auth.CreateKey(filepath.Join(dir, "tokens.yaml"), "alice", auth.Assessor, time.Time{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	keys, proxy, _, _ := serveAuth(cfg)
	srv, _ := server.New(server.Options{Store: st, Keys: keys, Proxy: proxy, Vulns: vulnService(cfg, st)})
	post := func(body string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("POST", "/api/v1/vulnerabilities/"+url.PathEscape(jacksonFinding)+"/analysis", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+key)
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w
	}
	if w := post(`{"state":"in_triage","by":"bob","why":"looking"}`); w.Code != 403 {
		t.Errorf("alice posts by=bob: %d %s, want 403", w.Code, w.Body)
	}
	if n := ledgerFiles(t, cfg.LedgerDir()); n != 0 {
		t.Errorf("after the 403: %d ledger files, want 0", n)
	}
	for _, body := range []string{`{"state":"in_triage","by":"ALICE","why":"looking"}`, `{"state":"in_triage","why":"still looking"}`} {
		if w := post(body); w.Code != 201 {
			t.Errorf("%s: %d %s, want 201", body, w.Code, w.Body)
		}
	}
	l, err := ledger.Load(cfg.LedgerDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Analyses) != 2 {
		t.Fatalf("analyses %d, want 2", len(l.Analyses))
	}
	for _, a := range l.Analyses {
		if a.By != "alice" {
			t.Errorf("analysis by %q, want alice (the signed-in identity)", a.By)
		}
	}
}

// The audit entry is written before the ledger: with the audit table
// gone (renamed), POST /api/v1/decisions answers 500 and no ledger file
// is written. With it back, the same request succeeds (202, proposed:
// intake needs a second person) and the audit holds exactly one entry
// for it (the handler's, not a second from the middleware).
func TestAuditBeforeLedgerWrite(t *testing.T) {
	rig := newDecisionsRig(t)
	db := rig.st.DB()
	if _, err := db.Exec(`ALTER TABLE audit_log RENAME TO audit_log_away`); err != nil {
		t.Fatal(err)
	}
	body := `{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "approved", "why": "x"}}`
	if w := rig.do("alice", "POST", "/api/v1/decisions", body); w.Code != 500 {
		t.Errorf("audit table away: %d %s, want 500", w.Code, w.Body)
	}
	if n := ledgerFiles(t, rig.cfg.LedgerDir()); n != 0 {
		t.Errorf("audit table away: %d ledger files written, want 0", n)
	}
	if _, err := db.Exec(`ALTER TABLE audit_log_away RENAME TO audit_log`); err != nil {
		t.Fatal(err)
	}
	if w := rig.do("alice", "POST", "/api/v1/decisions", body); w.Code != 202 {
		t.Fatalf("audit table back: %d %s, want 202", w.Code, w.Body)
	}
	es, err := rig.st.Audit(context.Background(), store.AuditQuery{User: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Action == "POST /api/v1/decisions" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("audit entries of alice's POST /api/v1/decisions: %d, want 1: %+v", n, es)
	}
	if n := ledgerFiles(t, rig.cfg.LedgerDir()); n == 0 {
		t.Errorf("audit table back: no ledger file written")
	}
}
