package forge

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Budget is a rate-limit budget that several transports (in one process or
// in several worker processes) spend from together. Keys name one
// credential's limit of one resource (see Transport); they never contain a
// token. *store.Store satisfies it, so workers that share a store share
// their budgets; MemBudget is the in-process implementation.
type Budget interface {
	// BudgetTake takes one request from the remaining count of key. When the
	// limit is spent it takes nothing and returns the wait until the reset
	// (+1 s); when key is blocked (a secondary limit) it returns the wait
	// until the block ends.
	BudgetTake(ctx context.Context, key string, now time.Time) (wait time.Duration, err error)
	// BudgetObserve records what a response's rate headers said: remaining
	// requests of the window that ends at reset. Within one window the
	// smaller remaining count wins.
	BudgetObserve(ctx context.Context, key string, remaining int, reset time.Time, now time.Time) error
	// BudgetBlock blocks key until until (a secondary limit, Retry-After).
	BudgetBlock(ctx context.Context, key string, until time.Time) error
}

// sameWindow is how far apart two reset times may be and still name the
// same window (servers that compute the reset per response round it).
const sameWindow = 5 * time.Second

// MemBudget is a Budget in memory, safe for concurrent use; for tests and
// single-process runs. Its rules, which a shared implementation should
// follow:
//
//   - a key starts unknown: takes are allowed and counted as pending;
//   - the first observation of a window (a reset more than 5 s after the
//     one known) sets remaining = observed − (pending − 1): the observed
//     response was one of the pending requests, and the others may not yet
//     have been counted by the server;
//   - a take in a known window decrements remaining; at 0 it returns the
//     wait until reset + 1 s instead;
//   - an observation of the same window keeps the smaller remaining; one
//     of an older window is ignored;
//   - at reset + 1 s the window is over and the key is unknown again;
//   - a block makes every take wait until it ends.
type MemBudget struct {
	mu sync.Mutex
	m  map[string]*memBudgetEntry
}

type memBudgetEntry struct {
	known     bool
	remaining int
	reset     time.Time // of the window known, or of the last one seen
	pending   int       // takes that may fall in a window not yet observed
	blocked   time.Time
}

// NewMemBudget returns an empty MemBudget.
func NewMemBudget() *MemBudget { return &MemBudget{m: map[string]*memBudgetEntry{}} }

func (b *MemBudget) entry(key string) *memBudgetEntry {
	if b.m == nil {
		b.m = map[string]*memBudgetEntry{}
	}
	e := b.m[key]
	if e == nil {
		e = &memBudgetEntry{}
		b.m[key] = e
	}
	return e
}

// BudgetTake implements Budget.
func (b *MemBudget) BudgetTake(_ context.Context, key string, now time.Time) (time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entry(key)
	if now.Before(e.blocked) {
		return e.blocked.Sub(now), nil
	}
	end := e.reset.Add(time.Second)
	if e.known && !now.Before(end) {
		e.known, e.pending = false, 0
	}
	if !e.known {
		e.pending++
		return 0, nil
	}
	if e.remaining <= 0 {
		return end.Sub(now), nil
	}
	e.remaining--
	if !now.Before(e.reset) {
		e.pending++ // the server may count it in its next window
	}
	return 0, nil
}

// BudgetObserve implements Budget.
func (b *MemBudget) BudgetObserve(_ context.Context, key string, remaining int, reset, now time.Time) error {
	if remaining < 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.entry(key)
	switch {
	case e.known && reset.Sub(e.reset).Abs() <= sameWindow:
		e.remaining = min(e.remaining, remaining)
	case e.reset.IsZero() || reset.Sub(e.reset) > sameWindow:
		if !reset.Add(time.Second).After(now) {
			return nil // a window already over
		}
		e.known, e.reset = true, reset
		e.remaining = max(remaining-max(e.pending-1, 0), 0)
		e.pending = 0
	}
	// Otherwise an older window's answer, arriving late: nothing to learn.
	return nil
}

// BudgetBlock implements Budget.
func (b *MemBudget) BudgetBlock(_ context.Context, key string, until time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e := b.entry(key); until.After(e.blocked) {
		e.blocked = until
	}
	return nil
}

var _ Budget = (*MemBudget)(nil)

// budgetState is the transport's bookkeeping of budgets and credentials.
type budgetState struct {
	failed    atomic.Bool // the Budget returned an error: go on without it
	mu        sync.Mutex
	local     *MemBudget // for several credentials without a shared Budget
	notified  time.Time  // last "every credential spent" notice's end
	credsOnce sync.Once
	creds     *Credentials // Credentials, or Token as one static credential
}

// budget is the Budget requests are taken from: Budget unless it failed,
// else an in-process one when there are several credentials to choose
// from, else none (the per-process waits of the transport alone).
func (t *Transport) budget() Budget {
	if t.Budget != nil && !t.bs.failed.Load() {
		return t.Budget
	}
	if t.creds().Len() > 1 {
		t.bs.mu.Lock()
		defer t.bs.mu.Unlock()
		if t.bs.local == nil {
			t.bs.local = NewMemBudget()
		}
		return t.bs.local
	}
	return nil
}

// budgetFailed turns the shared Budget off after its first error (not
// one that only says the request's context ended).
func (t *Transport) budgetFailed(ctx context.Context, b Budget, err error) {
	if b != t.Budget || err == nil || ctx.Err() != nil {
		return
	}
	if t.bs.failed.CompareAndSwap(false, true) {
		t.notify(fmt.Sprintf("%s shared rate budget unavailable (%v): going on with this process's own waits", t.dialect().Name, t.scrub(err)))
	}
}

// pick is the credential a request attempt goes out with.
type pick struct {
	token string
	key   string // budget key; "" when no budget tracks the request
	b     Budget
	cred  *credential
}

// pickCredential chooses the credential for one attempt at req: the first
// (in order) whose budget lets a request through; when every one must wait
// it sleeps the shortest wait and tries again. A request to another host
// than APIHost goes without a token.
func (t *Transport) pickCredential(ctx context.Context, req *http.Request, resource string) (pick, error) {
	cs := t.creds()
	if cs.Len() == 0 || (t.APIHost != "" && !strings.EqualFold(req.URL.Host, t.APIHost)) {
		return pick{}, nil
	}
	host := t.APIHost
	if host == "" {
		host = req.URL.Host
	}
	for {
		b := t.budget()
		var firstErr error
		var shortest time.Duration
		for _, c := range cs.list {
			tok, err := c.current(ctx, t)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if b == nil {
				return pick{token: tok, cred: c}, nil
			}
			key := c.budgetKey(t.dialect().Name, host, tok) + resourceSuffix(resource)
			wait, err := b.BudgetTake(ctx, key, t.now())
			if err != nil {
				if ctx.Err() != nil {
					return pick{}, ctx.Err()
				}
				t.budgetFailed(ctx, b, err)
				return pick{token: tok, cred: c}, nil
			}
			if wait <= 0 {
				return pick{token: tok, key: key, b: b, cred: c}, nil
			}
			if shortest == 0 || wait < shortest {
				shortest = wait
			}
		}
		if shortest == 0 {
			if ctx.Err() != nil {
				return pick{}, ctx.Err()
			}
			return pick{}, fmt.Errorf("%s: no usable credential: %w", t.dialect().Name, firstErr)
		}
		t.noteSpent(resource, cs.Len(), shortest)
		if err := t.sleep(ctx, shortest); err != nil {
			return pick{}, err
		}
	}
}

// noteSpent tells the user, once per wait, that every credential must wait.
func (t *Transport) noteSpent(resource string, n int, wait time.Duration) {
	now := t.now()
	until := now.Add(wait)
	t.bs.mu.Lock()
	fresh := !t.bs.notified.After(now)
	if fresh {
		t.bs.notified = until
	}
	t.bs.mu.Unlock()
	if !fresh {
		return
	}
	who := "its credential"
	if n > 1 {
		who = fmt.Sprintf("all %d credentials", n)
	}
	t.notify(fmt.Sprintf("%s rate limit spent or blocked (%s) for %s: waiting %s until %s",
		t.dialect().Name, resource, who, wait.Round(time.Second), until.Local().Format("15:04:05")))
}

func resourceSuffix(resource string) string {
	if resource == "" || resource == "core" {
		return ""
	}
	return ":" + resource
}

// budgetObserve records a response's rate headers in the budget of the
// credential that sent it.
func (t *Transport) budgetObserve(ctx context.Context, p pick, resp *http.Response, resource string) {
	if p.key == "" {
		return
	}
	d := t.dialect()
	n, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get(d.RemainingHeader)))
	if err != nil || n < 0 {
		return
	}
	key := p.key
	if d.ResourceHeader != "" {
		if r := strings.TrimSpace(resp.Header.Get(d.ResourceHeader)); r != "" && r != resource {
			key = strings.TrimSuffix(key, resourceSuffix(resource)) + resourceSuffix(r)
		}
	}
	now := t.now()
	var reset time.Time
	if s, err := strconv.ParseInt(strings.TrimSpace(resp.Header.Get(d.ResetHeader)), 10, 64); err == nil {
		reset = time.Unix(s, 0)
	}
	if !reset.After(now) {
		if n > 0 {
			return // no usable window to count in
		}
		reset = now.Add(primaryFallback - time.Second) // wait a minute, as without a budget
	}
	if err := p.b.BudgetObserve(ctx, key, n, reset, now); err != nil {
		t.budgetFailed(ctx, p.b, err)
	}
}

// budgetBlock blocks the credential of p until until; false when no budget
// tracks it (the transport then blocks itself).
func (t *Transport) budgetBlock(ctx context.Context, p pick, resource string, until time.Time) bool {
	if p.key == "" {
		return false
	}
	// A secondary limit is the credential's, whatever the resource.
	core := strings.TrimSuffix(p.key, resourceSuffix(resource))
	for _, k := range []string{core, p.key} {
		if err := p.b.BudgetBlock(ctx, k, until); err != nil {
			t.budgetFailed(ctx, p.b, err)
			return false
		}
		if k == core && core == p.key {
			break
		}
	}
	return true
}
