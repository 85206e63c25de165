package licenses

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/github/go-spdx/v2/spdxexp"
)

// Proprietary is the system licence word for the institution's own,
// closed products (any case); a LicenseRef-… the institution defines is
// read the same way (IsProprietary).
const Proprietary = "proprietary"

// Linking of a component into the system, which decides what LGPL asks.
const (
	LinkStatic  = "static"
	LinkDynamic = "dynamic"
)

// Context is what a licence is judged in: the licence of the system that
// takes the component in, how the system is used, and how the component is
// linked.
type Context struct {
	// SystemLicence is the system's licence: one SPDX id for an open-source
	// system, "proprietary" or the institution's LicenseRef-… for its own
	// products. "" (or NOASSERTION) is read as proprietary, the
	// conservative reading: a system not declared open source is the
	// institution's own, and a closed work is where copyleft conflicts.
	SystemLicence string
	// Use is internal, saas or distributed (UseInternal…); "" is read as
	// distributed, the conservative reading, and Why says so.
	Use string
	// Linking is "static", "dynamic" or "" (unknown); it matters for LGPL.
	Linking string
}

// Judgement is a component licence's verdict in a context.
type Judgement struct {
	Verdict string `json:"verdict"` // one of Verdicts
	Why     string `json:"why"`     // the rule and its source, per licence
	// Obligations is what the institution must do to use the component so:
	// notices, source offers, relinking… (those of the chosen OR branch
	// only). Empty when nothing is asked or the verdict is a conflict.
	Obligations []string `json:"obligations,omitempty"`
}

// IsProprietary reports whether a system licence is the institution's own:
// the word "proprietary" (any case) or a LicenseRef-… that is not a known
// open-source or source-available licence (LicenseRef-Public-Domain,
// LicenseRef-Commons-Clause and the LicenseRef-scancode-… licences of
// third parties are not the institution's; a scancode proprietary or
// commercial reference is a closed licence all the same).
func IsProprietary(lic string) bool {
	s := strings.TrimSpace(lic)
	if strings.EqualFold(s, Proprietary) {
		return true
	}
	if i := strings.Index(s, ":"); i >= 0 && strings.HasPrefix(strings.ToLower(s), "documentref-") {
		s = s[i+1:]
	}
	low := strings.ToLower(s)
	if !strings.HasPrefix(low, "licenseref-") || strings.ContainsAny(s, " ()") {
		return false
	}
	if Class(s) != Unknown {
		return false
	}
	if _, ok := Cell("MIT", s); ok {
		return false
	}
	if strings.HasPrefix(low, "licenseref-scancode-") {
		return strings.Contains(low, "proprietary") || strings.Contains(low, "commercial")
	}
	return true
}

// system is the resolved system licence.
type system struct {
	proprietary bool
	id          string // the canonical id (open source) or the declared licence (proprietary)
	note        string // said in Why when the licence was assumed
	err         string // the system licence cannot be judged against
}

func resolveSystem(lic string) system {
	s := strings.TrimSpace(lic)
	switch strings.ToUpper(s) {
	case "", "NOASSERTION", "NONE":
		return system{proprietary: true, id: Proprietary, note: "system licence not stated: judged as proprietary, the conservative reading"}
	}
	if IsProprietary(s) {
		return system{proprietary: true, id: s}
	}
	out := Parse(s)
	if !out.Known() || len(out.IDs) != 1 {
		return system{err: fmt.Sprintf("system licence %q is not a single SPDX licence", s)}
	}
	return system{id: Canonical(out.IDs[0])}
}

// normUse reads a use; "" and unknown words are distribution.
func normUse(u string) (use, note string) {
	switch l := strings.ToLower(strings.TrimSpace(u)); l {
	case UseInternal, UseSaaS, UseDistributed:
		return l, ""
	case "":
		return UseDistributed, "use not stated: judged as distributed, the conservative reading"
	default:
		return UseDistributed, fmt.Sprintf("use %q is not internal, saas or distributed: judged as distributed, the conservative reading", u)
	}
}

func normLinking(l string) string {
	switch l = strings.ToLower(strings.TrimSpace(l)); l {
	case LinkStatic, LinkDynamic:
		return l
	}
	return ""
}

type judgeKey struct {
	ctx            Context
	raw, spdx, err string
}

