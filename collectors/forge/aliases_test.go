package forge

import (
	"strings"
	"testing"
	"time"
)

// A person whose commits the forge links to no account (a Gmail address
// not on their profile) and to their account (the no-reply address) is
// one author when both sign with the same full name, as git shortlog -sn
// counts:
//
//	Gary Gregory, gary@gmail.com, no account        3 commits
//	Gary Gregory, no-reply address, @garydgregory   2 commits
//	Ann Lee, ann@acme.com, @annlee                  4 commits
//
// authors 2 (3 by account or address); bus factor: Gary's 5 of 9 commits,
// 2 × 5 = 10 ≥ 9, so 1 (by address Ann's 4 led: 2 × 4 = 8 < 9, giving 2).
func TestOnePersonTwoIdentities(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var cs []Commit
	add := func(n int, login, name, email string) {
		for i := 0; i < n; i++ {
			when := now.Add(-time.Duration(len(cs)+1) * Day)
			cs = append(cs, Commit{SHA: strings.Repeat(string(rune('a'+len(cs))), 10), Login: login, Name: name, Email: email, Authored: when, Committed: when})
		}
	}
	add(3, "", "Gary Gregory", "gary@gmail.com")
	add(2, "garydgregory", "Gary Gregory", "garydgregory@users.noreply.github.com")
	add(4, "annlee", "Ann Lee", "ann@acme.com")
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
	if got[MetricAuthors12m] != 2 || !strings.Contains(ev[MetricAuthors12m], "1 identity merged with another of the same full name") {
		t.Errorf("authors_12m = %v (%s), want 2 with the merge said", got[MetricAuthors12m], ev[MetricAuthors12m])
	}
	if got[MetricBusFactor12m] != 1 || !strings.Contains(ev[MetricBusFactor12m], "made 5 of 9 commits") {
		t.Errorf("bus_factor_12m = %v (%s), want 1 (5 of 9)", got[MetricBusFactor12m], ev[MetricBusFactor12m])
	}
	// His newest commits come from the Gmail address without an account:
	// the person keeps the login of the other, for profiles and suppliers.
	for _, o := range Observations("p", h) {
		if o.Metric == MetricContributors12m && !strings.Contains(o.Text, `"login":"garydgregory"`) {
			t.Errorf("contributors_12m = %s, want Gary's login", o.Text)
		}
	}
}
