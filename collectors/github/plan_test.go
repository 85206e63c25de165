package github

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
)

// A 2,000-project first collection on one token is planned: by GraphQL,
// 2,000 ÷ 8 = 250 queries of ⌈8 × 509 ÷ 100⌉ = 41 points = 10,250 points
// (5,000 now, 5,250 left → 2 more windows: 1 h + 1 h = 2 h) and 2,000 REST
// advisories requests (within the first window); by REST, 2,000 × 12 =
// 24,000 requests (4 h, see forge.TestMakePlan).
func TestPlan2000Projects(t *testing.T) {
	var ts []collectors.Target
	for _, gql := range []bool{true, false} {
		h := newHarness(t, func(o *Options) { o.GraphQL = gql })
		ts = ts[:0]
		for i := range 2000 {
			ts = append(ts, target(h.f, fmt.Sprintf("org/p%d", i)))
		}
		ds := h.c.Plan(context.Background(), ts)
		plan := forge.MakePlan(ds, nil, testNow, forge.PlanWindow)
		got := map[string][2]float64{}
		for _, l := range plan {
			got[l.Resource] = [2]float64{l.Amount, l.Duration.Hours()}
			if l.Projects != 2000 || l.Limit != 5000 {
				t.Errorf("%s: %d projects, limit %d", l.Resource, l.Projects, l.Limit)
			}
		}
		want := map[string][2]float64{"graphql": {10250, 2}, "core": {2000, 0}}
		if !gql {
			want = map[string][2]float64{"core": {24000, 4}}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("GraphQL %v: plan %v, want %v", gql, got, want)
		}
	}
	_ = time.Hour
}
