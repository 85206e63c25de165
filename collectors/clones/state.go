package clones

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// StateFile is the file in the clones' directory that records, per clone,
// when it was last used and last fetched: the least recently used go
// first when disk use passes the limit, and a failed fetch still knows
// how old the clone it falls back on is.
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

func loadState(dir string) (*state, error) {
	st := &state{Version: 1, Clones: map[string]entry{}}
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if os.IsNotExist(err) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("clones: %w", err)
	}
	if err := json.Unmarshal(data, st); err != nil {
		// A damaged state file loses only the last-use times: start afresh
		// rather than refuse to collect.
		return &state{Version: 1, Clones: map[string]entry{}}, nil
	}
	if st.Clones == nil {
		st.Clones = map[string]entry{}
	}
	// A clone removed by hand is forgotten.
	for k := range st.Clones {
		if !isGitDir(filepath.Join(dir, k)) {
			delete(st.Clones, k)
		}
	}
	return st, nil
}

// saveState writes the state file whole (a temporary file renamed over it).
func (m *Manager) saveState() error {
	m.mu.Lock()
	data, err := json.MarshalIndent(m.state, "", "  ")
	m.mu.Unlock()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(m.o.Dir, StateFile+".*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(m.o.Dir, StateFile))
}
