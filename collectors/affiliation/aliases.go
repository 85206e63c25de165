package affiliation

import (
	"fmt"
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
// A name two or more logins sign with (Bob's account once signs a commit
// "Alice Smith", from a shared machine or a wrong git config) still
// merges a person through their own login when one login owns it:
//   - the owner is the login whose most-used name it is (more commits
//     than with any other name) and which signs it in more commits than
//     all the other logins together; otherwise nobody owns it and it
//     merges nothing, since an address without a login could be either
//     account's (two "Wei Zhang" accounts of one commit each);
//   - an address without a login joins the owner only when this is the
//     name it signs most often: bob@corp.example signing "Alice Smith"
//     once and "Bob Jones" ten times stays Bob's;
//   - the other logins stay apart and are named in the evidence.
//
// Add counts commits: call it once per commit.
//
// Identities are added first and merged when Key or Merged is first
// called, names in sorted order, so the result does not depend on the
// order they were added in. The zero value is not usable: NewAliases.
type Aliases struct {
	parent map[string]string
	logins map[string]int            // root → forge logins in its set
	keys   map[string]bool           // identity keys added
	names  map[string]map[string]int // name node → identity key → commits signed with it
	// used counts each identity's commits by name, every name (one-word
	// and placeholder names too), lower-cased with spacing normalised, so
	// that "the name it signs most often" sees all of them.
	used    map[string]map[string]int
	commits map[string]int            // identity key → commits
	spell   map[string]map[string]int // name node → spelling → commits, for evidence
	owned   map[string]nameOwner      // name node signed by several logins → its owner
	done    bool
}

// nameOwner is how a name several logins sign with was merged.
type nameOwner struct {
	login string   // the owning login's key ("@alicesmith")
	apart []string // the other logins' keys, sorted
}

// NewAliases returns an empty set of identities.
func NewAliases() *Aliases {
	return &Aliases{parent: map[string]string{}, logins: map[string]int{}, keys: map[string]bool{},
		names: map[string]map[string]int{}, used: map[string]map[string]int{}, commits: map[string]int{},
		spell: map[string]map[string]int{}, owned: map[string]nameOwner{}}
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
	n := normName(name)
	if n == "" || placeholderNames[n] {
		return ""
	}
	if len(fields) == 1 && !HandleLike(fields[0]) {
		return ""
	}
	return nameNode + n
}

// normName is a name lower-cased with its spacing normalised.
func normName(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
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

// Add records one commit by an identity. Adding after Key, Merged or
// Evidence was called has no effect on the merging.
func (a *Aliases) Add(p Person) {
	if a.done {
		return
	}
	a.keys[p.Key] = true
	a.commits[p.Key]++
	if placeholderKey(p.Key) {
		return
	}
	if a.used[p.Key] == nil {
		a.used[p.Key] = map[string]int{}
	}
	a.used[p.Key][normName(p.Name)]++
	if n := nameKey(p.Name); n != "" {
		if a.names[n] == nil {
			a.names[n] = map[string]int{}
			a.spell[n] = map[string]int{}
		}
		a.names[n][p.Key]++
		a.spell[n][strings.Join(strings.Fields(p.Name), " ")]++
	}
}

// mostUsed reports whether name node n is the name identity k signs most
// often: in more of its commits than any other name.
func (a *Aliases) mostUsed(k, n string) bool {
	u := a.used[k]
	mine := u[strings.TrimPrefix(n, nameNode)]
	if mine == 0 {
		return false
	}
	for other, c := range u {
		if nameNode+other != n && c >= mine {
			return false
		}
	}
	return true
}

// owner is the login that owns name node n, which several logins sign
// with: the one whose most-used name it is and that signs it in more
// commits than the other logins together; "" when none does.
func (a *Aliases) owner(n string) string {
	total := 0
	for k, c := range a.names[n] {
		if keyRank(k) == 0 {
			total += c
		}
	}
	for k, c := range a.names[n] {
		if keyRank(k) == 0 && 2*c > total && a.mostUsed(k, n) {
			return k
		}
	}
	return ""
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
		var logins []string
		for k := range a.names[n] {
			if keyRank(k) == 0 {
				logins = append(logins, k)
			}
		}
		if len(logins) > 1 {
			// Several accounts sign with it: it merges only through the
			// login that owns it, with the addresses that sign it most.
			own := a.owner(n)
			if own == "" {
				continue // it tells nobody apart
			}
			o := nameOwner{login: own}
			for _, k := range logins {
				if k != own {
					o.apart = append(o.apart, k)
				}
			}
			sort.Strings(o.apart)
			a.owned[n] = o
			keys = append(keys, own)
			for k := range a.names[n] {
				if keyRank(k) != 0 && a.mostUsed(k, n) {
					keys = append(keys, k)
				}
			}
		} else {
			for k := range a.names[n] {
				keys = append(keys, k)
			}
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

// Evidence says how identities were merged, for the evidence of the
// people metrics: how many, and who, up to max people (the most commits
// first), each as the names that link them and their identities, shown
// as a login ("@alicesmith") or an address's domain ("…@corp.example"),
// never a whole address. A name several logins sign with says which login
// it merged through and which stayed apart, or that it merged nothing
// (up to max such names). "" when no name was merged or refused.
//
//	1 identity merged with another of the same full name, as git shortlog
//	groups them (Alice Smith: @alicesmith + …@corp.example, through login
//	@alicesmith; "Alice Smith" also signed by @bob, counted apart)
func (a *Aliases) Evidence(max int) string {
	a.merge()
	members := map[string][]string{} // root → identity keys
	for k := range a.keys {
		r := a.find(k)
		members[r] = append(members[r], k)
	}
	type group struct {
		text    string
		commits int
	}
	var groups []group
	for root, ks := range members {
		if len(ks) < 2 {
			continue
		}
		sort.Slice(ks, func(i, j int) bool { return better(ks[i], ks[j]) })
		in := map[string]bool{}
		commits := 0
		for _, k := range ks {
			in[k] = true
			commits += a.commits[k]
		}
		var linking, owned []string
		for n, signers := range a.names {
			if a.find(n) != root {
				continue
			}
			c := 0
			for k := range signers {
				if in[k] {
					c++
				}
			}
			if c < 2 {
				continue
			}
			linking = append(linking, n)
		}
		sort.Strings(linking)
		shown := make([]string, len(linking))
		for i, n := range linking {
			shown[i] = a.spelling(n)
			if o, ok := a.owned[n]; ok {
				owned = append(owned, fmt.Sprintf("through login %s; %q also signed by %s, counted apart",
					o.login, shown[i], strings.Join(o.apart, ", ")))
			}
		}
		ids := make([]string, len(ks))
		for i, k := range ks {
			ids[i] = showKey(k)
		}
		text := strings.Join(shown, ", ") + ": " + strings.Join(ids, " + ")
		if len(owned) > 0 {
			text += ", " + strings.Join(owned, "; ")
		}
		groups = append(groups, group{text, commits})
	}
	// Names several logins sign with and none owns: merged nothing.
	var refused []group
	for n, signers := range a.names {
		if _, ok := a.owned[n]; ok {
			continue
		}
		var logins []string
		for k := range signers {
			if keyRank(k) == 0 {
				logins = append(logins, k)
			}
		}
		if len(logins) > 1 {
			sort.Strings(logins)
			commits := 0
			for _, c := range signers {
				commits += c
			}
			refused = append(refused, group{fmt.Sprintf("%q", a.spelling(n)) + " is signed by " +
				strings.Join(logins, ", ") + " and none owns it (its most-used name, more commits than the others), so it merged nothing", commits})
		}
	}
	list := func(gs []group) string {
		sort.Slice(gs, func(i, j int) bool {
			if gs[i].commits != gs[j].commits {
				return gs[i].commits > gs[j].commits
			}
			return gs[i].text < gs[j].text
		})
		parts := make([]string, 0, max+1)
		for i, g := range gs {
			if i == max {
				parts = append(parts, fmt.Sprintf("and %d more", len(gs)-max))
				break
			}
			parts = append(parts, g.text)
		}
		return strings.Join(parts, "; ")
	}
	var out []string
	if merged := a.Merged(); merged > 0 {
		noun := "identities"
		if merged == 1 {
			noun = "identity"
		}
		out = append(out, fmt.Sprintf("%d %s merged with another of the same full name, as git shortlog groups them (%s)",
			merged, noun, list(groups)))
	}
	if len(refused) > 0 {
		out = append(out, list(refused))
	}
	return strings.Join(out, "; ")
}

// spelling is how a name node is shown: the spelling most commits use
// (the smaller string on a tie).
func (a *Aliases) spelling(n string) string {
	best, bc := strings.TrimPrefix(n, nameNode), 0
	for s, c := range a.spell[n] {
		if c > bc || (c == bc && s < best) {
			best, bc = s, c
		}
	}
	return best
}

// showKey shows an identity in evidence without an address: a login as
// "@login", an e-mail as its domain ("…@corp.example").
func showKey(k string) string {
	switch keyRank(k) {
	case 0:
		return k
	case 2:
		return "a commit without an e-mail"
	}
	if at := strings.LastIndexByte(k, '@'); at >= 0 && at < len(k)-1 {
		return "…" + k[at:]
	}
	return "an address without a domain"
}
