package vex

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	govex "github.com/openvex/go-vex/pkg/vex"
)

// ParseOpenVEX reads an OpenVEX document (JSON, spec v0.2.0): one Statement
// per statement and product. A product with subcomponents is the product
// the components are part of (Product, possibly a system) and each
// subcomponent is a component; a product without subcomponents is the
// component itself (or, when it names a system, ProductOnly). A product is
// named by its @id or its purl identifier.
func ParseOpenVEX(name string, data []byte) (*Document, error) {
	d, err := govex.Parse(data)
	if err != nil {
		if strings.Contains(string(data[:min(len(data), 512)]), `"https://openvex.dev/ns"`) ||
			strings.Contains(string(data[:min(len(data), 512)]), "https://openvex.dev/ns/v0.0.1") {
			return nil, fmt.Errorf("%s: OpenVEX v0.0.1 is not read (osgauge reads v0.2.0: convert it first): %s", name, jsonErr(data, err))
		}
		return nil, fmt.Errorf("%s: openvex: %s", name, jsonErr(data, err))
	}
	doc := &Document{Format: OpenVEX, Name: name, ID: d.ID, Author: strings.TrimSpace(d.Author), Version: d.Version}
	if doc.Author == "" {
		doc.Author = strings.TrimSpace(d.Tooling)
	}
	if d.Timestamp != nil {
		doc.Timestamp = d.Timestamp.UTC()
	}
	for i, st := range d.Statements {
		doc.Statements = append(doc.Statements, openvexStatements(i, st, doc.Timestamp)...)
	}
	return doc, nil
}

// componentID is how a product or subcomponent is named: its @id, else its
// purl identifier.
func componentID(c govex.Component) string {
	if id := strings.TrimSpace(c.ID); id != "" {
		return id
	}
	return strings.TrimSpace(c.Identifiers[govex.PURL])
}

func openvexStatements(i int, st govex.Statement, docTime time.Time) []Statement {
	base := Statement{Vuln: strings.TrimSpace(string(st.Vulnerability.Name)), DocState: string(st.Status), State: StateFromOpenVEX(string(st.Status)),
		Justification: string(st.Justification)}
	if base.Vuln == "" {
		base.Vuln = strings.TrimSpace(st.Vulnerability.ID)
	} else {
		base.Aliases = addAlias(base.Aliases, st.Vulnerability.ID, base.Vuln)
	}
	for _, a := range st.Vulnerability.Aliases {
		base.Aliases = addAlias(base.Aliases, string(a), base.Vuln)
	}
	switch base.State {
	case Affected:
		base.Detail = strings.TrimSpace(st.ActionStatement)
	default:
		base.Detail = strings.TrimSpace(st.ImpactStatement)
		if base.Detail == "" {
			base.Detail = strings.TrimSpace(st.ActionStatement)
		}
	}
	for _, t := range []*time.Time{st.LastUpdated, st.Timestamp} {
		if t != nil && base.Timestamp.IsZero() {
			base.Timestamp = t.UTC()
		}
	}
	if base.Timestamp.IsZero() {
		base.Timestamp = docTime
	}
	n, _ := parseNote(st.StatusNotes)
	n.apply(&base)
	if base.State == Mitigated && strings.HasPrefix(base.Detail, "mitigated until ") {
		if _, m, ok := strings.Cut(base.Detail, ": "); ok {
			base.Detail = m
		}
	}
	if base.State == FalsePositive && strings.HasPrefix(base.Detail, "false positive: ") {
		base.Detail = strings.TrimPrefix(base.Detail, "false positive: ")
	}
	where := fmt.Sprintf("statements[%d]", i)
	if len(st.Products) == 0 {
		s := base
		s.Where = where
		s.Problem = "names no product"
		return []Statement{s}
	}
	var out []Statement
	for j, p := range st.Products {
		pid := componentID(p.Component)
		if len(p.Subcomponents) == 0 {
			s := base
			s.Where = fmt.Sprintf("%s.products[%d]", where, j)
			s.Ref = pid
			if !s.component(pid) {
				// not a package URL: the product may be a system, named as a whole
				s.ProductOnly, s.Product = true, pid
			}
			s.check()
			out = append(out, s)
			continue
		}
		for k, sc := range p.Subcomponents {
			s := base
			s.Where = fmt.Sprintf("%s.products[%d].subcomponents[%d]", where, j, k)
			s.Product = pid
			s.Ref = componentID(sc.Component)
			if !s.component(s.Ref) {
				s.Problem = fmt.Sprintf("subcomponent %q is no package URL", s.Ref)
			}
			s.check()
			out = append(out, s)
		}
	}
	return out
}