var (
	judgeMu    sync.RWMutex
	judgeCache = map[judgeKey]Judgement{}
)

// maxJudgeCache bounds the memo: an inventory has few distinct (context,
// expression) pairs; a stream of distinct ones (a fuzzer) only empties it.
const maxJudgeCache = 1 << 16

// Judge judges a component's licence expression in a context: the
// system's licence, its use and the linking. It is memoised per (context,
// expression), so calling it for every inventory reference is cheap.
//
// Use decides which obligations are triggered at all:
//   - internal: nothing is conveyed, so copyleft is not triggered (GPL-3.0
//     §0 "propagate"/"convey", §2; GPL-2.0 §0: running is not restricted)
//     → directly-compatible, except source-available licences whose terms
//     restrict use itself (BUSL's production use, Elastic's licence keys,
//     non-commercial and small-business licences);
//   - saas: nothing is conveyed either ("mere interaction with a user
//     through a computer network, with no transfer of a copy, is not
//     conveying", GPL-3.0 §0), so only network clauses can conflict:
//     AGPL-3.0 §13, OSL-3.0 §5 (External Deployment), EUPL §1
//     (Communication includes providing access to essential
//     functionalities), SSPL-1.0 §13, Elastic-2.0's hosted-service limit;
//   - distributed (or not stated): every licence's conditions apply.
//
// In a proprietary system, a distributed strong copyleft (GPL, AGPL,
// OSL) is incompatible; weak copyleft and GPL with a linking exception are
// compatible with conditions (Obligations says which); permissive licences
// are directly compatible with their notice obligations; public-domain
// dedications with none. In an open-source system the OSADL matrix
// decides, with the fuller table (compat_table.go) for licences it lacks.
//
// An expression is judged as a licensee reads it: OR picks the most
// favourable branch, AND the worst; Obligations are the chosen branch's.
func Judge(ctx Context, e Expr) Judgement {
	k := judgeKey{ctx: ctx, raw: e.Raw, spdx: e.SPDX, err: e.Err}
	judgeMu.RLock()
	j, ok := judgeCache[k]
	judgeMu.RUnlock()
	if !ok {
		j = judge(ctx, e)
		judgeMu.Lock()
		if len(judgeCache) >= maxJudgeCache {
			clear(judgeCache)
		}
		judgeCache[k] = j
		judgeMu.Unlock()
	}
	j.Obligations = slices.Clone(j.Obligations) // the memo's copy stays the memo's
	return j
}

// idJudgement is one licence's verdict (an index in Verdicts).
type idJudgement struct {
	rank int
	why  string
	obl  []string
}

