package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/store"
)

// Authentication and authorization (issue 29). Every request but the
// public ones (/healthz, /auth/login, /auth/callback, /auth/logout) gets
// an identity, found in this order:
//
//  1. a sign-in session (Options.OIDC: OpenID Connect, oidc.go);
//  2. an API key (Authorization: Bearer osg_…, or HTTP Basic with the key
//     as the password), looked up in the tokens file (Options.Keys);
//  3. the legacy shared token (Options.Token, OSGAUGE_TOKEN) — an admin,
//     Via "shared-token", with a warning in the log at its first use;
//  4. the trusted proxy's header (Options.Proxy), believed only from the
//     proxy's addresses and ignored (logged) from any other;
//  5. with no users configured (no key in the tokens file, no sign-in,
//     no trusted proxy) and no shared token: the local analyst, an admin
//     (Via "loopback") — serve then listens on loopback only
//     (CheckListenUsers), as before issue 29.
//
// Without an identity: 401 (a browser GET is sent to /auth/login when
// sign-in is configured). Credentials that were presented and failed (an
// unknown, revoked or expired key, a wrong token) are logged and counted
// per source address: at AuthMaxFailures within AuthFailureWindow the
// address gets 429 until the oldest failure leaves the window. With an
// identity whose role does not allow the request (auth.Need): 403, a
// problem naming the role needed (required_role). The identity rides in
// the request's context (auth.From).
//
// Every state-changing request that succeeds (auth.Changes, status below
// 400) is written to the audit log (store.AppendAudit): who, when, from
// where, the route and path, the status, and what changed (the request's
// JSON body up to auditBodyMax bytes, else its size and SHA-256; and any
// notes the handler added with noteAudit).

// Failed authentications allowed per source address and window.
const (
	AuthMaxFailures   = 20
	AuthFailureWindow = 5 * time.Minute
	auditBodyMax      = 4096
)

// LoopbackIdentity is the identity of a request when no users are
// configured (serve on loopback for a single analyst).
var LoopbackIdentity = auth.Identity{Name: "local", Role: auth.Admin, Via: "loopback"}

// SharedTokenIdentity is the identity of the legacy shared token.
var SharedTokenIdentity = auth.Identity{Name: "shared-token", Role: auth.Admin, Via: "shared-token"}

// authn is the server's authentication state.
type authn struct {
	tokenH     [32]byte
	failures   *authLimiter
	sharedOnce sync.Once
}

func newAuthn(token string) *authn {
	return &authn{tokenH: sha256.Sum256([]byte(token)), failures: newFailLimiter(AuthMaxFailures, AuthFailureWindow)}
}

// usersConfigured says whether users are configured: then every request
// needs an identity, loopback included. It depends on the configuration
// alone (a tokens file configured — Options.Keys set, as
// config.Auth.UsersConfigured says —, sign-in or a trusted proxy), never
// on what the tokens file holds now: a tokens file removed or unreadable
// after start must mean no keys (401), not the no-users loopback admin.
func (s *Server) usersConfigured() bool {
	return s.opt.Keys != nil || s.opt.OIDC != nil || s.opt.Proxy != nil
}

// errKeyStore: the tokens file could not be read; not the client's fault,
// so not counted against its address.
type errKeyStore struct{ err error }

func (e errKeyStore) Error() string { return e.err.Error() }

// errBadCredentials: credentials were presented and are not valid.
type errBadCredentials struct{ reason string }

func (e errBadCredentials) Error() string { return e.reason }

