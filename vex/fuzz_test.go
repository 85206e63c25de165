package vex

import (
	"bytes"
	"slices"
	"testing"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// checkStatements holds for every parsed document: a statement without a
// problem names a vulnerability, a package and a state osgauge has.
func checkStatements(t *testing.T, doc *Document) {
	t.Helper()
	for _, s := range doc.Statements {
		if s.Problem != "" {
			continue
		}
		switch {
		case s.Vuln == "" || s.Package == "":
			t.Fatalf("%s: no vulnerability or package but no problem: %+v", s.Where, s)
		case !slices.Contains([]string{InTriage, Affected, NotAffected, FalsePositive, Mitigated, Fixed}, s.State):
			t.Fatalf("%s: state %q", s.Where, s.State)
		case s.State == Mitigated && s.Until == "":
			t.Fatalf("%s: mitigation without end", s.Where)
		case s.Justification != "" && s.State != NotAffected:
			t.Fatalf("%s: justification %q with state %s", s.Where, s.Justification, s.State)
		}
	}
}

// usable are a document's statements without a problem.
func usable(doc *Document) []Statement {
	var out []Statement
	for _, s := range doc.Statements {
		if s.Problem == "" {
			out = append(out, s)
		}
	}
	return out
}

// FuzzCycloneDXVEX: any input is parsed or refused with an error, never a
// panic; what parses is written again and read back in the same states.
func FuzzCycloneDXVEX(f *testing.F) {
	f.Add([]byte(sbomWithVEX))
	f.Add([]byte(cdxXML))
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","vulnerabilities":[{"id":"CVE-1","analysis":{"state":"exploitable"},"affects":[{"ref":"pkg:npm/a@1"}],"properties":[{"name":"osgauge:state","value":"mitigated"},{"name":"osgauge:until","value":"2026-01-01"}]}]}`))
	f.Add([]byte(`<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><vulnerabilities><vulnerability><id>X</id><analysis><state>resolved</state></analysis><affects><target><ref>pkg:pypi/A_b@1</ref></target></affects></vulnerability></vulnerabilities></bom>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseCycloneDX("fuzz", data)
		if err != nil {
			return
		}
		checkStatements(t, doc)
		in := usable(doc)
		var buf bytes.Buffer
		if err := WriteCycloneDX(&buf, &Document{System: doc.System, Statements: in}, cdx.SpecVersion1_6); err != nil {
			t.Fatalf("writing what was read: %v", err)
		}
		back, err := ParseCycloneDX("again", buf.Bytes())
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, buf.String())
		}
		out := usable(back)
		if len(out) != len(in) {
			t.Fatalf("%d statements back, %d written\n%s", len(out), len(in), buf.String())
		}
		for i := range in {
			if out[i].State != in[i].State || out[i].Package != in[i].Package || out[i].Justification != in[i].Justification || out[i].Until != in[i].Until {
				t.Fatalf("statement %d: %+v back as %+v", i, in[i], out[i])
			}
		}
	})
}

// FuzzOpenVEX: the same for OpenVEX (a statement the spec forbids, such as
// not_affected without justification or impact statement, may be refused
// by the writer, with an error).
func FuzzOpenVEX(f *testing.F) {
	f.Add([]byte(openvexDoc))
	f.Add([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"pkg:npm/a@1"}],"status":"not_affected","justification":"component_not_present"}]}`))
	f.Add([]byte(`{"@context":"https://openvex.dev/ns/v0.2.0","statements":[{"vulnerability":{"name":"CVE-1"},"products":[{"@id":"p","subcomponents":[{"identifiers":{"purl":"pkg:golang/x/y@v1"}}]}],"status":"fixed","status_notes":"[osgauge state=verified]"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseOpenVEX("fuzz", data)
		if err != nil {
			return
		}
		checkStatements(t, doc)
		in := usable(doc)
		var buf bytes.Buffer
		if err := WriteOpenVEX(&buf, &Document{Statements: in}); err != nil {
			return
		}
		back, err := ParseOpenVEX("again", buf.Bytes())
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, buf.String())
		}
		out := usable(back)
		if len(out) != len(in) {
			t.Fatalf("%d statements back, %d written\n%s", len(out), len(in), buf.String())
		}
		for i := range in {
			if out[i].State != in[i].State || out[i].Package != in[i].Package || out[i].Justification != in[i].Justification || out[i].Until != in[i].Until {
				t.Fatalf("statement %d: %+v back as %+v", i, in[i], out[i])
			}
		}
	})
}
