package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/internal/release"
	"github.com/osgauge/osgauge/models"
)

// collectGraphQL reads the repository by GraphQL. ok false: the state is
// REST's and still fresh (REST refreshes it by 304s), so the caller reads
// by REST. An errRefused error makes the caller fall back to REST.
func (r *run) collectGraphQL(ctx context.Context, subject string) (obs []models.Observation, ok bool, err error) {
	key := stateKey(r.c.webHost, r.ref)
	st := &projectState{}
	if !loadJSON(ctx, r.c.opts.Cache, key, st) || st.V != stateVersion {
		st = &projectState{}
	}
	full := forge.FullRead(st.FullAt, r.now)
	if !full && st.Via != viaGraphQL {
		return nil, false, nil
	}
	kind := kindFull
	if !full {
		kind = kindCheck
	}
	res := r.c.gqlGet(ctx, kind, r.ref)
	if res.err != nil {
		return nil, true, res.err
	}
	if kind == kindCheck && res.repo.heads() == st.Heads {
		r.st = st
		r.repo = res.repo.meta()
	} else {
		if kind == kindCheck { // something moved: read again
			if res = r.c.gqlGet(ctx, kindFull, r.ref); res.err != nil {
				return nil, true, res.err
			}
		}
		r.st = &projectState{V: stateVersion, Via: viaGraphQL, FullAt: st.FullAt}
		if full {
			r.st.FullAt = r.now
		}
		if err := r.readGraphQL(ctx, res.repo); err != nil {
			return nil, true, err
		}
	}
	r.fromState()
	if err := r.securityAdvisories(ctx); err != nil {
		return nil, true, explain("security advisories", err)
	}
	r.prune()
	if err := saveJSON(ctx, r.c.opts.Cache, key, r.st); err != nil {
		return nil, true, fmt.Errorf("save state: %w", err)
	}
	return r.observations(subject), true, nil
}

// meta is the repository's metadata in go-github's shape, which history
// reads (REST's open_issues_count counts open pull requests too).
func (g *gqlRepo) meta() *gh.Repository {
	owner, name, _ := strings.Cut(g.NameWithOwner, "/")
	repo := &gh.Repository{
		Name: gh.String(name), FullName: gh.String(g.NameWithOwner),
		Archived: gh.Bool(g.IsArchived), Fork: gh.Bool(g.IsFork), Disabled: gh.Bool(g.IsDisabled),
		StargazersCount: gh.Int(g.StargazerCount), ForksCount: gh.Int(g.ForkCount),
		SubscribersCount: gh.Int(g.Watchers.TotalCount), OpenIssuesCount: gh.Int(g.OpenIssues.TotalCount + g.OpenPulls.TotalCount),
		Owner:     &gh.User{Login: gh.String(owner), Type: gh.String(g.Owner.Type)},
		Homepage:  gh.String(g.HomepageURL),
		CreatedAt: &gh.Timestamp{Time: g.CreatedAt},
		HasIssues: gh.Bool(g.HasIssuesEnabled),
	}
	if g.Owner.Login != "" {
		repo.Owner.Login = gh.String(g.Owner.Login)
	}
	if g.PushedAt != nil {
		repo.PushedAt = &gh.Timestamp{Time: *g.PushedAt}
	}
	if g.DefaultBranchRef != nil {
		repo.DefaultBranch = gh.String(g.DefaultBranchRef.Name)
	}
	if g.LicenseInfo != nil {
		repo.License = &gh.License{SPDXID: gh.String(g.LicenseInfo.SpdxID)}
	}
	for _, t := range g.RepositoryTopics.Nodes {
		repo.Topics = append(repo.Topics, t.Topic.Name)
	}
	return repo
}

