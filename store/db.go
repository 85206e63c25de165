package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
)

// Drivers Store.Driver returns.
const (
	DriverSQLite   = "sqlite"
	DriverPostgres = "postgres"
)

// IsPostgresDSN reports whether dsn names a PostgreSQL database (a
// postgres:// or postgresql:// URL, or a key=value string with host=)
// rather than a SQLite file path.
func IsPostgresDSN(dsn string) bool {
	d := strings.TrimSpace(dsn)
	l := strings.ToLower(d)
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") ||
		strings.HasPrefix(l, "host=") || strings.Contains(l, " host=")
}

// execer is what *sql.DB and *sql.Tx have in common.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// conn runs queries written with ? placeholders on either driver: for
// PostgreSQL they are rebound to $1, $2, … Every query of the store goes
// through a conn (the Store's own, or a transaction's), so there is one
// code path for both databases.
type conn struct {
	x  execer
	pg bool
}

func (c conn) bind(q string) string {
	if c.pg {
		return rebind(q)
	}
	return q
}

func (c conn) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.x.ExecContext(ctx, c.bind(q), args...)
}

func (c conn) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.x.QueryContext(ctx, c.bind(q), args...)
}

func (c conn) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return c.x.QueryRowContext(ctx, c.bind(q), args...)
}

func (c conn) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return c.x.PrepareContext(ctx, c.bind(q))
}

// tx is a transaction with the same query helpers.
type tx struct {
	conn
	t *sql.Tx
}

func (t *tx) Commit() error   { return t.t.Commit() }
func (t *tx) Rollback() error { return t.t.Rollback() }

// begin starts a transaction.
func (s *Store) begin(ctx context.Context) (*tx, error) {
	t, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &tx{conn: conn{x: t, pg: s.pg()}, t: t}, nil
}

func (s *Store) c() conn { return conn{x: s.db, pg: s.pg()} }

func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.c().exec(ctx, q, args...)
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.c().query(ctx, q, args...)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.c().queryRow(ctx, q, args...)
}

func (s *Store) pg() bool { return s.driver == DriverPostgres }

// rebind turns ? placeholders into $1, $2, … outside quoted literals
// ('…'), quoted identifiers ("…"), dollar-quoted bodies ($$…$$) and
// comments (-- … and /* … */).
func rebind(q string) string {
	if !strings.ContainsRune(q, '?') {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		ch := q[i]
		switch {
		case ch == '\'' || ch == '"':
			j := i + 1
			for j < len(q) {
				if q[j] == ch {
					if j+1 < len(q) && q[j+1] == ch { // doubled quote
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(q))
			b.WriteString(q[i:end])
			i = end - 1
		case ch == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			b.WriteString(q[i : i+j])
			i += j - 1
		case ch == '/' && i+1 < len(q) && q[i+1] == '*':
			j := strings.Index(q[i+2:], "*/")
			end := len(q)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(q[i:end])
			i = end - 1
		case ch == '$' && i+1 < len(q) && q[i+1] == '$':
			j := strings.Index(q[i+2:], "$$")
			end := len(q)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			b.WriteString(q[i:end])
			i = end - 1
		case ch == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(ch)
		}
	}
	return b.String()
}
