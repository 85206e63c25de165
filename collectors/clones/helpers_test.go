package clones

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// upstream is a test-made repository a clone is made from.
type upstream struct {
	t    *testing.T
	dir  string
	repo *git.Repository
	when time.Time
}

func newUpstream(t *testing.T, dir string) *upstream {
	t.Helper()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	return &upstream{t: t, dir: dir, repo: r, when: time.Date(2025, 1, 6, 12, 0, 0, 0, time.UTC)}
}

// commit writes files (name → content) and commits them a day after the
// previous commit; it returns the commit's hash.
func (u *upstream) commit(msg string, files map[string]string) plumbing.Hash {
	u.t.Helper()
	wt, err := u.repo.Worktree()
	if err != nil {
		u.t.Fatal(err)
	}
	for name, content := range files {
		p := filepath.Join(u.dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			u.t.Fatal(err)
		}
		if _, err := wt.Add(name); err != nil {
			u.t.Fatal(err)
		}
	}
	u.when = u.when.Add(24 * time.Hour)
	sig := &object.Signature{Name: "Ada", Email: "ada@example.org", When: u.when}
	h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
	if err != nil {
		u.t.Fatal(err)
	}
	return h
}

func (u *upstream) tag(name string, h plumbing.Hash) {
	u.t.Helper()
	if _, err := u.repo.CreateTag(name, h, nil); err != nil {
		u.t.Fatal(err)
	}
}

func fileURL(dir string) string { return "file://" + filepath.ToSlash(dir) }

// logs collects a Manager's log lines.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, sprintf(format, args...))
}

func (l *logs) count(sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			n++
		}
	}
	return n
}

func (l *logs) all() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("the git program is not on PATH: the go-git tests cover this machine")
	}
}

func headOf(t *testing.T, dir string) plumbing.Hash {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	return h.Hash()
}
