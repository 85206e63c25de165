package reports

import (
	"encoding/json"
	"time"
)

// Lifecycle is the open-source lifecycle the report shows (issue 23): the
// decisions of the ledger, every component in use checked against them
// (approved, conditional, rejected, exit, unapproved: use without
// intake), the exit list (不推荐使用清单) with the systems that still run
// each entry, and the exit candidates the results propose. Its JSON form
// is the report's top-level "lifecycle" object; the names of the contract
// (decisions, in_use, unapproved_in_use, exits, intake_assessments and
// their fields) are kept, others may be added.
//
// Counts are of components (one version of one package, counted once
// however many systems run it) in third-party use: the systems' own
// modules and what only tests or builds use (SBOM scopes own, test, build,
// dev, excluded) are left out.
type Lifecycle struct {
	// IntakeRequired is lifecycle.intake_required: direct, all or none.
	IntakeRequired string    `json:"intake_required"`
	Ledger         string    `json:"ledger,omitempty"` // the ledger folder read
	AsOf           time.Time `json:"as_of"`            // when states, deadlines and reviews were judged
	// Decisions are the ledger's intake decisions, oldest first, each
	// with its status (current or superseded).
	Decisions []LcDecision `json:"decisions"`
	InUse     LcCounts     `json:"in_use"`
	// UnapprovedInUse are the components used without an intake decision
	// where one is required, most systems first.
	UnapprovedInUse []LcUnapproved `json:"unapproved_in_use"`
	// UnapprovedBySystem counts, per system, the components it uses
	// without intake (systems without any are listed with 0).
	UnapprovedBySystem []LcSystemCount `json:"unapproved_by_system"`
	// Exits are the exit list in force, earliest deadline first.
	Exits []LcExit `json:"exits"`
	// ExitCandidates are components in use whose project is gated
	// (unmaintained, archived, source-available, known-exploited) and that
	// are not on the exit list: proposed, not recorded.
	ExitCandidates []LcCandidate `json:"exit_candidates"`
	// IntakeAssessments are the assessments the decisions in force were
	// based on (stored with each decision in the ledger).
	IntakeAssessments []LcAssessment `json:"intake_assessments"`
	// Components is every component in third-party use with its state.
	Components []LcComponent `json:"components"`
	// AwaitingConfirmation are the decisions proposed under the
	// maker-checker (issue 29) and not yet confirmed or rejected as of
	// AsOf, oldest first. They change no state or count above until an
	// approver other than their proposer confirms them.
	AwaitingConfirmation []LcPending `json:"awaiting_confirmation"`
	// PreviousAsOf is the date the exits' progress compares with: the end
	// of the previous period (zero when the period is not known).
	PreviousAsOf   time.Time `json:"previous_as_of,omitzero"`
	PreviousPeriod string    `json:"previous_period,omitempty"`
}

// LcCounts counts the components in use by state. Unapproved counts only
// the components that need an intake decision and have none; the others
// without a decision are TransitiveNoIntake (intake_required: direct) or
// IntakeNotRequired (intake_required: none). NotThirdParty counts the
// components left out (own modules, test and build use).
type LcCounts struct {
	Approved           int `json:"approved"`
	Conditional        int `json:"conditional"`
	Rejected           int `json:"rejected"`
	Exit               int `json:"exit"`
	Unapproved         int `json:"unapproved"`
	TransitiveNoIntake int `json:"transitive_no_intake_needed"`
	IntakeNotRequired  int `json:"intake_not_required"`
	NotThirdParty      int `json:"not_third_party"`
	// Total is every component in third-party use (all but NotThirdParty).
	Total int `json:"total"`
	// NeedIntake is the components that need an intake decision, Decided
	// those of them that have one (the GMI's evidence of intake).
	NeedIntake int `json:"need_intake"`
	Decided    int `json:"decided"`
	// OverdueExits counts the exits past their deadline with systems
	// remaining.
	OverdueExits int `json:"overdue_exits"`
}

// ByState returns the count of a state (approved, conditional, rejected,
// exit, unapproved).
func (c LcCounts) ByState(state string) int {
	switch state {
	case "approved":
		return c.Approved
	case "conditional":
		return c.Conditional
	case "rejected":
		return c.Rejected
	case "exit":
		return c.Exit
	case "unapproved":
		return c.Unapproved
	}
	return 0
}

// LcDecision is one intake decision of the ledger.
type LcDecision struct {
	ID         string    `json:"id"`
	Target     string    `json:"target"`
	Versions   string    `json:"versions,omitempty"`
	Decision   string    `json:"decision"`
	By         string    `json:"by"`
	Why        string    `json:"why"`
	Conditions []string  `json:"conditions,omitempty"`
	ReviewBy   string    `json:"review_by,omitempty"`
	ReviewDue  bool      `json:"review_due,omitempty"`
	System     string    `json:"system,omitempty"`
	Department string    `json:"department,omitempty"`
	Owner      string    `json:"owner,omitempty"`
	At         time.Time `json:"at"`
	Supersedes string    `json:"supersedes,omitempty"`
	// Status is current or superseded; SupersededBy names the decision
	// that replaced it.
	Status       string `json:"status"`
	SupersededBy string `json:"superseded_by,omitempty"`
	// InUse counts the components in use it decides.
	InUse int    `json:"in_use"`
	File  string `json:"file,omitempty"`
}

