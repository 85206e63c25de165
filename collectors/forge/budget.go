package forge

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/store"
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

// MemBudget is a Budget in memory, safe for concurrent use; for tests and
// single-process runs. It follows the rules every process sharing a budget
// follows (store.BudgetEntry; the store keeps the same entries in its
// api_budget table).
type MemBudget struct {
	mu sync.Mutex
	m  map[string]*store.BudgetEntry
}

// NewMemBudget returns an empty MemBudget.
func NewMemBudget() *MemBudget { return &MemBudget{m: map[string]*store.BudgetEntry{}} }

func (b *MemBudget) entry(key string) *store.BudgetEntry {
	if b.m == nil {
		b.m = map[string]*store.BudgetEntry{}
	}
	e := b.m[key]
	if e == nil {
		e = &store.BudgetEntry{}
		b.m[key] = e
	}
	return e
}

// BudgetTake implements Budget.
func (b *MemBudget) BudgetTake(_ context.Context, key string, now time.Time) (time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.entry(key).Take(now), nil
}

// BudgetObserve implements Budget.
func (b *MemBudget) BudgetObserve(_ context.Context, key string, remaining int, reset, now time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.entry(key).Observe(remaining, reset, now)
	return nil
}

// BudgetTakeN implements BudgetLeaser.
func (b *MemBudget) BudgetTakeN(_ context.Context, key string, now time.Time, n int) (int, time.Time, time.Duration, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	g, until, wait := b.entry(key).TakeN(now, n)
	return g, until, wait, nil
}

// BudgetBlock implements Budget.
func (b *MemBudget) BudgetBlock(_ context.Context, key string, until time.Time) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.entry(key).Block(until)
	return nil
}

var _ Budget = (*MemBudget)(nil)

// BudgetLeaser is a Budget that can hand a process several requests at
// once (*store.Store, MemBudget): a transport then asks the shared store
// once per leaseSize requests instead of once per request. Requests leased
// and not sent before the lease ends are simply not used.
type BudgetLeaser interface {
	BudgetTakeN(ctx context.Context, key string, now time.Time, n int) (granted int, until time.Time, wait time.Duration, err error)
}

// leaseSize is how many requests a transport leases at a time.
const leaseSize = 8

type lease struct {
	n     int
	until time.Time
}

// take takes one request of key from b, from this transport's lease when
// b leases.
func (t *Transport) take(ctx context.Context, b Budget, key string) (time.Duration, error) {
	l, ok := b.(BudgetLeaser)
	if !ok {
		return b.BudgetTake(ctx, key, t.now())
	}
	now := t.now()
	t.bs.mu.Lock()
	if ls := t.bs.leases[key]; ls != nil && ls.n > 0 && now.Before(ls.until) {
		ls.n--
		t.bs.mu.Unlock()
		return 0, nil
	}
	t.bs.mu.Unlock()
	g, until, wait, err := l.BudgetTakeN(ctx, key, now, leaseSize)
	if err != nil || g == 0 {
		return wait, err
	}
	if g > 1 {
		t.bs.mu.Lock()
		if t.bs.leases == nil {
			t.bs.leases = map[string]*lease{}
		}
		t.bs.leases[key] = &lease{n: g - 1, until: until}
		t.bs.mu.Unlock()
	}
	return 0, nil
}

// budgetState is the transport's bookkeeping of budgets and credentials.
type budgetState struct {
	errNoted  time.Time // the next budget error is reported after this
	takeFails int       // consecutive takes the shared Budget failed
	offUntil  time.Time // the shared Budget failed budgetMaxFails takes: not asked until then
	leases    map[string]*lease
	mu        sync.Mutex
	local     *MemBudget // for several credentials without a shared Budget
	notified  time.Time  // last "every credential spent" notice's end
	credsOnce sync.Once
	creds     *Credentials // Credentials, or Token as one static credential
}

// budget is the Budget requests are taken from: Budget, else an
// in-process one when there are several credentials to choose
// from, else none (the per-process waits of the transport alone).
func (t *Transport) budget() Budget {
	if t.Budget != nil {
		t.bs.mu.Lock()
		off := t.now().Before(t.bs.offUntil)
		if !off && !t.bs.offUntil.IsZero() {
			// Back to the shared budget: leases of the in-process one
			// are not its.
			t.bs.offUntil, t.bs.leases = time.Time{}, nil
		}
		t.bs.mu.Unlock()
		if !off {
			return t.Budget
		}
	}
	if t.Budget != nil || t.creds().Len() > 1 {
		t.bs.mu.Lock()
		defer t.bs.mu.Unlock()
		if t.bs.local == nil {
			t.bs.local = NewMemBudget()
		}
		return t.bs.local
	}
	return nil
}

