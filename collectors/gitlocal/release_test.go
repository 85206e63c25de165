package gitlocal

import (
	"context"
	"strings"
	"testing"
)

// busl is the Business Source License 1.1 as projects ship it: the
// parameters block, then MariaDB's terms (abridged to their opening and
// the clauses that name the Change Date and the Change License).
const busl = `License text copyright (c) 2020 MariaDB Corporation Ab, All Rights Reserved.
"Business Source License" is a trademark of MariaDB Corporation Ab.

Parameters

Licensor:             Example Corp.
Licensed Work:        Widget 2.0. The Licensed Work is (c) 2026 Example Corp.
Additional Use Grant: You may make production use of the Licensed Work, provided
                      Your use does not include offering the Licensed Work to third
                      parties on a hosted or embedded basis.
Change Date:          Four years from the date the Licensed Work is published.
Change License:       MPL 2.0

Terms

The Licensor hereby grants you the right to copy, modify, create derivative
works, redistribute, and make non-production use of the Licensed Work. The
Licensor may make an Additional Use Grant, above, permitting limited
production use.

Effective on the Change Date, or the fourth anniversary of the first publicly
available distribution of a specific version of the Licensed Work under this
License, whichever comes first, the Licensor hereby grants you rights under
the terms of the Change License, and the rights granted in the paragraph
above terminate.

If your use of the Licensed Work does not comply with the requirements
currently in effect as described in this License, you must purchase a
commercial license from the Licensor, its affiliated entities, or authorized
resellers, or you must refrain from using the Licensed Work.

Business Source License 1.1
`

// A project that switches LICENSE from the Apache-2.0 text to BUSL-1.1 (as
// HashiCorp's did in 2023) is relicensed to a source-available licence; a
// switch between open licences is not.
func TestRelicensedSourceAvailable(t *testing.T) {
	apache, mit := testLicence(t, "Apache-2.0"), testLicence(t, "MIT")
	f := newFixture(t, "widget")
	f.at(alice, date(2022, 1, 1, 0), func() { f.write("LICENSE", mit) })    // before 36 months
	f.at(alice, date(2023, 9, 1, 0), func() { f.write("LICENSE", apache) }) // MIT → Apache-2.0: open to open
	f.at(bob, date(2024, 8, 1, 0), nil)
	switched := f.at(carol, date(2024, 8, 10, 12), func() { f.write("LICENSE", busl) })
	f.at(bob, date(2026, 1, 1, 0), nil)
	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// 36 months back from 2026-06-01 is 2023-06-01: both changes are
	// inside (2023-09-01 MIT → Apache-2.0, 2024-08-10 Apache-2.0 → BUSL-1.1);
	// only the second is to a source-available licence → 1, and only the
	// second is more restrictive (MIT → Apache-2.0 stays permissive) → 1.
	// Neither is inside 12 months (since 2025-06-01) → relicensed_12m 0.
	for metric, want := range map[string]float64{
		MetricRelicensedSourceAvailable36m: 1, MetricLicenseChanges36m: 1, MetricRelicensed12m: 0,
	} {
		if o := m[metric]; o.Value == nil || *o.Value != want {
			t.Errorf("%s = %v, want %v (%s)", metric, deref(o.Value), want, o.Evidence)
		}
	}
	ev := m[MetricRelicensedSourceAvailable36m].Evidence
	want := "Apache-2.0 → BUSL-1.1 in " + switched.String()[:7] + " 2024-08-10 (source-available: BUSL-1.1)"
	if !strings.Contains(ev, want) || strings.Contains(ev, "MIT →") {
		t.Errorf("evidence %q: want %q and not the MIT change", ev, want)
	}
}

