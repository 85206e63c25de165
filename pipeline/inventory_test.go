package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

const esBefore = `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "search"}},
  "components": [{"type": "library", "bom-ref": "es", "group": "org.elasticsearch", "name": "elasticsearch", "version": "7.10.2",
    "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.10.2", "licenses": [{"license": {"id": "Apache-2.0"}}]}],
  "dependencies": [{"ref": "app", "dependsOn": ["es"]}]}`

const esAfter = `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "search"}},
  "components": [{"type": "library", "bom-ref": "es", "group": "org.elasticsearch", "name": "elasticsearch", "version": "7.11.0",
    "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.11.0", "licenses": [{"expression": "SSPL-1.0 OR Elastic-2.0"}]}],
  "dependencies": [{"ref": "app", "dependsOn": ["es"]}]}`

// A package whose declared licence changed between a system's two latest
// SBOMs is reported as relicensed in the inventory.
func TestInventoryRelicensing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	path := filepath.Join(dir, "search.cdx.json")
	for _, doc := range []string{esBefore, esAfter} {
		os.WriteFile(path, []byte(doc), 0o644)
		c := sbom.New(sbom.Options{Systems: []sbom.System{{Name: "search", Path: path, Licence: "Apache-2.0", Use: "distributed"}}, Store: st})
		if err := c.Import(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Another system whose SBOM tool changed how it spells the same
	// licence: not a relicensing.
	spelled := filepath.Join(dir, "pay.cdx.json")
	for _, lic := range []string{"MIT OR Apache-2.0", "(Apache-2.0 OR MIT)"} {
		os.WriteFile(spelled, []byte(strings.ReplaceAll(esBefore, `"licenses": [{"license": {"id": "Apache-2.0"}}]`, `"licenses": [{"expression": "`+lic+`"}]`)), 0o644)
		c := sbom.New(sbom.Options{Systems: []sbom.System{{Name: "pay", Path: spelled, Licence: "Apache-2.0", Use: "distributed"}}, Store: st})
		if err := c.Import(ctx); err != nil {
			t.Fatal(err)
		}
	}
	inv, err := BuildInventory(ctx, st, InventoryOptions{Declared: []string{"a", "b"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Components) != 2 {
		t.Fatalf("components %+v", inv.Components)
	}
	var c reports.InvComponent
	for _, x := range inv.Components {
		switch x.Version {
		case "7.11.0":
			c = x
		case "7.10.2":
			if x.Relicensing != "" {
				t.Errorf("a change of spelling reported as relicensing: %q", x.Relicensing)
			}
		}
	}
	want := "Apache-2.0 → SSPL-1.0 OR Elastic-2.0 (search: 7.10.2 → 7.11.0)"
	if c.Relicensing != want || inv.Totals.Relicensed != 1 {
		t.Errorf("relicensing %q (total %d), want %q", c.Relicensing, inv.Totals.Relicensed, want)
	}
	// Only the latest SBOMs count: 2 components (es 7.11.0 in search, es
	// 7.10.2 in pay), 2 systems, both direct; 2 ÷ 2 declared projects = 1.
	if inv.Totals.Components != 2 || inv.Totals.Systems != 2 || inv.Totals.Direct != 2 || inv.Totals.Undercount != 1 {
		t.Errorf("totals %+v", inv.Totals)
	}
	// SSPL-1.0 OR Elastic-2.0: both source-available; neither in the OSADL
	// matrix → needs review.
	if c.LicenceClass != "source-available" || c.Compatibility != "needs-review" {
		t.Errorf("class %q compatibility %q", c.LicenceClass, c.Compatibility)
	}
}
