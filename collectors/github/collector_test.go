package github

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/osgauge/osgauge/collectors/forge"
	"math"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

const testToken = "ghp_TESTsecretTOKEN0123456789abcdef"

var testNow = time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)

var _ Cache = (*store.Store)(nil)

// ago is testNow minus n days.
func ago(n float64) time.Time { return testNow.Add(-time.Duration(n * float64(24*time.Hour))) }

func tp(t time.Time) *time.Time { return &t }

// widget is a repository whose history the test defines; the expected
// metrics in TestCollectMetrics are worked out from it by hand.
func widget(f *fakeGitHub, full string) *fakeRepo {
	x := &fixture{api: f.srv.URL + apiPrefix, web: f.srv.URL, full: full}
	f.mu.Lock()
	for _, u := range []struct{ login, name, company string }{
		{"alice", "Alice Example", ""},
		{"bob", "Bob B", "@BigCorp Inc."},
		{"dave", "", ""},
		{"frank", "Frank", "Frank Ltd"},
		{"gina", "Gina", ""},
	} {
		m := userJSON(x.api, u.login, "User", 1000+len(u.login))
		m["name"], m["company"], m["blog"], m["location"], m["email"] = u.name, u.company, "", "Earth", nil
		m["public_repos"], m["followers"], m["created_at"] = 3, 1, iso(ago(3000))
		if u.company == "" {
			m["company"] = nil
		}
		f.users[u.login] = m
	}
	f.mu.Unlock()
	bot := "dependabot[bot]"
	botMail := "49699333+dependabot[bot]@users.noreply.github.com"
	r := &fakeRepo{
		meta: x.meta(ago(2000), ago(15), 100, 20),
		commits: []map[string]any{ // newest first
			x.commit("c01", bot, "dependabot[bot]", botMail, ago(1), ago(1)),
			x.commit("c02", "alice", "Alice", "Alice@Acme.com", ago(2), ago(2)),
			x.commit("c03", "bob", "Bob", "bob@gmail.com", ago(5), ago(5)),
			x.commit("c04", "dave", "Dave", "dave@users.noreply.github.com", ago(8), ago(8)),
			x.commit("c05", "alice", "Alice", "alice@acme.com", ago(15), ago(15)),
			x.commit("c06", "", "Carol", "carol@bigcorp.com", ago(20), ago(20)),
			x.commit("c07", "bob", "Bob", "bob@gmail.com", ago(40), ago(40)),
			x.commit("c08", bot, "dependabot[bot]", botMail, ago(60), ago(60)),
			x.commit("c09", "alice", "Alice", "alice@acme.com", ago(90), ago(90)),
			x.commit("c10", "dave", "Dave", "dave@users.noreply.github.com", ago(120), ago(120)),
			x.commit("c11", "bob", "Bob", "bob@gmail.com", ago(200), ago(200)),
			x.commit("c12", "alice", "Alice", "alice@acme.com", ago(250), ago(250)),
			x.commit("c13", "bob", "Bob", "bob@gmail.com", ago(300), ago(300)),
			x.commit("c14", "alice", "Alice", "alice@acme.com", ago(364.5), ago(364.5)),
			x.commit("c15", "erin", "Erin", "erin@old.example", ago(400), ago(400)),
			x.commit("c16", "erin", "Erin", "erin@old.example", ago(500), ago(500)),
		},
		releases: []map[string]any{ // newest first
			x.release("v1.3.0-draft", ago(1), true),
			x.release("v1.2.0", ago(10), false),
			x.release("v1.1.0", ago(100), false),
			x.release("v1.0.0", ago(400), false),
		},
		issues: []map[string]any{
			x.issue(1, "u1", ago(10), ago(5), tp(ago(5)), nil, false, "bug"),
			x.issue(2, "u2", ago(20), ago(17), nil, nil, false, "kind/bug"),
			x.issue(3, "u3", ago(30), ago(25), tp(ago(25)), nil, false),
			x.issue(4, "u4", ago(4), ago(4), nil, nil, false, "Type: Bug"),
			x.issue(5, "u5", ago(200), ago(100), tp(ago(100)), nil, false),
			x.issue(6, "renovate[bot]", ago(2), ago(2), nil, nil, false),
			x.issue(10, "frank", ago(30), ago(28), tp(ago(28)), tp(ago(28)), true),
			x.issue(11, "alice", ago(20), ago(15), tp(ago(15)), nil, true),
			x.issue(12, "bob", ago(12), ago(9), tp(ago(9)), tp(ago(9)), true),
			x.issue(13, "gina", ago(6), ago(6), nil, nil, true),
			x.issue(14, bot, ago(3), ago(3), nil, nil, true),
			x.issue(15, "alice", ago(300), ago(250), tp(ago(250)), tp(ago(250)), true),
			x.issue(16, "frank", ago(400), ago(200), tp(ago(200)), tp(ago(200)), true),
			x.issue(17, "u7", ago(500), ago(450), tp(ago(450)), nil, false),
		},
		comments: []map[string]any{
			x.comment(1, "alice", ago(9), ago(9)),
			x.comment(2, "u2", ago(19), ago(19)),
			x.comment(2, bot, ago(18), ago(18)),
			x.comment(2, "bob", ago(17), ago(17)),
			x.comment(11, "bob", ago(18), ago(18)),
			x.comment(17, "alice", ago(460), ago(460)),
		},
		reviewComments: []map[string]any{x.reviewComment(10, "alice", ago(29.5))},
		reviews:        map[int][]map[string]any{},
		contents: map[string][]map[string]any{
			"":        {x.entry("", ".github", "dir"), x.entry("", "README.md", "file"), x.entry("", "docs", "dir"), x.entry("", "src", "dir")},
			".github": {x.entry(".github", "workflows", "dir"), x.entry(".github", "SECURITY.md", "file")},
			"docs":    {x.entry("docs", "index.md", "file")},
		},
		advisories: []map[string]any{
			{"ghsa_id": "GHSA-aaaa-bbbb-cccc", "cve_id": "CVE-2026-0001", "summary": "x", "severity": "high", "state": "published", "published_at": iso(ago(50))},
			{"ghsa_id": "GHSA-dddd-eeee-ffff", "cve_id": nil, "summary": "y", "severity": "low", "state": "published", "published_at": iso(ago(500))},
			{"ghsa_id": "GHSA-gggg-hhhh-iiii", "cve_id": nil, "summary": "z", "severity": "low", "state": "draft", "published_at": nil},
		},
	}
	r.reviews[12] = []map[string]any{x.review(12, "bob", "COMMENTED", ago(11.5)), x.review(12, "alice", "APPROVED", ago(11))}
	r.reviews[10] = []map[string]any{x.review(10, "alice", "APPROVED", ago(29))}
	return r
}

