package forgetest

import "time"

// Sample is one small project history every forge fake can serve, with
// what each forge collector must measure from it worked out by hand below
// (windows back from now: 52 weeks = 364 days, 12 months = 365 days,
// 180 days).
//
// Commits (default branch main), newest first:
//
//		c1 alice@bigcorp.com  1 d    c5 carol@gmail.com    40 d
//		c2 merge by alice     2 d    c6 alice             100 d
//		c3 bob@bigcorp.com   10 d    c7 bob               200 d
//		c4 dependabot[bot]   20 d    c8 dave@smallco.cn   300 d
//		                             c9 alice             400 d (outside every window)
//
//	  - 8 commits in 364 days (c1–c8), of which the merge c2 and the bot
//	    commit c4 are left out → commits_per_week = 6 ÷ 52 = 0.115384…
//	  - commits_12m = 8; merges_12m = 1 (c2); bots 1 (c4)
//	  - people's commits: alice 2 (c1, c6), bob 2 (c3, c7), carol 1, dave 1 = 6
//	    → authors_12m = 4; bus factor: alice 2 < 3 (half of 6), alice+bob 4 ≥ 3 → 2
//	  - organisations: bigcorp.com 4, smallco.cn 1, and carol (gmail, no
//	    company) alone in the group of independent authors 1
//	    → org_count_12m = 3; elephant factor: bigcorp 4 ≥ 3 → 1
//	  - newest commit by a person: c1 (alice, 1 d; nothing newer by a bot)
//	    → months_since_last_person_commit = 1 ÷ 30.4375 = 0.032854…
//
// Releases v1.3.0-rc.1 (5 d, a pre-release: flagged on GitHub and Gitee,
// read from its name on GitLab), v1.2.0 (30 d), v1.1.0 (200 d), v1.0.0
// (500 d) → releases_12m = 2 (v1.2.0, v1.1.0; the rc is left out);
// months_since_last_release = 30 ÷ 30.4375 = 0.985626… (v1.2.0, not the
// newer rc).
//
// Issues opened in 180 days: #1 (erin, bug, open, 10 d; bob answers after
// 2 d), #2 (frank, 20 d, closed 15 d; a GitLab system note by alice after
// 0.1 d and frank's own comment are not answers, carol answers after 3 d —
// counting the note would make the median 2), #3 (grace, 50 d, open,
// unanswered: waited 50 d); #4 opened 200 d ago, closed 100 d ago.
//
//   - issues_opened_180d = 3; issues_closed_180d = 2 (#2, #4)
//   - issue_first_response_days = median(2, 3, 50) = 3
//   - bug_open_days = median(10) = 10 (#1 still open)
//
// Change requests opened in 180 days: #5 (carol, 30 d, merged 28 d; alice
// answers after 1 d), #6 (dave, 60 d, closed unmerged 50 d; bob answers
// after 2 d), #7 (henry, 5 d, open, unanswered: waited 5 d).
//
//   - changes_opened_180d = 3; change_closure_ratio = 2/3
//   - change_merge_ratio = 1 merged / 2 closed = 0.5; change_merge_days = 2
//   - change_first_response_days = median(1, 2, 5) = 2
//
// Metadata: 120 stars, 30 forks → adoption 120 + 2×30 = 180; last push
// 1 d ago → months_since_last_push = 1 ÷ 30.4375 = 0.032854…; a SECURITY.md
// in the root → security_policy = 1; not archived.
func Sample(now time.Time) Scenario {
	d := func(days float64) time.Time { return now.Add(-time.Duration(days * float64(24*time.Hour))) }
	c := func(sha, login, name, email string, days float64, parents int) Commit {
		return Commit{SHA: sha, Login: login, Name: name, Email: email, Parents: parents, Authored: d(days), Committed: d(days), Message: "change " + sha}
	}
	return Scenario{
		Path: "acme/widget", DefaultBranch: "main", Description: "a widget",
		Created: d(3 * 365), Pushed: d(1), Stars: 120, Forks: 30, Watchers: 12, License: "Apache-2.0",
		Commits: []Commit{
			c("c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1", "alice", "Alice", "alice@bigcorp.com", 1, 1),
			c("c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2", "alice", "Alice", "alice@bigcorp.com", 2, 2),
			c("c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3", "bob", "Bob", "bob@bigcorp.com", 10, 1),
			c("c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4", "dependabot[bot]", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 20, 1),
			c("c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5", "carol", "Carol", "carol@gmail.com", 40, 1),
			c("c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6", "alice", "Alice", "alice@bigcorp.com", 100, 1),
			c("c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7", "bob", "Bob", "bob@bigcorp.com", 200, 1),
			c("c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8c8", "", "Dave", "dave@smallco.cn", 300, 1),
			c("c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9c9", "alice", "Alice", "alice@bigcorp.com", 400, 1),
		},
		Issues: []Issue{
			{N: 3, Author: "grace", Title: "question", Created: d(50), Updated: d(50)},
			{N: 2, Author: "frank", Title: "crash", Created: d(20), Updated: d(15), Closed: Ptr(d(15)), Comments: []Comment{
				{ID: 200, Author: "alice", At: d(19.9), Body: "added ~bug label", System: true},
				{ID: 201, Author: "frank", At: d(19), Body: "more detail"},
				{ID: 202, Author: "carol", At: d(17), Body: "fixed on main"},
			}},
			{N: 1, Author: "erin", Title: "wrong total", Labels: []string{"bug"}, Created: d(10), Updated: d(8), Comments: []Comment{
				{ID: 102, Author: "bob", At: d(8), Body: "confirmed"},
			}},
			{N: 4, Author: "erin", Title: "old", Created: d(200), Updated: d(100), Closed: Ptr(d(100))},
		},
		Changes: []Change{
			{N: 7, Author: "henry", Title: "docs", Created: d(5), Updated: d(5)},
			{N: 5, Author: "carol", Title: "fix total", Created: d(30), Updated: d(28), Closed: Ptr(d(28)), Merged: Ptr(d(28)), Comments: []Comment{
				{ID: 501, Author: "alice", At: d(29), Body: "LGTM"},
			}},
			{N: 6, Author: "dave", Title: "rewrite", Created: d(60), Updated: d(50), Closed: Ptr(d(50)), Comments: []Comment{
				{ID: 601, Author: "bob", At: d(58), Body: "too big"},
			}},
		},
		Releases: []Release{
			{Tag: "v1.3.0-rc.1", Name: "1.3.0-rc.1", Published: d(5), Prerelease: true},
			{Tag: "v1.2.0", Name: "1.2.0", Published: d(30)},
			{Tag: "v1.1.0", Name: "1.1.0", Published: d(200)},
			{Tag: "v1.0.0", Name: "1.0.0", Published: d(500)},
		},
		Tags: []Tag{
			{Name: "v1.2.0", SHA: "c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"},
			{Name: "v1.1.0", SHA: "c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7"},
		},
		SecurityFile: "SECURITY.md",
		Users: []User{
			{Login: "alice", Name: "Alice", ID: 1}, {Login: "bob", Name: "Bob", ID: 2}, {Login: "carol", Name: "Carol", ID: 3},
			{Login: "erin", ID: 5}, {Login: "frank", ID: 6}, {Login: "grace", ID: 7}, {Login: "henry", ID: 8},
		},
	}
}
