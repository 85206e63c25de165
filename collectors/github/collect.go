package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/internal/release"
	"github.com/osgauge/osgauge/models"
)

// Bounds on what one run reads of a repository.
const (
	perPage          = 100
	maxCommitPages   = 100 // 10,000 commits in a year
	maxItemPages     = 50  // 5,000 issues and pull requests updated in a year
	maxCommentPages  = 50
	maxReleasePages  = 10
	maxAdvisoryPages = 10
	maxUsers         = 30  // profiles fetched for organisations: the top authors by commits
	maxReviewFetches = 100 // pull requests whose reviews are read in one run
	maxTagLookups    = 30  // tag commits looked up in one run (repositories without releases)

	day        = 24 * time.Hour
	window12m  = forge.Window12m
	window180d = forge.Window180
)

// run is one Collect: the repository, the client, the clock and what was
// learnt so far.
type run struct {
	c    *Collector
	cl   *gh.Client
	ref  repoRef
	now  time.Time
	st   *projectState
	full bool // read the lists in full (first run, or every forge.FullEvery)

	repo *gh.Repository

	commitsEmpty     bool // the repository has no commits (HTTP 409)
	commitsTruncated bool
	itemsTruncated   bool
	itemsGone        bool // the issues API answered 410: issues are disabled
	users            map[string]userRec

	rel               forge.Releases // releases read, counted
	releasesTruncated bool
	tagsUsed          bool           // no releases: tags counted instead
	tagRel            forge.Releases // tags read, counted (no releases published)
	tagsUndated       int

	securityPolicy     *bool
	securityPath       string
	securityReason     string
	advisories         *int
	advisoriesReason   string
	reviewsSkipped     int
	reviewFetchesSpent int
}

// Collect reads one repository and returns its observations, sorted by
// metric, and what the requests cost. It fails (naming the repository) when
// the repository cannot be read: not found, a server error that persists,
// an answer that is not what the API documents.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	ctr := &Counter{}
	ctx = WithCounter(ctx, ctr)
	if ok, reason := c.applies(t); !ok {
		return nil, ctr.Cost(), fmt.Errorf("github: %s: %s", t.Repo, reason)
	}
	ref, _ := parseRepo(t.Repo)
	release, err := c.sem.Acquire(ctx)
	if err != nil {
		return nil, ctr.Cost(), fmt.Errorf("github: %s: %w", ref, err)
	}
	defer release()

	r := &run{c: c, cl: c.client(), ref: ref, now: c.opts.Now(), users: map[string]userRec{}}
	if c.useGraphQL() {
		obs, ok, err := r.collectGraphQL(ctx, t.Subject.ID)
		switch {
		case ok && err == nil:
			return obs, ctr.Cost(), nil
		case ok && errors.Is(err, errGone):
			return nil, ctr.Cost(), fmt.Errorf("github: %s: %w", ref, err)
		case ok && !c.refuse(err):
			return nil, ctr.Cost(), fmt.Errorf("github: %s: %w", ref, err)
		}
		r = &run{c: c, cl: r.cl, ref: ref, now: r.now, users: map[string]userRec{}}
	}
	obs, err := r.collect(ctx, t.Subject.ID)
	if err != nil {
		return nil, ctr.Cost(), fmt.Errorf("github: %s: %w", ref, err)
	}
	return obs, ctr.Cost(), nil
}

