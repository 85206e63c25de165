package backtest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/license"
)

// A snapshot that left a large file out (its blob is not in the clone):
// the tree is still written, the missing file empty under its name, and
// the evidence says so. The licence at the root is read from the tree.
func TestPastTreeMissingBlob(t *testing.T) {
	m := newRepo(t, "snap")
	code := m.blob("package main\n")
	lib := m.put(&object.Tree{Entries: []object.TreeEntry{
		{Name: "big.jar", Mode: filemode.Regular, Hash: plumbing.NewHash("0123456789abcdef0123456789abcdef01234567")},
		{Name: "small.go", Mode: filemode.Regular, Hash: code},
	}})
	root := m.put(&object.Tree{Entries: []object.TreeEntry{
		{Name: "LICENSE", Mode: filemode.Regular, Hash: m.licence},
		{Name: "lib", Mode: filemode.Dir, Hash: lib},
	}})
	sig := object.Signature{Name: ann.name, Email: ann.email, When: utc(2024, 6, 1)}
	m.head = m.put(&object.Commit{Author: sig, Committer: sig, Message: "snap\n", TreeHash: root})
	m.flush()
	c, err := m.repo.CommitObject(m.head)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "tree")
	n, missing, err := writeTree(context.Background(), m.repo.Storer, c, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	// LICENSE, lib/big.jar (empty), lib/small.go.
	if n != 3 || len(missing) != 1 || missing[0] != "lib/big.jar" {
		t.Fatalf("written %d, missing %v; want 3 and [lib/big.jar]", n, missing)
	}
	if fi, err := os.Stat(filepath.Join(dir, "lib", "big.jar")); err != nil || fi.Size() != 0 {
		t.Errorf("lib/big.jar: %v %v, want an empty file", fi, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "lib", "small.go")); string(b) != "package main\n" {
		t.Errorf("lib/small.go = %q", b)
	}

	pt := &pastTree{src: TreeSource{Collector: license.New()}, tmp: t.TempDir()}
	obs, _, err := pt.Collect(context.Background(), collectors.Target{Subject: m.target("snap").Subject, LocalPath: m.dir, AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, o := range obs {
		seen = seen || o.Metric == "license.spdx"
		if o.Metric == "license.spdx" && (o.Text != "MIT" || !strings.Contains(o.Evidence, "1 the clone does not hold") || !o.ObservedAt.Equal(asOf)) {
			t.Errorf("license.spdx = %q at %s, evidence %q; want MIT as of the date, the missing file named", o.Text, o.ObservedAt, o.Evidence)
		}
	}
	if !seen {
		t.Errorf("no license.spdx among %d observations", len(obs))
	}
}

// A partial (blob-less) clone holds no past tree: the whole-tree source
// declines, with its reason; the root-only one runs.
func TestPastTreePartialClone(t *testing.T) {
	m := newRepo(t, "partial")
	m.commit(ann, utc(2024, 1, 1))
	m.flush()
	cfg := filepath.Join(m.dir, ".git", "config")
	data, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(data, []byte("[remote \"origin\"]\n\tpromisor = true\n\tpartialclonefilter = blob:none\n")...), 0o644)
	tg := m.target("partial")
	tg.AsOf = asOf
	whole := &pastTree{src: TreeSource{Collector: license.New()}}
	if ok, why := whole.AsOf(tg); ok || !strings.Contains(why, "partial") {
		t.Errorf("whole tree on a partial clone: %v %q, want declined", ok, why)
	}
	root := &pastTree{src: TreeSource{Collector: license.New(), RootOnly: true}}
	if ok, _ := root.AsOf(tg); !ok {
		t.Error("root files on a partial clone: declined, want run")
	}
}
