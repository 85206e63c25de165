package server

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/html"
	"github.com/osgauge/osgauge/store"
)

// testIdP is an OpenID provider served in the test: discovery, a JWKS
// with one generated RSA key, /authorize (signs the configured user in at
// once and redirects back with a code), /token (client secret, one-use
// code, redirect_uri and the PKCE verifier checked against the S256
// challenge), /logout (end_session_endpoint). The ID token it issues
// carries what the fields below say.
type testIdP struct {
	t        *testing.T
	srv      *httptest.Server
	key      *rsa.PrivateKey
	clientID string
	secret   string

	mu       sync.Mutex
	grants   map[string]grant
	user     string
	groups   any           // the groups claim: a string, a list, or nil for none
	nonce    string        // non-empty: put this nonce in the token, not the one asked for
	lifetime time.Duration // the token's exp - now (default 5 minutes; negative: expired)
	issuer   string        // non-empty: the token's iss
	// what it saw
	verifiers   []string
	tokenErrors []string
	logoutHint  string
	logoutBack  string
}

type grant struct {
	challenge, nonce, redirect string
}

func newTestIdP(t *testing.T) *testIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testIdP{t: t, key: key, clientID: "osgauge", secret: "s3cret-never-logged", grants: map[string]grant{},
		user: "alice", groups: []any{"osgauge-approvers"}, lifetime: 5 * time.Minute}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		u := p.srv.URL
		json.NewEncoder(w).Encode(map[string]any{
			"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token",
			"jwks_uri": u + "/jwks", "end_session_endpoint": u + "/logout",
			"response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		b64 := base64.RawURLEncoding.EncodeToString
		json.NewEncoder(w).Encode(map[string]any{"keys": []any{map[string]any{
			"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
			"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
		}}})
	})
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.logoutHint, p.logoutBack = r.URL.Query().Get("id_token_hint"), r.URL.Query().Get("post_logout_redirect_uri")
		p.mu.Unlock()
		http.Redirect(w, r, r.URL.Query().Get("post_logout_redirect_uri"), http.StatusFound)
	})
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func (p *testIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("response_type") != "code", q.Get("client_id") != p.clientID:
		http.Error(w, "bad response_type or client_id", 400)
		return
	case q.Get("code_challenge_method") != "S256", len(q.Get("code_challenge")) != 43: // base64url of 32 bytes
		http.Error(w, "PKCE S256 required", 400)
		return
	case !strings.Contains(" "+q.Get("scope")+" ", " openid "), q.Get("state") == "", q.Get("nonce") == "":
		http.Error(w, "openid scope, state and nonce required", 400)
		return
	}
	code := randomToken(16)
	p.mu.Lock()
	p.grants[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri")}
	p.mu.Unlock()
	back, _ := neturl.Parse(q.Get("redirect_uri"))
	bq := back.Query()
	bq.Set("code", code)
	bq.Set("state", q.Get("state"))
	back.RawQuery = bq.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// s256 is the PKCE challenge of a verifier: base64url(SHA-256(verifier)).
func s256(verifier string) string {
	h := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func (p *testIdP) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	refuse := func(why string) {
		p.mu.Lock()
		p.tokenErrors = append(p.tokenErrors, why)
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": why})
	}
	id, sec, ok := r.BasicAuth()
	if !ok {
		id, sec = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != p.clientID || sec != p.secret {
		refuse("client authentication failed")
		return
	}
	p.mu.Lock()
	g, ok := p.grants[r.PostForm.Get("code")]
	delete(p.grants, r.PostForm.Get("code"))
	p.verifiers = append(p.verifiers, r.PostForm.Get("code_verifier"))
	p.mu.Unlock()
	switch {
	case r.PostForm.Get("grant_type") != "authorization_code":
		refuse("grant_type")
		return
	case !ok:
		refuse("unknown or used code")
		return
	case r.PostForm.Get("redirect_uri") != g.redirect:
		refuse("redirect_uri differs from the authorization request's")
		return
	case s256(r.PostForm.Get("code_verifier")) != g.challenge:
		refuse("PKCE verifier does not match the challenge")
		return
	}
	p.mu.Lock()
	nonce, iss := g.nonce, p.srv.URL
	if p.nonce != "" {
		nonce = p.nonce
	}
	if p.issuer != "" {
		iss = p.issuer
	}
	now := time.Now()
	claims := map[string]any{"iss": iss, "aud": p.clientID, "sub": "u-" + p.user, "iat": now.Unix(),
		"exp": now.Add(p.lifetime).Unix(), "nonce": nonce, "preferred_username": p.user}
	if p.groups != nil {
		claims["groups"] = p.groups
	}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + randomToken(8), "token_type": "Bearer",
		"expires_in": 300, "id_token": p.sign(claims)})
}

