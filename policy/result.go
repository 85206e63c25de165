package policy

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// Result is one check of one system's SBOM: what `osgauge check` prints
// and POST /api/v1/check answers.
type Result struct {
	Passed     bool      `json:"passed"`
	System     string    `json:"system"`
	SBOM       string    `json:"sbom"`
	Components int       `json:"components"` // components checked (the system's own modules and excluded ones left out)
	Blocking   int       `json:"blocking"`
	Warnings   int       `json:"warnings"`
	Findings   []Finding `json:"findings"`
	// Notes say how the check was made (the licence the system was
	// judged under, where vulnerabilities came from).
	Notes     []string  `json:"notes,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
	// Checked are the components (for JUnit's one test case each); Lines
	// the SBOM line where a package URL first appears (for SARIF).
	Checked []Component    `json:"-"`
	Lines   map[string]int `json:"-"`
}

// NewResult checks comps and sums the findings up.
func NewResult(system, sbomName string, comps []Component, r Rules, now time.Time) Result {
	res := Result{System: system, SBOM: sbomName, CheckedAt: now.UTC(), Findings: Check(system, comps, r, now)}
	for _, c := range comps {
		if c.Scope != "own" && c.Scope != "excluded" {
			res.Checked = append(res.Checked, c)
		}
	}
	res.Components = len(res.Checked)
	for _, f := range res.Findings {
		if f.Blocking {
			res.Blocking++
		} else {
			res.Warnings++
		}
	}
	if res.Findings == nil {
		res.Findings = []Finding{}
	}
	res.Passed = res.Blocking == 0
	return res
}

// InputError is an error in what a check was given (an SBOM that does
// not parse, a missing system name): exit code 2 on the command line, 400
// from the API.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// IsInputError reports whether err is (or wraps) an InputError.
func IsInputError(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

// Formats of a check's output.
var Formats = []string{"text", "json", "sarif", "junit"}

// Write writes the result in a format (text, json, sarif, junit).
func (res Result) Write(w io.Writer, format, version string) error {
	switch format {
	case "", "text":
		return res.WriteText(w)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "sarif":
		return res.WriteSARIF(w, version)
	case "junit":
		return res.WriteJUnit(w)
	}
	return &InputError{fmt.Errorf("--format %q: use text, json, sarif or junit", format)}
}

// WriteText writes one line per finding with its fix, blocking first,
// then a summary line.
func (res Result) WriteText(w io.Writer) error {
	for _, f := range res.Findings {
		lvl := "WARN "
		if f.Blocking {
			lvl = "BLOCK"
		}
		name := f.Component
		if f.Version != "" {
			name += "@" + f.Version
		}
		if _, err := fmt.Fprintf(w, "%s %-20s %s: %s; fix: %s\n", lvl, f.Rule, name, oneLine(f.Message), oneLine(f.Fix)); err != nil {
			return err
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "note: %s\n", oneLine(n))
	}
	verdict := "passed"
	if !res.Passed {
		verdict = "blocked"
	}
	_, err := fmt.Fprintf(w, "%s: %s: %s checked, %d blocking, %s: %s\n", res.System, res.SBOM, plural(res.Components, "component"), res.Blocking, plural(res.Warnings, "warning"), verdict)
	return err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// --- SARIF 2.1.0 ----------------------------------------------------------

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	ShortDescription sarifText `json:"shortDescription"`
	DefaultConfig    struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
}

type sarifResult struct {
	RuleID     string          `json:"ruleId"`
	RuleIndex  int             `json:"ruleIndex"`
	Level      string          `json:"level"`
	Message    sarifText       `json:"message"`
	Locations  []sarifLocation `json:"locations"`
	Properties map[string]any  `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
		Region struct {
			StartLine int `json:"startLine"`
		} `json:"region"`
	} `json:"physicalLocation"`
}

// blockingRules are the rules whose findings always block (their SARIF
// default level is error).
var blockingRules = []string{RuleRejected, RuleExitOverdue, RuleLicenceBanned, RuleLicenceIncompatible, RuleKEV, RuleVulnerability, RuleUnapproved}

// WriteSARIF writes a SARIF 2.1.0 log: one run of the osgauge driver with
// its rules, one result per finding (level error when it blocks, warning
// otherwise), located in the SBOM file at the line where the component's
// package URL first appears (line 1 when it cannot be told).
func (res Result) WriteSARIF(w io.Writer, version string) error {
	d := sarifDriver{Name: "osgauge", Version: version, InformationURI: "https://github.com/osgauge/osgauge"}
	for _, ri := range RuleList {
		r := sarifRule{ID: ri.ID, Name: ri.Name, ShortDescription: sarifText{ri.Description}}
		r.DefaultConfig.Level = "warning"
		if slices.Contains(blockingRules, ri.ID) {
			r.DefaultConfig.Level = "error"
		}
		d.Rules = append(d.Rules, r)
	}
	run := sarifRun{Tool: sarifTool{Driver: d}, Results: []sarifResult{}}
	uri := strings.ReplaceAll(res.SBOM, `\`, "/")
	for _, f := range res.Findings {
		sr := sarifResult{RuleID: f.Rule, RuleIndex: ruleRank(f.Rule), Level: "warning",
			Message:    sarifText{f.Message + ". Fix: " + f.Fix},
			Properties: map[string]any{"component": f.Component, "version": f.Version, "purl": f.PURL, "fix": f.Fix, "blocking": f.Blocking, "system": res.System}}
		if f.Blocking {
			sr.Level = "error"
		}
		var loc sarifLocation
		loc.PhysicalLocation.ArtifactLocation.URI = uri
		loc.PhysicalLocation.Region.StartLine = max(res.Lines[f.PURL], 1)
		sr.Locations = []sarifLocation{loc}
		run.Results = append(run.Results, sr)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// --- JUnit XML ------------------------------------------------------------

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Errors    int         `xml:"errors,attr"`
	Timestamp string      `xml:"timestamp,attr"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string         `xml:"name,attr"`
	ClassName string         `xml:"classname,attr"`
	Failures  []junitFailure `xml:"failure"`
	SystemOut string         `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes JUnit XML: one test case per component checked, a
// failure per blocking finding (its rule as type, the message, the fix
// in the body), warnings in the case's system-out.
func (res Result) WriteJUnit(w io.Writer) error {
	type key struct{ name, version, purl string }
	byComp := map[key][]Finding{}
	for _, f := range res.Findings {
		k := key{f.Component, f.Version, f.PURL}
		byComp[k] = append(byComp[k], f)
	}
	suite := junitSuite{Name: "osgauge check " + res.System, Timestamp: res.CheckedAt.Format("2006-01-02T15:04:05")}
	seen := map[key]bool{}
	for _, c := range res.Checked {
		k := key{c.Name, c.Version, c.PURL}
		if seen[k] {
			continue
		}
		seen[k] = true
		name := c.Name
		if c.Version != "" {
			name += "@" + c.Version
		}
		tc := junitCase{Name: name, ClassName: "osgauge.check." + res.System}
		var warn []string
		for _, f := range byComp[k] {
			if f.Blocking {
				tc.Failures = append(tc.Failures, junitFailure{Type: f.Rule, Message: f.Message, Text: "fix: " + f.Fix})
			} else {
				warn = append(warn, "warning "+f.Rule+": "+f.Message+"; fix: "+f.Fix)
			}
		}
		tc.SystemOut = strings.Join(warn, "\n")
		if len(tc.Failures) > 0 {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, tc)
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Name: "osgauge check", Tests: suite.Tests, Failures: suite.Failures, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
