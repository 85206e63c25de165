package sbom

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// payments: CycloneDX JSON with a dependency graph and a nested component.
const paymentsCDX = `{
  "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
  "metadata": {"component": {"type": "application", "bom-ref": "app", "name": "payments", "version": "3.1"}},
  "components": [
    {"type": "library", "bom-ref": "fj", "group": "com.alibaba", "name": "fastjson", "version": "1.2.24",
     "purl": "pkg:maven/com.alibaba/fastjson@1.2.24",
     "supplier": {"name": "Alibaba"},
     "hashes": [{"alg": "SHA-256", "content": "ABCDEF01"}],
     "licenses": [{"license": {"id": "Apache-2.0"}}],
     "externalReferences": [{"type": "vcs", "url": "https://github.com/alibaba/fastjson.git"}]},
    {"type": "library", "bom-ref": "sc", "group": "org.springframework", "name": "spring-core", "version": "5.3.0",
     "purl": "pkg:maven/org.springframework/spring-core@5.3.0",
     "licenses": [{"expression": "Apache-2.0"}],
     "components": [
       {"type": "library", "bom-ref": "jcl", "group": "org.springframework", "name": "spring-jcl", "version": "5.3.0",
        "purl": "pkg:maven/org.springframework/spring-jcl@5.3.0", "licenses": [{"license": {"name": "The Apache Software License, Version 2.0"}}]}
     ]},
    {"type": "library", "bom-ref": "es", "group": "org.elasticsearch", "name": "elasticsearch", "version": "7.10.2",
     "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.10.2", "licenses": [{"license": {"id": "Apache-2.0"}}],
     "externalReferences": [{"type": "vcs", "url": "https://github.com/elastic/elasticsearch"}]}
  ],
  "dependencies": [
    {"ref": "app", "dependsOn": ["fj", "sc", "es"]},
    {"ref": "sc", "dependsOn": ["jcl"]}
  ]
}`

// teller: CycloneDX XML, no dependency graph, fastjson 1.2.24 again.
const tellerCDX = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata><component type="application" bom-ref="teller"><name>teller</name></component></metadata>
  <components>
    <component type="library" bom-ref="fj">
      <group>com.alibaba</group><name>fastjson</name><version>1.2.24</version>
      <licenses><license><id>Apache-2.0</id></license></licenses>
      <purl>pkg:maven/com.alibaba/fastjson@1.2.24</purl>
    </component>
    <component type="library" bom-ref="log4j">
      <group>org.apache.logging.log4j</group><name>log4j-core</name><version>2.14.1</version>
      <licenses><expression>Apache-2.0</expression></licenses>
      <purl>pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1</purl>
      <components>
        <component type="library" bom-ref="log4j-api">
          <group>org.apache.logging.log4j</group><name>log4j-api</name><version>2.14.1</version>
          <purl>pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1</purl>
        </component>
      </components>
    </component>
  </components>
</bom>`

// portal: SPDX JSON.
const portalSPDX = `{
  "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "portal",
  "documentNamespace": "https://example.com/portal", "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: test"]},
  "packages": [
    {"name": "portal", "SPDXID": "SPDXRef-portal", "versionInfo": "2.0", "downloadLocation": "NOASSERTION", "filesAnalyzed": false},
    {"name": "lodash", "SPDXID": "SPDXRef-lodash", "versionInfo": "4.17.20", "downloadLocation": "git+https://github.com/lodash/lodash.git",
     "filesAnalyzed": false, "licenseConcluded": "NOASSERTION", "licenseDeclared": "MIT", "supplier": "Organization: OpenJS",
     "checksums": [{"algorithm": "SHA256", "checksumValue": "0123abcd"}],
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/lodash@4.17.20"}]},
    {"name": "fastjson", "SPDXID": "SPDXRef-fj", "versionInfo": "1.2.83", "downloadLocation": "NOASSERTION", "filesAnalyzed": false,
     "licenseDeclared": "Apache-2.0",
     "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:maven/com.alibaba/fastjson@1.2.83"}]}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-portal"},
    {"spdxElementId": "SPDXRef-portal", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-lodash"},
    {"spdxElementId": "SPDXRef-lodash", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-fj"}
  ]
}`

// batch: SPDX tag-value.
const batchSPDX = `SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: batch
DocumentNamespace: https://example.com/batch
Creator: Tool: test
Created: 2026-01-01T00:00:00Z

