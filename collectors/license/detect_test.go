package license

import (
	"os"
	"strings"
	"testing"
)

// testText reads a licence text from testdata, as projects ship it.
func testText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func apacheText(t *testing.T) string { t.Helper(); return testText(t, "Apache-2.0") }

func TestDetectDeclaredLicence(t *testing.T) {
	apache, cc, patent := apacheText(t), testText(t, "CommonsClause"), testText(t, "PatentClause")
	notices := strings.Repeat("Bundled component notice with many ordinary words in it.\n", 400)
	cases := []struct {
		name, text, id string
		others, all    []string
	}{
		{"apache", apache, "Apache-2.0", nil, []string{"Apache-2.0"}},
		{"mit", mit, "MIT", nil, []string{"MIT"}},
		// An attribution line appended for bundled code: still Apache-2.0.
		{"attribution", apache + "\nThis product bundles SuperLib 1.2, which is available under a MIT license.\n",
			"Apache-2.0", nil, []string{"Apache-2.0"}},
		// A full MIT text appended for bundled code: the project's licence
		// is the one that comes first.
		{"appended MIT", apache + "\n\nThis product bundles SuperLib, under the following licence:\n\n" + mit,
			"Apache-2.0", []string{"MIT"}, []string{"Apache-2.0", "MIT"}},
		// Long unrecognised notices appended lower the file's match far below
		// minCoverage (about 30%); the file still opens with the full Apache
		// text, which is what it declares.
		{"long notices", apache + notices, "Apache-2.0", nil, []string{"Apache-2.0"}},
		// Unknown text before the licence counts against it: a long
		// proprietary preamble followed by a bundled MIT text declares
		// nothing we know.
		{"long preamble", notices + mit, "", nil, []string{"MIT"}},
		{"proprietary", "All rights reserved. You may not use this software without a written agreement with Example Corp.\n", "", nil, nil},
		// The Commons Clause is a condition on the licence it accompanies,
		// before it (as Redis Labs shipped it) or after it.
		{"commons clause first", cc + "\n" + apache, "Apache-2.0 AND LicenseRef-Commons-Clause", nil,
			[]string{"LicenseRef-Commons-Clause", "Apache-2.0"}},
		{"commons clause after", apache + "\n" + cc, "Apache-2.0 AND LicenseRef-Commons-Clause", nil,
			[]string{"Apache-2.0", "LicenseRef-Commons-Clause"}},
		{"commons clause alone", cc, "LicenseRef-Commons-Clause", nil, []string{"LicenseRef-Commons-Clause"}},
		// An added patent grant leaves the licence what it is, and is not
		// a bundled third-party licence.
		{"patent grant", mit + "\nAdditional IP Rights Grant (Patents)\n\n" + patent, "MIT", nil, []string{"MIT", "GooglePatentClause"}},
	}
	for _, c := range cases {
		d := DetectText([]byte(c.text))
		if d.ID != c.id || strings.Join(d.Others, ",") != strings.Join(c.others, ",") || strings.Join(d.All, ",") != strings.Join(c.all, ",") {
			t.Errorf("%s: declared %q others %v all %v (%.0f%%), want %q %v %v", c.name, d.ID, d.Others, d.All, d.Percent, c.id, c.others, c.all)
		}
	}
}

func TestExpression(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{nil, ""},
		{[]string{"MIT"}, "MIT"},
		{[]string{"MIT", "Apache-2.0", "MIT"}, "Apache-2.0 OR MIT"},
		{[]string{"Apache-2.0 AND LicenseRef-Commons-Clause"}, "Apache-2.0 AND LicenseRef-Commons-Clause"},
		{[]string{"MIT", "Apache-2.0 AND LicenseRef-Commons-Clause"}, "(Apache-2.0 AND LicenseRef-Commons-Clause) OR MIT"},
	} {
		if got := Expression(c.ids); got != c.want {
			t.Errorf("Expression(%q) = %q, want %q", c.ids, got, c.want)
		}
	}
	got := components("(Apache-2.0 AND LicenseRef-Commons-Clause) OR GPL-2.0-only WITH Classpath-exception-2.0 OR MIT")
	if want := "Apache-2.0|LicenseRef-Commons-Clause|GPL-2.0-only WITH Classpath-exception-2.0|MIT"; strings.Join(got, "|") != want {
		t.Errorf("components = %q, want %q", got, want)
	}
}

func TestIsThirdPartyFile(t *testing.T) {
	for name, want := range map[string]bool{
		"LICENSE": false, "LICENSE-APACHE": false, "COPYING.LESSER": false, "LICENSE-COMMERCIAL": false,
		"LICENSE-3rdparty.csv": true, "LICENSE-THIRD-PARTY": true, "LICENSE_THIRD_PARTY.md": true,
		"LICENSES-THIRDPARTY.txt": true, "license-3rd-party": true,
	} {
		if got := IsThirdPartyFile(name); got != want {
			t.Errorf("IsThirdPartyFile(%q) = %v, want %v", name, got, want)
		}
	}
}

// The collector reports the declared licence, not every text in the file.
// Before DetectText it reported "Apache-2.0 OR MIT" for this file: every
// licence matched anywhere in it, as if the project offered a choice.
func TestCollectorIgnoresAppendedNotices(t *testing.T) {
	m := collect(t, map[string]string{"LICENSE": apacheText(t) + "\n\nThis product bundles SuperLib:\n\n" + mit})
	if m["license.spdx"].Text != "Apache-2.0" || m["license.class"].Text != Permissive {
		t.Errorf("spdx %q class %q", m["license.spdx"].Text, m["license.class"].Text)
	}
	if ev := m["license.spdx"].Evidence; !strings.Contains(ev, "also contains MIT text") || !strings.Contains(ev, "bundled third-party notices") {
		t.Errorf("evidence %q", ev)
	}
}

