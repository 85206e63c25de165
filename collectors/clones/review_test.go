package clones

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-git/go-git/v5/plumbing"
)

// Item 1: a rule matches on a "/" boundary only, whether or not its from
// ends in "/", and compares scheme and host in their canonical case.
func TestRewriteBoundary(t *testing.T) {
	rules := []Mirror{
		{From: "https://github.com", To: "https://mirror.example/gh"}, // no trailing "/": implied
		{From: "https://gitlab.com/", To: "https://mirror.example/gl/"},
	}
	cases := []struct{ in, want string }{
		// a port is another origin: "https://github.com" + ":8099/…" is no "/" boundary
		{"https://github.com:8099/evil/x", "https://github.com:8099/evil/x"},
		// gitlab.com.attacker.example starts with "https://gitlab.com" but not "https://gitlab.com/"
		{"https://gitlab.com.attacker.example/x/y", "https://gitlab.com.attacker.example/x/y"},
		{"https://github.com/acme/beta", "https://mirror.example/gh/acme/beta"},
		{"https://gitlab.com/g/p", "https://mirror.example/gl/g/p"},
	}
	for _, c := range cases {
		if got, _ := Rewrite(c.in, rules); got != c.want {
			t.Errorf("Rewrite(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	// A rule written with the host in capitals matches the canonical URL.
	if got, _ := Rewrite(Canonical("https://github.com/acme/beta"), []Mirror{{From: "HTTPS://GitHub.com/", To: "https://m.example/"}}); got != "https://m.example/acme/beta" {
		t.Errorf("capital rule: %s", got)
	}
}

// Item 1: a credential goes only over https, or over plain http to a
// loopback address; a mirror rule's token only to the rule's to host.
func TestCredentialScope(t *testing.T) {
	env := map[string]string{"TOK": "s3cret"}
	var l logs
	m := &Manager{o: Options{Getenv: func(k string) string { return env[k] }, Logf: l.logf,
		Credential: func(string) (string, string, bool) { return "x-access-token", "forge-token", true }}, warns: map[string]bool{}}
	rule := func(to string) *Mirror { return &Mirror{From: "https://github.com/", To: to, TokenEnv: "TOK"} }
	cases := []struct {
		name, fetch string
		rule        *Mirror
		want        string // the secret sent, "" for none
	}{
		{"mirror over https", "https://git.bank.internal/gh/a/b", rule("https://git.bank.internal/gh/"), "s3cret"},
		{"mirror over plain http", "http://git.bank.internal/gh/a/b", rule("http://git.bank.internal/gh/"), ""},
		{"mirror over http to loopback", "http://127.0.0.1:8080/gh/a/b", rule("http://127.0.0.1:8080/gh/"), "s3cret"},
		// the URL fetched is on another host than the rule's to: no token
		{"another host than the rule's", "https://elsewhere.example/gh/a/b", rule("https://git.bank.internal/gh/"), ""},
		{"forge token over https", "https://github.com/a/b", nil, "forge-token"},
		{"forge token over plain http", "http://github.com/a/b", nil, ""},
	}
	for _, c := range cases {
		if got := m.credential(c.fetch, c.fetch, c.rule); got.secret != c.want {
			t.Errorf("%s: sent %q, want %q", c.name, got.secret, c.want)
		}
	}
	if n := l.count("no credential is sent over plain http"); n != 2 {
		t.Errorf("%d plain-http lines, want 2 (mirror and forge):\n%s", n, l.all())
	}
}

// Item 2: a mirror that answers 301 to another host (127.0.0.2) never
// sees the token there: the redirect is not followed.
func TestRedirectKeepsToken(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	u := newUpstream(t, filepath.Join(root, "srv/o/a"))
	u.commit("first", map[string]string{"README": "a\n"})
	const secret = "tok-redirected"
	// B: the other host, serving the repository and counting credentials.
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("cannot listen on 127.0.0.2: %v", err)
	}
	var leaked atomic.Int64
	srvB, _ := gitHTTP(t, filepath.Join(root, "srv"), "", "")
	b := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Add(1)
		}
		srvB.Config.Handler.ServeHTTP(w, r)
	}))
	b.Listener.Close()
	b.Listener = ln
	b.Start()
	t.Cleanup(b.Close)
	// A: the mirror named in the rule, redirecting everything to B.
	a := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, b.URL+r.URL.RequestURI(), http.StatusMovedPermanently)
	}))
	t.Cleanup(a.Close)
	var l logs
	m, err := New(Options{Dir: filepath.Join(root, "clones"), Logf: l.logf, Getenv: func(string) string { return secret },
		Mirrors: []Mirror{{From: "https://forge.test/", To: a.URL + "/", TokenEnv: "T"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Release()
	r := m.Prepare(context.Background(), []string{"https://forge.test/o/a"})["https://forge.test/o/a"]
	if n := leaked.Load(); n != 0 {
		t.Errorf("the token reached 127.0.0.2 in %d requests", n)
	}
	if r.Err == nil {
		t.Errorf("the redirected clone succeeded: %+v", r)
	}
}

// Item 3: a checkout of the user's own at a clone's path is left as it
// is (no fetch, no reset), reported once.
func TestForeignCheckoutUntouched(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	src := newUpstream(t, filepath.Join(root, "forge/o/a"))
	src.commit("upstream", map[string]string{"README": "upstream\n"})
	dir := filepath.Join(root, "clones")
	repo := "https://forge.test/o/a"
	mine := newUpstream(t, filepath.Join(dir, Key(repo)))
	own := mine.commit("my own work", map[string]string{"notes.txt": "mine\n"})
	os.WriteFile(filepath.Join(dir, Key(repo), "draft.txt"), []byte("uncommitted\n"), 0o644)
	var l logs
	m, err := New(Options{Dir: dir, Logf: l.logf, MaxBytes: 1, Mirrors: []Mirror{{From: "https://forge.test/", To: fileURL(root) + "/forge/"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Release()
	r := m.Prepare(context.Background(), []string{repo, "https://forge.test/o/a.git"})[repo]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "osgauge did not make") || r.Path != "" {
		t.Errorf("result %+v", r)
	}
	if h := headOf(t, filepath.Join(dir, Key(repo))); h != own {
		t.Errorf("HEAD moved to %s, want the user's %s", h, own)
	}
	if data, err := os.ReadFile(filepath.Join(dir, Key(repo), "draft.txt")); err != nil || string(data) != "uncommitted\n" {
		t.Errorf("the uncommitted file: %q %v", data, err)
	}
	if n := l.count("did not make"); n != 1 {
		t.Errorf("%d lines, want 1:\n%s", n, l.all())
	}
}

// Item 4: five spellings of one repository are one clone, cloned once;
// keys are flat names, so no clone lies inside another's directory.
func TestSpellingsShareOneClone(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	u := newUpstream(t, filepath.Join(root, "forge/acme/beta"))
	u.commit("only", map[string]string{"README": "beta\n"})
	spellings := []string{"https://github.com/acme/beta", "github.com/acme/beta", "https://github.com/acme/beta.git",
		"https://GitHub.com/acme/beta/", "git@github.com:acme/beta.git"}
	var l logs
	m, err := New(Options{Dir: filepath.Join(root, "clones"), Logf: l.logf,
		Mirrors: []Mirror{{From: "https://github.com/", To: fileURL(root) + "/forge/"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Release()
	res := m.Prepare(context.Background(), spellings)
	first := res[spellings[0]]
	for _, s := range spellings {
		if res[s] != first {
			t.Errorf("%s has its own result %+v", s, res[s])
		}
	}
	if first.Err != nil || first.Repo != "https://github.com/acme/beta" || filepath.Base(first.Path) != "github.com+acme+beta" {
		t.Errorf("%+v", first)
	}
	if n := l.count("cloned"); n != 1 {
		t.Errorf("%d clones, want 1:\n%s", n, l.all())
	}
	// host/a and host/a/b: flat names, neither a directory of the other's
	// ("+" joins the segments; a "+" of a name is %2B).
	for _, c := range [][2]string{{"https://h.test/a", "h.test+a"}, {"https://h.test/a/b", "h.test+a+b"}, {"https://h.test/a+b", "h.test+a%2Bb"},
		{"http://h.test:8080/a/b", "h.test%3A8080+a+b"}} {
		if k := Key(c[0]); k != c[1] || strings.ContainsAny(k, `/\`) {
			t.Errorf("Key(%s) = %s, want %s", c[0], k, c[1])
		}
	}
}

// Item 5: two Managers sharing the directory (as two processes do: flock
// conflicts between open files). The state file keeps both runs' clones
// (merged under the lock, not overwritten), a clone one run holds is
// neither evicted nor fetched by the other (used as it is), and a clone
// the state file does not list is picked up with its size.
func TestSharedDirLocks(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	for _, n := range []string{"a", "b"} {
		u := newUpstream(t, filepath.Join(root, "forge", n))
		u.commit("only", map[string]string{"README": n + "\n"})
	}
	dir := filepath.Join(root, "clones")
	rules := []Mirror{{From: "https://forge.test/", To: fileURL(root) + "/forge/"}}
	var l1, l2 logs
	m1, _ := New(Options{Dir: dir, Mirrors: rules, Logf: l1.logf})
	m2, _ := New(Options{Dir: dir, Mirrors: rules, Logf: l2.logf, MaxBytes: 1}) // both read the empty state
	ra := m1.Prepare(context.Background(), []string{"https://forge.test/a"})["https://forge.test/a"]
	if ra.Err != nil {
		t.Fatal(ra.Err)
	}
	// m2 clones b and, over its 1-byte limit, would evict a: m1 holds it.
	rb := m2.Prepare(context.Background(), []string{"https://forge.test/b"})["https://forge.test/b"]
	if rb.Err != nil {
		t.Fatal(rb.Err)
	}
	if !isGitDir(ra.Path) {
		t.Errorf("a, held by the first run, was evicted:\n%s", l2.all())
	}
	st, _ := loadState(dir)
	if _, ok := st.Clones["forge.test+a"]; !ok || len(st.Clones) != 2 {
		t.Errorf("state after both runs: %v (want forge.test+a and forge.test+b)", st.Clones)
	}
	// m2 asks for a while m1 holds it: used as m1 left it, no fetch.
	ra2 := m2.Prepare(context.Background(), []string{"https://forge.test/a"})["https://forge.test/a"]
	if ra2.Err != nil || !ra2.Shared || ra2.Path != ra.Path || !ra2.FetchedAt.Equal(ra.FetchedAt) || l2.count("fetched https://forge.test/a") != 0 {
		t.Errorf("shared use: %+v\n%s", ra2, l2.all())
	}
	m1.Release()
	m2.Release()
	// The state file lost: both clones are found again, with their sizes.
	os.Remove(filepath.Join(dir, StateFile))
	st, _ = loadState(dir)
	if e := st.Clones["forge.test+b"]; len(st.Clones) != 2 || e.Bytes != DirSize(rb.Path) || e.URL != fileURL(root)+"/forge/b" {
		t.Errorf("unlisted clones: %+v", st.Clones)
	}
	// Released, a third run over the limit may evict a (least recently used).
	m3, _ := New(Options{Dir: dir, Mirrors: rules, MaxBytes: 1, Logf: l1.logf})
	m3.Prepare(context.Background(), []string{"https://forge.test/b"})
	m3.Release()
	if isGitDir(ra.Path) {
		t.Errorf("a not evicted once released:\n%s", l1.all())
	}
}

// Item 6: the upstream renames its default branch (master → main) and
// commits on it: the next fetch follows the remote's HEAD.
func TestRenamedDefaultBranch(t *testing.T) {
	needGit(t)
	root := t.TempDir()
	u := newUpstream(t, filepath.Join(root, "forge/o/a"))
	u.commit("on master", map[string]string{"README": "1\n"})
	o := Options{Dir: filepath.Join(root, "clones"), Mirrors: []Mirror{{From: "https://forge.test/", To: fileURL(root) + "/forge/"}}}
	m, _ := New(o)
	repo := "https://forge.test/o/a"
	if r := m.Prepare(context.Background(), []string{repo})[repo]; r.Err != nil {
		t.Fatal(r.Err)
	}
	m.Release()
	if out, err := exec.Command("git", "-C", u.dir, "branch", "-m", "master", "main").CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	h := u.commit("on main", map[string]string{"README": "2\n"})
	var l logs
	o.Logf = l.logf
	m2, _ := New(o)
	defer m2.Release()
	r := m2.Prepare(context.Background(), []string{repo})[repo]
	if r.Err != nil || headOf(t, r.Path) != h {
		t.Fatalf("after the rename: %+v\n%s", r, l.all())
	}
	if out, _ := exec.Command("git", "-C", r.Path, "symbolic-ref", "HEAD").Output(); strings.TrimSpace(string(out)) != "refs/heads/main" {
		t.Errorf("checked out %q, want refs/heads/main", out)
	}
	if l.count("default branch is now main (was master)") != 1 {
		t.Errorf("log:\n%s", l.all())
	}
	_ = plumbing.HEAD
}

// Item 7: a mirror that accepts the connection and never answers fails
// its repository after clones.timeout, not the run.
func TestHungMirrorTimesOut(t *testing.T) {
	needGit(t)
	hang := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(hang) })
	root := t.TempDir()
	m, _ := New(Options{Dir: filepath.Join(root, "clones"), Timeout: time.Second,
		Mirrors: []Mirror{{From: "https://forge.test/", To: srv.URL + "/"}}})
	defer m.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	t0 := time.Now()
	r := m.Prepare(ctx, []string{"https://forge.test/o/a"})["https://forge.test/o/a"]
	if r.Err == nil || !strings.Contains(r.Err.Error(), "gave up after 1s (clones.timeout)") {
		t.Errorf("err %v", r.Err)
	}
	// 1 s for the clone, plus git's start and the cleanup: well under 10 s
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Error("the run's own deadline ran out")
	}
}

// Item 11: the user's own GIT_CONFIG_* settings are kept (the
// credential's come after them), LFS files are not downloaded, and slow
// transfers are given up.
func TestGitEnvAppends(t *testing.T) {
	base := []string{"HOME=/h", "GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=http.proxy", "GIT_CONFIG_VALUE_0=http://proxy.bank:3128"}
	env := gitEnv(base, "https://mirror.example/a/b", credential{user: "oauth2", secret: "tok"})
	has := func(kv string) bool {
		for _, e := range env {
			if e == kv {
				return true
			}
		}
		return false
	}
	// the user's one setting (index 0), then lowSpeedLimit, lowSpeedTime,
	// followRedirects and the header at 1..4: a count of 5
	for _, kv := range []string{"GIT_CONFIG_COUNT=5", "GIT_CONFIG_KEY_0=http.proxy", "GIT_CONFIG_VALUE_0=http://proxy.bank:3128",
		"GIT_CONFIG_KEY_1=http.lowSpeedLimit", "GIT_CONFIG_VALUE_1=1000", "GIT_CONFIG_KEY_2=http.lowSpeedTime", "GIT_CONFIG_VALUE_2=60",
		"GIT_CONFIG_KEY_3=http.followRedirects", "GIT_CONFIG_VALUE_3=false",
		"GIT_CONFIG_KEY_4=http.https://mirror.example/.extraHeader",
		"GIT_CONFIG_VALUE_4=Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte("oauth2:tok")),
		"GIT_LFS_SKIP_SMUDGE=1"} {
		if !has(kv) {
			t.Errorf("missing %s in %q", kv, env)
		}
	}
	if n := strings.Count(strings.Join(env, "\n"), "GIT_CONFIG_COUNT="); n != 1 {
		t.Errorf("%d GIT_CONFIG_COUNT entries", n)
	}
}
