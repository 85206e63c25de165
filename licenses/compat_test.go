package licenses

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// bank is the institution's own licence reference for its products.
const bank = "LicenseRef-ExampleBank-Proprietary"

// Each licence named in the brief (and the common ones around them), in
// each use and into each kind of work, worked by hand. Columns: internal
// and SaaS use of a proprietary system; then distribution into a
// proprietary, a permissive (MIT), a weak-copyleft (MPL-2.0), a GPL-2.0-only
// and a GPL-3.0-only work. D directly, I indirectly, C with conditions,
// R needs review, X incompatible.
var judgeTable = []struct {
	expr   string
	cells  string // internal saas | prop MIT MPL GPL2 GPL3
	reason string
}{
	// Public domain and permissive: nothing conveyed in internal/SaaS; in a
	// distributed proprietary work only notices (none for public domain);
	// OSADL "Yes" into every open work (Unlicense, 0BSD, ISC, Zlib, BSL-1.0
	// are matrix columns; CC0-1.0 and the public-domain reference are not
	// and are judged as the Unlicense: waiver with fallback, FSF
	// GPL-compatible, Apache Category A).
	{"CC0-1.0", "DD|DDDDD", "CC0 §2 waiver; not in the matrix → Unlicense column: Yes everywhere"},
	{"LicenseRef-Public-Domain", "DD|DDDDD", "a public-domain dedication imposes nothing; judged as the Unlicense"},
	{"Unlicense", "DD|DDDDD", "matrix: Yes in MIT, MPL-2.0, GPL-2.0-only, GPL-3.0-only"},
	{"0BSD", "DD|DDDDD", "matrix: Yes everywhere; no notice even"},
	{"ISC", "DD|DDDDD", "matrix: Yes; notice kept in copies"},
	{"Zlib", "DD|DDDDD", "matrix: Yes; notices only in source copies"},
	{"BSL-1.0", "DD|DDDDD", "matrix: Yes; notices only in source copies"},
	{"MIT", "DD|DDDDD", "matrix: Same/Yes"},
	// Apache-2.0 into GPL-2.0-only: the matrix says No (patent termination
	// §3 and indemnity §9 are further restrictions for GPLv2, FSF); GPLv3
	// accepts them (Yes).
	{"Apache-2.0", "DD|DDDXD", "matrix: No in GPL-2.0-only, Yes in GPL-3.0-only"},
	// The LLVM exception exists so that the combination with GPLv2 code may
	// waive §3 and §9: Yes even in GPL-2.0-only (not in the matrix).
	{"Apache-2.0 WITH LLVM-exception", "DD|DDDDD", "Apache-2.0 column, and the exception's GPLv2 clause"},
	// CC-BY-4.0: attribution only (§3(a)); FSF: compatible with all GPL
	// versions. Not in the matrix → MIT column elsewhere.
	{"CC-BY-4.0", "DD|DDDDD", "FSF licence list: compatible with all versions of the GNU GPL"},
	// MulanPSL-2.0: Apache-like (patent termination §2), Apache Category A;
	// no FSF/OSADL verdict for GPL works → review there.
	{"MulanPSL-2.0", "DD|DDDRR", "Apache-2.0 column for MIT and MPL; no authority for GPL"},
	// Weak copyleft: a proprietary or permissive larger work may carry
	// other terms on conditions (MPL-2.0 §3.3, EPL §3, CPL §3, LGPL §6,
	// EUPL §5); OSADL answers No for MIT (no relinquishing), which the
	// conditions override only for permissive/proprietary works; into
	// copyleft works the matrix decides.
	{"CPL-1.0", "DD|CCXXX", "CPL-1.0 §3 like EPL-1.0 (it is EPL-1.0's parent); matrix: No in MPL and GPL"},
	{"EPL-1.0", "DD|CCXXX", "EPL-1.0 §3; matrix: No in MPL-2.0 and GPL (FSF: GPL-incompatible)"},
	// EPL-2.0 into GPL: Check dependency — only with the Exhibit A
	// secondary-licence notice (§3.2(a)).
	{"EPL-2.0", "DD|CCXII", "EPL-2.0 §3.1 conditions; matrix: Check dependency in GPL (Secondary License)"},
	// The expression states the secondary licence: the GPL branch is taken
	// in a GPL-2.0-only work (GPL-2.0-or-later WITH Classpath read as its
	// -only form, which the matrix holds: Yes); GPL-3.0-only still has only
	// EPL-2.0's Check dependency.
	{"EPL-2.0 OR GPL-2.0-or-later WITH Classpath-exception-2.0", "DD|CCXDI", "OR: the best branch per work"},
	// Classpath exception: linked independent modules keep their terms;
	// matrix: Yes only in GPL-2.0-only; in MIT No → with conditions
	// (its own source offered, GPL-2.0 §3).
	{"GPL-2.0-only WITH Classpath-exception-2.0", "DD|CCXDX", "the exception makes it weak; GPL-2.0-only is not GPLv3-compatible"},
	{"LGPL-2.1-only", "DD|CCXDD", "LGPL-2.1 §6 conditions; matrix: Yes in GPL (LGPL-2.1 §3 conversion), No in MPL-2.0"},
	{"MPL-2.0", "DD|CCDDD", "MPL-2.0 §3.3 Larger Work; matrix: Yes in GPL (Secondary Licenses)"},
	// EUPL: §1 Communication includes providing access to essential
	// functionalities, so SaaS triggers it: conditions (source of the
	// EUPL-covered work), not a conflict.
	{"EUPL-1.2", "DC|CCDDD", "EUPL-1.2 §1 Communication reaches SaaS; matrix: Yes in MPL and GPL (its compatibility appendix)"},
	// Strong copyleft: internal and SaaS convey nothing; distributed in a
	// closed or permissive work the whole must be GPL (§2(b), §5(c)).
	{"GPL-2.0-only", "DD|XXXDX", "GPL-2.0 §2(b); matrix: Same in GPL-2.0-only only"},
	{"GPL-3.0-or-later", "DD|XXXXD", "GPL-3.0 §5(c); matrix: No in GPL-2.0-only"},
	// Network copyleft: SaaS triggers AGPL §13 and OSL §5.
	{"AGPL-3.0-only", "DX|XXXXI", "AGPL-3.0 §13 in SaaS; matrix: Check dependency in GPL-3.0 (GPL-3.0 §13)"},
	{"OSL-3.0", "DX|XXXXX", "OSL-3.0 §5 External Deployment; matrix: No everywhere but itself"},
	// Source-available: internal use is judged by each licence's own use
	// terms; SaaS by its service terms; distributed: SSPL's §5(c) copyleft
	// conflicts with every other licence, GPL works forbid further
	// restrictions (GPL-2.0 §6, GPL-3.0 §10), other works need review.
	{"BUSL-1.1", "RR|RRRXX", "production use only per the Additional Use Grant"},
	{"Elastic-2.0", "RX|RRRXX", "no hosted or managed service for third parties"},
	{"SSPL-1.0", "DX|XXXXX", "§13 needs third parties; §13 service source; §5(c) whole work"},
	{"LicenseRef-Commons-Clause", "DR|RRRXX", "no Selling; internal use sells nothing"},
	{"Apache-2.0 AND LicenseRef-Commons-Clause", "DR|RRRXX", "AND: the Commons Clause decides (Apache-2.0 alone would be D)"},
	{"Confluent-Community-1.0", "DR|RRRXX", "Excluded Purpose: a competing online service"},
	{"LicenseRef-Confluent-Community-1.0", "DR|RRRXX", "as SBOMs write it (Apache's policy uses this reference)"},
	{"FSL-1.1-ALv2", "DR|RRRXX", "internal use is a Permitted Purpose; Competing Use excluded"},
	{"FSL-1.1-MIT", "DR|RRRXX", "as FSL-1.1-ALv2 with MIT as the future licence"},
	{"PolyForm-Shield-1.0.0", "DR|RRRXX", "Noncompete with the licensor; internal use provides no product"},
	{"PolyForm-Perimeter-1.0.0", "DR|RRRXX", "no product competing with the software"},
	{"PolyForm-Internal-Use-1.0.0", "DR|XXXXX", "internal business use only; no distribution licence"},
	{"PolyForm-Noncommercial-1.0.0", "XX|XXXXX", "noncommercial purposes only: a commercial bank is outside the grant"},
	{"PolyForm-Strict-1.0.0", "XX|XXXXX", "noncommercial only, no changes, no distribution"},
	{"PolyForm-Small-Business-1.0.0", "XX|XXXXX", "under 100 people and US$1M revenue: a bank is neither"},
	{"PolyForm-Free-Trial-1.0.0", "XX|XXXXX", "32 days of evaluation; a system in use outlasts it"},
	{"CC-BY-NC-4.0", "XX|XXXXX", "NonCommercial (§1(i))"},
	// An unknown licence: nothing can be said in any use.
	{"LicenseRef-Some-Vendor-EULA", "RR|RRRRR", "not recognised"},
}

