package github

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
)

// GitHub's prerelease flag makes a release a pre-release even when its
// name reads as a release; the release pages are read past the 12-month
// window until a release dates the newest one.
func TestReleasesPrereleaseFlag(t *testing.T) {
	d := func(days float64) time.Time { return testNow.Add(-time.Duration(days * float64(24*time.Hour))) }
	s := forgetest.Sample(testNow)
	// Newest first: two flagged pre-releases in the window (one named as a
	// release), then the only release, 500 days old.
	s.Releases = []forgetest.Release{
		{Tag: "v2.0.0", Name: "2.0.0", Published: d(3), Prerelease: true},
		{Tag: "v2.0.0-rc.1", Name: "2.0.0-rc.1", Published: d(20), Prerelease: true},
		{Tag: "v1.9.0-beta.1", Name: "1.9.0 beta", Published: d(400)},
		{Tag: "v1.0.0", Name: "1.0.0", Published: d(500)},
	}
	h := newHarness(t, nil)
	h.f.pageSize = 1 // one release a page: reading goes on past the window
	h.f.setRepo(s.Path, scenarioRepo(h.f, s))
	obs, _, err := h.c.Collect(context.Background(), target(h.f, s.Path))
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// In 12 months: v2.0.0 (flagged) and v2.0.0-rc.1 are pre-releases → 0
	// releases. The newest release is v1.0.0, 500 days old, on the fourth
	// page (the third, v1.9.0-beta.1 at 400 days, is past the window but a
	// pre-release): 500 ÷ 30.4375 = 16.427…
	wantNum(t, m, forge.MetricReleases12m, 0)
	wantNum(t, m, forge.MetricMonthsSinceRelease, 500/30.4375)
	if ev := m[forge.MetricReleases12m].Evidence; !strings.Contains(ev, "0 of 4 releases published since") ||
		!strings.Contains(ev, "3 pre-releases left out (2 dated since") {
		t.Errorf("releases evidence %q", ev)
	}
	if ev := m[forge.MetricMonthsSinceRelease].Evidence; !strings.Contains(ev, "newest release v1.0.0 dated") {
		t.Errorf("months_since_last_release evidence %q", ev)
	}
}
