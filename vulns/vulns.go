// Package vulns turns the inventory's history, the known vulnerabilities
// matched to its components (OSV), the known-exploited list (CISA KEV),
// the ledger's vulnerability analyses and the deadline policy into
// findings with a state (issue 24): handling (漏洞处置), re-test (漏洞复测)
// and deadlines. Everything here is computed, nothing stored: the same
// store and ledger give the same findings, and a test can work out every
// date by hand.
//
// A finding is one vulnerability (a CVE and its GHSA and other aliases are
// one) in one package of one system. Its id is stable and printable:
//
//	payments/pkg:maven/com.alibaba/fastjson@1.2.24/CVE-2017-18349
//
// — the system, the component version it was first found in, and the
// vulnerability (its CVE when it has one). The id is computed, not stored:
// when a vulnerability known only by its GHSA is later given a CVE (an OSV
// record adds the alias), the id changes once, from …/GHSA-… to …/CVE-…
// (notifications keyed by the id are then sent once more for it). Find
// still accepts the earlier id, and any alias as the vulnerability. When the system moves to
// another version that is still affected, the finding stays the same one
// (Version is the version running; its clock does not restart).
//
// States follow CycloneDX VEX analysis and OpenVEX: in_triage, affected
// (CycloneDX exploitable, OpenVEX affected), not_affected (with a
// justification), false_positive, plus mitigated (a measure until a date;
// it expires like an exception), fixed (a person says the fix is in) and
// verified (the re-test: the system's next SBOM no longer holds an
// affected version).
//
// The life of a finding, from the SBOM history of its system:
//
//   - a snapshot holding an affected version opens it in_triage at the
//     snapshot's import time, or at the vulnerability's publication when
//     that is later (a version removed before the vulnerability was
//     published never was a finding);
//   - analyses from the ledger move it (the latest one whose version range
//     covers every running version wins — an analysis of 1.2.24 says nothing
//     of a 1.2.80 running beside it; a later one supersedes, none is
//     overwritten);
//   - a later snapshot without any affected version verifies it, dated by
//     that snapshot, which is named as the evidence — once OSV has checked
//     every version of the package it holds (until then the re-test waits,
//     and the history says so); a snapshot without the package verifies;
//   - the deadline is a whole day, UTC: due on the day of since + the days
//     allowed (KEV: from the later of since and the day CISA added it),
//     overdue from the next day's 00:00 UTC;
//   - a snapshot bringing an affected version back reopens it (Reopened; it
//     starts in_triage again from that snapshot, and not_affected and
//     false_positive analyses, which are about the code, still apply);
//   - a finding a person set fixed that a later snapshot still holds is
//     "fix not verified" (FixNotVerified), open again;
//   - a mitigation past its until date is affected again, and says so.
package vulns

import (
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
)

// States, spelled as CycloneDX VEX analysis.state / OpenVEX status (affected
// is CycloneDX's exploitable), plus mitigated, fixed and verified.
const (
	InTriage      = "in_triage"
	Affected      = "affected"
	NotAffected   = "not_affected"
	FalsePositive = "false_positive"
	Mitigated     = "mitigated"
	Fixed         = "fixed"
	Verified      = "verified"
)

// Justifications of not_affected: CycloneDX analysis.justification, then
// OpenVEX status justifications.
var Justifications = ledger.VulnJustifications

// Event sources.
const (
	SourceSBOM   = "sbom"   // a snapshot opened or reopened the finding
	SourceLedger = "ledger" // an analysis recorded by a person
	SourceVEX    = "vex"    // an analysis imported from a VEX document
	SourceRetest = "retest" // a snapshot verified it, or showed a fix not in
	SourceExpiry = "expiry" // a mitigation's end date passed
)

// Event is one change of a finding: when, to what state, who and why.
type Event struct {
	At            time.Time `json:"at"`
	State         string    `json:"state"`
	By            string    `json:"by"`
	Why           string    `json:"why"`
	Justification string    `json:"justification,omitempty"`
	Source        string    `json:"source"`             // sbom, ledger, vex, retest, expiry
	Evidence      string    `json:"evidence,omitempty"` // the snapshot (#id path) or the ledger file
}

