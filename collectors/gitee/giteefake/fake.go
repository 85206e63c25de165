// Package giteefake is an httptest Gitee (or GitCode) that serves a
// forgetest.Scenario in the API v5 response shapes, for tests of the gitee
// collector and of anything built on it. Paths are under /api/v5; the
// repository's web page is Server.URL + "/" + Scenario.Path.
//
// What it imitates: JSON field names of Gitee's API v5 documentation;
// issue numbers as strings ("I…") on Gitee and as integers on GitCode;
// finished_at as an issue's close time (GitCode: closed_at as well);
// page/per_page pagination answered with total_count and total_page
// headers (and a Link header with WithLinkHeaders); weak ETags and 304 for
// If-None-Match (a 304 carries neither total header); {"message": "Not
// Found"} with 404; optional 429 with Retry-After and 403 rate-limit
// messages. A scenario's pull-request reviews are served as diff comments
// (comment_type "diff_comment"), system comments not at all. Releases are
// listed oldest first, as Gitee does without a direction parameter.
package giteefake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/collectors/forge/forgetest"
)

// Prefix is the API root's path.
const Prefix = "/api/v5"

// Server is the fake forge.
type Server struct {
	*httptest.Server
	Kind string // "gitee" or "gitcode"

	mu          sync.Mutex
	repos       map[string]forgetest.Scenario // by lower-case "owner/name"
	issuesOff   map[string]bool               // repositories whose issues list answers 404
	pageSize    int
	link        bool
	token       string // if set, a request with another token is refused (401)
	limit429    int
	limit403    int
	requests    map[string]int // per API path (without Prefix and query)
	notModified int
	total       int
	queryTokens map[string]bool // access_token parameters seen
	headTokens  map[string]bool // PRIVATE-TOKEN headers seen
	log         []string
}

// Option configures a Server.
type Option func(*Server)

// WithPageSize caps pages at n entries (the real API caps per_page at 100).
func WithPageSize(n int) Option { return func(s *Server) { s.pageSize = n } }

// WithLinkHeaders adds Link rel="next"/"last" headers to lists.
func WithLinkHeaders() Option { return func(s *Server) { s.link = true } }

// WithToken makes the server refuse (401) a request that carries a token
// other than tok; requests without one are served (public repositories).
func WithToken(tok string) Option { return func(s *Server) { s.token = tok } }

// With429 answers the next n requests with 429 and Retry-After: 1.
func With429(n int) Option { return func(s *Server) { s.limit429 = n } }

// With403Limit answers the next n requests with 403 and a rate-limit message.
func With403Limit(n int) Option { return func(s *Server) { s.limit403 = n } }

// New starts a fake of kind "gitee" or "gitcode" serving scenario sc.
func New(kind string, sc forgetest.Scenario, opts ...Option) *Server {
	s := &Server{Kind: kind, repos: map[string]forgetest.Scenario{}, pageSize: 100,
		requests: map[string]int{}, queryTokens: map[string]bool{}, headTokens: map[string]bool{}}
	for _, o := range opts {
		o(s)
	}
	if sc.Path != "" {
		s.repos[strings.ToLower(sc.Path)] = sc
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// SetScenario adds or replaces a repository.
func (s *Server) SetScenario(sc forgetest.Scenario) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repos[strings.ToLower(sc.Path)] = sc
}

// DisableIssues makes the issues list of a repository ("owner/name") answer
// 404, as for a repository with issues turned off.
func (s *Server) DisableIssues(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.issuesOff == nil {
		s.issuesOff = map[string]bool{}
	}
	s.issuesOff[strings.ToLower(p)] = true
}

// Set429 and Set403Limit arm the rate-limit answers for the next n requests.
func (s *Server) Set429(n int) { s.mu.Lock(); s.limit429 = n; s.mu.Unlock() }

// Set403Limit arms n 403 rate-limit answers.
func (s *Server) Set403Limit(n int) { s.mu.Lock(); s.limit403 = n; s.mu.Unlock() }

// APIURL is the API root to give the collector.
func (s *Server) APIURL() string { return s.URL + Prefix }

// RepoURL is the web page of a repository ("owner/name").
func (s *Server) RepoURL(p string) string { return s.URL + "/" + p }

// WebHost is the host[:port] of the server's web pages.
func (s *Server) WebHost() string { u, _ := url.Parse(s.URL); return u.Host }

// Requests returns the requests served per API path (without /api/v5 and
// the query), 304s included.
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// Total is the number of requests served; NotModified how many were 304s.
func (s *Server) Total() int { s.mu.Lock(); defer s.mu.Unlock(); return s.total }

// NotModified is the number of 304 answers.
func (s *Server) NotModified() int { s.mu.Lock(); defer s.mu.Unlock(); return s.notModified }

// Log is every request line served ("GET /repos/o/r/commits?page=1&…"), in
// order, with any access_token parameter shown as [token].
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Reset forgets the counts and the log.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.total, s.notModified, s.log = map[string]int{}, 0, 0, nil
}

