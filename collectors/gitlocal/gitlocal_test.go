package gitlocal

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/models"
)

// now is the fixed "today" of every test: 2026-06-01 00:00 UTC.
//
//	52-week window starts 2026-06-01 − 364 days = 2025-06-02 00:00
//	365-day window starts 2026-06-01 − 365 days = 2025-06-01 00:00
//	36-month window starts                        2023-06-01 00:00
var now = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func fixed() time.Time { return now }

func date(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// person is a commit author.
type person struct{ name, email string }

var (
	alice  = person{"Alice", "alice@acme.com"}
	bob    = person{"Bob", "bob@acme.com"}
	bobUp  = person{"Bob", "Bob@ACME.com"} // same author, other case
	carol  = person{"Carol", "carol@globex.cn"}
	dave   = person{"Dave", "dave@gmail.com"} // public mail: his own organisation
	eve    = person{"Eve", "eve@oldcorp.com"} // active only before the 12-month window
	robots = person{"CI", "ci@example.org"}
)

// fixture is a repository built by a test through go-git's worktree.
type fixture struct {
	t    testing.TB
	dir  string
	repo *git.Repository
	wt   *git.Worktree
	n    int
	msg  string // message of the next commit, if set
}

func newFixture(t testing.TB, name string) *fixture {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, dir: dir, repo: repo, wt: wt}
}

func (f *fixture) write(path, content string) {
	f.t.Helper()
	full := filepath.Join(f.dir, path)
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.wt.Add(path); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) remove(path string) {
	f.t.Helper()
	if _, err := f.wt.Remove(path); err != nil {
		f.t.Fatal(err)
	}
}

