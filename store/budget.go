package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Migration 7: API budgets shared by every process that uses one
// credential (forge transports on several workers). The key identifies
// the credential by a hash, never the token itself.
func init() {
	addMigration(7, `CREATE TABLE api_budget (
		key           TEXT PRIMARY KEY,
		remaining     INTEGER NOT NULL DEFAULT 0,
		reset_at      TEXT NOT NULL DEFAULT '',
		blocked_until TEXT NOT NULL DEFAULT '',
		updated_at    TEXT NOT NULL
	);`,
		// PostgreSQL
		`CREATE TABLE api_budget (
		key           TEXT COLLATE "C" PRIMARY KEY,
		remaining     INTEGER NOT NULL DEFAULT 0,
		reset_at      TEXT COLLATE "C" NOT NULL DEFAULT '',
		blocked_until TEXT COLLATE "C" NOT NULL DEFAULT '',
		updated_at    TEXT COLLATE "C" NOT NULL
	);`)
	// 8: what a process needs to follow BudgetEntry's rules: whether the
	// window is known, and the requests taken while it was not.
	addMigration(8, `ALTER TABLE api_budget ADD COLUMN known INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE api_budget ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;`,
		`ALTER TABLE api_budget ADD COLUMN known INTEGER NOT NULL DEFAULT 0;
		ALTER TABLE api_budget ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;`)
}

// budgetTS formats budget times with a fixed-width fraction, so that the
// database compares them as text correctly (RFC 3339 with trimmed
// fractions does not: "…:05Z" sorts after "…:05.5Z").
func budgetTS(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}

// BudgetRow is the stored budget of one credential.
type BudgetRow struct {
	Key          string
	Remaining    int
	Reset        time.Time // zero when no window is known
	BlockedUntil time.Time // zero when never blocked
	UpdatedAt    time.Time
}

// BudgetEntry is one credential's budget and the rules every process
// follows with it (forge.MemBudget keeps these in memory; the store keeps
// them in api_budget, one row per key, changed in a transaction):
//
//   - a key starts unknown: takes are allowed and counted as pending;
//   - the first observation of a window (a reset more than 5 s after the
//     one known) sets remaining = observed − (pending − 1): the observed
//     response was one of the pending requests, and the others may not yet
//     have been counted by the server;
//   - a take in a known window decrements remaining; at 0 it returns the
//     wait until reset + 1 s instead; a take in the window's last 2 s also
//     counts as pending, since the server may count it in the next window;
//   - an observation of the same window keeps the smaller remaining; one
//     of an older window is ignored;
//   - at reset + 1 s the window is over and the key is unknown again;
//   - a block makes every take wait until it ends.
type BudgetEntry struct {
	Known     bool
	Remaining int
	Reset     time.Time // of the window known, or of the last one seen
	Pending   int       // takes that may fall in a window not yet observed
	Blocked   time.Time
}

// budgetSameWindow is how far apart two reset times may be and still name
// the same window (servers that compute the reset per response round it).
const budgetSameWindow = 5 * time.Second

// Take takes one request at now, or returns the wait instead.
func (e *BudgetEntry) Take(now time.Time) time.Duration {
	if now.Before(e.Blocked) {
		return e.Blocked.Sub(now)
	}
	end := e.Reset.Add(time.Second)
	if e.Known && !now.Before(end) {
		e.Known = false // pending keeps the late takes of the window that ended
	}
	if !e.Known {
		e.Pending++
		return 0
	}
	if e.Remaining <= 0 {
		return end.Sub(now)
	}
	e.Remaining--
	if !now.Before(e.Reset.Add(-budgetLateMargin)) {
		e.Pending++ // the server may count it in its next window
	}
	return 0
}

// budgetLateMargin: a request taken this close to the reset may reach the
// server after it (a busy machine, a slow connection) and be counted in
// the next window, so it is counted there too.
const budgetLateMargin = 2 * time.Second

// TakeN takes up to n requests at once for a process to spend before
// until, or returns the wait instead. Only a known window leases more than
// one, and never in its last 2 s (those requests may be counted in the
// next window: they are taken one by one, as pending).
func (e *BudgetEntry) TakeN(now time.Time, n int) (granted int, until time.Time, wait time.Duration) {
	if n <= 1 || !e.Known || e.Remaining <= 1 || !now.Before(e.Reset.Add(-budgetLateMargin)) || now.Before(e.Blocked) {
		if w := e.Take(now); w > 0 {
			return 0, time.Time{}, w
		}
		return 1, time.Time{}, 0
	}
	granted = min(n, e.Remaining)
	e.Remaining -= granted
	return granted, e.Reset.Add(-budgetLateMargin), 0
}

// Observe records what a response's rate headers said.
func (e *BudgetEntry) Observe(remaining int, reset, now time.Time) {
	if remaining < 0 {
		return
	}
	switch {
	case e.Known && reset.Sub(e.Reset).Abs() <= budgetSameWindow:
		e.Remaining = min(e.Remaining, remaining)
	case e.Reset.IsZero() || reset.Sub(e.Reset) > budgetSameWindow:
		if !reset.Add(time.Second).After(now) {
			return // a window already over
		}
		e.Known, e.Reset = true, reset
		e.Remaining = max(remaining-max(e.Pending-1, 0), 0)
		e.Pending = 0
	}
	// Otherwise an older window's answer, arriving late: nothing to learn.
}