func TestJudgeTable(t *testing.T) {
	code := map[string]byte{DirectlyCompatible: 'D', IndirectlyCompatible: 'I', CompatibleWithConditions: 'C', NeedsReview: 'R', Incompatible: 'X'}
	ctxs := []Context{
		{SystemLicence: bank, Use: UseInternal}, {SystemLicence: bank, Use: UseSaaS},
		{SystemLicence: bank, Use: UseDistributed}, {SystemLicence: "MIT", Use: UseDistributed},
		{SystemLicence: "MPL-2.0", Use: UseDistributed}, {SystemLicence: "GPL-2.0-only", Use: UseDistributed},
		{SystemLicence: "GPL-3.0-only", Use: UseDistributed},
	}
	for _, row := range judgeTable {
		want := strings.Replace(row.cells, "|", "", 1)
		var got []byte
		var whys []string
		for _, ctx := range ctxs {
			j := Judge(ctx, Parse(row.expr))
			got = append(got, code[j.Verdict])
			whys = append(whys, fmt.Sprintf("%s/%s: %s", ctx.SystemLicence, ctx.Use, j.Why))
			if j.Why == "" {
				t.Errorf("%s in %+v: no Why", row.expr, ctx)
			}
		}
		if string(got) != want {
			t.Errorf("%s: got %s|%s, want %s (%s)\n  %s", row.expr, got[:2], got[2:], row.cells, row.reason, strings.Join(whys, "\n  "))
		}
	}
}

