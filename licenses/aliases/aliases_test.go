package aliases

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/github/go-spdx/v2/spdxexp"
)

type tc struct {
	in, want string // want "" means unknown
	why      string // the hand-worked reason
}

func check(t *testing.T, cases []tc) {
	t.Helper()
	for _, c := range cases {
		r := Resolve(c.in)
		if r.Expr != c.want {
			t.Errorf("Resolve(%q) = %q, want %q (%s); notes %q", c.in, r.Expr, c.want, c.why, r.Notes)
			continue
		}
		if !r.Declared {
			t.Errorf("Resolve(%q).Declared = false", c.in)
		}
		if r.Expr == "" && len(r.Notes) == 0 {
			t.Errorf("Resolve(%q): unknown without a note saying so", c.in)
		}
		if r.Expr != "" {
			if _, err := spdxexp.ExtractLicenses(r.Expr); err != nil {
				t.Errorf("Resolve(%q) = %q, which go-spdx rejects: %v", c.in, r.Expr, err)
			}
		}
	}
}

// The strings the brief names, one by one.
func TestBriefStrings(t *testing.T) {
	check(t, []tc{
		{"Eclipse Public License v2.0", "EPL-2.0", "ORT declared-license-mapping has it"},
		{"GNU Lesser General Public License, Version 2.1", "LGPL-2.1-only", "ORT declared; a version without 'or later' is -only"},
		{"ALv2", "Apache-2.0", "ORT simple-license-mapping, ambiguous section"},
		{"ASF 2.0", "Apache-2.0", "ORT declared"},
		{"Apache2", "Apache-2.0", "ORT simple-license-mapping"},
		{"EDL 1.0", "BSD-3-Clause", "ORT declared: the Eclipse Distribution License 1.0 is the BSD-3-Clause text"},
		{"CDDL+GPL", "CDDL-1.0 OR GPL-2.0-or-later", "ORT declared, ambiguous section (a dual licence)"},
		{"MIT/X11", "MIT OR X11", "ORT declared"},
		{"BSD licence", "BSD-3-Clause", "ORT declared, ambiguous section"},
		{"apache-2.0 or mit", "Apache-2.0 OR MIT", "SPDX ids and operators in any case"},
		{"http://www.apache.org/licenses/LICENSE-2.0.txt", "Apache-2.0", "ORT maps the URL without .txt; .txt is dropped in the key"},
		{"https://opensource.org/licenses/MIT", "MIT", "ScanCode: other_urls of mit"},
		{"http://www.eclipse.org/legal/epl-v20.html", "EPL-2.0", "ORT declared, https form; the scheme is dropped in the key"},
		{"GPL-2.0", "GPL-2.0-only", "deprecated SPDX id; ORT deprecated-license-mapping"},
		{"GPL-2.0+", "GPL-2.0-or-later", "deprecated SPDX id; ORT deprecated-license-mapping"},
		{"GPL-2.0-with-classpath-exception", "GPL-2.0-only WITH Classpath-exception-2.0", "deprecated SPDX id; ORT deprecated-license-mapping"},
		{"LGPL-2.1", "LGPL-2.1-only", "deprecated SPDX id"},
		{"Apache License 2.0 AND MIT", "Apache-2.0 AND MIT", "not a name as a whole: split on AND; 'Apache License 2.0' is the SPDX list's name of Apache-2.0"},
		{"(ALv2 OR MIT)", "Apache-2.0 OR MIT", "split on OR inside parentheses; the outer parentheses are dropped"},
		{"BSD or Apache License, Version 2.0", "BSD-3-Clause OR Apache-2.0", "a name as a whole in ORT declared: not split on 'or'"},
	})
}

