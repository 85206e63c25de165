package gitlocal

import (
	"context"
	"fmt"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// Licence changes are changes of the declared licence: one history with
// every kind of edit, each commit a month apart in 2026.
//
//	Jan  README only (no licence)
//	Feb  adds LICENSE (MIT, copyright 2025)      first licence: not a change
//	Mar  copyright year 2025 → 2026              edit, not a change
//	Apr  adds LICENSE-APACHE beside it           MIT → Apache-2.0 OR MIT: change 1
//	May  removes LICENSE-APACHE                  Apache-2.0 OR MIT → MIT: change 2
//	Jun  LICENSE replaced by a proprietary text  MIT → unrecognised: change 3
//	Jul  the proprietary text reworded           unrecognised → unrecognised: not a change
//	Aug  LICENSE removed                         unrecognised → none: change 4
func TestLicenceHistory(t *testing.T) {
	mit, apache := testLicence(t, "MIT"), testLicence(t, "Apache-2.0")
	mit2025 := strings.Replace(mit, "2026", "2025", 1)
	f := newFixture(t, "licences")
	f.at(alice, date(2026, 1, 1, 0), func() { f.write("README.md", "x\n") })
	f.at(alice, date(2026, 2, 1, 0), func() { f.write("LICENSE", mit2025) })
	f.at(alice, date(2026, 3, 1, 0), func() { f.write("LICENSE", mit) })
	c4 := f.at(alice, date(2026, 4, 1, 0), func() { f.write("LICENSE-APACHE", apache) })
	c5 := f.at(alice, date(2026, 5, 1, 0), func() { f.remove("LICENSE-APACHE") })
	c6 := f.at(alice, date(2026, 5, 2, 0), func() {
		f.write("LICENSE", "Copyright Example Corp. All rights reserved. Not for use without a signed agreement.\n")
	})
	f.at(alice, date(2026, 5, 3, 0), func() {
		f.write("LICENSE", "Copyright Example Corp. All rights reserved. No use without a written agreement.\n")
	})
	c8 := f.at(alice, date(2026, 5, 4, 0), func() { f.remove("LICENSE") })

	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	o := metric(t, obs, MetricLicenseChanges36m)
	// Licence files differ from the parent in Feb, Mar, Apr, May 1, May 2,
	// May 3 and May 4 → 7 edits; 4 of them change the declared licence.
	// MIT → Apache-2.0 OR MIT and back stay permissive (same class); MIT →
	// unrecognised and unrecognised → none cannot be shown to be
	// relaxations → 2 to a more restrictive licence.
	if *o.Value != 2 || !strings.Contains(o.Evidence, "2 changes to a more restrictive licence (4 changes of the declared licence in all, 7 edits to root licence files)") {
		t.Errorf("license_changes_36m = %v (%q), want 2 of 4, in 7 edits", *o.Value, o.Evidence)
	}
	for _, want := range []string{
		"MIT → Apache-2.0 OR MIT in " + short(c4),
		"Apache-2.0 OR MIT → MIT in " + short(c5),
		"MIT → unrecognised in " + short(c6),
		"unrecognised → none in " + short(c8),
	} {
		if !strings.Contains(o.Evidence, want) {
			t.Errorf("evidence %q lacks %q", o.Evidence, want)
		}
	}
	// All four are inside the 365 days before 2026-06-01; 2 count.
	if r := metric(t, obs, MetricRelicensed12m); *r.Value != 2 {
		t.Errorf("relicensed_12m = %v, want 2", *r.Value)
	}
}

func TestIsLicenceChange(t *testing.T) {
	for _, c := range []struct {
		before, after string
		want          bool
	}{
		{"MIT", "MIT", false},
		{licenceNone, "MIT", false}, // first licence
		{"MIT", licenceNone, true},
		{"Apache-2.0", "BUSL-1.1", true},
		{"Apache-2.0", licenceUnrecognised, true},
		{licenceUnrecognised, licenceUnrecognised, false},
		{licenceUnrecognised, "MIT", true},
	} {
		if got := isLicenceChange(c.before, c.after); got != c.want {
			t.Errorf("%s → %s: %v, want %v", c.before, c.after, got, c.want)
		}
	}
}

// commitsOf lists the commits reachable from tip as scan records them
// (newest committer date first), for calling licenceHistory directly.
func commitsOf(t *testing.T, repo *git.Repository, tip plumbing.Hash) []commitRec {
	t.Helper()
	var out []commitRec
	err := walk(context.Background(), repo, tip, nil, func(c *object.Commit) bool {
		out = append(out, commitRec{hash: c.Hash, tree: c.TreeHash, parents: c.ParentHashes, authored: c.Author.When, committed: c.Committer.When})
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// eventList renders events as "before → after @ commit index" for comparing.
func eventList(events []licenceEvent, index map[plumbing.Hash]int) string {
	var parts []string
	for _, e := range events {
		parts = append(parts, fmt.Sprintf("%s → %s @%d", e.before, e.after, index[e.hash]))
	}
	return strings.Join(parts, "; ")
}

// licenceHistory on linear histories: each case is a series of root trees
// (file name → content) committed a day apart from 2026-01-01, and the
// events (with the index of the commit that makes them) and edits expected.
func TestLicenceHistoryCases(t *testing.T) {
	apache, mit, cc := testLicence(t, "Apache-2.0"), testLicence(t, "MIT"), testLicence(t, "CommonsClause")
	mit2025 := strings.Replace(mit, "2026", "2025", 1)
	attributed := apache + "\nThis product bundles X, which is available under a MIT license.\n"
	proprietary := "Copyright Example Corp. All rights reserved. Not for use without a signed agreement.\n"
	type files = map[string]string
	cases := []struct {
		name   string
		trees  []files
		events string
		edits  int
	}{
		// (a) The Apache project that appended one attribution line: an
		// edit of LICENSE, the licence unchanged.
		{"attribution line", []files{{"LICENSE": apache}, {"LICENSE": attributed}}, "", 1},
		// A full third-party licence appended: still the project's Apache-2.0.
		{"appended MIT text", []files{{"LICENSE": apache}, {"LICENSE": apache + "\n\nThis product bundles X:\n\n" + mit}}, "", 1},
		// (b) LICENSE replaced by the MIT text.
		{"Apache to MIT", []files{{"LICENSE": apache}, {"LICENSE": mit}}, "Apache-2.0 → MIT @1", 1},
		// (c) A new copyright year.
		{"copyright year", []files{{"LICENSE": mit2025}, {"LICENSE": mit}}, "", 1},
		// (d) The licence files removed.
		{"removed", []files{{"LICENSE": mit}, {"README": "x"}}, "MIT → none @1", 1},
		// (e) The first licence of a project that had none: licensing, not relicensing.
		{"first licence", []files{{"README": "x"}, {"README": "x", "LICENSE": mit}}, "", 1},
		// A rename keeps the licence.
		{"rename", []files{{"LICENSE": mit}, {"LICENSE.md": mit}}, "", 1},
		// A second licence file with another licence: the set changes.
		{"licence added beside", []files{{"LICENSE": mit}, {"LICENSE": mit, "LICENSE-APACHE": apache}}, "MIT → Apache-2.0 OR MIT @1", 1},
		// An unrecognised commercial licence beside the open one, then its
		// wording edited (unrecognised stays unrecognised: no change).
		{"commercial beside", []files{{"LICENSE": mit}, {"LICENSE": mit, "LICENSE-COMMERCIAL": proprietary},
			{"LICENSE": mit, "LICENSE-COMMERCIAL": proprietary + "Contact sales.\n"}}, "MIT → MIT OR unrecognised @1", 2},
		// A proprietary text replaces the open licence, is reworded, then
		// an open licence returns.
		{"proprietary", []files{{"LICENSE": apache}, {"LICENSE": proprietary}, {"LICENSE": proprietary + "Really.\n"}, {"LICENSE": apache}},
			"Apache-2.0 → unrecognised @1; unrecognised → Apache-2.0 @3", 3},
		// The Commons Clause put in front of the Apache text: no longer
		// open source.
		{"commons clause", []files{{"LICENSE": apache}, {"LICENSE": cc + "\n" + apache}}, "Apache-2.0 → Apache-2.0 AND LicenseRef-Commons-Clause @1", 1},
		// Lists of bundled code's licences and tool configuration are not
		// the project's licence, and editing them is no licence edit.
		{"third-party list", []files{{"LICENSE": apache}, {"LICENSE": apache, "LICENSE-3rdparty.csv": "Component,License\nfoo,MIT\n"},
			{"LICENSE": apache, "LICENSE-3rdparty.csv": "Component,License\nfoo,MIT\nbar,GPL-3.0\n", "LICENSE-THIRD-PARTY": mit, "license-checker-config.json": "{}"}}, "", 0},
		// Commits that touch no licence file.
		{"untouched", []files{{"LICENSE": mit, "a": "1"}, {"LICENSE": mit, "a": "2"}}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, "history")
			var tip plumbing.Hash
			index := map[plumbing.Hash]int{}
			for i, tree := range c.trees {
				blobs := map[string]plumbing.Hash{}
				for name, content := range tree {
					blobs[name] = writeBlob(t, f.repo, content)
				}
				var parents []plumbing.Hash
				if i > 0 {
					parents = append(parents, tip)
				}
				tip = writeCommit(t, f.repo, writeTree(t, f.repo, blobs), alice, date(2026, 1, 1+i, 0), parents...)
				index[tip] = i
			}
			events, edits, err := licenceHistory(context.Background(), f.repo, commitsOf(t, f.repo, tip), date(2025, 1, 1, 0))
			if err != nil {
				t.Fatal(err)
			}
			if got := eventList(events, index); got != c.events || edits != c.edits {
				t.Errorf("events %q, %d edits; want %q, %d edits", got, edits, c.events, c.edits)
			}
		})
	}
}

// (f) A licence change made on a branch and merged counts once, at the
// branch commit: the merge equals the branch's licence. A merge that brings
// a licence neither parent had counts at the merge. Changes before the
// cutoff (2025-01-01) do not count. Events come oldest first although the
// walk lists the newest first.
//
//	c0 Apache (2024) ─ c1 MIT (2024) ─ c2 Apache ─┬─ main (a=2) ─────────┬─ m1: MIT, from branch
//	                                              └─ branch: MIT ────────┘
//	m1 ─┬─ c5 (a=3) ──────────────────┬─ m2: MIT + LICENSE-APACHE, from c6
//	    └─ c6: adds LICENSE-APACHE ───┘
//	m2 ─┬─ c8: drops LICENSE-APACHE ──┬─ m3: LICENSE replaced by the Apache text (an evil merge)
//	    └─ c9: drops LICENSE-APACHE ──┘
func TestLicenceHistoryMerges(t *testing.T) {
	apache, mit := testLicence(t, "Apache-2.0"), testLicence(t, "MIT")
	f := newFixture(t, "merges")
	r := f.repo
	ap, mi, a1, a2, a3 := writeBlob(t, r, apache), writeBlob(t, r, mit), writeBlob(t, r, "1\n"), writeBlob(t, r, "2\n"), writeBlob(t, r, "3\n")
	tree := func(files map[string]plumbing.Hash) plumbing.Hash { return writeTree(t, r, files) }
	c0 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": ap, "a": a1}), alice, date(2024, 1, 1, 0))
	c1 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "a": a1}), alice, date(2024, 2, 1, 0), c0)
	c2 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": ap, "a": a1}), alice, date(2026, 1, 1, 0), c1)
	main := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": ap, "a": a2}), alice, date(2026, 2, 1, 0), c2)
	branch := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "a": a1}), carol, date(2026, 3, 1, 0), c2)
	m1 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "a": a2}), alice, date(2026, 4, 1, 0), main, branch)
	c5 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "a": a3}), alice, date(2026, 5, 1, 0), m1)
	c6 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "LICENSE-APACHE": ap, "a": a2}), carol, date(2026, 5, 2, 0), m1)
	m2 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "LICENSE-APACHE": ap, "a": a3}), alice, date(2026, 6, 1, 0), c5, c6)
	c8 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "a": a3}), alice, date(2026, 6, 2, 0), m2)
	c9 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": mi, "a": a1}), carol, date(2026, 6, 3, 0), m2)
	m3 := writeCommit(t, r, tree(map[string]plumbing.Hash{"LICENSE": ap, "a": a1}), alice, date(2026, 6, 4, 0), c8, c9)

	index := map[plumbing.Hash]int{c0: 0, c1: 1, c2: 2, main: 3, branch: 4, m1: 5, c5: 6, c6: 7, m2: 8, c8: 9, c9: 10, m3: 11}
	events, edits, err := licenceHistory(context.Background(), r, commitsOf(t, r, m3), date(2025, 1, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	// c2: MIT → Apache (after the cutoff; c1's change before it is not
	// counted); branch: Apache → MIT (m1 takes it: equal to branch, so not
	// again); c6: MIT → Apache-2.0 OR MIT (m2 takes it); c8 and c9 both
	// drop LICENSE-APACHE; m3 sets Apache, which neither parent had.
	want := "MIT → Apache-2.0 @2; Apache-2.0 → MIT @4; MIT → Apache-2.0 OR MIT @7; " +
		"Apache-2.0 OR MIT → MIT @9; Apache-2.0 OR MIT → MIT @10; MIT → Apache-2.0 @11"
	if got := eventList(events, index); got != want {
		t.Errorf("events\n%s\nwant\n%s", got, want)
	}
	// Licence bytes differ from every parent in c2, branch, c6, c8, c9 and
	// m3; m1 and m2 each equal one parent's licence files.
	if edits != 6 {
		t.Errorf("edits = %d, want 6", edits)
	}
}
