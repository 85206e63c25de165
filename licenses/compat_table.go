package licenses

import "strings"

// The fuller compatibility table: what the OSADL matrix (data/) does not
// answer, each entry with its source. data/README.md lists the sources.
//
// Three parts:
//   - obligations: what distributing a component under a licence asks of
//     the bank (notices, source offers, relinking), from each licence's
//     own text;
//   - extraInbound: licences the matrix lacks (CC0-1.0, the public-domain
//     reference, Apache-2.0 WITH LLVM-exception, CC-BY-4.0, MulanPSL-2.0),
//     each judged as a licence the matrix holds (its proxy) with the
//     exceptions its own text or the FSF make;
//   - sourceAvailableTerms: the source-available licences per use.

// extra is how a licence the matrix lacks goes into an open-source work.
type extra struct {
	proxy  string // a matrix licence with the same terms for this purpose
	why    string // why the proxy stands for it, with the source
	gpl    int    // verdict rank into a GPL-family (GPL, LGPL, AGPL) work; -1: the proxy's cell
	gplWhy string
}

// extraInbound: licences the OSADL matrix lacks (checked against
// data/osadl-matrix.csv: its 110 licences hold Unlicense, 0BSD, ISC, Zlib,
// BSL-1.0, CPL-1.0, EPL-2.0, GPL-2.0-only WITH Classpath-exception-2.0 and
// CC-BY-3.0, so those are answered by the matrix, not here).
var extraInbound = map[string]extra{
	// CC0 waives copyright (§2) with a fallback licence (§3); FSF licence
	// list: "compatible with the GNU GPL"; Apache third-party policy: treated
	// as public domain, Category A.
	"CC0-1.0": {proxy: "Unlicense", why: "CC0-1.0 waives copyright (§2, fallback licence §3) as the Unlicense does; FSF: GPL-compatible; Apache: Category A (public domain)", gpl: -1},
	// A public-domain dedication imposes nothing; Apache's policy takes
	// public-domain works as Category A.
	"LicenseRef-Public-Domain": {proxy: "Unlicense", why: "a public-domain dedication imposes no terms (Apache third-party policy: public-domain works as Category A)", gpl: -1},
	// The LLVM exception's second paragraph lets the combined software with
	// GPLv2 code waive the Apache-2.0 sections that conflict with GPLv2
	// (patent termination §3, indemnity §9): that is its purpose.
	"Apache-2.0 WITH LLVM-exception": {proxy: "Apache-2.0", why: "Apache-2.0 terms with the LLVM exception, which only adds permissions", gpl: 0,
		gplWhy: "the LLVM exception lets software combined with GPLv2 code deem Apache-2.0 §3 and §9 waived where they conflict with GPLv2, and Apache-2.0 itself fits GPLv3 (FSF)"},
	// CC-BY-4.0: permissive with attribution (§3(a)); FSF licence list: "It
	// is compatible with all versions of the GNU GPL; however, like all CC
	// licenses, it should not be used on software"; Apache: Category B
	// (label it, binary form) for its effective-technological-measures term.
	"CC-BY-4.0": {proxy: "MIT", why: "CC-BY-4.0 asks attribution only (§3(a)), as MIT asks its notice", gpl: 0,
		gplWhy: "FSF licence list: CC-BY-4.0 is compatible with all versions of the GNU GPL (not meant for software)"},
	// MulanPSL-2.0: permissive with a patent grant that ends on patent
	// litigation (§2), as Apache-2.0 §3; OSI-approved 2020; Apache: Category
	// A. No FSF or OSADL verdict on GPL compatibility.
	"MulanPSL-2.0": {proxy: "Apache-2.0", why: "MulanPSL-2.0 is permissive with a patent grant that ends on litigation (§2), as Apache-2.0 §3 (Apache third-party policy: Category A)", gpl: 3,
		gplWhy: "no FSF or OSADL verdict on MulanPSL-2.0 in GPL works; its patent termination resembles Apache-2.0's, which the FSF finds compatible with GPLv3 and not with GPLv2"},
}

