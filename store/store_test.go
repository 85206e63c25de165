package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// testDriver gives each test a fresh, empty database of one driver.
type testDriver struct {
	name string
	dsn  func(t testing.TB) string
}

// testDrivers are the drivers every store test runs on: SQLite always;
// PostgreSQL is added by postgres_test.go under the postgres build tag.
var testDrivers = []testDriver{
	{name: DriverSQLite, dsn: func(t testing.TB) string { return filepath.Join(t.TempDir(), "t.db") }},
}

// forEachDriver runs f once per driver, each on a fresh database. open
// opens (again) that database; stores it opens are closed when the test
// ends.
func forEachDriver(t *testing.T, f func(t *testing.T, open func() *Store)) {
	for _, d := range testDrivers {
		t.Run(d.name, func(t *testing.T) {
			dsn := d.dsn(t)
			open := func() *Store {
				t.Helper()
				s, err := Open(context.Background(), dsn)
				if err != nil {
					t.Fatal(err)
				}
				if s.Driver() != d.name {
					t.Fatalf("driver = %q, want %q", s.Driver(), d.name)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
			f(t, open)
		})
	}
}

func obs(subject, metric string, v float64, at time.Time) models.Observation {
	return models.Observation{SubjectID: subject, Metric: metric, Value: models.Num(v), Source: "test", ObservedAt: at}
}

func TestObservationsAreAppendOnly(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "collect", "")
		t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		if err := s.AppendObservations(ctx, run, []models.Observation{obs("p", "m", 1, t0)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.exec(ctx, `UPDATE observations SET value = 2`); !IsAppendOnlyError(err) {
			t.Errorf("update allowed: %v", err)
		}
		if _, err := s.exec(ctx, `DELETE FROM observations`); !IsAppendOnlyError(err) {
			t.Errorf("delete allowed: %v", err)
		}
		// A second run adds history instead of replacing it.
		run2, _ := s.StartRun(ctx, "collect", "")
		s.AppendObservations(ctx, run2, []models.Observation{obs("p", "m", 5, t0.Add(24*time.Hour))})
		h, err := s.History(ctx, "p", "m")
		if err != nil || len(h) != 2 || *h[0].Value != 1 || *h[1].Value != 5 {
			t.Fatalf("history = %+v, %v", h, err)
		}
	})
}

func TestLatestFactsUseFinishedRunsOnly(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		done, _ := s.StartRun(ctx, "collect", "")
		s.AppendObservations(ctx, done, []models.Observation{obs("p", "m", 1, t0), {SubjectID: "p", Metric: "n", Source: "test", ObservedAt: t0, Reason: "needs network"}})
		s.FinishRun(ctx, done, RunComplete, "", nil)
		// A later run that crashed (still "running") must not be used.
		crashed, _ := s.StartRunOwned(ctx, "collect", "", "") // no owner: its process is gone
		s.AppendObservations(ctx, crashed, []models.Observation{obs("p", "m", 99, t0.Add(time.Hour))})

		f, err := s.LatestFacts(ctx, t0.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got := f["p"]["m"]; got.Value == nil || *got.Value != 1 {
			t.Errorf("latest m = %+v, want 1 from the finished run", got)
		}
		if got := f["p"]["n"]; got.Value != nil || got.Reason != "needs network" {
			t.Errorf("inconclusive observation lost its reason: %+v", got)
		}
		if n, _ := s.MarkInterrupted(ctx); n != 1 {
			t.Errorf("interrupted %d runs, want 1", n)
		}
		// Observations after the period end are not used.
		later, _ := s.StartRun(ctx, "collect", "")
		s.AppendObservations(ctx, later, []models.Observation{obs("p", "m", 7, t0.Add(72*time.Hour))})
		s.FinishRun(ctx, later, RunComplete, "", nil)
		f, _ = s.LatestFacts(ctx, t0.Add(48*time.Hour))
		if got := f["p"]["m"]; *got.Value != 1 {
			t.Errorf("observation after the cut-off was used: %v", *got.Value)
		}
		f, _ = s.LatestFacts(ctx, t0.Add(96*time.Hour))
		if got := f["p"]["m"]; *got.Value != 7 {
			t.Errorf("latest = %v, want 7", *got.Value)
		}
	})
}

