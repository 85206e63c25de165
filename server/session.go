package server

import (
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/auth"
)

// Sign-in sessions are kept on the server, in memory: the browser holds
// only a random id (32 bytes, in the cookie SessionCookie), the server
// the identity, its expiry and the ID token (for the identity provider's
// sign-out). Signing out deletes the session, so a copied cookie is dead
// from then on (a signed cookie could not be revoked); a restart signs
// everyone out. Sessions are keyed by the SHA-256 of the id, so the map
// never holds a usable cookie value.
//
// The cookies:
//   - SessionCookie: HttpOnly, SameSite=Strict, Path=/, Secure (see
//     secureRequest), Max-Age the session's lifetime.
//   - loginCookie: the sign-in in progress (state, nonce, PKCE verifier,
//     where to go afterwards), sealed with an HMAC under a key made at
//     start; HttpOnly, Secure, Path=/auth/, ten minutes. SameSite=Lax,
//     not Strict: the identity provider's redirect back to /auth/callback
//     is a navigation from another site, and a Strict cookie would not be
//     sent with it.

// SessionCookie is the name of the sign-in session cookie.
const SessionCookie = "osgauge_session"

const loginCookie = "osgauge_login"

// Defaults of the session store and the sign-in limiter.
const (
	DefaultSessionTTL    = 8 * time.Hour
	DefaultMaxSessions   = 10000
	DefaultMaxFailures   = 5
	DefaultFailureWindow = 15 * time.Minute
	loginTTL             = 10 * time.Minute
)

type session struct {
	id      auth.Identity
	idToken string // raw, for id_token_hint at the provider's sign-out
	created time.Time
	expires time.Time
}

// sessionStore keeps sessions in memory with an absolute expiry.
type sessionStore struct {
	mu  sync.Mutex
	ttl time.Duration
	max int
	m   map[string]*session // by sessionKey(cookie value)
}

func newSessionStore(ttl time.Duration, max int) *sessionStore {
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	if max <= 0 {
		max = DefaultMaxSessions
	}
	return &sessionStore{ttl: ttl, max: max, m: map[string]*session{}}
}

func sessionKey(value string) string {
	h := sha256.Sum256([]byte(value))
	return hex.EncodeToString(h[:])
}

// randomToken is n random bytes, base64url without padding.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// create starts a session for id and returns the cookie value and the
// expiry. When the store is full, expired sessions are dropped first,
// then the oldest.
func (st *sessionStore) create(id auth.Identity, idToken string, now time.Time) (string, time.Time) {
	value := randomToken(32)
	s := &session{id: id, idToken: idToken, created: now, expires: now.Add(st.ttl)}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(st.m) >= st.max {
		st.sweepLocked(now)
	}
	for len(st.m) >= st.max {
		var oldest string
		for k, v := range st.m {
			if oldest == "" || v.created.Before(st.m[oldest].created) {
				oldest = k
			}
		}
		delete(st.m, oldest)
	}
	st.m[sessionKey(value)] = s
	return value, s.expires
}

// get returns the live session of a cookie value; an expired one is
// dropped.
func (st *sessionStore) get(value string, now time.Time) (*session, bool) {
	if value == "" {
		return nil, false
	}
	k := sessionKey(value)
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[k]
	if !ok {
		return nil, false
	}
	if !now.Before(s.expires) {
		delete(st.m, k)
		return nil, false
	}
	return s, true
}

// remove ends the session of a cookie value and returns it.
func (st *sessionStore) remove(value string) (*session, bool) {
	k := sessionKey(value)
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.m[k]
	delete(st.m, k)
	return s, ok
}

func (st *sessionStore) sweepLocked(now time.Time) {
	for k, s := range st.m {
		if !now.Before(s.expires) {
			delete(st.m, k)
		}
	}
}

func (st *sessionStore) len() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.m)
}

// --- the sign-in in progress ---------------------------------------------

// pendingLogin is what the callback needs of the sign-in it completes.
type pendingLogin struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"` // PKCE code_verifier
	Next     string `json:"r"` // a local path
	Redirect string `json:"u"` // the redirect_uri sent, sent again at the exchange
	Expires  int64  `json:"e"` // unix seconds
}

// sealer signs cookie values with HMAC-SHA256 under a key made at start.
type sealer struct{ key []byte }

func newSealer() sealer {
	k := make([]byte, 32)
	rand.Read(k)
	return sealer{key: k}
}

func (s sealer) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(b)
	return m.Sum(nil)
}

func (s sealer) seal(p pendingLogin) string {
	b, _ := json.Marshal(p)
	return base64.RawURLEncoding.EncodeToString(b) + "." + base64.RawURLEncoding.EncodeToString(s.mac(b))
}

var errLoginCookie = errors.New("the sign-in cookie is missing, altered or expired")

