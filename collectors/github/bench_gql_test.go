package github

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/osgauge/osgauge/collectors"
)

// BenchmarkCollect500 collects 500 projects (the widget fixture, every
// list on one page) against the fake GitHub serving GraphQL and REST,
// first by REST and then by GraphQL, then again unchanged. Every target
// is first offered to Applies, as pipeline.Plan does before collecting.
// It reports per project: requests, counted requests (not 304s) and
// GraphQL points, for the first and the unchanged collection.
func BenchmarkCollect500(b *testing.B) {
	for _, path := range []string{"rest", "graphql"} {
		b.Run(path, func(b *testing.B) {
			const projects = 500
			var first, again collectors.Cost
			var firstPts, againPts int
			for range b.N {
				h := newHarness(b, func(o *Options) { o.GraphQL = path == "graphql" })
				h.f.graphql = true
				var ts []collectors.Target
				for i := range projects {
					full := fmt.Sprintf("org%d/proj%d", i%20, i)
					h.f.setRepo(full, widget(h.f, full))
					ts = append(ts, target(h.f, full))
				}
				run := func() (collectors.Cost, int) {
					p0 := h.c.Transport().Points()
					for _, t := range ts {
						h.c.Applies(t)
					}
					var total collectors.Cost
					var mu sync.Mutex
					var wg sync.WaitGroup
					work := make(chan collectors.Target)
					for range 4 { // the pipeline's workers
						wg.Add(1)
						go func() {
							defer wg.Done()
							for t := range work {
								_, cost, err := h.c.Collect(context.Background(), t)
								if err != nil {
									b.Error(err)
								}
								mu.Lock()
								total = total.Add(cost)
								mu.Unlock()
							}
						}()
					}
					for _, t := range ts {
						work <- t
					}
					close(work)
					wg.Wait()
					return total, h.c.Transport().Points() - p0
				}
				c1, p1 := run()
				c2, p2 := run()
				first, again = first.Add(c1), again.Add(c2)
				firstPts, againPts = firstPts+p1, againPts+p2
			}
			n := float64(b.N * projects)
			b.ReportMetric(float64(first.Requests)/n, "first-requests/project")
			b.ReportMetric(float64(first.Requests-first.NotModified)/n, "first-counted/project")
			b.ReportMetric(float64(firstPts)/n, "first-points/project")
			b.ReportMetric(float64(again.Requests)/n, "refresh-requests/project")
			b.ReportMetric(float64(again.Requests-again.NotModified)/n, "refresh-counted/project")
			b.ReportMetric(float64(againPts)/n, "refresh-points/project")
		})
	}
}
