package pipeline

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// One SBOM with a GPL library and an AGPL one, run by three systems of the
// bank that give no licence of their own (so each is judged as the
// institution's default, proprietary), in three uses.
const gplApp = `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "components": [
    {"type": "library", "bom-ref": "rl", "name": "readline", "version": "8.2", "purl": "pkg:generic/readline@8.2",
     "licenses": [{"license": {"id": "GPL-3.0-only"}}]},
    {"type": "library", "bom-ref": "it", "name": "itext", "version": "5.5.13", "purl": "pkg:maven/com.itextpdf/itext@5.5.13",
     "licenses": [{"license": {"id": "AGPL-3.0-only"}}]}]}`

func TestInventoryJudgedPerSystemAndUse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(dir, "app.cdx.json")
	if err := os.WriteFile(path, []byte(gplApp), 0o644); err != nil {
		t.Fatal(err)
	}
	systems := []sbom.System{{Name: "mobile", Path: path, Use: "distributed"}, {Name: "portal", Path: path, Use: "saas"},
		{Name: "batch", Path: path, Use: "internal"}}
	if err := sbom.New(sbom.Options{Systems: systems, Store: st}).Import(ctx); err != nil {
		t.Fatal(err)
	}
	inv, err := BuildInventory(ctx, st, InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range inv.Systems {
		if s.Licence != "proprietary" || s.LicenceSource != "default" {
			t.Errorf("system %s: licence %q from %q, want the institution's default", s.Name, s.Licence, s.LicenceSource)
		}
	}
	byName := map[string]reports.InvComponent{}
	for _, c := range inv.Components {
		byName[c.Name] = c
	}
	verdicts := func(c reports.InvComponent) map[string]string {
		m := map[string]string{}
		for _, u := range c.Systems {
			m[u.System] = u.Compatibility
		}
		return m
	}
	// GPL-3.0-only: distributed in a proprietary app, the GPL's terms
	// reach the whole work (GPL-3.0 §5c) → incompatible; SaaS conveys no
	// copy (§0) and internal use conveys nothing → compatible. The
	// component's verdict is the worst: incompatible.
	rl := byName["readline"]
	want := map[string]string{"mobile": "incompatible", "portal": "directly-compatible", "batch": "directly-compatible"}
	if got := verdicts(rl); !mapsEqual(got, want) || rl.Compatibility != "incompatible" {
		t.Errorf("readline: %v (component %s), want %v", got, rl.Compatibility, want)
	}
	// AGPL-3.0-only: §13 reaches users over a network, so SaaS conflicts
	// too; internal use still conveys nothing.
	it := byName["com.itextpdf:itext"]
	want = map[string]string{"mobile": "incompatible", "portal": "incompatible", "batch": "directly-compatible"}
	if got := verdicts(it); !mapsEqual(got, want) {
		t.Errorf("itext: %v, want %v", got, want)
	}
	// Headline: 2 components, both incompatible somewhere.
	if inv.Totals.ByCompatibility["incompatible"] != 2 {
		t.Errorf("by compatibility %v", inv.Totals.ByCompatibility)
	}
	for _, u := range rl.Systems {
		if u.Licence != "proprietary" || u.LicenceSource != "default" || u.Use == "" || u.Why == "" || u.Policy == "" {
			t.Errorf("readline in %s: %+v", u.System, u)
		}
	}

	// The JSON report: systems[] as objects; a report written before
	// (systems as names) still reads.
	b, err := json.Marshal(rl)
	if err != nil || !strings.Contains(string(b), `"systems":[{"system":"`) {
		t.Fatalf("json: %s %v", b, err)
	}
	var old reports.InvComponent
	if err := json.Unmarshal([]byte(`{"name":"x","licence_class":"permissive","policy":"allowed","systems":["core","teller"]}`), &old); err != nil ||
		strings.Join(old.SystemNames(), ",") != "core,teller" {
		t.Errorf("old report: %+v %v", old, err)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A failed re-import: the system keeps its last snapshot's figures and is
// marked stale with the error; the totals count it.
func TestInventoryStaleAfterFailedImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(dir, "app.cdx.json")
	os.WriteFile(path, []byte(gplApp), 0o644)
	sys := []sbom.System{{Name: "mobile", Path: path, Use: "distributed"}}
	if err := sbom.New(sbom.Options{Systems: sys, Store: st}).Import(ctx); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, []byte(`{"bomFormat": "CycloneDX", "components": [`), 0o644)
	if err := sbom.New(sbom.Options{Systems: sys, Store: st}).Import(ctx); err == nil {
		t.Fatal("a truncated SBOM was accepted")
	}
	inv, err := BuildInventory(ctx, st, InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := inv.Systems[0]
	if !s.Stale || !strings.Contains(s.ImportError, "app.cdx.json") || s.ImportFailedAt == nil || s.Components != 2 || inv.Totals.StaleSystems != 1 {
		t.Errorf("system %+v, stale systems %d", s, inv.Totals.StaleSystems)
	}
}
