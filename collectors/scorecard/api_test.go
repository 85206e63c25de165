package scorecard

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// publishedKarmada is a result in the shape api.scorecard.dev serves
// (GET /projects/github.com/karmada-io/karmada), written by hand.
const publishedKarmada = `{
  "date": "2026-11-17T09:14:23Z",
  "repo": {"name": "github.com/karmada-io/karmada", "commit": "3c5e7a1f9b2d4c6e8f0a1b3c5d7e9f1a2b4c6d8e"},
  "scorecard": {"version": "v5.1.1", "commit": "9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d"},
  "score": 7.4,
  "checks": [
    {"name": "Code-Review", "score": 10, "reason": "all changesets reviewed", "details": null,
     "documentation": {"short": "Determines if the project requires human code review before pull requests (aka merge requests) are merged.",
                       "url": "https://github.com/ossf/scorecard/blob/9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d/docs/checks.md#code-review"}},
    {"name": "Maintained", "score": 10, "reason": "30 commit(s) and 17 issue activity found in the last 90 days -- score normalized to 10", "details": null,
     "documentation": {"short": "Determines if the project is \"actively maintained\".",
                       "url": "https://github.com/ossf/scorecard/blob/9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d/docs/checks.md#maintained"}},
    {"name": "Packaging", "score": -1, "reason": "packaging workflow not detected",
     "details": ["Warn: no GitHub/GitLab publishing workflow detected."],
     "documentation": {"short": "Determines if the project is published as a package that others can easily download, install, easily update, and uninstall.",
                       "url": "https://github.com/ossf/scorecard/blob/9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d/docs/checks.md#packaging"}},
    {"name": "Pinned-Dependencies", "score": 3, "reason": "dependency not pinned by hash detected -- score normalized to 3",
     "details": [
       "Warn: GitHub-owned GitHubAction not pinned by hash: .github/workflows/ci.yml:30: update your workflow using https://app.stepsecurity.io/secureworkflow/karmada-io/karmada/ci.yml/master?enable=pin",
       "Warn: GitHub-owned GitHubAction not pinned by hash: .github/workflows/ci.yml:45",
       "Warn: containerImage not pinned by hash: cluster/images/Dockerfile:1",
       "Warn: goCommand not pinned by hash: hack/install-tools.sh:22",
       "Warn: goCommand not pinned by hash: hack/install-tools.sh:23",
       "Info:   0 out of  41 GitHub-owned GitHubAction dependencies pinned",
       "Info:  12 out of  12 goCommand dependencies pinned"
     ],
     "documentation": {"short": "Determines if the project has declared and pinned the dependencies of its build process.",
                       "url": "https://github.com/ossf/scorecard/blob/9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d/docs/checks.md#pinned-dependencies"}},
    {"name": "License", "score": 10, "reason": "license file detected",
     "details": ["Info: project has a license file: LICENSE:0", "Info: FSF or OSI recognized license: Apache License 2.0: LICENSE:0"],
     "documentation": {"short": "Determines if the project has defined a license.",
                       "url": "https://github.com/ossf/scorecard/blob/9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d/docs/checks.md#license"}},
    {"name": "Vulnerabilities", "score": 8, "reason": "2 existing vulnerabilities detected",
     "details": ["Warn: Project is vulnerable to: GO-2026-4100 / GHSA-xxxx-yyyy-zzzz", "Warn: Project is vulnerable to: GO-2026-4101"],
     "documentation": {"short": "Determines if the project has open, known unfixed vulnerabilities.",
                       "url": "https://github.com/ossf/scorecard/blob/9b4b5e2f1c3d5a7b9e1f3a5c7d9e1b3f5a7c9e1d/docs/checks.md#vulnerabilities"}}
  ]
}`

func fakeAPI(t *testing.T, routes map[string]func(http.ResponseWriter)) (*httptest.Server, *[]string) {
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path)
		if h, ok := routes[r.URL.Path]; ok && r.Method == http.MethodGet {
			h(w)
			return
		}
		t.Logf("fake Scorecard API: no answer for %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"code":404,"message":"Not Found"}`))
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func body(s string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(s))
	}
}

