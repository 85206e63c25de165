package store

import (
	"context"
	"fmt"
	"github.com/osgauge/osgauge/store/storetest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`INSERT INTO t (a, b) VALUES (?, ?)`, `INSERT INTO t (a, b) VALUES ($1, $2)`},
		{`SELECT '?', "a?b", x FROM t WHERE y = ? AND z = 'it''s ?' -- why?
		 AND w = ? /* ? */ AND v = $$?$$`, `SELECT '?', "a?b", x FROM t WHERE y = $1 AND z = 'it''s ?' -- why?
		 AND w = $2 /* ? */ AND v = $$?$$`},
		{`status IN (?,?,?) LIMIT ?`, `status IN ($1,$2,$3) LIMIT $4`},
	}
	for _, c := range cases {
		if got := rebind(c.in); got != c.want {
			t.Errorf("rebind(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestIsPostgresDSN(t *testing.T) {
	for dsn, want := range map[string]bool{
		"osgauge.db": false, "/var/lib/osgauge/osgauge.db": false, "postgres.db": false,
		"postgres://u@h/db": true, "postgresql://h/db?sslmode=disable": true, "PostgreSQL://h/db": true,
		"host=127.0.0.1 port=5432 dbname=x": true, "dbname=x host=/tmp": true,
	} {
		if got := IsPostgresDSN(dsn); got != want {
			t.Errorf("IsPostgresDSN(%q) = %v", dsn, got)
		}
	}
}

// Processes that open one new database at once apply each migration once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		var wg sync.WaitGroup
		stores := make([]*Store, 6)
		for i := range stores {
			wg.Add(1)
			go func() { defer wg.Done(); stores[i] = open() }()
		}
		wg.Wait()
		if t.Failed() {
			return
		}
		var rows int
		if err := stores[0].queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&rows); err != nil || rows != len(allMigrations()) {
			t.Errorf("schema_migrations has %d rows (%v), want %d", rows, err, len(allMigrations()))
		}
		for _, s := range stores {
			if v, err := s.SchemaVersion(ctx); err != nil || v != len(allMigrations()) {
				t.Errorf("schema version %d, %v", v, err)
			}
		}
		if stores[0].DSN() == "" || stores[0].DB() == nil {
			t.Error("DSN or DB missing")
		}
	})
}

// Each of an UPDATE and a DELETE of an observation fails on its own, and
// leaves the row as it was.
func TestAppendOnlyGuardEachStatement(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, err := s.StartRun(ctx, "collect", "")
		if err != nil {
			t.Fatal(err)
		}
		t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		if err := s.AppendObservations(ctx, run, []models.Observation{obs("p", "m", 1, t0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.exec(ctx, `UPDATE observations SET value = ? WHERE subject_id = ?`, 2, "p"); !IsAppendOnlyError(err) {
			t.Errorf("update: %v", err)
		}
		if _, err := s.exec(ctx, `DELETE FROM observations WHERE subject_id = ?`, "p"); !IsAppendOnlyError(err) {
			t.Errorf("delete: %v", err)
		}
		if h, _ := s.History(ctx, "p", "m"); len(h) != 1 || *h[0].Value != 1 {
			t.Errorf("history = %+v", h)
		}
	})
}

func TestAppendObservationsOnce(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "collect", "2026Q4")
		t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		batch := []models.Observation{obs("p", "a", 1, t0), obs("p", "b", 2, t0)}
		w, err := s.AppendObservationsOnce(ctx, run, "p", "github", batch)
		if err != nil || !w {
			t.Fatalf("first = %v, %v", w, err)
		}
		// The same job delivered again writes nothing.
		w, err = s.AppendObservationsOnce(ctx, run, "p", "github", batch)
		if err != nil || w {
			t.Fatalf("second = %v, %v", w, err)
		}
		// Another source of the same subject, and the same source in
		// another run, are other collections.
		if w, err := s.AppendObservationsOnce(ctx, run, "p", "gitlocal", []models.Observation{obs("p", "c", 3, t0)}); err != nil || !w {
			t.Fatalf("other source = %v, %v", w, err)
		}
		run2, _ := s.StartRun(ctx, "collect", "2026Q4")
		if w, err := s.AppendObservationsOnce(ctx, run2, "p", "github", batch[:1]); err != nil || !w {
			t.Fatalf("other run = %v, %v", w, err)
		}
		// run: 2 + 1 observations in 2 collections; run2: 1 in 1.
		if n, _ := s.RunObservations(ctx, run); n != 3 {
			t.Errorf("run observations = %d, want 3", n)
		}
		if n, _ := s.RunCollections(ctx, run); n != 2 {
			t.Errorf("run collections = %d, want 2", n)
		}
		if n, _ := s.RunCollections(ctx, run2); n != 1 {
			t.Errorf("run2 collections = %d, want 1", n)
		}
		// A bad batch keeps neither the observations nor the collection
		// mark, so a retry can still write it.
		bad := []models.Observation{obs("q", "a", 1, t0), {SubjectID: "q", Source: "github"}}
		if _, err := s.AppendObservationsOnce(ctx, run, "q", "github", bad); err == nil {
			t.Fatal("bad batch accepted")
		}
		if n, _ := s.RunCollections(ctx, run); n != 2 {
			t.Errorf("a failed collection was recorded: %d", n)
		}
		if w, err := s.AppendObservationsOnce(ctx, run, "q", "github", bad[:1]); err != nil || !w {
			t.Errorf("retry = %v, %v", w, err)
		}
	})
}

