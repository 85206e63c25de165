package html

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
	"github.com/osgauge/osgauge/vulns"
)

// The vulnerability handling section (issue 24, 漏洞处置 and 漏洞复测): the
// key figures, open and overdue by system (a chart and a table), the
// ageing of the open findings (a chart and a table), the time to fix per
// quarter, the riskiest findings, and the findings analysed not affected
// or false positive with their justification (no risk, nothing hidden).
// Its first two figures, overdue known-exploited and overdue critical
// findings, open the overview, the board paper's first page. html/template
// escapes every text; the charts' options go through snippetOf.

// vhMaxRows caps the tables' rows (the workbook and the JSON have them all).
const vhMaxRows = 50

type vulnView struct {
	OverdueKEV, OverdueCritical, Overdue, Open              int
	NotAffected, FalsePositive, Mitigated, FixNotVerified   int
	Verified, Reopened, VerifiedBefore                      int
	OpenBySeverity                                          string // "critical 1, medium 1"
	MedianTriage, MedianFix, MedianVerify, Period, Deadline string
	SystemChart, AgeChart                                   *chartView
	BySystem                                                []vhSystemRow
	Ageing                                                  []vhAgeRow
	Quarters                                                []vhQuarterRow
	Findings                                                []vhFindingRow
	MoreFindings                                            string
	Analysed                                                []vhFindingRow
	MoreAnalysed                                            string
}

type vhSystemRow struct {
	System                                                         string
	Open, Critical, High, Overdue, OverdueKEV, NotAffected, Listed int
	Verified                                                       int
}

type vhAgeRow struct {
	Band                           string
	Open, Overdue, KEV, Crit, High int
	Other                          int // medium, low, unknown
}

type vhQuarterRow struct {
	System, Quarter                       string
	Opened, Triaged, Verified             int
	MedianTriage, MedianFix, MedianVerify string
}

type vhFindingRow struct {
	System, Component, Version, Vuln, Aliases, Severity, State string
	Justification, Since, Due, Age, Marks, FixedIn, Verified   string
	By, Why                                                    string
	KEV, Overdue                                               bool
}

// vulnSection builds the section, nil when the report has none.
func vulnSection(r *reports.Report, lang string) (*vulnView, error) {
	v := r.Vulnerabilities
	if v == nil {
		return nil, nil
	}
	L := func(k string) string { return labels.T(lang, k) }
	sev := func(s string) string { return valueLabel(lang, "vh.sev.", s) }
	more := func(n int) string {
		if n <= 0 {
			return ""
		}
		return strings.ReplaceAll(L("vh.more"), "{n}", strconv.Itoa(n))
	}
	t := v.Totals
	vv := &vulnView{OverdueKEV: t.OverdueKEV, OverdueCritical: t.OverdueCritical(), Overdue: t.Overdue, Open: t.Open, NotAffected: t.NotAffected,
		FalsePositive: t.FalsePositive, Mitigated: t.Mitigated, FixNotVerified: t.FixNotVerified, Verified: t.VerifiedThisPeriod,
		Reopened: t.Reopened, VerifiedBefore: v.VerifiedBeforePeriod, MedianTriage: fptr(t.MedianDaysToTriage, f1),
		MedianFix: fptr(t.MedianDaysToFix, f1), MedianVerify: fptr(t.MedianDaysToVerify, f1)}
	var open []string
	for _, s := range vulns.Severities {
		if n := t.OpenBySeverity[s]; n > 0 {
			open = append(open, fmt.Sprintf("%s %d", sev(s), n))
		}
	}
	vv.OpenBySeverity = strings.Join(open, ", ")
	if !v.PeriodStart.IsZero() {
		vv.Period = v.PeriodStart.Format("2006-01-02") + " – " + v.PeriodEnd.AddDate(0, 0, -1).Format("2006-01-02")
	}
	d := v.Deadlines
	vv.Deadline = fmt.Sprintf("KEV %d · %s %d · %s %d · %s %d · %s %d", d.KEV, sev("critical"), d.Critical, sev("high"), d.High,
		sev("medium"), d.Medium, sev("low"), d.Low)
	for _, s := range v.BySystem {
		vv.BySystem = append(vv.BySystem, vhSystemRow{System: s.System, Open: s.Totals.Open, Critical: s.Totals.OpenBySeverity["critical"],
			High: s.Totals.OpenBySeverity["high"], Overdue: s.Totals.Overdue, OverdueKEV: s.Totals.OverdueKEV, NotAffected: s.Totals.NotAffected + s.Totals.FalsePositive,
			Listed: s.Findings, Verified: s.Totals.VerifiedThisPeriod})
	}
	for _, a := range v.Ageing {
		vv.Ageing = append(vv.Ageing, vhAgeRow{Band: a.Band, Open: a.Open, Overdue: a.Overdue, KEV: a.KEV, Crit: a.BySeverity["critical"],
			High: a.BySeverity["high"], Other: a.Open - a.BySeverity["critical"] - a.BySeverity["high"]})
	}
	for _, p := range v.ByQuarter {
		sys := p.System
		if sys == "" {
			sys = L("vh.all_systems")
		}
		vv.Quarters = append(vv.Quarters, vhQuarterRow{System: sys, Quarter: p.Quarter, Opened: p.Opened, Triaged: p.Triaged, Verified: p.Verified,
			MedianTriage: fptr(p.MedianDaysToTriage, f1), MedianFix: fptr(p.MedianDaysToFix, f1), MedianVerify: fptr(p.MedianDaysToVerify, f1)})
	}
	row := func(f reports.VulnFinding) vhFindingRow {
		x := vhFindingRow{System: f.System, Component: f.Component, Version: f.Version, Vuln: f.ID, Aliases: strings.Join(f.Aliases, ", "),
			Severity: sev(f.Severity), State: valueLabel(lang, "vh.state.", f.State), Justification: f.Justification,
			Since: f.Since.Format("2006-01-02"), Due: f.Due.Format("2006-01-02"), Age: dash, FixedIn: f.FixedIn, Verified: dash, KEV: f.KEV, Overdue: f.Overdue}
		if f.AgeDays != nil {
			x.Age = strconv.Itoa(*f.AgeDays)
		}
		if f.VerifiedAt != nil {
			x.Verified = f.VerifiedAt.Format("2006-01-02")
		}
		var m []string
		if f.Overdue {
			m = append(m, L("vh.mark.overdue"))
		}
		if f.Reopened {
			m = append(m, L("vh.mark.reopened"))
		}
		if f.FixNotVerified {
			m = append(m, L("vh.mark.fix_not_verified"))
		}
		if f.MitigatedUntil != "" {
			m = append(m, strings.ReplaceAll(L("vh.mark.mitigation_until"), "{d}", f.MitigatedUntil))
		}
		x.Marks = strings.Join(m, ", ")
		for i := len(f.History) - 1; i >= 0; i-- { // who decided the analysed state, and why
			if ev := f.History[i]; ev.State == f.State && (ev.Source == vulns.SourceLedger || ev.Source == vulns.SourceVEX) {
				x.By, x.Why = ev.By, ev.Why
				break
			}
		}
		return x
	}
	// The findings that need something (open, mitigated, awaiting their
	// re-test), riskiest first as the report lists them; the analysed ones
	// apart; the verified ones are in the workbook and the JSON.
	var risky, analysed int
	for _, f := range v.Findings {
		switch {
		case f.State == vulns.NotAffected || f.State == vulns.FalsePositive:
			if analysed++; analysed <= vhMaxRows {
				vv.Analysed = append(vv.Analysed, row(f))
			}
		case f.State != vulns.Verified:
			if risky++; risky <= vhMaxRows {
				vv.Findings = append(vv.Findings, row(f))
			}
		}
	}
	vv.MoreFindings, vv.MoreAnalysed = more(risky-vhMaxRows), more(analysed-vhMaxRows)
	var err error
	if vv.SystemChart, err = vhSystemChart(v, lang); err != nil {
		return nil, err
	}
	if vv.AgeChart, err = vhAgeChart(v, lang); err != nil {
		return nil, err
	}
	return vv, nil
}

