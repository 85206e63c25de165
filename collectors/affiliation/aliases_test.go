package affiliation

import "testing"

func TestAliasesMergeByName(t *testing.T) {
	ids := NewIdentities(nil, nil)
	gmail := ids.Resolve("Gary Gregory", "garydgregory@gmail.com", "")
	noreply := ids.Resolve("Gary  gregory", "garydgregory@users.noreply.github.com", "") // spacing and case differ
	ann := ids.Resolve("Ann", "ann@bank.example", "")
	ann2 := ids.Resolve("Ann", "ann@other.example", "") // "ann": too short to say who it is
	zhang := ids.Resolve("张伟", "zw@bank.example", "")   // a common two-character name
	zhang2 := ids.Resolve("张伟", "zhangwei@other.example", "")
	root := ids.Resolve("root", "root@build1.example", "")
	root2 := ids.Resolve("root", "root@build2.example", "")
	bare := ids.Resolve("Gary Gregory", "", "") // no e-mail: key "name:gary gregory"

	// Added in either order, Gary's three identities count under his
	// login, the best key (a login ranks before an e-mail and a name).
	for _, order := range [][]Person{
		{gmail, noreply, bare, ann, ann2, zhang, zhang2, root, root2},
		{root2, root, zhang2, zhang, ann2, ann, bare, noreply, gmail},
	} {
		a := NewAliases()
		for _, p := range order {
			a.Add(p)
		}
		for _, p := range []Person{gmail, noreply, bare} {
			if got := a.Key(p); got != "@garydgregory" {
				t.Errorf("Key(%s) = %q, want @garydgregory", p.Key, got)
			}
		}
		for _, p := range []Person{ann, ann2, zhang, zhang2, root, root2} {
			if got := a.Key(p); got != p.Key {
				t.Errorf("Key(%s) = %q, want its own key: the name %q must not merge", p.Key, got, p.Name)
			}
		}
		// 9 identities, 7 people: gmail and bare folded into @garydgregory.
		if got := a.Merged(); got != 2 {
			t.Errorf("Merged() = %d, want 2", got)
		}
		// The spelling most commits use: "Gary Gregory" 2, "Gary gregory" 1.
		want := "2 identities merged with another of the same full name, as git shortlog groups them " +
			"(Gary Gregory: @garydgregory + …@gmail.com + a commit without an e-mail)"
		if got := a.Evidence(3); got != want {
			t.Errorf("Evidence = %q, want %q", got, want)
		}
	}
	if got := NewAliases().Key(ann); got != ann.Key {
		t.Errorf("an identity never added counts on its own: got %q", got)
	}
}

// Two forge accounts signing with one name are two accounts; which one an
// address without a login belongs to is unknown, so the name merges
// nothing, whatever order the identities come in.
func TestAliasesTwoAccountsOneName(t *testing.T) {
	ids := NewIdentities(nil, nil)
	w1 := ids.Resolve("Wei Zhang", "w1@bank.example", "weizhang")
	w2 := ids.Resolve("Wei Zhang", "w2@other.example", "zhangwei-dev")
	bare := ids.Resolve("Wei Zhang", "wz@gmail.com", "")
	for _, order := range [][]Person{{w1, w2, bare}, {bare, w2, w1}, {w2, bare, w1}} {
		a := NewAliases()
		for _, p := range order {
			a.Add(p)
		}
		for _, p := range order {
			if got := a.Key(p); got != p.Key {
				t.Errorf("Key(%s) = %q, want its own key", p.Key, got)
			}
		}
		if a.Merged() != 0 {
			t.Errorf("Merged() = %d, want 0", a.Merged())
		}
		want := `"Wei Zhang" is signed by @weizhang, @zhangwei-dev and none owns it (its most-used name, more commits than the others), so it merged nothing`
		if got := a.Evidence(3); got != want {
			t.Errorf("Evidence = %q, want %q", got, want)
		}
	}
}

