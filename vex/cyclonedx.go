package vex

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// CycloneDX property names of the osgauge notes.
const (
	propState         = "osgauge:state"
	propUntil         = "osgauge:until"
	propJustification = "osgauge:justification"
	propFinding       = "osgauge:finding"
	propNote          = "osgauge:note"
	propResponse      = "osgauge:response"
)

// ParseCycloneDX reads the VEX statements of a CycloneDX document (JSON or
// XML, spec 1.4 to 1.6): every vulnerabilities[] entry with an analysis,
// once per affects[] target. A target is a bom-ref of the document's
// components (their package URL is used), a BOM-Link (urn:cdx:…#ref) or a
// package URL. A vulnerability without analysis is a scanner's finding, not
// a statement: it is counted in Notes.
func ParseCycloneDX(name string, data []byte) (*Document, error) {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	format, ff := CycloneDXJSON, cdx.BOMFileFormatJSON
	if len(body) > 0 && body[0] == '<' {
		format, ff = CycloneDXXML, cdx.BOMFileFormatXML
		if !bytes.Contains(body[:min(len(body), 4096)], []byte("cyclonedx.org/schema/bom")) {
			return nil, fmt.Errorf("%s: XML that is not a CycloneDX BOM (no http://cyclonedx.org/schema/bom namespace)", name)
		}
	}
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(body), ff).Decode(&bom); err != nil {
		return nil, fmt.Errorf("%s: %s: %s", name, format, jsonErr(body, err))
	}
	doc := &Document{Format: format, Name: name, ID: bom.SerialNumber}
	refs := map[string]cdx.Component{} // bom-ref → component
	var walk func(cs *[]cdx.Component)
	walk = func(cs *[]cdx.Component) {
		if cs == nil {
			return
		}
		for _, c := range *cs {
			if c.BOMRef != "" {
				refs[c.BOMRef] = c
			}
			walk(c.Components)
		}
	}
	root := ""
	if m := bom.Metadata; m != nil {
		doc.Timestamp = parseTime(m.Timestamp)
		if m.Component != nil {
			doc.System = strings.TrimSpace(m.Component.Name)
			root = m.Component.BOMRef
			walk(m.Component.Components)
		}
		doc.Author = cdxAuthor(m)
	}
	walk(bom.Components)

	var noAnalysis []string
	if bom.Vulnerabilities != nil {
		for i, v := range *bom.Vulnerabilities {
			if v.Analysis == nil || (v.Analysis.State == "" && v.Analysis.Justification == "" && v.Analysis.Detail == "" && v.Analysis.Response == nil) {
				noAnalysis = append(noAnalysis, v.ID)
				continue
			}
			doc.Statements = append(doc.Statements, cdxStatements(i, v, refs, root, doc.Timestamp)...)
		}
	}
	if len(noAnalysis) > 0 {
		doc.Notes = append(doc.Notes, fmt.Sprintf("%d vulnerabilities without analysis (a scanner's findings, not VEX statements) not read: %s",
			len(noAnalysis), strings.Join(noAnalysis, ", ")))
	}
	return doc, nil
}

func cdxAuthor(m *cdx.Metadata) string {
	if m.Authors != nil {
		var names []string
		for _, a := range *m.Authors {
			if n := strings.TrimSpace(a.Name); n != "" {
				names = append(names, n)
			} else if e := strings.TrimSpace(a.Email); e != "" {
				names = append(names, e)
			}
		}
		if len(names) > 0 {
			return strings.Join(names, ", ")
		}
	}
	for _, e := range []*cdx.OrganizationalEntity{m.Manufacturer, m.Manufacture, m.Supplier} {
		if e != nil && strings.TrimSpace(e.Name) != "" {
			return strings.TrimSpace(e.Name)
		}
	}
	if t := m.Tools; t != nil {
		var names []string
		if t.Components != nil {
			for _, c := range *t.Components {
				names = append(names, strings.TrimSpace(strings.Join([]string{c.Group, c.Name, c.Version}, " ")))
			}
		}
		if t.Tools != nil {
			for _, c := range *t.Tools {
				names = append(names, strings.TrimSpace(strings.Join([]string{c.Vendor, c.Name, c.Version}, " ")))
			}
		}
		if t.Services != nil {
			for _, c := range *t.Services {
				names = append(names, strings.TrimSpace(c.Name))
			}
		}
		names = slices.DeleteFunc(names, func(s string) bool { return s == "" })
		if len(names) > 0 {
			return strings.Join(names, ", ")
		}
	}
	return ""
}

