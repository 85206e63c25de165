package gitlocal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
)

// Dates of the abandoned project, back from now = 2026-06-01 00:00 UTC:
//
//	last commit   2026-06-01 − 400 days = 2025-04-27 (−365 → 2025-06-01, −35 more → 2025-04-27)
//	stale fetch   2026-06-01 −  90 days = 2026-03-03 (−30 → 05-02, −60 → 04-02, −90 → 03-03)
//	fresh fetch   2026-06-01 −   1 day  = 2026-05-31
var (
	lastCommit = date(2025, 4, 27, 0)
	staleFetch = date(2026, 3, 3, 0)
	freshFetch = date(2026, 5, 31, 0)
)

// abandonedClone is a clone of a project whose last commit is 400 days old:
// it has an origin remote whose main branch is HEAD's commit.
func abandonedClone(t *testing.T, name string) *fixture {
	t.Helper()
	f := newFixture(t, name)
	f.at(alice, date(2024, 9, 1, 0), func() { f.write("LICENSE", "MIT\n") })
	tip := f.at(bob, lastCommit, nil)
	if _, err := f.repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://github.com/example/demo"}}); err != nil {
		t.Fatal(err)
	}
	if err := f.repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/main", tip)); err != nil {
		t.Fatal(err)
	}
	return f
}

// fetchAt records a fetch at when, as git does: FETCH_HEAD written then and
// a line in the remote-tracking ref's reflog.
func (f *fixture) fetchAt(when time.Time) {
	f.t.Helper()
	tip := headHash(f.t, f.repo)
	fetchHead := filepath.Join(f.dir, ".git", "FETCH_HEAD")
	if err := os.WriteFile(fetchHead, []byte(tip.String()+"\t\tbranch 'main' of https://github.com/example/demo\n"), 0o644); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Chtimes(fetchHead, when, when); err != nil {
		f.t.Fatal(err)
	}
	f.reflog("refs/remotes/origin/main", when)
}

// reflog appends an entry at when to the reflog of ref.
func (f *fixture) reflog(ref string, when time.Time) {
	f.t.Helper()
	tip := headHash(f.t, f.repo)
	p := filepath.Join(f.dir, ".git", "logs", filepath.FromSlash(ref))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		f.t.Fatal(err)
	}
	line := fmt.Sprintf("%s %s Fetcher <fetch@example.org> %d +0800\tfetch: fast-forward\n", tip, tip, when.Unix())
	file, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		f.t.Fatal(err)
	}
	defer file.Close()
	if _, err := file.WriteString(line); err != nil {
		f.t.Fatal(err)
	}
}

// activity lists the metrics a stale clone leaves inconclusive.
var activity = []string{
	MetricCommitsPerWeek, MetricCommits12m, MetricMerges12m, MetricDaysSinceLast, MetricMonthsSinceLast,
	MetricAuthors12m, MetricBusFactor12m, MetricElephantFactor12m, MetricOrgCount12m, MetricTags12m,
	MetricContributors12m, MetricRelicensed12m, MetricLicenseChanges36m,
	MetricMonthsSinceRelease, MetricRelicensedSourceAvailable36m,
}

func phi(t *testing.T, obs []models.Observation) models.Result {
	t.Helper()
	m, err := models.Builtin("project-health")
	if err != nil {
		t.Fatal(err)
	}
	facts := assess.Facts{}
	for _, o := range obs {
		facts[o.Metric] = o
	}
	return assess.Score(m, models.Subject{Kind: models.KindProject, ID: "github.com/example/demo"}, facts, assess.Env{Now: now})
}

func fired(r models.Result, gate string) bool {
	for _, g := range r.Gates {
		if g.ID == gate {
			return true
		}
	}
	return false
}

