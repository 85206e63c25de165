package forge

import (
	"testing"
	"time"
)

func TestMakePlan(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		d       Demand
		known   map[string]Window
		windows int
		want    time.Duration
	}{
		// 2,000 projects on one token, 12 REST calls each = 24,000 calls at
		// 5,000 an hour, nothing stored: 5,000 now, 19,000 left →
		// ⌈19,000 ÷ 5,000⌉ = 4 more windows; the first opens in 1 h, the
		// fourth 3 h later: 4 h.
		{"2000 projects REST, unknown window", Demand{Credential: "cred:a", Resource: "core", Amount: 2000 * 12, Limit: 5000}, nil, 4, 4 * time.Hour},
		// The store says 1,000 left until 10:20: 23,000 left →
		// ⌈23,000 ÷ 5,000⌉ = 5 windows: 20 min + 4 h.
		{"known window", Demand{Credential: "cred:a", Resource: "core", Amount: 24000, Limit: 5000},
			map[string]Window{"cred:a": {Remaining: 1000, Reset: now.Add(20 * time.Minute)}}, 5, 4*time.Hour + 20*time.Minute},
		// GraphQL points are their own bucket: 2,000 projects in batches
		// of 8 = 250 queries of 41 points = 10,250 points; 2,000 stored
		// until 10:30 → ⌈8,250 ÷ 5,000⌉ = 2 windows: 30 min + 1 h.
		{"graphql bucket", Demand{Credential: "cred:a", Resource: "graphql", Amount: 10250, Limit: 5000},
			map[string]Window{"cred:a:graphql": {Remaining: 2000, Reset: now.Add(30 * time.Minute)}, "cred:a": {Remaining: 0, Reset: now.Add(time.Minute)}}, 2, 90 * time.Minute},
		// 2,000 requests fit the 5,000 of the current window: no wait.
		{"fits", Demand{Credential: "cred:a", Resource: "core", Amount: 2000, Limit: 5000}, nil, 0, 0},
		// A stored window already over counts as a fresh one (5,000 now).
		{"stale window", Demand{Credential: "cred:a", Resource: "core", Amount: 4000, Limit: 5000},
			map[string]Window{"cred:a": {Remaining: 10, Reset: now.Add(-time.Minute)}}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := MakePlan([]Demand{tc.d}, tc.known, now, PlanWindow)[0]
			if l.Windows != tc.windows || l.Duration != tc.want {
				t.Errorf("windows %d, duration %s; want %d, %s", l.Windows, l.Duration, tc.windows, tc.want)
			}
		})
	}
}
