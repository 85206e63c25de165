package gitlocal

import (
	"context"
	"strings"
	"testing"
)

// Automation commits on HEAD, as a dependency updater, a security-update
// bot and a CI workflow make them.
var (
	renovate = person{"renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"}
	depBot   = person{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"}
	ghAction = person{"github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"}
	jane     = person{"Jane", "jane@acme.com"}
)

// An abandoned project whose bots still commit: the newest commit by a
// person is 20 months old, bot commits a month ago do not make it look
// maintained.
//
//	Jane            2024-10-01 00:00  (the newest commit by a person)
//	renovate[bot]   2026-05-01 09:00
//	dependabot[bot] 2026-05-01 10:00
//	github-actions  2026-05-01 11:00
//	renovate[bot]   2026-05-02 09:00
//
// 2024-10-01 → 2025-10-01 = 365 days (no 29 February inside);
// 2025-10-01 → 2026-06-01 = 31 + 30 + 31 + 31 + 28 + 31 + 30 + 31 = 243 days;
// 608 days ÷ 30.4375 = 19.975… months. Before the change the newest commit
// (2026-05-02 09:00) gave 29.625 days = 0.97 months.
func TestMonthsSinceLastCommitByPerson(t *testing.T) {
	f := newFixture(t, "abandoned")
	janeC := f.at(jane, date(2024, 10, 1, 0), func() { f.write("LICENSE", "MIT\n") })
	f.at(renovate, date(2026, 5, 1, 9), nil)
	f.at(depBot, date(2026, 5, 1, 10), nil)
	f.at(ghAction, date(2026, 5, 1, 11), nil)
	f.at(renovate, date(2026, 5, 2, 9), nil)
	obs := mustCollect(t, f)
	m := byMetric(t, obs)
	if o := m[MetricDaysSinceLast]; o.Value == nil || !near(*o.Value, 608) {
		t.Errorf("days_since_last_commit = %v (%q), want 608", deref(o.Value), o.Reason)
	}
	o := m[MetricMonthsSinceLast]
	if o.Value == nil || !near(*o.Value, 608/30.4375) {
		t.Fatalf("months_since_last_commit = %v (%q), want 608/30.4375 = 19.98", deref(o.Value), o.Reason)
	}
	want := "newest commit by a person 2024-10-01 (" + janeC.String()[:7] + ", Jane) committed 2024-10-01T00:00:00Z (608.0 days ÷ 30.4375); " +
		"4 newer commits by bots (@renovate[bot] 2, @dependabot[bot] 1, @github-actions[bot] 1) not counted"
	if !strings.HasPrefix(o.Evidence, want) {
		t.Errorf("evidence = %q\nwant prefix %q", o.Evidence, want)
	}
	// 19.98 ≥ 12: the project is unmaintained, whatever its bots do.
	if r := phi(t, obs); !fired(r, "G-UNMAINTAINED") {
		t.Errorf("G-UNMAINTAINED did not fire on a project with only bot commits for 20 months: %+v", r.Gates)
	}
}

// The newest commit by a person is older than the 36-month walk: the walk
// goes on past the bound to find it, and counts nothing more.
//
//	Alice 2021-06-01, Bob 2022-06-01 (newest by a person), dependabot 2026-05-01
//
// 2022-06-01 → 2026-06-01 = 4 × 365 + 1 (29 February 2024) = 1461 days;
// 1461 ÷ 30.4375 = 48.0 months.
func TestLastPersonCommitBeyond36Months(t *testing.T) {
	f := newFixture(t, "old-person")
	f.at(alice, date(2021, 6, 1, 0), nil)
	bobC := f.at(bob, date(2022, 6, 1, 0), nil)
	f.at(depBot, date(2026, 5, 1, 0), nil)
	m := byMetric(t, mustCollect(t, f))
	o := m[MetricMonthsSinceLast]
	if o.Value == nil || !near(*o.Value, 1461/30.4375) {
		t.Errorf("months_since_last_commit = %v (%q), want 1461/30.4375 = 48.0", deref(o.Value), o.Reason)
	}
	if !strings.Contains(o.Evidence, "("+bobC.String()[:7]+", Bob)") || !strings.Contains(o.Evidence, "1 newer commit by bots (@dependabot[bot] 1) not counted") {
		t.Errorf("evidence = %q", o.Evidence)
	}
	// The windowed metrics still stop at 36 months: only dependabot's commit.
	if o := m[MetricCommits12m]; o.Value == nil || *o.Value != 1 {
		t.Errorf("commits_12m = %v, want 1", deref(o.Value))
	}
	h, err := scan(context.Background(), f.repo, now, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if h.walked != 1 || h.searched != 1 || !h.stopped {
		t.Errorf("walked %d, searched %d beyond (stopped %v), want 1 and 1", h.walked, h.searched, h.stopped)
	}
}

// A merge authored by a person is activity, even of a bot's branch; a
// merge authored by a bot is not.
//
//	Jane 2024-10-01; dependabot 2026-04-01 on a branch; Alice merges it
//	2026-04-02 00:00; github-actions 2026-05-01.
//
// 2026-04-02 → 2026-05-01 = 29 days (30 − 2 + 1), + 31 (May) = 60 days.
func TestPersonMergeCounts(t *testing.T) {
	f := newFixture(t, "merged")
	main := f.at(jane, date(2024, 10, 1, 0), nil)
	branch := f.at(depBot, date(2026, 4, 1, 0), nil)
	merge := f.mergeCommit(alice, date(2026, 4, 2, 0), main, branch)
	f.at(ghAction, date(2026, 5, 1, 0), nil)
	o := byMetric(t, mustCollect(t, f))[MetricDaysSinceLast]
	if o.Value == nil || !near(*o.Value, 60) {
		t.Errorf("days_since_last_commit = %v (%q), want 60", deref(o.Value), o.Reason)
	}
	if !strings.HasPrefix(o.Evidence, "newest commit by a person 2026-04-02 ("+merge.String()[:7]+", Alice) committed 2026-04-02T00:00:00Z, a merge; 1 newer commit by bots") {
		t.Errorf("evidence = %q", o.Evidence)
	}

	// The same history merged by a merge bot: Jane's commit is the newest
	// by a person. 2024-10-01 → 2026-06-01 = 608 days (above).
	g := newFixture(t, "bot-merged")
	main = g.at(jane, date(2024, 10, 1, 0), nil)
	branch = g.at(depBot, date(2026, 4, 1, 0), nil)
	g.mergeCommit(person{"Proj Bot", "101226588+proj-bot@users.noreply.github.com"}, date(2026, 4, 2, 0), main, branch)
	if o := byMetric(t, mustCollect(t, g))[MetricDaysSinceLast]; o.Value == nil || !near(*o.Value, 608) {
		t.Errorf("bot-merged days_since_last_commit = %v (%q), want 608", deref(o.Value), o.Reason)
	}
}

// Only bots ever committed: no value, so the unmaintained gate is not
// evaluated rather than cleared.
func TestNoCommitByPerson(t *testing.T) {
	f := newFixture(t, "bots-only")
	f.at(ghAction, date(2026, 5, 1, 0), nil)
	f.at(renovate, date(2026, 5, 2, 0), nil)
	obs := mustCollect(t, f)
	m := byMetric(t, obs)
	for _, metric := range []string{MetricDaysSinceLast, MetricMonthsSinceLast} {
		o := m[metric]
		if o.Value != nil || !strings.HasPrefix(o.Reason, "no commit by a person") {
			t.Errorf("%s = %v (%q), want no value and a reason", metric, deref(o.Value), o.Reason)
		}
		if !strings.Contains(o.Evidence, "no commit by a person in the 2 commits on HEAD") ||
			!strings.Contains(o.Evidence, "2 newer commits by bots (@github-actions[bot] 1, @renovate[bot] 1) not counted") {
			t.Errorf("%s evidence = %q", metric, o.Evidence)
		}
	}
	if r := phi(t, obs); fired(r, "G-UNMAINTAINED") {
		t.Errorf("G-UNMAINTAINED fired without a value: %+v", r.Gates)
	}
}

// One person signing from two addresses under one name counts once, as
// git shortlog -sn counts (commons-lang's top author, from a Gmail and a
// no-reply address):
//
//	Gary Gregory <gary@gmail.com>                       3 commits
//	Gary Gregory <garydgregory@users.noreply.github.com> 2 commits
//	Ann Lee <ann@acme.com>                              4 commits
//
// authors: 2 (was 3 counted by address). Bus factor: Gary's 3 + 2 = 5 of
// 9, and 2 × 5 = 10 ≥ 9, so 1 (by address the top was Ann's 4, 2 × 4 = 8
// < 9, giving 2). Organisations are by the address of each commit:
// acme.com and the independents (Gmail, no-reply) = 2.
func TestOnePersonTwoAddresses(t *testing.T) {
	f := newFixture(t, "aliases")
	gmail := person{"Gary Gregory", "gary@gmail.com"}
	noreply := person{"Gary Gregory", "garydgregory@users.noreply.github.com"}
	ann := person{"Ann Lee", "ann@acme.com"}
	day := 1
	for _, c := range []struct {
		who person
		n   int
	}{{gmail, 3}, {noreply, 2}, {ann, 4}} {
		for i := 0; i < c.n; i++ {
			f.at(c.who, date(2026, 3, day, 0), nil)
			day++
		}
	}
	m := byMetric(t, mustCollect(t, f))
	if o := m[MetricAuthors12m]; o.Value == nil || *o.Value != 2 ||
		!strings.Contains(o.Evidence, "1 identity merged with another of the same full name") {
		t.Errorf("authors_12m = %v (%q), want 2 with the merge said", deref(o.Value), o.Evidence)
	}
	if o := m[MetricBusFactor12m]; o.Value == nil || *o.Value != 1 || !strings.Contains(o.Evidence, "made 5 of 9") ||
		!strings.Contains(o.Evidence, ": @garydgregory 5;") {
		// shown as his newest commit signs: the no-reply address's login
		t.Errorf("bus_factor_12m = %v (%q), want 1: @garydgregory 5 of 9", deref(o.Value), o.Evidence)
	}
	if o := m[MetricOrgCount12m]; o.Value == nil || *o.Value != 2 {
		t.Errorf("org_count_12m = %v (%q), want 2", deref(o.Value), o.Evidence)
	}
}
