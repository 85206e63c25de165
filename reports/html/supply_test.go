package html

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	xhtml "golang.org/x/net/html"

	"github.com/osgauge/osgauge/reports"
)

const evilComponent = `<script>supply()</script>`

func bp(b bool) *bool { return &b }

// supplyInventory is 3 systems and 6 components, one per compatibility
// verdict plus one with none. By hand:
//
//	systems 3; components 6; direct: fastjson, mysql, evil = 3;
//	transitive: karmada, itext = 2 (leftpad states neither);
//	declared projects 2, so the undercount is 6 ÷ 2 = ×3;
//	banned: evil = 1; incompatible: evil = 1; with conditions: mysql = 1;
//	KEV: fastjson = 1; critical: fastjson, evil = 2.
func supplyInventory() *reports.Inventory {
	imp := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	return &reports.Inventory{
		Systems: []reports.InvSystem{
			{Name: "core-banking", Licence: "Apache-2.0", LicenceSource: "config", Use: "internal", Format: "cyclonedx", Components: 2, Direct: 1, Transitive: 1, Imported: imp},
			{Name: "payments", Licence: "MIT", LicenceSource: "sbom", Use: "distributed", Format: "spdx", Components: 2, Direct: 2, Imported: imp},
			{Name: "portal", Format: "cyclonedx", Components: 3, Direct: 1, Transitive: 1, Imported: imp},
		},
		Components: []reports.InvComponent{
			{Name: "karmada", Version: "1.9.0", Licence: "Apache-2.0", LicenceClass: "permissive", Systems: invUses("core-banking"),
				Direct: bp(false), Compatibility: "indirectly-compatible", CompatibilityWhy: "Apache-2.0 into Apache-2.0", Policy: "allowed",
				Vulnerabilities: reports.InvVuln{Checked: true}, Project: "github.com/karmada-io/karmada"},
			{Name: "fastjson", Version: "1.2.24", Licence: "Apache-2.0", LicenceClass: "permissive", Systems: invUses("core-banking", "payments"),
				Direct: bp(true), Compatibility: "directly-compatible", CompatibilityWhy: "permissive", Policy: "allowed",
				Vulnerabilities: reports.InvVuln{Checked: true, Critical: 1, High: 1, KEV: 1, Fixable: 2}, Project: "github.com/alibaba/fastjson"},
			{Name: "mysql-connector-java", Version: "8.0.28", Licence: "GPL-2.0-only WITH Universal-FOSS-exception-1.0", LicenceClass: "strong-copyleft",
				Systems: invUses("payments"), Direct: bp(true), Compatibility: "compatible-with-conditions", CompatibilityWhy: "FOSS exception: keep the notice",
				Policy: "review", Vulnerabilities: reports.InvVuln{Checked: true, High: 1}},
			{Name: "itext", Version: "5.5.13", Licence: "AGPL-3.0-only", LicenceClass: "network-copyleft", Systems: invUses("portal"),
				Direct: bp(false), Compatibility: "needs-review", CompatibilityWhy: "no system licence stated", Policy: "review"},
			{Name: evilComponent, Version: "0.1", Licence: "SSPL-1.0", LicenceClass: "source-available", Systems: invUses("portal"),
				Direct: bp(true), Compatibility: "incompatible", CompatibilityWhy: "SSPL " + evilComponent, Policy: "banned",
				Vulnerabilities: reports.InvVuln{Checked: true, Critical: 2}},
			{Name: "leftpad", Version: "1.0.0", LicenceClass: "unknown", Systems: invUses("portal"), Policy: "allowed"},
		},
		Totals: reports.InvTotals{
			Systems: 3, Components: 6, References: 7, Direct: 3, Transitive: 2,
			ByClass: map[string]int{"permissive": 2, "strong-copyleft": 1, "network-copyleft": 1, "source-available": 1, "unknown": 1},
			ByCompatibility: map[string]int{"directly-compatible": 1, "indirectly-compatible": 1, "compatible-with-conditions": 1,
				"needs-review": 1, "incompatible": 1},
			ByPolicy:         map[string]int{"allowed": 3, "review": 2, "banned": 1},
			Vulnerable:       map[string]int{"critical": 2, "high": 1},
			KEVComponents:    1,
			Checked:          4,
			DeclaredProjects: 2, MappedProjects: 2, DeclaredFound: 1,
			Undercount: 3,
		},
		Attribution: "Compatibility from the OSADL matrix (CC-BY-4.0)",
	}
}

