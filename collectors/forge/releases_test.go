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
