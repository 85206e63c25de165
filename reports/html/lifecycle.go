package html

import (
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// The lifecycle section (issue 23): the components in use by ledger
// state, use without intake by system and by component, the exit list
// with its progress, the exit candidates and the decisions in force. Its
// two headline figures (use without intake, overdue exits) are also on
// the overview, so the board paper carries them. html/template escapes
// every text.

// lcMaxRows caps the rows of the long tables (the workbook and the JSON
// have them all).
const lcMaxRows = 50

type lifecycleView struct {
	Required                                           string
	Total, Approved, Conditional, Rejected, Exit       int
	Unapproved, Transitive, NotRequired, NotThirdParty int
	Decided, NeedIntake, Overdue                       int
	DecidedShare                                       string // "75%", "" when nothing needs intake
	BySystem                                           []reports.LcSystemCount
	UnapprovedRows                                     []lcUnapprovedRow
	MoreUnapproved                                     string
	Exits                                              []lcExitRow
	PreviousHeader                                     string
	Candidates                                         []lcCandidateRow
	MoreCandidates                                     string
	Decisions                                          []lcDecisionRow
	MoreDecisions                                      string
	// GMI are the governance practices the lifecycle measures: the
	// evidence level and its text beside the questionnaire's answer.
	GMI []lcGMIRow
	// Pending are the proposals awaiting confirmation (maker-checker),
	// oldest first; MorePending says how many more the workbook lists.
	Pending     []lcPendingRow
	MorePending string
}

// lcPendingRow is a proposal awaiting a second person: its kind, subject,
// proposer, date and what it would do.
type lcPendingRow struct {
	ID, Kind, Subject, By, At, What string
}

type lcGMIRow struct {
	ID, Name, Level, Evidence string
	Discrepancy               bool
}

type lcUnapprovedRow struct {
	Component, Version, Target, Systems string
}

type lcExitRow struct {
	Target, Versions, Reason, Replacement, Deadline, Owner string
	Remaining                                              int
	Previous, Progress, Status                             string
	Overdue                                                bool
	Systems                                                string
}

type lcCandidateRow struct {
	Component, Version, Project, Gates, Reason, Systems string
}

type lcDecisionRow struct {
	ID, Target, Versions, Decision, By, At, ReviewBy, Why, Conditions string
	ReviewDue, Rejected                                               bool
	InUse                                                             int
}

// lifecycle builds the section, nil when the report has none.
func lifecycle(r *reports.Report, lang string) *lifecycleView {
	lc := r.Lifecycle
	if lc == nil {
		return nil
	}
	L := func(k string) string { return labels.T(lang, k) }
	val := func(prefix, v string) string { return valueLabel(lang, prefix, v) }
	more := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strings.ReplaceAll(L("lc.more"), "{n}", strconv.Itoa(n))
	}
	n := lc.InUse
	v := &lifecycleView{Required: val("lc.required.", lc.IntakeRequired), Total: n.Total, Approved: n.Approved, Conditional: n.Conditional,
		Rejected: n.Rejected, Exit: n.Exit, Unapproved: n.Unapproved, Transitive: n.TransitiveNoIntake, NotRequired: n.IntakeNotRequired,
		NotThirdParty: n.NotThirdParty, Decided: n.Decided, NeedIntake: n.NeedIntake, Overdue: n.OverdueExits, BySystem: lc.UnapprovedBySystem}
	if n.NeedIntake > 0 {
		v.DecidedShare = strconv.Itoa(int(100*float64(n.Decided)/float64(n.NeedIntake)+0.5)) + "%"
	}
	for i, u := range lc.UnapprovedInUse {
		if i == lcMaxRows {
			v.MoreUnapproved = more(len(lc.UnapprovedInUse) - lcMaxRows)
			break
		}
		v.UnapprovedRows = append(v.UnapprovedRows, lcUnapprovedRow{u.Component, u.Version, u.Target, strings.Join(u.Systems, ", ")})
	}
	v.PreviousHeader = L("lc.previous")
	if !lc.PreviousAsOf.IsZero() {
		v.PreviousHeader = strings.ReplaceAll(v.PreviousHeader, "{d}", lc.PreviousAsOf.Format("2006-01-02"))
	} else {
		v.PreviousHeader = strings.NewReplacer(" ({d})", "", "（{d}）", "").Replace(v.PreviousHeader)
	}
	for _, x := range lc.Exits {
		row := lcExitRow{Target: x.Component, Versions: x.Versions, Reason: val("lc.reason.", x.Reason), Replacement: x.Replacement,
			Deadline: x.Deadline, Owner: x.Owner, Remaining: x.SystemsRemaining, Previous: dash, Overdue: x.Overdue, Status: L("lc.on_track")}
		switch {
		case x.Overdue:
			row.Status = L("lc.overdue")
		case x.SystemsRemaining == 0:
			row.Status = L("lc.done")
		}
		if p := x.SystemsRemainingPrevious; p != nil {
			row.Previous = strconv.Itoa(*p)
			if d := x.SystemsRemaining - *p; d != 0 {
				row.Progress = strconv.Itoa(d)
				if d > 0 {
					row.Progress = "+" + row.Progress
				}
			}
		}
		var sys []string
		for _, s := range x.Systems {
			how := L("lc.depth_unknown")
			switch s.Relation {
			case "direct":
				how = L("lc.directly")
			case "transitive":
				how = L("lc.transitively")
			}
			sys = append(sys, s.System+" "+s.Version+" ("+how+")")
		}
		row.Systems = strings.Join(sys, "; ")
		v.Exits = append(v.Exits, row)
	}
	for i, c := range lc.ExitCandidates {
		if i == lcMaxRows {
			v.MoreCandidates = more(len(lc.ExitCandidates) - lcMaxRows)
			break
		}
		v.Candidates = append(v.Candidates, lcCandidateRow{c.Component, c.Version, c.Project, strings.Join(c.Gates, ", "),
			val("lc.reason.", c.Reason), strings.Join(c.Systems, ", ")})
	}
	for i, p := range lc.AwaitingConfirmation {
		if i == lcMaxRows {
			v.MorePending = more(len(lc.AwaitingConfirmation) - lcMaxRows)
			break
		}
		row := lcPendingRow{ID: p.ID, Kind: val("lc.pending.kind.", p.Kind), Subject: p.Subject, By: p.By, At: p.At.Format("2006-01-02"),
			What: val("lc.pending.action.", p.Action)}
		if p.Versions != "" {
			row.Subject += " " + p.Versions
		}
		if p.Detail != "" {
			row.What += L("lc.pending.sep") + p.Detail
		}
		v.Pending = append(v.Pending, row)
	}
	shown := 0
	current := 0
	for _, d := range lc.Decisions {
		if d.Status != "current" {
			continue
		}
		current++
		if shown == lcMaxRows {
			continue
		}
		shown++
		v.Decisions = append(v.Decisions, lcDecisionRow{ID: d.ID, Target: d.Target, Versions: d.Versions, Decision: val("lc.state.", d.Decision),
			By: d.By, At: d.At.Format("2006-01-02"), ReviewBy: d.ReviewBy, Why: d.Why, Conditions: strings.Join(d.Conditions, "; "),
			ReviewDue: d.ReviewDue, Rejected: d.Decision == "rejected", InUse: d.InUse})
	}
	v.MoreDecisions = more(current - shown)
	def := r.Defs[models.GovernanceMaturity]
	for _, s := range r.OfKind(models.KindInstitution) {
		res := s.Result(models.GovernanceMaturity)
		if res == nil {
			continue
		}
		for _, in := range res.Indicators {
			if !strings.Contains(in.Source, "lifecycle") {
				continue
			}
			row := lcGMIRow{ID: in.ID, Level: fptr(in.Raw, num), Evidence: in.Evidence, Discrepancy: strings.HasPrefix(in.Evidence, "DISCREPANCY:")}
			if def != nil {
				if d := def.Indicator(in.ID); d != nil {
					row.Name = d.Name.In(lang)
				}
			}
			v.GMI = append(v.GMI, row)
		}
	}
	return v
}
