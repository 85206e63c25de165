package ledger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestVersionMatches(t *testing.T) {
	cases := []struct {
		rng, v string
		want   bool
	}{
		{"", "1.2.3", true},
		{"*", "", true},
		{"", "", true},
		{"1.2.83", "", false}, // an unknown version is in no narrower range
		{"1.2.83", "1.2.83", true},
		{"1.2.83", "v1.2.83", true},  // the leading v is dropped
		{"1.2.83", "1.2.83.0", true}, // missing parts are 0
		{"1.2.83", "1.2.84", false},
		{">=1.2.83", "1.2.83", true},
		{">=1.2.83", "1.2.9", false}, // parts compare as numbers: 9 < 83
		{"<2.0.0", "1.99.0", true},
		{"<2.0.0", "2.0.0", false},
		{"<2.0.0", "2.0.0-rc1", true}, // a pre-release sorts before its release
		{">=1.2.0,<2.0.0", "1.5.3", true},
		{">=1.2.0,<2.0.0", "2.0.1", false},
		{">=1.2.0, <2.0.0", "1.1.9", false},
		{"!=1.2.80", "1.2.80", false},
		{"1.2.x", "1.2.83", true},
		{"1.2.x", "1.2", true},
		{"1.2.x", "1.3.0", false},
		{"1.2.*", "1.2.0-beta", true},
		{"2.5.1", "2.5.1.RELEASE", true}, // Maven's release qualifier is the release
		{">2.5.1", "2.5.1.Final", false},
		{"<1.0.0", "1.0.0.Beta1", true},
		{"<=1.0.0-rc.2", "1.0.0-rc.10", false}, // rc.10 > rc.2: numbers as numbers
		{"<=1.0.0-rc.10", "1.0.0-rc.2", true},
		{">1.0.0-alpha", "1.0.0-alpha.1", true}, // fewer identifiers first
	}
	for _, c := range cases {
		if got := VersionMatches(c.rng, c.v); got != c.want {
			t.Errorf("VersionMatches(%q, %q) = %v, want %v", c.rng, c.v, got, c.want)
		}
	}
	for _, bad := range []string{">=", "1.2.0,,2.0", ">=1.x", "abc", ">= 1.2 || 2.0", "1.a.x"} {
		if err := CheckRange(bad); err == nil {
			t.Errorf("CheckRange(%q) = nil, want an error", bad)
		}
	}
}

func TestCanonicalTarget(t *testing.T) {
	for in, want := range map[string]string{
		"https://GitHub.com/Alibaba/fastjson.git/": "github.com/Alibaba/fastjson",
		"git@github.com/a/b":                       "github.com/a/b",
		"GITHUB.COM/a/b":                           "github.com/a/b",
		"pkg:maven/com.alibaba/fastjson":           "pkg:maven/com.alibaba/fastjson",
	} {
		if got := CanonicalTarget(in); got != want {
			t.Errorf("CanonicalTarget(%q) = %q, want %q", in, got, want)
		}
	}
}