// QueryTokens are the access_token query parameters seen; HeaderTokens the
// PRIVATE-TOKEN headers.
func (s *Server) QueryTokens() []string { return s.keys(s.queryTokens) }

// HeaderTokens are the PRIVATE-TOKEN headers seen.
func (s *Server) HeaderTokens() []string { return s.keys(s.headTokens) }

func (s *Server) keys(m map[string]bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var cst = time.FixedZone("CST", 8*3600) // Gitee answers in China Standard Time

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.In(cst).Format(time.RFC3339)
}

func tsp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	q := r.URL.Query()
	tok := q.Get("access_token")
	if tok != "" {
		s.queryTokens[tok] = true
	}
	head := r.Header.Get("PRIVATE-TOKEN")
	if head != "" {
		s.headTokens[head] = true
	}
	p := strings.TrimPrefix(r.URL.Path, Prefix)
	s.total++
	s.requests[p]++
	shown := url.Values{}
	for k, v := range q {
		if k == "access_token" {
			v = []string{"[token]"}
		}
		shown[k] = v
	}
	s.log = append(s.log, strings.TrimSpace(r.Method+" "+p+"?"+shown.Encode()))
	l429, l403 := s.limit429 > 0, s.limit403 > 0
	if l429 {
		s.limit429--
	} else if l403 {
		s.limit403--
	}
	want, kind := s.token, s.Kind
	s.mu.Unlock()

	switch {
	case l429:
		w.Header().Set("Retry-After", "1")
		writeError(w, http.StatusTooManyRequests, "Too Many Requests")
		return
	case l403:
		writeError(w, http.StatusForbidden, "Rate Limit Exceeded")
		return
	}
	given := tok
	if kind == "gitcode" {
		given = head
	}
	if want != "" && given != "" && given != want {
		writeError(w, http.StatusUnauthorized, "401 Unauthorized: Access token does not exist")
		return
	}
	if p == r.URL.Path || r.Method != http.MethodGet {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	seg := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case len(seg) == 2 && seg[0] == "users":
		s.serveUser(w, r, seg[1])
	case len(seg) >= 3 && seg[0] == "repos":
		s.mu.Lock()
		sc, ok := s.repos[strings.ToLower(seg[1]+"/"+seg[2])]
		s.mu.Unlock()
		if !ok {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		s.serveRepo(w, r, sc, seg[3:])
	default:
		writeError(w, http.StatusNotFound, "Not Found")
	}
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"message": msg})
	w.Write(b)
}

