package license

// Licence classes, from least to most restrictive for a bank's use.
const (
	PublicDomain    = "public-domain"
	Permissive      = "permissive"
	WeakCopyleft    = "weak-copyleft"
	StrongCopyleft  = "strong-copyleft"
	NetworkCopyleft = "network-copyleft"
	SourceAvailable = "source-available" // not OSI-approved: SSPL, BUSL, Elastic…
	Unknown         = "unknown"
)

var order = []string{PublicDomain, Permissive, WeakCopyleft, StrongCopyleft, NetworkCopyleft, Unknown, SourceAvailable}

// classes maps SPDX identifiers (as licensecheck names them) to a class.
var classes = map[string]string{
	"0BSD": Permissive, "MIT": Permissive, "MIT-0": Permissive, "ISC": Permissive, "Apache-2.0": Permissive,
	"BSD-2-Clause": Permissive, "BSD-3-Clause": Permissive, "BSD-4-Clause": Permissive, "BSD-2-Clause-FreeBSD": Permissive,
	"BSD-3-Clause-Clear": Permissive, "Zlib": Permissive, "BSL-1.0": Permissive, "PostgreSQL": Permissive,
	"Python-2.0": Permissive, "X11": Permissive, "NCSA": Permissive, "Unicode-DFS-2016": Permissive,
	"Unicode-3.0": Permissive, "CC-BY-4.0": Permissive, "CC-BY-3.0": Permissive, "OpenSSL": Permissive,
	"BlueOak-1.0.0": Permissive, "UPL-1.0": Permissive,
	"CC0-1.0": PublicDomain, "Unlicense": PublicDomain, "WTFPL": PublicDomain,
	"MPL-1.1": WeakCopyleft, "MPL-2.0": WeakCopyleft, "MPL-2.0-no-copyleft-exception": WeakCopyleft,
	"LGPL-2.0": WeakCopyleft, "LGPL-2.1": WeakCopyleft, "LGPL-3.0": WeakCopyleft,
	"LGPL-2.0-only": WeakCopyleft, "LGPL-2.1-only": WeakCopyleft, "LGPL-3.0-only": WeakCopyleft,
	"LGPL-2.0-or-later": WeakCopyleft, "LGPL-2.1-or-later": WeakCopyleft, "LGPL-3.0-or-later": WeakCopyleft,
	"EPL-1.0": WeakCopyleft, "EPL-2.0": WeakCopyleft, "CDDL-1.0": WeakCopyleft, "CDDL-1.1": WeakCopyleft,
	"EUPL-1.1": WeakCopyleft, "EUPL-1.2": WeakCopyleft, "MulanPSL-2.0": Permissive, "CPL-1.0": WeakCopyleft,
	"GPL-2.0": StrongCopyleft, "GPL-3.0": StrongCopyleft, "GPL-2.0-only": StrongCopyleft, "GPL-3.0-only": StrongCopyleft,
	"GPL-2.0-or-later": StrongCopyleft, "GPL-3.0-or-later": StrongCopyleft,
	"AGPL-3.0": NetworkCopyleft, "AGPL-3.0-only": NetworkCopyleft, "AGPL-3.0-or-later": NetworkCopyleft,
	"SSPL-1.0": SourceAvailable, "BUSL-1.1": SourceAvailable, "Elastic-2.0": SourceAvailable,
	"Commons-Clause": SourceAvailable,
}

// Class returns the class of one SPDX identifier.
func Class(id string) string {
	if c, ok := classes[id]; ok {
		return c
	}
	return Unknown
}

// Strictest returns the most restrictive class among ids.
func Strictest(ids []string) string {
	best := -1
	for _, id := range ids {
		c := Class(id)
		for i, o := range order {
			if o == c && i > best {
				best = i
			}
		}
	}
	if best < 0 {
		return Unknown
	}
	return order[best]
}
