// Package github collects project-health facts about repositories on
// github.com or a GitHub Enterprise Server through the REST API (go-github
// v60), for the Project Health Index: repository metadata, default-branch
// commits over 52 weeks and their authors and organisations, releases,
// issue and pull-request responsiveness over 180 days, and published
// security advisories.
//
// Cost. All traffic goes through one Transport (see transport.go): every GET
// is conditional (a 304 does not count against the hourly limit), spent
// limits are waited out, secondary limits backed off, 5xx retried. Lists are
// read newest first with stable URLs (no moving `since=` in the first
// page's URL), so an unchanged project answers every list with a 304, and a
// changed one is read only back to what the previous run saw: the previous
// newest commit, the previous newest `updated_at` of issues and comments.
// What was seen is kept in the cache under "state:github:<host>/<owner>/<repo>"
// and pruned to the windows; once every 30 days the lists are read in full
// again to drop what was deleted. User profiles (for organisations) are kept
// for 30 days under "state:github:<host>:user:<login>".
//
// Windows are measured back from Options.Now: 52 weeks (364 days) for commit
// frequency, 12 months (365 days) for authors, organisations, releases and
// merged pull requests, 180 days for issues and pull requests.
package github

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/models"
)

// Source is the source name recorded on every observation.
const Source = "github"

// DefaultAPIURL is the API of github.com.
const DefaultAPIURL = "https://api.github.com/"

// DefaultConcurrency bounds how many projects are collected at once.
const DefaultConcurrency = 4

// Options configures a Collector. Only Token is needed against github.com.
type Options struct {
	// APIURL is the REST API root: https://api.github.com/ (the default) or a
	// GitHub Enterprise Server's https://host/api/v3/ (a bare https://host/
	// gets api/v3/ appended).
	APIURL string
	// Token is sent as a bearer token. It is never logged, stored or put in
	// an error. Without it Applies says no.
	Token string
	// Concurrency bounds concurrent Collect calls (default 4).
	Concurrency int
	// Cache keeps conditional-request entries and incremental state between
	// runs; *store.Store satisfies it. nil: an in-memory cache for the life
	// of the Collector.
	Cache Cache
	// Now is the clock windows are measured from and waits are timed by
	// (default time.Now).
	Now func() time.Time
	// Sleep waits; it must return early with ctx's error when ctx is done
	// (default SleepContext).
	Sleep func(context.Context, time.Duration) error
	// Notify receives progress messages about waits and retries, e.g.
	// "GitHub rate limit spent (core): waiting 41m0s until 10:32:05".
	Notify func(string)
	// Identities recognises bots and merges one person's e-mails (nil: the
	// built-in rules).
	Identities *affiliation.Identities
	// HTTPClient, if set, provides the base transport (proxies, custom CAs).
	// Its Timeout is not used: a timeout would cut rate-limit waits short.
	HTTPClient *http.Client
	// Credentials, if set, are used in turn instead of Token: static tokens
	// and GitHub App installation tokens, each with its own budget.
	Credentials *forge.Credentials
	// Budget, if set, is shared with every process using the same store
	// (*store.Store): N workers never spend more than a credential allows.
	Budget forge.Budget
	// GraphQL reads first collections through the GraphQL API, several
	// repositories per query, and checks GraphQL-read repositories for
	// change with one small batched query (see graphql.go); false: REST
	// only. The CLI turns it on unless github.graphql is false.
	GraphQL bool
	// GraphQLURL is the GraphQL endpoint (default: beside APIURL,
	// https://api.github.com/graphql or https://host/api/graphql).
	GraphQLURL string
}

// Collector collects GitHub facts; it is safe for concurrent use.
type Collector struct {
	opts      Options
	baseURL   *url.URL
	uploadURL *url.URL
	webHost   string
	tr        *Transport
	hc        *http.Client
	sem       forge.Semaphore
	profiles  forge.Profiles // one fetch per user profile, however many projects need it
	gqlURL    string
	gqlOff    atomic.Bool // GraphQL refused: REST for the rest of the run
	batch     *batcher
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

// New checks the options and builds the collector and its transport.
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
		o.Sleep = SleepContext
	}
	if o.Cache == nil {
		o.Cache = NewMemCache()
	}
	api, err := url.Parse(o.APIURL)
	if err != nil || api.Host == "" || (api.Scheme != "https" && api.Scheme != "http") {
		return nil, fmt.Errorf("github: api_url %q is not an http(s) URL", o.APIURL)
	}
	var base http.RoundTripper
	if o.HTTPClient != nil && o.HTTPClient.Transport != nil {
		base = o.HTTPClient.Transport
	} else {
		dt := http.DefaultTransport.(*http.Transport).Clone()
		dt.ResponseHeaderTimeout = 90 * time.Second // a hung server is retried, not waited on forever
		dt.MaxIdleConnsPerHost = 2 * o.Concurrency
		base = dt
	}
	tr := &Transport{Base: base, Token: o.Token, Credentials: o.Credentials, Budget: o.Budget, APIHost: api.Host,
		Cache: o.Cache, Now: o.Now, Sleep: o.Sleep, Notify: o.Notify}
	hc := &http.Client{Transport: tr}
	client := gh.NewClient(hc)
	if !strings.EqualFold(api.Hostname(), "api.github.com") {
		if client, err = client.WithEnterpriseURLs(api.String(), api.String()); err != nil {
			return nil, fmt.Errorf("github: api_url %q: %v", o.APIURL, err)
		}
	} else {
		if !strings.HasSuffix(api.Path, "/") {
			api.Path += "/"
		}
		client.BaseURL = api
	}
	gqlURL := o.GraphQLURL
	if gqlURL == "" {
		gqlURL = graphqlURL(api)
	}
	return &Collector{
		gqlURL:    gqlURL,
		batch:     newBatcher(),
		opts:      o,
		baseURL:   client.BaseURL,
		uploadURL: client.UploadURL,
		webHost:   webHostFor(api),
		tr:        tr,
		hc:        hc,
		sem:       forge.NewSemaphore(o.Concurrency),
		profiles:  forge.Profiles{Cache: o.Cache},
	}, nil
}

