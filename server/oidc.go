package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
)

// Single sign-on with OpenID Connect (the authorization code flow with
// PKCE), for people in a browser:
//
//	GET /auth/login[?next=/path]  a fresh state, nonce and PKCE verifier (S256) in a sealed cookie;
//	                              302 to the identity provider's authorization endpoint
//	GET /auth/callback            the provider's redirect back: state checked against the cookie,
//	                              the code exchanged with the verifier, the ID token verified with
//	                              the provider's keys (issuer, audience, expiry, signature) and its
//	                              nonce checked; the roles claim mapped to a role; a session started
//	GET /auth/logout              the session ended and its cookie cleared; then the provider's
//	                              end_session_endpoint, when it has one
//
// The provider is discovered (/.well-known/openid-configuration) at the
// first sign-in and kept; its keys are fetched and refreshed by go-oidc.
// Each refused sign-in is logged with its reason and counted against the
// client's address; too many in a window and that address is refused
// (429) until the window passes. Neither the client secret, nor a code,
// nor a token is ever logged.

// OIDCOptions configure single sign-on (config: server.auth.oidc).
type OIDCOptions struct {
	// Issuer is the provider's issuer URL, exactly as its discovery
	// document says (Keycloak: https://HOST/realms/REALM).
	Issuer   string
	ClientID string
	// ClientSecret is read by the caller from the environment variable
	// that client_secret_env names; empty for a public client (PKCE
	// alone). It is never logged.
	ClientSecret string
	// RolesClaim is the ID token claim holding the user's groups or roles,
	// a string or a list of strings (default "groups").
	RolesClaim string
	// NameClaim names the user (default preferred_username, then email,
	// then the subject).
	NameClaim string
	// RoleMap maps a value of the roles claim to an osgauge role. A user
	// with several mapped values gets the strongest; with none, no access.
	RoleMap map[string]auth.Role
	// RedirectURL is the callback URL registered with the provider
	// (https://osgauge.bank.internal/auth/callback). Empty: built from
	// the request's Host, https unless on loopback over plain http.
	RedirectURL string
	// Scopes asked for besides openid (default profile, email).
	Scopes []string
	// SessionTTL is how long a sign-in lasts (default 8h); MaxSessions
	// bounds the sessions kept (default 10000).
	SessionTTL  time.Duration
	MaxSessions int
	// MaxFailures refused sign-ins from one address within FailureWindow
	// (default 5 in 15 minutes) and it is refused until the window passes.
	MaxFailures   int
	FailureWindow time.Duration
	// HTTPClient talks to the provider (default: 15 s timeout).
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
}

// OIDC is single sign-on: the /auth routes and the sessions they start.
// A nil *OIDC identifies nobody.
type OIDC struct {
	opt      OIDCOptions
	sessions *sessionStore
	limiter  *failLimiter
	seal     sealer
	// addr is the client's address failures are counted by (the server
	// sets its sourceAddr: X-Forwarded-For only from the trusted proxy);
	// nil: the connection's.
	addr func(*http.Request) string

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier // with the provider's keys, fetched and refreshed by go-oidc
	endSess  string                // the provider's end_session_endpoint, if any
}

