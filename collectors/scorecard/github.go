package scorecard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ossf/scorecard/v5/checks"
	"github.com/ossf/scorecard/v5/clients/githubrepo"
	sclog "github.com/ossf/scorecard/v5/log"
	"github.com/ossf/scorecard/v5/pkg/scorecard"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// DefaultAPIURL is github.com's REST API.
const DefaultAPIURL = "https://api.github.com/"

// GitHubOptions configures github mode.
type GitHubOptions struct {
	// APIURL is the GitHub REST API: https://api.github.com/ (the default)
	// or a GitHub Enterprise Server's https://HOST/api/v3/.
	APIURL string
	// Token is sent as a bearer token to APIURL's host only. It is never
	// logged, returned in an error or written into an observation.
	Token string
	// Transport is the base round tripper (e.g. the shared caching,
	// rate-limit-aware GitHub transport); http.DefaultTransport if nil.
	Transport http.RoundTripper
	// Timeout bounds one repository's run (default 5 minutes).
	Timeout time.Duration
	Now     func() time.Time
	// Online lets the checks that need services beyond the GitHub API reach
	// them with scorecard's own default clients (not through Transport):
	// OSV (Vulnerabilities), the OSS-Fuzz project list (Fuzzing), the
	// OpenSSF Best Practices badge API (CII-Best-Practices) and deps.dev
	// (Signed-Releases). Off by default: a bank intranet reaches its GitHub
	// (Enterprise) but not these.
	Online bool
}

// GitHubCollector runs Scorecard v5 in-process against a repository on
// github.com or a GitHub Enterprise Server, through the GitHub API at
// GitHubOptions.APIURL. Its observations are the same as local mode's
// (scorecard.<Check> and scorecard.aggregate); the evidence says
// "(github mode)".
//
// Every request scorecard makes to the GitHub API (REST, GraphQL and the
// repository tarball) goes through one round tripper that sends it to
// APIURL (scheme, host, and the /api/v3 and /api/graphql prefixes of an
// Enterprise server) with the token. No process-global setting (GH_HOST,
// GITHUB_TOKEN) is read or written for this.
//
// Checks in github mode (measured against a fake GitHub in github_test.go;
// 18 checks recorded, as many as scorecard's CLI reports for a GitHub repo):
//
//   - From the repository tarball, as in local mode: Binary-Artifacts,
//     Dangerous-Workflow, Dependency-Update-Tool, License, Pinned-Dependencies,
//     Security-Policy, Token-Permissions. License reaches 10 here (local mode
//     stops at 9) because the host's licence API gives the SPDX id.
//     Packaging is scored when a packaging workflow exists (its successful
//     runs are asked from the API); otherwise scorecard itself reports it
//     inconclusive ("packaging workflow not detected").
//   - From the host's API, and inconclusive in local mode: Branch-Protection
//     (classic protection rules need a token with admin rights on the
//     repository; rulesets are read with read access), CI-Tests, Code-Review,
//     Contributors, Maintained, SAST (check runs of merged pull requests, as
//     well as workflow files).
//   - Inconclusive unless Online, with the reason "needs network (offline
//     run)": Vulnerabilities (OSV), CII-Best-Practices (the Best Practices
//     badge API) and Fuzzing: scorecard's Fuzzing check asks the OSS-Fuzz
//     project list before it looks for fuzz functions and stops when that
//     fails, so offline it is inconclusive (as in local mode).
//   - Not run unless Online: Signed-Releases, because scorecard v5.5.0 asks
//     api.deps.dev for package provenance through a client that can be
//     neither stubbed nor routed through Transport; it is recorded as
//     inconclusive with that reason.
//   - Experimental checks (SBOM, Webhooks) run only when the process has
//     SCORECARD_EXPERIMENTAL set, as in scorecard itself.
//
// A run costs about 27 requests for a repository with 12 recent pull
// requests and 3 contributors: the repository, the tarball, 4 GraphQL
// queries (history and issues, check suites, rulesets, branch protection),
// contributors with each one's user and organisations, licence, releases
// and one commit-status list per merged pull request.
type GitHubCollector struct {
	o       GitHubOptions
	api     *url.URL // parsed APIURL, nil if invalid
	apiErr  error
	webHost string // the host repositories live on: github.com or the Enterprise host
}

