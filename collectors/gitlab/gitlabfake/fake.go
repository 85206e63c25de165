// Package gitlabfake is an httptest GitLab that serves one
// forgetest.Scenario in the REST API v4's real response shapes, for tests
// of the GitLab collector and of whatever runs it. It answers under
// /api/v4/ with GitLab's field names, offset pagination (X-Page,
// X-Per-Page, X-Next-Page, X-Prev-Page, X-Total, X-Total-Pages and a Link
// header with rel next/prev/first/last), RateLimit-* headers, weak ETags and
// 304s for a matching If-None-Match (keeping the other headers, as Rack's
// ConditionalGet does), error bodies such as {"message":"404 Project Not
// Found"}, and, when asked, 429s with Retry-After. It records the requests
// it served (per path) and the PRIVATE-TOKEN values it saw.
//
// The project's web_url is Server.URL + "/" + the scenario's path, so a
// collector whose API URL is Server.APIURL() (Server.URL + "/api/v4")
// recognises the project's URL as its own (same host and port).
package gitlabfake

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/collectors/forge/forgetest"
)

// Option configures a Server.
type Option func(*Server)

// WithToken makes the server refuse (HTTP 401) a request whose
// PRIVATE-TOKEN is set and differs from tok. Without a token a request is
// anonymous and sees the (public) project.
func WithToken(tok string) Option { return func(s *Server) { s.token = tok } }

// WithRequireToken makes the server refuse anonymous requests too.
func WithRequireToken() Option { return func(s *Server) { s.requireToken = true } }

// WithPageSize caps per_page (GitLab's cap is 100), to make lists page.
func WithPageSize(n int) Option { return func(s *Server) { s.maxPerPage = n } }

// WithNow sets the clock RateLimit-Reset is computed from.
func WithNow(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// WithProjectID sets the project's numeric id (default 4242).
func WithProjectID(id int64) Option { return func(s *Server) { s.projectID = id } }

// WithIssuesDisabled switches the project's issues off: issues_access_level
// "disabled" and HTTP 403 from the issues endpoints.
func WithIssuesDisabled() Option { return func(s *Server) { s.issuesDisabled = true } }

// WithoutETags serves no ETags (some GitLab endpoints send none).
func WithoutETags() Option { return func(s *Server) { s.noETags = true } }

// Server is the fake GitLab.
type Server struct {
	srv *httptest.Server
	// URL is the server's root (http://127.0.0.1:port).
	URL string

	token          string
	requireToken   bool
	maxPerPage     int
	now            func() time.Time
	projectID      int64
	issuesDisabled bool
	noETags        bool

	mu          sync.Mutex
	sc          forgetest.Scenario
	requests    map[string]int // per path, as requested (escaped)
	total       int
	notModified int
	tokens      map[string]int
	throttle    int // answer the next throttle requests with 429
	retryAfter  time.Duration
	log         []string
}

// New starts a server for s. Close it when done.
func New(sc forgetest.Scenario, opts ...Option) *Server {
	s := &Server{maxPerPage: 100, now: time.Now, projectID: 4242, sc: sc,
		requests: map[string]int{}, tokens: map[string]int{}}
	for _, o := range opts {
		o(s)
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// APIURL is the REST API root to give a collector.
func (s *Server) APIURL() string { return s.URL + "/api/v4" }

// WebURL is the project's web page (its repo URL in a config).
func (s *Server) WebURL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.URL + "/" + s.sc.Path
}

// Update changes the scenario (a new commit, a closed issue) between runs.
func (s *Server) Update(f func(*forgetest.Scenario)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.sc)
}

// Throttle answers the next n requests with HTTP 429, Retry-After: d (in
// seconds) and, as GitLab does, RateLimit-Remaining: 0 and RateLimit-Reset
// d from now.
func (s *Server) Throttle(n int, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle, s.retryAfter = n, d
}

// Requests is how many requests were served (304s and errors included).
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// NotModified is how many requests were answered 304.
func (s *Server) NotModified() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notModified
}

