package ledger

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Ten proposals, each confirmed by bob and rejected by carol at the same
// moment: exactly one of the two wins per proposal (the other gets
// ErrNotProposed, the API's 409), so each proposal ends with exactly one
// review record — 10 proposals → 10 reviews in all, never 11 or more —
// and the ledger still loads.
func TestConcurrentConfirmReject(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	var ids []string
	for i := 0; i < 10; i++ {
		p, _, err := Propose(dir, Proposal{Policy: CheckIntake, By: "alice", Via: "key",
			Decision: &Decision{Target: fmt.Sprintf("github.com/a/b%d", i), Decision: Approved, Why: "ok"}}, at)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	var wg sync.WaitGroup
	errs := make([][2]error, len(ids))
	for i, id := range ids {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, _, errs[i][0] = Confirm(dir, id, Reviewer{Name: "bob", Via: "key"}, at.Add(time.Hour))
		}()
		go func() {
			defer wg.Done()
			_, _, errs[i][1] = Reject(dir, id, Reviewer{Name: "carol", Via: "key"}, "no", at.Add(time.Hour))
		}()
	}
	wg.Wait()
	l := mustLoad(t, dir)
	for i, id := range ids {
		won := 0
		for _, err := range errs[i] {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, ErrNotProposed):
				t.Errorf("%s: loser's error %v, want ErrNotProposed", id, err)
			}
		}
		if won != 1 {
			t.Errorf("%s: %d of confirm/reject succeeded, want exactly 1 (%v)", id, won, errs[i])
		}
		recs := 0
		for _, d := range l.Decisions {
			if d.Proposal == id {
				recs++
			}
		}
		for _, r := range l.Rejections {
			if r.Proposal == id {
				recs++
			}
		}
		if recs != 1 {
			t.Errorf("%s: %d review records (decisions + rejections), want 1", id, recs)
		}
	}
}

// The shared token and the no-users loopback identity are not one person:
// they cannot propose, confirm or reject.
func TestNonPersonalIdentitiesRefused(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	d := &Decision{Target: "github.com/a/b", Decision: Approved, Why: "ok"}
	for _, via := range []string{"shared-token", "loopback"} {
		if _, _, err := Propose(dir, Proposal{Policy: CheckIntake, By: "x", Via: via, Decision: d}, at); !errors.Is(err, ErrNotPersonal) {
			t.Errorf("propose via %s: %v, want ErrNotPersonal", via, err)
		}
	}
	p, _, err := Propose(dir, Proposal{Policy: CheckIntake, By: "alice", Via: "key", Decision: d}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, via := range []string{"shared-token", "loopback"} {
		if _, _, err := Confirm(dir, p.ID, Reviewer{Name: "shared-token", Role: "admin", Via: via}, at); !errors.Is(err, ErrNotPersonal) {
			t.Errorf("confirm via %s: %v, want ErrNotPersonal", via, err)
		}
		if _, _, err := Reject(dir, p.ID, Reviewer{Name: "local", Role: "admin", Via: via}, "no", at); !errors.Is(err, ErrNotPersonal) {
			t.Errorf("reject via %s: %v, want ErrNotPersonal", via, err)
		}
	}
	if l := mustLoad(t, dir); len(l.Decisions) != 0 || len(l.Rejections) != 0 {
		t.Errorf("refused reviews wrote records: %v %v", l.Decisions, l.Rejections)
	}
}

// "Another person": the Cyrillic "а" (U+0430) in "аlice" looks like the
// Latin a, fullwidth "ａｌｉｃｅ" is NFKC "alice", "ALICE" folds to "alice":
// all are alice and cannot confirm her proposal; "bob" can.
func TestSamePersonConfusables(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"alice", "alice", true},
		{" Alice ", "alice", true},
		{"\u0430lice", "alice", true}, // Cyrillic а
		{"ａｌｉｃｅ", "alice", true},      // fullwidth, NFKC
		{"STRASSE", "straße", true},   // full case folding: ß → ss
		{"bob", "alice", false},
		{"alice2", "alice", false},
	} {
		if got := SamePerson(c.a, c.b); got != c.same {
			t.Errorf("SamePerson(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	p, _, err := Propose(dir, Proposal{Policy: CheckIntake, By: "alice", Via: "key",
		Decision: &Decision{Target: "github.com/a/b", Decision: Approved, Why: "ok"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := Confirm(dir, p.ID, Reviewer{Name: "\u0430lice", Via: "key"}, at); !errors.Is(err, ErrOwnProposal) {
		t.Errorf("confirm by Cyrillic аlice: %v, want ErrOwnProposal", err)
	}
}