// readGraphQL turns a full read (and the further pages it needs) into the
// state, as the REST path would read it.
func (r *run) readGraphQL(ctx context.Context, g *gqlRepo) error {
	r.repo = g.meta()
	r.st.Heads = g.heads()
	cut := r.now.Add(-window12m)
	if err := forge.RunSteps(ctx, []forge.Step{
		{What: "commits", Do: func(ctx context.Context) error { return r.gqlCommits(ctx, g, cut) }},
		{What: "releases", Do: func(ctx context.Context) error { return r.gqlReleases(ctx, g, cut) }},
		{What: "issues and pull requests", Do: func(ctx context.Context) error { return r.gqlItems(ctx, g, cut) }},
	}, explain); err != nil {
		return err
	}
	r.gqlSecurity(g)
	return nil
}

// page reads the next page of one connection.
func (r *run) page(ctx context.Context, conn, after string, into any) error {
	q := pageQueries[conn]
	resp, err := r.c.query(ctx, q.op, q.text, map[string]any{"owner": r.ref.Owner, "name": r.ref.Name, "after": after}, pagePoints[conn])
	if err != nil {
		return err
	}
	for _, e := range resp.Errors {
		return fmt.Errorf("GraphQL error %s: %s", e.Type, e.Message)
	}
	var repo json.RawMessage = resp.Data["repository"]
	if len(repo) == 0 || string(repo) == "null" {
		return errGone
	}
	return json.Unmarshal(repo, into)
}

func (r *run) gqlCommits(ctx context.Context, g *gqlRepo, cut time.Time) error {
	if g.DefaultBranchRef == nil || g.DefaultBranchRef.Target.History == nil {
		r.st.CommitsEmpty = true // REST answers 409 "Git Repository is empty."
		return nil
	}
	m := forge.NewCommitMerge(nil, true, cut)
	users := map[string]userRec{}
	h := g.DefaultBranchRef.Target.History
	for page := 1; ; page++ {
		cs := make([]commitRec, 0, len(h.Nodes))
		for _, n := range h.Nodes {
			c := commitRec{SHA: n.OID, Authored: n.AuthoredDate.UTC(), Committed: n.CommittedDate.UTC(), Merge: n.Parents.TotalCount > 1}
			if a := n.Author; a != nil {
				c.Name = strings.TrimSpace(a.Name)
				c.Email = strings.ToLower(strings.TrimSpace(a.Email))
				if u := a.User; u != nil && u.Login != "" {
					c.Login = u.Login
					users[u.Login] = userRec{Login: u.Login, Name: strings.TrimSpace(u.Name), Company: strings.TrimSpace(u.Company), At: r.now}
				}
			}
			// A bot account is no User: GraphQL links its commits to none,
			// so its [bot] name is what tells it.
			c.Bot = strings.HasSuffix(strings.ToLower(c.Name), "[bot]")
			cs = append(cs, c)
		}
		if m.Page(cs) || !h.PageInfo.HasNextPage {
			break
		}
		if page == maxCommitPages {
			r.st.CommitsTruncated = true
			break
		}
		var next gqlHistoryPage
		if err := r.page(ctx, "history", h.PageInfo.EndCursor, &next); err != nil {
			return err
		}
		h = &next.DefaultBranchRef.Target.History
	}
	r.st.Commits = m.Commits(nil)
	// The profiles REST would read: the top authors'.
	r.st.Users = map[string]userRec{}
	for _, login := range forge.TopAuthors(r.st.Commits, cut, r.c.opts.Identities, maxUsers) {
		if u, ok := users[login]; ok {
			r.st.Users[login] = u
		}
	}
	return nil
}