// RequestsByPath is how many requests each path (as requested, escaped,
// without the query) was sent.
func (s *Server) RequestsByPath() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// Log is every request served, "METHOD path?query -> status", in order.
func (s *Server) Log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.log...)
}

// Tokens are the PRIVATE-TOKEN values seen ("" for anonymous requests),
// with how many requests carried each.
func (s *Server) Tokens() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.tokens))
	for k, v := range s.tokens {
		out[k] = v
	}
	return out
}

// ResetCounts forgets the requests counted so far.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests, s.total, s.notModified, s.log = map[string]int{}, 0, 0, nil
}

const rateLimit = 2000

type answer struct {
	status int
	body   any
	header http.Header
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := r.URL.EscapedPath()
	s.requests[p]++
	s.total++
	tok := r.Header.Get("PRIVATE-TOKEN")
	s.tokens[tok]++
	now := s.now()
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(rateLimit))
	h.Set("RateLimit-Observed", strconv.Itoa(s.total))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(1, rateLimit-s.total)))
	h.Set("RateLimit-Reset", strconv.FormatInt(now.Add(time.Minute).Unix(), 10))
	logStatus := func(code int) {
		q := ""
		if r.URL.RawQuery != "" {
			q = "?" + r.URL.RawQuery
		}
		s.log = append(s.log, fmt.Sprintf("%s %s%s -> %d", r.Method, p, q, code))
	}
	if s.throttle > 0 {
		s.throttle--
		secs := int(s.retryAfter / time.Second)
		h.Set("RateLimit-Remaining", "0")
		h.Set("RateLimit-Reset", strconv.FormatInt(now.Add(s.retryAfter).Unix(), 10))
		h.Set("RateLimit-ResetTime", now.Add(s.retryAfter).UTC().Format(http.TimeFormat))
		h.Set("Retry-After", strconv.Itoa(secs))
		writeJSON(w, http.StatusTooManyRequests, "Retry later\n", true)
		logStatus(http.StatusTooManyRequests)
		return
	}
	if (tok != "" && s.token != "" && tok != s.token) || (tok == "" && s.requireToken) {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "401 Unauthorized"}, false)
		logStatus(http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"message": "405 Method Not Allowed"}, false)
		logStatus(http.StatusMethodNotAllowed)
		return
	}
	a := s.route(r, p)
	for k, vs := range a.header {
		h[k] = vs
	}
	if a.status != http.StatusOK {
		writeJSON(w, a.status, a.body, false)
		logStatus(a.status)
		return
	}
	body, _ := json.Marshal(a.body)
	if !s.noETags {
		sum := sha256.Sum256(body)
		etag := `W/"` + hex.EncodeToString(sum[:16]) + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", "max-age=0, private, must-revalidate")
		if inm := r.Header.Get("If-None-Match"); inm != "" && inm == etag {
			s.notModified++
			w.WriteHeader(http.StatusNotModified)
			logStatus(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write(body)
	logStatus(http.StatusOK)
}

func writeJSON(w http.ResponseWriter, code int, v any, plain bool) {
	if plain {
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(code)
		fmt.Fprint(w, v)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func notFound(what string) answer {
	return answer{status: http.StatusNotFound, body: map[string]any{"message": "404 " + what + " Not Found"}}
}

// route answers one GET under /api/v4/.
func (s *Server) route(r *http.Request, p string) answer {
	rest, ok := strings.CutPrefix(p, "/api/v4/")
	if !ok {
		return answer{status: http.StatusNotFound, body: map[string]any{"error": "404 Not Found"}}
	}
	if rest == "users" {
		return s.users(r)
	}
	rest, ok = strings.CutPrefix(rest, "projects/")
	if !ok {
		return answer{status: http.StatusNotFound, body: map[string]any{"error": "404 Not Found"}}
	}
	idEsc, sub, _ := strings.Cut(rest, "/")
	id, err := url.PathUnescape(idEsc)
	if err != nil || (id != s.sc.Path && id != strconv.FormatInt(s.projectID, 10)) {
		return notFound("Project")
	}
	q := r.URL.Query()
	segs := strings.Split(sub, "/")
	switch {
	case sub == "":
		return answer{status: http.StatusOK, body: s.project(q.Get("license") == "true")}
	case sub == "repository/commits":
		if ref := q.Get("ref_name"); ref != "" && ref != s.sc.DefaultBranch && ref != "HEAD" { // HEAD: the default branch (Scorecard asks so)
			return notFound("Commit")
		}
		return s.page(r, s.commits(q))
	case sub == "repository/tags":
		return s.page(r, s.tags())
	case sub == "repository/tree":
		entries, ok := s.tree(q.Get("path"))
		if !ok {
			return notFound("Tree")
		}
		return s.page(r, entries)
	case sub == "releases":
		return s.page(r, s.releases())
	case sub == "issues":
		if s.issuesDisabled {
			return answer{status: http.StatusForbidden, body: map[string]any{"message": "403 Forbidden"}}
		}
		return s.page(r, s.issues(q))
	case sub == "merge_requests":
		return s.page(r, s.mergeRequests(q))
	case len(segs) == 3 && segs[2] == "notes" && (segs[0] == "issues" || segs[0] == "merge_requests"):
		if segs[0] == "issues" && s.issuesDisabled {
			return answer{status: http.StatusForbidden, body: map[string]any{"message": "403 Forbidden"}}
		}
		iid, err := strconv.Atoi(segs[1])
		if err != nil {
			return notFound("Noteable")
		}
		notes, ok := s.notes(segs[0] == "merge_requests", iid, q)
		if !ok {
			return notFound("Noteable")
		}
		return s.page(r, notes)
	case len(segs) == 3 && segs[0] == "merge_requests" && segs[2] == "approvals":
		iid, _ := strconv.Atoi(segs[1])
		for _, c := range s.sc.Changes {
			if c.N == iid {
				var by []any
				for _, v := range c.Reviews {
					by = append(by, map[string]any{"user": s.user(v.Author)})
				}
				return answer{status: http.StatusOK, body: map[string]any{"id": iid, "iid": iid, "project_id": s.projectID,
					"approved": len(by) > 0, "approved_by": by}}
			}
		}
		return notFound("Merge Request")
	}
	return answer{status: http.StatusNotFound, body: map[string]any{"error": "404 Not Found"}}
}

// page serves one page of a list, with GitLab's pagination headers.
func (s *Server) page(r *http.Request, all []any) answer {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 20
	}
	per = min(per, s.maxPerPage, 100)
	pg, _ := strconv.Atoi(q.Get("page"))
	if pg <= 0 {
		pg = 1
	}
	total := len(all)
	pages := max(1, (total+per-1)/per)
	lo, hi := min((pg-1)*per, total), min(pg*per, total)
	h := http.Header{}
	h.Set("X-Page", strconv.Itoa(pg))
	h.Set("X-Per-Page", strconv.Itoa(per))
	h.Set("X-Total", strconv.Itoa(total))
	h.Set("X-Total-Pages", strconv.Itoa(pages))
	next, prev := "", ""
	if pg < pages {
		next = strconv.Itoa(pg + 1)
	}
	if pg > 1 {
		prev = strconv.Itoa(pg - 1)
	}
	h.Set("X-Next-Page", next)
	h.Set("X-Prev-Page", prev)
	link := func(n int, rel string) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		qq := u.Query()
		qq.Set("page", strconv.Itoa(n))
		qq.Set("per_page", strconv.Itoa(per))
		u.RawQuery = qq.Encode()
		return "<" + u.String() + `>; rel="` + rel + `"`
	}
	var links []string
	if prev != "" {
		links = append(links, link(pg-1, "prev"))
	}
	if next != "" {
		links = append(links, link(pg+1, "next"))
	}
	links = append(links, link(1, "first"), link(pages, "last"))
	h.Set("Link", strings.Join(links, ", "))
	return answer{status: http.StatusOK, body: append([]any{}, all[lo:hi]...), header: h}
}

func ts(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func tsp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

func idOf(s string) int64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(s)))
	return int64(h.Sum32()%9_000_000) + 1000
}