// writeJSON answers v with a weak ETag, or 304 when If-None-Match has it.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, v any, extra http.Header) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	sum := sha256.Sum256(b)
	etag := `W/"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "max-age=0, private, must-revalidate")
	if r.Header.Get("If-None-Match") == etag {
		s.mu.Lock()
		s.notModified++
		s.mu.Unlock()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	for k, vs := range extra {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(b)
}

// writePage answers one page of list with the total headers.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, list []any) {
	q := r.URL.Query()
	size, _ := strconv.Atoi(q.Get("per_page"))
	if size <= 0 {
		size = 20 // Gitee's default page size
	}
	if size > 100 {
		size = 100
	}
	if s.pageSize > 0 && size > s.pageSize {
		size = s.pageSize
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page < 1 {
		page = 1
	}
	pages := (len(list) + size - 1) / size
	lo := min((page-1)*size, len(list))
	hi := min(lo+size, len(list))
	h := http.Header{}
	h.Set("total_count", strconv.Itoa(len(list)))
	h.Set("total_page", strconv.Itoa(pages))
	if s.link && page < pages {
		u := *r.URL
		qq := u.Query()
		qq.Del("access_token")
		qq.Set("page", strconv.Itoa(page+1))
		u.RawQuery = qq.Encode()
		next := s.URL + u.RequestURI()
		qq.Set("page", strconv.Itoa(pages))
		u.RawQuery = qq.Encode()
		h.Set("Link", fmt.Sprintf(`<%s>; rel="next", <%s>; rel="last"`, next, s.URL+u.RequestURI()))
	}
	out := list[lo:hi]
	if out == nil {
		out = []any{}
	}
	s.writeJSON(w, r, out, h)
}

func (s *Server) user(login string) any {
	if login == "" {
		return nil
	}
	return map[string]any{"id": idOf(login), "login": login, "name": login, "type": "User",
		"html_url": s.URL + "/" + login, "url": s.APIURL() + "/users/" + login}
}

func idOf(s string) int64 {
	sum := sha256.Sum256([]byte(s))
	var v int64
	for _, b := range sum[:6] {
		v = v<<8 | int64(b)
	}
	return v
}

func (s *Server) serveUser(w http.ResponseWriter, r *http.Request, login string) {
	s.mu.Lock()
	var found *forgetest.User
	for _, sc := range s.repos {
		for i := range sc.Users {
			if strings.EqualFold(sc.Users[i].Login, login) {
				u := sc.Users[i]
				found = &u
			}
		}
	}
	s.mu.Unlock()
	if found == nil {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	m := map[string]any{"id": found.ID, "login": found.Login, "name": found.Name, "type": "User",
		"html_url": s.URL + "/" + found.Login, "url": s.APIURL() + "/users/" + found.Login,
		"avatar_url": "", "bio": "", "blog": "", "weibo": "", "public_repos": 1, "followers": 0, "following": 0,
		"stared": 0, "watched": 0, "created_at": "2020-01-01T00:00:00+08:00", "email": nil}
	if found.Company != "" {
		m["company"] = found.Company
	}
	s.writeJSON(w, r, m, nil)
}

// IssueNumber is how the fake spells issue n: "I" and base 36 on Gitee
// (such as "I1ICN6"), the number itself on GitCode.
func (s *Server) IssueNumber(n int) any {
	if s.Kind == "gitcode" {
		return n
	}
	return "I" + strings.ToUpper(strconv.FormatInt(int64(n)+36*36*36*36, 36))
}

func (s *Server) serveRepo(w http.ResponseWriter, r *http.Request, sc forgetest.Scenario, rest []string) {
	web := s.URL + "/" + sc.Path
	api := s.APIURL() + "/repos/" + sc.Path
	owner := strings.SplitN(sc.Path, "/", 2)[0]
	what := strings.Join(rest, "/")
	q := r.URL.Query()
	s.mu.Lock()
	issuesOff := s.issuesOff[strings.ToLower(sc.Path)]
	s.mu.Unlock()
	switch {
	case what == "":
		open := 0
		for _, is := range sc.Issues {
			if is.Closed == nil {
				open++
			}
		}
		m := map[string]any{
			"id": idOf(sc.Path), "full_name": sc.Path, "human_name": sc.Path, "url": api, "path": path.Base(sc.Path),
			"name": path.Base(sc.Path), "description": sc.Description, "private": false, "public": true, "internal": false,
			"fork": false, "html_url": web, "ssh_url": "git@" + s.WebHost() + ":" + sc.Path + ".git",
			"owner":     map[string]any{"id": idOf(owner), "login": owner, "name": owner, "type": "User"},
			"namespace": map[string]any{"id": idOf(owner), "type": "group", "name": owner, "path": owner, "html_url": s.URL + "/" + owner},
			"homepage":  nil, "default_branch": nilIfEmpty(sc.DefaultBranch),
			"stargazers_count": sc.Stars, "forks_count": sc.Forks, "watchers_count": sc.Watchers, "open_issues_count": open,
			"has_issues": true, "has_wiki": true, "pull_requests_enabled": true, "license": nilIfEmpty(sc.License),
			"pushed_at": ts(sc.Pushed), "created_at": ts(sc.Created), "updated_at": ts(sc.Pushed), "status": "开始",
		}
		if sc.Archived {
			m["status"] = "已归档"
			if s.Kind == "gitcode" {
				m["archived"] = true
			}
		}
		s.writeJSON(w, r, m, nil)
	case what == "commits":
		if len(sc.Commits) == 0 {
			writeError(w, http.StatusNotFound, "Not Found")
			return
		}
		list := make([]any, 0, len(sc.Commits))
		for _, c := range sc.Commits {
			list = append(list, s.commit(sc, c))
		}
		s.writePage(w, r, list)
	case len(rest) == 2 && rest[0] == "commits":
		for _, c := range sc.Commits {
			if c.SHA == rest[1] {
				s.writeJSON(w, r, s.commit(sc, c), nil)
				return
			}
		}
		writeError(w, http.StatusNotFound, "Not Found")
	case what == "issues" && issuesOff:
		writeError(w, http.StatusNotFound, "Not Found")
	case what == "issues":
		issues := append([]forgetest.Issue(nil), sc.Issues...)
		if q.Get("sort") == "updated" {
			sort.SliceStable(issues, func(i, j int) bool { return issues[i].Updated.After(issues[j].Updated) })
		}
		if q.Get("direction") == "asc" {
			for i, j := 0, len(issues)-1; i < j; i, j = i+1, j-1 {
				issues[i], issues[j] = issues[j], issues[i]
			}
		}
		list := make([]any, 0, len(issues))
		for _, is := range issues {
			list = append(list, s.issue(sc, is))
		}
		s.writePage(w, r, list)
	case len(rest) == 3 && rest[0] == "issues" && rest[2] == "comments":
		for _, is := range sc.Issues {
			if fmt.Sprint(s.IssueNumber(is.N)) == rest[1] {
				s.writePage(w, r, s.comments(is.Comments, nil, map[string]any{"issue": map[string]any{"number": s.IssueNumber(is.N)}}))
				return
			}
		}
		writeError(w, http.StatusNotFound, "Not Found")
	case what == "pulls":
		prs := append([]forgetest.Change(nil), sc.Changes...)
		if q.Get("sort") == "updated" {
			sort.SliceStable(prs, func(i, j int) bool { return prs[i].Updated.After(prs[j].Updated) })
		}
		list := make([]any, 0, len(prs))
		for _, c := range prs {
			list = append(list, s.pull(sc, c))
		}
		s.writePage(w, r, list)
	case len(rest) == 3 && rest[0] == "pulls" && rest[2] == "comments":
		for _, c := range sc.Changes {
			if strconv.Itoa(c.N) == rest[1] {
				s.writePage(w, r, s.comments(c.Comments, c.Reviews, map[string]any{"pull_request": map[string]any{"number": c.N}}))
				return
			}
		}
		writeError(w, http.StatusNotFound, "Not Found")
	case what == "releases":
		list := []any{}
		for i := len(sc.Releases) - 1; i >= 0; i-- { // oldest first
			rel := sc.Releases[i]
			if rel.Draft {
				continue
			}
			list = append(list, map[string]any{"id": idOf(rel.Tag), "tag_name": rel.Tag, "target_commitish": sc.DefaultBranch,
				"prerelease": rel.Prerelease, "name": rel.Name, "body": "", "author": s.user(owner), "created_at": ts(rel.Published), "assets": []any{}})
		}
		s.writePage(w, r, list)
	case what == "tags":
		dates := map[string]time.Time{}
		for _, c := range sc.Commits {
			dates[c.SHA] = c.Committed
		}
		list := []any{}
		for _, tg := range sc.Tags {
			commit := map[string]any{"sha": tg.SHA}
			if d, ok := dates[tg.SHA]; ok {
				commit["date"] = ts(d)
			}
			list = append(list, map[string]any{"name": tg.Name, "message": "", "commit": commit, "tagger": nil})
		}
		s.writePage(w, r, list)
	case len(rest) == 3 && rest[0] == "git" && rest[1] == "trees":
		s.serveTree(w, r, sc, rest[2])
	default:
		writeError(w, http.StatusNotFound, "Not Found")
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (s *Server) commit(sc forgetest.Scenario, c forgetest.Commit) any {
	parents := []any{}
	for i := 0; i < c.Parents; i++ {
		parents = append(parents, map[string]any{"sha": fmt.Sprintf("%s-parent%d", c.SHA, i), "url": ""})
	}
	api := s.APIURL() + "/repos/" + sc.Path
	return map[string]any{
		"url": api + "/commits/" + c.SHA, "sha": c.SHA, "html_url": s.URL + "/" + sc.Path + "/commit/" + c.SHA,
		"comments_url": api + "/commits/" + c.SHA + "/comments",
		"commit": map[string]any{
			"author":    map[string]any{"name": c.Name, "email": c.Email, "date": ts(c.Authored)},
			"committer": map[string]any{"name": c.Name, "email": c.Email, "date": ts(c.Committed)},
			"message":   c.Message, "tree": map[string]any{"sha": "tree-" + c.SHA, "url": ""},
		},
		"author": s.user(c.Login), "committer": s.user(c.Login), "parents": parents,
	}
}

func (s *Server) issue(sc forgetest.Scenario, is forgetest.Issue) any {
	labels := []any{}
	for _, l := range is.Labels {
		labels = append(labels, map[string]any{"id": idOf(l), "name": l, "color": "d73a4a"})
	}
	state := "open"
	if is.Closed != nil {
		state = "closed"
	}
	n := s.IssueNumber(is.N)
	m := map[string]any{
		"id": is.N, "url": s.APIURL() + "/repos/" + sc.Path + "/issues/" + fmt.Sprint(n),
		"html_url": s.URL + "/" + sc.Path + "/issues/" + fmt.Sprint(n), "number": n, "state": state,
		"title": is.Title, "body": "", "user": s.user(is.Author), "labels": labels, "assignee": nil,
		"created_at": ts(is.Created), "updated_at": ts(is.Updated), "plan_started_at": nil, "deadline": nil,
		"finished_at": tsp(is.Closed), "comments": visible(is.Comments), "issue_type": "任务", "security_hole": false,
	}
	if s.Kind == "gitcode" {
		m["closed_at"] = tsp(is.Closed)
	}
	return m
}

func visible(cs []forgetest.Comment) int {
	n := 0
	for _, c := range cs {
		if !c.System {
			n++
		}
	}
	return n
}

func (s *Server) pull(sc forgetest.Scenario, c forgetest.Change) any {
	state := "open"
	switch {
	case c.Merged != nil:
		state = "merged"
	case c.Closed != nil:
		state = "closed"
	}
	closed := c.Closed
	if closed == nil && c.Merged != nil {
		closed = c.Merged
	}
	return map[string]any{
		"id": c.N, "url": s.APIURL() + "/repos/" + sc.Path + "/pulls/" + strconv.Itoa(c.N),
		"html_url": s.URL + "/" + sc.Path + "/pulls/" + strconv.Itoa(c.N), "number": c.N, "state": state,
		"title": c.Title, "body": "", "user": s.user(c.Author), "labels": []any{}, "locked": false, "draft": false,
		"created_at": ts(c.Created), "updated_at": ts(c.Updated), "closed_at": tsp(closed), "merged_at": tsp(c.Merged),
		"mergeable": true, "head": map[string]any{"ref": "feature", "sha": "head"}, "base": map[string]any{"ref": sc.DefaultBranch},
	}
}

// comments lists comments (and reviews as diff comments), oldest first.
func (s *Server) comments(cs, reviews []forgetest.Comment, target map[string]any) []any {
	type one struct {
		c    forgetest.Comment
		kind string
	}
	var all []one
	for _, c := range cs {
		if !c.System {
			all = append(all, one{c, "pr_comment"})
		}
	}
	for _, c := range reviews {
		all = append(all, one{c, "diff_comment"})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].c.At.Before(all[j].c.At) })
	list := []any{}
	for _, o := range all {
		m := map[string]any{"id": o.c.ID, "body": o.c.Body, "user": s.user(o.c.Author),
			"created_at": ts(o.c.At), "updated_at": ts(o.c.At), "target": target}
		if _, pr := target["pull_request"]; pr {
			m["comment_type"] = o.kind
		}
		list = append(list, m)
	}
	return list
}

// serveTree answers git/trees/{sha}: the branch name is the root; a
// directory holding the security file is "tree-<dir>".
func (s *Server) serveTree(w http.ResponseWriter, r *http.Request, sc forgetest.Scenario, sha string) {
	if len(sc.Commits) == 0 {
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	dir, file := path.Split(sc.SecurityFile)
	dir = strings.Trim(dir, "/")
	entry := func(p, typ, sha string) any {
		return map[string]any{"path": p, "mode": "100644", "type": typ, "sha": sha, "size": 10, "url": ""}
	}
	var tree []any
	switch {
	case sha == sc.DefaultBranch:
		tree = []any{entry("README.md", "blob", "blob-readme"), entry("docs", "tree", "tree-docs")}
		if sc.SecurityFile != "" && dir == "" {
			tree = append(tree, entry(file, "blob", "blob-security"))
		} else if dir != "" && dir != "docs" {
			tree = append(tree, entry(dir, "tree", "tree-"+dir))
		}
	case sha == "tree-docs":
		tree = []any{entry("index.md", "blob", "blob-index")}
		if dir == "docs" {
			tree = append(tree, entry(file, "blob", "blob-security"))
		}
	case dir != "" && sha == "tree-"+dir:
		tree = []any{entry(file, "blob", "blob-security")}
	default:
		writeError(w, http.StatusNotFound, "Not Found")
		return
	}
	s.writeJSON(w, r, map[string]any{"sha": sha, "url": "", "tree": tree, "truncated": false}, nil)
}
