package gitee

import (
	"net/url"
	"strings"

	"github.com/osgauge/osgauge/collectors/forge"
)

// history is the run's reading of the repository in platform-neutral form.
// The web links follow Gitee's URL scheme; GitCode's pages were not
// confirmed and are given the same shape.
func (r *run) history() *forge.History {
	repo := r.repo
	web := strings.TrimSuffix(strings.TrimRight(repo.HTMLURL, "/"), ".git") // Gitee's html_url may end in .git
	if web == "" || !strings.HasPrefix(web, "http") {
		web = r.ref.web()
	}
	branch := repo.DefaultBranch
	items := make([]forge.Item, 0, len(r.st.Items))
	for _, it := range r.st.Items {
		items = append(items, it.Item)
	}
	h := &forge.History{
		Source: r.c.opts.Kind, Forge: r.c.forgeName, ChangeNoun: "pull request", Now: r.now, Identities: r.c.opts.Identities,
		Links: forge.Links{
			Repo: web, Commits: web + "/commits/" + url.PathEscape(branch),
			Stars: web + "/stargazers", Forks: web + "/members", Watchers: web + "/watchers",
			Releases: web + "/releases", Tags: web + "/tags",
			Issues: web + "/issues?state=all", IssuesClosed: web + "/issues?state=closed",
			Changes: web + "/pulls?status=all", Bugs: web + "/issues",
			SecurityFile: web + "/blob/" + url.PathEscape(branch) + "/" + r.securityPath,
			API:          r.c.base.String() + r.endpoint(),
		},
		Repo: forge.Repo{
			Archived: archived(repo), Fork: repo.Fork,
			Stars: repo.Stars, Forks: repo.Forks, Watchers: repo.Watchers, OpenIssues: repo.OpenIssues,
			OpenIssuesNote: ": open_issues_count",
			LicenseSPDX:    licenseSPDX(repo.License),
			DefaultBranch:  branch, OwnerType: ownerType(repo), Homepage: repo.Homepage,
			Created: repo.Created.Time, Pushed: repo.Pushed.Time, PushedField: "pushed_at",
		},
		Commits: r.st.Commits, CommitsEmpty: r.commitsEmpty, CommitsTruncated: r.commitsTruncated, CommitLimit: maxCommitPages * perPage,
		Items: items, ItemsTruncated: r.itemsTruncated, ItemLimit: maxItemPages * perPage, ItemsDisabled: r.itemsDisabled,
		Responses: r.responses(), ReviewsSkipped: r.commentsSkipped,
		Users: r.users, ProfilesRead: maxUsers,
		Releases:       r.rel,
		SecurityPolicy: r.securityPolicy, SecurityPath: r.securityPath, SecurityReason: r.securityReason,
		SecuritySearched: securitySearched,
		AdvisoriesReason: r.c.forgeName + " publishes no repository security advisories API",
	}
	if repo.Owner != nil {
		h.Repo.OwnerLogin = repo.Owner.Login
	}
	if h.Repo.OwnerLogin == "" && repo.Namespace != nil {
		h.Repo.OwnerLogin = repo.Namespace.Path
	}
	h.Releases.Truncated, h.Releases.ReadLimit = r.releasesTruncated, maxReleasePages*perPage
	if r.tagsUsed {
		h.Releases = r.tagRel
		h.Releases.TagsUsed, h.Releases.TagsUndated, h.Releases.TagsPageLimit = true, r.tagsUndated, r.tagsPageLimit
	}
	return h
}

// archived: an "archived" field when the API gives one (Gitee documents
// none), else a status that says so. Gitee's status is "开始" for an active
// repository; the values for an archived one are not documented, so only
// the obvious ones count, and an unknown status is taken as not archived.
func archived(repo apiRepo) bool {
	if repo.Archived != nil {
		return *repo.Archived
	}
	switch strings.ToLower(strings.TrimSpace(repo.Status)) {
	case "archived", "已归档", "归档":
		return true
	}
	return false
}

// ownerType is "Organization" for a group or enterprise namespace, "User"
// for a personal one, else the owner's type as given.
func ownerType(repo apiRepo) string {
	if repo.Namespace != nil {
		switch strings.ToLower(repo.Namespace.Type) {
		case "group", "enterprise", "organization":
			return "Organization"
		case "personal", "user":
			return "User"
		}
	}
	if repo.Owner != nil {
		return repo.Owner.Type
	}
	return ""
}