// Cases a review found, each of which merged different people before:
// names linked through an address into two accounts, a placeholder
// address shared by two people, a common one-word first name, and a
// name-only identity whose group was rooted at the name itself.
func TestAliasesNeverMergeDifferentPeople(t *testing.T) {
	ids := NewIdentities(nil, nil)
	cases := []struct {
		name       string
		identities []Person
		merged     int
		same       [][2]int // pairs of indexes that must share a key
	}{
		// Wei Zhang's two accounts linked through wz@corp.example, which
		// signs with both names: wz@corp joins the first account met in
		// sorted order (@weizhang via "wei zhang"); @wz2 never joins it.
		{"two accounts linked by names", []Person{
			ids.Resolve("Wei Zhang", "1+weizhang@users.noreply.github.com", ""),
			ids.Resolve("Wei Zhang", "wz@corp.example", ""),
			ids.Resolve("Wei Zhang2", "wz@corp.example", ""),
			ids.Resolve("Wei Zhang2", "2+wz2@users.noreply.github.com", ""),
		}, 1, [][2]int{{0, 1}, {0, 2}}}, // 1 and 2 are one identity, wz@corp
		// you@example.com is git's tutorial address: it links no names.
		{"placeholder address", []Person{
			ids.Resolve("Alice Smith", "alice@a.example", ""),
			ids.Resolve("Alice Smith", "you@example.com", ""),
			ids.Resolve("Bob Jones", "you@example.com", ""),
			ids.Resolve("Bob Jones", "bob@b.example", ""),
		}, 0, nil},
		// Alex at Red Hat and Alex at SUSE are two people; RainbowMango is
		// a handle (an inner capital) and merges.
		{"one-word names", []Person{
			ids.Resolve("Alex", "alex@redhat.example", ""),
			ids.Resolve("Alex", "alex@suse.example", ""),
			ids.Resolve("RainbowMango", "qdu@gmail.com", ""),
			ids.Resolve("RainbowMango", "ren@huawei.example", ""),
		}, 1, [][2]int{{2, 3}}},
		// A name-only identity (no e-mail) counts under its own key, never
		// under the name's node: 1 identity, 0 merged.
		{"name-only identity", []Person{
			ids.Resolve("Gary\u00a0Gregory", "", ""),
		}, 0, nil},
	}
	for _, c := range cases {
		a := NewAliases()
		for _, p := range c.identities {
			a.Add(p)
		}
		if got := a.Merged(); got != c.merged {
			t.Errorf("%s: Merged() = %d, want %d", c.name, got, c.merged)
		}
		for i, p := range c.identities {
			k := a.Key(p)
			if !a.keys[k] {
				t.Errorf("%s: Key(%q) = %q is not an identity added", c.name, p.Key, k)
			}
			for j, q := range c.identities {
				if i >= j || p.Key == q.Key {
					continue
				}
				want := false
				for _, s := range c.same {
					if s == [2]int{i, j} {
						want = true
					}
				}
				if got := k == a.Key(q); got != want {
					t.Errorf("%s: %q and %q one person = %v, want %v", c.name, p.Key, q.Key, got, want)
				}
			}
		}
	}
}

// Issue 22: Alice signs "Alice Smith" from her company address and from
// her account's no-reply address; Bob's account once signs a commit
// "Alice Smith" too (a wrong git config). Before, the name had two logins
// and merged nothing: Alice counted twice. Now:
//
//	"alice smith": @alicesmith 2 commits, @bob 1, alice@corp.example 3
//	@alicesmith: "alice smith" is its most-used name (2 of 2), and 2 > 1,
//	  the other logins' commits under it: it owns the name;
//	alice@corp.example: "alice smith" 3 of 3, its most-used name: joins;
//	@bob: "bob jones" 4, "alice smith" 1: apart (a login never joins
//	  another login);
//	bob@corp.example: "alice smith" 1, "bob jones" 4: not its most-used
//	  name, so not Alice's; "bob jones" (one login, @bob) joins it to Bob.
//
// People: Alice (@alicesmith + alice@corp) and Bob (@bob + bob@corp);
// merged: 2 identities (alice@corp, bob@corp).
func TestAliasesOwnLoginDespiteAnotherAccount(t *testing.T) {
	ids := NewIdentities(nil, nil)
	corp := ids.Resolve("Alice Smith", "alice@corp.example", "")
	own := ids.Resolve("Alice Smith", "123+alicesmith@users.noreply.github.com", "")
	bobAsAlice := ids.Resolve("Alice Smith", "456+bob@users.noreply.github.com", "")
	bob := ids.Resolve("Bob Jones", "456+bob@users.noreply.github.com", "")
	bobCorpAsAlice := ids.Resolve("Alice Smith", "bob@corp.example", "")
	bobCorp := ids.Resolve("Bob Jones", "bob@corp.example", "")
	commits := []Person{corp, corp, corp, own, own, bobAsAlice, bob, bob, bob, bob,
		bobCorpAsAlice, bobCorp, bobCorp, bobCorp, bobCorp}
	for _, order := range []string{"forward", "backward"} {
		a := NewAliases()
		for i := range commits {
			p := commits[i]
			if order == "backward" {
				p = commits[len(commits)-1-i]
			}
			a.Add(p)
		}
		for p, want := range map[Person]string{corp: "@alicesmith", own: "@alicesmith", bob: "@bob", bobCorp: "@bob"} {
			if got := a.Key(p); got != want {
				t.Errorf("%s: Key(%s %s) = %q, want %q", order, p.Name, p.Key, got, want)
			}
		}
		if got := a.Merged(); got != 2 {
			t.Errorf("%s: Merged() = %d, want 2", order, got)
		}
		// Alice: 3 + 2 = 5 commits; Bob: 1 + 4 + 1 + 4 = 10, listed first.
		want := `2 identities merged with another of the same full name, as git shortlog groups them (` +
			`Bob Jones: @bob + …@corp.example; ` +
			`Alice Smith: @alicesmith + …@corp.example, through login @alicesmith; "Alice Smith" also signed by @bob, counted apart)`
		if got := a.Evidence(3); got != want {
			t.Errorf("%s: Evidence =\n%s\nwant\n%s", order, got, want)
		}
		// At most one person named: Bob's 10 commits before Alice's 5.
		want = "2 identities merged with another of the same full name, as git shortlog groups them (" +
			"Bob Jones: @bob + …@corp.example; and 1 more)"
		if got := a.Evidence(1); got != want {
			t.Errorf("%s: Evidence(1) = %q, want %q", order, got, want)
		}
	}
}

