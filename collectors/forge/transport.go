package forge

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/store"
)

// Cache is the persistent key → (etag, body) table the transport keeps its
// conditional-request entries in, and the collector its incremental state.
// *store.Store satisfies it.
type Cache interface {
	CacheGet(ctx context.Context, key string) (store.CacheEntry, bool, error)
	CachePut(ctx context.Context, key, etag string, body []byte) error
}

// Defaults of the transport's waiting and retrying.
const (
	DefaultServerRetries    = 4                // 5xx and connection errors
	DefaultLimitRetries     = 5                // primary and secondary rate-limit waits per request
	secondaryBase           = 60 * time.Second // first secondary-limit back-off
	secondaryCap            = 15 * time.Minute // longest doubled back-off (a Retry-After sent is used as is)
	primaryFallback         = 60 * time.Second // wait when a spent limit names no usable reset
	serverBackoffBase       = 1 * time.Second
	cacheMagic              = "osgauge-http-cache v1\n"
	headerFromCache         = "X-From-Cache" // go-github skips rate bookkeeping for these
	headerRetryAfter        = "Retry-After"
	maxErrorBodyForClassify = 64 << 10
)

// Counter counts what requests cost. Attach one to a context with
// WithCounter; the transport adds every request made under that context to
// it (and to its own totals). It is safe for concurrent use.
type Counter struct {
	requests, notModified, retries atomic.Int64
	points                         atomic.Int64 // GraphQL points reported (AddPoints)
	remaining                      atomic.Int64 // last X-RateLimit-Remaining + 1; 0 = unknown
}

// Cost returns the counts so far. RateRemaining is -1 when no response
// carried a rate-limit header.
func (c *Counter) Cost() collectors.Cost {
	return collectors.Cost{
		Requests:      int(c.requests.Load()),
		NotModified:   int(c.notModified.Load()),
		Retries:       int(c.retries.Load()),
		RateRemaining: int(c.remaining.Load()) - 1,
	}
}

type counterKey struct{}

