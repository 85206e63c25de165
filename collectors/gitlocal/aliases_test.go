package gitlocal

import (
	"strings"
	"testing"
)

// Issue 22, item 12: a person is merged through their own login even when
// another account signs with the same name once. In 12 months to
// 2026-06-01:
//
//	Alice Smith <alice@corp.example>                          3 commits
//	Alice Smith <123+alicesmith@users.noreply.github.com>     3 commits
//	Bob Jones   <456+bob@users.noreply.github.com>            2 commits
//	Alice Smith <456+bob@users.noreply.github.com>            1 commit (Bob's account, a wrong name)
//	Carol Diaz  <carol@globex.cn>                             4 commits
//	Dan Wu      <dan@initech.example>                         4 commits
//
// 17 commits by people. "Alice Smith" is signed by two logins, @alicesmith
// (3 commits, its only name) and @bob (1 commit; his most-used name is
// "Bob Jones", 2). @alicesmith owns it: its most-used name, and 3 > 1, the
// other logins' commits under it. alice@corp.example signs only "Alice
// Smith", so it joins her login; @bob stays Bob.
//
// Authors: Alice 3 + 3 = 6, Carol 4, Dan 4, Bob 2 + 1 = 3: 4 authors.
// Bus factor: 2 × 6 = 12 < 17; 2 × (6 + 4) = 20 ≥ 17: 2 (top 2 made 10 of
// 17, 59 %; Carol before Dan on a tie, by key carol@ < dan@).
//
// Before, the name merged nothing: 5 authors with 4, 4, 3, 3, 3 commits,
// 2 × 8 = 16 < 17, 2 × 11 = 22 ≥ 17: bus factor 3.
func TestOwnLoginDespiteAnotherAccountsSignature(t *testing.T) {
	f := newFixture(t, "owner")
	corp := person{"Alice Smith", "alice@corp.example"}
	own := person{"Alice Smith", "123+alicesmith@users.noreply.github.com"}
	bob := person{"Bob Jones", "456+bob@users.noreply.github.com"}
	bobAsAlice := person{"Alice Smith", "456+bob@users.noreply.github.com"}
	carol := person{"Carol Diaz", "carol@globex.cn"}
	dan := person{"Dan Wu", "dan@initech.example"}
	day := 1
	for _, c := range []struct {
		who person
		n   int
	}{{corp, 3}, {bob, 2}, {bobAsAlice, 1}, {carol, 4}, {dan, 4}, {own, 3}} { // Alice's newest from her no-reply address
		for i := 0; i < c.n; i++ {
			f.at(c.who, date(2026, 3, day, 0), nil)
			day++
		}
	}
	m := byMetric(t, mustCollect(t, f))
	merge := `1 identity merged with another of the same full name, as git shortlog groups them (` +
		`Alice Smith: @alicesmith + …@corp.example, through login @alicesmith; "Alice Smith" also signed by @bob, counted apart)`
	if o := m[MetricAuthors12m]; o.Value == nil || *o.Value != 4 || !strings.Contains(o.Evidence, merge) {
		t.Errorf("authors_12m = %v (%q), want 4 with %q", deref(o.Value), o.Evidence, merge)
	}
	if o := m[MetricBusFactor12m]; o.Value == nil || *o.Value != 2 ||
		!strings.Contains(o.Evidence, "top 2 authors of 4 made 10 of 17 non-merge commits by people (59%)") ||
		!strings.Contains(o.Evidence, ": @alicesmith 6, Carol Diaz 4") {
		t.Errorf("bus_factor_12m = %v (%q), want 2: @alicesmith 6, Carol Diaz 4", deref(o.Value), o.Evidence)
	}
}
