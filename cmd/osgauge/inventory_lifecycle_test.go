package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The terminal inventory shows each component's ledger state and use
// without intake by system. payments runs fastjson 1.2.24 and
// elasticsearch directly (=cmd is nested: transitive); teller's SBOM has
// no graph, so its fastjson is read as direct. The ledger rejects
// fastjson below 1.2.83: rejected in both; elasticsearch has no decision:
// used without intake in payments (1); =cmd needs none under direct.
func TestInventoryLifecycle(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "payments.cdx.json"), []byte(invPayments), 0o644)
	os.WriteFile(filepath.Join(dir, "teller.cdx.xml"), []byte(invTeller), 0o644)
	os.MkdirAll(filepath.Join(dir, "ledger", "decisions"), 0o755)
	os.WriteFile(filepath.Join(dir, "ledger", "decisions", "2026-01-05-dec-fj.yaml"), []byte(`id: dec-fj
target: pkg:maven/com.alibaba/fastjson
versions: "<1.2.83"
decision: rejected
by: OSPO
why: autotype deserialisation
at: 2026-01-05T10:00:00Z
`), 0o644)
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`
institution: {name: Example Bank}
sboms:
  - {system: payments, path: payments.cdx.json, licence: Apache-2.0, use: distributed}
  - {system: teller, path: teller.cdx.xml}
osv: {api_url: "off"}
`), 0o644)
	if out, err := runCLI(t, "--config", cfg, "collect", "--only", "sbom"); err != nil {
		t.Fatalf("collect: %v\n%s", err, out)
	}
	out, err := runInventory(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// 3 components in third-party use: fastjson (rejected), elasticsearch
	// (without intake), =cmd (transitive).
	for _, want := range []string{"3 components in third-party use: 0 approved, 0 conditional, 1 rejected, 0 on the exit list, 1 used without intake",
		"1 transitive (no intake needed under intake_required: direct)", "use without intake by system:"} {
		if !strings.Contains(out, want) {
			t.Errorf("inventory lacks %q:\n%s", want, out)
		}
	}
	var line string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "payments ") {
			line = strings.Join(strings.Fields(l), " ")
		}
	}
	if line != "payments 1 3" {
		t.Errorf("payments line %q, want \"payments 1 3\"", line)
	}
	out, err = runInventory(t, cfg, "--component", "fastjson")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "STATE") || strings.Count(out, "rejected") != 2 {
		t.Errorf("--component: want the state rejected in both systems:\n%s", out)
	}
}
