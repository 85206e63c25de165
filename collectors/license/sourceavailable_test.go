package license

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/licenses"
)

// A repository whose LICENSE is the Business Source License 1.1 as
// HashiCorp ships it (testdata/BUSL-1.1.txt: the parameters block —
// Licensor, Licensed Work, Additional Use Grant, Change Date, Change
// License — then MariaDB's terms and covenants, complete). licensecheck
// knows no BUSL text, so before the fallback the collector said "licence
// text not recognised" and class unknown, and the PHI gate
// G-SOURCE-AVAILABLE (license.class = source-available) never fired.
func TestCollectorBUSL(t *testing.T) {
	busl := testText(t, "BUSL-1.1")
	m := collect(t, map[string]string{"LICENSE": busl, "main.go": "package main"})
	if *m["license.found"].Value != 1 {
		t.Fatalf("found = %v", *m["license.found"].Value)
	}
	if got := m["license.spdx"].Text; got != "BUSL-1.1" {
		t.Errorf("license.spdx = %q (%s), want BUSL-1.1", got, m["license.spdx"].Reason)
	}
	if got := m["license.class"].Text; got != licenses.SourceAvailable {
		t.Errorf("license.class = %q, want source-available", got)
	}
	if ev := m["license.spdx"].Evidence; !strings.Contains(ev, "LICENSE: BUSL-1.1 (a source-available licence the scanner does not know, recognised by its wording)") {
		t.Errorf("evidence %q", ev)
	}
	// DetectText says how it knew, and the scanner itself matched nothing.
	d := DetectText([]byte(busl))
	if d.ID != "BUSL-1.1" || !d.ByWording || strings.Join(d.All, ",") != "BUSL-1.1" || len(d.Others) != 0 {
		t.Errorf("DetectText = %+v", d)
	}
	// Beside an MIT file (a dual-licence layout), the choice is listed and
	// classed by the strictest: source-available.
	two := collect(t, map[string]string{"LICENSE": busl, "LICENSE-MIT": mit})
	if two["license.spdx"].Text != "BUSL-1.1 OR MIT" || two["license.class"].Text != SourceAvailable {
		t.Errorf("spdx %q class %q", two["license.spdx"].Text, two["license.class"].Text)
	}
}

// The other source-available texts fall back the same way; an unknown
// proprietary text stays unrecognised.
func TestCollectorSourceAvailableWording(t *testing.T) {
	for text, want := range map[string]string{
		"Elastic License 2.0\n\nURL: https://www.elastic.co/licensing/elastic-license\n\n## Limitations\n\nYou may not provide the software to third parties as a hosted or\nmanaged service, where the service provides users with access to any\nsubstantial set of the features or functionality of the software.\n": "Elastic-2.0",
		"# PolyForm Noncommercial License 1.0.0\n\n<https://polyformproject.org/licenses/noncommercial/1.0.0>\n": "PolyForm-Noncommercial-1.0.0",
		"# Functional Source License, Version 1.1, MIT Future License\n":                                         "FSL-1.1-MIT",
	} {
		m := collect(t, map[string]string{"LICENSE": text})
		if m["license.spdx"].Text != want || m["license.class"].Text != SourceAvailable {
			t.Errorf("%s: spdx %q class %q", want, m["license.spdx"].Text, m["license.class"].Text)
		}
	}
	odd := collect(t, map[string]string{"LICENSE": "Copyright Example Corp. All rights reserved. Business use only."})
	if odd["license.spdx"].HasData() || odd["license.class"].Text != Unknown {
		t.Errorf("proprietary text: spdx %q class %q", odd["license.spdx"].Text, odd["license.class"].Text)
	}
}
