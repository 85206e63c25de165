package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const invPayments = `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "payments"}},
  "components": [
    {"type": "library", "bom-ref": "fj", "name": "fastjson", "version": "1.2.24", "purl": "pkg:maven/com.alibaba/fastjson@1.2.24",
     "licenses": [{"license": {"id": "Apache-2.0"}}], "externalReferences": [{"type": "vcs", "url": "https://github.com/alibaba/fastjson"}],
     "components": [{"type": "library", "bom-ref": "x", "name": "=cmd", "version": "1", "purl": "pkg:npm/%3Dcmd@1", "licenses": [{"license": {"id": "GPL-2.0-only"}}]}]},
    {"type": "library", "bom-ref": "es", "name": "elasticsearch", "version": "7.11.0", "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.11.0",
     "licenses": [{"expression": "SSPL-1.0 OR Elastic-2.0"}]}
  ],
  "dependencies": [{"ref": "app", "dependsOn": ["fj", "es"]}]}`

const invTeller = `<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1">
  <components>
    <component type="library"><name>fastjson</name><version>1.2.24</version><purl>pkg:maven/com.alibaba/fastjson@1.2.24</purl></component>
  </components>
</bom>`

func runInventory(t *testing.T, cfg string, args ...string) (string, error) {
	t.Helper()
	cmd := newInventory(&globals{configPath: cfg})
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func TestCollectSBOMAndInventory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "payments.cdx.json"), []byte(invPayments), 0o644)
	os.WriteFile(filepath.Join(dir, "teller.cdx.xml"), []byte(invTeller), 0o644)
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`
institution: {name: Example Bank}
projects:
  - {name: fastjson, repo: https://github.com/alibaba/fastjson}
sboms:
  - {system: payments, path: payments.cdx.json, licence: Apache-2.0, use: distributed}
  - {system: teller, path: teller.cdx.xml}
osv: {api_url: "off"}
`), 0o644)
	out, err := runCLI(t, "--config", cfg, "collect", "--only", "sbom")
	if err != nil {
		t.Fatalf("collect: %v\n%s", err, out)
	}
	out, err = runInventory(t, cfg, "--export", filepath.Join(dir, "inv.json"))
	if err != nil {
		t.Fatal(err)
	}
	// payments: fastjson (direct), =cmd (nested: transitive),
	// elasticsearch (direct); teller: fastjson (no graph: unknown).
	// 4 references, 3 distinct components; by component, fastjson is
	// direct (in payments), =cmd only transitive, none unstated.
	for _, want := range []string{
		"2 systems; 3 components (distinct versions; 3 packages), used in 4 references (one system's use of one component)",
		"depth (components): 2 direct in some system, 1 only transitive, 0 not stated; (references): 2 direct, 1 transitive, 1 not stated",
		// teller gives no licence: the institution's default.
		"proprietary (the institution's default)",
		"declared in the config: 1 projects (1 of them found in the SBOMs); discovered in the SBOMs: 3 packages",
		"by ecosystem (components): maven 2, npm 1",
		"by licence class (components): permissive 1, strong-copyleft 1, source-available 1",
		// Per component, the worst over its systems. fastjson: payments
		// (Apache-2.0, distributed) Same → directly; teller (proprietary by
		// default, internal: nothing conveyed) → directly. =cmd: GPL-2.0-only
		// distributed in Apache-2.0 → No → incompatible. elasticsearch:
		// SSPL-1.0 OR Elastic-2.0, the better branch (Elastic-2.0,
		// distributed, not in the OSADL matrix) needs review.
		"compatibility with each system's licence and use (components, the worst over their systems): directly-compatible 1, needs-review 1, incompatible 1",
		// distributed: permissive allowed, strong copyleft review,
		// source-available banned; fastjson also allowed in teller.
		"licence policy (components, the worst over their systems): allowed 1, review 1, banned 1",
		"OSADL",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("inventory lacks %q:\n%s", want, out)
		}
	}
	var inv Inventory
	data, _ := os.ReadFile(filepath.Join(dir, "inv.json"))
	if err := json.Unmarshal(data, &inv); err != nil || inv.Components != 3 || inv.References != 4 || inv.ByPolicy["banned"] != 1 {
		t.Errorf("export: %+v %v", inv, err)
	}
	out, err = runInventory(t, cfg, "--component", "fastjson@1.2.24")
	if err != nil || !strings.Contains(out, "payments") || !strings.Contains(out, "teller") {
		t.Errorf("which systems run fastjson 1.2.24?\n%s %v", out, err)
	}
	// CSV: text from SBOMs cannot start a formula.
	if _, err := runInventory(t, cfg, "--export", filepath.Join(dir, "inv.csv")); err != nil {
		t.Fatal(err)
	}
	csvData, _ := os.ReadFile(filepath.Join(dir, "inv.csv"))
	if !strings.Contains(string(csvData), ",'=cmd,") || strings.Contains(string(csvData), ",=cmd,") {
		t.Errorf("csv:\n%s", csvData)
	}

	// A malformed SBOM: collect names it and fails; nothing of it is stored.
	os.WriteFile(filepath.Join(dir, "teller.cdx.xml"), []byte("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components>\n"), 0o644)
	out, err = runCLI(t, "--config", cfg, "collect", "--only", "sbom", "--lang", "en")
	if err == nil || !strings.Contains(out, "FAILED sbom for the whole run: sbom import: system teller: "+filepath.Join(dir, "teller.cdx.xml")+": cyclonedx-xml") {
		t.Errorf("malformed: %v\n%s", err, out)
	}
	out, _ = runInventory(t, cfg)
	if !strings.Contains(out, "in 4 references") {
		t.Errorf("the malformed file changed the inventory:\n%s", out)
	}
}

