package html

import (
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

// vulnFixture is the section pipeline.VulnSection gives for its test
// store (Q1 2026, as of 2026-03-31): log4j overdue KEV (85 days open),
// minimist open (11 days), jackson not affected, commons-text and lodash
// verified. The system's name and the analysis's why carry markup.
func vulnFixture() *reports.VulnReport {
	fp := func(x float64) *float64 { return &x }
	ip := func(x int) *int { return &x }
	sys := "payments</script><script>alert(2)</script>"
	vCT, vLD := vday("2026-02-10"), vday("2026-03-20")
	totals := reports.VulnTotals{Totals: vulns.Totals{OpenBySeverity: map[string]int{"critical": 1, "high": 0, "medium": 1, "low": 0, "unknown": 0},
		Open: 2, Overdue: 1, OverdueKEV: 1, NotAffected: 1, VerifiedThisPeriod: 2, MedianDaysToTriage: fp(15), MedianDaysToFix: fp(55), MedianDaysToVerify: fp(9)},
		OverdueBySeverity: map[string]int{"critical": 1, "high": 0, "medium": 0, "low": 0, "unknown": 0}}
	sev := func(c, m int) map[string]int {
		return map[string]int{"critical": c, "high": 0, "medium": m, "low": 0, "unknown": 0}
	}
	return &reports.VulnReport{AsOf: vday("2026-03-31"), PeriodStart: vday("2026-01-01"), PeriodEnd: vday("2026-04-01"), Deadlines: vulns.DefaultDeadlines(),
		Findings: []reports.VulnFinding{
			{System: sys, Component: "pkg:maven/org.apache.logging.log4j/log4j-core", Version: "2.14.1", ID: "CVE-2021-44228",
				Aliases: []string{"GHSA-jfh8-c2jp-5v3q"}, Severity: "critical", KEV: true, State: vulns.InTriage, Since: vday("2026-01-05"),
				Due: vday("2026-01-19"), Overdue: true, Open: true, FixedIn: "2.15.0", AgeDays: ip(85)},
			{System: sys, Component: "pkg:npm/minimist", Version: "1.2.5", ID: "GHSA-TEST-MINIMIST", Aliases: []string{}, Severity: "medium",
				State: vulns.InTriage, Since: vday("2026-03-20"), Due: vday("2026-06-18"), Open: true, FixedIn: "1.2.6", AgeDays: ip(11)},
			{System: sys, Component: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Version: "2.9.10", ID: "CVE-2020-36518",
				Aliases: []string{"GHSA-57j2-w4cx-62h2"}, Severity: "high", State: vulns.NotAffected, Justification: "vulnerable_code_not_in_execute_path",
				Since: vday("2026-01-05"), Due: vday("2026-02-04"),
				History: []vulns.Event{{At: vday("2026-01-08"), State: vulns.NotAffected, By: "alice", Why: evilWhy, Source: vulns.SourceLedger}}},
			{System: sys, Component: "pkg:maven/org.apache.commons/commons-text", Version: "1.9", ID: "CVE-2022-42889", Aliases: []string{},
				Severity: "critical", State: vulns.Verified, Since: vday("2026-01-05"), Due: vday("2026-02-04"), VerifiedAt: &vCT},
			{System: sys, Component: "pkg:npm/lodash", Version: "4.17.20", ID: "GHSA-TEST-LODASH", Aliases: []string{}, Severity: "high",
				State: vulns.Verified, Since: vday("2026-01-05"), Due: vday("2026-02-04"), VerifiedAt: &vLD},
		},
		Totals:   totals,
		BySystem: []reports.VulnSystem{{System: sys, Findings: 5, VulnTotals: totals}},
		Ageing: []reports.VulnAge{{Band: "0-30", Open: 1, BySeverity: sev(0, 1)}, {Band: "31-90", MinDays: 31, Open: 1, Overdue: 1, KEV: 1, BySeverity: sev(1, 0)},
			{Band: "91-180", MinDays: 91, BySeverity: sev(0, 0)}, {Band: ">180", MinDays: 181, BySeverity: sev(0, 0)}},
		ByQuarter: []vulns.Period{{System: "", Quarter: "2026-Q1", Opened: 5, Triaged: 2, Verified: 2, MedianDaysToTriage: fp(15), MedianDaysToFix: fp(55), MedianDaysToVerify: fp(9)}},
	}
}

func TestVulnSection(t *testing.T) {
	for _, tc := range []struct{ lang, title, kev, critical string }{
		{"en", "Vulnerability handling: findings, deadlines, re-test", "Overdue known-exploited (CISA KEV)", "Overdue critical"},
		{"zh", "漏洞处置：漏洞发现、处置时限与复测", "逾期的已知被利用漏洞（CISA KEV）", "逾期的严重漏洞"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := sampleReport(t, tc.lang)
			r.Vulnerabilities = vulnFixture()
			out := renderHTML(t, r)
			if strings.Contains(out, evilWhy) || strings.Contains(out, "<script>alert(2)") {
				t.Errorf("outside text not escaped")
			}
			doc, _ := parse(t, out)
			// Nothing is loaded: no script, link or image names a source.
			for _, tag := range []string{"script", "link", "img", "iframe"} {
				for _, n := range elements(doc, tag) {
					if v, ok := attr(n, "src"); ok {
						t.Errorf("<%s src=%q>", tag, v)
					}
				}
			}
			if n := len(elements(doc, "script")); n != 2 {
				t.Errorf("%d script elements, want 2 (echarts and ours): something was injected", n)
			}
			sec := byID(doc, "vulns")
			if sec == nil {
				t.Fatal("no vulnerability section")
			}
			if h := elements(sec, "h2"); len(h) == 0 || text(h[0]) != tc.title {
				t.Errorf("heading: want %q", tc.title)
			}
			for id, want := range map[string]string{"vh-overdue-kev": "1", "vh-overdue-critical": "1", "vh-overdue": "1", "vh-open": "2",
				"vh-not-affected": "1", "vh-verified": "2", "vh-median-fix": "55.0", "vh-median-verify": "9.0"} {
				if n := byID(sec, id); n == nil || !strings.HasPrefix(text(n), want) {
					t.Errorf("%s: want %q", id, want)
				}
			}
			// The overview (the board paper's first page) opens with the
			// overdue known-exploited and critical findings.
			ov := byID(doc, "overview")
			cards := elements(ov, "div")
			var first []string
			for _, c := range cards {
				if cl, _ := attr(c, "class"); cl == "card" && len(first) < 2 {
					first = append(first, text(c))
				}
			}
			if len(first) != 2 || !strings.HasPrefix(first[0], tc.kev+"1") || !strings.HasPrefix(first[1], tc.critical+"1") {
				t.Errorf("the overview's first figures: %q", first)
			}
			if n := byID(ov, "count-overdue-kev"); n == nil || text(n) != "1" {
				t.Errorf("overview overdue KEV")
			}
			// By system: header + one row, the name as text.
			rows := elements(byID(sec, "vh-systems"), "tr")
			if len(rows) != 2 || text(elements(rows[1], "td")[0]) != "payments</script><script>alert(2)</script>" {
				t.Fatalf("systems table: %d rows", len(rows))
			}
			if c := elements(rows[1], "td"); text(c[1]) != "2" || text(c[4]) != "1" || text(c[5]) != "1" || text(c[6]) != "1" {
				t.Errorf("system row %q", text(rows[1]))
			}
			// Ageing: 0-30 one open, 31-90 one open and overdue.
			age := elements(byID(sec, "vh-ageing"), "tr")
			if len(age) != 5 || text(elements(age[1], "td")[1]) != "1" || text(elements(age[2], "td")[2]) != "1" || text(elements(age[4], "td")[1]) != "0" {
				t.Errorf("ageing table %d rows", len(age))
			}
			// Time to fix per quarter, all systems: medians 15, 55, 9.
			q := elements(byID(sec, "vh-quarters"), "tr")
			if len(q) != 2 || !strings.HasSuffix(text(q[1]), "15.055.09.0") {
				t.Errorf("quarter rows %d %q", len(q), text(q[len(q)-1]))
			}
			// Findings needing something: the overdue KEV first, then
			// minimist; the analysed and the verified are not among them.
			fr := elements(byID(sec, "vh-findings"), "tr")
			if len(fr) != 3 || !strings.Contains(text(fr[1]), "CVE-2021-44228") || !strings.Contains(text(fr[2]), "GHSA-TEST-MINIMIST") {
				t.Fatalf("findings table: %d rows", len(fr))
			}
			if c := elements(fr[1], "td"); text(c[8]) != "85" || (tc.lang == "en" && text(c[9]) != "OVERDUE") {
				t.Errorf("log4j row %q", text(fr[1]))
			} else if cl, _ := attr(c[9], "class"); cl != "bad" {
				t.Errorf("an overdue finding is not marked")
			}
			// The analysed one, listed with its justification and why.
			ar := elements(byID(sec, "vh-analysed"), "tr")
			if len(ar) != 2 {
				t.Fatalf("analysed table: %d rows", len(ar))
			}
			if c := elements(ar[1], "td"); text(c[3]) != "CVE-2020-36518" || text(c[5]) != "vulnerable_code_not_in_execute_path" ||
				text(c[6]) != "alice" || text(c[7]) != evilWhy {
				t.Errorf("analysed row %q", text(ar[1]))
			}
			// Two charts, their options JSON-escaped in our script.
			for _, id := range []string{"chart-vh-systems", "chart-vh-ageing"} {
				if byID(sec, id) == nil {
					t.Errorf("no chart %s", id)
				}
			}
			own := text(elements(doc, "script")[1])
			if !strings.Contains(own, `"chart-vh-systems"`) || !strings.Contains(own, `payments\u003c/script\u003e\u003cscript\u003ealert(2)`) {
				t.Errorf("chart options lack the escaped system name")
			}
			// The nav links to it.
			var nav bool
			for _, a := range elements(doc, "a") {
				if h, _ := attr(a, "href"); h == "#vulns" {
					nav = true
				}
			}
			if !nav {
				t.Errorf("no nav link to #vulns")
			}
		})
	}
	// No section: no figures on the overview.
	doc, _ := parse(t, renderHTML(t, sampleReport(t, "en")))
	if byID(doc, "vulns") != nil || byID(doc, "count-overdue-kev") != nil {
		t.Errorf("a report without vulnerabilities shows them")
	}
}
