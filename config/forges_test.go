package config

import (
	"strings"
	"testing"
)

// The repository URL's host picks the forge: github.com from the github:
// section, gitee.com, gitcode.com and gitlab.com by default, a self-managed
// GitLab from forges:. A host no forge serves is accepted (issue 27: it is
// assessed from git; see TestUnknownForgeHostAccepted).
func TestForgesPickedByHost(t *testing.T) {
	c, err := Parse("bank.yaml", []byte(`
forges:
  - {type: gitlab, api_url: https://git.bank.internal/api/v4, token_env: BANK_GITLAB}
  - {type: gitee, api_url: "https://gitee.example.cn:8443/api/v5"}
projects:
  - {name: a, repo: https://github.com/o/a}
  - {name: b, repo: https://gitee.com/openeuler/kernel}
  - {name: c, repo: https://gitcode.com/openharmony/arkui}
  - {name: d, repo: "https://git.bank.internal/platform/payments/core"}
  - {name: e, repo: https://gitlab.com/gitlab-org/gitaly}
  - {name: f, repo: "git@git.bank.internal:platform/ledger.git"}
  - {name: g, repo: "https://gitee.example.cn:8443/x/y"}
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"https://github.com/o/a":                      "github https://api.github.com/ GITHUB_TOKEN",
		"https://gitee.com/openeuler/kernel":          "gitee https://gitee.com/api/v5 GITEE_TOKEN",
		"https://gitcode.com/openharmony/arkui":       "gitcode https://api.gitcode.com/api/v5 GITCODE_TOKEN",
		"https://git.bank.internal/platform/payments": "gitlab https://git.bank.internal/api/v4 BANK_GITLAB",
		"https://gitlab.com/gitlab-org/gitaly":        "gitlab https://gitlab.com/api/v4 GITLAB_TOKEN",
		"git@git.bank.internal:platform/ledger.git":   "gitlab https://git.bank.internal/api/v4 BANK_GITLAB",
		"https://gitee.example.cn:8443/x/y":           "gitee https://gitee.example.cn:8443/api/v5 GITEE_TOKEN",
	}
	for repo, w := range want {
		f, ok := c.ForgeFor(repo)
		if got := f.Type + " " + f.APIURL + " " + f.TokenEnv; !ok || got != w {
			t.Errorf("ForgeFor(%s) = %q %v, want %q", repo, got, ok, w)
		}
	}
	// github, the two listed, then the public gitlab.com, gitee.com and
	// gitcode.com (gitee.com is not the listed gitee's host).
	if n := len(c.AllForges()); n != 6 {
		t.Errorf("AllForges = %+v", c.AllForges())
	}
}

func TestForgeErrors(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"forges:\n  - {type: bitbucket, api_url: https://bb.example/api}\n", `line 2: forges entry 1: type must be one of github, gitlab, gitee, gitcode, got "bitbucket"`},
		{"forges:\n  - type: gitlab\n    api_url: git.example\n", `line 3: forges entry 1 (gitlab): api_url must be an http(s) URL`},
		{"forges:\n  - {type: gitlab, api_url: https://g.example/api/v4}\n  - {type: gitlab, api_url: https://g.example/api/v4}\n", "line 3: forges entries 1 and 2 both serve g.example"},
		{"projects:\n  - {name: a, repo: nonsense}\n", `line 2: project "a": repo must be a repository URL`},
		{"scorecard: {mode: gitea}\n", "scorecard.mode must be local, github, gitlab or api"},
	}
	for _, c := range cases {
		_, err := Parse("bank.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
	}
}