// WithCounter returns a context whose requests through a Transport are
// counted in c as well as in the transport's totals.
func WithCounter(ctx context.Context, c *Counter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

func counterFrom(ctx context.Context) *Counter {
	c, _ := ctx.Value(counterKey{}).(*Counter)
	return c
}

// Dialect is how one forge's API takes a token and tells its rate limit.
type Dialect struct {
	Name string // "GitHub", "GitLab", "Gitee", "GitCode": for messages
	// AuthHeader and AuthPrefix send the token as a header
	// ("Authorization: Bearer <token>", "PRIVATE-TOKEN: <token>").
	AuthHeader, AuthPrefix string
	// TokenQuery, if set, sends the token as this query parameter instead
	// (Gitee's access_token). It is added to the outgoing copy of the request
	// only: the caller's request, the cache key, errors and the response's
	// Request never carry it.
	TokenQuery string
	// RemainingHeader and ResetHeader (Unix seconds) tell the rate limit;
	// ResourceHeader, if set, names the limit's resource.
	RemainingHeader, ResetHeader, ResourceHeader string
	// DefaultAccept is the Accept header the client always sends (left out
	// of cache keys).
	DefaultAccept string
}

// The dialects of the forges osgauge reads.
var (
	GitHub = Dialect{Name: "GitHub", AuthHeader: "Authorization", AuthPrefix: "Bearer ",
		RemainingHeader: "X-RateLimit-Remaining", ResetHeader: "X-RateLimit-Reset", ResourceHeader: "X-RateLimit-Resource",
		DefaultAccept: "application/vnd.github.v3+json"}
	// GitLab: PRIVATE-TOKEN and RateLimit-* headers
	// (docs.gitlab.com/ee/administration/settings/user_and_ip_rate_limits.html).
	GitLab = Dialect{Name: "GitLab", AuthHeader: "PRIVATE-TOKEN",
		RemainingHeader: "RateLimit-Remaining", ResetHeader: "RateLimit-Reset"}
	// Gitee API v5 takes the token only as the access_token parameter.
	Gitee = Dialect{Name: "Gitee", TokenQuery: "access_token",
		RemainingHeader: "X-RateLimit-Remaining", ResetHeader: "X-RateLimit-Reset"}
	// GitCode API v5 accepts the token as a PRIVATE-TOKEN header.
	GitCode = Dialect{Name: "GitCode", AuthHeader: "PRIVATE-TOKEN",
		RemainingHeader: "X-RateLimit-Remaining", ResetHeader: "X-RateLimit-Reset"}
)

// Transport is the one http.RoundTripper all traffic of a forge collector
// goes through. It
//
//   - sends the token as the Dialect says (the token is never logged, never
//     part of a cache key, an error or a Notify message);
//   - makes GETs conditional: it sends If-None-Match with the ETag stored in
//     Cache under "GET <full URL>", turns a 304 into the cached 200 (marked
//     X-From-Cache: 1) and stores the ETag, Link header and body of every 200
//     that carries an ETag. The key holds no token identity: one cache must
//     not be shared by tokens that see different data;
//   - waits, before the next request of the same rate-limit resource, until
//     X-RateLimit-Reset (+1 s) once a response says the limit is spent, and
//     retries a request refused for it;
//   - backs off from secondary limits (403/429 with Retry-After, a 429, or a
//     403 that names the secondary limit) for exactly the Retry-After sent,
//     or, without one, at least a minute, doubling per consecutive hit up to
//     15 minutes, and blocks every request of the credential meanwhile;
//   - with Credentials, sends each request with the first credential that
//     has budget left; with a Budget, shares rate state with every
//     transport that uses the same Budget (see Budget and pickCredential);
//   - retries 5xx and connection errors of GET and HEAD requests with
//     jittered exponential back-off (1 s, 2 s, 4 s, 8 s, ±25%);
//   - counts requests, 304s and retries, and remembers the last
//     X-RateLimit-Remaining.
//
// All waiting goes through Sleep and Now, and respects the request context.
type Transport struct {
	Base    http.RoundTripper // nil: http.DefaultTransport
	Dialect Dialect           // zero: GitHub
	Token   string
	// Credentials, if set, replace Token: several credentials (static
	// tokens, renewing token sources) used in turn; each request goes out
	// with the first one whose budget has requests left.
	Credentials *Credentials
	// Budget, if set, is the rate budget shared with other transports and
	// processes (*store.Store): every request is taken from it first, rate
	// headers and secondary limits are recorded in it, under a key per
	// credential ("cred:" + 16 hex digits of a hash, never the token). nil:
	// this transport's own waits (and, with several credentials, an
	// in-process budget to choose among them). A Budget that fails is
	// notified (at most once a minute); a take from it that fails is
	// retried each second, and after 10 failures in a row this transport
	// counts its requests in process for 5 minutes (notified), then asks
	// the Budget again.
	Budget Budget
	// APIHost, if set, is the only host (host[:port]) the token is sent to,
	// so a redirect elsewhere (a download on another host) does not carry
	// it. The Collector sets it to its API's host.
	APIHost string
	Cache   Cache                                      // nil: no conditional requests
	Now     func() time.Time                           // nil: time.Now
	Sleep   func(context.Context, time.Duration) error // nil: a timer that honours ctx
	Notify  func(string)                               // nil: silent
	// ServerRetries bounds retries of 5xx and connection errors (default 4);
	// LimitRetries bounds rate-limit waits per request (default 5). A
	// negative value means none.
	ServerRetries, LimitRetries int

	mu              sync.Mutex
	notBefore       map[string]time.Time // per rate-limit resource (core, search, graphql)
	secondaryUntil  time.Time
	secondaryStreak int
	// downUntil: the API was unreachable (connection errors through every
	// retry); requests fail at once until then, so an offline run does not
	// spend the whole retry back-off on every project.
	downUntil time.Time
	downWhy   string
	total     Counter
	bs        budgetState
}

// Totals returns what every request through t has cost so far.
func (t *Transport) Totals() collectors.Cost { return t.total.Cost() }

func (t *Transport) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Transport) sleep(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	return SleepContext(ctx, d)
}

