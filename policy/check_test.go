package policy

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var now = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)

func lines(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		b := "warn"
		if f.Blocking {
			b = "BLOCK"
		}
		out = append(out, fmt.Sprintf("%s %s %s %s | %s | %s", b, f.Rule, f.Component, f.Version, f.Message, f.Fix))
	}
	return out
}

func wantLines(t *testing.T, got []Finding, want ...string) {
	t.Helper()
	g := lines(got)
	if strings.Join(g, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(g, "\n"), strings.Join(want, "\n"))
	}
}

// The SBOM: an approved, a rejected, an unlisted and an
// exit-listed component (one exit overdue, one not yet due).
func TestCheckLedgerStates(t *testing.T) {
	comps := []Component{
		{Name: "com.google.code.gson:gson", Version: "2.10.1", PURL: "pkg:maven/com.google.code.gson/gson@2.10.1", Direct: true, State: Approved,
			ReviewBy: "2027-01-31", Licence: "Apache-2.0", Compatibility: "directly-compatible", LicencePolicy: "allowed"},
		{Name: "com.alibaba:fastjson", Version: "1.2.24", PURL: "pkg:maven/com.alibaba/fastjson@1.2.24", Direct: true, State: Rejected,
			Decided: "2026-02-03", DecidedBy: "alice", Why: "autoType deserialisation flaws", ExitReplacement: "com.alibaba.fastjson2:fastjson2"},
		{Name: "org.yaml:snakeyaml", Version: "2.2", PURL: "pkg:maven/org.yaml/snakeyaml@2.2", Direct: true},
		{Name: "commons-collections:commons-collections", Version: "3.2.2", PURL: "pkg:maven/commons-collections/commons-collections@3.2.2", Direct: true,
			State: Exit, ExitDeadline: "2026-04-30", ExitReason: "unmaintained", ExitReplacement: "org.apache.commons:commons-collections4"},
		{Name: "joda-time:joda-time", Version: "2.12.5", Direct: true, State: Exit, ExitDeadline: "2027-03-31", ExitReplacement: "java.time"},
	}
	got := Check("payments", comps, Defaults(), now)
	// now is 2026-05-01: the 2026-04-30 deadline passed at the end of
	// its day (blocks), 2027-03-31 is ahead (warns); gson's review date
	// 2027-01-31 is ahead (nothing).
	wantLines(t, got,
		"BLOCK rejected com.alibaba:fastjson 1.2.24 | com.alibaba:fastjson 1.2.24 was rejected on 2026-02-03 by alice: autoType deserialisation flaws | replace with com.alibaba.fastjson2:fastjson2",
		"BLOCK exit-overdue commons-collections:commons-collections 3.2.2 | commons-collections:commons-collections 3.2.2 is on the exit list (unmaintained) and its deadline 2026-04-30 has passed | replace with org.apache.commons:commons-collections4 (overdue since 2026-04-30)",
		"BLOCK unapproved org.yaml:snakeyaml 2.2 | org.yaml:snakeyaml 2.2 is used by payments without an intake decision: a direct dependency | request intake: osgauge intake assess pkg:maven/org.yaml/snakeyaml@2.2",
		"warn exit joda-time:joda-time 2.12.5 | joda-time:joda-time 2.12.5 is on the exit list, deadline 2027-03-31 | replace with java.time before 2027-03-31",
	)
	if Passed(got) {
		t.Error("Passed with blocking findings")
	}
	// On the deadline's own day the exit is not yet overdue.
	got = Check("payments", comps[3:4], Defaults(), time.Date(2026, 4, 30, 23, 59, 0, 0, time.UTC))
	if len(got) != 1 || got[0].Rule != RuleExit || got[0].Blocking {
		t.Errorf("on the deadline day: %v", lines(got))
	}
	if !Passed(Check("payments", comps[:1], Defaults(), now)) {
		t.Error("an approved component alone should pass")
	}
}