func supplyReport(t testing.TB, lang string) *reports.Report {
	r := sampleReport(t, lang)
	r.Inventory = supplyInventory()
	return r
}

// supplyData decodes the embedded component data (var S = {...};).
func supplyData(t *testing.T, doc *xhtml.Node) supplyJSON {
	t.Helper()
	js := scriptText(doc)
	i := strings.Index(js, "var S = ")
	if i < 0 {
		t.Fatal("no embedded supply data")
	}
	var d supplyJSON
	if err := json.NewDecoder(strings.NewReader(js[i+len("var S = "):])).Decode(&d); err != nil {
		t.Fatalf("supply data: %v", err)
	}
	return d
}

func TestSupplySection(t *testing.T) {
	for _, tc := range []struct{ lang, title, fromSBOM string }{
		{"en", "Supply chain", "(from the SBOM)"},
		{"zh", "供应链", "（来自 SBOM）"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			out := renderHTML(t, supplyReport(t, tc.lang))
			doc, _ := parse(t, out)
			sec := byID(doc, "supply")
			if sec == nil {
				t.Fatal("no supply section")
			}
			if h := elements(sec, "h2"); len(h) == 0 || text(h[0]) != tc.title {
				t.Errorf("section heading: want %q", tc.title)
			}
			var nav bool
			for _, a := range elements(doc, "a") {
				if h, _ := attr(a, "href"); h == "#supply" && text(a) == tc.title {
					nav = true
				}
			}
			if !nav {
				t.Errorf("no nav link to #supply named %q", tc.title)
			}
			// Key figures, by hand (see supplyInventory).
			for id, want := range map[string]string{
				"sup-systems": "3", "sup-components": "6", "sup-direct": "3", "sup-transitive": "2",
				"sup-declared": "2", "sup-discovered": "6", "sup-undercount": "×3",
				"sup-banned": "1", "sup-incompatible": "1", "sup-conditions": "1", "sup-kev": "1", "sup-critical": "2",
			} {
				n := byID(doc, id)
				if n == nil {
					t.Errorf("no key figure %s", id)
					continue
				}
				if got := text(n); got != want {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			// Systems table: the licence taken from the SBOM says so,
			// once (payments only).
			sys := byID(doc, "systable")
			if sys == nil {
				t.Fatal("no systems table")
			}
			if rows := elements(sys, "tr"); len(rows) != 4 {
				t.Errorf("systems table has %d rows, want header + 3", len(rows))
			}
			if got := strings.Count(text(sys), tc.fromSBOM); got != 1 {
				t.Errorf("systems table says %q %d times, want 1", tc.fromSBOM, got)
			}
			// The embedded data: 6 components, most risky first (the KEV one).
			d := supplyData(t, doc)
			if len(d.C) != 6 {
				t.Fatalf("embedded components: %d, want 6", len(d.C))
			}
			if d.C[0][0] != "fastjson" {
				t.Errorf("first component %v, want fastjson (known exploited)", d.C[0][0])
			}
			if len(d.Sys) != 3 {
				t.Errorf("embedded systems: %v", d.Sys)
			}
			// The charts are emitted with the others.
			cs := chartScript(doc)
			for _, id := range []string{"chart-supply-class", "chart-supply-compat", "chart-supply-severity"} {
				if byID(doc, id) == nil || !strings.Contains(cs, `"`+id+`"`) {
					t.Errorf("chart %s missing", id)
				}
			}
			// The first page is in the page: 6 rows, the project linked to
			// its detail anchor, fastjson (not a subject) named only.
			ct := byID(doc, "ctable")
			if ct == nil {
				t.Fatal("no component table")
			}
			if rows := elements(ct, "tr"); len(rows) != 7 {
				t.Errorf("component table has %d rows, want header + 6", len(rows))
			}
			var linked bool
			for _, a := range elements(ct, "a") {
				if h, _ := attr(a, "href"); strings.HasPrefix(h, "#p") && text(a) == "karmada" {
					linked = true
				}
			}
			if !linked {
				t.Error("karmada's project is not linked to its detail")
			}
			if byID(doc, "wsearch") == nil || byID(doc, "wresult") == nil {
				t.Error("no which-systems search")
			}
		})
	}
}

func TestSupplyEscaping(t *testing.T) {
	out := renderHTML(t, supplyReport(t, "en"))
	if strings.Contains(out, "<script>supply") {
		t.Error("raw <script> from the inventory in the page")
	}
	if got := strings.Count(out, "<script"); got != 2 {
		t.Errorf("%d <script elements, want 2 (ECharts and ours)", got)
	}
	doc, vis := parse(t, out)
	if !strings.Contains(vis, evilComponent) {
		t.Error("the component's name is not shown as text")
	}
	d := supplyData(t, doc)
	var found bool
	for _, c := range d.C {
		found = found || c[0] == evilComponent
	}
	if !found {
		t.Error("the component's name does not round-trip through the data")
	}
}

func TestSupplyAbsent(t *testing.T) {
	out := renderHTML(t, sampleReport(t, "en"))
	doc, _ := parse(t, out)
	if byID(doc, "supply") != nil || strings.Contains(out, `href="#supply"`) {
		t.Error("supply section without an inventory")
	}
	if !strings.Contains(scriptText(doc), "var S = null") {
		t.Error("supply data should be null without an inventory")
	}
}

// largeInventory is n components in systems systems, each run by one to
// three systems, a tenth with vulnerabilities.
func largeInventory(n, systems int) *reports.Inventory {
	inv := &reports.Inventory{Totals: reports.InvTotals{Systems: systems, Components: n, DeclaredProjects: 150,
		ByClass: map[string]int{}, ByCompatibility: map[string]int{}, ByPolicy: map[string]int{}, Vulnerable: map[string]int{}}}
	for s := 0; s < systems; s++ {
		inv.Systems = append(inv.Systems, reports.InvSystem{Name: fmt.Sprintf("system-%03d", s), Licence: "Apache-2.0",
			LicenceSource: "sbom", Use: "internal", Format: "cyclonedx"})
	}
	classes := []string{"permissive", "permissive", "permissive", "weak-copyleft", "strong-copyleft", "unknown"}
	policies := []string{"allowed", "allowed", "allowed", "review", "banned"}
	for i := 0; i < n; i++ {
		c := reports.InvComponent{Name: fmt.Sprintf("org.example.group%d:artifact-%d", i%500, i), Version: fmt.Sprintf("1.%d.%d", i%30, i%7),
			Licence: "Apache-2.0", LicenceClass: classes[i%len(classes)], Direct: bp(i%4 == 0),
			Compatibility: compatOrder[i%len(compatOrder)], CompatibilityWhy: "why " + compatOrder[i%len(compatOrder)],
			Policy: policies[i%len(policies)], Vulnerabilities: reports.InvVuln{Checked: true}}
		for k := 0; k <= i%3; k++ {
			c.Systems = append(c.Systems, reports.InvUse{System: inv.Systems[(i*7+k*13)%systems].Name})
		}
		if i%10 == 0 {
			c.Vulnerabilities.High, c.Vulnerabilities.Medium = 1, 2
			if i%100 == 0 {
				c.Vulnerabilities.Critical, c.Vulnerabilities.KEV = 1, 1
			}
		}
		inv.Components = append(inv.Components, c)
		inv.Totals.ByClass[c.LicenceClass]++
		inv.Totals.ByCompatibility[c.Compatibility]++
		inv.Totals.ByPolicy[c.Policy]++
	}
	inv.Totals.Undercount = float64(n) / 150
	return inv
}

// BenchmarkSupplyLarge renders 50,000 components in 200 systems.
func BenchmarkSupplyLarge(b *testing.B) {
	r := sampleReport(b, "en")
	r.Inventory = largeInventory(50000, 200)
	benchWrite(b, r)
}

// invUses lists systems using a component, by name only.
func invUses(names ...string) []reports.InvUse {
	out := make([]reports.InvUse, len(names))
	for i, n := range names {
		out[i] = reports.InvUse{System: n}
	}
	return out
}