// user is GitLab's basic user object (lists carry no "bot" field).
func (s *Server) user(login string) map[string]any {
	name := login
	for _, u := range s.sc.Users {
		if strings.EqualFold(u.Login, login) && u.Name != "" {
			name = u.Name
		}
	}
	return map[string]any{"id": idOf(login), "username": login, "name": name, "state": "active", "locked": false,
		"avatar_url": s.URL + "/uploads/-/system/user/avatar/" + strconv.FormatInt(idOf(login), 10) + "/avatar.png",
		"web_url":    s.URL + "/" + login}
}

var licenses = map[string][3]string{ // SPDX → key, name, nickname
	"MIT":           {"mit", "MIT License", ""},
	"Apache-2.0":    {"apache-2.0", "Apache License 2.0", ""},
	"GPL-3.0-only":  {"gpl-3.0", "GNU General Public License v3.0", "GNU GPLv3"},
	"GPL-2.0-only":  {"gpl-2.0", "GNU General Public License v2.0", "GNU GPLv2"},
	"LGPL-2.1-only": {"lgpl-2.1", "GNU Lesser General Public License v2.1", "GNU LGPLv2.1"},
	"AGPL-3.0-only": {"agpl-3.0", "GNU Affero General Public License v3.0", "GNU AGPLv3"},
	"BSD-3-Clause":  {"bsd-3-clause", "BSD 3-Clause \"New\" or \"Revised\" License", ""},
	"MPL-2.0":       {"mpl-2.0", "Mozilla Public License 2.0", ""},
}