// A decision recorded and then superseded: both files are kept, the later
// one applies, the approved list shows it once.
func TestRecordSupersede(t *testing.T) {
	dir := t.TempDir()
	t1 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	first := Decision{
		Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.83", Decision: Approved,
		By: "alice", Why: "PHI B, no known vulnerabilities in 1.2.83", System: "payments",
		Department: "retail IT", Owner: "bob", ReviewBy: "2027-06-30",
		Assessment: &Assessment{Model: "project-health", Score: ptr(71.2), ScoreRange: []float64{68, 74}, Grade: "B", Licence: "Apache-2.0", LicenceVerdict: "allowed"},
	}
	p1, err := Record(dir, first, t1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(filepath.Base(p1), "2026-12-07-dec-") || filepath.Base(filepath.Dir(p1)) != "decisions" {
		t.Fatalf("path %s, want decisions/2026-12-07-dec-….yaml", p1)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d1, ok := l.Decision("pkg:maven/com.alibaba/fastjson", "1.2.83")
	if !ok || d1.Decision != Approved || !d1.At.Equal(t1) || d1.Assessment == nil || *d1.Assessment.Score != 71.2 || d1.Line != 2 {
		t.Fatalf("first decision read back as %+v", d1)
	}
	if got := l.State("pkg:maven/com.alibaba/fastjson", "1.2.80"); got != StateUnapproved {
		t.Errorf("1.2.80 state %q, want unapproved (the decision covers 1.2.83 only)", got)
	}

	t2 := t1.Add(24 * time.Hour)
	second := first
	second.Decision, second.Why, second.Conditions, second.Supersedes = Conditional, "key-person risk", []string{"review by 2027-03-31"}, d1.ID
	second.ReviewBy = "2027-03-31"
	p2, err := Record(dir, second, t2)
	if err != nil {
		t.Fatal(err)
	}
	if p2 == p1 {
		t.Fatal("the second decision rewrote the first file")
	}
	if _, err := os.Stat(p1); err != nil {
		t.Fatalf("first file gone: %v", err)
	}
	l, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Decisions) != 2 {
		t.Fatalf("%d decisions, want both", len(l.Decisions))
	}
	if got := l.State("pkg:maven/com.alibaba/fastjson", "1.2.83"); got != StateConditional {
		t.Errorf("state %q, want conditional (the later decision)", got)
	}
	app := l.Approved(t2)
	if len(app) != 1 || app[0].Decision != Conditional || app[0].ReviewBy != "2027-03-31" {
		t.Fatalf("approved list %+v, want the conditional decision once", app)
	}
	// As of the first day, the first decision was the list.
	if app := l.Approved(t1.Add(time.Hour)); len(app) != 1 || app[0].ID != d1.ID {
		t.Fatalf("approved list on day 1 %+v, want the first decision", app)
	}
	if sup := l.Superseded(); sup[d1.ID] != app[0].ID && sup[d1.ID] != l.Decisions[1].ID {
		t.Errorf("superseded %v, want %s → %s", sup, d1.ID, l.Decisions[1].ID)
	}

	// Nothing is rewritten: the same record at the same instant is refused.
	if _, err := Record(dir, first, t1); err == nil || !strings.Contains(err.Error(), "never rewritten") {
		t.Errorf("recording the same decision again: %v, want a refusal", err)
	}
}

func TestRecordRefusesInvalid(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		rec  any
		want string
	}{
		{Decision{Target: "pkg:npm/left-pad", Decision: "maybe", By: "a", Why: "b"}, "decision: must be approved, conditional or rejected"},
		{Decision{Target: "pkg:npm/left-pad", Decision: Conditional, By: "a", Why: "b"}, "conditions: a conditional approval states each condition"},
		{Decision{Target: "pkg:npm/left-pad@1.0.0", Decision: Rejected, By: "a", Why: "b"}, "target: is a package URL without version"},
		{Decision{Target: "pkg:npm/left-pad", Decision: Rejected, Why: "b"}, "by: who decided is required"},
		{Decision{Target: "pkg:npm/left-pad", Decision: Rejected, By: "a", Why: "b", Versions: ">=x"}, "versions: version range"},
		{Decision{Target: "pkg:npm/left-pad", Decision: Rejected, By: "a", Why: "b", Supersedes: "dec-00000000"}, `supersedes: no decision has the id "dec-00000000"`},
		{Exit{Target: "pkg:npm/left-pad", Reason: "boring", Deadline: "2027-03-31", Owner: "o", By: "a", Why: "b"}, "reason: must be security, licence, unmaintained or replaced"},
		{Exit{Target: "pkg:npm/left-pad", Reason: ReasonReplaced, Deadline: "2027-03-31", Owner: "o", By: "a", Why: "b"}, "replacement: an exit for reason replaced names the replacement"},
		{Exit{Target: "pkg:npm/left-pad", Reason: ReasonSecurity, Deadline: "31/03/2027", Owner: "o", By: "a", Why: "b"}, "deadline: must be a date YYYY-MM-DD"},
		{"a string", "cannot record a string"},
	} {
		_, err := Record(dir, c.rec, now)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Record(%+v) = %v, want an error containing %q", c.rec, err, c.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("refused records left files: %v", entries)
	}
}

func TestLoadErrorsNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "decisions", "a.yaml"), `kind: decision
id: dec-a
target: pkg:maven/org.example/lib
decision: approve
by: alice
why: fine
at: 2026-12-07T10:00:00Z
`)
	write(t, filepath.Join(dir, "exits", "b.yaml"), `target: pkg:maven/org.example/old
reason: unmaintained
deadline: 2027-03-31
owner: bob
by: carol
why: archived upstream
at: 2026-12-07T10:00:00Z
colour: red
`)
	write(t, filepath.Join(dir, "misc", "c.yaml"), "target: x\n")
	write(t, filepath.Join(dir, "decisions", "d.yaml"), "target: pkg:npm/d\ndecision: rejected\nby: x\nwhy: y\nat: yesterday\n")
	write(t, filepath.Join(dir, "decisions", "e.yaml"), "- target: pkg:npm/e\n")
	write(t, filepath.Join(dir, "decisions", "f.yaml"), "kind: vex\ntarget: pkg:npm/f\n")
	// A hand-written file may leave out id (the file name) and give at as
	// a date: it loads.
	write(t, filepath.Join(dir, "decisions", "g.yaml"), "target: pkg:npm/g\ndecision: rejected\nby: x\nwhy: y\nat: 2026-12-07\n")
	_, err := Load(dir)
	if err == nil {
		t.Fatal("a broken ledger loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(dir, "decisions", "a.yaml") + `:4: decision: must be approved, conditional or rejected, got "approve"`,
		filepath.Join(dir, "exits", "b.yaml") + ":8: field colour not found (not a key of a ledger exit)",
		filepath.Join(dir, "misc", "c.yaml") + ":1: kind is required",
		filepath.Join(dir, "decisions", "d.yaml") + `:5: at: must be a time, RFC 3339 (2026-12-07T10:00:00Z) or a date (2026-12-07), got "yesterday"`,
		filepath.Join(dir, "decisions", "e.yaml") + ":1: a ledger file is one record, a mapping",
		filepath.Join(dir, "decisions", "f.yaml") + `:1: kind: unknown kind "vex" (known: decision, exit, vuln-analysis, proposal, proposal-rejection, exit-cancel, waiver)`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error\n%s\nlacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "g.yaml") {
		t.Errorf("the valid hand-written file was reported: %s", msg)
	}
}

func TestLoadMissingDirAndExits(t *testing.T) {
	l, err := Load(filepath.Join(t.TempDir(), "nope"))
	if err != nil || len(l.Decisions)+len(l.Exits) != 0 {
		t.Fatalf("missing ledger: %v %+v", err, l)
	}
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	if _, err := Record(dir, Decision{Target: "https://github.com/alibaba/fastjson", Decision: Approved, By: "a", Why: "b"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := Record(dir, Exit{Target: "https://GitHub.com/alibaba/fastjson/", Versions: "<1.2.83", Reason: ReasonSecurity, Deadline: "2027-03-31", Owner: "o", By: "a", Why: "CVE-2022-25845"}, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := Record(dir, Exit{Target: "pkg:pypi/nose", Reason: ReasonUnmaintained, Deadline: "2026-12-31", Owner: "o", By: "a", Why: "no release since 2015"}, now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	l, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The target is matched with the scheme and trailing slash dropped and
	// the host lower-cased (the path as given).
	for v, want := range map[string]string{"1.2.80": StateExit, "1.2.83": StateApproved, "": StateApproved} {
		if got := l.State("github.com/alibaba/fastjson", v); got != want {
			t.Errorf("state of fastjson %q = %q, want %q", v, got, want)
		}
	}
	if got := l.State("github.com/Alibaba/fastjson", "1.2.83"); got != StateUnapproved {
		t.Errorf("path case: state %q, want unapproved (only hosts ignore case)", got)
	}
	if got := l.State("github.com/other/x", "1.0"); got != StateUnapproved {
		t.Errorf("unlisted state %q", got)
	}
	exits := l.ExitList(now.Add(time.Hour))
	if len(exits) != 2 || exits[0].Target != "pkg:pypi/nose" || exits[1].Target != "github.com/alibaba/fastjson" {
		t.Fatalf("exit list %+v, want nose (2026-12-31) before fastjson (2027-03-31)", exits)
	}
	// The deadline's day is in time; the day after is overdue.
	if exits[0].Overdue(time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)) || !exits[0].Overdue(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("overdue wrong around the deadline")
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func ptr(f float64) *float64 { return &f }
