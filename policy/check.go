package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/licenses"
)

// Vuln is a known vulnerability of a component's version.
type Vuln struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases,omitempty"`
	Severity string   `json:"severity"` // critical, high, medium, low, none, unknown
	KEV      bool     `json:"kev,omitempty"`
	Fixed    string   `json:"fixed,omitempty"` // the first fixed version after this one, "" when none is known
}

// Component is one component a system uses, with what the caller
// gathered about it: its ledger state, its licence judged for the
// system, its known vulnerabilities.
type Component struct {
	Name    string `json:"name"` // as people know it (group:artifact, @scope/name)
	Version string `json:"version"`
	PURL    string `json:"purl,omitempty"`
	// Target is the ledger's name for the package: the purl without
	// version, else the repository URL.
	Target string `json:"target,omitempty"`
	Direct bool   `json:"direct"`
	// RelationUnknown: the SBOM has no dependency graph to tell direct
	// from transitive (the caller then sets Direct, conservatively).
	RelationUnknown bool   `json:"relation_unknown,omitempty"`
	Scope           string `json:"scope,omitempty"` // the SBOM's scope; "own" and "excluded" are not checked
	// State is the ledger's: approved, conditional, rejected, exit or
	// unapproved ("" reads as unapproved).
	State           string   `json:"state"`
	Decided         string   `json:"decided,omitempty"` // when the decision in force was taken (a date)
	DecidedBy       string   `json:"decided_by,omitempty"`
	Why             string   `json:"why,omitempty"`
	Conditions      []string `json:"conditions,omitempty"`
	ReviewBy        string   `json:"review_by,omitempty"` // the approval's review date, YYYY-MM-DD
	ExitDeadline    string   `json:"exit_deadline,omitempty"`
	ExitReplacement string   `json:"exit_replacement,omitempty"`
	ExitReason      string   `json:"exit_reason,omitempty"`
	// The licence as judged for this system (collectors/sbom's Judger).
	Licence          string `json:"licence,omitempty"`
	LicenceClass     string `json:"licence_class,omitempty"`
	Compatibility    string `json:"compatibility,omitempty"` // licenses.Verdicts
	CompatibilityWhy string `json:"compatibility_why,omitempty"`
	LicencePolicy    string `json:"licence_policy,omitempty"` // allowed, review, banned
	SystemLicence    string `json:"system_licence,omitempty"`
	Use              string `json:"use,omitempty"`
	Vulns            []Vuln `json:"vulnerabilities,omitempty"`
}

// Finding is one problem of one component, with its fix. Blocking
// findings fail the check; the others warn.
type Finding struct {
	Component string `json:"component"`
	Version   string `json:"version"`
	PURL      string `json:"purl"`
	Rule      string `json:"rule"`
	Message   string `json:"message"`
	Fix       string `json:"fix"`
	Blocking  bool   `json:"blocking"`
}

// Rule ids of findings, in the order a component's findings are listed.
const (
	RuleRejected            = "rejected"
	RuleExitOverdue         = "exit-overdue"
	RuleLicenceBanned       = "licence-banned"
	RuleLicenceIncompatible = "licence-incompatible"
	RuleKEV                 = "kev"
	RuleVulnerability       = "vulnerability"
	RuleUnapproved          = "unapproved"
	RuleExit                = "exit"
	RuleConditional         = "conditional"
	RuleReviewDue           = "review-due"
	RuleLicenceReview       = "licence-review"
)

// RuleInfo describes a rule (for SARIF's rule list and documentation).
type RuleInfo struct {
	ID, Name, Description string
}