// WriteOpenVEX writes doc as OpenVEX JSON (v0.2.0): @context, @id (from the
// content when doc.ID is empty), author, timestamp, version, tooling, and
// one statement per Statement with vulnerability {name, aliases}, products
// [{@id: the component's package URL}], status, justification,
// impact_statement, action_statement and status_notes (the osgauge note).
// Each statement is checked against the spec's rules before writing.
func WriteOpenVEX(w io.Writer, doc *Document) error {
	ts := doc.Timestamp.UTC()
	out := govex.VEX{Metadata: govex.Metadata{Context: OpenVEXContext, ID: doc.ID, Author: doc.Author, Timestamp: &ts,
		Version: max(doc.Version, 1), Tooling: "osgauge"}, Statements: []govex.Statement{}}
	if out.Author == "" {
		out.Author = "osgauge"
	}
	for _, s := range doc.Statements {
		st := govex.Statement{Vulnerability: govex.Vulnerability{Name: govex.VulnerabilityID(s.Vuln)},
			Products: []govex.Product{{Component: govex.Component{ID: s.PURL}}}}
		for _, a := range s.Aliases {
			st.Vulnerability.Aliases = append(st.Vulnerability.Aliases, govex.VulnerabilityID(a))
		}
		if !s.LastUpdated.IsZero() {
			t := s.LastUpdated.UTC()
			st.Timestamp = &t
		}
		var n note
		switch s.State {
		case InTriage:
			st.Status = govex.StatusUnderInvestigation
		case Affected:
			st.Status = govex.StatusAffected
			st.ActionStatement = s.Detail
			if st.ActionStatement == "" && s.Response != "" {
				st.ActionStatement = "response: " + s.Response
			}
			if st.ActionStatement == "" {
				st.ActionStatement = noAction
			}
		case NotAffected:
			st.Status = govex.StatusNotAffected
			st.Justification = govex.Justification(toOpenVEXJustification(s.Justification))
			if string(st.Justification) != s.Justification {
				n.justification = s.Justification
			}
			st.ImpactStatement = s.Detail
		case FalsePositive:
			// OpenVEX has no false positive: the vulnerable code is not there.
			st.Status, st.Justification = govex.StatusNotAffected, govex.VulnerableCodeNotPresent
			st.ImpactStatement = strings.TrimSpace("false positive: " + s.Detail)
			n.state = FalsePositive
		case Mitigated:
			st.Status = govex.StatusAffected
			st.ActionStatement = "mitigated until " + s.Until + ": " + s.Detail
			n.state, n.until = Mitigated, s.Until
		case Fixed, Verified:
			st.Status = govex.StatusFixed
			if s.State == Verified {
				n.state = Verified
			}
		default:
			return fmt.Errorf("%s: %s: state %q cannot be written", s.Where, s.Vuln, s.State)
		}
		if s.Response != "" {
			n.response, n.hasResponse = strings.ReplaceAll(s.Response, " ", ""), true
		}
		st.StatusNotes = strings.TrimSpace(strings.TrimSpace(s.Note+" "+fixedDetail(s)) + " " + n.String())
		if err := st.Validate(); err != nil {
			return fmt.Errorf("openvex: %s %s: %w", s.Vuln, s.PURL, err)
		}
		out.Statements = append(out.Statements, st)
	}
	if out.ID == "" {
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%s\n", doc.System, ts.Format(time.RFC3339))
		for _, st := range out.Statements {
			fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", st.Vulnerability.Name, st.Products[0].ID, st.Status, st.Justification)
		}
		out.ID = "urn:osgauge:vex:" + hex.EncodeToString(h.Sum(nil)[:16])
	}
	return out.ToJSON(w)
}

// fixedDetail is the detail of a fixed statement, which OpenVEX has no
// field for (impact and action statements are not allowed with fixed).
func fixedDetail(s Statement) string {
	if s.State == Fixed || s.State == Verified || s.State == InTriage {
		return s.Detail
	}
	return ""
}
