package store

import (
	"context"
	"testing"
	"time"
)

// SystemsRunning matches names and package URLs exactly, the same on
// every driver: case counts (SQLite's LIKE would ignore it, PostgreSQL's
// would not) and % and _ in a package URL are themselves, not wildcards.
// (It uses = and substr, no LIKE: no query in store uses LIKE.)
func TestSystemsRunningMatchesExactly(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		comps := []InvComponent{
			{Key: "pkg:npm/%40scope/a_b@1.0.0", Ecosystem: "npm", Namespace: "@scope", Name: "a_b", Version: "1.0.0"},
			{Key: "pkg:maven/org.x/FastJSON@1.2.24", Ecosystem: "maven", Namespace: "org.x", Name: "FastJSON", Version: "1.2.24"},
		}
		refs := []InvRef{{Key: comps[0].Key, Relation: "direct"}, {Key: comps[1].Key, Relation: "direct"}}
		if _, err := s.SaveSnapshot(ctx, Snapshot{System: "core", Path: "a.json", Format: "cyclonedx", SHA256: "x", ImportedAt: at}, comps, refs); err != nil {
			t.Fatal(err)
		}
		for q, want := range map[string]int{
			"pkg:npm/%40scope/a_b": 1, "pkg:npm/%40scope/aXb": 0, "pkg:npm/%40scope/a%b": 0, "pkg:npm/%": 0, "pkg:npm/_40scope/a_b": 0,
			"pkg:npm/%40SCOPE/a_b": 0, "@scope/a_b": 1, "@scope/a%": 0, "a_b": 1, "aXb": 0,
			"FastJSON": 1, "fastjson": 0, "org.x:FastJSON": 1, "org.x:fastjson": 0, "pkg:maven/org.x/fastjson": 0, "pkg:maven/org.x/FastJSON": 1,
		} {
			rows, err := s.SystemsRunning(ctx, q, "")
			if err != nil || len(rows) != want {
				t.Errorf("SystemsRunning(%q) = %d rows, %v; want %d", q, len(rows), err, want)
			}
		}
	})
}
