package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

type loadResult struct {
	requests, errors int
	p50, p99, max    time.Duration
	perSecond        float64
	collections      int // collection runs that finished during the test
	observations     int // observations they stored
	firstErr         string
}

func (r loadResult) String() string {
	return fmt.Sprintf("%d requests, %.0f/s, %d errors, p50 %v, p99 %v, max %v; %d collections finished meanwhile (%d observations)",
		r.requests, r.perSecond, r.errors, r.p50, r.p99, r.max, r.collections, r.observations)
}

// runLoad serves a store of 500 subjects on loopback (token required) and
// has clients read /api/v1/subjects for dur while a fake collection (500
// subjects × 20 metrics, 4 workers, 1 ms per collection) runs again and
// again through the scheduler, writing to the same store.
func runLoad(tb testing.TB, clients int, dur time.Duration) loadResult {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(tb.TempDir(), "osgauge.db"))
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	m := NewMetrics()
	sched := scheduler.New(st, scheduler.Options{OnFinish: m.ObserveJob})
	collect := scheduler.CollectJob{Store: st, Targets: func() []collectors.Target { return targets(500) }, Workers: 4,
		Collectors: func() ([]collectors.Collector, error) {
			return []collectors.Collector{fakeCollector{name: "github", metrics: 20, delay: time.Millisecond}}, nil
		},
		Summary: m.ObserveCollect}.Func()
	if err := sched.Add(scheduler.Job{Name: "collect", Spec: "", Run: collect}); err != nil {
		tb.Fatal(err)
	}
	if _, err := sched.Start(ctx); err != nil {
		tb.Fatal(err)
	}
	defer sched.Stop(ctx)
	if _, err := collect(ctx); err != nil { // registers the 500 subjects
		tb.Fatal(err)
	}
	srv, err := New(Options{Store: st, Jobs: sched, ReportDir: tb.TempDir(), Token: token, Metrics: m})
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(srv.Handler()) // listens on 127.0.0.1
	ts.Config = srv.HTTPServer("")
	ts.Start()
	defer ts.Close()

	// Collections, back to back, for the whole test.
	stop := make(chan struct{})
	var finished []int64
	var cwg sync.WaitGroup
	cwg.Add(1)
	go func() {
		defer cwg.Done()
		for {
			done, err := sched.Trigger("collect")
			if err != nil {
				tb.Error(err)
				return
			}
			select {
			case <-done:
				for _, s := range sched.Status() {
					if s.LastOutcome == store.RunComplete {
						finished = append(finished, s.LastRunID)
					}
				}
			case <-stop:
				return
			}
		}
	}()

	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	lat := make([][]time.Duration, clients)
	errs := make([]int, clients)
	firstErr := make([]string, clients)
	start := time.Now()
	deadline := start.Add(dur)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest("GET", ts.URL+"/api/v1/subjects?limit=1000", nil) // all 500 in one page
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					var n int64
					n, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && (resp.StatusCode != 200 || n < 500*40) {
						err = fmt.Errorf("status %d, %d bytes", resp.StatusCode, n)
					}
				}
				lat[c] = append(lat[c], time.Since(t0))
				if err != nil {
					errs[c]++
					if firstErr[c] == "" {
						firstErr[c] = err.Error()
					}
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	cwg.Wait()

	var all []time.Duration
	var res loadResult
	for c := range clients {
		all = append(all, lat[c]...)
		res.errors += errs[c]
		if res.firstErr == "" {
			res.firstErr = firstErr[c]
		}
	}
	slices.Sort(all)
	res.requests = len(all)
	if len(all) > 0 {
		res.p50, res.p99, res.max = all[len(all)/2], all[len(all)*99/100], all[len(all)-1]
	}
	res.perSecond = float64(len(all)) / elapsed.Seconds()
	res.collections = len(finished)
	for _, id := range finished {
		n, _ := st.RunObservations(ctx, id)
		res.observations += n
	}
	return res
}

// A bounded load test: 200 clients for 1 s while collections run. The
// 10 s figures come from BenchmarkLoadSubjects.
func TestLoadSubjectsDuringCollection(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	res := runLoad(t, 200, time.Second)
	t.Log(res)
	if res.errors != 0 {
		t.Errorf("%d errors, first: %s", res.errors, res.firstErr)
	}
	if res.requests < 200 {
		t.Errorf("only %d requests", res.requests)
	}
}

// BenchmarkLoadSubjects runs the load test once for OSGAUGE_LOAD_SECONDS
// (default 10):
//
//	go test ./server -run '^$' -bench LoadSubjects -benchtime 1x
func BenchmarkLoadSubjects(b *testing.B) {
	secs := 10.0
	if s := os.Getenv("OSGAUGE_LOAD_SECONDS"); s != "" {
		secs, _ = strconv.ParseFloat(s, 64)
	}
	for range b.N {
		res := runLoad(b, 200, time.Duration(secs*float64(time.Second)))
		b.Log(res)
		if res.errors != 0 {
			b.Errorf("%d errors, first: %s", res.errors, res.firstErr)
		}
		b.ReportMetric(float64(res.p50.Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(res.p99.Microseconds())/1000, "p99-ms")
		b.ReportMetric(res.perSecond, "req/s")
		b.ReportMetric(float64(res.errors), "errors")
	}
}
