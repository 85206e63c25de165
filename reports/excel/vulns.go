package excel

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/vulns"
)

// The Vulnerability handling sheet (漏洞处置, issue 24): the key figures
// (overdue known-exploited and critical first), open and overdue by
// system, every finding riskiest first, the ageing of the open findings,
// the time to fix per quarter, and the findings analysed not affected or
// false positive with their justification and who decided (no risk,
// nothing hidden). Every text from outside (names, ids, who and why) is
// written as a string, never a formula.

// vhSeverity is a severity's label.
func (w *writer) vhSeverity(s string) string { return w.valueLabel("vh.sev.", s) }

// vhMarks are a finding's markers: overdue, reopened, fix not verified.
func (w *writer) vhMarks(f reports.VulnFinding) string {
	var m []string
	if f.Overdue {
		m = append(m, w.t("vh.mark.overdue"))
	}
	if f.Reopened {
		m = append(m, w.t("vh.mark.reopened"))
	}
	if f.FixNotVerified {
		m = append(m, w.t("vh.mark.fix_not_verified"))
	}
	if f.MitigatedUntil != "" {
		m = append(m, strings.ReplaceAll(w.t("vh.mark.mitigation_until"), "{d}", f.MitigatedUntil))
	}
	return strings.Join(m, ", ")
}

// vhDecision is the event that set a finding's analysed state: the latest
// analysis (ledger or VEX) of that state, zero when there is none.
func vhDecision(f reports.VulnFinding) vulns.Event {
	for i := len(f.History) - 1; i >= 0; i-- {
		ev := f.History[i]
		if ev.State == f.State && (ev.Source == vulns.SourceLedger || ev.Source == vulns.SourceVEX) {
			return ev
		}
	}
	return vulns.Event{}
}

// vhLast is a finding's last change, "who: why".
func vhLast(f reports.VulnFinding) string {
	if len(f.History) == 0 {
		return ""
	}
	ev := f.History[len(f.History)-1]
	return ev.By + ": " + ev.Why
}

