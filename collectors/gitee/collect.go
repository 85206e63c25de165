package gitee

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/models"
)

// Bounds on what one run reads of a repository.
const (
	maxCommitPages   = 100 // 10,000 commits in a year
	maxItemPages     = 50  // 5,000 issues, and as many pull requests, updated in a year
	maxCommentPages  = 10  // per issue or pull request
	maxCommentFetch  = 200 // items whose comments are read in one run
	maxReleasePages  = 10
	maxUsers         = 30 // profiles read for organisations: the top authors by commits
	maxTagLookups    = 30 // tag commits looked up in one run (no releases, tag undated)
	windowComments   = forge.Window180
	windowMembership = forge.Window12m
)

// run is one Collect.
type run struct {
	c    *Collector
	ref  repoRef
	now  time.Time
	st   *projectState
	full bool

	repo apiRepo

	commitsEmpty     bool
	commitsTruncated bool
	itemsTruncated   bool
	itemsDisabled    string
	users            map[string]forge.User

	rel                        forge.Releases // releases read, counted
	releasesTruncated          bool
	tagsUsed                   bool
	tagRel                     forge.Releases // tags read, counted (no releases published)
	tagsUndated, tagsPageLimit int

	securityPolicy *bool
	securityPath   string
	securityReason string

	commentFetches  int
	commentsSkipped int // pull requests whose comments were not read this run
}

// Collect reads one repository and returns its observations, sorted by
// metric, and what the requests cost. An error names the forge, the
// repository and what failed, and never holds the token.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	ctr := &forge.Counter{}
	ctx = forge.WithCounter(ctx, ctr)
	if ok, reason := c.Applies(t); !ok {
		if reason == "" {
			reason = fmt.Sprintf("not a repository on %s", c.webHost)
		}
		return nil, ctr.Cost(), forge.Scrub(fmt.Errorf("%s: %s: %s", c.opts.Kind, strings.TrimSpace(t.Repo), reason), c.opts.Token)
	}
	ref, _ := parseRepo(t.Repo)
	release, err := c.sem.Acquire(ctx)
	if err != nil {
		return nil, ctr.Cost(), fmt.Errorf("%s: %s: %w", c.opts.Kind, ref, err)
	}
	defer release()
	r := &run{c: c, ref: ref, now: c.opts.Now().UTC(), users: map[string]forge.User{}}
	obs, err := r.collect(ctx, t.Subject.ID)
	if err != nil {
		return nil, ctr.Cost(), forge.Scrub(fmt.Errorf("%s: %s: %w", c.opts.Kind, ref, err), c.opts.Token)
	}
	return obs, ctr.Cost(), nil
}

func (r *run) collect(ctx context.Context, subject string) ([]models.Observation, error) {
	key := stateKey(r.c.opts.Kind, r.c.webHost, r.ref)
	r.st = &projectState{}
	if !forge.LoadJSON(ctx, r.c.opts.Cache, key, r.st) || r.st.V != stateVersion {
		r.st = &projectState{}
	}
	r.full = forge.FullRead(r.st.FullAt, r.now)
	if r.full {
		r.st.FullAt = r.now
	}
	r.st.V = stateVersion

	if err := r.getJSON(ctx, r.endpoint(), nil, &r.repo); err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusMovedPermanently {
			return nil, fmt.Errorf("repository not found, or not visible to the token (HTTP %d from %s)", s, r.endpoint())
		}
		return nil, explain("repository", err)
	}
	if err := forge.RunSteps(ctx, []forge.Step{
		{What: "commits", Do: r.commits},
		{What: "user profiles", Do: r.profiles},
		{What: "releases", Do: r.releases},
		{What: "issues", Do: r.issues},
		{What: "pull requests", Do: r.pulls},
		{What: "comments", Do: r.comments},
		{What: "security policy", Do: r.securityPolicyFile},
	}, explain); err != nil {
		return nil, err
	}
	r.prune()
	if err := forge.SaveJSON(ctx, r.c.opts.Cache, key, r.st); err != nil {
		return nil, fmt.Errorf("save state: %w", err)
	}
	return forge.Observations(subject, r.history()), nil
}

// explain names what failed.
func explain(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	switch s := statusOf(err); {
	case s == http.StatusTooManyRequests:
		return fmt.Errorf("%s: rate limit persisted after backing off: %w", what, err)
	case s == http.StatusUnauthorized:
		return fmt.Errorf("%s: the token was refused: %w", what, err)
	case s >= 500:
		return fmt.Errorf("%s: server error persisted after retries: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// prune drops what fell out of every window: commits older than 12 months,
// items neither opened nor closed in 12 months, the comments of items no
// longer kept or opened before 180 days.
func (r *run) prune() {
	cut12 := r.now.Add(-windowMembership)
	cut180 := r.now.Add(-windowComments)
	r.st.Commits = forge.KeepCommits(r.st.Commits, cut12)
	keep := map[int]bool{}
	is := r.st.Items[:0]
	for _, it := range r.st.Items {
		if it.ActiveSince(cut12) {
			is = append(is, it)
			if !it.Created.Before(cut180) {
				keep[it.N] = true
			}
		}
	}
	r.st.Items = is
	for n := range r.st.Responses {
		if !keep[n] {
			delete(r.st.Responses, n)
		}
	}
}

// sortItems orders items newest created first, then by N.
func sortItems(items []itemRec) {
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if !a.Created.Equal(b.Created) {
			return a.Created.After(b.Created)
		}
		return a.N > b.N
	})
}
