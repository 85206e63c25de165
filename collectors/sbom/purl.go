package sbom

import (
	"net/url"
	"strings"
)

// PURL is a parsed package URL (pkg:type/namespace/name@version?qualifiers#subpath).
// Namespace, Name and Version are unescaped.
type PURL struct {
	Type, Namespace, Name, Version string
	Qualifiers                     url.Values
}

// ParsePURL reads a package URL; ok is false when s is not one. It is
// lenient where SBOM tools are: an npm scope may be written "@babel" or,
// as the purl spec's canonical form has it, "%40babel"; both give the
// same Key.
func ParsePURL(s string) (PURL, bool) {
	var p PURL
	s = strings.TrimSpace(s)
	if len(s) < 4 || !strings.EqualFold(s[:4], "pkg:") {
		return p, false
	}
	s = strings.TrimLeft(s[4:], "/")
	s, _, _ = strings.Cut(s, "#")
	s, q, _ := strings.Cut(s, "?")
	if q != "" {
		p.Qualifiers = parseQualifiers(q)
	}
	typ, rest, ok := strings.Cut(s, "/")
	if !ok || !validType(typ) || rest == "" {
		return p, false
	}
	p.Type = strings.ToLower(typ)
	// The version follows the last '@' that does not start a segment (npm
	// scopes are written "@scope" when not percent-encoded).
	if i := strings.LastIndex(rest, "@"); i > 0 && rest[i-1] != '/' {
		p.Version = unescape(rest[i+1:])
		rest = rest[:i]
	}
	rest = strings.Trim(rest, "/")
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		p.Namespace, p.Name = rest[:i], rest[i+1:]
	} else {
		p.Name = rest
	}
	var segs []string
	for seg := range strings.SplitSeq(p.Namespace, "/") {
		if seg = unescape(seg); seg != "" { // the spec drops empty segments
			segs = append(segs, seg)
		}
	}
	p.Namespace = strings.Join(segs, "/")
	p.Name = unescape(p.Name)
	if p.Type == "pypi" {
		p.Name = strings.ReplaceAll(strings.ToLower(p.Name), "_", "-")
	}
	if p.Name == "" {
		return p, false
	}
	return p, true
}

// validType: ASCII letters, digits, '.', '+', '-', not starting with a
// digit (purl spec).
func validType(t string) bool {
	if t == "" || (t[0] >= '0' && t[0] <= '9') {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '+' || c == '-') {
			return false
		}
	}
	return true
}

// parseQualifiers reads "k=v&k=v": keys lower case, values percent-decoded
// ('+' stays '+', as the purl spec has it, unlike a form query), empty
// values dropped.
func parseQualifiers(q string) url.Values {
	v := url.Values{}
	for kv := range strings.SplitSeq(q, "&") {
		k, val, _ := strings.Cut(kv, "=")
		k = strings.ToLower(strings.TrimSpace(unescape(k)))
		if val = unescape(val); k == "" || val == "" {
			continue
		}
		v[k] = append(v[k], val)
	}
	return v
}

