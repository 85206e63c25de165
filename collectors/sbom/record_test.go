package sbom

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// A failed re-import keeps the previous snapshot as the last one read and
// marks the system stale; reading the file again clears the mark, even
// when it is the very file of the previous snapshot (same digest).
func TestFailedReimportMarksStale(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	dir := t.TempDir()
	path := write(t, dir, "payments.cdx.json", paymentsCDX)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	run := func() error {
		c := New(Options{Systems: []System{{Name: "payments", Path: path, Use: "distributed"}}, Store: st, Now: func() time.Time { return now }})
		return c.Import(ctx)
	}
	if err := run(); err != nil {
		t.Fatal(err)
	}
	if f, err := st.FailedImports(ctx); err != nil || len(f) != 0 {
		t.Fatalf("failed after a good import: %v %v", f, err)
	}
	// The new file is cut off mid-way: refused, nothing of it stored.
	if err := os.WriteFile(path, []byte(paymentsCDX[:200]), 0o644); err != nil {
		t.Fatal(err)
	}
	now = now.Add(24 * time.Hour)
	err := run()
	if err == nil || !strings.Contains(err.Error(), "payments.cdx.json") {
		t.Fatalf("broken file: %v", err)
	}
	failed, ferr := st.FailedImports(ctx)
	f, ok := failed["payments"]
	if ferr != nil || !ok || !f.FailedAt.Equal(now) || !strings.Contains(f.Error, "payments.cdx.json") {
		t.Fatalf("failure not kept: %+v %v", failed, ferr)
	}
	snaps, _ := st.CurrentSnapshots(ctx)
	if len(snaps) != 1 || snaps[0].Components != 4 {
		t.Fatalf("previous snapshot must stay the last read: %+v", snaps)
	}
	// The good file again, byte for byte: its digest equals the stored
	// snapshot's, but the system was stale, so it is stored again.
	if err := os.WriteFile(path, []byte(paymentsCDX), 0o644); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	c := New(Options{Systems: []System{{Name: "payments", Path: path, Use: "distributed"}}, Store: st, Now: func() time.Time { return now }})
	if err := c.Import(ctx); err != nil || c.Stats.Imported != 1 || c.Stats.Unchanged != 0 {
		t.Fatalf("re-import: %v %+v", err, c.Stats)
	}
	if f, err := st.FailedImports(ctx); err != nil || len(f) != 0 {
		t.Fatalf("still stale: %+v %v", f, err)
	}
	// And once more: now unchanged.
	c = New(Options{Systems: []System{{Name: "payments", Path: path, Use: "distributed"}}, Store: st, Now: func() time.Time { return now }})
	if err := c.Import(ctx); err != nil || c.Stats.Unchanged != 1 {
		t.Fatalf("unchanged: %v %+v", err, c.Stats)
	}
}

// A component that one SBOM leaves without a licence is judged by the
// licence another SBOM declares, and says so.
func TestBorrowedLicenceSaysWhere(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	dir := t.TempDir()
	withLic := write(t, dir, "a.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
	  "components":[{"type":"library","name":"fastjson","version":"1.2.24","purl":"pkg:maven/com.alibaba/fastjson@1.2.24","licenses":[{"license":{"id":"Apache-2.0"}}]}]}`)
	without := write(t, dir, "b.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
	  "components":[{"type":"library","name":"fastjson","version":"1.2.24","purl":"pkg:maven/com.alibaba/fastjson@1.2.24"}]}`)
	c := New(Options{Systems: []System{{Name: "payments", Path: withLic, Use: "internal"}, {Name: "teller", Path: without, Use: "internal"}}, Store: st})
	if err := c.Import(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil || len(rows) != 2 {
		t.Fatalf("%+v %v", rows, err)
	}
	j := NewJudger(nil, "")
	for _, r := range rows {
		u := j.Judge(r)
		switch r.System {
		case "payments":
			if r.BorrowedFrom() != "" || len(u.Notes) != 0 {
				t.Errorf("payments declares its own: %q %v", r.BorrowedFrom(), u.Notes)
			}
		case "teller":
			if r.BorrowedFrom() != "payments" || r.DeclaredLicence() != "Apache-2.0" || len(u.Notes) != 1 ||
				!strings.Contains(u.Notes[0], "teller's SBOM declares no licence for it; the licence payments's SBOM declares is used") {
				t.Errorf("teller: from %q, %v", r.BorrowedFrom(), u.Notes)
			}
		}
	}
	_ = store.ImportFailure{}
}

// Test and build dependencies are not shipped: a GPL test framework in a
// distributed proprietary product is judged as internal use (nothing
// conveyed), while the same licence at runtime is a conflict; the
// system's own modules are not judged at all.
func TestScopesJudgedByWhatIsShipped(t *testing.T) {
	j := NewJudger(nil, "")
	row := func(scope string) store.InventoryRow {
		return store.InventoryRow{System: "mobile", Use: "distributed", Scope: scope, RefLicense: "GPL-2.0-only",
			InvComponent: store.InvComponent{Key: "pkg:maven/x/y@1", Name: "y"}}
	}
	// GPL-2.0-only distributed in a proprietary app (the default licence):
	// the work as a whole must be GPL (GPL-2.0 §2(b)) → incompatible.
	if u := j.Judge(row("")); u.Compat != "incompatible" || u.SystemLicence != "proprietary" || u.SystemLicenceSource != "default" {
		t.Errorf("runtime: %s %s/%s", u.Compat, u.SystemLicence, u.SystemLicenceSource)
	}
	for _, scope := range []string{ScopeTest, ScopeBuild, ScopeDev, ScopeProvided, ScopeExcluded} {
		u := j.Judge(row(scope))
		if u.Compat != "directly-compatible" || len(u.Notes) != 1 || !strings.Contains(u.Notes[0], "judged as internal use") {
			t.Errorf("%s: %s %v", scope, u.Compat, u.Notes)
		}
	}
	if u := j.Judge(row(ScopeOwn)); u.Compat != "" || u.Decision != "allowed" || !strings.Contains(u.CompatWhy, "own module") {
		t.Errorf("own: %+v", u)
	}
}

