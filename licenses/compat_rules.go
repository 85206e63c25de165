package licenses

import (
	"fmt"
	"strings"
)

// The rules Judge applies to one licence; each states its source in Why.

const (
	internalWhy = "internal use: nothing is conveyed, copyleft not triggered (GPL-3.0 §2: works not conveyed may be made, run and propagated without conditions, §0: conveying enables other parties to receive copies; GPL-2.0 §0: running is not restricted; a copy handed to another legal entity, a subsidiary included, is distribution)"
	saasWhy     = "SaaS: nothing is conveyed, copyleft not triggered (GPL-3.0 §0: \"mere interaction with a user through a computer network, with no transfer of a copy, is not conveying\"; only network clauses reach SaaS; code sent to users' browsers or devices is distributed: judge it as distributed)"
)

// networkClause is the clause that makes offering a service over a network
// trigger a licence's copyleft, or "".
func networkClause(base string) string {
	switch {
	case strings.HasPrefix(base, "AGPL-"):
		return "AGPL-3.0 §13 (users interacting with a modified version remotely are offered its Corresponding Source)"
	case strings.HasPrefix(base, "OSL-"):
		return "OSL-3.0 §5 (External Deployment, use over a network by others, counts as distribution)"
	case strings.HasPrefix(base, "EUPL-"):
		return base + " §1 (Communication includes providing access to the work's essential functionalities)"
	}
	return ""
}

// judgeID judges one licence of an expression.
func judgeID(sys system, use, linking, id string) idJudgement {
	c := Canonical(id)
	base, _, _ := strings.Cut(c, " WITH ")
	class := Class(c)
	if class == SourceAvailable {
		return judgeSourceAvailable(sys, use, c)
	}
	if sys.proprietary && c == sys.id {
		return idJudgement{rank: rDirect, why: fmt.Sprintf("%s: the system's own licence", id)}
	}
	if class == Unknown {
		return idJudgement{rank: rReview, why: fmt.Sprintf("%s: licence not recognised, its terms need legal review", id)}
	}
	switch use {
	case UseInternal:
		j := idJudgement{rank: rDirect, why: id + ": " + internalWhy}
		if class == NetworkCopyleft {
			j.obl = []string{networkClause(base) + ": if modified and offered to staff over a network, those users (within the bank) are offered its source"}
		}
		return j
	case UseSaaS:
		if nc := networkClause(base); nc != "" {
			if sys.err != "" {
				return idJudgement{rank: rReview, why: id + ": " + nc + " reaches SaaS, and " + sys.err}
			}
			if !sys.proprietary {
				j := judgeOpen(sys.id, c, linking)
				j.why = "SaaS triggers " + nc + "; " + j.why
				return j
			}
			if strings.HasPrefix(base, "EUPL-") {
				return idJudgement{rank: rCond, why: id + " in a proprietary SaaS system: " + nc + " applies to the EUPL-covered work, whose copyleft covers it and its derivative works, not the bank's separate code", obl: conditionObligations(c, linking)}
			}
			return idJudgement{rank: rNo, why: id + " in a proprietary SaaS system: " + nc + " requires the source of the whole work based on it under " + base + ", which a proprietary system cannot give (only an unmodified copy run as a separate program escapes it: legal may narrow this)"}
		}
		j := idJudgement{rank: rDirect, why: id + ": " + saasWhy}
		if class == Permissive {
			for _, o := range noticeObligations(c) {
				j.obl = append(j.obl, "for any copy that reaches users (served JavaScript, apps): "+o)
			}
		}
		return j
	}
	// Distributed: every condition applies.
	if sys.proprietary {
		return judgeProprietaryDistributed(c, id, class, linking)
	}
	return judgeOpen(sys.id, c, linking)
}