// charts lists the section's charts, for the page's chart script.
func (vv *vulnView) charts() []*chartView {
	var out []*chartView
	for _, c := range []*chartView{vv.SystemChart, vv.AgeChart} {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// vhSystemChart: open and overdue findings by system (the riskiest
// systems first, at most vhMaxRows); nil when nothing is open.
func vhSystemChart(v *reports.VulnReport, lang string) (*chartView, error) {
	if v.Totals.Open == 0 {
		return nil, nil
	}
	var names []string
	var open, overdue []opts.BarData
	for i, s := range v.BySystem {
		if i == vhMaxRows {
			break
		}
		names = append(names, s.System)
		open = append(open, opts.BarData{Value: s.Totals.Open - s.Totals.Overdue})
		overdue = append(overdue, opts.BarData{Value: s.Totals.Overdue})
	}
	id := "chart-vh-systems"
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: strconv.Itoa(120+28*len(names)) + "px"}),
		charts.WithTitleOpts(opts.Title{Title: labels.T(lang, "vh.chart.by_system"), TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "24"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "40", Top: "56", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		charts.WithAnimation(false),
	)
	notOverdue := labels.T(lang, "vh.open_in_time")
	bar.SetXAxis(names).
		AddSeries(labels.T(lang, "vh.overdue"), overdue, charts.WithBarChartOpts(opts.BarChart{Stack: "open"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#c0392b"})).
		AddSeries(notOverdue, open, charts.WithBarChartOpts(opts.BarChart{Stack: "open"}), charts.WithItemStyleOpts(opts.ItemStyle{Color: "#e69f00"}))
	bar.XYReversal()
	return snippetOf(id, bar, nil)
}

// vhAgeChart: the open findings by days open, stacked by severity; nil
// when nothing is open.
func vhAgeChart(v *reports.VulnReport, lang string) (*chartView, error) {
	if v.Totals.Open == 0 {
		return nil, nil
	}
	var bands []string
	for _, a := range v.Ageing {
		bands = append(bands, a.Band)
	}
	colors := map[string]string{"critical": "#8b0000", "high": "#c0392b", "medium": "#e69f00", "low": "#56b4e9", "unknown": "#999999"}
	id := "chart-vh-ageing"
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "280px"}),
		charts.WithTitleOpts(opts.Title{Title: labels.T(lang, "vh.chart.ageing"), TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "24"}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "20", Top: "56", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{MinInterval: 1, Name: labels.T(lang, "vh.open")}),
		charts.WithXAxisOpts(opts.XAxis{Name: labels.T(lang, "vh.band")}),
		charts.WithAnimation(false),
	)
	bar.SetXAxis(bands)
	for _, s := range vulns.Severities {
		var data []opts.BarData
		some := false
		for _, a := range v.Ageing {
			data = append(data, opts.BarData{Value: a.BySeverity[s]})
			some = some || a.BySeverity[s] > 0
		}
		if !some {
			continue
		}
		bar.AddSeries(valueLabel(lang, "vh.sev.", s), data, charts.WithBarChartOpts(opts.BarChart{Stack: "age"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colors[s]}))
	}
	return snippetOf(id, bar, nil)
}