// SleepContext waits d or until ctx is done, whichever is first.
func SleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

func (t *Transport) notify(msg string) {
	if t.Notify != nil {
		t.Notify(msg)
	}
}

func (t *Transport) dialect() *Dialect {
	if t.Dialect.Name == "" {
		return &GitHub
	}
	return &t.Dialect
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) limit(n, def int) int {
	switch {
	case n < 0:
		return 0
	case n == 0:
		return def
	}
	return n
}

// resourceOf guesses the rate-limit resource a request is charged to.
func resourceOf(path string) string {
	switch {
	case strings.HasSuffix(path, "/graphql"):
		return "graphql"
	case strings.Contains(path, "/search/"):
		return "search"
	}
	return "core"
}

func (t *Transport) count(ctr *Counter, f func(*Counter)) {
	f(&t.total)
	if ctr != nil {
		f(ctr)
	}
}

// RoundTrip sends req, waiting and retrying as the type documentation says.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	ctr := counterFrom(ctx)
	resource := resourceOf(req.URL.Path)
	idempotent := req.Method == http.MethodGet || req.Method == http.MethodHead
	canResend := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil

	var key string
	var cached store.CacheEntry
	haveCached := false
	if req.Method == http.MethodGet && t.Cache != nil {
		key = t.cacheKey(req)
		if e, ok, err := t.Cache.CacheGet(ctx, key); err == nil && ok && e.ETag != "" {
			cached, haveCached = e, true
		}
	}

	if err := t.checkDown(); err != nil {
		return nil, err
	}
	serverTries, limitTries := 0, 0
	for attempt := 0; ; attempt++ {
		if err := t.waitTurn(ctx, resource); err != nil {
			return nil, err
		}
		r := req.Clone(ctx)
		if attempt > 0 && req.GetBody != nil {
			b, err := req.GetBody()
			if err != nil {
				return nil, err
			}
			r.Body = b
		}
		cred, err := t.pickCredential(ctx, r, resource)
		if err != nil {
			return nil, err
		}
		if cred.token != "" {
			d := t.dialect()
			if d.TokenQuery != "" {
				u := *r.URL
				q := u.Query()
				q.Set(d.TokenQuery, cred.token)
				u.RawQuery = q.Encode()
				r.URL = &u
			} else {
				r.Header.Set(d.AuthHeader, d.AuthPrefix+cred.token)
			}
		}
		if haveCached {
			r.Header.Set("If-None-Match", cached.ETag)
		}
		t.count(ctr, func(c *Counter) {
			c.requests.Add(1)
			if attempt > 0 {
				c.retries.Add(1)
			}
		})

		resp, err := t.base().RoundTrip(r)
		if resp != nil {
			resp.Request = req // never the copy that may carry the token in its URL
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if !idempotent || !canResend || serverTries >= t.limit(t.ServerRetries, DefaultServerRetries) {
				if idempotent && canResend {
					t.markDown(t.scrub(errors.New(connReason(err))).Error())
				}
				return nil, t.scrub(err)
			}
			serverTries++
			d := t.jitter(serverBackoffBase << (serverTries - 1))
			t.notify(fmt.Sprintf("%s %s %s failed (%s): retry %d/%d in %s",
				t.dialect().Name, req.Method, req.URL.Path, t.scrub(errors.New(connReason(err))), serverTries, t.limit(t.ServerRetries, DefaultServerRetries), d.Round(100*time.Millisecond)))
			if err := t.sleep(ctx, d); err != nil {
				return nil, err
			}
			continue
		}

		t.observeRate(ctr, resp, resource, cred.key == "")
		t.budgetObserve(ctx, cred, resp, resource)

		switch kind, wait, hasWait := t.classify(resp); kind {
		case limitPrimary, limitSecondary:
			if kind == limitSecondary {
				// Recorded even when not retried: later requests (and, with
				// a Budget, other workers) must keep off too.
				t.secondary(ctx, req, wait, hasWait, cred, resource)
			}
			if limitTries >= t.limit(t.LimitRetries, DefaultLimitRetries) || !canResend {
				return resp, nil // go-github turns it into RateLimitError / ErrorResponse
			}
			limitTries++
			// limitPrimary: observeRate has set notBefore and waitTurn
			// waits, or the budget makes pickCredential wait or switch.
			continue
		case serverError:
			if !idempotent || !canResend || serverTries >= t.limit(t.ServerRetries, DefaultServerRetries) {
				return resp, nil
			}
			serverTries++
			d := t.jitter(serverBackoffBase << (serverTries - 1))
			t.notify(fmt.Sprintf("%s %s %s answered HTTP %d: retry %d/%d in %s",
				t.dialect().Name, req.Method, req.URL.Path, resp.StatusCode, serverTries, t.limit(t.ServerRetries, DefaultServerRetries), d.Round(100*time.Millisecond)))
			if err := t.sleep(ctx, d); err != nil {
				return nil, err
			}
			continue
		}

		if resp.StatusCode < 400 {
			t.mu.Lock()
			t.secondaryStreak = 0
			t.mu.Unlock()
		}
		t.hideSpentLimit(resp)
		if resp.StatusCode == http.StatusNotModified && haveCached {
			t.count(ctr, func(c *Counter) { c.notModified.Add(1) })
			return fromCache(resp, cached), nil
		}
		if resp.StatusCode == http.StatusOK && key != "" {
			if etag := resp.Header.Get("ETag"); etag != "" {
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					return nil, t.scrub(err)
				}
				resp.Body = io.NopCloser(bytes.NewReader(body))
				resp.ContentLength = int64(len(body))
				// The cache only saves requests: a failed write costs the
				// next run one request, so it does not fail this one.
				_ = t.Cache.CachePut(ctx, key, etag, encodeEntry(resp.Header, body))
			}
		}
		return resp, nil
	}
}

