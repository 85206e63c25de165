package pipeline

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// pendingLedger writes a ledger under a temporary folder: the exit of
// jackson-databind 2.9.x (2026-03-01), then four proposals —
//
//	P1 2026-04-01 alice: approve fastjson 1.2.83 (intake), never reviewed
//	P2 2026-04-02 alice: cancel the jackson exit (exit), never reviewed
//	P3 2026-04-03 carol: waive G-KEV of logging-log4j2 for CVE-2021-44228,
//	   2026-04-03 – 2026-09-30 (waiver), confirmed by bob on 2026-04-10
//	P4 2026-04-04 alice: not_affected CVE-2020-36518 in jackson-databind
//	   2.9.10 (vex_kev), rejected by bob on 2026-04-05
//
// It returns the folder, the four proposals' ids and the exit's id.
func pendingLedger(t *testing.T) (dir string, ids [4]string, exitID string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "ledger")
	at := func(s string) time.Time { return day(s).Add(10 * time.Hour) }
	if _, err := ledger.Record(dir, ledger.Exit{Target: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.x",
		Reason: ledger.ReasonSecurity, Deadline: "2026-06-30", Owner: "Li Wei", By: "OSPO", Why: "end of life"}, at("2026-03-01")); err != nil {
		t.Fatal(err)
	}
	l, err := ledger.Load(dir)
	if err != nil || len(l.Exits) != 1 {
		t.Fatalf("exit: %v %+v", err, l)
	}
	exitID = l.Exits[0].ID
	props := []struct {
		p  ledger.Proposal
		at string
	}{
		{ledger.Proposal{Policy: ledger.CheckIntake, By: "alice", Decision: &ledger.Decision{Target: "pkg:maven/com.alibaba/fastjson",
			Versions: "1.2.83", Decision: ledger.Approved, Why: "grade B, safe mode on"}}, "2026-04-01"},
		{ledger.Proposal{Policy: ledger.CheckExit, By: "alice", ExitCancel: &ledger.ExitCancel{Exit: exitID, Why: "upgraded everywhere"}}, "2026-04-02"},
		{ledger.Proposal{Policy: ledger.CheckWaiver, By: "carol", Waiver: &ledger.Waiver{Subject: "github.com/apache/logging-log4j2", Gate: "G-KEV",
			Accepts: []string{"CVE-2021-44228"}, Accepted: "2026-04-03", Expires: "2026-09-30", Why: "JNDI lookups disabled"}}, "2026-04-03"},
		{ledger.Proposal{Policy: ledger.CheckVexKEV, By: "alice", Analyses: []ledger.VulnAnalysis{{Target: "pkg:maven/com.fasterxml.jackson.core/jackson-databind",
			Versions: "2.9.10", Vuln: "CVE-2020-36518", State: "not_affected", Justification: "code_not_reachable", Why: "no untrusted JSON"}}}, "2026-04-04"},
	}
	for i, x := range props {
		p, _, err := ledger.Propose(dir, x.p, at(x.at))
		if err != nil {
			t.Fatalf("proposal %d: %v", i+1, err)
		}
		ids[i] = p.ID
	}
	if _, _, err := ledger.Confirm(dir, ids[2], ledger.Reviewer{Name: "bob", Role: "approver"}, at("2026-04-10")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := ledger.Reject(dir, ids[3], ledger.Reviewer{Name: "bob", Role: "approver"}, "the call path is reachable", at("2026-04-05")); err != nil {
		t.Fatal(err)
	}
	return dir, ids, exitID
}