// NewOIDC checks the options; the provider is not contacted until the
// first sign-in.
func NewOIDC(opt OIDCOptions) (*OIDC, error) {
	u, err := neturl.Parse(opt.Issuer)
	if opt.Issuer == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("server.auth.oidc.issuer: %q is not an http(s) URL (Keycloak: https://HOST/realms/REALM)", opt.Issuer)
	}
	if opt.ClientID == "" {
		return nil, errors.New("server.auth.oidc.client_id: required (the client registered with the identity provider)")
	}
	if len(opt.RoleMap) == 0 {
		return nil, errors.New("server.auth.oidc.role_map: empty, so no one could sign in: map the provider's groups to roles, e.g. {osgauge-admins: admin}")
	}
	for k, r := range opt.RoleMap {
		if _, err := auth.ParseRole(string(r)); err != nil {
			return nil, fmt.Errorf("server.auth.oidc.role_map.%s: %w", k, err)
		}
	}
	if opt.RedirectURL != "" {
		ru, err := neturl.Parse(opt.RedirectURL)
		if err != nil || (ru.Scheme != "https" && ru.Scheme != "http") || ru.Host == "" || ru.Path != "/auth/callback" || ru.RawQuery != "" {
			return nil, fmt.Errorf("server.auth.oidc.redirect_url: %q is not scheme://host[:port]/auth/callback", opt.RedirectURL)
		}
		if ru.Scheme == "http" && !IsLoopback(ru.Hostname()) {
			return nil, fmt.Errorf("server.auth.oidc.redirect_url: %q is plain http beyond loopback: the sign-in code and session cookie would cross the network unencrypted; use https (http only for 127.0.0.1 or localhost)", opt.RedirectURL)
		}
	}
	if opt.RolesClaim == "" {
		opt.RolesClaim = "groups"
	}
	if opt.Scopes == nil {
		opt.Scopes = []string{"profile", "email"}
	}
	if opt.HTTPClient == nil {
		opt.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	return &OIDC{opt: opt, sessions: newSessionStore(opt.SessionTTL, opt.MaxSessions),
		limiter: newFailLimiter(opt.MaxFailures, opt.FailureWindow), seal: newSealer()}, nil
}

// OIDCFromConfig makes the single sign-on of server.auth.oidc; getenv
// reads the client secret from the variable client_secret_env names
// (os.Getenv). A named variable that is unset or empty is an error; the
// secret's value is never in a message.
func OIDCFromConfig(c *config.OIDC, getenv func(string) string, logger *slog.Logger) (*OIDC, error) {
	if c == nil {
		return nil, nil
	}
	opt := OIDCOptions{Issuer: c.Issuer, ClientID: c.ClientID, RolesClaim: c.RolesClaim, NameClaim: c.NameClaim,
		RedirectURL: c.RedirectURL, Scopes: c.Scopes, RoleMap: map[string]auth.Role{}, Logger: logger}
	if c.ClientSecretEnv != "" {
		opt.ClientSecret = getenv(c.ClientSecretEnv)
		if opt.ClientSecret == "" {
			return nil, fmt.Errorf("server.auth.oidc.client_secret_env: the environment variable %s is not set (the client secret from the identity provider)", c.ClientSecretEnv)
		}
	}
	for k, v := range c.RoleMap {
		r, err := auth.ParseRole(v)
		if err != nil {
			return nil, fmt.Errorf("server.auth.oidc.role_map.%s: %w", k, err)
		}
		opt.RoleMap[k] = r
	}
	return NewOIDC(opt)
}

// Register adds GET /auth/login, /auth/callback and /auth/logout to mux.
// They need no identity: the authentication middleware lets /auth/
// through.
func (o *OIDC) Register(mux *http.ServeMux) {
	mux.HandleFunc("GET /auth/login", o.login)
	mux.HandleFunc("GET /auth/callback", o.callback)
	mux.HandleFunc("GET /auth/logout", o.logout)
}

// Identify returns the identity of r's sign-in session, if it has a live
// one (Via "oidc").
func (o *OIDC) Identify(r *http.Request) (auth.Identity, bool) {
	if o == nil {
		return auth.Identity{}, false
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		return auth.Identity{}, false
	}
	s, ok := o.sessions.get(c.Value, o.opt.Now())
	if !ok {
		return auth.Identity{}, false
	}
	return s.id, true
}

// LoopbackNote is the line serve logs when sign-in cookies will not be
// Secure: listening on loopback over plain http.
func LoopbackNote(listen string) string {
	return fmt.Sprintf("single sign-on on %s over plain http (loopback): sign-in cookies are not Secure here, "+
		"since a browser would not send them back over http; beyond loopback, or behind TLS, they are", listen)
}