// A clone last fetched 90 days ago does not tell whether the project is
// active: its activity metrics are inconclusive and the unmaintained gate
// does not fire, though the clone's last commit is 400 days old.
func TestStaleCloneActivityInconclusive(t *testing.T) {
	f := abandonedClone(t, "stale")
	f.fetchAt(staleFetch)
	obs := mustCollect(t, f)
	m := byMetric(t, obs)

	// freshness = newest of fetch 2026-03-03 and newest ref 2025-04-27
	// = 2026-03-03; age = 2026-06-01 − 2026-03-03 = 90 days > 30 → stale.
	age := m[MetricCloneAgeDays]
	if age.Value == nil || !near(*age.Value, 90) || age.Unit != "days" {
		t.Errorf("clone_age_days = %v %s, want 90 (%q)", deref(age.Value), age.Unit, age.Reason)
	}
	reason := "clone not updated since 2026-03-03: fetch it to judge the project's activity"
	for _, metric := range activity {
		o, ok := m[metric]
		if !ok {
			t.Errorf("%s missing", metric)
			continue
		}
		if o.HasData() || o.Reason != reason {
			t.Errorf("%s = %v %q, reason %q; want inconclusive: %q", metric, deref(o.Value), o.Text, o.Reason, reason)
		}
	}
	// The value the clone shows stays in the evidence: 400 days.
	if ev := m[MetricDaysSinceLast].Evidence; !strings.HasPrefix(ev, "clone shows 400 days: newest commit") {
		t.Errorf("days_since_last_commit evidence = %q", ev)
	}
	// Maintainer files are the clone's state, not a window back from now.
	if o := m[MetricMaintainers]; o.Value == nil {
		t.Errorf("maintainers inconclusive on a stale clone: %q", o.Reason)
	}
	for _, o := range obs {
		if !strings.Contains(o.Evidence, "clone as of 2026-03-03") {
			t.Errorf("%s evidence %q does not give the clone's freshness", o.Metric, o.Evidence)
		}
	}
	if ev := age.Evidence; !strings.Contains(ev, "last fetch 2026-03-03") || !strings.Contains(ev, "newest ref HEAD 2025-04-27") {
		t.Errorf("clone_age_days evidence = %q", ev)
	}

	// G-UNMAINTAINED: gitlocal.months_since_last_commit (inconclusive) any
	// forge.months_since_last_push (not collected) ≥ 12: neither has a
	// value, so the gate does not fire (it is not evaluated).
	r := phi(t, obs)
	if fired(r, "G-UNMAINTAINED") {
		t.Errorf("G-UNMAINTAINED fired on a stale clone: %+v", r.Gates)
	}
	// With the forge's last push 13 months old, the forge decides.
	withForge := append(append([]models.Observation(nil), obs...), models.Observation{
		SubjectID: "github.com/example/demo", Metric: "forge.months_since_last_push", Value: models.Num(13),
		Source: "github", ObservedAt: now, Evidence: "pushed_at 2025-05-01",
	})
	if r := phi(t, withForge); !fired(r, "G-UNMAINTAINED") {
		t.Errorf("G-UNMAINTAINED did not fire from the forge's 13 months: %+v", r.Gates)
	}
}

// The same abandoned history fetched yesterday is judged: 400 days since
// the last commit = 400 / 30.4375 = 13.14 months ≥ 12 → G-UNMAINTAINED.
func TestFreshCloneOfAbandonedProjectGated(t *testing.T) {
	f := abandonedClone(t, "fresh")
	f.fetchAt(freshFetch)
	obs := mustCollect(t, f)
	m := byMetric(t, obs)
	// age = 2026-06-01 − 2026-05-31 = 1 day ≤ 30 → fresh.
	if o := m[MetricCloneAgeDays]; o.Value == nil || !near(*o.Value, 1) {
		t.Errorf("clone_age_days = %v, want 1", deref(o.Value))
	}
	if o := m[MetricMonthsSinceLast]; o.Value == nil || !near(*o.Value, 400/30.4375) || o.Reason != "" {
		t.Errorf("months_since_last_commit = %v (%q), want 400/30.4375 = 13.14", deref(o.Value), o.Reason)
	}
	for _, o := range obs {
		if !strings.Contains(o.Evidence, "clone as of 2026-05-31") {
			t.Errorf("%s evidence %q does not give the clone's freshness", o.Metric, o.Evidence)
		}
	}
	if r := phi(t, obs); !fired(r, "G-UNMAINTAINED") {
		t.Errorf("G-UNMAINTAINED did not fire on a fresh clone of an abandoned project: %+v", r.Gates)
	}
}