PackageName: batch
SPDXID: SPDXRef-batch
PackageVersion: 1.0
PackageDownloadLocation: NOASSERTION
FilesAnalyzed: false

PackageName: jackson-databind
SPDXID: SPDXRef-jackson
PackageVersion: 2.9.8
PackageSupplier: Organization: FasterXML
PackageDownloadLocation: git+https://github.com/FasterXML/jackson-databind.git
FilesAnalyzed: false
PackageChecksum: SHA1: 85cfc3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: Apache-2.0 AND GPL-2.0-only
ExternalRef: PACKAGE-MANAGER purl pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-batch
Relationship: SPDXRef-batch DEPENDS_ON SPDXRef-jackson
`

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestParseFormats(t *testing.T) {
	cases := []struct {
		name, body, format, root string
		want                     []string // key relation licence
	}{
		{"p.cdx.json", paymentsCDX, CycloneDXJSON, "payments", []string{
			"pkg:maven/com.alibaba/fastjson@1.2.24 direct Apache-2.0",
			"pkg:maven/org.springframework/spring-core@5.3.0 direct Apache-2.0",
			"pkg:maven/org.springframework/spring-jcl@5.3.0 transitive The Apache Software License, Version 2.0",
			"pkg:maven/org.elasticsearch/elasticsearch@7.10.2 direct Apache-2.0"}},
		// No graph: top level unknown, nested transitive.
		{"t.cdx.xml", tellerCDX, CycloneDXXML, "teller", []string{
			"pkg:maven/com.alibaba/fastjson@1.2.24 unknown Apache-2.0",
			"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1 unknown Apache-2.0",
			"pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1 transitive "}},
		{"p.spdx.json", portalSPDX, SPDXJSON, "portal", []string{
			"pkg:maven/com.alibaba/fastjson@1.2.83 transitive Apache-2.0",
			"pkg:npm/lodash@4.17.20 direct MIT"}},
		{"b.spdx", batchSPDX, SPDXTagValue, "batch", []string{
			"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.8 direct Apache-2.0 AND GPL-2.0-only"}},
	}
	for _, c := range cases {
		doc, err := Parse(c.name, []byte(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if doc.Format != c.format || doc.Root != c.root {
			t.Errorf("%s: format %s root %s", c.name, doc.Format, doc.Root)
		}
		var got []string
		for _, x := range doc.Components {
			got = append(got, x.Key+" "+x.Relation+" "+x.License)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	doc, _ := Parse("p.cdx.json", []byte(paymentsCDX))
	fj := doc.Components[0]
	if fj.Supplier != "Alibaba" || fj.Hashes[0] != "SHA-256:abcdef01" || fj.Repo != "https://github.com/alibaba/fastjson" || fj.Ecosystem != "maven" {
		t.Errorf("fastjson = %+v", fj)
	}
	b, _ := Parse("b.spdx", []byte(batchSPDX))
	j := b.Components[0]
	if j.Supplier != "FasterXML" || j.Hashes[0] != "SHA-1:85cfc3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0" || j.Repo != "https://github.com/FasterXML/jackson-databind" {
		t.Errorf("jackson = %+v", j)
	}
}

func TestMalformedNamesFileAndLine(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"bad.json", "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [ {\"name\": \"x\",, } ]\n}", "bad.json: not valid JSON: line 3"},
		{"bad.xml", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">\n<components>\n<component><name>x</name>\n</bom>", "bad.xml: cyclonedx-xml: line 4"},
		{"odd.json", `{"hello": 1}`, "odd.json: JSON without bomFormat"},
		{"empty.json", "  ", "empty.json: empty file"},
		{"noname.json", `{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{"type": "library", "bom-ref": "a", "version": "1"}]}`, "noname.json: cyclonedx-json: component 1 (ref \"a\") has no name"},
		{"x.txt", "hello", "x.txt: not a CycloneDX (JSON, XML) or SPDX"},
	}
	for _, c := range cases {
		if _, err := Parse(c.name, []byte(c.body)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
}

func collectAll(t *testing.T, c *Collector, targets ...collectors.Target) (map[string]map[string]models.Observation, []error) {
	t.Helper()
	out := map[string]map[string]models.Observation{}
	var errs []error
	for _, tg := range targets {
		if ok, _ := c.Applies(tg); !ok {
			continue
		}
		obs, _, err := c.Collect(context.Background(), tg)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, o := range obs {
			if out[o.SubjectID] == nil {
				out[o.SubjectID] = map[string]models.Observation{}
			}
			out[o.SubjectID][o.Metric] = o
		}
	}
	return out, errs
}

var (
	inst    = collectors.Target{Subject: models.Subject{Kind: models.KindInstitution, ID: "institution/bank"}}
	esProj  = collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/elastic/elasticsearch"}}
	fjProj  = collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/alibaba/fastjson"}}
	jacProj = collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/FasterXML/jackson-databind"}}
)

func TestImportInventoryAndLicences(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t)
	systems := []System{
		{Name: "payments", Path: write(t, dir, "payments.cdx.json", paymentsCDX), Licence: "Apache-2.0", Use: licenses.UseDistributed},
		{Name: "teller", Path: write(t, dir, "teller.cdx.xml", tellerCDX), Use: licenses.UseInternal},
		{Name: "portal", Path: write(t, dir, "portal.spdx.json", portalSPDX), Licence: "MIT", Use: licenses.UseSaaS},
		{Name: "batch", Path: write(t, dir, "batch.spdx", batchSPDX), Licence: "Apache-2.0", Use: licenses.UseDistributed},
		{Name: "broken", Path: write(t, dir, "broken.cdx.json", "{\"bomFormat\": \"CycloneDX\",\n \"components\": [\n}"), Use: licenses.UseInternal},
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	// portal's fastjson names no repository: the config's mapping table does.
	repos := map[string]string{"pkg:maven/com.alibaba/fastjson": "https://github.com/alibaba/fastjson"}
	c := New(Options{Systems: systems, Store: st, Repos: repos, HasInstitution: true, Now: func() time.Time { return now }})
	got, errs := collectAll(t, c, inst, fjProj, esProj, jacProj)
	// The malformed file is refused, named, reported once (on the
	// institution), and nothing of it is stored; the others are imported.
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "system broken: "+systems[4].Path+": not valid JSON: line 3") {
		t.Fatalf("errs = %v", errs)
	}
	snaps, _ := st.CurrentSnapshots(ctx)
	if len(snaps) != 4 {
		t.Fatalf("snapshots = %+v", snaps)
	}
	// Components: payments 4 + teller 3 + portal 2 + batch 1 = 10
	// references; fastjson 1.2.24 is in payments and teller, so 9 distinct.
	rows, _ := st.CurrentInventory(ctx)
	distinct := map[string]bool{}
	for _, r := range rows {
		distinct[r.Key] = true
	}
	if len(rows) != 10 || len(distinct) != 9 {
		t.Errorf("references %d, distinct %d; want 10, 9", len(rows), len(distinct))
	}
	// Which systems run fastjson 1.2.24?
	for _, q := range []string{"fastjson", "com.alibaba/fastjson", "pkg:maven/com.alibaba/fastjson"} {
		run, err := st.SystemsRunning(ctx, q, "1.2.24")
		if err != nil || len(run) != 2 || run[0].System != "payments" || run[1].System != "teller" {
			t.Errorf("SystemsRunning(%s, 1.2.24) = %+v %v", q, run, err)
		}
	}
	if all, _ := st.SystemsRunning(ctx, "fastjson", ""); len(all) != 3 { // + portal's 1.2.83
		t.Errorf("fastjson any version: %d systems", len(all))
	}

	// The institution has no institution-level facts on a failed import
	// (the error was returned instead); run again with the broken system
	// dropped: nothing changed, so nothing is imported twice.
	c2 := New(Options{Systems: systems[:4], Store: st, Repos: repos, HasInstitution: true, Now: func() time.Time { return now }})
	got, errs = collectAll(t, c2, inst, fjProj, esProj, jacProj)
	if len(errs) != 0 || c2.Stats.Unchanged != 4 || c2.Stats.Imported != 0 {
		t.Fatalf("errs %v stats %+v", errs, c2.Stats)
	}
	in := got["institution/bank"]
	// direct: payments fastjson, spring-core, elasticsearch (3) + portal
	// lodash (1) + batch jackson (1) = 5; transitive: spring-jcl,
	// log4j-api, portal fastjson = 3; unknown: teller's two top-level = 2.
	checks := map[string]float64{"sbom.systems": 4, "sbom.components": 9, "sbom.references": 10, "sbom.direct": 5, "sbom.transitive": 3,
		// banned: jackson (Apache-2.0 AND GPL-2.0-only: strong copyleft,
		// distributed → review by default)… none banned; review: jackson
		// (strong copyleft, distributed) and log4j-api (no licence, unknown → review) = 2.
		"sbom.banned_components": 0, "sbom.review_components": 2,
		// incompatible: jackson in batch (GPL-2.0-only into Apache-2.0: "No") = 1.
		"sbom.incompatible_components": 1}
	for m, want := range checks {
		if o := in[m]; o.Value == nil || *o.Value != want {
			t.Errorf("%s = %v, want %v", m, o.Value, want)
		}
	}
	fj := got["github.com/alibaba/fastjson"]
	// fastjson: payments (Apache-2.0 in Apache-2.0, distributed: OSADL
	// "Same" → directly); portal (saas: nothing is conveyed, so the
	// matrix is not asked → directly); teller states no licence, so it is
	// judged under the institution's default (proprietary), in internal
	// use: nothing conveyed → directly.
	if fj["license.compatibility"].Text != licenses.DirectlyCompatible || fj["license.policy"].Text != licenses.Allowed || *fj["sbom.systems_using"].Value != 3 {
		t.Errorf("fastjson: %+v", fj)
	}
	if ev := fj["license.compatibility"].Evidence; !strings.Contains(ev, "portal (saas, MIT): fastjson 1.2.83 Apache-2.0 [permissive] → directly-compatible; Apache-2.0: SaaS: nothing is conveyed") ||
		!strings.Contains(ev, "payments (distributed, Apache-2.0): fastjson 1.2.24 Apache-2.0 [permissive] → directly-compatible; OSADL: Apache-2.0 in Apache-2.0: Same") ||
		!strings.Contains(ev, "teller (internal): fastjson 1.2.24 Apache-2.0 [permissive] [system licence not given: proprietary, the institution's default] → directly-compatible") {
		t.Errorf("evidence: %s", fj["license.compatibility"].Evidence)
	}
	if r := fj["license.relicensed_12m"]; r.Value == nil || *r.Value != 0 {
		t.Errorf("fastjson relicensed: %+v", r)
	}
	jac := got["github.com/FasterXML/jackson-databind"]
	if jac["license.compatibility"].Text != licenses.Incompatible || jac["license.policy"].Text != licenses.Review {
		t.Errorf("jackson: %+v", jac)
	}
	// The class in use: fastjson is Apache-2.0 (permissive) in payments
	// (distributed), teller (internal) and portal (saas): the most
	// obligating use is payments' → "permissive:distributed". Jackson
	// (Apache-2.0 AND GPL-2.0-only → strong copyleft) is in batch,
	// distributed: "strong-copyleft:distributed".
	if got := jac["license.class_in_use"].Text; got != "strong-copyleft:distributed" {
		t.Errorf("jackson class in use %q", got)
	}
	if got := fj["license.class_in_use"].Text; got != "permissive:distributed" {
		t.Errorf("fastjson class in use %q, want permissive:distributed", got)
	}
}

// Elasticsearch moved from Apache-2.0 to SSPL-1.0 OR Elastic-2.0 (7.11):
// the second snapshot of the system shows it, and the project gets a
// relicensing count of 1 with both licences in the evidence.
func TestRelicensingBetweenSnapshots(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t)
	path := write(t, dir, "search.cdx.json", paymentsCDX)
	sys := []System{{Name: "search", Path: path, Licence: "Apache-2.0", Use: licenses.UseDistributed}}
	t1 := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	c := New(Options{Systems: sys, Store: st, Now: func() time.Time { return t1 }})
	got, errs := collectAll(t, c, esProj)
	if len(errs) > 0 || *got[esProj.Subject.ID]["license.relicensed_12m"].Value != 0 || got[esProj.Subject.ID]["license.policy"].Text != licenses.Allowed {
		t.Fatalf("first snapshot: %+v %v", got, errs)
	}
	upgraded := strings.Replace(paymentsCDX, `"version": "7.10.2",
     "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.10.2", "licenses": [{"license": {"id": "Apache-2.0"}}]`,
		`"version": "7.11.0",
     "purl": "pkg:maven/org.elasticsearch/elasticsearch@7.11.0", "licenses": [{"expression": "SSPL-1.0 OR Elastic-2.0"}]`, 1)
	if upgraded == paymentsCDX {
		t.Fatal("fixture not changed")
	}
	write(t, dir, "search.cdx.json", upgraded)
	t2 := t1.AddDate(0, 3, 0)
	c = New(Options{Systems: sys, Store: st, Now: func() time.Time { return t2 }})
	got, errs = collectAll(t, c, esProj)
	es := got[esProj.Subject.ID]
	if len(errs) > 0 || es["license.relicensed_12m"].Value == nil || *es["license.relicensed_12m"].Value != 1 {
		t.Fatalf("second snapshot: %+v %v", es, errs)
	}
	ev := es["license.relicensed_12m"].Evidence
	// Apache-2.0 (permissive) → SSPL or Elastic (source-available either
	// way): more restrictive, so it counts.
	if !strings.Contains(ev, "Apache-2.0 → SSPL-1.0 OR Elastic-2.0 (SBOM of search: elasticsearch 7.10.2 → 7.11.0, 2026-04-10; more-restrictive)") {
		t.Errorf("evidence = %s", ev)
	}
	// Source-available in a distributed system: banned by the default
	// policy; neither SSPL nor Elastic is in the OSADL matrix: review.
	if es["license.policy"].Text != licenses.Banned || es["license.compatibility"].Text != licenses.NeedsReview {
		t.Errorf("after relicensing: %+v", es)
	}
	// A year later the change has aged out of the window.
	t3 := t2.AddDate(1, 0, 1)
	c = New(Options{Systems: sys, Store: st, Now: func() time.Time { return t3 }})
	got, _ = collectAll(t, c, esProj)
	if v := got[esProj.Subject.ID]["license.relicensed_12m"].Value; v == nil || *v != 0 {
		t.Errorf("after 12 months: %v", v)
	}
	hist, _ := st.Snapshots(context.Background())
	if len(hist) != 2 {
		t.Errorf("history keeps %d snapshots, want 2 (the unchanged third run adds none)", len(hist))
	}
}

func TestPURL(t *testing.T) {
	cases := map[string]string{
		"pkg:maven/com.alibaba/fastjson@1.2.24?type=jar": "pkg:maven/com.alibaba/fastjson@1.2.24|com.alibaba:fastjson",
		"pkg:npm/%40angular/core@12.0.0":                 "pkg:npm/%40angular/core@12.0.0|@angular/core",
		"pkg:npm/@angular/core@12.0.0":                   "pkg:npm/%40angular/core@12.0.0|@angular/core",
		"pkg:golang/github.com/spf13/cobra@v1.10.2":      "pkg:golang/github.com/spf13/cobra@v1.10.2|github.com/spf13/cobra",
		"pkg:pypi/Django_Rest@3.0":                       "pkg:pypi/django-rest@3.0|django-rest",
		"pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=x": "pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=x|debian/openssl",
	}
	for in, want := range cases {
		p, ok := ParsePURL(in)
		if got := p.Key() + "|" + p.FullName(); !ok || got != want {
			t.Errorf("ParsePURL(%s) = %s, want %s", in, got, want)
		}
	}
	if _, ok := ParsePURL("maven:com.alibaba:fastjson"); ok {
		t.Error("not a purl")
	}
	p, _ := ParsePURL("pkg:golang/github.com/go-git/go-git/v5@v5.19.3")
	if r := repoFromPURL(p); r != "https://github.com/go-git/go-git" {
		t.Errorf("repo = %s", r)
	}
	for in, want := range map[string]string{
		"git+https://github.com/lodash/lodash.git": "https://github.com/lodash/lodash",
		"git@github.com:a/b.git":                   "https://github.com/a/b",
		"https://github.com/a/b/tree/main/sub":     "https://github.com/a/b",
		"NOASSERTION":                              "",
	} {
		if got := cleanRepo(in); got != want {
			t.Errorf("cleanRepo(%s) = %s, want %s", in, got, want)
		}
	}
}

// A component whose declared licence changes while its version does not
// was read differently (another SBOM tool), not relicensed.
func TestSameVersionNewLicenceIsNoRelicensing(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t)
	path := write(t, dir, "search.cdx.json", paymentsCDX)
	sys := []System{{Name: "search", Path: path, Licence: "Apache-2.0", Use: licenses.UseDistributed}}
	t1 := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	if _, errs := collectAll(t, New(Options{Systems: sys, Store: st, Now: func() time.Time { return t1 }}), esProj); len(errs) > 0 {
		t.Fatal(errs)
	}
	reread := strings.Replace(paymentsCDX, `"purl": "pkg:maven/org.elasticsearch/elasticsearch@7.10.2", "licenses": [{"license": {"id": "Apache-2.0"}}]`,
		`"purl": "pkg:maven/org.elasticsearch/elasticsearch@7.10.2", "licenses": [{"expression": "Apache-2.0 OR SSPL-1.0"}]`, 1)
	if reread == paymentsCDX {
		t.Fatal("fixture not changed")
	}
	write(t, dir, "search.cdx.json", reread)
	t2 := t1.AddDate(0, 1, 0)
	got, errs := collectAll(t, New(Options{Systems: sys, Store: st, Now: func() time.Time { return t2 }}), esProj)
	// 7.10.2 both times: no relicensing, 0.
	if r := got[esProj.Subject.ID]["license.relicensed_12m"]; len(errs) > 0 || r.Value == nil || *r.Value != 0 {
		t.Errorf("relicensed %+v %v", r, errs)
	}
}

// A licence-file detection that changes while the files do not (a newer
// osgauge reading them differently) is no relicensing; one whose files
// changed is.
func TestRelicensingNeedsChangedFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st := openStore(t)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for i, d := range []struct{ spdx, digest string }{
		{"Apache-2.0", "aaa"},
		{"Apache-2.0 OR CC-BY-SA-4.0", "aaa"}, // same files, read differently
		{"Elastic-2.0", "bbb"},                // the files changed
	} {
		run, err := st.StartRun(ctx, "collect", "")
		if err != nil {
			t.Fatal(err)
		}
		at := now.AddDate(0, 0, -30+10*i)
		obs := []models.Observation{
			{SubjectID: esProj.Subject.ID, Metric: "license.spdx", Text: d.spdx, Source: "license", ObservedAt: at},
			{SubjectID: esProj.Subject.ID, Metric: "license.files_sha256", Text: d.digest, Source: "license", ObservedAt: at},
		}
		if err := st.AppendObservations(ctx, run, obs); err != nil {
			t.Fatal(err)
		}
		st.FinishRun(ctx, run, store.RunComplete, "", nil)
	}
	sys := []System{{Name: "search", Path: write(t, dir, "search.cdx.json", paymentsCDX), Licence: "Apache-2.0", Use: licenses.UseDistributed}}
	c := New(Options{Systems: sys, Store: st, Now: func() time.Time { return now }})
	got, errs := collectAll(t, c, esProj)
	r := got[esProj.Subject.ID]["license.relicensed_12m"]
	// Apache-2.0 → "Apache-2.0 OR CC-BY-SA-4.0": digests aaa = aaa, not
	// counted; → Elastic-2.0: aaa ≠ bbb, counted. 1 change.
	if len(errs) > 0 || r.Value == nil || *r.Value != 1 || !strings.Contains(r.Evidence, "Apache-2.0 OR CC-BY-SA-4.0 → Elastic-2.0 (licence files") ||
		strings.Contains(r.Evidence, "Apache-2.0 → Apache-2.0 OR") {
		t.Errorf("relicensed %+v %v", r, errs)
	}
}

// A system whose use the config left out counts as distributed for the
// licence class in use (the policy still takes its default, internal).
func TestUnstatedUseAssumesDistribution(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t)
	path := write(t, dir, "search.cdx.json", paymentsCDX)
	now := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		unstated bool
		want     string
	}{{false, "permissive:internal"}, {true, "permissive:distributed"}} {
		sys := []System{{Name: "search", Path: path, Licence: "Apache-2.0", Use: licenses.UseInternal, UseUnstated: c.unstated}}
		got, errs := collectAll(t, New(Options{Systems: sys, Store: st, Now: func() time.Time { return now }}), esProj)
		o := got[esProj.Subject.ID]["license.class_in_use"]
		if len(errs) > 0 || o.Text != c.want || c.unstated != strings.Contains(o.Evidence, "use not stated in sboms") {
			t.Errorf("unstated %v: %+v %v", c.unstated, o, errs)
		}
	}
}
