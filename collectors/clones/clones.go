// Package clones keeps osgauge's own clones of the portfolio's
// repositories (issue 27): every project with a repository and no
// local_path is cloned into one directory, or fetched when it is already
// there, so that gitlocal, Scorecard's local checks and the licence
// collector read a fresh checkout. Clones are as small as the analysis
// allows: with the git program, a blob-less partial clone of the default
// branch with every tag, whose working tree is checked out and whose
// licence, maintainer and mailmap files are fetched for the whole history
// (gitlocal reads them at past commits); with go-git (no git on PATH), a
// full clone, as go-git has no partial clone.
//
// URLs go through mirror rules as git's insteadOf does (the longest
// matching prefix wins). Credentials come from the environment and reach
// only the transport: never the clone's stored remote URL, the logs or the
// evidence. A clone that fails is reported once and not tried again by the
// same Manager. Disk use is bounded by MaxBytes: least recently used
// clones go first, by the last-use times kept in a small state file in
// the directory.
package clones

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/internal/repourl"
)

// Options configure a Manager.
type Options struct {
	// Dir holds the clones and the state file (DefaultDir when empty).
	Dir string
	// MaxBytes bounds the clones' disk use (0: unbounded).
	MaxBytes int64
	// Concurrency is how many clones or fetches run at once (default 4).
	Concurrency int
	// Mirrors rewrite repository URLs before they are fetched.
	Mirrors []Mirror
	// Credential returns the credential for the URL actually fetched when
	// no mirror rule names one (user "" for a token sent as the password
	// of a conventional user); ok false for none. It is called with the
	// URL after rewriting, so a forge's token never goes to a mirror.
	Credential func(fetchURL string) (user, secret string, ok bool)
	// Getenv reads a mirror rule's token_env (os.Getenv when nil).
	Getenv func(string) string
	// Tool forces "git" or "go-git"; "" picks git when it is on PATH.
	Tool string
	// Logf receives one line per clone, fetch, failure and eviction.
	Logf func(format string, args ...any)
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// DefaultDir is the clones' directory when none is configured: osgauge/
// clones under the user's cache directory (~/.cache on Linux).
func DefaultDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		d = os.TempDir()
	}
	return filepath.Join(d, "osgauge", "clones")
}

// Result is what preparing one repository gave.
type Result struct {
	Repo   string  // the repository as configured (credentials stripped)
	URL    string  // the URL fetched from (credentials stripped)
	Mirror *Mirror // the rule that rewrote it, nil for none
	// Path is the clone's working tree: this collection's when Err is
	// nil, an earlier one's when the fetch failed over a clone that is
	// still there, "" when there is none.
	Path string
	Tool string // "git 2.39.5" or "go-git"
	// Cloned is true for a new clone, false for a fetch into one.
	Cloned  bool
	Partial bool // a blob-less partial clone
	Err     error
	// FetchedAt is the clone's newest successful fetch (this one's when
	// Err is nil); zero when it never succeeded.
	FetchedAt time.Time
	// NewestCommit is the commit time of the default branch's tip the
	// source served at FetchedAt.
	NewestCommit time.Time
	Bytes        int64 // the clone's size on disk
	Took         time.Duration
}

// Manager prepares clones. One Manager is one run: a repository is
// tried at most once in its life, however often it is asked for.
type Manager struct {
	o     Options
	tool  string // resolved: "git" or "go-git"
	gitV  string // git's version, for evidence
	mu    sync.Mutex
	done  map[string]*Result // by repository as configured
	used  map[string]bool    // state keys used by this Manager
	state *state
}

// New checks the options and makes the clones' directory.
func New(o Options) (*Manager, error) {
	if o.Dir == "" {
		o.Dir = DefaultDir()
	}
	if o.Concurrency < 1 {
		o.Concurrency = 4
	}
	if o.Getenv == nil {
		o.Getenv = os.Getenv
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("clones.dir: %w", err)
	}
	m := &Manager{o: o, done: map[string]*Result{}, used: map[string]bool{}}
	switch o.Tool {
	case "", "git":
		if v, err := gitVersion(); err == nil {
			m.tool, m.gitV = "git", v
		} else if o.Tool == "git" {
			return nil, fmt.Errorf("clones: the git program is not usable: %w", err)
		} else {
			m.tool = "go-git"
		}
	case "go-git":
		m.tool = "go-git"
	default:
		return nil, fmt.Errorf("clones: unknown tool %q (git or go-git)", o.Tool)
	}
	st, err := loadState(o.Dir)
	if err != nil {
		return nil, err
	}
	m.state = st
	return m, nil
}