// Freshness is the newest of FETCH_HEAD's time, the remote-tracking
// reflogs and the newest commit on any ref; the 30-day bound is strict.
func TestReadFreshness(t *testing.T) {
	cases := []struct {
		name  string
		setup func(f *fixture)
		asOf  time.Time
		from  string
		stale bool
	}{
		// nothing recorded: newest ref HEAD 2025-04-27, 400 days → stale.
		{"no fetch recorded", func(f *fixture) {}, lastCommit, "", true},
		// FETCH_HEAD only, 2026-05-02: 30 days exactly → not stale.
		{"FETCH_HEAD", func(f *fixture) {
			p := filepath.Join(f.dir, ".git", "FETCH_HEAD")
			os.WriteFile(p, []byte("x\n"), 0o644)
			os.Chtimes(p, date(2026, 5, 2, 0), date(2026, 5, 2, 0))
		}, date(2026, 5, 2, 0), "FETCH_HEAD", false},
		// reflog only, newest of two entries 2026-05-01 23:00: 30 days 1 hour → stale.
		{"reflog", func(f *fixture) {
			f.reflog("refs/remotes/origin/main", date(2026, 1, 1, 0))
			f.reflog("refs/remotes/origin/main", date(2026, 5, 1, 23))
			f.reflog("refs/remotes/origin/HEAD", date(2025, 1, 1, 0))
		}, date(2026, 5, 1, 23), "reflog of refs/remotes/origin/main", true},
		// a newer branch than HEAD: refs/remotes/origin/dev committed 2026-05-20 → 12 days.
		{"newest ref", func(f *fixture) {
			tree := writeTree(t, f.repo, map[string]plumbing.Hash{"a": writeBlob(t, f.repo, "a")})
			c := writeCommit(t, f.repo, tree, carol, date(2026, 5, 20, 0), headHash(t, f.repo))
			f.repo.Storer.SetReference(plumbing.NewHashReference("refs/remotes/origin/dev", c))
		}, date(2026, 5, 20, 0), "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := abandonedClone(t, "c")
			tc.setup(f)
			h, err := scan(context.Background(), f.repo, now, nil, false)
			if err != nil {
				t.Fatal(err)
			}
			fr := h.fresh
			if !fr.clone || !fr.asOf.Equal(tc.asOf) || fr.fetchFrom != tc.from || fr.stale(now) != tc.stale {
				t.Errorf("freshness = clone %v as of %v from %q stale %v; want as of %v from %q stale %v",
					fr.clone, fr.asOf, fr.fetchFrom, fr.stale(now), tc.asOf, tc.from, tc.stale)
			}
		})
	}
}

// A repository without a remote is the project's own history: never
// stale, however old, and its clone age is inconclusive.
func TestNoRemoteNeverStale(t *testing.T) {
	f := newFixture(t, "own")
	f.at(alice, lastCommit, func() { f.write("LICENSE", "MIT\n") })
	m := byMetric(t, mustCollect(t, f))
	if o := m[MetricMonthsSinceLast]; o.Value == nil || !near(*o.Value, 400/30.4375) {
		t.Errorf("months_since_last_commit = %v (%q), want 13.14", deref(o.Value), o.Reason)
	}
	if o := m[MetricCloneAgeDays]; o.Value != nil || !strings.Contains(o.Reason, "no remote") {
		t.Errorf("clone_age_days = %v (%q), want inconclusive: no remote", deref(o.Value), o.Reason)
	}
	if ev := m[MetricCommits12m].Evidence; !strings.Contains(ev, "repository as of 2025-04-27 (no remote") {
		t.Errorf("commits_12m evidence = %q", ev)
	}
}