func (r *run) collect(ctx context.Context, subject string) ([]models.Observation, error) {
	r.st = &projectState{}
	key := stateKey(r.c.webHost, r.ref)
	if !loadJSON(ctx, r.c.opts.Cache, key, r.st) || r.st.V != stateVersion || r.st.Via != "" {
		r.st = &projectState{}
	}
	r.full = forge.FullRead(r.st.FullAt, r.now)
	if r.full {
		r.st.FullAt = r.now
	}
	r.st.V = stateVersion

	repo, _, err := r.cl.Repositories.Get(ctx, r.ref.Owner, r.ref.Name)
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusMovedPermanently {
			return nil, fmt.Errorf("repository not found, or not visible to the token (HTTP %d)", s)
		}
		return nil, explain("repository", err)
	}
	r.repo = repo
	if err := forge.RunSteps(ctx, []forge.Step{
		{What: "commits", Do: r.commits},
		{What: "user profiles", Do: r.profiles},
		{What: "releases", Do: r.releases},
		{What: "issues and pull requests", Do: r.items},
		{What: "issue comments", Do: r.issueComments},
		{What: "review comments", Do: r.reviewComments},
		{What: "reviews", Do: r.reviews},
		{What: "security policy", Do: r.securityPolicyFile},
		{What: "security advisories", Do: r.securityAdvisories},
	}, explain); err != nil {
		return nil, err
	}
	r.prune()
	if err := saveJSON(ctx, r.c.opts.Cache, key, r.st); err != nil {
		return nil, fmt.Errorf("save state: %w", err)
	}
	return r.observations(subject), nil
}