// The three complaints from legal, and the rules' wording.
func TestJudgeComplaints(t *testing.T) {
	// 1. GPL in a distributed mobile banking app under the bank's licence:
	// GPL-3.0 §5(c) asks the whole app under GPL → incompatible (was
	// needs-review: the matrix has no proprietary row).
	j := Judge(Context{SystemLicence: bank, Use: UseDistributed}, Parse("GPL-3.0-only"))
	if j.Verdict != Incompatible || !strings.Contains(j.Why, "GPL-3.0 §5(c)") || len(j.Obligations) != 0 {
		t.Errorf("GPL-3.0 in a distributed proprietary app: %+v", j)
	}
	// The word "proprietary", any case, is the same.
	if j := Judge(Context{SystemLicence: "Proprietary", Use: UseDistributed}, Parse("GPL-2.0-or-later")); j.Verdict != Incompatible {
		t.Errorf("Proprietary: %+v", j)
	}
	// 2. GPL-2.0 in SaaS conveys nothing (GPL-3.0 §0's definition; GPL-2.0
	// restricts copying and distribution only) → directly compatible.
	j = Judge(Context{SystemLicence: bank, Use: UseSaaS}, Parse("GPL-2.0-only"))
	if j.Verdict != DirectlyCompatible || !strings.Contains(j.Why, "SaaS: nothing is conveyed, copyleft not triggered") {
		t.Errorf("GPL-2.0 in SaaS: %+v", j)
	}
	// In an open-source SaaS system too (was incompatible via the matrix).
	if j := Judge(Context{SystemLicence: "MIT", Use: UseSaaS}, Parse("GPL-2.0-only")); j.Verdict != DirectlyCompatible {
		t.Errorf("GPL-2.0 in an MIT SaaS: %+v", j)
	}
	// 3. AGPL in a proprietary SaaS: §13 offers the source of the whole
	// modified work to remote users → incompatible.
	j = Judge(Context{SystemLicence: bank, Use: UseSaaS}, Parse("AGPL-3.0-or-later"))
	if j.Verdict != Incompatible || !strings.Contains(j.Why, "AGPL-3.0 §13") {
		t.Errorf("AGPL in proprietary SaaS: %+v", j)
	}
	// Internal use: the wording the brief asks for; AGPL's §13 caveat for
	// staff is an obligation, not a conflict.
	j = Judge(Context{SystemLicence: bank, Use: UseInternal}, Parse("AGPL-3.0-only"))
	if j.Verdict != DirectlyCompatible || !strings.Contains(j.Why, "internal use: nothing is conveyed, copyleft not triggered") || len(j.Obligations) != 1 {
		t.Errorf("AGPL internal: %+v", j)
	}
	// GPL with the Classpath exception in a permissive distributed work:
	// was incompatible (matrix No); conditions now, its own source offer.
	j = Judge(Context{SystemLicence: "Apache-2.0", Use: UseDistributed}, Parse("GPL-2.0-only WITH Classpath-exception-2.0"))
	if j.Verdict != CompatibleWithConditions || !hasObligation(j, "GPL-2.0 §3") {
		t.Errorf("Classpath in Apache-2.0: %+v", j)
	}
	// CPL-1.0 likewise (EPL-1.0's conditions).
	if j := Judge(Context{SystemLicence: "Apache-2.0", Use: UseDistributed}, Parse("CPL-1.0")); j.Verdict != CompatibleWithConditions || !strings.Contains(j.Why, "CPL-covered modules") {
		t.Errorf("CPL-1.0 in Apache-2.0: %+v", j)
	}
}