// A clone fetched yesterday from a local mirror (a remote that is a path
// on this machine) holds only what the mirror held: the mirror's own
// freshness bounds the clone's. The project's last commit is 400 days old
// (2025-04-27) in both, so the unmaintained gate fires exactly when the
// mirror is fresh.
func TestLocalMirrorBoundsFreshness(t *testing.T) {
	type mirrorSetup struct {
		remote      bool      // the mirror has an origin of its own, as git clone --mirror makes
		fetched     time.Time // its last fetch (FETCH_HEAD), zero: none
		packedRefs  time.Time // when packed-refs was written, zero: no file
		forgeRemote bool      // the clone also has a remote on the forge
	}
	collect := func(t *testing.T, ms mirrorSetup) map[string]models.Observation {
		mirror := newFixture(t, "mirror")
		mirror.at(bob, lastCommit, nil)
		if ms.remote {
			if _, err := mirror.repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"https://github.com/example/demo"}}); err != nil {
				t.Fatal(err)
			}
		}
		if !ms.fetched.IsZero() {
			mirror.fetchAt(ms.fetched)
		}
		if !ms.packedRefs.IsZero() {
			p := filepath.Join(mirror.dir, ".git", "packed-refs")
			if err := os.WriteFile(p, []byte("# pack-refs with: peeled fully-peeled sorted\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(p, ms.packedRefs, ms.packedRefs); err != nil {
				t.Fatal(err)
			}
		}
		clone := newFixture(t, "clone")
		clone.at(bob, lastCommit, nil)
		if _, err := clone.repo.CreateRemote(&config.RemoteConfig{Name: "origin", URLs: []string{"file://" + mirror.dir}}); err != nil {
			t.Fatal(err)
		}
		if ms.forgeRemote {
			if _, err := clone.repo.CreateRemote(&config.RemoteConfig{Name: "upstream", URLs: []string{"https://github.com/example/demo"}}); err != nil {
				t.Fatal(err)
			}
		}
		clone.fetchAt(freshFetch) // the clone itself was fetched on 2026-05-31
		return byMetric(t, mustCollect(t, clone))
	}
	gated := func(m map[string]models.Observation) bool {
		obs := make([]models.Observation, 0, len(m))
		for _, o := range m {
			obs = append(obs, o)
		}
		return fired(phi(t, obs), "G-UNMAINTAINED")
	}
	cases := []struct {
		name     string
		ms       mirrorSetup
		ageDays  float64
		evidence string // in clone_age_days' evidence; "" = no mirror named
		gated    bool
	}{
		// Fetched 2026-03-03: the clone is as of the older of its own fetch
		// (05-31) and the mirror's (03-03) = 90 days > 30, stale: the gate
		// is not evaluated.
		{"mirror fetched 90 days ago", mirrorSetup{remote: true, fetched: staleFetch}, 90,
			"fetched from the local mirror mirror, as of 2026-03-03 (newest ref refs/heads/master 2025-04-27, last fetch 2026-03-03 by FETCH_HEAD)", false},
		// Fetched 2026-05-30: 2 days, fresh; 400 days ÷ 30.4375 = 13.1 ≥ 12 fires.
		{"mirror fetched 2 days ago", mirrorSetup{remote: true, fetched: date(2026, 5, 30, 0)}, 2,
			"as of 2026-05-30", true},
		// Made by git clone --mirror on 2026-05-29, never fetched since: its
		// refs were written then, 3 days, fresh.
		{"mirror made 3 days ago", mirrorSetup{remote: true, packedRefs: date(2026, 5, 29, 0)}, 3,
			"no fetch recorded, refs written 2026-05-29", true},
		// Nothing recorded: as fresh as its newest branch, 2025-04-27 = 400 days.
		{"mirror without dates", mirrorSetup{remote: true}, 400,
			"as of 2025-04-27 (newest ref refs/heads/master 2025-04-27, no fetch recorded)", false},
		// A repository without remotes is the project's own history, not a
		// copy: the clone's own fetch stands (1 day).
		{"own repository as remote", mirrorSetup{}, 1, "", true},
		// The clone also has the forge as a remote: it may have fetched from
		// there, so the mirror does not bound it (1 day).
		{"clone with a forge remote too", mirrorSetup{remote: true, fetched: staleFetch, forgeRemote: true}, 1, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := collect(t, c.ms)
			age := m[MetricCloneAgeDays]
			if age.Value == nil || !near(*age.Value, c.ageDays) {
				t.Errorf("clone_age_days = %v, want %v (%q)", deref(age.Value), c.ageDays, age.Evidence)
			}
			if c.evidence == "" && strings.Contains(age.Evidence, "mirror") || c.evidence != "" && !strings.Contains(age.Evidence, c.evidence) {
				t.Errorf("evidence %q, want %q", age.Evidence, c.evidence)
			}
			if g := gated(m); g != c.gated {
				t.Errorf("G-UNMAINTAINED fired = %v, want %v", g, c.gated)
			}
			if c.ageDays > 30 {
				if o := m[MetricMonthsSinceLast]; o.HasData() || !strings.Contains(o.Reason, "its local mirror mirror holds nothing newer") {
					t.Errorf("months_since_last_commit = %v (%q), want inconclusive by the mirror", deref(o.Value), o.Reason)
				}
			}
		})
	}
}
