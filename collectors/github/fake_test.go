package github

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGitHub is an httptest GitHub that answers in the REST API's real
// shapes under /api/v3 (as a GitHub Enterprise Server does): JSON bodies
// with the API's field names, Link pagination, weak ETags and 304s for
// If-None-Match, X-RateLimit-* headers, 401 without the token, 404 with the
// API's message, and 202 from the statistics endpoints.
type fakeGitHub struct {
	srv      *httptest.Server
	token    string
	pageSize int // GitHub allows per_page up to 100; the fake may page smaller
	now      func() time.Time

	mu          sync.Mutex
	repos       map[string]*fakeRepo // "owner/name"
	users       map[string]map[string]any
	remaining   int
	served      map[string]*hits // per "owner/name"; "" for /users and the rest
	log         []string
	auth        map[string]bool // Authorization headers seen
	inflight    int
	maxInflight int
	statsHits   int
	// hook, if set, may answer a request first (faults, rate limits).
	hook func(w http.ResponseWriter, r *http.Request) bool
	// delay, if set, is slept (for real) inside each request, to let
	// concurrency show.
	delay time.Duration
	// GraphQL (fakegql_test.go): served at /api/graphql when graphql is
	// set; gqlStatus answers every query with that HTTP status,
	// gqlRefusal with a top-level error of that type.
	graphql      bool
	gqlStatus    int
	gqlRefusal   string
	gqlRemaining int
	gqlPoints    int
	gqlOps       []string
}

type hits struct{ all, notModified int }

func (h *hits) changed() int { return h.all - h.notModified }

type fakeRepo struct {
	status         int // answer everything about this repository with this status
	meta           map[string]any
	commits        []map[string]any // newest first, as the API lists them
	issues         []map[string]any // issues and pull requests
	comments       []map[string]any
	reviewComments []map[string]any
	reviews        map[int][]map[string]any
	releases       []map[string]any
	tags           []map[string]any
	contents       map[string][]map[string]any // directory ("" = root) → entries
	advisories     []map[string]any
	advStatus      int
	issuesStatus   int  // e.g. 410 when issues are disabled
	malformed      bool // the repository endpoint answers broken JSON
}

const apiPrefix = "/api/v3"

func newFake(t testing.TB, token string, now func() time.Time) *fakeGitHub {
	f := &fakeGitHub{
		token: token, pageSize: 100, now: now,
		repos: map[string]*fakeRepo{}, users: map[string]map[string]any{},
		remaining: 5000, served: map[string]*hits{}, auth: map[string]bool{}, gqlRemaining: 5000,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is the Enterprise-style API root of the fake.
func (f *fakeGitHub) apiURL() string { return f.srv.URL + apiPrefix + "/" }

func (f *fakeGitHub) repoURL(full string) string { return f.srv.URL + "/" + full }

func (f *fakeGitHub) hitsFor(full string) hits {
	f.mu.Lock()
	defer f.mu.Unlock()
	if h := f.served[full]; h != nil {
		return *h
	}
	return hits{}
}

func (f *fakeGitHub) resetHits() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.served = map[string]*hits{}
	f.log = nil
}

func (f *fakeGitHub) setRepo(full string, r *fakeRepo) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.repos[full] = r
}

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.inflight++
	if f.inflight > f.maxInflight {
		f.maxInflight = f.inflight
	}
	f.auth[r.Header.Get("Authorization")] = true
	hook, delay := f.hook, f.delay
	f.mu.Unlock()
	defer func() {
		f.mu.Lock()
		f.inflight--
		f.mu.Unlock()
	}()
	if delay > 0 {
		time.Sleep(delay)
	}
	if hook != nil && hook(w, r) {
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.token {
		f.errorJSON(w, r, "", http.StatusUnauthorized, "Bad credentials", "https://docs.github.com/rest")
		return
	}
	f.mu.Lock()
	gql := f.graphql
	f.mu.Unlock()
	if gql && r.URL.Path == "/api/graphql" {
		f.serveGraphQL(w, r)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, apiPrefix)
	if p == r.URL.Path || r.Method != http.MethodGet {
		f.errorJSON(w, r, "", http.StatusNotFound, "Not Found", "https://docs.github.com/rest")
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(seg) == 2 && seg[0] == "users":
		f.mu.Lock()
		u, ok := f.users[strings.ToLower(seg[1])]
		f.mu.Unlock()
		if !ok {
			f.errorJSON(w, r, "", http.StatusNotFound, "Not Found", "https://docs.github.com/rest/users/users#get-a-user")
			return
		}
		f.writeJSON(w, r, "", u)
		return
	case len(seg) >= 3 && seg[0] == "repos":
		f.serveRepo(w, r, seg[1]+"/"+seg[2], seg[3:])
		return
	}
	f.errorJSON(w, r, "", http.StatusNotFound, "Not Found", "https://docs.github.com/rest")
}

