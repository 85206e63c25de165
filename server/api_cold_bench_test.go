package server

import (
	"context"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"testing"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// BenchmarkSubjectReadsCold reads a different subject's results and
// indicators each time (nothing cached) on the store OSGAUGE_BENCH_STORE
// names (the 10,000-project benchmark store; skipped without it).
//
//	OSGAUGE_BENCH_STORE=/tmp/bench.db go test ./server -run '^$' -bench SubjectReadsCold
func BenchmarkSubjectReadsCold(b *testing.B) {
	db := os.Getenv("OSGAUGE_BENCH_STORE")
	if db == "" {
		b.Skip("OSGAUGE_BENCH_STORE not set")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	subs, err := st.Subjects(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var ids []string
	for _, s := range subs {
		if s.Kind == models.KindProject {
			ids = append(ids, neturl.PathEscape(s.ID))
		}
	}
	srv, err := New(Options{Store: st})
	if err != nil {
		b.Fatal(err)
	}
	i := 0 // a subject not read before, run after run
	for _, sub := range []string{"results", "indicators"} {
		b.Run(sub, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/subjects/"+ids[i%len(ids)]+"/"+sub, nil))
				if rec.Code != 200 {
					b.Fatalf("%d %s", rec.Code, rec.Body)
				}
				i = (i + 1) % len(ids)
			}
		})
	}
}
