package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/licenses"
)

// Candidate is a component considered for intake (not yet in use), with
// what its intake assessment found.
type Candidate struct {
	Name    string `json:"name"`
	Target  string `json:"target"`
	Version string `json:"version,omitempty"`
	// Grade is the PHI grade when decided; GradeRange the grades the
	// score range spans when it is not ("between D and B": D and B, in
	// any order).
	Grade      string   `json:"grade,omitempty"`
	GradeRange []string `json:"grade_range,omitempty"`
	Score      *float64 `json:"score,omitempty"`
	// Gates are the ids of the gates that fired; GatesNotApplicable those
	// that only make sense for what runs (never a reason here).
	Gates              []string `json:"gates,omitempty"`
	GatesNotApplicable []string `json:"gates_not_applicable,omitempty"`
	Licence            string   `json:"licence,omitempty"`
	LicenceClass       string   `json:"licence_class,omitempty"`
	Compatibility      string   `json:"compatibility,omitempty"`
	CompatibilityWhy   string   `json:"compatibility_why,omitempty"`
	LicencePolicy      string   `json:"licence_policy,omitempty"`
	Obligations        []string `json:"obligations,omitempty"`
	// Vulns are the known vulnerabilities of this version; NearestFixed
	// the nearest version that fixes them all ("" when none does or it
	// is not known).
	Vulns        []Vuln   `json:"vulnerabilities,omitempty"`
	NearestFixed string   `json:"nearest_fixed,omitempty"`
	Suppliers    []string `json:"suppliers,omitempty"` // suppliers whose supports name it
	KeyPerson    bool     `json:"key_person,omitempty"`
}

// Recommendation is the intake recommendation: approved, conditional
// (each condition stated) or rejected (each reason stated). People
// decide; this is what the policy recommends.
type Recommendation struct {
	Decision string `json:"decision"` // approved, conditional, rejected
	// Conditions are what a conditional approval asks (empty otherwise).
	Conditions []string `json:"conditions,omitempty"`
	// Reasons are why it is rejected (empty otherwise).
	Reasons []string `json:"reasons,omitempty"`
	// ReviewBy is the review date an approval would carry (now plus
	// review_months); "" for a rejection.
	ReviewBy string `json:"review_by,omitempty"`
	// Notes say what was checked and passed, and what was set aside.
	Notes []string `json:"notes,omitempty"`
}

// Gates that reject a candidate: it is unmaintained, archived, or not
// open source (JR/T 0291-2024 §8 names stopped maintenance as a reason to
// exit; a bank would not take in what it would have to exit).
var rejectGates = map[string]string{
	"G-UNMAINTAINED":                "unmaintained: no commit by a person for 12 months (gate G-UNMAINTAINED)",
	"G-ARCHIVED":                    "archived by its maintainers: no further fixes (gate G-ARCHIVED)",
	"G-SOURCE-AVAILABLE":            "not open source: its licence is source-available (gate G-SOURCE-AVAILABLE)",
	"G-RELICENSED-SOURCE-AVAILABLE": "upstream moved to a source-available licence: later versions are not open source (gate G-RELICENSED-SOURCE-AVAILABLE)",
}

// Gates that make an approval conditional on a key-person mitigation.
var keyPersonGates = []string{"G-KEY-PERSON", "G-SINGLE-MAINTAINER"}

