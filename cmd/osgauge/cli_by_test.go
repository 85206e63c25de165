package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
)

// The CLI records the OS user (alice) as by: --by bob is refused and
// nothing is written; --by ALICE is alice (case folded) and recorded as
// "alice". waive and cancel-exit each write their audit entry (alice,
// "intake waive" / "intake cancel-exit", the subject / the exit id).
func TestCLIByIsOSUserAndWaiveAudited(t *testing.T) {
	dir, cfg := intakeFixture(t) // maker_checker: [] — recorded at once
	setIntakeNow(t, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	asUser(t, "alice")
	target := "pkg:maven/com.alibaba/fastjson@1.2.24"
	out, err := runCLI(t, "--config", cfg, "intake", "decide", target, "--decision", "rejected", "--by", "bob", "--why", "x")
	if err == nil || !strings.Contains(err.Error(), `--by "bob"`) {
		t.Errorf("decide --by bob as alice: %v %s, want refused naming --by", err, out)
	}
	if l, _ := ledger.Load(filepath.Join(dir, "ledger")); len(l.Decisions) != 0 || len(l.Proposals) != 0 {
		t.Errorf("after the refusal: %d decisions %d proposals, want 0", len(l.Decisions), len(l.Proposals))
	}
	for _, args := range [][]string{
		{"intake", "waive", "github.com/alibaba/fastjson", "--gate", "G-KEV", "--accepts", "CVE-2022-25845", "--expires", "2027-03-01", "--by", "bob", "--why", "x"},
		{"intake", "cancel-exit", "exit-x", "--by", "bob", "--why", "x"},
	} {
		if _, err := runCLI(t, append([]string{"--config", cfg}, args...)...); err == nil || !strings.Contains(err.Error(), `--by "bob"`) {
			t.Errorf("%s --by bob as alice: %v, want refused", args[1], err)
		}
	}
	if out, err := runCLI(t, "--config", cfg, "intake", "decide", target, "--decision", "rejected", "--by", "ALICE", "--why", "x"); err != nil {
		t.Fatalf("decide --by ALICE as alice: %v %s", err, out)
	}
	l, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil || len(l.Decisions) != 1 || l.Decisions[0].By != "alice" {
		t.Fatalf("decision: %v %+v, want one by alice", err, l.Decisions)
	}
	if out, err := runCLI(t, "--config", cfg, "intake", "waive", "github.com/alibaba/fastjson", "--gate", "G-KEV", "--accepts", "CVE-2022-25845", "--expires", "2027-03-01", "--why", "autoType off"); err != nil {
		t.Fatalf("waive: %v %s", err, out)
	}
	if _, err := runCLI(t, "--config", cfg, "intake", "exit", target, "--reason", "security", "--deadline", "2027-03-31", "--owner", "ops", "--why", "KEV"); err != nil {
		t.Fatal(err)
	}
	l, _ = ledger.Load(filepath.Join(dir, "ledger"))
	exitID := l.Exits[0].ID
	if out, err := runCLI(t, "--config", cfg, "intake", "cancel-exit", exitID, "--why", "patched"); err != nil {
		t.Fatalf("cancel-exit: %v %s", err, out)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	es, _ := st.Audit(context.Background(), store.AuditQuery{User: "alice"})
	want := map[string]string{"intake waive": "github.com/alibaba/fastjson", "intake cancel-exit": exitID}
	for _, e := range es {
		if want[e.Action] == e.Target {
			delete(want, e.Action)
		}
	}
	if len(want) != 0 {
		t.Errorf("audit entries missing %v: %+v", want, es)
	}
}

// vuln set records the OS user too: --by bob as alice is refused.
func TestCLIVulnSetByRefused(t *testing.T) {
	_, cfg := vulnFixture(t)
	asUser(t, "alice")
	_, err := runCLI(t, "--config", cfg, "vuln", "set", "CVE-2020-36518", "--state", "in_triage", "--by", "bob", "--why", "x")
	if err == nil || !strings.Contains(err.Error(), `--by "bob"`) {
		t.Errorf("vuln set --by bob as alice: %v, want refused", err)
	}
}
