package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

// fakeJobs starts nothing: Trigger answers at once.
type fakeJobs struct{}

func (fakeJobs) Status() []scheduler.Status { return nil }
func (fakeJobs) Trigger(string) (<-chan struct{}, error) {
	c := make(chan struct{})
	close(c)
	return c, nil
}
func (fakeJobs) Period(string) time.Duration { return time.Hour }
func (fakeJobs) Has(string) bool             { return true }

type authRig struct {
	st     *store.Store
	srv    *Server
	path   string // the tokens file
	keys   map[auth.Role]string
	logs   *syncBuffer
	clock  *time.Time
	keyIDs map[auth.Role]string
}

// newAuthRig serves a store with a key per role (users alice viewer, bob
// assessor, carol approver, dave admin) unless noKeys, plus opt's
// Token and Proxy.
func newAuthRig(t *testing.T, noKeys bool, opt Options) *authRig {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rig := &authRig{st: st, path: filepath.Join(dir, "tokens.yaml"), keys: map[auth.Role]string{}, keyIDs: map[auth.Role]string{}, logs: &syncBuffer{}}
	clock := now
	rig.clock = &clock
	if !noKeys {
		for role, user := range map[auth.Role]string{auth.Viewer: "alice", auth.Assessor: "bob", auth.Approver: "carol", auth.Admin: "dave"} {
			k, rec, err := auth.CreateKey(rig.path, user, role, now.Add(30*24*time.Hour), now)
			if err != nil {
				t.Fatal(err)
			}
			rig.keys[role], rig.keyIDs[role] = k, rec.ID
		}
	}
	keys, err := auth.OpenKeys(rig.path, func() time.Time { return *rig.clock })
	if err != nil {
		t.Fatal(err)
	}
	opt.Store, opt.Keys, opt.Jobs = st, keys, fakeJobs{}
	if noKeys {
		opt.Keys = nil // no tokens file configured
	}
	opt.Logger = slog.New(slog.NewTextHandler(rig.logs, nil))
	opt.Now = func() time.Time { return now }
	if rig.srv, err = New(opt); err != nil {
		t.Fatal(err)
	}
	return rig
}

// do sends method path from remote with the Authorization header authz
// (none when empty) and extra headers (name, value, …).
func (rig *authRig) do(method, path, remote, authz string, hdr ...string) *httptest.ResponseRecorder {
	var body *strings.Reader
	if method == "POST" {
		body = strings.NewReader(`{"kind":"collect"}`)
	} else {
		body = strings.NewReader("")
	}
	r := httptest.NewRequest(method, path, body)
	r.RemoteAddr = remote
	if method == "POST" {
		r.Header.Set("Content-Type", "application/json")
	}
	if authz != "" {
		r.Header.Set("Authorization", authz)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	rig.srv.Handler().ServeHTTP(w, r)
	return w
}

type authzProblem struct {
	Status       int    `json:"status"`
	Detail       string `json:"detail"`
	RequiredRole string `json:"required_role"`
}

func problemOf(t *testing.T, w *httptest.ResponseRecorder) authzProblem {
	t.Helper()
	var p authzProblem
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type %q, want application/problem+json (%d %s)", ct, w.Code, w.Body)
	}
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("%v: %s", err, w.Body)
	}
	return p
}

// The roles each state-changing route needs, by the list: reads
// and check are viewer's; runs, vulnerability analyses, proposals and
// imports assessor's; confirmations, rejections and waivers approver's.
// A state-changing route missing here fails the test, so that each new
// one is given its role on purpose.
var wantRole = map[string]auth.Role{
	"POST /api/v1/check": auth.Viewer,
	"POST /api/v1/runs":  auth.Assessor,
	"POST /api/v1/vulnerabilities/{finding}/analysis": auth.Assessor,
	"POST /api/v1/decisions":                          auth.Assessor,
	"POST /api/v1/decisions/{id}/confirm":             auth.Approver,
	"POST /api/v1/decisions/{id}/reject":              auth.Approver,
	"POST /api/v1/vex":                                auth.Assessor,
	"POST /api/v1/sboms":                              auth.Assessor,
	"POST /api/v1/waivers":                            auth.Approver,
}

