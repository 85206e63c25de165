package pipeline

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// lcComponent is one test component: its package URL and project.
type lcComponent struct {
	purl, project string
}

var (
	lcFastjson = lcComponent{"pkg:maven/com.alibaba/fastjson@1.2.83", "github.com/alibaba/fastjson"}
	lcLog4j    = lcComponent{"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "github.com/apache/logging-log4j2"}
	lcText     = lcComponent{"pkg:maven/org.apache.commons/commons-text@1.9", "github.com/apache/commons-text"}
	lcJackson  = lcComponent{"pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10", "github.com/fasterxml/jackson-databind"}
	lcGuava    = lcComponent{"pkg:maven/com.google.guava/guava@31.1", "github.com/google/guava"}
	lcOwn      = lcComponent{"pkg:maven/com.bank/payments-core@3.0", ""}
	lcJunit    = lcComponent{"pkg:maven/junit/junit@4.13", "github.com/junit-team/junit4"}
)

// lcRef is one reference of a snapshot.
type lcRef struct {
	c               lcComponent
	relation, scope string
}

// saveLcSnapshot stores one SBOM import of system at time at.
func saveLcSnapshot(t *testing.T, st *store.Store, system string, at time.Time, refs ...lcRef) {
	t.Helper()
	var comps []store.InvComponent
	var rs []store.InvRef
	for _, r := range refs {
		p, ok := sbom.ParsePURL(r.c.purl)
		if !ok {
			t.Fatalf("bad purl %s", r.c.purl)
		}
		comps = append(comps, store.InvComponent{Key: p.Key(), PURL: r.c.purl, Ecosystem: p.Type, Namespace: p.Namespace, Name: p.Name,
			Version: p.Version, ProjectID: r.c.project})
		rs = append(rs, store.InvRef{Key: p.Key(), Relation: r.relation, Scope: r.scope})
	}
	if _, err := st.SaveSnapshot(context.Background(), store.Snapshot{System: system, Path: system + ".cdx.json", Format: "cyclonedx",
		SHA256: system + at.String(), ImportedAt: at}, comps, rs); err != nil {
		t.Fatal(err)
	}
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// lcLedger: fastjson approved from 1.2.83, log4j-core rejected below
// 2.17.1, jackson-databind 2.9.x on the exit list (deadline 2026-03-31),
// commons-text and guava not on it.
func lcLedger() *ledger.Ledger {
	return &ledger.Ledger{Dir: "ledger",
		Decisions: []ledger.Decision{
			{ID: "dec-fastjson", Target: "pkg:maven/com.alibaba/fastjson", Versions: ">=1.2.83", Decision: ledger.Approved, By: "OSPO",
				Why: "safe mode on", At: day("2025-11-02"), ReviewBy: "2026-05-01",
				Assessment: &ledger.Assessment{Model: "project-health", Grade: "B", Licence: "Apache-2.0", LicenceVerdict: "directly-compatible"}},
			{ID: "dec-log4j", Target: "pkg:maven/org.apache.logging.log4j/log4j-core", Versions: "<2.17.1", Decision: ledger.Rejected,
				By: "OSPO", Why: "Log4Shell", At: day("2025-12-20")},
		},
		Exits: []ledger.Exit{
			{ID: "exit-jackson", Target: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.x", Reason: ledger.ReasonSecurity,
				Replacement: "jackson-databind 2.15", Deadline: "2026-03-31", Owner: "Li Wei", By: "OSPO", Why: "end of life", At: day("2025-10-01")},
		},
	}
}

// lcStore: three systems. Before the quarter (2026-03-01) all three ran
// jackson-databind 2.9.10; now (2026-05-01) batch has dropped it:
//
//	payments: fastjson, log4j-core, commons-text, jackson-databind (direct),
//	          guava (transitive), its own payments-core (scope own), junit (scope test)
//	portal:   commons-text (direct), jackson-databind (transitive)
//	batch:    fastjson (direct)
func lcStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	before, now := day("2026-03-01"), day("2026-05-01")
	saveLcSnapshot(t, st, "payments", before, lcRef{lcJackson, sbom.Direct, ""})
	saveLcSnapshot(t, st, "portal", before, lcRef{lcJackson, sbom.Transitive, ""})
	saveLcSnapshot(t, st, "batch", before, lcRef{lcJackson, sbom.Direct, ""})
	saveLcSnapshot(t, st, "payments", now, lcRef{lcFastjson, sbom.Direct, ""}, lcRef{lcLog4j, sbom.Direct, ""},
		lcRef{lcText, sbom.Direct, ""}, lcRef{lcJackson, sbom.Direct, ""}, lcRef{lcGuava, sbom.Transitive, ""},
		lcRef{lcOwn, sbom.Direct, sbom.ScopeOwn}, lcRef{lcJunit, sbom.Direct, sbom.ScopeTest})
	saveLcSnapshot(t, st, "portal", now, lcRef{lcText, sbom.Direct, ""}, lcRef{lcJackson, sbom.Transitive, ""})
	saveLcSnapshot(t, st, "batch", now, lcRef{lcFastjson, sbom.Direct, ""})
	return st
}

func stateOf(lc *reports.Lifecycle, name string) reports.LcComponent {
	for _, c := range lc.Components {
		if c.Component == name {
			return c
		}
	}
	return reports.LcComponent{}
}

func TestLifecycleStatesAndCounts(t *testing.T) {
	ctx := context.Background()
	st := lcStore(t)
	now := day("2026-06-15")
	// commons-text's project is unmaintained, jackson-databind's has a
	// known-exploited vulnerability (but it is on the exit list already).
	rep := &reports.Report{Period: "2026Q2", PreviousPeriod: "2026Q1", Subjects: []reports.SubjectReport{
		{Kind: models.KindProject, ID: lcText.project, Results: []models.Result{{Model: models.ProjectHealth,
			Gates: []models.GateHit{{ID: "G-UNMAINTAINED", Reason: "no commit in 24 months"}}}}},
		{Kind: models.KindProject, ID: lcJackson.project, Results: []models.Result{{Model: models.ProjectHealth,
			Gates: []models.GateHit{{ID: "G-KEV", Reason: "CVE-2019-12384"}}}}},
	}}
	lc, err := BuildLifecycle(ctx, st, rep, LifecycleOptions{Ledger: lcLedger(), IntakeRequired: "direct", Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"com.alibaba:fastjson":                        ledger.StateApproved,   // 1.2.83 ≥ 1.2.83
		"org.apache.logging.log4j:log4j-core":         ledger.StateRejected,   // 2.14.1 < 2.17.1
		"org.apache.commons:commons-text":             ledger.StateUnapproved, // no record
		"com.fasterxml.jackson.core:jackson-databind": ledger.StateExit,       // 2.9.10 in 2.9.x
		"com.google.guava:guava":                      ledger.StateUnapproved, // no record, but only transitive
	} {
		if got := stateOf(lc, name).State; got != want {
			t.Errorf("%s: state %q, want %q", name, got, want)
		}
	}
	if c := stateOf(lc, "com.google.guava:guava"); c.Intake != reports.IntakeTransitive {
		t.Errorf("guava: intake %q, want transitive", c.Intake)
	}
	// Own module and test-only junit are left out: 7 components, 5 in
	// third-party use. Need intake (direct somewhere): fastjson, log4j,
	// commons-text, jackson = 4; decided 3 (all but commons-text).
	want := reports.LcCounts{Approved: 1, Rejected: 1, Exit: 1, Unapproved: 1, TransitiveNoIntake: 1, NotThirdParty: 2, Total: 5,
		NeedIntake: 4, Decided: 3, OverdueExits: 1}
	if lc.InUse != want {
		t.Errorf("in_use %+v\nwant   %+v", lc.InUse, want)
	}
	if len(lc.UnapprovedInUse) != 1 || lc.UnapprovedInUse[0].Component != "org.apache.commons:commons-text" ||
		!slices.Equal(lc.UnapprovedInUse[0].Systems, []string{"payments", "portal"}) ||
		lc.UnapprovedInUse[0].Target != "pkg:maven/org.apache.commons/commons-text" {
		t.Errorf("unapproved_in_use %+v", lc.UnapprovedInUse)
	}
	// By system: payments 1 of 5, portal 1 of 2, batch 0 of 1 (most first,
	// then by name).
	wantSys := []reports.LcSystemCount{{System: "payments", Unapproved: 1, Components: 5}, {System: "portal", Unapproved: 1, Components: 2},
		{System: "batch", Unapproved: 0, Components: 1}}
	if !slices.Equal(lc.UnapprovedBySystem, wantSys) {
		t.Errorf("by system %+v, want %+v", lc.UnapprovedBySystem, wantSys)
	}
	// The exit: 2026-03-31 passed by 2026-06-15 and two systems still run
	// it (payments directly, portal transitively): overdue. At the
	// previous quarter's end (2026-04-01) three did: progress 3 → 2.
	if len(lc.Exits) != 1 {
		t.Fatalf("exits %+v", lc.Exits)
	}
	x := lc.Exits[0]
	wantX := []reports.LcExitSystem{{System: "payments", Version: "2.9.10", Relation: "direct"}, {System: "portal", Version: "2.9.10", Relation: "transitive"}}
	if x.SystemsRemaining != 2 || !x.Overdue || !slices.Equal(x.Systems, wantX) || x.SystemsRemainingPrevious == nil || *x.SystemsRemainingPrevious != 3 {
		t.Errorf("exit %+v (previous %v)", x, x.SystemsRemainingPrevious)
	}
	if !lc.PreviousAsOf.Equal(day("2026-04-01")) || lc.PreviousPeriod != "2026Q1" {
		t.Errorf("previous %v %q", lc.PreviousAsOf, lc.PreviousPeriod)
	}
	// Candidates: commons-text (unmaintained project), not jackson (on the
	// exit list already).
	if len(lc.ExitCandidates) != 1 || lc.ExitCandidates[0].Component != "org.apache.commons:commons-text" ||
		lc.ExitCandidates[0].Reason != ledger.ReasonUnmaintained || !slices.Equal(lc.ExitCandidates[0].Systems, []string{"payments", "portal"}) {
		t.Errorf("candidates %+v", lc.ExitCandidates)
	}
	// Decisions: both current; fastjson's review (2026-05-01) is due and
	// decides the two fastjson uses counted once (one component version).
	if len(lc.Decisions) != 2 || lc.Decisions[0].ID != "dec-fastjson" || !lc.Decisions[0].ReviewDue || lc.Decisions[0].InUse != 1 ||
		lc.Decisions[1].Status != store.LedgerCurrent || lc.Decisions[1].InUse != 1 {
		t.Errorf("decisions %+v", lc.Decisions)
	}
	if len(lc.IntakeAssessments) != 1 || lc.IntakeAssessments[0].Decision != "dec-fastjson" {
		t.Errorf("assessments %+v", lc.IntakeAssessments)
	}
	// The JSON keeps the contract's names.
	b, _ := json.Marshal(lc)
	var m map[string]any
	json.Unmarshal(b, &m)
	for _, k := range []string{"decisions", "in_use", "unapproved_in_use", "exits", "intake_assessments"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	ex := m["exits"].([]any)[0].(map[string]any)
	for _, k := range []string{"component", "versions", "reason", "replacement", "deadline", "owner", "systems_remaining", "overdue"} {
		if _, ok := ex[k]; !ok {
			t.Errorf("exit JSON lacks %q", k)
		}
	}
	iu := m["in_use"].(map[string]any)
	for _, k := range []string{"approved", "conditional", "rejected", "exit", "unapproved"} {
		if _, ok := iu[k]; !ok {
			t.Errorf("in_use JSON lacks %q", k)
		}
	}
	// Before the deadline the same exit is not overdue.
	lc2, err := BuildLifecycle(ctx, st, nil, LifecycleOptions{Ledger: lcLedger(), Now: day("2026-03-31").Add(23 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if lc2.Exits[0].Overdue || lc2.InUse.OverdueExits != 0 || lc2.Exits[0].SystemsRemainingPrevious != nil {
		t.Errorf("before the deadline: %+v", lc2.Exits[0])
	}
}

// A transitive component needs its own intake only under
// intake_required: all; under none nothing is use without intake.
func TestLifecycleIntakeRequired(t *testing.T) {
	ctx := context.Background()
	st := lcStore(t)
	now := day("2026-06-15")
	for _, tc := range []struct {
		required                                  string
		unapproved, transitive, notRequired, need int
		decided                                   int
		guava                                     string
	}{
		// direct: guava (transitive only) needs none.
		{"direct", 1, 1, 0, 4, 3, reports.IntakeTransitive},
		// all: guava needs one too: commons-text and guava unapproved; 5
		// need intake, 3 decided.
		{"all", 2, 0, 0, 5, 3, reports.IntakeRequiredHere},
		// none: nobody needs intake; commons-text and guava are counted
		// apart.
		{"none", 0, 0, 2, 0, 0, reports.IntakeNotRequired},
	} {
		lc, err := BuildLifecycle(ctx, st, nil, LifecycleOptions{Ledger: lcLedger(), IntakeRequired: tc.required, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		n := lc.InUse
		if n.Unapproved != tc.unapproved || n.TransitiveNoIntake != tc.transitive || n.IntakeNotRequired != tc.notRequired ||
			n.NeedIntake != tc.need || n.Decided != tc.decided || n.Approved != 1 || n.Rejected != 1 || n.Exit != 1 {
			t.Errorf("%s: %+v", tc.required, n)
		}
		if got := stateOf(lc, "com.google.guava:guava").Intake; got != tc.guava {
			t.Errorf("%s: guava intake %q, want %q", tc.required, got, tc.guava)
		}
		if tc.required == "all" && (len(lc.UnapprovedInUse) != 2 || !slices.Equal(lc.UnapprovedInUse[1].Systems, []string{"payments"})) {
			t.Errorf("all: %+v", lc.UnapprovedInUse)
		}
	}
	// A decision on the repository applies to the package too.
	l := lcLedger()
	l.Decisions = append(l.Decisions, ledger.Decision{ID: "dec-text", Target: "github.com/apache/commons-text", Decision: ledger.Conditional,
		Conditions: []string{"upgrade to 1.10"}, By: "OSPO", Why: "Text4Shell", At: day("2026-01-05")})
	lc, err := BuildLifecycle(ctx, st, nil, LifecycleOptions{Ledger: l, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if c := stateOf(lc, "org.apache.commons:commons-text"); c.State != ledger.StateConditional || c.Decision != "dec-text" || lc.InUse.Unapproved != 0 {
		t.Errorf("commons-text %+v, counts %+v", c, lc.InUse)
	}
}

func TestLifecycleEmpty(t *testing.T) {
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	lc, err := BuildLifecycle(context.Background(), st, nil, LifecycleOptions{LedgerDir: filepath.Join(t.TempDir(), "none")})
	if err != nil || lc != nil {
		t.Errorf("no SBOM, no ledger: %+v, %v", lc, err)
	}
}
