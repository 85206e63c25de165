package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/osgauge/osgauge/assess"
)

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

// The self-assessment demo (demo --self), end to end and offline: this
// checkout through gitlocal, scorecard and licence detection; the test
// binary's own module dependencies from the module cache; the example
// questionnaires. The recorded demo is in demo_test.go.
func TestDemoEndToEnd(t *testing.T) {
	out := t.TempDir()
	period := assess.CurrentQuarter(time.Now()).Name // observations are taken now
	stdout, err := runCLI(t, "demo", "--self", "--out", out, "--lang", "en", "--period", period, "--max-deps", "25")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stdout)
	}
	for _, want := range []string{"SUBJECT", "Acme OSS Services", "Example Bank", "governance-maturity", "wrote"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "osgauge-"+period+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Subjects []struct {
			Kind, ID string
			Results  []struct {
				Status     string
				Score      *float64
				Indicators []struct {
					Raw      *float64 `json:"raw"`
					RawText  string   `json:"raw_text"`
					Evidence string
					Status   string
				}
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	projects, self, kinds := 0, false, map[string]int{}
	for _, s := range doc.Subjects {
		kinds[s.Kind]++
		if s.Kind != "project" {
			continue
		}
		projects++
		if s.ID == "github.com/osgauge/osgauge" {
			self = true
		}
		r := s.Results[0]
		if r.Status != "ok" && r.Status != "inconclusive" {
			t.Errorf("%s: status %q", s.ID, r.Status)
		}
		withData := 0
		for _, in := range r.Indicators {
			if in.Status == "ok" {
				withData++
				if (in.Raw == nil && in.RawText == "") || in.Evidence == "" {
					t.Errorf("%s: an ok indicator without raw value or evidence", s.ID)
				}
			}
		}
		if withData == 0 {
			t.Errorf("%s: no indicator has data", s.ID)
		}
	}
	// 25 dependency modules, plus this repository when the test runs in a
	// git checkout (CI checks out the repository, so it does).
	if projects < 25 {
		t.Errorf("%d projects, want at least 25 dependencies", projects)
	}
	if _, err := os.Stat("../../.git"); err == nil && !self {
		t.Error("this repository was not assessed")
	}
	if kinds["supplier"] != 3 || kinds["institution"] != 1 {
		t.Errorf("kinds = %v", kinds)
	}
	page, err := os.Open(filepath.Join(out, "osgauge-"+period+".html"))
	if err != nil {
		t.Fatal(err)
	}
	defer page.Close()
	tree, err := html.Parse(page)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "link") {
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "href") && strings.Contains(a.Val, "://") {
					t.Errorf("external %s reference %q", n.Data, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(tree)
	if _, err := os.Stat(filepath.Join(out, "osgauge-"+period+".xlsx")); err != nil {
		t.Error(err)
	}
}

func TestBadConfigNamesFileAndLine(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "bank.yaml")
	os.WriteFile(cfg, []byte("institution:\n  name: X\nprojects:\n  - name: a\n    repo: https://github.com/a/a\n    use_typ: deep\n"), 0o644)
	_, err := runCLI(t, "collect", "--config", cfg)
	if err == nil || !strings.Contains(err.Error(), "bank.yaml: line 6: field use_typ not found") {
		t.Errorf("err = %v", err)
	}
	_, err = runCLI(t, "report", "--config", cfg, "--period", "2026Q9")
	if err == nil {
		t.Error("bad config accepted by report")
	}
}

func TestNoConfigSaysWhatToDo(t *testing.T) {
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(t.TempDir())
	_, err := runCLI(t, "assess")
	if err == nil || !strings.Contains(err.Error(), "osgauge init") {
		t.Errorf("err = %v", err)
	}
}

func TestInitThenRunOnLocalProject(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCLI(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	// Point the portfolio at a local directory with a licence only: the
	// clone paths of the sample config do not exist here.
	proj := filepath.Join(dir, "clones", "tool")
	os.MkdirAll(proj, 0o755)
	lic, _ := os.ReadFile("../../LICENSE")
	os.WriteFile(filepath.Join(proj, "LICENSE"), lic, 0o644)
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`institution: {name: Example Bank, self_assessment: self-assessment.yaml}
projects:
  - {name: tool, local_path: clones/tool}
suppliers:
  - {name: Acme OSS Services, questionnaire: suppliers/acme.yaml, supports: [tool]}
report: {lang: en, formats: [json]}
`), 0o644)
	period := assess.CurrentQuarter(time.Now()).Name
	stdout, err := runCLI(t, "run", "--config", cfg, "--period", period)
	if err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "osgauge-report", "osgauge-"+period+".json")); err != nil {
		t.Errorf("report not written: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "Acme OSS Services") || !strings.Contains(stdout, "tool") {
		t.Errorf("summary:\n%s", stdout)
	}
}