// judgeProprietaryDistributed: a component in a closed product shipped to
// others.
func judgeProprietaryDistributed(c, id, class, linking string) idJudgement {
	base, exc, _ := strings.Cut(c, " WITH ")
	switch class {
	case PublicDomain:
		why := id + " in a distributed proprietary system: a public-domain dedication imposes no conditions"
		if base == "CC0-1.0" {
			why += " (CC0-1.0 §2 waiver, §3 fallback licence; §4(a): it grants no patent licence)"
		}
		return idJudgement{rank: rDirect, why: why}
	case Permissive:
		why := id + " in a distributed proprietary system: permissive, its notices go with the product"
		if exc == "LLVM-exception" {
			why += " (the LLVM exception lifts Apache-2.0 §4(a), (b), (d) for compiled portions)"
		}
		return idJudgement{rank: rDirect, why: why, obl: noticeObligations(c)}
	case WeakCopyleft:
		why := id + " in a distributed proprietary system: weak copyleft, the larger work may carry the bank's terms on conditions"
		if exc != "" && linkingExceptions[exc] {
			why = id + " in a distributed proprietary system: " + exc + " lets code linked with it keep its own terms; the component's own source must be offered"
		}
		return idJudgement{rank: rCond, why: why, obl: conditionObligations(c, linking)}
	case StrongCopyleft:
		return idJudgement{rank: rNo, why: id + " in a distributed proprietary system: strong copyleft, the whole work must be licensed under it when conveyed (GPL-2.0 §2(b), GPL-3.0 §5(c)), which a proprietary licence cannot be (a separate program shipped alongside, an aggregate under GPL-3.0 §5, escapes it: legal may narrow this)"}
	case NetworkCopyleft:
		clause := "AGPL-3.0 §5(c)"
		if strings.HasPrefix(base, "OSL-") {
			clause = "OSL-3.0 §1(c)"
		}
		return idJudgement{rank: rNo, why: id + " in a distributed proprietary system: its copyleft covers works based on it (" + clause + "), which a proprietary licence cannot meet"}
	}
	return idJudgement{rank: rReview, why: id + ": licence class " + class + " needs legal review"}
}

// judgeOpen judges a licence taken into a work distributed under an
// open-source licence o: the OSADL matrix, else the fuller table.
func judgeOpen(o, c, linking string) idJudgement {
	// Outbound outside the matrix: a permissive or public-domain one is
	// judged as MIT's row (a permissive work takes what MIT takes); others
	// need review.
	if _, ok := Cell(o, "MIT"); !ok {
		if cl := Class(o); cl == Permissive || cl == PublicDomain {
			j := judgeOpen("MIT", c, linking)
			j.why = fmt.Sprintf("system licence %s is not in the OSADL matrix, judged as a permissive work (MIT's row): %s", o, j.why)
			return j
		}
		return idJudgement{rank: rReview, why: fmt.Sprintf("%s: system licence %s is not in the OSADL matrix", c, o)}
	}
	in := c
	if _, ok := Cell(o, in); !ok && strings.Contains(in, "-or-later WITH ") {
		// The licensee may choose the version named (GPL-2.0 §9, GPL-3.0
		// §14), and the matrix holds the -only form with the exception.
		in = strings.Replace(in, "-or-later WITH ", "-only WITH ", 1)
	}
	if _, ok := Cell(o, in); !ok {
		x, ok := extraInbound[c]
		if !ok {
			return idJudgement{rank: rReview, why: fmt.Sprintf("%s in %s: not in the OSADL matrix, legal review", c, o)}
		}
		if x.gpl >= 0 && gplFamily(o) {
			j := idJudgement{rank: x.gpl, why: fmt.Sprintf("%s in %s: %s", c, o, x.gplWhy)}
			if x.gpl <= rCond {
				j.obl = noticeObligations(c)
			}
			return j
		}
		j := judgeOpen(o, x.proxy, linking)
		j.why = fmt.Sprintf("%s in %s: not in the OSADL matrix, judged as %s (%s): %s", c, o, x.proxy, x.why, j.why)
		if j.rank <= rCond {
			j.obl = noticeObligations(c)
		}
		return j
	}
	cell, _ := Cell(o, in)
	j := idJudgement{rank: verdictRank(o, in), why: fmt.Sprintf("OSADL: %s in %s: %s", c, o, cell)}
	switch j.rank {
	case rDirect, rIndir:
		if cl := Class(c); cl == Permissive || cl == PublicDomain {
			j.obl = noticeObligations(c)
		} else {
			j.obl = []string{fmt.Sprintf("%s: keep its licence and notices; its source goes with the work's source under %s", c, o)}
		}
	case rCond:
		j.why += " (the combined work cannot be relicensed); compatible on conditions: " + conditionText(c, idJudgement{obl: conditionObligations(c, linking)})
		j.obl = conditionObligations(c, linking)
	}
	if strings.HasPrefix(c, "EPL-2.0") && gplFamily(o) {
		j.why += " (EPL-2.0 §3.2(a), Exhibit A: only a component whose notice names GPL-2.0-or-later as a Secondary License may join a GPL work; an expression \"EPL-2.0 OR GPL-2.0… \" states that choice itself)"
	}
	return j
}

