package gitlocal

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors/license"
)

// Licence states of the root licence files besides SPDX expressions.
const (
	licenceNone         = "none"         // no root licence file
	licenceUnrecognised = "unrecognised" // files whose text matches no known licence
)

// licenceEvent is one commit that changed the project's licence.
type licenceEvent struct {
	hash plumbing.Hash
	when time.Time
	// before and after are the licence of the root licence files: an SPDX
	// expression ("Apache-2.0", "Apache-2.0 OR MIT" for separate files,
	// "MIT OR unrecognised" beside an unrecognised one), licenceNone or
	// licenceUnrecognised. For a merge, before is its first parent's.
	before, after string
}

// licenceHistory finds the commits committed since cutoff that changed the
// licence the root licence files declare, oldest first. edits counts the
// commits since cutoff that changed those files' bytes at all, for
// evidence ("3 edits, 0 changes of licence").
//
// Each file declares the licence its text opens with (license.DetectText:
// third-party licences appended for bundled code do not count), and the
// tree's licence is the set of the files' licences (license.Expression). A
// change is a different set: another licence (Apache-2.0 → BUSL-1.1), a
// licence file added beside the others with a new licence, one removed, or
// all of them removed (X → none). The first licence added to a project that
// had none is not a change, and neither is an edit of a text that was and
// stays unrecognised (it cannot be told apart). A recognised licence
// replaced by an unrecognised text is a change, and so is an unrecognised
// file added beside a recognised one (LICENSE-COMMERCIAL): a proprietary
// text replacing or joining an open licence is what a bank must see. Files
// that are not licence text (license.IsLicenceText: third-party licence lists, tool
// configuration) are left out of both counts. A merge counts only when it
// differs from every parent, so one change is not counted twice; root
// commits count for neither. Each licence blob is scanned once.
func licenceHistory(ctx context.Context, repo *git.Repository, commits []commitRec, cutoff time.Time) (events []licenceEvent, edits int, err error) {
	treeOf := make(map[plumbing.Hash]plumbing.Hash, len(commits))
	for _, c := range commits {
		treeOf[c.hash] = c.tree
	}
	type state struct {
		files   string // names and blob hashes: equal means unchanged bytes
		licence string // declared licence expression, licenceNone or licenceUnrecognised
	}
	byTree := map[plumbing.Hash]state{}
	byBlob := map[plumbing.Hash]string{}
	stateOf := func(tree plumbing.Hash) (state, error) {
		if s, ok := byTree[tree]; ok {
			return s, nil
		}
		t, err := object.GetTree(repo.Storer, tree)
		if err != nil {
			return state{}, fmt.Errorf("read tree %s: %w", tree, err)
		}
		var files strings.Builder
		var ids []string
		unrecognised := false
		for _, e := range t.Entries { // git keeps entries sorted
			if e.Mode == filemode.Dir || e.Mode == filemode.Submodule || !license.IsLicenceFile(e.Name) || !license.IsLicenceText(e.Name) {
				continue
			}
			fmt.Fprintf(&files, "%s=%s\n", e.Name, e.Hash)
			id, ok := byBlob[e.Hash]
			if !ok {
				if id, err = declared(repo, e.Hash); err != nil {
					return state{}, fmt.Errorf("read %s: %w", e.Name, err)
				}
				byBlob[e.Hash] = id
			}
			if id == "" {
				unrecognised = true
			} else {
				ids = append(ids, id)
			}
		}
		if unrecognised {
			// An unrecognised file beside recognised ones (LICENSE-COMMERCIAL
			// beside LICENSE) is part of the set: adding or removing it
			// changes what the project is offered under.
			ids = append(ids, licenceUnrecognised)
		}
		s := state{files: files.String(), licence: licenceNone}
		if len(ids) > 0 {
			// Separate files: a choice, as the licence collector reads them.
			s.licence = license.Expression(ids)
		}
		byTree[tree] = s
		return s, nil
	}
	parentTree := func(p plumbing.Hash) (plumbing.Hash, error) {
		if t, ok := treeOf[p]; ok {
			return t, nil
		}
		c, err := repo.CommitObject(p)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("read commit %s: %w", p, err)
		}
		treeOf[p] = c.TreeHash
		return c.TreeHash, nil
	}

	for _, c := range commits {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		if c.committed.Before(cutoff) || len(c.parents) == 0 {
			continue
		}
		cur, err := stateOf(c.tree)
		if err != nil {
			return nil, 0, err
		}
		edited, changed := true, true
		before := ""
		for _, p := range c.parents {
			pt, err := parentTree(p)
			if err != nil {
				return nil, 0, err
			}
			prev, err := stateOf(pt)
			if err != nil {
				return nil, 0, err
			}
			if prev.files == cur.files {
				edited = false
			}
			if !isLicenceChange(prev.licence, cur.licence) {
				changed = false
			}
			if before == "" {
				before = prev.licence
			}
		}
		if edited {
			edits++
		}
		if changed {
			events = append(events, licenceEvent{hash: c.hash, when: c.committed, before: before, after: cur.licence})
		}
	}
	sort.Slice(events, func(i, j int) bool {
		if !events[i].when.Equal(events[j].when) {
			return events[i].when.Before(events[j].when)
		}
		return events[i].hash.String() < events[j].hash.String()
	})
	return events, edits, nil
}

// isLicenceChange reports whether going from one declared state to another
// changes the project's licence (see licenceHistory).
func isLicenceChange(before, after string) bool {
	switch {
	case before == after:
		return false
	case before == licenceNone: // first licence: licensing, not relicensing
		return false
	}
	return true
}

// declared is the licence a blob's text declares ("" if unrecognised).
func declared(repo *git.Repository, h plumbing.Hash) (string, error) {
	b, err := repo.BlobObject(h)
	if err != nil {
		return "", err
	}
	r, err := b.Reader()
	if err != nil {
		return "", err
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, 1<<20)) // licence files are small; bound a stray binary
	if err != nil {
		return "", err
	}
	if id := license.DetectText(data).ID; id != "" {
		return id, nil
	}
	return sourceAvailableText(data), nil
}
