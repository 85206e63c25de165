package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vulns"
)

// asUser makes the CLI's identity name (the OS user) for the rest of t.
func asUser(t *testing.T, name string) {
	t.Helper()
	old := cliIdentity
	cliIdentity = func() auth.Identity { return auth.Identity{Name: name, Role: auth.Admin, Via: "cli"} }
	t.Cleanup(func() { cliIdentity = old })
}

// withDefaultPolicy drops intakeFixture's maker_checker: [] so that the
// config says nothing: the default policy (intake, waiver, exit, vex_kev).
func withDefaultPolicy(t *testing.T, cfg string) {
	t.Helper()
	b, _ := os.ReadFile(cfg)
	s := strings.Replace(string(b), "server: {auth: {maker_checker: []}}", "", 1)
	if s == string(b) {
		t.Fatal("intakeFixture's maker_checker line not found")
	}
	os.WriteFile(cfg, []byte(s), 0o644)
}

// lifecycleState is fastjson 1.2.24's state in the report's lifecycle
// section (payments runs it, per the inventory fixture).
func lifecycleState(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lc, err := pipeline.BuildLifecycle(ctx, st, nil, pipeline.LifecycleOptions{LedgerDir: filepath.Join(dir, "ledger"), Now: time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)})
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

// Under the default policy an intake approval is a proposal: the report's
// lifecycle section and the approved list ignore it; its proposer cannot
// confirm it; another person can, and then it is approved, with both names.
func TestIntakeApprovalMakerChecker(t *testing.T) {
	dir, cfg := intakeFixture(t)
	withDefaultPolicy(t, cfg)
	setIntakeNow(t, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	asUser(t, "alice")
	out, err := runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/com.alibaba/fastjson@1.2.24", "--decision", "approved", "--why", "grade B")
	if err != nil || !strings.Contains(out, "proposed approved for pkg:maven/com.alibaba/fastjson (1.2.24)") {
		t.Fatalf("decide: %v\n%s", err, out)
	}
	// --by someone else is refused: the CLI records the OS user, alice.
	if _, err := runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/com.alibaba/fastjson@1.2.24", "--decision", "approved", "--by", "bob", "--why", "x"); err == nil ||
		!strings.Contains(err.Error(), `--by "bob": the CLI records the operating-system user, alice`) {
		t.Errorf("--by bob: %v", err)
	}
	l, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil || len(l.Proposals) != 1 || len(l.Decisions) != 0 {
		t.Fatalf("ledger %+v %v", l, err)
	}
	id := l.Proposals[0].ID
	if s := lifecycleState(t, dir); s != ledger.StateUnapproved {
		t.Errorf("report while proposed: %q, want unapproved", s)
	}
	out, _ = runCLI(t, "--config", cfg, "intake", "proposals", "--format", "json")
	var ps []ledger.Proposal
	if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps) != 1 || ps[0].State != "proposed" || ps[0].By != "alice" || ps[0].Via != "cli" {
		t.Errorf("proposals: %v %s", err, out)
	}
	if _, err := runCLI(t, "--config", cfg, "intake", "confirm", id); err == nil || !strings.Contains(err.Error(), "another person than its proposer") {
		t.Errorf("self-confirm: %v", err)
	}
	if s := lifecycleState(t, dir); s != ledger.StateUnapproved {
		t.Errorf("report after a refused confirmation: %q, want unapproved", s)
	}
	asUser(t, "bob")
	setIntakeNow(t, time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	out, err = runCLI(t, "--config", cfg, "intake", "confirm", id)
	if err != nil || !strings.Contains(out, "confirmed "+id+" (approved, proposed by alice) as bob") {
		t.Fatalf("confirm: %v\n%s", err, out)
	}
	if s := lifecycleState(t, dir); s != ledger.StateApproved {
		t.Errorf("report after confirmation: %q, want approved", s)
	}
	out, _ = runCLI(t, "--config", cfg, "intake", "list", "--format", "json")
	var list struct{ Approved []ledger.Decision }
	json.Unmarshal([]byte(out), &list)
	if len(list.Approved) != 1 || list.Approved[0].By != "alice" || list.Approved[0].ConfirmedBy != "bob" || list.Approved[0].Proposal != id ||
		list.Approved[0].ProposedAt.Format(time.RFC3339) != "2026-12-07T10:00:00Z" || list.Approved[0].ConfirmedAt.Format(time.RFC3339) != "2026-12-08T09:00:00Z" {
		t.Errorf("approved list %s", out)
	}
	// A rejection is not in the policy: it takes effect at once, as before.
	out, err = runCLI(t, "--config", cfg, "intake", "decide", "github.com/elastic/elasticsearch", "--decision", "rejected", "--why", "SSPL")
	if err != nil || !strings.Contains(out, "recorded rejected for github.com/elastic/elasticsearch") {
		t.Errorf("rejection: %v\n%s", err, out)
	}
}

// maker_checker: [] turns the policy off: an approval is recorded at
// once. An exit cancelled under the default policy waits for a second
// person.
func TestMakerCheckerOffAndExitCancel(t *testing.T) {
	dir, cfg := intakeFixture(t) // maker_checker: []
	setIntakeNow(t, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	asUser(t, "alice")
	out, err := runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/com.alibaba/fastjson@1.2.24", "--decision", "approved", "--why", "grade B")
	if err != nil || !strings.Contains(out, "recorded approved") {
		t.Fatalf("decide with maker_checker []: %v\n%s", err, out)
	}
	if s := lifecycleState(t, dir); s != ledger.StateApproved {
		t.Errorf("state %q, want approved at once", s)
	}
	if _, err := runCLI(t, "--config", cfg, "intake", "exit", "pkg:maven/com.alibaba/fastjson@1.2.24", "--reason", "security", "--deadline", "2027-03-31", "--owner", "ops", "--why", "KEV"); err != nil {
		t.Fatal(err)
	}
	if s := lifecycleState(t, dir); s != ledger.StateExit {
		t.Fatalf("state %q, want exit", s)
	}
	l, _ := ledger.Load(filepath.Join(dir, "ledger"))
	exitID := l.Exits[0].ID
	withDefaultPolicy(t, cfg)
	out, err = runCLI(t, "--config", cfg, "intake", "cancel-exit", exitID, "--why", "patched upstream")
	if err != nil || !strings.Contains(out, "proposed cancel exit") {
		t.Fatalf("cancel-exit: %v\n%s", err, out)
	}
	if s := lifecycleState(t, dir); s != ledger.StateExit {
		t.Errorf("while the cancellation is proposed: %q, want exit", s)
	}
	l, _ = ledger.Load(filepath.Join(dir, "ledger"))
	asUser(t, "bob")
	if _, err := runCLI(t, "--config", cfg, "intake", "confirm", l.Pending()[0].ID); err != nil {
		t.Fatal(err)
	}
	// The exit cancelled, the approval recorded before it applies again.
	if s := lifecycleState(t, dir); s != ledger.StateApproved {
		t.Errorf("after confirmation: %q, want approved", s)
	}
}

// A not_affected analysis of a known-exploited vulnerability is proposed
// and leaves the finding open until another person confirms it; the same
// analysis of a vulnerability not on the KEV list closes it at once.
func TestVulnKEVNotAffectedMakerChecker(t *testing.T) {
	dir, cfg := vulnFixture(t)
	setVulnNow(t, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	setIntakeNow(t, time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC))
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutKEV(ctx, []store.KEVEntry{{CVE: "CVE-2020-36518", DateAdded: "2024-01-01"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	asUser(t, "alice")
	finding := "payments/pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10/CVE-2020-36518"
	out, err := runCLI(t, "--config", cfg, "vuln", "set", "CVE-2020-36518", "--state", "not_affected", "--justification", "code_not_reachable", "--why", "no untrusted JSON")
	if err != nil || !strings.Contains(out, "proposed not_affected for "+finding+" (a known-exploited vulnerability)") {
		t.Fatalf("vuln set: %v\n%s", err, out)
	}
	state := func() string {
		out, err := runCLI(t, "--config", cfg, "vuln", "list", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var doc struct{ Findings []vulns.Finding }
		json.Unmarshal([]byte(out), &doc)
		for _, f := range doc.Findings {
			if f.ID == finding {
				return f.State
			}
		}
		t.Fatalf("no %s in %s", finding, out)
		return ""
	}
	if s := state(); s == vulns.NotAffected {
		t.Errorf("closed while proposed: %q", s)
	}
	l, _ := ledger.Load(filepath.Join(filepath.Dir(cfg), "ledger"))
	id := l.Pending()[0].ID
	if _, err := runCLI(t, "--config", cfg, "vuln", "confirm", id); err == nil {
		t.Error("alice confirmed her own proposal")
	}
	asUser(t, "bob")
	if out, err := runCLI(t, "--config", cfg, "vuln", "confirm", id); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if s := state(); s != vulns.NotAffected {
		t.Errorf("after confirmation: %q, want not_affected", s)
	}
	// Another state of the same KEV finding (affected) is not in the
	// policy: recorded at once.
	out, err = runCLI(t, "--config", cfg, "vuln", "set", "CVE-2020-36518", "--state", "affected", "--why", "re-opened")
	if err != nil || !strings.Contains(out, "recorded affected") {
		t.Errorf("affected (not in the policy): %v\n%s", err, out)
	}
}
