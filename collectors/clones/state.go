package clones

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	formatcfg "github.com/go-git/go-git/v5/plumbing/format/config"
)

// StateFile is the file in the clones' directory that records, per clone,
// when it was last used and last fetched: the least recently used go
// first when disk use passes the limit, and a failed fetch still knows
// how old the clone it falls back on is. Processes sharing the directory
// read, merge and write it under an exclusive lock (LockDir/state.lock).
const StateFile = "osgauge-clones.json"

type state struct {
	Version int              `json:"version"`
	Clones  map[string]entry `json:"clones"` // by Key
}

type entry struct {
	Repo         string    `json:"repo"` // credentials stripped
	URL          string    `json:"url"`  // fetched from, credentials stripped
	Tool         string    `json:"tool"`
	Partial      bool      `json:"partial"`
	Bytes        int64     `json:"bytes"`
	LastUsed     time.Time `json:"last_used"`
	LastFetch    time.Time `json:"last_fetch"`    // newest successful clone or fetch
	NewestCommit time.Time `json:"newest_commit"` // the default branch's tip then
}

// loadState reads the state file; clones removed by hand are forgotten
// and clones osgauge made that the file does not list (another process's
// whose state was lost, a damaged file) are picked up with their size
// and the directory's modification time as their last use.
func loadState(dir string) (*state, error) {
	st := &state{Version: 1, Clones: map[string]entry{}}
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	switch {
	case os.IsNotExist(err):
	case err != nil:
		return nil, fmt.Errorf("clones: %w", err)
	default:
		if err := json.Unmarshal(data, st); err != nil {
			// A damaged state file loses only the last-use times: start
			// afresh (the scan below finds the clones again).
			st = &state{Version: 1, Clones: map[string]entry{}}
		}
	}
	if st.Clones == nil {
		st.Clones = map[string]entry{}
	}
	for k := range st.Clones {
		if !isGitDir(filepath.Join(dir, k)) {
			delete(st.Clones, k)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, d := range ents {
		k := d.Name()
		if !d.IsDir() || strings.HasPrefix(k, ".") {
			continue
		}
		if _, ok := st.Clones[k]; ok {
			continue
		}
		p := filepath.Join(dir, k)
		managed, origin := readMarks(p)
		if !managed {
			continue
		}
		e := entry{Repo: origin, URL: origin, Bytes: dirSize(p)}
		if fi, err := d.Info(); err == nil {
			e.LastUsed = fi.ModTime().UTC()
		}
		st.Clones[k] = e
	}
	return st, nil
}

// ManagedKey is the git configuration key that marks a clone as
// osgauge's own (osgauge.managed = true): only such a clone is fetched
// into, reset or evicted; any other repository found at a clone's path
// is left untouched.
const ManagedKey = "osgauge.managed"

// readMarks reads dir's .git/config: whether osgauge made the clone, and
// its origin URL.
func readMarks(dir string) (managed bool, origin string) {
	f, err := os.Open(filepath.Join(dir, ".git", "config"))
	if err != nil {
		return false, ""
	}
	defer f.Close()
	cfg := formatcfg.New()
	if err := formatcfg.NewDecoder(f).Decode(cfg); err != nil {
		return false, ""
	}
	managed = strings.EqualFold(strings.TrimSpace(cfg.Section("osgauge").Option("managed")), "true")
	origin = cfg.Section("remote").Subsection("origin").Option("url")
	return managed, origin
}

// syncState merges this Manager's knowledge into the state file under the
// state lock: the entries of the clones it used replace the file's (or
// are removed when the clone is gone), the other processes' entries are
// kept; then evict runs on the merged state and the file is written.
// m.state becomes the merged state.
func (m *Manager) syncState(ctx context.Context) error {
	inProcess.Lock()
	defer inProcess.Unlock()
	l, err := acquire(ctx, m.lockPath("state"), true, true)
	if err != nil {
		return fmt.Errorf("state lock: %w", err)
	}
	defer l.release()
	disk, err := loadState(m.o.Dir)
	if err != nil {
		return err
	}
	m.mu.Lock()
	for k := range m.used {
		if e, ok := m.state.Clones[k]; ok && isGitDir(filepath.Join(m.o.Dir, k)) {
			disk.Clones[k] = e
		} else {
			delete(disk.Clones, k)
		}
	}
	m.state = disk
	m.mu.Unlock()
	m.evict(ctx)
	m.mu.Lock()
	data, err := json.MarshalIndent(m.state, "", "  ")
	m.mu.Unlock()
	if err != nil {
		return err
	}
	return writeFile(m.o.Dir, StateFile, append(data, '\n'))
}

// entryNow reads one clone's entry from the state file as it is now
// (another process may have fetched it since this Manager started).
func (m *Manager) entryNow(ctx context.Context, key string) entry {
	inProcess.Lock()
	defer inProcess.Unlock()
	if l, err := acquire(ctx, m.lockPath("state"), true, true); err == nil {
		defer l.release()
	}
	if st, err := loadState(m.o.Dir); err == nil {
		return st.Clones[key]
	}
	return entry{}
}

// writeFile writes name in dir whole (a temporary file renamed over it).
func writeFile(dir, name string, data []byte) error {
	tmp, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, name))
}
