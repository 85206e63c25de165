package backtest

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/memory"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// mit is enough of the MIT licence text for licensecheck to recognise it.
const mit = `MIT License

Copyright (c) 2020 Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

// who is a commit's author.
type who struct{ name, email string }

var (
	ann   = who{"Ann Lee", "ann@example.org"}
	bob   = who{"Bob Ng", "bob@example.org"}
	cai   = who{"Cai Wu", "cai@example.com"}
	dee   = who{"Dee Roy", "dee@example.net"}
	eve   = who{"Eve Po", "eve@example.io"}
	depbt = who{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"}
)

// repoMaker writes commits straight into a repository's object store
// (blobs, one root tree, the commit), with the dates given: fast enough
// for a 10,000-commit history, and no git program needed.
type repoMaker struct {
	t       testing.TB
	dir     string
	repo    *git.Repository
	mem     *memory.Storage // objects and refs until flush writes them as one packfile
	head    plumbing.Hash
	licence plumbing.Hash
	n       int
}

func newRepo(t testing.TB, name string) *repoMaker {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	m := &repoMaker{t: t, dir: dir, repo: repo, mem: memory.NewStorage()}
	m.licence = m.blob(mit)
	return m
}

func (m *repoMaker) put(o interface {
	Encode(plumbing.EncodedObject) error
}) plumbing.Hash {
	m.t.Helper()
	obj := m.mem.NewEncodedObject()
	if err := o.Encode(obj); err != nil {
		m.t.Fatal(err)
	}
	h, err := m.mem.SetEncodedObject(obj)
	if err != nil {
		m.t.Fatal(err)
	}
	return h
}

func (m *repoMaker) blob(content string) plumbing.Hash {
	m.t.Helper()
	obj := m.mem.NewEncodedObject()
	obj.SetType(plumbing.BlobObject)
	w, _ := obj.Writer()
	w.Write([]byte(content))
	w.Close()
	h, err := m.mem.SetEncodedObject(obj)
	if err != nil {
		m.t.Fatal(err)
	}
	return h
}

// commit adds a commit by a at when (author and committer date), on top
// of HEAD, changing main.go.
func (m *repoMaker) commit(a who, when time.Time) plumbing.Hash {
	m.t.Helper()
	m.n++
	code := m.blob(fmt.Sprintf("package main // change %d\n", m.n))
	tree := &object.Tree{Entries: []object.TreeEntry{
		{Name: "LICENSE", Mode: filemode.Regular, Hash: m.licence},
		{Name: "main.go", Mode: filemode.Regular, Hash: code},
	}}
	th := m.put(tree)
	sig := object.Signature{Name: a.name, Email: a.email, When: when}
	c := &object.Commit{Author: sig, Committer: sig, Message: fmt.Sprintf("change %d\n", m.n), TreeHash: th}
	if !m.head.IsZero() {
		c.ParentHashes = []plumbing.Hash{m.head}
	}
	m.head = m.put(c)
	return m.head
}

// flush writes the objects made so far as one packfile (no deltas) and
// points main, HEAD and the tags at them.
func (m *repoMaker) flush() {
	m.t.Helper()
	var hashes []plumbing.Hash
	iter, err := m.mem.IterEncodedObjects(plumbing.AnyObject)
	if err != nil {
		m.t.Fatal(err)
	}
	iter.ForEach(func(o plumbing.EncodedObject) error { hashes = append(hashes, o.Hash()); return nil })
	if len(hashes) > 0 {
		w, err := m.repo.Storer.(storer.PackfileWriter).PackfileWriter()
		if err != nil {
			m.t.Fatal(err)
		}
		if _, err := packfile.NewEncoder(w, m.mem, false).Encode(hashes, 0); err != nil {
			m.t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			m.t.Fatal(err)
		}
	}
	m.mem = memory.NewStorage()
	ref := plumbing.NewHashReference(plumbing.NewBranchReferenceName("main"), m.head)
	if err := m.repo.Storer.SetReference(ref); err != nil {
		m.t.Fatal(err)
	}
	if err := m.repo.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, ref.Name())); err != nil {
		m.t.Fatal(err)
	}
}

// tag puts a lightweight tag on HEAD (dated by its commit).
func (m *repoMaker) tag(name string) {
	m.t.Helper()
	if err := m.repo.Storer.SetReference(plumbing.NewHashReference(plumbing.NewTagReferenceName(name), m.head)); err != nil {
		m.t.Fatal(err)
	}
}

func (m *repoMaker) target(name string) collectors.Target {
	m.flush()
	return collectors.Target{
		Subject:   models.Subject{Kind: models.KindProject, ID: "local/" + name, Name: name, Attrs: map[string]string{"use_type": "deep"}},
		LocalPath: m.dir,
	}
}

func utc(y int, mo time.Month, d int) time.Time { return time.Date(y, mo, d, 12, 0, 0, 0, time.UTC) }

// every adds a commit every step days from from to until (exclusive),
// the authors taking turns.
func (m *repoMaker) every(from, until time.Time, step int, authors ...who) {
	i := 0
	for d := from; d.Before(until); d = d.AddDate(0, 0, step) {
		m.commit(authors[i%len(authors)], d)
		i++
	}
}