func TestAppendIsAllOrNothing(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "collect", "")
		t0 := time.Now()
		err := s.AppendObservations(ctx, run, []models.Observation{obs("p", "a", 1, t0), {SubjectID: "p", Metric: "", Source: "x"}})
		if err == nil {
			t.Fatal("invalid observation accepted")
		}
		if h, _ := s.History(ctx, "p", "a"); len(h) != 0 {
			t.Errorf("half a batch was kept: %+v", h)
		}
	})
}

func TestReopenKeepsSchemaAndResults(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "assess", "2026Q4")
		r := models.Result{SubjectID: "p", Model: "project-health", ModelVersion: "1", ModelHash: "sha256:x", Score: models.Num(71.2), Grade: "B", Coverage: 0.8, Status: "ok"}
		if err := s.SaveResults(ctx, run, "2026Q4", []models.Result{r}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Results(ctx, "2026Q4"); !errors.Is(err, ErrNoResults) {
			t.Errorf("results of an unfinished assessment were returned: %v", err)
		}
		s.FinishRun(ctx, run, RunComplete, "", nil)
		s.Close()

		s2 := open()
		if v, _ := s2.SchemaVersion(ctx); v != len(allMigrations()) {
			t.Errorf("schema version %d", v)
		}
		got, err := s2.Results(ctx, "2026Q4")
		if err != nil || len(got) != 1 || *got[0].Score != 71.2 || got[0].Grade != "B" || got[0].SubjectID != "p" {
			t.Fatalf("results = %+v, %v", got, err)
		}
	})
}

func TestCacheRoundTrip(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		if _, ok, err := s.CacheGet(ctx, "GET https://api.example/repos/a/b"); ok || err != nil {
			t.Fatalf("empty cache answered: %v %v", ok, err)
		}
		s.CachePut(ctx, "k", `W/"1"`, []byte(`{"a":1}`))
		s.CachePut(ctx, "k", `W/"2"`, []byte(`{"a":2}`))
		e, ok, err := s.CacheGet(ctx, "k")
		if !ok || err != nil || e.ETag != `W/"2"` || string(e.Body) != `{"a":2}` {
			t.Errorf("entry = %+v %v %v", e, ok, err)
		}
	})
}

// A result stored by an earlier version (no score_range, grade_range,
// missing, gates_unknown in its detail) still loads, for trends; a new
// one keeps its range.
func TestOlderResultsStillLoad(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		run, _ := s.StartRun(ctx, "assess", "2026Q3")
		old := `{"model":"project-health","model_version":"0.2.0","model_hash":"sha256:old","score":40.2,"coverage":0.41,"status":"inconclusive","gates":[],"dimensions":[],"indicators":[],"assessed_at":"2026-09-30T00:00:00Z"}`
		if _, err := s.exec(ctx, `INSERT INTO results (run_id, period, subject_id, model_id, model_version, model_hash, score, grade, level, coverage, status, detail, assessed_at)
			VALUES (?, '2026Q3', 'p', 'project-health', '0.2.0', 'sha256:old', 40.2, '', 0, 0.41, 'inconclusive', ?, '2026-09-30T00:00:00Z')`, run, old); err != nil {
			t.Fatal(err)
		}
		s.FinishRun(ctx, run, RunComplete, "", nil)
		got, err := s.Results(ctx, "2026Q3")
		if err != nil || len(got) != 1 || got[0].ScoreRange != nil || got[0].GradeRange != nil || *got[0].Score != 40.2 {
			t.Fatalf("old result = %+v, %v", got, err)
		}
		run2, _ := s.StartRun(ctx, "assess", "2026Q4")
		r := models.Result{SubjectID: "p", Model: "project-health", ModelVersion: "0.3.0", Score: models.Num(33.4), ScoreRange: []float64{11, 62.1},
			Grade: "D", Partial: true, Status: "ok", Missing: []models.MissingIndicator{{ID: "RSP-1", Swing: 4, Sources: []string{"github"}}}}
		s.SaveResults(ctx, run2, "2026Q4", []models.Result{r})
		s.FinishRun(ctx, run2, RunComplete, "", nil)
		got, err = s.Results(ctx, "2026Q4")
		if err != nil || len(got) != 1 || len(got[0].ScoreRange) != 2 || got[0].ScoreRange[1] != 62.1 || !got[0].Partial || got[0].Missing[0].ID != "RSP-1" {
			t.Fatalf("new result = %+v, %v", got, err)
		}
	})
}