// A relaxation (an AGPL-3.0 option added beside SSPL, as Redis 8 and
// others did) is recorded, not counted as relicensing.
func TestRelaxationIsNotRelicensing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	dir := t.TempDir()
	doc := func(version, lic string) string {
		return `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"kv","version":"` + version +
			`","purl":"pkg:generic/kv@` + version + `","licenses":[{"expression":"` + lic + `"}],"externalReferences":[{"type":"vcs","url":"https://github.com/example/kv"}]}]}`
	}
	path := write(t, dir, "app.json", doc("7.4", "SSPL-1.0"))
	t1 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	proj := collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: "github.com/example/kv"}}
	for i, step := range []struct {
		at  time.Time
		doc string
	}{{t1, doc("7.4", "SSPL-1.0")}, {t1.AddDate(0, 2, 0), doc("8.0", "SSPL-1.0 OR AGPL-3.0-only")}} {
		os.WriteFile(path, []byte(step.doc), 0o644)
		c := New(Options{Systems: []System{{Name: "cache", Path: path, Use: "distributed"}}, Store: st, Now: func() time.Time { return step.at }})
		got, errs := collectAll(t, c, proj)
		o := got[proj.Subject.ID]["license.relicensed_12m"]
		if len(errs) > 0 || o.Value == nil || *o.Value != 0 {
			t.Fatalf("step %d: %+v %v", i, o, errs)
		}
		// SSPL-1.0 (source-available) → SSPL OR AGPL (best branch network
		// copyleft): a relaxation, named in the evidence.
		if i == 1 && !strings.Contains(o.Evidence, "not counted (relaxations or changes within a class): SSPL-1.0 → SSPL-1.0 OR AGPL-3.0-only (SBOM of cache: kv 7.4 → 8.0, 2026-05-01; relaxation)") {
			t.Errorf("evidence: %s", o.Evidence)
		}
	}
	_ = ctx
}

// Review findings: a component that lists itself among its dependencies
// is still a root of the graph; a Maven choice with an unknown
// alternative is judged by the known one.
func TestSelfDependencyAndUnknownAlternative(t *testing.T) {
	doc, err := Parse("g.json", []byte(`{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[
	  {"bom-ref":"a","name":"a","version":"1","purl":"pkg:maven/x.a/a@1","licenses":[{"license":{"id":"Apache-2.0"}},{"license":{"name":"Acme Custom Licence"}}]},
	  {"bom-ref":"b","name":"b","version":"1","purl":"pkg:maven/x.b/b@1"},
	  {"bom-ref":"c","name":"c","version":"1","purl":"pkg:maven/x.c/c@1"}],
	  "dependencies":[{"ref":"a","dependsOn":["a","b"]},{"ref":"b","dependsOn":["c"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rel := map[string]string{}
	var a Component
	for _, c := range doc.Components {
		rel[c.Name] = c.Relation
		if c.Name == "a" {
			a = c
		}
	}
	// No root is named: the roots are the components nothing else depends
	// on. a's only incoming edge is its own, so a is the root, read as used
	// directly; b (a's dependency) and c (b's) are transitive.
	if rel["a"] != Direct || rel["b"] != Transitive || rel["c"] != Transitive {
		t.Errorf("relations %v", rel)
	}
	j := NewJudger(nil, "")
	u := j.Judge(store.InventoryRow{System: "app", Use: "distributed", RefLicense: a.License, LicenseNote: a.LicenseNote,
		InvComponent: store.InvComponent{Key: a.Key, Name: "a"}})
	// Apache-2.0 OR (unrecognised): the licensee may choose Apache-2.0 →
	// directly compatible in a proprietary product, with its notices.
	if u.Compat != "directly-compatible" || !strings.Contains(strings.Join(u.Notes, " "), "alternative 'Acme Custom Licence' not recognised") {
		t.Errorf("a: %s %v", u.Compat, u.Notes)
	}
}

// A system whose config leaves use out (config: use internal, UseUnstated)
// is judged for compatibility as distributed — GPL in a mobile app the
// config forgot to describe is still a conflict — and says so; the
// policy keeps its documented default, internal.
func TestUnstatedUseJudgedAsDistributed(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	path := write(t, t.TempDir(), "app.json", `{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,
	  "components":[{"type":"library","name":"readline","version":"8.2","purl":"pkg:generic/readline@8.2","licenses":[{"license":{"id":"GPL-3.0-only"}}]}]}`)
	c := New(Options{Systems: []System{{Name: "mobile", Path: path, Use: "internal", UseUnstated: true}}, Store: st})
	if err := c.Import(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil || len(rows) != 1 || rows[0].Use != "" {
		t.Fatalf("%+v %v", rows, err)
	}
	u := NewJudger(nil, "").Judge(rows[0])
	// GPL-3.0-only distributed in the default proprietary licence: §5(c) → incompatible;
	// the default policy for internal use allows strong copyleft.
	if u.Compat != "incompatible" || u.Decision != "allowed" || !strings.Contains(strings.Join(u.Notes, " "), "mobile states no use") {
		t.Errorf("%s %s %v", u.Compat, u.Decision, u.Notes)
	}
}
