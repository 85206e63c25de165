package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// CacheEntry is a stored HTTP response (or collector state) for a key.
type CacheEntry struct {
	ETag      string
	Body      []byte
	UpdatedAt time.Time
}

// CacheGet returns the entry for key; ok is false when there is none.
func (s *Store) CacheGet(ctx context.Context, key string) (e CacheEntry, ok bool, err error) {
	var at string
	err = s.queryRow(ctx, `SELECT etag, body, updated_at FROM http_cache WHERE key = ?`, key).Scan(&e.ETag, &e.Body, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	if err != nil {
		return e, false, err
	}
	e.UpdatedAt = parseTS(at)
	return e, true, nil
}

// CachePut stores (or replaces) the entry for key. Unlike observations the
// cache is not history: it only saves requests.
func (s *Store) CachePut(ctx context.Context, key, etag string, body []byte) error {
	_, err := s.exec(ctx,
		`INSERT INTO http_cache (key, etag, body, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, body = excluded.body, updated_at = excluded.updated_at`,
		key, etag, body, ts(time.Now()))
	return err
}
