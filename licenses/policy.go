package licenses

import (
	"fmt"
	"slices"
)

// Uses of a system, which decide which licence obligations are triggered.
const (
	UseInternal    = "internal"    // run inside the institution only
	UseDistributed = "distributed" // shipped to customers or third parties
	UseSaaS        = "saas"        // offered to others over a network
)

// Uses lists the uses a policy and an SBOM entry may name.
var Uses = []string{UseInternal, UseDistributed, UseSaaS}

// Policy decisions, from the most to the least favourable.
const (
	Allowed = "allowed"
	Review  = "review"
	Banned  = "banned"
)

// Decisions lists the decisions in order.
var Decisions = []string{Allowed, Review, Banned}

// Policy says, per use and per class, whether a licence is allowed, needs
// review or is banned.
type Policy map[string]map[string]string

// DefaultPolicy is the policy when the config says nothing: what most
// banks' open-source policies start from. Internal use triggers no
// copyleft obligation; distribution triggers copyleft; offering a service
// triggers network copyleft and the SSPL's service clause.
func DefaultPolicy() Policy {
	return Policy{
		UseInternal: {PublicDomain: Allowed, Permissive: Allowed, WeakCopyleft: Allowed, StrongCopyleft: Allowed,
			NetworkCopyleft: Allowed, SourceAvailable: Review, Unknown: Review},
		UseDistributed: {PublicDomain: Allowed, Permissive: Allowed, WeakCopyleft: Review, StrongCopyleft: Review,
			NetworkCopyleft: Review, SourceAvailable: Banned, Unknown: Review},
		UseSaaS: {PublicDomain: Allowed, Permissive: Allowed, WeakCopyleft: Allowed, StrongCopyleft: Allowed,
			NetworkCopyleft: Review, SourceAvailable: Banned, Unknown: Review},
	}
}

// WithOverrides returns the default policy with the config's decisions
// laid over it.
func WithOverrides(over map[string]map[string]string) Policy {
	p := DefaultPolicy()
	for use, m := range over {
		if p[use] == nil {
			p[use] = map[string]string{}
		}
		for class, d := range m {
			p[use][class] = d
		}
	}
	return p
}

// CheckOverrides explains what is wrong with a config's policy entry ("" if
// nothing): use, class and decision must be known words.
func CheckOverrides(use string, class string, decision string) string {
	switch {
	case !slices.Contains(Uses, use):
		return fmt.Sprintf("license_policy: unknown use %q (uses: internal, distributed, saas)", use)
	case !slices.Contains(Classes, class):
		return fmt.Sprintf("license_policy.%s: unknown licence class %q (classes: %v)", use, class, Classes)
	case !slices.Contains(Decisions, decision):
		return fmt.Sprintf("license_policy.%s.%s: decision must be allowed, review or banned, got %q", use, class, decision)
	}
	return ""
}

func (p Policy) decision(use, class string) string {
	if d, ok := p[use][class]; ok {
		return d
	}
	return Review
}

// Decide returns the policy's decision for an expression in a use: the
// most favourable decision a licensee can reach by choosing among OR
// branches, each licence judged by its class. An unreadable expression is
// judged as class unknown.
func (p Policy) Decide(e Expr, use string) string {
	if !e.Known() {
		return p.decision(use, Unknown)
	}
	r := e.best(func(id string) int { return slices.Index(Decisions, p.decision(use, Class(id))) }, 1)
	return Decisions[r]
}