func hasObligation(j Judgement, s string) bool {
	return slices.ContainsFunc(j.Obligations, func(o string) bool { return strings.Contains(o, s) })
}

// Obligations, context readings and expressions, row by row.
func TestJudgeObligationsAndContext(t *testing.T) {
	cases := []struct {
		name           string
		ctx            Context
		expr, verdict  string
		why, obl, nobl string // substrings of Why / of an obligation; nobl must be in none
	}{
		// LGPL statically linked: LGPL-2.1 §6(a) — the application's object
		// files must be offered so the user can relink.
		{"LGPL static", Context{bank, UseDistributed, LinkStatic}, "LGPL-2.1-only", CompatibleWithConditions, "weak copyleft", "object files (or source) so that the user can relink it with a modified library (LGPL-2.1 §6(a))", "shared-library"},
		// Dynamically: §6(b), a replaceable shared library; no object files.
		{"LGPL dynamic", Context{bank, UseDistributed, LinkDynamic}, "LGPL-2.1-only", CompatibleWithConditions, "", "shared-library mechanism", "object files"},
		// Unknown linking states both; LGPL-3.0 adds §4(e) installation info.
		{"LGPL-3 unknown linking", Context{bank, UseDistributed, ""}, "LGPL-3.0-only", CompatibleWithConditions, "", "LGPL-3.0 §4(d)(0)", ""},
		{"LGPL-3 user product", Context{bank, UseDistributed, LinkDynamic}, "LGPL-3.0-or-later", CompatibleWithConditions, "", "LGPL-3.0 §4(e)", ""},
		// MPL/EPL/CDDL: file-level source offers.
		{"MPL", Context{bank, UseDistributed, ""}, "MPL-2.0", CompatibleWithConditions, "", "MPL-2.0 §3.2(a)", ""},
		{"EPL-2.0", Context{bank, UseDistributed, ""}, "EPL-2.0", CompatibleWithConditions, "", "EPL-2.0 §3.1", ""},
		{"CDDL", Context{bank, UseDistributed, ""}, "CDDL-1.1", CompatibleWithConditions, "", "CDDL-1.1 §3.1", ""},
		// GCC runtime exception: target code may carry the bank's terms.
		{"GCC exception", Context{bank, UseDistributed, ""}, "GPL-3.0-or-later WITH GCC-exception-3.1", CompatibleWithConditions, "", "GCC Runtime Library Exception §1", ""},
		// Permissive: notices (Apache-2.0 §4 with NOTICE; MIT's notice;
		// BSD-3's no-endorsement); public domain: none.
		{"Apache NOTICE", Context{bank, UseDistributed, ""}, "Apache-2.0", DirectlyCompatible, "permissive", "NOTICE file", ""},
		{"MIT notice", Context{bank, UseDistributed, ""}, "MIT", DirectlyCompatible, "", "copyright notice and licence text", ""},
		{"BSD-3", Context{bank, UseDistributed, ""}, "BSD-3-Clause", DirectlyCompatible, "", "clause 3", ""},
		{"LLVM exception", Context{bank, UseDistributed, ""}, "Apache-2.0 WITH LLVM-exception", DirectlyCompatible, "LLVM exception", "exempt from §4(a), (b) and (d)", ""},
		{"CC-BY-4.0", Context{bank, UseDistributed, ""}, "CC-BY-4.0", DirectlyCompatible, "", "CC-BY-4.0 §3(a)", ""},
		{"MulanPSL", Context{bank, UseDistributed, ""}, "MulanPSL-2.0", DirectlyCompatible, "", "MulanPSL-2.0 §4", ""},
		{"CC0", Context{bank, UseDistributed, ""}, "CC0-1.0", DirectlyCompatible, "no patent licence", "", "notice"},
		// SaaS: permissive notices only for copies that reach users.
		{"SaaS MIT", Context{bank, UseSaaS, ""}, "MIT", DirectlyCompatible, "code sent to users' browsers", "for any copy that reaches users", ""},
		// EUPL in SaaS: Communication includes access to functionalities.
		{"EUPL SaaS", Context{bank, UseSaaS, ""}, "EUPL-1.2", CompatibleWithConditions, "EUPL-1.2 §1", "EUPL-1.2 §5", ""},
		// SSPL offered as a service: §13.
		{"SSPL SaaS", Context{bank, UseSaaS, ""}, "SSPL-1.0", Incompatible, "§13", "", ""},
		// Elastic in SaaS: the hosted-service limit.
		{"Elastic SaaS", Context{bank, UseSaaS, ""}, "Elastic-2.0", Incompatible, "hosted or managed service", "", ""},
		{"BUSL internal", Context{bank, UseInternal, ""}, "BUSL-1.1", NeedsReview, "Additional Use Grant", "Change Date", ""},
		// OR picks the best branch, and only its obligations: MIT's notice,
		// not GPL's anything.
		{"OR best", Context{bank, UseDistributed, ""}, "MIT OR GPL-3.0-only", DirectlyCompatible, "Chosen: MIT", "MIT:", "GPL"},
		// AND: the worst.
		{"AND worst", Context{bank, UseDistributed, ""}, "MIT AND GPL-3.0-only", Incompatible, "GPL-3.0 §5(c)", "", ""},
		// OR of two weak copylefts: one branch's conditions (MPL-2.0 asks
		// fewer), Why names the either/or.
		{"OR weak", Context{bank, UseDistributed, ""}, "LGPL-2.1-only OR MPL-2.0", CompatibleWithConditions, "those of the licence chosen, either LGPL-2.1-only", "MPL-2.0 §3.2(a)", "LGPL"},
		// Precedence: MIT OR (LGPL AND AGPL) in SaaS: MIT.
		{"precedence", Context{bank, UseSaaS, ""}, "MIT OR LGPL-2.1-only AND AGPL-3.0-only", DirectlyCompatible, "", "", "AGPL"},
		// Brackets: (MIT OR LGPL) AND AGPL in a proprietary SaaS: AGPL §13.
		{"brackets", Context{bank, UseSaaS, ""}, "(MIT OR LGPL-2.1-only) AND AGPL-3.0-only", Incompatible, "AGPL-3.0 §13", "", ""},
		// Use not stated: distributed, said so.
		{"no use", Context{bank, "", ""}, "GPL-2.0-only", Incompatible, "use not stated: judged as distributed, the conservative reading", "", ""},
		{"odd use", Context{bank, "cloud", ""}, "GPL-2.0-only", Incompatible, `use "cloud" is not internal, saas or distributed`, "", ""},
		{"use case", Context{bank, "SaaS", ""}, "GPL-2.0-only", DirectlyCompatible, "SaaS:", "", ""},
		// System licence not stated: proprietary, said so.
		{"no system", Context{"", UseDistributed, ""}, "GPL-2.0-only", Incompatible, "system licence not stated: judged as proprietary", "", ""},
		// The bank's own component in its own product.
		{"own licence", Context{bank, UseDistributed, ""}, bank, DirectlyCompatible, "the system's own licence", "", ""},
		// A system under a choice of licences: distribution needs review;
		// internal use does not depend on the system licence.
		{"dual system dist", Context{"MIT OR Apache-2.0", UseDistributed, ""}, "MIT", NeedsReview, "not a single SPDX licence", "", ""},
		{"dual system internal", Context{"MIT OR Apache-2.0", UseInternal, ""}, "GPL-3.0-only", DirectlyCompatible, "internal use", "", ""},
		{"dual system SaaS AGPL", Context{"MIT OR Apache-2.0", UseSaaS, ""}, "AGPL-3.0-only", NeedsReview, "not a single SPDX licence", "", ""},
		// Open-source SaaS: AGPL §13 with the matrix (GPL-3.0 §13 allows
		// the combination: Check dependency; MIT: No).
		{"AGPL in GPL-3 SaaS", Context{"GPL-3.0-only", UseSaaS, ""}, "AGPL-3.0-only", IndirectlyCompatible, "SaaS triggers AGPL-3.0 §13", "", ""},
		{"AGPL in MIT SaaS", Context{"MIT", UseSaaS, ""}, "AGPL-3.0-only", Incompatible, "OSADL: AGPL-3.0-only in MIT: No", "", ""},
		// An open system licence outside the matrix but permissive: MIT's row.
		{"MulanPSL system", Context{"MulanPSL-2.0", UseDistributed, ""}, "GPL-2.0-only", Incompatible, "judged as a permissive work (MIT's row)", "", ""},
		// A source-available system licence: review.
		{"SSPL system", Context{"SSPL-1.0", UseDistributed, ""}, "MIT", NeedsReview, "not in the OSADL matrix", "", ""},
		{"SSPL in SSPL", Context{"SSPL-1.0", UseDistributed, ""}, "SSPL-1.0", DirectlyCompatible, "the same licence", "", ""},
		// Unreadable expressions.
		{"unreadable", Context{bank, UseDistributed, ""}, "MIT AND", NeedsReview, "could not be read", "", ""},
		{"none", Context{bank, UseInternal, ""}, "NOASSERTION", NeedsReview, "could not be read", "", ""},
	}
	for _, c := range cases {
		j := Judge(c.ctx, Parse(c.expr))
		if j.Verdict != c.verdict || !strings.Contains(j.Why, c.why) || (c.obl != "" && !hasObligation(j, c.obl)) || (c.nobl != "" && hasObligation(j, c.nobl)) {
			t.Errorf("%s: Judge(%+v, %q) = %s\n  why %s\n  obligations %q\n want %s, why ∋ %q, an obligation ∋ %q, none ∋ %q",
				c.name, c.ctx, c.expr, j.Verdict, j.Why, j.Obligations, c.verdict, c.why, c.obl, c.nobl)
		}
	}
}

