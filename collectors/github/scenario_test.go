package github

import (
	"context"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
	"github.com/osgauge/osgauge/models"
)

// scenarioRepo serves a forge-neutral history as the fake GitHub's
// repository: issues and pull requests share one numbering, as on GitHub;
// system notes do not exist on GitHub (events are not comments), so they
// are not served.
func scenarioRepo(f *fakeGitHub, s forgetest.Scenario) *fakeRepo {
	x := &fixture{api: f.srv.URL + apiPrefix, web: f.srv.URL, full: s.Path, ids: 100}
	r := &fakeRepo{meta: x.meta(s.Created, s.Pushed, s.Stars, s.Forks), reviews: map[int][]map[string]any{},
		contents: map[string][]map[string]any{"": {x.entry("", "README.md", "file")}}}
	r.meta["archived"] = s.Archived
	r.meta["subscribers_count"] = s.Watchers
	r.meta["default_branch"] = s.DefaultBranch
	if s.License == "" {
		r.meta["license"] = nil
	}
	for _, c := range s.Commits {
		m := x.commit(c.SHA, c.Login, c.Name, c.Email, c.Authored, c.Committed)
		var parents []any
		for i := 0; i < c.Parents; i++ {
			parents = append(parents, map[string]any{"sha": c.SHA[:30] + "p" + string(rune('0'+i))})
		}
		m["parents"] = parents
		r.commits = append(r.commits, m)
	}
	for _, it := range s.Issues {
		r.issues = append(r.issues, x.issue(it.N, it.Author, it.Created, it.Updated, it.Closed, nil, false, it.Labels...))
		for _, c := range it.Comments {
			if !c.System {
				r.comments = append(r.comments, x.comment(it.N, c.Author, c.At, c.At))
			}
		}
	}
	for _, ch := range s.Changes {
		r.issues = append(r.issues, x.issue(ch.N, ch.Author, ch.Created, ch.Updated, ch.Closed, ch.Merged, true))
		for _, c := range ch.Comments {
			if !c.System {
				r.comments = append(r.comments, x.comment(ch.N, c.Author, c.At, c.At))
			}
		}
		for _, v := range ch.Reviews {
			r.reviews[ch.N] = append(r.reviews[ch.N], x.review(ch.N, v.Author, "APPROVED", v.At))
		}
	}
	for _, rl := range s.Releases {
		rel := x.release(rl.Tag, rl.Published, rl.Draft)
		rel["prerelease"], rel["name"] = rl.Prerelease, rl.Name
		r.releases = append(r.releases, rel)
	}
	for _, tg := range s.Tags {
		r.tags = append(r.tags, map[string]any{"name": tg.Name, "commit": map[string]any{"sha": tg.SHA, "url": x.api + "/repos/" + s.Path + "/commits/" + tg.SHA},
			"zipball_url": x.api + "/repos/" + s.Path + "/zipball/" + tg.Name, "tarball_url": x.api + "/repos/" + s.Path + "/tarball/" + tg.Name, "node_id": "T_" + tg.Name})
	}
	if s.SecurityFile != "" {
		r.contents[""] = append(r.contents[""], x.entry("", s.SecurityFile, "file"))
	}
	for _, u := range s.Users {
		f.users[u.Login] = map[string]any{"login": u.Login, "id": u.ID, "type": "User", "name": u.Name, "company": u.Company}
	}
	return r
}

// The sample history on the fake GitHub gives the figures worked out by
// hand in forgetest.Sample.
func TestSampleScenarioOnGitHub(t *testing.T) {
	obs := collectSample(t)
	m := byMetric(t, obs)
	checkSample(t, m)
}

func collectSample(t *testing.T) []models.Observation {
	t.Helper()
	h := newHarness(t, nil)
	s := forgetest.Sample(testNow)
	h.f.setRepo(s.Path, scenarioRepo(h.f, s))
	obs, _, err := h.c.Collect(context.Background(), target(h.f, s.Path))
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

// checkSample compares a forge's observations with forgetest.Sample's
// hand-worked figures (see its comment for the arithmetic).
func checkSample(t *testing.T, m map[string]models.Observation) {
	t.Helper()
	for metric, want := range map[string]float64{
		forge.MetricCommitsPerWeek: 6.0 / 52, forge.MetricCommits12m: 8, forge.MetricMerges12m: 1,
		forge.MetricAuthors12m: 4, forge.MetricBusFactor12m: 2, forge.MetricOrgCount12m: 3, forge.MetricElephantFactor12m: 1,
		forge.MetricReleases12m: 2, forge.MetricMonthsSinceRelease: 30 / 30.4375, forge.MetricIssuesOpened180d: 3, forge.MetricIssuesClosed180d: 2,
		forge.MetricIssueFirstResponse: 3, forge.MetricBugOpenDays: 10, forge.MetricChangesOpened180d: 3,
		forge.MetricChangeClosureRatio: 2.0 / 3, forge.MetricChangeMergeRatio: 0.5, forge.MetricChangeMergeDays: 2,
		forge.MetricChangeFirstResponse: 2, forge.MetricAdoption: 180, forge.MetricMonthsSinceLastPush: 1 / 30.4375,
		forge.MetricSecurityPolicy: 1, forge.MetricArchived: 0,
		// c1, alice's commit 1 day ago, is the newest by a person (no
		// newer bot commit) → 1 ÷ 30.4375 = 0.032854…
		forge.MetricMonthsSinceLastPersonCommit: 1 / 30.4375,
	} {
		wantNum(t, m, metric, want)
	}
	if o := m[forge.MetricMonthsSinceLastPersonCommit]; !strings.Contains(o.Evidence, "newest commit by a person c1c1c1c ") ||
		strings.Contains(o.Evidence, "not counted") {
		t.Errorf("%s evidence %q: want c1, no bot commits left out", forge.MetricMonthsSinceLastPersonCommit, o.Evidence)
	}
}
