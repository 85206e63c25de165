package forge

import (
	"context"
	"errors"
	"fmt"
	"github.com/osgauge/osgauge/store/storetest"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// MemBudget follows the shared budget rules (storetest.BudgetSequence, the
// same sequence the store runs on SQLite and PostgreSQL).
func TestMemBudgetSequence(t *testing.T) {
	storetest.BudgetSequence(t, NewMemBudget())
}

// A key that spends its window and is told so by a 0 (no pending takes):
// the window's end is waited for; an answer whose window is already over
// is ignored.
func TestMemBudgetSpentAndStale(t *testing.T) {
	ctx := context.Background()
	b := NewMemBudget()
	t0 := time.Unix(1_700_000_000, 0)
	b.BudgetObserve(ctx, "k", 0, t0.Add(90*time.Second), t0)
	if w, _ := b.BudgetTake(ctx, "k", t0.Add(30*time.Second)); w != 61*time.Second {
		t.Errorf("wait %v, want 90 s − 30 s + 1 s = 61 s", w)
	}
	b2 := NewMemBudget()
	b2.BudgetObserve(ctx, "k", 0, t0.Add(-time.Minute), t0) // over already
	if w, _ := b2.BudgetTake(ctx, "k", t0); w != 0 {
		t.Errorf("a stale answer made the key wait %v", w)
	}
}

// gatedClock is a fake clock whose time does not move while a request
// that was taken from the budget is in flight (as real requests take
// milliseconds, not the minutes a wait does): Sleep takes the gate for
// writing, a take that lets a request through holds it for reading until
// the response is back.
type gatedClock struct {
	gate   sync.RWMutex
	mu     sync.Mutex
	t      time.Time
	sleeps int
}

func (c *gatedClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *gatedClock) Sleep(ctx context.Context, d time.Duration) error {
	c.gate.Lock()
	defer c.gate.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.sleeps++
	return ctx.Err()
}

// gatedBudget takes at the clock's time under the gate and keeps the gate
// while the request it let through is in flight (released by gatedBase).
type gatedBudget struct {
	Budget
	clk *gatedClock
}

func (g gatedBudget) BudgetTake(ctx context.Context, key string, _ time.Time) (time.Duration, error) {
	g.clk.gate.RLock()
	w, err := g.Budget.BudgetTake(ctx, key, g.clk.Now())
	if w > 0 || err != nil {
		g.clk.gate.RUnlock()
	}
	return w, err
}

func gatedBase(clk *gatedClock) http.RoundTripper {
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.MaxIdleConnsPerHost = 32
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		defer clk.gate.RUnlock()
		return base.RoundTrip(r)
	})
}

// limitedAPI is a GitHub-like API that allows limit requests per window
// and token; a window starts with the first request after the last one
// ended and lasts an hour. A request over the limit is a violation,
// answered 403 with remaining 0 as GitHub does.
type limitedAPI struct {
	now        func() time.Time
	limit      int
	window     time.Duration
	mu         sync.Mutex
	win        map[string]*apiWindow
	tokens     []string
	requests   int
	violations int
	script     map[int]func(http.ResponseWriter) bool // by request number (1-based): answers instead
}

type apiWindow struct {
	used int
	end  time.Time
}

func newLimitedAPI(now func() time.Time, limit int) *limitedAPI {
	return &limitedAPI{now: now, limit: limit, window: time.Hour, win: map[string]*apiWindow{}}
}

func (a *limitedAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	now := a.now()
	a.mu.Lock()
	a.requests++
	a.tokens = append(a.tokens, tok)
	if f := a.script[a.requests]; f != nil && f(w) {
		a.mu.Unlock()
		return
	}
	wd := a.win[tok]
	if wd == nil || !now.Before(wd.end) {
		wd = &apiWindow{end: now.Add(a.window)}
		a.win[tok] = wd
	}
	wd.used++
	rem := a.limit - wd.used
	if rem < 0 {
		a.violations++
	}
	end := wd.end
	a.mu.Unlock()
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(a.limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(max(rem, 0)))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(end.Unix(), 10))
	w.Header().Set("X-RateLimit-Resource", "core")
	w.Header().Set("Content-Type", "application/json")
	if rem < 0 {
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit"}`)
		return
	}
	io.WriteString(w, `{"ok":true}`)
}