func (s *Server) namespace() map[string]any {
	full := s.sc.Path[:strings.LastIndexByte(s.sc.Path, '/')]
	kind := "group"
	for _, u := range s.sc.Users {
		if strings.EqualFold(u.Login, full) {
			kind = "user"
		}
	}
	path := full[strings.LastIndexByte(full, '/')+1:]
	var parent any
	if strings.Contains(full, "/") {
		parent = idOf(full[:strings.LastIndexByte(full, '/')])
	}
	return map[string]any{"id": idOf(full), "name": path, "path": path, "kind": kind, "full_path": full,
		"parent_id": parent, "avatar_url": nil, "web_url": s.URL + "/groups/" + full}
}

func (s *Server) project(withLicense bool) map[string]any {
	sc := s.sc
	name := sc.Path[strings.LastIndexByte(sc.Path, '/')+1:]
	ns := s.namespace()
	open := 0
	for _, is := range sc.Issues {
		if is.Closed == nil {
			open++
		}
	}
	access := "enabled"
	if s.issuesDisabled {
		access = "disabled"
	}
	var branch any = sc.DefaultBranch
	if len(sc.Commits) == 0 {
		branch = nil
	}
	web := s.URL + "/" + sc.Path
	p := map[string]any{
		"id": s.projectID, "description": sc.Description, "name": name, "name_with_namespace": ns["name"].(string) + " / " + name,
		"path": name, "path_with_namespace": sc.Path, "created_at": ts(sc.Created), "default_branch": branch,
		"tag_list": []string{}, "topics": []string{"health", "metrics"},
		"ssh_url_to_repo":  strings.Replace(s.URL, "http://", "git@", 1) + ":" + sc.Path + ".git",
		"http_url_to_repo": web + ".git", "web_url": web, "readme_url": web + "/-/blob/" + sc.DefaultBranch + "/README.md",
		"forks_count": sc.Forks, "star_count": sc.Stars, "last_activity_at": ts(sc.Pushed), "namespace": ns,
		"empty_repo": len(sc.Commits) == 0, "archived": sc.Archived, "visibility": "public",
		"issues_enabled": !s.issuesDisabled, "merge_requests_enabled": true, "wiki_enabled": true, "jobs_enabled": true,
		"issues_access_level": access, "merge_requests_access_level": "enabled", "repository_access_level": "enabled",
		"open_issues_count": open, "_links": map[string]any{"self": s.URL + "/api/v4/projects/" + strconv.FormatInt(s.projectID, 10)},
	}
	if s.issuesDisabled {
		delete(p, "open_issues_count")
	}
	if withLicense {
		p["license_url"] = nil
		p["license"] = nil
		if l, ok := licenses[sc.License]; ok {
			p["license_url"] = web + "/-/blob/" + sc.DefaultBranch + "/LICENSE"
			var nick any
			if l[2] != "" {
				nick = l[2]
			}
			p["license"] = map[string]any{"key": l[0], "name": l[1], "nickname": nick,
				"html_url": "https://opensource.org/licenses/" + sc.License, "source_url": nil}
		}
	}
	return p
}

