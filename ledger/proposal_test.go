package ledger

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func mustLoad(t *testing.T, dir string) *Ledger {
	t.Helper()
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// An intake approval proposed by alice changes nothing; alice cannot
// confirm it (nor "Alice "); bob can, and only from then is the component
// approved, with both people in the decision's file.
func TestProposalConfirmedByAnotherPerson(t *testing.T) {
	dir := t.TempDir()
	proposedAt := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	confirmedAt := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	p, path, err := Propose(dir, Proposal{Policy: CheckIntake, By: "alice", Role: "assessor", Via: "key",
		Decision: &Decision{Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.83", Decision: Approved, Why: "grade B"}}, proposedAt)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(filepath.Dir(path)) != ProposalsDir || !strings.HasPrefix(p.ID, "prop-") || p.Decision.By != "alice" {
		t.Fatalf("proposal %+v at %s", p, path)
	}
	l := mustLoad(t, dir)
	if got := l.State("pkg:maven/com.alibaba/fastjson", "1.2.83"); got != StateUnapproved {
		t.Errorf("state while proposed = %q, want unapproved (a proposal changes nothing)", got)
	}
	if len(l.Approved(time.Time{})) != 0 || len(l.Pending()) != 1 || l.Pending()[0].State != ProposalProposed {
		t.Errorf("approved %v, pending %v", l.Approved(time.Time{}), l.Pending())
	}
	for _, self := range []string{"alice", " Alice "} {
		if _, _, err := Confirm(dir, p.ID, Reviewer{Name: self, Role: "approver"}, confirmedAt); !errors.Is(err, ErrOwnProposal) {
			t.Errorf("confirmed by %q: err %v, want ErrOwnProposal", self, err)
		}
	}
	if len(mustLoad(t, dir).Decisions) != 0 {
		t.Fatal("a refused confirmation wrote a decision")
	}
	got, paths, err := Confirm(dir, p.ID, Reviewer{Name: "bob", Role: "approver", Via: "oidc"}, confirmedAt)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != ProposalConfirmed || got.ReviewedBy != "bob" || len(paths) != 1 || len(got.Records) != 1 {
		t.Fatalf("after confirm: %+v, %v", got, paths)
	}
	l = mustLoad(t, dir)
	if s := l.State("pkg:maven/com.alibaba/fastjson", "1.2.83"); s != StateApproved {
		t.Errorf("state after confirmation = %q, want approved", s)
	}
	d := l.Decisions[0]
	if d.By != "alice" || d.ConfirmedBy != "bob" || !d.ProposedAt.Equal(proposedAt) || !d.ConfirmedAt.Equal(confirmedAt) ||
		!d.At.Equal(confirmedAt) || d.Proposal != p.ID || d.ID != got.Records[0] {
		t.Errorf("decision %+v", d)
	}
	// The file says both: by, confirmed_by, proposed_at, confirmed_at.
	b, _ := os.ReadFile(paths[0])
	for _, want := range []string{"by: alice", "confirmed_by: bob", "proposal: " + p.ID, "proposed_at: 2026-12-07T10:00:00Z", "confirmed_at: 2026-12-08T09:00:00Z"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %q:\n%s", paths[0], want, b)
		}
	}
	// As of a moment between proposal and confirmation it was not approved.
	if n := len(l.Approved(proposedAt.Add(time.Hour))); n != 0 {
		t.Errorf("approved before the confirmation: %d, want 0", n)
	}
	if n := len(l.Approved(confirmedAt)); n != 1 {
		t.Errorf("approved at the confirmation: %d, want 1", n)
	}
	if _, _, err := Confirm(dir, p.ID, Reviewer{Name: "carol"}, confirmedAt.Add(time.Hour)); !errors.Is(err, ErrNotProposed) {
		t.Errorf("confirmed twice: %v, want ErrNotProposed", err)
	}
	if _, _, err := Confirm(dir, "prop-nothere", Reviewer{Name: "carol"}, confirmedAt); !errors.Is(err, ErrNoProposal) {
		t.Errorf("unknown proposal: %v, want ErrNoProposal", err)
	}
	// Mirror: the proposal is a row in state confirmed, the decision approved.
	states := map[string]string{}
	for _, r := range l.Records() {
		states[r.Kind+" "+r.ID] = r.State
	}
	if states[KindProposal+" "+p.ID] != ProposalConfirmed || states[KindDecision+" "+d.ID] != Approved {
		t.Errorf("store rows %v", states)
	}
}

// A file confirming its own proposal, written by hand, is refused on Load
// with the file and line.
func TestSelfConfirmedFileRefused(t *testing.T) {
	dir := t.TempDir()
	p, _, err := Propose(dir, Proposal{Policy: CheckIntake, By: "alice",
		Decision: &Decision{Target: "github.com/a/b", Decision: Approved, Why: "ok"}}, time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(dir, DecisionsDir, "x.yaml")
	os.MkdirAll(filepath.Dir(f), 0o755)
	os.WriteFile(f, []byte(`kind: decision
id: dec-x
target: github.com/a/b
decision: approved
by: alice
why: ok
at: 2026-12-08T09:00:00Z
proposal: `+p.ID+`
proposed_at: 2026-12-07T10:00:00Z
confirmed_by: alice
confirmed_at: 2026-12-08T09:00:00Z
`), 0o644)
	_, err = Load(dir)
	// the id is on line 2: the record's line.
	if err == nil || !strings.Contains(err.Error(), f+`:2: confirmed_by: "alice" proposed `+p.ID) {
		t.Fatalf("err = %v", err)
	}
	// confirmed_by without a proposal is refused too.
	os.WriteFile(f, []byte("kind: decision\nid: dec-x\ntarget: github.com/a/b\ndecision: approved\nby: alice\nwhy: ok\nat: 2026-12-08\nconfirmed_by: bob\n"), 0o644)
	if _, err = Load(dir); err == nil || !strings.Contains(err.Error(), "x.yaml:8: confirmed_by: a confirmed record names its proposal") {
		t.Fatalf("err = %v", err)
	}
}

// A rejected proposal stays without effect and cannot be confirmed.
func TestProposalRejected(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	p, _, err := Propose(dir, Proposal{Policy: CheckIntake, By: "alice",
		Decision: &Decision{Target: "github.com/a/b", Decision: Approved, Why: "ok"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := Reject(dir, p.ID, Reviewer{Name: "bob"}, "the assessment is a year old", at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != ProposalRejected || got.ReviewedBy != "bob" || got.ReviewWhy != "the assessment is a year old" {
		t.Errorf("%+v", got)
	}
	if _, _, err := Confirm(dir, p.ID, Reviewer{Name: "carol"}, at.Add(2*time.Hour)); !errors.Is(err, ErrNotProposed) {
		t.Errorf("confirm after reject: %v", err)
	}
	l := mustLoad(t, dir)
	if l.State("github.com/a/b", "1.0") != StateUnapproved || len(l.Pending()) != 0 {
		t.Errorf("state %q, pending %v", l.State("github.com/a/b", "1.0"), l.Pending())
	}
}

// An exit cancelled only when the cancellation is confirmed: until then
// the component stays in state exit and on the exit list.
func TestExitCancelConfirmed(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if _, err := Record(dir, Decision{Target: "github.com/a/b", Decision: Approved, By: "alice", Why: "ok"}, at); err != nil {
		t.Fatal(err)
	}
	if _, err := Record(dir, Exit{Target: "github.com/a/b", Reason: ReasonUnmaintained, Deadline: "2027-03-31", Owner: "ops", By: "alice", Why: "archived"}, at.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	exitID := mustLoad(t, dir).Exits[0].ID
	if _, _, err := Propose(dir, Proposal{Policy: CheckExit, By: "alice", ExitCancel: &ExitCancel{Exit: "exit-none", Why: "x"}}, at.Add(2*time.Hour)); err == nil || !strings.Contains(err.Error(), `no exit has the id "exit-none"`) {
		t.Errorf("cancelling no exit: %v", err)
	}
	p, _, err := Propose(dir, Proposal{Policy: CheckExit, By: "alice", ExitCancel: &ExitCancel{Exit: exitID, Why: "the project was revived"}}, at.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	l := mustLoad(t, dir)
	if s := l.State("github.com/a/b", "1.0"); s != StateExit || len(l.ExitList(time.Time{})) != 1 {
		t.Errorf("while proposed: state %q, exit list %d; want exit, 1", s, len(l.ExitList(time.Time{})))
	}
	if _, _, err := Confirm(dir, p.ID, Reviewer{Name: "bob"}, at.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	l = mustLoad(t, dir)
	// The exit is gone; the approval recorded before it applies again.
	if s := l.State("github.com/a/b", "1.0"); s != StateApproved || len(l.ExitList(time.Time{})) != 0 {
		t.Errorf("after confirm: state %q, exit list %d; want approved, 0", s, len(l.ExitList(time.Time{})))
	}
	// As of before the confirmation, the exit list still held it.
	if n := len(l.ExitList(at.Add(150 * time.Minute))); n != 1 {
		t.Errorf("exit list before the confirmation: %d, want 1", n)
	}
	c := l.Cancels[0]
	if c.By != "alice" || c.ConfirmedBy != "bob" {
		t.Errorf("cancel %+v", c)
	}
	for _, r := range l.Records() {
		if r.ID == exitID && (r.Status != "superseded" || r.SupersededBy != c.ID) {
			t.Errorf("exit row %+v: want superseded by %s", r, c.ID)
		}
	}
}

// A waiver waives nothing until confirmed; confirmed a day later, it
// applies from that day (accepted moved from 2026-12-07 to 2026-12-08).
func TestWaiverConfirmed(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	p, _, err := Propose(dir, Proposal{Policy: CheckWaiver, By: "alice", Waiver: &Waiver{Subject: "github.com/a/b", Gate: "G-KEV",
		Accepts: []string{"CVE-2021-44228"}, Accepted: "2026-12-07", Expires: "2027-06-30", Why: "not reachable, WAF rule 7"}}, at)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(mustLoad(t, dir).WaiverExceptions()); n != 0 {
		t.Fatalf("waivers in force while proposed: %d, want 0", n)
	}
	if _, _, err := Confirm(dir, p.ID, Reviewer{Name: "bob"}, at.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	ex := mustLoad(t, dir).WaiverExceptions()
	if len(ex) != 1 || ex[0].Gate != "G-KEV" || ex[0].Who != "alice, confirmed by bob" || ex[0].Accepted != "2026-12-08" || ex[0].Expires != "2027-06-30" {
		t.Fatalf("exceptions %+v", ex)
	}
	// 2026-12-07 is before it applies; 2026-12-08 and the expiry day within.
	if ex[0].ActiveAt(at) || !ex[0].ActiveAt(at.Add(24*time.Hour)) || !ex[0].ActiveAt(time.Date(2027, 6, 30, 23, 0, 0, 0, time.UTC)) {
		t.Error("active days wrong")
	}
}

// Analyses proposed for a known-exploited vulnerability are no analyses
// until confirmed.
func TestAnalysesProposed(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := VulnAnalysis{System: "payments", Target: "pkg:maven/org.apache.logging.log4j/log4j-core", Versions: "2.14.1", Vuln: "CVE-2021-44228",
		State: "not_affected", Justification: "code_not_reachable", Why: "JNDI lookups disabled"}
	p, _, err := Propose(dir, Proposal{Policy: CheckVexKEV, By: "alice", Analyses: []VulnAnalysis{a, {System: "payments", Target: a.Target,
		Versions: "2.14.0", Vuln: a.Vuln, State: "not_affected", Justification: "code_not_reachable", Why: "JNDI lookups disabled"}}}, at)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(mustLoad(t, dir).Analyses); n != 0 {
		t.Fatalf("analyses while proposed: %d", n)
	}
	_, paths, err := Confirm(dir, p.ID, Reviewer{Name: "bob"}, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	l := mustLoad(t, dir)
	if len(paths) != 2 || len(l.Analyses) != 2 || l.Analyses[0].ConfirmedBy != "bob" || l.Analyses[1].By != "alice" {
		t.Fatalf("paths %v analyses %+v", paths, l.Analyses)
	}
	// A proposal's record by someone else than its proposer is refused.
	if _, _, err := Propose(dir, Proposal{Policy: CheckVexKEV, By: "alice", Analyses: []VulnAnalysis{{Target: a.Target, Vuln: a.Vuln,
		State: "affected", By: "mallory", Why: "x"}}}, at); err == nil || !strings.Contains(err.Error(), `by: the proposal's record is by its proposer "alice", got "mallory"`) {
		t.Errorf("err = %v", err)
	}
}

func TestMakerCheckerPolicy(t *testing.T) {
	var unset MakerChecker // the default: all four
	for _, k := range []string{CheckIntake, CheckWaiver, CheckExit, CheckVexKEV} {
		if !unset.Needs(k) {
			t.Errorf("default policy does not need %s", k)
		}
		if (MakerChecker{}).Needs(k) {
			t.Errorf("maker_checker: [] needs %s", k)
		}
	}
	only := MakerChecker{CheckIntake}
	if !only.Needs(CheckIntake) || only.Needs(CheckExit) {
		t.Error("[intake] policy wrong")
	}
	if msg := CheckMakerChecker([]string{"intake", "vex"}); !strings.Contains(msg, `unknown decision "vex"`) {
		t.Errorf("msg %q", msg)
	}
}