// concrete turns a pattern into a path it matches.
func concrete(pattern string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	for _, w := range []string{"{finding}", "{id}", "{rest...}"} {
		path = strings.ReplaceAll(path, w, "x-1")
	}
	return method, path
}

func TestEachRoleAgainstEachStateChangingRoute(t *testing.T) {
	rig := newAuthRig(t, false, Options{})
	rank := map[auth.Role]int{auth.Viewer: 0, auth.Assessor: 1, auth.Approver: 2, auth.Admin: 3}
	n := 0
	for _, rt := range rig.srv.apiRoutes() {
		method, path := concrete(rt.pattern)
		if method == "GET" {
			// Every read: viewer is enough.
			if w := rig.do(method, path, "192.0.2.1:1234", "Bearer "+rig.keys[auth.Viewer]); w.Code == 401 || w.Code == 403 {
				t.Errorf("viewer %s: %d %s", rt.pattern, w.Code, w.Body)
			}
			continue
		}
		need, ok := wantRole[rt.pattern]
		if !ok {
			t.Errorf("state-changing route %s has no expected role in this test", rt.pattern)
			continue
		}
		n++
		// No credentials: 401 problem+json with a Bearer challenge.
		w := rig.do(method, path, "192.0.2.1:1234", "")
		if w.Code != http.StatusUnauthorized || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Bearer") || problemOf(t, w).Status != 401 {
			t.Errorf("%s without credentials: %d %q", rt.pattern, w.Code, w.Header().Get("WWW-Authenticate"))
		}
		for _, role := range auth.Roles {
			w := rig.do(method, path, "192.0.2.1:1234", "Bearer "+rig.keys[role])
			allowed := rank[role] >= rank[need]
			if allowed {
				if w.Code == 401 || (w.Code == 403 && strings.Contains(w.Body.String(), "required_role")) {
					t.Errorf("%s as %s (needs %s): refused %d %s", rt.pattern, role, need, w.Code, w.Body)
				}
				continue
			}
			if w.Code != http.StatusForbidden {
				t.Errorf("%s as %s (needs %s): %d, want 403", rt.pattern, role, need, w.Code)
				continue
			}
			p := problemOf(t, w)
			if p.RequiredRole != string(need) || !strings.Contains(p.Detail, "needs the "+string(need)+" role") || !strings.Contains(p.Detail, string(role)) {
				t.Errorf("%s as %s: problem %+v", rt.pattern, role, p)
			}
		}
	}
	// check, runs, analysis, decisions, confirm, reject at least.
	if n < 6 {
		t.Errorf("only %d state-changing routes checked", n)
	}
	// The imports and waivers routes, whether registered yet or not, need
	// their roles: assessor may import, not grant a waiver.
	if w := rig.do("POST", "/api/v1/vex", "192.0.2.1:1", "Bearer "+rig.keys[auth.Viewer]); w.Code != 403 || problemOf(t, w).RequiredRole != "assessor" {
		t.Errorf("vex import as viewer: %d %s", w.Code, w.Body)
	}
	if w := rig.do("POST", "/api/v1/waivers", "192.0.2.1:1", "Bearer "+rig.keys[auth.Assessor]); w.Code != 403 || problemOf(t, w).RequiredRole != "approver" {
		t.Errorf("waiver as assessor: %d %s", w.Code, w.Body)
	}
	// /healthz stays open.
	if w := rig.do("GET", "/healthz", "192.0.2.1:1", ""); w.Code != 200 {
		t.Errorf("healthz: %d", w.Code)
	}
}

