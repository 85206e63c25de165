package forge

import (
	"context"
	"encoding/json"
	"time"
)

// LoadJSON reads a JSON value stored under key; ok is false when there is
// none or it cannot be read (state is only an optimisation).
func LoadJSON(ctx context.Context, c Cache, key string, v any) bool {
	e, ok, err := c.CacheGet(ctx, key)
	if err != nil || !ok {
		return false
	}
	return json.Unmarshal(e.Body, v) == nil
}

// SaveJSON stores v under key, unless the same value is already there.
func SaveJSON(ctx context.Context, c Cache, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if e, ok, err := c.CacheGet(ctx, key); err == nil && ok && string(e.Body) == string(b) {
		return nil
	}
	return c.CachePut(ctx, key, "", b)
}

// FullEvery is how often a collector reads its lists in full again, so
// that deleted items, force-pushed commits and commits merged in with old
// dates do not linger or stay missing.
const FullEvery = 30 * 24 * time.Hour

// FullRead reports whether a run reads the lists in full: never read in
// full yet, FullEvery since, or a clock that went back.
func FullRead(fullAt, now time.Time) bool {
	return fullAt.IsZero() || now.Sub(fullAt) >= FullEvery || now.Before(fullAt)
}