// sa is how a source-available licence fares in each use (verdict ranks,
// indices in Verdicts) and the term that decides it.
type sa struct {
	term                          string // the restricting term, cited
	internal, saas, distributed   int
	internalWhy, saasWhy, distWhy string
	obligations                   []string
}

const (
	rDirect = 0
	rIndir  = 1
	rCond   = 2
	rReview = 3
	rNo     = 4
)

// ncWhy is why a licence that allows only noncommercial use or small
// organisations cannot license a bank's use at all.
const ncWhy = "a commercial bank's use is outside the grant; only a commercial licence from the licensor covers it"

// sourceAvailableTerms: each licence's own text decides (Apache's
// third-party policy lists BUSL-1.1, Confluent-Community-1.0, the Commons
// Clause, SSPL-1.0 and CC non-commercial licences as Category X: not to be
// included in open-source products).
var sourceAvailableTerms = map[string]sa{
	"BUSL-1.1": {term: "BUSL-1.1 Terms: copy, modify, redistribute and non-production use; production use only as the Parameters' Additional Use Grant allows, until the Change Date brings the Change License",
		internal: rReview, saas: rReview, distributed: rReview,
		internalWhy: "production use, internal included, is licensed only by the Additional Use Grant of the version in use",
		saasWhy:     "offering it to others is production use: the Additional Use Grant decides (HashiCorp's excludes competing hosted offerings)",
		distWhy:     "redistribution is allowed, but every recipient's production use is limited to the Additional Use Grant",
		obligations: []string{"BUSL-1.1: display the licence on each copy; check the Additional Use Grant and the Change Date of the version in use"}},
	"Elastic-2.0": {term: "Elastic-2.0 Limitations: no providing the software to third parties as a hosted or managed service giving access to a substantial set of its features; no circumventing licence-key functionality; no removing notices",
		internal: rReview, saas: rNo, distributed: rReview,
		internalWhy: "use is licensed, subject to the licence-key and notice limitations",
		saasWhy:     "a service offered to others that exposes the software's features is the hosted or managed service the licence forbids",
		distWhy:     "distribution is licensed if every copy carries these terms, but recipients inherit the limitations",
		obligations: []string{"Elastic-2.0 Conditions: anyone who gets a copy from the bank also gets these terms; keep the licensor's notices; never circumvent licence keys"}},
	"SSPL-1.0": {term: "SSPL-1.0 §13: making the Program's functionality available to third parties as a service requires releasing the Service Source Code (all software used to offer it) under SSPL; §5(c): a conveyed work based on it must be licensed as a whole under SSPL",
		internal: rDirect, saas: rNo, distributed: rNo,
		internalWhy: "internal use: nothing is conveyed and no third party is offered the service (§13 needs third parties)",
		saasWhy:     "§13 asks the whole service stack's source under SSPL, which a proprietary service cannot give (MongoDB reads a database behind one's own application more narrowly: legal may narrow it)",
		distWhy:     "§5(c): the whole conveyed work must be under SSPL",
		obligations: []string{"SSPL-1.0 §13: stays compatible only while no third party is offered the Program's functionality as a service"}},
	"LicenseRef-Commons-Clause": {term: "Commons Clause: the licence does not include the right to Sell: to provide, for a fee, a product or service whose value derives entirely or substantially from the software (hosting, consulting and support included)",
		internal: rDirect, saas: rReview, distributed: rReview,
		internalWhy: "internal use sells nothing; the underlying licence's terms apply",
		saasWhy:     "a fee-charged service whose value derives substantially from the software is Selling",
		distWhy:     "a product sold for a fee whose value derives substantially from the software is Selling",
		obligations: []string{"Commons Clause: never sell, host or support for a fee a product whose value derives substantially from the software"}},
	"Confluent-Community-1.0": {term: "Confluent Community License §1: any use except an Excluded Purpose: making available a SaaS, PaaS, IaaS or similar online service that competes with Confluent's products or services that provide the software",
		internal: rDirect, saas: rReview, distributed: rReview,
		internalWhy: "internal use is not an Excluded Purpose",
		saasWhy:     "a service offered to others must not compete with Confluent's offerings",
		distWhy:     "redistribution is allowed under the same licence, recipients bound by the Excluded Purpose",
		obligations: []string{"Confluent-Community-1.0: never offer a service that competes with Confluent's (Excluded Purpose)"}},
	"FSL-1.1-ALv2": fsl("Apache-2.0"),
	"FSL-1.1-MIT":  fsl("MIT"),
	"PolyForm-Shield-1.0.0": {term: "PolyForm Shield: any purpose except providing any product that competes with the software or with any product the licensor provides using it (Noncompete)",
		internal: rDirect, saas: rReview, distributed: rReview,
		internalWhy: "internal use provides no product to anyone",
		saasWhy:     "a service offered to others must not compete with the licensor's products",
		distWhy:     "a distributed product must not compete with the licensor's products",
		obligations: []string{"PolyForm-Shield-1.0.0 Notices: pass on the terms and its Required Notice lines with every copy"}},
	"PolyForm-Perimeter-1.0.0": {term: "PolyForm Perimeter: any purpose except providing any product that competes with the software",
		internal: rDirect, saas: rReview, distributed: rReview,
		internalWhy: "internal use provides no product to anyone",
		saasWhy:     "a service offered to others must not compete with the software itself",
		distWhy:     "a distributed product must not compete with the software itself",
		obligations: []string{"PolyForm-Perimeter-1.0.0 Notices: pass on the terms and its Required Notice lines with every copy"}},
	"PolyForm-Internal-Use-1.0.0": {term: "PolyForm Internal Use: use for the internal business operations of the licensee's company only; no licence to distribute copies",
		internal: rDirect, saas: rReview, distributed: rNo,
		internalWhy: "internal business use is the permitted purpose",
		saasWhy:     "whether a service for others is internal business operations needs legal reading",
		distWhy:     "the licence grants no right to distribute copies",
	},
	"PolyForm-Free-Trial-1.0.0":     nc("PolyForm Free Trial: use to evaluate the software for 32 consecutive days per company; no licence to distribute", "a system in use outlasts a 32-day evaluation"),
	"PolyForm-Noncommercial-1.0.0":  nc("PolyForm Noncommercial: noncommercial purposes only (personal uses; charities, education, public research and government institutions)", ncWhy),
	"PolyForm-Strict-1.0.0":         nc("PolyForm Strict: noncommercial purposes only, no changes and no distribution", ncWhy),
	"PolyForm-Small-Business-1.0.0": nc("PolyForm Small Business: only organisations with fewer than 100 people and under US$1,000,000 (2019) revenue in the prior tax year", "a bank exceeds both limits"),
	"CC-BY-NC-4.0":                  nc("CC-BY-NC-4.0 §1(i), §2(a)(1): NonCommercial use only", ncWhy),
	"CC-BY-NC-SA-4.0":               nc("CC-BY-NC-SA-4.0 §1(k), §2(a)(1): NonCommercial use only", ncWhy),
	"CC-BY-NC-ND-4.0":               nc("CC-BY-NC-ND-4.0 §1(i), §2(a)(1): NonCommercial use only, no adaptations shared", ncWhy),
}