func target(f *fakeGitHub, full string) collectors.Target {
	return collectors.Target{
		Subject: models.Subject{Kind: models.KindProject, ID: "github.com/" + full, Name: full},
		Repo:    f.repoURL(full),
	}
}

type harness struct {
	f      *fakeGitHub
	clk    *fakeClock
	cache  *MemCache
	c      *Collector
	mu     sync.Mutex
	notice []string
}

func newHarness(t testing.TB, opts func(*Options)) *harness {
	h := &harness{clk: &fakeClock{t: testNow}, cache: NewMemCache()}
	h.f = newFake(t, testToken, h.clk.Now)
	o := Options{APIURL: h.f.apiURL(), Token: testToken, Cache: h.cache, Now: h.clk.Now, Sleep: h.clk.Sleep,
		Notify: func(s string) { h.mu.Lock(); h.notice = append(h.notice, s); h.mu.Unlock() }}
	if opts != nil {
		opts(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	return h
}

func byMetric(t *testing.T, obs []models.Observation) map[string]models.Observation {
	t.Helper()
	m := map[string]models.Observation{}
	for _, o := range obs {
		if _, dup := m[o.Metric]; dup {
			t.Fatalf("metric %s twice", o.Metric)
		}
		if o.Source != Source || o.SubjectID == "" || !o.ObservedAt.Equal(testNow) {
			t.Errorf("%s: provenance %q %q %v", o.Metric, o.Source, o.SubjectID, o.ObservedAt)
		}
		if o.Evidence == "" {
			t.Errorf("%s: no evidence", o.Metric)
		}
		if o.Value == nil && o.Text == "" && o.Reason == "" {
			t.Errorf("%s: no value and no reason", o.Metric)
		}
		m[o.Metric] = o
	}
	return m
}

func wantNum(t *testing.T, m map[string]models.Observation, metric string, want float64) {
	t.Helper()
	o, ok := m[metric]
	switch {
	case !ok:
		t.Errorf("%s missing", metric)
	case o.Value == nil:
		t.Errorf("%s = nil (%s), want %v", metric, o.Reason, want)
	case math.Abs(*o.Value-want) > 1e-9:
		t.Errorf("%s = %v, want %v (evidence %q)", metric, *o.Value, want, o.Evidence)
	}
}

func wantText(t *testing.T, m map[string]models.Observation, metric, want string) {
	t.Helper()
	if o := m[metric]; o.Text != want {
		t.Errorf("%s = %q, want %q", metric, o.Text, want)
	}
}

func TestCollectMetrics(t *testing.T) {
	h := newHarness(t, nil)
	h.f.pageSize = 5 // every list spans pages: Link pagination is followed
	h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
	obs, cost, err := h.c.Collect(context.Background(), target(h.f, "acme/widget"))
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)

	// Metadata, straight from GET /repos/acme/widget.
	wantNum(t, m, forge.MetricArchived, 0)
	wantNum(t, m, forge.MetricFork, 0)
	wantNum(t, m, forge.MetricDisabled, 0)
	wantNum(t, m, forge.MetricStars, 100)
	wantNum(t, m, forge.MetricForks, 20)
	wantNum(t, m, forge.MetricAdoption, 140) // 100 stars + 2 × 20 forks
	wantNum(t, m, forge.MetricWatchers, 7)   // subscribers_count, not the legacy watchers_count (= stars)
	wantNum(t, m, forge.MetricOpenIssues, 5)
	wantNum(t, m, forge.MetricCreatedDays, 2000)
	wantNum(t, m, forge.MetricMonthsSinceLastPush, 15/30.4375) // pushed 15 days ago ÷ 30.4375 days a month
	wantText(t, m, forge.MetricLicenseSPDX, "Apache-2.0")
	wantText(t, m, forge.MetricDefaultBranch, "main")
	wantText(t, m, forge.MetricOwnerType, "Organization")
	wantText(t, m, forge.MetricOwnerLogin, "acme")
	wantText(t, m, forge.MetricTopics, "banking,payments")
	wantText(t, m, forge.MetricHomepage, "https://widget.example")

	// Commits on main, newest first, five a page. In 12 months (365 days):
	// c01..c14 = 14 (c15 at 400 days is on page 3, which ends the walk);
	// c14 at 364.5 days is outside 52 weeks (364 days), so 52 weeks hold 13.
	wantNum(t, m, forge.MetricCommits12m, 14)
	// Commits per week counts people only: of those 13, the bot commits
	// c01 and c08 are left out (no merges) → 11 ÷ 52 = 0.2115…
	wantNum(t, m, forge.MetricCommitsPerWeek, 11.0/52)
	if ev := m[forge.MetricCommitsPerWeek].Evidence; !strings.Contains(ev, "11 commits by people authored since") ||
		!strings.Contains(ev, "excluding 0 merges and 2 bot commits; 13 commits in all") {
		t.Errorf("commits_per_week evidence %q", ev)
	}
	// People (bots c01, c08 left out): alice 5 (c02 c05 c09 c12 c14),
	// bob 4 (c03 c07 c11 c13), dave 2 (c04 c10), carol 1 (c06, no
	// account: keyed by e-mail) = 12 commits by 4 authors.
	wantNum(t, m, forge.MetricAuthors12m, 4)
	// Bus factor: 5 → 2·5 = 10 < 12; 5+4 = 9 → 18 ≥ 12: 2 authors.
	wantNum(t, m, forge.MetricBusFactor12m, 2)
	// Organisations: alice has no company → acme.com (e-mail domain);
	// bob's company "@BigCorp Inc." → "bigcorp"; carol's bigcorp.com joins
	// "bigcorp"; dave has no company and a no-reply address → the group of
	// independent authors. acme.com 5, bigcorp 4+1 = 5, independent
	// authors 2: 5 → 10 < 12, 10 → 20 ≥ 12.
	wantNum(t, m, forge.MetricElephantFactor12m, 2)
	wantNum(t, m, forge.MetricOrgCount12m, 3) // acme.com, bigcorp, independent authors
	if ev := m[forge.MetricOrgCount12m].Evidence; !strings.Contains(ev, "acme.com, bigcorp, independent authors") ||
		!strings.Contains(ev, "1 independent author without a company and on public mail, no-reply or local addresses made 2 commits") {
		t.Errorf("org evidence %q", ev)
	}

	// Releases: the draft does not count; v1.2.0 (10 days) and v1.1.0 (100
	// days) are in 12 months, v1.0.0 (400 days) is not.
	wantNum(t, m, forge.MetricReleases12m, 2)
	// The newest release is v1.2.0, published 10 days ago: 10 ÷ 30.4375.
	wantNum(t, m, forge.MetricMonthsSinceRelease, 10/30.4375)

	// Issues opened in 180 days: #1 #2 #3 #4 #6 = 5. Closed in 180 days:
	// #1 (5 days ago), #3 (25), #5 (100; opened 200 days ago) = 3.
	wantNum(t, m, forge.MetricIssuesOpened180d, 5)
	wantNum(t, m, forge.MetricIssuesClosed180d, 3)
	// First response, issues by people (#6 is by a bot):
	//   #1 opened 10 days ago, alice answered 9 days ago      → 1
	//   #2 opened 20: its author (u2) and a bot do not count;
	//      bob answered 17 days ago                           → 3
	//   #3 opened 30, never answered, closed 25 days ago      → 5
	//   #4 opened 4, never answered, open                     → 4 (so far)
	// median(1, 3, 4, 5) = (3 + 4) / 2 = 3.5
	wantNum(t, m, forge.MetricIssueFirstResponse, 3.5)
	// Bugs opened in 180 days: #1 (bug) open 10−5 = 5 days, #2 (kind/bug)
	// open for 20 days, #4 (Type: Bug) open for 4 days: median(4, 5, 20) = 5.
	wantNum(t, m, forge.MetricBugOpenDays, 5)

	// Pull requests opened in 180 days: #10 #11 #12 #13 #14 = 5.
	wantNum(t, m, forge.MetricChangesOpened180d, 5)
	// First response (the bot's #14 left out):
	//   #10 opened 30 days ago, alice's diff comment at 29.5        → 0.5
	//   #11 opened 20 (by alice), bob commented at 18               → 2
	//   #12 opened 12 (by bob); bob's own review does not count,
	//       alice approved at 11 (a review without any comment)     → 1
	//   #13 opened 6, never answered, open                          → 6
	// median(0.5, 1, 2, 6) = (1 + 2) / 2 = 1.5
	wantNum(t, m, forge.MetricChangeFirstResponse, 1.5)
	// Closed or merged of opened: #10 (merged), #11 (closed), #12 (merged)
	// = 3 of 5 = 0.6. Merged of closed: 2 of 3. Days to merge: #10 30−28 = 2,
	// #12 12−9 = 3; median 2.5.
	wantNum(t, m, forge.MetricChangeClosureRatio, 0.6)
	wantNum(t, m, forge.MetricChangeMergeRatio, 2.0/3)
	wantNum(t, m, forge.MetricChangeMergeDays, 2.5)

	// Security: .github/SECURITY.md; 2 published advisories (the draft not).
	wantNum(t, m, forge.MetricSecurityPolicy, 1)
	if ev := m[forge.MetricSecurityPolicy].Evidence; !strings.HasSuffix(ev, "/acme/widget/blob/main/.github/SECURITY.md") {
		t.Errorf("security policy evidence %q", ev)
	}
	wantNum(t, m, forge.MetricAdvisoriesPublished, 2)

	// Contributors: commit authors plus authors of pull requests merged in
	// 12 months (frank: #10 28 days ago and #16 200 days ago; alice #15;
	// bob #12), most commits first.
	wantNum(t, m, forge.MetricContributors12m, 5)
	var list []forge.Contributor
	if err := json.Unmarshal([]byte(m[forge.MetricContributors12m].Text), &list); err != nil {
		t.Fatalf("contributors JSON: %v in %q", err, m[forge.MetricContributors12m].Text)
	}
	want := []forge.Contributor{
		{Login: "alice", Name: "Alice Example", EmailDomain: "acme.com", Commits: 5, MergedPRs: 1},
		{Login: "bob", Name: "Bob B", EmailDomain: "gmail.com", Company: "@BigCorp Inc.", Commits: 4, MergedPRs: 1},
		{Login: "dave", Name: "Dave", EmailDomain: "users.noreply.github.com", Commits: 2},
		{Name: "Carol", EmailDomain: "bigcorp.com", Commits: 1},
		{Login: "frank", MergedPRs: 2},
	}
	if fmt.Sprint(list) != fmt.Sprint(want) {
		t.Errorf("contributors\n got %+v\nwant %+v", list, want)
	}
	if !strings.Contains(m[forge.MetricContributors12m].Text, `"login":"alice","name":"Alice Example","email_domain":"acme.com","company":"","commits":5,"merged_prs":1`) {
		t.Errorf("contributors JSON field names: %s", m[forge.MetricContributors12m].Text)
	}

	// Cost: repo 1, commits 3 pages, users 3 (alice, bob, dave), releases 1,
	// issues 3 pages (the third reaches items updated before 12 months),
	// issue comments 2 pages, review comments 1, reviews of the pull requests
	// no comment answered (#12 #13 #14) 3, contents 2 (root, .github),
	// advisories 1 = 20, none a 304.
	if cost.Requests != 20 || cost.NotModified != 0 || cost.Retries != 0 {
		t.Errorf("cost = %+v, want 20 requests", cost)
	}
	if cost.RateRemaining != 5000-20 {
		t.Errorf("rate remaining = %d, want %d", cost.RateRemaining, 5000-20)
	}
	if h.f.statsHits != 0 {
		t.Errorf("statistics endpoints called %d times; they answer 202 and are not used", h.f.statsHits)
	}
	for _, l := range h.f.log {
		if strings.Contains(l, "since=") {
			t.Errorf("a list URL carries since= (it would change every run and never be a 304): %s", l)
		}
	}
}

// TestUnchangedRefresh: a second collection of N unchanged projects spends
// at most one non-304 request per project (here none), and a change is
// read incrementally.
func TestUnchangedRefresh(t *testing.T) {
	const n = 5
	h := newHarness(t, nil)
	h.f.pageSize = 5
	var names []string
	for i := range n {
		full := fmt.Sprintf("acme/widget%d", i)
		names = append(names, full)
		h.f.setRepo(full, widget(h.f, full))
	}
	results := map[string][]string{} // observations of each collection, as JSON
	collectAll := func() map[string]collectors.Cost {
		costs := map[string]collectors.Cost{}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for _, full := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				obs, cost, err := h.c.Collect(context.Background(), target(h.f, full))
				if err != nil {
					t.Error(err)
				}
				b, _ := json.Marshal(obs)
				mu.Lock()
				results[full] = append(results[full], string(b))
				costs[full] = cost
				mu.Unlock()
			}()
		}
		wg.Wait()
		return costs
	}
	first := collectAll()
	h.f.resetHits()
	second := collectAll()
	for _, full := range names {
		got := h.f.hitsFor(full)
		if got.changed() > 1 {
			t.Errorf("%s: refresh made %d non-304 requests (%d in all): %v", full, got.changed(), got.all, h.f.log)
		}
		c := second[full]
		if c.Requests-c.NotModified != got.changed() || c.Requests != got.all {
			t.Errorf("%s: cost %+v disagrees with the server's count %+v", full, c, got)
		}
		// 20 as in TestCollectMetrics, less the user profiles another
		// project fetched first (they are shared by the host).
		if r := first[full].Requests; r < 20-3 || r > 20 {
			t.Errorf("%s: first collection cost %+v", full, first[full])
		}
		if r := results[full]; len(r) != 2 || r[0] != r[1] {
			t.Errorf("%s: the refresh (from 304s and the state) observed something else than the first collection", full)
		}
		t.Logf("%s: first %d requests; refresh %d requests, %d of them 304", full, first[full].Requests, c.Requests, c.NotModified)
	}
	if u := h.f.hitsFor(""); u.all != 0 {
		t.Errorf("refresh fetched user profiles again: %+v", u)
	}
}

