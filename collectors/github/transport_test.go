package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"
)

const secondaryBody = `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.","documentation_url":"https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`

const primaryBody = `{"message":"API rate limit exceeded for user ID 1234. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"}`

// scripted answers request i with step i (the last step repeats).
type scripted struct {
	t     *testing.T
	clk   *fakeClock
	steps []func(w http.ResponseWriter, r *http.Request)
	mu    sync.Mutex
	n     int
	at    []time.Time // fake time of each request
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	i := min(s.n, len(s.steps)-1)
	s.n++
	s.at = append(s.at, s.clk.Now())
	s.mu.Unlock()
	s.steps[i](w, r)
}

func (s *scripted) count() int { s.mu.Lock(); defer s.mu.Unlock(); return s.n }

func rate(w http.ResponseWriter, remaining int, reset time.Time) {
	w.Header().Set("X-RateLimit-Limit", "5000")
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-RateLimit-Used", strconv.Itoa(5000-remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	w.Header().Set("X-RateLimit-Resource", "core")
}

func okRepo(remaining int, reset time.Time) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		rate(w, remaining, reset)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, `{"id":1,"name":"r","full_name":"o/r","owner":{"login":"o","type":"User"},"default_branch":"main"}`)
	}
}

func status(code int, body string, headers ...string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(code)
		io.WriteString(w, body)
	}
}

type tharness struct {
	srv    *httptest.Server
	s      *scripted
	clk    *fakeClock
	tr     *Transport
	client *gh.Client
	mu     sync.Mutex
	notes  []string
}

func newTransportHarness(t *testing.T, steps ...func(http.ResponseWriter, *http.Request)) *tharness {
	clk := &fakeClock{t: testNow}
	s := &scripted{t: t, clk: clk, steps: steps}
	h := &tharness{s: s, clk: clk}
	h.srv = httptest.NewServer(s)
	t.Cleanup(h.srv.Close)
	h.tr = &Transport{Token: testToken, Cache: NewMemCache(), Now: clk.Now, Sleep: clk.Sleep,
		Notify: func(m string) { h.mu.Lock(); h.notes = append(h.notes, m); h.mu.Unlock() }}
	var err error
	h.client, err = gh.NewClient(&http.Client{Transport: h.tr}).WithEnterpriseURLs(h.srv.URL+"/api/v3/", h.srv.URL+"/api/v3/")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func (h *tharness) get(ctx context.Context) (*gh.Repository, error) {
	r, _, err := h.client.Repositories.Get(ctx, "o", "r")
	return r, err
}

func approx(d, want time.Duration, spread float64) bool {
	return float64(d) >= float64(want)*(1-spread) && float64(d) <= float64(want)*(1+spread)
}

// A response that spends the limit makes the next request wait until the
// reset (+1 s); go-github is kept from refusing it client-side.
func TestPrimaryLimitWaitsForReset(t *testing.T) {
	reset := testNow.Add(41 * time.Minute)
	h := newTransportHarness(t, okRepo(0, reset), okRepo(4999, testNow.Add(2*time.Hour)))
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(h.clk.Sleeps()) != 0 {
		t.Fatalf("slept before the limit was spent: %v", h.clk.Sleeps())
	}
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := 41*time.Minute + time.Second
	if s := h.clk.Sleeps(); len(s) != 1 || s[0] != want {
		t.Fatalf("sleeps %v, want [%v]", s, want)
	}
	if !h.s.at[1].Equal(reset.Add(time.Second)) {
		t.Errorf("second request at %v, want at the reset %v", h.s.at[1], reset.Add(time.Second))
	}
	if len(h.notes) != 1 || !strings.Contains(h.notes[0], "rate limit spent (core): waiting 41m1s until") {
		t.Errorf("notices %q", h.notes)
	}
	if c := h.tr.Totals(); c.Requests != 2 || c.RateRemaining != 4999 {
		t.Errorf("totals %+v", c)
	}
}

// A 403 with X-RateLimit-Remaining: 0 is waited out and retried.
func TestPrimaryLimit403IsRetriedAfterReset(t *testing.T) {
	reset := testNow.Add(10 * time.Minute)
	h := newTransportHarness(t,
		func(w http.ResponseWriter, r *http.Request) {
			rate(w, 0, reset)
			status(http.StatusForbidden, primaryBody)(w, r)
		},
		okRepo(4999, testNow.Add(time.Hour)))
	repo, err := h.get(context.Background())
	if err != nil || repo.GetName() != "r" {
		t.Fatalf("%v %v", repo, err)
	}
	if s := h.clk.Sleeps(); len(s) != 1 || s[0] != 10*time.Minute+time.Second {
		t.Fatalf("sleeps %v", s)
	}
	if c := h.tr.Totals(); c.Requests != 2 || c.Retries != 1 {
		t.Errorf("totals %+v", c)
	}
}

// A 429 with remaining 0 is a primary limit too; with no usable reset the
// transport waits a minute.
func TestPrimaryLimit429WithoutReset(t *testing.T) {
	h := newTransportHarness(t,
		func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-RateLimit-Remaining", "0")
			status(http.StatusTooManyRequests, primaryBody)(w, r)
		},
		okRepo(10, testNow.Add(time.Hour)))
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := h.clk.Sleeps(); len(s) != 1 || s[0] != time.Minute {
		t.Fatalf("sleeps %v", s)
	}
}

