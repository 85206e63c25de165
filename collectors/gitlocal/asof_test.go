package gitlocal

import (
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/internal/release"
	"github.com/osgauge/osgauge/models"
)

// eod is the end of a day, 23:59:59 UTC: what `collect --as-of DAY` means,
// and the time of every commit of the backfill fixture, so that every
// "days since" below is a whole number of days.
func eod(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, time.UTC) }

var frank = person{"Frank", "frank@initech.com"}

// backfillRepo is a project with two years of history, every commit at
// 23:59:59 UTC (author date = committer date):
//
//	c1  2024-11-15 Alice  README and LICENSE (MIT: the first licence, not a change)
//	c2  2025-02-10 Bob
//	f   2025-04-10 Frank
//	c3  2025-05-20 Carol          tag v1.0.0 (lightweight: dated 2025-05-20)
//	c4  2025-08-01 Alice
//	c5  2025-11-10 Dave (gmail)
//	c6  2026-01-20 Bob            tag v1.1.0 (annotated, tagger date 2026-02-01)
//	c7  2026-03-15 Carol          LICENSE replaced by Apache-2.0: licence change MIT → Apache-2.0
//	c8  2026-05-01 renovate[bot]
//	c9  2026-06-01 Alice
//	c10 2026-06-15 Dave           on a side branch off c9
//	c11 2026-07-10 Bob            merges the side branch: first parent c9, second c10
//	c12 2026-08-20 Carol          tag v1.2.0-rc.1 (lightweight: a pre-release)
//	c13 2026-10-20 Eve            tag v2.0.0 (lightweight), after every quarter below
//
// HEAD's first-parent line is c13 c12 c11 c9 c8 … c1: c10 is not on it.
func backfillRepo(t *testing.T) (*fixture, map[string]plumbing.Hash) {
	f := newFixture(t, "backfill")
	mit, apache := testLicence(t, "MIT"), testLicence(t, "Apache-2.0")
	c := map[string]plumbing.Hash{}
	c["c1"] = f.at(alice, eod(2024, 11, 15), func() { f.write("README.md", "demo\n"); f.write("LICENSE", mit) })
	c["c2"] = f.at(bob, eod(2025, 2, 10), nil)
	c["f"] = f.at(frank, eod(2025, 4, 10), nil)
	c["c3"] = f.at(carol, eod(2025, 5, 20), nil)
	c["c4"] = f.at(alice, eod(2025, 8, 1), nil)
	c["c5"] = f.at(dave, eod(2025, 11, 10), nil)
	c["c6"] = f.at(bob, eod(2026, 1, 20), nil)
	c["c7"] = f.at(carol, eod(2026, 3, 15), func() { f.write("LICENSE", apache) })
	c["c8"] = f.at(renovate, eod(2026, 5, 1), nil)
	c["c9"] = f.at(alice, eod(2026, 6, 1), nil)
	c["c10"] = f.at(dave, eod(2026, 6, 15), nil)
	c["c11"] = f.mergeCommit(bob, eod(2026, 7, 10), c["c9"], c["c10"])
	c["c12"] = f.at(carol, eod(2026, 8, 20), nil)
	c["c13"] = f.at(eve, eod(2026, 10, 20), nil)
	tag := func(name string, h plumbing.Hash, tagger *time.Time) {
		var opts *git.CreateTagOptions
		if tagger != nil {
			opts = &git.CreateTagOptions{Tagger: &object.Signature{Name: robots.name, Email: robots.email, When: *tagger}, Message: "release " + name}
		}
		if _, err := f.repo.CreateTag(name, h, opts); err != nil {
			t.Fatal(err)
		}
	}
	t11 := eod(2026, 2, 1)
	tag("v1.0.0", c["c3"], nil)
	tag("v1.1.0", c["c6"], &t11)
	tag("v1.2.0-rc.1", c["c12"], nil)
	tag("v2.0.0", c["c13"], nil)
	return f, c
}

// quarterEnd is one as-of instant of the backfill and what gitlocal must
// find then, worked out by hand below.
type quarterEnd struct {
	period  string
	asOf    time.Time
	start   string // the commit HEAD's first-parent line held then
	commits int    // commits_12m
	merges  int
	authors int
	days    int // since the newest commit by a person
	tags12  int // release tags dated in 12 months
	relDays int // since the newest release tag
	lic36   int // licence changes in 36 months
	lic12   int
}

