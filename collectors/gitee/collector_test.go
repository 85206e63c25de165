package gitee_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
	"github.com/osgauge/osgauge/collectors/gitee"
	"github.com/osgauge/osgauge/collectors/gitee/giteefake"
	"github.com/osgauge/osgauge/models"
)

var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func ago(days float64) time.Time { return now.Add(-time.Duration(days * 24 * float64(time.Hour))) }

func ptr(t time.Time) *time.Time { return &t }

// scenario is one repository with a hand-computed history (see
// TestCollectMetrics for the arithmetic).
func scenario() forgetest.Scenario {
	c := func(sha, login, name, email string, days float64, parents int) forgetest.Commit {
		return forgetest.Commit{SHA: sha, Login: login, Name: name, Email: email, Parents: parents,
			Authored: ago(days), Committed: ago(days), Message: "change " + sha}
	}
	return forgetest.Scenario{
		Path: "acme/widget", DefaultBranch: "master", Description: "widgets",
		Created: ago(1000), Pushed: ago(1), Stars: 40, Forks: 5, Watchers: 7, License: "Apache-2.0",
		Commits: []forgetest.Commit{
			c("c01", "alice", "Alice Liu", "alice@acme.example", 1, 1),
			c("c02", "bob", "Bob", "bob@gmail.com", 3, 1),
			c("c03", "alice", "Alice Liu", "alice@acme.example", 5, 2), // merge
			c("c04", "", "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", 10, 1),
			c("c05", "alice", "Alice Liu", "alice@acme.example", 20, 1),
			c("c06", "", "Carol", "carol@acme.example", 40, 1),
			c("c07", "", "Carol", "carol@acme.example", 100, 1),
			c("c08", "bob", "Bob", "bob@gmail.com", 200, 1),
			c("c09", "alice", "Alice Liu", "alice@acme.example", 370, 1), // outside 52 weeks and 12 months
			c("c10", "dave", "Dave", "dave@old.example", 400, 1),
		},
		Issues: []forgetest.Issue{
			{N: 3, Author: "gina", Title: "no answer", Created: ago(10), Updated: ago(10)},
			{N: 1, Author: "erin", Title: "crash", Labels: []string{"bug"}, Created: ago(30), Updated: ago(20), Closed: ptr(ago(20)),
				Comments: []forgetest.Comment{{ID: 101, Author: "alice", At: ago(28), Body: "looking"}}},
			{N: 2, Author: "frank", Title: "question", Created: ago(60), Updated: ago(56),
				Comments: []forgetest.Comment{{ID: 201, Author: "frank", At: ago(59), Body: "more detail"},
					{ID: 202, Author: "alice", At: ago(56), Body: "answer"}}},
			{N: 4, Author: "erin", Title: "old", Created: ago(200), Updated: ago(150), Closed: ptr(ago(150))},
		},
		Changes: []forgetest.Change{
			{N: 3, Author: "ivan", Title: "open", Created: ago(15), Updated: ago(15)},
			{N: 2, Author: "henry", Title: "closed", Created: ago(40), Updated: ago(30), Closed: ptr(ago(30)),
				Reviews: []forgetest.Comment{{ID: 302, Author: "alice", At: ago(37), Body: "nit"}}},
			{N: 1, Author: "bob", Title: "merged", Created: ago(50), Updated: ago(48), Merged: ptr(ago(48)),
				Comments: []forgetest.Comment{{ID: 301, Author: "alice", At: ago(49), Body: "lgtm"}}},
			{N: 4, Author: "bob", Title: "old merged", Created: ago(300), Updated: ago(299), Merged: ptr(ago(299))},
		},
		Releases: []forgetest.Release{
			{Tag: "v1.3.0", Published: ago(5), Prerelease: true}, // flagged only: the name reads as a release
			{Tag: "v1.2.0", Published: ago(10)}, {Tag: "v1.1.0", Published: ago(100)}, {Tag: "v1.0.0", Published: ago(400)},
		},
		SecurityFile: ".gitee/SECURITY.md",
		Users: []forgetest.User{
			{Login: "alice", Name: "Alice Liu", Company: "Acme Inc.", ID: 1},
			{Login: "bob", Name: "Bob", ID: 2},
		},
	}
}

