package license

import "github.com/osgauge/osgauge/licenses"

// Licence classes: the licenses package owns them (with SPDX expressions,
// the institution policy and OSADL compatibility); these names are kept
// for this collector's callers.
const (
	PublicDomain    = licenses.PublicDomain
	Permissive      = licenses.Permissive
	WeakCopyleft    = licenses.WeakCopyleft
	StrongCopyleft  = licenses.StrongCopyleft
	NetworkCopyleft = licenses.NetworkCopyleft
	SourceAvailable = licenses.SourceAvailable
	Unknown         = licenses.Unknown
)

// Class returns the class of one SPDX identifier.
func Class(id string) string { return licenses.Class(id) }

// Strictest returns the most restrictive class among ids.
func Strictest(ids []string) string { return licenses.Strictest(ids) }