// identify finds r's identity. found is false when r carries no
// credentials at all; err is set when it carried some that failed.
func (s *Server) identify(r *http.Request) (id auth.Identity, found bool, err error) {
	if s.opt.OIDC != nil {
		if id, ok := s.opt.OIDC.Identify(r); ok {
			return id, true, nil
		}
	}
	if h := r.Header.Get("Authorization"); h != "" {
		presented, ok := presentedSecret(h)
		if !ok {
			return auth.Identity{}, false, errBadCredentials{"an Authorization header that is neither Bearer nor Basic"}
		}
		id, keyID, kerr := s.opt.Keys.Lookup(presented)
		switch {
		case kerr == nil:
			return id, true, nil
		case errors.Is(kerr, auth.ErrRevokedKey), errors.Is(kerr, auth.ErrExpiredKey):
			return auth.Identity{}, false, errBadCredentials{kerr.Error() + " (key " + keyID + ")"}
		case errors.Is(kerr, auth.ErrKeysUnavailable) && s.opt.Keys != nil:
			s.opt.Logger.Error("the tokens file cannot be read: no API key is accepted until it can", "file", s.opt.Keys.Path(), "err", kerr)
			if s.opt.Token == "" {
				return auth.Identity{}, false, errKeyStore{kerr}
			}
		}
		if s.opt.Token != "" {
			ph := sha256.Sum256([]byte(presented))
			if subtle.ConstantTimeCompare(ph[:], s.authn.tokenH[:]) == 1 {
				s.authn.sharedOnce.Do(func() {
					s.opt.Logger.Warn("the shared token (OSGAUGE_TOKEN) was used: it is accepted as an admin key for compatibility; " +
						"give each person and pipeline its own key (osgauge token create --user NAME --role ROLE) and retire the shared token")
				})
				return SharedTokenIdentity, true, nil
			}
		}
		return auth.Identity{}, false, errBadCredentials{"an unknown key or token"}
	}
	if s.opt.Proxy != nil {
		if h := s.opt.Proxy.Repeated(r); h != "" && s.opt.Proxy.Trusted(r) && r.Header.Get(s.opt.Proxy.Header) != "" {
			return auth.Identity{}, false, errBadCredentials{"the trusted proxy's header " + h + " appears more than once (a client's header the proxy did not replace?)"}
		}
		id, ok, present := s.opt.Proxy.Identify(r)
		if ok {
			return id, true, nil
		}
		if present {
			s.opt.Logger.Warn("trusted proxy header ignored: the request does not come from a trusted proxy address",
				"header", s.opt.Proxy.Header, "remote", r.RemoteAddr, "path", r.URL.Path)
		}
	}
	return auth.Identity{}, false, nil
}

// presentedSecret is the bearer token, or the password of Basic auth.
func presentedSecret(h string) (string, bool) {
	switch {
	case len(h) > 7 && strings.EqualFold(h[:7], "Bearer "):
		return strings.TrimSpace(h[7:]), true
	case len(h) > 6 && strings.EqualFold(h[:6], "Basic "):
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[6:]))
		if err != nil {
			return "", false
		}
		_, pw, ok := strings.Cut(string(b), ":")
		return pw, ok
	}
	return "", false
}

// authProblem is the problem of a 401, 403 or 429 (conventions.go's
// fields, and the role needed).
type authProblem struct {
	Type         string `json:"type"`
	Title        string `json:"title"`
	Status       int    `json:"status"`
	Detail       string `json:"detail"`
	Error        string `json:"error"`
	RequiredRole string `json:"required_role,omitempty"`
	Role         string `json:"role,omitempty"`
	RetryAfter   int    `json:"retry_after_seconds,omitempty"`
}

func writeAuthProblem(w http.ResponseWriter, p authProblem) {
	p.Type, p.Title, p.Error = "about:blank", http.StatusText(p.Status), p.Detail
	b, _ := json.MarshalIndent(p, "", "  ")
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// authenticate resolves r's identity and checks its role; it answers the
// request itself (401, 403, 429, or a redirect to sign in) and returns
// false when r may not go on, else r with the identity in its context.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	if auth.Public(r) {
		return r, true
	}
	src := s.sourceAddr(r)
	now := time.Now()
	id, found, err := s.identify(r)
	var kerr errKeyStore
	if errors.As(err, &kerr) {
		s.challenge(w, r, "no API key can be checked now (the server's tokens file cannot be read); the administrator is told in the log")
		return r, false
	}
	// Only failing credentials are blocked: a valid key or session passes
	// even from an address others have failed from (a shared NAT or
	// proxy), so that guessing cannot lock legitimate users out.
	if err != nil {
		if blocked, wait := s.authn.failures.blocked(src, now); blocked {
			secs := int(wait/time.Second) + 1
			s.opt.Logger.Warn("request refused: too many failed authentications from this address", "source", src, "path", r.URL.Path, "retry_after_seconds", secs)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			writeAuthProblem(w, authProblem{Status: http.StatusTooManyRequests, RetryAfter: secs,
				Detail: fmt.Sprintf("too many failed authentications from %s: try again in %d s", src, secs)})
			return r, false
		}
		n := s.authn.failures.fail(src, now)
		s.opt.Logger.Warn("unauthorized request: authentication failed", "reason", err.Error(), "method", r.Method, "path", r.URL.Path,
			"source", src, "remote", r.RemoteAddr, "failures", n)
		s.challenge(w, r, "the credentials are not valid: "+err.Error())
		return r, false
	}
	if !found {
		if !s.usersConfigured() && s.opt.Token == "" {
			id, found = LoopbackIdentity, true
		} else {
			s.opt.Logger.Warn("unauthorized request: no credentials", "method", r.Method, "path", r.URL.Path, "source", src, "remote", r.RemoteAddr)
			if s.opt.OIDC != nil && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasPrefix(r.URL.Path, "/api/") &&
				r.URL.Path != "/metrics" && strings.Contains(r.Header.Get("Accept"), "text/html") {
				http.Redirect(w, r, "/auth/login?next="+neturl.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return r, false
			}
			s.challenge(w, r, "credentials are required: a bearer token (Authorization: Bearer <key>: a per-user API key) or a sign-in")
			return r, false
		}
	}
	need, rule := auth.Need(r)
	if id.Role == "" {
		s.opt.Logger.Warn("forbidden: the identity has no role", "user", id.Name, "via", id.Via, "method", r.Method, "path", r.URL.Path, "source", src)
		writeAuthProblem(w, authProblem{Status: http.StatusForbidden, RequiredRole: string(need),
			Detail: fmt.Sprintf("%s is signed in (%s) but has no osgauge role: none of their groups is mapped to one; this request needs the %s role", id.Name, id.Via, need)})
		return r, false
	}
	if !id.Role.Allows(need) {
		s.opt.Logger.Warn("forbidden: role too weak", "user", id.Name, "role", id.Role, "via", id.Via, "need", need, "method", r.Method, "path", r.URL.Path, "source", src)
		writeAuthProblem(w, authProblem{Status: http.StatusForbidden, RequiredRole: string(need), Role: string(id.Role),
			Detail: fmt.Sprintf("%s %s needs the %s role (%s); %s has %s", r.Method, r.URL.Path, need, rule, id.Name, id.Role)})
		return r, false
	}
	ctx := auth.With(r.Context(), id)
	if auth.Changes(r) {
		ctx = context.WithValue(ctx, auditNotesKey{}, &auditNotes{m: map[string]any{}})
	}
	return r.WithContext(ctx), true
}