type env struct {
	srv      *giteefake.Server
	c        *gitee.Collector
	cache    *forge.MemCache
	mu       sync.Mutex
	notified []string
	slept    []time.Duration
}

func newEnv(t *testing.T, kind string, sc forgetest.Scenario, token string, opts ...giteefake.Option) *env {
	t.Helper()
	e := &env{cache: forge.NewMemCache()}
	e.srv = giteefake.New(kind, sc, opts...)
	t.Cleanup(e.srv.Close)
	c, err := gitee.New(gitee.Options{Kind: kind, APIURL: e.srv.APIURL(), WebHost: e.srv.WebHost(), Token: token,
		Cache: e.cache, Now: func() time.Time { return now },
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			e.slept = append(e.slept, d)
			e.mu.Unlock()
			return ctx.Err()
		},
		Notify: func(s string) { e.mu.Lock(); e.notified = append(e.notified, s); e.mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

func (e *env) target(p string) collectors.Target {
	return collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "p:" + p}, Repo: e.srv.RepoURL(p)}
}

func (e *env) collect(t *testing.T, p string) (map[string]models.Observation, collectors.Cost) {
	t.Helper()
	obs, cost, err := e.c.Collect(context.Background(), e.target(p))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]models.Observation{}
	for _, o := range obs {
		m[o.Metric] = o
	}
	return m, cost
}

