// Package licenses reads licence expressions (SPDX, with
// github.com/github/go-spdx), sorts licences into classes, applies an
// institution's policy per class and per use, and judges the compatibility
// of a component's licence with the licence of the system that uses it
// from the OSADL matrix embedded in data/ (CC-BY-4.0, see data/README.md).
//
// Expressions are evaluated the way a licensee reads them: for OR the
// licensee may pick the most favourable branch, for AND every licence
// applies. The evaluation uses go-spdx's Satisfies on the expression's own
// licences, so the operator precedence and the -or-later ranges are the
// library's, not a hand-written parser's.
package licenses

import (
	"slices"
	"strings"
)

// Licence classes, from least to most restrictive for a bank's use.
const (
	PublicDomain    = "public-domain"
	Permissive      = "permissive"
	WeakCopyleft    = "weak-copyleft"
	StrongCopyleft  = "strong-copyleft"
	NetworkCopyleft = "network-copyleft"
	SourceAvailable = "source-available" // not OSI-approved: SSPL, BUSL, Elastic, Commons Clause…
	Unknown         = "unknown"
)

// Classes lists the classes from the most to the least favourable; an
// unknown licence ranks below every open-source class and above
// source-available ones, whose terms are known to restrict use.
var Classes = []string{PublicDomain, Permissive, WeakCopyleft, StrongCopyleft, NetworkCopyleft, Unknown, SourceAvailable}

// classRank is a class's index in Classes.
func classRank(c string) int {
	for i, x := range Classes {
		if x == c {
			return i
		}
	}
	return len(Classes) - 2 // unknown
}

// classes maps canonical SPDX identifiers to a class.
var classes = map[string]string{
	"0BSD": Permissive, "MIT": Permissive, "MIT-0": Permissive, "MIT-CMU": Permissive, "ISC": Permissive, "Apache-2.0": Permissive,
	"Apache-1.0": Permissive, "Apache-1.1": Permissive, "AFL-2.0": Permissive, "AFL-2.1": Permissive, "AFL-3.0": Permissive,
	"BSD-1-Clause": Permissive, "BSD-2-Clause": Permissive, "BSD-3-Clause": Permissive, "BSD-4-Clause": Permissive,
	"BSD-2-Clause-FreeBSD": Permissive, "BSD-2-Clause-Patent": Permissive, "BSD-3-Clause-Clear": Permissive,
	"Zlib": Permissive, "zlib-acknowledgement": Permissive, "Libpng": Permissive, "libpng-2.0": Permissive, "BSL-1.0": Permissive,
	"PostgreSQL": Permissive, "Python-2.0": Permissive, "PSF-2.0": Permissive, "X11": Permissive, "NCSA": Permissive,
	"Unicode-DFS-2015": Permissive, "Unicode-DFS-2016": Permissive, "Unicode-3.0": Permissive, "CC-BY-4.0": Permissive,
	"CC-BY-3.0": Permissive, "OpenSSL": Permissive, "BlueOak-1.0.0": Permissive, "UPL-1.0": Permissive, "ICU": Permissive,
	"HPND": Permissive, "curl": Permissive, "bzip2-1.0.6": Permissive, "W3C": Permissive, "MulanPSL-2.0": Permissive,
	"ECL-2.0": Permissive, "MS-PL": Permissive, "Ruby": Permissive, "PHP-3.01": Permissive, "ZPL-2.1": Permissive, "ZPL-2.0": Permissive,
	"CC0-1.0": PublicDomain, "Unlicense": PublicDomain, "WTFPL": PublicDomain, "blessing": PublicDomain, "FSFAP": PublicDomain, "LicenseRef-Public-Domain": PublicDomain,
	"MPL-1.1": WeakCopyleft, "MPL-2.0": WeakCopyleft, "MPL-2.0-no-copyleft-exception": WeakCopyleft,
	"LGPL-2.0-only": WeakCopyleft, "LGPL-2.1-only": WeakCopyleft, "LGPL-3.0-only": WeakCopyleft,
	"LGPL-2.0-or-later": WeakCopyleft, "LGPL-2.1-or-later": WeakCopyleft, "LGPL-3.0-or-later": WeakCopyleft,
	"EPL-1.0": WeakCopyleft, "EPL-2.0": WeakCopyleft, "CDDL-1.0": WeakCopyleft, "CDDL-1.1": WeakCopyleft,
	"EUPL-1.1": WeakCopyleft, "EUPL-1.2": WeakCopyleft, "CPL-1.0": WeakCopyleft, "MS-RL": WeakCopyleft,
	"Artistic-2.0": WeakCopyleft, "CECILL-C": WeakCopyleft,
	// Share-alike applies to adaptations of the licensed material only.
	"CC-BY-SA-3.0": WeakCopyleft, "CC-BY-SA-4.0": WeakCopyleft,
	"GPL-1.0-only": StrongCopyleft, "GPL-1.0-or-later": StrongCopyleft,
	"GPL-2.0-only": StrongCopyleft, "GPL-3.0-only": StrongCopyleft, "GPL-2.0-or-later": StrongCopyleft, "GPL-3.0-or-later": StrongCopyleft,
	"Sleepycat": StrongCopyleft, "CECILL-2.1": StrongCopyleft,
	"AGPL-3.0-only": NetworkCopyleft, "AGPL-3.0-or-later": NetworkCopyleft, "OSL-3.0": NetworkCopyleft, "EUPL-1.2-network": NetworkCopyleft,
	// Source-available: sourceAvailableIDs (sourceavailable.go) adds them.
}

