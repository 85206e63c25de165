package excel

import (
	"archive/zip"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/reports"
)

func yes(b bool) *bool { return &b }

// testInventory: 2 systems, 4 components; one of each kind of trouble.
func testInventory() *reports.Inventory {
	inv := &reports.Inventory{
		Systems: []reports.InvSystem{
			{Name: "gateway", Licence: "Apache-2.0", LicenceSource: "sbom", Use: "distributed", Format: "cyclonedx-json", Components: 3, Direct: 2, Transitive: 1, Imported: time.Unix(0, 0)},
			{Name: "ledger", Licence: "MIT", LicenceSource: "config", Use: "internal", Format: "spdx-json", Components: 2, Direct: 2},
		},
		Components: []reports.InvComponent{
			{Name: "log4j-core", Version: "2.14.1", Licence: "Apache-2.0", LicenceClass: "permissive", Systems: invUses("gateway", "ledger"),
				Direct: yes(true), Compatibility: "directly-compatible", Policy: "allowed", Project: "github.com/karmada-io/karmada",
				Vulnerabilities: reports.InvVuln{Checked: true, Critical: 1, KEV: 1, Fixable: 1}},
			{Name: "mongo-thing", Version: "4.0", Licence: "SSPL-1.0", LicenceClass: "source-available", Systems: invUses("gateway"),
				Direct: yes(true), Compatibility: "needs-review", Policy: "banned", Relicensing: "Apache-2.0 → SSPL-1.0 (gateway: 3.6 → 4.0)"},
			{Name: "=HYPERLINK(\"http://evil\",\"x\")", Version: "1", Licence: "GPL-2.0-only", LicenceClass: "strong-copyleft", Systems: invUses("gateway"),
				Direct: yes(false), Compatibility: "incompatible", Policy: "review"},
			{Name: "mpl-lib", Version: "1", Licence: "MPL-2.0", LicenceClass: "weak-copyleft", Systems: invUses("ledger"),
				Compatibility: "compatible-with-conditions", Policy: "allowed"},
		},
	}
	inv.Totals = reports.InvTotals{Systems: 2, Components: 4, References: 5, Direct: 2, Transitive: 1,
		ByClass:         map[string]int{"permissive": 1, "source-available": 1, "strong-copyleft": 1, "weak-copyleft": 1},
		ByCompatibility: map[string]int{"directly-compatible": 1, "needs-review": 1, "incompatible": 1, "compatible-with-conditions": 1},
		ByPolicy:        map[string]int{"allowed": 2, "banned": 1, "review": 1},
		Vulnerable:      map[string]int{"critical": 1}, KEVComponents: 1, Relicensed: 1, Checked: 1, DeclaredProjects: 2, Undercount: 2}
	return inv
}

