package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// clones: and mirrors: with every key; ~/ is the home directory, a
// relative dir the config's; unset keys take their defaults (max_gb 50,
// concurrency 4).
func TestClonesAndMirrorsParsed(t *testing.T) {
	c, err := Parse("/etc/osgauge/bank.yaml", []byte(`
clones: {dir: ~/.cache/osgauge/clones, max_gb: 0.5, concurrency: 8}
mirrors:
  - {from: https://github.com/, to: https://git.bank.internal/mirror/github/}
  - {from: https://github.com/redis/, to: "file:///srv/mirror/redis/", token_env: MIRROR_TOKEN}
`))
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	s := c.ClonesSettings()
	if want := filepath.Join(home, ".cache/osgauge/clones"); s.Dir != want || s.MaxGB != 0.5 || s.Concurrency != 8 {
		t.Errorf("settings = %+v, want dir %s, max_gb 0.5, concurrency 8", s, want)
	}
	if !c.ClonesEnabled() || len(c.Mirrors) != 2 || c.Mirrors[1].TokenEnv != "MIRROR_TOKEN" || c.Mirrors[0].To != "https://git.bank.internal/mirror/github/" {
		t.Errorf("mirrors = %+v", c.Mirrors)
	}
	c, err = Parse("/etc/osgauge/bank.yaml", []byte("clones: {dir: clones}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s := c.ClonesSettings(); s.Dir != "/etc/osgauge/clones" || s.MaxGB != 50 || s.Concurrency != 4 {
		t.Errorf("defaults = %+v, want /etc/osgauge/clones, 50, 4", s)
	}
	// No section: managed clones are on (issue 27: osgauge clones every
	// project with a repository and no local_path); enabled: false turns
	// them off, mirrors or not.
	if c, _ := Parse("x.yaml", []byte("projects: []\n")); !c.ClonesEnabled() || c.ClonesTimeout() != 10*time.Minute {
		t.Error("clones off without a clones: section, or the timeout is not 10m")
	}
	c, err = Parse("x.yaml", []byte("clones: {enabled: false, timeout: 90s}\nmirrors: [{from: https://github.com/, to: https://m.example/}]\n"))
	if err != nil || c.ClonesEnabled() || c.ClonesTimeout() != 90*time.Second {
		t.Errorf("enabled: false, timeout 90s: %v %+v", err, c.Clones)
	}
}

func TestClonesErrors(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"clones:\n  max_gb: -1\n", "line 2: clones.max_gb must be a positive number of gigabytes (default 50), got -1"},
		{"clones:\n  dir: x\n  concurrency: 99\n", "line 3: clones.concurrency must be within 1..32 (default 4), got 99"},
		{"clones: {dir: ~bob/clones}\n", "line 1: clones.dir: \"~bob/clones\": only ~/"},
		{"clones: {max_gb: lots}\n", "line 1"}, // yaml.v3: cannot unmarshal !!str `lots` into float64
		{"clones: {size: 3}\n", "field size not found"},
		{"mirrors:\n  - {from: https://github.com/}\n", "line 2: mirrors entry 1: needs from"},
		{"mirrors:\n  - from: https://github.com/\n    to: https://bob:s3cret@mirror.example/\n", "line 3: mirrors entry 1: to holds a password"},
		{"mirrors:\n  - {from: https://a/, to: https://b/}\n  - {from: https://a/, to: https://c/}\n", "line 3: mirrors entries 1 and 2 both rewrite https://a/"},
		{"mirrors:\n  - {from: https://a/, to: https://b/, token_env: ghp_abc-123}\n", "mirrors entry 1: token_env must be the name of an environment variable"},
		// a trailing "/" is implied: https://a and https://a/ are one prefix
		{"mirrors:\n  - {from: https://a, to: https://b/}\n  - {from: https://A/, to: https://c/}\n", "line 3: mirrors entries 1 and 2 both rewrite https://A/"},
		{"mirrors:\n  - {from: \"git@github.com:\", to: https://b/}\n", "line 2: mirrors entry 1: from \"git@github.com:\" must be an https:// URL prefix"},
		{"mirrors:\n  - {from: https://a/, to: git.bank.internal/mirror/}\n", "line 2: mirrors entry 1: to \"git.bank.internal/mirror/\" must be a URL prefix with its scheme"},
		{"clones:\n  timeout: soon\n", "line 2: clones.timeout: \"soon\" is not a positive duration"},
	}
	for _, c := range cases {
		_, err := Parse("bank.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("%q: the error echoes the password: %v", c.yaml, err)
		}
	}
}

// A repository on a host no forge collector serves (a bank's own cgit, a
// Gitea) is accepted: it is cloned and assessed from git (issue 27); it
// was a configuration error before.
func TestUnknownForgeHostAccepted(t *testing.T) {
	c, err := Parse("bank.yaml", []byte("projects:\n  - {name: a, repo: https://github.com/o/a}\n  - name: b\n    repo: https://git.unknown.example/x/y\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.ForgeFor(c.Projects[1].Repo); ok {
		t.Error("git.unknown.example has a forge")
	}
}
