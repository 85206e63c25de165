// Package repourl reads repository addresses as configs give them
// (https, ssh and git@host: forms), for the config's forge routing and for
// every forge collector, so that they agree on what a host is.
package repourl

import (
	"net"
	"net/url"
	"strings"
)

// URL is a repository address as a config gives it, split up: the
// web scheme, the host (lower case, with a non-default port kept) and the
// path's segments (a trailing ".git" dropped; a GitLab "/-/…" page suffix
// cut off).
type URL struct {
	Scheme, Host string
	Parts        []string
}

// Parse reads https://host/a/b[.git][/…], host/a/b,
// ssh://git@host/a/b.git and git@host:a/b.git; ok is false when s names
// no host and path, or a segment is empty or holds ?, #, % or a space.
func Parse(s string) (URL, bool) {
	raw := strings.TrimSpace(s)
	scheme := "https"
	var host, path string
	switch {
	case strings.Contains(raw, "://"):
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return URL{}, false
		}
		if u.Scheme == "http" {
			scheme = "http"
		}
		host, path = u.Host, u.Path
		if u.Scheme != "http" && u.Scheme != "https" {
			host = u.Hostname() // ssh://git@host:22/…: the web host has no ssh port
		}
	case strings.HasPrefix(raw, "git@") && strings.Contains(raw, ":"):
		rest := strings.TrimPrefix(raw, "git@")
		i := strings.IndexByte(rest, ':')
		host, path = rest[:i], rest[i+1:]
	default:
		i := strings.IndexByte(raw, '/')
		if i <= 0 {
			return URL{}, false
		}
		host, path = raw[:i], raw[i:]
	}
	if i := strings.Index(path, "/-/"); i >= 0 { // https://host/g/p/-/tree/main
		path = path[:i]
	}
	parts := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	if len(parts) == 0 {
		return URL{}, false
	}
	parts[len(parts)-1] = strings.TrimSuffix(parts[len(parts)-1], ".git")
	for _, p := range parts {
		if p == "" || p == "." || p == ".." || strings.ContainsAny(p, "?#% ") {
			return URL{}, false
		}
	}
	return URL{Scheme: scheme, Host: NormHost(scheme, host), Parts: parts}, true
}

// NormHost lower-cases a host and drops the scheme's default port (443
// for https, 80 for http; either when scheme is ""), keeping any other.
func NormHost(scheme, host string) string {
	h := strings.ToLower(strings.TrimSpace(host))
	if hn, port, err := net.SplitHostPort(h); err == nil {
		if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") || (scheme == "" && (port == "443" || port == "80")) {
			return hn
		}
	}
	return h
}