func TestIsProprietary(t *testing.T) {
	for lic, want := range map[string]bool{
		"proprietary": true, "PROPRIETARY": true, " Proprietary ": true,
		bank: true, "LicenseRef-Bank": true, "DocumentRef-spdx:LicenseRef-Bank-1.0": true,
		"LicenseRef-scancode-proprietary-license": true, "LicenseRef-scancode-commercial-license": true,
		// Known third-party references are not the bank's licence.
		"LicenseRef-Public-Domain": false, "LicenseRef-Commons-Clause": false, "LicenseRef-scancode-ppp": false,
		"LicenseRef-scancode-info-zip-2003-05": false, "LicenseRef-scancode-elastic-license-v2": false,
		"LicenseRef-Confluent-Community-1.0": false,
		"MIT":                                false, "": false, "LicenseRef-A OR MIT": false,
	} {
		if got := IsProprietary(lic); got != want {
			t.Errorf("IsProprietary(%q) = %v, want %v", lic, got, want)
		}
	}
}

// Judgements come from a memo: a caller changing its Obligations must not
// change the next caller's.
func TestJudgeMemoIsolated(t *testing.T) {
	ctx := Context{SystemLicence: bank, Use: UseDistributed}
	a := Judge(ctx, Parse("Apache-2.0"))
	a.Obligations[0] = "changed"
	if b := Judge(ctx, Parse("Apache-2.0")); b.Obligations[0] == "changed" {
		t.Error("memoised obligations shared with the caller")
	}
}

