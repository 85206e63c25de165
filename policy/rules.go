// Package policy says what blocks and what is due: the intake rules a
// candidate is recommended by (Recommend), and the check of a system's
// components against the ledger, the licence verdicts and the known
// vulnerabilities (Check, behind `osgauge check` and POST /api/v1/check).
// Everything here is a pure function over what the caller gathered
// (inventory, ledger states, licence verdicts, vulnerability matches): no
// I/O, no clock but the now passed in, so that the same inputs always give
// the same findings.
package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/osgauge/osgauge/licenses"
)

// satisfies is go-spdx's: whether an expression holds with only the
// allowed licences.
var satisfies = spdxexp.Satisfies

// Intake scopes (lifecycle.intake_required): which components need their
// own intake decision before they are used.
const (
	IntakeDirect = "direct" // the components a system declares itself (the default)
	IntakeAll    = "all"    // transitive ones too (passive intake, 被动引入)
	IntakeNone   = "none"   // no intake is required
)

// IntakeScopes lists the values lifecycle.intake_required takes.
var IntakeScopes = []string{IntakeDirect, IntakeAll, IntakeNone}

// Ledger states of a component in use (the JSON report's spelling).
const (
	Approved    = "approved"
	Conditional = "conditional"
	Rejected    = "rejected"
	Exit        = "exit"
	Unapproved  = "unapproved"
)

// States lists the states, most favourable first.
var States = []string{Approved, Conditional, Rejected, Exit, Unapproved}

// Severities, least first; "off" as block_severity blocks nothing by
// severity (known-exploited ones still block under block_kev).
var Severities = []string{"none", "low", "medium", "high", "critical"}

// SeverityOff turns blocking by severity off.
const SeverityOff = "off"

// Rules are the intake and use policy (config lifecycle.policy). The
// defaults (Defaults) are osgauge's, chosen where JR/T 0291-2024 names the
// concern but not the number: its intake evaluation (§6 引入评估) asks for a
// security evaluation of known vulnerabilities and a licence review before
// a component is introduced, its exit evaluation (§8 退出评估) for
// unmaintained software to be retired; its indicator tables, with any
// thresholds, were not accessible when these defaults were set.
type Rules struct {
	// IntakeRequired is lifecycle.intake_required (direct, all, none;
	// "" reads as direct), set by the caller.
	IntakeRequired string `yaml:"-" json:"intake_required"`
	// MinGrade: a candidate graded below it is rejected (default "C",
	// the PHI's "watch" grade: D is "high risk"). Grades are letters, A
	// the best. A candidate whose grade is not decided (its range spans
	// grades) is rejected only when the whole range lies below MinGrade;
	// a range that only reaches below it makes the approval conditional,
	// with a review date (the best case is not presumed, nor is the worst
	// case taken as proven).
	MinGrade string `yaml:"min_grade" json:"min_grade"`
	// BlockSeverity: a vulnerability at or above it blocks use and
	// intake (default "critical", CVSS v3.1 ≥ 9.0; "off" for none). An
	// unrated advisory counts as medium, as in the PHI's weights.
	BlockSeverity string `yaml:"block_severity" json:"block_severity"`
	// BlockKEV: a vulnerability in CISA's Known Exploited Vulnerabilities
	// catalogue blocks whatever its severity (default true; CISA BOD
	// 22-01 gives federal agencies two weeks to fix one).
	BlockKEV *bool `yaml:"block_kev" json:"block_kev"`
	// BannedLicences are SPDX ids banned outright, beside the licence
	// policy's per-class decisions (license_policy). An expression is
	// banned when it cannot be satisfied without one of them ("MIT OR
	// GPL-3.0-only" is not, with GPL-3.0-only banned: MIT may be chosen).
	BannedLicences []string `yaml:"banned_licences" json:"banned_licences,omitempty"`
	// BlockUnapproved: using a component that needs intake and has no
	// decision blocks (default true unless intake_required is none).
	BlockUnapproved *bool `yaml:"block_unapproved" json:"block_unapproved"`
	// ReviewMonths is how long an approval runs before its review
	// (default 12: once a year, as the governance model's annual review
	// of the approved list).
	ReviewMonths int `yaml:"review_months" json:"review_months"`
}

// Defaults returns the default rules (intake required for direct
// components).
func Defaults() Rules {
	t := true
	return Rules{IntakeRequired: IntakeDirect, MinGrade: "C", BlockSeverity: "critical", BlockKEV: &t, ReviewMonths: 12}
}