// TestIncremental: after a change, only the newest pages are read and the
// new items are merged with what the last run saw.
func TestIncremental(t *testing.T) {
	h := newHarness(t, nil)
	h.f.pageSize = 5
	r := widget(h.f, "acme/widget")
	h.f.setRepo("acme/widget", r)
	tg := target(h.f, "acme/widget")
	if _, _, err := h.c.Collect(context.Background(), tg); err != nil {
		t.Fatal(err)
	}
	x := &fixture{api: h.f.srv.URL + apiPrefix, web: h.f.srv.URL, full: "acme/widget", ids: 900}
	h.f.mu.Lock()
	r.commits = append([]map[string]any{x.commit("c00", "alice", "Alice", "alice@acme.com", ago(0.5), ago(0.5))}, r.commits...)
	r.comments = append(r.comments, x.comment(4, "bob", ago(1), ago(1)))
	for _, it := range r.issues {
		if it["number"] == 4 {
			it["updated_at"] = iso(ago(1))
		}
	}
	h.f.mu.Unlock()
	h.f.resetHits()
	obs, cost, err := h.c.Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	wantNum(t, m, forge.MetricCommits12m, 15) // 14 + c00
	wantNum(t, m, forge.MetricAuthors12m, 4)
	// #4 is now answered by bob 1 day ago, 3 days after it was opened:
	// median(1, 3, 3, 5) = 3.
	wantNum(t, m, forge.MetricIssueFirstResponse, 3)
	wantNum(t, m, forge.MetricChangeFirstResponse, 1.5) // unchanged, from the state
	wantNum(t, m, forge.MetricBugOpenDays, 5)           // #4 still open 4 days
	// The first page of commits, issues and issue comments changed (3
	// requests, each stopping at what the last run saw); everything else
	// answered 304.
	if changed := cost.Requests - cost.NotModified; changed != 3 {
		t.Errorf("incremental run made %d non-304 requests, want 3: %v", changed, h.f.log)
	}
}