// Compatible stays the distributed case, now with the bank's own licence
// judged rather than sent to review.
func TestCompatibleIsDistributedJudge(t *testing.T) {
	if v, _ := Compatible(bank, Parse("GPL-3.0-only")); v != Incompatible {
		t.Errorf("Compatible(bank, GPL) = %s", v)
	}
	if v, _ := Compatible(bank, Parse("LGPL-2.1-only")); v != CompatibleWithConditions {
		t.Errorf("Compatible(bank, LGPL) = %s", v)
	}
}

func FuzzJudge(f *testing.F) {
	for _, s := range []string{"MIT", "GPL-2.0-only WITH Classpath-exception-2.0", "(MIT OR LGPL-2.1-only) AND AGPL-3.0-only",
		"Apache-2.0 WITH Commons-Clause", "PolyForm-Shield-1.0.0", "", "MIT AND", "((", "LicenseRef-X OR BUSL-1.1", "EPL-2.0 OR GPL-2.0+ WITH Classpath-exception-2.0"} {
		f.Add(s, uint8(0), uint8(0), uint8(0))
	}
	systems := []string{bank, "proprietary", "", "MIT", "Apache-2.0", "GPL-2.0-only", "GPL-3.0-only", "MPL-2.0", "AGPL-3.0-only", "SSPL-1.0", "MulanPSL-2.0", "MIT OR Apache-2.0", "NOASSERTION"}
	uses := []string{UseInternal, UseSaaS, UseDistributed, "", "other"}
	links := []string{"", LinkStatic, LinkDynamic, "weird"}
	f.Fuzz(func(t *testing.T, expr string, sys, use, link uint8) {
		ctx := Context{SystemLicence: systems[int(sys)%len(systems)], Use: uses[int(use)%len(uses)], Linking: links[int(link)%len(links)]}
		j := Judge(ctx, Parse(expr))
		if !slices.Contains(Verdicts, j.Verdict) {
			t.Fatalf("Judge(%+v, %q) verdict %q not in Verdicts", ctx, expr, j.Verdict)
		}
		if j.Why == "" {
			t.Fatalf("Judge(%+v, %q): no Why", ctx, expr)
		}
	})
}

