package backtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// TreeSource is a collector that reads a directory (the licence files at
// the root, Scorecard's local checks) and so reads only the present. The
// backtest runs it on the tree of the commit HEAD's first-parent line held
// at the as-of instant, written out to a temporary directory.
type TreeSource struct {
	Collector collectors.Collector
	// RootOnly: the collector reads only the files at the tree's root (the
	// licence collector), so only those are written out.
	RootOnly bool
}

// pastTree runs a TreeSource as a collectors.Historian: as of a past
// instant it reads the tree as it stood then.
type pastTree struct {
	src TreeSource
	tmp string // where trees are written out (removed after each use)
}

func (p *pastTree) Name() string            { return p.src.Collector.Name() }
func (p *pastTree) Needs() collectors.Needs { return collectors.Needs{Clone: true} }

func (p *pastTree) Applies(t collectors.Target) (bool, string) {
	if t.LocalPath == "" {
		return false, "no clone"
	}
	return true, ""
}

// AsOf declines a whole-tree source on a partial (blob-less) clone: the
// past tree's files are not held, and fetching them one by one would cost
// the network and the time a backtest cannot spend.
func (p *pastTree) AsOf(t collectors.Target) (bool, string) {
	if !p.src.RootOnly && partialClone(t.LocalPath) {
		return false, "the clone is partial (blob-less): the tree as of " + collectors.AsOfDay(t.AsOf) + " is not held, and fetching every file of it is not cheap; left out"
	}
	return true, ""
}

// Collect writes the tree of the commit HEAD's first-parent line held at
// t.AsOf to a temporary directory named <subject>@<commit>, runs the
// source on it, and names the commit in every observation's evidence.
func (p *pastTree) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	repo, done, err := openRepo(t.LocalPath)
	if err != nil {
		return nil, cost, err
	}
	defer done()
	start, err := startAsOf(repo, t.AsOf)
	if err != nil {
		return nil, cost, fmt.Errorf("%s as of %s: %w", p.Name(), collectors.AsOfDay(t.AsOf), err)
	}
	parent, err := os.MkdirTemp(p.tmp, "tree-")
	if err != nil {
		return nil, cost, err
	}
	defer os.RemoveAll(parent)
	name := safeName(t.Subject.Name) + "@" + start.Hash.String()[:7]
	dir := filepath.Join(parent, name)
	n, missing, err := writeTree(ctx, repo.Storer, start, dir, p.src.RootOnly)
	if err != nil {
		return nil, cost, fmt.Errorf("%s: tree of %s: %w", p.Name(), start.Hash.String()[:7], err)
	}
	inner := t
	inner.LocalPath, inner.AsOf = dir, time.Time{}
	obs, c, err := p.src.Collector.Collect(ctx, inner)
	if err != nil {
		return nil, c, err
	}
	note := fmt.Sprintf(" [tree of %s, HEAD's first-parent line as of %s; %d file(s) written out", start.Hash.String()[:7], collectors.AsOfDay(t.AsOf), n)
	if len(missing) > 0 {
		note += fmt.Sprintf("; %d the clone does not hold (left out of its snapshot) written empty, their names seen and not their content: %s", len(missing), firstNames(missing, 3))
	}
	note += "]"
	for i := range obs {
		obs[i].Evidence += note
		obs[i].ObservedAt = t.AsOf
	}
	return obs, c, nil
}

// writeTree writes a commit's tree (its root files only with rootOnly) to
// dir. Symbolic links and submodules are left out: a link could point out
// of the directory, and a submodule's files are another repository's.
func writeTree(ctx context.Context, st storer.EncodedObjectStorer, c *object.Commit, dir string, rootOnly bool) (n int, missing []string, err error) {
	tree, err := c.Tree()
	if err != nil {
		return 0, nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, nil, err
	}
	write := func(name string, blob plumbing.Hash, mode filemode.FileMode) error {
		if mode != filemode.Regular && mode != filemode.Executable && mode != filemode.Deprecated {
			return nil
		}
		clean := filepath.FromSlash(path.Clean(name))
		if strings.HasPrefix(clean, "..") || filepath.IsAbs(clean) {
			return nil
		}
		target := filepath.Join(dir, clean)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		b, err := object.GetBlob(st, blob)
		if errors.Is(err, plumbing.ErrObjectNotFound) {
			// A snapshot that left large files out (a size-filtered
			// mirror): the name is written, empty, so that checks by name
			// (a .jar is a binary artifact) still see it.
			missing = append(missing, name)
			n++
			return os.WriteFile(target, nil, 0o644)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		r, err := b.Reader()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		defer r.Close()
		perm := os.FileMode(0o644)
		if mode == filemode.Executable {
			perm = 0o755
		}
		f, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return err
		}
		n++
		return f.Close()
	}
	if rootOnly {
		for _, e := range tree.Entries {
			if err := write(e.Name, e.Hash, e.Mode); err != nil {
				return n, missing, err
			}
		}
		return n, missing, nil
	}
	walker := object.NewTreeWalker(tree, true, nil)
	defer walker.Close()
	for {
		if err := ctx.Err(); err != nil {
			return n, missing, err
		}
		name, e, err := walker.Next()
		if errors.Is(err, io.EOF) {
			return n, missing, nil
		}
		if err != nil {
			return n, missing, err
		}
		if err := write(name, e.Hash, e.Mode); err != nil {
			return n, missing, err
		}
	}
}

// safeName makes a display name usable as one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	if s == "" || s == "." || s == ".." {
		return "project"
	}
	return s
}

// firstNames lists up to n names, and how many more.
func firstNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:n], ", ") + fmt.Sprintf(" and %d more", len(names)-n)
}
