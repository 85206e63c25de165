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
	"github.com/osgauge/osgauge/vulns"
)

// Every closing state of a KEV finding needs a second person (vex_kev is
// in the default maker-checker): an assessor's false_positive and
// not_affected on the API are proposed (202), nothing is recorded, and the
// finding stays open; in_triage (not closing) is recorded at once (201).
func TestKEVClosingStatesProposed(t *testing.T) {
	dir, cfgPath := vulnFixture(t)
	b, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, append(b, []byte("server: {auth: {tokens_file: tokens.yaml}}\n")...), 0o644)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.PutKEV(ctx, []store.KEVEntry{{CVE: "CVE-2020-36518", DateAdded: "2024-01-01"}}); err != nil {
		t.Fatal(err)
	}
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
	post := func(body string) int {
		r := httptest.NewRequest("POST", "/api/v1/vulnerabilities/"+url.PathEscape(jacksonFinding)+"/analysis", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", "Bearer "+key)
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, r)
		return w.Code
	}
	for _, body := range []string{
		`{"state":"false_positive","why":"x"}`,
		`{"state":"not_affected","justification":"code_not_reachable","why":"x"}`,
	} {
		if c := post(body); c != 202 {
			t.Errorf("%s on a KEV finding: %d, want 202 (proposed)", body, c)
		}
	}
	l, err := ledger.Load(cfg.LedgerDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Analyses) != 0 || len(l.Pending()) != 2 {
		t.Errorf("analyses %d (want 0: nothing recorded), pending %d (want 2)", len(l.Analyses), len(l.Pending()))
	}
	if c := post(`{"state":"in_triage","why":"looking"}`); c != 201 {
		t.Errorf("in_triage on a KEV finding: %d, want 201 (not closing: recorded at once)", c)
	}
}

// vex import: the document's two not_affected statements are about KEV
// vulnerabilities (CVE-2020-36518 jackson, CVE-2022-25845 fastjson):
// each becomes its own proposal (2), and both findings keep their state
// (not not_affected) until confirmed.
func TestVexImportKEVProposed(t *testing.T) {
	dir, cfg := vexFixture(t)
	setVexNow(t)
	asUser(t, "alice")
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	st.PutKEV(ctx, []store.KEVEntry{{CVE: "CVE-2020-36518", DateAdded: "2024-01-01"}, {CVE: "CVE-2022-25845", DateAdded: "2024-01-01"}})
	st.Close()
	file := filepath.Join(dir, "payments.openvex.json")
	os.WriteFile(file, []byte(openVEXDoc), 0o644)
	out, err := runCLI(t, "--config", cfg, "vex", "import", file)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	fs := vexFindings(t, cfg)
	for _, id := range []string{vexJacksonID, vexFastID} {
		if fs[id].State == vulns.NotAffected {
			t.Errorf("%s: not_affected at once (KEV needs a second person)", id)
		}
	}
	l, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Pending()) != 2 {
		t.Errorf("proposals %d, want 2 (one per KEV statement)\n%s", len(l.Pending()), out)
	}
	for _, p := range l.Pending() {
		if p.By != "alice" || len(p.Analyses) != 1 {
			t.Errorf("proposal %s by %s with %d analyses, want by alice (the OS user) with 1", p.ID, p.By, len(p.Analyses))
		}
	}
	if !strings.Contains(out, "proposed") {
		t.Errorf("output does not say proposed:\n%s", out)
	}
}