func getOK(t *testing.T, tr http.RoundTripper, url string) error {
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}

// Three transports (as three worker processes would have) share one
// budget for one token against an API that allows 50 requests an hour;
// nine goroutines send 360 requests. None is over the limit: the waits
// for the resets happen, through the clock, before sending.
func TestSharedBudgetNeverExceeded(t *testing.T) {
	clk := &gatedClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 50)
	srv := httptest.NewServer(api)
	defer srv.Close()
	shared := gatedBudget{Budget: NewMemBudget(), clk: clk}
	var trs []*Transport
	for range 3 {
		trs = append(trs, &Transport{Base: gatedBase(clk), Token: "tok-shared", Budget: shared,
			Now: clk.Now, Sleep: clk.Sleep})
	}
	const perGoroutine = 40
	var wg sync.WaitGroup
	errs := make(chan error, 9*perGoroutine)
	for i := range 9 {
		tr := trs[i%3]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perGoroutine {
				if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if api.violations != 0 {
		t.Errorf("%d requests over the limit", api.violations)
	}
	if api.requests != 9*perGoroutine {
		t.Errorf("%d requests reached the API, want %d (no retries)", api.requests, 9*perGoroutine)
	}
	// 360 requests at 50 an hour span at least 7 resets.
	if elapsed := clk.Now().Sub(time.Unix(1_700_000_000, 0)); elapsed < 7*time.Hour || clk.sleeps == 0 {
		t.Errorf("clock moved %v in %d sleeps; want ≥ 7h of waiting", elapsed, clk.sleeps)
	}
	for _, tr := range trs {
		if c := tr.Totals(); c.Retries != 0 {
			t.Errorf("totals %+v", c)
		}
	}
}

// The control: three transports without the shared budget go over the
// limit (each only learns from its own answers).
func TestWithoutSharedBudgetLimitIsExceeded(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 50)
	srv := httptest.NewServer(api)
	defer srv.Close()
	var trs []*Transport
	for range 3 {
		trs = append(trs, &Transport{Token: "tok-shared", Now: clk.Now, Sleep: clk.Sleep})
	}
	// In turn, so the run is the same every time: the transport that reads
	// "0 left" waits, the two others each send one request over the limit.
	for range 40 {
		for _, tr := range trs {
			_ = getOK(t, tr, srv.URL+"/repos/o/r")
		}
	}
	if api.violations == 0 {
		t.Error("no request over the limit: the shared-budget test proves nothing")
	}
}

// Two credentials: requests go with the first until it is spent, then with
// the second; when both are spent the shortest wait is slept and the first
// is used again. Worked by hand with a limit of 3 an hour:
//
//	req 1–3: A (the server answers 2, 1, 0 left)
//	req 4–6: A must wait 1h1s, so B (2, 1, 0 left)
//	req 7:   both wait 1h1s: sleep 1h1s, A's new window
//	req 8:   A
func TestCredentialsInTurn(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
			api := newLimitedAPI(clk.Now, 3)
			srv := httptest.NewServer(api)
			defer srv.Close()
			var notes []string
			tr := &Transport{Now: clk.Now, Sleep: clk.Sleep, Notify: func(s string) { notes = append(notes, s) },
				Credentials: NewCredentials(
					Credential{Name: "A_TOKEN", Source: StaticToken("tokA")},
					Credential{Name: "B_TOKEN", Source: StaticToken("tokB")})}
			if shared {
				tr.Budget = NewMemBudget()
			}
			for i := range 8 {
				if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
			}
			if got := strings.Join(api.tokens, " "); got != "tokA tokA tokA tokB tokB tokB tokA tokA" {
				t.Errorf("tokens sent: %s", got)
			}
			if fmt.Sprint(clk.slept) != "[1h0m1s]" {
				t.Errorf("slept %v", clk.slept)
			}
			if api.violations != 0 {
				t.Errorf("%d violations", api.violations)
			}
			if len(notes) != 1 || !strings.Contains(notes[0], "for all 2 credentials: waiting 1h0m1s") {
				t.Errorf("notices %q", notes)
			}
			for _, n := range notes {
				if strings.Contains(n, "tokA") || strings.Contains(n, "tokB") {
					t.Errorf("token in notice %q", n)
				}
			}
		})
	}
}