// sign makes an RS256 JWT by hand: base64url(header).base64url(claims),
// signed with PKCS#1 v1.5 over its SHA-256.
func (p *testIdP) sign(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "k1", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c)
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.key, crypto.SHA256, sum[:])
	if err != nil {
		p.t.Fatal(err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// logBuf is a concurrency-safe log sink.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// ssoRig is osgauge's server over TLS with single sign-on against a
// testIdP, a dashboard in its report directory, and a browser: a client
// with a cookie jar that does not follow redirects, so each step is seen.
type ssoRig struct {
	idp     *testIdP
	oidc    *OIDC
	srv     *httptest.Server
	browser *http.Client
	log     *logBuf
	now     time.Time
}

func newSSORig(t *testing.T, tweak func(*OIDCOptions)) *ssoRig {
	t.Helper()
	rig := &ssoRig{idp: newTestIdP(t), log: &logBuf{}, now: time.Now()}
	logger := slog.New(slog.NewTextHandler(rig.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opt := OIDCOptions{Issuer: rig.idp.srv.URL, ClientID: "osgauge", ClientSecret: rig.idp.secret, RolesClaim: "groups",
		RoleMap: map[string]auth.Role{"osgauge-viewers": auth.Viewer, "osgauge-approvers": auth.Approver},
		Logger:  logger}
	if tweak != nil {
		tweak(&opt)
	}
	o, err := NewOIDC(opt)
	if err != nil {
		t.Fatal(err)
	}
	rig.oidc = o
	dir := t.TempDir()
	var page bytes.Buffer
	if err := html.Write(&page, &reports.Report{Lang: "en", Period: "2026Q4"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "osgauge-2026Q4.html"), page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := New(Options{Store: st, ReportDir: dir, OIDC: o, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	rig.srv = httptest.NewTLSServer(s.Handler())
	t.Cleanup(rig.srv.Close)
	jar, _ := cookiejar.New(nil)
	rig.browser = rig.srv.Client()
	rig.browser.Jar = jar
	rig.browser.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return rig
}

func (rig *ssoRig) get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := rig.browser.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// toIdP starts a sign-in at osgauge and returns the authorization URL it
// redirects to.
func (rig *ssoRig) toIdP(t *testing.T) *neturl.URL {
	t.Helper()
	resp, body := rig.get(t, rig.srv.URL+"/auth/login?next=/reports/")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("/auth/login: %d %s", resp.StatusCode, body)
	}
	u, err := neturl.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(u.String(), rig.idp.srv.URL+"/authorize?") {
		t.Fatalf("/auth/login redirects to %q, not the provider's authorization endpoint", resp.Header.Get("Location"))
	}
	return u
}

// backFromIdP follows the provider's authorization endpoint and returns
// the callback URL it sends the browser back to.
func (rig *ssoRig) backFromIdP(t *testing.T, authz *neturl.URL) *neturl.URL {
	t.Helper()
	resp, body := rig.get(t, authz.String())
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("provider /authorize: %d %s", resp.StatusCode, body)
	}
	u, _ := neturl.Parse(resp.Header.Get("Location"))
	return u
}

// page gets path as a browser opening a page does (Accept: text/html).
func (rig *ssoRig) page(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", rig.srv.URL+path, nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	resp, err := rig.browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func setCookie(resp *http.Response, name string) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// TestSSOSignInFlow: the whole sign-in through the server, against the
// provider served in the test.
func TestSSOSignInFlow(t *testing.T) {
	rig := newSSORig(t, nil)

	// Before: a browser opening the dashboard is sent to sign in (the
	// authentication middleware, authn.go), the API answers 401.
	if resp, _ := rig.page(t, "/"); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/auth/login?next=%2F" {
		t.Fatalf("dashboard before sign-in: %d to %q, want 303 to /auth/login?next=%%2F", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := rig.get(t, rig.srv.URL+"/api/v1/status"); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("API before sign-in: %d, want 401", resp.StatusCode)
	}

	// 1. /auth/login: to the provider with PKCE S256, state and nonce, our
	// client and the callback on this server.
	authz := rig.toIdP(t)
	q := authz.Query()
	for k, want := range map[string]string{"client_id": "osgauge", "response_type": "code", "code_challenge_method": "S256",
		"redirect_uri": rig.srv.URL + "/auth/callback"} {
		if q.Get(k) != want {
			t.Errorf("authorization request %s = %q, want %q", k, q.Get(k), want)
		}
	}
	// 32 random bytes in base64url without padding are 43 characters
	// (ceil(32*8/6) = 43); the S256 challenge (a SHA-256) is too.
	if len(q.Get("state")) != 43 || len(q.Get("nonce")) != 43 || len(q.Get("code_challenge")) != 43 {
		t.Errorf("state %q, nonce %q, code_challenge %q: want 43 characters each", q.Get("state"), q.Get("nonce"), q.Get("code_challenge"))
	}
	if q.Get("state") == q.Get("nonce") {
		t.Errorf("state and nonce are the same value")
	}

	// 2. The provider sends the browser back with a code and the state.
	cb := rig.backFromIdP(t, authz)
	if cb.Query().Get("state") != q.Get("state") || cb.Query().Get("code") == "" {
		t.Fatalf("callback %s: want the code and the state sent", cb)
	}

	// 3. /auth/callback: code exchanged with the verifier, token verified,
	// group mapped, session cookie set.
	resp, body := rig.get(t, cb.String())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/auth/callback: %d %s\nlog:\n%s", resp.StatusCode, body, rig.log)
	}
	rig.idp.mu.Lock()
	verifiers := rig.idp.verifiers
	rig.idp.mu.Unlock()
	// The provider accepted the exchange only if SHA-256 of this verifier
	// is the challenge it was sent in step 1; check it here as well.
	if len(verifiers) != 1 || s256(verifiers[0]) != q.Get("code_challenge") {
		t.Fatalf("verifiers sent to /token: %q; want one whose S256 is %q", verifiers, q.Get("code_challenge"))
	}
	sc := setCookie(resp, SessionCookie)
	if sc == nil || sc.Value == "" {
		t.Fatalf("no session cookie set; Set-Cookie: %q", resp.Header.Values("Set-Cookie"))
	}
	if !sc.Secure || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode || sc.Path != "/" {
		t.Errorf("session cookie Secure=%v HttpOnly=%v SameSite=%v Path=%q; want Secure, HttpOnly, Strict, /", sc.Secure, sc.HttpOnly, sc.SameSite, sc.Path)
	}
	// 8 hours default: 8*3600 = 28800 s.
	if sc.MaxAge != 28800 {
		t.Errorf("session cookie Max-Age %d, want 28800 (8h)", sc.MaxAge)
	}
	if lc := setCookie(resp, loginCookie); lc == nil || lc.MaxAge >= 0 {
		t.Errorf("the sign-in cookie is not cleared at the callback (one use)")
	}
	// The callback answers a page that moves on to next (/reports/), not a
	// 302: a Strict cookie is not sent along a redirect chain begun on the
	// provider's site.
	if !strings.Contains(body, `content="0;url=/reports/"`) {
		t.Errorf("callback page does not move on to /reports/: %s", body)
	}
	if !strings.Contains(rig.log.String(), "signed in") || !strings.Contains(rig.log.String(), "user=alice") {
		t.Errorf("sign-in not logged:\n%s", rig.log)
	}

	// The same callback again (a replayed code and state): the sign-in
	// cookie was used up, so it is refused.
	if resp, _ := rig.get(t, cb.String()); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("replayed callback: %d, want 400", resp.StatusCode)
	}

	// 4. The session identifies the browser: alice, approver (her group
	// osgauge-approvers maps to approver), via oidc.
	req, _ := http.NewRequest("GET", rig.srv.URL+"/", nil)
	req.AddCookie(sc)
	id, ok := rig.oidc.Identify(req)
	if want := (auth.Identity{Name: "alice", Role: auth.Approver, Via: "oidc"}); !ok || id != want {
		t.Fatalf("Identify: %+v %v, want %+v", id, ok, want)
	}

	// 5. The dashboard shows her, with a sign-out link; the API knows her.
	resp, page := rig.page(t, "/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", resp.StatusCode)
	}
	if !strings.Contains(page, `<div class="who noprint" id="signed-in">Signed in as <b class="who-name">alice (approver)</b><span class="who-out"> · <a href="/auth/logout">Sign out</a></span></div>`) {
		i := strings.Index(page, `id="signed-in"`)
		t.Errorf("dashboard's signed-in line: %q", page[max(i-40, 0):min(i+200, len(page))])
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("a signed-in dashboard's Cache-Control %q, want private, no-store", cc)
	}
	if resp, _ := rig.get(t, rig.srv.URL+"/api/v1/status"); resp.StatusCode != http.StatusOK {
		t.Errorf("API with the session: %d, want 200", resp.StatusCode)
	}

	// 6. Sign-out: the session ends here, the cookie is cleared, and the
	// provider's end_session_endpoint is asked with the ID token as hint,
	// which sends the browser back to the signed-out page.
	resp, _ = rig.get(t, rig.srv.URL+"/auth/logout")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), rig.idp.srv.URL+"/logout?") {
		t.Fatalf("/auth/logout: %d to %q, want 302 to the provider's end_session_endpoint", resp.StatusCode, resp.Header.Get("Location"))
	}
	if c := setCookie(resp, SessionCookie); c == nil || c.MaxAge >= 0 || c.Value != "" {
		t.Errorf("sign-out does not clear the session cookie: %+v", c)
	}
	if _, ok := rig.oidc.Identify(req); ok {
		t.Errorf("the old session cookie still identifies after sign-out")
	}
	back := rig.backFromIdP(t, mustURL(t, resp.Header.Get("Location")))
	rig.idp.mu.Lock()
	hint, backTo := rig.idp.logoutHint, rig.idp.logoutBack
	rig.idp.mu.Unlock()
	if strings.Count(hint, ".") != 2 || backTo != rig.srv.URL+"/auth/logout" {
		t.Errorf("end_session got id_token_hint %q, post_logout_redirect_uri %q", hint, backTo)
	}
	resp, body = rig.get(t, back.String())
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Signed out") {
		t.Errorf("back from the provider's sign-out: %d %s", resp.StatusCode, body)
	}
	if resp, _ := rig.page(t, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("dashboard after sign-out: %d, want 303 to sign in again", resp.StatusCode)
	}
	// The old cookie, presented again (copied before sign-out): refused.
	old, _ := http.NewRequest("GET", rig.srv.URL+"/api/v1/status", nil)
	old.AddCookie(sc)
	resp, err := rig.srv.Client().Do(old)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the old session cookie after sign-out: %d, want 401", resp.StatusCode)
	}
	if !strings.Contains(rig.log.String(), "signed out") {
		t.Errorf("sign-out not logged")
	}
	if strings.Contains(rig.log.String(), rig.idp.secret) || strings.Contains(rig.log.String(), cb.Query().Get("code")) {
		t.Errorf("the client secret or the code is in the log:\n%s", rig.log)
	}
}

