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

// 'vuln set' that makes a proposal (not_affected of a KEV vulnerability)
// says how to confirm it with the vuln command, not the intake one: the
// hint names 'osgauge vuln confirm ID' and 'osgauge vuln reject ID' with the
// id the ledger holds.
func TestVulnSetProposalHint(t *testing.T) {
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
	out, err := runCLI(t, "--config", cfg, "vuln", "set", "CVE-2020-36518", "--state", "not_affected", "--justification", "code_not_reachable", "--why", "no untrusted JSON")
	if err != nil {
		t.Fatalf("vuln set: %v\n%s", err, out)
	}
	l, err := ledger.Load(filepath.Join(filepath.Dir(cfg), "ledger"))
	if err != nil || len(l.Pending()) != 1 {
		t.Fatalf("ledger: %v %+v", err, l)
	}
	id := l.Pending()[0].ID
	for _, want := range []string{"osgauge vuln confirm " + id, "osgauge vuln reject " + id + " --why TEXT", "proposal " + id + " by alice (maker-checker: vex_kev)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "intake confirm") {
		t.Errorf("the hint names the intake command:\n%s", out)
	}
}