// cdxStatements are the statements of vulnerability i, one per target and
// version.
func cdxStatements(i int, v cdx.Vulnerability, refs map[string]cdx.Component, root string, docTime time.Time) []Statement {
	a := v.Analysis
	base := Statement{Vuln: strings.TrimSpace(v.ID), DocState: string(a.State), State: StateFromCycloneDX(string(a.State)),
		Justification: string(a.Justification), Detail: strings.TrimSpace(a.Detail)}
	if base.DocState == "" && base.Justification != "" {
		base.DocState, base.State = "not_affected", NotAffected // a justification says not_affected
	}
	if v.References != nil {
		for _, r := range *v.References {
			base.Aliases = addAlias(base.Aliases, r.ID, base.Vuln)
		}
	}
	if a.Response != nil {
		var rs []string
		for _, r := range *a.Response {
			rs = append(rs, string(r))
		}
		base.Response = strings.Join(rs, ",")
	}
	base.Timestamp = parseTime(a.LastUpdated)
	if base.Timestamp.IsZero() {
		base.Timestamp = parseTime(a.FirstIssued)
	}
	if base.Timestamp.IsZero() {
		base.Timestamp = docTime
	}
	var n note
	if v.Properties != nil {
		for _, p := range *v.Properties {
			switch p.Name {
			case propState:
				n.state = strings.TrimSpace(p.Value)
			case propUntil:
				n.until = strings.TrimSpace(p.Value)
			case propJustification:
				n.justification = strings.TrimSpace(p.Value)
			case propResponse:
				n.response, n.hasResponse = strings.TrimSpace(p.Value), true
			}
		}
	}
	n.apply(&base)
	if base.State == Mitigated && strings.HasPrefix(base.Detail, "mitigated until ") {
		// the measure as osgauge wrote it: "mitigated until DATE: measure"
		if _, m, ok := strings.Cut(base.Detail, ": "); ok {
			base.Detail = m
		}
	}
	where := fmt.Sprintf("vulnerabilities[%d]", i)
	if v.Affects == nil || len(*v.Affects) == 0 {
		s := base
		s.Where = where
		s.Problem = "names no component (affects is empty)"
		return []Statement{s}
	}
	var out []Statement
	for j, af := range *v.Affects {
		s := base
		s.Where = fmt.Sprintf("%s.affects[%d]", where, j)
		s.Ref = strings.TrimSpace(af.Ref)
		ref := s.Ref
		if strings.HasPrefix(ref, "urn:cdx:") {
			if _, frag, ok := strings.Cut(ref, "#"); ok {
				ref = frag
			}
		}
		switch c, ok := refs[ref]; {
		case ref != "" && ref == root:
			s.ProductOnly = true
		case ok:
			if !s.component(c.PackageURL) {
				s.Problem = fmt.Sprintf("component %q (%s) has no package URL", ref, c.Name)
			}
		case !s.component(ref):
			s.Problem = fmt.Sprintf("ref %q names no component of the document and is no package URL", s.Ref)
		}
		var versions []string
		if af.Range != nil && s.Problem == "" && s.Version == "" {
			for _, r := range *af.Range {
				switch {
				case r.Status == cdx.VulnerabilityStatusNotAffected:
					// a version the vulnerability does not touch: nothing to analyse
				case r.Version != "":
					versions = append(versions, strings.TrimSpace(r.Version))
				case r.Range != "":
					s.Problem = fmt.Sprintf("version range %q is not read: name the versions, or the component's package URL with its version", r.Range)
				}
			}
		}
		if len(versions) == 0 || s.Problem != "" {
			s.check()
			out = append(out, s)
			continue
		}
		for _, ver := range versions {
			t := s
			t.Version = ver
			t.check()
			out = append(out, t)
		}
	}
	return out
}

