package github

import (
	"context"
	"github.com/osgauge/osgauge/collectors/forge"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors/affiliation"
)

// A merge bot's "Merge pull request" commits (two parents, a no-reply
// "-bot" address not linked to an account) and a configured release
// account are not people; a no-reply e-mail names its login.
func TestPeopleNotBots(t *testing.T) {
	h := newHarness(t, nil)
	r := widget(h.f, "acme/widget")
	x := &fixture{api: h.f.srv.URL + apiPrefix, web: h.f.srv.URL, full: "acme/widget", ids: 900}
	merge := func(sha string, days float64) map[string]any {
		c := x.commit(sha, "", "Proj Bot", "101226588+proj-bot@users.noreply.github.com", ago(days), ago(days))
		c["parents"] = []any{map[string]any{"sha": "p1" + sha}, map[string]any{"sha": "p2" + sha}}
		return c
	}
	h.f.mu.Lock()
	extra := []map[string]any{
		merge("m01", 0.2), merge("m02", 0.3), merge("m03", 0.4),
		x.commit("r01", "", "Release", "release@acme.com", ago(0.5), ago(0.5)),
		x.commit("g01", "", "Gina", "77+gina@users.noreply.github.com", ago(0.6), ago(0.6)),
	}
	r.commits = append(extra, r.commits...)
	h.f.mu.Unlock()
	h.f.setRepo("acme/widget", r)
	h.c.opts.Identities = affiliation.NewIdentities([]string{"release@acme.com"}, nil)
	obs, _, err := h.c.Collect(context.Background(), target(h.f, "acme/widget"))
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// widget's 14 commits in 12 months + 5 = 19; 3 merges, bots: the two
	// dependabot commits and the configured release account = 3.
	wantNum(t, m, forge.MetricCommits12m, 19)
	wantNum(t, m, forge.MetricMerges12m, 3)
	// People: widget's alice 5, bob 4, dave 2, carol 1 (12) + gina 1 = 13
	// commits by 5 authors. Bus factor: 5 → 10 < 13; 5+4 = 9 → 18 ≥ 13: 2.
	wantNum(t, m, forge.MetricAuthors12m, 5)
	wantNum(t, m, forge.MetricBusFactor12m, 2)
	if ev := m[forge.MetricAuthors12m].Evidence; !strings.Contains(ev, "left out: 3 merges, 3 commits by bots") {
		t.Errorf("authors evidence %q", ev)
	}
	if txt := m[forge.MetricContributors12m].Text; !strings.Contains(txt, `"gina"`) || strings.Contains(txt, "proj-bot") || strings.Contains(txt, "Release") {
		t.Errorf("contributors %s", txt)
	}
}