func (w *writer) writeVulns() error {
	v := w.r.Vulnerabilities
	sh := w.vulns
	put := w.cellRows(sh)
	widths := []float64{44, 16, 40, 14, 18, 22, 12, 10, 20, 30, 20, 20, 10, 22, 12, 20, 30, 30, 50}
	// B holds the "Judged as of" date and time (yyyy-mm-dd hh:mm:ss, 19
	// characters): sized to it, or it prints as ### (issue 26).
	widths[1] = max(widths[1], float64(asOfWidth))
	if err := w.colWidths(sh, widths); err != nil {
		return err
	}
	row := 1
	if err := put(row, []any{excelize.Cell{StyleID: w.st.title, Value: w.t("vh.key_figures")}}); err != nil {
		return err
	}
	row++
	if err := put(row, []any{w.s(w.t("vh.intro"))}); err != nil {
		return err
	}
	row += 2
	t := v.Totals
	period := ""
	if !v.PeriodStart.IsZero() {
		period = v.PeriodStart.Format("2006-01-02") + " – " + v.PeriodEnd.AddDate(0, 0, -1).Format("2006-01-02")
	}
	var open []string
	for _, s := range vulns.Severities {
		if n := t.OpenBySeverity[s]; n > 0 {
			open = append(open, fmt.Sprintf("%s %d", w.vhSeverity(s), n))
		}
	}
	d := v.Deadlines
	deadlines := fmt.Sprintf("KEV %d · %s %d · %s %d · %s %d · %s %d", d.KEV, w.vhSeverity("critical"), d.Critical, w.vhSeverity("high"), d.High,
		w.vhSeverity("medium"), d.Medium, w.vhSeverity("low"), d.Low)
	figures := [][]any{
		{w.b(w.t("vh.overdue_kev")), t.OverdueKEV},
		{w.b(w.t("vh.overdue_critical")), t.OverdueCritical()},
		{w.b(w.t("vh.overdue")), t.Overdue},
		{w.b(w.t("vh.open")), t.Open, w.s(strings.Join(open, ", "))},
		{w.b(w.t("vh.fix_not_verified")), t.FixNotVerified},
		{w.b(w.t("vh.mitigated")), t.Mitigated},
		{w.b(w.t("vh.not_affected")), t.NotAffected},
		{w.b(w.t("vh.false_positive")), t.FalsePositive},
		{w.b(w.t("vh.verified")), t.VerifiedThisPeriod},
		{w.b(w.t("vh.reopened")), t.Reopened},
		{w.b(w.t("vh.verified_before")), v.VerifiedBeforePeriod},
		{w.b(w.t("vh.median_triage")), w.optNum(round1p(t.MedianDaysToTriage))},
		{w.b(w.t("vh.median_fix")), w.optNum(round1p(t.MedianDaysToFix))},
		{w.b(w.t("vh.median_verify")), w.optNum(round1p(t.MedianDaysToVerify))},
		{w.b(w.t("vh.period")), w.s(period)},
		{w.b(w.t("vh.as_of")), w.date(v.AsOf)},
		{w.b(w.t("vh.deadlines")), w.s(deadlines)},
	}
	for _, f := range figures {
		if err := put(row, f); err != nil {
			return err
		}
		row++
	}
	section := w.sectionRows(put, &row)
	none := func(key string) error {
		err := put(row, []any{w.s(w.t(key))})
		row++
		return err
	}

	// Open and overdue by system.
	hdr := []string{w.t("vh.system"), w.t("vh.open")}
	for _, s := range vulns.Severities {
		hdr = append(hdr, w.vhSeverity(s))
	}
	hdr = append(hdr, w.t("vh.overdue"), w.t("vh.overdue_kev"), w.t("vh.overdue_critical"), w.t("vh.not_affected"), w.t("vh.false_positive"),
		w.t("vh.mitigated"), w.t("vh.verified"), w.t("vh.findings"))
	if err := section(w.t("vh.by_system"), hdr...); err != nil {
		return err
	}
	for _, s := range v.BySystem {
		vals := []any{w.s(s.System), s.Totals.Open}
		for _, sev := range vulns.Severities {
			vals = append(vals, s.Totals.OpenBySeverity[sev])
		}
		vals = append(vals, s.Totals.Overdue, s.Totals.OverdueKEV, s.OverdueCritical(), s.Totals.NotAffected, s.Totals.FalsePositive,
			s.Totals.Mitigated, s.Totals.VerifiedThisPeriod, s.Findings)
		if err := put(row, vals); err != nil {
			return err
		}
		row++
	}

	// Every finding, riskiest first.
	if err := section(w.t("vh.list"), w.t("vh.finding"), w.t("vh.system"), w.t("vh.component"), w.t("vh.version"), w.t("vh.vuln"),
		w.t("vh.aliases"), w.t("vh.severity"), w.t("vh.kev"), w.t("vh.state"), w.t("vh.justification"), w.t("vh.since"), w.t("vh.due"),
		w.t("vh.age"), w.t("lc.status"), w.t("vh.fixed_in"), w.t("vh.verified_at"), w.t("vh.verified_by"), w.t("vh.detail"),
		w.t("vh.last_change")); err != nil {
		return err
	}
	if len(v.Findings) == 0 {
		if err := none("vh.none"); err != nil {
			return err
		}
	}
	for _, f := range v.Findings {
		var age, verified any
		if f.AgeDays != nil {
			age = *f.AgeDays
		}
		if f.VerifiedAt != nil {
			verified = w.date(*f.VerifiedAt)
		}
		kev := ""
		if f.KEV {
			kev = w.t("vh.yes")
			if f.KEVDateAdded != "" {
				kev += " (" + f.KEVDateAdded + ")"
			}
		}
		if err := put(row, []any{w.s(f.Finding), w.s(f.System), w.s(f.Component), w.s(f.Version), w.s(f.ID), w.s(strings.Join(f.Aliases, ", ")),
			w.s(w.vhSeverity(f.Severity)), w.s(kev), w.s(w.valueLabel("vh.state.", f.State)), w.s(f.Justification), w.date(f.Since), w.date(f.Due),
			age, w.s(w.vhMarks(f)), w.s(f.FixedIn), verified, w.s(f.VerifiedBy), w.s(f.Detail), w.s(vhLast(f))}); err != nil {
			return err
		}
		row++
	}

	// Ageing of the open findings.
	hdr = []string{w.t("vh.band"), w.t("vh.open"), w.t("vh.overdue"), w.t("vh.kev")}
	for _, s := range vulns.Severities {
		hdr = append(hdr, w.vhSeverity(s))
	}
	if err := section(w.t("vh.ageing"), hdr...); err != nil {
		return err
	}
	for _, a := range v.Ageing {
		vals := []any{w.s(a.Band), a.Open, a.Overdue, a.KEV}
		for _, s := range vulns.Severities {
			vals = append(vals, a.BySeverity[s])
		}
		if err := put(row, vals); err != nil {
			return err
		}
		row++
	}

	// Time to fix per quarter.
	if err := section(w.t("vh.quarter"), w.t("vh.system"), w.t("vh.q"), w.t("vh.opened"), w.t("vh.triaged"), w.t("vh.verified_n"),
		w.t("vh.median_triage"), w.t("vh.median_fix"), w.t("vh.median_verify")); err != nil {
		return err
	}
	for _, p := range v.ByQuarter {
		sys := p.System
		if sys == "" {
			sys = w.t("vh.all_systems")
		}
		if err := put(row, []any{w.s(sys), w.s(p.Quarter), p.Opened, p.Triaged, p.Verified, w.optNum(round1p(p.MedianDaysToTriage)),
			w.optNum(round1p(p.MedianDaysToFix)), w.optNum(round1p(p.MedianDaysToVerify))}); err != nil {
			return err
		}
		row++
	}

	// Not affected and false positives, with who decided and why.
	if err := section(w.t("vh.analysed"), w.t("vh.finding"), w.t("vh.system"), w.t("vh.component"), w.t("vh.version"), w.t("vh.vuln"),
		w.t("vh.state"), w.t("vh.justification"), w.t("vh.detail"), w.t("lc.by"), w.t("lc.at"), w.t("lc.why"), w.t("evidence")); err != nil {
		return err
	}
	n := 0
	for _, f := range v.Findings {
		if f.State != vulns.NotAffected && f.State != vulns.FalsePositive {
			continue
		}
		n++
		ev := vhDecision(f)
		if err := put(row, []any{w.s(f.Finding), w.s(f.System), w.s(f.Component), w.s(f.Version), w.s(f.ID),
			w.s(w.valueLabel("vh.state.", f.State)), w.s(f.Justification), w.s(f.Detail), w.s(ev.By), w.date(ev.At), w.s(ev.Why), w.s(ev.Evidence)}); err != nil {
			return err
		}
		row++
	}
	if n == 0 {
		return none("vh.none_analysed")
	}
	return nil
}

// round1p rounds a number of days to one decimal (nil stays nil).
func round1p(p *float64) *float64 {
	if p == nil {
		return nil
	}
	r := round1(*p)
	return &r
}

// asOfWidth is the width in characters of a column that shows a date and
// time in the workbook's date style (yyyy-mm-dd hh:mm:ss, 19 characters),
// with room for the cell's padding.
const asOfWidth = len("2006-01-02 15:04:05") + 2
