package forge

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func releaseObs(t *testing.T, h *History) map[string]models.Observation {
	t.Helper()
	e := &emitter{subject: "p", source: "test", now: h.Now}
	releaseObservations(h, e)
	m := map[string]models.Observation{}
	for _, o := range e.out {
		m[o.Metric] = o
	}
	return m
}

// Releases.Count leaves pre-releases (flagged, or read from the name) out
// of the window count and the newest release; months_since_last_release
// falls back to the repository's creation when nothing was ever released,
// and is inconclusive when the newest release may not have been read.
func TestReleaseObservations(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ago := func(d float64) time.Time { return now.Add(-time.Duration(d * float64(Day))) }
	cut := now.Add(-Window12m)
	links := Links{Releases: "https://forge.example/p/releases", Tags: "https://forge.example/p/tags"}

	var rl Releases
	rl.Count("v2.0.0-rc.1", ago(2), false, cut) // by name
	rl.Count("v1.9.0", ago(4), true, cut)       // by the forge's flag
	rl.Count("v1.8.0", ago(61), false, cut)
	rl.Count("v1.7.0", ago(400), false, cut)
	rl.Count("v1.7.0-beta.2", ago(420), false, cut)
	h := &History{Now: now, Links: links, Releases: rl, Repo: Repo{Created: ago(1000)}}
	m := releaseObs(t, h)
	// In 12 months (365 days): v1.8.0 only (the rc and v1.9.0 are
	// pre-releases) → 1; pre-releases 3 in all, 2 of them in the window.
	if o := m[MetricReleases12m]; o.Value == nil || *o.Value != 1 ||
		!strings.Contains(o.Evidence, "1 of 5 releases published since 2025-06-01; 3 pre-releases left out (2 dated since 2025-06-01)") {
		t.Errorf("releases_12m = %v (%s), want 1", o.Value, o.Evidence)
	}
	// Newest release v1.8.0, 61 days → 61 ÷ 30.4375 = 2.004…
	if o := m[MetricMonthsSinceRelease]; o.Value == nil || math.Abs(*o.Value-61/30.4375) > 1e-9 ||
		!strings.Contains(o.Evidence, "newest release v1.8.0 dated 2026-04-01T00:00:00Z: 61.0 days ÷ 30.4375") {
		t.Errorf("months_since_last_release = %v (%s), want 61/30.4375", o.Value, o.Evidence)
	}

	// Only pre-releases: never released, months since the creation
	// 1000 days ago → 1000 ÷ 30.4375 = 32.85…
	var pre Releases
	pre.Count("v0.1.0-alpha", ago(10), false, cut)
	h = &History{Now: now, Links: links, Releases: pre, Repo: Repo{Created: ago(1000)}}
	o := releaseObs(t, h)[MetricMonthsSinceRelease]
	if o.Value == nil || math.Abs(*o.Value-1000/30.4375) > 1e-9 ||
		!strings.Contains(o.Evidence, "no release, only 1 pre-release, since the repository was created on 2023-09-05") {
		t.Errorf("pre-releases only: %v (%s), want 1000/30.4375", o.Value, o.Evidence)
	}

	// No release and no tag at all: the same, in the brief's words.
	h = &History{Now: now, Links: links, Releases: Releases{TagsUsed: true}, Repo: Repo{Created: ago(100)}}
	o = releaseObs(t, h)[MetricMonthsSinceRelease]
	if o.Value == nil || math.Abs(*o.Value-100/30.4375) > 1e-9 || !strings.Contains(o.Evidence, "no release or tag since the repository was created") {
		t.Errorf("never released: %v (%s), want 100/30.4375", o.Value, o.Evidence)
	}

	// Tags read only in part, none a release: the newest release may be
	// among the unread → inconclusive.
	var part Releases
	part.Count("nightly-v1.0.0-nightly.1", ago(1), false, cut)
	part.TagsUsed, part.TagsPageLimit = true, 100
	h = &History{Now: now, Links: links, Releases: part, Repo: Repo{Created: ago(100)}}
	o = releaseObs(t, h)[MetricMonthsSinceRelease]
	if o.Value != nil || !strings.Contains(o.Reason, "only the first 100 tags were read") {
		t.Errorf("partial tags: %v (%q), want inconclusive", o.Value, o.Reason)
	}
}

// Releases or tags read only in part: a release seen within 24 months
// stands (the age is at most that); an older newest release gives no
// value, since the real newest may be among those not read and the
// no-release gate (ge 24 months) would fire falsely.
func TestReleaseAgeOnPartialReading(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	ago := func(d float64) time.Time { return now.Add(-time.Duration(d * float64(Day))) }
	cut := now.Add(-Window12m)
	links := Links{Releases: "https://forge.example/p/releases", Tags: "https://forge.example/p/tags"}
	cases := []struct {
		name    string
		newest  float64 // days ago of the newest release read
		partial func(*Releases)
		want    *float64 // nil: no value
		reason  string
	}{
		// 800 ÷ 30.4375 = 26.28 months > 24, 100 releases read of more.
		{"releases truncated, old", 800, func(r *Releases) { r.Truncated, r.ReadLimit = true, 100 }, nil,
			"the newest release read is older than 24 months and only the newest 100 releases were read"},
		// 61 ÷ 30.4375 = 2.004 months ≤ 24: a recent release is proof enough.
		{"releases truncated, recent", 61, func(r *Releases) { r.Truncated, r.ReadLimit = true, 100 }, models.Num(61 / 30.4375), ""},
		// 1000 ÷ 30.4375 = 32.85 months > 24, 3 tags undated.
		{"tags undated, old", 1000, func(r *Releases) { r.TagsUsed, r.TagsUndated = true, 3 }, nil, "3 tags are not dated yet"},
		// 800 days, both gaps: named together.
		{"tags undated and page limit, old", 800, func(r *Releases) { r.TagsUsed, r.TagsUndated, r.TagsPageLimit = true, 2, 100 }, nil,
			"2 tags are not dated yet and only the first 100 tags were read"},
		// 700 ÷ 30.4375 = 22.998 months ≤ 24: stands.
		{"tags page limit, under 24 months", 700, func(r *Releases) { r.TagsUsed, r.TagsPageLimit = true, 100 }, models.Num(700 / 30.4375), ""},
		// 800 days read in full: the value stands, 26.28 months.
		{"complete, old", 800, func(r *Releases) {}, models.Num(800 / 30.4375), ""},
	}
	for _, c := range cases {
		var rl Releases
		rl.Count("v1.0.0", ago(c.newest), false, cut)
		c.partial(&rl)
		o := releaseObs(t, &History{Now: now, Links: links, Releases: rl, Repo: Repo{Created: ago(2000)}})[MetricMonthsSinceRelease]
		switch {
		case c.want == nil:
			if o.Value != nil || !strings.Contains(o.Reason, c.reason) || !strings.Contains(o.Evidence, "newest release read v1.0.0") {
				t.Errorf("%s: %v (%q, %q), want no value, reason %q", c.name, o.Value, o.Reason, o.Evidence, c.reason)
			}
		case o.Value == nil || math.Abs(*o.Value-*c.want) > 1e-9:
			t.Errorf("%s: %v (%q), want %v", c.name, o.Value, o.Reason, *c.want)
		case c.name != "complete, old" && !strings.Contains(o.Evidence, "this is the most the age can be"):
			t.Errorf("%s: evidence %q does not say the value is an upper bound", c.name, o.Evidence)
		}
	}
}