// NewGitHub returns a github-mode Scorecard collector. An invalid APIURL is
// reported by Applies and Collect.
func NewGitHub(o GitHubOptions) *GitHubCollector {
	if o.APIURL == "" {
		o.APIURL = DefaultAPIURL
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	c := &GitHubCollector{o: o}
	u, err := url.Parse(o.APIURL)
	switch {
	case err != nil:
		c.apiErr = fmt.Errorf("github api_url %q: %w", o.APIURL, err)
	case (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		c.apiErr = fmt.Errorf("github api_url %q: want an http(s) URL such as %s or https://HOST/api/v3/", o.APIURL, DefaultAPIURL)
	default:
		c.api = u
		c.webHost = webHost(u.Host)
	}
	return c
}

// webHost is the host whose repositories an API host serves:
// api.github.com → github.com, api.NAME.ghe.com → NAME.ghe.com, and an
// Enterprise server's API (HOST/api/v3) → HOST.
func webHost(apiHost string) string {
	h := strings.ToLower(apiHost)
	if rest, ok := strings.CutPrefix(h, "api."); ok && (rest == "github.com" || strings.HasSuffix(rest, ".ghe.com")) {
		return rest
	}
	return h
}

func (c *GitHubCollector) Name() string { return Name }
func (c *GitHubCollector) Needs() collectors.Needs {
	return collectors.Needs{Network: true, Token: true}
}

// Applies needs a repository on the API's host and a token.
func (c *GitHubCollector) Applies(t collectors.Target) (bool, string) {
	if c.apiErr != nil {
		return false, c.apiErr.Error()
	}
	if c.o.Token == "" {
		return false, "no GitHub token (scorecard github mode needs one; set the variable github.token_env names)"
	}
	if t.Repo == "" {
		return false, "no repo (scorecard github mode scans a GitHub repository)"
	}
	host, _, _, err := parseRepo(t.Repo)
	if err != nil {
		return false, err.Error()
	}
	if host != c.webHost {
		return false, fmt.Sprintf("repo %s is not on %s (the host of github.api_url)", t.Repo, c.webHost)
	}
	return true, ""
}

// Collect runs every check scorecard supports for a GitHub repository and
// records each one.
func (c *GitHubCollector) Collect(ctx context.Context, t collectors.Target) (obs []models.Observation, cost collectors.Cost, err error) {
	rt := &ghTransport{api: c.api, token: c.o.Token, base: c.o.Transport, ghHost: os.Getenv("GH_HOST")}
	defer func() {
		cost = rt.cost()
		if err != nil {
			err = scrubErr(err, c.o.Token)
		}
	}()
	if ok, why := c.Applies(t); !ok {
		return nil, cost, fmt.Errorf("scorecard (github mode): %s", why)
	}
	host, owner, name, _ := parseRepo(t.Repo)
	where := host + "/" + owner + "/" + name
	if c.o.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.o.Timeout)
		defer cancel()
	}
	rc, err := githubrepo.NewRepoClient(ctx, githubrepo.WithRoundTripper(rt))
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (github mode) %s: %w", where, err)
	}
	// "owner/name" is github.com/owner/name to scorecard; the round tripper
	// sends its requests to the configured API, so Enterprise works too.
	repo, err := githubrepo.MakeGithubRepo(owner + "/" + name)
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (github mode) %s: %w", where, err)
	}
	names, notRun := c.checks()
	opts := []scorecard.Option{
		scorecard.WithLogLevel(sclog.ErrorLevel),
		scorecard.WithRepoClient(rc),
		scorecard.WithChecks(names),
	}
	if !c.o.Online {
		opts = append(opts,
			scorecard.WithVulnerabilitiesClient(offlineVulns{}),
			scorecard.WithOpenSSFBestPraticesClient(offlineBadge{}),
			scorecard.WithOSSFuzzClient(offlineFuzz{}),
		)
	}
	res, err := scorecard.Run(ctx, repo, opts...)
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (github mode) %s: %w", where, err)
	}
	obs = observations(runInfo{subject: t.Subject.ID, where: where, mode: "github mode", kind: "github", now: c.o.Now(), notRun: notRun}, &res)
	for i := range obs {
		obs[i].Evidence = scrub(obs[i].Evidence, c.o.Token)
		obs[i].Reason = scrub(obs[i].Reason, c.o.Token)
		obs[i].Text = scrub(obs[i].Text, c.o.Token)
	}
	return obs, cost, nil
}

// offlineOnly are the checks left out of an offline github-mode run, with
// the reason recorded for them.
var offlineOnly = map[string]string{
	"Signed-Releases": "not run offline: scorecard asks api.deps.dev for package provenance directly (enable online checks to run it)",
}