func (s *Server) commits(q url.Values) []any {
	var out []any
	since, _ := time.Parse(time.RFC3339, q.Get("since"))
	for _, c := range s.sc.Commits {
		if !since.IsZero() && c.Committed.Before(since) {
			continue
		}
		parents := []string{}
		for i := 0; i < c.Parents; i++ {
			parents = append(parents, fmt.Sprintf("%040x", idOf(c.SHA+strconv.Itoa(i))))
		}
		title, _, _ := strings.Cut(c.Message, "\n")
		out = append(out, map[string]any{
			"id": c.SHA, "short_id": c.SHA[:min(8, len(c.SHA))], "created_at": ts(c.Committed), "parent_ids": parents,
			"title": title, "message": c.Message, "author_name": c.Name, "author_email": c.Email,
			"authored_date": ts(c.Authored), "committer_name": c.Name, "committer_email": c.Email,
			"committed_date": ts(c.Committed), "trailers": map[string]any{}, "extended_trailers": map[string]any{},
			"web_url": s.URL + "/" + s.sc.Path + "/-/commit/" + c.SHA,
		})
	}
	return out
}

func (s *Server) tags() []any {
	var out []any
	for _, t := range s.sc.Tags {
		var commit map[string]any
		for _, c := range s.sc.Commits {
			if c.SHA == t.SHA {
				commit = map[string]any{"id": c.SHA, "short_id": c.SHA[:min(8, len(c.SHA))], "title": c.Message,
					"created_at": ts(c.Committed), "parent_ids": []string{}, "message": c.Message,
					"author_name": c.Name, "author_email": c.Email, "authored_date": ts(c.Authored),
					"committer_name": c.Name, "committer_email": c.Email, "committed_date": ts(c.Committed)}
			}
		}
		if commit == nil {
			commit = map[string]any{"id": t.SHA, "short_id": t.SHA[:min(8, len(t.SHA))]}
		}
		out = append(out, map[string]any{"name": t.Name, "message": "", "target": t.SHA, "commit": commit,
			"release": nil, "protected": false, "created_at": nil})
	}
	return out
}

