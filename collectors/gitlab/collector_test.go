package gitlab

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
	"github.com/osgauge/osgauge/collectors/gitlab/gitlabfake"
	"github.com/osgauge/osgauge/models"
)

var testNow = time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)

func ago(d float64) time.Time { return testNow.Add(-time.Duration(d * 24 * float64(time.Hour))) }

func tp(t time.Time) *time.Time { return &t }

const canary = "glpat-CANARY-0123456789abcdef"

// scenario is a project in a subgroup. Windows from testNow: 52 weeks =
// 364 days, 12 months = 365 days, 180 days.
func scenario() forgetest.Scenario {
	commit := func(sha, name, email string, d float64, parents int) forgetest.Commit {
		return forgetest.Commit{SHA: sha, Name: name, Email: email, Parents: parents, Authored: ago(d), Committed: ago(d), Message: "change " + sha}
	}
	note := func(id int64, who string, at time.Time, system bool) forgetest.Comment {
		return forgetest.Comment{ID: id, Author: who, At: at, Body: "note", System: system}
	}
	return forgetest.Scenario{
		Path: "grp/sub/proj", DefaultBranch: "main", Description: "a project",
		Created: ago(1000), Pushed: ago(1), Stars: 40, Forks: 5, Archived: false, License: "Apache-2.0",
		Commits: []forgetest.Commit{ // newest first
			commit("c01", "Alice", "alice@acme.example", 1, 1),
			commit("c02", "Alice", "alice@acme.example", 2, 2), // merge
			commit("c03", "Bob", "Bob@Acme.example", 5, 1),
			commit("c04", "renovate[bot]", "bot@renovateapp.com", 6, 1), // bot
			commit("c05", "Alice", "alice@acme.example", 10, 1),
			commit("c06", "Carol", "carol@gmail.com", 20, 1),
			commit("c07", "Alice", "alice@acme.example", 30, 1),
			commit("c08", "Bob", "bob@acme.example", 100, 1),
			commit("c09", "Carol", "carol@gmail.com", 200, 1),
			commit("c10", "Dave", "dave@other.example", 360, 1),
			commit("c11", "Erin", "erin@old.example", 400, 1), // outside 12 months
		},
		Issues: []forgetest.Issue{
			// Answered after 2 days; the system note an hour in is not an answer.
			{N: 1, Author: "reporter1", Labels: []string{"bug"}, Created: ago(10), Updated: ago(8),
				Comments: []forgetest.Comment{note(101, "maintainer", ago(10).Add(time.Hour), true), note(102, "maintainer", ago(8), false)}},
			// The author's own note is not an answer; alice's after 4 days is.
			{N: 2, Author: "reporter2", Created: ago(20), Updated: ago(15), Closed: tp(ago(15)),
				Comments: []forgetest.Comment{note(201, "reporter2", ago(19), false), note(202, "alice", ago(16), false)}},
			// Never answered; closed after 1 day.
			{N: 3, Author: "reporter3", Created: ago(30), Updated: ago(29), Closed: tp(ago(29))},
			// Outside 180 days.
			{N: 4, Author: "reporter4", Created: ago(200), Updated: ago(190), Closed: tp(ago(190))},
		},
		Changes: []forgetest.Change{
			{N: 1, Author: "carol", Created: ago(5), Updated: ago(3), Merged: tp(ago(3)),
				Comments: []forgetest.Comment{note(301, "maintainer", ago(5).Add(time.Hour), true), note(302, "bob", ago(4), false)}},
			{N: 2, Author: "dave", Created: ago(40), Updated: ago(30), Closed: tp(ago(30))},
			{N: 3, Author: "alice", Created: ago(60), Updated: ago(57),
				Comments: []forgetest.Comment{note(303, "bob", ago(57), false)}},
			{N: 4, Author: "renovate-bot", Created: ago(15), Updated: ago(14), Merged: tp(ago(14))},
			{N: 5, Author: "bob", Created: ago(300), Updated: ago(299), Merged: tp(ago(299))},
		},
		Releases: []forgetest.Release{
			{Tag: "v1.3.0-beta.1", Name: "1.3.0 beta 1", Published: ago(3)}, // a pre-release by its name (GitLab has no flag)
			{Tag: "v1.2.0", Name: "1.2.0", Published: ago(30)},
			{Tag: "v1.1.0", Name: "1.1.0", Published: ago(100)},
			{Tag: "v1.0.0", Name: "1.0.0", Published: ago(400)},
		},
		Tags:         []forgetest.Tag{{Name: "v1.2.0", SHA: "c05"}},
		SecurityFile: "docs/SECURITY.md",
	}
}