func mustURL(t *testing.T, s string) *neturl.URL {
	t.Helper()
	u, err := neturl.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSSORefused: each way a sign-in must fail is refused with its
// status, logged with its reason, and leaves no session.
func TestSSORefused(t *testing.T) {
	cases := []struct {
		name   string
		opt    func(*OIDCOptions)
		idp    func(*testIdP)
		cb     func(u *neturl.URL) // alters the callback URL
		status int
		reason string // in the log
		body   string // in the answer
	}{
		{name: "forged state", cb: func(u *neturl.URL) {
			q := u.Query()
			q.Set("state", "forged-"+q.Get("state"))
			u.RawQuery = q.Encode()
		}, status: 400, reason: `reason="state does not match"`, body: "forged or replayed"},
		{name: "wrong nonce", idp: func(p *testIdP) { p.nonce = "not-the-nonce-asked-for" },
			status: 401, reason: `reason="nonce does not match"`, body: "nonce"},
		{name: "expired token", idp: func(p *testIdP) { p.lifetime = -time.Minute },
			status: 401, reason: `reason="ID token expired"`, body: "expired"},
		{name: "other issuer", idp: func(p *testIdP) { p.issuer = "https://evil.example" },
			status: 401, reason: `reason="ID token not valid"`},
		{name: "unmapped group", idp: func(p *testIdP) { p.groups = []any{"contractors", "staff"} },
			status: 403, reason: `reason="no mapped role"`, body: `none of the values of its claim \"groups\" ([\"contractors\",\"staff\"]) is mapped`},
		{name: "no groups claim", idp: func(p *testIdP) { p.groups = nil },
			status: 403, reason: `reason="no mapped role"`, body: "(none)"},
		// A wrong client secret: the provider refuses the exchange; the
		// log says so and never holds the secret sent.
		{name: "exchange refused", opt: func(o *OIDCOptions) { o.ClientSecret = "wrong-secret-XYZ" },
			status: 401, reason: `reason="code exchange failed"`, body: "did not exchange the code"},
		{name: "provider refused", cb: func(u *neturl.URL) {
			q := u.Query()
			q.Del("code")
			q.Set("error", "access_denied")
			u.RawQuery = q.Encode()
		}, status: 401, reason: `reason="the identity provider refused"`, body: "access_denied"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rig := newSSORig(t, tc.opt)
			if tc.idp != nil {
				tc.idp(rig.idp)
			}
			cb := rig.backFromIdP(t, rig.toIdP(t))
			if tc.cb != nil {
				tc.cb(cb)
			}
			resp, body := rig.get(t, cb.String())
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if !strings.Contains(body, tc.body) {
				t.Errorf("answer %s, want it to say %q", body, tc.body)
			}
			log := rig.log.String()
			if !strings.Contains(log, `msg="sign-in refused"`) || !strings.Contains(log, tc.reason) || !strings.Contains(log, "failures_in_window=1") {
				t.Errorf("log lacks the refusal %s:\n%s", tc.reason, log)
			}
			if c := setCookie(resp, SessionCookie); c != nil && c.Value != "" {
				t.Errorf("a refused sign-in set a session cookie")
			}
			if n := rig.oidc.sessions.len(); n != 0 {
				t.Errorf("%d sessions after a refused sign-in", n)
			}
			if strings.Contains(log, rig.idp.secret) || strings.Contains(log, "wrong-secret-XYZ") {
				t.Errorf("client secret in the log")
			}
		})
	}

	// A callback with no sign-in begun in this browser (no login cookie):
	// refused, so a code and state captured elsewhere cannot be replayed.
	t.Run("no sign-in cookie", func(t *testing.T) {
		rig := newSSORig(t, nil)
		cb := rig.backFromIdP(t, rig.toIdP(t))
		other := &http.Client{Transport: rig.browser.Transport, CheckRedirect: rig.browser.CheckRedirect} // another browser: no cookies
		resp, err := other.Get(cb.String())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(rig.log.String(), `reason="no sign-in in progress"`) {
			t.Errorf("callback without the sign-in cookie: %d\n%s", resp.StatusCode, rig.log)
		}
	})
}

