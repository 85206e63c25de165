package server

import (
	"container/list"
	"sync"
)

// AnswerCacheBytes bounds the memory of the API's answer cache: encoded
// answers and counts of finished runs and views, least recently used
// dropped first, so that memory does not grow with the variety of
// requests (forged cursors, endless filter combinations).
const AnswerCacheBytes = 64 << 20

// byteLRU is a cache bounded by the bytes of its values (size as the
// caller counts it, its key included), least recently used out first.
// Its zero value holds up to AnswerCacheBytes.
type byteLRU struct {
	mu   sync.Mutex
	max  int64
	used int64
	ll   *list.List
	m    map[string]*list.Element
}

type lruEntry struct {
	key  string
	val  any
	size int64
}

func (c *byteLRU) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok {
		return nil, false
	}
	c.ll.MoveToFront(e)
	return e.Value.(*lruEntry).val, true
}

// put keeps val under key; a value larger than the whole cache is not kept.
func (c *byteLRU) put(key string, val any, size int64) {
	size += int64(len(key)) + 64 // the entry's own bookkeeping
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m, c.ll = map[string]*list.Element{}, list.New()
	}
	max := c.max
	if max <= 0 {
		max = AnswerCacheBytes
	}
	if size > max {
		return
	}
	if e, ok := c.m[key]; ok {
		c.used -= e.Value.(*lruEntry).size
		c.ll.Remove(e)
		delete(c.m, key)
	}
	for c.used+size > max && c.ll.Len() > 0 {
		e := c.ll.Back()
		le := e.Value.(*lruEntry)
		c.ll.Remove(e)
		delete(c.m, le.key)
		c.used -= le.size
	}
	c.m[key] = c.ll.PushFront(&lruEntry{key, val, size})
	c.used += size
}

// bytes returns the bytes held and the number of entries.
func (c *byteLRU) bytes() (int64, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used, len(c.m)
}
