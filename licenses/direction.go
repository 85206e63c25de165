package licenses

import (
	"fmt"
	"slices"
)

// Directions of a licence change.
const (
	// MoreRestrictive: the new licence's most favourable class is further
	// along restrictive than the old one's (permissive → weak → strong →
	// network copyleft → source-available), or the new licence cannot be
	// read (not shown to be a relaxation, so treated as a risk).
	MoreRestrictive = "more-restrictive"
	// Relaxation: the licensee may now choose a less restrictive licence
	// (an AGPL-3.0 option added beside SSPL, a move to MIT).
	Relaxation = "relaxation"
	// SameClass: another licence of the same class (Apache-2.0 → MIT).
	SameClass = "same-class"
)

// restrictiveness orders the classes from the least restrictive for the
// licensee on: a move along this list is a move to more obligations.
var restrictiveness = []string{PublicDomain, Permissive, WeakCopyleft, StrongCopyleft, NetworkCopyleft, SourceAvailable}

// Direction says which way a licence change goes, for the licensee: the
// most favourable class each expression allows (an OR lets the licensee
// choose) is compared along permissive → weak → strong → network copyleft
// → source-available. A change to or from a licence osgauge cannot read
// is not shown to be a relaxation: it counts as more restrictive.
func Direction(before, after string) (dir, why string) {
	b, a := Parse(before), Parse(after)
	cb, ca := b.Class(), a.Class()
	rb, ra := slices.Index(restrictiveness, cb), slices.Index(restrictiveness, ca)
	switch {
	case rb < 0 || ra < 0:
		return MoreRestrictive, fmt.Sprintf("%s (%s) → %s (%s): a licence that cannot be classed is not shown to be a relaxation", orNone(before), cb, orNone(after), ca)
	case ra > rb:
		return MoreRestrictive, fmt.Sprintf("%s (%s) → %s (%s): more restrictive", before, cb, after, ca)
	case ra < rb:
		return Relaxation, fmt.Sprintf("%s (%s) → %s (%s): a relaxation, the licensee may now choose a less restrictive licence", before, cb, after, ca)
	}
	return SameClass, fmt.Sprintf("%s → %s: both %s", before, after, cb)
}

func orNone(s string) string {
	if s == "" {
		return "no licence"
	}
	return s
}
