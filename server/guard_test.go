package server

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// send sends one request to ts; host, if set, replaces the Host header;
// hdr are header name, value pairs.
func send(t *testing.T, ts *httptest.Server, method, path, host, body string, hdr ...string) response {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, ts.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

// A web page cannot start a run: a cross-site form post (what an attacker's
// page submits, with the Basic credentials the browser holds for the
// dashboard) is refused before anything starts; the same server's own
// JSON request with the token starts the run.
func TestGuardCrossSiteRun(t *testing.T) {
	f := newFixture(t, token)
	bearer := "Bearer " + token
	form := "application/x-www-form-urlencoded"
	for _, tc := range []struct {
		name string
		body string
		hdr  []string
		code int
	}{
		// The browser says where the request comes from.
		{"Sec-Fetch-Site cross-site, form, empty body", "", []string{"Sec-Fetch-Site", "cross-site", "Content-Type", form}, 403},
		{"Sec-Fetch-Site cross-site, text/plain form", `{"kind":"collect"}`, []string{"Sec-Fetch-Site", "cross-site", "Content-Type", "text/plain"}, 403},
		// An older browser: only Origin, another site's.
		{"Origin of another site, form", "", []string{"Origin", "https://evil.example", "Content-Type", form}, 403},
		{"Origin of another site, JSON", `{"kind":"collect"}`, []string{"Origin", "http://evil.example", "Content-Type", "application/json"}, 403},
		// No browser header at all (a browser that sends neither, or a
		// script): a form's content type or an empty body still starts nothing.
		{"no Origin, form, empty body", "", []string{"Content-Type", form}, 415},
		{"no Origin, multipart", "--x--", []string{"Content-Type", "multipart/form-data; boundary=x"}, 415},
		{"no Origin, text/plain", `{"kind":"collect"}`, []string{"Content-Type", "text/plain;charset=UTF-8"}, 415},
		{"no Content-Type, empty body", "", nil, 415},
		{"JSON, empty body", "", []string{"Content-Type", "application/json"}, 400},
		{"JSON, blank body", " \n\t ", []string{"Content-Type", "application/json"}, 400},
	} {
		r := send(t, f.ts, "POST", "/api/v1/runs", "", tc.body, append([]string{"Authorization", bearer}, tc.hdr...)...)
		if r.code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, r.code, r.body, tc.code)
		}
		if f.sched.Running("collect") {
			t.Fatalf("%s: started collect", tc.name)
		}
	}
	runs := func() int {
		var got struct {
			Runs []runJSON `json:"runs"`
		}
		decode(t, f.get(t, "/api/v1/runs?kind=collect"), &got)
		return len(got.Runs)
	}
	before := runs()

	// From the dashboard's own origin, with JSON and the token: started.
	r := send(t, f.ts, "POST", "/api/v1/runs", "", `{"kind":"collect"}`, "Authorization", bearer,
		"Sec-Fetch-Site", "same-origin", "Origin", f.ts.URL, "Content-Type", "application/json; charset=utf-8")
	if r.code != http.StatusAccepted || !f.sched.Running("collect") {
		t.Fatalf("same-origin JSON POST: %d %s", r.code, r.body)
	}
	close(f.release)
	deadline := time.Now().Add(10 * time.Second)
	for f.sched.Running("collect") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runs(); n != before+1 {
		t.Errorf("runs: %d after the POST, %d before", n, before)
	}
	// Without the token still 401, whatever the body.
	if r := send(t, f.ts, "POST", "/api/v1/runs", "", "", "Content-Type", form); r.code != http.StatusUnauthorized {
		t.Errorf("no token: %d", r.code)
	}
}

