package clones

import (
	"fmt"
	"testing"
)

var sprintf = fmt.Sprintf

// Rules as git's insteadOf: the longest matching prefix wins, whatever
// the order they are written in.
func TestRewriteLongestWins(t *testing.T) {
	rules := []Mirror{
		{From: "https://github.com/", To: "https://git.bank.internal/mirror/github/"},
		{From: "https://github.com/redis/", To: "file:///srv/redis-mirror/"},
		{From: "https://gitlab.com/", To: "https://git.bank.internal/mirror/gitlab/"},
	}
	cases := []struct{ in, want, from string }{
		{"https://github.com/karmada-io/karmada", "https://git.bank.internal/mirror/github/karmada-io/karmada", "https://github.com/"},
		// both github rules match; https://github.com/redis/ is longer (25 > 19 characters)
		{"https://github.com/redis/redis", "file:///srv/redis-mirror/redis", "https://github.com/redis/"},
		{"https://gitee.com/openeuler/kernel", "https://gitee.com/openeuler/kernel", ""},
		// a prefix, not a host match: github.com.evil.example is not github.com/
		{"https://github.com.evil.example/x/y", "https://github.com.evil.example/x/y", ""},
	}
	for _, c := range cases {
		got, rule := Rewrite(c.in, rules)
		from := ""
		if rule != nil {
			from = rule.From
		}
		if got != c.want || from != c.from {
			t.Errorf("Rewrite(%s) = %s by %q, want %s by %q", c.in, got, from, c.want, c.from)
		}
	}
}

func TestRedact(t *testing.T) {
	cases := map[string]string{
		"https://bob:s3cret@git.bank.internal/a/b": "https://git.bank.internal/a/b",
		"https://tok@github.com/o/r":               "https://github.com/o/r",
		"https://github.com/o/r":                   "https://github.com/o/r",
		"git@github.com:o/r.git":                   "git@github.com:o/r.git",
		"file:///srv/m/r":                          "file:///srv/m/r",
	}
	for in, want := range cases {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%s) = %s, want %s", in, got, want)
		}
	}
}