// WithDefaults fills what r leaves unset from Defaults.
func (r Rules) WithDefaults() Rules {
	d := Defaults()
	if r.IntakeRequired == "" {
		r.IntakeRequired = d.IntakeRequired
	}
	if r.MinGrade == "" {
		r.MinGrade = d.MinGrade
	}
	if r.BlockSeverity == "" {
		r.BlockSeverity = d.BlockSeverity
	}
	if r.BlockKEV == nil {
		r.BlockKEV = d.BlockKEV
	}
	if r.BlockUnapproved == nil {
		b := r.IntakeRequired != IntakeNone
		r.BlockUnapproved = &b
	}
	if r.ReviewMonths == 0 {
		r.ReviewMonths = d.ReviewMonths
	}
	return r
}

// Validate returns one message per bad value, naming its key under
// lifecycle (lifecycle.policy.min_grade…).
func (r Rules) Validate() []string {
	var msgs []string
	if r.IntakeRequired != "" && !slices.Contains(IntakeScopes, r.IntakeRequired) {
		msgs = append(msgs, fmt.Sprintf("lifecycle.intake_required: %q is not one of %s", r.IntakeRequired, strings.Join(IntakeScopes, ", ")))
	}
	if g := r.MinGrade; g != "" && (len(g) != 1 || g[0] < 'A' || g[0] > 'Z') {
		msgs = append(msgs, fmt.Sprintf("lifecycle.policy.min_grade: %q is not a grade letter (A the best, e.g. C)", g))
	}
	if s := r.BlockSeverity; s != "" && s != SeverityOff && !slices.Contains(Severities, s) {
		msgs = append(msgs, fmt.Sprintf("lifecycle.policy.block_severity: %q is not one of critical, high, medium, low, off", s))
	}
	for i, id := range r.BannedLicences {
		if strings.TrimSpace(id) == "" || strings.ContainsAny(strings.TrimSpace(id), " ()") {
			msgs = append(msgs, fmt.Sprintf("lifecycle.policy.banned_licences[%d]: %q is not one SPDX id (write each licence on its own, e.g. AGPL-3.0-only)", i, id))
		}
	}
	if r.ReviewMonths < 0 || r.ReviewMonths > 60 {
		msgs = append(msgs, fmt.Sprintf("lifecycle.policy.review_months: %d is outside 1–60", r.ReviewMonths))
	}
	return msgs
}

// severityRank orders severities; an unrated advisory ranks as medium.
func severityRank(s string) int {
	s = strings.ToLower(s)
	if i := slices.Index(Severities, s); i >= 0 {
		return i
	}
	return slices.Index(Severities, "medium")
}

// blocksSeverity says whether a severity reaches the rules' threshold.
func (r Rules) blocksSeverity(sev string) bool {
	if r.BlockSeverity == SeverityOff {
		return false
	}
	return severityRank(sev) >= severityRank(r.BlockSeverity)
}

// bannedID reports whether expr cannot be satisfied without one of the
// banned ids, and names the banned ids it holds.
func (r Rules) bannedID(expr string) (bool, []string) {
	if len(r.BannedLicences) == 0 || strings.TrimSpace(expr) == "" {
		return false, nil
	}
	banned := map[string]bool{}
	for _, id := range r.BannedLicences {
		banned[strings.ToLower(licenses.Canonical(id))] = true
	}
	e := licenses.Parse(expr)
	var hit, rest []string
	for _, id := range e.IDs {
		base, _, _ := strings.Cut(licenses.Canonical(id), " WITH ")
		if banned[strings.ToLower(licenses.Canonical(id))] || banned[strings.ToLower(base)] {
			hit = append(hit, id)
		} else {
			rest = append(rest, id)
		}
	}
	if len(hit) == 0 {
		return false, nil
	}
	if len(rest) == 0 {
		return true, hit
	}
	ok, err := satisfies(e.SPDX, rest)
	return err != nil || !ok, hit
}

// reviewDate is now plus the review period, as a date.
func (r Rules) reviewDate(now time.Time) string {
	m := r.ReviewMonths
	if m <= 0 {
		m = Defaults().ReviewMonths
	}
	return now.UTC().AddDate(0, m, 0).Format(time.DateOnly)
}

// gradeBelow says whether grade g is worse than min (letters, A best).
func gradeBelow(g, min string) bool {
	return g != "" && min != "" && strings.ToUpper(g) > strings.ToUpper(min)
}