// A credential spent elsewhere (the first answer is a 403 with 0 left) is
// left for the next one at once, without waiting for its reset.
func TestCredentialSpentElsewhereSwitchesAtOnce(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 5)
	api.win["tokA"] = &apiWindow{used: 5, end: clk.t.Add(30 * time.Minute)}
	srv := httptest.NewServer(api)
	defer srv.Close()
	tr := &Transport{Now: clk.Now, Sleep: clk.Sleep, Budget: NewMemBudget(),
		Credentials: NewCredentials(
			Credential{Name: "A", Source: StaticToken("tokA")},
			Credential{Name: "B", Source: StaticToken("tokB")})}
	for range 2 {
		if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(api.tokens, " "); got != "tokA tokB tokB" {
		t.Errorf("tokens sent: %s", got)
	}
	if len(clk.slept) != 0 {
		t.Errorf("slept %v", clk.slept)
	}
	if c := tr.Totals(); c.Requests != 3 || c.Retries != 1 {
		t.Errorf("totals %+v", c)
	}
}

// Retry-After is honoured exactly: a 429 with Retry-After: 7 sleeps 7 s,
// also on a second consecutive hit (no doubling when the server says how
// long), with or without a budget.
func TestRetryAfterExact(t *testing.T) {
	for _, budget := range []bool{false, true} {
		t.Run(fmt.Sprintf("budget=%v", budget), func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
			api := newLimitedAPI(clk.Now, 100)

			tooMany := func(w http.ResponseWriter) bool {
				w.Header().Set("Retry-After", "7")
				w.WriteHeader(http.StatusTooManyRequests)
				io.WriteString(w, `{"message":"Too Many Requests"}`)
				return true
			}
			api.script = map[int]func(http.ResponseWriter) bool{1: tooMany, 2: tooMany}
			srv := httptest.NewServer(api)
			defer srv.Close()
			tr := &Transport{Token: "tok", Now: clk.Now, Sleep: clk.Sleep}
			if budget {
				tr.Budget = NewMemBudget()
			}
			if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(clk.slept) != "[7s 7s]" {
				t.Errorf("slept %v, want [7s 7s]", clk.slept)
			}
		})
	}
}

