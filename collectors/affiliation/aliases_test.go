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
