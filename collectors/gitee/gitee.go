// Package gitee collects project-health facts about repositories on Gitee
// (gitee.com) and GitCode (gitcode.com) through their REST API v5, which
// both forges share in shape (GitHub-like, but not identical): repository
// metadata, default-branch commits, issues and pull requests with their
// comments, releases (or tags), a security policy file and the top
// authors' profiles. It only reads the API into a forge.History; the
// metrics are forge.Observations', the same for every forge.
//
// Differences from GitHub that shape the code:
//
//   - Gitee takes the token only as the access_token query parameter; the
//     collector builds every URL without it and lets forge.Transport (Dialect
//     forge.Gitee) add it to the outgoing copy, so it never reaches a cache
//     key, an error or a message. GitCode takes a PRIVATE-TOKEN header
//     (forge.GitCode).
//   - Lists are paged with page/per_page and answered with total_count and
//     total_page headers, not Link. A Link rel="next" is followed when a
//     server sends one; otherwise the reading stops at total_page, or, when
//     neither header is there (a 304 replayed from the cache carries
//     neither), at a short page.
//   - Issues and pull requests are separate lists, and Gitee numbers issues
//     with strings ("I5ABCD"); see itemN for how they become forge.Item.N.
//   - Issues close with finished_at (closed_at on GitCode when given).
//   - There is no repository security advisories API: Advisories stay nil.
//
// Cost. All traffic goes through one forge.Transport: every GET is
// conditional (ETag / If-None-Match), so an unchanged project answers the
// first page of every newest-first list with a 304, and the lists are read
// only back to what the previous run saw. What was seen is kept in the
// cache under "state:<kind>:<host>/<owner>/<repo>" and pruned to the
// windows; once every 30 days the lists are read in full again. Comments
// are read per issue or pull request opened in 180 days, and again only
// when the item's updated_at moved (and nobody had answered it yet).
// Profiles are kept 30 days under "state:<kind>:<host>:user:<login>".
package gitee

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/models"
)

// The two kinds of forge this package reads; each is also the source name
// recorded on the observations.
const (
	KindGitee   = "gitee"
	KindGitCode = "gitcode"
)

// Default API roots and the web hosts they serve.
const (
	DefaultGiteeAPI     = "https://gitee.com/api/v5"
	DefaultGitCodeAPI   = "https://api.gitcode.com/api/v5"
	DefaultGiteeHost    = "gitee.com"
	DefaultGitCodeHost  = "gitcode.com"
	DefaultConcurrency  = 4
	defaultResponseWait = 90 * time.Second
)

