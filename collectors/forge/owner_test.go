package forge

import (
	"strings"
	"testing"
	"time"
)

// Issue 22, item 12, as the forge sees it: the API links Alice's no-reply
// commits to @alicesmith and Bob's to @bob, and her company address to no
// account (not on her profile). Bob's account once signs "Alice Smith".
//
//	Alice Smith, alice@corp.example, no account      3 commits
//	Alice Smith, no-reply address, @alicesmith        3 commits
//	Bob Jones, no-reply address, @bob                 2 commits
//	Alice Smith, no-reply address, @bob               1 commit
//	Carol Diaz, carol@globex.cn, @carold              4 commits
//	Dan Wu, dan@initech.example, @danwu               4 commits
//
// @alicesmith owns "Alice Smith" (its only name; 3 commits > @bob's 1),
// so her company address joins her login and @bob stays apart. Authors:
// Alice 6, Carol 4, Dan 4, Bob 3 = 4 (5 before). Bus factor of 17:
// 2 × 6 = 12 < 17, 2 × 10 = 20 ≥ 17: 2 (3 before: 2 × (4+4+3) = 22 ≥ 17
// only at the third).
func TestOwnLoginDespiteAnotherAccountsSignature(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var cs []Commit
	add := func(n int, login, name, email string) {
		for i := 0; i < n; i++ {
			when := now.Add(-time.Duration(len(cs)+1) * Day)
			cs = append(cs, Commit{SHA: strings.Repeat(string(rune('a'+len(cs))), 10), Login: login, Name: name, Email: email, Authored: when, Committed: when})
		}
	}
	add(3, "alicesmith", "Alice Smith", "123+alicesmith@users.noreply.github.com")
	add(3, "", "Alice Smith", "alice@corp.example")
	add(2, "bob", "Bob Jones", "456+bob@users.noreply.github.com")
	add(1, "bob", "Alice Smith", "456+bob@users.noreply.github.com")
	add(4, "carold", "Carol Diaz", "carol@globex.cn")
	add(4, "danwu", "Dan Wu", "dan@initech.example")
	h := &History{Source: "test", Forge: "GitHub", Now: now, Repo: Repo{DefaultBranch: "main"},
		Links: Links{Repo: "https://forge.example/p", Commits: "https://forge.example/p/commits/main"}, Commits: cs}
	got := map[string]float64{}
	ev := map[string]string{}
	for _, o := range Observations("p", h) {
		if o.Value != nil {
			got[o.Metric] = *o.Value
		}
		ev[o.Metric] = o.Evidence
	}
	merge := `1 identity merged with another of the same full name, as git shortlog groups them (` +
		`Alice Smith: @alicesmith + …@corp.example, through login @alicesmith; "Alice Smith" also signed by @bob, counted apart)`
	if got[MetricAuthors12m] != 4 || !strings.Contains(ev[MetricAuthors12m], merge) {
		t.Errorf("authors_12m = %v (%s), want 4 with %q", got[MetricAuthors12m], ev[MetricAuthors12m], merge)
	}
	if got[MetricBusFactor12m] != 2 || !strings.Contains(ev[MetricBusFactor12m], "top 2 authors of 4 made 10 of 17 commits") {
		t.Errorf("bus_factor_12m = %v (%s), want 2 (10 of 17)", got[MetricBusFactor12m], ev[MetricBusFactor12m])
	}
}