func num(t *testing.T, m map[string]models.Observation, metric string) float64 {
	t.Helper()
	o, ok := m[metric]
	if !ok {
		t.Fatalf("%s missing", metric)
	}
	if o.Value == nil {
		t.Fatalf("%s has no value: %s", metric, o.Reason)
	}
	return *o.Value
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

var kinds = []string{gitee.KindGitee, gitee.KindGitCode}

// TestCollectMetrics checks the metrics of the scenario, worked out by hand:
//
//   - commits_per_week: c01–c08 are authored within 52 weeks (364 days;
//     c09 is 370 days old); the merge c03 and the bot commit c04 are left
//     out → 6 / 52 = 0.115384…
//   - commits_12m 8, of which 1 merge (c03) and 1 bot (c04, dependabot[bot])
//     → 6 by people: alice c01 c05, bob c02 c08, carol c06 c07.
//   - authors_12m: @alice, @bob, carol@acme.example → 3.
//   - bus_factor_12m: 2+2+2 of 6; one author makes 2 (2·2 < 6), two make 4
//     (2·4 ≥ 6) → 2.
//   - organisations: alice's profile says "Acme Inc." → acme; carol's
//     domain acme.example joins acme; bob is on gmail, in the group of
//     independent authors → org_count 2 (acme, independent authors);
//     elephant: acme has 4 of 6 (2·4 ≥ 6) → 1.
//   - issue_first_response_days: issues opened in 180 days by people: #1
//     answered by alice after 2 days, #2 answered by alice after 4 days
//     (frank's own comment does not count), #3 unanswered for 10 days so far
//     → median(2, 4, 10) = 4. (#4 was opened 200 days ago.)
//   - issues_opened_180d 3; issues_closed_180d: #1 (20 days ago) and #4
//     (150 days ago) → 2.
//   - pull requests opened in 180 days: !1 (merged), !2 (closed), !3 (open)
//     → change_closure_ratio 2/3; change_first_response_days: !1 after 1 day
//     (comment), !2 after 3 days (diff comment), !3 unanswered 15 days →
//     median 3; change_merge_ratio 1/2.
//   - releases_12m: v1.2.0 (10 days) and v1.1.0 (100 days); v1.0.0 is 400
//     days old; v1.3.0 (5 days) is flagged a pre-release → 2.
//   - months_since_last_release: v1.2.0, 10 days → 10 / 30.4375 = 0.3285…
//   - security_policy: .gitee/SECURITY.md → true.
//   - bug_open_days: #1 labelled bug, open from 30 to 20 days ago → 10.
func TestCollectMetrics(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, scenario(), "")
			m, _ := e.collect(t, "acme/widget")
			for metric, want := range map[string]float64{
				forge.MetricCommitsPerWeek:      6.0 / 52,
				forge.MetricMonthsSinceRelease:  10 / 30.4375,
				forge.MetricCommits12m:          8,
				forge.MetricMerges12m:           1,
				forge.MetricAuthors12m:          3,
				forge.MetricBusFactor12m:        2,
				forge.MetricOrgCount12m:         2,
				forge.MetricElephantFactor12m:   1,
				forge.MetricIssueFirstResponse:  4,
				forge.MetricIssuesOpened180d:    3,
				forge.MetricIssuesClosed180d:    2,
				forge.MetricChangesOpened180d:   3,
				forge.MetricChangeClosureRatio:  2.0 / 3,
				forge.MetricChangeFirstResponse: 3,
				forge.MetricChangeMergeRatio:    0.5,
				forge.MetricReleases12m:         2,
				forge.MetricSecurityPolicy:      1,
				forge.MetricBugOpenDays:         10,
				forge.MetricStars:               40,
				forge.MetricForks:               5,
				forge.MetricWatchers:            7,
				forge.MetricAdoption:            50, // 40 + 2·5
				forge.MetricOpenIssues:          2,  // #2 and #3
				forge.MetricArchived:            0,
				forge.MetricMonthsSinceLastPush: 1 / 30.4375,
			} {
				if got := num(t, m, metric); !near(got, want) {
					t.Errorf("%s = %v, want %v (%s)", metric, got, want, m[metric].Evidence)
				}
			}
			if got := m[forge.MetricLicenseSPDX].Text; got != "Apache-2.0" {
				t.Errorf("licence %q", got)
			}
			if got := m[forge.MetricOwnerType].Text; got != "Organization" {
				t.Errorf("owner type %q", got)
			}
			if o := m[forge.MetricAdvisoriesPublished]; o.Value != nil || !strings.Contains(o.Reason, "no repository security advisories") {
				t.Errorf("advisories: %+v", o)
			}
			var list []forge.Contributor
			if err := json.Unmarshal([]byte(m[forge.MetricContributors12m].Text), &list); err != nil {
				t.Fatal(err)
			}
			if len(list) != 3 || list[0].Company == "" && list[0].Login == "alice" {
				t.Errorf("contributors: %+v", list)
			}
			for _, o := range m {
				if o.Source != kind {
					t.Errorf("%s source %q", o.Metric, o.Source)
				}
			}
			wantForge := map[string]string{"gitee": "Gitee", "gitcode": "GitCode"}[kind]
			if ev := m[forge.MetricStars].Evidence; ev != e.srv.RepoURL("acme/widget")+"/stargazers" {
				t.Errorf("stars evidence %q", ev)
			}
			if ev := m[forge.MetricArchived].Evidence; !strings.Contains(ev, wantForge+" API "+e.srv.APIURL()+"/repos/acme/widget") {
				t.Errorf("metadata evidence %q", ev)
			}
			if ev := m[forge.MetricSecurityPolicy].Evidence; ev != e.srv.RepoURL("acme/widget")+"/blob/master/.gitee/SECURITY.md" {
				t.Errorf("security evidence %q", ev)
			}
		})
	}
}

// TestRequestCounts: the first collection of the scenario costs 14 requests:
// repository 1, commits 1, profiles 2 (alice, bob: carol has no account),
// releases 1, issues 1, pull requests 1, comments 5 (issues #1 and #2; #3
// has none, so it is not asked; pull requests !1 !2 !3, whose comment
// counts the API does not give), trees 2 (root, .gitee). An unchanged
// second collection on the same cache costs 7, all 304s: repository,
// commits, releases, issues, pull requests and the two trees; profiles come
// from the state and no item changed, so no comments are read.
func TestRequestCounts(t *testing.T) {
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, scenario(), "tok-"+kind)
			first, cost1 := e.collect(t, "acme/widget")
			if cost1.Requests != 14 || cost1.NotModified != 0 || e.srv.Total() != 14 {
				t.Errorf("first run: %+v, server saw %d: %v", cost1, e.srv.Total(), e.srv.Log())
			}
			e.srv.Reset()
			second, cost2 := e.collect(t, "acme/widget")
			if cost2.Requests != 7 || cost2.NotModified != 7 || e.srv.NotModified() != 7 {
				t.Errorf("second run: %+v, server saw %d: %v", cost2, e.srv.Total(), e.srv.Log())
			}
			for metric, o := range first {
				a, b := o, second[metric]
				if (a.Value == nil) != (b.Value == nil) || (a.Value != nil && *a.Value != *b.Value) || a.Text != b.Text || a.Evidence != b.Evidence {
					t.Errorf("%s changed on an unchanged second run: %+v → %+v", metric, a, b)
				}
			}
			if tot := e.c.Totals(); tot.Requests != 21 {
				t.Errorf("totals %+v", tot)
			}
		})
	}
}