// webHostFor is the host whose repositories an API serves: api.github.com
// serves github.com, api.X serves X, an Enterprise server serves itself.
func webHostFor(api *url.URL) string {
	h := strings.ToLower(api.Hostname())
	if strings.HasPrefix(h, "api.") {
		return strings.TrimPrefix(h, "api.")
	}
	return h
}

// Name is the source name recorded on every observation.
func (c *Collector) Name() string { return Source }

// Needs reports that the collector calls the network with a token.
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{Network: true, Token: true} }

// Transport is the collector's shared transport, for other GitHub clients
// that should spend from the same budget (e.g. Scorecard's
// githubrepo.WithRoundTripper). It adds the token itself.
func (c *Collector) Transport() *Transport { return c.tr }

// Totals is what every request of this collector has cost so far.
func (c *Collector) Totals() collectors.Cost { return c.tr.Totals() }

// BaseURL is the REST API root requests go to (ends in "/").
func (c *Collector) BaseURL() string { return c.baseURL.String() }

// Applies reports whether t names a repository on the host this API serves,
// and a token is configured. With GraphQL on, a repository it accepts is
// expected to be collected: the batcher reads it with others (gqlbatch.go).
func (c *Collector) Applies(t collectors.Target) (bool, string) {
	ok, why := c.applies(t)
	if ok && c.opts.GraphQL && t.AsOf.IsZero() {
		ref, _ := parseRepo(t.Repo)
		c.batch.hint(ref)
	}
	return ok, why
}

func (c *Collector) applies(t collectors.Target) (bool, string) {
	if strings.TrimSpace(t.Repo) == "" {
		if t.Subject.Kind != "" && t.Subject.Kind != models.KindProject {
			return false, "" // suppliers and the institution have no repository
		}
		return false, "no repo URL"
	}
	ref, err := parseRepo(t.Repo)
	if err != nil {
		return false, err.Error()
	}
	if hostOnly(ref.Host) != c.webHost {
		return false, "" // another forge's project (the config maps every host to one forge)
	}
	if c.opts.Token == "" && c.opts.Credentials.Len() == 0 {
		return false, "no GitHub token: set the variable named by github.token_env (or token_envs, or github.app)"
	}
	return true, ""
}

// repoRef names a repository. Host is lower-case and keeps a non-default
// port (for evidence links); hosts are compared without it.
type repoRef struct {
	Scheme, Host, Owner, Name string
}

func (r repoRef) String() string { return r.Owner + "/" + r.Name }

// web is the repository's page, for evidence.
func (r repoRef) web() string { return r.Scheme + "://" + r.Host + "/" + r.Owner + "/" + r.Name }

// parseRepo reads https://host/owner/repo[.git][/…], host/owner/repo,
// ssh://git@host/owner/repo.git and git@host:owner/repo.git.
func parseRepo(s string) (repoRef, error) {
	u, ok := repourl.Parse(s)
	if !ok || len(u.Parts) < 2 {
		return repoRef{}, fmt.Errorf("repo %q is not a repository URL (https://host/owner/name)", strings.TrimSpace(s))
	}
	return repoRef{Scheme: u.Scheme, Host: u.Host, Owner: u.Parts[0], Name: u.Parts[1]}, nil
}

// hostOnly drops a port: hosts are compared by name, so
// http://127.0.0.1:8080/o/r matches an API at http://127.0.0.1:8080/api/v3/.
func hostOnly(h string) string {
	if hn, _, err := net.SplitHostPort(h); err == nil {
		return hn
	}
	return h
}

// client is a go-github client for one Collect. It shares the transport
// (and so the budget, the cache and the waits) but not go-github's own
// client-side rate-limit memory, so one project's refusal does not fail
// another's calls.
func (c *Collector) client() *gh.Client {
	cl := gh.NewClient(c.hc)
	b, u := *c.baseURL, *c.uploadURL
	cl.BaseURL, cl.UploadURL = &b, &u
	cl.UserAgent = "osgauge"
	return cl
}

// statusOf is the HTTP status of a go-github error, 0 if none.
func statusOf(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) && rl.Response != nil {
		return rl.Response.StatusCode
	}
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &ab) && ab.Response != nil {
		return ab.Response.StatusCode
	}
	return 0
}