// discover returns the provider, discovering it at first use. A failed
// discovery is not kept: the next sign-in tries again.
func (o *OIDC) discover(ctx context.Context) (*oidc.Provider, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.provider != nil {
		return o.provider, nil
	}
	ctx = oidc.ClientContext(ctx, o.opt.HTTPClient)
	p, err := oidc.NewProvider(ctx, o.opt.Issuer)
	if err != nil {
		return nil, err
	}
	var extra struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&extra); err == nil {
		o.endSess = extra.EndSession
	}
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.opt.ClientID, Now: o.opt.Now})
	o.provider = p
	return p, nil
}

func (o *OIDC) oauthConfig(p *oidc.Provider, redirect string) *oauth2.Config {
	return &oauth2.Config{ClientID: o.opt.ClientID, ClientSecret: o.opt.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirect, Scopes: append([]string{oidc.ScopeOpenID}, o.opt.Scopes...)}
}

// secure says whether cookies set in answer to r are Secure: as the
// configured redirect URL's scheme says (a proxy in front names the
// server), else secureRequest.
func (o *OIDC) secure(r *http.Request) bool {
	if o.opt.RedirectURL != "" {
		return strings.HasPrefix(o.opt.RedirectURL, "https:")
	}
	return secureRequest(r)
}

// baseURL is scheme://host of the server as the browser sees it.
func (o *OIDC) baseURL(r *http.Request) string {
	if o.opt.RedirectURL != "" {
		return strings.TrimSuffix(o.opt.RedirectURL, "/auth/callback")
	}
	scheme := "https"
	if !o.secure(r) {
		scheme = "http"
	}
	return scheme + "://" + r.Host
}

// localPath keeps next only if it is a path on this server, and returns
// it re-escaped (path and query only). Browsers drop tab, CR and LF from
// a URL and read a backslash as a slash, so "/\t/evil.example" is
// "//evil.example", another site: any control character or backslash is
// refused, and a leading "//" is looked for after removing tab, CR and LF.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) {
			return "/"
		}
	}
	stripped := strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(next)
	if strings.HasPrefix(stripped, "//") || strings.HasPrefix(next, "/auth/") {
		return "/"
	}
	u, err := neturl.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(u.Path, "//") || strings.HasPrefix(u.Path, "/auth/") {
		return "/"
	}
	out := u.EscapedPath()
	if strings.HasPrefix(out, "//") {
		return "/"
	}
	if u.RawQuery != "" {
		out += "?" + u.Query().Encode()
	}
	return out
}

// clientAddr is r's client address for counting failures.
func (o *OIDC) clientAddr(r *http.Request) string {
	if o.addr != nil {
		return o.addr(r)
	}
	return clientAddr(r)
}

// refuseIfLimited answers 429 when r's address has failed too often.
func (o *OIDC) refuseIfLimited(w http.ResponseWriter, r *http.Request) bool {
	addr := o.clientAddr(r)
	blocked, wait := o.limiter.blocked(addr, o.opt.Now())
	if !blocked {
		return false
	}
	secs := int((wait + time.Second - 1) / time.Second)
	o.opt.Logger.Warn("sign-in refused: too many failed sign-ins", "remote", addr, "path", r.URL.Path, "retry_after_s", secs)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, fmt.Sprintf("too many failed sign-ins from %s: try again in %d seconds", addr, secs))
	return true
}

// fail refuses a sign-in: logged with its reason (and who, when known),
// counted against the address, answered with code and msg.
func (o *OIDC) fail(w http.ResponseWriter, r *http.Request, code int, reason, msg string, attrs ...any) {
	addr := o.clientAddr(r)
	n := o.limiter.fail(addr, o.opt.Now())
	args := append([]any{"reason", reason, "remote", addr, "failures_in_window", n}, attrs...)
	o.opt.Logger.Warn("sign-in refused", args...)
	writeError(w, code, msg)
}