// Secondary limits back off exactly the Retry-After sent; without one, at
// least 60 s, doubling per consecutive hit; success resets the streak.
func TestSecondaryLimitBacksOffAndDoubles(t *testing.T) {
	sec := func(headers ...string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			rate(w, 4000, testNow.Add(time.Hour))
			status(http.StatusForbidden, secondaryBody, headers...)(w, r)
		}
	}
	h := newTransportHarness(t,
		sec("Retry-After", "30"), // exactly 30 s (hit 1)
		sec(),                    // no Retry-After, message names the limit: hit 2, 120 s
		status(http.StatusTooManyRequests, `{"message":"Too Many Requests"}`), // 429: 240 s
		okRepo(3999, testNow.Add(time.Hour)),
		sec("Retry-After", "600"), // after a success: Retry-After says 600 s, so 600 s
		okRepo(3998, testNow.Add(time.Hour)),
	)
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{30 * time.Second, 120 * time.Second, 240 * time.Second, 600 * time.Second}
	if s := h.clk.Sleeps(); fmt.Sprint(s) != fmt.Sprint(want) {
		t.Fatalf("sleeps %v, want %v", s, want)
	}
	if len(h.notes) != 4 || !strings.Contains(h.notes[0], "secondary rate limit on GET /api/v3/repos/o/r (hit 1): backing off 30s") {
		t.Errorf("notices %q", h.notes)
	}
	if c := h.tr.Totals(); c.Requests != 6 || c.Retries != 4 {
		t.Errorf("totals %+v", c)
	}
}

// Secondary-limit retries are bounded; the back-off without Retry-After is
// capped at 15 min. The error is go-github's AbuseRateLimitError.
func TestSecondaryLimitBounded(t *testing.T) {
	h := newTransportHarness(t, func(w http.ResponseWriter, r *http.Request) {
		rate(w, 4000, testNow.Add(time.Hour))
		status(http.StatusForbidden, secondaryBody)(w, r)
	})
	h.tr.LimitRetries = 6
	_, err := h.get(context.Background())
	var ab *gh.AbuseRateLimitError
	if !errors.As(err, &ab) {
		t.Fatalf("err = %v, want AbuseRateLimitError", err)
	}
	want := []time.Duration{1, 2, 4, 8, 15, 15}
	for i := range want {
		want[i] *= time.Minute
	}
	if s := h.clk.Sleeps(); fmt.Sprint(s) != fmt.Sprint(want) {
		t.Fatalf("sleeps %v, want %v", s, want)
	}
	if h.s.count() != 7 {
		t.Errorf("%d requests, want 1 + 6 retries", h.s.count())
	}
}

// 5xx are retried with jittered exponential back-off, then succeed.
func TestServerErrorRetriedThenSucceeds(t *testing.T) {
	h := newTransportHarness(t,
		status(http.StatusInternalServerError, `{"message":"Server Error"}`),
		status(http.StatusBadGateway, `<html>bad gateway</html>`),
		status(http.StatusServiceUnavailable, `{"message":"Service Unavailable"}`),
		okRepo(100, testNow.Add(time.Hour)))
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	s := h.clk.Sleeps()
	if len(s) != 3 || !approx(s[0], time.Second, .25) || !approx(s[1], 2*time.Second, .25) || !approx(s[2], 4*time.Second, .25) {
		t.Fatalf("sleeps %v, want about 1s 2s 4s", s)
	}
	if c := h.tr.Totals(); c.Requests != 4 || c.Retries != 3 {
		t.Errorf("totals %+v", c)
	}
}

