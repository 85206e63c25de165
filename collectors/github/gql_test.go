package github

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
	"github.com/osgauge/osgauge/models"
)

// gqlHarness is a harness whose collector reads by GraphQL and whose fake
// serves it.
func gqlHarness(t testing.TB) *harness {
	h := newHarness(t, func(o *Options) { o.GraphQL = true })
	h.f.mu.Lock()
	h.f.graphql = true
	h.f.mu.Unlock()
	return h
}

// valuesOf is each metric's value (or text, or "inconclusive"), for
// comparing two paths' observations.
func valuesOf(obs []models.Observation) map[string]string {
	out := map[string]string{}
	for _, o := range obs {
		v := "inconclusive"
		switch {
		case o.Value != nil:
			v = fmt.Sprintf("%.9g %s", *o.Value, o.Unit)
		case o.Text != "":
			v = o.Text
		}
		out[o.Metric] = v
	}
	return out
}

func sameObservations(t *testing.T, rest, gql []models.Observation) {
	t.Helper()
	a, b := valuesOf(rest), valuesOf(gql)
	if len(a) < 20 {
		t.Fatalf("REST path gave %d metrics, want the forge vocabulary's", len(a))
	}
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if a[k] != b[k] {
			t.Errorf("%s: REST %q, GraphQL %q", k, a[k], b[k])
		}
	}
}

// The forge-neutral scenario (forgetest.Sample) gives the same
// observations by REST and by GraphQL, and by GraphQL the figures worked
// out by hand in forgetest.Sample.
func TestGraphQLSameAsRESTOnSample(t *testing.T) {
	rest := collectSample(t)

	h := gqlHarness(t)
	s := forgetest.Sample(testNow)
	h.f.setRepo(s.Path, scenarioRepo(h.f, s))
	gql, cost, err := h.c.Collect(context.Background(), target(h.f, s.Path))
	if err != nil {
		t.Fatal(err)
	}
	sameObservations(t, rest, gql)
	checkSample(t, byMetric(t, gql))
	// One GraphQL query (every list fits its first page) and the REST
	// advisories list: 2 requests.
	if cost.Requests != 2 || cost.NotModified != 0 {
		t.Errorf("first collection by GraphQL: %+v, want 2 requests", cost)
	}
	if got := strings.Join(h.f.gqlOps, ","); got != "osgaugeRepos" {
		t.Errorf("GraphQL operations %q, want osgaugeRepos", got)
	}
}

// The widget fixture (bots, a draft release, diff comments, reviews, a
// security policy in .github/) gives the same observations by both paths.
// Served in pages of 3, every list takes further pages on both paths.
func TestGraphQLSameAsRESTOnWidget(t *testing.T) {
	for _, page := range []int{100, 3} {
		hr := newHarness(t, nil)
		hr.f.pageSize = page
		hr.f.setRepo("acme/widget", widget(hr.f, "acme/widget"))
		rest, _, err := hr.c.Collect(context.Background(), target(hr.f, "acme/widget"))
		if err != nil {
			t.Fatal(err)
		}
		h := gqlHarness(t)
		h.f.pageSize = page
		h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
		gql, _, err := h.c.Collect(context.Background(), target(h.f, "acme/widget"))
		if err != nil {
			t.Fatal(err)
		}
		sameObservations(t, rest, gql)
		if page == 3 && !strings.Contains(strings.Join(h.f.gqlOps, ","), "osgaugeHistory") {
			t.Errorf("pages of 3: operations %q, want further history pages", h.f.gqlOps)
		}
	}
}

// An unchanged refresh of a GraphQL-read repository asks one check query
// (1 counted request) and the advisories list again (a 304, not
// counted), and gives the same observations; after a new comment the
// check sees the issue updated and the repository is read again.
func TestGraphQLRefresh(t *testing.T) {
	h := gqlHarness(t)
	s := forgetest.Sample(testNow)
	h.f.setRepo(s.Path, scenarioRepo(h.f, s))
	first, _, err := h.c.Collect(context.Background(), target(h.f, s.Path))
	if err != nil {
		t.Fatal(err)
	}
	h.f.gqlOps = nil
	again, cost, err := h.c.Collect(context.Background(), target(h.f, s.Path))
	if err != nil {
		t.Fatal(err)
	}
	sameObservations(t, first, again)
	// check (200) + advisories (304): 2 requests, 1 counted.
	if cost.Requests != 2 || cost.NotModified != 1 {
		t.Errorf("unchanged refresh: %+v, want 2 requests of which 1 not modified", cost)
	}
	if got := strings.Join(h.f.gqlOps, ","); got != "osgaugeCheck" {
		t.Errorf("unchanged refresh asked %q, want osgaugeCheck only", got)
	}

	// grace's issue 3 (opened 50 days ago, unanswered) gets alice's
	// comment an hour ago, which updates the issue (as on GitHub): it is
	// answered after 50 days less an hour.
	h.f.mu.Lock()
	x := &fixture{api: h.f.srv.URL + apiPrefix, web: h.f.srv.URL, full: s.Path, ids: 900}
	repo := h.f.repos[s.Path]
	at := testNow.Add(-time.Hour)
	repo.comments = append(repo.comments, x.comment(3, "alice", at, at))
	for _, it := range repo.issues {
		if it["number"] == 3 {
			it["updated_at"] = iso(at)
		}
	}
	h.f.gqlOps = nil
	h.f.mu.Unlock()
	changed, cost, err := h.c.Collect(context.Background(), target(h.f, s.Path))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(h.f.gqlOps, ","); got != "osgaugeCheck,osgaugeRepos" {
		t.Errorf("changed refresh asked %q, want osgaugeCheck,osgaugeRepos", got)
	}
	// Issues opened by people in 180 days: 3 (50 d, unanswered → its wait
	// was 50 d), 2 (20 d, answered by carol after 3 d), 1 (10 d, answered
	// by bob after 2 d): median of {50, 3, 2} = 3. With issue 3 answered,
	// the unanswered count in
	// the evidence goes from 1 to 0. (50 d − 1 h = 49.96 d is still the
	// largest of the three, so the median stays 3.)
	m := byMetric(t, changed)
	wantNum(t, m, forge.MetricIssueFirstResponse, 3)
	if ev := m[forge.MetricIssueFirstResponse].Evidence; !strings.Contains(ev, "0 unanswered") {
		t.Errorf("evidence %q: want 0 unanswered after the new comment", ev)
	}
}