// RuleList describes every rule Check applies.
var RuleList = []RuleInfo{
	{RuleRejected, "Rejected", "The component was rejected at intake: it may not be used."},
	{RuleExitOverdue, "ExitOverdue", "The component is on the exit list and its deadline has passed."},
	{RuleLicenceBanned, "LicenceBanned", "The licence is banned by the institution's policy (license_policy or lifecycle.policy.banned_licences)."},
	{RuleLicenceIncompatible, "LicenceIncompatible", "The licence is incompatible with the system's licence in its use."},
	{RuleKEV, "KnownExploited", "A known-exploited vulnerability (CISA KEV) affects this version."},
	{RuleVulnerability, "Vulnerability", "A vulnerability at or above the policy's block_severity affects this version."},
	{RuleUnapproved, "Unapproved", "The component is used without an intake decision."},
	{RuleExit, "ExitPlanned", "The component is on the exit list: replace it before the deadline."},
	{RuleConditional, "Conditional", "The component was approved on conditions."},
	{RuleReviewDue, "ReviewDue", "The approval's review date has passed."},
	{RuleLicenceReview, "LicenceReview", "The licence needs review under the policy or its compatibility could not be told."},
}

func ruleRank(id string) int {
	return slices.IndexFunc(RuleList, func(r RuleInfo) bool { return r.ID == id })
}

// notThirdParty are the SBOM scopes that are not third-party use in the
// delivered system (as the lifecycle report counts it): the system's own
// modules, what only tests, builds and development use, and what the SBOM
// excludes. They need no intake and their ledger state is not checked;
// the licence (judged as internal use) and vulnerabilities of test, build
// and development components still are.
var notThirdParty = []string{"own", "test", "build", "dev", "excluded"}

// ThirdPartyUse reports whether a component of this SBOM scope is
// third-party use in the delivered system.
func ThirdPartyUse(scope string) bool { return !slices.Contains(notThirdParty, scope) }

// NeedsIntake says whether a component needs its own intake decision
// under intake_required: every direct one unless none, transitive ones
// only under all; never one that is not third-party use (ThirdPartyUse).
func (r Rules) NeedsIntake(c Component) bool {
	if !ThirdPartyUse(c.Scope) {
		return false
	}
	switch r.IntakeRequired {
	case IntakeNone:
		return false
	case IntakeAll:
		return true
	}
	return c.Direct
}

