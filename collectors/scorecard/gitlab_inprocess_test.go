package scorecard

import (
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
	"github.com/osgauge/osgauge/collectors/gitlab/gitlabfake"
	"github.com/osgauge/osgauge/models"
)

// Scorecard's GitLab client always speaks https to the host with the
// system's roots, so the test binary trusts httptest's fixed loopback
// certificate through SSL_CERT_FILE, set before anything loads the roots.
func TestMain(m *testing.M) {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	srv.Close()
	dir, err := os.MkdirTemp("", "osgauge-scorecard-tls")
	if err != nil {
		panic(err)
	}
	f := filepath.Join(dir, "loopback.pem")
	if err := os.WriteFile(f, cert, 0o600); err != nil {
		panic(err)
	}
	os.Setenv("SSL_CERT_FILE", f)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Scorecard's GitLab client runs in-process against a fake GitLab (REST v4
// shapes, behind TLS on loopback): every non-experimental check is
// recorded, those Scorecard does not support on GitLab as such; checks
// whose API the fake answers are scored (Code-Review from the commits and
// the GraphQL merge requests, Binary-Artifacts), and those whose endpoint
// it lacks (branches, pipelines) are inconclusive with Scorecard's error,
// never scored. Scorecard's GraphQL client reads GITLAB_AUTH_TOKEN from the
// environment, not the token it is given.
func TestGitLabModeInProcess(t *testing.T) {
	t.Setenv("SCORECARD_EXPERIMENTAL", "")
	os.Unsetenv("SCORECARD_EXPERIMENTAL")
	gl := gitlabfake.New(forgetest.Sample(time.Now()))
	defer gl.Close()
	target, _ := url.Parse(gl.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	var paths []string
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		paths = append(paths, r.URL.Path+"?"+r.URL.RawQuery)
		if r.URL.Path == "/api/v4/projects" { // Scorecard's reachability probe of a host not named gitlab.*
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, "[]")
			return
		}
		if r.URL.Path == "/api/graphql" { // merged merge requests, as GitLab's GraphQL API answers
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"data":{"project":{"mergeRequests":{"nodes":[{"id":"gid://gitlab/MergeRequest/5","iid":"5",
				"mergedAt":%q,"author":{"username":"carol","id":"gid://gitlab/User/3"},
				"mergeUser":{"username":"alice","id":"gid://gitlab/User/1"},
				"commits":{"nodes":[{"sha":"c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"}]},
				"reviewers":{"nodes":[]},"approvedBy":{"nodes":[{"username":"alice","id":"gid://gitlab/User/1"}]},
				"mergeCommitSha":"c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"}]}},"queryComplexity":{"limit":250,"score":12}}}`,
				time.Now().Add(-28*24*time.Hour).UTC().Format(time.RFC3339))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	defer tlsSrv.Close()
	host := strings.TrimPrefix(tlsSrv.URL, "https://")
	c := NewGitLab(GitLabOptions{Hosts: map[string]string{host: ""}, Timeout: time.Minute})
	obs, _, err := c.Collect(context.Background(), collectors.Target{Subject: models.Subject{ID: "widget"}, Repo: "https://" + host + "/acme/widget"})
	if err != nil {
		t.Fatalf("%v (paths %v)", err, paths)
	}
	by := map[string]models.Observation{}
	for _, o := range obs {
		by[o.Metric] = o
	}
	for _, n := range []string{"Token-Permissions", "Dangerous-Workflow", "Packaging"} {
		if o := by["scorecard."+n]; o.Value != nil || !strings.Contains(o.Reason, "does not support this check on GitLab") {
			t.Errorf("%s: %v %q", n, o.Value, o.Reason)
		}
	}
	for _, n := range []string{"Code-Review", "Binary-Artifacts", "aggregate"} {
		if o := by["scorecard."+n]; o.Value == nil || !strings.Contains(o.Evidence, "gitlab mode") || !strings.Contains(o.Evidence, host+"/acme/widget") {
			t.Errorf("%s not scored in gitlab mode: %+v", n, o)
		}
	}
	if o := by["scorecard.Branch-Protection"]; o.Value != nil || !strings.HasPrefix(o.Reason, "check failed: ") {
		t.Errorf("Branch-Protection without the branches API: %v %q", o.Value, o.Reason)
	}
	if len(by) != 19 { // 18 checks and the aggregate
		t.Errorf("%d observations: %v", len(by), keys(by))
	}
}

func keys(m map[string]models.Observation) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
