package github

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"

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
func TestGraphQLSameAsRESTOnWidget(t *testing.T) {
	hr := newHarness(t, nil)
	hr.f.setRepo("acme/widget", widget(hr.f, "acme/widget"))
	rest, _, err := hr.c.Collect(context.Background(), target(hr.f, "acme/widget"))
	if err != nil {
		t.Fatal(err)
	}
	h := gqlHarness(t)
	h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
	gql, _, err := h.c.Collect(context.Background(), target(h.f, "acme/widget"))
	if err != nil {
		t.Fatal(err)
	}
	sameObservations(t, rest, gql)
}

var _ = math.Abs
var _ = http.StatusOK
var _ collectors.Cost
var _ = forge.Window12m
