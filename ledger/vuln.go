package ledger

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Vulnerability analyses (kind vuln-analysis, folder vulns/): what the
// institution decided about a known vulnerability in a component — the
// analysis of a CycloneDX VEX statement (analysis.state, justification,
// response, detail) or an OpenVEX statement (status, justification,
// impact_statement, action_statement), plus osgauge's mitigated (a
// measure with an end date, like an exception) and fixed (a person says
// the fix is in; the next SBOM verifies it). One record per file, never
// rewritten: a later analysis of the same finding supersedes an earlier
// one, and the files are the audit trail (who, when, why). An example:
//
//	kind: vuln-analysis
//	id: va-5d0c3e19
//	system: payments
//	target: pkg:maven/com.alibaba/fastjson
//	versions: 1.2.24
//	vuln: CVE-2017-18349
//	state: not_affected
//	justification: vulnerable_code_not_in_execute_path
//	detail: autoType is never enabled; ParserConfig.safeMode is set at start-up
//	by: alice
//	why: code review of the payment gateway, ticket SEC-1234
//	at: 2026-12-07T10:00:00Z
//
// The states are the vulns package's: in_triage, affected (CycloneDX
// exploitable), not_affected, false_positive, mitigated, fixed. verified
// is not recorded by people: the re-test sets it, from the SBOMs.

// KindVulnAnalysis is the kind of a vulnerability analysis record; VulnsDir
// its folder under the ledger folder.
const (
	KindVulnAnalysis = "vuln-analysis"
	VulnsDir         = "vulns"
)

// VulnStates are the states an analysis may record (vulns.InTriage …
// vulns.Fixed; the same spellings).
var VulnStates = []string{"in_triage", "affected", "not_affected", "false_positive", "mitigated", "fixed"}

// VulnJustifications are the justifications of not_affected: CycloneDX
// 1.5+ analysis.justification, then OpenVEX status justifications.
var VulnJustifications = []string{
	// CycloneDX
	"code_not_present", "code_not_reachable", "requires_configuration", "requires_dependency",
	"requires_environment", "protected_by_compiler", "protected_at_runtime", "protected_at_perimeter",
	"protected_by_mitigating_control",
	// OpenVEX
	"component_not_present", "vulnerable_code_not_present", "vulnerable_code_not_in_execute_path",
	"vulnerable_code_cannot_be_controlled_by_adversary", "inline_mitigations_already_exist",
}

// VulnResponses are CycloneDX analysis.response values (a response may
// list several, separated by commas).
var VulnResponses = []string{"can_not_fix", "will_not_fix", "update", "rollback", "workaround_available"}

// VulnAnalysis is one analysis of a vulnerability in a component's
// versions, for one system or ("" ) every system.
type VulnAnalysis struct {
	ID     string `yaml:"id" json:"id"`
	System string `yaml:"system,omitempty" json:"system,omitempty"` // "" every system
	// Target is the package URL without version
	// (pkg:maven/com.alibaba/fastjson), or the component's name where the
	// SBOM gives no package URL.
	Target   string `yaml:"target" json:"target"`
	Versions string `yaml:"versions,omitempty" json:"versions,omitempty"` // a range (VersionMatches); "" every version
	// Vuln is the vulnerability, by any of its aliases (CVE-…, GHSA-…).
	Vuln          string `yaml:"vuln" json:"vuln"`
	State         string `yaml:"state" json:"state"`
	Justification string `yaml:"justification,omitempty" json:"justification,omitempty"`
	Response      string `yaml:"response,omitempty" json:"response,omitempty"`
	// Detail is the impact statement, or for mitigated the measure.
	Detail string `yaml:"detail,omitempty" json:"detail,omitempty"`
	// Until is the last day (YYYY-MM-DD) a mitigation holds.
	Until string    `yaml:"until,omitempty" json:"until,omitempty"`
	By    string    `yaml:"by" json:"by"`
	Why   string    `yaml:"why" json:"why"`
	At    time.Time `yaml:"at" json:"at"`
	// Source is "" for a decision made here, else the VEX file the
	// statement came from.
	Source string `yaml:"source,omitempty" json:"source,omitempty"`
	// Confirmation: the proposal and its second person, when the
	// maker-checker asked for one (proposal.go).
	Confirmation `yaml:",inline"`

	File string `yaml:"-" json:"file,omitempty"`
	Line int    `yaml:"-" json:"line,omitempty"`
}

type vulnAnalysisFile struct {
	Kind         string `yaml:"kind"`
	VulnAnalysis `yaml:",inline"`
}

// UntilDate is the last day of a mitigation; ok is false without one.
func (a VulnAnalysis) UntilDate() (time.Time, bool) {
	t, err := time.Parse(dateLayout, a.Until)
	return t, err == nil
}