func (r *run) gqlReleases(ctx context.Context, g *gqlRepo, cut time.Time) error {
	rs := g.Releases
	var probe forge.Releases
	for page := 1; ; page++ {
		var oldest time.Time
		for _, n := range rs.Nodes {
			if n.IsDraft {
				continue
			}
			at := n.CreatedAt
			if n.PublishedAt != nil && !n.PublishedAt.IsZero() {
				at = *n.PublishedAt
			}
			pre := n.IsPrerelease || release.IsPrerelease(n.Name)
			r.st.Rels = append(r.st.Rels, relRec{Name: n.TagName, At: at.UTC(), Pre: pre})
			probe.Count(n.TagName, at, pre, cut)
			oldest = n.CreatedAt
		}
		if len(rs.Nodes) == 0 || !rs.PageInfo.HasNextPage || (!oldest.IsZero() && oldest.Before(cut) && !probe.Newest.IsZero()) {
			break
		}
		if page == maxReleasePages {
			r.st.RelsTruncated = true
			break
		}
		var next gqlReleasesPage
		if err := r.page(ctx, "releases", rs.PageInfo.EndCursor, &next); err != nil {
			return err
		}
		rs = next.Releases
	}
	if len(r.st.Rels) > 0 {
		return nil
	}
	// No releases: tags, dated by their commit (an annotated tag's target).
	for _, t := range g.Tags.Nodes {
		var at time.Time
		if tg := t.Target; tg != nil {
			switch {
			case tg.Type == "Commit":
				at = tg.CommittedDate
			case tg.Target != nil:
				at = tg.Target.CommittedDate
			}
		}
		if at.IsZero() {
			r.st.TagsUndated++
			continue
		}
		r.st.Tags = append(r.st.Tags, relRec{Name: t.Name, At: at.UTC()})
	}
	return nil
}

func (r *run) gqlItems(ctx context.Context, g *gqlRepo, cut time.Time) error {
	if !g.HasIssuesEnabled { // REST's issues list answers 410: neither is read
		r.st.ItemsGone = true
		return nil
	}
	for _, conn := range []string{"issues", "pullRequests"} {
		list := g.Issues
		if conn == "pullRequests" {
			list = g.PullRequests
		}
		for page := 1; ; page++ {
			var oldest time.Time
			for _, n := range list.Nodes {
				if err := r.gqlItem(ctx, conn == "pullRequests", n); err != nil {
					return err
				}
				oldest = n.UpdatedAt
			}
			if len(list.Nodes) == 0 || !list.PageInfo.HasNextPage || oldest.Before(cut) {
				break
			}
			if page == maxItemPages {
				r.st.ItemsTruncated = true
				break
			}
			var next gqlItemsPage
			if err := r.page(ctx, conn, list.PageInfo.EndCursor, &next); err != nil {
				return err
			}
			list = next.Issues
			if conn == "pullRequests" {
				list = next.PullRequests
			}
		}
	}
	sort.Slice(r.st.Items, func(i, j int) bool { return r.st.Items[i].N > r.st.Items[j].N })
	return nil
}

// gqlItem records one issue or pull request and its first comments and
// reviews. When none of those answers it and more exist, its comments (and
// reviews) are read in full by REST, so its first response is the same as
// the REST path finds.
func (r *run) gqlItem(ctx context.Context, pr bool, n gqlItemNode) error {
	it := itemRec{N: n.Number, PR: pr, Author: n.Author.login(), Bot: n.Author.bot(),
		Created: n.CreatedAt.UTC(), Updated: n.UpdatedAt.UTC(), Closed: utcPtr(n.ClosedAt)}
	if pr {
		it.Merged = utcPtr(n.MergedAt)
	}
	if n.Labels != nil {
		for _, l := range n.Labels.Nodes {
			if forge.IsBugLabel(l.Name) {
				it.Bug = true
			}
		}
	}
	r.st.Items = append(r.st.Items, it)
	answered := false
	for _, c := range n.Comments.Nodes {
		rec := respRec{Kind: "c", ID: c.DatabaseID, N: it.N, Login: c.Author.login(), Bot: c.Author.bot(), At: c.CreatedAt.UTC(), Updated: c.UpdatedAt.UTC()}
		r.st.Comments = append(r.st.Comments, rec)
		answered = answered || forge.IsResponse(rec, it.Author)
	}
	if n.Reviews != nil {
		for _, v := range n.Reviews.Nodes {
			if v.SubmittedAt == nil || v.SubmittedAt.IsZero() || strings.EqualFold(v.State, "PENDING") {
				continue
			}
			rec := respRec{Kind: "v", ID: v.DatabaseID, N: it.N, Login: v.Author.login(), Bot: v.Author.bot(), At: v.SubmittedAt.UTC()}
			r.st.Comments = append(r.st.Comments, rec)
			answered = answered || forge.IsResponse(rec, it.Author)
		}
	}
	more := n.Comments.TotalCount > len(n.Comments.Nodes) || (n.Reviews != nil && n.Reviews.TotalCount > len(n.Reviews.Nodes))
	if answered || !more || it.Created.Before(r.now.Add(-window180d)) {
		return nil
	}
	return r.restResponses(ctx, it)
}

