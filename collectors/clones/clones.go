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
	"encoding/json"
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
	// Timeout bounds each git operation (a clone, a fetch, a listing of
	// the remote's HEAD): a mirror that hangs fails that repository
	// instead of the run (DefaultTimeout when 0). With the git program a
	// transfer slower than 1000 bytes/s for 60 s is also given up
	// (http.lowSpeedLimit, http.lowSpeedTime).
	Timeout time.Duration
	// Mirrors rewrite repository URLs before they are fetched.
	Mirrors []Mirror
	// Credential returns the credential for the URL actually fetched when
	// no mirror rule names one (user "" for a token sent as the password
	// of a conventional user); ok false for none. It is called with the
	// URL after rewriting, so a forge's token never goes to a mirror; the
	// Manager sends it only over https (or http to a loopback address).
	Credential func(fetchURL string) (user, secret string, ok bool)
	// Getenv reads a mirror rule's token_env (os.Getenv when nil).
	Getenv func(string) string
	// Tool forces "git" or "go-git"; "" picks git when it is on PATH.
	Tool string
	// Logf receives one line per clone, fetch, failure and eviction.
	Logf func(format string, args ...any)
	// QuietFailures leaves a failed clone or fetch out of Logf: the
	// caller reports Result.Err itself (once).
	QuietFailures bool
	// FreshFor, when set, skips the fetch of a clone whose last
	// successful fetch (by any process) is younger than this: a queue
	// worker's jobs for one project share one fetch.
	FreshFor time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// DefaultTimeout bounds one git operation when Options.Timeout is 0.
const DefaultTimeout = 10 * time.Minute

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
	Repo   string  // the repository, Canonical (credentials stripped)
	Key    string  // its directory's name under Dir
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
	// Shared is true when another osgauge process held the clone: it is
	// used as that process left it, without a fetch by this one.
	Shared bool
	// Reused is true when a fetch younger than Options.FreshFor was
	// reused instead of fetching again.
	Reused bool
	Err    error
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
// tried at most once in its life, however often it is asked for. It
// holds a shared lock on every clone it prepared until Release, so that
// no other process evicts, fetches into or resets a clone it is reading.
type Manager struct {
	o     Options
	tool  string // resolved: "git" or "go-git"
	gitV  string // git's version, for evidence
	mu    sync.Mutex
	done  map[string]*Result   // by Key
	used  map[string]bool      // keys this Manager fetched or cloned
	locks map[string]*fileLock // by Key, until Release
	state *state
	warns map[string]bool // lines logged once
}

// New checks the options and makes the clones' directory.
func New(o Options) (*Manager, error) {
	if o.Dir == "" {
		o.Dir = DefaultDir()
	}
	if o.Concurrency < 1 {
		o.Concurrency = 4
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
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
	m := &Manager{o: o, done: map[string]*Result{}, used: map[string]bool{}, locks: map[string]*fileLock{}, warns: map[string]bool{}}
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
	if m.tool == "go-git" {
		installFileTransport()
	}
	st, err := loadState(o.Dir)
	if err != nil {
		return nil, err
	}
	m.state = st
	cleanPartials(o.Dir, o.Now())
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
// then evicts least recently used clones beyond MaxBytes (never one held
// by this or another run). Two spellings of one repository (Canonical,
// Key) are one clone. The result has an entry for every repository
// spelling given. The clones stay locked (shared) until Release.
func (m *Manager) Prepare(ctx context.Context, repos []string) map[string]*Result {
	out := map[string]*Result{}
	type job struct{ key, repo string }
	var todo []job
	m.mu.Lock()
	for _, r := range repos {
		if _, dup := out[r]; dup {
			continue
		}
		key := Key(r)
		if res, ok := m.done[key]; ok { // tried already: never again in this run
			out[r] = res
			continue
		}
		res := &Result{Repo: Canonical(r), Key: key}
		m.done[key], out[r] = res, res
		todo = append(todo, job{key, r})
	}
	m.mu.Unlock()
	sem := make(chan struct{}, m.o.Concurrency)
	var wg sync.WaitGroup
	for _, j := range todo {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			m.prepare(ctx, j.key, j.repo, out[j.repo])
		}()
	}
	wg.Wait()
	if err := m.syncState(context.WithoutCancel(ctx)); err != nil {
		m.o.Logf("clones: state not saved: %v", err)
	}
	return out
}

// Release lets go of the clones this Manager holds: call it when the run
// has finished reading them.
func (m *Manager) Release() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, l := range m.locks {
		l.release()
		delete(m.locks, k)
	}
}

