package licenses

import "testing"

// Every id of the family is source-available, whichever way an SBOM
// spells it; open licences are not.
func TestIsSourceAvailable(t *testing.T) {
	for _, id := range []string{"BUSL-1.1", "Elastic-2.0", "SSPL-1.0", "LicenseRef-Commons-Clause", "Commons-Clause",
		"Confluent-Community-1.0", "LicenseRef-Confluent-Community-1.0", "FSL-1.1-ALv2", "FSL-1.1-MIT",
		"PolyForm-Noncommercial-1.0.0", "PolyForm-Small-Business-1.0.0", "PolyForm-Shield-1.0.0", "PolyForm-Perimeter-1.0.0",
		"PolyForm-Internal-Use-1.0.0", "PolyForm-Strict-1.0.0", "PolyForm-Free-Trial-1.0.0", "LicenseRef-PolyForm-Shield-1.0.0",
		"LicenseRef-scancode-elastic-license-v2", "LicenseRef-scancode-polyform-noncommercial-1.0.0", "CC-BY-NC-4.0"} {
		if !IsSourceAvailable(id) || Class(id) != SourceAvailable {
			t.Errorf("%s: IsSourceAvailable %v, class %s", id, IsSourceAvailable(id), Class(id))
		}
	}
	for _, id := range []string{"MIT", "Apache-2.0", "AGPL-3.0-only", "MPL-2.0", "LicenseRef-Bank", ""} {
		if IsSourceAvailable(id) {
			t.Errorf("%s: source-available", id)
		}
	}
}

// The recogniser: phrases of each text, the more specific first.
func TestSourceAvailableText(t *testing.T) {
	for text, want := range map[string]string{
		"Business Source License 1.1\n\nParameters\n\nLicensor: X\nChange Date: 2030-01-01\nChange License: Apache License, Version 2.0": "BUSL-1.1",
		"Functional Source License, Version 1.1, ALv2 Future License ... Apache License, Version 2.0":                                    "FSL-1.1-ALv2",
		"# Functional Source License, Version 1.1, Apache 2.0 Future License":                                                            "FSL-1.1-ALv2",
		"# Functional Source License, Version 1.1, MIT Future License":                                                                   "FSL-1.1-MIT",
		"Server Side Public License\nVERSION 1, OCTOBER 16, 2018 ... “Service Source Code” means":                                        "SSPL-1.0",
		"# PolyForm Internal Use License 1.0.0":                                                                                          "PolyForm-Internal-Use-1.0.0",
		"# PolyForm Free Trial License 1.0.0":                                                                                            "PolyForm-Free-Trial-1.0.0",
		"# PolyForm Strict License 1.0.0":                                                                                                "PolyForm-Strict-1.0.0",
		"# PolyForm Perimeter License 1.0.0":                                                                                             "PolyForm-Perimeter-1.0.0",
		"# PolyForm Small Business License 1.0.0":                                                                                        "PolyForm-Small-Business-1.0.0",
		"We considered the Business Source License but chose Apache.":                                                                    "",
		"MIT License\n\nPermission is hereby granted":                                                                                    "",
	} {
		if got := SourceAvailableText([]byte(text)); got != want {
			t.Errorf("SourceAvailableText(%.50q) = %q, want %q", text, got, want)
		}
		if want != "" && !IsSourceAvailable(want) {
			t.Errorf("%s not classed source-available", want)
		}
	}
}