// gplFamily reports whether a licence forbids further restrictions on the
// work as a whole: GPL, LGPL and AGPL (GPL-2.0 §6, GPL-3.0 §10, LGPL-2.1
// §10).
func gplFamily(o string) bool {
	for _, p := range []string{"GPL-", "LGPL-", "AGPL-"} {
		if strings.HasPrefix(o, p) {
			return true
		}
	}
	return false
}

// judgeSourceAvailable: the source-available licences, per use, from their
// own terms (sourceAvailableTerms).
func judgeSourceAvailable(sys system, use, c string) idJudgement {
	t, ok := sourceAvailableTerms[c]
	if !ok {
		return idJudgement{rank: rReview, why: c + ": a source-available licence whose terms restrict use: legal review"}
	}
	switch use {
	case UseInternal:
		j := idJudgement{rank: t.internal, why: fmt.Sprintf("%s, internal use: %s (%s)", c, t.internalWhy, t.term)}
		if j.rank < rNo {
			j.obl = t.obligations
		}
		return j
	case UseSaaS:
		if c == "SSPL-1.0" && !sys.proprietary && sys.id == "SSPL-1.0" {
			return idJudgement{rank: rDirect, why: "SSPL-1.0 in an SSPL-1.0 service: the same licence", obl: t.obligations}
		}
		j := idJudgement{rank: t.saas, why: fmt.Sprintf("%s, SaaS: %s (%s)", c, t.saasWhy, t.term)}
		if j.rank < rNo {
			j.obl = t.obligations
		}
		return j
	}
	if !sys.proprietary && sys.err == "" {
		switch {
		case c == "SSPL-1.0" && sys.id == "SSPL-1.0":
			return idJudgement{rank: rDirect, why: "SSPL-1.0 in SSPL-1.0: the same licence"}
		case c == "SSPL-1.0":
			return idJudgement{rank: rNo, why: fmt.Sprintf("SSPL-1.0 in %s: SSPL-1.0 §5(c) asks the whole conveyed work under SSPL-1.0, not %s (Apache third-party policy: Category X)", sys.id, sys.id)}
		case t.distributed == rNo:
			// Not licensed for a bank at all: the per-licence verdict below.
		case gplFamily(sys.id):
			return idJudgement{rank: rNo, why: fmt.Sprintf("%s in %s: %s forbids further restrictions on the work (GPL-2.0 §6, GPL-3.0 §10, LGPL-2.1 §10), and %s is one (%s)", c, sys.id, sys.id, c, t.term)}
		default:
			return idJudgement{rank: rReview, why: fmt.Sprintf("%s in %s: the component keeps its own terms (%s), so the combined work is no longer open source under %s (Apache third-party policy: Category X)", c, sys.id, t.term, sys.id), obl: t.obligations}
		}
	}
	j := idJudgement{rank: t.distributed, why: fmt.Sprintf("%s, distributed: %s (%s)", c, t.distWhy, t.term)}
	if j.rank < rNo {
		j.obl = t.obligations
	}
	return j
}
