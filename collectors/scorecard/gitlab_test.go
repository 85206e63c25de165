package scorecard

import (
	"os"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors"
)

// Scorecard's checks.yaml lists the repository types of each check. Of the
// 18 non-experimental checks, GitLab is listed for 12: Binary-Artifacts,
// Branch-Protection, CI-Tests, CII-Best-Practices, Code-Review,
// Dependency-Update-Tool, Fuzzing, License, Maintained, Pinned-Dependencies,
// Security-Policy, Vulnerabilities. The other 6 are recorded as not
// supported on GitLab rather than scored.
func TestGitLabChecks(t *testing.T) {
	t.Setenv("SCORECARD_EXPERIMENTAL", "") // restored after the test
	os.Unsetenv("SCORECARD_EXPERIMENTAL")  // experimental checks (SBOM, Webhooks) only run when it is set
	names, notRun := GitLabChecks(false)
	want := "Binary-Artifacts Branch-Protection CI-Tests CII-Best-Practices Code-Review Dependency-Update-Tool Fuzzing License Maintained Pinned-Dependencies Security-Policy Vulnerabilities"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("checks run on GitLab:\n got %s\nwant %s", got, want)
	}
	for _, n := range []string{"Contributors", "Dangerous-Workflow", "Packaging", "SAST", "Signed-Releases", "Token-Permissions"} {
		if !strings.Contains(notRun[n], "does not support this check on GitLab") {
			t.Errorf("%s: not-run reason %q", n, notRun[n])
		}
	}
	if len(notRun) != 6 {
		t.Errorf("not run: %v", notRun)
	}
}

func TestGitLabApplies(t *testing.T) {
	c := NewGitLab(GitLabOptions{Hosts: map[string]string{"gitlab.com": "", "git.bank.internal": "tok"}})
	for repo, want := range map[string]string{
		"https://gitlab.com/gitlab-org/gitaly":             "",
		"https://git.bank.internal/platform/payments/core": "",
		"https://github.com/o/r":                           "not on a GitLab forge of the config (git.bank.internal, gitlab.com)",
		"":                                                 "no repo",
	} {
		ok, why := c.Applies(collectors.Target{Repo: repo})
		if ok != (want == "") || !strings.Contains(why, want) {
			t.Errorf("Applies(%q) = %v %q, want %q", repo, ok, why, want)
		}
	}
	if h, p, err := gitlabPath("https://git.bank.internal/platform/payments/core.git"); err != nil || h != "git.bank.internal" || p != "platform/payments/core" {
		t.Errorf("gitlabPath = %q %q %v", h, p, err)
	}
}
