package affiliation

import (
	"strings"
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
// Placeholder names (root, "Your Name") and short names written without a
// space (two- or three-character Han names such as 张伟 are common enough
// for two people in one project to share them) never merge. Nor does a
// name that two different forge accounts sign with: two logins are two
// accounts, and which of them an address without a login belongs to is
// then unknown.
//
// Identities are added first and merged when Key or Merged is first
// called, so the result does not depend on the order they were added in.
// The zero value is not usable: NewAliases.
type Aliases struct {
	parent map[string]string
	keys   map[string]bool            // identity keys added
	names  map[string]map[string]bool // name key → identity keys signing with it
	done   bool
}

// NewAliases returns an empty set of identities.
func NewAliases() *Aliases {
	return &Aliases{parent: map[string]string{}, keys: map[string]bool{}, names: map[string]map[string]bool{}}
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

// nameKey is the key two identities share when they sign with the same
// specific name, or "" when the name says nothing about who it is.
func nameKey(name string) string {
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if n == "" || placeholderNames[n] {
		return ""
	}
	if !strings.Contains(n, " ") && utf8.RuneCountInString(n) < 4 {
		return ""
	}
	return "name:" + n
}

// Add records an identity. Adding after Key or Merged was called has no
// effect on the merging.
func (a *Aliases) Add(p Person) {
	if a.done {
		return
	}
	a.keys[p.Key] = true
	if n := nameKey(p.Name); n != "" {
		if a.names[n] == nil {
			a.names[n] = map[string]bool{}
		}
		a.names[n][p.Key] = true
	}
}

// merge joins the identities of each name that at most one forge account
// signs with.
func (a *Aliases) merge() {
	if a.done {
		return
	}
	a.done = true
	for k := range a.keys {
		a.find(k)
	}
	for n, keys := range a.names {
		logins := 0
		for k := range keys {
			if keyRank(k) == 0 {
				logins++
			}
		}
		if logins > 1 {
			continue // two accounts share the name
		}
		for k := range keys {
			a.union(k, n)
		}
	}
}

// Key is the key under which p is counted: the same for every identity of
// one person. An identity never added counts on its own.
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

// union joins two sets; the root is the better key (keyRank), so the
// result does not depend on the order identities were added in.
func (a *Aliases) union(x, y string) {
	rx, ry := a.find(x), a.find(y)
	if rx == ry {
		return
	}
	if better(ry, rx) {
		rx, ry = ry, rx
	}
	a.parent[ry] = rx
}

// better orders keys: a forge login, then an e-mail, then a name; within
// a kind the smaller string.
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
	case strings.HasPrefix(k, "name:"):
		return 2
	}
	return 1
}
