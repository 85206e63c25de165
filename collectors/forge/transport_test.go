package forge

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestCacheEntryRoundTrip(t *testing.T) {
	hd := http.Header{}
	hd.Set("Link", `<https://x/?page=2>; rel="next"`)
	hd.Set("Content-Type", "application/json")
	b := []byte("[1,2]\n\nmore")
	gotH, gotB := decodeEntry(encodeEntry(hd, b))
	if gotH.Get("Link") != hd.Get("Link") || gotH.Get("Content-Type") != "application/json" || string(gotB) != string(b) {
		t.Errorf("%v %q", gotH, gotB)
	}
	// GitLab's and Gitee's page headers survive too, so a page answered with
	// a 304 still says where the next one is.
	pg := http.Header{}
	pg.Set("X-Next-Page", "3")
	pg.Set("total_page", "7")
	if gotH, _ = decodeEntry(encodeEntry(pg, b)); gotH.Get("X-Next-Page") != "3" || gotH.Get("Total_page") != "7" {
		t.Errorf("page headers %v", gotH)
	}
	gotH, gotB = decodeEntry(encodeEntry(http.Header{}, b))
	if len(gotH) != 0 || string(gotB) != string(b) {
		t.Errorf("%v %q", gotH, gotB)
	}
	if _, gotB = decodeEntry([]byte("raw")); string(gotB) != "raw" {
		t.Errorf("%q", gotB)
	}
}

// fakeClock advances only when the transport sleeps.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	return nil
}

// A token that must go in the query (Gitee) reaches the server there and
// nowhere else: not the caller's request, the response's Request, the cache
// key, a retry message or an error.
func TestTokenInQueryNeverLeaks(t *testing.T) {
	const canary = "tok-CANARY-5f3a9"
	var mu sync.Mutex
	var seen []string
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		seen = append(seen, r.URL.Query().Get("access_token")+"|"+r.Header.Get("Authorization")+r.Header.Get("PRIVATE-TOKEN"))
		mu.Unlock()
		if k == 1 { // one server error first: the retry message must not carry the token
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Header().Set("ETag", `"e1"`)
		fmt.Fprint(w, `{"full_name":"o/r"}`)
	}))
	defer srv.Close()
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	var msgs []string
	cache := NewMemCache()
	tr := &Transport{Dialect: Gitee, Token: canary, Cache: cache, Now: clk.Now, Sleep: clk.Sleep,
		Notify: func(s string) { msgs = append(msgs, s) }}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v5/repos/o/r?page=1", nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if len(seen) != 2 || seen[1] != canary+"|" {
		t.Fatalf("server saw %q, want the token in access_token only", seen)
	}
	leaks := []string{req.URL.String(), resp.Request.URL.String(), strings.Join(cache.Keys(), " "), strings.Join(msgs, " ")}
	for _, s := range leaks {
		if strings.Contains(s, canary) {
			t.Errorf("token leaked into %q", s)
		}
	}
	// A connection error's message names the URL the base transport was
	// given, token and all: the transport scrubs it.
	tr2 := &Transport{Dialect: Gitee, Token: canary, ServerRetries: -1,
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, errors.New("dial " + r.URL.String() + ": refused")
		})}
	_, err = tr2.RoundTrip(req)
	if err == nil || strings.Contains(err.Error(), canary) || !strings.Contains(err.Error(), "[token]") {
		t.Errorf("error %v", err)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// GitLab: PRIVATE-TOKEN header; RateLimit-Remaining 0 makes the next request
// wait until RateLimit-Reset + 1 s; a 429 with Retry-After backs off at
// least that long.
func TestGitLabDialect(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	reset := clk.t.Add(90 * time.Second)
	var mu sync.Mutex
	var tokens []string
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		k := n
		tokens = append(tokens, r.Header.Get("PRIVATE-TOKEN"))
		mu.Unlock()
		w.Header().Set("RateLimit-Limit", "2000")
		switch k {
		case 1:
			w.Header().Set("RateLimit-Remaining", "0")
			w.Header().Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
			fmt.Fprint(w, `{}`)
		case 2:
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"message":"429 Too Many Requests"}`)
		default:
			w.Header().Set("RateLimit-Remaining", "1999")
			fmt.Fprint(w, `{}`)
		}
	}))
	defer srv.Close()
	tr := &Transport{Dialect: GitLab, Token: "glpat-x", Now: clk.Now, Sleep: clk.Sleep}
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v4/projects/1", nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	// Request 1 spends the limit; request 2 waits for the reset (90 s + 1 s),
	// is refused with Retry-After 120 — longer than the 60 s first back-off,
	// so 120 s is waited — and request 3 succeeds.
	want := []time.Duration{91 * time.Second, 120 * time.Second}
	if fmt.Sprint(clk.slept) != fmt.Sprint(want) {
		t.Errorf("slept %v, want %v", clk.slept, want)
	}
	if fmt.Sprint(tokens) != "[glpat-x glpat-x glpat-x]" {
		t.Errorf("PRIVATE-TOKEN sent %v", tokens)
	}
	if got := tr.Totals(); got.Requests != 3 || got.Retries != 1 || got.RateRemaining != 1999 {
		t.Errorf("totals %+v", got)
	}
}

func TestNormCompany(t *testing.T) {
	for in, want := range map[string]string{
		"@BigCorp Inc.": "bigcorp", "BigCorp, Inc.": "bigcorp", "@google @other": "google",
		"Huawei Technologies Co., Ltd.": "huawei technologies", "Freelance": "", "": "", "  ACME GmbH ": "acme",
	} {
		if got, _ := normCompany(in); got != want {
			t.Errorf("normCompany(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"mail.google.com": "google", "example.com.cn": "example", "bigcorp.com": "bigcorp"} {
		if got := domainLabel(in); got != want {
			t.Errorf("domainLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// An API that fails every retry with connection errors (an intranet without
// that forge) is not tried again for a while: the next project fails at
// once instead of spending the whole back-off again.
func TestUnreachableAPIFailsFast(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	attempts := 0
	tr := &Transport{Dialect: GitLab, Now: clk.Now, Sleep: clk.Sleep,
		Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			attempts++
			return nil, errors.New("dial tcp: lookup gitlab.example: no such host")
		})}
	get := func() error {
		req, _ := http.NewRequest(http.MethodGet, "https://gitlab.example/api/v4/projects/1", nil)
		_, err := tr.RoundTrip(req)
		return err
	}
	if err := get(); err == nil || attempts != 5 {
		t.Fatalf("first request: %v after %d attempts, want an error after 1 + 4 retries", err, attempts)
	}
	if err := get(); err == nil || !strings.Contains(err.Error(), "unreachable") || attempts != 5 {
		t.Errorf("second request: %v after %d attempts in all, want it refused without sending", err, attempts)
	}
	clk.Sleep(context.Background(), 11*time.Minute)
	get()
	if attempts != 10 {
		t.Errorf("after the pause the API is tried again: %d attempts in all, want 10", attempts)
	}
}
