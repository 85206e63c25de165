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