type harness struct {
	f      *gitlabfake.Server
	c      *Collector
	cache  *forge.MemCache
	mu     sync.Mutex
	clock  time.Time // advanced by Sleep
	sleeps []time.Duration
	notes  []string
}

func (h *harness) now() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.clock
}

func newHarness(t *testing.T, sc forgetest.Scenario, fopts []gitlabfake.Option, mod func(*Options)) *harness {
	t.Helper()
	h := &harness{cache: forge.NewMemCache(), clock: testNow}
	h.f = gitlabfake.New(sc, append([]gitlabfake.Option{gitlabfake.WithPageSize(4), gitlabfake.WithNow(func() time.Time { return testNow }),
		gitlabfake.WithToken(canary)}, fopts...)...)
	t.Cleanup(h.f.Close)
	o := Options{APIURL: h.f.APIURL(), Token: canary, Cache: h.cache, Now: h.now,
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.mu.Lock()
			h.sleeps = append(h.sleeps, d)
			h.clock = h.clock.Add(d)
			h.mu.Unlock()
			return ctx.Err()
		},
		Notify: func(s string) { h.mu.Lock(); h.notes = append(h.notes, s); h.mu.Unlock() }}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	return h
}

func (h *harness) target() collectors.Target {
	return collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "proj", Name: "proj"}, Repo: h.f.WebURL()}
}

func byMetric(obs []models.Observation) map[string]models.Observation {
	m := map[string]models.Observation{}
	for _, o := range obs {
		m[o.Metric] = o
	}
	return m
}

func num(t *testing.T, m map[string]models.Observation, metric string, want float64) {
	t.Helper()
	o, ok := m[metric]
	if !ok {
		t.Errorf("%s: missing", metric)
		return
	}
	if o.Value == nil {
		t.Errorf("%s: no value (reason %q), want %g", metric, o.Reason, want)
		return
	}
	if math.Abs(*o.Value-want) > 1e-9 {
		t.Errorf("%s = %g, want %g (evidence %s)", metric, *o.Value, want, o.Evidence)
	}
}

func text(t *testing.T, m map[string]models.Observation, metric, want string) {
	t.Helper()
	if got := m[metric].Text; got != want {
		t.Errorf("%s = %q, want %q", metric, got, want)
	}
}

