package forge

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A GraphQL query sent under WithPoints(ctx, 41) takes 41 points from the
// credential's graphql budget (not one request), and leaves the core
// budget alone; AddPoints counts the reported cost.
func TestGraphQLPointsTakenFromGraphQLBudget(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	b := NewMemBudget()
	tr := &Transport{Token: "tok", APIHost: "api.example", Budget: b, Now: func() time.Time { return now },
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			// No rate headers: only the takes change the budget.
			return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"data":{}}`)), Request: r}, nil
		})}
	key := BudgetKey(GitHub, "api.example", "tok")
	reset := now.Add(time.Hour)
	// Known windows: 100 points of graphql, 5,000 core requests.
	b.BudgetObserve(context.Background(), key+":graphql", 100, reset, now)
	b.BudgetObserve(context.Background(), key, 5000, reset, now)

	ctr := &Counter{}
	ctx := WithPoints(WithCounter(context.Background(), ctr), 41)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.example/graphql", strings.NewReader(`{}`))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	tr.AddPoints(ctx, 41)
	// 100 − 41 = 59 points left; core untouched at 5,000. (The MemBudget
	// leases up to 8 at a time, so the entry may hold fewer than 59 with
	// the rest leased to this transport: entry + lease = 59.)
	g := b.m[key+":graphql"]
	leased := 0
	if ls := tr.bs.leases[key+":graphql"]; ls != nil {
		leased = ls.n
	}
	if g.Remaining+leased != 59 {
		t.Errorf("graphql budget %d (+%d leased), want 59", g.Remaining, leased)
	}
	if c := b.m[key]; c.Remaining != 5000 {
		t.Errorf("core budget %d, want 5000 untouched", c.Remaining)
	}
	if ctr.Points() != 41 || tr.Points() != 41 || ctr.Cost().Requests != 1 {
		t.Errorf("points %d/%d, requests %d: want 41, 41, 1", ctr.Points(), tr.Points(), ctr.Cost().Requests)
	}
}