// restResponses reads every comment (and, for a pull request, every
// review) of one item by REST.
func (r *run) restResponses(ctx context.Context, it itemRec) error {
	keep := r.st.Comments[:0]
	for _, c := range r.st.Comments {
		if c.N != it.N {
			keep = append(keep, c)
		}
	}
	r.st.Comments = keep
	opt := &gh.IssueListCommentsOptions{ListOptions: gh.ListOptions{PerPage: perPage}}
	for page := 0; page < maxCommentPages; page++ {
		cs, resp, err := r.cl.Issues.ListComments(ctx, r.ref.Owner, r.ref.Name, it.N, opt)
		if err != nil {
			return err
		}
		for _, c := range cs {
			r.st.Comments = append(r.st.Comments, respRec{Kind: "c", ID: c.GetID(), N: it.N, Login: c.GetUser().GetLogin(), Bot: isBot(c.User), At: ts(c.CreatedAt), Updated: ts(c.UpdatedAt)})
		}
		if resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	if !it.PR {
		return nil
	}
	list, _, err := r.cl.PullRequests.ListReviews(ctx, r.ref.Owner, r.ref.Name, it.N, &gh.ListOptions{PerPage: perPage})
	if err != nil {
		if statusOf(err) == http.StatusNotFound {
			return nil
		}
		return err
	}
	for _, v := range list {
		at := ts(v.SubmittedAt)
		if at.IsZero() || strings.EqualFold(v.GetState(), "PENDING") {
			continue
		}
		r.st.Comments = append(r.st.Comments, respRec{Kind: "v", ID: v.GetID(), N: it.N, Login: v.GetUser().GetLogin(), Bot: isBot(v.User), At: at})
	}
	return nil
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	v := t.UTC()
	return &v
}

// gqlSecurity looks for SECURITY.* in the root, .github/ and docs/, as the
// REST path does (sorted, first found wins).
func (r *run) gqlSecurity(g *gqlRepo) {
	if g.Root == nil {
		r.st.SecurityReason = "repository contents not readable (no default-branch tree; an empty repository has none)"
		return
	}
	found := false
	look := func(dir string, t *gqlTree) {
		if found || t == nil {
			return
		}
		for _, e := range t.Entries {
			if e.Type == "blob" && forge.IsSecurityPolicy(e.Name) {
				r.st.SecurityPath, found = path.Join(dir, e.Name), true
				return
			}
		}
	}
	look("", g.Root)
	look(".github", g.DotGitHub)
	look("docs", g.Docs)
	r.st.Security = &found
}

// fromState fills the run's fields history reads from a GraphQL state.
func (r *run) fromState() {
	cut := r.now.Add(-window12m)
	r.commitsEmpty, r.commitsTruncated, r.itemsTruncated, r.itemsGone = r.st.CommitsEmpty, r.st.CommitsTruncated, r.st.ItemsTruncated, r.st.ItemsGone
	r.users = map[string]userRec{}
	for k, v := range r.st.Users {
		r.users[k] = v
	}
	for _, rl := range r.st.Rels {
		r.rel.Count(rl.Name, rl.At, rl.Pre, cut)
	}
	r.releasesTruncated = r.st.RelsTruncated
	if len(r.st.Rels) == 0 {
		r.tagsUsed = true
		for _, t := range r.st.Tags {
			r.tagRel.Count(t.Name, t.At, false, cut)
		}
		r.tagRel.Total += r.st.TagsUndated
		r.tagsUndated = r.st.TagsUndated
	}
	r.securityPolicy, r.securityPath, r.securityReason = r.st.Security, r.st.SecurityPath, r.st.SecurityReason
}
