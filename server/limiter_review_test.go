package server

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
)

// Review of issue 29: the failure counters are bounded (MaxFailureAddrs
// addresses, the oldest last failure evicted first) and IPv6 addresses
// count by /64. Without the fix 40,000 addresses of one /64 made 40,000
// entries (and each new one past 10,000 scanned the whole map).
func TestFailLimiterBoundedAndIPv6By64(t *testing.T) {
	l := newFailLimiter(3, time.Minute)
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i := range 40000 {
		l.fail(fmt.Sprintf("2001:db8::%x", i), t0)
	}
	// All in 2001:db8::/64: one entry, blocked (3 failures or more).
	if len(l.fails) != 1 {
		t.Errorf("%d entries for one /64, want 1", len(l.fails))
	}
	if b, _ := l.blocked("2001:db8::ffff:1", t0); !b {
		t.Error("another address of the same /64 not blocked")
	}
	if b, _ := l.blocked("2001:db8:0:1::1", t0); b {
		t.Error("the next /64 blocked")
	}
	// 10,000 + 5 IPv4 addresses, one failure each, a second apart: the
	// map stays at MaxFailureAddrs and the oldest are the ones evicted
	// (the /64 above, then 10.0.0.0 …).
	l = newFailLimiter(3, time.Hour)
	for i := range MaxFailureAddrs + 5 {
		l.fail(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), t0.Add(time.Duration(i)*time.Millisecond))
	}
	if len(l.fails) != MaxFailureAddrs || l.order.Len() != MaxFailureAddrs {
		t.Errorf("%d entries (%d in order), want %d", len(l.fails), l.order.Len(), MaxFailureAddrs)
	}
	if _, ok := l.fails["10.0.0.4"]; ok {
		t.Error("10.0.0.4 (5th oldest) kept; the 5 oldest should be gone")
	}
	if _, ok := l.fails["10.0.0.5"]; !ok {
		t.Error("10.0.0.5 (6th oldest) evicted")
	}
	// Past the window everything is swept by the next failure.
	l.fail("192.0.2.1", t0.Add(2*time.Hour))
	if len(l.fails) != 1 {
		t.Errorf("after the window: %d entries, want 1", len(l.fails))
	}
}

// A sign-in callback without the login cookie is refused but not
// counted: before the fix 5 such requests through the TLS proxy in front
// (one address) made every user's /auth/login 429.
func TestSignInCallbackWithoutCookieNotCounted(t *testing.T) {
	o, err := NewOIDC(OIDCOptions{Issuer: "https://idp.example", ClientID: "osgauge", RoleMap: map[string]auth.Role{"g": auth.Viewer}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	o.Register(mux)
	for range 6 {
		r := httptest.NewRequest("GET", "/auth/callback?state=x&code=y", nil)
		r.RemoteAddr = "127.0.0.1:4000"
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest {
			t.Fatalf("callback without cookie: %d", w.Code)
		}
	}
	if b, _ := o.limiter.blocked("127.0.0.1", time.Now()); b {
		t.Error("the address is blocked after cookie-less callbacks")
	}
}

// Failures are counted by the client address the trusted proxy gives in
// X-Forwarded-For only when the connection comes from the proxy's CIDRs;
// from anywhere else the header is ignored (else a guesser would pick a
// victim's address to lock out, or a fresh one per guess).
func TestSourceAddrXFFOnlyFromTrustedProxy(t *testing.T) {
	p, err := auth.NewProxy("X-Remote-User", []string{"10.0.0.1"}, "", nil, "viewer")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{opt: Options{Proxy: p}}
	for _, tc := range []struct{ remote, xff, want string }{
		{"10.0.0.1:5000", "198.51.100.7", "198.51.100.7"},
		{"10.0.0.1:5000", "203.0.113.9, 198.51.100.7", "198.51.100.7"}, // the last the proxy added
		{"192.0.2.50:5000", "198.51.100.7", "192.0.2.50"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tc.remote
		r.Header.Set("X-Forwarded-For", tc.xff)
		if got := s.sourceAddr(r); got != tc.want {
			t.Errorf("%s with X-Forwarded-For %q: %s, want %s", tc.remote, tc.xff, got, tc.want)
		}
	}
}

// A request from the trusted proxy with its user header twice is 401 and
// logged (issue 29 review), not the first value's identity.
func TestProxyRepeatedHeader401(t *testing.T) {
	p, err := auth.NewProxy("X-Remote-User", []string{"10.0.0.1"}, "", nil, "approver")
	if err != nil {
		t.Fatal(err)
	}
	rig := newAuthRig(t, true, Options{Proxy: p})
	r := httptest.NewRequest("GET", "/api/v1/runs", nil)
	r.RemoteAddr = "10.0.0.1:5000"
	r.Header.Add("X-Remote-User", "bob")
	r.Header.Add("X-Remote-User", "mallory")
	w := httptest.NewRecorder()
	rig.srv.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusUnauthorized {
		t.Errorf("repeated user header: %d, want 401", w.Code)
	}
	if !strings.Contains(rig.logs.String(), "appears more than once") {
		t.Errorf("not logged: %s", rig.logs)
	}
}
