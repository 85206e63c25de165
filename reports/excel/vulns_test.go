package excel

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/vulns"
)

func vday(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// testVulns is the section pipeline.VulnSection gives for its test store
// (payments, Q1 2026, as of 2026-03-31): log4j overdue KEV (85 days open),
// minimist open (11 days), jackson not affected, commons-text and lodash
// verified in the period. The not-affected analysis's why is a formula.
func testVulns() *reports.VulnReport {
	fp := func(x float64) *float64 { return &x }
	ip := func(x int) *int { return &x }
	verifiedCT, verifiedLD := vday("2026-02-10"), vday("2026-03-20")
	max30, max90, max180 := 30, 90, 180
	totals := reports.VulnTotals{Totals: vulns.Totals{OpenBySeverity: map[string]int{"critical": 1, "high": 0, "medium": 1, "low": 0, "unknown": 0},
		Open: 2, Overdue: 1, OverdueKEV: 1, NotAffected: 1, VerifiedThisPeriod: 2, MedianDaysToTriage: fp(15), MedianDaysToFix: fp(55), MedianDaysToVerify: fp(9)},
		OverdueBySeverity: map[string]int{"critical": 1, "high": 0, "medium": 0, "low": 0, "unknown": 0}}
	sev := func(c, h, m int) map[string]int {
		return map[string]int{"critical": c, "high": h, "medium": m, "low": 0, "unknown": 0}
	}
	return &reports.VulnReport{AsOf: vday("2026-03-31"), PeriodStart: vday("2026-01-01"), PeriodEnd: vday("2026-04-01"), Deadlines: vulns.DefaultDeadlines(),
		Findings: []reports.VulnFinding{
			{Finding: "payments/pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1/CVE-2021-44228", System: "payments",
				Component: "pkg:maven/org.apache.logging.log4j/log4j-core", Version: "2.14.1", ID: "CVE-2021-44228", Aliases: []string{"GHSA-jfh8-c2jp-5v3q"},
				Severity: "critical", KEV: true, KEVDateAdded: "2021-12-10", State: vulns.InTriage, Since: vday("2026-01-05"), Due: vday("2026-01-19"),
				Overdue: true, Open: true, FixedIn: "2.15.0", AgeDays: ip(85),
				History: []vulns.Event{{At: vday("2026-01-05"), State: vulns.InTriage, By: "osgauge", Why: "snapshot #1 holds it", Source: vulns.SourceSBOM}}},
			{Finding: "payments/pkg:npm/minimist@1.2.5/GHSA-TEST-MINIMIST", System: "payments", Component: "pkg:npm/minimist", Version: "1.2.5",
				ID: "GHSA-TEST-MINIMIST", Aliases: []string{}, Severity: "medium", State: vulns.InTriage, Since: vday("2026-03-20"), Due: vday("2026-06-18"),
				Open: true, FixedIn: "1.2.6", AgeDays: ip(11)},
			{Finding: "payments/pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10/CVE-2020-36518", System: "payments",
				Component: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Version: "2.9.10", ID: "CVE-2020-36518", Aliases: []string{"GHSA-57j2-w4cx-62h2"},
				Severity: "high", State: vulns.NotAffected, Justification: "vulnerable_code_not_in_execute_path", Since: vday("2026-01-05"), Due: vday("2026-02-04"),
				FixedIn: "2.12.6.1", DaysToTriage: fp(3),
				History: []vulns.Event{{At: vday("2026-01-05"), State: vulns.InTriage, By: "osgauge", Why: "snapshot #1 holds it", Source: vulns.SourceSBOM},
					{At: vday("2026-01-08"), State: vulns.NotAffected, By: "alice", Why: evilHyperlink, Justification: "vulnerable_code_not_in_execute_path",
						Source: vulns.SourceLedger, Evidence: "vulns/va-1.yaml (va-1)"}}},
			{Finding: "payments/pkg:maven/org.apache.commons/commons-text@1.9/CVE-2022-42889", System: "payments", Component: "pkg:maven/org.apache.commons/commons-text",
				Version: "1.9", ID: "CVE-2022-42889", Aliases: []string{"GHSA-599f-7c49-w659"}, Severity: "critical", State: vulns.Verified,
				Since: vday("2026-01-05"), Due: vday("2026-02-04"), FixedIn: "1.10.0", VerifiedAt: &verifiedCT, VerifiedBy: "snapshot #2 sboms/payments-v2.json",
				DaysToTriage: fp(27), DaysToFix: fp(36), DaysToVerify: fp(9)},
			{Finding: "payments/pkg:npm/lodash@4.17.20/GHSA-TEST-LODASH", System: "payments", Component: "pkg:npm/lodash", Version: "4.17.20",
				ID: "GHSA-TEST-LODASH", Aliases: []string{}, Severity: "high", State: vulns.Verified, Since: vday("2026-01-05"), Due: vday("2026-02-04"),
				FixedIn: "4.17.21", VerifiedAt: &verifiedLD, VerifiedBy: "snapshot #3 sboms/payments-v3.json", DaysToFix: fp(74)},
		},
		Totals:   totals,
		BySystem: []reports.VulnSystem{{System: "payments", Findings: 5, VulnTotals: totals}},
		Ageing: []reports.VulnAge{{Band: "0-30", MaxDays: &max30, Open: 1, BySeverity: sev(0, 0, 1)},
			{Band: "31-90", MinDays: 31, MaxDays: &max90, Open: 1, Overdue: 1, KEV: 1, BySeverity: sev(1, 0, 0)},
			{Band: "91-180", MinDays: 91, MaxDays: &max180, BySeverity: sev(0, 0, 0)}, {Band: ">180", MinDays: 181, BySeverity: sev(0, 0, 0)}},
		ByQuarter: []vulns.Period{{System: "payments", Quarter: "2026-Q1", Opened: 5, Triaged: 2, Verified: 2, MedianDaysToTriage: fp(15), MedianDaysToFix: fp(55), MedianDaysToVerify: fp(9)},
			{System: "", Quarter: "2026-Q1", Opened: 5, Triaged: 2, Verified: 2, MedianDaysToTriage: fp(15), MedianDaysToFix: fp(55), MedianDaysToVerify: fp(9)}},
	}
}

func TestVulnsSheet(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		r := testReport(t, lang)
		r.Vulnerabilities = testVulns()
		f, _ := writeOpen(t, r)
		sheet, summary := "Vulnerability handling", "Summary"
		if lang == "zh" {
			sheet, summary = "漏洞处置", "概览"
		}
		if !slices.Contains(f.GetSheetList(), sheet) {
			t.Fatalf("%s: no sheet %q in %v", lang, sheet, f.GetSheetList())
		}
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		find := func(first string) []string {
			for _, r := range rows {
				if len(r) > 0 && r[0] == first {
					return r
				}
			}
			return nil
		}
		// Outside text stays text: no cell of the sheet holds a formula.
		for ri, r := range rows {
			for ci := range r {
				if fm, _ := f.GetCellFormula(sheet, cell(ci+1, ri+1)); fm != "" {
					t.Errorf("%s: %s holds a formula %q", lang, cell(ci+1, ri+1), fm)
				}
			}
		}
		// The Summary's key figures start with the overdue known-exploited
		// and critical findings, right after the period, date and institution.
		srows, _ := f.GetRows(summary)
		kev := map[string]string{"en": "Overdue known-exploited (CISA KEV)", "zh": "逾期的已知被利用漏洞（CISA KEV）"}[lang]
		i := slices.IndexFunc(srows, func(r []string) bool { return len(r) > 1 && r[0] == kev && r[1] == "1" })
		if i < 0 || len(srows[i+1]) < 2 || srows[i+1][1] != "1" || srows[i-1][1] != "Example Bank" {
			t.Errorf("%s: Summary figures %q", lang, srows)
		}
		if lang == "zh" {
			if find("逾期的严重漏洞") == nil || find("未处置漏洞账龄") == nil {
				t.Errorf("zh: labels missing: %q", rows)
			}
			continue
		}
		for label, want := range map[string]string{"Overdue known-exploited (CISA KEV)": "1", "Overdue critical": "1", "Overdue findings": "1",
			"Open findings": "2", "Not affected (analysed)": "1", "Verified this period (re-test)": "2", "Reopened this period": "0",
			"Median days to triage": "15", "Median days to fix": "55", "Median days to verify": "9", "This period": "2026-01-01 – 2026-03-31",
			"Days allowed (vulnerability_policy)": "KEV 14 · critical 30 · high 30 · medium 90 · low 180"} {
			if r := find(label); len(r) < 2 || r[1] != want {
				t.Errorf("figure %q: %q, want %q", label, r, want)
			}
		}
		if r := find("Open findings"); len(r) < 3 || r[2] != "critical 1, medium 1" {
			t.Errorf("open by severity %q", r)
		}
		// By system: open 2 (critical 1, high 0, medium 1, low 0,
		// unknown 0), overdue 1, KEV 1, critical 1, not affected 1, false
		// positive 0, mitigated 0, verified 2, listed 5.
		if r := find("payments"); strings.Join(r, "|") != "payments|2|1|0|1|0|0|1|1|1|1|0|0|2|5" {
			t.Errorf("by system %q", r)
		}
		// The findings table, riskiest first: the overdue KEV first.
		var order []string
		for _, r := range rows {
			if len(r) > 4 && strings.HasPrefix(r[0], "payments/") { // the findings table, then the analysed ones (already listed)
				if !slices.Contains(order, r[4]) {
					order = append(order, r[4])
				}
			}
		}
		if strings.Join(order, " ") != "CVE-2021-44228 GHSA-TEST-MINIMIST CVE-2020-36518 CVE-2022-42889 GHSA-TEST-LODASH" {
			t.Errorf("order %v", order)
		}
		l := find("payments/pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1/CVE-2021-44228")
		if len(l) < 19 || l[6] != "critical" || l[7] != "yes (2021-12-10)" || l[8] != "in triage" || l[10] != "2026-01-05 00:00:00" ||
			l[11] != "2026-01-19 00:00:00" || l[12] != "85" || l[13] != "OVERDUE" || l[14] != "2.15.0" {
			t.Errorf("log4j row %q", l)
		}
		c := find("payments/pkg:maven/org.apache.commons/commons-text@1.9/CVE-2022-42889")
		if len(c) < 17 || c[8] != "verified" || c[15] != "2026-02-10 00:00:00" || c[16] != "snapshot #2 sboms/payments-v2.json" {
			t.Errorf("commons-text row %q", c)
		}
		// Ageing: 0-30 one (medium), 31-90 one (overdue, KEV, critical).
		if a := find("0-30"); strings.Join(a, "|") != "0-30|1|0|0|0|0|1|0|0" {
			t.Errorf("ageing 0-30 %q", a)
		}
		if a := find("31-90"); strings.Join(a, "|") != "31-90|1|1|1|1|0|0|0|0" {
			t.Errorf("ageing 31-90 %q", a)
		}
		if a := find(">180"); strings.Join(a, "|") != ">180|0|0|0|0|0|0|0|0" {
			t.Errorf("ageing >180 %q", a)
		}
		// Time to fix per quarter: payments, then all systems.
		if q := find("all systems"); strings.Join(q, "|") != "all systems|2026-Q1|5|2|2|15|55|9" {
			t.Errorf("quarter row %q", q)
		}
		// The not-affected finding is listed in full with who and why
		// (the formula-like why as text).
		var na []string
		for _, r := range rows {
			if len(r) > 10 && r[5] == "not affected" {
				na = r
			}
		}
		if len(na) < 12 || na[4] != "CVE-2020-36518" || na[6] != "vulnerable_code_not_in_execute_path" || na[8] != "alice" ||
			na[9] != "2026-01-08 00:00:00" || na[10] != evilHyperlink || na[11] != "vulns/va-1.yaml (va-1)" {
			t.Errorf("not-affected row %q", na)
		}
	}
	// No section, no sheet and no Summary figure.
	f, _ := writeOpen(t, testReport(t, "en"))
	if slices.Contains(f.GetSheetList(), "Vulnerability handling") {
		t.Errorf("a report without vulnerabilities has the sheet")
	}
	srows, _ := f.GetRows("Summary")
	if slices.ContainsFunc(srows, func(r []string) bool { return len(r) > 0 && r[0] == "Overdue known-exploited (CISA KEV)" }) {
		t.Errorf("a report without vulnerabilities shows its figures")
	}
}