// downFor is how long an API that failed every retry with connection
// errors is not tried again.
const downFor = 10 * time.Minute

func (t *Transport) markDown(why string) {
	t.mu.Lock()
	t.downUntil, t.downWhy = t.now().Add(downFor), why
	t.mu.Unlock()
	t.notify(fmt.Sprintf("%s API unreachable (%s): its other requests fail at once for %s", t.dialect().Name, why, downFor))
}

func (t *Transport) checkDown() error {
	t.mu.Lock()
	until, why := t.downUntil, t.downWhy
	t.mu.Unlock()
	if t.now().Before(until) {
		return fmt.Errorf("%s API unreachable (%s); not tried again until %s", t.dialect().Name, why, until.Local().Format("15:04:05"))
	}
	return nil
}

// cacheKey is the cache key of a GET: the method and the full URL, plus the
// Accept header when it asks for another media type than the client's
// default (the same URL then answers differently). It never contains the
// token, which is added to the outgoing copy only; so one cache must not be
// shared by tokens that see different data.
func (t *Transport) cacheKey(req *http.Request) string {
	k := req.Method + " " + req.URL.String()
	if a := req.Header.Get("Accept"); a != "" && a != t.dialect().DefaultAccept {
		k += " accept=" + a
	}
	return k
}

// waitTurn sleeps until the resource's spent limit resets and any secondary
// back-off is over. It sleeps once for the whole remaining time.
func (t *Transport) waitTurn(ctx context.Context, resource string) error {
	t.mu.Lock()
	until := t.notBefore[resource]
	if t.secondaryUntil.After(until) {
		until = t.secondaryUntil
	}
	t.mu.Unlock()
	if until.IsZero() {
		return ctx.Err()
	}
	if d := until.Sub(t.now()); d > 0 {
		return t.sleep(ctx, d)
	}
	return ctx.Err()
}

