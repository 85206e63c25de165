package ledger

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// A decision recorded, then superseded, then its successor's file deleted
// (reverted in git): the store keeps all three states.
func TestSyncMirror(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	dir := t.TempDir()
	t1 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	d := Decision{Target: "github.com/alibaba/fastjson", Decision: Approved, By: "alice", Why: "PHI B"}
	p1, err := Record(dir, d, t1)
	if err != nil {
		t.Fatal(err)
	}
	d.Decision, d.Why = Rejected, "CVE-2022-25845 in every version before 1.2.83"
	p2, err := Record(dir, d, t1.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := Sync(ctx, st, l, t1.Add(2*time.Hour)); err != nil || n.Added != 2 {
		t.Fatalf("sync %+v %v", n, err)
	}
	recs, _ := st.LedgerRecords(ctx, KindDecision)
	if len(recs) != 2 || recs[0].Status != store.LedgerSuperseded || recs[0].SupersededBy != recs[1].ID ||
		recs[1].Status != store.LedgerCurrent || recs[1].State != Rejected || recs[0].File != "decisions/"+filepath.Base(p1) {
		t.Fatalf("mirror %+v", recs)
	}

	// The rejection is reverted (its file deleted): withdrawn in the
	// store, and the approval is current again.
	if err := os.Remove(p2); err != nil {
		t.Fatal(err)
	}
	if l, err = Load(dir); err != nil {
		t.Fatal(err)
	}
	if n, err := Sync(ctx, st, l, t1.Add(3*time.Hour)); err != nil || n != (store.LedgerSync{Updated: 1, Withdrawn: 1}) {
		t.Fatalf("sync after revert %+v %v, want the approval updated (current again) and the rejection withdrawn", n, err)
	}
	recs, _ = st.LedgerRecords(ctx, KindDecision)
	if recs[0].Status != store.LedgerCurrent || recs[1].Status != store.LedgerWithdrawn {
		t.Fatalf("after revert %+v", recs)
	}
}
