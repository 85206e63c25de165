package reports

import (
	"time"

	"github.com/osgauge/osgauge/vulns"
)

// VulnReport is the report's vulnerability handling (issue 24 point 7,
// 漏洞处置 and 漏洞复测): every finding with its state, deadline and re-test,
// the totals of the period, open and overdue findings by system, the
// ageing of the open ones and the time to fix per quarter. Its JSON form
// is the report's top-level "vulnerabilities" object; the names of the
// contract (findings[] with system, component, version, id, aliases,
// severity, kev, state, justification, since, due, overdue, fixed_in,
// verified_at; totals with vulns.Summarise's names) are kept, others may
// be added.
//
// A finding analysed not_affected or false_positive is no risk: it is
// counted in neither the open nor the overdue figures, but it is listed
// with its justification, so that nothing is hidden.
type VulnReport struct {
	// AsOf is when states and deadlines were judged.
	AsOf time.Time `json:"as_of"`
	// PeriodStart and PeriodEnd (exclusive) bound "this period" in the
	// totals (verified, reopened, medians); zero when the report's period
	// cannot be dated.
	PeriodStart time.Time `json:"period_start,omitzero"`
	PeriodEnd   time.Time `json:"period_end,omitzero"`
	// Deadlines are the days allowed (config vulnerability_policy).
	Deadlines vulns.Deadlines `json:"deadlines_days"`
	Ledger    string          `json:"ledger,omitempty"` // the ledger folder read
	// Findings are listed riskiest first: overdue known-exploited, overdue
	// by severity, open known-exploited, open by severity, mitigated and
	// awaiting re-test, analysed not affected or false positive, verified.
	// Findings verified before the period are left out of the list (see
	// VerifiedBeforePeriod) but counted in ByQuarter.
	Findings []VulnFinding `json:"findings"`
	Totals   VulnTotals    `json:"totals"`
	// BySystem are the totals of each system, most overdue first.
	BySystem []VulnSystem `json:"by_system"`
	// Ageing counts the open findings by days since they opened.
	Ageing []VulnAge `json:"ageing"`
	// ByQuarter is the time to triage, fix and verify per system and
	// quarter (vulns.ByQuarter), then every system together (system "").
	ByQuarter []vulns.Period `json:"by_quarter"`
	// VerifiedBeforePeriod counts the findings verified before the period
	// started: not listed, as they need nothing more.
	VerifiedBeforePeriod int `json:"verified_before_period"`
}

// VulnTotals are vulns.Summarise's totals (their JSON names kept) and the
// overdue findings by severity, for the board paper.
type VulnTotals struct {
	vulns.Totals
	OverdueBySeverity map[string]int `json:"overdue_by_severity"`
}

// OverdueCritical is the number of overdue critical findings.
func (t VulnTotals) OverdueCritical() int { return t.OverdueBySeverity["critical"] }

// VulnFinding is one finding as the report shows it.
type VulnFinding struct {
	Finding        string     `json:"finding"` // the stable id: system/component@version/vulnerability
	System         string     `json:"system"`
	Component      string     `json:"component"`
	Version        string     `json:"version"`
	PURL           string     `json:"purl,omitempty"`
	ID             string     `json:"id"` // the vulnerability: its CVE when it has one
	Aliases        []string   `json:"aliases"`
	Severity       string     `json:"severity"`
	KEV            bool       `json:"kev"`
	KEVDateAdded   string     `json:"kev_date_added,omitempty"`
	State          string     `json:"state"`
	Justification  string     `json:"justification"`
	Response       string     `json:"response,omitempty"`
	Detail         string     `json:"detail,omitempty"`
	Since          time.Time  `json:"since"`
	Due            time.Time  `json:"due"`
	Overdue        bool       `json:"overdue"`
	FixedIn        string     `json:"fixed_in"`
	VerifiedAt     *time.Time `json:"verified_at"`
	VerifiedBy     string     `json:"verified_by,omitempty"`
	Open           bool       `json:"open"` // a risk now (in triage, affected, an expired mitigation, a fix not verified)
	Reopened       bool       `json:"reopened"`
	FixNotVerified bool       `json:"fix_not_verified"`
	MitigatedUntil string     `json:"mitigated_until,omitempty"`
	FixedAt        *time.Time `json:"fixed_at,omitempty"`
	// AgeDays is, for an open finding, the whole days since it opened.
	AgeDays      *int          `json:"age_days,omitempty"`
	DaysToTriage *float64      `json:"days_to_triage,omitempty"`
	DaysToFix    *float64      `json:"days_to_fix,omitempty"`
	DaysToVerify *float64      `json:"days_to_verify,omitempty"`
	History      []vulns.Event `json:"history"`
}

// VulnSystem is one system's totals.
type VulnSystem struct {
	System   string `json:"system"`
	Findings int    `json:"findings"` // listed in the report
	VulnTotals
}

// VulnAge is one band of the open findings' ageing: 0–30, 31–90, 91–180
// and more than 180 days since they opened.
type VulnAge struct {
	Band       string         `json:"band"` // "0-30", "31-90", "91-180", ">180"
	MinDays    int            `json:"min_days"`
	MaxDays    *int           `json:"max_days"` // nil: no upper bound
	Open       int            `json:"open"`
	Overdue    int            `json:"overdue"`
	KEV        int            `json:"kev"`
	BySeverity map[string]int `json:"by_severity"`
}
