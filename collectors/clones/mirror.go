package clones

import (
	"net"
	"net/url"
	"strings"

	"github.com/osgauge/osgauge/internal/repourl"
)

// Mirror is one rewrite rule, as git's url.<to>.insteadOf = <from>: a
// repository URL that is From or starts with From followed by "/" is
// fetched from To followed by the rest of the URL. From and To are
// prefixes that end on a path segment: a trailing "/" is implied, so
// https://github.com matches https://github.com/x/y but neither
// https://github.com:8099/x nor https://github.com.evil.example/x.
// TokenEnv, when set, names the environment variable that holds the
// mirror's credential (never the credential itself).
type Mirror struct {
	From     string
	To       string
	TokenEnv string
}

// Rewrite applies the longest matching rule to raw (as git does when
// several insteadOf prefixes match) and returns the URL to fetch and the
// rule used (nil when none matched). raw should be Canonical; a rule's
// From is compared in its canonical form (scheme and host in lower case,
// a default port dropped) and matches only on a "/" boundary.
func Rewrite(raw string, rules []Mirror) (string, *Mirror) {
	var best *Mirror
	bestLen := -1
	rest := ""
	for i := range rules {
		r := &rules[i]
		from := strings.TrimSuffix(CanonicalPrefix(r.From), "/")
		if from == "" {
			continue
		}
		var tail string
		switch {
		case raw == from:
			tail = ""
		case strings.HasPrefix(raw, from+"/"):
			tail = raw[len(from):]
		default:
			continue
		}
		if len(from) > bestLen {
			best, bestLen, rest = r, len(from), tail
		}
	}
	if best == nil {
		return raw, nil
	}
	return strings.TrimSuffix(strings.TrimSpace(best.To), "/") + rest, best
}

// CanonicalPrefix is a mirror rule's from or to as Rewrite compares it:
// for an http(s) or ssh URL, the scheme and host in lower case with a
// default port dropped and one trailing "/"; other forms (file://) are
// trimmed and given the trailing "/".
func CanonicalPrefix(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return ""
	}
	if u, err := url.Parse(p); err == nil && u.Host != "" && (u.Scheme != "" && u.Scheme != "file") {
		scheme := strings.ToLower(u.Scheme)
		u.Scheme = scheme
		u.Host = repourl.NormHost(scheme, u.Host)
		p = u.String()
	}
	return strings.TrimSuffix(p, "/") + "/"
}

// Canonical is the one spelling of a repository address that clones are
// made, rewritten and keyed by: for a forge-style address (https://,
// http://, ssh://, git@host:path or host/path, any case of host, with or
// without .git or a trailing "/"), scheme://host/path as the repourl
// package reads it (an ssh address becomes its https form, as the forge
// collectors read it); credentials are stripped. Other forms (file://,
// local paths) are only trimmed and stripped of credentials.
func Canonical(repo string) string {
	clean := Redact(strings.TrimSpace(repo))
	if strings.HasPrefix(clean, "file:") {
		return strings.TrimSuffix(clean, "/")
	}
	if u, ok := repourl.Parse(clean); ok {
		return u.Scheme + "://" + u.Host + "/" + strings.Join(u.Parts, "/")
	}
	return clean
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
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.User == nil {
		return "", ""
	}
	p, _ := u.User.Password()
	return u.User.Username(), p
}

// hostOf is the host (with a non-default port) of an http(s) URL, "" for
// any other form.
func hostOf(raw string) (scheme, host string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", ""
	}
	s := strings.ToLower(u.Scheme)
	return s, repourl.NormHost(s, u.Host)
}

// credentialAllowed reports whether a credential may be sent to fetchURL:
// over https, or over plain http to a loopback address only (a test's or
// a local git http-backend: the traffic never leaves the machine), and
// why not otherwise.
func credentialAllowed(fetchURL string) (bool, string) {
	scheme, host := hostOf(fetchURL)
	switch scheme {
	case "https":
		return true, ""
	case "http":
		h := host
		if hn, _, err := net.SplitHostPort(host); err == nil {
			h = hn
		}
		if h == "localhost" {
			return true, ""
		}
		if ip := net.ParseIP(strings.Trim(h, "[]")); ip != nil && ip.IsLoopback() {
			return true, ""
		}
		return false, "no credential is sent over plain http to " + host + " (https only; http to a loopback address alone)"
	}
	return false, ""
}