// Finding is one vulnerability in one package of one system.
type Finding struct {
	ID        string   `json:"finding"`
	System    string   `json:"system"`
	Component string   `json:"component"` // package URL without version, or the name
	Version   string   `json:"version"`   // the affected version running (or last seen); several joined by ", "
	PURL      string   `json:"purl,omitempty"`
	Vuln      string   `json:"id"` // the vulnerability: its CVE when it has one
	Aliases   []string `json:"aliases,omitempty"`
	Severity  string   `json:"severity"` // critical, high, medium, low, unknown
	KEV       bool     `json:"kev"`
	// KEVDateAdded is when CISA added it to the catalogue (YYYY-MM-DD).
	KEVDateAdded  string    `json:"kev_date_added,omitempty"`
	FixedIn       string    `json:"fixed_in,omitempty"`
	State         string    `json:"state"`
	Justification string    `json:"justification,omitempty"`
	Response      string    `json:"response,omitempty"`
	Detail        string    `json:"detail,omitempty"`
	Since         time.Time `json:"since"`
	Due           time.Time `json:"due"`
	Overdue       bool      `json:"overdue"`
	// Open says the finding is a risk now: in_triage, affected, an expired
	// mitigation or a fix not verified.
	Open       bool       `json:"open"`
	VerifiedAt *time.Time `json:"verified_at,omitempty"`
	// VerifiedBy names the SBOM that proves the re-test: "snapshot #12 sboms/payments-v2.json".
	VerifiedBy       string `json:"verified_by,omitempty"`
	VerifiedSnapshot int64  `json:"verified_snapshot,omitempty"`
	Reopened         bool   `json:"reopened"`
	FixNotVerified   bool   `json:"fix_not_verified"`
	MitigatedUntil   string `json:"mitigated_until,omitempty"`
	// AnalysisVersions is the version range of the analysis in force
	// ("*": every version; "" none applies). An analysis applies only when
	// its range covers every version running.
	AnalysisVersions string `json:"analysis_versions,omitempty"`
	// FixedAt is when a person recorded the fix (before the re-test).
	FixedAt *time.Time `json:"fixed_at,omitempty"`
	// Days from Since to the first analysis, to the re-test, and from the
	// person's fix to the re-test (nil until they happen).
	DaysToTriage *float64 `json:"days_to_triage,omitempty"`
	DaysToFix    *float64 `json:"days_to_fix,omitempty"`
	DaysToVerify *float64 `json:"days_to_verify,omitempty"`
	History      []Event  `json:"history"`
}

// Deadlines are the days allowed to fix a finding, per severity and for
// known-exploited vulnerabilities (config vulnerability_policy.deadlines_days).
type Deadlines struct {
	KEV      int `json:"kev" yaml:"kev"`
	Critical int `json:"critical" yaml:"critical"`
	High     int `json:"high" yaml:"high"`
	Medium   int `json:"medium" yaml:"medium"`
	Low      int `json:"low" yaml:"low"`
}

// DefaultDeadlines are the published deadlines osgauge starts from:
//
//   - kev 14: CISA BOD 22-01 (2021-11-03) gives two weeks for known-exploited
//     CVEs assigned from 2021 on (six months for older ones; osgauge keeps 14
//     days for every KEV entry: a bank's exposure is today's);
//   - critical 30: PCI DSS v4.0 requirement 6.3.3 (critical and high
//     security patches within one month of release), FedRAMP Rev. 5
//     continuous monitoring (high and critical within 30 days);
//   - high 30: the same PCI DSS 6.3.3 month (FedRAMP: 30);
//   - medium 90: FedRAMP Rev. 5 (moderate within 90 days);
//   - low 180: FedRAMP Rev. 5 (low within 180 days).
//
// A finding of unknown severity gets the medium deadline.
func DefaultDeadlines() Deadlines {
	return Deadlines{KEV: 14, Critical: 30, High: 30, Medium: 90, Low: 180}
}

// Days is the deadline for a severity (unknown: medium).
func (d Deadlines) Days(severity string) int {
	switch severity {
	case "critical":
		return d.Critical
	case "high":
		return d.High
	case "low":
		return d.Low
	}
	return d.Medium
}

// Input is what Build needs: the store's SBOM history and matches, the
// KEV list, the ledger's analyses, the policy and the time of the report.
type Input struct {
	Snapshots  []store.Snapshot                 // every snapshot (store.Snapshots)
	Keys       map[int64][]string               // snapshot id → component keys (store.SnapshotKeys)
	Components map[string]store.InvComponent    // by key (store.Components)
	Matches    map[string][]store.ComponentVuln // by component key (store.Matches)
	// Checked are the component keys OSV has checked (store.Matches's
	// second result; a key with a match counts as checked). A snapshot
	// verifies a finding only when every version of the package it holds
	// has been checked. nil: every key is taken as checked (Load always
	// passes the store's set).
	Checked   map[string]bool
	KEV       map[string]store.KEVEntry // by CVE (store.KEV)
	Analyses  []ledger.VulnAnalysis
	Deadlines Deadlines
	Now       time.Time

	pkgs         map[string]string             // PackageOf by key, filled as Build reads them
	snapVersions map[int64]map[string][]string // versions by snapshot and package, likewise
}

// Totals sum findings up for a report period.
type Totals struct {
	OpenBySeverity     map[string]int `json:"open_by_severity"`
	Open               int            `json:"open"`
	Overdue            int            `json:"overdue"`
	OverdueKEV         int            `json:"overdue_kev"`
	NotAffected        int            `json:"not_affected"`
	FalsePositive      int            `json:"false_positive"`
	Mitigated          int            `json:"mitigated"`
	VerifiedThisPeriod int            `json:"verified_this_period"`
	Reopened           int            `json:"reopened"`
	FixNotVerified     int            `json:"fix_not_verified"`
	MedianDaysToTriage *float64       `json:"median_days_to_triage"`
	MedianDaysToFix    *float64       `json:"median_days_to_fix"`
	MedianDaysToVerify *float64       `json:"median_days_to_verify"`
}
