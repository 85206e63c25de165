// Package release tells releases from pre-releases by the name of their tag
// or release, so that every collector counting releases (gitlocal's tags,
// the forges' releases and tags) leaves release candidates, betas, nightly
// builds and milestones out alike.
package release

import "strings"

// markers are the pre-release words a version carries as a token of its
// own: "v1.2.0-rc.1", "3.0.0.RC2", "v2.0.0-beta1", "1.0.dev3".
var markers = map[string]bool{
	"rc": true, "cr": true, "alpha": true, "beta": true, "pre": true, "prerelease": true, "preview": true,
	"dev": true, "snapshot": true, "nightly": true, "canary": true, "next": true, "ea": true, "eap": true,
	"experimental": true, "unstable": true, "milestone": true, "insiders": true,
}

// IsPrerelease reports whether a tag or release name is a pre-release: its
// version part carries a pre-release marker as a token of its own, in any
// case, with or without separators, after the version's first digit —
//
//   - rc, cr, alpha, beta, pre, prerelease, preview, dev, snapshot, nightly,
//     canary, next, ea, eap, experimental, unstable, milestone, insiders:
//     "v1.2.0-rc.1", "v2.0.0-beta1", "3.0.0.RC2", "release-1.0-rc1",
//     "5.0.0.BUILD-SNAPSHOT";
//   - a milestone "M" followed by its number after a separator: "5.0.0-M1",
//     "3.0.0.M2";
//   - PEP 440's short forms right after a digit: "1.0.0a1", "2.1b2",
//     "3.0c1"; an alpha or beta number after a separator: "LANG_3_0_B1",
//     "1.0-b2".
//
// A word that only contains a marker ("previewer", "prebuilt", "devtools")
// is not one, nor is a marker before any digit ("preview-docs-1.0" is not a
// version's marker), nor anything after "+" (build metadata:
// "v2.0.0+incompatible"). Ordinary versions ("v1.2.3", "release-1.28",
// "commons-lang-3.17.0", "5.0.0.RELEASE") are releases.
func IsPrerelease(name string) bool {
	if i := strings.IndexByte(name, '+'); i >= 0 {
		name = name[:i]
	}
	toks := tokens(strings.ToLower(name))
	seenDigit := false
	for i, t := range toks {
		if t.digits {
			seenDigit = true
			continue
		}
		if !seenDigit {
			continue
		}
		if markers[t.s] {
			return true
		}
		nextNum := i+1 < len(toks) && toks[i+1].digits && toks[i+1].joined
		// followed by its number and then the end or a separator:
		// "a1" in "1.0.0a1", not in a hash such as "g1a2b3c".
		numEnds := nextNum && (i+2 == len(toks) || !toks[i+2].joined)
		switch t.s {
		case "m":
			if !t.joined && nextNum && numEnds {
				return true
			}
		case "a", "b":
			// "1.0.0a1" (PEP 440), and after a separator "LANG_3_0_B1",
			// "1.0-b2" (Apache's and Maven's betas).
			if numEnds && (!t.joined || toks[i-1].digits) {
				return true
			}
		case "c":
			if t.joined && toks[i-1].digits && numEnds {
				return true
			}
		}
	}
	return false
}

// token is a run of letters or of digits; joined says it follows the
// previous token with no separator between them ("rc" in "rc1" is not
// joined to the "0" of "1.0-"; "1" is joined to "rc").
type token struct {
	s      string
	digits bool
	joined bool
}

func tokens(s string) []token {
	var out []token
	start, kind := -1, 0 // kind 1 letters, 2 digits
	sep := true
	flush := func(end int) {
		if start >= 0 {
			out = append(out, token{s: s[start:end], digits: kind == 2, joined: !sep})
			sep = false
		}
		start, kind = -1, 0
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		k := 0
		switch {
		case ch >= 'a' && ch <= 'z':
			k = 1
		case ch >= '0' && ch <= '9':
			k = 2
		}
		if k == 0 {
			flush(i)
			sep = true
			continue
		}
		if k != kind {
			flush(i)
			start, kind = i, k
		}
	}
	flush(len(s))
	return out
}
