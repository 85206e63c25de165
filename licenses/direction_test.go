package licenses

import "testing"

func TestDirection(t *testing.T) {
	cases := []struct{ before, after, want string }{
		// Redis 7.4 (2024): BSD-3-Clause → RSALv2 or SSPL: permissive →
		// source-available (both branches are source-available).
		{"BSD-3-Clause", "LicenseRef-RSALv2 OR SSPL-1.0", MoreRestrictive},
		// Redis 8 (2025) adds AGPL-3.0 as an option: the best branch goes
		// from source-available to network copyleft → a relaxation.
		{"SSPL-1.0", "SSPL-1.0 OR AGPL-3.0-only", Relaxation},
		// Elasticsearch 7.11: Apache-2.0 → SSPL OR Elastic: more restrictive.
		{"Apache-2.0", "SSPL-1.0 OR Elastic-2.0", MoreRestrictive},
		// Terraform 1.6: MPL-2.0 (weak) → BUSL-1.1 (source-available).
		{"MPL-2.0", "BUSL-1.1", MoreRestrictive},
		// GPL → LGPL: strong → weak, a relaxation.
		{"GPL-2.0-only", "LGPL-2.1-only", Relaxation},
		// Apache-2.0 → MIT: both permissive.
		{"Apache-2.0", "MIT", SameClass},
		// To something unreadable: not shown to be a relaxation.
		{"MIT", "Frobnicate Licence", MoreRestrictive},
	}
	for _, c := range cases {
		if got, why := Direction(c.before, c.after); got != c.want {
			t.Errorf("Direction(%q, %q) = %s (%s), want %s", c.before, c.after, got, why, c.want)
		}
	}
}
