package notify

import (
	"context"
	"strings"
	"time"

	"github.com/osgauge/osgauge/vulns"
)

// Notes an alert may carry about how its finding came to be open.
const (
	NoteReopened          = "reopened"           // verified gone, then back in a later SBOM
	NoteFixNotVerified    = "fix_not_verified"   // marked fixed, still in a later SBOM
	NoteMitigationExpired = "mitigation_expired" // a mitigation's end date passed
)

// Alerts are the alerts the findings raise as of now. Only open findings
// (in triage, affected, an expired mitigation, a fix not verified) raise
// any; not_affected, false_positive, mitigated, fixed and verified ones are
// settled. An open finding raises:
//
//   - kev: it is in CISA's known-exploited catalogue;
//   - critical: its severity is critical;
//   - high_fixable: its severity is high and a fixed version exists;
//   - due_soon: its deadline is not passed and at most dueSoonDays days
//     away (dueSoonDays ≤ 0: never);
//   - overdue: its deadline has passed.
//
// Each alert's key is the finding, the event and the state with the time
// that state began ("<finding>|kev|in_triage@2026-12-07T09:00:00Z"), so an
// alert is sent once while the finding stays in its state, and again
// after a change (triaged as affected, reopened, a fix not verified, a
// mitigation expired).
func Alerts(findings []vulns.Finding, now time.Time, dueSoonDays int) []Alert {
	var out []Alert
	for _, f := range findings {
		if !f.Open {
			continue
		}
		var events []string
		if f.KEV {
			events = append(events, EventKEV)
		}
		sev := strings.ToLower(f.Severity)
		if sev == "critical" {
			events = append(events, EventCritical)
		}
		if sev == "high" && f.FixedIn != "" {
			events = append(events, EventHighFixable)
		}
		if !f.Due.IsZero() {
			switch {
			case f.Overdue || now.After(f.Due):
				events = append(events, EventOverdue)
			case dueSoonDays > 0 && !f.Due.After(now.AddDate(0, 0, dueSoonDays)):
				events = append(events, EventDueSoon)
			}
		}
		if len(events) == 0 {
			continue
		}
		state := f.State + "@" + stateSince(f).UTC().Format(time.RFC3339)
		note := ""
		switch {
		case f.FixNotVerified:
			note = NoteFixNotVerified
		case f.Reopened && f.State == vulns.InTriage:
			note = NoteReopened
		case len(f.History) > 0 && f.History[len(f.History)-1].Source == vulns.SourceExpiry:
			note = NoteMitigationExpired
		}
		due := ""
		if !f.Due.IsZero() {
			due = f.Due.UTC().Format(time.DateOnly)
		}
		for _, ev := range events {
			out = append(out, Alert{
				Key: f.ID + "|" + ev + "|" + state, Finding: f.ID, Event: ev,
				System: f.System, Component: f.Component, Version: f.Version, Vuln: f.Vuln,
				Severity: sev, FixedIn: f.FixedIn, Due: due, State: f.State, KEV: f.KEV, Note: note,
			})
		}
	}
	return out
}

// stateSince is when the finding entered its present state: the first of
// the last run of history events in that state (later events in the same
// state — a version change, a re-analysis — do not make it new).
func stateSince(f vulns.Finding) time.Time {
	t := f.Since
	for i := len(f.History) - 1; i >= 0 && f.History[i].State == f.State; i-- {
		t = f.History[i].At
	}
	return t
}

// NotifyFindings sends the alerts the findings raise (Alerts as of the
// Notifier's clock, each channel with its due_soon_days) that are new for
// each channel.
func (n *Notifier) NotifyFindings(ctx context.Context, findings []vulns.Finding) []Result {
	now := n.opt.Now()
	return n.Notify(ctx, func(dueSoonDays int) []Alert { return Alerts(findings, now, dueSoonDays) })
}