// The rule's edges, each worked by hand:
func TestAliasesNameOwner(t *testing.T) {
	ids := NewIdentities(nil, nil)
	corp := ids.Resolve("Alice Smith", "alice@corp.example", "")
	own := ids.Resolve("Alice Smith", "123+alicesmith@users.noreply.github.com", "")
	handle := ids.Resolve("asmith-dev", "123+alicesmith@users.noreply.github.com", "")
	bobAsAlice := ids.Resolve("Alice Smith", "456+bob@users.noreply.github.com", "")
	cases := []struct {
		name    string
		commits []Person
		joined  bool   // corp counted as @alicesmith
		ev      string // Evidence(3)
	}{
		// Bob's account has no other commit: "Alice Smith" is its most-used
		// name too, but @alicesmith signs it 2 times, more than @bob's 1.
		{"the other account's only commit", []Person{corp, own, own, bobAsAlice}, true,
			`1 identity merged with another of the same full name, as git shortlog groups them (Alice Smith: @alicesmith + …@corp.example, through login @alicesmith; "Alice Smith" also signed by @bob, counted apart)`},
		// One commit each: 1 is not more than 1, nobody owns the name.
		{"a tie between the accounts", []Person{corp, own, bobAsAlice}, false,
			`"Alice Smith" is signed by @alicesmith, @bob and none owns it (its most-used name, more commits than the others), so it merged nothing`},
		// @alicesmith signs "asmith-dev" 3 times, "Alice Smith" 2: not its
		// most-used name, so no login owns it.
		{"not the owner's most-used name", []Person{corp, own, own, handle, handle, handle, bobAsAlice}, false,
			`"Alice Smith" is signed by @alicesmith, @bob and none owns it (its most-used name, more commits than the others), so it merged nothing`},
		// No other account: one login, merged as before (git shortlog).
		{"one account", []Person{corp, own}, true,
			`1 identity merged with another of the same full name, as git shortlog groups them (Alice Smith: @alicesmith + …@corp.example)`},
	}
	for _, c := range cases {
		a := NewAliases()
		for _, p := range c.commits {
			a.Add(p)
		}
		if got := a.Key(corp) == "@alicesmith"; got != c.joined {
			t.Errorf("%s: corp joined @alicesmith = %v, want %v", c.name, got, c.joined)
		}
		if a.Key(bobAsAlice) != "@bob" {
			t.Errorf("%s: @bob counted as %q", c.name, a.Key(bobAsAlice))
		}
		if got := a.Evidence(3); got != c.ev {
			t.Errorf("%s: Evidence =\n%s\nwant\n%s", c.name, got, c.ev)
		}
	}
	if got := NewAliases().Evidence(3); got != "" {
		t.Errorf("no identities: Evidence = %q, want empty", got)
	}
}