// commit records a commit by who, authored and committed at the given
// times, after edit has changed the worktree. Every commit also appends to
// log.txt so that none is empty.
func (f *fixture) commit(who person, authored, committed time.Time, edit func()) plumbing.Hash {
	f.t.Helper()
	f.n++
	if edit != nil {
		edit()
	}
	f.write("log.txt", strings.Repeat("x\n", f.n))
	msg := fmt.Sprintf("commit %d", f.n)
	if f.msg != "" {
		msg, f.msg = f.msg, ""
	}
	h, err := f.wt.Commit(msg, &git.CommitOptions{
		Author:    &object.Signature{Name: who.name, Email: who.email, When: authored},
		Committer: &object.Signature{Name: who.name, Email: who.email, When: committed},
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

func (f *fixture) at(who person, when time.Time, edit func()) plumbing.Hash {
	return f.commit(who, when, when, edit)
}

func (f *fixture) target() collectors.Target {
	return collectors.Target{
		Subject:   models.Subject{Kind: models.KindProject, ID: "github.com/example/demo", Name: "demo"},
		Repo:      "https://github.com/example/demo",
		LocalPath: f.dir,
	}
}

func byMetric(t *testing.T, obs []models.Observation) map[string]models.Observation {
	t.Helper()
	m := map[string]models.Observation{}
	for _, o := range obs {
		if _, dup := m[o.Metric]; dup {
			t.Errorf("metric %s emitted twice", o.Metric)
		}
		m[o.Metric] = o
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// demoRepo builds the main fixture. Its history, oldest first:
//
//	#  author (committer) date        who    what
//	1  2022-01-10                     eve    README (outside 36 months: the walk stops here)
//	2  2023-09-01                     eve    adds LICENSE Apache-2.0 (an addition, not a change)   tag v0.1 (lightweight)
//	3  2024-03-01                     eve    appends an attribution line to LICENSE (still Apache-2.0: an edit, no change)   tag v0.9 (annotated 2024-03-02)
//	4  2025-01-10                     eve    code                                       tag v1.1 (annotated 2025-12-15), tag v1.2.0-rc.1 (annotated 2026-03-01: a pre-release)
//	5  2025-06-01 12:00               dave   code (inside 365 days, outside 52 weeks)
//	6  2025-07-01                     alice  code
//	7  2025-08-01                     bob    code
//	8  2025-09-01                     carol  code                                       tag v1.0 (lightweight)
//	9  2025-10-01                     carol  replaces LICENSE with the MIT text → licence change 1 (Apache-2.0 → MIT)
//	10 2025-11-01                     dave   code
//	11 2025-12-01                     Bob@ACME.com code
//	12 2026-01-15                     alice  renames LICENSE → LICENSE.md (still MIT: an edit, no change)
//	13 2026-02-01                     carol  adds vendor/lib/LICENSE (not at the root)
//	14 2026-03-01                     carol  edits vendor/lib/LICENSE (not at the root: no change)
//	15 2026-05-20 (committed 2026-05-25 12:00) dave  code
//
// It returns the hashes of the licence changes, oldest first.
func demoRepo(t *testing.T) (*fixture, []plumbing.Hash) {
	f := newFixture(t, "demo-project")
	f.at(eve, date(2022, 1, 10, 9), func() { f.write("README.md", "demo\n") })
	apache, mit := testLicence(t, "Apache-2.0"), testLicence(t, "MIT")
	c2 := f.at(eve, date(2023, 9, 1, 9), func() { f.write("LICENSE", apache) })
	c3 := f.at(eve, date(2024, 3, 1, 9), func() {
		f.write("LICENSE", apache+"\nThis product bundles SuperLib 1.2, which is available under a MIT license.\n")
	})
	c4 := f.at(eve, date(2025, 1, 10, 9), nil)
	f.at(dave, date(2025, 6, 1, 12), nil)
	f.at(alice, date(2025, 7, 1, 9), nil)
	f.at(bob, date(2025, 8, 1, 9), nil)
	c8 := f.at(carol, date(2025, 9, 1, 9), nil)
	c9 := f.at(carol, date(2025, 10, 1, 9), func() { f.write("LICENSE", mit) })
	f.at(dave, date(2025, 11, 1, 9), nil)
	f.at(bobUp, date(2025, 12, 1, 9), nil)
	c12 := f.at(alice, date(2026, 1, 15, 9), func() {
		f.remove("LICENSE")
		f.write("LICENSE.md", mit)
	})
	f.at(carol, date(2026, 2, 1, 9), func() { f.write("vendor/lib/LICENSE", "MIT\n") })
	f.at(carol, date(2026, 3, 1, 9), func() { f.write("vendor/lib/LICENSE", "MIT (2026)\n") })
	f.commit(dave, date(2026, 5, 20, 9), date(2026, 5, 25, 12), nil)

	tag := func(name string, h plumbing.Hash, tagger *time.Time) {
		var opts *git.CreateTagOptions
		if tagger != nil {
			opts = &git.CreateTagOptions{
				Tagger:  &object.Signature{Name: robots.name, Email: robots.email, When: *tagger},
				Message: "release " + name,
			}
		}
		if _, err := f.repo.CreateTag(name, h, opts); err != nil {
			t.Fatal(err)
		}
	}
	t09, t11, rc := date(2024, 3, 2, 9), date(2025, 12, 15, 9), date(2026, 3, 1, 9)
	tag("v1.2.0-rc.1", c4, &rc) // a release candidate: not a release
	tag("v0.1", c2, nil)
	tag("v0.9", c3, &t09)
	tag("v1.1", c4, &t11) // old commit, recent tagger date: counts
	tag("v1.0", c8, nil)
	return f, []plumbing.Hash{c3, c9, c12}
}

func TestCollectDemoRepo(t *testing.T) {
	f, licence := demoRepo(t)
	c := &Collector{Now: fixed}
	obs, cost, err := c.Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	if cost != (collectors.Cost{RateRemaining: -1}) {
		t.Errorf("cost = %+v, want only RateRemaining -1", cost)
	}
	if !sort.SliceIsSorted(obs, func(i, j int) bool { return obs[i].Metric < obs[j].Metric }) {
		t.Error("observations are not sorted by metric")
	}
	m := byMetric(t, obs)

	// Commits 5–15 are authored inside 365 days (since 2025-06-01 00:00): 11.
	// Per author: carol 8,9,13,14 = 4; dave 5,10,15 = 3; alice 6,12 = 2;
	// bob 7 and Bob@ACME.com 11 = 2 (one author, e-mails lower-cased).
	// Commit 5 (2025-06-01 12:00) is before the 52-week start (2025-06-02),
	// so 52 weeks hold commits 6–15 = 10.
	days := 6.5 // 2026-05-25 12:00 → 2026-06-01 00:00 = 6 days 12 hours
	want := []struct {
		metric string
		value  float64
		unit   string
	}{
		// 4 authors: alice, bob, carol, dave.
		{MetricAuthors12m, 4, "authors"},
		// half of 11 = 5.5; carol 4 (<5.5) + dave 3 = 7 ≥ 5.5 → 2 authors.
		{MetricBusFactor12m, 2, "authors"},
		{MetricCommits12m, 11, "commits"},
		// 10 commits in 52 weeks, all by people, none a merge → 10/52 = 0.1923…
		{MetricCommitsPerWeek, 10.0 / 52, "commits/week"},
		// newest committer date 2026-05-25 12:00 (author date 2026-05-20 is ignored).
		{MetricDaysSinceLast, days, "days"},
		// organisations: acme.com = alice 2 + bob 2 = 4; globex.cn = 4;
		// independent:dave@gmail.com = 3. Sorted 4, 4, 3: 4 (<5.5) + 4 = 8 ≥ 5.5 → 2.
		{MetricElephantFactor12m, 2, "organisations"},
		// Of the edits in commits 2, 3, 9 and 12 only 9 changes the declared
		// licence (Apache-2.0 → MIT): 2 adds the first licence, 3 appends an
		// attribution line, 12 renames the MIT file; vendor/lib/LICENSE is
		// not at the root → 1 change, but Apache-2.0 → MIT stays
		// permissive: not a move to a more restrictive licence → 0.
		{MetricLicenseChanges36m, 0, "changes to a more restrictive licence"},
		// commit 9 (2025-10-01) is inside 365 days, and same-class → 0.
		{MetricRelicensed12m, 0, "changes to a more restrictive licence"},
		// 6.5 / 30.4375 = 0.21355…
		{MetricMonthsSinceLast, days / 30.4375, "months"},
		// acme.com, globex.cn and the independent authors' group (dave on
		// gmail); eve is outside the window → 3.
		{MetricOrgCount12m, 3, "organisations"},
		// v1.0 (commit 2025-09-01) and v1.1 (tagger 2025-12-15) are inside;
		// v0.1 (commit 2023-09-01) and v0.9 (tagger 2024-03-02) are not;
		// v1.2.0-rc.1 (tagger 2026-03-01) is a pre-release → 2.
		{MetricTags12m, 2, "tags"},
		// newest release tag v1.1, tagger date 2025-12-15 09:00 (the newer
		// rc is left out): to 2026-06-01 00:00 = 16 d 15 h (rest of December)
		// + 31 + 28 + 31 + 30 + 31 = 167.625 days; ÷ 30.4375 = 5.5072…
		{MetricMonthsSinceRelease, 167.625 / 30.4375, "months"},
		// Apache-2.0 → MIT is not to a source-available licence → 0.
		{MetricRelicensedSourceAvailable36m, 0, "bool"},
		// dave, alice, bob, carol committed in 12 months; eve did not and
		// named no CVE → 4 contributors. No maintainer file → 0 people.
		{MetricContributors12m, 4, "authors"},
		{MetricMaintainers, 0, "people"},
		// no commit has two parents.
		{MetricMerges12m, 0, "merges"},
	}
	// One more: gitlocal.clone_age_days, inconclusive on a repository
	// without a remote (freshness_test.go checks clones).
	if len(obs) != len(want)+1 {
		t.Errorf("got %d observations, want %d", len(obs), len(want)+1)
	}
	if o := m[MetricCloneAgeDays]; o.Value != nil || !strings.Contains(o.Reason, "no remote") ||
		!strings.HasSuffix(o.Evidence, " in demo-project") {
		t.Errorf("clone_age_days of a repository without a remote = %v (%q, %q), want inconclusive", deref(o.Value), o.Reason, o.Evidence)
	}
	for _, w := range want {
		o, ok := m[w.metric]
		if !ok {
			t.Errorf("%s missing", w.metric)
			continue
		}
		if o.Value == nil || !near(*o.Value, w.value) {
			t.Errorf("%s = %v, want %v (evidence %q)", w.metric, deref(o.Value), w.value, o.Evidence)
		}
		if o.Unit != w.unit {
			t.Errorf("%s unit = %q, want %q", w.metric, o.Unit, w.unit)
		}
		if o.Source != "gitlocal" || o.SubjectID != "github.com/example/demo" || !o.ObservedAt.Equal(now) {
			t.Errorf("%s provenance = %q %q %v", w.metric, o.Source, o.SubjectID, o.ObservedAt)
		}
		if !strings.HasSuffix(o.Evidence, " in demo-project") {
			t.Errorf("%s evidence %q does not name the repository", w.metric, o.Evidence)
		}
		if strings.Contains(o.Evidence, f.dir) || strings.Contains(o.Evidence, os.TempDir()) {
			t.Errorf("%s evidence %q leaks a local path", w.metric, o.Evidence)
		}
		if strings.Contains(o.Evidence, "@") {
			t.Errorf("%s evidence %q shows an e-mail address", w.metric, o.Evidence)
		}
	}

	if ev := m[MetricCommitsPerWeek].Evidence; !strings.HasPrefix(ev, "git log HEAD --no-merges (10 commits by people in 52 weeks since 2025-06-02 ÷ 52 weeks, excluding 0 merges and 0 bot commits") {
		t.Errorf("commits_per_week evidence = %q", ev)
	}
	lev := m[MetricLicenseChanges36m].Evidence
	if !strings.Contains(lev, "0 changes to a more restrictive licence (1 change of the declared licence in all, 4 edits to root licence files)") ||
		strings.Contains(lev, licence[0].String()[:7]) || strings.Contains(lev, licence[2].String()[:7]) {
		t.Errorf("licence evidence %q: want 1 change in 4 edits, and not commits 3 or 12", lev)
	}
	for i, d := range []string{"2025-10-01"} {
		if want := "Apache-2.0 → MIT in " + licence[i+1].String()[:7] + " " + d + " (same-class)"; !strings.Contains(lev, want) {
			t.Errorf("licence evidence %q lacks %q", lev, want)
		}
	}
	if ev := m[MetricTags12m].Evidence; !strings.Contains(ev, "2 of 4 release tags") || !strings.Contains(ev, "newest v1.1 2025-12-15") ||
		!strings.Contains(ev, "1 pre-release tag left out (1 of them dated since 2025-06-01)") {
		t.Errorf("tags evidence = %q", ev)
	}
	if ev := m[MetricElephantFactor12m].Evidence; !strings.Contains(ev, "acme.com 4, globex.cn 4") ||
		!strings.Contains(ev, "1 independent author on public mail, no-reply or local addresses made 3 commits, counted together as one organisation") {
		t.Errorf("elephant evidence = %q", ev)
	}
	if ev := m[MetricMonthsSinceRelease].Evidence; !strings.HasPrefix(ev, "newest release tag v1.1 dated 2025-12-15T09:00:00Z (167.6 days ÷ 30.4375; 1 pre-release tag left out)") {
		t.Errorf("months_since_last_release evidence = %q", ev)
	}

	// Same input, same output.
	again, _, err := c.Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	for i := range obs {
		if obs[i].Metric != again[i].Metric || deref(obs[i].Value) != deref(again[i].Value) || obs[i].Evidence != again[i].Evidence {
			t.Errorf("second run differs at %d: %+v vs %+v", i, obs[i], again[i])
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// The walk stops at the first commit older than 36 months: of 15 commits it
// reads 14 (commit 1, 2022-01-10, is before 2023-06-01).
func TestScanStopsAt36Months(t *testing.T) {
	f, _ := demoRepo(t)
	h, err := scan(context.Background(), f.repo, now, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if h.walked != 14 || !h.stopped {
		t.Errorf("walked %d commits (stopped %v), want 14 and stopped", h.walked, h.stopped)
	}
	for i := 1; i < len(h.commits); i++ {
		if h.commits[i].committed.After(h.commits[i-1].committed) {
			t.Fatalf("walk is not in committer-date order at %d", i)
		}
	}
}

// An abandoned repository: everything is older than 36 months. The walk
// still reads the newest commit, windowed metrics are real zeros.
func TestCollectNoRecentCommits(t *testing.T) {
	f := newFixture(t, "old")
	f.at(alice, date(2020, 1, 1, 0), func() { f.write("LICENSE", "MIT\n") })
	last := f.at(bob, date(2021, 6, 1, 0), func() { f.write("LICENSE", "MIT, edited\n") })
	if _, err := f.repo.CreateTag("v1", last, nil); err != nil {
		t.Fatal(err)
	}
	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// 2021-06-01 → 2026-06-01 = 365·5 + 1 (29 Feb 2024) = 1826 days;
	// 1826 / 30.4375 = 59.99…  months.
	want := map[string]float64{
		MetricAuthors12m: 0, MetricBusFactor12m: 0, MetricCommits12m: 0, MetricCommitsPerWeek: 0,
		MetricElephantFactor12m: 0, MetricOrgCount12m: 0, MetricTags12m: 0,
		// the licence edit in 2021 is outside 36 months
		MetricLicenseChanges36m: 0,
		MetricDaysSinceLast:     1826,
		MetricMonthsSinceLast:   1826 / 30.4375,
		MetricContributors12m:   0,
		MetricMaintainers:       0,
		MetricMerges12m:         0,
		MetricRelicensed12m:     0,
		// tag v1 on the 2021-06-01 commit: 1826 days, as above
		MetricMonthsSinceRelease:           1826 / 30.4375,
		MetricRelicensedSourceAvailable36m: 0,
	}
	// and gitlocal.clone_age_days, inconclusive: no remote, not a clone.
	if len(m) != len(want)+1 || m[MetricCloneAgeDays].Value != nil {
		t.Errorf("got %d metrics, want %d (clone_age_days %v)", len(m), len(want)+1, deref(m[MetricCloneAgeDays].Value))
	}
	for metric, v := range want {
		o := m[metric]
		if o.Value == nil || !near(*o.Value, v) {
			t.Errorf("%s = %v, want %v", metric, deref(o.Value), v)
		}
	}
	h, err := scan(context.Background(), f.repo, now, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	if h.walked != 1 {
		t.Errorf("walked %d commits, want only the newest", h.walked)
	}
}

func TestApplies(t *testing.T) {
	c := New()
	if ok, reason := c.Applies(collectors.Target{}); ok || reason != "no local_path" {
		t.Errorf("no path: %v %q", ok, reason)
	}
	plain := t.TempDir()
	if ok, reason := c.Applies(collectors.Target{LocalPath: plain}); ok || reason != "not a git repository: "+plain {
		t.Errorf("plain dir: %v %q", ok, reason)
	}
	missing := filepath.Join(plain, "nope")
	if ok, reason := c.Applies(collectors.Target{LocalPath: missing}); ok || !strings.HasPrefix(reason, "not a git repository") {
		t.Errorf("missing dir: %v %q", ok, reason)
	}
	f := newFixture(t, "empty")
	if ok, reason := c.Applies(f.target()); !ok {
		t.Errorf("empty repository should apply (Collect reports it): %q", reason)
	}
	f.at(alice, date(2026, 1, 1, 0), func() { f.write("sub/dir/file.go", "package x\n") })
	if ok, reason := c.Applies(collectors.Target{LocalPath: filepath.Join(f.dir, "sub", "dir")}); !ok {
		t.Errorf("subdirectory of a repository: %q", reason)
	}
	if n := c.Name(); n != "gitlocal" {
		t.Errorf("Name = %q", n)
	}
	if nd := c.Needs(); nd != (collectors.Needs{Clone: true}) {
		t.Errorf("Needs = %+v", nd)
	}
}

func TestCollectErrors(t *testing.T) {
	c := &Collector{Now: fixed}
	f := newFixture(t, "empty")
	_, cost, err := c.Collect(context.Background(), f.target())
	if !errors.Is(err, ErrNoCommits) || !strings.Contains(err.Error(), "repository has no commits") {
		t.Errorf("empty repository: err = %v", err)
	}
	if cost.RateRemaining != -1 {
		t.Errorf("cost = %+v", cost)
	}
	if _, _, err := c.Collect(context.Background(), collectors.Target{LocalPath: t.TempDir()}); err == nil ||
		!strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("plain dir: err = %v", err)
	}
	if _, _, err := c.Collect(context.Background(), collectors.Target{}); err == nil {
		t.Error("no local path: no error")
	}
}

func TestCollectCancelled(t *testing.T) {
	f, _ := demoRepo(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := (&Collector{Now: fixed}).Collect(ctx, f.target()); !errors.Is(err, context.Canceled) {
		t.Errorf("Collect: err = %v, want context.Canceled", err)
	}
	// The walk itself checks the context before each commit.
	if _, err := scan(ctx, f.repo, now, nil, false); !errors.Is(err, context.Canceled) {
		t.Errorf("scan: err = %v, want context.Canceled", err)
	}
	// Cancelled during the walk, after the third commit.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	seen := 0
	err := walk(ctx, f.repo, headHash(t, f.repo), nil, func(*object.Commit) bool {
		seen++
		if seen == 3 {
			cancel()
		}
		return true
	})
	if !errors.Is(err, context.Canceled) || seen != 3 {
		t.Errorf("walk: err = %v after %d commits, want context.Canceled after 3", err, seen)
	}
}

func headHash(t testing.TB, repo *git.Repository) plumbing.Hash {
	t.Helper()
	ref, err := repo.Head()
	if err != nil {
		t.Fatal(err)
	}
	return ref.Hash()
}

// Objects written directly to the store, for merges, shallow clones and the
// benchmark, where the worktree cannot help or would be slow.

func writeBlob(t testing.TB, repo *git.Repository, content string) plumbing.Hash {
	t.Helper()
	o := repo.Storer.NewEncodedObject()
	o.SetType(plumbing.BlobObject)
	w, err := o.Writer()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(content)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	h, err := repo.Storer.SetEncodedObject(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// writeTree stores a flat root tree of files (name → blob).
func writeTree(t testing.TB, repo *git.Repository, files map[string]plumbing.Hash) plumbing.Hash {
	t.Helper()
	tree := &object.Tree{}
	for name, h := range files {
		tree.Entries = append(tree.Entries, object.TreeEntry{Name: name, Mode: filemode.Regular, Hash: h})
	}
	sort.Slice(tree.Entries, func(i, j int) bool { return tree.Entries[i].Name < tree.Entries[j].Name })
	o := repo.Storer.NewEncodedObject()
	if err := tree.Encode(o); err != nil {
		t.Fatal(err)
	}
	h, err := repo.Storer.SetEncodedObject(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func writeCommit(t testing.TB, repo *git.Repository, tree plumbing.Hash, who person, when time.Time, parents ...plumbing.Hash) plumbing.Hash {
	t.Helper()
	sig := object.Signature{Name: who.name, Email: who.email, When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: "change\n", TreeHash: tree, ParentHashes: parents}
	o := repo.Storer.NewEncodedObject()
	if err := c.Encode(o); err != nil {
		t.Fatal(err)
	}
	h, err := repo.Storer.SetEncodedObject(o)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// setHead points the branch HEAD names at h.
func setHead(t testing.TB, repo *git.Repository, h plumbing.Hash) {
	t.Helper()
	head, err := repo.Storer.Reference(plumbing.HEAD)
	if err != nil {
		t.Fatal(err)
	}
	if err := repo.Storer.SetReference(plumbing.NewHashReference(head.Target(), h)); err != nil {
		t.Fatal(err)
	}
}

func metric(t *testing.T, obs []models.Observation, name string) models.Observation {
	t.Helper()
	for _, o := range obs {
		if o.Metric == name {
			return o
		}
	}
	t.Fatalf("%s missing", name)
	return models.Observation{}
}

// A licence change made on a branch and merged counts once: the merge takes
// the branch's licence, so it does not differ from every parent.
//
//	base (LICENSE v1, a=1) ── main (a=2) ──────── merge (LICENSE v2, a=2)
//	                     └─── branch (LICENSE v2) ─┘
func TestLicenceChangeThroughMerge(t *testing.T) {
	f := newFixture(t, "merge")
	r := f.repo
	v1, v2 := writeBlob(t, r, testLicence(t, "Apache-2.0")), writeBlob(t, r, testLicence(t, "MIT"))
	a1, a2 := writeBlob(t, r, "1\n"), writeBlob(t, r, "2\n")
	base := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": v1, "a": a1}), alice, date(2026, 1, 1, 0))
	main := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": v1, "a": a2}), alice, date(2026, 1, 2, 0), base)
	branch := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": v2, "a": a1}), carol, date(2026, 1, 3, 0), base)
	merge := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": v2, "a": a2}), alice, date(2026, 1, 4, 0), main, branch)
	setHead(t, r, merge)

	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	// 4 commits, 1 licence change (branch), not 2; Apache-2.0 → MIT is
	// within the permissive class, so none to a more restrictive licence.
	if o := metric(t, obs, MetricCommits12m); *o.Value != 4 {
		t.Errorf("commits_12m = %v, want 4", *o.Value)
	}
	o := metric(t, obs, MetricLicenseChanges36m)
	if *o.Value != 0 || !strings.Contains(o.Evidence, "(1 change of the declared licence in all, 1 edit to root licence files)") ||
		!strings.Contains(o.Evidence, "Apache-2.0 → MIT in "+branch.String()[:7]+" 2026-01-03 (same-class)") {
		t.Errorf("license_changes_36m = %v (%q), want 0, the one change at the branch commit", *o.Value, o.Evidence)
	}
}

// A shallow clone lacks the parents of its boundary commits: the walk ends
// there instead of failing, and the evidence says so.
func TestShallowClone(t *testing.T) {
	f := newFixture(t, "shallow")
	r := f.repo
	lic := writeBlob(t, r, "MIT\n")
	c1 := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": lic, "a": writeBlob(t, r, "1\n")}), alice, date(2026, 1, 1, 0))
	c2 := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": lic, "a": writeBlob(t, r, "2\n")}), bob, date(2026, 2, 1, 0), c1)
	c3 := writeCommit(t, r, writeTree(t, r, map[string]plumbing.Hash{"LICENSE": lic, "a": writeBlob(t, r, "3\n")}), carol, date(2026, 3, 1, 0), c2)
	setHead(t, r, c3)
	if err := r.Storer.SetShallow([]plumbing.Hash{c2}); err != nil {
		t.Fatal(err)
	}
	s := c1.String()
	if err := os.Remove(filepath.Join(f.dir, ".git", "objects", s[:2], s[2:])); err != nil {
		t.Fatal(err)
	}

	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	// c3 and c2 are present; c1 is beyond the shallow boundary → 2 commits.
	o := metric(t, obs, MetricCommits12m)
	if *o.Value != 2 || !strings.Contains(o.Evidence, "shallow clone") {
		t.Errorf("commits_12m = %v (%q), want 2 and a shallow-clone note", *o.Value, o.Evidence)
	}
	if o := metric(t, obs, MetricLicenseChanges36m); *o.Value != 0 {
		t.Errorf("license_changes_36m = %v, want 0", *o.Value)
	}
}

func TestOrgKey(t *testing.T) {
	for _, tc := range []struct{ name, email, want string }{
		{"Alice", "alice@acme.com", "acme.com"},
		{"Dave", "dave@gmail.com", "independent:dave@gmail.com"},
		{"Oct", "12345+octo@users.noreply.github.com", "independent:@octo"}, // a no-reply address names a login
		{"X", "x@user.noreply.gitee.com", "independent:x@user.noreply.gitee.com"},
		{"Li", "li@qq.com", "independent:li@qq.com"},
		{"Wang", "wang@163.com", "independent:wang@163.com"},
		{"Dev", "dev@laptop.local", "independent:dev@laptop.local"},
		{"Root", "root@", "independent:root@"},
		{"Anonymous", "", "independent:name:anonymous"},
		{"Ops", " Ops@Bank.Example.CN ", "bank.example.cn"},
	} {
		var ids *affiliation.Identities
		if got := orgKey(ids.Resolve(tc.name, tc.email, "")); got != tc.want {
			t.Errorf("orgKey(%q) = %q, want %q", tc.email, got, tc.want)
		}
	}
}

func TestFactor(t *testing.T) {
	for _, tc := range []struct {
		counts map[string]int
		want   int
	}{
		{nil, 0},
		{map[string]int{"a": 1}, 1},
		// total 10, half 5: a 5 ≥ 5 → 1
		{map[string]int{"a": 5, "b": 3, "c": 2}, 1},
		// total 10: a 4 < 5; a+b 7 ≥ 5 → 2
		{map[string]int{"a": 4, "b": 3, "c": 3}, 2},
		// total 5, 2.5: 1, 2 < 2.5; 3 → 3
		{map[string]int{"a": 1, "b": 1, "c": 1, "d": 1, "e": 1}, 3},
	} {
		total := 0
		for _, n := range tc.counts {
			total += n
		}
		if got := affiliation.Factor(affiliation.Ranked(tc.counts), total); got != tc.want {
			t.Errorf("factor(%v) = %d, want %d", tc.counts, got, tc.want)
		}
	}
}

// benchRepo writes a repository of n commits, one every 4 hours back from
// now (5,000 commits span 833 days, all inside 36 months, so all are
// walked), by 60 authors at 10 companies plus gmail users, with a tag every
// 100 commits and a licence edit every 1,000.
func benchRepo(b *testing.B, n int) *fixture {
	f := newFixture(b, "bench")
	r := f.repo
	readme := writeBlob(b, r, "bench\n")
	lic := writeBlob(b, r, "licence 0\n")
	var parent plumbing.Hash
	for i := 0; i < n; i++ {
		when := now.Add(-time.Duration(n-i) * 4 * time.Hour)
		if i > 0 && i%1000 == 0 {
			lic = writeBlob(b, r, fmt.Sprintf("licence %d\n", i))
		}
		tree := writeTree(b, r, map[string]plumbing.Hash{
			"LICENSE": lic, "README.md": readme, "counter": writeBlob(b, r, fmt.Sprintf("%d\n", i)),
		})
		a := i % 60
		who := person{fmt.Sprintf("dev%d", a), fmt.Sprintf("dev%d@corp%d.com", a, a%10)}
		if a >= 50 {
			who.email = fmt.Sprintf("dev%d@gmail.com", a)
		}
		var parents []plumbing.Hash
		if i > 0 {
			parents = []plumbing.Hash{parent}
		}
		parent = writeCommit(b, r, tree, who, when, parents...)
		if i%100 == 99 {
			if _, err := r.CreateTag(fmt.Sprintf("v0.%d", i/100), parent, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
	setHead(b, r, parent)
	return f
}

// BenchmarkCollect measures a 5,000-commit history stored as loose objects
// (the slowest layout: one file per object) and packed, as a clone is.
func BenchmarkCollect(b *testing.B) {
	for _, layout := range []string{"loose", "packed"} {
		b.Run(layout, func(b *testing.B) {
			f := benchRepo(b, 5000)
			if layout == "packed" {
				pack(b, f)
			}
			c := &Collector{Now: fixed}
			ctx := context.Background()
			tgt := f.target()
			for b.Loop() {
				obs, _, err := c.Collect(ctx, tgt)
				if err != nil {
					b.Fatal(err)
				}
				// 17 metrics, each observed once (TestCollectDemoRepo checks their values).
				if len(obs) != 17 {
					b.Fatalf("%d observations, want 17", len(obs))
				}
			}
		})
	}
}

// pack moves every object into one packfile and removes the loose copies.
func pack(b *testing.B, f *fixture) {
	b.Helper()
	if err := f.repo.RepackObjects(&git.RepackConfig{}); err != nil {
		b.Fatal(err)
	}
	objects := filepath.Join(f.dir, ".git", "objects")
	dirs, err := os.ReadDir(objects)
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range dirs {
		if len(d.Name()) == 2 {
			if err := os.RemoveAll(filepath.Join(objects, d.Name())); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// testLicence is the full text of a licence, as projects ship it: enough
// for licence detection to recognise it.
func testLicence(t testing.TB, id string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "license", "testdata", id+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
