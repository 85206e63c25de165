package license

import (
	"os"
	"strings"
	"testing"
)

func apacheText(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/Apache-2.0.txt") // the Apache-2.0 text as Apache projects ship it
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDetectDeclaredLicence(t *testing.T) {
	apache := apacheText(t)
	cases := []struct {
		name, text, id string
		others         []string
	}{
		{"apache", apache, "Apache-2.0", nil},
		{"mit", mit, "MIT", nil},
		// An attribution line appended for bundled code: still Apache-2.0.
		{"attribution", apache + "\nThis product bundles SuperLib 1.2, which is available under a MIT license.\n", "Apache-2.0", nil},
		// A full MIT text appended for bundled code: the project's licence
		// is the one that comes first.
		{"appended MIT", apache + "\n\nThis product bundles SuperLib, under the following licence:\n\n" + mit, "Apache-2.0", []string{"MIT"}},
		// Long unrecognised notices appended lower the file's match below
		// the threshold; the file still opens with the full Apache text.
		{"long notices", apache + strings.Repeat("Bundled component notice with many ordinary words in it.\n", 400), "Apache-2.0", nil},
		{"proprietary", "All rights reserved. You may not use this software without a written agreement with Example Corp.\n", "", nil},
	}
	for _, c := range cases {
		d := DetectText([]byte(c.text))
		if d.ID != c.id || strings.Join(d.Others, ",") != strings.Join(c.others, ",") {
			t.Errorf("%s: declared %q others %v (%.0f%%), want %q %v", c.name, d.ID, d.Others, d.Percent, c.id, c.others)
		}
	}
}

// The collector reports the declared licence, not every text in the file.
func TestCollectorIgnoresAppendedNotices(t *testing.T) {
	m := collect(t, map[string]string{"LICENSE": apacheText(t) + "\n\nThis product bundles SuperLib:\n\n" + mit})
	if m["license.spdx"].Text != "Apache-2.0" || m["license.class"].Text != Permissive {
		t.Errorf("spdx %q class %q", m["license.spdx"].Text, m["license.class"].Text)
	}
	if ev := m["license.spdx"].Evidence; !strings.Contains(ev, "also contains MIT text") {
		t.Errorf("evidence %q", ev)
	}
}