// Tool names the program the Manager clones with ("git 2.39.5 (partial
// clones)" or "go-git (full clones: go-git has no partial clone)").
func (m *Manager) Tool() string {
	if m.tool == "git" {
		return "git " + m.gitV + " (blob-less partial clones)"
	}
	return "go-git (full clones: git is not on PATH and go-git has no partial clone)"
}

// Dir is the clones' directory.
func (m *Manager) Dir() string { return m.o.Dir }

// Prepare clones or fetches every repository, Concurrency at a time, and
// then evicts least recently used clones beyond MaxBytes (never one this
// Manager prepared). The result has one entry per distinct repository.
func (m *Manager) Prepare(ctx context.Context, repos []string) map[string]*Result {
	out := map[string]*Result{}
	var todo []string
	m.mu.Lock()
	for _, r := range repos {
		if _, dup := out[r]; dup {
			continue
		}
		if res, ok := m.done[r]; ok { // tried already: never again in this run
			out[r] = res
			continue
		}
		res := &Result{Repo: Redact(r)}
		m.done[r], out[r] = res, res
		todo = append(todo, r)
	}
	m.mu.Unlock()
	sem := make(chan struct{}, m.o.Concurrency)
	var wg sync.WaitGroup
	for _, r := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			m.prepare(ctx, r, out[r])
		}()
	}
	wg.Wait()
	m.evict()
	if err := m.saveState(); err != nil {
		m.o.Logf("clones: state not saved: %v", err)
	}
	return out
}

// Key is where a repository's clone lives under the directory: its host
// and path (github.com/redis/redis), or a hash for an address that names
// none. Credentials never enter it.
func Key(repo string) string {
	clean := Redact(strings.TrimSpace(repo))
	if u, ok := repourl.Parse(clean); ok && !strings.HasPrefix(clean, "file:") {
		parts := append([]string{safe(u.Host)}, u.Parts...)
		for i := range parts {
			parts[i] = safe(parts[i])
		}
		return filepath.Join(parts...)
	}
	sum := sha256.Sum256([]byte(clean))
	return filepath.Join("other", safe(filepath.Base(strings.TrimSuffix(clean, ".git")))+"-"+hex.EncodeToString(sum[:4]))
}

func safe(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			return r
		}
		return '_'
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}

func (m *Manager) prepare(ctx context.Context, repo string, res *Result) {
	t0 := time.Now()
	key := Key(repo)
	dir := filepath.Join(m.o.Dir, key)
	fetchURL, rule := Rewrite(strings.TrimSpace(repo), m.o.Mirrors)
	res.URL, res.Mirror = Redact(fetchURL), rule
	cred := m.credential(fetchURL, rule)
	m.mu.Lock()
	m.used[key] = true
	prev := m.state.Clones[key]
	m.mu.Unlock()

	exists := isGitDir(dir)
	var info opInfo
	var err error
	if m.tool == "git" {
		res.Tool = "git " + m.gitV
		info, err = gitPrepare(ctx, dir, res.URL, cred, exists)
	} else {
		res.Tool = "go-git"
		info, err = goGitPrepare(ctx, dir, res.URL, cred, exists)
	}
	res.Cloned, res.Partial = !exists, info.partial
	if info.warning != "" {
		m.o.Logf("clones: %s: %s", Redact(repo), cred.scrub(info.warning))
	}
	res.Took = time.Since(t0)
	if err != nil {
		res.Err = errors.New(cred.scrub(err.Error()))
		if !exists {
			os.RemoveAll(dir) // a half-made clone is not kept
		}
	}
	if isGitDir(dir) {
		res.Path = dir
		res.Bytes = dirSize(dir)
	}
	now := m.o.Now()
	e := prev
	e.Repo, e.URL, e.Tool, e.Bytes, e.LastUsed = res.Repo, res.URL, res.Tool, res.Bytes, now
	if res.Err == nil {
		e.LastFetch, e.NewestCommit, e.Partial = now, info.newest, info.partial
	}
	res.FetchedAt, res.NewestCommit = e.LastFetch, e.NewestCommit
	if res.Err != nil && res.Path != "" {
		res.Partial = e.Partial
	}
	m.mu.Lock()
	if res.Path == "" {
		delete(m.state.Clones, key)
	} else {
		m.state.Clones[key] = e
	}
	m.mu.Unlock()
	switch {
	case res.Err != nil:
		m.o.Logf("clones: %s from %s failed: %v", verb(res.Cloned), res.URL, res.Err)
	default:
		via := ""
		if rule != nil {
			via = fmt.Sprintf(" (mirror rule %s → %s)", Redact(rule.From), Redact(rule.To))
		}
		m.o.Logf("clones: %s %s from %s%s with %s in %s, %s on disk", done(res.Cloned), res.Repo, res.URL, via, res.Tool,
			res.Took.Round(time.Millisecond), humanBytes(res.Bytes))
	}
}

