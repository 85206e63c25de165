package affiliation

import "testing"

func TestDomainOrgAndFactor(t *testing.T) {
	cases := map[string]string{
		"ann@bank.example":             "bank.example",
		"bob@gmail.com":                "independent:bob",
		"1+x@users.noreply.github.com": "independent:bob",
		"nobody":                       "independent:bob",
		"ci@build.local":               "independent:bob",
	}
	for email, want := range cases {
		if got := DomainOrg(email, "bob"); got != want {
			t.Errorf("DomainOrg(%q) = %q, want %q", email, got, want)
		}
	}
	// 10 commits: a 4, b 3, c 2, d 1. 4 → 8 < 10; 4+3 = 7 → 14 ≥ 10: factor 2.
	r := Ranked(map[string]int{"a": 4, "b": 3, "c": 2, "d": 1})
	if got := Factor(r, 10); got != 2 || r[0].Key != "a" {
		t.Errorf("factor = %d, ranked %v", got, r)
	}
	if Factor(nil, 0) != 0 {
		t.Error("no commits must give 0")
	}
}
