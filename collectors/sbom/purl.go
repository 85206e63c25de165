package sbom

import (
	"net/url"
	"strings"
)

// PURL is a parsed package URL (pkg:type/namespace/name@version?qualifiers#subpath).
type PURL struct {
	Type, Namespace, Name, Version string
	Qualifiers                     url.Values
}

// ParsePURL reads a package URL; ok is false when s is not one.
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
		p.Qualifiers, _ = url.ParseQuery(q)
	}
	typ, rest, ok := strings.Cut(s, "/")
	if !ok || typ == "" || rest == "" {
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
	segs := strings.Split(p.Namespace, "/")
	for i := range segs {
		segs[i] = unescape(segs[i])
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

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// Package is the package URL without version, qualifiers or subpath: the
// identity of a package across its versions.
func (p PURL) Package() string {
	s := "pkg:" + p.Type + "/"
	if p.Namespace != "" {
		s += p.Namespace + "/"
	}
	return s + p.Name
}

// Key is the identity of one version of the package.
func (p PURL) Key() string {
	if p.Version == "" {
		return p.Package()
	}
	return p.Package() + "@" + p.Version
}

// FullName is the name an ecosystem's registry and OSV use.
func (p PURL) FullName() string {
	switch {
	case p.Namespace == "":
		return p.Name
	case p.Type == "maven":
		return p.Namespace + ":" + p.Name
	default:
		return p.Namespace + "/" + p.Name
	}
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
