package affiliation

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Aliases merges one person's identities that the mailmap and the forge
// leave apart: identities that sign with the same full name are one
// person. commons-lang's top author signs "Gary Gregory" from a Gmail and
// a no-reply address (494 and 67 commits in 12 months); counted by
// address he was two people, and his share of the work 74 % instead of
// the 84 % that `git shortlog -sn` shows. git shortlog groups by name
// too, so the counts survive a check by hand.
//
// What never merges:
//   - placeholder names (root, "Your Name") and placeholder addresses
//     (you@example.com, …@localhost), which many people share;
//   - a one-word name unless it looks like a handle (a digit, a hyphen or
//     underscore, an inner capital, or 8 characters or more):
//     RainbowMango merges, Alex and 张伟 do not, since two people in one
//     project may well share them;
//   - two forge accounts: two logins are two accounts, so no merge may put
//     two logins in one person, whichever names link them.
//
// Identities are added first and merged when Key or Merged is first
// called, names in sorted order, so the result does not depend on the
// order they were added in. The zero value is not usable: NewAliases.
type Aliases struct {
	parent map[string]string
	logins map[string]int             // root → forge logins in its set
	keys   map[string]bool            // identity keys added
	names  map[string]map[string]bool // name node → identity keys signing with it
	done   bool
}

// NewAliases returns an empty set of identities.
func NewAliases() *Aliases {
	return &Aliases{parent: map[string]string{}, logins: map[string]int{}, keys: map[string]bool{},
		names: map[string]map[string]bool{}}
}

// placeholderNames are what git writes, or people leave, when no name was
// configured: never evidence that two identities are one person.
var placeholderNames = map[string]bool{
	"root": true, "admin": true, "administrator": true, "user": true, "ubuntu": true, "unknown": true,
	"your name": true, "you": true, "git": true, "github": true, "gitlab": true, "gitee": true,
	"developer": true, "dev": true, "test": true, "tester": true, "none": true, "(none)": true,
	"anonymous": true, "(no author)": true, "no author": true, "localhost": true, "build": true,
	"builder": true, "jenkins": true, "ci": true, "default": true, "author": true, "name": true,
}

// nameNode prefixes the node of a name in the union-find: a NUL cannot
// start an identity key, so a name never stands for an identity.
const nameNode = "\x00name:"

// nameKey is the node two identities share when they sign with the same
// specific name, or "" when the name says nothing about who it is.
func nameKey(name string) string {
	fields := strings.Fields(name)
	n := strings.ToLower(strings.Join(fields, " "))
	if n == "" || placeholderNames[n] {
		return ""
	}
	if len(fields) == 1 && !HandleLike(fields[0]) {
		return ""
	}
	return nameNode + n
}

// HandleLike reports whether a one-word name looks like an account handle
// rather than a first name: it has a digit, a hyphen or underscore, a
// capital after its first letter, or 8 characters or more.
func HandleLike(s string) bool {
	if strings.ContainsAny(s, " \t") {
		return false
	}
	if utf8.RuneCountInString(s) >= 8 {
		return true
	}
	for i, r := range s {
		if unicode.IsDigit(r) || r == '-' || r == '_' || (i > 0 && unicode.IsUpper(r)) {
			return true
		}
	}
	return false
}

// placeholderKey reports whether an identity key is an address many
// people share (git's and tutorials' defaults, local machine addresses):
// such an identity links no names.
func placeholderKey(k string) bool {
	at := strings.LastIndexByte(k, '@')
	if at <= 0 {
		return false
	}
	local, domain := k[:at], k[at+1:]
	switch domain {
	case "example.com", "example.org", "example.net", "localhost", "localhost.localdomain", "(none)", "none":
		return true
	}
	if strings.HasSuffix(domain, ".local") || strings.HasSuffix(domain, ".localdomain") {
		return true
	}
	return placeholderNames[local]
}

// Add records an identity. Adding after Key or Merged was called has no
// effect on the merging.
func (a *Aliases) Add(p Person) {
	if a.done {
		return
	}
	a.keys[p.Key] = true
	if placeholderKey(p.Key) {
		return
	}
	if n := nameKey(p.Name); n != "" {
		if a.names[n] == nil {
			a.names[n] = map[string]bool{}
		}
		a.names[n][p.Key] = true
	}
}

// merge joins the identities of each name, names and keys in sorted
// order, refusing any join that would put two logins in one set.
func (a *Aliases) merge() {
	if a.done {
		return
	}
	a.done = true
	for k := range a.keys {
		a.find(k)
		if keyRank(k) == 0 {
			a.logins[k] = 1
		}
	}
	names := make([]string, 0, len(a.names))
	for n := range a.names {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		keys := make([]string, 0, len(a.names[n]))
		logins := 0
		for k := range a.names[n] {
			keys = append(keys, k)
			if keyRank(k) == 0 {
				logins++
			}
		}
		if logins > 1 {
			continue // two accounts sign with it: it tells nobody apart
		}
		sort.Slice(keys, func(i, j int) bool { return better(keys[i], keys[j]) })
		for _, k := range keys {
			a.union(k, n)
		}
	}
}

// Key is the key under which p is counted: the same for every identity of
// one person, always one of the identity keys added. An identity never
// added counts on its own.
func (a *Aliases) Key(p Person) string {
	a.merge()
	if !a.keys[p.Key] {
		return p.Key
	}
	return a.find(p.Key)
}

// Merged is how many identities added were counted as another's.
func (a *Aliases) Merged() int {
	a.merge()
	n := 0
	for k := range a.keys {
		if a.find(k) != k {
			n++
		}
	}
	return n
}

func (a *Aliases) find(k string) string {
	p, ok := a.parent[k]
	if !ok {
		a.parent[k] = k
		return k
	}
	if p == k {
		return k
	}
	root := a.find(p)
	a.parent[k] = root
	return root
}

// union joins two sets unless both hold a login; the root is the better
// key (keyRank), so an identity is always preferred to a name node.
func (a *Aliases) union(x, y string) {
	rx, ry := a.find(x), a.find(y)
	if rx == ry || a.logins[rx]+a.logins[ry] > 1 {
		return
	}
	if better(ry, rx) {
		rx, ry = ry, rx
	}
	a.parent[ry] = rx
	a.logins[rx] += a.logins[ry]
	delete(a.logins, ry)
}

// better orders keys: a forge login, then an e-mail, then an identity
// known by name only, then a name node; within a kind the smaller string.
func better(x, y string) bool {
	if kx, ky := keyRank(x), keyRank(y); kx != ky {
		return kx < ky
	}
	return x < y
}

func keyRank(k string) int {
	switch {
	case strings.HasPrefix(k, "@"):
		return 0
	case strings.HasPrefix(k, nameNode):
		return 3
	case strings.HasPrefix(k, "name:"):
		return 2
	}
	return 1
}