func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// escape percent-encodes what may not stand literally in a purl part:
// everything but RFC 3986 unreserved characters and the sub-delimiters
// and ':' that paths allow, less '&' and '@' (the purl separators; an npm
// scope is "%40babel" in the canonical form). '+' stays literal, so
// "1.1.1n-0+deb11u3" keeps its spelling.
func escape(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !keepByte(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; keepByte(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

func keepByte(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$'()*+,;=:", c) >= 0
}

// keyQualifiers are the qualifiers that tell artefacts of one version
// apart, by purl type (the purl spec's type definitions): a Maven
// classifier ("tests", "sources") and a packaging type other than the
// default jar are other files with other hashes; a Debian, RPM, Alpine or
// Arch package differs by architecture and by distribution release (the
// same version string carries different patches in debian-11 and
// ubuntu-22.04); an RPM epoch is part of the version's identity. Left
// out: PyPI's file_name (the wheel or sdist of one release installed in
// one environment: the same release, licence and advisories, and keeping
// it would split a package across systems built on other platforms), and
// locations and integrity data that never make another artefact
// (repository_url, download_url, vcs_url, checksum).
var keyQualifiers = map[string][]string{
	"maven": {"classifier", "type"},
	"deb":   {"arch", "distro"},
	"rpm":   {"arch", "distro", "epoch"},
	"apk":   {"arch", "distro"},
	"alpm":  {"arch", "distro"},
}

// KeyQualifiers is the canonical form of the distinguishing qualifiers
// (see keyQualifiers): sorted by key, values percent-encoded, Maven's
// default type=jar left out; "" when there are none.
func (p PURL) KeyQualifiers() string {
	var parts []string
	for _, k := range keyQualifiers[p.Type] { // listed in key order
		v := p.Qualifiers.Get(k)
		if v == "" || (p.Type == "maven" && k == "type" && v == "jar") {
			continue
		}
		parts = append(parts, k+"="+escape(v))
	}
	return strings.Join(parts, "&")
}

// Package is the package URL without version, qualifiers or subpath: the
// identity of a package across its versions, in canonical form
// ("pkg:npm/%40babel/core").
func (p PURL) Package() string {
	var b strings.Builder
	b.WriteString("pkg:")
	b.WriteString(p.Type)
	b.WriteByte('/')
	if p.Namespace != "" {
		for seg := range strings.SplitSeq(p.Namespace, "/") {
			if seg != "" {
				b.WriteString(escape(seg))
				b.WriteByte('/')
			}
		}
	}
	b.WriteString(escape(p.Name))
	return b.String()
}

// Key is the identity of one artefact of one version of the package: the
// canonical package URL with its version and distinguishing qualifiers
// ("pkg:maven/org.eclipse.jetty/jetty-server@9.4.18?classifier=tests&type=test-jar").
// ParsePURL(Key) gives the same Key.
func (p PURL) Key() string {
	s := p.Package()
	if p.Version != "" {
		s += "@" + escape(p.Version)
	}
	if q := p.KeyQualifiers(); q != "" {
		s += "?" + q
	}
	return s
}

// FullName is the name an ecosystem's registry and OSV use.
func (p PURL) FullName() string { return fullName(p.Type, p.Namespace, p.Name) }

func fullName(typ, namespace, name string) string {
	switch {
	case namespace == "":
		return name
	case typ == "maven":
		return namespace + ":" + name
	default:
		return namespace + "/" + name
	}
}

// DisplayName is the name people know the component by: "@babel/core",
// "org.eclipse.jetty:jetty-server", "github.com/a/b".
func (c Component) DisplayName() string { return fullName(c.Ecosystem, c.Namespace, c.Name) }

// DisplayName names an inventory row's package as people know it (see
// Component.DisplayName); a stored name that already holds its path (a
// Go module recorded whole) is kept as it is.
func DisplayName(ecosystem, namespace, name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	return fullName(ecosystem, namespace, name)
}

// osvEcosystems maps purl types to OSV ecosystem names.
var osvEcosystems = map[string]string{
	"maven": "Maven", "npm": "npm", "pypi": "PyPI", "golang": "Go", "cargo": "crates.io", "nuget": "NuGet",
	"gem": "RubyGems", "composer": "Packagist", "hex": "Hex", "pub": "Pub", "cocoapods": "CocoaPods",
	"swift": "SwiftURL", "hackage": "Hackage", "cran": "CRAN", "conan": "ConanCenter",
}

// OSVEcosystem returns the OSV ecosystem of a purl type ("" if OSV has none).
func OSVEcosystem(purlType string) string { return osvEcosystems[purlType] }

// repoFromPURL guesses the source repository of a package from its URL:
// Go modules and GitHub packages name it; a vcs_url qualifier states it.
func repoFromPURL(p PURL) string {
	if v := p.Qualifiers.Get("vcs_url"); v != "" {
		return cleanRepo(v)
	}
	switch p.Type {
	case "github":
		return "https://github.com/" + p.Namespace + "/" + p.Name
	case "golang":
		full := p.Namespace + "/" + p.Name
		for _, host := range []string{"github.com/", "gitlab.com/", "gitee.com/", "bitbucket.org/"} {
			if strings.HasPrefix(full, host) {
				parts := strings.Split(full, "/")
				if len(parts) >= 3 {
					return "https://" + strings.Join(parts[:3], "/")
				}
			}
		}
	}
	return ""
}

// cleanRepo turns a VCS locator (git+https://github.com/a/b.git@v1#sub)
// into a repository URL; "" when it is not one.
func cleanRepo(s string) string {
	s = strings.TrimSpace(s)
	switch strings.ToUpper(s) {
	case "", "NOASSERTION", "NONE":
		return ""
	}
	s = strings.TrimPrefix(s, "git+")
	s = strings.TrimPrefix(s, "scm:git:")
	if strings.HasPrefix(s, "git@") { // git@github.com:a/b.git
		s = "https://" + strings.Replace(strings.TrimPrefix(s, "git@"), ":", "/", 1)
	}
	s, _, _ = strings.Cut(s, "#")
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return ""
	}
	path := u.Path
	if i := strings.Index(path, "@"); i >= 0 {
		path = path[:i]
	}
	path = strings.TrimSuffix(strings.TrimSuffix(path, "/"), ".git")
	// github.com/a/b/tree/main → github.com/a/b
	if parts := strings.Split(strings.Trim(path, "/"), "/"); len(parts) > 2 && (u.Host == "github.com" || u.Host == "gitee.com" || u.Host == "gitlab.com") {
		path = "/" + strings.Join(parts[:2], "/")
	}
	if path == "" || path == "/" {
		return ""
	}
	return "https://" + u.Host + path
}

// ProjectID names a project by its repository without the scheme, as the
// portfolio does ("github.com/karmada-io/karmada").
func ProjectID(repo string) string {
	if repo == "" {
		return ""
	}
	if u, err := url.Parse(repo); err == nil && u.Host != "" {
		return strings.TrimSuffix(u.Host+strings.TrimSuffix(u.Path, "/"), ".git")
	}
	return strings.TrimSuffix(repo, ".git")
}
