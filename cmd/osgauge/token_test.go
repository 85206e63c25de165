package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/store"
)

// authConfig writes an osgauge.yaml with a store and a tokens file.
func authConfig(t *testing.T) (cfg, dir string) {
	t.Helper()
	dir = t.TempDir()
	cfg = filepath.Join(dir, "osgauge.yaml")
	if err := os.WriteFile(cfg, []byte("store: {dsn: osgauge.db}\nserver: {auth: {tokens_file: tokens.yaml}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return cfg, dir
}

var keyRE = regexp.MustCompile(`osg_[A-Za-z0-9_-]{43}`)

func TestTokenCreateListRevoke(t *testing.T) {
	cfg, dir := authConfig(t)
	out, err := runCLI(t, "--config", cfg, "token", "create", "--user", "alice", "--role", "assessor", "--expires", "2099-01-31")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	key := keyRE.FindString(out)
	if key == "" || !strings.Contains(out, "for alice (assessor), expires 2099-01-31 00:00 UTC") || !strings.Contains(out, "shown this once") {
		t.Fatalf("create printed:\n%s", out)
	}
	// The key is printed once and never stored.
	data, _ := os.ReadFile(filepath.Join(dir, "tokens.yaml"))
	if strings.Contains(string(data), key[4:]) {
		t.Fatalf("the tokens file holds the key:\n%s", data)
	}
	// It works: the tokens file answers it with alice, assessor.
	keys, _ := auth.OpenKeys(filepath.Join(dir, "tokens.yaml"), nil)
	if id, _, err := keys.Lookup(key); err != nil || id.Name != "alice" || id.Role != auth.Assessor {
		t.Fatalf("lookup: %+v %v", id, err)
	}
	if _, err := runCLI(t, "--config", cfg, "token", "create", "--user", "bob", "--role", "boss"); err == nil {
		t.Error("role boss accepted")
	}
	out, err = runCLI(t, "--config", cfg, "token", "list")
	if err != nil || !regexp.MustCompile(`(?m)^k[0-9a-f]{10}\s+alice\s+assessor\s+\S+ \S+\s+2099-01-31 00:00\s+active$`).MatchString(out) || strings.Contains(out, key[4:]) {
		t.Fatalf("list: %v\n%s", err, out)
	}
	if out, err = runCLI(t, "--config", cfg, "token", "revoke", "alice"); err != nil || !strings.Contains(out, "revoked k") {
		t.Fatalf("revoke: %v %s", err, out)
	}
	if _, _, err := keys.Lookup(key); err == nil {
		t.Error("the revoked key still works")
	}
	out, _ = runCLI(t, "--config", cfg, "token", "list", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 || rows[0]["state"] != "revoked" || rows[0]["hash"] != nil {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	// Both changes are in the audit log, by the OS user, from the CLI.
	out, err = runCLI(t, "--config", cfg, "audit", "--format", "json")
	var entries []store.AuditEntry
	if err != nil || json.Unmarshal([]byte(out), &entries) != nil || len(entries) != 2 {
		t.Fatalf("audit: %v\n%s", err, out)
	}
	me := auth.CLI().Name
	for i, want := range []string{"token create", "token revoke"} {
		e := entries[i]
		if e.Action != want || e.User != me || e.Via != "cli" || e.Source != "cli" || e.Target != "alice" || strings.Contains(e.Detail, key[4:]) ||
			!strings.Contains(e.Detail, `"role":"assessor"`) {
			t.Errorf("entry %d: %+v", i, e)
		}
	}
}

func TestTokenNeedsTokensFile(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte("store: {dsn: osgauge.db}\n"), 0o644)
	_, err := runCLI(t, "--config", cfg, "token", "list")
	if err == nil || !strings.Contains(err.Error(), "server.auth.tokens_file is not set") || !strings.Contains(err.Error(), cfg) {
		t.Errorf("err %v", err)
	}
}

func TestAuditExport(t *testing.T) {
	cfg, dir := authConfig(t)
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for _, e := range []store.AuditEntry{
		{At: t0, User: "bob", Role: "assessor", Via: "key", Source: "10.0.0.8", Action: "POST /api/v1/runs", Target: "/api/v1/runs", Status: 202, Detail: `{"request":{"kind":"collect"}}`},
		// A hostile name and target: spreadsheet formulas.
		{At: t0.Add(time.Hour), User: "=HYPERLINK(\"http://evil\",\"x\")", Role: "viewer", Via: "proxy", Source: "10.0.0.9", Action: "POST /api/v1/check", Target: "+1-2", Status: 200, Detail: "@SUM(A1)"},
		{At: t0.Add(48 * time.Hour), User: "carol", Role: "approver", Via: "oidc", Source: "10.0.0.7", Action: "POST /api/v1/decisions/{id}/confirm", Target: "-d1", Status: 200, Detail: "{}"},
	} {
		if _, err := st.AppendAudit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	out, err := runCLI(t, "--config", cfg, "audit")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("csv: %v\n%s", err, out)
	}
	if strings.Join(rows[0], ",") != "id,at,user,role,via,source,action,target,status,detail" {
		t.Errorf("header %v", rows[0])
	}
	// Row 1 as written: nothing to neutralise.
	if got := strings.Join(rows[1], "|"); got != `1|2026-11-02T09:00:00Z|bob|assessor|key|10.0.0.8|POST /api/v1/runs|/api/v1/runs|202|{"request":{"kind":"collect"}}` {
		t.Errorf("row 1: %s", got)
	}
	// Row 2: =…, +…, @… get a leading apostrophe; row 3's target -d1 too.
	if rows[2][2] != `'=HYPERLINK("http://evil","x")` || rows[2][7] != "'+1-2" || rows[2][9] != "'@SUM(A1)" || rows[3][7] != "'-d1" {
		t.Errorf("formulas not neutralised: %q %q %q %q", rows[2][2], rows[2][7], rows[2][9], rows[3][7])
	}
	// --since 2026-11-03 (00:00 UTC): carol's only (t0 + 48 h = 2026-11-04 09:00).
	out, _ = runCLI(t, "--config", cfg, "audit", "--since", "2026-11-03", "--format", "json")
	var entries []store.AuditEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 1 || entries[0].User != "carol" {
		t.Errorf("since: %v %s", err, out)
	}
	out, _ = runCLI(t, "--config", cfg, "audit", "--user", "bob", "--format", "json")
	entries = nil
	if err := json.Unmarshal([]byte(out), &entries); err != nil || len(entries) != 1 || entries[0].Status != 202 {
		t.Errorf("user bob: %v %s", err, out)
	}
	if _, err := runCLI(t, "--config", cfg, "audit", "--format", "xml"); err == nil {
		t.Error("--format xml accepted")
	}
	if _, err := runCLI(t, "--config", cfg, "audit", "--since", "yesterday"); err == nil {
		t.Error("--since yesterday accepted")
	}
}

func TestCommandsRecordTheOSUser(t *testing.T) {
	cfg, dir := authConfig(t)
	if out, err := runCLI(t, "--config", cfg, "assess"); err != nil {
		t.Fatalf("assess: %v\n%s", err, out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	entries, _ := st.Audit(context.Background(), store.AuditQuery{})
	if len(entries) != 1 || entries[0].Action != "assess" || entries[0].User != auth.CLI().Name || entries[0].Via != "cli" {
		t.Errorf("entries %+v", entries)
	}
}
