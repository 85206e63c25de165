package release

import "testing"

func TestIsPrerelease(t *testing.T) {
	cases := []struct {
		name string
		want bool
	}{
		// Release candidates, in the forms real projects tag them.
		{"v1.2.0-rc.1", true},     // semver (kubernetes, karmada)
		{"v1.2.0-rc1", true},      // no dot
		{"v1.2.0rc1", true},       // no separator at all
		{"1.2.0rc1", true},        // PEP 440 (pip, Django)
		{"3.0.0.RC2", true},       // Maven / Spring, upper case
		{"release-1.0-rc1", true}, // prefix with a hyphen
		{"rel/commons-lang-3.20.0-RC1", true},
		{"rel/commons-lang-3.14.0-RC2", true},
		{"v1.0-rc", true}, // without a number
		{"v1.0.0-CR1", true},
		// Alphas, betas and PEP 440 short forms.
		{"v2.0.0-beta1", true},
		{"v2.0.0-beta.3", true},
		{"v1.9.0-alpha.0", true},
		{"1.0.0a1", true},       // PEP 440 alpha
		{"2.1b2", true},         // PEP 440 beta
		{"3.0c1", true},         // PEP 440 candidate
		{"LANG_3_0_B1", true},   // commons-lang's betas
		{"STRUTS_1_1_B3", true}, // (same repository)
		{"1.0-b2", true},
		{"LANG_3_0_RC4", true},
		{"LANG_2_2_DEV_STYLE", true},
		{"v0.1.0-Alpha", true},
		// Previews, development and nightly builds.
		{"v4.0.0-preview1", true}, // dgrijalva/jwt-go's newest tag
		{"v8.0.0-preview.7", true},
		{"1.0.dev3", true},
		{"v2.0.0-dev", true},
		{"v1.0-pre1", true},
		{"2.0.0-pre.3", true},
		{"v1.0.0-prerelease", true},
		{"5.0.0.BUILD-SNAPSHOT", true},
		{"1.0-SNAPSHOT", true},
		{"v0.5.0-nightly.20240101", true},
		{"v14.0.0-canary.5", true},
		{"13.0.0-next.5", true}, // Angular
		{"jdk-21-ea", true},
		// Milestones.
		{"5.0.0-M1", true},
		{"3.0.0.M2", true},
		{"v6.0.0-milestone.1", true},

		// Ordinary releases.
		{"v1.2.3", false},
		{"1.0", false},
		{"v0.0.22", false}, // mattn/go-isatty
		{"release-1.28", false},
		{"rel/commons-lang-3.17.0", false},
		{"rel/commons-lang-3.20.0", false},
		{"commons-lang-3.17.0", false},
		{"LANG_3_0", false},
		{"v2.0.0+incompatible", false}, // build metadata, not a pre-release
		{"v1.0.0+build.rc", false},     // after "+": build metadata
		{"5.0.0.RELEASE", false},       // Spring's release suffix
		{"5.0.0.Final", false},         // JBoss
		{"v1.14.0", false},
		{"go1.22.0", false},
		{"2024.01.15", false},
		{"r1234", false},
		{"1.2.3-1", false}, // a packaging revision
		// Markers only inside a word, or before any version digit.
		{"v1.0.0-previewer", false},
		{"v2.1.0-prebuilt", false},
		{"devtools-1.2.0", false},
		{"preview-docs-1.0", false},
		{"beta-site", false},        // no version at all
		{"v1.2.3-4-g1a2b3c", false}, // git describe: "a2" inside a hash
		{"v1.0.0-m", false},         // an "m" without a number
		{"v1.0.0-b", false},         // nor a "b"
		{"1.0.0-c1", false},         // "c" only in PEP 440's joined form
		{"LANG_2_6_REPACKAGED", false},
		{"1.0.0-mac1", false},
		{"", false},
	}
	for _, c := range cases {
		if got := IsPrerelease(c.name); got != c.want {
			t.Errorf("IsPrerelease(%q) = %v, want %v", c.name, got, c.want)
		}
	}
}