// Worked by hand (12-month window = the 365 days before the as-of
// instant, 23:59:59 to 23:59:59; 52 weeks = 364 days):
//
// 2025Q4, as of 2025-12-31: start c5 (c13 c12 c11 c9 c8 c7 c6 are later).
// Window from 2024-12-31: c2 f c3 c4 c5 = 5 commits, 0 merges; authors Bob,
// Frank, Carol, Alice, Dave = 5. Newest by a person c5 2025-11-10: 20 days
// to 30 November + 31 = 51 days (51 ÷ 30.4375 = 1.68 months). Tags dated by
// then: v1.0.0 only (v1.1.0's tagger date is 2026-02-01): 1 in 12 months;
// 2025-05-20 → 2025-12-31 = 11 + 30 + 31 + 31 + 30 + 31 + 30 + 31 = 225
// days. Licence: no change yet (c1 added the first licence): 0 and 0.
// commits_per_week: 52 weeks from 2025-01-01: c2 f c3 c4 c5 = 5 ÷ 52.
//
// 2026Q1, as of 2026-03-31: start c7. Window from 2025-03-31: f c3 c4 c5
// c6 c7 = 6; authors Frank, Carol, Alice, Dave, Bob = 5. Newest c7
// 2026-03-15: 16 days. Tags v1.0.0 (2025-05-20) and v1.1.0 (2026-02-01): 2
// in 12 months; 2026-02-01 → 2026-03-31 = 28 + 30 = 58 days. Licence: c7
// MIT → Apache-2.0 on 2026-03-15, both permissive: listed, but no change
// to a more restrictive licence → 0 and 0.
//
// 2026Q2, as of 2026-06-30: start c9 (c11, 2026-07-10, is later; c10,
// 2026-06-15, is on the side branch, not yet merged: not walked). Window
// from 2025-06-30: c4 c5 c6 c7 c8 c9 = 6, 0 merges; authors Alice, Dave,
// Bob, Carol = 4 (renovate is a bot; Frank's 2025-04-10 is before the
// window). Newest by a person c9 2026-06-01: 29 days (c8 is renovate's;
// c10 would have given 15). Tags: v1.0.0 is before the window, v1.1.0 in
// it: 1; 2026-02-01 → 2026-06-30 = 28 + 31 + 30 + 31 + 29 = 149 days.
// Licence: 0 and 0 (as in 2026Q1).
//
// 2026Q3, as of 2026-09-30: start c12. Window from 2025-09-30: c5 c6 c7 c8
// c9 c10 c11 c12 = 8, 1 merge (c11); authors (people, not merges) Dave (c5
// c10), Bob (c6), Carol (c7 c12), Alice (c9) = 4. Newest c12 2026-08-20: 11
// + 30 = 41 days. Tags: v1.0.0 out of the window, v1.1.0 in,
// v1.2.0-rc.1 a pre-release: 1; 2026-02-01 → 2026-09-30 = 149 + 1 + 31 +
// 31 + 29 = 241 days. Licence: 0 and 0.
var quarterEnds = []quarterEnd{
	{"2025Q4", eod(2025, 12, 31), "c5", 5, 0, 5, 51, 1, 225, 0, 0},
	{"2026Q1", eod(2026, 3, 31), "c7", 6, 0, 5, 16, 2, 58, 0, 0},
	{"2026Q2", eod(2026, 6, 30), "c9", 6, 0, 4, 29, 1, 149, 0, 0},
	{"2026Q3", eod(2026, 9, 30), "c12", 8, 1, 4, 41, 1, 241, 0, 0},
}

// backfillNow is the collector's clock: 2026-12-07 23:59:59 UTC.
var backfillNow = eod(2026, 12, 7)