// LcUnapproved is a component used without intake where intake is
// required, and the systems that use it so.
type LcUnapproved struct {
	Component string   `json:"component"`
	Version   string   `json:"version"`
	PURL      string   `json:"purl,omitempty"`
	Target    string   `json:"target"`
	Systems   []string `json:"systems"`
}

// LcSystemCount is one system's use without intake.
type LcSystemCount struct {
	System     string `json:"system"`
	Unapproved int    `json:"unapproved"`
	// Components counts its components in third-party use.
	Components int `json:"components"`
}

// LcExit is one entry of the exit list and its progress.
type LcExit struct {
	ID        string `json:"id"`
	Component string `json:"component"` // the ledger's target
	// Versions and Replacement are always written (contract fields);
	// Versions "" means every version.
	Versions    string `json:"versions"`
	Reason      string `json:"reason"`
	Replacement string `json:"replacement"`
	Deadline    string `json:"deadline"`
	Owner       string `json:"owner"`
	By          string `json:"by,omitempty"`
	Why         string `json:"why,omitempty"`
	// SystemsRemaining counts the systems whose current SBOM still lists
	// it; Systems says which, at which version and how.
	SystemsRemaining int            `json:"systems_remaining"`
	Systems          []LcExitSystem `json:"systems"`
	Overdue          bool           `json:"overdue"`
	// SystemsRemainingPrevious is SystemsRemaining as the SBOMs current at
	// the previous period's end (PreviousAsOf) showed it; null when no
	// SBOM was imported by then.
	SystemsRemainingPrevious *int `json:"systems_remaining_previous"`
}

// LcExitSystem is a system that still runs an exit-listed component.
type LcExitSystem struct {
	System  string `json:"system"`
	Version string `json:"version"`
	// Relation is direct, transitive or unknown (the SBOM has no graph).
	// The parent of a transitive use is not stored: "transitively".
	Relation string `json:"relation"`
}

// LcCandidate is a component in use proposed for the exit list.
type LcCandidate struct {
	Component string   `json:"component"`
	Version   string   `json:"version"`
	PURL      string   `json:"purl,omitempty"`
	Target    string   `json:"target"`
	Project   string   `json:"project"`
	Gates     []string `json:"gates"`
	Reason    string   `json:"reason"` // security, licence, unmaintained (the ledger's exit reasons)
	Systems   []string `json:"systems"`
}

// LcAssessment is the assessment a decision in force was based on, as the
// ledger stores it.
type LcAssessment struct {
	Decision   string          `json:"decision_id"`
	Target     string          `json:"target"`
	Versions   string          `json:"versions,omitempty"`
	State      string          `json:"decision"`
	Assessment json.RawMessage `json:"assessment"`
}

// LcComponent is one component in third-party use and its state.
type LcComponent struct {
	Component string `json:"component"`
	Version   string `json:"version"`
	PURL      string `json:"purl,omitempty"`
	Target    string `json:"target"`
	State     string `json:"state"`
	// Intake is required (it needs a decision), transitive (only used
	// transitively, intake_required: direct) or not-required (none).
	Intake   string   `json:"intake"`
	Decision string   `json:"decision_id,omitempty"` // or the exit's id
	Systems  []string `json:"systems"`
}

// Intake requirement of a component in use (LcComponent.Intake).
const (
	IntakeRequiredHere = "required"
	IntakeTransitive   = "transitive"
	IntakeNotRequired  = "not-required"
)

// LcPending is a proposal awaiting confirmation (maker-checker): what it
// would decide, about what, by whom and since when.
type LcPending struct {
	ID string `json:"id"`
	// Kind is the maker-checker entry that asks a second person for it:
	// intake, waiver, exit or vex_kev.
	Kind string `json:"kind"`
	// Subject is what it is about: the ledger target of an intake
	// decision or an analysis, the waiver's subject, the target of the
	// exit a cancellation takes off the list.
	Subject  string `json:"subject"`
	Versions string `json:"versions,omitempty"`
	By       string `json:"by"` // the proposer
	// At is when it was proposed.
	At time.Time `json:"at"`
	// Action is what it would do: approved or conditional (an intake
	// decision), waive, cancel_exit, or the analysis state (not_affected).
	Action string `json:"action"`
	// Detail says more of it: the gate waived, what it accepts and until
	// when; the exit cancelled; the vulnerabilities analysed.
	Detail string `json:"detail,omitempty"`
	Why    string `json:"why,omitempty"`
}

// Actions of a proposal awaiting confirmation (LcPending.Action) besides
// the intake decisions and analysis states.
const (
	PendingWaive      = "waive"
	PendingCancelExit = "cancel_exit"
)
