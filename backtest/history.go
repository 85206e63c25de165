package backtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/osgauge/osgauge/collectors/affiliation"
)

// errNoHistoryYet: HEAD's first-parent line holds no commit committed by
// the as-of instant.
var errNoHistoryYet = errors.New("no commit on HEAD was committed by then")

// openRepo opens the repository at or above path over storage that keeps
// its packfiles open (go-git otherwise reopens a packfile per object). done
// closes them.
func openRepo(path string) (*git.Repository, func(), error) {
	r, err := git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		r, err = git.PlainOpen(path) // a bare repository
	}
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, nil, fmt.Errorf("not a git repository: %s", path)
		}
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	fsStore, ok := r.Storer.(*filesystem.Storage)
	if !ok {
		return r, func() {}, nil
	}
	s := filesystem.NewStorageWithOptions(fsStore.Filesystem(), cache.NewObjectLRUDefault(), filesystem.Options{KeepDescriptors: true})
	kept, err := git.Open(s, nil)
	if err != nil {
		_ = s.Close()
		return r, func() {}, nil
	}
	return kept, func() { _ = s.Close() }, nil
}

// startAsOf is the commit HEAD pointed at, as near as history tells, at
// asOf: the newest commit on HEAD's first-parent line committed by then
// (git rev-list --first-parent -1 --before=asOf HEAD), the rule gitlocal's
// as-of collection follows, so the tree read here is the one gitlocal read.
func startAsOf(repo *git.Repository, asOf time.Time) (*object.Commit, error) {
	head, err := repo.Head()
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	h := head.Hash()
	for {
		c, err := object.GetCommit(repo.Storer, h)
		if err != nil {
			return nil, fmt.Errorf("commit %s: %w", h, err)
		}
		if !c.Committer.When.After(asOf) {
			return c, nil
		}
		if len(c.ParentHashes) == 0 {
			return nil, errNoHistoryYet
		}
		h = c.ParentHashes[0]
	}
}

// partialClone reports whether the repository is a partial (blob-less)
// clone: its past trees' files are not held and would be fetched from the
// network one by one.
func partialClone(path string) bool {
	dir := path
	for {
		if fi, err := os.Stat(filepath.Join(dir, ".git")); err == nil && fi.IsDir() {
			dir = filepath.Join(dir, ".git")
			break
		}
		if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
			break // a bare repository
		}
		up := filepath.Dir(dir)
		if up == dir {
			return false
		}
		dir = up
	}
	data, err := os.ReadFile(filepath.Join(dir, "config"))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(strings.ToLower(string(data)), "\n") {
		line = strings.ReplaceAll(strings.TrimSpace(line), " ", "")
		if strings.HasPrefix(line, "partialclone=") || line == "promisor=true" {
			return true
		}
	}
	return false
}

// mailmapAt reads the .mailmap of a commit's tree (nil when absent).
func mailmapAt(c *object.Commit) (*affiliation.Mailmap, error) {
	tree, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("tree of %s: %w", c.Hash, err)
	}
	f, err := tree.File(".mailmap")
	if err != nil {
		return nil, nil
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("read .mailmap: %w", err)
	}
	defer r.Close()
	m, err := affiliation.ParseMailmap(r, ".mailmap")
	if m == nil && err != nil {
		return nil, err
	}
	return m, nil // a line not understood is left out, as gitlocal does
}
