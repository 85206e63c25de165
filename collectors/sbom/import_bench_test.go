package sbom

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// BenchmarkImportLarge imports a 200,000-component CycloneDX JSON SBOM
// into a fresh SQLite store (hash, stream parse, deduplication, one
// transaction of components and references), then imports it again
// unchanged (the hash alone decides). Goal: the first import in ≤ 10 s
// and ≤ 400 MB peak RSS on a 2-core machine.
//
//	go test ./collectors/sbom/ -run '^$' -bench ImportLarge -benchtime 1x
func BenchmarkImportLarge(b *testing.B) {
	path := bigSBOM(b)
	ctx := context.Background()
	for b.Loop() {
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "o.db"))
		if err != nil {
			b.Fatal(err)
		}
		sys := []System{{Name: "core-banking", Path: path, Use: "distributed"}}
		start := time.Now()
		c := New(Options{Systems: sys, Store: st})
		if err := c.Import(ctx); err != nil || c.Stats.References != 200_000 {
			b.Fatalf("%v %+v", err, c.Stats)
		}
		b.ReportMetric(time.Since(start).Seconds(), "import-s")
		start = time.Now()
		again := New(Options{Systems: sys, Store: st})
		if err := again.Import(ctx); err != nil || again.Stats.Unchanged != 1 {
			b.Fatalf("%v %+v", err, again.Stats)
		}
		b.ReportMetric(time.Since(start).Seconds(), "unchanged-s")
		st.Close()
	}
	b.ReportMetric(vmHWM()/(1<<10), "peak-RSS-MB")
}