func TestIDsAndOperators(t *testing.T) {
	check(t, []tc{
		{"MIT", "MIT", "an SPDX id"},
		{"mit", "MIT", "case-insensitive id"},
		{"GPL-2.0 WITH Classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "deprecated id on the left of WITH"},
		{"gpl-2.0-only with classpath-exception-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "lower-case WITH and exception id"},
		{"GPL-2.0+ WITH Classpath-exception-2.0", "GPL-2.0-or-later WITH Classpath-exception-2.0", "'+' then WITH"},
		{"Apache-2.0+", "Apache-2.0+", "no Apache-2.0-or-later id; go-spdx accepts the '+' form"},
		{"LGPL-2.1-only+", "LGPL-2.1-or-later", "'+' on an -only id: the -or-later id"},
		{"LGPL-3.0+", "LGPL-3.0-or-later", "deprecated id"},
		{"AGPL-3.0", "AGPL-3.0-only", "deprecated id"},
		{"MIT AND (Apache-2.0 OR GPL-2.0+)", "MIT AND (Apache-2.0 OR GPL-2.0-or-later)", "inner parentheses kept"},
		{"EPL-2.0 OR GPL-2.0 WITH Classpath-exception-2.0 OR LGPL-2.1", "EPL-2.0 OR (GPL-2.0-only WITH Classpath-exception-2.0) OR LGPL-2.1-only", "each deprecated id read; WITH parenthesised"},
		{"EPL-1.0 OR GPL-2.0 WITH Classpath exception 2.0", "EPL-1.0 OR (GPL-2.0-only WITH Classpath-exception-2.0)", "an exception by name (ScanCode)"},
		{"Apache-2.0 WITH LLVM-exception", "Apache-2.0 WITH LLVM-exception", "as written"},
		{"Apache-2.0 WITH Commons-Clause", "Apache-2.0 AND LicenseRef-Commons-Clause", "the Commons Clause is no SPDX exception"},
		{"Apache-2.0 with Commons Clause", "Apache-2.0 AND LicenseRef-Commons-Clause", "the same, spelt out"},
		{"Commons Clause", "LicenseRef-Commons-Clause", "osgauge convention"},
		{"Public Domain", "LicenseRef-Public-Domain", "osgauge convention over ORT's LicenseRef-scancode-public-domain-disclaimer"},
		{"LicenseRef-my-licence", "LicenseRef-my-licence", "a document's own LicenseRef is kept"},
		{"Net-SNMP", "Net-SNMP", "deprecated without a single current id: kept, with a note"},
		{"Indiana University Extreme! Lab Software License 1.1.1", "LicenseRef-scancode-indiana-extreme", "no SPDX id: ScanCode's key as a LicenseRef"},
		{"MIT (http://mootools.net/license.txt)", "MIT", "a name with a URL in parentheses: the name decides, the unknown URL is noted"},
		{"'MIT'", "MIT", "surrounding quotes"},
		{"GPL-2.0 OR", "", "an operator without an operand"},
		{"(MIT OR Apache-2.0", "", "a '(' without its ')'"},
	})
}

func TestURLs(t *testing.T) {
	check(t, []tc{
		{"http://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0", "ORT declared"},
		{"https://www.apache.org/licenses/LICENSE-2.0.html", "Apache-2.0", "https, .html: same key"},
		{"http://opensource.org/licenses/MIT", "MIT", "opensource.org/licenses/X is opensource.org/license/x"},
		{"https://opensource.org/license/mit/", "MIT", "the new OSI form, trailing slash"},
		{"https://spdx.org/licenses/MIT.html", "MIT", "the SPDX list's page of MIT"},
		{"https://spdx.org/licenses/LGPL-3.0.html", "LGPL-3.0-only", "the SPDX page of a deprecated id"},
		{"https://www.gnu.org/licenses/old-licenses/lgpl-2.1-standalone.html", "LGPL-2.1-only", "LGPL-2.1 and LGPL-2.1+ both claim it: the text says nothing of later versions, read -only"},
		{"http://www.gnu.org/licenses/old-licenses/lgpl-2.1.html", "LGPL-2.1-only", "X.html and X-standalone.html are one GNU page"},
		{"http://www.mozilla.org/MPL/2.0/", "MPL-2.0", "MPL-2.0 over its variant MPL-2.0-no-copyleft-exception"},
		{"http://www.eclipse.org/org/documents/edl-v10.php", "BSD-3-Clause", "EDL 1.0's URL"},
		{"http://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0", "ScanCode"},
		{"http://www.apache.org/licenses/LICENSE-2.0.txt and http://www.opensource.org/licenses/cddl1.txt", "Apache-2.0 AND CDDL-1.0", "two URLs joined by 'and'"},
		{"http://www.apache.org/licenses/", "", "a homepage that names several licences"},
		{"http://www.gnu.org/licenses/gpl.txt", "", "the current GPL, no version: not one licence in the data"},
		{"https://github.com/dom4j/dom4j/blob/master/LICENSE", "", "a project's own licence file: unknown without reading it"},
	})
}

func TestUndeclared(t *testing.T) {
	for _, s := range []string{"", "  ", "NOASSERTION", "NONE", "none", "UNKNOWN", `"NOASSERTION"`} {
		r := Resolve(s)
		if r.Declared || r.Expr != "" {
			t.Errorf("Resolve(%q) = %+v, want undeclared", s, r)
		}
	}
}

func TestUnknownStaysUnknown(t *testing.T) {
	for _, s := range []string{"Foo Bar License", "GooglePatentClause", "MIT OR FOO", "GPL-2.0 WITH Foo", "see LICENSE file", "CDDL/GPL/LGPL/MIT"} {
		r := Resolve(s)
		if r.Expr != "" || !r.Declared {
			t.Errorf("Resolve(%q) = %+v, want declared but unknown", s, r)
			continue
		}
		if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "not read") {
			t.Errorf("Resolve(%q) notes %q: want one saying what was not read", s, r.Notes)
		}
	}
	// The note names the part that was not recognised.
	if r := Resolve("MIT OR FOO"); !strings.Contains(r.Notes[0], "'FOO' not recognised") {
		t.Errorf("notes %q", r.Notes)
	}
}

func TestNotes(t *testing.T) {
	for in, want := range map[string]string{
		"ASF 2.0":     "'ASF 2.0' read as Apache-2.0 (ORT declared-license-mapping)",
		"GPL-2.0":     "'GPL-2.0' is a deprecated id, read as GPL-2.0-only (SPDX licence list; ORT deprecated-license-mapping)",
		"BSD licence": "'BSD licence' read as BSD-3-Clause: ambiguous name, the most common reading (ORT declared-license-mapping, ambiguous section)",
	} {
		r := Resolve(in)
		if len(r.Notes) != 1 || r.Notes[0] != want {
			t.Errorf("Resolve(%q).Notes = %q, want [%q]", in, r.Notes, want)
		}
	}
	// An SPDX id as written needs no note.
	if r := Resolve("Apache-2.0 OR MIT"); len(r.Notes) != 0 {
		t.Errorf("notes %q", r.Notes)
	}
	// Where ORT and ScanCode disagree, the note says so.
	if r := Resolve("Public Domain"); !strings.Contains(r.Notes[0], "reads it as LicenseRef-scancode-public-domain-disclaimer") {
		t.Errorf("notes %q", r.Notes)
	}
	// Notes are the caller's to change.
	r := Resolve("ASF 2.0")
	r.Notes[0] = "x"
	if Resolve("ASF 2.0").Notes[0] == "x" {
		t.Error("Resolve shares its notes slice with the cache")
	}
}

func TestID(t *testing.T) {
	if e, n, ok := ID("ALv2"); !ok || e != "Apache-2.0" || !strings.Contains(n, "ambiguous") {
		t.Errorf("ID(ALv2) = %q, %q, %v", e, n, ok)
	}
	if e, n, ok := ID("Apache-2.0"); !ok || e != "Apache-2.0" || n != "" {
		t.Errorf("ID(Apache-2.0) = %q, %q, %v", e, n, ok)
	}
	if _, _, ok := ID("no such licence"); ok {
		t.Error("ID of an unknown name is ok")
	}
	if _, _, ok := ID(""); ok {
		t.Error(`ID("") is ok`)
	}
}

// Every expression the data can give must be accepted by go-spdx, and
// every name key must read back through ID.
func TestEveryDataEntryParses(t *testing.T) {
	d := load()
	for i, e := range d.f.Entries {
		if _, err := spdxexp.ExtractLicenses(e.Expr); err != nil {
			t.Errorf("entry %d %+v: %v", i, e, err)
		}
	}
	for k, id := range d.f.Exceptions {
		if _, err := spdxexp.ExtractLicenses("MIT WITH " + id); err != nil {
			t.Errorf("exception %q → %q: %v", k, id, err)
		}
	}
	for k, i := range d.f.Exact {
		if e, _, ok := ID(k); !ok {
			t.Errorf("exact key %q does not read back", k)
		} else if _, err := spdxexp.ExtractLicenses(e); err != nil {
			t.Errorf("ID(%q) = %q: %v", k, e, err)
		} else if _, isID := d.licences[strings.ToLower(k)]; !isID && d.f.Deprecated[strings.ToLower(k)] == 0 && e != d.f.Entries[i].Expr && !strings.HasSuffix(k, "+") {
			t.Errorf("ID(%q) = %q, data says %q", k, e, d.f.Entries[i].Expr)
		}
	}
	for _, s := range []struct{ n, v string }{{"ScanCode", "053a651f5e0182bec226b90c4ad47a709da8687b"}, {"ORT", "132b38ecbcd3dfa75cd93c16d7230011857e66fe"}} {
		if !strings.Contains(strings.Join(Sources(), "\n"), s.v) {
			t.Errorf("sources %q lack %s %s", Sources(), s.n, s.v)
		}
	}
}

func TestConcurrent(t *testing.T) {
	ins := realStrings(t, "")
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, s := range ins {
				want := resolve(s)
				if got := Resolve(s); got.Expr != want.Expr {
					t.Errorf("Resolve(%q) = %q, want %q", s, got.Expr, want.Expr)
				}
			}
		}()
	}
	wg.Wait()
}

