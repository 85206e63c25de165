package forge

import (
	"sort"
	"time"
)

// CommitMerge reads a newest-first default-branch listing into what the
// last run kept: on a full read everything is read again back to the
// window; on an incremental one reading stops at the first page that
// reaches a commit already known and is no newer than the newest known.
type CommitMerge struct {
	known       map[string]bool
	prevNewest  time.Time
	got         map[string]Commit
	cut         time.Time
	incremental bool
}

// NewCommitMerge starts from prev (the commits the last run kept; ignored
// when full) for a window starting at cut.
func NewCommitMerge(prev []Commit, full bool, cut time.Time) *CommitMerge {
	m := &CommitMerge{known: map[string]bool{}, got: map[string]Commit{}, cut: cut}
	if !full {
		for _, c := range prev {
			m.known[c.SHA] = true
			m.got[c.SHA] = c
			if c.Committed.After(m.prevNewest) {
				m.prevNewest = c.Committed
			}
		}
	}
	m.incremental = len(m.known) > 0
	return m
}

// Page adds one page of the listing, newest first, and says whether
// reading can stop: the page is empty, reaches past the window, or
// (incrementally) reaches what the last run saw.
func (m *CommitMerge) Page(page []Commit) (stop bool) {
	sawKnown := false
	var oldest time.Time
	n := 0
	for _, c := range page {
		if c.SHA == "" {
			continue
		}
		n++
		if m.known[c.SHA] {
			sawKnown = true
		}
		m.got[c.SHA] = c
		oldest = c.Committed
	}
	if n == 0 || oldest.Before(m.cut) {
		return true
	}
	return m.incremental && sawKnown && !oldest.After(m.prevNewest)
}

// Len is how many commits are held.
func (m *CommitMerge) Len() int { return len(m.got) }

// Commits are the merged commits, newest committed first (SHA breaks ties).
func (m *CommitMerge) Commits(dst []Commit) []Commit {
	out := dst[:0]
	for _, c := range m.got {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Committed.Equal(b.Committed) {
			return a.Committed.After(b.Committed)
		}
		return a.SHA < b.SHA
	})
	return out
}
