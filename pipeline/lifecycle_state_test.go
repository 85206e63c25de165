package pipeline

import (
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
)

// Review finding: a component known by several names (package URL,
// repository) takes the latest decision over all of them, not the first
// name's: an approval on the package URL in 2025 and a rejection on the
// repository in 2026 reject it.
func TestLifecycleStateLatestOverNames(t *testing.T) {
	dir := t.TempDir()
	rec := func(d ledger.Decision, at time.Time) {
		t.Helper()
		if _, err := ledger.Record(dir, d, at); err != nil {
			t.Fatal(err)
		}
	}
	rec(ledger.Decision{Target: "pkg:maven/com.alibaba/fastjson", Decision: ledger.Approved, By: "a", Why: "selection"},
		time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	rec(ledger.Decision{Target: "github.com/alibaba/fastjson", Decision: ledger.Rejected, By: "b", Why: "deserialisation RCEs"},
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	l, err := ledger.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	state, id := LifecycleState(l, []string{"pkg:maven/com.alibaba/fastjson", "github.com/alibaba/fastjson"}, "1.2.83")
	if state != ledger.StateRejected || id == "" {
		t.Errorf("state %s (%s), want rejected by the later decision", state, id)
	}
	// Only the package URL's decision: approved.
	if state, _ := LifecycleState(l, []string{"pkg:maven/com.alibaba/fastjson"}, "1.2.83"); state != ledger.StateApproved {
		t.Errorf("package URL alone: %s", state)
	}
}