var apiNow = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func TestAPIMode(t *testing.T) {
	srv, seen := fakeAPI(t, map[string]func(http.ResponseWriter){
		"/mirror/projects/github.com/karmada-io/karmada": body(publishedKarmada),
	})
	c := NewAPI(APIOptions{BaseURL: srv.URL + "/mirror/", Now: func() time.Time { return apiNow }})
	target := collectors.Target{Subject: models.Subject{ID: "github.com/karmada-io/karmada"}, Repo: "https://github.com/karmada-io/karmada.git"}
	if ok, why := c.Applies(target); !ok {
		t.Fatal(why)
	}
	obs, cost, err := c.Collect(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	if len(*seen) != 1 || (*seen)[0] != "GET /mirror/projects/github.com/karmada-io/karmada" || cost.Requests != 1 {
		t.Errorf("requests %v, cost %+v", *seen, cost)
	}
	got := map[string]models.Observation{}
	for _, o := range obs {
		if o.SubjectID != target.Subject.ID || o.Source != "scorecard" || o.Unit != "0-10" || !o.ObservedAt.Equal(apiNow) {
			t.Errorf("bad provenance %+v", o)
		}
		got[o.Metric] = o
	}
	if len(got) != 7 { // 6 checks + aggregate
		t.Errorf("%d observations: %v", len(got), got)
	}
	for m, v := range map[string]float64{"Code-Review": 10, "Maintained": 10, "Pinned-Dependencies": 3, "License": 10, "Vulnerabilities": 8, "aggregate": 7.4} {
		if o := got["scorecard."+m]; o.Value == nil || *o.Value != v {
			t.Errorf("%s = %+v, want %g", m, o, v)
		}
	}
	// -1 is inconclusive with the publisher's reason, never a zero.
	if o := got["scorecard.Packaging"]; o.Value != nil || o.Reason != "inconclusive: packaging workflow not detected" {
		t.Errorf("Packaging = %+v", o)
	}
	// Evidence names the API URL, the result's date and commit, and the
	// first warnings.
	pd := got["scorecard.Pinned-Dependencies"].Evidence
	for _, want := range []string{
		"Scorecard v5.1.1 (api mode, " + srv.URL + "/mirror/projects/github.com/karmada-io/karmada",
		"result of 2026-11-17T09:14:23Z at commit 3c5e7a1f9b2d",
		"Pinned-Dependencies on github.com/karmada-io/karmada: dependency not pinned by hash detected",
		".github/workflows/ci.yml:45", "… 2 more",
	} {
		if !strings.Contains(pd, want) {
			t.Errorf("evidence %q lacks %q", pd, want)
		}
	}
	if strings.Contains(pd, "Info:") || strings.Contains(pd, "install-tools.sh:23") {
		t.Errorf("evidence keeps only the first 3 warnings: %q", pd)
	}
	if a := got["scorecard.aggregate"].Evidence; !strings.Contains(a, "5 conclusive published checks on github.com/karmada-io/karmada") {
		t.Errorf("aggregate evidence %q", a)
	}
	if n := c.Needs(); !n.Network || n.Token || n.Clone {
		t.Errorf("Needs = %+v", n)
	}
}

func TestAPIModeErrors(t *testing.T) {
	srv, _ := fakeAPI(t, map[string]func(http.ResponseWriter){
		"/projects/github.com/o/broken":  body(`{"date": "2026-11-17", "checks": [{"name": "License", "score": 10`),
		"/projects/github.com/o/html":    body(`<html>maintenance</html>`),
		"/projects/github.com/o/empty":   body(`{"date": "2026-11-17", "score": -1, "checks": []}`),
		"/projects/github.com/o/failing": func(w http.ResponseWriter) { w.WriteHeader(http.StatusBadGateway) },
	})
	c := NewAPI(APIOptions{BaseURL: srv.URL})
	cases := map[string][]string{
		"https://github.com/o/missing": {"no published Scorecard result for github.com/o/missing"},
		"https://github.com/o/broken":  {"malformed Scorecard JSON", srv.URL + "/projects/github.com/o/broken"},
		"https://github.com/o/html":    {"malformed Scorecard JSON", srv.URL + "/projects/github.com/o/html"},
		"https://github.com/o/empty":   {"no checks", srv.URL + "/projects/github.com/o/empty"},
		"https://github.com/o/failing": {"502", srv.URL + "/projects/github.com/o/failing"},
	}
	for repo, wants := range cases {
		obs, _, err := c.Collect(context.Background(), collectors.Target{Subject: models.Subject{ID: "p"}, Repo: repo})
		if err == nil || obs != nil {
			t.Errorf("%s: err %v, %d observations", repo, err, len(obs))
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", repo, err, w)
			}
		}
	}
	if ok, why := c.Applies(collectors.Target{}); ok || !strings.Contains(why, "no repo") {
		t.Errorf("Applies without repo = %v %q", ok, why)
	}
}

func TestForMode(t *testing.T) {
	for mode, want := range map[string]string{"": "*scorecard.Collector", "local": "*scorecard.Collector", "github": "*scorecard.GitHubCollector", "api": "*scorecard.APICollector", "gitlab": "*scorecard.GitLabCollector"} {
		c, err := ForMode(mode, GitHubOptions{Token: "t"}, GitLabOptions{}, APIOptions{})
		if err != nil {
			t.Fatalf("%q: %v", mode, err)
		}
		if got := typeName(c); got != want || c.Name() != "scorecard" {
			t.Errorf("ForMode(%q) = %s %q, want %s", mode, got, c.Name(), want)
		}
	}
	for _, tc := range []struct {
		mode string
		gh   GitHubOptions
		api  APIOptions
		want string
	}{
		{"cloud", GitHubOptions{}, APIOptions{}, `got "cloud"`},
		{"github", GitHubOptions{APIURL: "api.github.com"}, APIOptions{}, "api_url"},
		{"api", GitHubOptions{}, APIOptions{BaseURL: "::"}, "base URL"},
	} {
		if _, err := ForMode(tc.mode, tc.gh, GitLabOptions{}, tc.api); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ForMode(%q) error = %v, want %q", tc.mode, err, tc.want)
		}
	}
	// Online adds Signed-Releases, which offline runs leave out.
	off, notRun := NewGitHub(GitHubOptions{}).checks()
	on, _ := NewGitHub(GitHubOptions{Online: true}).checks()
	if len(on) != len(off)+1 || notRun["Signed-Releases"] == "" {
		t.Errorf("offline %v (not run %v), online %v", off, notRun, on)
	}
}

func typeName(c collectors.Collector) string {
	switch c.(type) {
	case *Collector:
		return "*scorecard.Collector"
	case *GitHubCollector:
		return "*scorecard.GitHubCollector"
	case *APICollector:
		return "*scorecard.APICollector"
	case *GitLabCollector:
		return "*scorecard.GitLabCollector"
	}
	return "?"
}