func init() {
	for _, id := range sourceAvailableIDs {
		classes[id] = SourceAvailable
	}
}

// deprecated maps deprecated SPDX identifiers (and licensecheck's names)
// to the identifiers the classes and the OSADL matrix use. The SPDX list
// defines GPL-2.0 as GPL-2.0-only, and so on.
var deprecated = map[string]string{
	"GPL-1.0": "GPL-1.0-only", "GPL-2.0": "GPL-2.0-only", "GPL-3.0": "GPL-3.0-only",
	"LGPL-2.0": "LGPL-2.0-only", "LGPL-2.1": "LGPL-2.1-only", "LGPL-3.0": "LGPL-3.0-only",
	"AGPL-1.0": "AGPL-1.0-only", "AGPL-3.0": "AGPL-3.0-only",
	"GPL-2.0-with-classpath-exception": "GPL-2.0-only WITH Classpath-exception-2.0",
	"GPL-2.0+":                         "GPL-2.0-or-later", "GPL-3.0+": "GPL-3.0-or-later", "LGPL-2.1+": "LGPL-2.1-or-later",
	"LGPL-3.0+": "LGPL-3.0-or-later", "LGPL-2.0+": "LGPL-2.0-or-later", "AGPL-3.0+": "AGPL-3.0-or-later",
	"Commons-Clause": "LicenseRef-Commons-Clause",
}

// linkingExceptions turn a copyleft licence into a weak one: code that
// merely links to the component keeps its own licence.
var linkingExceptions = map[string]bool{
	"Classpath-exception-2.0": true, "GCC-exception-2.0": true, "GCC-exception-3.1": true, "LLVM-exception": true,
	"FLTK-exception": true, "Linux-syscall-note": true,
	"OCaml-LGPL-linking-exception": true, "LGPL-3.0-linking-exception": true, "WxWindows-exception-3.1": true,
}

// Canonical returns the identifier the class table and the OSADL matrix
// use for one licence ("GPL-2.0" → "GPL-2.0-only"; an exception is kept).
func Canonical(id string) string {
	id = strings.TrimSpace(id)
	base, exc, hasExc := strings.Cut(id, " WITH ")
	if c, ok := deprecated[base]; ok {
		base = c
	}
	if hasExc {
		return base + " WITH " + strings.TrimSpace(exc)
	}
	return base
}

// Class returns the class of one licence identifier (canonical or not,
// with or without a WITH exception).
func Class(id string) string {
	id = Canonical(id)
	base, exc, hasExc := strings.Cut(id, " WITH ")
	if hasExc && strings.Contains(exc, "Commons-Clause") {
		return SourceAvailable
	}
	c, ok := classes[base]
	if !ok {
		return Unknown
	}
	if hasExc && (c == StrongCopyleft || c == WeakCopyleft) && linkingExceptions[exc] {
		return WeakCopyleft
	}
	return c
}

// Strictest returns the most restrictive class among licence ids (the safe
// reading when several licence files sit side by side without an
// expression saying how they combine).
func Strictest(ids []string) string {
	best := -1
	for _, id := range ids {
		best = max(best, classRank(Class(id)))
	}
	if best < 0 {
		return Unknown
	}
	return Classes[best]
}

// WorseThan reports whether a comes after b in list (Classes, Verdicts,
// Decisions: best first); any value is worse than "".
func WorseThan(list []string, a, b string) bool {
	if b == "" {
		return a != ""
	}
	return slices.Index(list, a) > slices.Index(list, b)
}