// Recommend recommends an intake decision for a candidate under the rules.
//
// Rejected, each reason stated: a banned licence (license_policy banned for
// the use, or an id in banned_licences), a licence incompatible with the
// target system's licence and use, a known-exploited vulnerability in
// that version (block_kev), a vulnerability at or above block_severity
// with no fixed version, an unmaintained, archived or source-available
// gate, a grade below min_grade (or a grade range entirely below it).
//
// Conditional, each condition stated: a licence with conditions (each
// obligation, e.g. MPL-2.0 §3.3), a licence to review, a known
// vulnerability with a fix (the minimum version), one without (mitigate
// and record an analysis), a key-person gate (a mitigation), a grade range
// that reaches below min_grade or no grade at all (re-assess by the
// review date).
//
// Otherwise approved, with a review date (now plus review_months).
func Recommend(c Candidate, r Rules, now time.Time) Recommendation {
	r = r.WithDefaults()
	var rec Recommendation
	gates := slices.DeleteFunc(slices.Clone(c.Gates), func(g string) bool { return slices.Contains(c.GatesNotApplicable, g) })
	for _, g := range c.GatesNotApplicable {
		rec.Notes = append(rec.Notes, fmt.Sprintf("gate %s not applicable to a candidate not yet in use", g))
	}
	reject := func(format string, a ...any) { rec.Reasons = append(rec.Reasons, fmt.Sprintf(format, a...)) }
	cond := func(format string, a ...any) { rec.Conditions = append(rec.Conditions, fmt.Sprintf(format, a...)) }
	note := func(format string, a ...any) { rec.Notes = append(rec.Notes, fmt.Sprintf(format, a...)) }
	review := r.reviewDate(now)

	// Licence.
	lic := orText(c.Licence, "no licence declared")
	if banned, ids := r.bannedID(c.Licence); banned {
		reject("licence %s: %s banned (lifecycle.policy.banned_licences)", lic, strings.Join(ids, ", ")+isAre(len(ids)))
	} else if c.LicencePolicy == licenses.Banned {
		reject("licence %s (%s) is banned by license_policy for this use", lic, orText(c.LicenceClass, "class unknown"))
	}
	switch c.Compatibility {
	case licenses.Incompatible:
		reject("licence %s is incompatible with the system's licence: %s", lic, orText(c.CompatibilityWhy, "see the OSADL matrix"))
	case licenses.CompatibleWithConditions:
		obl := c.Obligations
		if len(obl) == 0 {
			for _, id := range licenses.Parse(c.Licence).IDs {
				if s := licenses.Conditions(id); s != "" {
					obl = append(obl, s)
				}
			}
		}
		if len(obl) == 0 {
			obl = []string{orText(c.CompatibilityWhy, "the licence's conditions for a larger work")}
		}
		for _, o := range obl {
			cond("licence obligation: %s", o)
		}
	case licenses.NeedsReview:
		cond("licence review: compatibility of %s with the system's licence could not be told (%s); have it reviewed", lic, orText(c.CompatibilityWhy, "not in the OSADL matrix"))
	default:
		if c.Compatibility != "" {
			note("licence %s: %s", lic, c.Compatibility)
		}
	}
	if c.LicencePolicy == licenses.Review {
		cond("licence review: license_policy asks for a review of %s (%s) for this use", lic, orText(c.LicenceClass, "class unknown"))
	}

	// Vulnerabilities of this version.
	var fixable []string
	for _, v := range dedupVulns(c.Vulns) {
		id := v.ID
		switch {
		case v.KEV && *r.BlockKEV:
			fix := "no fixed version is known"
			if v.Fixed != "" {
				fix = "fixed in " + v.Fixed + ": assess that version instead"
			}
			reject("known-exploited vulnerability %s (CISA KEV, %s) in %s; %s", id, v.Severity, orText(c.Version, "this version"), fix)
		case v.Fixed == "" && r.blocksSeverity(v.Severity):
			reject("%s vulnerability %s in %s with no fixed version (at or above block_severity %s)", v.Severity, id, orText(c.Version, "this version"), r.BlockSeverity)
		case v.Fixed == "":
			cond("no fixed version for %s (%s): mitigate and record an analysis", id, v.Severity)
		default:
			fixable = append(fixable, fmt.Sprintf("%s (%s, fixed in %s)", id, v.Severity, v.Fixed))
		}
	}
	if len(fixable) > 0 {
		if c.NearestFixed != "" {
			cond("minimum version %s (fixes %s)", c.NearestFixed, strings.Join(fixable, ", "))
		} else {
			for _, f := range fixable {
				cond("minimum version: upgrade past %s", f)
			}
		}
	} else if len(c.Vulns) == 0 {
		note("no known vulnerability in %s", orText(c.Version, "this version"))
	}

	// Gates.
	for _, g := range gates {
		if why, ok := rejectGates[g]; ok {
			reject("%s", why)
		}
	}
	if c.KeyPerson || slices.ContainsFunc(keyPersonGates, func(g string) bool { return slices.Contains(gates, g) }) {
		m := "a key-person mitigation: a support contract, a maintained internal fork or people able to maintain it"
		if len(c.Suppliers) > 0 {
			m = "a key-person mitigation: support from " + strings.Join(c.Suppliers, ", ") + " under contract, or a maintained internal fork"
		}
		cond("%s (one person made most of the recent commits)", m)
	}
	// Every other fired gate is a knock-out the office must answer before
	// approving: a condition naming it, never a silent note (a grade that
	// clears min_grade does not make a fired gate go away).
	for _, g := range gates {
		if _, ok := rejectGates[g]; !ok && !slices.Contains(keyPersonGates, g) {
			cond("gate %s fired: address it (or record a waiver with what it accepts) before use", g)
		}
	}

	// Grade.
	min := r.MinGrade
	switch {
	case c.Grade != "":
		if gradeBelow(c.Grade, min) {
			reject("grade %s is below the policy's minimum %s (lifecycle.policy.min_grade)%s", c.Grade, min, scoreText(c.Score))
		} else {
			note("grade %s meets the minimum %s%s", c.Grade, min, scoreText(c.Score))
		}
	case len(c.GradeRange) > 0:
		best, worst := gradeEnds(c.GradeRange)
		switch {
		case gradeBelow(best, min):
			reject("grade between %s and %s: even the best case is below the policy's minimum %s", worst, best, min)
		case gradeBelow(worst, min):
			cond("review by %s: the grade lies between %s and %s and may be below the minimum %s; collect the missing data that would narrow it", review, worst, best, min)
		default:
			note("grade between %s and %s: both meet the minimum %s", worst, best, min)
		}
	default:
		cond("review by %s: no PHI grade (not assessed, or too little data); assess it before then", review)
	}

	switch {
	case len(rec.Reasons) > 0:
		rec.Decision, rec.Conditions = Rejected, nil
	case len(rec.Conditions) > 0:
		rec.Decision, rec.ReviewBy = Conditional, review
	default:
		rec.Decision, rec.ReviewBy = Approved, review
	}
	return rec
}

// gradeEnds returns the best and worst of some grade letters.
func gradeEnds(gs []string) (best, worst string) {
	for _, g := range gs {
		g = strings.ToUpper(strings.TrimSpace(g))
		if g == "" {
			continue
		}
		if best == "" || g < best {
			best = g
		}
		if worst == "" || g > worst {
			worst = g
		}
	}
	return best, worst
}

func scoreText(s *float64) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf(" (score %.1f)", *s)
}
