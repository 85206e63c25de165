package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline/internal/benchstore"
	"github.com/osgauge/osgauge/store"
)

// BenchmarkReportFromStore is what `osgauge report` does for the latest
// period of a store holding 10,000 projects × 40 indicators × 4 periods,
// 30 suppliers and the institution: open the store, build the report
// (results, changes, history, delta, runs), the supply chain, and write
// the workbook, the dashboard and the JSON. The store is built once, in
// b.TempDir() (about a minute); OSGAUGE_BENCH_STORE=PATH uses (or first
// writes) a store at PATH instead, OSGAUGE_BENCH_PROJECTS scales it.
// Metrics: seconds reading, diffing and writing (each format too).
// Whole-process figures (wall, max RSS): see pipeline/internal/benchstore/mkstore.
func BenchmarkReportFromStore(b *testing.B) {
	ctx := context.Background()
	db := os.Getenv("OSGAUGE_BENCH_STORE")
	if db == "" {
		db = filepath.Join(b.TempDir(), "osgauge.db")
	}
	projects := 10000
	if n, err := strconv.Atoi(os.Getenv("OSGAUGE_BENCH_PROJECTS")); err == nil && n > 0 {
		projects = n
	}
	modelPath := filepath.Join(filepath.Dir(db), "bench-project-health.yaml")
	if _, err := os.Stat(db); err != nil {
		t0 := time.Now()
		if _, err := benchstore.Build(ctx, db, benchstore.Options{Projects: projects, Observations: true}); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %s", db, time.Since(t0).Round(time.Millisecond))
	}
	set, err := models.Load(map[string]string{"project-health": modelPath})
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	var tm ReportTimings
	for b.Loop() {
		st, err := store.Open(ctx, db)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := BuildReportTimed(ctx, st, set, "2026Q4", "zh", "示例银行", time.Now(), &tm)
		if err != nil {
			b.Fatal(err)
		}
		subjects := map[string]bool{}
		for _, s := range rep.Subjects {
			subjects[s.ID] = true
		}
		t1 := time.Now()
		if rep.Inventory, err = BuildInventory(ctx, st, InventoryOptions{Subjects: subjects}); err != nil {
			b.Fatal(err)
		}
		tm.Read += time.Since(t1)
		if _, err := WriteReportsTimed(rep, out, []string{"xlsx", "html", "json"}, &tm); err != nil {
			b.Fatal(err)
		}
		st.Close()
	}
	n := float64(b.N)
	b.ReportMetric(tm.Read.Seconds()/n, "read-s")
	b.ReportMetric(tm.Diff.Seconds()/n, "diff-s")
	b.ReportMetric(tm.Write.Seconds()/n, "write-s")
	for _, f := range []string{"xlsx", "html", "json"} {
		b.ReportMetric(tm.Format[f].Seconds()/n, f+"-s")
	}
}

