package gitlocal

import (
	"context"
	"strings"
	"testing"
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
	if *o.Value != 4 || !strings.Contains(o.Evidence, "4 changes of the declared licence (7 edits to root licence files)") {
		t.Errorf("license_changes_36m = %v (%q), want 4 in 7 edits", *o.Value, o.Evidence)
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
	// All four are inside the 365 days before 2026-06-01.
	if r := metric(t, obs, MetricRelicensed12m); *r.Value != 4 {
		t.Errorf("relicensed_12m = %v, want 4", *r.Value)
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
