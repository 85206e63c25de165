package license

import (
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/google/licensecheck"

	"github.com/osgauge/osgauge/licenses"
)

// Detection is what one licence file declares.
type Detection struct {
	// ID is the SPDX expression of the licence the file declares: the
	// licence text that starts first in the file, joined with a Commons
	// Clause found anywhere in it ("Apache-2.0 AND
	// LicenseRef-Commons-Clause"). "" when no licence is recognised.
	ID string
	// All are the licence texts matched, each once, in order of position
	// (licensecheck's ids; the Commons Clause as LicenseRef-Commons-Clause).
	// Licence URLs mentioned in a text are not listed.
	All []string
	// Others are the licences in All besides the declared one and its
	// addenda: texts that come after it, as Apache projects append the
	// licences of bundled third-party code. They are not the project's
	// licence. Empty when nothing is recognised.
	Others []string
	// Percent is the share of the file's words that matched licence texts.
	Percent float64
	// ByWording is set when the scanner recognised nothing and ID is a
	// source-available licence recognised by the phrases its text carries
	// (licenses.SourceAvailableText).
	ByWording bool
}

// commonsClause is the SPDX reference the licenses package gives the
// Commons Clause, a condition that turns the licence it accompanies into a
// source-available one.
const commonsClause = "LicenseRef-Commons-Clause"

// restricting maps licensecheck's ids of conditions added to a licence (not
// licences of bundled code) to their SPDX references: wherever they stand in
// the file, they are part of what it declares.
var restricting = map[string]string{"CommonsClause": commonsClause}

// grants are additional grants (patent clauses) that accompany a licence
// without changing which licence it is.
var grants = map[string]bool{"GooglePatentClause": true, "GooglePatentsFile": true}

// DetectText reads one licence file. The declared licence is the licence
// text that starts first in the file, so that appending the notice or the
// full licence of bundled third-party code (common in Apache projects) does
// not change what the file declares. The file is recognised when at least
// minCoverage percent of its words match licence texts, or when that share
// holds for the file up to the end of the declared licence text: a file
// that opens with a full licence stays recognised whatever long notices
// follow it, while unknown text before the first licence still counts
// against it.
func DetectText(data []byte) Detection {
	cov := licensecheck.Scan(data)
	d := Detection{Percent: cov.Percent}
	matches := slices.Clone(cov.Match)
	sort.SliceStable(matches, func(i, j int) bool { return matches[i].Start < matches[j].Start })
	var first, cond *licensecheck.Match
	for i := range matches {
		m := &matches[i]
		if m.IsURL {
			continue // a URL inside a text names a licence, it does not grant one
		}
		id := m.ID
		if r, ok := restricting[id]; ok {
			id = r
			if cond == nil {
				cond = m
			}
		} else if first == nil && !grants[id] {
			first = m
		}
		if !slices.Contains(d.All, id) {
			d.All = append(d.All, id)
		}
	}
	var parts []string
	end := 0
	if first != nil {
		parts, end = append(parts, first.ID), first.End
	}
	if cond != nil {
		parts = append(parts, commonsClause)
		if first == nil {
			end = cond.End
		}
	}
	if len(parts) == 0 {
		// The scanner knows no source-available text (BUSL, Elastic,
		// FSL, PolyForm…): recognise those by their wording, so that a
		// project relicensed to one is classed source-available, not
		// "unrecognised".
		if id := licenses.SourceAvailableText(data); id != "" {
			d.ID, d.ByWording = id, true
			d.All = append(d.All, id)
		}
		return d
	}
	if cov.Percent < minCoverage && licensecheck.Scan(data[:end]).Percent < minCoverage {
		return d
	}
	d.ID = strings.Join(parts, " AND ")
	for _, id := range d.All {
		if !slices.Contains(parts, id) && !grants[id] {
			d.Others = append(d.Others, id)
		}
	}
	return d
}

// Expression joins the licences declared by separate licence files
// (LICENSE-MIT beside LICENSE-APACHE) into one SPDX expression: distinct,
// sorted, joined by OR, as separate files usually offer a choice. A
// compound licence (one holding AND) is parenthesised when it is one of
// several. "" for none.
func Expression(ids []string) string {
	var list []string
	for _, id := range ids {
		if id != "" && !slices.Contains(list, id) {
			list = append(list, id)
		}
	}
	sort.Strings(list)
	if len(list) > 1 {
		for i, id := range list {
			if strings.Contains(id, " AND ") {
				list[i] = "(" + id + ")"
			}
		}
	}
	return strings.Join(list, " OR ")
}

// components are the licence ids in a declared expression, each once, for
// classifying it (the safe reading takes the strictest of them).
func components(expr string) []string {
	var ids []string
	fields := strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(expr))
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if f == "AND" || f == "OR" {
			continue
		}
		if i+2 < len(fields) && fields[i+1] == "WITH" { // an exception stays with its licence
			f, i = f+" WITH "+fields[i+2], i+2
		}
		if !slices.Contains(ids, f) {
			ids = append(ids, f)
		}
	}
	return ids
}

// IsThirdPartyFile reports whether a licence file's name says it holds the
// licences of bundled third-party code (LICENSE-3rdparty.csv,
// LICENSE-THIRD-PARTY, THIRD_PARTY_LICENSES…), not the project's licence.
func IsThirdPartyFile(name string) bool {
	n := strings.NewReplacer("-", "", "_", "", ".", "", " ", "").Replace(strings.ToUpper(name))
	return strings.Contains(n, "THIRDPARTY") || strings.Contains(n, "3RDPARTY")
}

// IsDocsLicenceFile reports whether a licence file licenses the project's
// documentation (LICENSE.docs, LICENSE-DOCUMENTATION.md): opencontainers
// projects ship their code under Apache-2.0 in LICENSE and their docs
// under CC-BY-SA-4.0 in LICENSE.docs; the docs' licence is not the code's.
func IsDocsLicenceFile(name string) bool {
	n := strings.NewReplacer("-", "", "_", "", ".", "", " ", "").Replace(strings.ToUpper(name))
	for _, p := range []string{"LICENSES", "LICENSE", "LICENCES", "LICENCE", "COPYING"} {
		if rest, ok := strings.CutPrefix(n, p); ok {
			return strings.HasPrefix(rest, "DOC")
		}
	}
	return false
}

// IsLicenceText reports whether a licence file (LICENSE*, COPYING*…) holds
// licence text that can declare the project's licence: not a list of
// bundled third-party code's licences (LICENSE-3rdparty.csv,
// LICENSE-THIRD-PARTY), which changes with every dependency update, not the
// documentation's licence (LICENSE.docs), and not
// a tool's data or code (license-checker-config.json, license-header.js).
func IsLicenceText(name string) bool {
	if IsThirdPartyFile(name) || IsDocsLicenceFile(name) {
		return false
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".yaml", ".yml", ".toml", ".csv", ".tsv", ".xml", ".js", ".mjs", ".cjs", ".ts", ".go", ".py",
		".java", ".kt", ".rb", ".sh", ".properties", ".cfg", ".ini", ".tmpl", ".tpl", ".template", ".sum", ".lock":
		return false
	}
	return true
}