// fsl is Sentry's Functional Source License with its future licence.
func fsl(future string) sa {
	return sa{term: "FSL-1.1: any Permitted Purpose (internal use and access included) except a Competing Use: making the software available to others in a commercial product or service that substitutes for it or for the licensor's offerings; each version becomes " + future + " two years after it is made available",
		internal: rDirect, saas: rReview, distributed: rReview,
		internalWhy: "internal use and access is a Permitted Purpose",
		saasWhy:     "a service offered to others must not be a Competing Use",
		distWhy:     "a distributed product must not be a Competing Use",
		obligations: []string{"FSL-1.1: pass on the licence with every copy; check the version's date (" + future + " after two years)"}}
}

// nc is a licence whose grant excludes a commercial bank in every use.
func nc(term, why string) sa {
	return sa{term: term, internal: rNo, saas: rNo, distributed: rNo, internalWhy: why, saasWhy: why, distWhy: why}
}

// noticeObligations is what a permissive or public-domain licence asks of
// a copy the bank distributes (nil for none).
func noticeObligations(id string) []string {
	base, exc, _ := strings.Cut(id, " WITH ")
	switch {
	case Class(id) == PublicDomain, base == "0BSD", base == "MIT-0":
		return nil
	case base == "Apache-2.0" && exc == "LLVM-exception":
		return []string{"Apache-2.0 §4 in source copies: licence text, change notices in modified files, the NOTICE file's attributions; object code embedding compiled portions is exempt from §4(a), (b) and (d) (LLVM exception)"}
	case base == "Apache-2.0" || base == "ECL-2.0":
		return []string{base + " §4: give recipients the licence text (a), mark modified files (b), keep copyright, patent and attribution notices (c), and reproduce the NOTICE file's attributions in a NOTICE file, the documentation or a display (d)"}
	case base == "Zlib":
		return []string{"Zlib: mark altered source versions and keep the notice in source copies (clauses 2-3); nothing is required for binaries"}
	case base == "BSL-1.0":
		return []string{"BSL-1.0: keep the licence and copyright notice in source copies; nothing is required for machine-executable object code"}
	case strings.HasPrefix(base, "CC-BY-"):
		return []string{base + " §3(a): credit the creator, keep the copyright, licence and disclaimer notices with a link to the licence, and say whether it was modified"}
	case base == "MulanPSL-2.0":
		return []string{"MulanPSL-2.0 §4: keep the copyright, patent, trademark and disclaimer notices and provide a copy of the licence"}
	case base == "BSD-3-Clause" || base == "BSD-3-Clause-Clear":
		return []string{base + ": keep the copyright notice, conditions and disclaimer with source and binary copies (clauses 1-2); never use the authors' names to promote the product (clause 3)"}
	case base == "BSD-4-Clause":
		return []string{"BSD-4-Clause: keep the notice with source and binary copies (clauses 1-2); advertising materials must acknowledge the authors (clause 3)"}
	}
	return []string{base + ": keep the copyright notice and licence text with every copy, source and binary (in the documentation or an about screen)"}
}