func TestErrorsNameTheRepoAndOthersGoOn(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Concurrency = 2 })
	h.f.delay = 2 * time.Millisecond
	good := []string{"acme/a", "acme/b", "acme/c", "acme/d"}
	for _, full := range good {
		h.f.setRepo(full, widget(h.f, full))
	}
	h.f.setRepo("acme/down", &fakeRepo{status: http.StatusBadGateway})
	h.f.setRepo("acme/broken", &fakeRepo{malformed: true, meta: map[string]any{}})
	// acme/gone is not on the server at all: 404.
	all := append([]string{"acme/gone", "acme/down", "acme/broken"}, good...)
	errs := make(map[string]error)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, full := range all {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obs, _, err := h.c.Collect(context.Background(), target(h.f, full))
			mu.Lock()
			defer mu.Unlock()
			errs[full] = err
			if err == nil && len(obs) == 0 {
				t.Errorf("%s: no observations", full)
			}
		}()
	}
	wg.Wait()
	for _, full := range good {
		if errs[full] != nil {
			t.Errorf("%s failed: %v", full, errs[full])
		}
	}
	for full, want := range map[string]string{
		"acme/gone":   "not found",
		"acme/down":   "HTTP 502",
		"acme/broken": "repository",
	} {
		err := errs[full]
		if err == nil || !strings.Contains(err.Error(), full) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming the repository and %q", full, err, want)
		}
	}
	// The 502 was retried 4 times with back-off: 1 s, 2 s, 4 s, 8 s (±25%).
	if got := h.f.hitsFor("acme/down").all; got != 5 {
		t.Errorf("acme/down: %d requests, want 1 + 4 retries", got)
	}
	if h.f.maxInflight > 2 {
		t.Errorf("%d requests in flight at once; concurrency is 2", h.f.maxInflight)
	}
}