// The proposals awaiting confirmation as of a date are those proposed by
// then and not reviewed by then: on 2026-05-01 P1 and P2 (P3 was
// confirmed on 04-10, P4 rejected on 04-05); on 2026-04-06 also P3 (its
// confirmation came later), not P4 (rejected on 04-05); on 2026-04-01 at
// noon only P1 (proposed at 10:00 that day).
func TestAwaitingConfirmation(t *testing.T) {
	dir, ids, exitID := pendingLedger(t)
	l, err := ledger.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p1 := reports.LcPending{ID: ids[0], Kind: "intake", Subject: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.83", By: "alice",
		At: day("2026-04-01").Add(10 * time.Hour), Action: "approved", Why: "grade B, safe mode on"}
	// The cancellation's subject is the exit's target, its detail the exit.
	p2 := reports.LcPending{ID: ids[1], Kind: "exit", Subject: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.x",
		By: "alice", At: day("2026-04-02").Add(10 * time.Hour), Action: reports.PendingCancelExit, Detail: exitID, Why: "upgraded everywhere"}
	// The waiver: the gate, what it accepts, its first and last day.
	p3 := reports.LcPending{ID: ids[2], Kind: "waiver", Subject: "github.com/apache/logging-log4j2", By: "carol",
		At: day("2026-04-03").Add(10 * time.Hour), Action: reports.PendingWaive, Detail: "G-KEV: CVE-2021-44228 (2026-04-03 – 2026-09-30)",
		Why: "JNDI lookups disabled"}
	for _, c := range []struct {
		now  time.Time
		want []reports.LcPending
	}{
		{day("2026-05-01"), []reports.LcPending{p1, p2}},
		{day("2026-04-06"), []reports.LcPending{p1, p2, p3}},
		{day("2026-04-01").Add(12 * time.Hour), []reports.LcPending{p1}},
		{day("2026-03-31"), []reports.LcPending{}},
	} {
		got := AwaitingConfirmation(l, c.now)
		if len(got) != len(c.want) {
			t.Errorf("as of %s: %d awaiting, want %d: %+v", c.now, len(got), len(c.want), got)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("as of %s, #%d:\n got %+v\nwant %+v", c.now, i+1, got[i], c.want[i])
			}
		}
	}
	// The analysis, while it waited (2026-04-04 noon): the state and the
	// vulnerability with its justification.
	got := AwaitingConfirmation(l, day("2026-04-04").Add(12*time.Hour))
	if len(got) != 4 || got[3].Kind != "vex_kev" || got[3].Action != "not_affected" || got[3].Detail != "CVE-2020-36518 (code_not_reachable)" ||
		got[3].Subject != "pkg:maven/com.fasterxml.jackson.core/jackson-databind" || got[3].Versions != "2.9.10" {
		t.Errorf("as of 2026-04-04 noon: %+v", got)
	}
}

// The lifecycle section lists P1 and P2 as awaiting confirmation, and
// they change nothing: fastjson 1.2.83 is still used without intake
// (payments and batch run it, the approval is only proposed), and
// jackson-databind 2.9.10 is still on the exit list. A ledger holding
// nothing but a proposal, with no SBOM, still makes the section.
func TestLifecyclePendingChangesNothing(t *testing.T) {
	dir, ids, _ := pendingLedger(t)
	st := lcStore(t)
	lc, err := BuildLifecycle(context.Background(), st, nil, LifecycleOptions{LedgerDir: dir, Now: day("2026-05-01")})
	if err != nil || lc == nil {
		t.Fatalf("%+v %v", lc, err)
	}
	if len(lc.AwaitingConfirmation) != 2 || lc.AwaitingConfirmation[0].ID != ids[0] || lc.AwaitingConfirmation[1].ID != ids[1] {
		t.Errorf("awaiting: %+v", lc.AwaitingConfirmation)
	}
	if s := stateOf(lc, "com.alibaba:fastjson").State; s != ledger.StateUnapproved {
		t.Errorf("fastjson while its approval is proposed: %q, want unapproved", s)
	}
	if s := stateOf(lc, "com.fasterxml.jackson.core:jackson-databind").State; s != ledger.StateExit {
		t.Errorf("jackson-databind while its exit's cancellation is proposed: %q, want exit", s)
	}
	if lc.InUse.Approved != 0 || len(lc.Exits) != 1 {
		t.Errorf("approved %d (want 0), exits %d (want 1)", lc.InUse.Approved, len(lc.Exits))
	}

	only := filepath.Join(t.TempDir(), "ledger")
	if _, _, err := ledger.Propose(only, ledger.Proposal{Policy: ledger.CheckIntake, By: "alice", Decision: &ledger.Decision{
		Target: "pkg:maven/com.alibaba/fastjson", Decision: ledger.Approved, Why: "grade B"}}, day("2026-04-01")); err != nil {
		t.Fatal(err)
	}
	empty, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	lc, err = BuildLifecycle(context.Background(), empty, nil, LifecycleOptions{LedgerDir: only, Now: day("2026-05-01")})
	if err != nil || lc == nil || len(lc.AwaitingConfirmation) != 1 || lc.AwaitingConfirmation[0].By != "alice" || len(lc.Decisions) != 0 {
		t.Errorf("a ledger with only a proposal: %+v %v", lc, err)
	}
}
