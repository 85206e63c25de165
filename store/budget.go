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

// BudgetTake takes one request from the budget of key at now, across
// every process that shares the store. It returns a wait instead (and
// takes nothing) when the key is blocked until after now (blocked_until −
// now), or when the current window is spent (reset − now + 1 s). With no
// known window (no row, or its reset has passed) it returns 0 and takes
// nothing: the budget is unknown until the next BudgetObserve.
func (s *Store) BudgetTake(ctx context.Context, key string, now time.Time) (wait time.Duration, err error) {
	n := budgetTS(now)
	for try := 0; try < 5; try++ {
		// One statement: atomic on SQLite (one writer) and on PostgreSQL
		// (the row lock makes a concurrent UPDATE re-check remaining > 0).
		res, err := s.exec(ctx,
			`UPDATE api_budget SET remaining = remaining - 1, updated_at = ?
			 WHERE key = ? AND blocked_until <= ? AND reset_at > ? AND remaining > 0`,
			n, key, n, n)
		if err != nil {
			return 0, fmt.Errorf("budget: %w", err)
		}
		if took, err := res.RowsAffected(); err != nil {
			return 0, fmt.Errorf("budget: %w", err)
		} else if took == 1 {
			return 0, nil
		}
		// Nothing taken: say why.
		var remaining int
		var reset, blocked string
		err = s.queryRow(ctx, `SELECT remaining, reset_at, blocked_until FROM api_budget WHERE key = ?`, key).
			Scan(&remaining, &reset, &blocked)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, nil // unknown budget
		}
		if err != nil {
			return 0, fmt.Errorf("budget: %w", err)
		}
		if blocked > n {
			return parseTS(blocked).Sub(now), nil
		}
		if reset <= n {
			return 0, nil // the window has passed: unknown budget
		}
		if remaining <= 0 {
			return parseTS(reset).Sub(now) + time.Second, nil
		}
		// Another process refilled the budget between the two statements:
		// try to take again.
	}
	return 0, fmt.Errorf("budget %s: contended", key)
}

// BudgetObserve records the budget a response reported: remaining requests
// until reset. Within the same window (same reset) the smaller of the
// stored and the observed remaining is kept, since other processes'
// requests in flight have already taken from the stored count. A newer
// window replaces both; a report of an older window (a late response) is
// ignored.
func (s *Store) BudgetObserve(ctx context.Context, key string, remaining int, reset time.Time, now time.Time) error {
	_, err := s.exec(ctx,
		`INSERT INTO api_budget (key, remaining, reset_at, blocked_until, updated_at) VALUES (?, ?, ?, '', ?)
		 ON CONFLICT (key) DO UPDATE SET
			remaining = CASE
				WHEN excluded.reset_at = api_budget.reset_at THEN
					CASE WHEN excluded.remaining < api_budget.remaining THEN excluded.remaining ELSE api_budget.remaining END
				WHEN excluded.reset_at > api_budget.reset_at THEN excluded.remaining
				ELSE api_budget.remaining END,
			reset_at = CASE WHEN excluded.reset_at > api_budget.reset_at THEN excluded.reset_at ELSE api_budget.reset_at END,
			updated_at = excluded.updated_at`,
		key, remaining, budgetTS(reset), budgetTS(now))
	if err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	return nil
}

// BudgetBlock blocks key until until (a secondary limit, Retry-After);
// an existing later block is kept.
func (s *Store) BudgetBlock(ctx context.Context, key string, until time.Time) error {
	_, err := s.exec(ctx,
		`INSERT INTO api_budget (key, remaining, reset_at, blocked_until, updated_at) VALUES (?, 0, '', ?, ?)
		 ON CONFLICT (key) DO UPDATE SET
			blocked_until = CASE WHEN excluded.blocked_until > api_budget.blocked_until THEN excluded.blocked_until ELSE api_budget.blocked_until END,
			updated_at = excluded.updated_at`,
		key, budgetTS(until), budgetTS(time.Now()))
	if err != nil {
		return fmt.Errorf("budget: %w", err)
	}
	return nil
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
