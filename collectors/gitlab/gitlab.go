// Package gitlab collects project-health facts about projects on gitlab.com
// or a self-managed GitLab through the REST API v4 (client-go), in the forge
// vocabulary (collectors/forge): project metadata, default-branch commits,
// merge requests and issues and their notes, releases (or tags), and the
// security policy file. The collector only reads the API into a
// forge.History; forge.Observations computes every metric, so the same
// history measures the same on GitHub, GitLab or Gitee.
//
// Cost. All traffic goes through one forge.Transport with the GitLab
// dialect: the token is sent as PRIVATE-TOKEN by the transport (client-go is
// given none, and its own retries and rate limiter are off), every GET is
// conditional (ETag / If-None-Match, a 304 answered from the cache),
// RateLimit-Remaining / RateLimit-Reset are honoured, 429 Retry-After backed
// off, 5xx retried. Lists are read newest first with stable URLs (no moving
// `since=`), so an unchanged project answers with 304s and a changed one is
// read back only to what the previous run saw. What was seen is kept in the
// cache under "state:gitlab:<web host>/<project path>", pruned to the
// windows; every 30 days the lists are read in full again.
//
// Pagination. Commits, issues, merge requests, notes, releases and tags are
// offset-paginated (X-Next-Page): GitLab offers keyset pagination only for
// a few lists (projects, groups, users, the repository tree, jobs, audit
// events), none of these. Reads are bounded well below GitLab's 50,000-row
// offset cap: 100 pages of 100 commits, 50 pages each of issues and merge
// requests. When a list has more than 10,000 rows GitLab drops X-Total and
// X-Total-Pages; only X-Next-Page (or the Link header's rel="next") is used.
//
// Item numbers. Issue and merge-request iids are separate sequences, and a
// forge.History needs one: forge.Item.N is the iid for an issue and
// MergeRequestOffset + iid for a merge request.
package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/models"
)

// Source is the source name recorded on every observation.
const Source = "gitlab"

// DefaultAPIURL is the API of gitlab.com.
const DefaultAPIURL = "https://gitlab.com/api/v4"

// DefaultConcurrency bounds how many projects are collected at once.
const DefaultConcurrency = 4

// MergeRequestOffset is added to a merge request's iid to make its
// forge.Item.N (issues keep their iid): GitLab numbers the two apart.
const MergeRequestOffset = 1_000_000_000

// Options configures a Collector. Nothing is required against gitlab.com:
// public projects are readable without a token.
type Options struct {
	// APIURL is the REST API root: https://gitlab.com/api/v4 (the default) or
	// a self-managed https://host/api/v4 (a bare https://host gets /api/v4
	// appended).
	APIURL string
	// WebHost is the host (host[:port]) whose project URLs this API serves;
	// default the API URL's host. Hosts are compared lower-cased with the
	// scheme's default port (:443, :80) dropped and any other port kept, so
	// an httptest server's 127.0.0.1:port serves only its own projects.
	WebHost string
	// Token is sent as PRIVATE-TOKEN. It is never logged, stored or put in
	// an error. Optional.
	Token string
	// Concurrency bounds concurrent Collect calls (default 4).
	Concurrency int
	// Cache keeps conditional-request entries and incremental state between
	// runs; *store.Store satisfies it. nil: an in-memory cache for the life
	// of the Collector.
	Cache forge.Cache
	// Now is the clock windows are measured from and waits are timed by.
	Now func() time.Time
	// Sleep waits; it must return early when ctx is done.
	Sleep func(context.Context, time.Duration) error
	// Notify receives progress messages about waits and retries.
	Notify func(string)
	// Identities recognises bots and merges one person's e-mails (nil: the
	// built-in rules).
	Identities *affiliation.Identities
	// HTTPClient, if set, provides the base transport (proxies, custom CAs).
	HTTPClient *http.Client
	// Budget, if set, is the rate-limit budget shared with every process
	// using the same store (*store.Store).
	Budget forge.Budget
}

// Collector collects GitLab facts; it is safe for concurrent use.
type Collector struct {
	opts    Options
	api     *url.URL // ends without "/"
	webHost string
	tr      *forge.Transport
	cl      *gl.Client
	sem     forge.Semaphore
}

var (
	_ collectors.Collector = (*Collector)(nil)
	_ collectors.Historian = (*Collector)(nil)
)

// AsOf reports that the collector does not compute as of a past date
// (forge.NoHistory says why).
func (c *Collector) AsOf(t collectors.Target) (bool, string) {
	if t.AsOf.IsZero() {
		return true, ""
	}
	return false, forge.NoHistory(t.AsOf)
}

// noLimit is client-go's rate limiter, switched off: the transport alone
// paces requests by the RateLimit-* headers.
type noLimit struct{}

func (noLimit) Wait(ctx context.Context) error { return ctx.Err() }