func TestModelShowAndValidate(t *testing.T) {
	out, err := runCLI(t, "model", "show", "project-health", "--lang", "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"开源项目健康指数", "ACT 活跃度 (weight 15)", "log(T=10)", "CHAOSS Bus Factor", "G-NO-LICENSE", "profile deep (深度使用类)",
		"bands (28 steps, below)", "scores 0 when first of [gitlocal.months_since_last_commit, forge.months_since_last_person_commit, forge.months_since_last_push] ≥ 24 months",
		"eq 1 and first of [scorecard.Security-Policy, forge.security_policy] eq 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("model show lacks %q", want)
		}
	}
	exported, err := runCLI(t, "model", "export", "project-health")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "my.yaml")
	os.WriteFile(p, []byte(strings.Replace(exported, "weight: 15", "weight: 16", 1)), 0o644)
	_, err = runCLI(t, "model", "validate", p)
	if err == nil || !strings.Contains(err.Error(), "dimension weights add up to 101, not 100") {
		t.Errorf("validate: %v", err)
	}
}

// A GitHub Enterprise-style server (API under /api/v3/) with one small
// repository: `collect --config` uses it through github.api_url.
func fakeEnterprise(t *testing.T, token string) (*httptest.Server, *[]string) {
	var seen []string
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = append(seen, r.Method+" "+r.URL.Path+" auth="+r.Header.Get("Authorization"))
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(401)
			io.WriteString(w, `{"message":"Bad credentials"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("X-RateLimit-Limit", "5000")
		w.Header().Set("X-RateLimit-Remaining", "4999")
		w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10))
		p := strings.TrimPrefix(r.URL.Path, "/api/v3")
		now := time.Now().UTC()
		switch {
		case p == "/repos/bank/tool":
			fmt.Fprintf(w, `{"id":1,"name":"tool","full_name":"bank/tool","private":false,"fork":false,"archived":false,"disabled":false,
				"html_url":"%[1]s/bank/tool","default_branch":"main","stargazers_count":12,"forks_count":3,"subscribers_count":4,
				"open_issues_count":1,"created_at":"2024-01-02T03:04:05Z","pushed_at":"%[2]s","updated_at":"%[2]s",
				"license":{"key":"apache-2.0","spdx_id":"Apache-2.0","name":"Apache License 2.0"},"topics":["banking"],
				"owner":{"login":"bank","id":7,"type":"Organization"}}`, srv.URL, now.Add(-48*time.Hour).Format(time.RFC3339))
		case p == "/repos/bank/tool/commits":
			fmt.Fprintf(w, `[{"sha":"a1","commit":{"author":{"name":"Ann","email":"ann@bank.example","date":"%[1]s"},
				"committer":{"name":"Ann","email":"ann@bank.example","date":"%[1]s"},"message":"work"},
				"author":{"login":"ann","id":11,"type":"User"},"committer":{"login":"ann","id":11,"type":"User"}}]`, now.Add(-72*time.Hour).Format(time.RFC3339))
		case strings.HasPrefix(p, "/users/"):
			fmt.Fprintf(w, `{"login":%q,"id":11,"type":"User","company":"Example Bank"}`, strings.TrimPrefix(p, "/users/"))
		case strings.HasPrefix(p, "/repos/bank/tool/contents"):
			io.WriteString(w, `[]`)
		case strings.HasPrefix(p, "/repos/bank/tool/"):
			io.WriteString(w, `[]`)
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

func TestCollectAgainstGitHubEnterprise(t *testing.T) {
	const token = "ghp_testtoken_never_printed"
	srv, seen := fakeEnterprise(t, token)
	t.Setenv("OSGAUGE_TEST_TOKEN", token)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`github: {api_url: %s/api/v3/, token_env: OSGAUGE_TEST_TOKEN}
projects:
  - {name: tool, repo: %s/bank/tool}
report: {lang: en, formats: [json]}
clones: {enabled: false}  # the fake Enterprise serves the API, not git
`, srv.URL, srv.URL)), 0o644)
	out, err := runCLI(t, "collect", "--config", cfg, "--only", "github")
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, strings.Join(*seen, "\n"))
	}
	t.Log(out)
	if !strings.Contains(out, "github: ") || !strings.Contains(out, "API calls") {
		t.Errorf("no API cost line:\n%s", out)
	}
	if strings.Contains(out, token) {
		t.Error("the token was printed")
	}
	db, _ := os.ReadFile(filepath.Join(dir, "osgauge.db"))
	if len(db) == 0 || bytes.Contains(db, []byte(token)) {
		t.Error("the store is missing or holds the token")
	}
	// The second collection is answered from the cache with 304s or costs
	// the same calls: either way it must succeed.
	if _, err := runCLI(t, "run", "--config", cfg); err != nil {
		t.Fatalf("run: %v", err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "osgauge-report", "osgauge-"+assess.CurrentQuarter(time.Now()).Name+".json"))
	if !bytes.Contains(data, []byte(`"forge.stars"`)) && !bytes.Contains(data, []byte(`forge.adoption`)) {
		t.Errorf("GitHub data did not reach the report")
	}
}