// checks lists the checks to run (sorted) and the reasons for those left out.
func (c *GitHubCollector) checks() ([]string, map[string]string) {
	notRun := map[string]string{}
	var names []string
	for name := range checks.GetAll() {
		if why, ok := offlineOnly[name]; ok && !c.o.Online {
			notRun[name] = why
			continue
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names, notRun
}

// parseRepo splits a repository address (https://HOST/owner/name,
// HOST/owner/name, with or without .git, or git@HOST:owner/name.git) into
// its lower-case host, owner and name.
func parseRepo(s string) (host, owner, name string, err error) {
	in := strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(in, "git@"); ok {
		in = "ssh://" + strings.Replace(rest, ":", "/", 1)
	}
	if !strings.Contains(in, "://") {
		in = "https://" + in
	}
	u, perr := url.Parse(in)
	if perr != nil || u.Host == "" {
		return "", "", "", fmt.Errorf("repo %q is not a repository URL such as https://github.com/owner/name", s)
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", "", "", fmt.Errorf("repo %q does not name owner/name", s)
	}
	return strings.ToLower(u.Host), parts[0], strings.TrimSuffix(parts[1], ".git"), nil
}

// ghTransport sends scorecard's GitHub requests to the configured API with
// the token, and counts what they cost.
//
// The go-github and githubv4 clients inside scorecard address
// https://api.github.com/... and https://api.github.com/graphql (or
// https://$GH_HOST/api/v3/... and /api/graphql when GH_HOST is set in the
// environment). Those requests are rewritten to APIURL: its scheme and
// host, its path prefix for REST (e.g. /api/v3) and the matching GraphQL
// endpoint (/graphql, or /api/graphql for an Enterprise server). Requests
// already addressed to APIURL's host (the tarball, whose URL comes from the
// repository's archive_url) keep their path. Both get the token. Requests to
// any other host (e.g. codeload.github.com after a tarball redirect) pass
// through untouched and without the token.
type ghTransport struct {
	api    *url.URL
	token  string
	base   http.RoundTripper
	ghHost string

	mu            sync.Mutex
	requests      int
	notModified   int
	rateRemaining int
	sawRate       bool
}

func (t *ghTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.base
	if base == nil {
		base = http.DefaultTransport
	}
	path, rewrite := t.logicalPath(req.URL)
	if !rewrite && !strings.EqualFold(req.URL.Host, t.api.Host) {
		return base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	if rewrite {
		prefix := strings.TrimSuffix(t.api.Path, "/")
		if path == "/graphql" {
			r.URL.Path = strings.TrimSuffix(prefix, "/v3") + "/graphql"
		} else {
			r.URL.Path = prefix + path
		}
		r.URL.RawPath = ""
		r.URL.Scheme, r.URL.Host, r.Host = t.api.Scheme, t.api.Host, ""
	}
	if r.Header.Get("Authorization") == "" {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	resp, err := base.RoundTrip(r)
	t.mu.Lock()
	t.requests++
	if resp != nil {
		if resp.StatusCode == http.StatusNotModified {
			t.notModified++
		}
		if n, perr := strconv.Atoi(resp.Header.Get("X-RateLimit-Remaining")); perr == nil {
			t.rateRemaining, t.sawRate = n, true
		}
	}
	t.mu.Unlock()
	if err != nil {
		return resp, scrubErr(err, t.token)
	}
	return resp, nil
}

// logicalPath is the github.com-style API path of a request scorecard
// addressed to the public API (or to $GH_HOST's Enterprise API), and
// whether the request must be rewritten to APIURL.
func (t *ghTransport) logicalPath(u *url.URL) (string, bool) {
	if strings.EqualFold(u.Host, "api.github.com") {
		return u.Path, true
	}
	if t.ghHost != "" && t.ghHost != "github.com" && strings.EqualFold(u.Host, t.ghHost) {
		if u.Path == "/api/graphql" {
			return "/graphql", true
		}
		if rest, ok := strings.CutPrefix(u.Path, "/api/v3"); ok {
			return rest, true
		}
	}
	return "", false
}

func (t *ghTransport) cost() collectors.Cost {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := collectors.Cost{Requests: t.requests, NotModified: t.notModified, RateRemaining: -1}
	if t.sawRate {
		c.RateRemaining = t.rateRemaining
	}
	return c
}

// scrub removes the token from text that leaves the collector.
func scrub(s, token string) string {
	if token == "" || !strings.Contains(s, token) {
		return s
	}
	return strings.ReplaceAll(s, token, "[token]")
}

func scrubErr(err error, token string) error {
	if err == nil || token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return errors.New(scrub(err.Error(), token))
}