// Options configures a Collector.
type Options struct {
	// Kind is "gitee" or "gitcode" (default "gitee").
	Kind string
	// APIURL is the API v5 root (default https://gitee.com/api/v5 or
	// https://api.gitcode.com/api/v5).
	APIURL string
	// WebHost is the host (host[:port], as in repository URLs) whose
	// repositories the API serves. Default: gitee.com / gitcode.com for the
	// default APIs, else the API URL's host with a leading "api." removed.
	WebHost string
	// Token is optional: public repositories are readable without one, at a
	// lower rate limit. It is never logged, stored or put in an error.
	Token string
	// Concurrency bounds concurrent Collect calls (default 4).
	Concurrency int
	// Cache keeps conditional-request entries and incremental state between
	// runs; *store.Store satisfies it. nil: an in-memory cache.
	Cache forge.Cache
	// Now is the clock windows are measured from (default time.Now).
	Now func() time.Time
	// Sleep waits; it must return early with ctx's error when ctx is done.
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

// Collector collects Gitee or GitCode facts; it is safe for concurrent use.
type Collector struct {
	opts      Options
	forgeName string // "Gitee" or "GitCode", for evidence and messages
	base      *url.URL
	webHost   string
	tr        *forge.Transport
	hc        *http.Client
	sem       forge.Semaphore
	profiles  forge.Profiles // one fetch per user profile, however many projects need it
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
	o.Kind = strings.ToLower(strings.TrimSpace(o.Kind))
	if o.Kind == "" {
		o.Kind = KindGitee
	}
	var dialect forge.Dialect
	var name, defAPI, defHost string
	switch o.Kind {
	case KindGitee:
		dialect, name, defAPI, defHost = forge.Gitee, "Gitee", DefaultGiteeAPI, DefaultGiteeHost
	case KindGitCode:
		dialect, name, defAPI, defHost = forge.GitCode, "GitCode", DefaultGitCodeAPI, DefaultGitCodeHost
	default:
		return nil, fmt.Errorf("gitee: kind %q is neither gitee nor gitcode", o.Kind)
	}
	if o.APIURL == "" {
		o.APIURL = defAPI
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
	if err != nil || api.Host == "" || (api.Scheme != "https" && api.Scheme != "http") {
		return nil, fmt.Errorf("%s: api_url %q is not an http(s) URL", o.Kind, o.APIURL)
	}
	api.Path = strings.TrimRight(api.Path, "/")
	api.RawQuery, api.Fragment = "", ""
	web := strings.ToLower(strings.TrimSpace(o.WebHost))
	if web == "" {
		if strings.TrimRight(o.APIURL, "/") == defAPI {
			web = defHost
		} else {
			web = strings.TrimPrefix(strings.ToLower(api.Host), "api.")
		}
	}
	web = repourl.NormHost(api.Scheme, web)
	var baseRT http.RoundTripper
	if o.HTTPClient != nil && o.HTTPClient.Transport != nil {
		baseRT = o.HTTPClient.Transport
	} else {
		dt := http.DefaultTransport.(*http.Transport).Clone()
		dt.ResponseHeaderTimeout = defaultResponseWait
		dt.MaxIdleConnsPerHost = 2 * o.Concurrency
		baseRT = dt
	}
	tr := &forge.Transport{Base: baseRT, Dialect: dialect, Token: o.Token, Budget: o.Budget, APIHost: api.Host, Cache: o.Cache,
		Now: o.Now, Sleep: o.Sleep, Notify: o.Notify}
	return &Collector{
		opts: o, forgeName: name, base: api, webHost: web, tr: tr,
		hc:  &http.Client{Transport: tr},
		sem: forge.NewSemaphore(o.Concurrency), profiles: forge.Profiles{Cache: o.Cache},
	}, nil
}

// Name is the source name recorded on every observation: the kind.
func (c *Collector) Name() string { return c.opts.Kind }

// Needs reports that the collector calls the network. A token is optional.
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{Network: true} }

// Transport is the collector's shared transport.
func (c *Collector) Transport() *forge.Transport { return c.tr }

// Totals is what every request of this collector has cost so far.
func (c *Collector) Totals() collectors.Cost { return c.tr.Totals() }

// BaseURL is the API root requests go to (no trailing slash).
func (c *Collector) BaseURL() string { return c.base.String() }

// WebHost is the host whose repositories this collector reads.
func (c *Collector) WebHost() string { return c.webHost }

// Applies reports whether t names a repository on the web host this API
// serves. Hosts are compared as host[:port] written in the URL, lower case,
// a default port (443 for https, 80 for http) dropped: so a fake at
// http://127.0.0.1:8080 serves http://127.0.0.1:8080/o/r only. A repository
// on another host is another forge's: false with no reason.
func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if strings.TrimSpace(t.Repo) == "" {
		if t.Subject.Kind != "" && t.Subject.Kind != models.KindProject {
			return false, ""
		}
		return false, "no repo URL"
	}
	ref, err := parseRepo(t.Repo)
	if err != nil {
		return false, err.Error()
	}
	if ref.Host != c.webHost {
		return false, ""
	}
	return true, ""
}

// repoRef names a repository.
type repoRef struct {
	Scheme, Host, Owner, Name string
}

func (r repoRef) String() string { return r.Owner + "/" + r.Name }

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
