package store

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestSyncLedger(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		t1 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		t2 := t1.Add(24 * time.Hour)
		first := LedgerRecord{ID: "dec-aaaa", Kind: "decision", Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.83",
			State: "approved", Status: LedgerCurrent, At: t1, File: "decisions/2026-12-07-dec-aaaa.yaml", Record: json.RawMessage(`{"id":"dec-aaaa"}`)}
		exit := LedgerRecord{ID: "exit-cccc", Kind: "exit", Target: "pkg:pypi/nose", State: "exit", At: t1.Add(time.Minute),
			File: "exits/2026-12-07-exit-cccc.yaml", Record: json.RawMessage(`{"id":"exit-cccc"}`)}
		st, err := s.SyncLedger(ctx, []LedgerRecord{first, exit}, t1)
		if err != nil {
			t.Fatal(err)
		}
		if st != (LedgerSync{Added: 2}) {
			t.Errorf("first sync %+v, want 2 added", st)
		}

		// A later decision supersedes the first: both rows, the first
		// marked superseded by the second.
		second := first
		second.ID, second.State, second.At, second.File, second.Record = "dec-bbbb", "conditional", t2, "decisions/2026-12-08-dec-bbbb.yaml", json.RawMessage(`{"id":"dec-bbbb"}`)
		first.Status, first.SupersededBy = LedgerSuperseded, "dec-bbbb"
		st, err = s.SyncLedger(ctx, []LedgerRecord{first, second, exit}, t2)
		if err != nil {
			t.Fatal(err)
		}
		if st != (LedgerSync{Added: 1, Updated: 1}) {
			t.Errorf("second sync %+v, want 1 added (dec-bbbb), 1 updated (dec-aaaa superseded), exit unchanged", st)
		}
		recs, err := s.LedgerRecords(ctx, "decision")
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[0].ID != "dec-aaaa" || recs[0].Status != LedgerSuperseded || recs[0].SupersededBy != "dec-bbbb" ||
			recs[1].ID != "dec-bbbb" || recs[1].Status != LedgerCurrent || recs[1].State != "conditional" || !recs[1].At.Equal(t2) {
			t.Fatalf("decisions %+v", recs)
		}
		if !recs[0].FirstSynced.Equal(t1) || !recs[0].SyncedAt.Equal(t2) || string(recs[0].Record) != `{"id":"dec-aaaa"}` {
			t.Errorf("first record's times or JSON: %+v", recs[0])
		}

		// The exit's file is deleted (a reverted exit): withdrawn, kept.
		t3 := t2.Add(time.Hour)
		if st, err = s.SyncLedger(ctx, []LedgerRecord{first, second}, t3); err != nil || st != (LedgerSync{Withdrawn: 1}) {
			t.Fatalf("third sync %+v, %v, want 1 withdrawn", st, err)
		}
		ex, _ := s.LedgerRecords(ctx, "exit")
		if len(ex) != 1 || ex[0].Status != LedgerWithdrawn || !ex[0].WithdrawnAt.Equal(t3) {
			t.Fatalf("exit after its file went: %+v", ex)
		}
		// Withdrawn stays withdrawn (counted once) and comes back when the
		// file does.
		if st, _ = s.SyncLedger(ctx, []LedgerRecord{first, second}, t3.Add(time.Minute)); st != (LedgerSync{}) {
			t.Errorf("sync without change %+v", st)
		}
		if st, _ = s.SyncLedger(ctx, []LedgerRecord{first, second, exit}, t3.Add(2*time.Minute)); st != (LedgerSync{Restored: 1}) {
			t.Errorf("sync with the exit back %+v, want 1 restored", st)
		}
		all, _ := s.LedgerRecords(ctx, "")
		if len(all) != 3 || all[1].ID != "exit-cccc" || all[1].Status != LedgerCurrent || !all[1].WithdrawnAt.IsZero() {
			t.Fatalf("all records %+v", all)
		}

		if _, err := s.SyncLedger(ctx, []LedgerRecord{{ID: "x", Kind: "decision", Target: "t", State: "approved", Record: json.RawMessage(`{`)}}, t3); err == nil {
			t.Error("a record with broken JSON was mirrored")
		}
	})
}

func TestLatestResult(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		save := func(period string, score float64, at time.Time, finish bool) {
			run, err := s.StartRun(ctx, "assess", period)
			if err != nil {
				t.Fatal(err)
			}
			r := models.Result{SubjectID: "github.com/a/b", Model: "project-health", ModelVersion: "1", ModelHash: "h", Score: &score, Status: "ok", AssessedAt: at}
			if err := s.SaveResults(ctx, run, period, []models.Result{r}); err != nil {
				t.Fatal(err)
			}
			if finish {
				if err := s.FinishRun(ctx, run, RunComplete, "", nil); err != nil {
					t.Fatal(err)
				}
			}
		}
		t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
		save("2026Q4", 60, t0.Add(48*time.Hour), true)
		save("2026Q3", 50, t0, true)                    // older, assessed earlier
		save("2026Q4", 99, t0.Add(72*time.Hour), false) // a run that never finished
		r, ok, err := s.LatestResult(ctx, "github.com/a/b", "project-health")
		if err != nil || !ok || *r.Score != 60 || r.SubjectID != "github.com/a/b" {
			t.Fatalf("latest %+v %v %v, want the finished run's 60", r, ok, err)
		}
		if _, ok, _ := s.LatestResult(ctx, "github.com/x/y", "project-health"); ok {
			t.Error("a result for a subject never assessed")
		}
	})
}
