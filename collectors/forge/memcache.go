package forge

import (
	"context"
	"sync"
	"time"

	"github.com/osgauge/osgauge/store"
)

// MemCache is an in-memory Cache, for tests and runs without a store.
type MemCache struct {
	mu sync.Mutex
	m  map[string]store.CacheEntry
}

// NewMemCache returns an empty MemCache.
func NewMemCache() *MemCache { return &MemCache{m: map[string]store.CacheEntry{}} }

// CacheGet returns the entry for key.
func (c *MemCache) CacheGet(_ context.Context, key string) (store.CacheEntry, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if ok {
		e.Body = append([]byte(nil), e.Body...)
	}
	return e, ok, nil
}

// CachePut stores the entry for key.
func (c *MemCache) CachePut(_ context.Context, key, etag string, body []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = store.CacheEntry{ETag: etag, Body: append([]byte(nil), body...), UpdatedAt: time.Now()}
	return nil
}

// Keys returns the stored keys (in no particular order).
func (c *MemCache) Keys() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.m))
	for k := range c.m {
		out = append(out, k)
	}
	return out
}