// TestSSORateLimited: failed sign-ins from one address are counted in a
// sliding window; at the limit, /auth/login and /auth/callback answer 429
// until the oldest failure leaves the window.
func TestSSORateLimited(t *testing.T) {
	clock := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	set := func(d time.Duration) {
		mu.Lock()
		clock = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC).Add(d)
		mu.Unlock()
	}
	rig := newSSORig(t, func(o *OIDCOptions) { o.Now = now; o.MaxFailures = 3; o.FailureWindow = 10 * time.Minute })
	forged := func() int {
		cb := rig.backFromIdP(t, rig.toIdP(t))
		q := cb.Query()
		q.Set("state", "forged")
		cb.RawQuery = q.Encode()
		resp, _ := rig.get(t, cb.String())
		return resp.StatusCode
	}
	// Failures at 9:00, 9:01, 9:02 (three: the limit).
	for i, at := range []time.Duration{0, time.Minute, 2 * time.Minute} {
		set(at)
		if code := forged(); code != 400 {
			t.Fatalf("failure %d: status %d, want 400", i+1, code)
		}
	}
	// At 9:04 the address is refused; the oldest failure (9:00) leaves the
	// window at 9:10, so Retry-After is 6 minutes = 360 s.
	set(4 * time.Minute)
	resp, _ := rig.get(t, rig.srv.URL+"/auth/login")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "360" {
		t.Fatalf("4th try: %d Retry-After %q, want 429 and 360", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(rig.log.String(), "too many failed sign-ins") {
		t.Errorf("the refusal is not logged")
	}
	// At 9:10 exactly the 9:00 failure is 10 minutes old: out of the window
	// (a failure counts while it is less than the window old), two remain.
	set(10 * time.Minute)
	resp, _ = rig.get(t, rig.srv.URL+"/auth/login")
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("at 9:10: %d, want 302 (two failures left in the window)", resp.StatusCode)
	}
	// A good sign-in now works, and a failure at 9:10:30 blocks again: the
	// window (9:00:30, 9:10:30] holds 9:01, 9:02 and 9:10:30. The 9:01 one
	// leaves it at 9:11, so Retry-After is 30 s.
	cb := rig.backFromIdP(t, rig.toIdP(t))
	if resp, body := rig.get(t, cb.String()); resp.StatusCode != 200 {
		t.Fatalf("good sign-in at 9:10: %d %s", resp.StatusCode, body)
	}
	set(10*time.Minute + 30*time.Second)
	forged()
	resp, _ = rig.get(t, rig.srv.URL+"/auth/login")
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "30" {
		t.Errorf("after 9:01, 9:02, 9:10:30: %d Retry-After %q, want 429 and 30", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// The callback is refused as well while blocked.
	resp, _ = rig.get(t, rig.srv.URL+"/auth/callback?code=x&state=y")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("callback while blocked: %d, want 429", resp.StatusCode)
	}
}

// TestSSOSessionExpiry: a session lasts SessionTTL and no longer.
func TestSSOSessionExpiry(t *testing.T) {
	start := time.Now()
	var mu sync.Mutex
	clock := start
	rig := newSSORig(t, func(o *OIDCOptions) {
		o.SessionTTL = time.Hour
		o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	})
	resp, _ := rig.get(t, rig.backFromIdP(t, rig.toIdP(t)).String())
	sc := setCookie(resp, SessionCookie)
	if sc == nil || sc.MaxAge != 3600 {
		t.Fatalf("session cookie %+v, want Max-Age 3600", sc)
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.AddCookie(sc)
	for _, tc := range []struct {
		after time.Duration
		ok    bool
	}{{59 * time.Minute, true}, {time.Hour - time.Second, true}, {time.Hour, false}} {
		mu.Lock()
		clock = start.Add(tc.after)
		mu.Unlock()
		if _, ok := rig.oidc.Identify(req); ok != tc.ok {
			t.Errorf("after %v: identified %v, want %v", tc.after, ok, tc.ok)
		}
	}
}

// On loopback over plain http the cookies are not Secure (a browser
// would not send them back); everything else about them is as over TLS.
func TestSSOLoopbackHTTPCookies(t *testing.T) {
	p := newTestIdP(t)
	o, err := NewOIDC(OIDCOptions{Issuer: p.srv.URL, ClientID: "osgauge", ClientSecret: p.secret,
		RoleMap: map[string]auth.Role{"osgauge-approvers": auth.Approver}})
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(Options{Store: st, ReportDir: t.TempDir(), OIDC: o})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler()) // http on 127.0.0.1
	defer ts.Close()
	c := ts.Client()
	c.Jar, _ = cookiejar.New(nil)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(ts.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	lc := setCookie(resp, loginCookie)
	if lc == nil || lc.Secure || !lc.HttpOnly || lc.SameSite != http.SameSiteLaxMode || lc.Path != "/auth/" {
		t.Fatalf("login cookie on loopback http: %+v; want not Secure, HttpOnly, Lax, /auth/", lc)
	}
	authz := mustURL(t, resp.Header.Get("Location"))
	if got := authz.Query().Get("redirect_uri"); got != ts.URL+"/auth/callback" {
		t.Errorf("redirect_uri %q, want %q (http on loopback)", got, ts.URL+"/auth/callback")
	}
	resp, err = c.Get(authz.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = c.Get(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	sc := setCookie(resp, SessionCookie)
	if sc == nil || sc.Secure || !sc.HttpOnly || sc.SameSite != http.SameSiteStrictMode {
		t.Fatalf("session cookie on loopback http: %+v (status %d); want not Secure, HttpOnly, Strict", sc, resp.StatusCode)
	}

	// Behind a TLS proxy on the same machine (serve on loopback http), the
	// configured redirect_url says how browsers reach it: https, so the
	// cookies are Secure and the provider is given that callback.
	o2, err := NewOIDC(OIDCOptions{Issuer: p.srv.URL, ClientID: "osgauge", ClientSecret: p.secret,
		RedirectURL: "https://osgauge.bank.internal/auth/callback", RoleMap: map[string]auth.Role{"osgauge-approvers": auth.Approver}})
	if err != nil {
		t.Fatal(err)
	}
	s2, err := New(Options{Store: st, ReportDir: t.TempDir(), OIDC: o2})
	if err != nil {
		t.Fatal(err)
	}
	ts2 := httptest.NewServer(s2.Handler())
	defer ts2.Close()
	resp, err = c.Get(ts2.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if lc := setCookie(resp, loginCookie); lc == nil || !lc.Secure {
		t.Errorf("login cookie behind an https redirect_url: %+v, want Secure", lc)
	}
	if got := mustURL(t, resp.Header.Get("Location")).Query().Get("redirect_uri"); got != "https://osgauge.bank.internal/auth/callback" {
		t.Errorf("redirect_uri %q, want the configured one", got)
	}
}

func TestMapRole(t *testing.T) {
	m := map[string]auth.Role{"v": auth.Viewer, "as": auth.Assessor, "ap": auth.Approver, "ad": auth.Admin}
	for _, tc := range []struct {
		claim any
		want  auth.Role
		ok    bool
	}{
		{"v", auth.Viewer, true},                            // a string claim
		{[]any{"v", "ap", "as"}, auth.Approver, true},       // the strongest of viewer, approver, assessor
		{[]any{"ap", "as", "ad", "v"}, auth.Admin, true},    // all four: admin, whatever the order
		{[]any{"x", "as", float64(3)}, auth.Assessor, true}, // unmapped values and non-strings skipped
		{[]any{"x", "y"}, "", false},                        // none mapped: no access
		{[]any{"V"}, "", false},                             // exact match only
		{[]any{"/ap"}, "", false},                           // a Keycloak full group path is another value
		{nil, "", false},                                    // no claim
		{"", "", false},                                     // an empty string
		{[]any{}, "", false},                                // an empty list
	} {
		got, ok := mapRole(claimValues(tc.claim), m)
		if got != tc.want || ok != tc.ok {
			t.Errorf("claim %v: %q %v, want %q %v", tc.claim, got, ok, tc.want, tc.ok)
		}
	}
}

// The RFC 7636 Appendix B example: the test provider's S256 check is
// the standard's, and x/oauth2's challenge agrees with it.
func TestS256(t *testing.T) {
	const verifier, challenge = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	if got := s256(verifier); got != challenge {
		t.Errorf("s256 = %q, want %q", got, challenge)
	}
}

func TestOIDCOptions(t *testing.T) {
	good := OIDCOptions{Issuer: "https://sso.bank.internal/realms/bank", ClientID: "osgauge", RoleMap: map[string]auth.Role{"g": auth.Viewer}}
	for _, tc := range []struct {
		tweak func(*OIDCOptions)
		want  string
	}{
		{func(o *OIDCOptions) { o.Issuer = "sso.bank.internal" }, "server.auth.oidc.issuer"},
		{func(o *OIDCOptions) { o.ClientID = "" }, "server.auth.oidc.client_id"},
		{func(o *OIDCOptions) { o.RoleMap = nil }, "server.auth.oidc.role_map: empty"},
		{func(o *OIDCOptions) { o.RoleMap = map[string]auth.Role{"g": "boss"} }, "server.auth.oidc.role_map.g"},
		{func(o *OIDCOptions) { o.RedirectURL = "https://osgauge.bank.internal/cb" }, "server.auth.oidc.redirect_url"},
		{func(o *OIDCOptions) { o.RedirectURL = "https://osgauge.bank.internal/x/auth/callback" }, "server.auth.oidc.redirect_url"},
	} {
		o := good
		tc.tweak(&o)
		if _, err := NewOIDC(o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want one naming %s", err, tc.want)
		}
	}
	if _, err := NewOIDC(good); err != nil {
		t.Errorf("good options: %v", err)
	}
	// The secret comes from the variable client_secret_env names; its
	// value is never in an error.
	c := &config.OIDC{Issuer: good.Issuer, ClientID: "osgauge", ClientSecretEnv: "OSGAUGE_OIDC_SECRET", RolesClaim: "groups",
		RoleMap: map[string]string{"osgauge-admins": "admin"}}
	env := map[string]string{}
	if _, err := OIDCFromConfig(c, func(k string) string { return env[k] }, nil); err == nil ||
		!strings.Contains(err.Error(), "OSGAUGE_OIDC_SECRET is not set") {
		t.Errorf("secret variable unset: %v", err)
	}
	env["OSGAUGE_OIDC_SECRET"] = "hunter2"
	o, err := OIDCFromConfig(c, func(k string) string { return env[k] }, nil)
	if err != nil || o.opt.ClientSecret != "hunter2" || o.opt.RoleMap["osgauge-admins"] != auth.Admin {
		t.Errorf("from config: %v", err)
	}
	c.RoleMap["x"] = "root"
	if _, err := OIDCFromConfig(c, func(k string) string { return env[k] }, nil); err == nil || strings.Contains(err.Error(), "hunter2") ||
		!strings.Contains(err.Error(), "server.auth.oidc.role_map.x") {
		t.Errorf("bad role: %v", err)
	}
}

// localPath keeps only paths on this server as the place to go after
// signing in.
func TestLocalPath(t *testing.T) {
	for in, want := range map[string]string{
		"/reports/": "/reports/", "": "/", "https://evil.example/": "/", "//evil.example/": "/",
		"/\\evil.example": "/", "/auth/logout": "/", "/a\r\nSet-Cookie: x": "/", "reports": "/",
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// The signed-in line of a dashboard page: filled in and shown, the name
// escaped; the sign-out link hidden for an identity that is not a
// sign-in session; a page from before the line gets one after <body>.
func TestWithSignedIn(t *testing.T) {
	const tmpl = `<body><header><div class="who noprint" id="signed-in" hidden>Signed in as <b class="who-name"></b>` +
		`<span class="who-out"> · <a href="/auth/logout">Sign out</a></span></div></header>`
	for _, tc := range []struct {
		page string
		id   auth.Identity
		want string
	}{
		{tmpl, auth.Identity{Name: "alice", Role: auth.Approver, Via: "oidc"},
			`<body><header><div class="who noprint" id="signed-in">Signed in as <b class="who-name">alice (approver)</b>` +
				`<span class="who-out"> · <a href="/auth/logout">Sign out</a></span></div></header>`},
		{tmpl, auth.Identity{Name: "<ci&bot>", Role: auth.Viewer, Via: "key"},
			`<body><header><div class="who noprint" id="signed-in">Signed in as <b class="who-name">&lt;ci&amp;bot&gt; (viewer)</b>` +
				`<span class="who-out" hidden> · <a href="/auth/logout">Sign out</a></span></div></header>`},
		{`<html><body><h1>old</h1>`, auth.Identity{Name: "bob", Role: auth.Admin, Via: "oidc"},
			`<html><body><div class="noprint" id="signed-in" style="padding:4px 24px;font:13px sans-serif">Signed in as <b class="who-name">bob (admin)</b>` +
				` · <a href="/auth/logout">Sign out</a></div><h1>old</h1>`},
	} {
		if got := string(withSignedIn([]byte(tc.page), tc.id)); got != tc.want {
			t.Errorf("%v:\n got %s\nwant %s", tc.id, got, tc.want)
		}
	}
}