func TestCollectMetrics(t *testing.T) {
	h := newHarness(t, scenario(), nil, nil)
	obs, cost, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(obs)
	for _, o := range obs {
		if o.Source != "gitlab" || o.SubjectID != "proj" || !o.ObservedAt.Equal(testNow) {
			t.Fatalf("observation %+v: wrong source, subject or time", o)
		}
	}

	// Commits authored in 52 weeks (364 days): c01–c10 = 10, less the
	// merge c02 and the bot commit c04 = 8 by people; 8 ÷ 52.
	num(t, m, forge.MetricCommitsPerWeek, 8.0/52)
	// 12 months (365 days): c01–c10 = 10, of which 1 merge (c02) and 1 bot (c04).
	num(t, m, forge.MetricCommits12m, 10)
	num(t, m, forge.MetricMerges12m, 1)
	// People's commits: alice c01 c05 c07 = 3, bob c03 c08 = 2 (one e-mail
	// in two cases), carol c06 c09 = 2, dave c10 = 1: 8 commits, 4 authors.
	num(t, m, forge.MetricAuthors12m, 4)
	// Bus factor: alice 3 (2·3 = 6 < 8), + bob 2 = 5 (2·5 = 10 ≥ 8): 2.
	num(t, m, forge.MetricBusFactor12m, 2)
	// Organisations by e-mail domain: acme.example (alice 3 + bob 2 = 5),
	// other.example (1), and carol (gmail.com) in the group of independent
	// authors (2): 3 organisations; acme alone has 2·5 = 10 ≥ 8: elephant
	// factor 1.
	num(t, m, forge.MetricOrgCount12m, 3)
	num(t, m, forge.MetricElephantFactor12m, 1)

	// Issues opened in 180 days: 1, 2, 3 (4 is 200 days old) = 3; closed in
	// 180 days: 2 and 3 = 2.
	num(t, m, forge.MetricIssuesOpened180d, 3)
	num(t, m, forge.MetricIssuesClosed180d, 2)
	// First response: #1 2 days (10 → 8 days ago; the system note after an
	// hour does not count), #2 4 days (20 → 16; the author's own note does
	// not count), #3 unanswered, closed after 1 day: counts 1. Median of
	// [1, 2, 4] = 2. (Counting the system note would give [1/24, 1, 4] → 1.)
	num(t, m, forge.MetricIssueFirstResponse, 2)
	// Bugs: #1 open 10 days.
	num(t, m, forge.MetricBugOpenDays, 10)

	// Merge requests opened in 180 days: !1 !2 !3 !4 = 4 (!5 is 300 days
	// old); closed or merged: !1 merged, !2 closed, !4 merged = 3 → 3/4.
	num(t, m, forge.MetricChangesOpened180d, 4)
	num(t, m, forge.MetricChangeClosureRatio, 0.75)
	// Merged of closed: 2 of 3.
	num(t, m, forge.MetricChangeMergeRatio, 2.0/3)
	// Merge days: !1 2 days, !4 1 day → median 1.5.
	num(t, m, forge.MetricChangeMergeDays, 1.5)
	// First response on merge requests by people (!4 is renovate-bot's):
	// !1 1 day (5 → 4 days ago; the system note does not count), !2
	// unanswered, closed after 10 days: 10, !3 3 days (60 → 57). Median of
	// [1, 3, 10] = 3.
	num(t, m, forge.MetricChangeFirstResponse, 3)

	// Releases published in 12 months: v1.2.0, v1.1.0 = 2 (of 4 read);
	// v1.3.0-beta.1 (3 days) is a pre-release by its name and left out.
	num(t, m, forge.MetricReleases12m, 2)
	if ev := m[forge.MetricReleases12m].Evidence; !strings.Contains(ev, h.f.WebURL()+"/-/releases") || !strings.Contains(ev, "2 of 4 releases") ||
		!strings.Contains(ev, "1 pre-release left out (1 dated since") {
		t.Errorf("releases evidence %q", ev)
	}
	// Months since the newest release, v1.2.0 (30 days; the newer beta
	// is left out): 30 ÷ 30.4375 = 0.9856…
	num(t, m, forge.MetricMonthsSinceRelease, 30/30.4375)
	if ev := m[forge.MetricMonthsSinceRelease].Evidence; !strings.Contains(ev, "newest release v1.2.0 dated") {
		t.Errorf("months_since_last_release evidence %q", ev)
	}

	// Metadata.
	num(t, m, forge.MetricStars, 40)
	num(t, m, forge.MetricForks, 5)
	num(t, m, forge.MetricAdoption, 40+2*5)
	num(t, m, forge.MetricOpenIssues, 1) // #1
	num(t, m, forge.MetricArchived, 0)
	num(t, m, forge.MetricFork, 0)
	num(t, m, forge.MetricMonthsSinceLastPush, 1/30.4375)
	num(t, m, forge.MetricCreatedDays, 1000)
	text(t, m, forge.MetricLicenseSPDX, "Apache-2.0")
	text(t, m, forge.MetricDefaultBranch, "main")
	text(t, m, forge.MetricOwnerType, "group")
	text(t, m, forge.MetricOwnerLogin, "grp/sub")
	text(t, m, forge.MetricTopics, "health,metrics")
	if w := m[forge.MetricWatchers]; w.Value != nil || !strings.Contains(w.Reason, "GitLab") {
		t.Errorf("watchers = %+v, want none (GitLab has no watcher count)", w)
	}
	num(t, m, forge.MetricSecurityPolicy, 1)
	if ev := m[forge.MetricSecurityPolicy].Evidence; ev != h.f.WebURL()+"/-/blob/main/docs/SECURITY.md" {
		t.Errorf("security evidence %q", ev)
	}
	if a := m[forge.MetricAdvisoriesPublished]; a.Value != nil || !strings.Contains(a.Reason, "GitLab publishes no") {
		t.Errorf("advisories = %+v", a)
	}
	if ev := m[forge.MetricCommitsPerWeek].Evidence; !strings.HasPrefix(ev, h.f.WebURL()+"/-/commits/main ") {
		t.Errorf("commits evidence %q", ev)
	}
	if ev := m[forge.MetricStars].Evidence; ev != h.f.WebURL()+"/-/starrers" {
		t.Errorf("stars evidence %q", ev)
	}
	if ev := m[forge.MetricArchived].Evidence; !strings.Contains(ev, h.f.APIURL()+"/projects/grp%2Fsub%2Fproj") {
		t.Errorf("metadata evidence %q", ev)
	}

	// Contributors: commit authors (4, by e-mail: GitLab links no account)
	// plus authors of merge requests merged in 12 months by login: carol
	// (!1) and bob (!5); renovate-bot is a bot. 6 entries.
	var list []forge.Contributor
	if err := json.Unmarshal([]byte(m[forge.MetricContributors12m].Text), &list); err != nil {
		t.Fatal(err)
	}
	num(t, m, forge.MetricContributors12m, 6)
	if list[0].Name != "Alice" || list[0].Commits != 3 || list[0].EmailDomain != "acme.example" {
		t.Errorf("top contributor %+v", list[0])
	}

	// First run, page size 4: project 1, commits 3 pages (11 commits), releases
	// 1, issues 1 (4), merge requests 2 (5), notes of the 7 items opened in
	// 180 days 7, tree: root and docs/ 2 = 17.
	if cost.Requests != 17 || cost.NotModified != 0 || h.f.Requests() != 17 {
		t.Errorf("first run cost %+v, server saw %d; log:\n%s", cost, h.f.Requests(), strings.Join(h.f.Log(), "\n"))
	}
	if cost.RateRemaining != 2000-17 {
		t.Errorf("rate remaining %d, want %d", cost.RateRemaining, 2000-17)
	}

	// Second run, nothing changed: every list's first page answers 304 and
	// reaches what the first run saw; no notes are read again: project 1,
	// commits 1, releases 1, issues 1, merge requests 1, tree 2 = 7, all 304.
	h.f.ResetCounts()
	obs2, cost2, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	if cost2.Requests != 7 || cost2.NotModified != 7 || h.f.NotModified() != 7 {
		t.Errorf("second run cost %+v; log:\n%s", cost2, strings.Join(h.f.Log(), "\n"))
	}
	if !sameObservations(obs, obs2) {
		t.Errorf("second run measured differently")
	}
	if tot := h.c.Totals(); tot.Requests != 24 || tot.NotModified != 7 {
		t.Errorf("totals %+v", tot)
	}
	t.Logf("first run: %d requests; second, unchanged: %d requests (%d not modified)", cost.Requests, cost2.Requests, cost2.NotModified)
}

