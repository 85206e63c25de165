package clones

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// errLocked is a lock another holder has (a try that does not wait).
var errLocked = errors.New("locked by another osgauge process")

// LockDir is the directory in clones.dir that holds the lock files: one
// for the state file and one per clone. They are never removed (removing
// a lock file another process has open would let two processes hold
// "the" lock at once).
const LockDir = ".locks"

// fileLock is an flock(2) on a lock file of its own open file, so that
// it conflicts with other processes' and with other open files of this
// process alike.
type fileLock struct {
	f         *os.File
	exclusive bool
}

// lockPoll is how often a waiting lock tries again.
const lockPoll = 50 * time.Millisecond

// acquire takes the lock on path: exclusive or shared, waiting until ctx
// is done when wait is true (errLocked at once otherwise).
func acquire(ctx context.Context, path string, exclusive, wait bool) (*fileLock, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err := flock(f, exclusive, false)
		if err == nil {
			return &fileLock{f: f, exclusive: exclusive}, nil
		}
		if !errors.Is(err, errLocked) || !wait {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(lockPoll):
		}
	}
}

// share turns an exclusive lock into a shared one (readers of the clone
// may then share it; an eviction or a fetch by another process waits).
func (l *fileLock) share() error {
	if l == nil || !l.exclusive {
		return nil
	}
	l.exclusive = false
	return flock(l.f, false, true)
}

func (l *fileLock) release() {
	if l == nil || l.f == nil {
		return
	}
	funlock(l.f)
	l.f.Close()
	l.f = nil
}

// inProcess serialises the state file's read-merge-write between the
// Managers of one process as flock does between processes (and where
// flock is not available).
var inProcess sync.Mutex

func (m *Manager) lockPath(key string) string {
	return filepath.Join(m.o.Dir, LockDir, key+".lock")
}
