package github

import (
	"net/url"
	"strings"

	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/models"
)

// observations turns what the run read into the forge vocabulary.
func (r *run) observations(subject string) []models.Observation {
	return forge.Observations(subject, r.history())
}

// history is the run's reading of the repository in platform-neutral form.
func (r *run) history() *forge.History {
	repo := r.repo
	web := r.ref.web()
	branch := repo.GetDefaultBranch()
	since := r.now.Add(-window180d).UTC().Format("2006-01-02")
	q := func(s string) string { return url.QueryEscape(s) }
	h := &forge.History{
		Source: Source, Forge: "GitHub", ChangeNoun: "pull request", Now: r.now, Identities: r.c.opts.Identities,
		Links: forge.Links{
			Repo: web, Commits: web + "/commits/" + url.PathEscape(branch),
			Stars: web + "/stargazers", Forks: web + "/forks", Watchers: web + "/watchers",
			Releases: web + "/releases", Tags: web + "/tags",
			Issues:       web + "/issues?q=" + q("is:issue created:>="+since),
			IssuesClosed: web + "/issues?q=" + q("is:issue closed:>="+since),
			Changes:      web + "/pulls?q=" + q("is:pr created:>="+since),
			Bugs:         web + "/issues?q=" + q("is:issue label:bug created:>="+since),
			SecurityFile: web + "/blob/" + url.PathEscape(branch) + "/" + r.securityPath,
			Advisories:   web + "/security/advisories?state=published",
			API:          strings.TrimSuffix(r.c.baseURL.String(), "/") + "/repos/" + r.ref.Owner + "/" + r.ref.Name,
		},
		Repo: forge.Repo{
			Archived: repo.GetArchived(), Fork: repo.GetFork(), Disabled: repo.GetDisabled(),
			Stars: repo.GetStargazersCount(), Forks: repo.GetForksCount(),
			OpenIssuesNote: ": open_issues_count, which GitHub counts with open pull requests",
			DefaultBranch:  branch, OwnerType: repo.GetOwner().GetType(), OwnerLogin: repo.GetOwner().GetLogin(),
			Topics: repo.Topics, Homepage: repo.GetHomepage(),
			Created: ts(repo.CreatedAt), Pushed: ts(repo.PushedAt), PushedField: "last push",
		},
		Commits: r.st.Commits, CommitsEmpty: r.commitsEmpty, CommitsTruncated: r.commitsTruncated, CommitLimit: maxCommitPages * perPage,
		Items: r.st.Items, ItemsTruncated: r.itemsTruncated, ItemLimit: maxItemPages * perPage,
		Responses: r.responses(), ReviewsSkipped: r.reviewsSkipped,
		Users: r.users, ProfilesRead: maxUsers,
		Releases:       r.rel,
		SecurityPolicy: r.securityPolicy, SecurityPath: r.securityPath, SecurityReason: r.securityReason,
		SecuritySearched: "the root, .github/ or docs/",
		Advisories:       r.advisories, AdvisoriesReason: r.advisoriesReason,
	}
	if repo.SubscribersCount != nil {
		n := repo.GetSubscribersCount()
		h.Repo.Watchers = &n
	}
	n := repo.GetOpenIssuesCount()
	h.Repo.OpenIssues = &n
	if repo.License != nil {
		h.Repo.LicenseSPDX = repo.License.GetSPDXID()
	}
	if r.itemsGone {
		h.ItemsDisabled = "the issues API answered HTTP 410 (issues are disabled for this repository), so neither issues nor pull requests were read"
	}
	h.Releases.Truncated, h.Releases.ReadLimit = r.releasesTruncated, maxReleasePages*perPage
	if r.tagsUsed {
		h.Releases = r.tagRel
		h.Releases.TagsUsed, h.Releases.TagsUndated = true, r.tagsUndated
		if r.tagRel.Total >= perPage {
			h.Releases.TagsPageLimit = perPage
		}
	}
	return h
}

// responses are the comments, diff comments and reviews kept in the state.
func (r *run) responses() []forge.Response {
	out := append([]forge.Response(nil), r.st.Comments...)
	for _, rv := range r.st.Reviews {
		out = append(out, rv.Reviews...)
	}
	return out
}