// lgplObligations is what LGPL asks of a larger work that links the
// library, by how it links.
func lgplObligations(id, linking string) []string {
	base, exc, _ := strings.Cut(id, " WITH ")
	v3 := strings.HasPrefix(base, "LGPL-3.0")
	sec := func(v2, v3s string) string {
		if v3 {
			return v3s
		}
		return v2
	}
	out := []string{
		base + ": give prominent notice that the library is used and is under " + base + ", with the licence text (" + sec("LGPL-2.1 §6", "LGPL-3.0 §4(a)-(b)") + ")",
		base + ": offer the library's complete source with any changes to it (" + sec("LGPL-2.1 §6: with the binary or a written offer valid three years", "LGPL-3.0 §4(d), GPL-3.0 §6") + ")",
		base + ": allow modification of the work for the customer's own use and reverse engineering to debug such modifications (" + sec("LGPL-2.1 §6", "LGPL-3.0 §4") + ")",
	}
	if exc == "OCaml-LGPL-linking-exception" || exc == "LGPL-3.0-linking-exception" {
		return append(out, exc+": static or dynamic linking alike, the bank's object code need not be offered for relinking")
	}
	switch linking {
	case "static":
		out = append(out, base+" static linking: offer the application's object files (or source) so that the user can relink it with a modified library ("+sec("LGPL-2.1 §6(a)", "LGPL-3.0 §4(d)(0), the Corresponding Application Code")+")")
	case "dynamic":
		out = append(out, base+" dynamic linking: use the library through a shared-library mechanism so that a modified version can replace it ("+sec("LGPL-2.1 §6(b)", "LGPL-3.0 §4(d)(1)")+")")
	default:
		out = append(out, base+" linking not stated: dynamically, the library must stay replaceable ("+sec("LGPL-2.1 §6(b)", "LGPL-3.0 §4(d)(1)")+"); statically, the application's object files must be offered for relinking ("+sec("LGPL-2.1 §6(a)", "LGPL-3.0 §4(d)(0)")+")")
	}
	if v3 {
		out = append(out, "LGPL-3.0 §4(e): in a consumer device (a User Product, GPL-3.0 §6), the installation information for a modified library")
	}
	return out
}