// TestPagination serves pages of 2 entries: the collector follows total_page
// (and, with WithLinkHeaders, Link rel="next") and measures the same.
// Commits: c01…c10 in pages of 2; page 5 (c09, c10) reaches beyond 12
// months, so 5 pages are read. Issues and pull requests: 4 each → 2 pages
// each. Releases: 3 → 2 pages.
func TestPagination(t *testing.T) {
	for _, kind := range kinds {
		for _, link := range []bool{false, true} {
			name := kind
			opts := []giteefake.Option{giteefake.WithPageSize(2)}
			if link {
				name += "/link"
				opts = append(opts, giteefake.WithLinkHeaders())
			}
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, kind, scenario(), "", opts...)
				m, _ := e.collect(t, "acme/widget")
				if got := num(t, m, forge.MetricCommits12m); got != 8 {
					t.Errorf("commits_12m %v", got)
				}
				if got := num(t, m, forge.MetricIssueFirstResponse); got != 4 {
					t.Errorf("issue first response %v", got)
				}
				if got := num(t, m, forge.MetricChangeClosureRatio); !near(got, 2.0/3) {
					t.Errorf("closure ratio %v", got)
				}
				if got := num(t, m, forge.MetricReleases12m); got != 2 {
					t.Errorf("releases %v", got)
				}
				req := e.srv.Requests()
				for p, want := range map[string]int{
					"/repos/acme/widget/commits": 5, "/repos/acme/widget/issues": 2,
					"/repos/acme/widget/pulls": 2, "/repos/acme/widget/releases": 2,
				} {
					if req[p] != want {
						t.Errorf("%s read %d times, want %d", p, req[p], want)
					}
				}
			})
		}
	}
}

// TestTokenCanary: a distinctive token reaches the fake where each forge
// takes it (Gitee: access_token; GitCode: PRIVATE-TOKEN) and nowhere else:
// not in errors, observations, evidence, cache keys or Notify messages.
func TestTokenCanary(t *testing.T) {
	const canary = "CANARY-t0ken-5ecret-9f8e7d"
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, kind, scenario(), canary, giteefake.With429(1), giteefake.With403Limit(1))
			obs, _, err := e.c.Collect(context.Background(), e.target("acme/widget"))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err404 := e.c.Collect(context.Background(), e.target("acme/missing"))
			if err404 == nil {
				t.Fatal("no error for a missing repository")
			}
			b, _ := json.Marshal(obs)
			check := func(what, s string) {
				if strings.Contains(s, canary) || strings.Contains(s, "CANARY") {
					t.Errorf("token in %s: %s", what, s)
				}
			}
			check("observations", string(b))
			check("error", err404.Error())
			for _, k := range e.cache.Keys() {
				check("cache key", k)
			}
			e.mu.Lock()
			check("notify", strings.Join(e.notified, "\n"))
			if len(e.notified) == 0 {
				t.Error("no Notify message for the rate limits")
			}
			e.mu.Unlock()
			q, h := e.srv.QueryTokens(), e.srv.HeaderTokens()
			switch kind {
			case gitee.KindGitee:
				if len(q) != 1 || q[0] != canary || len(h) != 0 {
					t.Errorf("gitee: query tokens %v, header tokens %v", q, h)
				}
			case gitee.KindGitCode:
				if len(h) != 1 || h[0] != canary || len(q) != 0 {
					t.Errorf("gitcode: query tokens %v, header tokens %v", q, h)
				}
			}
		})
	}
}

