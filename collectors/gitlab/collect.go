package gitlab

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/models"
)

// Bounds on what one run reads of a project.
const (
	perPage         = 100
	maxCommitPages  = 100 // 10,000 commits in a year
	maxItemPages    = 50  // 5,000 issues, and as many merge requests, updated in a year
	maxNotePages    = 10  // notes read of one item before its first response
	maxNoteFetches  = 200 // items whose notes are read in one run
	maxReleasePages = 10
	maxTreePages    = 5
)

// run is one Collect: the project, the clock and what was learnt so far.
type run struct {
	c    *Collector
	ref  projectRef
	now  time.Time
	st   *projectState
	full bool // read the lists in full (first run, or every forge.FullEvery)

	proj *gl.Project

	commitsEmpty     bool
	commitsTruncated bool
	itemsTruncated   bool
	itemsDisabled    string
	notesSkipped     int // merge requests whose notes were not read this run
	noteFetches      int

	rel               forge.Releases // releases read, counted
	releasesTruncated bool
	tagsUsed          bool
	tagRel            forge.Releases // tags read, counted (no releases published)
	tagsUndated       int
	tagsPageLimit     int

	securityPolicy *bool
	securityPath   string
	securityReason string
}

// Collect reads one project and returns its observations, sorted by
// metric, and what the requests cost. It fails, naming the project path and
// what could not be read, when the project cannot be read.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	ctr := &forge.Counter{}
	ctx = forge.WithCounter(ctx, ctr)
	if ok, reason := c.Applies(t); !ok {
		if reason == "" {
			reason = "not a project on " + c.webHost
		}
		return nil, ctr.Cost(), fmt.Errorf("gitlab: %s: %s", t.Repo, reason)
	}
	ref, _ := parseRepo(t.Repo)
	release, err := c.sem.Acquire(ctx)
	if err != nil {
		return nil, ctr.Cost(), fmt.Errorf("gitlab: %s: %w", ref, err)
	}
	defer release()
	r := &run{c: c, ref: ref, now: c.opts.Now()}
	obs, err := r.collect(ctx, t.Subject.ID)
	if err != nil {
		return nil, ctr.Cost(), forge.Scrub(fmt.Errorf("gitlab: %s: %w", ref, err), c.opts.Token)
	}
	return obs, ctr.Cost(), nil
}

func (r *run) collect(ctx context.Context, subject string) ([]models.Observation, error) {
	r.st = &projectState{}
	key := stateKey(r.c.webHost, r.ref)
	if !forge.LoadJSON(ctx, r.c.opts.Cache, key, r.st) || r.st.V != stateVersion {
		r.st = &projectState{}
	}
	r.full = forge.FullRead(r.st.FullAt, r.now)
	if r.full {
		r.st.FullAt = r.now
	}
	r.st.V = stateVersion

	if err := r.project(ctx); err != nil {
		return nil, err
	}
	if err := forge.RunSteps(ctx, []forge.Step{
		{What: "commits", Do: r.commits},
		{What: "releases", Do: r.releases},
		{What: "issues", Do: r.issues},
		{What: "merge requests", Do: r.mergeRequests},
		{What: "notes", Do: r.notes},
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

// explain names what failed. client-go's errors carry the method, the URL
// (never the token: it is a header) and the status.
func explain(what string, err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", what, err)
	}
	switch s := statusOf(err); {
	case s == http.StatusTooManyRequests:
		return fmt.Errorf("%s: rate limit persisted after backing off (HTTP 429): %w", what, err)
	case s == http.StatusUnauthorized:
		return fmt.Errorf("%s: the token was refused (HTTP 401): %w", what, err)
	case s >= 500:
		return fmt.Errorf("%s: server error persisted after retries (HTTP %d): %w", what, s, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// statusOf is the HTTP status of a client-go error, 0 if none. client-go
// answers every 404 with its ErrNotFound sentinel.
func statusOf(err error) int {
	if errors.Is(err, gl.ErrNotFound) {
		return http.StatusNotFound
	}
	var er *gl.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	return 0
}

// nextPage is the next page of an offset-paginated list: X-Next-Page, or
// the page parameter of the Link header's rel="next" (the transport's
// cache keeps Link, so a page answered by a 304 still has it), 0 at the
// end.
func nextPage(resp *gl.Response) int64 {
	if resp == nil {
		return 0
	}
	if resp.NextPage > 0 {
		return resp.NextPage
	}
	if resp.NextLink != "" {
		if u, err := url.Parse(resp.NextLink); err == nil {
			if n, err := strconv.ParseInt(u.Query().Get("page"), 10, 64); err == nil && n > 0 {
				return n
			}
		}
	}
	return 0
}

func ts(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

func tsPtr(t *time.Time) *time.Time {
	if t == nil || t.IsZero() {
		return nil
	}
	v := t.UTC()
	return &v
}

// accessBotRE matches the users GitLab creates for project and group
// access tokens: project_123_bot, project_123_bot_<hex>, group_45_bot_<hex>.
var accessBotRE = regexp.MustCompile(`^(project|group)_\d+_bot(_[0-9a-f]+)?$`)

// isBot reports whether a GitLab account is automation: an access-token
// user, or a bot by the identity layer (configured bots, "-bot"/"_bot"
// names, known automation accounts). GitLab's basic user objects in lists
// carry no "bot" field; when one does, botField is it.
func (r *run) isBot(username, name string, botField bool) bool {
	if botField {
		return true
	}
	if accessBotRE.MatchString(strings.ToLower(username)) {
		return true
	}
	return r.c.opts.Identities.IsBot(name, "", username)
}
