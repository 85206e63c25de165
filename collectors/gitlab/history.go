package gitlab

import (
	"net/url"
	"sort"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors/forge"
)

// history is the run's reading of the project in platform-neutral form.
func (r *run) history() *forge.History {
	p := r.proj
	web := strings.TrimSuffix(p.WebURL, "/")
	if web == "" {
		web = r.ref.web()
	}
	branch := p.DefaultBranch
	since := r.now.Add(-forge.Window180).UTC().Format("2006-01-02")
	h := &forge.History{
		Source: Source, Forge: "GitLab", ChangeNoun: "merge request", Now: r.now, Identities: r.c.opts.Identities,
		Links: forge.Links{
			Repo: web, Commits: web + "/-/commits/" + url.PathEscape(branch),
			Stars: web + "/-/starrers", Forks: web + "/-/forks",
			Releases: web + "/-/releases", Tags: web + "/-/tags",
			Issues:       web + "/-/issues?state=all&created_after=" + since,
			IssuesClosed: web + "/-/issues?state=closed&sort=closed_at_desc",
			Changes:      web + "/-/merge_requests?state=all&created_after=" + since,
			Bugs:         web + "/-/issues?state=all&label_name%5B%5D=bug&created_after=" + since,
			SecurityFile: web + "/-/blob/" + url.PathEscape(branch) + "/" + r.securityPath,
			API:          r.c.api.String() + "/projects/" + gl.PathEscape(r.ref.Path),
		},
		Repo: forge.Repo{
			Archived: p.Archived, Fork: p.ForkedFromProject != nil,
			Stars: int(p.StarCount), Forks: int(p.ForksCount),
			LicenseSPDX:   spdxOf(p.License),
			DefaultBranch: branch,
			Topics:        p.Topics,
			Created:       ts(p.CreatedAt), Pushed: ts(p.LastActivityAt), PushedField: "last activity",
		},
		Commits: r.st.Commits, CommitsEmpty: r.commitsEmpty, CommitsTruncated: r.commitsTruncated, CommitLimit: maxCommitPages * perPage,
		Items: r.st.Items, ItemsTruncated: r.itemsTruncated, ItemLimit: maxItemPages * perPage, ItemsDisabled: r.itemsDisabled,
		Responses: r.responses(), ReviewsSkipped: r.notesSkipped,
		// GitLab links no account to a commit, so the top commit authors'
		// profiles (organisation) cannot be asked for.
		ProfilesRead:   0,
		Releases:       r.rel,
		SecurityPolicy: r.securityPolicy, SecurityPath: r.securityPath, SecurityReason: r.securityReason,
		SecuritySearched: "the root, .gitlab/ or docs/",
		AdvisoriesReason: "GitLab publishes no per-project security advisories through its API",
	}
	if len(h.Repo.Topics) == 0 && len(p.TagList) > 0 { // GitLab before 14.0
		h.Repo.Topics = p.TagList
	}
	if ns := p.Namespace; ns != nil {
		h.Repo.OwnerType = ns.Kind // "group" or "user"
		h.Repo.OwnerLogin = ns.FullPath
		if h.Repo.OwnerLogin == "" {
			h.Repo.OwnerLogin = ns.Path
		}
	}
	if r.itemsDisabled == "" {
		n := int(p.OpenIssuesCount)
		h.Repo.OpenIssues = &n
		h.Repo.OpenIssuesNote = ": open_issues_count (issues only: GitLab counts merge requests apart)"
	}
	h.Releases.Truncated, h.Releases.ReadLimit = r.releasesTruncated, maxReleasePages*perPage
	if r.tagsUsed {
		h.Releases = r.tagRel
		h.Releases.TagsUsed, h.Releases.TagsUndated = true, r.tagsUndated
		h.Releases.TagsPageLimit = r.tagsPageLimit
	}
	return h
}

// responses are the first responses kept in the state, in item order.
func (r *run) responses() []forge.Response {
	ns := make([]int, 0, len(r.st.Notes))
	for n, rec := range r.st.Notes {
		if rec.First != nil {
			ns = append(ns, n)
		}
	}
	sort.Ints(ns)
	out := make([]forge.Response, 0, len(ns))
	for _, n := range ns {
		out = append(out, *r.st.Notes[n].First)
	}
	return out
}

// prune drops what fell out of every window: commits older than 12 months,
// items neither opened nor closed nor merged in 12 months, notes of items
// no longer kept or opened before 180 days.
func (r *run) prune() {
	cut12 := r.now.Add(-forge.Window12m)
	cut180 := r.now.Add(-forge.Window180)
	r.st.Commits = forge.KeepCommits(r.st.Commits, cut12)
	r.st.Items = forge.KeepItems(r.st.Items, cut12)
	keep := map[int]bool{}
	for _, it := range r.st.Items {
		if !it.Created.Before(cut180) {
			keep[it.N] = true
		}
	}
	for n := range r.st.Notes {
		if !keep[n] {
			delete(r.st.Notes, n)
		}
	}
}