// observeRate records X-RateLimit-Remaining and, when the limit is spent
// and local (no budget tracks the credential), blocks the resource until its
// reset (+1 s).
func (t *Transport) observeRate(ctr *Counter, resp *http.Response, resource string, local bool) {
	d := t.dialect()
	rem := resp.Header.Get(d.RemainingHeader)
	if rem == "" {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(rem))
	if err != nil || n < 0 {
		return
	}
	t.count(ctr, func(c *Counter) { c.remaining.Store(int64(n) + 1) })
	if n > 0 || !local {
		return
	}
	if d.ResourceHeader != "" {
		if r := resp.Header.Get(d.ResourceHeader); r != "" {
			resource = r
		}
	}
	now := t.now()
	until := now.Add(primaryFallback)
	if s, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get(d.ResetHeader)), 10, 64); err == nil {
		if reset := time.Unix(s, 0).Add(time.Second); reset.After(now) {
			until = reset
		}
	}
	t.mu.Lock()
	if t.notBefore == nil {
		t.notBefore = map[string]time.Time{}
	}
	prev := t.notBefore[resource]
	if until.After(prev) {
		t.notBefore[resource] = until
	}
	t.mu.Unlock()
	if until.After(prev) {
		t.notify(fmt.Sprintf("%s rate limit spent (%s): waiting %s until %s",
			d.Name, resource, until.Sub(now).Round(time.Second), until.Local().Format("15:04:05")))
	}
}

// secondary records a secondary-limit hit and blocks the credential's
// requests (every request, without a budget) for the back-off: exactly
// Retry-After when the response sent one, otherwise at least a minute,
// doubling per consecutive hit up to the cap.
func (t *Transport) secondary(ctx context.Context, req *http.Request, retryAfter time.Duration, hasRetryAfter bool, p pick, resource string) {
	now := t.now()
	t.mu.Lock()
	t.secondaryStreak++
	streak := t.secondaryStreak
	wait := secondaryBase
	for i := 1; i < streak && wait < secondaryCap; i++ {
		wait *= 2
	}
	if wait > secondaryCap {
		wait = secondaryCap
	}
	if hasRetryAfter {
		wait = retryAfter
	}
	until := now.Add(wait)
	t.mu.Unlock()
	extended := true
	if !t.budgetBlock(ctx, p, resource, until) {
		t.mu.Lock()
		extended = until.After(t.secondaryUntil)
		if extended {
			t.secondaryUntil = until
		}
		t.mu.Unlock()
	}
	if extended {
		t.notify(fmt.Sprintf("%s secondary rate limit on %s %s (hit %d): backing off %s until %s",
			t.dialect().Name, req.Method, req.URL.Path, streak, wait.Round(time.Second), until.Local().Format("15:04:05")))
	}
}

type responseKind int

const (
	ordinary responseKind = iota
	limitPrimary
	limitSecondary
	serverError
)

// classify tells rate-limit refusals and server errors from ordinary
// responses. For a 403, 429 or 5xx it reads the body (at most 64 KiB), puts
// it back for the caller; a secondary limit also returns its Retry-After
// and whether one was sent.
func (t *Transport) classify(resp *http.Response) (responseKind, time.Duration, bool) {
	code := resp.StatusCode
	if code != http.StatusForbidden && code != http.StatusTooManyRequests && code < 500 {
		return ordinary, 0, false
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBodyForClassify))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if code >= 500 {
		return serverError, 0, false
	}
	if strings.TrimSpace(resp.Header.Get(t.dialect().RemainingHeader)) == "0" {
		return limitPrimary, 0, false
	}
	retryAfter, hasRetryAfter := parseRetryAfter(resp.Header.Get(headerRetryAfter), t.now())
	if code == http.StatusTooManyRequests || hasRetryAfter || mentionsSecondary(body) {
		return limitSecondary, retryAfter, hasRetryAfter
	}
	return ordinary, 0, false
}

