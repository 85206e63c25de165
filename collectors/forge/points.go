package forge

import (
	"context"
	"time"
)

// GraphQL points. GitHub's GraphQL API has its own hourly budget (5,000
// points for a user token), charged per query by its cost: the requests
// needed to fill every connection of the query, assuming each fills to its
// first/last argument, divided by 100 and rounded, at least 1
// (docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api).
// Its responses carry X-RateLimit-Resource: graphql and the points left in
// X-RateLimit-Remaining. A Transport charges a request sent under
// WithPoints(ctx, n) n points of the credential's "graphql" budget before
// it is sent, and a collector adds the cost the server reported to the
// Counter with AddPoints.

type pointsKey struct{}

// WithPoints returns a context whose requests cost n points (n > 1) of
// their resource's budget instead of one request.
func WithPoints(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, pointsKey{}, n)
}

func pointsFrom(ctx context.Context) int {
	if n, ok := ctx.Value(pointsKey{}).(int); ok && n > 1 {
		return n
	}
	return 1
}

// AddPoints adds n GraphQL points (the cost a response reported) to the
// Counter of ctx and to t's totals.
func (t *Transport) AddPoints(ctx context.Context, n int) {
	if n <= 0 {
		return
	}
	t.count(counterFrom(ctx), func(c *Counter) { c.points.Add(int64(n)) })
}

// Points is the GraphQL points counted in c so far.
func (c *Counter) Points() int { return int(c.points.Load()) }

// Points is the GraphQL points every query through t has cost so far.
func (t *Transport) Points() int { return t.total.Points() }

// takePoints takes n units of key's budget from b: one take per unit (a
// leasing budget serves most of them from the lease). When the budget runs
// out part-way the units already taken stay spent (the budget errs on the
// safe side) and the wait is returned.
func (t *Transport) takePoints(ctx context.Context, b Budget, key string, n int) (time.Duration, error) {
	for i := 0; i < n; i++ {
		wait, err := t.take(ctx, b, key)
		if err != nil || wait > 0 {
			return wait, err
		}
	}
	return 0, nil
}
