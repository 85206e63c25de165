package notify

import (
	"slices"
	"testing"
	"time"

	"github.com/osgauge/osgauge/vulns"
)

// Alerts from hand-made findings, now = t0 = 2026-12-07 09:00 UTC and
// due_soon_days 7 (the window ends 2026-12-14 09:00, inclusive).
func TestAlerts(t *testing.T) {
	day := 24 * time.Hour
	ev := func(at time.Time, state, source string) vulns.Event {
		return vulns.Event{At: at, State: state, Source: source}
	}
	open := func(id, sev string, due time.Time) vulns.Finding {
		return vulns.Finding{ID: id, System: "payments", Component: "pkg:npm/x", Version: "1.0.0", Vuln: "CVE-" + id, Severity: sev,
			State: vulns.InTriage, Open: true, Since: t0.Add(-10 * day), Due: due, History: []vulns.Event{ev(t0.Add(-10*day), vulns.InTriage, vulns.SourceSBOM)}}
	}
	a := open("A", "critical", t0.Add(12*day)) // kev + critical; due in 12 days: not soon
	a.KEV, a.FixedIn = true, "2.17.1"
	b := open("B", "high", t0.Add(5*day)) // high with a fix, due in 5 days
	b.FixedIn = "1.2.3"
	c := open("C", "high", t0.Add(7*day))   // no fix; due in exactly 7 days: soon
	d := open("D", "medium", t0.Add(8*day)) // nothing: due in 8 days
	e := open("E", "low", t0.Add(-day))     // overdue
	e.Overdue = true
	f := open("F", "critical", t0.Add(day)) // not_affected: settled, no alert
	f.KEV, f.State, f.Open = true, vulns.NotAffected, false
	g := open("G", "critical", t0.Add(20*day)) // reopened a day ago
	g.Reopened = true
	g.History = []vulns.Event{ev(t0.Add(-30*day), vulns.InTriage, vulns.SourceSBOM), ev(t0.Add(-20*day), vulns.Verified, vulns.SourceRetest), ev(t0.Add(-day), vulns.InTriage, vulns.SourceSBOM)}
	h := open("H", "critical", t0.Add(20*day)) // a mitigation ended 3 days ago
	h.State = vulns.Affected
	h.History = []vulns.Event{ev(t0.Add(-40*day), vulns.InTriage, vulns.SourceSBOM), ev(t0.Add(-35*day), vulns.Mitigated, vulns.SourceLedger), ev(t0.Add(-3*day), vulns.Affected, vulns.SourceExpiry)}
	i := open("I", "critical", t0.Add(20*day)) // marked fixed 5 days ago, a later SBOM still holds it
	i.State, i.FixNotVerified = vulns.Fixed, true
	i.History = []vulns.Event{ev(t0.Add(-10*day), vulns.InTriage, vulns.SourceSBOM), ev(t0.Add(-5*day), vulns.Fixed, vulns.SourceLedger), ev(t0.Add(-2*day), vulns.Fixed, vulns.SourceRetest)}

	got := Alerts([]vulns.Finding{a, b, c, d, e, f, g, h, i}, t0, 7)
	var keys []string
	for _, x := range got {
		keys = append(keys, x.Key+" "+x.Note)
	}
	// The state's start: 10 days before t0 is 2026-11-27 09:00; G's
	// reopening 2026-12-06, H's expiry 2026-12-04, I's fix 2026-12-02 (the
	// re-test's later "fixed" event does not restart it).
	want := []string{
		"A|kev|in_triage@2026-11-27T09:00:00Z ",
		"A|critical|in_triage@2026-11-27T09:00:00Z ",
		"B|high_fixable|in_triage@2026-11-27T09:00:00Z ",
		"B|due_soon|in_triage@2026-11-27T09:00:00Z ",
		"C|due_soon|in_triage@2026-11-27T09:00:00Z ",
		"E|overdue|in_triage@2026-11-27T09:00:00Z ",
		"G|critical|in_triage@2026-12-06T09:00:00Z reopened",
		"H|critical|affected@2026-12-04T09:00:00Z mitigation_expired",
		"I|critical|fixed@2026-12-02T09:00:00Z fix_not_verified",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("alerts\n%q\nwant\n%q", keys, want)
	}
	if got[0].Due != "2026-12-19" || got[0].FixedIn != "2.17.1" || !got[0].KEV || got[0].Finding != "A" || got[0].Severity != "critical" {
		t.Errorf("A's alert %+v", got[0])
	}
	// due_soon_days 0: no due_soon alerts (B keeps high_fixable).
	for _, x := range Alerts([]vulns.Finding{b, c}, t0, 0) {
		if x.Event == EventDueSoon {
			t.Errorf("due_soon with 0 days: %+v", x)
		}
	}
	// A note is shown in the message's language.
	m := BuildMessage(KindAlert, got[6:7], "zh", t0)
	if m.Lines[0] != "[严重] 系统 payments：pkg:npm/x 1.0.0 — CVE-G（严重）；处置期限 2026-12-27；重新出现（曾经复测已消除）" {
		t.Errorf("zh line %q", m.Lines[0])
	}
}
