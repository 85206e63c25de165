package vex

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// sbomWithVEX is an SBOM whose vulnerabilities carry analyses: refs by
// bom-ref (nested component too), by BOM-Link, by purl, to the system
// itself, to nothing; versions listed in affects; a version range; a
// scanner's finding without analysis.
const sbomWithVEX = `{
  "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "metadata": {"timestamp": "2026-03-01T08:00:00Z",
    "authors": [{"name": "Payments AppSec"}, {"email": "psirt@example.com"}],
    "component": {"bom-ref": "app", "type": "application", "name": "payments"}},
  "components": [
    {"bom-ref": "jackson", "type": "library", "name": "jackson-databind", "version": "2.9.10",
     "purl": "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10",
     "components": [{"bom-ref": "inner", "type": "library", "name": "inner", "version": "1.0", "purl": "pkg:maven/x/inner@1.0"}]},
    {"bom-ref": "nopurl", "type": "library", "name": "homegrown", "version": "1.0"}
  ],
  "vulnerabilities": [
    {"id": "CVE-2020-36518", "references": [{"id": "GHSA-57j2-w4cx-62h2"}, {"id": "CVE-2020-36518"}],
     "analysis": {"state": "not_affected", "justification": "code_not_reachable", "response": ["will_not_fix", "update"],
       "detail": "not reachable", "firstIssued": "2026-02-20T10:00:00Z", "lastUpdated": "2026-02-21T10:00:00Z"},
     "affects": [{"ref": "jackson"}, {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#inner"}, {"ref": "app"}, {"ref": "nopurl"}, {"ref": "ghost"}]},
    {"id": "CVE-2022-1471", "analysis": {"state": "resolved_with_pedigree"},
     "affects": [{"ref": "pkg:maven/org.yaml/snakeyaml", "versions": [{"version": "1.33", "status": "affected"}, {"version": "2.2", "status": "unaffected"}, {"version": "1.30"}]},
                 {"ref": "pkg:maven/org.yaml/snakeyaml", "versions": [{"range": "vers:maven/<2.0", "status": "affected"}]}]},
    {"id": "CVE-2021-1", "analysis": {"state": "exploitable"}, "affects": [{"ref": "pkg:npm/a@1"}]},
    {"id": "CVE-2021-2", "analysis": {"state": "under_investigation"}, "affects": [{"ref": "pkg:npm/a@1"}]},
    {"id": "CVE-2021-3", "ratings": [{"severity": "high"}]},
    {"id": "CVE-2021-4", "analysis": {"state": "in_triage"}}
  ]
}`

func TestParseCycloneDXJSON(t *testing.T) {
	doc, err := Parse("sbom.json", []byte(sbomWithVEX))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != CycloneDXJSON || doc.System != "payments" || doc.Author != "Payments AppSec, psirt@example.com" ||
		!doc.Timestamp.Equal(time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)) || doc.ID != "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" {
		t.Errorf("document: %+v", doc)
	}
	type row struct{ where, pkg, version, state, problem string }
	var got []row
	for _, s := range doc.Statements {
		got = append(got, row{s.Where, s.Package, s.Version, s.State, s.Problem})
	}
	want := []row{
		{"vulnerabilities[0].affects[0]", "pkg:maven/com.fasterxml.jackson.core/jackson-databind", "2.9.10", NotAffected, ""},
		{"vulnerabilities[0].affects[1]", "pkg:maven/x/inner", "1.0", NotAffected, ""},
		{"vulnerabilities[0].affects[2]", "", "", NotAffected, `names "app" and no component in it: osgauge records analyses per component`},
		{"vulnerabilities[0].affects[3]", "", "", NotAffected, `component "nopurl" (homegrown) has no package URL`},
		{"vulnerabilities[0].affects[4]", "", "", NotAffected, `ref "ghost" names no component of the document and is no package URL`},
		// versions listed: one statement each, the unaffected one left out
		{"vulnerabilities[1].affects[0]", "pkg:maven/org.yaml/snakeyaml", "1.33", Fixed, ""},
		{"vulnerabilities[1].affects[0]", "pkg:maven/org.yaml/snakeyaml", "1.30", Fixed, ""},
		{"vulnerabilities[1].affects[1]", "pkg:maven/org.yaml/snakeyaml", "", Fixed, `version range "vers:maven/<2.0" is not read: name the versions, or the component's package URL with its version`},
		{"vulnerabilities[2].affects[0]", "pkg:npm/a", "1", Affected, ""},
		{"vulnerabilities[3].affects[0]", "pkg:npm/a", "1", "", `state "under_investigation" is not a VEX state`},
		{"vulnerabilities[5]", "", "", InTriage, "names no component (affects is empty)"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("statements:\n got %v\nwant %v", got, want)
	}
	s := doc.Statements[0]
	if s.Vuln != "CVE-2020-36518" || !slices.Equal(s.Aliases, []string{"GHSA-57j2-w4cx-62h2"}) || s.Justification != "code_not_reachable" ||
		s.Response != "will_not_fix,update" || s.Detail != "not reachable" || !s.Timestamp.Equal(time.Date(2026, 2, 21, 10, 0, 0, 0, time.UTC)) ||
		s.DocState != "not_affected" || s.Ref != "jackson" || s.PURL != "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10" {
		t.Errorf("first statement: %+v", s)
	}
	if len(doc.Notes) != 1 || doc.Notes[0] != "1 vulnerabilities without analysis (a scanner's findings, not VEX statements) not read: CVE-2021-3" {
		t.Errorf("notes: %v", doc.Notes)
	}
}

