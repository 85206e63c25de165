package repourl

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"https://GitHub.com/o/r.git":                         "https github.com o/r",
		"https://gitlab.example:443/g/sub/p/-/tree/main":     "https gitlab.example g/sub/p",
		"http://127.0.0.1:8080/o/r":                          "http 127.0.0.1:8080 o/r",
		"ssh://git@git.bank.internal:22/platform/ledger.git": "https git.bank.internal platform/ledger",
		"git@gitee.com:openeuler/kernel.git":                 "https gitee.com openeuler/kernel",
		"gitcode.com/openharmony/arkui":                      "https gitcode.com openharmony/arkui",
	} {
		u, ok := Parse(in)
		if got := u.Scheme + " " + u.Host + " " + strings.Join(u.Parts, "/"); !ok || got != want {
			t.Errorf("Parse(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "nonsense", "https://", "https://h/a b/c", "https://h/a/../b"} {
		if u, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) = %+v, want refused", bad, u)
		}
	}
}