// tree lists one directory of the default branch: README.md, LICENSE and
// the security policy (with the directories leading to it).
func (s *Server) tree(dir string) ([]any, bool) {
	if len(s.sc.Commits) == 0 {
		return nil, false
	}
	files := []string{"README.md"}
	if s.sc.License != "" {
		files = append(files, "LICENSE")
	}
	if s.sc.SecurityFile != "" {
		files = append(files, s.sc.SecurityFile)
	}
	dir = strings.Trim(dir, "/")
	seen := map[string]bool{}
	var out []any
	found := dir == ""
	for _, f := range files {
		rel := f
		if dir != "" {
			var ok bool
			if rel, ok = strings.CutPrefix(f, dir+"/"); !ok {
				continue
			}
			found = true
		}
		name, _, isDir := strings.Cut(rel, "/")
		if seen[name] {
			continue
		}
		seen[name] = true
		typ, mode := "blob", "100644"
		if isDir {
			typ, mode = "tree", "040000"
		}
		p := name
		if dir != "" {
			p = dir + "/" + name
		}
		out = append(out, map[string]any{"id": fmt.Sprintf("%040x", idOf(p)), "name": name, "type": typ, "path": p, "mode": mode})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i].(map[string]any), out[j].(map[string]any)
		if a["type"] != b["type"] {
			return a["type"] == "tree"
		}
		return a["name"].(string) < b["name"].(string)
	})
	return out, found
}

func (s *Server) releases() []any {
	rels := append([]forgetest.Release(nil), s.sc.Releases...)
	sort.SliceStable(rels, func(i, j int) bool { return rels[i].Published.After(rels[j].Published) })
	var out []any
	now := s.now()
	for _, rl := range rels {
		if rl.Draft { // GitLab has no drafts; an upcoming release is the nearest
			continue
		}
		out = append(out, map[string]any{"tag_name": rl.Tag, "name": rl.Name, "description": "",
			"created_at": ts(rl.Published), "released_at": ts(rl.Published), "upcoming_release": rl.Published.After(now),
			"author": s.user("maintainer"), "commit": map[string]any{}, "milestones": []any{},
			"commit_path": "/" + s.sc.Path + "/-/commit/", "tag_path": "/" + s.sc.Path + "/-/tags/" + rl.Tag,
			"assets": map[string]any{"count": 0, "sources": []any{}, "links": []any{}},
			"_links": map[string]any{"self": s.URL + "/" + s.sc.Path + "/-/releases/" + rl.Tag}})
	}
	return out
}

// order sorts items (with their created/updated times) as order_by and
// sort ask; GitLab's default is created_at desc.
func order[T any](xs []T, q url.Values, created, updated func(T) time.Time) {
	key := created
	if q.Get("order_by") == "updated_at" {
		key = updated
	}
	asc := q.Get("sort") == "asc"
	sort.SliceStable(xs, func(i, j int) bool {
		a, b := key(xs[i]), key(xs[j])
		if asc {
			return a.Before(b)
		}
		return a.After(b)
	})
}

func stateOK(q url.Values, state string) bool {
	st := q.Get("state")
	return st == "" || st == "all" || st == state
}

func (s *Server) issues(q url.Values) []any {
	is := append([]forgetest.Issue(nil), s.sc.Issues...)
	order(is, q, func(i forgetest.Issue) time.Time { return i.Created }, func(i forgetest.Issue) time.Time { return i.Updated })
	var out []any
	for _, i := range is {
		state := "opened"
		if i.Closed != nil {
			state = "closed"
		}
		if !stateOK(q, state) {
			continue
		}
		labels := i.Labels
		if labels == nil {
			labels = []string{}
		}
		out = append(out, map[string]any{
			"id": idOf(fmt.Sprintf("issue-%d", i.N)), "iid": i.N, "project_id": s.projectID, "title": i.Title,
			"description": "", "state": state, "created_at": ts(i.Created), "updated_at": ts(i.Updated),
			"closed_at": tsp(i.Closed), "closed_by": nil, "labels": labels, "milestone": nil,
			"author": s.user(i.Author), "assignees": []any{}, "assignee": nil, "type": "ISSUE", "issue_type": "issue",
			"user_notes_count": countUser(i.Comments), "upvotes": 0, "downvotes": 0, "confidential": false,
			"web_url": s.URL + "/" + s.sc.Path + "/-/issues/" + strconv.Itoa(i.N),
		})
	}
	return out
}