// challenge answers 401 with the challenge a client understands: Bearer
// for the API and metrics, Basic (the key as the password) for a browser.
func (s *Server) challenge(w http.ResponseWriter, r *http.Request, msg string) {
	if strings.HasPrefix(r.URL.Path, "/api/") || r.URL.Path == "/metrics" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="osgauge"`)
	} else {
		w.Header().Set("WWW-Authenticate", `Basic realm="osgauge", charset="UTF-8"`)
	}
	writeAuthProblem(w, authProblem{Status: http.StatusUnauthorized, Detail: msg})
}

// sourceAddr is the client's address: the connection's IP, or, on a
// request from the trusted proxy, the last address the proxy added to
// X-Forwarded-For.
func (s *Server) sourceAddr(r *http.Request) string {
	if s.opt.Proxy.Trusted(r) {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			parts := strings.Split(xff[len(xff)-1], ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	if ip := auth.RemoteIP(r); ip != nil {
		return ip.String()
	}
	return r.RemoteAddr
}

// authLimiter counts failed authentications per source address in a
// sliding window: the sign-in's failLimiter (session.go: bounded, IPv6 by
// /64, swept as it goes).
type authLimiter = failLimiter

// --- audit ----------------------------------------------------------------

type auditNotesKey struct{}

type auditNotes struct {
	mu sync.Mutex
	m  map[string]any
	// written: the handler wrote r's entry itself, before changing
	// anything (auditBefore); serveAudited does not write a second one.
	written bool
	rec     *bodyRecorder // the request's body as read (serveAudited)
}

// auditBefore writes r's audit entry now, before the handler writes the
// ledger (status 0: not yet answered; notes["written"] says "before the
// change"), and marks r so that serveAudited writes no second entry. When
// the entry cannot be stored it returns the error and the handler answers
// 500 without changing anything. A request the middleware does not audit
// (no notes in its context) is not written here either.
func (s *Server) auditBefore(r *http.Request) error {
	notes, _ := r.Context().Value(auditNotesKey{}).(*auditNotes)
	if notes == nil {
		return nil
	}
	notes.mu.Lock()
	rec := notes.rec
	notes.m["written"] = "before the change"
	notes.mu.Unlock()
	e := s.auditEntry(r, 0, rec, notes)
	if s.opt.Store == nil {
		return errors.New("audit log: no store")
	}
	if _, err := s.opt.Store.AppendAudit(context.WithoutCancel(r.Context()), e); err != nil {
		return fmt.Errorf("audit log: the entry could not be written, nothing changed: %w", err)
	}
	notes.mu.Lock()
	notes.written = true
	notes.mu.Unlock()
	return nil
}

// noteAudit adds what a handler changed (a decision's id, a proposal's
// state) to the audit entry of r; a no-op on a request that is not
// audited.
func noteAudit(r *http.Request, key string, v any) {
	n, _ := r.Context().Value(auditNotesKey{}).(*auditNotes)
	if n == nil {
		return
	}
	n.mu.Lock()
	n.m[key] = v
	n.mu.Unlock()
}

// bodyRecorder keeps the first max bytes of a body and hashes all of it.
type bodyRecorder struct {
	io.ReadCloser
	max  int
	head bytes.Buffer
	n    int64
	h    interface {
		io.Writer
		Sum([]byte) []byte
	}
}

func (b *bodyRecorder) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.n += int64(n)
		b.h.Write(p[:n])
		if room := b.max + 1 - b.head.Len(); room > 0 {
			b.head.Write(p[:min(n, room)])
		}
	}
	return n, err
}

// serveAudited serves r with next and, when r changes state and
// succeeded, writes its audit entry.
func (s *Server) serveAudited(w *statusWriter, r *http.Request, next http.Handler) {
	if !auth.Changes(r) || auth.Public(r) {
		next.ServeHTTP(w, r)
		return
	}
	at := s.opt.Now().UTC()
	rec := &bodyRecorder{ReadCloser: r.Body, max: auditBodyMax, h: sha256.New()}
	r.Body = rec
	if notes, _ := r.Context().Value(auditNotesKey{}).(*auditNotes); notes != nil {
		notes.mu.Lock()
		notes.rec = rec
		notes.mu.Unlock()
	}
	next.ServeHTTP(w, r)
	code := w.code
	if code == 0 {
		code = http.StatusOK
	}
	if code >= 400 {
		return
	}
	notes, _ := r.Context().Value(auditNotesKey{}).(*auditNotes)
	if notes != nil {
		notes.mu.Lock()
		written := notes.written
		notes.mu.Unlock()
		if written { // the handler wrote it before the change (auditBefore)
			return
		}
	}
	e := s.auditEntry(r, code, rec, notes)
	e.At = at
	action := e.Action
	if _, err := s.opt.Store.AppendAudit(context.WithoutCancel(r.Context()), e); err != nil {
		s.opt.Logger.Error("audit log: the entry could not be written", "user", e.User, "action", action, "path", r.URL.Path, "err", err)
	}
}

// auditEntry is r's audit entry: who, from where, the route, status code,
// the request's body (rec: compact JSON up to auditBodyMax, else size and
// SHA-256) and the handler's notes.
func (s *Server) auditEntry(r *http.Request, code int, rec *bodyRecorder, notes *auditNotes) store.AuditEntry {
	id, _ := auth.From(r.Context())
	detail := map[string]any{}
	if rec != nil && rec.n > 0 {
		if rec.head.Len() <= auditBodyMax && json.Valid(rec.head.Bytes()) {
			var c bytes.Buffer
			json.Compact(&c, rec.head.Bytes())
			detail["request"] = json.RawMessage(c.Bytes())
		} else {
			detail["request_bytes"] = rec.n
			detail["request_sha256"] = hex.EncodeToString(rec.h.Sum(nil))
			detail["content_type"] = r.Header.Get("Content-Type")
		}
	}
	var d []byte
	if notes != nil {
		notes.mu.Lock()
		if len(notes.m) > 0 {
			detail["notes"] = notes.m
		}
		d, _ = json.Marshal(detail)
		notes.mu.Unlock()
	} else {
		d, _ = json.Marshal(detail)
	}
	action := r.Pattern
	if action == "" {
		action = r.Method + " " + r.URL.Path
	}
	return store.AuditEntry{At: s.opt.Now().UTC(), User: id.Name, Role: string(id.Role), Via: id.Via, Source: s.sourceAddr(r),
		Action: action, Target: r.URL.Path, Status: code, Detail: string(d)}
}

// CheckListenUsers refuses to listen beyond loopback unless users are
// configured (usersConfigured: keys in the tokens file, sign-in or a
// trusted proxy) or the legacy shared token is set; with the shared token
// alone it returns a warning to log. tokenEnv names the token's variable,
// for messages.
func CheckListenUsers(addr string, usersConfigured bool, token, tokenEnv string) (warning string, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("--listen %q: %w", addr, err)
	}
	if IsLoopback(host) || usersConfigured {
		if token != "" {
			warning = fmt.Sprintf("the shared token in %s is accepted as an admin key for compatibility: give each person and pipeline "+
				"its own key (osgauge token create) or sign-in (server.auth), and retire it", tokenEnv)
		}
		return warning, nil
	}
	where := host
	if where == "" {
		where = "every interface"
	}
	if token != "" {
		return fmt.Sprintf("--listen %s listens beyond loopback (%s) with only the shared token in %s, accepted as an admin key for "+
			"compatibility: configure users (server.auth: tokens_file with keys from osgauge token create, oidc, or trusted_proxy)", addr, where, tokenEnv), nil
	}
	return "", fmt.Errorf("--listen %s listens beyond loopback (%s): configure users (server.auth: tokens_file with keys from "+
		"'osgauge token create', oidc or trusted_proxy), or listen on 127.0.0.1", addr, where)
}
