package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors/forge/forgetest"
	"github.com/osgauge/osgauge/collectors/gitee/giteefake"
	"github.com/osgauge/osgauge/collectors/gitlab/gitlabfake"
	"github.com/osgauge/osgauge/config"
)

// A config with a self-managed GitLab and a Gitee deployment (fakes on
// loopback) collects both through `osgauge run`: each project goes to the
// forge its host names, the summary prints each source's cost, the report
// carries forge.* metrics from both sources, and neither token is printed
// or stored (Gitee's travels in the query string).
func TestRunAgainstGitLabAndGitee(t *testing.T) {
	const glToken, geToken = "glpat-CANARY-one", "gitee-CANARY-two"
	s := forgetest.Sample(time.Now())
	gl := gitlabfake.New(s)
	t.Cleanup(gl.Close)
	s2 := s
	s2.Path = "openeuler/widget"
	ge := giteefake.New("gitee", s2)
	t.Cleanup(ge.Close)
	t.Setenv("TEST_GITLAB_TOKEN", glToken)
	t.Setenv("TEST_GITEE_TOKEN", geToken)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(fmt.Sprintf(`forges:
  - {type: gitlab, api_url: %s, token_env: TEST_GITLAB_TOKEN}
  - {type: gitee, api_url: %s, token_env: TEST_GITEE_TOKEN}
projects:
  - {name: widget-gl, repo: %s}
  - {name: widget-gitee, repo: %s}
report: {lang: en, formats: [json]}
`, gl.APIURL(), ge.APIURL(), gl.WebURL(), ge.RepoURL(s2.Path))), 0o644)
	out, err := runCLI(t, "collect", "--config", cfg, "--only", "gitlab,gitee")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, cmd := range []string{"assess", "report"} {
		if _, err := runCLI(t, cmd, "--config", cfg); err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
	}
	for _, want := range []string{"gitlab: ", "gitee: ", "API calls"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	db, _ := os.ReadFile(filepath.Join(dir, "osgauge.db"))
	for _, tok := range []string{glToken, geToken} {
		if strings.Contains(out, tok) || bytes.Contains(db, []byte(tok)) {
			t.Errorf("token %s printed or stored", tok)
		}
	}
	if len(ge.QueryTokens()) != 1 || ge.QueryTokens()[0] != geToken {
		t.Errorf("gitee saw tokens %v", ge.QueryTokens())
	}
	data, _ := os.ReadFile(filepath.Join(dir, "osgauge-report", "osgauge-"+assess.CurrentQuarter(time.Now()).Name+".json"))
	for _, want := range []string{`"source": "gitlab"`, `"source": "gitee"`, `forge.commits_per_week`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("report lacks %s", want)
		}
	}
}

// github.token_envs and github.app become credentials used in turn: the App
// first, then each token variable that is set; a missing key file is named.
func TestGitHubCredentialsFromConfig(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TOK_A", "a")
	t.Setenv("TOK_B", "")
	t.Setenv("TOK_C", "c")
	parse := func(y string) *config.Config {
		t.Helper()
		c, err := config.Parse(filepath.Join(dir, "osgauge.yaml"), []byte(y))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := parse("github: {token_env: TOK_A, token_envs: [TOK_B, TOK_C]}\n")
	creds, err := githubCredentials(c, "https://api.github.com/")
	if err != nil || creds.Len() != 2 || strings.Join(creds.Names(), ",") != "TOK_A,TOK_C" {
		t.Errorf("credentials %v %v, want TOK_A,TOK_C (TOK_B is empty)", creds.Names(), err)
	}
	if creds, _ := githubCredentials(parse("github: {token_env: TOK_A}\n"), ""); creds != nil {
		t.Errorf("one token is the plain Token, got %v", creds.Names())
	}
	c = parse("github: {app: {app_id: 12, installation_id: 34, private_key_file: keys/app.pem}}\n")
	if _, err := githubCredentials(c, ""); err == nil || !strings.Contains(err.Error(), "github.app.private_key_file") || !strings.Contains(err.Error(), "app.pem") {
		t.Errorf("missing key file: %v", err)
	}
	if _, err := config.Parse("x.yaml", []byte("github: {app: {app_id: 12}}\n")); err == nil || !strings.Contains(err.Error(), "line 1: github.app needs app_id, installation_id and private_key_file") {
		t.Errorf("incomplete app: %v", err)
	}
}