// A transitive component needs its own intake only under
// intake_required: all; none requires nothing.
func TestCheckIntakeRequired(t *testing.T) {
	comps := []Component{
		{Name: "a", Version: "1", PURL: "pkg:npm/a@1", Direct: true},
		{Name: "b", Version: "2", PURL: "pkg:npm/b@2", Direct: false},
		{Name: "own", Version: "3", Direct: true, Scope: "own"},
		{Name: "x", Version: "4", Direct: true, RelationUnknown: true, Target: "https://github.com/o/x"},
		// Test, build and development components need no intake; a
		// rejected one still blocks (a build plugin runs in the pipeline);
		// their vulnerabilities count.
		{Name: "junit", Version: "5", Direct: true, Scope: "test"},
		{Name: "old-plugin", Version: "6", Direct: true, Scope: "build", State: Rejected},
		{Name: "devtool", Version: "7", Direct: true, Scope: "dev", Vulns: []Vuln{{ID: "OSV-9", Severity: "critical", Fixed: "7.1"}}},
	}
	r := Defaults()
	wantLines(t, Check("s", comps, r, now),
		"BLOCK unapproved a 1 | a 1 is used by s without an intake decision: a direct dependency | request intake: osgauge intake assess pkg:npm/a@1",
		"BLOCK vulnerability devtool 7 | devtool 7 is affected by OSV-9: critical | upgrade to ≥ 7.1",
		"BLOCK rejected old-plugin 6 | old-plugin 6 was rejected: no reason recorded | replace it",
		"BLOCK unapproved x 4 | x 4 is used by s without an intake decision: a component whose relation the SBOM does not tell (treated as direct) | request intake: osgauge intake assess https://github.com/o/x",
	)
	r.IntakeRequired = IntakeAll
	wantLines(t, Check("s", comps, r, now),
		"BLOCK unapproved a 1 | a 1 is used by s without an intake decision: a direct dependency | request intake: osgauge intake assess pkg:npm/a@1",
		"BLOCK unapproved b 2 | b 2 is used by s without an intake decision: a transitive dependency (lifecycle.intake_required: all) | request intake: osgauge intake assess pkg:npm/b@2",
		"BLOCK vulnerability devtool 7 | devtool 7 is affected by OSV-9: critical | upgrade to ≥ 7.1",
		"BLOCK rejected old-plugin 6 | old-plugin 6 was rejected: no reason recorded | replace it",
		"BLOCK unapproved x 4 | x 4 is used by s without an intake decision: a component whose relation the SBOM does not tell (treated as direct) | request intake: osgauge intake assess https://github.com/o/x",
	)
	r.IntakeRequired = IntakeNone
	if got := Check("s", comps[:4], r, now); len(got) != 0 {
		t.Errorf("intake_required none: %v", lines(got))
	}
	// block_unapproved: false turns the block into a warning.
	f := false
	r = Defaults()
	r.BlockUnapproved = &f
	got := Check("s", comps[:1], r, now)
	if len(got) != 1 || got[0].Blocking || !Passed(got) {
		t.Errorf("block_unapproved false: %v", lines(got))
	}
}