func (f *fakeGitHub) serveRepo(w http.ResponseWriter, r *http.Request, full string, rest []string) {
	f.mu.Lock()
	repo := f.repos[full]
	f.mu.Unlock()
	notFound := func(doc string) {
		f.errorJSON(w, r, full, http.StatusNotFound, "Not Found", "https://docs.github.com/rest/"+doc)
	}
	if repo == nil {
		notFound("repos/repos#get-a-repository")
		return
	}
	if repo.status != 0 {
		f.errorJSON(w, r, full, repo.status, http.StatusText(repo.status), "https://docs.github.com/rest")
		return
	}
	q := r.URL.Query()
	what := strings.Join(rest, "/")
	switch {
	case what == "":
		if repo.malformed {
			f.count(full, false)
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write([]byte(`{"id": 1, "name": "broken", "owner": {`))
			return
		}
		f.writeJSON(w, r, full, repo.meta)
	case what == "commits":
		list := repo.commits
		if s := q.Get("since"); s != "" {
			since, _ := time.Parse(time.RFC3339, s)
			list = filter(list, func(m map[string]any) bool {
				return !parseTime(m["commit"].(map[string]any)["committer"].(map[string]any)["date"]).Before(since)
			})
		}
		f.writePage(w, r, full, list)
	case what == "releases":
		f.writePage(w, r, full, repo.releases)
	case what == "tags":
		f.writePage(w, r, full, repo.tags)
	case what == "issues" && repo.issuesStatus != 0:
		f.errorJSON(w, r, full, repo.issuesStatus, "Issues are disabled for this repo", "https://docs.github.com/rest/issues/issues#list-repository-issues")
	case what == "issues":
		list := sortBy(repo.issues, q.Get("sort"), q.Get("direction"))
		f.writePage(w, r, full, list)
	case what == "issues/comments":
		f.writePage(w, r, full, sortBy(repo.comments, q.Get("sort"), q.Get("direction")))
	case what == "pulls/comments":
		f.writePage(w, r, full, sortBy(repo.reviewComments, q.Get("sort"), q.Get("direction")))
	case len(rest) == 3 && rest[0] == "pulls" && rest[2] == "reviews":
		n, _ := strconv.Atoi(rest[1])
		if !hasItem(repo.issues, n, true) {
			notFound("pulls/reviews#list-reviews-for-a-pull-request")
			return
		}
		f.writePage(w, r, full, repo.reviews[n])
	case rest[0] == "contents":
		dir := strings.Join(rest[1:], "/")
		entries, ok := repo.contents[dir]
		if !ok {
			notFound("repos/contents#get-repository-content")
			return
		}
		f.writeJSON(w, r, full, entries)
	case what == "security-advisories":
		if repo.advStatus != 0 {
			f.errorJSON(w, r, full, repo.advStatus, http.StatusText(repo.advStatus), "https://docs.github.com/rest/security-advisories/repository-advisories#list-repository-security-advisories")
			return
		}
		f.writePage(w, r, full, filter(repo.advisories, func(m map[string]any) bool {
			return q.Get("state") == "" || m["state"] == q.Get("state")
		}))
	case len(rest) == 3 && rest[0] == "git" && rest[1] == "commits":
		for _, c := range repo.commits {
			if c["sha"] == rest[2] {
				f.writeJSON(w, r, full, c["commit"])
				return
			}
		}
		notFound("git/commits#get-a-commit-object")
	case rest[0] == "stats":
		f.mu.Lock()
		f.statsHits++
		f.mu.Unlock()
		f.count(full, false)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusAccepted) // "computing; try again later"
		w.Write([]byte("{}"))
	default:
		notFound("repos")
	}
}

func hasItem(items []map[string]any, n int, pr bool) bool {
	for _, it := range items {
		if it["number"] == n {
			_, isPR := it["pull_request"]
			return isPR == pr
		}
	}
	return false
}