// WriteCycloneDX writes doc as a CycloneDX VEX (JSON) of spec 1.5 or 1.6:
// the system as metadata.component, one vulnerabilities[] entry per
// statement with its id, source (OSV), references (aliases), rating,
// analysis {state, justification, response, detail, firstIssued,
// lastUpdated} and affects (the component's package URL with its version),
// and the osgauge notes as properties.
func WriteCycloneDX(w io.Writer, doc *Document, spec cdx.SpecVersion) error {
	if spec != cdx.SpecVersion1_5 && spec != cdx.SpecVersion1_6 {
		return fmt.Errorf("CycloneDX spec %s: osgauge writes VEX as 1.5 or 1.6", spec)
	}
	bom := cdx.NewBOM()
	bom.SerialNumber = serial(doc)
	ts := doc.Timestamp.UTC().Format(time.RFC3339)
	bom.Metadata = &cdx.Metadata{
		Timestamp: ts,
		Tools: &cdx.ToolsChoice{Components: &[]cdx.Component{{Type: cdx.ComponentTypeApplication, Name: "osgauge",
			ExternalReferences: &[]cdx.ExternalReference{{Type: cdx.ERTypeVCS, URL: "https://github.com/osgauge/osgauge"}}}}},
	}
	if doc.Author != "" {
		bom.Metadata.Authors = &[]cdx.OrganizationalContact{{Name: doc.Author}}
	}
	if doc.System != "" {
		bom.Metadata.Component = &cdx.Component{Type: cdx.ComponentTypeApplication, Name: doc.System, BOMRef: "system:" + doc.System}
	}
	vs := []cdx.Vulnerability{}
	for _, s := range doc.Statements {
		v := cdx.Vulnerability{ID: s.Vuln, Source: osvSource(s.Vuln)}
		for _, a := range s.Aliases {
			if v.References == nil {
				v.References = &[]cdx.VulnerabilityReference{}
			}
			*v.References = append(*v.References, cdx.VulnerabilityReference{ID: a, Source: osvSource(a)})
		}
		if s.Severity != "" {
			v.Ratings = &[]cdx.VulnerabilityRating{{Source: osvSource(s.Vuln), Severity: cdxSeverity(s.Severity)}}
		}
		an := &cdx.VulnerabilityAnalysis{Detail: s.Detail}
		var n note
		switch s.State {
		case InTriage:
			an.State = cdx.IASInTriage
		case Affected:
			an.State = cdx.IASExploitable
		case NotAffected:
			an.State = cdx.IASNotAffected
			an.Justification = cdx.ImpactAnalysisJustification(toCycloneDXJustification(s.Justification))
			if string(an.Justification) != s.Justification {
				n.justification = s.Justification
			}
		case FalsePositive:
			an.State = cdx.IASFalsePositive
		case Mitigated:
			an.State = cdx.IASExploitable
			n.state, n.until = Mitigated, s.Until
			an.Detail = "mitigated until " + s.Until + ": " + s.Detail
		case Fixed:
			an.State = cdx.IASResolved
		case Verified:
			an.State = cdx.IASResolved
			n.state = Verified
		default:
			return fmt.Errorf("%s: %s: state %q cannot be written", s.Where, s.Vuln, s.State)
		}
		resp := s.Response
		if s.State == Mitigated && !strings.Contains(resp, "workaround_available") {
			resp = strings.Trim(resp+",workaround_available", ",")
			n.response, n.hasResponse = s.Response, true
		}
		if resp != "" {
			var rs []cdx.ImpactAnalysisResponse
			for _, r := range strings.Split(resp, ",") {
				rs = append(rs, cdx.ImpactAnalysisResponse(strings.TrimSpace(r)))
			}
			an.Response = &rs
		}
		if !s.FirstIssued.IsZero() {
			an.FirstIssued = s.FirstIssued.UTC().Format(time.RFC3339)
		}
		if !s.LastUpdated.IsZero() {
			an.LastUpdated = s.LastUpdated.UTC().Format(time.RFC3339)
		}
		v.Analysis = an
		v.Affects = &[]cdx.Affects{{Ref: s.PURL}}
		var props []cdx.Property
		if n.state != "" {
			props = append(props, cdx.Property{Name: propState, Value: n.state})
		}
		if n.until != "" {
			props = append(props, cdx.Property{Name: propUntil, Value: n.until})
		}
		if n.justification != "" {
			props = append(props, cdx.Property{Name: propJustification, Value: n.justification})
		}
		if n.hasResponse {
			props = append(props, cdx.Property{Name: propResponse, Value: n.response})
		}
		if s.Finding != "" {
			props = append(props, cdx.Property{Name: propFinding, Value: s.Finding})
		}
		if s.Note != "" {
			props = append(props, cdx.Property{Name: propNote, Value: s.Note})
		}
		if len(props) > 0 {
			v.Properties = &props
		}
		vs = append(vs, v)
	}
	bom.Vulnerabilities = &vs
	enc := cdx.NewBOMEncoder(w, cdx.BOMFileFormatJSON)
	enc.SetPretty(true).SetEscapeHTML(false)
	return enc.EncodeVersion(bom, spec)
}

func osvSource(id string) *cdx.Source {
	return &cdx.Source{Name: "OSV", URL: "https://osv.dev/vulnerability/" + id}
}

func cdxSeverity(s string) cdx.Severity {
	switch strings.ToLower(s) {
	case "critical":
		return cdx.SeverityCritical
	case "high":
		return cdx.SeverityHigh
	case "medium", "moderate":
		return cdx.SeverityMedium
	case "low":
		return cdx.SeverityLow
	}
	return cdx.SeverityUnknown
}

// serial is a urn:uuid serial number derived from the document's id, system
// and statements: the same content gives the same serial.
func serial(doc *Document) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\n", doc.ID, doc.System, doc.Timestamp.UTC().Format(time.RFC3339))
	for _, s := range doc.Statements {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", s.Vuln, s.PURL, s.State, s.Justification)
	}
	b := h.Sum(nil)[:16]
	b[6] = b[6]&0x0f | 0x50 // version 5 (name-based, SHA)
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