func collectAsOf(t *testing.T, f *fixture, asOf time.Time) []models.Observation {
	t.Helper()
	tg := f.target()
	tg.AsOf = asOf
	c := &Collector{Now: func() time.Time { return backfillNow }}
	if ok, why := c.AsOf(tg); !ok {
		t.Fatalf("AsOf(%s) = false: %s", asOf, why)
	}
	obs, _, err := c.Collect(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// Four quarter ends backfilled from history give the figures worked out by
// hand above, every observation recorded at its quarter's end.
func TestBackfillFourQuarters(t *testing.T) {
	f, c := backfillRepo(t)
	for _, q := range quarterEnds {
		t.Run(q.period, func(t *testing.T) {
			obs := collectAsOf(t, f, q.asOf)
			for _, o := range obs {
				if !o.ObservedAt.Equal(q.asOf) {
					t.Errorf("%s observed at %s, want the as-of instant %s", o.Metric, o.ObservedAt, q.asOf)
				}
			}
			m := byMetric(t, obs)
			want := map[string]float64{
				MetricCommits12m:                   float64(q.commits),
				MetricMerges12m:                    float64(q.merges),
				MetricAuthors12m:                   float64(q.authors),
				MetricDaysSinceLast:                float64(q.days),
				MetricMonthsSinceLast:              float64(q.days) / 30.4375,
				MetricTags12m:                      float64(q.tags12),
				MetricMonthsSinceRelease:           float64(q.relDays) / 30.4375,
				MetricLicenseChanges36m:            float64(q.lic36),
				MetricRelicensed12m:                float64(q.lic12),
				MetricRelicensedSourceAvailable36m: 0,
			}
			for metric, w := range want {
				o := m[metric]
				if o.Value == nil || !near(*o.Value, w) {
					t.Errorf("%s = %v (%q), want %g", metric, deref(o.Value), o.Reason, w)
				}
			}
			ev := m[MetricCommits12m].Evidence
			if !strings.Contains(ev, "as of "+q.asOf.Format("2006-01-02")+": HEAD's history then, from "+c[q.start].String()[:7]) {
				t.Errorf("evidence does not name the as-of start %s (%s): %q", q.start, c[q.start].String()[:7], ev)
			}
		})
	}
	// 2025Q4's commits per week: 5 ÷ 52.
	m := byMetric(t, collectAsOf(t, f, quarterEnds[0].asOf))
	if o := m[MetricCommitsPerWeek]; o.Value == nil || !near(*o.Value, 5.0/52) {
		t.Errorf("2025Q4 commits_per_week = %v, want 5/52", deref(o.Value))
	}
}

// The same four quarter ends, measured with git itself: `git rev-list
// --first-parent -1 --before=AS-OF HEAD` for where HEAD stood, then
// git log one-liners from there. Skipped where git is not installed (the
// hand-worked figures above still hold).
func TestBackfillEqualsGitLog(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed: the hand-worked figures of TestBackfillFourQuarters stand alone")
	}
	f, _ := backfillRepo(t)
	sh := func(script string) string {
		t.Helper()
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir = f.dir
		cmd.Env = append(cmd.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", script, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	atoi := func(s string) int {
		t.Helper()
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("not a number: %q", s)
		}
		return n
	}
	for _, q := range quarterEnds {
		t.Run(q.period, func(t *testing.T) {
			asOf := q.asOf.Format(time.RFC3339)
			cut := q.asOf.Add(-365 * 24 * time.Hour).Format(time.RFC3339)
			start := sh("git rev-list --first-parent -1 --before=" + asOf + " HEAD")
			commits := atoi(sh(fmt.Sprintf("git rev-list --count --since=%s %s", cut, start)))
			merges := atoi(sh(fmt.Sprintf("git rev-list --count --merges --since=%s %s", cut, start)))
			authors := atoi(sh(fmt.Sprintf(`git log --no-merges --since=%s --format=%%ae %s | grep -v '\[bot\]' | sort -u | wc -l`, cut, start)))
			newest := int64(atoi(sh(fmt.Sprintf(`git log --format='%%ct %%an' %s | grep -v '\[bot\]' | head -1 | cut -d' ' -f1`, start))))
			days := q.asOf.Sub(time.Unix(newest, 0)).Hours() / 24
			// Release tags dated by the as-of instant (creatordate: the
			// tagger date of an annotated tag, the commit date of a
			// lightweight one), pre-releases left out.
			tags12, newestTag := 0, int64(0)
			for _, line := range strings.Split(sh("git for-each-ref --format='%(creatordate:unix) %(refname:short)' refs/tags"), "\n") {
				at, name, _ := strings.Cut(line, " ")
				sec := int64(atoi(at))
				when := time.Unix(sec, 0)
				if when.After(q.asOf) || release.IsPrerelease(name) {
					continue
				}
				if !when.Before(q.asOf.Add(-365 * 24 * time.Hour)) {
					tags12++
				}
				newestTag = max(newestTag, sec)
			}
			relDays := q.asOf.Sub(time.Unix(newestTag, 0)).Hours() / 24
			t.Logf("%s: start %s, commits %d, merges %d, authors %d, days since %.0f, tags %d, days since release %.0f",
				q.period, start[:7], commits, merges, authors, days, tags12, relDays)

			m := byMetric(t, collectAsOf(t, f, q.asOf))
			for _, c := range []struct {
				metric string
				git    float64
				hand   float64
			}{
				{MetricCommits12m, float64(commits), float64(q.commits)},
				{MetricMerges12m, float64(merges), float64(q.merges)},
				{MetricAuthors12m, float64(authors), float64(q.authors)},
				{MetricDaysSinceLast, days, float64(q.days)},
				{MetricTags12m, float64(tags12), float64(q.tags12)},
				{MetricMonthsSinceRelease, relDays / 30.4375, float64(q.relDays) / 30.4375},
			} {
				if !near(c.git, c.hand) {
					t.Errorf("%s: git says %g, the hand-worked figure is %g", c.metric, c.git, c.hand)
				}
				if o := m[c.metric]; o.Value == nil || !near(*o.Value, c.git) {
					t.Errorf("%s = %v, git says %g", c.metric, deref(o.Value), c.git)
				}
			}
		})
	}
}

// Collected as of 400 days before the clock, the observations are the
// history's then, recorded at that instant, never today's: 2026-12-07
// 23:59:59 − 400 days = 2025-11-02 23:59:59 (365 days back is 2025-12-07,
// 35 more is 2025-11-02). HEAD then was c4 (c5 is 2025-11-10): the newest
// commit by a person is c4 2025-08-01, 31 + 30 + 31 + 1 = 93 days before.
// Window from 2024-11-02: c1 c2 f c3 c4 = 5 commits by Alice, Bob, Frank,
// Carol = 4 authors; today's figures would be 8 commits and 0.5 months.
func TestAsOf400DaysAgo(t *testing.T) {
	f, _ := backfillRepo(t)
	asOf := backfillNow.AddDate(0, 0, -400)
	if want := eod(2025, 11, 2); !asOf.Equal(want) {
		t.Fatalf("400 days before %s = %s, want %s", backfillNow, asOf, want)
	}
	m := byMetric(t, collectAsOf(t, f, asOf))
	for metric, w := range map[string]float64{
		MetricDaysSinceLast:   93,
		MetricMonthsSinceLast: 93 / 30.4375,
		MetricCommits12m:      5,
		MetricAuthors12m:      4,
	} {
		o := m[metric]
		if o.Value == nil || !near(*o.Value, w) {
			t.Errorf("%s = %v, want %g", metric, deref(o.Value), w)
		}
		if !o.ObservedAt.Equal(asOf) {
			t.Errorf("%s observed at %s, want %s", metric, o.ObservedAt, asOf)
		}
	}
}

// Before the first commit there is no history: the collector declines,
// saying why; a date after its clock is refused.
func TestAsOfBeforeHistoryAndInFuture(t *testing.T) {
	f, _ := backfillRepo(t)
	c := &Collector{Now: func() time.Time { return backfillNow }}
	tg := f.target()
	tg.AsOf = eod(2024, 6, 30)
	ok, why := c.AsOf(tg)
	if want := "no commit on HEAD was committed by 2024-06-30: the history begins later"; ok || why != want {
		t.Errorf("AsOf before the first commit = %v, %q; want false, %q", ok, why, want)
	}
	if _, _, err := c.Collect(context.Background(), tg); err == nil || !strings.Contains(err.Error(), "no commit on HEAD was committed by then (2024-06-30)") {
		t.Errorf("Collect before the first commit: err = %v", err)
	}
	tg.AsOf = backfillNow.Add(time.Hour)
	if ok, why := c.AsOf(tg); ok || !strings.Contains(why, "a date in the future") {
		t.Errorf("AsOf in the future = %v, %q", ok, why)
	}
	var _ collectors.Historian = c
}