func filter(list []map[string]any, keep func(map[string]any) bool) []map[string]any {
	var out []map[string]any
	for _, m := range list {
		if keep(m) {
			out = append(out, m)
		}
	}
	return out
}

func parseTime(v any) time.Time {
	s, _ := v.(string)
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// sortBy orders a list as the API does for sort=created|updated and
// direction=asc|desc (default: created, desc).
func sortBy(list []map[string]any, field, dir string) []map[string]any {
	out := append([]map[string]any(nil), list...)
	key := "created_at"
	if field == "updated" {
		key = "updated_at"
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := parseTime(out[i][key]), parseTime(out[j][key])
		if dir == "asc" {
			return a.Before(b)
		}
		return a.After(b)
	})
	return out
}

func (f *fakeGitHub) count(full string, notModified bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	h := f.served[full]
	if h == nil {
		h = &hits{}
		f.served[full] = h
	}
	h.all++
	if notModified {
		h.notModified++
	}
}

// rateHeaders are the X-RateLimit-* headers of every API answer. A 304 does
// not count against the limit.
func (f *fakeGitHub) rateHeaders(w http.ResponseWriter, spend bool) {
	f.mu.Lock()
	if spend && f.remaining > 0 {
		f.remaining--
	}
	rem := f.remaining
	f.mu.Unlock()
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("X-RateLimit-Used", strconv.Itoa(5000-rem))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(f.now().Add(time.Hour).Unix(), 10))
	h.Set("X-RateLimit-Resource", "core")
	h.Set("X-GitHub-Media-Type", "github.v3; format=json")
	h.Set("X-GitHub-Api-Version-Selected", "2022-11-28")
}

func (f *fakeGitHub) writeJSON(w http.ResponseWriter, r *http.Request, full string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(body)
	etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "private, max-age=60, s-maxage=60")
	w.Header().Set("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
	f.mu.Lock()
	f.log = append(f.log, r.Method+" "+r.URL.RequestURI())
	f.mu.Unlock()
	if r.Header.Get("If-None-Match") == etag {
		f.rateHeaders(w, false)
		f.count(full, true)
		w.WriteHeader(http.StatusNotModified)
		return
	}
	f.rateHeaders(w, true)
	f.count(full, false)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// writePage answers one page of list, with the Link header GitHub sends.
func (f *fakeGitHub) writePage(w http.ResponseWriter, r *http.Request, full string, list []map[string]any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, 100, f.pageSize)
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	last := max(1, (len(list)+per-1)/per)
	from, to := min((page-1)*per, len(list)), min(page*per, len(list))
	pageURL := func(p int) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		u.RawQuery = v.Encode()
		return u.String()
	}
	var links []string
	if page < last {
		links = append(links, fmt.Sprintf(`<%s>; rel="next"`, pageURL(page+1)), fmt.Sprintf(`<%s>; rel="last"`, pageURL(last)))
	}
	if page > 1 {
		links = append(links, fmt.Sprintf(`<%s>; rel="prev"`, pageURL(page-1)), fmt.Sprintf(`<%s>; rel="first"`, pageURL(1)))
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	out := list[from:to]
	if out == nil {
		out = []map[string]any{}
	}
	f.writeJSON(w, r, full, out)
}

func (f *fakeGitHub) errorJSON(w http.ResponseWriter, r *http.Request, full string, status int, msg, doc string) {
	f.mu.Lock()
	f.log = append(f.log, r.Method+" "+r.URL.RequestURI()+" -> "+strconv.Itoa(status))
	f.mu.Unlock()
	f.rateHeaders(w, true)
	f.count(full, false)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"message": msg, "documentation_url": doc, "status": strconv.Itoa(status)})
}

// ---- builders of API objects ----