// Check judges the components system uses: one finding per problem, each
// with its fix, blocking ones first. Blocking: a rejected component, an
// exit past its deadline, a banned licence or one incompatible with the
// system's licence and use, a known-exploited vulnerability (block_kev)
// or one at or above block_severity, use without intake where intake is
// required (block_unapproved). Warnings: an exit before its deadline, an
// approval on conditions or past its review date, a licence to review.
// The system's own modules (scope own) and what its SBOM excludes are not
// checked; test, build and development components are checked for
// licence and vulnerabilities only. now decides deadlines (dates are read as UTC days: a deadline
// passes at the end of its day).
func Check(system string, comps []Component, r Rules, now time.Time) []Finding {
	r = r.WithDefaults()
	today := now.UTC().Format(time.DateOnly)
	var out []Finding
	for _, c := range comps {
		if c.Scope == "own" || c.Scope == "excluded" {
			continue
		}
		add := func(rule string, blocking bool, msg, fix string) {
			out = append(out, Finding{Component: c.Name, Version: c.Version, PURL: c.PURL, Rule: rule, Message: msg, Fix: fix, Blocking: blocking})
		}
		name := c.Name
		if c.Version != "" {
			name += " " + c.Version
		}
		state := c.State
		if state == "" {
			state = Unapproved
		}
		if !ThirdPartyUse(c.Scope) && state != Rejected && state != Exit {
			// Tests, builds, development need no intake; but a rejected
			// component, or one past its exit, may not be used in any
			// scope: build tools run in the pipeline too.
			state = ""
		}
		switch state {
		case Rejected:
			add(RuleRejected, true, fmt.Sprintf("%s was rejected%s: %s", name, decidedText(c), orText(c.Why, "no reason recorded")),
				replaceFix(c.ExitReplacement, ""))
		case Exit:
			deadline := c.ExitDeadline
			why := ""
			if c.ExitReason != "" {
				why = " (" + c.ExitReason + ")"
			}
			switch {
			case deadline == "":
				add(RuleExit, false, fmt.Sprintf("%s is on the exit list%s with no deadline", name, why), replaceFix(c.ExitReplacement, ""))
			case !validDate(deadline):
				add(RuleExit, false, fmt.Sprintf("%s is on the exit list%s; its deadline %q is not a date (YYYY-MM-DD)", name, why, deadline), replaceFix(c.ExitReplacement, ""))
			case today > deadline:
				add(RuleExitOverdue, true, fmt.Sprintf("%s is on the exit list%s and its deadline %s has passed", name, why, deadline),
					replaceFix(c.ExitReplacement, "")+" (overdue since "+deadline+")")
			default:
				add(RuleExit, false, fmt.Sprintf("%s is on the exit list%s, deadline %s", name, why, deadline), replaceFix(c.ExitReplacement, deadline))
			}
		case Unapproved:
			if r.NeedsIntake(c) {
				rel := "a direct dependency"
				switch {
				case c.RelationUnknown:
					rel = "a component whose relation the SBOM does not tell (treated as direct)"
				case !c.Direct:
					rel = "a transitive dependency (lifecycle.intake_required: all)"
				}
				target := c.PURL
				if target == "" {
					target = c.Target
				}
				if target == "" {
					target = c.Name
				}
				add(RuleUnapproved, *r.BlockUnapproved, fmt.Sprintf("%s is used by %s without an intake decision: %s", name, system, rel),
					"request intake: osgauge intake assess "+shellWord(target))
			}
		case Conditional:
			conds := "none recorded"
			if len(c.Conditions) > 0 {
				conds = strings.Join(c.Conditions, "; ")
			}
			add(RuleConditional, false, fmt.Sprintf("%s is approved on conditions%s: %s", name, decidedText(c), conds),
				"keep to the conditions recorded with the decision")
		}
		// A review is due on its day (as the ledger's ReviewDue).
		if (state == Approved || state == Conditional) && validDate(c.ReviewBy) && today >= c.ReviewBy {
			add(RuleReviewDue, false, fmt.Sprintf("%s's approval was due for review on %s", name, c.ReviewBy),
				"review it: osgauge intake assess, then osgauge intake decide")
		}
		checkLicence(c, name, system, r, add)
		for _, v := range dedupVulns(c.Vulns) {
			kev := v.KEV && *r.BlockKEV
			if !kev && !r.blocksSeverity(v.Severity) {
				continue
			}
			rule, what := RuleVulnerability, v.Severity
			if v.KEV {
				rule, what = RuleKEV, v.Severity+", known exploited (CISA KEV)"
				if !kev {
					rule = RuleVulnerability
				}
			}
			ids := v.ID
			if len(v.Aliases) > 0 {
				ids += " (" + strings.Join(v.Aliases, ", ") + ")"
			}
			fix := "no fixed version: mitigate and record an analysis"
			if v.Fixed != "" {
				fix = "upgrade to ≥ " + v.Fixed
			}
			add(rule, true, fmt.Sprintf("%s is affected by %s: %s", name, ids, what), fix)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Blocking != b.Blocking {
			if a.Blocking {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Component, b.Component), strings.Compare(a.Version, b.Version),
			cmp.Compare(ruleRank(a.Rule), ruleRank(b.Rule)), strings.Compare(a.Message, b.Message))
	})
	return out
}

// Passed says whether no finding blocks.
func Passed(fs []Finding) bool {
	return !slices.ContainsFunc(fs, func(f Finding) bool { return f.Blocking })
}