// TestTokenNeverLeaks scans every place the token could end up.
func TestTokenNeverLeaks(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.Concurrency = 3 })
	h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
	h.f.setRepo("acme/down", &fakeRepo{status: http.StatusInternalServerError})
	calls := 0
	h.f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		h.f.mu.Lock()
		calls++
		n := calls
		h.f.mu.Unlock()
		if n == 2 { // one secondary limit, echoing the request's header back as GitHub never would
			w.Header().Set("Retry-After", "61")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message":"You have exceeded a secondary rate limit (%s)","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`, r.Header.Get("Authorization"))
			return true
		}
		return false
	}
	var texts []string
	for _, full := range []string{"acme/widget", "acme/down", "acme/gone"} {
		obs, _, err := h.c.Collect(context.Background(), target(h.f, full))
		if err != nil {
			texts = append(texts, err.Error())
		}
		b, _ := json.Marshal(obs)
		texts = append(texts, string(b))
	}
	if len(texts) < 4 {
		t.Fatalf("expected errors from acme/down and acme/gone: %v", texts)
	}
	texts = append(texts, h.notice...)
	for _, k := range h.cache.Keys() {
		e, _, _ := h.cache.CacheGet(context.Background(), k)
		texts = append(texts, k, e.ETag, string(e.Body))
	}
	for _, s := range texts {
		if strings.Contains(s, testToken) || strings.Contains(s, testToken[4:20]) {
			t.Fatalf("token leaked: %q", s)
		}
	}
	if !h.f.auth["Bearer "+testToken] || h.f.auth[""] {
		t.Errorf("server saw Authorization headers %v", h.f.auth)
	}
	if len(h.notice) == 0 {
		t.Error("no notices")
	}
}

// TestEnterpriseURLs: an Enterprise-style api_url, with or without
// /api/v3/, and the hosts each API serves.
func TestEnterpriseURLs(t *testing.T) {
	h := newHarness(t, nil)
	h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
	for _, api := range []string{h.f.srv.URL + "/api/v3/", h.f.srv.URL + "/api/v3", h.f.srv.URL + "/"} {
		c, err := New(Options{APIURL: api, Token: testToken, Now: h.clk.Now, Sleep: h.clk.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		if c.BaseURL() != h.f.srv.URL+"/api/v3/" {
			t.Errorf("%s: base URL %s", api, c.BaseURL())
		}
		obs, _, err := c.Collect(context.Background(), target(h.f, "acme/widget"))
		if err != nil {
			t.Fatalf("%s: %v", api, err)
		}
		wantNum(t, byMetric(t, obs), forge.MetricAdoption, 140)
	}

	cases := []struct {
		api, repo, token string
		ok               bool
		reason           string
	}{
		{"", "https://github.com/karmada-io/karmada", "t", true, ""},
		{"https://api.github.com", "git@github.com:karmada-io/karmada.git", "t", true, ""},
		// Another host is another forge's project: not for this collector,
		// and nothing to report (the config maps every host to a forge).
		{"", "https://ghe.bank.internal/o/r", "t", false, ""},
		{"https://ghe.bank.internal/api/v3/", "https://ghe.bank.internal/o/r.git", "t", true, ""},
		{"https://ghe.bank.internal/api/v3/", "https://github.com/o/r", "t", false, ""},
		{"", "", "t", false, "no repo URL"},
		{"", "https://github.com/o", "t", false, "not a repository URL"},
		{"", "https://github.com/o/r", "", false, "no GitHub token: set the variable named by github.token_env"},
	}
	for _, tc := range cases {
		c, err := New(Options{APIURL: tc.api, Token: tc.token})
		if err != nil {
			t.Fatal(err)
		}
		ok, reason := c.Applies(collectors.Target{Repo: tc.repo})
		if ok != tc.ok || (tc.reason == "" && reason != "") || !strings.Contains(reason, tc.reason) {
			t.Errorf("Applies(%q) with api %q = %v %q, want %v %q", tc.repo, tc.api, ok, reason, tc.ok, tc.reason)
		}
	}
	if _, err := New(Options{APIURL: "ftp://x/"}); err == nil {
		t.Error("ftp api_url accepted")
	}
	c, _ := New(Options{Token: "t"})
	if c.Name() != "github" || c.Needs() != (collectors.Needs{Network: true, Token: true}) || c.BaseURL() != "https://api.github.com/" {
		t.Errorf("name %q needs %+v base %s", c.Name(), c.Needs(), c.BaseURL())
	}
}

// TestInconclusive: what the API cannot give is nil with a reason, never 0.
func TestInconclusive(t *testing.T) {
	h := newHarness(t, nil)
	r := widget(h.f, "acme/quiet")
	r.issues, r.comments, r.reviewComments, r.reviews = nil, nil, nil, nil
	r.advStatus = http.StatusNotFound
	r.contents = map[string][]map[string]any{"": {}}
	r.releases = nil
	r.tags = nil
	delete(r.meta, "license")
	h.f.setRepo("acme/quiet", r)
	obs, _, err := h.c.Collect(context.Background(), target(h.f, "acme/quiet"))
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	for _, metric := range []string{forge.MetricIssueFirstResponse, forge.MetricChangeFirstResponse, forge.MetricChangeClosureRatio,
		forge.MetricChangeMergeRatio, forge.MetricChangeMergeDays, forge.MetricBugOpenDays, forge.MetricAdvisoriesPublished, forge.MetricLicenseSPDX} {
		if o := m[metric]; o.Value != nil || o.Text != "" || o.Reason == "" {
			t.Errorf("%s = %+v, want inconclusive with a reason", metric, o)
		}
	}
	if !strings.Contains(m[forge.MetricAdvisoriesPublished].Reason, "HTTP 404") {
		t.Errorf("advisories reason %q", m[forge.MetricAdvisoriesPublished].Reason)
	}
	wantNum(t, m, forge.MetricSecurityPolicy, 0)
	wantNum(t, m, forge.MetricIssuesOpened180d, 0) // a count: zero is a measurement
	wantNum(t, m, forge.MetricReleases12m, 0)      // no releases and no tags
	if ev := m[forge.MetricReleases12m].Evidence; !strings.Contains(ev, "no releases published") {
		t.Errorf("releases evidence %q", ev)
	}
}

// TestTagsWhenNoReleases: a repository without releases is measured by its
// tags, dated by their commits.
func TestTagsWhenNoReleases(t *testing.T) {
	h := newHarness(t, nil)
	h.f.pageSize = 5
	r := widget(h.f, "acme/tags")
	r.releases = nil
	// c02 (2 days) and c11 (200 days) are in 12 months; c16 (500) is not
	// and is not among the commits read (the walk stops at page 3, c11–c15), so it is
	// looked up through the git commits API.
	r.tags = []map[string]any{
		{"name": "v2", "commit": map[string]any{"sha": "c02", "url": "x"}, "zipball_url": "z", "tarball_url": "t", "node_id": "n"},
		{"name": "v1", "commit": map[string]any{"sha": "c11", "url": "x"}, "zipball_url": "z", "tarball_url": "t", "node_id": "n"},
		{"name": "v0", "commit": map[string]any{"sha": "c16", "url": "x"}, "zipball_url": "z", "tarball_url": "t", "node_id": "n"},
	}
	h.f.setRepo("acme/tags", r)
	obs, _, err := h.c.Collect(context.Background(), target(h.f, "acme/tags"))
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	wantNum(t, m, forge.MetricReleases12m, 2)
	found := false
	for _, l := range h.f.log {
		found = found || strings.Contains(l, "/git/commits/c16")
	}
	if !found {
		t.Errorf("tag commit c16 not looked up: %v", h.f.log)
	}
}

// TestWithStore runs a collection and an unchanged refresh on the real
// SQLite store.
func TestWithStore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := newHarness(t, func(o *Options) { o.Cache = st })
	h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
	if _, _, err := h.c.Collect(ctx, target(h.f, "acme/widget")); err != nil {
		t.Fatal(err)
	}
	// A new collector over the same store: nothing in memory survives.
	c2, err := New(Options{APIURL: h.f.apiURL(), Token: testToken, Cache: st, Now: h.clk.Now, Sleep: h.clk.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	obs, cost, err := c2.Collect(ctx, target(h.f, "acme/widget"))
	if err != nil {
		t.Fatal(err)
	}
	if cost.Requests-cost.NotModified > 1 || cost.Requests == 0 {
		t.Errorf("refresh over the store cost %+v", cost)
	}
	wantNum(t, byMetric(t, obs), forge.MetricIssueFirstResponse, 3.5)
	if _, ok, _ := st.CacheGet(ctx, stateKey(c2.webHost, repoRef{Owner: "acme", Name: "widget"})); !ok {
		t.Error("no state in the store")
	}
}

// TestIssuesDisabled: a 410 from the issues API leaves issue and
// pull-request metrics inconclusive, and the rest is collected.
func TestIssuesDisabled(t *testing.T) {
	h := newHarness(t, nil)
	r := widget(h.f, "acme/noissues")
	r.issuesStatus = http.StatusGone
	h.f.setRepo("acme/noissues", r)
	obs, _, err := h.c.Collect(context.Background(), target(h.f, "acme/noissues"))
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	for _, metric := range []string{forge.MetricIssuesOpened180d, forge.MetricChangeClosureRatio, forge.MetricIssueFirstResponse} {
		if o := m[metric]; o.Value != nil || !strings.Contains(o.Reason, "HTTP 410") {
			t.Errorf("%s = %+v", metric, o)
		}
	}
	wantNum(t, m, forge.MetricCommits12m, 14)
}