func judge(ctx Context, e Expr) Judgement {
	use, useNote := normUse(ctx.Use)
	linking := normLinking(ctx.Linking)
	sys := resolveSystem(ctx.SystemLicence)
	var notes []string
	for _, n := range []string{sys.note, useNote} {
		if n != "" {
			notes = append(notes, n)
		}
	}
	prefix := strings.Join(notes, "; ")
	if prefix != "" {
		prefix += ". "
	}
	switch {
	case sys.err != "" && use == UseDistributed:
		return Judgement{Verdict: NeedsReview, Why: prefix + sys.err}
	case !e.Known():
		// One licence the class table knows but the SPDX list does not
		// (Confluent-Community-1.0, PolyForm-Shield-1.0.0…: the ids the
		// source-available recogniser gives) is judged as that licence.
		if id := Canonical(e.Raw); id != "" && !strings.ContainsAny(id, " ()") && Class(id) != Unknown {
			j := judgeID(sys, use, linking, id)
			return Judgement{Verdict: Verdicts[j.rank], Why: prefix + j.why, Obligations: j.obl}
		}
		if strings.TrimSpace(e.Raw) == "" {
			return Judgement{Verdict: NeedsReview, Why: prefix + "the SBOM declares no licence for the component: its licence must be found before it can be judged"}
		}
		return Judgement{Verdict: NeedsReview, Why: prefix + fmt.Sprintf("component licence %q could not be read (%s)", e.Raw, e.Err)}
	}
	per := make(map[string]idJudgement, len(e.IDs))
	for _, id := range e.IDs {
		per[id] = judgeID(sys, use, linking, id)
	}
	r := e.best(func(id string) int { return per[id].rank }, rReview)
	branch := chosenBranch(e, per, r)

	var reasons []string
	for _, id := range e.IDs {
		reasons = append(reasons, per[id].why)
	}
	why := prefix + strings.Join(reasons, "; ")
	var obl []string
	for _, id := range branch {
		for _, o := range per[id].obl {
			if !slices.Contains(obl, o) {
				obl = append(obl, o)
			}
		}
	}
	if len(e.IDs) > 1 && len(branch) < len(e.IDs) {
		why += ". Chosen: " + strings.Join(branch, " AND ")
		// Another licence of the same verdict could have been chosen: its
		// conditions would apply instead (either/or, never both).
		var alts []string
		for _, id := range e.IDs {
			if per[id].rank == r && !slices.Contains(branch, id) && len(per[id].obl) > 0 {
				alts = append(alts, id)
			}
		}
		if r == rCond && len(alts) > 0 {
			// A licence of the branch that no alternative can replace
			// applies whatever is chosen (MIT in "MIT AND (LGPL-2.1-only OR
			// MPL-2.0)"): its conditions are stated apart, not as one of
			// the either/or.
			var required, either []string
			for _, id := range e.IDs {
				switch {
				case slices.Contains(alts, id):
					either = append(either, conditionText(id, per[id]))
				case !slices.Contains(branch, id):
				case swappable(e, branch, id, alts):
					either = append(either, conditionText(id, per[id]))
				case len(per[id].obl) > 0 || Conditions(id) != "":
					required = append(required, conditionText(id, per[id]))
				}
			}
			why += "; compatible on conditions: "
			if len(required) > 0 {
				why += strings.Join(required, "; and ") + "; and "
			}
			why += "those of the licence chosen, either " + strings.Join(either, "; or ")
		}
	}
	return Judgement{Verdict: Verdicts[r], Why: why, Obligations: obl}
}

// swappable reports whether id in the chosen branch could be replaced by
// one of alts with the expression still satisfied: it is one side of a
// choice, not a licence that applies whatever is chosen.
func swappable(e Expr, branch []string, id string, alts []string) bool {
	for _, a := range alts {
		set := slices.DeleteFunc(slices.Clone(branch), func(x string) bool { return x == id })
		if ok, err := spdxexp.Satisfies(e.SPDX, append(set, a)); err == nil && ok {
			return true
		}
	}
	return false
}

// conditionText is one licence's conditions in a sentence.
func conditionText(id string, j idJudgement) string {
	if c := Conditions(id); c != "" {
		return c
	}
	return strings.Join(j.obl, "; ")
}

// chosenBranch is a smallest set of licences of rank ≤ r that satisfies
// the expression: the branch the licensee takes. Licences are dropped
// worst first, then those asking most, so the branch kept is the most
// favourable and the least demanding.
// burden orders licences of one verdict by what they ask of the licensee:
// a file-level source offer (MPL, EPL, CDDL) asks less than the whole
// component's source under GPL with a linking exception (a written offer
// valid three years, GPL-2.0 §3), so between equal verdicts the heavier is
// dropped first.
func burden(id string) int {
	base, _, hasExc := strings.Cut(Canonical(id), " WITH ")
	switch {
	case hasExc && strings.Contains(base, "GPL"):
		return 2
	case Class(base) == WeakCopyleft:
		return 1
	}
	return 0
}

func chosenBranch(e Expr, per map[string]idJudgement, r int) []string {
	var allowed []string
	for _, id := range e.IDs {
		if per[id].rank <= r {
			allowed = append(allowed, id)
		}
	}
	if len(allowed) <= 1 {
		return allowed
	}
	order := slices.Clone(allowed)
	slices.SortStableFunc(order, func(a, b string) int {
		if c := cmp.Compare(per[b].rank, per[a].rank); c != 0 {
			return c
		}
		if c := cmp.Compare(burden(b), burden(a)); c != 0 {
			return c
		}
		return cmp.Compare(len(per[b].obl), len(per[a].obl))
	})
	for _, id := range order {
		without := slices.DeleteFunc(slices.Clone(allowed), func(x string) bool { return x == id })
		if len(without) == 0 {
			continue
		}
		if ok, err := spdxexp.Satisfies(e.SPDX, without); err == nil && ok {
			allowed = without
		}
	}
	return allowed
}