// Three repositories hinted by Applies are read by one query; each
// Collect then costs its advisories request only.
func TestGraphQLBatchesHintedRepositories(t *testing.T) {
	h := gqlHarness(t)
	var ts []collectors.Target
	for _, full := range []string{"acme/a", "acme/b", "acme/c"} {
		h.f.setRepo(full, widget(h.f, full))
		ts = append(ts, target(h.f, full))
	}
	for _, tg := range ts {
		if ok, why := h.c.Applies(tg); !ok {
			t.Fatal(why)
		}
	}
	total := collectors.Cost{}
	for _, tg := range ts {
		_, cost, err := h.c.Collect(context.Background(), tg)
		if err != nil {
			t.Fatal(err)
		}
		total = total.Add(cost)
	}
	if got := strings.Join(h.f.gqlOps, ","); got != "osgaugeRepos" {
		t.Errorf("operations %q, want one osgaugeRepos for the three", got)
	}
	// 1 query + 3 advisories lists = 4 requests for 3 projects.
	if total.Requests != 4 {
		t.Errorf("requests %d, want 4", total.Requests)
	}
	// The fake charges ⌈3 × 509 ÷ 100⌉ = 16 points (see gqlCost).
	if p := h.c.Transport().Points(); p != 16 {
		t.Errorf("points %d, want 16", p)
	}
}

// A repository GraphQL does not find fails alone, naming it; its batch
// neighbours are read.
func TestGraphQLNotFoundInBatch(t *testing.T) {
	h := gqlHarness(t)
	h.f.setRepo("acme/a", widget(h.f, "acme/a"))
	ta, tm := target(h.f, "acme/a"), target(h.f, "acme/missing")
	h.c.Applies(tm)
	h.c.Applies(ta)
	if _, _, err := h.c.Collect(context.Background(), tm); err == nil || !strings.Contains(err.Error(), "acme/missing") || !strings.Contains(err.Error(), "NOT_FOUND") {
		t.Errorf("missing repository: %v", err)
	}
	if _, _, err := h.c.Collect(context.Background(), ta); err != nil {
		t.Error(err)
	}
	if got := strings.Join(h.f.gqlOps, ","); got != "osgaugeRepos" {
		t.Errorf("operations %q, want one batch", got)
	}
}

// Where GraphQL is missing or refuses, the collection falls back to REST,
// says so once, and gives the REST path's observations.
func TestGraphQLFallsBackToREST(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		refusal string
		want    string
	}{
		{"endpoint missing", http.StatusNotFound, "", "HTTP 404"},
		{"forbidden", http.StatusForbidden, "", "HTTP 403"},
		{"unauthorised", http.StatusUnauthorized, "", "HTTP 401"},
		{"insufficient scopes", 0, "INSUFFICIENT_SCOPES", "INSUFFICIENT_SCOPES"},
		{"forbidden type", 0, "FORBIDDEN", "FORBIDDEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hr := newHarness(t, nil)
			hr.f.setRepo("acme/a", widget(hr.f, "acme/a"))
			rest, _, err := hr.c.Collect(context.Background(), target(hr.f, "acme/a"))
			if err != nil {
				t.Fatal(err)
			}
			h := gqlHarness(t)
			h.f.gqlStatus, h.f.gqlRefusal = tc.status, tc.refusal
			if tc.status == http.StatusUnauthorized {
				// A proxy that refuses the GraphQL path only.
				h.f.hook = func(w http.ResponseWriter, r *http.Request) bool {
					if r.URL.Path == "/api/graphql" {
						w.WriteHeader(http.StatusUnauthorized)
						return true
					}
					return false
				}
			}
			for _, full := range []string{"acme/a", "acme/b"} {
				h.f.setRepo(full, widget(h.f, full))
			}
			gql, _, err := h.c.Collect(context.Background(), target(h.f, "acme/a"))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.c.Collect(context.Background(), target(h.f, "acme/b")); err != nil {
				t.Fatal(err)
			}
			sameObservations(t, rest, gql)
			var said []string
			for _, n := range h.notice {
				if strings.Contains(n, "GraphQL unavailable") {
					said = append(said, n)
				}
			}
			if len(said) != 1 || !strings.Contains(said[0], tc.want) || !strings.Contains(said[0], "REST") {
				t.Errorf("notices %q: want one saying %s and REST", said, tc.want)
			}
		})
	}
}

// github.graphql: false (Options.GraphQL false) never asks GraphQL.
func TestGraphQLOff(t *testing.T) {
	h := newHarness(t, nil)
	h.f.graphql = true
	h.f.setRepo("acme/a", widget(h.f, "acme/a"))
	if _, _, err := h.c.Collect(context.Background(), target(h.f, "acme/a")); err != nil {
		t.Fatal(err)
	}
	if len(h.f.gqlOps) != 0 {
		t.Errorf("GraphQL asked %q with GraphQL off", h.f.gqlOps)
	}
}

var _ = math.Abs
