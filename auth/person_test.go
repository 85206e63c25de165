package auth

import "testing"

// Names compared for "another person" (issue 29 review): NFKC and case
// folding make ALICE, Alice and full-width ａｌｉｃｅ alice; a Cyrillic а
// mixed with Latin letters is refused and never the same person.
func TestSamePersonAndCheckName(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"alice", "alice", true},
		{"alice", "ALICE", true},
		{"alice", " Alice ", true},
		{"alice", "ａｌｉｃｅ", true}, // full-width, NFKC → alice
		{"alice", "bob", false},
		{"alice", "\u0430lice", false}, // Cyrillic а: confusable, refused
		{"\u0430lice", "\u0430lice", false},
		{"Ірина", "ірина", true}, // all Cyrillic: a name, folded
	} {
		if got := SamePerson(tc.a, tc.b); got != tc.same {
			t.Errorf("SamePerson(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.same)
		}
	}
	if CheckName("\u0430lice") == nil || CheckName("alice\u03bf") == nil || CheckName("a\nb") == nil {
		t.Error("mixed script or control character accepted")
	}
	if CheckName("alice") != nil || CheckName("张伟") != nil || CheckName("Ірина") != nil {
		t.Error("a plain name refused")
	}
}
