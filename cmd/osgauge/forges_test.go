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