// Expired reports whether a mitigation's last day has passed by now (the
// whole of its last day, UTC, still holds).
func (a VulnAnalysis) Expired(now time.Time) bool {
	t, ok := a.UntilDate()
	return ok && !now.UTC().Before(t.AddDate(0, 0, 1))
}

// DefaultMitigationMaxMonths is the longest a mitigation may run, from
// the day it is recorded (At) to its until: the exceptions' default
// (models.DefaultExceptionMaxMonths, 12). The ledger, which does not read
// the config, holds every record to it; 'osgauge vuln set' and 'osgauge vex
// import' also hold a new mitigation to the config's
// exception_policy.max_months when that is shorter.
const DefaultMitigationMaxMonths = models.DefaultExceptionMaxMonths

// CheckMitigationLength returns what is wrong when a mitigation runs past
// maxMonths calendar months from the day it was recorded (≤ 0: the
// default, 12): the last day allowed is the day before the same date
// maxMonths later (recorded 2026-01-15, 12 months: through 2027-01-14), as
// for exceptions. "" when it is within, or is no mitigation with a date.
func (a VulnAnalysis) CheckMitigationLength(maxMonths int) string {
	if maxMonths <= 0 {
		maxMonths = DefaultMitigationMaxMonths
	}
	until, ok := a.UntilDate()
	if !ok || a.At.IsZero() {
		return ""
	}
	at := a.At.UTC()
	start := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	last := models.AddMonths(start, maxMonths).AddDate(0, 0, -1)
	if until.After(last) {
		return fmt.Sprintf("the mitigation runs from %s to %s, longer than the maximum of %d months (exception_policy.max_months): end it on %s at the latest and record it anew then",
			start.Format(dateLayout), a.Until, maxMonths, last.Format(dateLayout))
	}
	return ""
}

func (a *VulnAnalysis) validate(loaded bool) []problem {
	var ps []problem
	ps = append(ps, checkTarget(a.Target)...)
	if err := CheckRange(a.Versions); err != nil {
		ps = append(ps, problem{"versions", err.Error()})
	}
	switch {
	case strings.TrimSpace(a.Vuln) == "":
		ps = append(ps, problem{"vuln", "the vulnerability is required (CVE-…, GHSA-… or any alias)"})
	case strings.ContainsAny(a.Vuln, " \t\n/"):
		ps = append(ps, problem{"vuln", fmt.Sprintf("must be one vulnerability id, got %q", a.Vuln)})
	}
	if strings.ContainsAny(a.System, "\t\n/") {
		ps = append(ps, problem{"system", fmt.Sprintf("must be a system name, got %q", a.System)})
	}
	switch {
	case a.State == "verified":
		ps = append(ps, problem{"state", "verified is set by the re-test (the system's next SBOM without the vulnerable version), not recorded; record fixed"})
	case !slices.Contains(VulnStates, a.State):
		ps = append(ps, problem{"state", fmt.Sprintf("must be one of %s, got %q", strings.Join(VulnStates, ", "), a.State)})
	}
	if a.Justification != "" {
		if !slices.Contains(VulnJustifications, a.Justification) {
			ps = append(ps, problem{"justification", fmt.Sprintf("must be one of %s, got %q", strings.Join(VulnJustifications, ", "), a.Justification)})
		} else if a.State != "not_affected" {
			ps = append(ps, problem{"justification", fmt.Sprintf("a justification says why a component is not_affected; the state is %q", a.State)})
		}
	}
	if a.State == "not_affected" && a.Justification == "" && strings.TrimSpace(a.Detail) == "" {
		ps = append(ps, problem{"justification", "not_affected needs a justification (" + strings.Join(VulnJustifications, ", ") + ") or an impact statement in detail"})
	}
	if a.Response != "" {
		for _, r := range strings.Split(a.Response, ",") {
			if !slices.Contains(VulnResponses, strings.TrimSpace(r)) {
				ps = append(ps, problem{"response", fmt.Sprintf("must be %s (several separated by commas), got %q", strings.Join(VulnResponses, ", "), a.Response)})
				break
			}
		}
	}
	switch {
	case a.State == "mitigated" && a.Until == "":
		ps = append(ps, problem{"until", "a mitigation states its last day (YYYY-MM-DD): it expires like an exception"})
	case a.Until != "" && a.State != "mitigated":
		ps = append(ps, problem{"until", fmt.Sprintf("only a mitigation has an end date; the state is %q", a.State)})
	case a.Until != "":
		if _, ok := a.UntilDate(); !ok {
			ps = append(ps, problem{"until", fmt.Sprintf("must be a date YYYY-MM-DD, got %q", a.Until)})
		} else if msg := a.CheckMitigationLength(DefaultMitigationMaxMonths); msg != "" {
			ps = append(ps, problem{"until", msg})
		}
	}
	if a.State == "mitigated" && strings.TrimSpace(a.Detail) == "" {
		ps = append(ps, problem{"detail", "a mitigation names its measure (a WAF rule, a configuration, a disabled feature)"})
	}
	ps = append(ps, checkWho(a.By, a.Why)...)
	ps = append(ps, a.Confirmation.check()...)
	if loaded {
		ps = append(ps, checkLoaded(a.ID, a.At)...)
	}
	return ps
}