func TestInventorySheets(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		r := testReport(t, lang)
		r.Inventory = testInventory()
		f, _ := writeOpen(t, r)
		inventory, supply := "Inventory", "Licences & Vulnerabilities"
		if lang == "zh" {
			inventory, supply = "供应链清单", "许可证与漏洞"
		}
		header, rows, order := rowsByName(t, f, inventory)
		if len(order) != 4 || len(header) != 20 {
			t.Fatalf("%s: %d component rows and %d columns, want 4 and 20", lang, len(order), len(header))
		}
		if lang == "en" {
			// log4j: 2 systems, critical 1, KEV 1, the project's grade B (karmada in the test report).
			l := rows["log4j-core"]
			if l[8] != "gateway, ledger" || l[9] != "1" || l[13] != "1" || l[15] != "github.com/karmada-io/karmada" || l[16] != "B" {
				t.Errorf("log4j row %q", l)
			}
			if m := rows["mongo-thing"]; m[4] != "source-available (not open source)" || m[6] != "banned" || m[7] != "Direct" || m[19] != "Apache-2.0 → SSPL-1.0 (gateway: 3.6 → 4.0)" {
				t.Errorf("mongo row %q", m)
			}
			if m := rows["mpl-lib"]; m[5] != "compatible with conditions" || m[7] != "not stated" {
				t.Errorf("mpl row %q", m)
			}
		}
		// A name from an SBOM that looks like a formula stays text.
		for _, ref := range []string{"A2", "A3", "A4", "A5"} {
			if formula, _ := f.GetCellFormula(inventory, ref); formula != "" {
				t.Errorf("%s: %s holds a formula %q", lang, ref, formula)
			}
		}
		xml := sheetXML(t, f, inventory)
		for _, part := range []string{"<autoFilter", "<conditionalFormatting", `state="frozen"`} {
			if !strings.Contains(xml, part) {
				t.Errorf("%s: Inventory sheet lacks %s", lang, part)
			}
		}
		// Key figures: systems 2, components 4, banned 1, incompatible 1,
		// with conditions 1, KEV 1, critical 1; undercount 4 / 2 = 2.
		all, err := f.GetRows(supply)
		if err != nil {
			t.Fatal(err)
		}
		fig := map[string]string{}
		for _, r := range all {
			if len(r) >= 2 {
				fig[r[0]] = r[1]
			}
		}
		if lang == "en" {
			for k, want := range map[string]string{"Systems": "2", "Components the SBOMs list": "4", "Components with a banned licence": "1",
				"Incompatible components": "1", "Compatible with conditions": "1", "Components with a known-exploited vulnerability": "1",
				"Components per declared project": "2", "gateway": "Apache-2.0", "Components relicensed since the previous SBOM": "1"} {
				if fig[k] != want {
					t.Errorf("key figure %q = %q, want %q", k, fig[k], want)
				}
			}
		}
		// The test report's 6 charts and 3 on the supply sheet.
		if n := chartCount(t, f.Path); n != 9 {
			t.Errorf("%s: %d charts, want 9", lang, n)
		}
		if !strings.Contains(sheetXML(t, f, supply), "<drawing ") {
			t.Errorf("%s: supply sheet has no drawing", lang)
		}
	}
	// The Summary carries the key figures too.
	r := testReport(t, "en")
	r.Inventory = testInventory()
	f, _ := writeOpen(t, r)
	all, _ := f.GetRows("Summary")
	sum := map[string]string{}
	for _, row := range all {
		if len(row) >= 2 {
			sum[row[0]] = row[1]
		}
	}
	if sum["Components the SBOMs list"] != "4" || sum["Components with a known-exploited vulnerability"] != "1" || sum["Components with a banned licence"] != "1" {
		t.Errorf("summary figures %v", sum)
	}
	// Without an inventory the sheets are not there.
	f, _ = writeOpen(t, testReport(t, "en"))
	if idx, _ := f.GetSheetIndex("Inventory"); idx >= 0 {
		t.Error("an Inventory sheet without an inventory")
	}
}

func chartCount(t *testing.T, path string) int {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	n := 0
	for _, e := range zr.File {
		if strings.HasPrefix(e.Name, "xl/charts/chart") && strings.HasSuffix(e.Name, ".xml") {
			n++
		}
	}
	return n
}

// invUses lists systems using a component, by name only.
func invUses(names ...string) []reports.InvUse {
	out := make([]reports.InvUse, len(names))
	for i, n := range names {
		out[i] = reports.InvUse{System: n}
	}
	return out
}

// A system whose latest import failed says so in the systems table of the
// Licences & Vulnerabilities sheet, with when and why.
func TestInventoryStaleSystem(t *testing.T) {
	r := testReport(t, "en")
	r.Inventory = testInventory()
	at := time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC)
	r.Inventory.Systems[1].Stale, r.Inventory.Systems[1].ImportError, r.Inventory.Systems[1].ImportFailedAt = true, "ledger.spdx.json: not valid JSON", &at
	f, _ := writeOpen(t, r)
	rows, err := f.GetRows("Licences & Vulnerabilities")
	if err != nil {
		t.Fatal(err)
	}
	var ledger, gateway []string
	for _, row := range rows {
		if len(row) > 0 && row[0] == "ledger" {
			ledger = row
		}
		if len(row) > 0 && row[0] == "gateway" {
			gateway = row
		}
	}
	if len(ledger) < 10 || ledger[9] != "STALE: import failed 2026-12-02 08:30: ledger.spdx.json: not valid JSON" {
		t.Errorf("ledger row %q", ledger)
	}
	if len(gateway) < 10 || gateway[9] != "read" {
		t.Errorf("gateway row %q", gateway)
	}
}