func sameObservations(a, b []models.Observation) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

// A change between runs is read incrementally: a new note on !2 updates it;
// only !2's notes are read again.
func TestIncrementalChange(t *testing.T) {
	h := newHarness(t, scenario(), nil, nil)
	if _, _, err := h.c.Collect(context.Background(), h.target()); err != nil {
		t.Fatal(err)
	}
	h.f.Update(func(s *forgetest.Scenario) {
		for i := range s.Changes {
			if s.Changes[i].N == 2 {
				s.Changes[i].Updated = ago(0.5)
				s.Changes[i].Comments = append(s.Changes[i].Comments, forgetest.Comment{ID: 304, Author: "alice", At: ago(38), Body: "late"})
			}
		}
	})
	h.f.ResetCounts()
	obs, cost, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	// project, commits, releases and issues: 4 × 304; merge requests page 1
	// changed (its oldest, !3 updated 57 days ago, is older than the
	// previous newest, 3 days ago: stop) 1; notes of !2 only 1; tree root and
	// docs/ 2 × 304: 8 requests, 6 of them 304.
	if cost.Requests != 8 || cost.NotModified != 6 {
		t.Errorf("cost %+v; log:\n%s", cost, strings.Join(h.f.Log(), "\n"))
	}
	// !2 now answered after 2 days (40 → 38): [1, 2, 3] → median 2.
	num(t, byMetric(obs), forge.MetricChangeFirstResponse, 2)
}