// A secondary limit met by one transport blocks the credential for the
// others sharing the budget.
func TestSecondaryLimitShared(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 100)
	api.script = map[int]func(http.ResponseWriter) bool{1: func(w http.ResponseWriter) bool {
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"You have exceeded a secondary rate limit."}`)
		return true
	}}
	srv := httptest.NewServer(api)
	defer srv.Close()
	b := NewMemBudget()
	one := &Transport{Token: "tok", Budget: b, Now: clk.Now, Sleep: clk.Sleep, LimitRetries: -1}
	two := &Transport{Token: "tok", Budget: b, Now: clk.Now, Sleep: clk.Sleep}
	if err := getOK(t, one, srv.URL+"/repos/o/r"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("first transport: %v, want the 403 (no retries)", err)
	}
	if err := getOK(t, two, srv.URL+"/repos/o/r"); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(clk.slept) != "[30s]" {
		t.Errorf("the second transport slept %v, want [30s]", clk.slept)
	}
}

// The budget key is "cred:" and 16 hex digits, differs per token, host and
// dialect, never holds the token, and is what the transport uses.
func TestBudgetKey(t *testing.T) {
	k := BudgetKey(GitHub, "api.github.com", "ghp_secret")
	if !strings.HasPrefix(k, "cred:") || len(k) != len("cred:")+16 || strings.Contains(k, "secret") {
		t.Errorf("key %q", k)
	}
	for _, other := range []string{BudgetKey(GitHub, "api.github.com", "ghp_other"), BudgetKey(GitHub, "ghe.bank", "ghp_secret"), BudgetKey(GitLab, "api.github.com", "ghp_secret")} {
		if other == k {
			t.Errorf("keys collide: %q", k)
		}
	}
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	srv := httptest.NewServer(newLimitedAPI(clk.Now, 100))
	defer srv.Close()
	rec := &recBudget{Budget: NewMemBudget()}
	host := strings.TrimPrefix(srv.URL, "http://")
	tr := &Transport{Token: "ghp_secret", APIHost: host, Budget: rec, Now: clk.Now, Sleep: clk.Sleep}
	if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
		t.Fatal(err)
	}
	if err := getOK(t, tr, srv.URL+"/search/issues?q=x"); err != nil {
		t.Fatal(err)
	}
	want := BudgetKey(GitHub, host, "ghp_secret")
	// The search answer says its resource is core (the fake says so for
	// every request), so it is recorded under core.
	if got := strings.Join(rec.calls, " "); got != "take:"+want+" observe:"+want+" take:"+want+":search observe:"+want {
		t.Errorf("budget calls %s", got)
	}
}

type recBudget struct {
	Budget
	mu    sync.Mutex
	calls []string
	fail  error
	failN int // > 0: only the first failN calls fail
}

func (r *recBudget) rec(s string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, s)
	if r.failN > 0 && len(r.calls) > r.failN {
		return nil
	}
	return r.fail
}

func (r *recBudget) BudgetTake(ctx context.Context, key string, now time.Time) (time.Duration, error) {
	if err := r.rec("take:" + key); err != nil {
		return 0, err
	}
	return r.Budget.BudgetTake(ctx, key, now)
}

func (r *recBudget) BudgetObserve(ctx context.Context, key string, rem int, reset, now time.Time) error {
	if err := r.rec("observe:" + key); err != nil {
		return err
	}
	return r.Budget.BudgetObserve(ctx, key, rem, reset, now)
}

func (r *recBudget) BudgetBlock(ctx context.Context, key string, until time.Time) error {
	if err := r.rec("block:" + key); err != nil {
		return err
	}
	return r.Budget.BudgetBlock(ctx, key, until)
}

// A shared budget that cannot be read holds requests back (a second each
// try) rather than letting them go out unbudgeted, where every worker
// could exceed the credential's limit; it is reported once, and requests
// go on once it answers.
func TestBudgetErrorHoldsRequests(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 2)
	srv := httptest.NewServer(api)
	defer srv.Close()
	rec := &recBudget{Budget: NewMemBudget(), fail: errors.New("database is locked"), failN: 2}
	var notes []string
	tr := &Transport{Token: "tok", Budget: rec, Now: clk.Now, Sleep: clk.Sleep, Notify: func(s string) { notes = append(notes, s) }}
	for range 3 {
		if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
			t.Fatal(err)
		}
	}
	// Two failed takes: 1 s each. Then the budget works: the first request
	// opens the API's hour-long window at t0 + 2 s, the 2nd answer spends
	// its limit of 2, and the 3rd request waits until the reset + 1 s:
	// 1h + 1 s.
	if fmt.Sprint(clk.slept) != "[1s 1s 1h0m1s]" || api.violations != 0 {
		t.Errorf("slept %v, %d violations", clk.slept, api.violations)
	}
	if len(notes) < 1 || !strings.Contains(notes[0], "shared rate budget unavailable (database is locked): requests wait for it") {
		t.Errorf("notices %q", notes)
	}
	n := 0
	for _, s := range notes {
		if strings.Contains(s, "unavailable") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the error was reported %d times, want once", n)
	}
}

// countingLeaser counts the shared budget's lease calls.
type countingLeaser struct {
	*MemBudget
	mu    sync.Mutex
	calls int
}

func (c *countingLeaser) BudgetTakeN(ctx context.Context, key string, now time.Time, n int) (int, time.Time, time.Duration, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	return c.MemBudget.BudgetTakeN(ctx, key, now, n)
}

// A transport leases requests from a shared budget 8 at a time once the
// window is known: 16 requests cost 3 calls — the first (unknown window,
// one request), then 8 (the 2nd request and 7 leased), then 8 more (the
// 10th and 7 leased for the 11th to 16th).
func TestLeasedBudget(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 1000)
	srv := httptest.NewServer(api)
	defer srv.Close()
	b := &countingLeaser{MemBudget: NewMemBudget()}
	tr := &Transport{Token: "tok", Budget: b, Now: clk.Now, Sleep: clk.Sleep}
	for range 16 {
		if err := getOK(t, tr, srv.URL+"/repos/o/r"); err != nil {
			t.Fatal(err)
		}
	}
	if b.calls != 3 || api.violations != 0 {
		t.Errorf("%d lease calls, %d violations; want 3, 0", b.calls, api.violations)
	}
}
