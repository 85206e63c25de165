package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestAPIReadsByKey(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		for _, id := range []string{"a", "b", "c"} {
			if err := s.PutSubject(ctx, models.Subject{Kind: models.KindProject, ID: id, Name: "N" + id, Attrs: map[string]string{"use_type": "deep"}}); err != nil {
				t.Fatal(err)
			}
		}
		// Two periods; 2026Q4 assessed twice (the second run is the one
		// read), and a failed run of 2026Q3 that must be ignored.
		assessRun := func(period, status string, grades map[string]string) int64 {
			run, _ := s.StartRun(ctx, "assess", period)
			var rs []models.Result
			for sub, g := range grades {
				for _, m := range []string{"m1", "m2"} {
					rs = append(rs, models.Result{SubjectID: sub, Model: m, ModelVersion: "1", Grade: g, Status: "ok", Coverage: 1,
						Indicators: []models.IndicatorResult{{ID: "I-" + m, Status: "ok"}}})
				}
			}
			if err := s.SaveResults(ctx, run, period, rs); err != nil {
				t.Fatal(err)
			}
			if err := s.FinishRun(ctx, run, status, "", nil); err != nil {
				t.Fatal(err)
			}
			return run
		}
		assessRun("2026Q3", RunComplete, map[string]string{"a": "C", "b": "D"})
		assessRun("2026Q3", RunFailed, map[string]string{"a": "E", "b": "E"})
		assessRun("2026Q4", RunComplete, map[string]string{"a": "A", "b": "A", "c": "A"})
		q4 := assessRun("2026Q4", RunComplete, map[string]string{"a": "B", "b": "C", "c": "D"})

		sub, ok, err := s.Subject(ctx, "b")
		if err != nil || !ok || sub.Name != "Nb" || sub.Attrs["use_type"] != "deep" {
			t.Fatalf("Subject(b) = %+v %v %v", sub, ok, err)
		}
		if _, ok, err := s.Subject(ctx, "zz"); ok || err != nil {
			t.Fatalf("Subject(zz) = %v %v", ok, err)
		}
		run, ok, err := s.AssessRun(ctx, "2026Q4")
		if err != nil || !ok || run != q4 {
			t.Fatalf("AssessRun = %d %v %v, want %d", run, ok, err, q4)
		}
		if _, ok, _ := s.AssessRun(ctx, "2025Q1"); ok {
			t.Fatal("2025Q1 has no assessment")
		}
		// b in the latest Q4 run: grade C, both models, in model order.
		rs, err := s.SubjectResults(ctx, q4, "b")
		if err != nil || len(rs) != 2 || rs[0].Model != "m1" || rs[1].Model != "m2" || rs[0].Grade != "C" || rs[0].SubjectID != "b" ||
			len(rs[0].Indicators) != 1 || rs[0].Indicators[0].ID != "I-m1" {
			t.Fatalf("SubjectResults(b) = %+v %v", rs, err)
		}
		// History of a: 2026Q3 (the complete run: C, not the failed E),
		// 2026Q4 (the later run: B), two models each = 4 points.
		hist, err := s.SubjectHistory(ctx, "a")
		if err != nil || len(hist) != 4 {
			t.Fatalf("history %+v %v", hist, err)
		}
		want := []string{"2026Q3 m1 C", "2026Q3 m2 C", "2026Q4 m1 B", "2026Q4 m2 B"}
		for i, p := range hist {
			if got := p.Period + " " + p.Model + " " + p.Grade; got != want[i] {
				t.Errorf("history[%d] = %s, want %s", i, got, want[i])
			}
		}
		// Pages of Q4's 6 results (3 subjects × 2 models) by 4: a/m1 a/m2
		// b/m1 b/m2, then c/m1 c/m2.
		p1, err := s.ResultPage(ctx, q4, ResultFilter{}, "", "", 4)
		if err != nil || len(p1) != 4 || p1[3].SubjectID != "b" || p1[3].Model != "m2" {
			t.Fatalf("page 1 %+v %v", p1, err)
		}
		p2, err := s.ResultPage(ctx, q4, ResultFilter{}, "b", "m2", 4)
		if err != nil || len(p2) != 2 || p2[0].SubjectID != "c" || p2[0].Model != "m1" {
			t.Fatalf("page 2 %+v %v", p2, err)
		}
		// Model m2 with grade D: c only.
		f := ResultFilter{Model: "m2", Grade: "D"}
		if p, _ := s.ResultPage(ctx, q4, f, "", "", 10); len(p) != 1 || p[0].SubjectID != "c" {
			t.Errorf("filtered page %+v", p)
		}
		if n, err := s.ResultCount(ctx, q4, ResultFilter{Model: "m1"}); n != 3 || err != nil {
			t.Errorf("count m1 = %d %v, want 3", n, err)
		}
		// Runs: 4 assess runs; newest first, 2 at a time; then before the
		// second: the older two.
		runs, total, err := s.RunPage(ctx, RunFilter{Kind: "assess"}, 0, 2)
		if err != nil || total != 4 || len(runs) != 2 || runs[0].ID != q4 {
			t.Fatalf("runs %+v %d %v", runs, total, err)
		}
		older, _, _ := s.RunPage(ctx, RunFilter{Kind: "assess"}, runs[1].ID, 10)
		if len(older) != 2 || older[0].ID >= runs[1].ID {
			t.Errorf("older runs %+v", older)
		}
		if _, total, _ := s.RunPage(ctx, RunFilter{Status: RunFailed}, 0, 10); total != 1 {
			t.Errorf("failed runs %d, want 1", total)
		}
	})
}

