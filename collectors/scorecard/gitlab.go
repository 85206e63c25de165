package scorecard

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ossf/scorecard/v5/checks"
	"github.com/ossf/scorecard/v5/clients/gitlabrepo"
	docs "github.com/ossf/scorecard/v5/docs/checks"
	sclog "github.com/ossf/scorecard/v5/log"
	"github.com/ossf/scorecard/v5/pkg/scorecard"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/models"
)

// GitLabOptions configures gitlab mode.
type GitLabOptions struct {
	// Hosts are the GitLab hosts (gitlab.com, a self-managed instance) whose
	// projects this mode scans, each with its token ("" for public projects
	// only). Scorecard's GitLab client always speaks https to the host.
	Hosts map[string]string
	// Timeout bounds one project's run (default 5 minutes).
	Timeout time.Duration
	Now     func() time.Time
	// Online lets the checks that need services beyond GitLab reach them
	// (OSV, the OSS-Fuzz list, the Best Practices badge API); off by default.
	Online bool
}

// GitLabCollector runs Scorecard v5's GitLab client in-process against a
// project on gitlab.com or a self-managed GitLab. Its observations are
// local mode's (scorecard.<Check>, scorecard.aggregate), with "(gitlab
// mode)" in the evidence. Checks Scorecard does not support on GitLab (its
// checks.yaml lists the repository types of each: Dangerous-Workflow,
// Token-Permissions, Pinned-Dependencies, … are GitHub's) are recorded as
// inconclusive with that reason, never scored. Scorecard's GitLab client
// uses its own HTTP client (https to the host, the token as PRIVATE-TOKEN),
// so these requests do not go through the forge transport and are not
// counted in the run's cost.
type GitLabCollector struct {
	o GitLabOptions
}

// NewGitLab returns a gitlab-mode Scorecard collector.
func NewGitLab(o GitLabOptions) *GitLabCollector {
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	hosts := map[string]string{}
	for h, tok := range o.Hosts {
		hosts[strings.ToLower(h)] = tok
	}
	o.Hosts = hosts
	return &GitLabCollector{o: o}
}

func (c *GitLabCollector) Name() string { return Name }
func (c *GitLabCollector) Needs() collectors.Needs {
	return collectors.Needs{Network: true}
}

// Applies needs a project on one of the GitLab hosts.
func (c *GitLabCollector) Applies(t collectors.Target) (bool, string) {
	if t.Repo == "" {
		return false, "no repo (scorecard gitlab mode scans a GitLab project)"
	}
	host, _, err := gitlabPath(t.Repo)
	if err != nil {
		return false, err.Error()
	}
	if _, ok := c.o.Hosts[host]; !ok {
		known := slices.Sorted(func(yield func(string) bool) {
			for h := range c.o.Hosts {
				if !yield(h) {
					return
				}
			}
		})
		return false, fmt.Sprintf("repo %s is not on a GitLab forge of the config (%s)", t.Repo, strings.Join(known, ", "))
	}
	return true, ""
}

// gitlabPath splits a GitLab project URL into its host and full path
// (subgroups included), as the GitLab collector reads it.
func gitlabPath(repo string) (host, path string, err error) {
	u, ok := repourl.Parse(repo)
	if !ok || len(u.Parts) < 2 {
		return "", "", fmt.Errorf("repo %q does not name a GitLab project path (https://host/group/name)", repo)
	}
	return u.Host, strings.Join(u.Parts, "/"), nil
}

// GitLabChecks splits Scorecard's checks into those it supports on GitLab
// and the rest, with the reason recorded for each of the rest.
func GitLabChecks(online bool) ([]string, map[string]string) {
	supported := map[string]bool{}
	if d, err := docs.Read(); err == nil {
		for _, ch := range d.GetChecks() {
			for _, t := range ch.GetSupportedRepoTypes() {
				if strings.EqualFold(t, "GitLab") {
					supported[ch.GetName()] = true
				}
			}
		}
	}
	notRun := map[string]string{}
	var names []string
	for name := range checks.GetAll() {
		switch {
		case !supported[name]:
			notRun[name] = "Scorecard does not support this check on GitLab"
		case !online && offlineOnly[name] != "":
			notRun[name] = offlineOnly[name]
		default:
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names, notRun
}

// Collect runs the checks Scorecard supports on GitLab.
func (c *GitLabCollector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	if ok, why := c.Applies(t); !ok {
		return nil, cost, fmt.Errorf("scorecard (gitlab mode): %s", why)
	}
	host, path, _ := gitlabPath(t.Repo)
	token := c.o.Hosts[host]
	where := host + "/" + path
	fail := func(err error) ([]models.Observation, collectors.Cost, error) {
		return nil, cost, scrubErr(fmt.Errorf("scorecard (gitlab mode) %s: %w", where, err), token)
	}
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	rc, err := gitlabrepo.CreateGitlabClientWithToken(ctx, token, host)
	if err != nil {
		return fail(err)
	}
	repo, err := gitlabrepo.MakeGitlabRepo(where)
	if err != nil {
		return fail(err)
	}
	names, notRun := GitLabChecks(c.o.Online)
	opts := []scorecard.Option{
		scorecard.WithLogLevel(sclog.ErrorLevel),
		scorecard.WithRepoClient(rc),
		scorecard.WithChecks(names),
	}
	if !c.o.Online {
		opts = append(opts,
			scorecard.WithVulnerabilitiesClient(offlineVulns{}),
			scorecard.WithOpenSSFBestPraticesClient(offlineBadge{}),
			scorecard.WithOSSFuzzClient(offlineFuzz{}),
		)
	}
	res, err := scorecard.Run(ctx, repo, opts...)
	if err != nil {
		return fail(err)
	}
	obs := observations(runInfo{subject: t.Subject.ID, where: where, mode: "gitlab mode", kind: "gitlab", now: c.o.Now(), notRun: notRun}, &res)
	for i := range obs {
		obs[i].Evidence = scrub(obs[i].Evidence, token)
		obs[i].Reason = scrub(obs[i].Reason, token)
		obs[i].Text = scrub(obs[i].Text, token)
	}
	return obs, cost, nil
}