func TestSubgroupPathAndApplies(t *testing.T) {
	h := newHarness(t, scenario(), nil, nil)
	host := strings.TrimPrefix(h.f.URL, "http://")
	cases := []struct {
		repo   string
		ok     bool
		reason string
	}{
		{h.f.WebURL(), true, ""},
		{h.f.WebURL() + ".git", true, ""},
		{h.f.WebURL() + "/-/tree/main", true, ""},
		{"https://github.com/o/r", false, ""},
		{"https://gitlab.com/grp/sub/proj", false, ""},
		{"http://" + host + "/onlyone", false, "not a project URL"},
		{"", false, "no repo URL"},
	}
	for _, c := range cases {
		ok, reason := h.c.Applies(collectors.Target{Repo: c.repo})
		if ok != c.ok || (c.reason == "" && reason != "") || !strings.Contains(reason, c.reason) {
			t.Errorf("Applies(%q) = %v, %q; want %v, %q", c.repo, ok, reason, c.ok, c.reason)
		}
	}
	if ok, reason := h.c.Applies(collectors.Target{Subject: models.Subject{Kind: models.KindSupplier}}); ok || reason != "" {
		t.Errorf("supplier: %v %q", ok, reason)
	}
	ref, err := parseRepo("git@gitlab.example.com:a/b/c/d.git")
	if err != nil || ref.Path != "a/b/c/d" || ref.Host != "gitlab.example.com" {
		t.Errorf("parseRepo ssh: %+v %v", ref, err)
	}
	ref, err = parseRepo("https://GitLab.Example.com:443/a/b")
	if err != nil || ref.Host != "gitlab.example.com" {
		t.Errorf("parseRepo port: %+v %v", ref, err)
	}
	// The project path is sent URL-encoded, subgroups and all.
	if n := h.f.RequestsByPath(); n["/api/v4/projects/grp%2Fsub%2Fproj"] != 0 {
		t.Fatalf("requests before Collect")
	}
	if _, _, err := h.c.Collect(context.Background(), h.target()); err != nil {
		t.Fatal(err)
	}
	if n := h.f.RequestsByPath()["/api/v4/projects/grp%2Fsub%2Fproj"]; n != 1 {
		t.Errorf("project requested %d times as grp%%2Fsub%%2Fproj; paths %v", n, h.f.RequestsByPath())
	}
	if h.c.BaseURL() != h.f.APIURL() || h.c.Name() != "gitlab" || h.c.Needs() != (collectors.Needs{Network: true}) {
		t.Errorf("BaseURL %q Name %q Needs %+v", h.c.BaseURL(), h.c.Name(), h.c.Needs())
	}
}

func TestWebHostOption(t *testing.T) {
	c, err := New(Options{APIURL: "https://gitlab-api.bank.internal/api/v4", WebHost: "gitlab.bank.internal"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Applies(collectors.Target{Repo: "https://gitlab.bank.internal/team/app"}); !ok {
		t.Error("WebHost not applied")
	}
	if ok, _ := c.Applies(collectors.Target{Repo: "https://gitlab-api.bank.internal/team/app"}); ok {
		t.Error("API host taken for the web host")
	}
	c, err = New(Options{APIURL: "https://gitlab.example.com"})
	if err != nil || c.BaseURL() != "https://gitlab.example.com/api/v4" {
		t.Errorf("bare host: %v %v", c, err)
	}
	if _, err := New(Options{APIURL: "ftp://x"}); err == nil {
		t.Error("ftp API URL accepted")
	}
}

// A 429 is waited out: GitLab sends RateLimit-Remaining 0 with the reset
// and Retry-After; the transport sleeps until the reset + 1 s and retries.
func TestRateLimit429(t *testing.T) {
	h := newHarness(t, scenario(), nil, nil)
	h.f.Throttle(1, 120*time.Second)
	_, cost, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	if len(h.sleeps) != 1 || h.sleeps[0] != 121*time.Second {
		t.Errorf("sleeps %v, want [2m1s] (Retry-After 120 s, reset + 1 s)", h.sleeps)
	}
	// 17 as in TestCollectMetrics, plus the refused request, retried.
	if cost.Requests != 18 || cost.Retries != 1 {
		t.Errorf("cost %+v", cost)
	}
	if len(h.notes) == 0 || !strings.Contains(h.notes[0], "GitLab rate limit spent") {
		t.Errorf("notices %q", h.notes)
	}
}

func TestNotFoundNamesThePath(t *testing.T) {
	h := newHarness(t, scenario(), nil, nil)
	tg := h.target()
	tg.Repo = h.f.URL + "/grp/sub/missing"
	_, _, err := h.c.Collect(context.Background(), tg)
	if err == nil || !strings.Contains(err.Error(), "grp/sub/missing") || !strings.Contains(err.Error(), "404") ||
		!strings.Contains(err.Error(), "project not found") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), canary) {
		t.Fatal("token in error")
	}
}