// A file listing the licences of bundled code is not the project's licence.
func TestCollectorThirdPartyFile(t *testing.T) {
	m := collect(t, map[string]string{"LICENSE": apacheText(t), "LICENSE-THIRD-PARTY": mit})
	if m["license.spdx"].Text != "Apache-2.0" || !strings.Contains(m["license.spdx"].Evidence, "LICENSE-THIRD-PARTY: licences of bundled third-party code") {
		t.Errorf("spdx %q (%q)", m["license.spdx"].Text, m["license.spdx"].Evidence)
	}
	only := collect(t, map[string]string{"LICENSE-3rdparty.csv": "Component,Origin,License\nfoo,github.com/foo,MIT\n"})
	if *only["license.found"].Value != 0 || only["license.spdx"].HasData() || !strings.Contains(only["license.found"].Evidence, "only third-party licence lists") {
		t.Errorf("third-party list only: %+v", only)
	}
}

// A documentation licence beside the code's (opencontainers/go-digest:
// LICENSE Apache-2.0, LICENSE.docs CC-BY-SA-4.0) is not the project's
// licence: permissive, not "unknown".
func TestCollectorDocsLicenceFile(t *testing.T) {
	for name, want := range map[string]bool{"LICENSE.docs": true, "LICENSE-DOCUMENTATION.md": true, "licence_docs.txt": true,
		"LICENSE": false, "LICENSE-MIT": false, "LICENSE.md": false, "COPYING.LIB": false} {
		if got := IsDocsLicenceFile(name); got != want {
			t.Errorf("IsDocsLicenceFile(%q) = %v, want %v", name, got, want)
		}
	}
	m := collect(t, map[string]string{"LICENSE": apacheText(t), "LICENSE.docs": "Attribution-ShareAlike 4.0 International\n\nCreative Commons Corporation ..."})
	if m["license.spdx"].Text != "Apache-2.0" || m["license.class"].Text != Permissive ||
		!strings.Contains(m["license.spdx"].Evidence, "LICENSE.docs: the documentation's licence, not the code's") {
		t.Errorf("spdx %q class %q (%q)", m["license.spdx"].Text, m["license.class"].Text, m["license.spdx"].Evidence)
	}
}

// Apache-2.0 with the Commons Clause is source-available, not permissive;
// beside a separate MIT file it is parenthesised in the OR.
func TestCollectorCommonsClause(t *testing.T) {
	cc := testText(t, "CommonsClause") + "\n" + apacheText(t)
	m := collect(t, map[string]string{"LICENSE": cc})
	if m["license.spdx"].Text != "Apache-2.0 AND LicenseRef-Commons-Clause" || m["license.class"].Text != SourceAvailable {
		t.Errorf("spdx %q class %q", m["license.spdx"].Text, m["license.class"].Text)
	}
	two := collect(t, map[string]string{"LICENSE": cc, "LICENSE-MIT": mit})
	if two["license.spdx"].Text != "(Apache-2.0 AND LicenseRef-Commons-Clause) OR MIT" || two["license.class"].Text != SourceAvailable {
		t.Errorf("spdx %q class %q", two["license.spdx"].Text, two["license.class"].Text)
	}
}

// A tool's file named like a licence is not the project's licence: the
// collector and the licence history read the same files.
func TestToolFilesAreNotLicences(t *testing.T) {
	m := collect(t, map[string]string{"LICENSE": mit, "license-checker-config.json": `{"allow": ["MIT"]}`})
	if m["license.spdx"].Text != "MIT" || strings.Contains(m["license.spdx"].Evidence, "license-checker") {
		t.Errorf("spdx %q evidence %q", m["license.spdx"].Text, m["license.spdx"].Evidence)
	}
	for name, want := range map[string]bool{"LICENSE": true, "LICENSE.md": true, "COPYING": true, "license-header.js": false, "LICENSE-3rdparty.csv": false} {
		if got := IsLicenceText(name); got != want {
			t.Errorf("IsLicenceText(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIsLicenceFile(t *testing.T) {
	yes := []string{"LICENSE", "license", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING", "COPYING.md",
		"COPYING.LESSER", "UNLICENSE", "LICENSE-MIT", "LICENSE-APACHE", "License.rst"}
	no := []string{"README.md", "LICENSES", "licenses.go", "NOTICE", "license_test.go", "CONTRIBUTING.md"}
	for _, n := range yes {
		if !IsLicenceFile(n) {
			t.Errorf("%s should be a licence file", n)
		}
	}
	for _, n := range no {
		if IsLicenceFile(n) {
			t.Errorf("%s should not be a licence file", n)
		}
	}
}

// The licence files' digest follows their contents, not their detection.
func TestLicenceFilesDigest(t *testing.T) {
	a := collect(t, map[string]string{"LICENSE": apacheText(t)})["license.files_sha256"].Text
	b := collect(t, map[string]string{"LICENSE": apacheText(t)})["license.files_sha256"].Text
	c := collect(t, map[string]string{"LICENSE": apacheText(t) + "\n"})["license.files_sha256"].Text
	if len(a) != 64 || a != b || a == c {
		t.Errorf("digests %q %q %q: want equal for equal files, different for changed ones", a, b, c)
	}
}