func checkLicence(c Component, name, system string, r Rules, add func(rule string, blocking bool, msg, fix string)) {
	lic := orText(c.Licence, "no licence declared")
	banned, ids := r.bannedID(c.Licence)
	switch {
	case banned:
		add(RuleLicenceBanned, true, fmt.Sprintf("%s is under %s; %s banned (lifecycle.policy.banned_licences)", name, lic, strings.Join(ids, ", ")+isAre(len(ids))),
			"replace it with a component under an allowed licence")
	case c.LicencePolicy == licenses.Banned:
		add(RuleLicenceBanned, true, fmt.Sprintf("%s is under %s (%s), banned by license_policy for %s use", name, lic, orText(c.LicenceClass, "class unknown"), orText(c.Use, "its")),
			"replace it with a component under an allowed licence")
	}
	if c.Compatibility == licenses.Incompatible {
		sys := system
		if c.SystemLicence != "" {
			sys += " (" + c.SystemLicence + ")"
		}
		add(RuleLicenceIncompatible, true, fmt.Sprintf("%s's licence %s is incompatible with %s: %s", name, lic, sys, orText(c.CompatibilityWhy, "see the OSADL matrix")),
			"replace it, or change how the system uses or links it")
		return
	}
	if banned || c.LicencePolicy == licenses.Banned {
		return
	}
	switch {
	case c.LicencePolicy == licenses.Review:
		add(RuleLicenceReview, false, fmt.Sprintf("%s is under %s (%s): license_policy asks for a review for %s use", name, lic, orText(c.LicenceClass, "class unknown"), orText(c.Use, "its")),
			"have the licence reviewed and record the decision (osgauge intake decide)")
	case c.Compatibility == licenses.NeedsReview:
		add(RuleLicenceReview, false, fmt.Sprintf("%s's licence %s: compatibility with %s could not be told: %s", name, lic, system, orText(c.CompatibilityWhy, "not in the OSADL matrix")),
			"have the licence reviewed and record the decision (osgauge intake decide)")
	}
}

// dedupVulns drops a vulnerability that an earlier one names by id or
// alias (GHSA and CVE records of one flaw), keeping the first; its KEV
// flag and severity are the worst of the two, its fix the later one.
func dedupVulns(vs []Vuln) []Vuln {
	var out []Vuln
	for _, v := range vs {
		names := append([]string{v.ID}, v.Aliases...)
		i := slices.IndexFunc(out, func(o Vuln) bool {
			on := append([]string{o.ID}, o.Aliases...)
			return slices.ContainsFunc(names, func(n string) bool { return slices.Contains(on, n) })
		})
		if i < 0 {
			v.Aliases = slices.Clone(v.Aliases)
			out = append(out, v)
			continue
		}
		o := &out[i]
		o.KEV = o.KEV || v.KEV
		if severityRank(v.Severity) > severityRank(o.Severity) {
			o.Severity = v.Severity
		}
		// The later fixed version (ledger.CompareVersions): upgrading to
		// the earlier one may leave the other record's flaw in.
		if o.Fixed == "" || (v.Fixed != "" && ledger.CompareVersions(v.Fixed, o.Fixed) > 0) {
			o.Fixed = v.Fixed
		}
		for _, a := range names {
			if a != o.ID && !slices.Contains(o.Aliases, a) {
				o.Aliases = append(o.Aliases, a)
			}
		}
	}
	return out
}

func decidedText(c Component) string {
	s := ""
	if c.Decided != "" {
		s = " on " + c.Decided
	}
	if c.DecidedBy != "" {
		s += " by " + c.DecidedBy
	}
	return s
}

func replaceFix(replacement, deadline string) string {
	s := "replace it"
	if replacement != "" {
		s = "replace with " + replacement
	}
	if deadline != "" {
		s += " before " + deadline
	}
	return s
}

func validDate(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}

func orText(s, alt string) string {
	if strings.TrimSpace(s) == "" {
		return alt
	}
	return s
}

func isAre(n int) string {
	if n == 1 {
		return " is"
	}
	return " are"
}

// shellWord quotes s for a POSIX shell when it holds anything but safe
// characters (a purl's @ and : are safe; ?, & and # are not).
func shellWord(s string) string {
	safe := true
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("@%+-_.,:/=", r)) {
			safe = false
			break
		}
	}
	if safe && s != "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
