package github

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
)

// BenchmarkCollect collects 200 projects against the fake GitHub (all
// lists on one page, as a small project's are), then collects them again
// unchanged. It reports the calls per project for each, and throughput.
func BenchmarkCollect(b *testing.B) {
	const projects = 200
	var firstCalls, refreshCalls, refreshChanged int
	var firstTime, refreshTime time.Duration
	for range b.N {
		h := newHarness(b, nil) // concurrency 4, the default
		var names []string
		for i := range projects {
			full := fmt.Sprintf("org%d/proj%d", i%20, i)
			names = append(names, full)
			h.f.setRepo(full, widget(h.f, full))
		}
		run := func() (collectors.Cost, time.Duration) {
			start := time.Now()
			var total collectors.Cost
			var mu sync.Mutex
			var wg sync.WaitGroup
			for _, full := range names {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, cost, err := h.c.Collect(context.Background(), target(h.f, full))
					if err != nil {
						b.Error(err)
					}
					mu.Lock()
					total = total.Add(cost)
					mu.Unlock()
				}()
			}
			wg.Wait()
			return total, time.Since(start)
		}
		c1, d1 := run()
		c2, d2 := run()
		firstCalls += c1.Requests
		refreshCalls += c2.Requests
		refreshChanged += c2.Requests - c2.NotModified
		firstTime += d1
		refreshTime += d2
	}
	n := float64(b.N * projects)
	b.ReportMetric(float64(firstCalls)/n, "first-calls/project")
	b.ReportMetric(float64(refreshCalls)/n, "refresh-calls/project")
	b.ReportMetric(float64(refreshChanged)/n, "refresh-non304/project")
	b.ReportMetric(n/firstTime.Seconds(), "first-projects/s")
	b.ReportMetric(n/refreshTime.Seconds(), "refresh-projects/s")
}