// A portfolio of SBOMs alone (no institution, no projects) is imported and
// reported; the systems' licences come from the SBOMs themselves
// (CycloneDX metadata.component.licenses, SPDX's described package), and
// the compatibility is judged against them.
func TestSBOMOnlyConfig(t *testing.T) {
	dir := t.TempDir()
	cdx := `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "gateway", "licenses": [{"license": {"id": "Apache-2.0"}}]}},
  "components": [
    {"type": "library", "bom-ref": "m", "name": "mpl-lib", "version": "1", "purl": "pkg:golang/example.com/mpl-lib@v1", "licenses": [{"license": {"id": "MPL-2.0"}}],
     "externalReferences": [{"type": "vcs", "url": "https://github.com/example/mpl-lib"}]},
    {"type": "library", "bom-ref": "g", "name": "gpl-lib", "version": "1", "purl": "pkg:golang/example.com/gpl-lib@v1", "licenses": [{"license": {"id": "GPL-2.0-only"}}]}
  ],
  "dependencies": [{"ref": "app", "dependsOn": ["m", "g"]}]}`
	spdx := `{"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "ledger",
  "documentNamespace": "https://example.com/ledger", "creationInfo": {"created": "2026-11-01T00:00:00Z", "creators": ["Tool: test"]},
  "documentDescribes": ["SPDXRef-ledger"],
  "packages": [
    {"SPDXID": "SPDXRef-ledger", "name": "ledger", "downloadLocation": "NOASSERTION", "licenseDeclared": "MIT"},
    {"SPDXID": "SPDXRef-ssp", "name": "mongo-thing", "versionInfo": "4.0", "downloadLocation": "NOASSERTION", "licenseDeclared": "SSPL-1.0",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/mongo-thing@4.0"}]}
  ],
  "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-ledger"},
    {"spdxElementId": "SPDXRef-ledger", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-ssp"}]}`
	os.WriteFile(filepath.Join(dir, "gateway.cdx.json"), []byte(cdx), 0o644)
	os.WriteFile(filepath.Join(dir, "ledger.spdx.json"), []byte(spdx), 0o644)
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`
sboms:
  - {system: gateway, path: gateway.cdx.json, use: distributed}
  - {system: ledger, path: ledger.spdx.json, use: distributed}
osv: {api_url: "off"}
clones: {enabled: false}  # the discovered project's clone is not what this test is about (no network)
`), 0o644)
	out, err := runCLI(t, "--config", cfg, "collect")
	if err != nil {
		t.Fatalf("collect: %v\n%s", err, out)
	}
	out, err = runInventory(t, cfg, "--export", filepath.Join(dir, "inv.json"))
	if err != nil {
		t.Fatalf("inventory: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Apache-2.0 (from the SBOM)") || !strings.Contains(out, "MIT (from the SBOM)") {
		t.Errorf("system licences not taken from the SBOMs:\n%s", out)
	}
	var inv Inventory
	data, _ := os.ReadFile(filepath.Join(dir, "inv.json"))
	if err := json.Unmarshal(data, &inv); err != nil {
		t.Fatal(err)
	}
	// 3 components: MPL-2.0 in Apache-2.0 with conditions, GPL-2.0-only in
	// Apache-2.0 incompatible, SSPL-1.0 distributed in MIT incompatible
	// (SSPL §13 and its GPL-3.0-like conveying terms: the whole work would
	// have to be SSPL).
	want := map[string]int{"compatible-with-conditions": 1, "incompatible": 2}
	for k, v := range want {
		if inv.ByCompatibility[k] != v {
			t.Errorf("by compatibility %v, want %v", inv.ByCompatibility, want)
			break
		}
	}
	if inv.ByClass["source-available"] != 1 || inv.ByPolicy["review"] < 1 {
		t.Errorf("SSPL: classes %v, policy %v", inv.ByClass, inv.ByPolicy)
	}

	// The board pack's JSON carries the supply chain.
	out, err = runCLI(t, "--config", cfg, "run", "--out", filepath.Join(dir, "out"), "--lang", "en")
	if err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	// The direct component with a repository is assessed as a project.
	if !strings.Contains(out, "discovered in the SBOMs: 1 projects to assess (inventory.assess: direct)") {
		t.Errorf("run does not say what it discovered:\n%s", out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "out", "osgauge-*.json"))
	if len(files) != 1 {
		t.Fatalf("report files %v", files)
	}
	data, _ = os.ReadFile(files[0])
	var doc struct {
		Subjects []struct {
			Kind, ID string
			Results  []struct{ Model string }
		}
		Inventory struct {
			Systems []struct {
				Name, Licence string
				Source        string `json:"licence_source"`
			}
			Components []struct {
				Name          string
				Licence       string
				Class         string `json:"licence_class"`
				Direct        *bool
				Compatibility string
				Policy        string
				Project       string
			}
			Totals struct {
				Components      int
				ByCompatibility map[string]int `json:"by_compatibility"`
				Declared        int            `json:"declared_projects"`
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	iv := doc.Inventory
	if len(iv.Systems) != 2 || iv.Systems[0].Name != "gateway" || iv.Systems[0].Licence != "Apache-2.0" || iv.Systems[0].Source != "sbom" {
		t.Errorf("systems %+v", iv.Systems)
	}
	// 3 components; none declared as a project.
	if iv.Totals.Components != 3 || iv.Totals.Declared != 0 || iv.Totals.ByCompatibility["compatible-with-conditions"] != 1 {
		t.Errorf("totals %+v", iv.Totals)
	}
	assessed := false
	for _, sr := range doc.Subjects {
		if sr.Kind == "project" && sr.ID == "example.com/mpl-lib" && len(sr.Results) == 1 && sr.Results[0].Model == "project-health" {
			assessed = true
		}
	}
	if !assessed {
		t.Errorf("the discovered project is not assessed: %+v", doc.Subjects)
	}
	byName := map[string]string{}
	for _, c := range iv.Components {
		if c.Direct == nil || !*c.Direct {
			t.Errorf("%s: direct = %v, want true (the root depends on it)", c.Name, c.Direct)
		}
		byName[c.Licence] = c.Class + " " + c.Compatibility
		if c.Licence == "MPL-2.0" && c.Project != "example.com/mpl-lib" {
			t.Errorf("the MPL component does not link to its project: %q", c.Project)
		}
	}
	for lic, want := range map[string]string{
		"MPL-2.0":      "weak-copyleft compatible-with-conditions",
		"GPL-2.0-only": "strong-copyleft incompatible",
		"SSPL-1.0":     "source-available incompatible",
	} {
		if byName[lic] != want {
			t.Errorf("%s: %q, want %q", lic, byName[lic], want)
		}
	}
}

// Scoped npm packages are packages of their own, found by name, by the
// package URL the inventory prints (its scope written %40) and by the
// one a user types (@ unencoded).
func TestScopedNPMComponents(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "web.cdx.json"), []byte(`{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "components": [
    {"type": "library", "name": "core", "group": "@babel", "version": "7.0.0", "purl": "pkg:npm/%40babel/core@7.0.0", "licenses": [{"license": {"id": "MIT"}}]},
    {"type": "library", "name": "parser", "group": "@babel", "version": "7.0.0", "purl": "pkg:npm/@babel/parser@7.0.0", "licenses": [{"license": {"id": "MIT"}}]},
    {"type": "library", "name": "core", "version": "1.0.0", "purl": "pkg:npm/core@1.0.0", "licenses": [{"license": {"id": "MIT"}}]}]}`), 0o644)
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte("sboms:\n  - {system: web, path: web.cdx.json, use: distributed}\nosv: {api_url: \"off\"}\n"), 0o644)
	if out, err := runCLI(t, "--config", cfg, "collect", "--only", "sbom"); err != nil {
		t.Fatalf("collect: %v\n%s", err, out)
	}
	out, err := runInventory(t, cfg)
	// @babel/core, @babel/parser and the unscoped core: 3 packages.
	if err != nil || !strings.Contains(out, "3 components (distinct versions; 3 packages)") {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, q := range []string{"@babel/core", "@babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0", "pkg:npm/@babel/core", "pkg:npm/%40babel/core"} {
		out, err := runInventory(t, cfg, "--component", q)
		if err != nil || !strings.Contains(out, "pkg:npm/%40babel/core@7.0.0") || strings.Contains(out, "parser") || strings.Contains(out, "pkg:npm/core@") {
			t.Errorf("--component %s: %v\n%s", q, err, out)
		}
	}
}