func TestTokenNeverLeaks(t *testing.T) {
	h := newHarness(t, scenario(), nil, nil)
	obs, _, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	// The token went as PRIVATE-TOKEN on every request, and only there.
	if toks := h.f.Tokens(); len(toks) != 1 || toks[canary] != 17 {
		t.Errorf("tokens seen %v", toks)
	}
	b, _ := json.Marshal(obs)
	if strings.Contains(string(b), canary) {
		t.Error("token in observations")
	}
	for _, k := range h.cache.Keys() {
		if strings.Contains(k, canary) || strings.Contains(k, "CANARY") {
			t.Errorf("token in cache key %q", k)
		}
		e, _, _ := h.cache.CacheGet(context.Background(), k)
		if strings.Contains(string(e.Body), canary) {
			t.Errorf("token in cache entry %q", k)
		}
	}
	// A wrong token is refused: the error names the project and the status,
	// not the token.
	h2 := newHarness(t, scenario(), nil, func(o *Options) { o.Token = "glpat-WRONG-canary" })
	_, _, err = h2.c.Collect(context.Background(), h2.target())
	if err == nil || strings.Contains(err.Error(), "glpat-WRONG-canary") || !strings.Contains(err.Error(), "grp/sub/proj") ||
		!strings.Contains(err.Error(), "401") {
		t.Errorf("wrong token: err = %v", err)
	}
}

// Without a token the project is read anonymously: no PRIVATE-TOKEN header
// at all (client-go must not send an empty one).
func TestAnonymous(t *testing.T) {
	h := newHarness(t, scenario(), nil, func(o *Options) { o.Token = "" })
	if _, _, err := h.c.Collect(context.Background(), h.target()); err != nil {
		t.Fatal(err)
	}
	if toks := h.f.Tokens(); len(toks) != 1 || toks[""] != 17 {
		t.Errorf("tokens seen %v", toks)
	}
}

func TestIssuesDisabled(t *testing.T) {
	h := newHarness(t, scenario(), []gitlabfake.Option{gitlabfake.WithIssuesDisabled()}, nil)
	obs, cost, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(obs)
	for _, k := range []string{forge.MetricIssueFirstResponse, forge.MetricChangeClosureRatio, forge.MetricIssuesOpened180d} {
		if o := m[k]; o.Value != nil || !strings.Contains(o.Reason, "issues are disabled") {
			t.Errorf("%s = %+v, want inconclusive", k, o)
		}
	}
	if o := m[forge.MetricOpenIssues]; o.Value != nil {
		t.Errorf("open issues %+v", o)
	}
	// project 1, commits 3, releases 1, tree 2: no issue, merge-request or note calls.
	if cost.Requests != 7 {
		t.Errorf("cost %+v; log:\n%s", cost, strings.Join(h.f.Log(), "\n"))
	}
}

// Without releases, tags dated by their commit count: v0.9 on c05 (10
// days ago) and v0.1 on c11 (400 days ago): 1 in 12 months.
func TestTagsWhenNoReleases(t *testing.T) {
	sc := scenario()
	sc.Releases = nil
	sc.Tags = []forgetest.Tag{{Name: "v0.9", SHA: "c05"}, {Name: "v0.1", SHA: "c11"}}
	h := newHarness(t, sc, nil, nil)
	obs, _, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(obs)
	num(t, m, forge.MetricReleases12m, 1)
	if ev := m[forge.MetricReleases12m].Evidence; !strings.Contains(ev, "/-/tags") || !strings.Contains(ev, "no releases published") {
		t.Errorf("evidence %q", ev)
	}
}

func TestEmptyProject(t *testing.T) {
	sc := scenario()
	sc.Commits, sc.Tags, sc.Releases, sc.SecurityFile = nil, nil, nil, ""
	h := newHarness(t, sc, nil, nil)
	obs, _, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(obs)
	if o := m[forge.MetricCommitsPerWeek]; o.Value != nil || !strings.Contains(o.Reason, "no commits") {
		t.Errorf("commits %+v", o)
	}
	if o := m[forge.MetricSecurityPolicy]; o.Value != nil {
		t.Errorf("security %+v", o)
	}
}