// A persistent 5xx gives up after 4 retries with go-github's error.
func TestServerErrorBounded(t *testing.T) {
	h := newTransportHarness(t, status(http.StatusInternalServerError, `{"message":"Server Error"}`))
	_, err := h.get(context.Background())
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 500 {
		t.Fatalf("err = %v", err)
	}
	if h.s.count() != 5 || len(h.clk.Sleeps()) != 4 {
		t.Errorf("%d requests, sleeps %v; want 5 and 4", h.s.count(), h.clk.Sleeps())
	}
}

// A connection reset is retried like a 5xx.
func TestConnectionResetRetried(t *testing.T) {
	var h *tharness
	h = newTransportHarness(t,
		func(w http.ResponseWriter, r *http.Request) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			if tc, ok := conn.(*net.TCPConn); ok {
				tc.SetLinger(0) // RST, not FIN
			}
			conn.Close()
		},
		okRepo(100, testNow.Add(time.Hour)))
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if c := h.tr.Totals(); c.Retries != 1 || len(h.clk.Sleeps()) != 1 {
		t.Errorf("totals %+v, sleeps %v", c, h.clk.Sleeps())
	}
}

// Waits end when the context does.
func TestWaitRespectsContext(t *testing.T) {
	reset := testNow.Add(time.Hour)
	h := newTransportHarness(t, okRepo(0, reset))
	h.tr.Sleep = nil // the real timer: an hour, unless the context ends first
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := h.get(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
		t.Fatalf("err %v after %v", err, time.Since(start))
	}
	if h.s.count() != 1 {
		t.Errorf("%d requests; the second must not be sent", h.s.count())
	}
}

// ETags: a repeat GET is conditional, a 304 comes back as the cached 200
// (with its Link header) and costs no rate limit; the cache is not updated
// on a 304.
func TestConditionalRequests(t *testing.T) {
	var h *tharness
	body := `[{"id":1,"name":"v1","tag_name":"v1"}]`
	h = newTransportHarness(t, func(w http.ResponseWriter, r *http.Request) {
		rate(w, 100, testNow.Add(time.Hour))
		w.Header().Set("ETag", `W/"abc"`)
		if r.Header.Get("If-None-Match") == `W/"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Link", `<`+h.srv.URL+`/api/v3/repos/o/r/releases?page=2>; rel="next"`)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	})
	for i := range 3 {
		rel, resp, err := h.client.Repositories.ListReleases(context.Background(), "o", "r", nil)
		if err != nil || len(rel) != 1 || rel[0].GetTagName() != "v1" || resp.NextPage != 2 {
			t.Fatalf("call %d: %v %v %v", i, rel, resp, err)
		}
	}
	c := h.tr.Totals()
	if c.Requests != 3 || c.NotModified != 2 {
		t.Errorf("totals %+v", c)
	}
	keys := h.tr.Cache.(*MemCache).Keys()
	if len(keys) != 1 || keys[0] != "GET "+h.srv.URL+"/api/v3/repos/o/r/releases" {
		t.Errorf("cache keys %v", keys)
	}
}

// The token goes only to the API host, not to a host a redirect points at.
func TestTokenOnlyToAPIHost(t *testing.T) {
	var other []string
	var mu sync.Mutex
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		other = append(other, r.Header.Get("Authorization"))
		mu.Unlock()
		okRepo(100, testNow.Add(time.Hour))(w, r)
	}))
	defer elsewhere.Close()
	h := newTransportHarness(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("API host got Authorization %q", r.Header.Get("Authorization"))
		}
		http.Redirect(w, r, elsewhere.URL+"/somewhere", http.StatusFound)
	})
	h.tr.APIHost = strings.TrimPrefix(h.srv.URL, "http://")
	if _, err := h.get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(other) != 1 || other[0] != "" {
		t.Errorf("the other host got Authorization %q", other)
	}
}
