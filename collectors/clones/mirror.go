package clones

import (
	"net/url"
	"strings"
)

// Mirror is one rewrite rule, as git's url.<to>.insteadOf = <from>: a
// repository URL that starts with From is fetched from To followed by the
// rest of the URL. TokenEnv, when set, names the environment variable that
// holds the mirror's credential (never the credential itself).
type Mirror struct {
	From     string
	To       string
	TokenEnv string
}

// Rewrite applies the longest matching rule to raw (as git does when
// several insteadOf prefixes match) and returns the URL to fetch and the
// rule used (nil when none matched).
func Rewrite(raw string, rules []Mirror) (string, *Mirror) {
	var best *Mirror
	for i := range rules {
		r := &rules[i]
		if r.From == "" || !strings.HasPrefix(raw, r.From) {
			continue
		}
		if best == nil || len(r.From) > len(best.From) {
			best = r
		}
	}
	if best == nil {
		return raw, nil
	}
	return best.To + strings.TrimPrefix(raw, best.From), best
}

// Redact returns raw without any user name or password it carries
// (https://user:token@host/x → https://host/x), for logs, evidence and
// the clone's stored remote. Other forms (git@host:x, paths) are returned
// unchanged.
func Redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if i := strings.Index(raw, "://"); i >= 0 { // unparsable: cut any userinfo by hand
			rest := raw[i+3:]
			slash := strings.IndexByte(rest, '/')
			if at := strings.LastIndexByte(rest, '@'); at >= 0 && (slash < 0 || at < slash) {
				return raw[:i+3] + rest[at+1:]
			}
		}
		return raw
	}
	u.User = nil
	return u.String()
}

// userinfo is the user name and password a URL carries ("" when none).
func userinfo(raw string) (user, pass string) {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return "", ""
	}
	p, _ := u.User.Password()
	return u.User.Username(), p
}