func TestServerErrorNamesWhatFailed(t *testing.T) {
	fail := &failOn{suffix: "/releases", base: http.DefaultTransport}
	h := newHarness(t, scenario(), nil, func(o *Options) { o.HTTPClient = &http.Client{Transport: fail} })
	_, cost, err := h.c.Collect(context.Background(), h.target())
	if err == nil || !strings.Contains(err.Error(), "grp/sub/proj: releases: server error persisted") {
		t.Fatalf("err = %v", err)
	}
	// The transport retries 4 times; client-go retries nothing on top.
	if fail.n != 5 || cost.Retries != 4 || len(h.sleeps) != 4 {
		t.Errorf("releases sent %d times, cost %+v, sleeps %v", fail.n, cost, h.sleeps)
	}
}

// failOn answers 502 for paths ending in suffix.
type failOn struct {
	suffix string
	base   http.RoundTripper
	n      int
}

func (f *failOn) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, f.suffix) {
		f.n++
		return &http.Response{StatusCode: http.StatusBadGateway, Status: "502 Bad Gateway", Header: http.Header{},
			Body: http.NoBody, Request: r}, nil
	}
	return f.base.RoundTrip(r)
}

func TestLicenseKeys(t *testing.T) {
	for key, want := range map[string]string{"apache-2.0": "Apache-2.0", "MIT": "MIT", "gpl-3.0": "GPL-3.0-only", "other": "", "": ""} {
		if got := licenseKeys[strings.ToLower(key)]; got != want {
			t.Errorf("%q → %q, want %q", key, got, want)
		}
	}
}

func TestAccessTokenBots(t *testing.T) {
	r := &run{c: &Collector{}}
	for _, u := range []string{"project_278964_bot_3e8a5f1c", "group_12_bot", "renovate-bot", "ci_bot"} {
		if !r.isBot(u, "", false) {
			t.Errorf("%s not a bot", u)
		}
	}
	for _, u := range []string{"alice", "abbot", "project_lead"} {
		if r.isBot(u, "", false) {
			t.Errorf("%s taken for a bot", u)
		}
	}
}

// forgetest.Sample, served with GitLab's page size of 100: the figures
// worked out in forgetest, and what a first and an unchanged second run
// cost.
func TestSampleCosts(t *testing.T) {
	h := newHarness(t, forgetest.Sample(testNow), []gitlabfake.Option{gitlabfake.WithPageSize(100)}, nil)
	obs, cost, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(obs)
	num(t, m, forge.MetricCommitsPerWeek, 6.0/52) // 8 in 52 weeks less the merge c2 and the bot commit c4
	num(t, m, forge.MetricBusFactor12m, 2)
	num(t, m, forge.MetricIssueFirstResponse, 3) // median(2, 3, 50); the system note would make it 2
	num(t, m, forge.MetricChangeFirstResponse, 2)
	num(t, m, forge.MetricChangeClosureRatio, 2.0/3)
	num(t, m, forge.MetricReleases12m, 2)
	num(t, m, forge.MetricSecurityPolicy, 1)
	// project, commits, releases, issues, merge requests: 1 page each = 5;
	// notes of the 6 items opened in 180 days (#1 #2 #3, !5 !6 !7) = 6; the
	// root tree holds SECURITY.md = 1. Total 12.
	if cost.Requests != 12 {
		t.Errorf("first run %+v; log:\n%s", cost, strings.Join(h.f.Log(), "\n"))
	}
	// Unchanged: the same 5 first pages and the root tree, all 304.
	_, cost2, err := h.c.Collect(context.Background(), h.target())
	if err != nil {
		t.Fatal(err)
	}
	if cost2.Requests != 6 || cost2.NotModified != 6 {
		t.Errorf("second run %+v", cost2)
	}
}

// Concurrent collections share the client, the transport and the cache.
func TestConcurrentCollect(t *testing.T) {
	h := newHarness(t, scenario(), nil, func(o *Options) { o.Concurrency = 2 })
	var wg sync.WaitGroup
	errs := make(chan error, 6)
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			obs, _, err := h.c.Collect(context.Background(), h.target())
			if err == nil && len(obs) == 0 {
				err = context.Canceled
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