func iso(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func userJSON(base, login, typ string, id int) map[string]any {
	if typ == "" {
		typ = "User"
	}
	return map[string]any{
		"login": login, "id": id, "node_id": "U_" + login, "type": typ, "site_admin": false,
		"avatar_url": "https://avatars.githubusercontent.com/u/" + strconv.Itoa(id),
		"url":        base + "/users/" + login, "html_url": strings.TrimSuffix(base, apiPrefix) + "/" + login,
	}
}

type fixture struct {
	api, web, full string // API root (no trailing slash), web root, "owner/name"
	ids            int
}

func (x *fixture) id() int { x.ids++; return x.ids }

func (x *fixture) user(login string) any {
	if login == "" {
		return nil
	}
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	return userJSON(x.api, login, typ, 1000+len(login))
}

func (x *fixture) commit(sha, login, name, email string, authored, committed time.Time) map[string]any {
	return map[string]any{
		"sha": sha, "node_id": "C_" + sha,
		"commit": map[string]any{
			"author":        map[string]any{"name": name, "email": email, "date": iso(authored)},
			"committer":     map[string]any{"name": "GitHub", "email": "noreply@github.com", "date": iso(committed)},
			"message":       "change " + sha,
			"tree":          map[string]any{"sha": "t" + sha, "url": x.api + "/repos/" + x.full + "/git/trees/t" + sha},
			"url":           x.api + "/repos/" + x.full + "/git/commits/" + sha,
			"comment_count": 0,
			"verification":  map[string]any{"verified": false, "reason": "unsigned", "signature": nil, "payload": nil},
		},
		"url":          x.api + "/repos/" + x.full + "/commits/" + sha,
		"html_url":     x.web + "/" + x.full + "/commit/" + sha,
		"comments_url": x.api + "/repos/" + x.full + "/commits/" + sha + "/comments",
		"author":       x.user(login),
		"committer":    userJSON(x.api, "web-flow", "User", 19864447),
		"parents":      []any{},
	}
}

func (x *fixture) issue(n int, login string, created, updated time.Time, closed, merged *time.Time, pr bool, labels ...string) map[string]any {
	state := "open"
	var closedAt any
	if closed != nil {
		state, closedAt = "closed", iso(*closed)
	}
	var ls []any
	for i, l := range labels {
		ls = append(ls, map[string]any{"id": 500 + i, "node_id": "LA_" + l, "name": l, "color": "d73a4a", "default": l == "bug"})
	}
	kind := "issues"
	if pr {
		kind = "pull"
	}
	m := map[string]any{
		"url": x.api + "/repos/" + x.full + "/issues/" + strconv.Itoa(n), "repository_url": x.api + "/repos/" + x.full,
		"html_url": x.web + "/" + x.full + "/" + kind + "/" + strconv.Itoa(n), "id": 9000 + n, "node_id": "I_" + strconv.Itoa(n),
		"number": n, "title": "item " + strconv.Itoa(n), "user": x.user(login), "labels": ls, "state": state,
		"locked": false, "assignee": nil, "assignees": []any{}, "milestone": nil, "comments": 0,
		"created_at": iso(created), "updated_at": iso(updated), "closed_at": closedAt,
		"author_association": "CONTRIBUTOR", "body": "text",
	}
	if pr {
		var mergedAt any
		if merged != nil {
			mergedAt = iso(*merged)
		}
		m["pull_request"] = map[string]any{
			"url":      x.api + "/repos/" + x.full + "/pulls/" + strconv.Itoa(n),
			"html_url": x.web + "/" + x.full + "/pull/" + strconv.Itoa(n), "diff_url": x.web + "/" + x.full + "/pull/" + strconv.Itoa(n) + ".diff",
			"patch_url": x.web + "/" + x.full + "/pull/" + strconv.Itoa(n) + ".patch", "merged_at": mergedAt,
		}
	}
	return m
}

func (x *fixture) comment(n int, login string, created, updated time.Time) map[string]any {
	id := x.id()
	return map[string]any{
		"id": 100000 + id, "node_id": "IC_" + strconv.Itoa(id),
		"url":       x.api + "/repos/" + x.full + "/issues/comments/" + strconv.Itoa(100000+id),
		"html_url":  x.web + "/" + x.full + "/issues/" + strconv.Itoa(n) + "#issuecomment-" + strconv.Itoa(100000+id),
		"issue_url": x.api + "/repos/" + x.full + "/issues/" + strconv.Itoa(n),
		"user":      x.user(login), "created_at": iso(created), "updated_at": iso(updated),
		"author_association": "MEMBER", "body": "looking",
	}
}

func (x *fixture) reviewComment(n int, login string, created time.Time) map[string]any {
	id := x.id()
	return map[string]any{
		"id": 200000 + id, "node_id": "PRRC_" + strconv.Itoa(id), "pull_request_review_id": 300000 + id,
		"url":              x.api + "/repos/" + x.full + "/pulls/comments/" + strconv.Itoa(200000+id),
		"pull_request_url": x.api + "/repos/" + x.full + "/pulls/" + strconv.Itoa(n),
		"html_url":         x.web + "/" + x.full + "/pull/" + strconv.Itoa(n) + "#discussion_r" + strconv.Itoa(200000+id),
		"diff_hunk":        "@@ -1 +1 @@", "path": "main.go", "commit_id": "abc", "original_commit_id": "abc",
		"user": x.user(login), "body": "nit", "created_at": iso(created), "updated_at": iso(created),
		"author_association": "MEMBER",
	}
}

func (x *fixture) review(n int, login, state string, submitted time.Time) map[string]any {
	id := x.id()
	return map[string]any{
		"id": 300000 + id, "node_id": "PRR_" + strconv.Itoa(id), "user": x.user(login), "body": "",
		"state": state, "submitted_at": iso(submitted), "commit_id": "abc",
		"html_url":           x.web + "/" + x.full + "/pull/" + strconv.Itoa(n) + "#pullrequestreview-" + strconv.Itoa(300000+id),
		"pull_request_url":   x.api + "/repos/" + x.full + "/pulls/" + strconv.Itoa(n),
		"author_association": "MEMBER",
	}
}

func (x *fixture) release(tag string, created time.Time, draft bool) map[string]any {
	id := x.id()
	var published any = iso(created)
	if draft {
		published = nil
	}
	return map[string]any{
		"id": id, "node_id": "RE_" + tag, "tag_name": tag, "target_commitish": "main", "name": tag,
		"draft": draft, "prerelease": false, "created_at": iso(created), "published_at": published,
		"url": x.api + "/repos/" + x.full + "/releases/" + strconv.Itoa(id), "html_url": x.web + "/" + x.full + "/releases/tag/" + tag,
		"author": x.user("alice"), "assets": []any{}, "tarball_url": x.api + "/repos/" + x.full + "/tarball/" + tag,
		"zipball_url": x.api + "/repos/" + x.full + "/zipball/" + tag, "body": "notes",
	}
}

func (x *fixture) entry(dir, name, typ string) map[string]any {
	p := strings.TrimPrefix(dir+"/"+name, "/")
	return map[string]any{
		"name": name, "path": p, "sha": "s" + name, "size": 10, "type": typ,
		"url":      x.api + "/repos/" + x.full + "/contents/" + p + "?ref=main",
		"html_url": x.web + "/" + x.full + "/blob/main/" + p, "git_url": x.api + "/repos/" + x.full + "/git/blobs/s" + name,
		"download_url": nil,
		"_links":       map[string]any{"self": x.api + "/repos/" + x.full + "/contents/" + p + "?ref=main"},
	}
}

func (x *fixture) meta(created, pushed time.Time, stars, forks int) map[string]any {
	owner, name, _ := strings.Cut(x.full, "/")
	o := userJSON(x.api, owner, "Organization", 77)
	return map[string]any{
		"id": 4242, "node_id": "R_" + name, "name": name, "full_name": x.full, "owner": o, "private": false,
		"html_url": x.web + "/" + x.full, "description": "Widgets <for> banks", "fork": false,
		"url": x.api + "/repos/" + x.full, "created_at": iso(created), "updated_at": iso(pushed), "pushed_at": iso(pushed),
		"git_url": "git://" + strings.TrimPrefix(x.web, "http://") + "/" + x.full + ".git", "clone_url": x.web + "/" + x.full + ".git",
		"homepage": "https://widget.example", "size": 1234, "stargazers_count": stars, "watchers_count": stars,
		"language": "Go", "has_issues": true, "has_projects": true, "has_wiki": false, "has_pages": false,
		"forks_count": forks, "mirror_url": nil, "archived": false, "disabled": false, "open_issues_count": 5,
		"license": map[string]any{"key": "apache-2.0", "name": "Apache License 2.0", "spdx_id": "Apache-2.0",
			"url": x.api + "/licenses/apache-2.0", "node_id": "MDc6TGljZW5zZTI="},
		"allow_forking": true, "is_template": false, "topics": []any{"banking", "payments"}, "visibility": "public",
		"forks": forks, "open_issues": 5, "watchers": stars, "default_branch": "main",
		"network_count": forks, "subscribers_count": 7,
		"permissions": map[string]any{"admin": false, "push": false, "pull": true},
	}
}

// ---- a clock that never really sleeps ----

type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	sleeps []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.t = c.t.Add(d)
	return nil
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}