func (o *OIDC) login(w http.ResponseWriter, r *http.Request) {
	if o.refuseIfLimited(w, r) {
		return
	}
	p, err := o.discover(r.Context())
	if err != nil {
		o.opt.Logger.Error("single sign-on: discovery failed", "issuer", o.opt.Issuer, "err", err)
		writeError(w, http.StatusBadGateway, fmt.Sprintf("the identity provider %s did not answer discovery (/.well-known/openid-configuration): see the server log", o.opt.Issuer))
		return
	}
	now := o.opt.Now()
	pl := pendingLogin{State: randomToken(32), Nonce: randomToken(32), Verifier: oauth2.GenerateVerifier(),
		Next: localPath(r.URL.Query().Get("next")), Redirect: o.baseURL(r) + "/auth/callback", Expires: now.Add(loginTTL).Unix()}
	setLoginCookie(w, o.secure(r), o.seal.seal(pl), int(loginTTL/time.Second))
	w.Header().Set("Cache-Control", "no-store")
	to := o.oauthConfig(p, pl.Redirect).AuthCodeURL(pl.State, oidc.Nonce(pl.Nonce), oauth2.S256ChallengeOption(pl.Verifier))
	http.Redirect(w, r, to, http.StatusFound)
}

func (o *OIDC) callback(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if o.refuseIfLimited(w, r) {
		return
	}
	now := o.opt.Now()
	var pl pendingLogin
	c, err := r.Cookie(loginCookie)
	if err == nil {
		pl, err = o.seal.open(c.Value, now)
	}
	setLoginCookie(w, o.secure(r), "", -1) // one use
	if err != nil {
		// Not counted as a failure: anyone can send a request without the
		// cookie, and counting it would let them lock out everyone behind
		// the same address (a TLS proxy in front).
		o.opt.Logger.Warn("sign-in refused", "reason", "no sign-in in progress", "remote", o.clientAddr(r))
		writeError(w, http.StatusBadRequest, "no sign-in in progress in this browser ("+errLoginCookie.Error()+"): start again at /auth/login")
		return
	}
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		o.fail(w, r, http.StatusUnauthorized, "the identity provider refused", "the identity provider refused the sign-in: "+e+" "+q.Get("error_description"),
			"error", e, "error_description", q.Get("error_description"))
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(pl.State)) != 1 {
		o.fail(w, r, http.StatusBadRequest, "state does not match", "the sign-in's state does not match the one this browser started with (forged or replayed): start again at /auth/login")
		return
	}
	code := q.Get("code")
	if code == "" {
		o.fail(w, r, http.StatusBadRequest, "no code", "the identity provider sent no code: start again at /auth/login")
		return
	}
	p, err := o.discover(r.Context())
	if err != nil {
		o.opt.Logger.Error("single sign-on: discovery failed", "issuer", o.opt.Issuer, "err", err)
		writeError(w, http.StatusBadGateway, "the identity provider did not answer discovery: see the server log")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, o.opt.HTTPClient)
	tok, err := o.oauthConfig(p, pl.Redirect).Exchange(ctx, code, oauth2.VerifierOption(pl.Verifier))
	if err != nil {
		o.fail(w, r, http.StatusUnauthorized, "code exchange failed", "the identity provider did not exchange the code: see the server log", "err", exchangeError(err))
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		o.fail(w, r, http.StatusUnauthorized, "no ID token", "the identity provider's token answer had no id_token (is the openid scope allowed for this client?)")
		return
	}
	o.mu.Lock()
	v := o.verifier
	o.mu.Unlock()
	idt, err := v.Verify(ctx, raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			o.fail(w, r, http.StatusUnauthorized, "ID token expired", "the ID token expired at "+exp.Expiry.UTC().Format(time.RFC3339)+" (is this server's clock right?): start again at /auth/login",
				"expired_at", exp.Expiry.UTC())
			return
		}
		o.fail(w, r, http.StatusUnauthorized, "ID token not valid", "the ID token was not accepted: see the server log", "err", err.Error())
		return
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(pl.Nonce)) != 1 {
		o.fail(w, r, http.StatusUnauthorized, "nonce does not match", "the ID token's nonce is not this sign-in's (replayed token): start again at /auth/login", "sub", idt.Subject)
		return
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		o.fail(w, r, http.StatusUnauthorized, "claims unreadable", "the ID token's claims could not be read", "err", err.Error())
		return
	}
	name := userName(claims, o.opt.NameClaim, idt.Subject)
	if err := auth.CheckName(name); err != nil {
		o.fail(w, r, http.StatusForbidden, "name refused", err.Error(), "sub", idt.Subject)
		return
	}
	values := claimValues(claims[o.opt.RolesClaim])
	role, ok := mapRole(values, o.opt.RoleMap)
	if !ok {
		o.fail(w, r, http.StatusForbidden, "no mapped role",
			fmt.Sprintf("%s signed in at the identity provider, but none of the values of its claim %q (%s) is mapped to an osgauge role "+
				"by server.auth.oidc.role_map: no access. Ask an administrator to map one of your groups.", name, o.opt.RolesClaim, listOrNone(values)),
			"user", name, "claim", o.opt.RolesClaim, "values", values)
		return
	}
	id := auth.Identity{Name: name, Role: role, Via: "oidc"}
	value, expires := o.sessions.create(id, raw, now)
	setSessionCookie(w, o.secure(r), value, int(expires.Sub(now)/time.Second))
	o.opt.Logger.Info("signed in", "user", name, "role", role, "via", "oidc", "remote", o.clientAddr(r), "until", expires.UTC())
	// A page that moves on, not a 302: the session cookie is
	// SameSite=Strict, and a redirect chain that began on the provider's
	// site would not carry it to the next page.
	htmlHeaders(w, "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	signedInPage.Execute(w, map[string]string{"Next": pl.Next, "Name": name, "Role": string(role)})
}