func countUser(cs []forgetest.Comment) int {
	n := 0
	for _, c := range cs {
		if !c.System {
			n++
		}
	}
	return n
}

func (s *Server) mergeRequests(q url.Values) []any {
	cs := append([]forgetest.Change(nil), s.sc.Changes...)
	order(cs, q, func(c forgetest.Change) time.Time { return c.Created }, func(c forgetest.Change) time.Time { return c.Updated })
	var out []any
	for _, c := range cs {
		state := "opened"
		var closed *time.Time
		switch {
		case c.Merged != nil:
			state = "merged"
		case c.Closed != nil:
			state, closed = "closed", c.Closed
		}
		if !stateOK(q, state) {
			continue
		}
		var mergedBy any
		if c.Merged != nil {
			mergedBy = s.user("maintainer")
		}
		out = append(out, map[string]any{
			"id": idOf(fmt.Sprintf("mr-%d", c.N)), "iid": c.N, "project_id": s.projectID, "title": c.Title,
			"description": "", "state": state, "created_at": ts(c.Created), "updated_at": ts(c.Updated),
			"merged_at": tsp(c.Merged), "merged_by": mergedBy, "merge_user": mergedBy, "closed_at": tsp(closed), "closed_by": nil,
			"target_branch": s.sc.DefaultBranch, "source_branch": fmt.Sprintf("feature-%d", c.N),
			"author": s.user(c.Author), "assignees": []any{}, "reviewers": []any{}, "labels": []string{},
			"draft": false, "work_in_progress": false, "merge_status": "can_be_merged", "detailed_merge_status": "mergeable",
			"sha": fmt.Sprintf("%040x", idOf(fmt.Sprintf("mr-sha-%d", c.N))), "user_notes_count": countUser(c.Comments),
			"references": map[string]any{"short": fmt.Sprintf("!%d", c.N)},
			"web_url":    s.URL + "/" + s.sc.Path + "/-/merge_requests/" + strconv.Itoa(c.N),
		})
	}
	return out
}

func (s *Server) notes(mr bool, iid int, q url.Values) ([]any, bool) {
	var cs []forgetest.Comment
	found := false
	typ := "Issue"
	if mr {
		typ = "MergeRequest"
		for _, c := range s.sc.Changes {
			if c.N == iid {
				cs, found = append(cs, c.Comments...), true
			}
		}
	} else {
		for _, i := range s.sc.Issues {
			if i.N == iid {
				cs, found = append(cs, i.Comments...), true
			}
		}
	}
	if !found {
		return nil, false
	}
	order(cs, q, func(c forgetest.Comment) time.Time { return c.At }, func(c forgetest.Comment) time.Time { return c.At })
	out := []any{}
	for _, c := range cs {
		out = append(out, map[string]any{
			"id": c.ID, "type": nil, "body": c.Body, "attachment": nil, "author": s.user(c.Author),
			"created_at": ts(c.At), "updated_at": ts(c.At), "system": c.System, "noteable_id": idOf(fmt.Sprintf("%s-%d", typ, iid)),
			"noteable_type": typ, "project_id": s.projectID, "noteable_iid": iid, "resolvable": false,
			"confidential": false, "internal": false, "commands_changes": map[string]any{},
		})
	}
	return out, true
}

// users answers GET /users?username=…: the profile, with organization.
func (s *Server) users(r *http.Request) answer {
	login := r.URL.Query().Get("username")
	out := []any{}
	for _, u := range s.sc.Users {
		if login != "" && strings.EqualFold(u.Login, login) {
			m := s.user(u.Login)
			m["organization"] = u.Company
			m["bot"] = false
			m["public_email"] = ""
			out = append(out, m)
		}
	}
	return answer{status: http.StatusOK, body: out}
}
