// Package vex reads and writes VEX documents (Vulnerability Exploitability
// eXchange, issue 24 point 4): CycloneDX VEX, JSON and XML, standalone or as
// vulnerabilities[].analysis inside an SBOM (github.com/CycloneDX/cyclonedx-go),
// and OpenVEX JSON (github.com/openvex/go-vex, spec v0.2.0).
//
// Reading is pure: Parse turns a document into Statements, one per
// vulnerability and component, in osgauge's vocabulary (the states of the
// vulns package; justifications kept in the document's own vocabulary,
// which the ledger accepts both of). What a statement names is resolved
// against the store by the command ('osgauge vex import'), not here. A
// statement that cannot be read as it stands (no component, an unknown
// state, a version range) is returned with its Problem set, never left out.
//
// Writing (WriteCycloneDX, WriteOpenVEX) takes the same Statements, built
// from a system's findings by FromFindings.
//
// States map as follows (read → osgauge → written):
//
//	CycloneDX analysis.state   osgauge         OpenVEX status
//	in_triage                  in_triage       under_investigation
//	exploitable                affected        affected
//	not_affected               not_affected    not_affected
//	false_positive             false_positive  not_affected (+ osgauge note)
//	exploitable + workaround   mitigated       affected (+ osgauge note)
//	resolved, …_with_pedigree  fixed           fixed
//	resolved (+ osgauge note)  verified        fixed (+ osgauge note)
//
// What one format cannot say (mitigated and its end date, false_positive in
// OpenVEX, verified, a justification from the other vocabulary) travels in
// an osgauge note: CycloneDX properties osgauge:state, osgauge:until and
// osgauge:justification; OpenVEX status_notes "[osgauge state=… until=…
// justification=…]". Other tools ignore them; osgauge reads them back, so an
// exported document re-imported gives the same states.
package vex

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/ledger"
)

// Formats.
const (
	CycloneDXJSON = "cyclonedx-json"
	CycloneDXXML  = "cyclonedx-xml"
	OpenVEX       = "openvex"
)

// OpenVEXContext is the @context osgauge writes (the OpenVEX spec v0.2.0).
const OpenVEXContext = "https://openvex.dev/ns/v0.2.0"

// osgauge's states (the vulns package's spellings).
const (
	InTriage      = "in_triage"
	Affected      = "affected"
	NotAffected   = "not_affected"
	FalsePositive = "false_positive"
	Mitigated     = "mitigated"
	Fixed         = "fixed"
	Verified      = "verified"
)

// Document is a VEX document as read, or to be written.
type Document struct {
	Format string // CycloneDXJSON, CycloneDXXML or OpenVEX
	Name   string // the file's name, for messages
	// ID is the document's identity: the CycloneDX serialNumber, the OpenVEX @id.
	ID string
	// System is the system the document describes when it names one: the
	// CycloneDX metadata.component's name.
	System string
	// Author is who issued it: the OpenVEX author (else tooling), the
	// CycloneDX metadata authors, else manufacturer, supplier or tools.
	Author    string
	Timestamp time.Time
	// Version is the OpenVEX document version (1 when not given).
	Version    int
	Statements []Statement
	// Notes say what was read in a way worth knowing (vulnerabilities
	// without analysis, for example).
	Notes []string
}

// Statement is what a document says about one vulnerability in one
// component (a document statement naming several components gives one
// Statement each).
type Statement struct {
	// Where names the statement in its document: "vulnerabilities[2].affects[0]",
	// "statements[0].products[1]".
	Where   string
	Vuln    string   // the vulnerability's id or name
	Aliases []string // its other ids
	// Ref is the component as the document names it (a bom-ref, a purl, an @id).
	Ref string
	// PURL is the component's package URL as given (with its version);
	// Package the package URL without version in canonical form (the
	// inventory's PackageOf); Version the version ("" every version).
	PURL    string
	Package string
	Version string
	// Product is the product the component was named under (an OpenVEX
	// product with subcomponents: its @id), possibly a system.
	Product string
	// ProductOnly is set when the statement names a product and no
	// component (an OpenVEX product without subcomponents, a CycloneDX ref to
	// the metadata component): it may name a system as a whole.
	ProductOnly bool
	// State in osgauge's spelling; DocState as the document spells it.
	State         string
	DocState      string
	Justification string
	Response      string // CycloneDX responses, comma-separated
	Detail        string // CycloneDX detail; OpenVEX impact_statement, or action_statement for affected
	Until         string // a mitigation's last day (osgauge note)
	Timestamp     time.Time
	// Problem says why the statement cannot be applied as it stands; "" when
	// it can.
	Problem string

	// For writing: the finding's severity, id, when the analysis was first
	// issued and last updated, and a note (verified by which SBOM…).
	Severity    string
	Finding     string
	FirstIssued time.Time
	LastUpdated time.Time
	Note        string
}