// realStrings returns the distinct licence strings of the real SBOMs in
// testdata (those of files whose name contains file, or all).
func realStrings(t testing.TB, file string) []string {
	b, err := os.ReadFile("testdata/realsbom-licences.txt")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		s, files, _ := strings.Cut(line, "\t")
		if strings.Contains(files, file) {
			out = append(out, s)
		}
	}
	return out
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{"MIT", "apache-2.0 or mit", "(ALv2 OR MIT)", "GPL-2.0+ WITH Classpath-exception-2.0", "http://www.apache.org/licenses/LICENSE-2.0.txt", "MIT (http://x)", "((((", "Apache-2.0 WITH Commons-Clause AND (MIT", "CDDL+GPL", "LicenseRef-x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := Resolve(s)
		if r.Expr != "" {
			if _, err := spdxexp.ExtractLicenses(r.Expr); err != nil {
				t.Fatalf("Resolve(%q) = %q, which go-spdx rejects: %v", s, r.Expr, err)
			}
		}
		if e, _, ok := ID(s); ok {
			if _, err := spdxexp.ExtractLicenses(e); err != nil {
				t.Fatalf("ID(%q) = %q, which go-spdx rejects: %v", s, e, err)
			}
		}
	})
}

func BenchmarkResolveKeycloak(b *testing.B) {
	ins := realStrings(b, "keycloak")
	b.Run("cold", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, s := range ins {
				resolve(s)
			}
		}
	})
	b.Run("memoised", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for _, s := range ins {
				Resolve(s)
			}
		}
	})
}
