package pipeline_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/pipeline/internal/benchstore"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

// BenchmarkAPIConcurrentReads is issue 28's goal as a benchmark: serve's
// read endpoints on a store of 10,000 projects × 4 quarters (the report
// benchmark's store), each read by 20 concurrent clients on loopback for
// a second per iteration. It reports, per endpoint, p50 and p99 in
// milliseconds, and the heap in use after all endpoints have been read
// (live memory must not grow with the request rate). The store is built
// once in b.TempDir() (about a minute); OSGAUGE_BENCH_STORE=PATH uses (or
// first writes) a store at PATH, OSGAUGE_BENCH_PROJECTS scales it.
//
//	go test ./pipeline -run '^$' -bench APIConcurrentReads -benchtime 3x
func BenchmarkAPIConcurrentReads(b *testing.B) {
	ctx := context.Background()
	db := os.Getenv("OSGAUGE_BENCH_STORE")
	if db == "" {
		db = filepath.Join(b.TempDir(), "osgauge.db")
	}
	projects := 10000
	if n, err := strconv.Atoi(os.Getenv("OSGAUGE_BENCH_PROJECTS")); err == nil && n > 0 {
		projects = n
	}
	if _, err := os.Stat(db); err != nil {
		if _, err := benchstore.Build(ctx, db, benchstore.Options{Projects: projects, Observations: true}); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(server.Options{Store: st, ReportDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 20}, Timeout: time.Minute}

	// One subject and one period from the store itself.
	var list struct {
		Subjects []struct {
			ID string `json:"id"`
		} `json:"subjects"`
		Period string `json:"period"`
	}
	resp, err := client.Get(ts.URL + "/api/v1/subjects?kind=project&limit=1")
	if err != nil {
		b.Fatal(err)
	}
	err = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if err != nil || len(list.Subjects) == 0 {
		b.Fatalf("no subject to read: %v", err)
	}
	id := url.PathEscape(list.Subjects[0].ID)
	endpoints := []struct{ name, path string }{
		{"subjects", "/api/v1/subjects"},
		{"subjects_filtered", "/api/v1/subjects?kind=project&status=inconclusive&limit=50"},
		{"subject", "/api/v1/subjects/" + id},
		{"subject_results", "/api/v1/subjects/" + id + "/results"},
		{"subject_history", "/api/v1/subjects/" + id + "/history"},
		{"subject_indicators", "/api/v1/subjects/" + id + "/indicators"},
		{"results", "/api/v1/results?limit=100"},
		{"status", "/api/v1/status"},
		{"runs", "/api/v1/runs"},
		{"metrics", "/metrics"},
	}
	const clients = 20
	lat := map[string][]time.Duration{}
	b.ResetTimer()
	for b.Loop() {
		for _, ep := range endpoints {
			var mu sync.Mutex
			var wg sync.WaitGroup
			deadline := time.Now().Add(time.Second)
			for range clients {
				wg.Go(func() {
					for time.Now().Before(deadline) {
						t0 := time.Now()
						resp, err := client.Get(ts.URL + ep.path)
						if err != nil {
							b.Error(err)
							return
						}
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							b.Errorf("%s: HTTP %d", ep.path, resp.StatusCode)
							return
						}
						d := time.Since(t0)
						mu.Lock()
						lat[ep.name] = append(lat[ep.name], d)
						mu.Unlock()
					}
				})
			}
			wg.Wait()
		}
	}
	b.StopTimer()
	for _, ep := range endpoints {
		l := lat[ep.name]
		if len(l) == 0 {
			continue
		}
		slices.Sort(l)
		b.ReportMetric(ms(l[len(l)/2]), ep.name+"_p50_ms")
		b.ReportMetric(ms(l[len(l)*99/100]), ep.name+"_p99_ms")
	}
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap_inuse_MB")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