// Parse reads a VEX document: CycloneDX (JSON or XML) or OpenVEX (JSON),
// recognised by content. name is the file's name for errors, which name the
// line where the decoder tells it.
func Parse(name string, data []byte) (*Document, error) {
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(body) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	switch body[0] {
	case '<':
		return ParseCycloneDX(name, data)
	case '{':
	default:
		return nil, fmt.Errorf("%s: not a VEX document: CycloneDX (JSON or XML) or OpenVEX (JSON) expected", name)
	}
	var head struct {
		Context   any    `json:"@context"`
		BOMFormat string `json:"bomFormat"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, fmt.Errorf("%s: %s", name, jsonErr(data, err))
	}
	ctx, _ := head.Context.(string)
	switch {
	case strings.HasPrefix(ctx, "https://openvex.dev/ns"):
		return ParseOpenVEX(name, data)
	case head.BOMFormat == "CycloneDX":
		return ParseCycloneDX(name, data)
	}
	return nil, fmt.Errorf("%s: a JSON document that is neither CycloneDX (bomFormat \"CycloneDX\") nor OpenVEX (@context https://openvex.dev/ns/…)", name)
}

// jsonErr names the line of a JSON decoding error.
func jsonErr(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: %s", lineAt(data, se.Offset), se.Error())
	case errors.As(err, &te):
		where := te.Field
		if where != "" {
			where = " (" + where + ")"
		}
		return fmt.Sprintf("line %d: %s%s", lineAt(data, te.Offset), te.Error(), where)
	}
	var xe *xml.SyntaxError
	if errors.As(err, &xe) {
		return fmt.Sprintf("line %d: %s", xe.Line, xe.Msg)
	}
	return err.Error()
}

func lineAt(data []byte, off int64) int {
	off = max(0, min(off, int64(len(data))))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// component fills s's PURL, Package and Version from a package URL; false
// when ref is none.
func (s *Statement) component(ref string) bool {
	p, ok := sbom.ParsePURL(ref)
	if !ok || p.Type == "" || p.Name == "" {
		return false
	}
	s.PURL, s.Package, s.Version = strings.TrimSpace(ref), p.Package(), p.Version
	return true
}

// StateFromCycloneDX maps a CycloneDX analysis.state to osgauge's state; ""
// for an unknown one.
func StateFromCycloneDX(s string) string {
	switch s {
	case "in_triage":
		return InTriage
	case "exploitable":
		return Affected
	case "not_affected":
		return NotAffected
	case "false_positive":
		return FalsePositive
	case "resolved", "resolved_with_pedigree":
		return Fixed
	}
	return ""
}

// StateFromOpenVEX maps an OpenVEX status to osgauge's state; "" for an
// unknown one.
func StateFromOpenVEX(s string) string {
	switch s {
	case "under_investigation":
		return InTriage
	case "affected":
		return Affected
	case "not_affected":
		return NotAffected
	case "fixed":
		return Fixed
	}
	return ""
}

// CycloneDX (1.5+) and OpenVEX justifications (ledger.VulnJustifications
// accepts both).
var (
	cdxJustifications = []string{"code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
		"requires_environment", "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
		"protected_by_mitigating_control"}
	openvexJustifications = []string{"component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
		"vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist"}
)

// toCycloneDXJustification gives the CycloneDX justification nearest an
// OpenVEX one (a CycloneDX one is returned as it is). The vocabularies do
// not map one to one; osgauge's reading:
//
//	component_not_present, vulnerable_code_not_present → code_not_present
//	vulnerable_code_not_in_execute_path                → code_not_reachable
//	vulnerable_code_cannot_be_controlled_by_adversary  → requires_environment
//	inline_mitigations_already_exist                   → protected_by_mitigating_control
func toCycloneDXJustification(j string) string {
	switch j {
	case "component_not_present", "vulnerable_code_not_present":
		return "code_not_present"
	case "vulnerable_code_not_in_execute_path":
		return "code_not_reachable"
	case "vulnerable_code_cannot_be_controlled_by_adversary":
		return "requires_environment"
	case "inline_mitigations_already_exist":
		return "protected_by_mitigating_control"
	}
	return j
}

// toOpenVEXJustification gives the OpenVEX justification nearest a
// CycloneDX one (an OpenVEX one is returned as it is):
//
//	code_not_present                                  → vulnerable_code_not_present
//	code_not_reachable, requires_dependency           → vulnerable_code_not_in_execute_path
//	requires_configuration, requires_environment,
//	protected_at_perimeter                            → vulnerable_code_cannot_be_controlled_by_adversary
//	protected_by_compiler, protected_at_runtime,
//	protected_by_mitigating_control                   → inline_mitigations_already_exist
func toOpenVEXJustification(j string) string {
	switch j {
	case "code_not_present":
		return "vulnerable_code_not_present"
	case "code_not_reachable", "requires_dependency":
		return "vulnerable_code_not_in_execute_path"
	case "requires_configuration", "requires_environment", "protected_at_perimeter":
		return "vulnerable_code_cannot_be_controlled_by_adversary"
	case "protected_by_compiler", "protected_at_runtime", "protected_by_mitigating_control":
		return "inline_mitigations_already_exist"
	}
	return j
}

// noAction is the OpenVEX action statement of an affected finding without
// one (the spec requires one).
const noAction = "no action statement recorded yet"

// osgauge notes: what a format cannot say, in a form osgauge reads back.
type note struct {
	state, until, justification string
	// response is set (hasResponse) when the document's responses are not
	// the statement's: CycloneDX gains workaround_available for a
	// mitigation, OpenVEX has no responses.
	response    string
	hasResponse bool
}

// apply puts what the note says into s (a note from another tool or a
// broken one is ignored: the document's own fields stand).
func (n note) apply(s *Statement) {
	switch n.state {
	case Mitigated:
		if n.until != "" {
			s.State, s.Until = Mitigated, n.until
		}
	case FalsePositive, Fixed, Affected, NotAffected, InTriage:
		s.State = n.state
	case Verified:
		s.State = Fixed // verified is the re-test's, never recorded
	}
	if n.justification != "" && slices.Contains(ledger.VulnJustifications, n.justification) {
		s.Justification = n.justification
	}
	if n.hasResponse {
		s.Response = n.response
		if s.Detail == "response: "+n.response {
			s.Detail = "" // the action statement osgauge wrote for want of one
		}
	}
	if s.Detail == noAction {
		s.Detail = ""
	}
	if s.State != NotAffected {
		s.Justification = ""
	}
}

// parseNote reads "[osgauge state=… until=… justification=…]" out of text.
func parseNote(text string) (note, string) {
	i := strings.Index(text, "[osgauge ")
	if i < 0 {
		return note{}, text
	}
	j := strings.IndexByte(text[i:], ']')
	if j < 0 {
		return note{}, text
	}
	var n note
	for _, kv := range strings.Fields(text[i+len("[osgauge ") : i+j]) {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "state":
			n.state = v
		case "until":
			n.until = v
		case "justification":
			n.justification = v
		case "response":
			n.response, n.hasResponse = v, true
		}
	}
	rest := strings.TrimSpace(text[:i] + text[i+j+1:])
	return n, rest
}

func (n note) String() string {
	var parts []string
	if n.state != "" {
		parts = append(parts, "state="+n.state)
	}
	if n.until != "" {
		parts = append(parts, "until="+n.until)
	}
	if n.justification != "" {
		parts = append(parts, "justification="+n.justification)
	}
	if n.hasResponse {
		parts = append(parts, "response="+n.response)
	}
	if len(parts) == 0 {
		return ""
	}
	return "[osgauge " + strings.Join(parts, " ") + "]"
}

// check sets s.Problem for what osgauge cannot apply: no vulnerability, no
// component, an unknown state or justification.
func (s *Statement) check() {
	if s.Problem != "" {
		return
	}
	switch {
	case strings.TrimSpace(s.Vuln) == "":
		s.Problem = "names no vulnerability"
	case s.State == "":
		s.Problem = fmt.Sprintf("state %q is not a VEX state", s.DocState)
	case s.Justification != "" && !slices.Contains(ledger.VulnJustifications, s.Justification):
		s.Problem = fmt.Sprintf("justification %q is in neither the CycloneDX nor the OpenVEX vocabulary", s.Justification)
	case s.ProductOnly:
		s.Problem = fmt.Sprintf("names %q and no component in it: osgauge records analyses per component", s.Ref)
	case s.Package == "":
		s.Problem = fmt.Sprintf("component %q has no package URL", s.Ref)
	}
}

func parseTime(s string) time.Time {
	for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(l, strings.TrimSpace(s)); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

func addAlias(as []string, id, vuln string) []string {
	id = strings.TrimSpace(id)
	if id == "" || strings.EqualFold(id, vuln) || slices.ContainsFunc(as, func(a string) bool { return strings.EqualFold(a, id) }) {
		return as
	}
	return append(as, id)
}