const cdxXML = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">
  <metadata>
    <tools><tool><vendor>Acme</vendor><name>scanner</name><version>2</version></tool></tools>
    <component type="application" bom-ref="sys"><name>lending</name></component>
  </metadata>
  <vulnerabilities>
    <vulnerability>
      <id>CVE-2022-25845</id>
      <references><reference><id>GHSA-pv7h-hx5h-mgfj</id><source><name>GitHub</name></source></reference></references>
      <analysis>
        <state>false_positive</state>
        <responses><response>will_not_fix</response></responses>
        <detail>not this artefact</detail>
        <lastUpdated>2026-03-02T09:00:00Z</lastUpdated>
      </analysis>
      <affects><target><ref>pkg:maven/com.alibaba/fastjson@1.2.80</ref></target></affects>
    </vulnerability>
  </vulnerabilities>
</bom>`

func TestParseCycloneDXXML(t *testing.T) {
	doc, err := Parse("vex.xml", []byte(cdxXML))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != CycloneDXXML || doc.System != "lending" || doc.Author != "Acme scanner 2" || len(doc.Statements) != 1 {
		t.Fatalf("document: %+v", doc)
	}
	s := doc.Statements[0]
	if s.State != FalsePositive || s.Package != "pkg:maven/com.alibaba/fastjson" || s.Version != "1.2.80" || s.Response != "will_not_fix" ||
		s.Detail != "not this artefact" || !slices.Equal(s.Aliases, []string{"GHSA-pv7h-hx5h-mgfj"}) || s.Problem != "" {
		t.Errorf("statement: %+v", s)
	}
}

const openvexDoc = `{
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "",
  "tooling": "vexctl",
  "timestamp": "2026-03-03T10:00:00+08:00",
  "version": 2,
  "statements": [
    {"vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-2022-25845", "name": "CVE-2022-25845", "aliases": ["GHSA-pv7h-hx5h-mgfj"]},
     "products": [{"@id": "payments", "subcomponents": [{"@id": "pkg:maven/com.alibaba/fastjson@1.2.80"}, {"identifiers": {"purl": "pkg:maven/com.alibaba/fastjson@1.2.79"}}, {"@id": "fastjson"}]}],
     "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path", "impact_statement": "never parsed with autoType",
     "timestamp": "2026-03-01T00:00:00Z"},
    {"vulnerability": {"name": "CVE-2021-44228"}, "products": [{"@id": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
     "status": "affected", "action_statement": "upgrade to 2.17.1"},
    {"vulnerability": {"name": "CVE-2021-44228"}, "products": [{"@id": "payments"}], "status": "fixed"},
    {"vulnerability": {"name": "CVE-2021-44228"}, "status": "under_investigation"},
    {"vulnerability": {"name": "CVE-2021-44229"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "not_affected", "justification": "made_up"},
    {"vulnerability": {"name": "CVE-2021-44230"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "affected",
     "action_statement": "mitigated until 2026-06-30: WAF rule", "status_notes": "[osgauge state=mitigated until=2026-06-30]"}
  ]
}`

func TestParseOpenVEX(t *testing.T) {
	doc, err := Parse("doc.openvex.json", []byte(openvexDoc))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != OpenVEX || doc.Author != "vexctl" || doc.Version != 2 || doc.ID != "https://example.com/vex/1" ||
		!doc.Timestamp.Equal(time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("document: %+v", doc)
	}
	type row struct{ where, product, pkg, version, state, detail, problem string }
	var got []row
	for _, s := range doc.Statements {
		got = append(got, row{s.Where, s.Product, s.Package, s.Version, s.State, s.Detail, s.Problem})
	}
	want := []row{
		{"statements[0].products[0].subcomponents[0]", "payments", "pkg:maven/com.alibaba/fastjson", "1.2.80", NotAffected, "never parsed with autoType", ""},
		{"statements[0].products[0].subcomponents[1]", "payments", "pkg:maven/com.alibaba/fastjson", "1.2.79", NotAffected, "never parsed with autoType", ""},
		{"statements[0].products[0].subcomponents[2]", "payments", "", "", NotAffected, "never parsed with autoType", `subcomponent "fastjson" is no package URL`},
		{"statements[1].products[0]", "", "pkg:maven/org.apache.logging.log4j/log4j-core", "2.14.1", Affected, "upgrade to 2.17.1", ""},
		{"statements[2].products[0]", "payments", "", "", Fixed, "", `names "payments" and no component in it: osgauge records analyses per component`},
		{"statements[3]", "", "", "", InTriage, "", "names no product"},
		{"statements[4].products[0]", "", "pkg:npm/a", "1", NotAffected, "", `justification "made_up" is in neither the CycloneDX nor the OpenVEX vocabulary`},
		{"statements[5].products[0]", "", "pkg:npm/a", "1", Mitigated, "WAF rule", ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("statements:\n got %v\nwant %v", got, want)
	}
	s := doc.Statements[0]
	if s.Vuln != "CVE-2022-25845" || !slices.Equal(s.Aliases, []string{"https://nvd.nist.gov/vuln/detail/CVE-2022-25845", "GHSA-pv7h-hx5h-mgfj"}) ||
		s.Justification != "vulnerable_code_not_in_execute_path" || !s.Timestamp.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("first statement: %+v", s)
	}
	if m := doc.Statements[7]; m.Until != "2026-06-30" {
		t.Errorf("mitigation: %+v", m)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"empty.json", "  \n", "empty.json: empty file"},
		{"text.txt", "hello", "text.txt: not a VEX document"},
		{"broken.json", "{\n \"bomFormat\": \"CycloneDX\",\n \"x\": ]\n}", "broken.json: line 3: invalid character ']'"},
		{"other.json", `{"spdxVersion": "SPDX-2.3"}`, "other.json: a JSON document that is neither CycloneDX"},
		{"bad.cdx.json", "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.5\",\n\"vulnerabilities\": [{\"id\": 7}]}", "bad.cdx.json: cyclonedx-json: line 2:"},
		{"bad.xml", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<metadata>\n</bom>", "bad.xml: cyclonedx-xml: line 3:"},
		{"other.xml", "<svg/>", "other.xml: XML that is not a CycloneDX BOM"},
		{"old.json", `{"@context": "https://openvex.dev/ns", "statements": [{"vulnerability": "CVE-1", "products": ["pkg:npm/a@1"], "status": "fixed"}]}`, "old.json: OpenVEX v0.0.1 is not read"},
		{"bad.openvex.json", "{\"@context\": \"https://openvex.dev/ns/v0.2.0\",\n\"statements\": {}}", "bad.openvex.json: openvex: line 2:"},
	} {
		_, err := Parse(c.name, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

func TestJustificationMaps(t *testing.T) {
	// Every justification maps into the other vocabulary, and a
	// justification already in the target vocabulary stays as it is.
	for _, j := range openvexJustifications {
		if c := toCycloneDXJustification(j); !slices.Contains(cdxJustifications, c) {
			t.Errorf("%s → %s, not CycloneDX", j, c)
		}
		if toOpenVEXJustification(j) != j {
			t.Errorf("%s changed in OpenVEX", j)
		}
	}
	for _, j := range cdxJustifications {
		if o := toOpenVEXJustification(j); !slices.Contains(openvexJustifications, o) {
			t.Errorf("%s → %s, not OpenVEX", j, o)
		}
		if toCycloneDXJustification(j) != j {
			t.Errorf("%s changed in CycloneDX", j)
		}
	}
}

// Every state, in both formats: written, read back, the same state,
// justification (in either vocabulary), response, detail and end date.
func TestWriteReadBack(t *testing.T) {
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	p := func(v string) (string, string) { return "pkg:maven/g/a@" + v, "pkg:maven/g/a" }
	var stmts []Statement
	for i, s := range []Statement{
		{State: InTriage},
		{State: Affected},
		{State: Affected, Response: "update", Detail: "upgrade in sprint 12"},
		{State: Affected, Response: "update"},
		{State: NotAffected, Justification: "code_not_reachable", Detail: "not reachable"},
		{State: NotAffected, Justification: "vulnerable_code_not_in_execute_path"},
		{State: NotAffected, Detail: "impact statement only"},
		{State: FalsePositive, Detail: "shaded copy"},
		{State: Mitigated, Detail: "WAF rule 9001", Until: "2026-06-30"},
		{State: Mitigated, Detail: "feature flag off", Until: "2026-04-01", Response: "workaround_available"},
		{State: Fixed},
		{State: Verified, Note: "verified 2026-02-01: snapshot #3 lending-v2.json no longer holds an affected version"},
	} {
		s.Vuln = "CVE-2026-" + string(rune('A'+i))
		s.Aliases = []string{"GHSA-" + string(rune('a'+i))}
		s.PURL, s.Package = p("1." + string(rune('0'+i%10)))
		s.Severity, s.FirstIssued, s.LastUpdated = "high", at.AddDate(0, 0, -2), at
		stmts = append(stmts, s)
	}
	doc := &Document{System: "payments", Author: "Example Bank", Timestamp: at, Statements: stmts}
	for _, format := range []string{"cyclonedx-1.5", "cyclonedx-1.6", "openvex"} {
		var buf bytes.Buffer
		var err error
		switch format {
		case "openvex":
			err = WriteOpenVEX(&buf, doc)
		case "cyclonedx-1.5":
			err = WriteCycloneDX(&buf, doc, cdx.SpecVersion1_5)
		default:
			err = WriteCycloneDX(&buf, doc, cdx.SpecVersion1_6)
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		back, err := Parse("out.json", buf.Bytes())
		if err != nil {
			t.Fatalf("%s: %v\n%s", format, err, buf.String())
		}
		if len(back.Statements) != len(stmts) {
			t.Fatalf("%s: %d statements back, want %d", format, len(back.Statements), len(stmts))
		}
		if format != "openvex" && back.System != "payments" {
			t.Errorf("%s: system %q", format, back.System)
		}
		for i, b := range back.Statements {
			w := stmts[i]
			wantState := w.State
			if wantState == Verified {
				wantState = Fixed // verified is the re-test's: read back as fixed
			}
			wantDetail := w.Detail
			if format == "openvex" && (w.State == Fixed || w.State == Verified || w.State == InTriage) {
				wantDetail = "" // OpenVEX fixed and under_investigation carry no statement
			}
			if b.Problem != "" || b.State != wantState || b.Justification != w.Justification || b.Response != w.Response || b.Detail != wantDetail ||
				b.Until != w.Until || b.Vuln != w.Vuln || !slices.Equal(b.Aliases, w.Aliases) || b.PURL != w.PURL {
				t.Errorf("%s: statement %d:\n got %+v\nwant %+v", format, i, b, w)
			}
			if !b.Timestamp.Equal(at) {
				t.Errorf("%s: statement %d: timestamp %v", format, i, b.Timestamp)
			}
		}
	}
}