// TestNotFound: a missing repository is a clear error naming it.
func TestNotFound(t *testing.T) {
	for _, kind := range kinds {
		e := newEnv(t, kind, scenario(), "")
		_, _, err := e.c.Collect(context.Background(), e.target("acme/missing"))
		if err == nil {
			t.Fatal("no error")
		}
		for _, want := range []string{kind + ": acme/missing", "not found", "HTTP 404"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: error %q lacks %q", kind, err, want)
			}
		}
	}
}

// TestRateLimits: a 429 with Retry-After (the Transport) and a 403 whose
// message says the limit is spent (the collector) are waited out.
func TestRateLimits(t *testing.T) {
	e := newEnv(t, gitee.KindGitee, scenario(), "", giteefake.With403Limit(2))
	m, cost := e.collect(t, "acme/widget")
	if num(t, m, forge.MetricCommits12m) != 8 {
		t.Error("metrics wrong after waits")
	}
	if cost.Requests != 16 {
		t.Errorf("cost %+v, want 14 + 2 refused", cost)
	}
	if len(e.slept) != 2 || e.slept[0] != time.Minute || e.slept[1] != 2*time.Minute {
		t.Errorf("slept %v", e.slept)
	}

	e = newEnv(t, gitee.KindGitCode, scenario(), "", giteefake.With403Limit(10))
	_, _, err := e.c.Collect(context.Background(), e.target("acme/widget"))
	if err == nil || !strings.Contains(err.Error(), "rate limit") || !strings.Contains(err.Error(), "acme/widget") {
		t.Errorf("persistent 403: %v", err)
	}
}