func (s sealer) open(v string, now time.Time) (pendingLogin, error) {
	var p pendingLogin
	body, sig, ok := strings.Cut(v, ".")
	if !ok {
		return p, errLoginCookie
	}
	b, err1 := base64.RawURLEncoding.DecodeString(body)
	m, err2 := base64.RawURLEncoding.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(m, s.mac(b)) {
		return p, errLoginCookie
	}
	if err := json.Unmarshal(b, &p); err != nil || now.Unix() >= p.Expires {
		return pendingLogin{}, errLoginCookie
	}
	return p, nil
}

// --- cookies ---------------------------------------------------------------

// secureRequest says whether cookies set in answer to r are Secure (when
// no redirect_url says how the browser reaches the server): yes, unless r
// came over plain HTTP to a server listening on loopback (a single
// analyst's browser on the same machine; a browser would not send a
// Secure cookie back over http). Plain HTTP beyond loopback is taken to
// be a TLS-terminating proxy in front: Secure.
func secureRequest(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, ok := bindAddr(r)
	return !(ok && IsLoopback(host))
}

func setSessionCookie(w http.ResponseWriter, secure bool, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		Secure: secure, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

func setLoginCookie(w http.ResponseWriter, secure bool, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: value, Path: "/auth/", MaxAge: maxAge,
		Secure: secure, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// --- failed sign-ins --------------------------------------------------------

// MaxFailureAddrs bounds the addresses a failLimiter remembers; past it
// the address whose last failure is oldest is forgotten first.
const MaxFailureAddrs = 10000

// failLimiter counts failures (sign-ins, authentications) per client
// address in a sliding window: at max failures within window, the
// address is refused until the oldest of them leaves the window. IPv6
// addresses are grouped by /64 (one host holds a whole /64). At most
// limit addresses are kept, each with at most max times; the addresses
// are in order of their last failure (a list), so that the expired ones
// are swept from its front as failures come (amortised, no scan of the
// whole map), and the oldest is evicted first when the limit is reached.
type failLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	limit  int
	fails  map[string]*list.Element // of *failEntry
	order  *list.List               // by last failure, oldest first
}

type failEntry struct {
	key string
	ts  []time.Time // the last max failures, oldest first
}

func newFailLimiter(max int, window time.Duration) *failLimiter {
	if max <= 0 {
		max = DefaultMaxFailures
	}
	if window <= 0 {
		window = DefaultFailureWindow
	}
	return &failLimiter{max: max, window: window, limit: MaxFailureAddrs, fails: map[string]*list.Element{}, order: list.New()}
}

// limiterKey is the key addr's failures are counted under: the IPv4
// address, or the IPv6 address's /64.
func limiterKey(addr string) string {
	ip := net.ParseIP(addr)
	if ip == nil || ip.To4() != nil {
		return addr
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// clientAddr is the address failures are counted by: the connection's
// IP, or the one OIDC.clientAddr finds (the server's sourceAddr: the
// trusted proxy's X-Forwarded-For, believed only from the proxy).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// sweepLocked forgets the addresses whose last failure has left the
// window, from the front of the list (oldest first).
func (l *failLimiter) sweepLocked(now time.Time) {
	for e := l.order.Front(); e != nil; e = l.order.Front() {
		fe := e.Value.(*failEntry)
		if fe.ts[len(fe.ts)-1].After(now.Add(-l.window)) {
			return
		}
		l.order.Remove(e)
		delete(l.fails, fe.key)
	}
}

// recentLocked is the failures of key still in the window.
func (l *failLimiter) recentLocked(key string, now time.Time) []time.Time {
	e, ok := l.fails[key]
	if !ok {
		return nil
	}
	fe := e.Value.(*failEntry)
	i := 0
	for i < len(fe.ts) && !fe.ts[i].After(now.Add(-l.window)) {
		i++
	}
	fe.ts = fe.ts[i:]
	if len(fe.ts) == 0 {
		l.order.Remove(e)
		delete(l.fails, key)
		return nil
	}
	return fe.ts
}

// blocked says whether addr may not try now, and for how long.
func (l *failLimiter) blocked(addr string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweepLocked(now)
	ts := l.recentLocked(limiterKey(addr), now)
	if len(ts) < l.max {
		return false, 0
	}
	return true, ts[len(ts)-l.max].Add(l.window).Sub(now)
}

// fail counts a failure of addr and returns how many are in the window.
func (l *failLimiter) fail(addr string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweepLocked(now)
	key := limiterKey(addr)
	ts := l.recentLocked(key, now)
	if e, ok := l.fails[key]; ok {
		fe := e.Value.(*failEntry)
		fe.ts = append(ts, now)
		if len(fe.ts) > l.max {
			fe.ts = append([]time.Time(nil), fe.ts[len(fe.ts)-l.max:]...)
		}
		l.order.MoveToBack(e)
		return len(fe.ts)
	}
	for len(l.fails) >= l.limit {
		e := l.order.Front()
		l.order.Remove(e)
		delete(l.fails, e.Value.(*failEntry).key)
	}
	l.fails[key] = l.order.PushBack(&failEntry{key: key, ts: []time.Time{now}})
	return 1
}
