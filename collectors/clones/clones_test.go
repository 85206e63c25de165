package clones

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
)

// The portfolio: a forge with o/a and o/b, and a second mirror holding
// its own copy of o/b. Rules: https://forge.test/ → the forge, and the
// longer https://forge.test/o/b → the special mirror, which must win for
// o/b. Projects are cloned (blob-less, with tags and the licence history),
// then fetched by the next collection, which sees the new commit.
func TestCloneFetchThroughMirrors(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	a := newUpstream(t, filepath.Join(root, "forge/o/a"))
	a1 := a.commit("first", map[string]string{"LICENSE": "MIT License\n\nPermission is hereby granted...\n", "main.go": "package main // v1\n"})
	a.tag("v1.0.0", a1)
	a.commit("relicense", map[string]string{"LICENSE": "Apache License\nVersion 2.0, January 2004\n", "main.go": "package main // v2\n"})
	b := newUpstream(t, filepath.Join(root, "forge/o/b"))
	b.commit("forge copy of b", map[string]string{"README": "b\n"})
	bm := newUpstream(t, filepath.Join(root, "special/b"))
	bWant := bm.commit("special mirror copy of b", map[string]string{"README": "b (mirror)\n"})

	rules := []Mirror{
		{From: "https://forge.test/", To: fileURL(root) + "/forge/"},
		{From: "https://forge.test/o/b", To: fileURL(root) + "/special/b"},
	}
	var l logs
	o := Options{Dir: filepath.Join(root, "clones"), Mirrors: rules, Logf: l.logf, Concurrency: 2}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.Tool(), "git ") {
		t.Fatalf("tool %q, want the git program", m.Tool())
	}
	res := m.Prepare(context.Background(), []string{"https://forge.test/o/a", "https://forge.test/o/b"})
	ra, rb := res["https://forge.test/o/a"], res["https://forge.test/o/b"]
	for _, r := range []*Result{ra, rb} {
		if r.Err != nil || r.Path == "" || !r.Cloned || !r.Partial {
			t.Fatalf("%s: %+v", r.Repo, r)
		}
	}
	if ra.Mirror.From != "https://forge.test/" || ra.URL != fileURL(root)+"/forge/o/a" {
		t.Errorf("a came from %s by %+v", ra.URL, ra.Mirror)
	}
	if rb.Mirror.From != "https://forge.test/o/b" || headOf(t, rb.Path) != bWant {
		t.Errorf("b came from %s by %+v, head %s; want the special mirror's %s", rb.URL, rb.Mirror, headOf(t, rb.Path), bWant)
	}
	if ra.Path != filepath.Join(o.Dir, "forge.test+o+a") {
		t.Errorf("a's clone at %s", ra.Path)
	}
	// The tag came along, and gitlocal's licence history can read the
	// first LICENSE (fetched for the history) while the first main.go is
	// not there (blob-less: only what the analysis reads).
	r, err := git.PlainOpen(ra.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Tag("v1.0.0"); err != nil {
		t.Errorf("tag v1.0.0: %v", err)
	}
	c1, err := r.CommitObject(a1)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := c1.Tree()
	lic, _ := tree.FindEntry("LICENSE")
	mainV1, _ := tree.FindEntry("main.go")
	if _, err := r.BlobObject(lic.Hash); err != nil {
		t.Errorf("the first LICENSE is not in the clone: %v", err)
	}
	if _, err := r.BlobObject(mainV1.Hash); err == nil {
		t.Error("the first main.go is in the clone: it is not blob-less")
	}
	// The stored remote is the URL fetched, the one the rule gave.
	cfg, _ := r.Config()
	if u := cfg.Remotes["origin"].URLs[0]; u != ra.URL {
		t.Errorf("origin %s, want %s", u, ra.URL)
	}
	// newest commit: a's second commit, two days after 2025-01-06 12:00 (commit adds a day each time)
	if want := time.Date(2025, 1, 8, 12, 0, 0, 0, time.UTC); !ra.NewestCommit.Equal(want) {
		t.Errorf("newest commit %s, want %s", ra.NewestCommit, want)
	}

	// Next collection (the first run over): a new commit upstream is
	// fetched into the same clone.
	m.Release()
	a3 := a.commit("third", map[string]string{"main.go": "package main // v3\n"})
	m2, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ra2 := m2.Prepare(context.Background(), []string{"https://forge.test/o/a"})["https://forge.test/o/a"]
	if ra2.Err != nil || ra2.Cloned || ra2.Path != ra.Path {
		t.Fatalf("fetch: %+v", ra2)
	}
	if h := headOf(t, ra2.Path); h != a3 {
		t.Errorf("after the fetch HEAD is %s, want the new commit %s", h, a3)
	}
	if data, _ := os.ReadFile(filepath.Join(ra2.Path, "main.go")); string(data) != "package main // v3\n" {
		t.Errorf("working tree not updated: %q", data)
	}
	if l.count("cloned") != 2 || l.count("fetched") != 1 {
		t.Errorf("log:\n%s", l.all())
	}
}