// explain names what failed; go-github's errors already carry the method,
// URL and status, never the token.
func explain(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) {
		return fmt.Errorf("%s: rate limit still spent after waiting: %w", what, err)
	}
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &ab) {
		return fmt.Errorf("%s: secondary rate limit persisted after backing off: %w", what, err)
	}
	if s := statusOf(err); s >= 500 {
		return fmt.Errorf("%s: server error persisted after retries (HTTP %d): %w", what, s, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func ts(t *gh.Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.Time.UTC()
}

func tsPtr(t *gh.Timestamp) *time.Time {
	if t == nil || t.Time.IsZero() {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// isBot reports whether a GitHub account is a bot: type Bot or a login
// ending in "[bot]".
func isBot(u *gh.User) bool {
	if u == nil {
		return false
	}
	return strings.EqualFold(u.GetType(), "Bot") || strings.HasSuffix(strings.ToLower(u.GetLogin()), "[bot]")
}

// commits reads the default branch newest first, back to 12 months, or, on
// an incremental run, back to the first page that reaches what the last run
// saw.
func (r *run) commits(ctx context.Context) error {
	branch := r.repo.GetDefaultBranch()
	m := forge.NewCommitMerge(r.st.Commits, r.full, r.now.Add(-window12m))
	opt := &gh.CommitsListOptions{SHA: branch, ListOptions: gh.ListOptions{PerPage: perPage}}
	for page := 0; ; page++ {
		if page == maxCommitPages {
			r.commitsTruncated = true
			break
		}
		list, resp, err := r.cl.Repositories.ListCommits(ctx, r.ref.Owner, r.ref.Name, opt)
		if err != nil {
			if statusOf(err) == http.StatusConflict { // "Git Repository is empty."
				r.commitsEmpty = true
				r.st.Commits = nil
				return nil
			}
			return err
		}
		cs := make([]commitRec, 0, len(list))
		for _, rc := range list {
			cs = append(cs, commitFrom(rc))
		}
		if m.Page(cs) || resp.NextPage == 0 {
			break
		}
		opt.Page = resp.NextPage
	}
	r.st.Commits = m.Commits(r.st.Commits)
	return nil
}

func commitFrom(rc *gh.RepositoryCommit) commitRec {
	c := commitRec{SHA: rc.GetSHA()}
	if rc.Commit != nil {
		if a := rc.Commit.Author; a != nil {
			c.Name = strings.TrimSpace(a.GetName())
			c.Email = strings.ToLower(strings.TrimSpace(a.GetEmail()))
			c.Authored = ts(a.Date)
		}
		if cm := rc.Commit.Committer; cm != nil {
			c.Committed = ts(cm.Date)
		}
	}
	if c.Committed.IsZero() {
		c.Committed = c.Authored
	}
	if c.Authored.IsZero() {
		c.Authored = c.Committed
	}
	c.Merge = len(rc.Parents) > 1
	if rc.Author != nil && rc.Author.GetLogin() != "" {
		c.Login = rc.Author.GetLogin()
		c.Bot = isBot(rc.Author)
	}
	if !c.Bot && strings.HasSuffix(strings.ToLower(c.Name), "[bot]") {
		c.Bot = true
	}
	return c
}

// profiles reads the profiles (company) of the top authors of the last 12
// months, reusing a profile for 30 days.
func (r *run) profiles(ctx context.Context) error {
	for _, login := range forge.TopAuthors(r.st.Commits, r.now.Add(-window12m), r.c.opts.Identities, maxUsers) {
		u, err := r.c.profiles.Get(ctx, userKey(r.c.webHost, strings.ToLower(login)), login, r.now, func(ctx context.Context) (userRec, error) {
			gu, _, err := r.cl.Users.Get(ctx, login)
			switch {
			case err == nil:
				return userRec{Login: gu.GetLogin(), Name: strings.TrimSpace(gu.GetName()), Company: strings.TrimSpace(gu.GetCompany())}, nil
			case statusOf(err) == http.StatusNotFound:
				return userRec{Login: login, Missing: true}, nil
			}
			return userRec{}, err
		})
		if err != nil {
			return err
		}
		r.users[login] = u
	}
	return nil
}

// releases counts releases published in 12 months; a repository that has
// never published a release is measured by its tags instead.
func (r *run) releases(ctx context.Context) error {
	cut := r.now.Add(-window12m)
	opt := &gh.ListOptions{PerPage: perPage}
	for page := 0; ; page++ {
		if page == maxReleasePages {
			r.releasesTruncated = true
			break
		}
		list, resp, err := r.cl.Repositories.ListReleases(ctx, r.ref.Owner, r.ref.Name, opt)
		if err != nil {
			return err
		}
		var oldest time.Time
		for _, rel := range list {
			if rel.GetDraft() {
				continue
			}
			at := ts(rel.PublishedAt)
			if at.IsZero() {
				at = ts(rel.CreatedAt)
			}
			// GitHub's prerelease flag, or a name that reads as one.
			r.rel.Count(rel.GetTagName(), at, rel.GetPrerelease() || release.IsPrerelease(rel.GetName()), cut)
			oldest = ts(rel.CreatedAt)
		}
		// Past the window, read on until a release (not a pre-release)
		// dates the newest one.
		if len(list) == 0 || resp.NextPage == 0 || (!oldest.IsZero() && oldest.Before(cut) && !r.rel.Newest.IsZero()) {
			break
		}
		opt.Page = resp.NextPage
	}
	if r.rel.Total > 0 {
		return nil
	}
	return r.tags(ctx, cut)
}

// tags counts tags whose commit was committed in 12 months. A tag's date is
// its commit's: from the default-branch commits already read, else looked
// up (at most maxTagLookups per run; commits never change, so a date is
// kept for good).
func (r *run) tags(ctx context.Context, cut time.Time) error {
	r.tagsUsed = true
	list, _, err := r.cl.Repositories.ListTags(ctx, r.ref.Owner, r.ref.Name, &gh.ListOptions{PerPage: perPage})
	if err != nil {
		if statusOf(err) == http.StatusConflict {
			return nil
		}
		return err
	}
	dates := map[string]time.Time{}
	for _, c := range r.st.Commits {
		dates[c.SHA] = c.Committed
	}
	if r.st.TagDates == nil {
		r.st.TagDates = map[string]int64{}
	}
	keep := map[string]int64{}
	lookups := 0
	for _, tg := range list {
		sha := tg.GetCommit().GetSHA()
		if sha == "" {
			continue
		}
		at, ok := dates[sha]
		if !ok {
			if u, ok2 := r.st.TagDates[sha]; ok2 {
				at, ok = time.Unix(u, 0).UTC(), true
			}
		}
		if !ok && lookups < maxTagLookups {
			lookups++
			gc, _, err := r.cl.Git.GetCommit(ctx, r.ref.Owner, r.ref.Name, sha)
			if err != nil {
				return err
			}
			if d := ts(gc.GetCommitter().Date); !d.IsZero() {
				at, ok = d, true
			}
		}
		if !ok {
			r.tagRel.Total++
			r.tagsUndated++
			continue
		}
		keep[sha] = at.Unix()
		r.tagRel.Count(tg.GetName(), at, false, cut)
	}
	r.st.TagDates = keep
	return nil
}

// items reads issues and pull requests by last update, newest first, back
// to 12 months (first run) or to the newest update the last run saw.
func (r *run) items(ctx context.Context) error {
	cut := r.now.Add(-window12m)
	got := map[int]itemRec{}
	prevTop := r.st.ItemsTop
	incremental := !r.full && !prevTop.IsZero()
	if incremental {
		for _, it := range r.st.Items {
			got[it.N] = it
		}
	}
	top := prevTop
	opt := &gh.IssueListByRepoOptions{State: "all", Sort: "updated", Direction: "desc", ListOptions: gh.ListOptions{PerPage: perPage}}
	for page := 0; ; page++ {
		if page == maxItemPages {
			r.itemsTruncated = true
			break
		}
		list, resp, err := r.cl.Issues.ListByRepo(ctx, r.ref.Owner, r.ref.Name, opt)
		if err != nil {
			if statusOf(err) == http.StatusGone { // "Issues are disabled for this repo"
				r.itemsGone = true
				r.st.Items, r.st.ItemsTop = nil, time.Time{}
				return nil
			}
			return err
		}
		var oldest time.Time
		for _, is := range list {
			it := itemFrom(is)
			got[it.N] = it
			oldest = it.Updated
			if it.Updated.After(top) {
				top = it.Updated
			}
		}
		if len(list) == 0 || resp.NextPage == 0 || oldest.Before(cut) {
			break
		}
		if incremental && !oldest.After(prevTop) {
			break
		}
		opt.Page = resp.NextPage
	}
	r.st.ItemsTop = top
	r.st.Items = r.st.Items[:0]
	for _, it := range got {
		r.st.Items = append(r.st.Items, it)
	}
	sort.Slice(r.st.Items, func(i, j int) bool { return r.st.Items[i].N > r.st.Items[j].N })
	return nil
}

func itemFrom(is *gh.Issue) itemRec {
	it := itemRec{
		N:       is.GetNumber(),
		PR:      is.PullRequestLinks != nil,
		Author:  is.GetUser().GetLogin(),
		Bot:     isBot(is.User),
		Created: ts(is.CreatedAt),
		Updated: ts(is.UpdatedAt),
		Closed:  tsPtr(is.ClosedAt),
	}
	if is.PullRequestLinks != nil {
		it.Merged = tsPtr(is.PullRequestLinks.MergedAt)
	}
	for _, l := range is.Labels {
		if forge.IsBugLabel(l.GetName()) {
			it.Bug = true
		}
	}
	return it
}

// issueComments reads the repository's issue comments (on issues and pull
// requests) by last update, newest first, back to 180 days or to the newest
// update the last run saw.
func (r *run) issueComments(ctx context.Context) error {
	opt := &gh.IssueListCommentsOptions{Sort: gh.String("updated"), Direction: gh.String("desc"), ListOptions: gh.ListOptions{PerPage: perPage}}
	list := func(ctx context.Context) ([]respRec, *gh.Response, error) {
		cs, resp, err := r.cl.Issues.ListComments(ctx, r.ref.Owner, r.ref.Name, 0, opt)
		out := make([]respRec, 0, len(cs))
		for _, c := range cs {
			out = append(out, respRec{Kind: "c", ID: c.GetID(), N: numberFromURL(c.GetIssueURL()),
				Login: c.GetUser().GetLogin(), Bot: isBot(c.User), At: ts(c.CreatedAt), Updated: ts(c.UpdatedAt)})
		}
		return out, resp, err
	}
	var err error
	r.st.CommentsTop, err = r.comments(ctx, "c", r.st.CommentsTop, list, func(p int) { opt.Page = p })
	return err
}

// reviewComments reads review (diff) comments the same way.
func (r *run) reviewComments(ctx context.Context) error {
	opt := &gh.PullRequestListCommentsOptions{Sort: "updated", Direction: "desc", ListOptions: gh.ListOptions{PerPage: perPage}}
	list := func(ctx context.Context) ([]respRec, *gh.Response, error) {
		cs, resp, err := r.cl.PullRequests.ListComments(ctx, r.ref.Owner, r.ref.Name, 0, opt)
		out := make([]respRec, 0, len(cs))
		for _, c := range cs {
			out = append(out, respRec{Kind: "r", ID: c.GetID(), N: numberFromURL(c.GetPullRequestURL()),
				Login: c.GetUser().GetLogin(), Bot: isBot(c.User), At: ts(c.CreatedAt), Updated: ts(c.UpdatedAt)})
		}
		return out, resp, err
	}
	var err error
	r.st.ReviewCommentsTop, err = r.comments(ctx, "r", r.st.ReviewCommentsTop, list, func(p int) { opt.Page = p })
	return err
}

// comments merges one newest-first comment list into the state and returns
// the new newest update.
func (r *run) comments(ctx context.Context, kind string, prevTop time.Time,
	list func(context.Context) ([]respRec, *gh.Response, error), setPage func(int)) (time.Time, error) {
	cut := r.now.Add(-window180d)
	incremental := !r.full && !prevTop.IsZero()
	got := map[int64]respRec{}
	var others []respRec
	for _, c := range r.st.Comments {
		switch {
		case c.Kind != kind:
			others = append(others, c)
		case incremental:
			got[c.ID] = c
		}
	}
	top := prevTop
	for page := 0; page < maxCommentPages; page++ {
		cs, resp, err := list(ctx)
		if err != nil {
			if s := statusOf(err); s == http.StatusGone || s == http.StatusNotFound {
				break
			}
			return top, err
		}
		var oldest time.Time
		for _, c := range cs {
			got[c.ID] = c
			oldest = c.Updated
			if c.Updated.After(top) {
				top = c.Updated
			}
		}
		if len(cs) == 0 || resp.NextPage == 0 || oldest.Before(cut) {
			break
		}
		if incremental && !oldest.After(prevTop) {
			break
		}
		setPage(resp.NextPage)
	}
	r.st.Comments = others
	for _, c := range got {
		r.st.Comments = append(r.st.Comments, c)
	}
	return top, nil
}

// numberFromURL is the issue or pull-request number at the end of an API
// URL such as https://api.github.com/repos/o/r/issues/12.
func numberFromURL(u string) int {
	n, err := strconv.Atoi(path.Base(strings.TrimRight(u, "/")))
	if err != nil {
		return 0
	}
	return n
}

// reviews reads the reviews of pull requests opened in 180 days that no
// comment answered yet (a review without comments is the only answer the
// comment lists cannot show). A pull request's reviews are read again only
// when it was updated since; at most maxReviewFetches per run, newest first.
func (r *run) reviews(ctx context.Context) error {
	cut := r.now.Add(-window180d)
	answered := r.commentResponders()
	if r.st.Reviews == nil {
		r.st.Reviews = map[int]reviewRec{}
	}
	for _, it := range r.st.Items { // newest number first
		if !it.PR || it.Created.Before(cut) || answered[it.N] {
			continue
		}
		if rv, ok := r.st.Reviews[it.N]; ok && rv.PRUpdated.Equal(it.Updated) {
			continue
		}
		if r.reviewFetchesSpent == maxReviewFetches {
			r.reviewsSkipped++
			continue
		}
		r.reviewFetchesSpent++
		list, _, err := r.cl.PullRequests.ListReviews(ctx, r.ref.Owner, r.ref.Name, it.N, &gh.ListOptions{PerPage: perPage})
		if err != nil {
			if statusOf(err) == http.StatusNotFound {
				continue
			}
			return err
		}
		rv := reviewRec{PRUpdated: it.Updated}
		for _, v := range list {
			at := ts(v.SubmittedAt)
			if at.IsZero() || strings.EqualFold(v.GetState(), "PENDING") {
				continue
			}
			rv.Reviews = append(rv.Reviews, respRec{Kind: "v", ID: v.GetID(), N: it.N, Login: v.GetUser().GetLogin(), Bot: isBot(v.User), At: at})
		}
		r.st.Reviews[it.N] = rv
	}
	return nil
}

// commentResponders marks the items a comment by someone other than the
// author (and not a bot) answered.
func (r *run) commentResponders() map[int]bool {
	author := map[int]string{}
	for _, it := range r.st.Items {
		author[it.N] = it.Author
	}
	out := map[int]bool{}
	for _, c := range r.st.Comments {
		if a, ok := author[c.N]; ok && forge.IsResponse(c, a) {
			out[c.N] = true
		}
	}
	return out
}

// securityPolicyFile looks for SECURITY.* in the root, .github/ and docs/,
// as GitHub does, by listing those directories (three conditional requests
// at most, so a refresh costs 304s).
func (r *run) securityPolicyFile(ctx context.Context) error {
	var dirs []string
	found := func(dir string) (bool, error) {
		_, entries, _, err := r.cl.Repositories.GetContents(ctx, r.ref.Owner, r.ref.Name, dir, nil)
		if err != nil {
			return false, err
		}
		for _, e := range entries {
			name := e.GetName()
			if e.GetType() == "dir" && dir == "" && (name == ".github" || name == "docs") {
				dirs = append(dirs, name)
				continue
			}
			if e.GetType() == "file" && forge.IsSecurityPolicy(name) {
				r.securityPath = path.Join(dir, name)
				return true, nil
			}
		}
		return false, nil
	}
	ok, err := found("")
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
			r.securityReason = fmt.Sprintf("repository contents not readable (HTTP %d; an empty repository has none)", s)
			return nil
		}
		return err
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if ok {
			break
		}
		if ok, err = found(d); err != nil {
			if statusOf(err) == http.StatusNotFound {
				continue
			}
			return err
		}
	}
	r.securityPolicy = &ok
	return nil
}

// securityAdvisories counts the repository's published security advisories.
// A 403 or 404 (advisories not visible to the token, or not offered by an
// older Enterprise server) leaves the count inconclusive.
func (r *run) securityAdvisories(ctx context.Context) error {
	opt := &gh.ListRepositorySecurityAdvisoriesOptions{State: "published", ListCursorOptions: gh.ListCursorOptions{PerPage: perPage}}
	n := 0
	for page := 0; ; page++ {
		if page == maxAdvisoryPages {
			r.advisoriesReason = "more than " + strconv.Itoa(n) + " advisories; count stopped"
			break
		}
		list, resp, err := r.cl.SecurityAdvisories.ListRepositorySecurityAdvisories(ctx, r.ref.Owner, r.ref.Name, opt)
		if err != nil {
			if s := statusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
				r.advisoriesReason = fmt.Sprintf("repository security advisories not visible to the token (HTTP %d)", s)
				return nil
			}
			return err
		}
		for _, a := range list {
			if a.GetState() == "" || strings.EqualFold(a.GetState(), "published") {
				n++
			}
		}
		switch {
		case resp.After != "":
			opt.After = resp.After
		case resp.NextPage != 0:
			opt.Page = strconv.Itoa(resp.NextPage)
		default:
			r.advisories = &n
			return nil
		}
		if len(list) == 0 {
			r.advisories = &n
			return nil
		}
	}
	return nil
}

// prune drops what fell out of every window: commits older than 12 months,
// items neither opened nor closed in 12 months, comments older than 180
// days, reviews of pull requests no longer kept.
func (r *run) prune() {
	cut12 := r.now.Add(-window12m)
	cut180 := r.now.Add(-window180d)
	r.st.Commits = forge.KeepCommits(r.st.Commits, cut12)
	r.st.Items = forge.KeepItems(r.st.Items, cut12)
	keep := map[int]bool{}
	for _, it := range r.st.Items {
		keep[it.N] = true
	}
	cm := r.st.Comments[:0]
	for _, c := range r.st.Comments {
		if !c.At.Before(cut180) {
			cm = append(cm, c)
		}
	}
	r.st.Comments = cm
	sort.Slice(r.st.Comments, func(i, j int) bool {
		a, b := r.st.Comments[i], r.st.Comments[j]
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.ID < b.ID
	})
	for n := range r.st.Reviews {
		if !keep[n] {
			delete(r.st.Reviews, n)
		}
	}
}
