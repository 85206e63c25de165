package github

import (
	"context"
	"fmt"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
)

// Estimates per project, for the plan a run states before it spends.
const (
	// restFirstRequests: a first REST collection of a small project (every
	// list on one page) makes 12 requests (BenchmarkCollect500/rest); a
	// large one makes more.
	restFirstRequests = 12
	// RateLimit is GitHub's hourly limit per token, for requests (core) and
	// for GraphQL points alike (docs.github.com: 5,000 for a personal
	// token; a GitHub App installation may have more).
	RateLimit = 5000
)

// Plan estimates what collecting targets will spend, per credential and
// resource: first collections (no state kept, or a monthly full read due)
// and refreshes; by GraphQL, points of the graphql bucket and REST
// requests for the advisories lists. An unchanged refresh is estimated
// (its 304s cost nothing); a changed one costs a full read more.
func (c *Collector) Plan(ctx context.Context, targets []collectors.Target) []forge.Demand {
	first, refreshGQL, refreshREST := 0, 0, 0
	gql := c.useGraphQL()
	for _, t := range targets {
		if ok, _ := c.applies(t); !ok || !t.AsOf.IsZero() {
			continue
		}
		ref, _ := parseRepo(t.Repo)
		switch k := c.kindOf(ctx, ref); {
		case k == kindFull:
			first++
		case k == kindCheck && gql:
			refreshGQL++
		default:
			refreshREST++
		}
	}
	cred := "its token"
	if c.opts.Token != "" && c.opts.Credentials.Len() == 0 {
		cred = forge.BudgetKey(forge.GitHub, c.baseURL.Host, c.opts.Token)
	} else if n := c.opts.Credentials.Len(); n > 0 {
		cred = fmt.Sprintf("%d credentials", n)
	}
	limit := RateLimit * max(1, c.opts.Credentials.Len())
	d := func(res, unit string, amount float64, n int, what string) forge.Demand {
		return forge.Demand{Forge: "GitHub", Credential: cred, Resource: res, Unit: unit, Amount: amount, Limit: limit, Projects: n, What: what}
	}
	var out []forge.Demand
	if first > 0 {
		if gql {
			batches, last := first/batchFull, first%batchFull
			points := batches * estimatePoints(batchFull, requestsFull)
			if last > 0 {
				points += estimatePoints(last, requestsFull)
			}
			out = append(out,
				d("graphql", "points", float64(points), first, fmt.Sprintf("first collection by GraphQL (%d repositories a query, about %d points each, more for long histories)", batchFull, estimatePoints(batchFull, requestsFull))),
				d("core", "requests", float64(first), first, "first collection: the REST security-advisories list of each"))
		} else {
			out = append(out, d("core", "requests", float64(first*restFirstRequests), first,
				fmt.Sprintf("first collection by REST (at least %d requests each, more for projects with long lists)", restFirstRequests)))
		}
	}
	if refreshGQL > 0 {
		checks := (refreshGQL + batchCheck - 1) / batchCheck
		out = append(out, d("graphql", "points", float64(checks*estimatePoints(batchCheck, requestsCheck)), refreshGQL,
			fmt.Sprintf("refresh by one GraphQL check per %d repositories (a changed one is read again: about %d points more)", batchCheck, estimatePoints(1, requestsFull))))
	}
	if refreshREST > 0 {
		out = append(out, d("core", "requests", 0, refreshREST, "refresh by conditional REST requests (unchanged lists answer 304, which costs nothing; changed ones cost a few requests)"))
	}
	return out
}