// budgetRetry is how long a request waits when the shared budget cannot
// be read before it tries again; after budgetMaxFails failed takes in a
// row the transport counts its requests in process (as without a shared
// Budget) for budgetOffFor, then asks the shared Budget again.
const (
	budgetRetry    = time.Second
	budgetMaxFails = 10
	budgetOffFor   = 5 * time.Minute
)

// takeFailed counts a failed take from the shared Budget; true when the
// transport has stopped asking it for budgetOffFor (and said so).
func (t *Transport) takeFailed(ctx context.Context, b Budget, err error) bool {
	t.budgetFailed(ctx, b, err)
	if b != t.Budget || ctx.Err() != nil {
		return false
	}
	now := t.now()
	t.bs.mu.Lock()
	t.bs.takeFails++
	off := t.bs.takeFails >= budgetMaxFails
	if off {
		t.bs.takeFails = 0
		t.bs.offUntil = now.Add(budgetOffFor)
		t.bs.leases = nil
	}
	t.bs.mu.Unlock()
	if off {
		t.notify(fmt.Sprintf("%s shared rate budget failed %d times in a row (%v): this process counts its own requests until %s",
			t.dialect().Name, budgetMaxFails, t.scrub(err), now.Add(budgetOffFor).Local().Format("15:04:05")))
	}
	return off
}

// takeOK notes a take the shared Budget answered.
func (t *Transport) takeOK(b Budget) {
	if b != t.Budget {
		return
	}
	t.bs.mu.Lock()
	t.bs.takeFails = 0
	t.bs.mu.Unlock()
}

// budgetFailed reports a shared Budget's error (at most once a minute; not
// one that only says the request's context ended). A take that fails
// waits and tries again; an observation or block that fails is lost (the
// next response's headers bring the count back).
func (t *Transport) budgetFailed(ctx context.Context, b Budget, err error) {
	if b != t.Budget || err == nil || ctx.Err() != nil {
		return
	}
	now := t.now()
	t.bs.mu.Lock()
	fresh := !now.Before(t.bs.errNoted)
	if fresh {
		t.bs.errNoted = now.Add(time.Minute)
	}
	t.bs.mu.Unlock()
	if fresh {
		t.notify(fmt.Sprintf("%s shared rate budget unavailable (%v): requests wait for it", t.dialect().Name, t.scrub(err)))
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
		fellBack := false
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
			wait, err := t.takePoints(ctx, b, key, pointsFrom(ctx))
			if err != nil {
				if ctx.Err() != nil {
					return pick{}, ctx.Err()
				}
				// Sending without the shared budget could exceed the
				// credential's limit for every worker: wait for the store,
				// a bounded number of times.
				if t.takeFailed(ctx, b, err) {
					fellBack = true
					break
				}
				wait = budgetRetry
			} else {
				t.takeOK(b)
			}
			if wait <= 0 {
				return pick{token: tok, key: key, b: b, cred: c}, nil
			}
			if shortest == 0 || wait < shortest {
				shortest = wait
			}
		}
		if fellBack {
			continue
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
	// The server's count is the truth: this process may not hold more
	// leased requests than it says are left (a tool sharing the token, or
	// another window, spent the rest). At 0 the lease ends, and the next
	// attempt asks the budget, which says to wait or to switch credential.
	t.trimLease(n, key, p.key)
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

// trimLease cuts the leases of keys to at most remaining requests,
// ending them at 0.
func (t *Transport) trimLease(remaining int, keys ...string) {
	t.bs.mu.Lock()
	defer t.bs.mu.Unlock()
	for _, k := range keys {
		if ls := t.bs.leases[k]; ls != nil && ls.n > remaining {
			ls.n = remaining
			if ls.n <= 0 {
				delete(t.bs.leases, k)
			}
		}
	}
}

// budgetBlock blocks the credential of p until until; false when no budget
// tracks it (the transport then blocks itself).
func (t *Transport) budgetBlock(ctx context.Context, p pick, resource string, until time.Time) bool {
	// A secondary limit is the credential's, whatever the resource: no
	// lease of it is spent while it lasts.
	core := strings.TrimSuffix(p.key, resourceSuffix(resource))
	t.trimLease(0, p.key, core)
	if p.key == "" {
		return false
	}
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