// Block makes every take wait until until.
func (e *BudgetEntry) Block(until time.Time) {
	if until.After(e.Blocked) {
		e.Blocked = until
	}
}

// BudgetTake takes one request from the budget of key at now, across every
// process that shares the store, or returns the wait instead (BudgetEntry
// says the rules).
func (s *Store) BudgetTake(ctx context.Context, key string, now time.Time) (wait time.Duration, err error) {
	err = s.budgetUpdate(ctx, key, now, func(e *BudgetEntry) { wait = e.Take(now) })
	return wait, err
}

// BudgetTakeN takes up to n requests of key's budget for this process to
// spend before until (BudgetEntry.TakeN), or returns the wait instead: one
// transaction for several requests.
func (s *Store) BudgetTakeN(ctx context.Context, key string, now time.Time, n int) (granted int, until time.Time, wait time.Duration, err error) {
	err = s.budgetUpdate(ctx, key, now, func(e *BudgetEntry) { granted, until, wait = e.TakeN(now, n) })
	return granted, until, wait, err
}

// BudgetObserve records the budget a response reported: remaining requests
// until reset.
func (s *Store) BudgetObserve(ctx context.Context, key string, remaining int, reset time.Time, now time.Time) error {
	// Most answers change nothing: the window is known and its stored count,
	// which takes decrement before the requests are even sent, is already at
	// or below what the server says. Within a window the stored count only
	// goes down, so what this unlocked read sees stays true: no write.
	var known, stored int
	var storedReset string
	err := s.queryRow(ctx, `SELECT known, remaining, reset_at FROM api_budget WHERE key = ?`, key).Scan(&known, &stored, &storedReset)
	if err == nil && known == 1 && reset.Sub(parseTS(storedReset)).Abs() <= budgetSameWindow && remaining >= stored {
		return nil
	}
	return s.budgetUpdate(ctx, key, now, func(e *BudgetEntry) { e.Observe(remaining, reset, now) })
}

// BudgetBlock blocks key until until (a secondary limit, Retry-After);
// an existing later block is kept.
func (s *Store) BudgetBlock(ctx context.Context, key string, until time.Time) error {
	return s.budgetUpdate(ctx, key, time.Now(), func(e *BudgetEntry) { e.Block(until) })
}

// budgetUpdate changes key's row in one transaction: on PostgreSQL the row
// is locked (SELECT … FOR UPDATE) so that concurrent processes apply their
// changes one after another; SQLite has one writer (immediate
// transactions).
func (s *Store) budgetUpdate(ctx context.Context, key string, now time.Time, change func(*BudgetEntry)) error {
	t, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	defer t.Rollback()
	lock := ""
	if s.pg() {
		lock = " FOR UPDATE"
		// A budget is soft state, changed on every API request: its commit
		// need not wait for the disk (a crash loses at most the last few
		// counts, which the next response's headers restore).
		if _, err := t.exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return fmt.Errorf("budget: %w", err)
		}
	}
	var e BudgetEntry
	var known int
	var reset, blocked string
	read := func() error {
		return t.queryRow(ctx, `SELECT known, remaining, reset_at, pending, blocked_until FROM api_budget WHERE key = ?`+lock, key).
			Scan(&known, &e.Remaining, &reset, &e.Pending, &blocked)
	}
	err = read()
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := t.exec(ctx, `INSERT INTO api_budget (key, remaining, reset_at, blocked_until, updated_at, known, pending)
			VALUES (?, 0, '', '', ?, 0, 0) ON CONFLICT (key) DO NOTHING`, key, budgetTS(now)); err != nil {
			return fmt.Errorf("budget: %w", err)
		}
		err = read()
	}
	if err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	e.Known, e.Reset, e.Blocked = known == 1, parseTS(reset), parseTS(blocked)
	change(&e)
	known = 0
	if e.Known {
		known = 1
	}
	if _, err := t.exec(ctx, `UPDATE api_budget SET known = ?, remaining = ?, reset_at = ?, pending = ?, blocked_until = ?, updated_at = ? WHERE key = ?`,
		known, e.Remaining, tsOrBlank(e.Reset), e.Pending, tsOrBlank(e.Blocked), budgetTS(now), key); err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	if err := t.Commit(); err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	return nil
}

func tsOrBlank(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return budgetTS(t)
}

// BudgetState returns every stored budget, by key (for /metrics).
func (s *Store) BudgetState(ctx context.Context) ([]BudgetRow, error) {
	rows, err := s.query(ctx, `SELECT key, remaining, reset_at, blocked_until, updated_at FROM api_budget ORDER BY key`)
	if err != nil {
		return nil, fmt.Errorf("budget: %w", err)
	}
	defer rows.Close()
	var out []BudgetRow
	for rows.Next() {
		var b BudgetRow
		var reset, blocked, at string
		if err := rows.Scan(&b.Key, &b.Remaining, &reset, &blocked, &at); err != nil {
			return nil, err
		}
		b.Reset, b.BlockedUntil, b.UpdatedAt = parseTS(reset), parseTS(blocked), parseTS(at)
		out = append(out, b)
	}
	return out, rows.Err()
}
