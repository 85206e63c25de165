package licenses

import (
	"strings"
	"testing"
)

// The spellings real SBOMs carry (Keycloak, Dropwizard, Juice Shop) read
// as SPDX expressions, each reading noted.
func TestParseRealWorldSpellings(t *testing.T) {
	cases := []struct {
		raw, spdx, class, note string
	}{
		{"Eclipse Public License v2.0", "EPL-2.0", WeakCopyleft, "read as EPL-2.0"},
		{"GNU Lesser General Public License, Version 2.1", "LGPL-2.1-only", WeakCopyleft, "read as LGPL-2.1-only"},
		{"ASF 2.0", "Apache-2.0", Permissive, "'ASF 2.0' read as Apache-2.0"},
		{"ALv2", "Apache-2.0", Permissive, "read as Apache-2.0"},
		{"Apache2", "Apache-2.0", Permissive, "read as Apache-2.0"},
		// The Eclipse Distribution License is the BSD 3-clause text.
		{"EDL 1.0", "BSD-3-Clause", Permissive, "read as BSD-3-Clause"},
		{"BSD licence", "BSD-3-Clause", Permissive, "ambiguous"},
		{"http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0", Permissive, "read as Apache-2.0"},
		{"https://opensource.org/licenses/MIT", "MIT", Permissive, "read as MIT"},
		// A choice: the most favourable branch.
		{"apache-2.0 or mit", "Apache-2.0 OR MIT", Permissive, ""},
		{"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0", WeakCopyleft, "deprecated id"},
		{"Apache-2.0 WITH Commons-Clause", "Apache-2.0 AND LicenseRef-Commons-Clause", SourceAvailable, "not an SPDX exception"},
		{"Public Domain", "LicenseRef-Public-Domain", PublicDomain, "read as LicenseRef-Public-Domain"},
		{"Business Source License 1.1", "BUSL-1.1", SourceAvailable, "read as BUSL-1.1"},
		{"Server Side Public License", "SSPL-1.0", SourceAvailable, "osgauge curation"},
	}
	for _, c := range cases {
		e := Parse(c.raw)
		if e.SPDX != c.spdx || e.Class() != c.class || (c.note != "" && !strings.Contains(strings.Join(e.Notes, " | "), c.note)) {
			t.Errorf("Parse(%q) = %q [%s] notes %v (err %s), want %q [%s] with a note saying %q", c.raw, e.SPDX, e.Class(), e.Notes, e.Err, c.spdx, c.class, c.note)
		}
	}
	// Not declared, and not recognised: no expression, and the error says which.
	if e := Parse("NOASSERTION"); e.Known() || e.Err != "no licence declared" {
		t.Errorf("NOASSERTION: %+v", e)
	}
	if e := Parse("Frobnicate Licence 9"); e.Known() || !strings.Contains(e.Err, "not recognised") || e.Class() != Unknown {
		t.Errorf("unknown name: %+v", e)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"MIT", "Apache-2.0 OR (GPL-2.0+ WITH Classpath-exception-2.0)", "ASF 2.0", "http://www.apache.org/licenses/LICENSE-2.0", "((", "MIT AND", "CDDL+GPL", "LicenseRef-Bank"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e := Parse(raw)
		if e.Known() && len(e.IDs) == 0 {
			t.Fatalf("known expression without licences: %+v", e)
		}
		c := e.Class()
		found := false
		for _, x := range Classes {
			found = found || x == c
		}
		if !found {
			t.Fatalf("class %q not a class", c)
		}
	})
}

// npm's UNLICENSED grants no rights: it must never read as the Unlicense.
func TestUnlicensedIsNotTheUnlicense(t *testing.T) {
	e := Parse("UNLICENSED")
	if e.Class() == PublicDomain || e.SPDX != "LicenseRef-scancode-proprietary-license" || !strings.Contains(strings.Join(e.Notes, ""), "grants no rights") {
		t.Errorf("UNLICENSED: %+v class %s", e, e.Class())
	}
	// In a distributed proprietary product it needs review, never "compatible".
	if j := Judge(Context{SystemLicence: "proprietary", Use: UseDistributed}, e); j.Verdict != NeedsReview {
		t.Errorf("UNLICENSED judged %s: %s", j.Verdict, j.Why)
	}
	// The Unlicense itself is still public domain.
	if Parse("Unlicense").Class() != PublicDomain {
		t.Error("Unlicense")
	}
}

// The Universal FOSS Exception lets GPL code combine with software under
// OSI/FSF-approved licences only: it gives a proprietary product nothing.
func TestUniversalFOSSExceptionInProprietary(t *testing.T) {
	e := Parse("GPL-2.0-only WITH Universal-FOSS-exception-1.0")
	if e.Class() != StrongCopyleft {
		t.Errorf("class %s", e.Class())
	}
	if j := Judge(Context{SystemLicence: "proprietary", Use: UseDistributed}, e); j.Verdict != Incompatible {
		t.Errorf("UFE in a proprietary product: %s (%s)", j.Verdict, j.Why)
	}
}

// Between two verdicts alike the lighter licence is chosen: Jakarta's
// EPL-2.0 OR GPL-2.0 with the Classpath exception → EPL-2.0 (a file-level
// source offer), not GPL-2.0's written offer valid three years.
func TestChoiceByBurden(t *testing.T) {
	j := Judge(Context{SystemLicence: "proprietary", Use: UseDistributed}, Parse("EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0"))
	if j.Verdict != CompatibleWithConditions || !strings.Contains(j.Why, "Chosen: EPL-2.0") {
		t.Errorf("%s: %s", j.Verdict, j.Why)
	}
}

// Review finding: a licence required whatever is chosen is not offered as
// one side of the either/or. MIT AND (LGPL-2.1-only OR MPL-2.0) in a
// distributed proprietary product: MIT's notice applies in any case; the
// conditions of LGPL-2.1 or of MPL-2.0 apply, whichever is chosen.
func TestRequiredLicenceNotInTheChoice(t *testing.T) {
	j := Judge(Context{SystemLicence: "proprietary", Use: UseDistributed}, Parse("MIT AND (LGPL-2.1-only OR MPL-2.0)"))
	if j.Verdict != CompatibleWithConditions {
		t.Fatalf("%s: %s", j.Verdict, j.Why)
	}
	_, choice, ok := strings.Cut(j.Why, "those of the licence chosen, either ")
	if !ok || strings.Contains(choice, "MIT") || !strings.Contains(choice, "LGPL-2.1-only") || !strings.Contains(choice, "MPL-2.0") {
		t.Errorf("the choice lists %q (why: %s)", choice, j.Why)
	}
	if pre, _, _ := strings.Cut(j.Why, "those of the licence chosen"); !strings.Contains(pre, "MIT") {
		t.Errorf("MIT's conditions not stated apart: %s", j.Why)
	}
}
