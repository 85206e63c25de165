package gitlocal

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

func TestContributorsAndMaintainers(t *testing.T) {
	f := newFixture(t, "upstream")
	f.at(alice, date(2024, 1, 10, 9), nil) // before 2024-06-01: outside 24 months
	f.msg = "Fix CVE-2025-12345: bound the parser"
	f.at(alice, date(2025, 3, 1, 9), nil) // security fix inside 24 months, outside 12
	f.msg = "backport GHSA-xvch-5gv4-984h"
	f.at(bob, date(2025, 9, 1, 9), nil) // security fix inside 12 months
	f.at(bob, date(2025, 10, 1, 9), func() {
		f.write("CODEOWNERS", "* @Alice @acme/maintainers\n/docs/ carol@globex.cn\n")
		f.write("OWNERS", "approvers:\n  - dave-k\nreviewers:\n  - erin # emeritus\nemeritus_approvers:\n  - frank\nlabels:\n  - docs\n")
		f.write("MAINTAINERS.md", "- Bob Builder <bob@acme.com> (https://github.com/bobb)\n"+
			"See [MAINTAINERS in community repo](https://github.com/karmada-io/community/blob/main/MAINTAINERS.md)\n") // karmada's line
	})
	f.at(carol, date(2026, 2, 1, 9), nil)

	m := byMetric(t, mustCollect(t, f))
	var people []Contributor
	if err := json.Unmarshal([]byte(m[MetricContributors12m].Text), &people); err != nil {
		t.Fatal(err)
	}
	// In 12 months (since 2025-06-01): bob 2, carol 1. alice has no commit in
	// 12 months but one CVE fix in 24 → listed with 0 commits, 1 fix.
	want := []Contributor{
		{Email: "bob@acme.com", Name: "Bob", Commits: 2, SecurityFixes: 1, Names: []string{"Bob"}},
		{Email: "carol@globex.cn", Name: "Carol", Commits: 1, Names: []string{"Carol"}},
		{Email: "alice@acme.com", Name: "Alice", Commits: 0, SecurityFixes: 1, Names: []string{"Alice"}},
	}
	if len(people) != len(want) {
		t.Fatalf("contributors = %+v", people)
	}
	for i := range want {
		if !reflect.DeepEqual(people[i], want[i]) {
			t.Errorf("contributor %d = %+v, want %+v", i, people[i], want[i])
		}
	}
	var ml maintainerList
	if err := json.Unmarshal([]byte(m[MetricMaintainers].Text), &ml); err != nil {
		t.Fatal(err)
	}
	// Logins: alice (CODEOWNERS; the team @acme/maintainers is not a
	// person), bobb (GitHub URL), dave-k and erin (OWNERS approvers and
	// reviewers). Not: karmada-io (a repository's URL, not a profile),
	// frank (emeritus) and docs (a label).
	// E-mails: carol@globex.cn (CODEOWNERS), bob@acme.com (MAINTAINERS.md).
	if got, _ := json.Marshal(ml.Logins); string(got) != `["alice","bobb","dave-k","erin"]` {
		t.Errorf("logins = %s", got)
	}
	if got, _ := json.Marshal(ml.Emails); string(got) != `["bob@acme.com","carol@globex.cn"]` {
		t.Errorf("emails = %s", got)
	}
	if *m[MetricMaintainers].Value != 6 || len(ml.Files) != 3 {
		t.Errorf("maintainers = %v from %v", *m[MetricMaintainers].Value, ml.Files)
	}
}

func mustCollect(t *testing.T, f *fixture) []models.Observation {
	t.Helper()
	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// OWNERS shapes: keyed YAML counts approvers and reviewers only, also
// under filters and hyphenated keys end a section; a markdown OWNERS.md
// without keys counts its list.
func TestOwnersLogins(t *testing.T) {
	cases := []struct{ text, want string }{
		{"approvers:\n  - a\nsecurity-contacts:\n  - s\nreviewers:\n  - r\n", "a r"},
		{"filters:\n  \".*\":\n    approvers:\n      - a\n    labels:\n      - docs\nemeritus_approvers:\n  - e\n", "a"},
		{"## Owners\n\n- alice\n- bob # lead\n", "alice bob"},
	}
	for _, c := range cases {
		if got := strings.Join(ownersLogins(c.text), " "); got != c.want {
			t.Errorf("ownersLogins(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