func TestCheckVulnerabilitiesAndLicences(t *testing.T) {
	comps := []Component{
		{Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1", State: Approved, Direct: true, Vulns: []Vuln{
			{ID: "GHSA-jfh8-c2jp-5v3q", Aliases: []string{"CVE-2021-44228"}, Severity: "critical", KEV: true, Fixed: "2.15.0"},
			// The same flaw under its CVE id: merged into the GHSA finding.
			{ID: "CVE-2021-44228", Aliases: []string{"GHSA-jfh8-c2jp-5v3q"}, Severity: "critical", KEV: true, Fixed: "2.15.0"},
			{ID: "GHSA-p6xc-xr62-6r2g", Severity: "high", Fixed: "2.17.0"},        // below critical: no finding
			{ID: "GHSA-8489-44mv-ggj8", Severity: "medium", KEV: true, Fixed: ""}, // KEV whatever its severity
		}},
		{Name: "k", Version: "1", State: Approved, Direct: true, Vulns: []Vuln{{ID: "OSV-1", Severity: "critical"}}},
		{Name: "gpl", Version: "1", State: Approved, Direct: true, Licence: "GPL-3.0-only", Compatibility: "incompatible", CompatibilityWhy: "strong copyleft", SystemLicence: "proprietary"},
		{Name: "dual", Version: "1", State: Approved, Direct: true, Licence: "MIT OR GPL-3.0-only", Compatibility: "directly-compatible"},
		{Name: "sspl", Version: "1", State: Approved, Direct: true, Licence: "SSPL-1.0", LicenceClass: "source-available", LicencePolicy: "banned", Use: "saas"},
		{Name: "mpl", Version: "1", State: Conditional, Conditions: []string{"MPL-2.0 §3.3: keep notices"}, Decided: "2026-01-02", ReviewBy: "2026-04-01",
			Direct: true, Licence: "MPL-2.0", LicencePolicy: "review", LicenceClass: "weak-copyleft", Use: "distributed"},
	}
	r := Defaults()
	r.BannedLicences = []string{"GPL-3.0-only"}
	wantLines(t, Check("s", comps, r, now),
		"BLOCK licence-banned gpl 1 | gpl 1 is under GPL-3.0-only; GPL-3.0-only is banned (lifecycle.policy.banned_licences) | replace it with a component under an allowed licence",
		"BLOCK licence-incompatible gpl 1 | gpl 1's licence GPL-3.0-only is incompatible with s (proprietary): strong copyleft | replace it, or change how the system uses or links it",
		"BLOCK vulnerability k 1 | k 1 is affected by OSV-1: critical | no fixed version: mitigate and record an analysis",
		"BLOCK kev org.apache.logging.log4j:log4j-core 2.14.1 | org.apache.logging.log4j:log4j-core 2.14.1 is affected by GHSA-8489-44mv-ggj8: medium, known exploited (CISA KEV) | no fixed version: mitigate and record an analysis",
		"BLOCK kev org.apache.logging.log4j:log4j-core 2.14.1 | org.apache.logging.log4j:log4j-core 2.14.1 is affected by GHSA-jfh8-c2jp-5v3q (CVE-2021-44228): critical, known exploited (CISA KEV) | upgrade to ≥ 2.15.0",
		"BLOCK licence-banned sspl 1 | sspl 1 is under SSPL-1.0 (source-available), banned by license_policy for saas use | replace it with a component under an allowed licence",
		"warn conditional mpl 1 | mpl 1 is approved on conditions on 2026-01-02: MPL-2.0 §3.3: keep notices | keep to the conditions recorded with the decision",
		"warn review-due mpl 1 | mpl 1's approval was due for review on 2026-04-01 | review it: osgauge intake assess, then osgauge intake decide",
		"warn licence-review mpl 1 | mpl 1 is under MPL-2.0 (weak-copyleft): license_policy asks for a review for distributed use | have the licence reviewed and record the decision (osgauge intake decide)",
	)
	// block_severity high: the high one blocks too; block_kev false and
	// block_severity off: nothing blocks for vulnerabilities.
	r = Defaults()
	r.BlockSeverity = "high"
	if got := Check("s", comps[:1], r, now); len(got) != 3 {
		t.Errorf("block_severity high: %v", lines(got))
	}
	f := false
	r.BlockKEV, r.BlockSeverity = &f, SeverityOff
	if got := Check("s", comps[:2], r, now); len(got) != 0 {
		t.Errorf("block_kev false, block_severity off: %v", lines(got))
	}
}

func TestValidate(t *testing.T) {
	if msgs := Defaults().Validate(); len(msgs) != 0 {
		t.Errorf("defaults: %v", msgs)
	}
	r := Rules{IntakeRequired: "some", MinGrade: "c+", BlockSeverity: "severe", BannedLicences: []string{"GPL-3.0-only OR MIT"}, ReviewMonths: -1}
	got := strings.Join(r.Validate(), "\n")
	for _, want := range []string{"lifecycle.intake_required: \"some\"", "lifecycle.policy.min_grade: \"c+\"", "lifecycle.policy.block_severity: \"severe\"",
		"lifecycle.policy.banned_licences[0]", "lifecycle.policy.review_months: -1"} {
		if !strings.Contains(got, want) {
			t.Errorf("Validate lacks %q in:\n%s", want, got)
		}
	}
	w := Rules{}.WithDefaults()
	if w.MinGrade != "C" || w.BlockSeverity != "critical" || !*w.BlockKEV || !*w.BlockUnapproved || w.ReviewMonths != 12 || w.IntakeRequired != IntakeDirect {
		t.Errorf("WithDefaults: %+v", w)
	}
	if n := (Rules{IntakeRequired: IntakeNone}).WithDefaults(); *n.BlockUnapproved {
		t.Error("block_unapproved should default to false under intake_required none")
	}
}