// Several workers deliver the same job at once: exactly one writes.
func TestAppendObservationsOnceConcurrent(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "collect", "")
		t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		var written atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 8; i++ {
			w := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				ok, err := w.AppendObservationsOnce(ctx, run, "p", "github", []models.Observation{obs("p", "a", 1, t0), obs("p", "b", 2, t0)})
				if err != nil {
					t.Error(err)
				}
				if ok {
					written.Add(1)
				}
			}()
		}
		wg.Wait()
		if written.Load() != 1 {
			t.Errorf("%d deliveries wrote, want 1", written.Load())
		}
		if n, _ := s.RunObservations(ctx, run); n != 2 {
			t.Errorf("observations = %d, want 2", n)
		}
	})
}

func TestInventoryAndJobsRoundTrip(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		comps := []InvComponent{{Key: "pkg:maven/com.alibaba/fastjson@1.2.24", Ecosystem: "maven", Namespace: "com.alibaba", Name: "fastjson", Version: "1.2.24"}}
		id1, err := s.SaveSnapshot(ctx, Snapshot{System: "core", Path: "a.json", Format: "cyclonedx", SHA256: "x", ImportedAt: at},
			comps, []InvRef{{Key: comps[0].Key, Relation: "direct"}})
		if err != nil {
			t.Fatal(err)
		}
		id2, err := s.SaveSnapshot(ctx, Snapshot{System: "core", Path: "b.json", Format: "cyclonedx", SHA256: "y", ImportedAt: at.Add(time.Hour), LicenseSource: "sbom"},
			comps, []InvRef{{Key: comps[0].Key, Relation: "transitive"}})
		if err != nil || id2 <= id1 {
			t.Fatalf("snapshot ids %d, %d, %v", id1, id2, err)
		}
		rows, err := s.SystemsRunning(ctx, "com.alibaba/fastjson", "1.2.24")
		if err != nil || len(rows) != 1 || rows[0].SnapshotID != id2 || rows[0].Relation != "transitive" {
			t.Fatalf("systems running = %+v, %v", rows, err)
		}
		score := 9.8
		if err := s.PutVulns(ctx, []Vuln{{ID: "GHSA-1", Score: &score, Record: []byte(`{}`), Packages: [][2]string{{"Maven", "com.alibaba:fastjson"}}}}); err != nil {
			t.Fatal(err)
		}
		if vs, err := s.VulnsForPackage(ctx, "Maven", "com.alibaba:fastjson"); err != nil || len(vs) != 1 || *vs[0].Score != 9.8 {
			t.Fatalf("vulns = %+v, %v", vs, err)
		}
		if err := s.SetMatches(ctx, []string{comps[0].Key}, []VulnMatch{{Key: comps[0].Key, Vuln: "GHSA-1"}}, "api"); err != nil {
			t.Fatal(err)
		}
		if m, checked, err := s.Matches(ctx); err != nil || len(m[comps[0].Key]) != 1 || !checked[comps[0].Key] {
			t.Fatalf("matches = %+v %v %v", m, checked, err)
		}
		if err := s.PutJob(ctx, "collect", "@daily", at); err != nil {
			t.Fatal(err)
		}
		s.JobStarted(ctx, "collect", at, at.Add(24*time.Hour))
		s.JobFinished(ctx, "collect", at.Add(time.Minute), JobFailed, "boom", 1<<40, at.Add(24*time.Hour), true)
		js, err := s.Jobs(ctx)
		if err != nil || len(js) != 1 || js[0].Runs != 1 || js[0].Failures != 1 || js[0].LastRunID != 1<<40 {
			t.Fatalf("jobs = %+v, %v", js, err)
		}
		// Text orders byte by byte on both drivers ("B" before "a").
		for _, id := range []string{"a", "B", "_"} {
			s.PutSubject(ctx, models.Subject{ID: id, Kind: "project", Name: id})
		}
		subs, _ := s.Subjects(ctx)
		if len(subs) != 3 || subs[0].ID != "B" || subs[1].ID != "_" || subs[2].ID != "a" {
			t.Errorf("subjects not in byte order: %+v", subs)
		}
	})
}

func TestBudgetSequence(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		storetest.BudgetSequence(t, open())
	})
}

// 8 workers, each with its own *Store on one database, take from a budget
// of 100 whose reset is in the future: exactly 100 takes succeed before
// every worker is told to wait.
func TestBudgetTakeConcurrent(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		now := time.Now()
		s := open()
		if err := s.BudgetObserve(ctx, "cred", 100, now.Add(time.Hour), now); err != nil {
			t.Fatal(err)
		}
		var took atomic.Int32
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := 0; w < 8; w++ {
			ws := open()
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					wait, err := ws.BudgetTake(ctx, "cred", now)
					if err != nil {
						errs <- err
						return
					}
					if wait > 0 {
						if wait < time.Hour {
							errs <- fmt.Errorf("wait %v, want about an hour", wait)
						}
						return
					}
					took.Add(1)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if took.Load() != 100 {
			t.Errorf("took %d, want 100", took.Load())
		}
		if st, _ := s.BudgetState(ctx); len(st) != 1 || st[0].Remaining != 0 {
			t.Errorf("state = %+v", st)
		}
	})
}
