package forge

import (
	"context"
	"sync"
)

// KeyedMutex is a mutex per key (one fetch of a user profile however many
// projects need it).
type KeyedMutex struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

// Lock locks key's mutex and returns its unlock.
func (k *KeyedMutex) Lock(key string) (unlock func()) {
	k.mu.Lock()
	if k.m == nil {
		k.m = map[string]*sync.Mutex{}
	}
	l := k.m[key]
	if l == nil {
		l = &sync.Mutex{}
		k.m[key] = l
	}
	k.mu.Unlock()
	l.Lock()
	return l.Unlock
}

// Semaphore bounds how many collections of one forge run at once.
type Semaphore chan struct{}

// NewSemaphore allows n at once.
func NewSemaphore(n int) Semaphore { return make(Semaphore, n) }

// Acquire takes a slot, or gives up when ctx is done.
func (s Semaphore) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case s <- struct{}{}:
		return func() { <-s }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