func (o *OIDC) logout(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	var s *session
	if c, err := r.Cookie(SessionCookie); err == nil {
		s, _ = o.sessions.remove(c.Value)
		setSessionCookie(w, o.secure(r), "", -1)
	}
	if s == nil {
		htmlHeaders(w, listCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		signedOutPage.Execute(w, nil)
		return
	}
	o.opt.Logger.Info("signed out", "user", s.id.Name, "role", s.id.Role, "remote", o.clientAddr(r))
	o.mu.Lock()
	end := o.endSess
	o.mu.Unlock()
	if end == "" {
		htmlHeaders(w, listCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		signedOutPage.Execute(w, nil)
		return
	}
	// The provider ends its own session too, then sends the browser back
	// here (no session now: the signed-out page).
	u, err := neturl.Parse(end)
	if err != nil {
		o.opt.Logger.Warn("single sign-on: end_session_endpoint unusable", "url", end, "err", err)
		htmlHeaders(w, listCSP)
		signedOutPage.Execute(w, nil)
		return
	}
	q := u.Query()
	q.Set("client_id", o.opt.ClientID)
	q.Set("id_token_hint", s.idToken)
	q.Set("post_logout_redirect_uri", o.baseURL(r)+"/auth/logout")
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

// exchangeError is the token endpoint's error without its raw body.
func exchangeError(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.ErrorCode != "" {
		return "token endpoint: " + re.ErrorCode + " " + re.ErrorDescription
	}
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return ue.Op + " token endpoint: " + ue.Err.Error()
	}
	if re != nil && re.Response != nil {
		return "token endpoint: HTTP " + re.Response.Status
	}
	return err.Error()
}

// userName is the name a person is known by: the configured claim, else
// preferred_username, else email, else the subject.
func userName(claims map[string]any, nameClaim, sub string) string {
	for _, k := range []string{nameClaim, "preferred_username", "email"} {
		if v, _ := claims["email_verified"].(bool); k == "email" && !v {
			continue // an unverified email names no one (anyone can claim one)
		}
		if s, ok := claims[k].(string); ok && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return sub
}

// claimValues reads a roles claim: a string, or a list of strings
// (other members are skipped).
func claimValues(v any) []string {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// mapRole maps the claim's values by m (exact match) and returns the
// strongest role; false when none is mapped.
func mapRole(values []string, m map[string]auth.Role) (auth.Role, bool) {
	best := -1
	for _, v := range values {
		r, ok := m[v]
		if !ok {
			continue
		}
		if i := slices.Index(auth.Roles, r); i > best {
			best = i
		}
	}
	if best < 0 {
		return "", false
	}
	return auth.Roles[best], true
}

func listOrNone(vs []string) string {
	if len(vs) == 0 {
		return "none"
	}
	b, _ := json.Marshal(vs)
	return string(b)
}

var signedInPage = template.Must(template.New("in").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url={{.Next}}"><title>osgauge: signed in</title></head>
<body style="font-family:sans-serif;margin:2em"><p>Signed in as <b>{{.Name}}</b> ({{.Role}}). <a href="{{.Next}}">Continue</a></p></body></html>
`))

var signedOutPage = template.Must(template.New("out").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>osgauge: signed out</title></head>
<body style="font-family:sans-serif;margin:2em"><h1>Signed out</h1><p><a href="/auth/login">Sign in again</a></p></body></html>
`))

// --- the dashboard's signed-in line -----------------------------------------

// signedIn is who the dashboard says is signed in: the request's identity
// (put there by the authentication middleware), else the sign-in
// session's. Nobody for the loopback analyst without users.
func (s *Server) signedIn(r *http.Request) (auth.Identity, bool) {
	if id, ok := auth.From(r.Context()); ok {
		return id, id.Name != "" && id.Via != "loopback"
	}
	return s.opt.OIDC.Identify(r)
}

// The dashboard template's signed-in line (templates/dashboard.html.tmpl),
// hidden in the file; filled in when served to someone signed in.
const (
	whoLine    = `<div class="who noprint" id="signed-in" hidden>`
	whoName    = `<b class="who-name"></b>`
	whoSignOut = `<span class="who-out">`
	whoPrefix  = 256 << 10 // the line is in the page's head part
)

// withSignedIn fills the signed-in line of a dashboard's first part with
// id (escaped) and shows it; the sign-out link only for a sign-in
// session. A page without the line (written before it existed) gets a
// plain one after <body>.
func withSignedIn(head []byte, id auth.Identity) []byte {
	name := template.HTMLEscapeString(id.Name) + " (" + template.HTMLEscapeString(string(id.Role)) + ")"
	page := string(head)
	if i := strings.Index(page, whoLine); i >= 0 {
		rest := page[i:]
		rest = strings.Replace(rest, whoLine, strings.Replace(whoLine, " hidden>", ">", 1), 1)
		rest = strings.Replace(rest, whoName, `<b class="who-name">`+name+`</b>`, 1)
		if id.Via != "oidc" {
			rest = strings.Replace(rest, whoSignOut, `<span class="who-out" hidden>`, 1)
		}
		return []byte(page[:i] + rest)
	}
	line := `<div class="noprint" id="signed-in" style="padding:4px 24px;font:13px sans-serif">Signed in as <b class="who-name">` + name + `</b>`
	if id.Via == "oidc" {
		line += ` · <a href="/auth/logout">Sign out</a>`
	}
	line += "</div>"
	if i := strings.Index(page, "<body>"); i >= 0 {
		return []byte(page[:i+len("<body>")] + line + page[i+len("<body>"):])
	}
	return head
}

// serveSignedIn serves a dashboard file with the signed-in line filled in.
// The answer is the user's own: not stored by caches, no Last-Modified
// (a 304 would show the previous user's page).
func (s *Server) serveSignedIn(w http.ResponseWriter, f io.Reader, id auth.Identity) {
	head := make([]byte, whoPrefix)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		s.opt.Logger.Error("dashboard", "err", err)
		writeError(w, http.StatusInternalServerError, "internal error (see the server log)")
		return
	}
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	w.Write(withSignedIn(head[:n], id))
	io.Copy(w, f)
}
