package vulns

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/ledger"
)

// NormalizeState reads a state in osgauge's spelling, CycloneDX's
// (exploitable, resolved, in_triage, false_positive, not_affected) or
// OpenVEX's (affected, not_affected, fixed, under_investigation) and
// returns osgauge's; unknown states are returned lower-cased, for the
// ledger's validation to name.
func NormalizeState(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "exploitable":
		return Affected
	case "resolved", "resolved_with_pedigree":
		return Fixed
	case "under_investigation":
		return InTriage
	}
	return s
}

// Find returns the finding ref names: its id; else the one finding whose
// vulnerability or an alias is ref, in system when system is given. An
// ambiguous or unknown ref is an error that lists the candidates.
func Find(fs []Finding, ref, system string) (Finding, error) {
	ref = strings.TrimSpace(ref)
	for _, f := range fs {
		if f.ID == ref && (system == "" || f.System == system) {
			return f, nil
		}
	}
	// An id printed before the vulnerability gained its CVE (…/GHSA-…):
	// the same system and component version, ending in any alias.
	for _, f := range fs {
		prefix := strings.TrimSuffix(f.ID, f.Vuln)
		if prefix != f.ID && strings.HasPrefix(ref, prefix) && (system == "" || f.System == system) &&
			(strings.EqualFold(ref[len(prefix):], f.Vuln) || containsFold(f.Aliases, ref[len(prefix):])) {
			return f, nil
		}
	}
	var hits []Finding
	for _, f := range fs {
		if system != "" && f.System != system {
			continue
		}
		if strings.EqualFold(f.Vuln, ref) || containsFold(f.Aliases, ref) {
			hits = append(hits, f)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		where := ""
		if system != "" {
			where = " in " + system
		}
		return Finding{}, &NotFoundError{fmt.Sprintf("no finding %q%s (a finding is named by its id, system/component@version/vulnerability, as 'osgauge vuln list' prints it, or by its vulnerability id)", ref, where)}
	}
	var ids []string
	for _, f := range hits {
		ids = append(ids, f.ID)
	}
	return Finding{}, fmt.Errorf("%q names %d findings; give one id:\n  %s", ref, len(hits), strings.Join(ids, "\n  "))
}

func containsFold(xs []string, s string) bool {
	for _, x := range xs {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// Decision is what a person decides about a finding ('osgauge vuln set',
// POST /api/v1/vulnerabilities/{finding}/analysis).
type Decision struct {
	State         string `json:"state"`
	Justification string `json:"justification,omitempty"`
	Response      string `json:"response,omitempty"`
	Detail        string `json:"detail,omitempty"`
	Until         string `json:"until,omitempty"` // a mitigation's last day, YYYY-MM-DD
	By            string `json:"by"`
	Why           string `json:"why"`
}

// Analyses are the ledger records of d for f: one per version running,
// each scoped to exactly that version (ledger.ExactRange: "=1.2.24"), to
// f's system and package, under f's vulnerability id. A version that no
// range names exactly (unknown, a wildcard, odd text) is an error: the
// decision is refused, never widened to every version. The ledger
// validates each record when it is recorded.
func Analyses(f Finding, d Decision) ([]ledger.VulnAnalysis, error) {
	var out []ledger.VulnAnalysis
	for _, v := range strings.Split(f.Version, ", ") {
		r, err := ledger.ExactRange(v)
		if err != nil {
			return nil, fmt.Errorf("finding %s runs %q: %w", f.ID, f.Version, err)
		}
		out = append(out, ledger.VulnAnalysis{
			System: f.System, Target: f.Component, Versions: r, Vuln: f.Vuln,
			State: NormalizeState(d.State), Justification: strings.TrimSpace(d.Justification), Response: strings.TrimSpace(d.Response),
			Detail: strings.TrimSpace(d.Detail), Until: strings.TrimSpace(d.Until), By: strings.TrimSpace(d.By), Why: strings.TrimSpace(d.Why),
		})
	}
	return out, nil
}

// NotFoundError is Find's error for a ref that names no finding.
type NotFoundError struct{ msg string }

func (e *NotFoundError) Error() string { return e.msg }

// ListStates are the --state values of a list: the states, and open (the
// findings that are risks now).
var ListStates = []string{InTriage, Affected, NotAffected, FalsePositive, Mitigated, Fixed, Verified, "open"}

// Filter keeps the findings of system ("" every system), in state (""
// every state; "open" the risks; a CycloneDX or OpenVEX spelling is
// read as NormalizeState does) and, with overdue, only the overdue ones.
func Filter(fs []Finding, system, state string, overdue bool) ([]Finding, error) {
	state = NormalizeState(state)
	if state != "" && !slices.Contains(ListStates, state) {
		return nil, fmt.Errorf("state must be one of %s, got %q", strings.Join(ListStates, ", "), state)
	}
	out := []Finding{}
	for _, f := range fs {
		switch {
		case system != "" && f.System != system:
		case state == "open" && !f.Open:
		case state != "" && state != "open" && f.State != state:
		case overdue && !f.Overdue:
		default:
			out = append(out, f)
		}
	}
	return out, nil
}

// QuarterStart is the first instant of t's calendar quarter, UTC.
func QuarterStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
}