func mentionsSecondary(body []byte) bool {
	var e struct {
		Message          string `json:"message"`
		DocumentationURL string `json:"documentation_url"`
	}
	_ = json.Unmarshal(body, &e)
	low := strings.ToLower(e.Message + " " + e.DocumentationURL)
	if e.Message == "" && e.DocumentationURL == "" {
		low = strings.ToLower(string(body))
	}
	return strings.Contains(low, "secondary rate limit") || strings.Contains(low, "secondary-rate-limits") ||
		strings.Contains(low, "abuse-rate-limits") || strings.Contains(low, "abuse detection")
}

// parseRetryAfter reads Retry-After as seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		if d := at.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}

// jitter spreads d by ±25%.
func (t *Transport) jitter(d time.Duration) time.Duration {
	f := 0.75 + rand.Float64()/2
	return time.Duration(float64(d) * f)
}

// hideSpentLimit drops X-RateLimit-Reset from a successful response that
// spent the limit: the transport already waits for the reset before the next
// request, and go-github would otherwise refuse that request client-side,
// by its own wall clock.
func (t *Transport) hideSpentLimit(resp *http.Response) {
	d := t.dialect()
	if resp.StatusCode < 400 && strings.TrimSpace(resp.Header.Get(d.RemainingHeader)) == "0" {
		resp.Header.Del(d.ResetHeader)
	}
}

// scrub keeps an error's message and drops anything a lower layer might
// have attached from the request headers (it never holds the token, but an
// error from a custom base transport could).
func (t *Transport) scrub(err error) error { return Scrub(err, t.secrets()...) }

// Scrub replaces every token (raw or URL-escaped, as a query parameter
// carries it) in an error's text by "[token]"; the error chain is kept when
// there is nothing to hide.
func Scrub(err error, tokens ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, tok := range tokens {
		if tok != "" {
			clean = strings.ReplaceAll(strings.ReplaceAll(clean, tok, "[token]"), url.QueryEscape(tok), "[token]")
		}
	}
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

func connReason(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner.Error()
		}
	}
	return err.Error()
}

// cachedHeaders are the headers a cached answer needs: pagination (Link;
// GitLab's X-Next-Page and X-Total-Pages; Gitee's total_count and
// total_page) and Content-Type.
var cachedHeaders = []string{"Link", "Content-Type", "X-Next-Page", "X-Page", "X-Total", "X-Total-Pages", "Total_count", "Total_page"}

// encodeEntry stores the cachedHeaders ahead of the body.
func encodeEntry(h http.Header, body []byte) []byte {
	var b bytes.Buffer
	b.WriteString(cacheMagic)
	for _, k := range cachedHeaders {
		if v := h.Get(k); v != "" {
			b.WriteString(k + ": " + strings.NewReplacer("\r", "", "\n", "").Replace(v) + "\n")
		}
	}
	b.WriteString("\n")
	b.Write(body)
	return b.Bytes()
}

// decodeEntry splits a stored entry into its headers and body. An entry
// written by something else is all body.
func decodeEntry(b []byte) (http.Header, []byte) {
	if !bytes.HasPrefix(b, []byte(cacheMagic)) {
		return http.Header{}, b
	}
	rest := b[len(cacheMagic):]
	i := bytes.Index(rest, []byte("\n\n"))
	if i < 0 {
		if len(rest) > 0 && rest[0] == '\n' {
			return http.Header{}, rest[1:]
		}
		return http.Header{}, b
	}
	if rest[0] == '\n' { // no headers
		return http.Header{}, rest[1:]
	}
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(rest[:i+2])))
	mh, _ := tp.ReadMIMEHeader()
	return http.Header(mh), rest[i+2:]
}

// fromCache turns a 304 into the cached 200 it confirms.
func fromCache(resp *http.Response, e store.CacheEntry) *http.Response {
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	h, body := decodeEntry(e.Body)
	out := &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         resp.Proto,
		ProtoMajor:    resp.ProtoMajor,
		ProtoMinor:    resp.ProtoMinor,
		Header:        resp.Header.Clone(),
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       resp.Request,
	}
	for _, k := range cachedHeaders {
		out.Header.Del(k)
	}
	for k, vs := range h {
		out.Header[k] = vs
	}
	out.Header.Set(headerFromCache, "1")
	return out
}