// conditionObligations is what a weak-copyleft licence (or a copyleft one
// with a linking exception) asks of a larger work under other terms.
func conditionObligations(id, linking string) []string {
	base, exc, hasExc := strings.Cut(id, " WITH ")
	switch {
	case strings.HasPrefix(base, "LGPL-"):
		return lgplObligations(id, linking)
	case hasExc && strings.HasPrefix(base, "GPL-"):
		src := "GPL-2.0 §3: with the binary or a written offer valid three years"
		if strings.HasPrefix(base, "GPL-3.0") {
			src = "GPL-3.0 §6"
		}
		switch exc {
		case "Classpath-exception-2.0":
			return []string{"Classpath exception: the bank's independent modules linked with it keep their own terms",
				base + ": offer the component's own complete source with any changes (" + src + ") and include its licence text"}
		case "GCC-exception-3.1":
			return []string{"GCC Runtime Library Exception §1: target code from an eligible compilation process may carry the bank's terms",
				base + ": the runtime library itself, if shipped changed or on its own, with its source (" + src + ")"}
		case "GCC-exception-2.0":
			return []string{"libgcc exception: linking it into a combination brings no restriction from this file",
				base + ": the file itself, if shipped changed or on its own, with its source (" + src + ")"}
		case "Linux-syscall-note":
			return []string{"Linux syscall note: programs using the kernel's system calls are not derived works",
				base + ": the headers themselves, if shipped changed, with their source (" + src + ")"}
		}
		return []string{exc + ": code linked with the component may carry its own terms",
			base + ": offer the component's own complete source with any changes (" + src + ") and include its licence text"}
	case strings.HasPrefix(base, "MPL-"):
		return []string{base + " §3.2(a): make the source of the MPL-covered files (with any changes to them) available and tell recipients how to get it",
			base + " §3.3: the rest of the Larger Work may carry the bank's terms; §3.4: keep the notices"}
	case base == "EPL-1.0" || base == "CPL-1.0":
		return []string{base + " §3: object code may go under the bank's own agreement if it disclaims warranties and liability for the contributors and says where the source is",
			base + " §3: make the source of the " + base + " modules (with any changes) available; separate modules that are not derivative works may carry other terms (§1)"}
	case base == "EPL-2.0":
		return []string{"EPL-2.0 §3.1: make the source of the EPL-covered modules (with any changes) available and tell recipients how to get it; the object code may carry other terms that do not limit that",
			"EPL-2.0 §3.3: keep the copyright and licence notices"}
	case strings.HasPrefix(base, "CDDL-"):
		return []string{base + " §3.1: make the Covered Software's source (with any changes) available to recipients of the executable, with the licence text",
			base + " §3.6: the larger work may carry other terms"}
	case strings.HasPrefix(base, "EUPL-"):
		return []string{base + " §5: provide the source of the EUPL-covered work (with any changes), or where to get it, to those it is distributed or communicated to; keep its notices and licence",
			base + ": the bank's own modules keep their terms where they are not derivative works of it"}
	case base == "MS-RL":
		return []string{"MS-RL §3(A): files containing any part of the component stay under MS-RL, with their source"}
	case base == "Artistic-2.0":
		return []string{"Artistic-2.0 §4-§6: distribute it unmodified with the licence and a way to get its source, or document changes and make them freely available (or rename); aggregation is allowed (§8)"}
	case base == "CECILL-C":
		return []string{"CeCILL-C §6.4: changes to the component's files stay CeCILL-C, with their source; the bank's integrating code may carry its own terms"}
	case strings.HasPrefix(base, "CC-BY-SA-"):
		return []string{base + " §3(a)-(b): attribution, and adaptations of this material (not the bank's separate code) under the same licence"}
	}
	if c := Conditions(id); c != "" {
		return []string{c}
	}
	return []string{id + ": the component's own files stay under " + id + ", with their source offered"}
}
