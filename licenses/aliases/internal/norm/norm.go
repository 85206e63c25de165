// Package norm turns licence names and URLs into lookup keys. The
// generator (internal/gen) and the runtime (package aliases) share it, so a
// key built from the data and a key built from an SBOM string agree.
package norm

import (
	"regexp"
	"strings"
)

var (
	space      = regexp.MustCompile(`\s+`)
	entities   = strings.NewReplacer("&quot;", `"`, "&amp;", "&", "&apos;", "'", "&#39;", "'", `\"`, `"`, "\u00a0", " ")
	licenceSp  = strings.NewReplacer("licences", "licenses", "licence", "license")
	glueV      = regexp.MustCompile(`([a-z])v\.?(\d)`)                 // gplv2, alv2 → gpl 2, al 2
	standV     = regexp.MustCompile(`\bv(?:ersion|ers|er)?\.?\s*(\d)`) // v2.0, v. 2, version 2, ver 2 → 2
	letterNum  = regexp.MustCompile(`([a-z])(\d)`)                     // apache2 → apache 2
	underVer   = regexp.MustCompile(`(\d)_(\d)`)                       // lgpl_v2_1 → lgpl_v2.1
	acronym    = regexp.MustCompile(`\(\s*[a-z]{2,8}\s*\)`)            // "(CDDL)", "(AFL)"
	punct      = strings.NewReplacer("-", " ", "_", " ", ",", " ", "(", " ", ")", " ", `"`, " ", "'", " ", "/", " ", ";", " ", ":", " ", "&", " and ", "*", " ")
	dropWords  = map[string]bool{"license": true, "licenses": true, "licensed": true, "version": true}
	trimOuter  = " \t\r\n\"'`.,;:"
	trimTrails = ".,;:"
)

// Exact is the light key: lower case, entities decoded, spaces collapsed,
// surrounding quotes and trailing punctuation removed.
func Exact(s string) string {
	s = entities.Replace(s)
	s = strings.ToLower(space.ReplaceAllString(s, " "))
	s = strings.Trim(s, trimOuter)
	s = strings.TrimRight(s, trimTrails)
	return strings.TrimSpace(s)
}

// Loose is the heavy key: Exact, then "licence" spelt "license", the words
// "license" and "version" and a leading "the" dropped, "v2.0"/"version
// 2.0"/"2.0" all written "2", punctuation and parenthesised acronyms
// ("(CDDL)") dropped.
func Loose(s string) string {
	s = licenceSp.Replace(Exact(s))
	s = strings.ReplaceAll(underVer.ReplaceAllString(s, "$1.$2"), "_", " ")
	s = acronym.ReplaceAllString(s, " ")
	s = glueV.ReplaceAllString(s, "$1 $2")
	s = standV.ReplaceAllString(s, "$1")
	s = letterNum.ReplaceAllString(s, "$1 $2")
	s = punct.Replace(s)
	words := strings.Fields(s)
	out := words[:0]
	for i, w := range words {
		if dropWords[w] || (i == 0 && w == "the") {
			continue
		}
		out = append(out, version(w))
	}
	return strings.Join(out, " ")
}

// version writes "2.0" as "2" and "2.0.0+" as "2+"; "2.1" and "2.0.1" stay.
func version(w string) string {
	plus := strings.HasSuffix(w, "+")
	v := strings.TrimSuffix(w, "+")
	if v == "" || strings.Trim(v, "0123456789.") != "" || v[0] == '.' {
		return w
	}
	v = strings.TrimRight(v, ".")
	for strings.HasSuffix(v, ".0") && len(v) > 2 {
		v = strings.TrimSuffix(v, ".0")
	}
	if plus {
		v += "+"
	}
	return v
}

// IsURL reports whether s looks like a URL rather than a name.
func IsURL(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "ftp://") || strings.HasPrefix(s, "www.")
}

var gh = regexp.MustCompile(`^(?:raw\.githubusercontent\.com|raw\.github\.com)/([^/]+)/([^/]+)/(.*)$`)
var ghBlob = regexp.MustCompile(`^github\.com/([^/]+)/([^/]+)/(?:blob|raw)/(.*)$`)

// URL is the key of a licence URL: no scheme, no "www.", no fragment, no
// trailing slash, no .txt/.html/.htm/.php/.md suffix, lower case;
// opensource.org/licenses/X is opensource.org/license/x; GitHub blob, raw
// and raw.githubusercontent.com forms are one.
func URL(s string) string {
	s = strings.ToLower(strings.Trim(strings.TrimSpace(s), "<>\"' "))
	for _, p := range []string{"http://", "https://", "ftp://"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimPrefix(s, "www.")
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, "/")
	for _, suf := range []string{".txt", ".html", ".htm", ".shtml", ".php", ".md"} {
		if strings.HasSuffix(s, suf) {
			s = strings.TrimSuffix(s, suf)
			break
		}
	}
	s = strings.TrimRight(s, "/")
	if host, rest, ok := strings.Cut(s, "/"); ok && strings.Contains(host, ":") {
		s = strings.Split(host, ":")[0] + "/" + rest // drop a port
	}
	s = strings.Replace(s, "opensource.org/licenses/", "opensource.org/license/", 1)
	if strings.HasPrefix(s, "gnu.org/") {
		s = strings.TrimSuffix(s, "-standalone") // GNU publishes each licence as X.html and X-standalone.html
	}
	if m := gh.FindStringSubmatch(s); m != nil {
		s = "github.com/" + m[1] + "/" + m[2] + "/" + m[3]
	} else if m := ghBlob.FindStringSubmatch(s); m != nil {
		s = "github.com/" + m[1] + "/" + m[2] + "/" + m[3]
	}
	return s
}
