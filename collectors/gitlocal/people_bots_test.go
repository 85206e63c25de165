package gitlocal

import (
	"context"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors/affiliation"
)

// mergeCommit records a --no-ff merge by who: first parent main, second
// parent branch, the tree of the work tree (which holds the branch).
func (f *fixture) mergeCommit(who person, when time.Time, main, branch plumbing.Hash) plumbing.Hash {
	f.t.Helper()
	f.n++
	h, err := f.wt.Commit("Merge pull request #1 from someone/branch", &git.CommitOptions{
		Author:            &object.Signature{Name: who.name, Email: who.email, When: when},
		Committer:         &object.Signature{Name: who.name, Email: who.email, When: when},
		Parents:           []plumbing.Hash{main, branch},
		AllowEmptyCommits: true,
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// The pattern seen on a large foundation project: a merge bot commits
// every "Merge pull request" as NNNN+proj-bot@users.noreply.github.com and
// a dependency bot commits updates. People metrics count people.
func TestPeopleNotBots(t *testing.T) {
	f := newFixture(t, "foundation")
	mergeBot := person{"Proj Bot", "101226588+proj-bot@users.noreply.github.com"}
	depBot := person{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"}
	people := []person{
		{"P1", "p1@alpha.example"}, {"P2", "p2@beta.example"}, {"P3", "p3@gamma.example"},
		{"P4", "p4@gmail.com"}, {"P5", "5+p5@users.noreply.github.com"},
	}
	counts := []int{10, 9, 8, 7, 6}
	when := date(2025, 7, 1, 0)
	tick := func() time.Time { when = when.Add(time.Hour); return when }
	head := f.at(people[0], tick(), nil)
	merges := 0
	for i, p := range people {
		for k := 0; k < counts[i]; k++ {
			if i == 0 && k == 0 {
				continue // the first commit above
			}
			main := head
			pr := f.at(p, tick(), nil)
			if merges < 40 {
				head = f.mergeCommit(mergeBot, tick(), main, pr)
				merges++
			} else {
				head = pr
			}
		}
	}
	// The merge bot's 40th merge brings in the first dependency update.
	main := head
	head = f.mergeCommit(mergeBot, tick(), main, f.at(depBot, tick(), nil))
	merges++
	for k := 1; k < 30; k++ {
		head = f.at(depBot, tick(), nil)
	}
	if merges != 40 {
		t.Fatalf("built %d merges, want 40", merges)
	}
	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// People: 10+9+8+7+6 = 40 non-merge commits by 5 people. Half is 20:
	// 10 < 20, 10+9 = 19 < 20, 10+9+8 = 27 ≥ 20 → bus factor 3.
	// Merges: the 39 PRs after the first commit (9+9+8+7+6 = 39) and one
	// dependency update → 40. Bots: 30 dependency commits.
	// All commits: 40 + 40 + 30 = 110.
	// Organisations: alpha, beta, gamma, and p4 (gmail) and p5 (no-reply)
	// together as the one group of independent authors → 4; by commits
	// independents 7 + 6 = 13, alpha 10, beta 9, gamma 8: 13 < 20,
	// 13 + 10 = 23 ≥ 20 → elephant factor 2.
	// Commits per week: all 110 are inside 52 weeks (since 2025-06-02), of
	// which the 40 by people count: 40 / 52 = 0.769…
	for metric, want := range map[string]float64{
		MetricAuthors12m: 5, MetricBusFactor12m: 3, MetricMerges12m: 40, MetricCommits12m: 110,
		MetricOrgCount12m: 4, MetricElephantFactor12m: 2, MetricContributors12m: 5,
		MetricCommitsPerWeek: 40.0 / 52,
	} {
		if o := m[metric]; o.Value == nil || *o.Value != want {
			t.Errorf("%s = %v, want %v (%s)", metric, deref(o.Value), want, o.Evidence)
		}
	}
	ev := m[MetricAuthors12m].Evidence
	for _, want := range []string{"40 non-merge commits by people", "left out: 40 merges, 30 commits by bots", "dependabot[bot] 30"} {
		if !strings.Contains(ev, want) {
			t.Errorf("authors evidence %q lacks %q", ev, want)
		}
	}
	if ev := m[MetricBusFactor12m].Evidence; !strings.Contains(ev, "P1 10, P2 9, P3 8") {
		t.Errorf("bus factor evidence %q", ev)
	}
	if ev := m[MetricCommitsPerWeek].Evidence; !strings.Contains(ev, "40 commits by people in 52 weeks since 2025-06-02 ÷ 52 weeks, excluding 40 merges and 30 bot commits; 110 commits in all") {
		t.Errorf("commits_per_week evidence %q", ev)
	}
	if ev := m[MetricElephantFactor12m].Evidence; !strings.Contains(ev, "independent authors 13, alpha.example 10") ||
		!strings.Contains(ev, "2 independent authors on public mail, no-reply or local addresses made 13 commits") {
		t.Errorf("elephant factor evidence %q", ev)
	}
	if ev := m[MetricOrgCount12m].Evidence; !strings.Contains(ev, "(alpha.example, beta.example, gamma.example, independent authors)") {
		t.Errorf("org count evidence %q", ev)
	}
	// The contributor list for supplier evidence holds people only, and
	// the no-reply author is known by login.
	if txt := m[MetricContributors12m].Text; strings.Contains(txt, "bot") || !strings.Contains(txt, `"login":"p5"`) {
		t.Errorf("contributors = %s", txt)
	}
}

// .mailmap merges two e-mails of one person; a no-reply login merges two
// no-reply forms; a configured bot is left out.
func TestMailmapAndConfiguredBots(t *testing.T) {
	f := newFixture(t, "mailmapped")
	ann1 := person{"Ann", "ann@alpha.example"}
	ann2 := person{"ann (laptop)", "ann@laptop.local"}
	oct1 := person{"Octo", "1+octo@users.noreply.github.com"}
	oct2 := person{"Octo Cat", "octo@users.noreply.github.com"}
	rel := person{"Release", "release@alpha.example"}
	f.at(ann1, date(2025, 8, 1, 0), func() {
		f.write(".mailmap", "# who is who\nAnn <ann@alpha.example> <ann@laptop.local>\nnot an entry\n")
	})
	f.at(ann2, date(2025, 8, 2, 0), nil)
	f.at(ann2, date(2025, 8, 3, 0), nil)
	f.at(oct1, date(2025, 8, 4, 0), nil)
	f.at(oct2, date(2025, 8, 5, 0), nil)
	f.at(rel, date(2025, 8, 6, 0), nil)
	c := &Collector{Now: fixed, Identities: affiliation.NewIdentities([]string{"release@alpha.example"}, nil)}
	obs, _, err := c.Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// ann 3 (one person through .mailmap), @octo 2 (one login), release left
	// out as a bot → 2 authors of 5 commits; half 2.5: ann 3 ≥ 2.5 → bus 1.
	// Organisations: alpha.example (ann's canonical e-mail) and @octo's
	// no-reply address in the independent authors' group → 2; alpha 3 of
	// 5 ≥ 2.5 → elephant factor 1.
	for metric, want := range map[string]float64{MetricAuthors12m: 2, MetricBusFactor12m: 1, MetricOrgCount12m: 2, MetricElephantFactor12m: 1} {
		if o := m[metric]; o.Value == nil || *o.Value != want {
			t.Errorf("%s = %v, want %v (%s)", metric, deref(o.Value), want, o.Evidence)
		}
	}
	ev := m[MetricAuthors12m].Evidence
	for _, want := range []string{".mailmap applied (1 entry)", ".mailmap:3: no <e-mail>", "1 commit by bots"} {
		if !strings.Contains(ev, want) {
			t.Errorf("authors evidence %q lacks %q", ev, want)
		}
	}
}
