package policy

import (
	"slices"
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

// The selection: one candidate rejected for a banned licence, one
// approved with an MPL condition, one approved.
func TestRecommendSelection(t *testing.T) {
	r := Defaults()
	// now is 2026-05-01; review_months 12 → review by 2027-05-01.
	banned := Recommend(Candidate{Name: "mongo-lib", Version: "7.0.0", Grade: "B", Score: ptr(70),
		Licence: "SSPL-1.0", LicenceClass: "source-available", LicencePolicy: "banned", Compatibility: "incompatible",
		CompatibilityWhy: "SSPL-1.0 §13 asks the whole service stack's source"}, r, now)
	if banned.Decision != Rejected || banned.ReviewBy != "" || len(banned.Conditions) != 0 {
		t.Fatalf("banned: %+v", banned)
	}
	wantAll(t, banned.Reasons,
		"licence SSPL-1.0 (source-available) is banned by license_policy for this use",
		"licence SSPL-1.0 is incompatible with the system's licence: SSPL-1.0 §13 asks the whole service stack's source")

	// MPL-2.0 in a distributed proprietary system: compatible on
	// conditions; the obligations come from the licence judgement, else
	// from licenses.Conditions (MPL-2.0 §3.3).
	mpl := Recommend(Candidate{Name: "mpl-lib", Version: "1.0", Grade: "A", Score: ptr(85),
		Licence: "MPL-2.0", LicenceClass: "weak-copyleft", LicencePolicy: "allowed", Compatibility: "compatible-with-conditions"}, r, now)
	if mpl.Decision != Conditional || mpl.ReviewBy != "2027-05-01" || len(mpl.Reasons) != 0 {
		t.Fatalf("mpl: %+v", mpl)
	}
	if len(mpl.Conditions) != 1 || !strings.HasPrefix(mpl.Conditions[0], "licence obligation: MPL-2.0 §3.3 (Larger Work)") {
		t.Errorf("mpl conditions: %q", mpl.Conditions)
	}

	ok := Recommend(Candidate{Name: "gson", Version: "2.10.1", Grade: "B", Score: ptr(72.4),
		Licence: "Apache-2.0", LicenceClass: "permissive", LicencePolicy: "allowed", Compatibility: "directly-compatible"}, r, now)
	if ok.Decision != Approved || ok.ReviewBy != "2027-05-01" || len(ok.Conditions)+len(ok.Reasons) != 0 {
		t.Fatalf("approved: %+v", ok)
	}
	wantAll(t, ok.Notes, "licence Apache-2.0: directly-compatible", "no known vulnerability in 2.10.1", "grade B meets the minimum C (score 72.4)")
}

func TestRecommendReasonsAndConditions(t *testing.T) {
	r := Defaults()
	r.BannedLicences = []string{"AGPL-3.0-only"}
	// Every reject reason at once, each stated.
	c := Candidate{Name: "x", Version: "1.2.24", Grade: "D", Licence: "AGPL-3.0-only",
		Gates:              []string{"G-UNMAINTAINED", "G-SOURCE-AVAILABLE", "G-RELICENSED-SOURCE-AVAILABLE", "G-NO-RELEASE", "G-SOURCE-AVAILABLE-IN-USE"},
		GatesNotApplicable: []string{"G-SOURCE-AVAILABLE-IN-USE"},
		Vulns:              []Vuln{{ID: "CVE-2022-25845", Severity: "critical", KEV: true, Fixed: "1.2.83"}, {ID: "OSV-2", Severity: "critical"}}}
	rec := Recommend(c, r, now)
	if rec.Decision != Rejected {
		t.Fatalf("%+v", rec)
	}
	wantAll(t, rec.Reasons,
		"licence AGPL-3.0-only: AGPL-3.0-only is banned (lifecycle.policy.banned_licences)",
		"known-exploited vulnerability CVE-2022-25845 (CISA KEV, critical) in 1.2.24; fixed in 1.2.83: assess that version instead",
		"critical vulnerability OSV-2 in 1.2.24 with no fixed version (at or above block_severity critical)",
		"unmaintained: no commit by a person for 12 months (gate G-UNMAINTAINED)",
		"not open source: its licence is source-available (gate G-SOURCE-AVAILABLE)",
		"upstream moved to a source-available licence: later versions are not open source (gate G-RELICENSED-SOURCE-AVAILABLE)",
		"grade D is below the policy's minimum C (lifecycle.policy.min_grade)")
	if len(rec.Reasons) != 7 {
		t.Errorf("reasons: %q", rec.Reasons)
	}
	wantAll(t, rec.Notes, "gate G-SOURCE-AVAILABLE-IN-USE not applicable to a candidate not yet in use")
	// Another fired gate is a condition, not a note (review finding: a
	// grade C candidate with G-NO-RELEASE was approved with no condition).
	if r := Recommend(Candidate{Name: "z", Version: "1", Grade: "C", Licence: "MIT", Compatibility: "directly-compatible", LicencePolicy: "allowed",
		Gates: []string{"G-NO-RELEASE"}}, Defaults(), now); r.Decision != Conditional ||
		!slices.Contains(r.Conditions, "gate G-NO-RELEASE fired: address it (or record a waiver with what it accepts) before use") {
		t.Errorf("grade C with G-NO-RELEASE: %+v", r)
	}

	// Conditions: fixable vulnerabilities (minimum version), one without
	// a fix below the block threshold, a key-person gate with a supplier,
	// a grade range reaching below the minimum.
	c = Candidate{Name: "y", Version: "2.0", GradeRange: []string{"D", "B"}, Licence: "MIT", Compatibility: "directly-compatible", LicencePolicy: "allowed",
		Gates:        []string{"G-KEY-PERSON"},
		Suppliers:    []string{"Acme OSS Services"},
		NearestFixed: "2.3.1",
		Vulns:        []Vuln{{ID: "GHSA-a", Severity: "high", Fixed: "2.1"}, {ID: "GHSA-b", Severity: "critical", Fixed: "2.3.1"}, {ID: "GHSA-c", Severity: "low"}}}
	rec = Recommend(c, r, now)
	if rec.Decision != Conditional || rec.ReviewBy != "2027-05-01" {
		t.Fatalf("%+v", rec)
	}
	wantAll(t, rec.Conditions,
		"no fixed version for GHSA-c (low): mitigate and record an analysis",
		"minimum version 2.3.1 (fixes GHSA-a (high, fixed in 2.1), GHSA-b (critical, fixed in 2.3.1))",
		"a key-person mitigation: support from Acme OSS Services under contract, or a maintained internal fork (one person made most of the recent commits)",
		"review by 2027-05-01: the grade lies between D and B and may be below the minimum C; collect the missing data that would narrow it")

	// A range entirely below the minimum rejects; one entirely at or
	// above it approves; no grade at all is a condition.
	if rec := Recommend(Candidate{GradeRange: []string{"D"}, Licence: "MIT"}, r, now); rec.Decision != Rejected ||
		rec.Reasons[0] != "grade between D and D: even the best case is below the policy's minimum C" {
		t.Errorf("range D: %+v", rec)
	}
	if rec := Recommend(Candidate{GradeRange: []string{"B", "A"}, Licence: "MIT"}, r, now); rec.Decision != Approved {
		t.Errorf("range A–B: %+v", rec)
	}
	if rec := Recommend(Candidate{Licence: "MIT"}, r, now); rec.Decision != Conditional ||
		rec.Conditions[0] != "review by 2027-05-01: no PHI grade (not assessed, or too little data); assess it before then" {
		t.Errorf("no grade: %+v", rec)
	}
	// min_grade B: grade C is below it.
	r.MinGrade = "B"
	if rec := Recommend(Candidate{Grade: "C", Licence: "MIT"}, r, now); rec.Decision != Rejected {
		t.Errorf("min_grade B, grade C: %+v", rec)
	}
}

func wantAll(t *testing.T, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
			}
		}
		if !found {
			t.Errorf("missing %q in\n  %s", w, strings.Join(got, "\n  "))
		}
	}
}