// benchRefs is an inventory's references: 200,000 (context, licence)
// pairs over the expressions SBOMs carry and the systems' contexts.
func benchRefs() ([]Context, []Expr) {
	exprs := []string{"MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MIT OR Apache-2.0", "LGPL-2.1-only", "MPL-2.0", "EPL-2.0",
		"GPL-2.0-only WITH Classpath-exception-2.0", "EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0", "GPL-3.0-only",
		"AGPL-3.0-only", "CC0-1.0", "Unlicense", "BUSL-1.1", "Elastic-2.0 OR SSPL-1.0", "Apache-2.0 AND LicenseRef-Commons-Clause",
		"LicenseRef-Public-Domain", "CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0", "NOASSERTION", "BSD-2-Clause", "0BSD",
		"Zlib", "BSL-1.0", "CC-BY-4.0", "Apache-2.0 WITH LLVM-exception", "MulanPSL-2.0", "LGPL-2.1-or-later OR MPL-1.1"}
	ctxs := []Context{{bank, UseDistributed, ""}, {bank, UseSaaS, ""}, {bank, UseInternal, ""}, {"Apache-2.0", UseDistributed, ""},
		{bank, UseDistributed, LinkStatic}, {"", "", ""}, {"GPL-3.0-only", UseSaaS, ""}}
	cs, es := make([]Context, 200_000), make([]Expr, 200_000)
	for i := range cs {
		cs[i], es[i] = ctxs[i%len(ctxs)], Parse(exprs[(i*7)%len(exprs)])
	}
	return cs, es
}

// BenchmarkJudgeInventory judges 200,000 references per op (memoised).
func BenchmarkJudgeInventory(b *testing.B) {
	cs, es := benchRefs()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		for i := range cs {
			Judge(cs[i], es[i])
		}
	}
}

// BenchmarkJudgeCold judges one reference with the memo emptied: the cost
// of a (context, expression) pair seen for the first time.
func BenchmarkJudgeCold(b *testing.B) {
	e := Parse("EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0")
	ctx := Context{SystemLicence: bank, Use: UseDistributed}
	b.ReportAllocs()
	for range b.N {
		judgeMu.Lock()
		clear(judgeCache)
		judgeMu.Unlock()
		Judge(ctx, e)
	}
}