// A clone that fails is reported once, with its URL and git's reason,
// and not tried again in the run however often it is asked for.
func TestFailureReportedOnce(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	var l logs
	m, err := New(Options{Dir: filepath.Join(root, "clones"), Logf: l.logf,
		Mirrors: []Mirror{{From: "https://forge.test/", To: fileURL(root) + "/nowhere/"}}})
	if err != nil {
		t.Fatal(err)
	}
	repo := "https://forge.test/o/gone"
	res := m.Prepare(context.Background(), []string{repo, repo})
	res2 := m.Prepare(context.Background(), []string{repo})
	r := res[repo]
	if r.Err == nil || r.Path != "" || res2[repo] != r {
		t.Fatalf("result %+v, second %+v", r, res2[repo])
	}
	if n := l.count("failed"); n != 1 {
		t.Errorf("%d failure lines, want 1:\n%s", n, l.all())
	}
	if !strings.Contains(l.all(), fileURL(root)+"/nowhere/o/gone") {
		t.Errorf("the failure does not name the URL:\n%s", l.all())
	}
	if _, err := os.Stat(filepath.Join(root, "clones/forge.test+o+gone")); !os.IsNotExist(err) {
		t.Errorf("a half-made clone is kept: %v", err)
	}
}

// max_gb: the least recently used clones go first, never one this run
// uses. Use order old → new is b-old (t1), a-new (t2), c (t3); names sort
// the other way, so an alphabetical eviction would take a-new.
func TestEvictLeastRecentlyUsed(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	for _, n := range []string{"b-old", "a-new", "c"} {
		u := newUpstream(t, filepath.Join(root, "forge", n))
		u.commit("only", map[string]string{"README": n + "\n"})
	}
	dir := filepath.Join(root, "clones")
	rules := []Mirror{{From: "https://forge.test/", To: fileURL(root) + "/forge/"}}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	prep := func(at time.Time, max int64, repos ...string) (*logs, map[string]*Result) {
		var l logs
		m, err := New(Options{Dir: dir, Mirrors: rules, MaxBytes: max, Logf: l.logf, Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		defer m.Release() // the run is over
		return &l, m.Prepare(context.Background(), repos)
	}
	prep(t0, 0, "https://forge.test/b-old")
	prep(t0.Add(time.Hour), 0, "https://forge.test/a-new")
	_, rc := prep(t0.Add(2*time.Hour), 0, "https://forge.test/c")
	sizeOf := func(n string) int64 { return DirSize(filepath.Join(dir, "forge.test+"+n)) }
	sOld, sNew, sC := sizeOf("b-old"), sizeOf("a-new"), rc["https://forge.test/c"].Bytes
	if sOld == 0 || sNew == 0 || sC == 0 {
		t.Fatalf("sizes %d %d %d", sOld, sNew, sC)
	}
	// Limit: a-new + c + half of b-old. In use: c. Total a-new + b-old + c
	// is over it by half of b-old, so b-old (least recent) goes, and then
	// a-new + c is within it: a-new stays.
	limit := sNew + sC + sOld/2
	l, _ := prep(t0.Add(3*time.Hour), limit, "https://forge.test/c")
	if _, err := os.Stat(filepath.Join(dir, "forge.test+b-old")); !os.IsNotExist(err) {
		t.Errorf("b-old (least recently used) not evicted:\n%s", l.all())
	}
	if _, err := os.Stat(filepath.Join(dir, "forge.test+a-new")); err != nil {
		t.Errorf("a-new evicted too: %v\n%s", err, l.all())
	}
	if l.count("evicted") != 1 {
		t.Errorf("log:\n%s", l.all())
	}
	// A limit below what the run itself uses evicts everything else and
	// says so; the clone in use stays.
	l, _ = prep(t0.Add(4*time.Hour), 1, "https://forge.test/c")
	if _, err := os.Stat(filepath.Join(dir, "forge.test+c")); err != nil || l.count("evicted") != 1 || l.count("in use by this run") != 1 {
		t.Errorf("tiny limit: %v\n%s", err, l.all())
	}
	st, _ := loadState(dir)
	if len(st.Clones) != 1 {
		t.Errorf("state holds %d clones, want c alone: %+v", len(st.Clones), st.Clones)
	}
}

// go-git, for machines without the git program: a full clone with the
// tags, then a fetch that sees a new commit.
func TestGoGitCloneAndFetch(t *testing.T) {
	t.Setenv("PATH", "") // no git, no git-upload-pack: go-git and its in-process file transport alone
	root := t.TempDir()
	u := newUpstream(t, filepath.Join(root, "forge/o/a"))
	h1 := u.commit("first", map[string]string{"LICENSE": "MIT\n"})
	u.tag("v1", h1)
	o := Options{Dir: filepath.Join(root, "clones"), Tool: "go-git",
		Mirrors: []Mirror{{From: "https://forge.test/", To: fileURL(root) + "/forge/"}}}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	// a working tree as the source: the in-process transport reads its .git
	repo := "https://forge.test/o/a"
	r := m.Prepare(context.Background(), []string{repo})[repo]
	if r.Err != nil || !r.Cloned || r.Partial || r.Tool != "go-git" || headOf(t, r.Path) != h1 {
		t.Fatalf("%+v", r)
	}
	gr, _ := git.PlainOpen(r.Path)
	if _, err := gr.Tag("v1"); err != nil {
		t.Errorf("tag v1: %v", err)
	}
	m.Release()
	h2 := u.commit("second", map[string]string{"x": "1\n"})
	m2, _ := New(o)
	r2 := m2.Prepare(context.Background(), []string{repo})[repo]
	if r2.Err != nil || r2.Cloned || headOf(t, r2.Path) != h2 {
		t.Fatalf("fetch: %+v, head %s want %s", r2, headOf(t, r2.Path), h2)
	}
	if _, err := os.Stat(filepath.Join(r2.Path, "x")); err != nil {
		t.Errorf("working tree not reset to the new commit: %v", err)
	}
	_ = plumbing.ZeroHash
}
