package forge

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func personCommitObs(t *testing.T, h *History) models.Observation {
	t.Helper()
	for _, o := range Observations("p", h) {
		if o.Metric == MetricMonthsSinceLastPersonCommit {
			return o
		}
	}
	t.Fatalf("no %s", MetricMonthsSinceLastPersonCommit)
	return models.Observation{}
}

// read passes one newest-first listing through CommitMerge (a full read
// back to the 12-month window) and KeepCommits, as the collectors do
// before Observations: commits older than 365 days are not held.
func read(now time.Time, listing []Commit) []Commit {
	cut := now.Add(-Window12m)
	m := NewCommitMerge(nil, true, cut)
	m.Page(listing)
	return KeepCommits(m.Commits(nil), cut)
}

// months_since_last_person_commit counts from the newest commit by a
// person, leaving out bots' commits and merges (a person's merge counts);
// with no person's commit in a completely read window it is the window's
// length, a lower bound; with a truncated reading it has no value.
func TestMonthsSinceLastPersonCommit(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ago := func(d float64) time.Time { return now.Add(-time.Duration(d * float64(Day))) }
	c := func(sha, login, name, email string, d float64, merge, bot bool) Commit {
		return Commit{SHA: sha, Login: login, Name: name, Email: email, Authored: ago(d), Committed: ago(d), Merge: merge, Bot: bot}
	}
	renovate := func(sha string, d float64, merge bool) Commit {
		return c(sha, "renovate[bot]", "renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com", d, merge, true)
	}
	dependabot := func(sha string, d float64) Commit {
		return c(sha, "dependabot[bot]", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", d, false, true)
	}
	hist := func(cs []Commit) *History {
		return &History{Source: "test", Forge: "GitHub", Now: now, Repo: Repo{DefaultBranch: "main"},
			Links: Links{Repo: "https://forge.example/p", Commits: "https://forge.example/p/commits/main"}, Commits: cs}
	}

	// Abandoned, bots active: alice's last commit 20 months ago
	// (20 × 30.4375 = 608.75 days), Renovate and Dependabot last month.
	// The person's commit is older than the 365-day window, so it is not
	// held; the 3 bot commits in the window are all the History has, and
	// the window was read completely (the listing reached past it) → no
	// person's commit in the 12-month window: 12 months, a lower bound.
	abandoned := []Commit{
		renovate("b1b1b1b1b1", 20, false),
		dependabot("b2b2b2b2b2", 35),
		renovate("b3b3b3b3b3", 40, true),
		c("a1a1a1a1a1", "alice", "Alice", "alice@example.com", 608.75, false, false),
	}
	h := hist(read(now, abandoned))
	if len(h.Commits) != 3 {
		t.Fatalf("held %d commits, want the 3 bots' in 365 days", len(h.Commits))
	}
	o := personCommitObs(t, h)
	if o.Value == nil || *o.Value != 12 ||
		!strings.Contains(o.Evidence, "no commit by a person in the 12 months read, since 2025-06-01: at least 12 months, a lower bound") ||
		!strings.Contains(o.Evidence, "3 commits by bots (renovate[bot] 2, dependabot[bot] 1) not counted") {
		t.Errorf("abandoned: %v %q (%s), want 12", o.Value, o.Reason, o.Evidence)
	}
	// The same listing held unpruned (the person's commit present but
	// outside the window) gives the same lower bound, not 20 months: the
	// window is what is known to be complete.
	if o := personCommitObs(t, hist(abandoned)); o.Value == nil || *o.Value != 12 {
		t.Errorf("abandoned, unpruned: %v (%s), want 12", o.Value, o.Evidence)
	}
	// The push date is no help here: months_since_last_push would read
	// the bots' push 20 days ago as 20 ÷ 30.4375 = 0.66 months.

	// Maintained: bob's commit 2 months ago (2 × 30.4375 = 60.875 days),
	// newer only a bot's merge (3 d) and a bot's commit (5 d) → 60.875 ÷
	// 30.4375 = 2 months.
	maintained := []Commit{
		renovate("b1b1b1b1b1", 3, true),
		dependabot("b2b2b2b2b2", 5),
		c("a2a2a2a2a2", "bob", "Bob", "bob@example.com", 60.875, false, false),
		c("a3a3a3a3a3", "alice", "Alice", "alice@example.com", 100, false, false),
	}
	o = personCommitObs(t, hist(read(now, maintained)))
	if o.Value == nil || math.Abs(*o.Value-2) > 1e-9 ||
		!strings.Contains(o.Evidence, "newest commit by a person a2a2a2a by bob committed 2026-04-01T03:00:00Z: 60.9 days ÷ 30.4375") ||
		!strings.Contains(o.Evidence, "2 newer commits by bots (dependabot[bot] 1, renovate[bot] 1) not counted") {
		t.Errorf("maintained: %v (%s), want 60.875/30.4375 = 2", o.Value, o.Evidence)
	}

	// A person's merge counts: alice merges Renovate's branch 1 day ago →
	// 1 ÷ 30.4375 = 0.032854… months, no newer bot commit.
	merged := append([]Commit{c("m1m1m1m1m1", "alice", "Alice", "alice@example.com", 1, true, false)}, maintained...)
	o = personCommitObs(t, hist(read(now, merged)))
	if o.Value == nil || math.Abs(*o.Value-1/30.4375) > 1e-9 || !strings.Contains(o.Evidence, "by alice committed 2026-05-31T00:00:00Z, a merge: 1.0 days") ||
		strings.Contains(o.Evidence, "not counted") {
		t.Errorf("person's merge: %v (%s), want 1/30.4375", o.Value, o.Evidence)
	}

	// A bot recognised by its name alone (no forge account) is a bot too:
	// GitLab links no login.
	nologin := []Commit{
		c("b9b9b9b9b9", "", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 4, false, false),
		c("a2a2a2a2a2", "", "Bob", "bob@example.com", 60.875, false, false),
	}
	if o := personCommitObs(t, hist(nologin)); o.Value == nil || math.Abs(*o.Value-2) > 1e-9 {
		t.Errorf("bot by name: %v (%s), want 2", o.Value, o.Evidence)
	}

	// Truncated reading (only the newest 3 commits read), all by bots: a
	// person's commit may be among those not read → no value.
	h = hist(read(now, abandoned))
	h.CommitsTruncated, h.CommitLimit = true, 3
	o = personCommitObs(t, h)
	if o.Value != nil || !strings.Contains(o.Reason, "no commit by a person among the newest 3 commits read") ||
		!strings.Contains(o.Reason, "may be among those not read") {
		t.Errorf("truncated, bots only: %v %q, want no value", o.Value, o.Reason)
	}
	// Truncated, but a person's commit read: the newest commits were read,
	// so it is the newest → 2 months as above.
	h = hist(read(now, maintained))
	h.CommitsTruncated, h.CommitLimit = true, 4
	if o := personCommitObs(t, h); o.Value == nil || math.Abs(*o.Value-2) > 1e-9 {
		t.Errorf("truncated, person read: %v %q, want 2", o.Value, o.Reason)
	}

	// No commits at all.
	h = hist(nil)
	h.CommitsEmpty = true
	if o := personCommitObs(t, h); o.Value != nil || o.Reason != "the repository has no commits" {
		t.Errorf("empty: %v %q", o.Value, o.Reason)
	}
}