// A trusted origin (a portal of the bank's that posts to the API) passes
// the cross-origin check; others still do not.
func TestGuardTrustedOrigin(t *testing.T) {
	f := newFixture(t, token)
	if err := f.srv.Trust([]string{"https://portal.bank.internal"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Trust([]string{"portal.bank.internal"}, nil); err == nil {
		t.Error("an origin without scheme accepted")
	}
	hdr := func(origin string) []string {
		return []string{"Authorization", "Bearer " + token, "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site", "Origin", origin}
	}
	if r := send(t, f.ts, "POST", "/api/v1/runs", "", `{"kind":"report"}`, hdr("https://evil.example")...); r.code != http.StatusForbidden {
		t.Errorf("untrusted origin: %d %s", r.code, r.body)
	}
	if r := send(t, f.ts, "POST", "/api/v1/runs", "", `{"kind":"report"}`, hdr("https://portal.bank.internal")...); r.code != http.StatusAccepted {
		t.Errorf("trusted origin: %d %s", r.code, r.body)
	}
}

// The check takes an SBOM in its own content types, never a form's, and
// not cross-site.
func TestGuardCheckBodies(t *testing.T) {
	ts := checkServer(t, Options{Check: fakeChecker})
	for ct, code := range map[string]int{
		"application/json":                  200,
		"application/vnd.cyclonedx+json":    200,
		"application/spdx+json":             200,
		"application/xml":                   200,
		"application/vnd.cyclonedx+xml":     200,
		"text/spdx":                         200,
		"":                                  415,
		"application/x-www-form-urlencoded": 415,
		"multipart/form-data; boundary=x":   415,
		"text/plain":                        415,
	} {
		r := send(t, ts, "POST", "/api/v1/check?system=payments", "", "left-pad", "Content-Type", ct)
		if r.code != code {
			t.Errorf("Content-Type %q: %d %s, want %d", ct, r.code, r.body, code)
		}
	}
	if r := send(t, ts, "POST", "/api/v1/check?system=payments", "", "left-pad", "Content-Type", "application/json",
		"Sec-Fetch-Site", "cross-site"); r.code != http.StatusForbidden {
		t.Errorf("cross-site check: %d", r.code)
	}
	// GETs are not refused for their Sec-Fetch-Site (links into the
	// dashboard from the intranet work).
	if r := send(t, ts, "GET", "/healthz", "", "", "Sec-Fetch-Site", "cross-site"); r.code != http.StatusOK {
		t.Errorf("cross-site GET: %d", r.code)
	}
}

// DNS rebinding: a page whose name resolves to 127.0.0.1 sends its own
// name as Host. On a loopback bind such a request is not answered, GETs of
// the API and the reports included; the loopback names with the listen
// port are.
func TestGuardLoopbackHost(t *testing.T) {
	f := newFixture(t, "") // no token: what a loopback bind allows
	for _, listen := range []string{"127.0.0.1:0", "localhost:0", ""} {
		ts := httptest.NewUnstartedServer(f.srv.Handler())
		if listen != "" { // as serve does; "" (httptest's own): the connection's address
			ts.Config = f.srv.HTTPServer(listen)
		}
		ts.Start()
		defer ts.Close()
		_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
		for host, code := range map[string]int{
			"127.0.0.1:" + port:        200,
			"localhost:" + port:        200,
			"LocalHost:" + port:        200,
			"[::1]:" + port:            200,
			"evil.example:" + port:     421,
			"evil.example":             421,
			"127.0.0.1.nip.io:" + port: 421,
			"127.0.0.1:1":              421, // another port: another server's name
			"osgauge.bank.internal":    421,
		} {
			for _, path := range []string{"/api/v1/subjects", "/api/v1/status", "/reports/osgauge-2026Q4.json", "/"} {
				r := send(t, ts, "GET", path, host, "")
				if r.code != code {
					t.Errorf("listen %q, Host %s, GET %s: %d, want %d", listen, host, path, r.code, code)
				}
				if code != 200 && (strings.Contains(r.body, "github.com/o/r") || strings.Contains(r.body, "2026Q4") || strings.Contains(r.body, "dashboard")) {
					t.Errorf("Host %s, GET %s: the refusal shows data: %s", host, path, r.body)
				}
			}
		}
		if r := send(t, ts, "POST", "/api/v1/runs", "evil.example:"+port, `{"kind":"report"}`, "Content-Type", "application/json"); r.code != http.StatusMisdirectedRequest {
			t.Errorf("listen %q: POST with Host evil.example: %d", listen, r.code)
		}
	}

	// A name given to Trust (a proxy on the same machine) is answered.
	if err := f.srv.Trust(nil, []string{"osgauge.bank.internal", "::1"}); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(f.srv.Handler())
	ts.Config = f.srv.HTTPServer("127.0.0.1:0")
	ts.Start()
	defer ts.Close()
	for host, code := range map[string]int{"osgauge.bank.internal": 200, "OSGAUGE.bank.internal:443": 200, "[::1]:9": 200, "evil.example": 421} {
		if r := send(t, ts, "GET", "/api/v1/subjects", host, ""); r.code != code {
			t.Errorf("trusted hosts, Host %s: %d, want %d", host, r.code, code)
		}
	}
	if err := f.srv.Trust(nil, []string{"https://x"}); err == nil {
		t.Error("a host with a scheme accepted")
	}
}

// Beyond loopback (a token required, usually a proxy in front) any Host
// is served: the proxy names the server as it likes.
func TestGuardProxyHost(t *testing.T) {
	f := newFixture(t, token)
	for _, listen := range []string{"0.0.0.0:0", ":8080", "10.1.2.3:8080"} {
		ts := httptest.NewUnstartedServer(f.srv.Handler())
		ts.Config = f.srv.HTTPServer(listen) // the test listens on loopback; the server's address says otherwise
		ts.Start()
		defer ts.Close()
		for _, host := range []string{"osgauge.bank.internal", "evil.example:8080", "10.1.2.3"} {
			r := send(t, ts, "GET", "/api/v1/subjects", host, "", "Authorization", "Bearer "+token)
			if r.code != http.StatusOK || !strings.Contains(r.body, "github.com/o/r") {
				t.Errorf("listen %s, Host %s: %d %s", listen, host, r.code, r.body)
			}
		}
		// Cross-origin protection still holds: Origin against the Host the proxy forwards.
		r := send(t, ts, "POST", "/api/v1/runs", "osgauge.bank.internal", `{"kind":"report"}`, "Authorization", "Bearer "+token,
			"Content-Type", "application/json", "Origin", "https://evil.example")
		if r.code != http.StatusForbidden {
			t.Errorf("listen %s: cross-origin POST behind a proxy: %d", listen, r.code)
		}
	}
}
