package store

import (
	"context"
	"slices"
	"testing"
	"time"
)

func TestNotifyClaims(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		claims := []NotifyClaim{{Key: "f1|kev|affected", Event: "kev"}, {Key: "f2|critical|in_triage", Event: "critical"}}

		// Ids are the rows' (a conflicting insert may use up an id, on
		// PostgreSQL always): got reads them as claimed or not.
		got := func(ids []int64) []bool {
			b := make([]bool, len(ids))
			for i, id := range ids {
				b[i] = id != 0
			}
			return b
		}
		// First run: both keys claimed.
		ids, err := s.ClaimNotify(ctx, "wecom-1", claims, t0, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got(ids), []bool{true, true}) || ids[0] == ids[1] {
			t.Fatalf("first claim ids %v, want two rows", ids)
		}
		// While they are being sent, nothing is claimed again, also not by
		// another process; another channel claims the same keys for itself.
		again, err := s.ClaimNotify(ctx, "wecom-1", claims, t0.Add(time.Minute), time.Hour)
		if err != nil || !slices.Equal(got(again), []bool{false, false}) {
			t.Fatalf("claim while sending: %v %v, want [0 0]", again, err)
		}
		other, err := s.ClaimNotify(ctx, "mail-1", claims[:1], t0, time.Hour)
		if err != nil || !slices.Equal(got(other), []bool{true}) {
			t.Fatalf("other channel: %v %v, want a row", other, err)
		}

		// f1 is sent; f2 fails after 4 attempts.
		if err := s.FinishNotify(ctx, ids[:1], NotifySent, 1, "", t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := s.FinishNotify(ctx, ids[1:], NotifyFailed, 4, "HTTP 500", t0.Add(2*time.Minute)); err != nil {
			t.Fatal(err)
		}
		// Next run: f1 stays sent, f2 is claimed again (a new row).
		next, err := s.ClaimNotify(ctx, "wecom-1", claims, t0.Add(24*time.Hour), time.Hour)
		if err != nil || !slices.Equal(got(next), []bool{false, true}) {
			t.Fatalf("next run: %v %v, want [0 id]", next, err)
		}
		// That claim is left "sending" by a run that dies; 59 minutes later
		// it still holds, after an hour it is abandoned and claimed afresh.
		held, err := s.ClaimNotify(ctx, "wecom-1", claims[1:], t0.Add(24*time.Hour+59*time.Minute), time.Hour)
		if err != nil || !slices.Equal(got(held), []bool{false}) {
			t.Fatalf("59 min later: %v %v, want [0]", held, err)
		}
		taken, err := s.ClaimNotify(ctx, "wecom-1", claims[1:], t0.Add(25*time.Hour+time.Second), time.Hour)
		if err != nil || !slices.Equal(got(taken), []bool{true}) {
			t.Fatalf("after an hour: %v %v, want a row", taken, err)
		}

		log, err := s.NotifySends(ctx, "wecom-1", 0)
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, r := range log {
			rows = append(rows, r.Key+" "+r.Status)
		}
		want := []string{"f2|critical|in_triage sending", "f2|critical|in_triage abandoned", "f2|critical|in_triage failed", "f1|kev|affected sent"}
		if !slices.Equal(rows, want) {
			t.Errorf("send log %q, want %q", rows, want)
		}
		if f := log[2]; f.Attempts != 4 || f.Error != "HTTP 500" || !f.DoneAt.Equal(t0.Add(2*time.Minute)) || f.Event != "critical" {
			t.Errorf("failed row %+v", f)
		}
		if all, _ := s.NotifySends(ctx, "", 2); len(all) != 2 || all[0].ID != taken[0] {
			t.Errorf("all channels, limit 2: %+v", all)
		}
		if err := s.FinishNotify(ctx, taken, NotifySending, 1, "", t0); err == nil {
			t.Error("finish with status sending accepted")
		}
	})
}
