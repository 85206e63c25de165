package scorecard

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

const testToken = "ghp_TESTTOKEN0123456789abcdefSECRET"

// fakeGitHub answers the requests a full scorecard run makes, in GitHub's
// response shapes, under a REST prefix ("" for github.com, "/api/v3" for an
// Enterprise server) and its GraphQL path.
type fakeGitHub struct {
	t          *testing.T
	srv        *httptest.Server
	prefix     string // REST path prefix
	graphql    string // GraphQL path
	archiveURL string // archive_url returned for the repository

	mu       sync.Mutex
	requests []string // "METHOD path"
	auth     []string // Authorization header of each request
	unknown  []string
	queries  map[string]int // GraphQL query kinds seen
}

func newFakeGitHub(t *testing.T, prefix string) *fakeGitHub {
	f := &fakeGitHub{t: t, prefix: prefix, graphql: "/graphql", queries: map[string]int{}}
	if prefix == "/api/v3" {
		f.graphql = "/api/graphql"
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

var (
	fakeNow   = time.Now().UTC() // scorecard's Maintained check uses the real clock
	contribs  = []string{"alice", "bob", "carol"}
	companies = map[string]string{"alice": "@acme", "bob": "Globex", "carol": "Initech"}
)

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", "4990")
	w.Header().Set("X-RateLimit-Reset", fmt.Sprint(fakeNow.Add(time.Hour).Unix()))

	if r.Method == http.MethodPost && r.URL.Path == f.graphql {
		f.serveGraphQL(w, r)
		return
	}
	p, ok := strings.CutPrefix(r.URL.Path, f.prefix)
	if !ok || r.Method != http.MethodGet {
		f.notFound(w, r)
		return
	}
	switch {
	case p == "/repos/o/r":
		writeJSON(w, map[string]any{
			"id": 1, "name": "r", "full_name": "o/r", "private": false,
			"owner":          map[string]any{"login": "o", "type": "Organization"},
			"html_url":       "https://github.com/o/r",
			"default_branch": "main", "archived": false, "fork": false,
			"created_at": "2020-01-02T03:04:05Z", "pushed_at": fakeNow.Add(-24 * time.Hour).Format(time.RFC3339),
			"archive_url": f.archiveURL,
			"clone_url":   f.srv.URL + "/o/r.git",
			"license":     map[string]any{"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0"},
		})
	case p == "/repos/o/r/tarball/" || p == "/repos/o/r/tarball":
		w.Header().Set("Content-Type", "application/x-gzip")
		w.Write(repoTarball(f.t))
	case p == "/repos/o/r/contributors":
		var out []map[string]any
		for i, u := range contribs {
			out = append(out, map[string]any{"login": u, "type": "User", "contributions": 40 - 10*i})
		}
		writeJSON(w, out)
	case strings.HasPrefix(p, "/users/") && strings.HasSuffix(p, "/orgs"):
		u := strings.TrimSuffix(strings.TrimPrefix(p, "/users/"), "/orgs")
		writeJSON(w, []map[string]any{{"login": u + "-org"}})
	case strings.HasPrefix(p, "/users/"):
		u := strings.TrimPrefix(p, "/users/")
		writeJSON(w, map[string]any{"login": u, "type": "User", "company": companies[u]})
	case p == "/repos/o/r/languages":
		writeJSON(w, map[string]int{"Go": 12345})
	case p == "/repos/o/r/license":
		writeJSON(w, map[string]any{
			"name": "LICENSE", "path": "LICENSE", "type": "file",
			"license": map[string]any{"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0"},
		})
	case p == "/repos/o/r/releases":
		writeJSON(w, []any{})
	case p == "/search/commits":
		writeJSON(w, map[string]any{"total_count": 0, "incomplete_results": false, "items": []any{}})
	case strings.HasPrefix(p, "/repos/o/r/commits/") && strings.HasSuffix(p, "/check-runs"):
		writeJSON(w, map[string]any{"total_count": 1, "check_runs": []any{
			map[string]any{"status": "completed", "conclusion": "success", "app": map[string]any{"slug": "github-actions"}},
		}})
	case strings.HasPrefix(p, "/repos/o/r/commits/") && strings.HasSuffix(p, "/statuses"):
		writeJSON(w, []any{})
	case strings.HasPrefix(p, "/repos/o/r/actions/workflows/"):
		writeJSON(w, map[string]any{"total_count": 0, "workflow_runs": []any{}})
	default:
		f.notFound(w, r)
	}
}

func (f *fakeGitHub) notFound(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.unknown = append(f.unknown, r.Method+" "+r.URL.String())
	f.mu.Unlock()
	f.t.Logf("fake GitHub: no answer for %s %s", r.Method, r.URL)
	w.WriteHeader(http.StatusNotFound)
	writeJSON(w, map[string]string{"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})
}

// serveGraphQL tells scorecard's queries apart by their text.
func (f *fakeGitHub) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	var q struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil {
		f.t.Errorf("graphql body: %v", err)
	}
	kind := ""
	var data any
	switch {
	case strings.Contains(q.Query, "rulesets("):
		kind = "rulesets"
		data = map[string]any{"repository": map[string]any{
			"defaultBranchRef": map[string]any{"name": "main"},
			"rulesets":         map[string]any{"nodes": []any{}},
		}}
	case strings.Contains(q.Query, "branchProtectionRule"):
		kind = "branch-protection"
		data = map[string]any{"repository": map[string]any{"defaultBranchRef": map[string]any{
			"name": "main",
			"refUpdateRule": map[string]any{
				"allowsDeletions": false, "allowsForcePushes": false, "requiredApprovingReviewCount": 2,
				"requiresCodeOwnerReviews": true, "requiresLinearHistory": true,
				"requiredStatusCheckContexts": []string{"ci"},
			},
			"branchProtectionRule": map[string]any{
				"dismissesStaleReviews": true, "isAdminEnforced": true, "requiresStrictStatusChecks": true,
				"requiresStatusChecks": true, "allowsDeletions": false, "allowsForcePushes": false,
				"requiredApprovingReviewCount": 2, "requiresCodeOwnerReviews": true,
				"requiresLinearHistory": true, "requireLastPushApproval": true,
				"requiredStatusCheckContexts": []string{"ci"},
			},
		}}, "rateLimit": map[string]any{"cost": 1}}
	case strings.Contains(q.Query, "checkSuites("):
		kind = "check-suites"
		data = checkSuitesData()
	case strings.Contains(q.Query, "history(") && strings.Contains(q.Query, "issues("):
		kind = "history"
		data = historyData()
	case strings.Contains(q.Query, "ref(qualifiedName:"):
		kind = "branch"
		data = map[string]any{"repository": map[string]any{"ref": nil}}
	default:
		f.t.Logf("fake GitHub: unknown GraphQL query %s", q.Query)
		writeJSON(w, map[string]any{"data": nil, "errors": []any{map[string]any{"message": "unknown query"}}})
		return
	}
	f.mu.Lock()
	f.queries[kind]++
	f.mu.Unlock()
	writeJSON(w, map[string]any{"data": data})
}

// historyData: 12 commits, one a day, each from a pull request merged by a
// maintainer after another maintainer approved it; 3 issues with a
// maintainer's comment.
func historyData() any {
	var commits []any
	for i := 0; i < 12; i++ {
		author := contribs[i%3]
		reviewer := contribs[(i+1)%3]
		at := fakeNow.Add(-time.Duration(i+1) * 24 * time.Hour).Format(time.RFC3339)
		commits = append(commits, map[string]any{
			"committedDate": at,
			"message":       fmt.Sprintf("change %d (#%d)", i, 100+i),
			"oid":           fmt.Sprintf("%040x", 1000+i),
			"author":        map[string]any{"user": map[string]any{"login": author}},
			"committer":     map[string]any{"name": "GitHub", "user": map[string]any{"login": "web-flow"}},
			"signature":     map[string]any{"isValid": true, "wasSignedByGitHub": true},
			"associatedPullRequests": map[string]any{"nodes": []any{map[string]any{
				"repository": map[string]any{"name": "r", "owner": map[string]any{"login": "o"}},
				"author":     map[string]any{"login": author, "resourcePath": "/" + author},
				"number":     100 + i,
				"headRefOid": fmt.Sprintf("%040x", 5000+i),
				"mergedAt":   at,
				"labels":     map[string]any{"nodes": []any{}},
				"reviews": map[string]any{"nodes": []any{
					map[string]any{"state": "APPROVED", "author": map[string]any{"login": reviewer}},
				}},
				"mergedBy": map[string]any{"login": reviewer},
			}}},
		})
	}
	var issues []any
	for i := 0; i < 3; i++ {
		created := fakeNow.Add(-time.Duration(10+i) * 24 * time.Hour).Format(time.RFC3339)
		commented := fakeNow.Add(-time.Duration(5+i) * 24 * time.Hour).Format(time.RFC3339)
		issues = append(issues, map[string]any{
			"url": fmt.Sprintf("https://github.com/o/r/issues/%d", 50+i), "authorAssociation": "NONE",
			"author": map[string]any{"login": "user" + fmt.Sprint(i)}, "createdAt": created,
			"comments": map[string]any{"nodes": []any{map[string]any{
				"authorAssociation": "MEMBER", "createdAt": commented, "author": map[string]any{"login": "alice"},
			}}},
		})
	}
	return map[string]any{
		"repository": map[string]any{
			"isArchived": false,
			"object": map[string]any{"history": map[string]any{
				"nodes":    commits,
				"pageInfo": map[string]any{"startCursor": "a", "endCursor": "b", "hasNextPage": false},
			}},
			"issues": map[string]any{"nodes": issues},
		},
		"rateLimit": map[string]any{"cost": 1},
	}
}

// checkSuitesData: every pull request's last commit passed a GitHub Actions run.
func checkSuitesData() any {
	var nodes []any
	for i := 0; i < 12; i++ {
		nodes = append(nodes, map[string]any{"associatedPullRequests": map[string]any{"nodes": []any{map[string]any{
			"headRefOid": fmt.Sprintf("%040x", 5000+i),
			"commits": map[string]any{"nodes": []any{map[string]any{"commit": map[string]any{
				"checkSuites": map[string]any{"nodes": []any{map[string]any{
					"app": map[string]any{"slug": "github-actions"}, "conclusion": "SUCCESS", "status": "COMPLETED",
				}}},
			}}}},
		}}}})
	}
	return map[string]any{"repository": map[string]any{"object": map[string]any{"history": map[string]any{"nodes": nodes}}},
		"rateLimit": map[string]any{"cost": 1}}
}

func writeJSON(w http.ResponseWriter, v any) {
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	json.NewEncoder(w).Encode(v)
}

// repoTarball is what GitHub's tarball endpoint serves: a gzip tar with one
// top-level folder holding the repository's files.
func repoTarball(t *testing.T) []byte {
	const top = "o-r-8f2d6e0/"
	files := []struct{ name, body string }{
		{"LICENSE", apache},
		{"SECURITY.md", "# Security Policy\n\nPlease report vulnerabilities privately to security@example.com.\n" +
			"We acknowledge reports within 3 days and disclose fixed vulnerabilities in an advisory within 90 days.\n" +
			"See https://github.com/o/r/security/advisories for published advisories.\n"},
		{"go.mod", "module github.com/o/r\n\ngo 1.22\n"},
		{"main.go", "package main\n\nfunc main() {}\n"},
		{".github/dependabot.yml", "version: 2\nupdates:\n  - package-ecosystem: gomod\n    directory: /\n    schedule:\n      interval: weekly\n"},
		{".github/workflows/ci.yml", "name: ci\non: [push, pull_request]\npermissions: read-all\njobs:\n  test:\n" +
			"    runs-on: ubuntu-latest\n    steps:\n" +
			"      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 # v4.1.1\n" +
			"      - run: go test ./...\n"},
	}
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, d := range []string{top, top + ".github/", top + ".github/workflows/"} {
		if err := tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: top + f.name, Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f.body))
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// toServer sends every request to the fake (as github.com's API would be
// reached), so nothing leaves the machine.
type toServer struct{ u *url.URL }

func (s toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = s.u.Scheme, s.u.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

// onlyServer refuses every host but the fake's.
type onlyServer struct {
	t    *testing.T
	host string
}

func (s onlyServer) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host != s.host {
		s.t.Errorf("request left the fake: %s", r.URL)
		return nil, errors.New("refused")
	}
	return http.DefaultTransport.RoundTrip(r)
}

func collectGitHub(t *testing.T, c *GitHubCollector, repo string) (map[string]models.Observation, collectors.Cost) {
	t.Helper()
	target := collectors.Target{Subject: models.Subject{ID: "p"}, Repo: repo}
	if ok, why := c.Applies(target); !ok {
		t.Fatalf("Applies(%s) = false: %s", repo, why)
	}
	obs, cost, err := c.Collect(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.Observation{}
	for _, o := range obs {
		if o.SubjectID != "p" || o.Source != "scorecard" || o.Unit != "0-10" {
			t.Errorf("bad provenance %+v", o)
		}
		for _, s := range []string{o.Evidence, o.Reason, o.Text} {
			if strings.Contains(s, testToken) || strings.Contains(s, "TESTTOKEN") {
				t.Errorf("token in observation %s: %q", o.Metric, s)
			}
		}
		out[o.Metric] = o
	}
	// Log what ran, for the documentation of github mode.
	var names []string
	for m := range out {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		o := out[m]
		if o.Value != nil {
			t.Logf("%-36s %4.1f  %s", m, *o.Value, o.Evidence)
		} else {
			t.Logf("%-36s   --  %s", m, o.Reason)
		}
	}
	return out, cost
}

func checkGitHubRun(t *testing.T, f *fakeGitHub, obs map[string]models.Observation, cost collectors.Cost, where string) {
	t.Helper()
	// Checks that need the host's API are inconclusive in local mode and
	// scored here.
	for _, m := range []string{"Code-Review", "Maintained", "Contributors", "Branch-Protection", "CI-Tests"} {
		if o := obs["scorecard."+m]; o.Value == nil {
			t.Errorf("%s not scored in github mode: %+v", m, o)
		}
	}
	want := map[string]float64{
		"License":            10, // SPDX id from the licence API: local mode stops at 9
		"Code-Review":        10, // 12 of 12 changesets approved by another maintainer
		"Contributors":       10, // 3 companies + 3 orgs among contributors with ≥ 5 commits
		"Maintained":         10, // 12 commits in the last 90 days, repository created 2020
		"Security-Policy":    10,
		"Binary-Artifacts":   10,
		"Token-Permissions":  10,
		"Dangerous-Workflow": 10,
	}
	for m, v := range want {
		if o := obs["scorecard."+m]; o.Value == nil || *o.Value != v {
			t.Errorf("%s = %+v, want %g", m, o, v)
		}
	}
	// Offline: OSV and the badge API are not asked; deps.dev is not reached.
	for _, m := range []string{"Vulnerabilities", "CII-Best-Practices"} {
		if o := obs["scorecard."+m]; o.Value != nil || o.Reason != "needs network (offline run)" {
			t.Errorf("%s should be inconclusive offline: %+v", m, o)
		}
	}
	if o := obs["scorecard.Signed-Releases"]; o.Value != nil || !strings.Contains(o.Reason, "deps.dev") {
		t.Errorf("Signed-Releases should not run offline: %+v", o)
	}
	// Same metrics as local mode.
	for _, m := range []string{"Binary-Artifacts", "Dangerous-Workflow", "Dependency-Update-Tool", "Fuzzing", "License",
		"Packaging", "Pinned-Dependencies", "SAST", "Security-Policy", "Token-Permissions", "Vulnerabilities", "aggregate"} {
		if _, ok := obs["scorecard."+m]; !ok {
			t.Errorf("scorecard.%s missing", m)
		}
	}
	cr := obs["scorecard.Code-Review"]
	if !strings.Contains(cr.Evidence, "(github mode) Code-Review on "+where+": ") {
		t.Errorf("Code-Review evidence = %q", cr.Evidence)
	}
	if a := obs["scorecard.aggregate"]; a.Value == nil || *a.Value <= 0 || !strings.Contains(a.Evidence, "github checks on "+where) {
		t.Errorf("aggregate = %+v", a)
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	for i, a := range f.auth {
		if a != "Bearer "+testToken {
			t.Errorf("request %s carried Authorization %q", f.requests[i], a)
		}
	}
	for _, kind := range []string{"history", "rulesets", "branch-protection"} {
		if f.queries[kind] == 0 {
			t.Errorf("GraphQL %s query not asked (asked: %v)", kind, f.queries)
		}
	}
	if cost.Requests != len(f.requests) || cost.RateRemaining != 4990 {
		t.Errorf("cost = %+v, fake saw %d requests", cost, len(f.requests))
	}
	t.Logf("%d requests: %v; GraphQL %v; unknown %v", len(f.requests), f.requests, f.queries, f.unknown)
}

// TestGitHubMode runs scorecard against github.com's API (served by the
// fake through the base transport).
func TestGitHubMode(t *testing.T) {
	f := newFakeGitHub(t, "")
	f.archiveURL = "https://api.github.com/repos/o/r/{archive_format}{/ref}"
	su, _ := url.Parse(f.srv.URL)
	c := NewGitHub(GitHubOptions{Token: testToken, Transport: toServer{su}})
	obs, cost := collectGitHub(t, c, "https://github.com/o/r")
	checkGitHubRun(t, f, obs, cost, "github.com/o/r")
	for _, r := range f.requests {
		if strings.HasPrefix(r, "GET /api/") {
			t.Errorf("github.com request got an Enterprise prefix: %s", r)
		}
	}
}

// TestGitHubModeEnterprise points api_url at an Enterprise-style
// https://HOST/api/v3/: REST goes under /api/v3, GraphQL to /api/graphql.
func TestGitHubModeEnterprise(t *testing.T) {
	f := newFakeGitHub(t, "/api/v3")
	f.archiveURL = f.srv.URL + "/api/v3/repos/o/r/{archive_format}{/ref}"
	su, _ := url.Parse(f.srv.URL)
	c := NewGitHub(GitHubOptions{APIURL: f.srv.URL + "/api/v3/", Token: testToken, Transport: onlyServer{t, su.Host}})
	obs, cost := collectGitHub(t, c, f.srv.URL+"/o/r.git")
	checkGitHubRun(t, f, obs, cost, su.Host+"/o/r")
	for _, r := range f.requests {
		if !strings.HasPrefix(r, "GET /api/v3/") && r != "POST /api/graphql" {
			t.Errorf("Enterprise request outside /api/v3 and /api/graphql: %s", r)
		}
	}
}

func TestGitHubApplies(t *testing.T) {
	gh := NewGitHub(GitHubOptions{Token: "x"})
	ghe := NewGitHub(GitHubOptions{APIURL: "https://ghe.bank.example/api/v3/", Token: "x"})
	cases := []struct {
		c    *GitHubCollector
		repo string
		ok   bool
		why  string
	}{
		{gh, "https://github.com/o/r", true, ""},
		{gh, "github.com/o/r.git", true, ""},
		{gh, "git@github.com:o/r.git", true, ""},
		{gh, "https://gitlab.com/o/r", false, "not on github.com"},
		{gh, "", false, "no repo"},
		{gh, "https://github.com/o", false, "owner/name"},
		{ghe, "https://ghe.bank.example/o/r", true, ""},
		{ghe, "https://github.com/o/r", false, "not on ghe.bank.example"},
		{NewGitHub(GitHubOptions{}), "https://github.com/o/r", false, "no GitHub token"},
		{NewGitHub(GitHubOptions{APIURL: "ftp://x/", Token: "x"}), "https://github.com/o/r", false, "api_url"},
	}
	for _, tc := range cases {
		ok, why := tc.c.Applies(collectors.Target{Repo: tc.repo})
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("Applies(%q) on %s = %v %q, want %v %q", tc.repo, tc.c.o.APIURL, ok, why, tc.ok, tc.why)
		}
	}
	if n := gh.Needs(); !n.Network || !n.Token || n.Clone {
		t.Errorf("Needs = %+v", n)
	}
	if gh.Name() != "scorecard" {
		t.Errorf("Name = %q", gh.Name())
	}
	if _, _, err := NewGitHub(GitHubOptions{}).Collect(context.Background(), collectors.Target{Repo: "https://github.com/o/r"}); err == nil {
		t.Error("Collect without a token succeeded")
	}
}

// TestGitHubTransport checks the rewriting rules on their own.
func TestGitHubTransport(t *testing.T) {
	var got []string
	rec := rtFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Method+" "+r.URL.String()+" auth="+r.Header.Get("Authorization"))
		return &http.Response{StatusCode: 200, Header: http.Header{"X-Ratelimit-Remaining": {"7"}}, Body: io.NopCloser(strings.NewReader("{}")), Request: r}, nil
	})
	cases := []struct{ api, gh, in, want string }{
		{"https://api.github.com/", "", "GET https://api.github.com/repos/o/r", "GET https://api.github.com/repos/o/r auth=Bearer T"},
		{"https://api.github.com/", "", "POST https://api.github.com/graphql", "POST https://api.github.com/graphql auth=Bearer T"},
		{"https://api.github.com/", "", "GET https://codeload.github.com/o/r/legacy.tar.gz/main?token=abc", "GET https://codeload.github.com/o/r/legacy.tar.gz/main?token=abc auth="},
		{"https://ghe.bank/api/v3/", "", "GET https://api.github.com/repos/o/r?per_page=100", "GET https://ghe.bank/api/v3/repos/o/r?per_page=100 auth=Bearer T"},
		{"https://ghe.bank/api/v3", "", "POST https://api.github.com/graphql", "POST https://ghe.bank/api/graphql auth=Bearer T"},
		{"https://ghe.bank/api/v3/", "", "GET https://ghe.bank/api/v3/repos/o/r/tarball/", "GET https://ghe.bank/api/v3/repos/o/r/tarball/ auth=Bearer T"},
		{"http://127.0.0.1:9/api/v3/", "", "GET https://api.github.com/search/commits?q=x", "GET http://127.0.0.1:9/api/v3/search/commits?q=x auth=Bearer T"},
		// GH_HOST set in the process environment: scorecard addresses it.
		{"https://ghe.bank/api/v3/", "ghe.bank", "GET https://ghe.bank/api/v3/repos/o/r", "GET https://ghe.bank/api/v3/repos/o/r auth=Bearer T"},
		{"https://ghe.bank/api/v3/", "ghe.bank", "POST https://ghe.bank/api/graphql", "POST https://ghe.bank/api/graphql auth=Bearer T"},
		{"https://ghe.bank/api/v3/", "other.host", "GET https://other.host/api/v3/repos/o/r", "GET https://ghe.bank/api/v3/repos/o/r auth=Bearer T"},
	}
	for _, tc := range cases {
		got = nil
		api, _ := url.Parse(tc.api)
		tr := &ghTransport{api: api, token: "T", base: rec, ghHost: tc.gh}
		method, u, _ := strings.Cut(tc.in, " ")
		req, _ := http.NewRequest(method, u, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s via %s:\n got %v\nwant %s", tc.in, tc.api, got, tc.want)
		}
		if req.Header.Get("Authorization") != "" || req.URL.String() != u {
			t.Errorf("the caller's request was modified: %s %v", req.URL, req.Header)
		}
	}
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestGitHubTransportErrorHidesToken(t *testing.T) {
	api, _ := url.Parse("https://api.github.com/")
	tr := &ghTransport{api: api, token: testToken, base: rtFunc(func(r *http.Request) (*http.Response, error) {
		return nil, errors.New("proxy said: bad header " + r.Header.Get("Authorization"))
	})}
	req, _ := http.NewRequest("GET", "https://api.github.com/repos/o/r", nil)
	_, err := tr.RoundTrip(req)
	if err == nil || strings.Contains(err.Error(), testToken) {
		t.Errorf("error = %v", err)
	}
}