func TestSharedTokenIsAdminWithWarning(t *testing.T) {
	rig := newAuthRig(t, false, Options{Token: "legacy-shared"})
	w := rig.do("POST", "/api/v1/decisions/x-1/confirm", "192.0.2.1:1", "Bearer legacy-shared")
	if w.Code == 401 || w.Code == 403 && strings.Contains(w.Body.String(), "required_role") {
		t.Fatalf("shared token on an approver's route: %d %s", w.Code, w.Body)
	}
	rig.do("GET", "/api/v1/runs", "192.0.2.1:1", "Bearer legacy-shared")
	// Warned once, not per request.
	if c := strings.Count(rig.logs.String(), "the shared token (OSGAUGE_TOKEN) was used"); c != 1 {
		t.Errorf("warnings: %d, want 1\n%s", c, rig.logs)
	}
	// As HTTP Basic's password too (a browser).
	if w := rig.do("GET", "/api/v1/runs", "192.0.2.1:1", "Basic "+base64.StdEncoding.EncodeToString([]byte("x:legacy-shared"))); w.Code != 200 {
		t.Errorf("basic: %d", w.Code)
	}
	if strings.Contains(rig.logs.String(), "legacy-shared") {
		t.Error("the token is in the log")
	}
}

func TestRevokedAndExpiredKeys401(t *testing.T) {
	rig := newAuthRig(t, false, Options{})
	if w := rig.do("POST", "/api/v1/runs", "192.0.2.1:1", "Bearer "+rig.keys[auth.Assessor]); w.Code != http.StatusAccepted {
		t.Fatalf("bob's key: %d %s", w.Code, w.Body)
	}
	// Revoked on disk while the server runs: the next request is 401.
	if _, err := auth.RevokeKeys(rig.path, "bob", now); err != nil {
		t.Fatal(err)
	}
	if w := rig.do("POST", "/api/v1/runs", "192.0.2.1:1", "Bearer "+rig.keys[auth.Assessor]); w.Code != 401 || !strings.Contains(w.Body.String(), "revoked") {
		t.Errorf("revoked key: %d %s", w.Code, w.Body)
	}
	// The keys expire 30 days after now; on day 30 they are 401.
	*rig.clock = now.Add(30 * 24 * time.Hour)
	if w := rig.do("GET", "/api/v1/runs", "192.0.2.1:1", "Bearer "+rig.keys[auth.Viewer]); w.Code != 401 || !strings.Contains(w.Body.String(), "expired") {
		t.Errorf("expired key: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(rig.logs.String(), "authentication failed") {
		t.Error("failures not logged")
	}
}

func TestTrustedProxyHeaderOnlyFromProxy(t *testing.T) {
	p, err := auth.NewProxy("X-Remote-User", []string{"10.0.0.0/24"}, "X-Remote-Groups", map[string]string{"sec-team": "assessor"}, "viewer")
	if err != nil {
		t.Fatal(err)
	}
	rig := newAuthRig(t, true, Options{Proxy: p})
	// From the gateway (10.0.0.9 in 10.0.0.0/24), erin of sec-team is an assessor.
	w := rig.do("POST", "/api/v1/runs", "10.0.0.9:40000", "", "X-Remote-User", "erin", "X-Remote-Groups", "sec-team", "X-Forwarded-For", "198.51.100.23")
	if w.Code != http.StatusAccepted {
		t.Fatalf("from the proxy: %d %s", w.Code, w.Body)
	}
	// The same headers from 10.0.1.9, outside the CIDR: ignored, 401.
	w = rig.do("POST", "/api/v1/runs", "10.0.1.9:40000", "", "X-Remote-User", "erin", "X-Remote-Groups", "sec-team")
	if w.Code != http.StatusUnauthorized {
		t.Errorf("from elsewhere: %d %s", w.Code, w.Body)
	}
	if !strings.Contains(rig.logs.String(), "trusted proxy header ignored") {
		t.Error("the ignored header is not logged")
	}
	// A proxied viewer (no mapped group) may read, not start runs.
	if w := rig.do("GET", "/api/v1/runs", "10.0.0.9:1", "", "X-Remote-User", "frank"); w.Code != 200 {
		t.Errorf("proxied viewer read: %d", w.Code)
	}
	if w := rig.do("POST", "/api/v1/runs", "10.0.0.9:1", "", "X-Remote-User", "frank"); w.Code != 403 {
		t.Errorf("proxied viewer run: %d", w.Code)
	}
	// The audit names erin, via the proxy, from the client address the
	// proxy forwarded.
	entries, _ := rig.st.Audit(context.Background(), store.AuditQuery{})
	if len(entries) != 1 || entries[0].User != "erin" || entries[0].Via != "proxy" || entries[0].Source != "198.51.100.23" {
		t.Errorf("audit %+v", entries)
	}
}

func TestLoopbackWithoutUsersThenWithUsers(t *testing.T) {
	rig := newAuthRig(t, true, Options{})
	// No users, no token: today's behaviour, the local analyst.
	if w := rig.do("POST", "/api/v1/runs", "127.0.0.1:5000", ""); w.Code != http.StatusAccepted {
		t.Fatalf("loopback without users: %d %s", w.Code, w.Body)
	}
	entries, _ := rig.st.Audit(context.Background(), store.AuditQuery{})
	if len(entries) != 1 || entries[0].User != "local" || entries[0].Via != "loopback" || entries[0].Source != "127.0.0.1" {
		t.Errorf("audit %+v", entries)
	}
	// A tokens file is configured (server.auth.tokens_file) and holds a
	// key: every request needs credentials, loopback included.
	k, _, err := auth.CreateKey(rig.path, "gina", auth.Viewer, time.Time{}, now)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.OpenKeys(rig.path, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := rig.srv.opt
	opt.Keys = keys
	if rig.srv, err = New(opt); err != nil {
		t.Fatal(err)
	}
	if w := rig.do("GET", "/api/v1/runs", "127.0.0.1:5000", ""); w.Code != http.StatusUnauthorized {
		t.Errorf("loopback with users, no credentials: %d", w.Code)
	}
	if w := rig.do("GET", "/api/v1/runs", "127.0.0.1:5000", "Bearer "+k); w.Code != 200 {
		t.Errorf("loopback with gina's key: %d", w.Code)
	}
	// A browser is asked for Basic auth on the dashboard.
	if w := rig.do("GET", "/", "127.0.0.1:5000", ""); w.Code != 401 || !strings.HasPrefix(w.Header().Get("WWW-Authenticate"), "Basic") {
		t.Errorf("dashboard: %d %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}

func TestFailedAuthenticationsRateLimited(t *testing.T) {
	rig := newAuthRig(t, false, Options{})
	// AuthMaxFailures (20) wrong keys from 203.0.113.5 are 401 each ...
	for i := range AuthMaxFailures {
		if w := rig.do("GET", "/api/v1/runs", "203.0.113.5:1", "Bearer osg_guess"); w.Code != 401 {
			t.Fatalf("failure %d: %d", i+1, w.Code)
		}
	}
	// ... then that address's failing credentials are refused (429) ...
	w := rig.do("GET", "/api/v1/runs", "203.0.113.5:2", "Bearer osg_guess2")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("after %d failures: %d %q", AuthMaxFailures, w.Code, w.Header().Get("Retry-After"))
	}
	// ... but a valid key from the same address passes (issue 29 review:
	// the block came before the key, so guessing from a shared NAT or
	// proxy locked out everyone behind it; this was 429).
	if w := rig.do("GET", "/api/v1/runs", "203.0.113.5:3", "Bearer "+rig.keys[auth.Viewer]); w.Code != 200 {
		t.Errorf("valid key from the blocked address: %d, want 200", w.Code)
	}
	// Another address is not.
	if w := rig.do("GET", "/api/v1/runs", "203.0.113.6:1", "Bearer "+rig.keys[auth.Viewer]); w.Code != 200 {
		t.Errorf("another address: %d", w.Code)
	}
	if c := strings.Count(rig.logs.String(), "authentication failed"); c != AuthMaxFailures {
		t.Errorf("%d failures logged, want %d", c, AuthMaxFailures)
	}
}

func TestAuditOfRequests(t *testing.T) {
	rig := newAuthRig(t, false, Options{})
	rig.do("POST", "/api/v1/runs", "192.0.2.44:1", "Bearer "+rig.keys[auth.Assessor])
	// Refused (403) and read-only requests leave no entry.
	rig.do("POST", "/api/v1/runs", "192.0.2.44:1", "Bearer "+rig.keys[auth.Viewer])
	rig.do("GET", "/api/v1/runs", "192.0.2.44:1", "Bearer "+rig.keys[auth.Viewer])
	entries, err := rig.st.Audit(context.Background(), store.AuditQuery{})
	if err != nil || len(entries) != 1 {
		t.Fatalf("entries %+v %v", entries, err)
	}
	e := entries[0]
	want := store.AuditEntry{ID: e.ID, At: now, User: "bob", Role: "assessor", Via: "key", Source: "192.0.2.44",
		Action: "POST /api/v1/runs", Target: "/api/v1/runs", Status: 202, Detail: `{"request":{"kind":"collect"}}`}
	if !e.At.Equal(now) {
		t.Errorf("at %v", e.At)
	}
	e.At = now
	if e != want {
		t.Errorf("entry\n %+v\nwant\n %+v", e, want)
	}
}

func TestCheckListenUsers(t *testing.T) {
	for _, tc := range []struct {
		addr          string
		users         bool
		token         string
		wantErr, warn bool
	}{
		{"127.0.0.1:8080", false, "", false, false},
		{"127.0.0.1:8080", false, "t", false, true},
		{"0.0.0.0:8080", false, "", true, false},
		{":8080", false, "", true, false},
		{"0.0.0.0:8080", true, "", false, false},
		{"0.0.0.0:8080", false, "t", false, true}, // the shared token alone: accepted with a warning
		{"0.0.0.0:8080", true, "t", false, true},
	} {
		warn, err := CheckListenUsers(tc.addr, tc.users, tc.token, "OSGAUGE_TOKEN")
		if (err != nil) != tc.wantErr || (warn != "") != tc.warn {
			t.Errorf("%+v: warning %q, err %v", tc, warn, err)
		}
	}
}

func TestTokensFileHoldsNoKey(t *testing.T) {
	rig := newAuthRig(t, false, Options{})
	data, err := os.ReadFile(rig.path)
	if err != nil {
		t.Fatal(err)
	}
	for role, k := range rig.keys {
		if strings.Contains(string(data), strings.TrimPrefix(k, "osg_")) {
			t.Errorf("the %s key is in the tokens file", role)
		}
	}
	if got := strings.Count(string(data), "hash: sha256:"); got != 4 {
		t.Errorf("%d hashes, want 4", got)
	}
}

// Review of issue 29: the tokens file removed (or made unreadable) after
// start must not open the server to everyone as the loopback admin;
// users are configured from the configuration, once. Without the fix the
// request with no credentials from loopback was 202 as "local" (admin).
func TestTokensFileRemovedAfterStartIs401(t *testing.T) {
	rig := newAuthRig(t, false, Options{})
	if err := os.Rename(rig.path, rig.path+".bak"); err != nil {
		t.Fatal(err)
	}
	if w := rig.do("POST", "/api/v1/runs", "127.0.0.1:5000", ""); w.Code != http.StatusUnauthorized {
		t.Errorf("no credentials after the tokens file went: %d %s, want 401", w.Code, w.Body)
	}
	// The admin key no longer works either (no keys), and the log says why.
	if w := rig.do("POST", "/api/v1/runs", "127.0.0.1:5000", "Bearer "+rig.keys[auth.Admin]); w.Code != http.StatusUnauthorized {
		t.Errorf("admin key with no tokens file: %d, want 401", w.Code)
	}
	if !strings.Contains(rig.logs.String(), "the tokens file cannot be read") {
		t.Errorf("not logged: %s", rig.logs)
	}
	// The file back: the key works again (read again on change).
	if err := os.Rename(rig.path+".bak", rig.path); err != nil {
		t.Fatal(err)
	}
	if w := rig.do("GET", "/api/v1/runs", "127.0.0.1:5000", "Bearer "+rig.keys[auth.Viewer]); w.Code != 200 {
		t.Errorf("file restored: %d", w.Code)
	}
	entries, _ := rig.st.Audit(context.Background(), store.AuditQuery{})
	if len(entries) != 0 {
		t.Errorf("audit %+v: nothing should have been done", entries)
	}
}