// New checks the options and builds the collector, its transport and its
// client.
func New(o Options) (*Collector, error) {
	if o.APIURL == "" {
		o.APIURL = DefaultAPIURL
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = forge.SleepContext
	}
	if o.Cache == nil {
		o.Cache = forge.NewMemCache()
	}
	api, err := url.Parse(strings.TrimSpace(o.APIURL))
	if err != nil || api.Host == "" || (api.Scheme != "https" && api.Scheme != "http") || api.User != nil {
		return nil, fmt.Errorf("gitlab: api_url %q is not an http(s) URL", o.APIURL)
	}
	api.RawQuery, api.Fragment = "", ""
	api.Path = strings.TrimSuffix(api.Path, "/")
	if !strings.HasSuffix(api.Path, "/api/v4") {
		api.Path += "/api/v4"
	}
	api.RawPath = ""
	webHost := repourl.NormHost(api.Scheme, api.Host)
	if o.WebHost != "" {
		h := strings.TrimSpace(o.WebHost)
		if u, err := url.Parse(h); err == nil && u.Host != "" {
			webHost = repourl.NormHost(u.Scheme, u.Host)
		} else {
			webHost = repourl.NormHost(api.Scheme, h)
		}
	}
	var base http.RoundTripper
	if o.HTTPClient != nil && o.HTTPClient.Transport != nil {
		base = o.HTTPClient.Transport
	} else {
		dt := http.DefaultTransport.(*http.Transport).Clone()
		dt.ResponseHeaderTimeout = 90 * time.Second
		dt.MaxIdleConnsPerHost = 2 * o.Concurrency
		base = dt
	}
	tr := &forge.Transport{Base: base, Dialect: forge.GitLab, Token: o.Token, Budget: o.Budget, APIHost: api.Host,
		Cache: o.Cache, Now: o.Now, Sleep: o.Sleep, Notify: o.Notify}
	// client-go gets no token (Unauthenticated: it sets no PRIVATE-TOKEN
	// header, not even an empty one), no retries and no rate limiter: the
	// transport does all three.
	cl, err := gl.NewAuthSourceClient(gl.Unauthenticated{},
		gl.WithBaseURL(api.String()),
		gl.WithHTTPClient(&http.Client{Transport: tr}),
		gl.WithoutRetries(),
		gl.WithCustomRetryMax(0),
		gl.WithCustomLimiter(noLimit{}),
		gl.WithUserAgent("osgauge"),
	)
	if err != nil {
		return nil, fmt.Errorf("gitlab: api_url %q: %v", o.APIURL, err)
	}
	return &Collector{opts: o, api: api, webHost: webHost, tr: tr, cl: cl, sem: forge.NewSemaphore(o.Concurrency)}, nil
}

// Name is the source name recorded on every observation.
func (c *Collector) Name() string { return Source }

// Needs reports that the collector calls the network; a token is optional.
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{Network: true} }

// Transport is the collector's transport (it adds the token itself).
func (c *Collector) Transport() *forge.Transport { return c.tr }

// Totals is what every request of this collector has cost so far.
func (c *Collector) Totals() collectors.Cost { return c.tr.Totals() }

// BaseURL is the REST API root requests go to (…/api/v4, no trailing "/").
func (c *Collector) BaseURL() string { return c.api.String() }

// WebHost is the host whose projects this collector reads.
func (c *Collector) WebHost() string { return c.webHost }

// Applies reports whether t names a project on the host this API serves.
// Another forge's repository is not applicable, without a reason.
func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if strings.TrimSpace(t.Repo) == "" {
		if t.Subject.Kind != "" && t.Subject.Kind != models.KindProject {
			return false, ""
		}
		return false, "no repo URL"
	}
	ref, err := parseRepo(t.Repo)
	if err != nil {
		if h := repoHost(t.Repo); h != "" && h != c.webHost {
			return false, "" // another forge's URL, whatever its shape
		}
		return false, err.Error()
	}
	if ref.Host != c.webHost {
		return false, ""
	}
	return true, ""
}

// projectRef names a project: its web host (normalised as normHost) and
// its full path, subgroups included ("group/sub/name").
type projectRef struct {
	Scheme, Host, Path string
}

func (r projectRef) String() string { return r.Path }

// web is the project's page, for evidence when the API gives none.
func (r projectRef) web() string { return r.Scheme + "://" + r.Host + "/" + r.Path }

// repoHost is the normalised host of a URL-ish string, "" if none.
func repoHost(s string) string {
	raw := strings.TrimSpace(s)
	if strings.Contains(raw, "://") {
		if u, err := url.Parse(raw); err == nil {
			return repourl.NormHost(u.Scheme, u.Host)
		}
		return ""
	}
	if strings.HasPrefix(raw, "git@") {
		rest := strings.TrimPrefix(raw, "git@")
		if i := strings.IndexByte(rest, ':'); i > 0 {
			return strings.ToLower(rest[:i])
		}
	}
	return ""
}

// parseRepo reads https://host/group[/sub…]/name[.git][/-/…],
// host/group/name, ssh://git@host/group/name.git and
// git@host:group/name.git.
func parseRepo(s string) (projectRef, error) {
	u, ok := repourl.Parse(s)
	if !ok || len(u.Parts) < 2 || slices.Contains(u.Parts, "-") {
		return projectRef{}, fmt.Errorf("repo %q is not a project URL (https://host/group/name)", strings.TrimSpace(s))
	}
	return projectRef{Scheme: u.Scheme, Host: u.Host, Path: strings.Join(u.Parts, "/")}, nil
}