// TestBenchStoreReport builds a small benchmark store and checks the
// report built from it: the project that left and the one that arrived
// since the previous period, the oldest period's other model version not
// comparable, and changes equal to assess.Diff of the full stored results
// (BuildReport keeps only part of the previous period's results).
func TestBenchStoreReport(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "osgauge.db")
	built, err := benchstore.Build(ctx, db, benchstore.Options{Projects: 120, Suppliers: 3, Periods: 3})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2026Q2", "2026Q3", "2026Q4"}; !slices.Equal(built.Periods, want) {
		t.Fatalf("periods %v, want %v", built.Periods, want)
	}
	set, err := models.Load(map[string]string{"project-health": built.ModelPath})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(set["project-health"].Dimensions) * len(set["project-health"].Dimensions[0].Indicators); n != 40 {
		t.Fatalf("%d indicators, want 40", n)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var tm ReportTimings
	rep, err := BuildReportTimed(ctx, st, set, "2026Q4", "en", "Bank", time.Now(), &tm)
	if err != nil {
		t.Fatal(err)
	}
	if tm.Read <= 0 || tm.Diff <= 0 {
		t.Errorf("timings not recorded: %+v", tm)
	}
	// 120 projects less project 99 (removed), 3 suppliers, the institution.
	if len(rep.Subjects) != 119+3+1 {
		t.Errorf("%d subjects, want 123", len(rep.Subjects))
	}
	if rep.PreviousPeriod != "2026Q3" || len(rep.Delta.Added) != 1 || !strings.HasSuffix(rep.Delta.Added[0].ID, "repo-00042") ||
		len(rep.Delta.Removed) != 1 || !strings.HasSuffix(rep.Delta.Removed[0].ID, "repo-00099") {
		t.Errorf("delta: previous %q, added %v, removed %v", rep.PreviousPeriod, rep.Delta.Added, rep.Delta.Removed)
	}
	prev, err := st.Results(ctx, "2026Q3")
	if err != nil {
		t.Fatal(err)
	}
	full := map[string]models.Result{}
	for _, r := range prev {
		full[r.SubjectID+"\x00"+r.Model] = r
	}
	changes, gates, histories := 0, 0, 0
	for _, s := range rep.Subjects {
		for i, r := range s.Results {
			p, ok := full[s.ID+"\x00"+r.Model]
			if !ok {
				continue
			}
			if len(r.Indicators) == 0 && s.Kind == models.KindProject {
				t.Errorf("%s: this period's result lost its indicators", s.ID)
			}
			want := assess.Diff(p, r, "2026Q3")
			if got := s.Changes[i]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: change %+v, want %+v", s.ID, got, want)
			}
			changes++
			gates += len(want.NewGates) + len(want.ResolvedGates)
		}
		if s.Kind == models.KindProject && len(s.History) == 3 {
			histories++
			if !s.History[1].Comparable || s.History[2].Comparable {
				t.Errorf("%s: history comparability %+v", s.ID, s.History)
			}
		}
	}
	// Project 42 was not assessed in 2026Q3: no change, a 2-point history.
	if changes != 118+3+1 || gates == 0 || histories != 118 {
		t.Errorf("%d changes (%d gate changes), %d 3-period histories; want 122, some, 118", changes, gates, histories)
	}
}

// TestWriteReportsParallel: the formats are written concurrently, the
// paths come back in the order asked, an unknown format writes nothing,
// and the process's memory limit is what it was.
func TestWriteReportsParallel(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "osgauge.db")
	built, err := benchstore.Build(ctx, db, benchstore.Options{Projects: 30, Suppliers: 2, Periods: 2})
	if err != nil {
		t.Fatal(err)
	}
	set, err := models.Load(map[string]string{"project-health": built.ModelPath})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rep, err := BuildReport(ctx, st, set, "2026Q4", "zh", "示例银行", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	limit := debug.SetMemoryLimit(-1)
	out := t.TempDir()
	if paths, err := WriteReports(rep, filepath.Join(out, "bad"), []string{"json", "pdf"}); err == nil || len(paths) != 0 {
		t.Errorf("unknown format: paths %v, err %v", paths, err)
	}
	if _, err := os.Stat(filepath.Join(out, "bad")); err == nil {
		t.Error("unknown format: the directory was made")
	}
	var tm ReportTimings
	paths, err := WriteReportsTimed(rep, out, []string{"json", "xlsx", "html"}, &tm)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(out, "osgauge-2026Q4.json"), filepath.Join(out, "osgauge-2026Q4.xlsx"), filepath.Join(out, "osgauge-2026Q4.html")}
	if !slices.Equal(paths, want) {
		t.Errorf("paths %v, want %v", paths, want)
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", p, err)
		}
	}
	if tm.Write <= 0 || len(tm.Format) != 3 {
		t.Errorf("timings %+v", tm)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit %d after writing, was %d", got, limit)
	}
}
