package vex

import (
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/vulns"
)

// FromFindings are the statements of a system: one per finding of the
// system and version it runs (or last ran), in the finding's state, then
// one per analysis in extra (analyses in force that no finding uses, for
// versions stated exactly). A finding set fixed that the SBOMs still hold
// ("fix not verified") is stated affected: the re-test contradicts the fix.
func FromFindings(system string, fs []vulns.Finding, extra []ledger.VulnAnalysis) []Statement {
	var out []Statement
	for _, f := range fs {
		if f.System != system {
			continue
		}
		s := Statement{Vuln: f.Vuln, Aliases: slices.Clone(f.Aliases), Package: f.Component, State: f.State,
			Justification: f.Justification, Response: f.Response, Detail: f.Detail, Severity: f.Severity, Finding: f.ID}
		if f.State == vulns.Mitigated {
			s.Until = f.MitigatedUntil
		}
		if f.State != vulns.NotAffected {
			s.Justification = ""
		}
		s.FirstIssued, s.LastUpdated = f.Since, f.Since
		for _, e := range f.History {
			if e.Source == vulns.SourceLedger || e.Source == vulns.SourceVEX {
				if s.FirstIssued.Equal(f.Since) {
					s.FirstIssued = e.At
				}
			}
			if e.At.After(s.LastUpdated) {
				s.LastUpdated = e.At
			}
		}
		switch {
		case f.FixNotVerified:
			s.State = Affected
			s.Note = "fix recorded but not verified: a later SBOM still holds " + f.Version
		case f.State == vulns.Verified && f.VerifiedAt != nil:
			s.Note = "verified " + f.VerifiedAt.UTC().Format(time.DateOnly) + ": " + f.VerifiedBy + " no longer holds an affected version"
		case f.Reopened:
			s.Note = "reopened: an affected version came back after it was verified gone"
		}
		for _, v := range strings.Split(f.Version, ", ") {
			t := s
			t.Version = strings.TrimSpace(v)
			t.PURL = purlAt(f.PURL, f.Component, t.Version)
			out = append(out, t)
		}
	}
	for _, a := range extra {
		if a.System != "" && a.System != system {
			continue
		}
		s := Statement{Vuln: a.Vuln, Package: a.Target, State: a.State, Justification: a.Justification, Response: a.Response,
			Detail: a.Detail, Until: a.Until, FirstIssued: a.At, LastUpdated: a.At, Note: "analysis " + a.ID + " (no finding now)"}
		v := strings.TrimPrefix(strings.TrimSpace(a.Versions), "=")
		if v != "" && strings.ContainsAny(v, "<>!,*x ") {
			continue // a range: no one product version to state it for
		}
		s.Version = v
		s.PURL = purlAt("", a.Target, v)
		out = append(out, s)
	}
	return out
}

// purlAt is the package URL of pkg (or of the given purl) at version v,
// without qualifiers.
func purlAt(purl, pkg, v string) string {
	for _, x := range []string{purl, pkg} {
		if p, ok := sbom.ParsePURL(x); ok {
			p.Version, p.Qualifiers = v, nil
			return p.Key()
		}
	}
	if v == "" {
		return pkg
	}
	return pkg + "@" + v
}
