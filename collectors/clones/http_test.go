package clones

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/http/cgi"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// gitHTTP serves root's repositories over loopback HTTP with git
// http-backend (as a forge or a bank's mirror does), asking for Basic
// credentials user:secret when secret is set; it counts the requests that
// carried them.
func gitHTTP(t *testing.T, root, user, secret string) (*httptest.Server, *atomic.Int64) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git http-backend needs the git program")
	}
	var authed atomic.Int64
	backend := &cgi.Handler{Path: gitPath, Args: []string{"http-backend"}, Env: []string{
		"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1",
		"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=uploadpack.allowFilter", "GIT_CONFIG_VALUE_0=true"}}
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+secret))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if secret != "" {
			if r.Header.Get("Authorization") != want {
				w.Header().Set("WWW-Authenticate", `Basic realm="mirror"`)
				http.Error(w, "authentication required", http.StatusUnauthorized)
				return
			}
			authed.Add(1)
		}
		backend.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &authed
}

// Through a mirror that wants a token (a mirror rule's token_env): the
// token is sent, and it is in neither the clone's config, the state file,
// the evidence nor the logs. Without the variable set, the clone fails
// once with the mirror's URL and no secret.
func TestMirrorCredentialsNeverStored(t *testing.T) {
	root := t.TempDir()
	u := newUpstream(t, filepath.Join(root, "srv/github/o/a"))
	u.commit("first", map[string]string{"LICENSE": "MIT\n"})
	const secret = "glpat-s3cret-token-value"
	srv, authed := gitHTTP(t, filepath.Join(root, "srv"), "oauth2", secret)
	env := map[string]string{"MIRROR_TOKEN": secret}
	var l logs
	o := Options{Dir: filepath.Join(root, "clones"), Logf: l.logf, Getenv: func(k string) string { return env[k] },
		Mirrors: []Mirror{{From: "https://github.com/", To: srv.URL + "/github/", TokenEnv: "MIRROR_TOKEN"}}}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	repo := "https://github.com/o/a"
	r := m.Prepare(context.Background(), []string{repo})[repo]
	if r.Err != nil || r.Path == "" || !r.Partial {
		t.Fatalf("%+v\n%s", r, l.all())
	}
	if authed.Load() == 0 {
		t.Error("the mirror saw no credential")
	}
	var stored []string
	filepath.Walk(o.Dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() && (strings.HasSuffix(p, ".git/config") || strings.HasSuffix(p, StateFile)) {
			data, _ := os.ReadFile(p)
			stored = append(stored, string(data))
		}
		return nil
	})
	if len(stored) != 2 {
		t.Fatalf("read %d of the config and the state file", len(stored))
	}
	for _, s := range append(stored, l.all(), Evidence(r)) {
		if strings.Contains(s, secret) || strings.Contains(s, base64.StdEncoding.EncodeToString([]byte("oauth2:"+secret))) {
			t.Errorf("the secret is stored or logged:\n%s", s)
		}
	}
	if !strings.Contains(stored[0]+stored[1], "url = "+srv.URL+"/github/o/a") {
		t.Errorf("the clone's remote is not the mirror's URL:\n%s", stored)
	}

	// The variable unset: the mirror refuses, reported once with its URL.
	delete(env, "MIRROR_TOKEN")
	var l2 logs
	o.Logf, o.Dir = l2.logf, filepath.Join(root, "clones2")
	m2, _ := New(o)
	r2 := m2.Prepare(context.Background(), []string{repo})[repo]
	if r2.Err == nil || l2.count("failed") != 1 || !strings.Contains(l2.all(), srv.URL+"/github/o/a") {
		t.Errorf("without the token: %+v\n%s", r2, l2.all())
	}

	// A credential written into the repository URL itself is used, and
	// stripped from everything kept.
	var l3 logs
	o.Logf, o.Dir, o.Mirrors = l3.logf, filepath.Join(root, "clones3"), nil
	m3, _ := New(o)
	withCred := strings.Replace(srv.URL, "http://", "http://oauth2:"+secret+"@", 1) + "/github/o/a"
	r3 := m3.Prepare(context.Background(), []string{withCred})[withCred]
	if r3.Err != nil || strings.Contains(r3.Repo+r3.URL+l3.all()+Evidence(r3), secret) {
		t.Errorf("credential in the URL: %+v\n%s", r3, l3.all())
	}
	if data, _ := os.ReadFile(filepath.Join(r3.Path, ".git/config")); strings.Contains(string(data), secret) {
		t.Errorf("the clone's config holds the secret:\n%s", data)
	}
}