// The other source-available texts the licence scanner does not know are
// recognised by their wording; open licences and unknown texts are not.
func TestSourceAvailableText(t *testing.T) {
	for text, want := range map[string]string{
		busl: "BUSL-1.1",
		"Elastic License 2.0\n\nURL: https://www.elastic.co/licensing/elastic-license\n\nLimitations\n\nYou may not provide the software to third parties as a hosted or\nmanaged service": "Elastic-2.0",
		"CONFLUENT COMMUNITY LICENSE AGREEMENT\nVersion 1.0":                                                 "Confluent-Community-1.0",
		"# Functional Source License, Version 1.1, MIT Future License":                                       "FSL-1.1-MIT",
		"Functional Source License, Version 1.1, Apache 2.0 Future License\n... Apache License, Version 2.0": "FSL-1.1-ALv2",
		"# PolyForm Shield License 1.0.0\n\n<https://polyformproject.org/licenses/shield/1.0.0>":             "PolyForm-Shield-1.0.0",
		"We considered the Business Source License but chose Apache.":                                        "", // no Change Date / Change License
		"Copyright Example Corp. All rights reserved.":                                                       "",
	} {
		if got := sourceAvailableText([]byte(text)); got != want {
			t.Errorf("sourceAvailableText(%.40q) = %q, want %q", text, got, want)
		}
	}
	// A change adding the Commons Clause to Apache-2.0 brings a
	// source-available term; leaving BUSL for MPL does not.
	for _, c := range []struct {
		before, after string
		want          string
	}{
		{"Apache-2.0", "Apache-2.0 AND LicenseRef-Commons-Clause", "LicenseRef-Commons-Clause"},
		{"BUSL-1.1", "MPL-2.0", ""},
		{"SSPL-1.0", "Elastic-2.0 OR SSPL-1.0", "Elastic-2.0"},
		{"MIT", "unrecognised", ""},
	} {
		got := strings.Join(licenceEvent{before: c.before, after: c.after}.toSourceAvailable(), ",")
		if got != c.want {
			t.Errorf("%s → %s: source-available %q, want %q", c.before, c.after, got, c.want)
		}
	}
}

// A project without a release tag has gone unreleased since its first
// commit: months_since_last_release counts from there, also when that
// commit lies beyond the 36-month walk, and pre-release tags do not count.
func TestMonthsSinceReleaseNeverReleased(t *testing.T) {
	f := newFixture(t, "unreleased")
	first := f.at(eve, date(2021, 3, 1, 0), func() { f.write("README.md", "x\n") }) // beyond 36 months
	f.at(alice, date(2024, 1, 1, 0), nil)
	rc := f.at(alice, date(2026, 5, 1, 0), nil)
	for _, name := range []string{"v1.0.0-rc.1", "v1.0.0-beta2"} {
		if _, err := f.repo.CreateTag(name, rc, nil); err != nil {
			t.Fatal(err)
		}
	}
	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), f.target())
	if err != nil {
		t.Fatal(err)
	}
	m := byMetric(t, obs)
	// 2021-03-01 → 2026-03-01 = 5 × 365 + 1 (29 Feb 2024) = 1826 days,
	// + March 31 + April 30 + May 31 = 92 → 1918 days; ÷ 30.4375 = 63.01…
	o := m[MetricMonthsSinceRelease]
	if o.Value == nil || !near(*o.Value, 1918/30.4375) {
		t.Errorf("months_since_last_release = %v, want 1918/30.4375 (%s)", deref(o.Value), o.Evidence)
	}
	want := "no release since the first commit on 2021-03-01, only 2 pre-release tags (" + first.String()[:7]
	if !strings.HasPrefix(o.Evidence, want) {
		t.Errorf("evidence %q, want prefix %q", o.Evidence, want)
	}
	// Both tags are pre-releases dated 2026-05-01 → tags_12m 0.
	if o := m[MetricTags12m]; o.Value == nil || *o.Value != 0 || !strings.Contains(o.Evidence, "2 pre-release tags left out (2 of them dated since 2025-06-01)") {
		t.Errorf("tags_12m = %v (%s), want 0 with 2 pre-releases left out", deref(o.Value), o.Evidence)
	}

	// Without any tag the evidence says so in the brief's words.
	g := newFixture(t, "untagged")
	g.at(alice, date(2026, 5, 1, 0), nil) // 31 days before 2026-06-01
	obs, _, err = (&Collector{Now: fixed}).Collect(context.Background(), g.target())
	if err != nil {
		t.Fatal(err)
	}
	o = byMetric(t, obs)[MetricMonthsSinceRelease]
	if o.Value == nil || !near(*o.Value, 31/30.4375) || !strings.HasPrefix(o.Evidence, "no release or tag since the first commit on 2026-05-01") {
		t.Errorf("untagged: months_since_last_release = %v (%s), want 31/30.4375", deref(o.Value), o.Evidence)
	}
}