// Key is the name of a repository's clone directory under Dir: its
// Canonical host and path in one flat, escaped name (github.com/redis/
// redis → github.com+redis+redis; a byte other than a letter, digit, ".",
// "-" or "_" is %XX, so "+" is %2B and no two repositories share a name,
// and no clone's directory is inside another's), or "~" with the last
// path element and a hash for an address that names no host and path (a
// file:// URL, a local path) or too long a name. Credentials never enter
// it.
func Key(repo string) string {
	c := Canonical(repo)
	if u, ok := repourl.Parse(c); ok && !strings.HasPrefix(c, "file:") {
		if k := escapeKey(u.Host + "/" + strings.Join(u.Parts, "/")); len(k) <= 150 {
			return k
		}
	}
	sum := sha256.Sum256([]byte(c))
	base := filepath.Base(filepath.ToSlash(strings.TrimSuffix(strings.TrimSuffix(c, "/"), ".git")))
	if len(base) > 60 {
		base = base[:60]
	}
	return "~" + escapeKey(base) + "-" + hex.EncodeToString(sum[:6])
}

func escapeKey(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		case c == '.' && i > 0:
			b.WriteByte(c)
		case c == '/':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// logOnce logs a line once in the Manager's life.
func (m *Manager) logOnce(format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	m.mu.Lock()
	seen := m.warns[line]
	m.warns[line] = true
	m.mu.Unlock()
	if !seen {
		m.o.Logf("%s", line)
	}
}

func (m *Manager) prepare(ctx context.Context, key, repo string, res *Result) {
	t0 := time.Now()
	dir := filepath.Join(m.o.Dir, key)
	fetchURL, rule := Rewrite(res.Repo, m.o.Mirrors)
	res.URL, res.Mirror = Redact(fetchURL), rule
	cred := m.credential(repo, fetchURL, rule)

	// The clone's own lock: exclusive to fetch into it; when another run
	// holds it, this run uses the clone as that run leaves it.
	l, err := acquire(ctx, m.lockPath(key), true, false)
	if errors.Is(err, errLocked) {
		m.useShared(ctx, key, dir, res, t0)
		return
	}
	if err != nil {
		res.Err = fmt.Errorf("lock %s: %w", m.lockPath(key), err)
		m.logFailure(res)
		return
	}
	exists := isGitDir(dir)
	if why := foreign(dir); why != "" {
		l.release()
		res.Err = errors.New(why)
		m.logFailure(res)
		return
	}
	m.mu.Lock()
	m.used[key] = true
	prev := m.state.Clones[key]
	m.mu.Unlock()

	if exists && m.o.FreshFor > 0 && !prev.LastFetch.IsZero() && m.o.Now().Sub(prev.LastFetch) < m.o.FreshFor {
		res.Path, res.Bytes, res.Tool, res.Partial, res.Reused = dir, prev.Bytes, prev.Tool, prev.Partial, true
		res.FetchedAt, res.NewestCommit, res.Took = prev.LastFetch, prev.NewestCommit, time.Since(t0)
		prev.LastUsed = m.o.Now()
		m.mu.Lock()
		m.state.Clones[key] = prev
		m.mu.Unlock()
		l.share()
		m.mu.Lock()
		m.locks[key] = l
		m.mu.Unlock()
		return
	}
	op := gitOp{dir: dir, url: res.URL, cred: cred, exists: exists, timeout: m.o.Timeout, tmpRoot: filepath.Join(m.o.Dir, partialDir)}
	var info opInfo
	if m.tool == "git" {
		res.Tool = "git " + m.gitV
		info, err = gitPrepare(ctx, op)
	} else {
		res.Tool = "go-git"
		info, err = goGitPrepare(ctx, op)
	}
	res.Cloned, res.Partial = !exists, info.partial
	if info.warning != "" {
		m.o.Logf("clones: %s: %s", res.Repo, cred.scrub(info.warning))
	}
	res.Took = time.Since(t0)
	if err != nil {
		res.Err = errors.New(cred.scrub(err.Error()))
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
	if res.Path == "" {
		l.release()
	} else {
		if err := l.share(); err != nil {
			m.o.Logf("clones: %s: could not share the clone's lock: %v", res.Repo, err)
		}
		m.mu.Lock()
		m.locks[key] = l
		m.mu.Unlock()
	}
	if res.Err != nil {
		m.logFailure(res)
		return
	}
	via := ""
	if rule != nil {
		via = fmt.Sprintf(" (mirror rule %s → %s)", Redact(rule.From), Redact(rule.To))
	}
	if info.branch != "" && info.branchWas != "" && info.branch != info.branchWas {
		m.o.Logf("clones: %s: the default branch is now %s (was %s): followed", res.Repo, info.branch, info.branchWas)
	}
	m.o.Logf("clones: %s %s from %s%s with %s in %s, %s on disk", done(res.Cloned), res.Repo, res.URL, via, res.Tool,
		res.Took.Round(time.Millisecond), humanBytes(res.Bytes))
}

// useShared is a clone another osgauge process holds: this run waits for
// any fetch of it to end (a shared lock, at most Timeout) and reads it as
// that process left it, with its fetch time from the state file.
func (m *Manager) useShared(ctx context.Context, key, dir string, res *Result, t0 time.Time) {
	wctx, cancel := context.WithTimeout(ctx, m.o.Timeout)
	defer cancel()
	l, err := acquire(wctx, m.lockPath(key), false, true)
	res.Shared = true
	res.Took = time.Since(t0)
	if err != nil {
		res.Err = fmt.Errorf("another osgauge process holds the clone at %s and did not let go within %s", dir, m.o.Timeout)
		m.logFailure(res)
		return
	}
	if !isGitDir(dir) || foreign(dir) != "" {
		l.release()
		res.Err = fmt.Errorf("another osgauge process held %s and left no clone there", dir)
		m.logFailure(res)
		return
	}
	e := m.entryNow(ctx, key)
	res.Path, res.Bytes, res.Tool, res.Partial = dir, e.Bytes, e.Tool, e.Partial
	res.FetchedAt, res.NewestCommit = e.LastFetch, e.NewestCommit
	if res.Bytes == 0 {
		res.Bytes = dirSize(dir)
	}
	m.mu.Lock()
	m.locks[key] = l
	m.mu.Unlock()
	when := "never fetched"
	if !e.LastFetch.IsZero() {
		when = "fetched " + e.LastFetch.UTC().Format(time.RFC3339)
	}
	m.o.Logf("clones: %s is in use by another osgauge process: used as it left it (%s)", res.Repo, when)
}

func (m *Manager) logFailure(res *Result) {
	if !m.o.QuietFailures {
		m.o.Logf("clones: %s from %s failed: %v", verb(res.Cloned), res.URL, res.Err)
	}
}

// foreign says why dir is not osgauge's to touch: a repository without
// the osgauge.managed mark (a checkout of the user's own), or a
// directory that is not a repository and not empty; "" when dir is
// osgauge's clone or free.
func foreign(dir string) string {
	if isGitDir(dir) {
		if managed, _ := readMarks(dir); !managed {
			return fmt.Sprintf("%s holds a repository osgauge did not make (no %s mark in its .git/config): it is left untouched; move it away, or name it as the project's local_path", dir, ManagedKey)
		}
		return ""
	}
	ents, err := os.ReadDir(dir)
	if err == nil && len(ents) > 0 {
		return fmt.Sprintf("%s is not empty and not a clone osgauge made: it is left untouched; move it away or choose another clones.dir", dir)
	}
	return ""
}

// partialDir holds clones being made (a clone is renamed into place once
// complete and marked, so that an interrupted clone never sits at a
// clone's path).
const partialDir = ".partial"

// cleanPartials removes clones being made that are older than a day (a
// process killed mid-clone).
func cleanPartials(dir string, now time.Time) {
	ents, _ := os.ReadDir(filepath.Join(dir, partialDir))
	for _, d := range ents {
		if fi, err := d.Info(); err == nil && now.Sub(fi.ModTime()) > 24*time.Hour {
			os.RemoveAll(filepath.Join(dir, partialDir, d.Name()))
		}
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
// the repository URL itself (when no rule rewrote it), else the mirror
// rule's token_env, else Options.Credential (the forge's token for that
// host). None is sent over plain http (but to a loopback address), nor
// to a host other than the rule's to (or, for Options.Credential, the one
// it was asked about): the URL fetched is checked, not the rule.
func (m *Manager) credential(repo, fetchURL string, rule *Mirror) credential {
	var c credential
	switch {
	case rule == nil && userinfoSecret(repo):
		u, p := userinfo(repo)
		c = credential{user: u, secret: p}
	case rule != nil && rule.TokenEnv != "":
		_, ruleHost := hostOf(CanonicalPrefix(rule.To))
		if _, h := hostOf(fetchURL); h == "" || h != ruleHost {
			return credential{}
		}
		if tok := strings.TrimSpace(m.o.Getenv(rule.TokenEnv)); tok != "" {
			c = credential{user: "oauth2", secret: tok}
		}
	case m.o.Credential != nil:
		if u, s, ok := m.o.Credential(Redact(fetchURL)); ok && s != "" {
			if u == "" {
				u = "oauth2"
			}
			c = credential{user: u, secret: s}
		}
	}
	if !c.ok() {
		return c
	}
	if ok, why := credentialAllowed(fetchURL); !ok {
		if why != "" {
			m.logOnce("clones: %s", why)
		}
		return credential{}
	}
	return c
}

func userinfoSecret(raw string) bool { _, p := userinfo(raw); return p != "" }

// Known is the clones the state file in dir lists, by Key, with their
// size on disk as last measured (for a plan: which repositories will be
// fetched rather than cloned, and how much disk they hold).
func Known(dir string) map[string]int64 {
	if dir == "" {
		dir = DefaultDir()
	}
	out := map[string]int64{}
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil {
		return out
	}
	var st state
	if json.Unmarshal(data, &st) == nil {
		for k, e := range st.Clones {
			out[k] = e.Bytes
		}
	}
	return out
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

// evict removes least recently used clones until the total is within
// MaxBytes: never one this Manager holds, nor one another process holds
// (its lock is tried without waiting). It runs under the state lock, on
// the merged state.
func (m *Manager) evict(ctx context.Context) {
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
	held := 0
	for _, k := range keys {
		if total <= m.o.MaxBytes {
			return
		}
		if m.used[k] || m.locks[k] != nil {
			continue
		}
		l, err := acquire(ctx, m.lockPath(k), true, false)
		if err != nil {
			held++
			continue // in use by another run
		}
		e := m.state.Clones[k]
		dir := filepath.Join(m.o.Dir, k)
		if why := foreign(dir); why != "" {
			l.release()
			delete(m.state.Clones, k)
			continue
		}
		err = os.RemoveAll(dir)
		l.release()
		if err != nil {
			m.o.Logf("clones: could not evict %s: %v", e.Repo, err)
			continue
		}
		delete(m.state.Clones, k)
		total -= e.Bytes
		m.o.Logf("clones: evicted %s (%s, last used %s) to stay within %s", e.Repo, humanBytes(e.Bytes), e.LastUsed.UTC().Format(time.RFC3339), humanBytes(m.o.MaxBytes))
	}
	if total > m.o.MaxBytes {
		others := ""
		if held > 0 {
			others = fmt.Sprintf(" or by another osgauge process (%d)", held)
		}
		m.o.Logf("clones: %s on disk, above the limit of %s: every remaining clone is in use by this run%s", humanBytes(total), humanBytes(m.o.MaxBytes), others)
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