func done(cloned bool) string {
	if cloned {
		return "cloned"
	}
	return "fetched"
}

func verb(cloned bool) string {
	if cloned {
		return "clone"
	}
	return "fetch"
}

// credential is what goes to the transport for one fetch.
type credential struct{ user, secret string }

func (c credential) ok() bool { return c.secret != "" }

// scrub removes the secret from a message (git's own errors never hold
// it, but a server's might echo it).
func (c credential) scrub(s string) string {
	if c.secret == "" {
		return s
	}
	return strings.ReplaceAll(s, c.secret, "***")
}

// credential picks the credential for the URL fetched: one written into
// the URL itself, else the mirror rule's token_env, else Options.Credential
// (the forge's token for that host).
func (m *Manager) credential(fetchURL string, rule *Mirror) credential {
	if u, p := userinfo(fetchURL); p != "" {
		return credential{user: u, secret: p}
	}
	if rule != nil && rule.TokenEnv != "" {
		if tok := strings.TrimSpace(m.o.Getenv(rule.TokenEnv)); tok != "" {
			return credential{user: "oauth2", secret: tok}
		}
		return credential{}
	}
	if m.o.Credential != nil {
		if u, s, ok := m.o.Credential(Redact(fetchURL)); ok && s != "" {
			if u == "" {
				u = "oauth2"
			}
			return credential{user: u, secret: s}
		}
	}
	return credential{}
}

// Usage is the clones' disk use as last measured, and how many there are.
func (m *Manager) Usage() (bytes int64, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, e := range m.state.Clones {
		bytes += e.Bytes
		n++
	}
	return bytes, n
}

// evict removes least recently used clones, not used by this Manager,
// until the total is within MaxBytes.
func (m *Manager) evict() {
	if m.o.MaxBytes <= 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var total int64
	keys := make([]string, 0, len(m.state.Clones))
	for k, e := range m.state.Clones {
		total += e.Bytes
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := m.state.Clones[keys[i]], m.state.Clones[keys[j]]
		if !a.LastUsed.Equal(b.LastUsed) {
			return a.LastUsed.Before(b.LastUsed)
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		if total <= m.o.MaxBytes {
			return
		}
		if m.used[k] {
			continue
		}
		e := m.state.Clones[k]
		if err := os.RemoveAll(filepath.Join(m.o.Dir, k)); err != nil {
			m.o.Logf("clones: could not evict %s: %v", e.Repo, err)
			continue
		}
		delete(m.state.Clones, k)
		total -= e.Bytes
		m.o.Logf("clones: evicted %s (%s, last used %s) to stay within %s", e.Repo, humanBytes(e.Bytes), e.LastUsed.UTC().Format(time.RFC3339), humanBytes(m.o.MaxBytes))
	}
	if total > m.o.MaxBytes {
		m.o.Logf("clones: %s on disk, above the limit of %s: every remaining clone is in use by this run", humanBytes(total), humanBytes(m.o.MaxBytes))
	}
}

func isGitDir(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, ".git"))
	return err == nil && fi.IsDir()
}

// dirSize is the bytes of the files under dir.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// DirSize is the bytes of the files under dir (for benchmarks and checks).
func DirSize(dir string) int64 { return dirSize(dir) }

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// HumanBytes writes a size as the logs do (for callers' summaries).
func HumanBytes(n int64) string { return humanBytes(n) }

func gitVersion() (string, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return "", err
	}
	out, err := exec.Command("git", "version").Output()
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(strings.TrimSpace(string(out)), "git version "), nil
}