// parseVulnAnalysis adds the analysis in data to l (see parse).
func (l *Ledger) parseVulnAnalysis(name string, data []byte, defaultID string, firstLine int, where func(string) string, decodeErr func(error) []string) []string {
	a, errs := readRecord(data, func(f *vulnAnalysisFile) *VulnAnalysis { return &f.VulnAnalysis }, defaultID, name, firstLine, where, decodeErr)
	if len(errs) == 0 {
		l.Analyses = append(l.Analyses, *a)
	}
	return errs
}

func (a *VulnAnalysis) origin(defaultID, file string, line int) {
	a.ID, a.File, a.Line, a.Target = cmp.Or(a.ID, defaultID), file, line, CanonicalTarget(a.Target)
}

// prepareVulnAnalysis is Record's part for an analysis: the document to
// write, its folder and id, and what is wrong with it.
func prepareVulnAnalysis(a VulnAnalysis, now time.Time) (doc any, sub, id string, errs []problem) {
	a.Target = CanonicalTarget(a.Target)
	a.At, a.File, a.Line = now, "", 0
	errs = a.validate(false)
	if a.ID == "" {
		a.ID = newID("va", a)
	}
	return vulnAnalysisFile{Kind: KindVulnAnalysis, VulnAnalysis: a}, VulnsDir, a.ID, errs
}

// ExactRange is the range that names version v and no other ("1.2.24",
// which reads as "=1.2.24";
// a version the range syntax can hold exactly: starting with a number, no
// wildcard, no comma or operator). Anything else is an error: a decision
// about one version is never widened to a range or to every version.
func ExactRange(v string) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return "", fmt.Errorf("the version is unknown: no range names it exactly (record the analysis with an explicit versions range instead)")
	case strings.ContainsAny(v, ", <>=!|"):
		return "", fmt.Errorf("version %q holds a comma, a space or an operator: no range names it exactly (record the analysis with an explicit versions range instead)", v)
	case strings.HasSuffix(v, ".x") || strings.HasSuffix(v, ".*") || v == "x" || v == "*":
		return "", fmt.Errorf("version %q reads as a wildcard: no range names it exactly (record the analysis with an explicit versions range instead)", v)
	}
	// A bare version is the range of that version ("1.2.83" = "=1.2.83"),
	// the form the ledger's other records use (supersession compares ranges
	// as written).
	if err := CheckRange(v); err != nil || !VersionMatches(v, v) {
		return "", fmt.Errorf("version %q cannot be written as an exact version range (ranges read 1.2.83, >=1.2.83…; record the analysis with an explicit versions range instead)", v)
	}
	return v, nil
}

// SupersededAnalyses returns, for each analysis superseded, the id of the
// later analysis of the same system, target, versions and vulnerability
// that replaced it. (Aliases are not known here: vulns.Build applies the
// latest analysis of any alias.)
func (l *Ledger) SupersededAnalyses() map[string]string {
	out := map[string]string{}
	latest := map[string]string{}
	for _, a := range l.Analyses { // ordered by At, then ID
		k := a.System + "|" + CanonicalTarget(a.Target) + "|" + normRange(a.Versions) + "|" + strings.ToUpper(a.Vuln)
		if prev, ok := latest[k]; ok {
			out[prev] = a.ID
		}
		latest[k] = a.ID
	}
	return out
}

// analysisRecords are the analyses as store rows (see Records).
func (l *Ledger) analysisRecords(status func(string) string) []store.LedgerRecord {
	sup := l.SupersededAnalyses()
	var out []store.LedgerRecord
	for _, a := range l.Analyses {
		b, _ := json.Marshal(a)
		out = append(out, store.LedgerRecord{ID: a.ID, Kind: KindVulnAnalysis, Target: a.Target, Versions: a.Versions,
			State: a.State, Status: status(sup[a.ID]), SupersededBy: sup[a.ID], At: a.At, File: l.rel(a.File), Record: b})
	}
	return out
}