func TestApplies(t *testing.T) {
	c, err := gitee.New(gitee.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "gitee" || c.BaseURL() != gitee.DefaultGiteeAPI || c.WebHost() != "gitee.com" || c.Needs().Token || !c.Needs().Network {
		t.Errorf("defaults: %s %s %s %+v", c.Name(), c.BaseURL(), c.WebHost(), c.Needs())
	}
	gc, err := gitee.New(gitee.Options{Kind: "GitCode"})
	if err != nil {
		t.Fatal(err)
	}
	if gc.Name() != "gitcode" || gc.WebHost() != "gitcode.com" || gc.BaseURL() != gitee.DefaultGitCodeAPI {
		t.Errorf("gitcode defaults: %s %s %s", gc.Name(), gc.WebHost(), gc.BaseURL())
	}
	own, _ := gitee.New(gitee.Options{APIURL: "https://api.code.bank.example/api/v5/"})
	if own.WebHost() != "code.bank.example" {
		t.Errorf("web host %q", own.WebHost())
	}
	for _, tc := range []struct {
		c      *gitee.Collector
		repo   string
		ok     bool
		reason string
	}{
		{c, "https://gitee.com/openharmony/docs", true, ""},
		{c, "https://gitee.com:443/openharmony/docs.git", true, ""},
		{c, "git@gitee.com:openharmony/docs.git", true, ""},
		{c, "https://github.com/openharmony/docs", false, ""},
		{c, "https://gitcode.com/openharmony/docs", false, ""},
		{gc, "https://gitcode.com/openharmony/docs", true, ""},
		{c, "https://gitee.com/openharmony", false, "not a repository URL"},
		{c, "", false, "no repo URL"},
		{own, "https://code.bank.example/team/app", true, ""},
	} {
		ok, reason := tc.c.Applies(collectors.Target{Subject: models.Subject{Kind: models.KindProject}, Repo: tc.repo})
		if ok != tc.ok || (tc.reason == "" && reason != "") || !strings.Contains(reason, tc.reason) {
			t.Errorf("Applies(%q) = %v, %q", tc.repo, ok, reason)
		}
	}
	if _, err := gitee.New(gitee.Options{Kind: "gitlab"}); err == nil {
		t.Error("kind gitlab accepted")
	}
	if _, err := gitee.New(gitee.Options{APIURL: "ftp://x"}); err == nil {
		t.Error("ftp API accepted")
	}
}

// TestIncremental: a new commit and a new comment on an open issue are read
// on the next run, with the rest answered from the cache.
func TestIncremental(t *testing.T) {
	e := newEnv(t, gitee.KindGitee, scenario(), "")
	e.collect(t, "acme/widget")
	sc := scenario()
	sc.Commits = append([]forgetest.Commit{{SHA: "c00", Login: "bob", Name: "Bob", Email: "bob@gmail.com", Parents: 1,
		Authored: ago(0.5), Committed: ago(0.5)}}, sc.Commits...)
	sc.Issues[0].Comments = []forgetest.Comment{{ID: 401, Author: "alice", At: ago(1), Body: "on it"}}
	sc.Issues[0].Updated = ago(1)
	e.srv.SetScenario(sc)
	e.srv.Reset()
	m, cost := e.collect(t, "acme/widget")
	// #3 is now answered after 9 days: median(2, 4, 9) = 4 still; 9 commits
	// in 12 months, 7 by people.
	if got := num(t, m, forge.MetricCommits12m); got != 9 {
		t.Errorf("commits_12m %v", got)
	}
	// 7 requests as before, of which commits and issues changed (200), plus
	// #3's comments.
	if cost.Requests != 8 || cost.NotModified != 5 {
		t.Errorf("cost %+v: %v", cost, e.srv.Log())
	}
	if e.srv.Requests()["/repos/acme/widget/issues/"+e.srv.IssueNumber(3).(string)+"/comments"] != 1 {
		t.Errorf("comments of #3 not read: %v", e.srv.Log())
	}
}

// TestTagsWhenNoReleases: without releases, tags count by their commit's
// date: v1 on c05 (20 days ago) counts, v0 on c10 (400 days) does not, and
// "zzz" names a commit the API cannot find (looked up once, 404): undated.
func TestTagsWhenNoReleases(t *testing.T) {
	sc := scenario()
	sc.Releases = nil
	sc.Tags = []forgetest.Tag{{Name: "v1", SHA: "c05"}, {Name: "v0", SHA: "c10"}, {Name: "lost", SHA: "zzz"}}
	e := newEnv(t, gitee.KindGitee, sc, "")
	m, _ := e.collect(t, "acme/widget")
	if got := num(t, m, forge.MetricReleases12m); got != 1 {
		t.Errorf("releases_12m %v", got)
	}
	if ev := m[forge.MetricReleases12m].Evidence; !strings.Contains(ev, "/tags") || !strings.Contains(ev, "1 not dated yet") {
		t.Errorf("evidence %q", ev)
	}
	if e.srv.Requests()["/repos/acme/widget/commits/zzz"] != 1 {
		t.Errorf("undated tag not looked up: %v", e.srv.Log())
	}
}

// TestEmptyAndIssuesOff: a repository without commits (the commits list
// answers 404) leaves commit metrics inconclusive; one whose issues list
// answers 404 leaves the issue and pull-request metrics inconclusive.
func TestEmptyAndIssuesOff(t *testing.T) {
	sc := scenario()
	sc.Commits, sc.Tags, sc.Releases = nil, nil, nil
	e := newEnv(t, gitee.KindGitee, sc, "")
	m, _ := e.collect(t, "acme/widget")
	for _, metric := range []string{forge.MetricCommitsPerWeek, forge.MetricAuthors12m, forge.MetricSecurityPolicy} {
		if o := m[metric]; o.Value != nil || o.Reason == "" {
			t.Errorf("%s: %+v", metric, o)
		}
	}

	e = newEnv(t, gitee.KindGitee, scenario(), "")
	e.srv.DisableIssues("acme/widget")
	m, _ = e.collect(t, "acme/widget")
	for _, metric := range []string{forge.MetricIssueFirstResponse, forge.MetricChangeClosureRatio} {
		if o := m[metric]; o.Value != nil || !strings.Contains(o.Reason, "HTTP 404") {
			t.Errorf("%s: %+v", metric, o)
		}
	}
	if num(t, m, forge.MetricCommits12m) != 8 {
		t.Error("commits lost")
	}
}