// The freshness summary moves with each finished run as SourceFreshness
// (computed from every observation) does: forward only, usable runs only.
func TestFreshnessSummary(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
		collect := func(status string, obs map[string]time.Time) {
			run, _ := s.StartRun(ctx, "collect", "")
			var os []models.Observation
			for src, at := range obs {
				os = append(os, models.Observation{SubjectID: "a", Metric: src + ".m", Value: models.Num(1), Source: src, ObservedAt: at})
			}
			if err := s.AppendObservations(ctx, run, os); err != nil {
				t.Fatal(err)
			}
			if err := s.FinishRun(ctx, run, status, "", nil); err != nil {
				t.Fatal(err)
			}
		}
		check := func(when string, want map[string]time.Time) {
			t.Helper()
			got, err := s.FreshnessSummary(ctx)
			if err != nil {
				t.Fatal(err)
			}
			full, _ := s.SourceFreshness(ctx)
			if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(full) != fmt.Sprint(want) {
				t.Errorf("%s: summary %v, computed %v, want %v", when, got, full, want)
			}
		}
		collect(RunComplete, map[string]time.Time{"github": t0, "osv": t0.Add(time.Hour)})
		check("first run", map[string]time.Time{"github": t0, "osv": t0.Add(time.Hour)})
		// A failed run's newer observation does not count.
		collect(RunFailed, map[string]time.Time{"github": t0.Add(5 * time.Hour)})
		check("failed run", map[string]time.Time{"github": t0, "osv": t0.Add(time.Hour)})
		// A backfill (older observations) leaves github at t0; a partial
		// run brings osv forward by 2 h.
		collect(RunComplete, map[string]time.Time{"github": t0.Add(-48 * time.Hour)})
		collect(RunPartial, map[string]time.Time{"osv": t0.Add(3 * time.Hour)})
		check("backfill and partial", map[string]time.Time{"github": t0, "osv": t0.Add(3 * time.Hour)})
		// A store migrated with observations already there: the summary
		// is filled from them (here: dropped and rebuilt by migration 15).
		for _, q := range []string{`DROP INDEX results_run_subject`, `DROP INDEX results_subject`, `DROP TABLE source_freshness`,
			`DELETE FROM schema_migrations WHERE version = 15`} {
			if _, err := s.exec(ctx, q); err != nil {
				t.Fatal(q, err)
			}
		}
		if v, _ := s.SchemaVersion(ctx); v != 14 {
			t.Skipf("migrations after 15 exist (version %d): the rebuild is not rerun here", v)
		}
		s.Close()
		s = open()
		check("migrated", map[string]time.Time{"github": t0, "osv": t0.Add(3 * time.Hour)})
	})
}
