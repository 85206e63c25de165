package sbom

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

func mustParse(t *testing.T, name, body string) *Doc {
	t.Helper()
	doc, err := Parse(name, []byte(body))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return doc
}

func byName(doc *Doc) map[string]Component {
	m := map[string]Component{}
	for _, c := range doc.Components {
		m[c.Name] = c
	}
	return m
}

// Several licence entries: Maven and npm list alternatives (OR), other
// ecosystems are read as all applying (AND); each says so in the note.
func TestSeveralLicences(t *testing.T) {
	doc := mustParse(t, "l.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [
	 {"name": "jetty-server", "group": "org.eclipse.jetty", "version": "9.4.18", "purl": "pkg:maven/org.eclipse.jetty/jetty-server@9.4.18",
	  "licenses": [{"license": {"id": "Apache-2.0"}}, {"license": {"id": "EPL-1.0"}}]},
	 {"name": "jsr", "purl": "pkg:maven/javax/jsr@1", "licenses": [{"license": {"name": "The Apache Software License, Version 2.0"}}, {"license": {"name": "Acme Internal Licence"}}]},
	 {"name": "left-pad", "purl": "pkg:npm/left-pad@1.3.0", "licenses": [{"license": {"id": "MIT"}}, {"license": {"id": "WTFPL"}}]},
	 {"name": "x", "purl": "pkg:golang/example.com/x@v1.0.0", "licenses": [{"license": {"id": "BSD-3-Clause"}}, {"license": {"id": "MIT"}}, {"expression": "Apache-2.0 OR MIT"}]},
	 {"name": "twice", "purl": "pkg:npm/twice@1.0.0", "licenses": [{"license": {"id": "MIT"}}, {"license": {"id": "MIT"}}]},
	 {"name": "one", "licenses": [{"expression": "MIT OR GPL-2.0-only"}]}
	]}`)
	m := byName(doc)
	cases := []struct{ name, licence, note string }{
		{"jetty-server", "Apache-2.0 OR EPL-1.0", "2 licences listed without an operator; read as a choice (OR): a Maven POM"},
		// A POM's licence name is read as its SPDX id; an alternative no
		// source knows stands as an unrecognised licence, so that the known
		// one can still be chosen, and the note names it.
		{"jsr", "Apache-2.0 OR LicenseRef-unrecognised-1", "alternative 'Acme Internal Licence' not recognised"},
		{"left-pad", "MIT OR WTFPL", "read as a choice (OR): npm's licenses array"},
		// 3 entries, Go: all apply; an expression entry keeps its parentheses.
		{"x", "BSD-3-Clause AND MIT AND (Apache-2.0 OR MIT)", "3 licences listed without an operator; read as all applying (AND), the conservative reading"},
		{"twice", "MIT", ""}, // the same licence twice is one
		{"one", "MIT OR GPL-2.0-only", ""},
	}
	for _, c := range cases {
		got := m[c.name]
		if got.License != c.licence || (c.note == "") != (got.LicenseNote == "") || !strings.Contains(got.LicenseNote, c.note) {
			t.Errorf("%s: %q (%s), want %q (%s)", c.name, got.License, got.LicenseNote, c.licence, c.note)
		}
	}
}

// A Maven aggregate SBOM whose graph has no node for the metadata
// component (as Keycloak's and Dropwizard's): the roots are the components
// nothing depends on.
//
//	app (metadata, com.bank:app, no node)
//	core (com.bank, own) → guava → failureaccess
//	api  (com.bank, own, depended on by core? no: by web) ; web (com.bank) → api → jackson
//	junit (third party, nothing depends on it) → hamcrest
//	lonely (in no dependency entry at all)
//
// Roots: core, web, junit, lonely (4; api has web above it). Own: core,
// web, api (same group com.bank) → direct, scope own. guava: core's
// dependency → direct; jackson: api's (own, reached from web at no cost)
// → direct; failureaccess: guava's → transitive; junit: a root → direct;
// hamcrest: junit's → transitive; lonely: a root → direct.
func TestGraphWithoutRootNode(t *testing.T) {
	doc := mustParse(t, "agg.cdx.json", `{"bomFormat": "CycloneDX", "specVersion": "1.4",
	 "dependencies": [
	  {"ref": "core", "dependsOn": ["guava"]}, {"ref": "guava", "dependsOn": ["fa"]},
	  {"ref": "web", "dependsOn": ["api"]}, {"ref": "api", "dependsOn": ["jackson"]},
	  {"ref": "junit", "dependsOn": ["hamcrest"]}],
	 "components": [
	  {"bom-ref": "core", "name": "core", "purl": "pkg:maven/com.bank/core@1?type=jar"},
	  {"bom-ref": "guava", "name": "guava", "purl": "pkg:maven/com.google.guava/guava@30?type=jar"},
	  {"bom-ref": "fa", "name": "failureaccess", "purl": "pkg:maven/com.google.guava/failureaccess@1?type=jar"},
	  {"bom-ref": "web", "name": "web", "purl": "pkg:maven/com.bank/web@1"},
	  {"bom-ref": "api", "name": "api", "purl": "pkg:maven/com.bank/api@1"},
	  {"bom-ref": "jackson", "name": "jackson", "purl": "pkg:maven/com.fasterxml/jackson@2"},
	  {"bom-ref": "junit", "name": "junit", "purl": "pkg:maven/junit/junit@4.12"},
	  {"bom-ref": "hamcrest", "name": "hamcrest", "purl": "pkg:maven/org.hamcrest/hamcrest@1.3"},
	  {"bom-ref": "lonely", "name": "lonely", "purl": "pkg:maven/org.x/lonely@1"}],
	 "metadata": {"component": {"bom-ref": "app", "name": "app", "purl": "pkg:maven/com.bank/app@1", "licenses": [{"license": {"id": "Apache-2.0"}}]}}
	}`)
	want := map[string]string{"core": "direct own", "guava": "direct ", "failureaccess": "transitive ", "web": "direct own",
		"api": "direct own", "jackson": "direct ", "junit": "direct ", "hamcrest": "transitive ", "lonely": "direct "}
	for _, c := range doc.Components {
		if got := c.Relation + " " + c.Scope; got != want[c.Name] {
			t.Errorf("%s: %q, want %q", c.Name, got, want[c.Name])
		}
	}
	if !doc.RootInferred || strings.Join(doc.Roots, ",") != "core,web,junit,lonely" || doc.Root != "app" || doc.RootLicense != "Apache-2.0" {
		t.Errorf("roots %v inferred %v root %s %s", doc.Roots, doc.RootInferred, doc.Root, doc.RootLicense)
	}
	if len(doc.Notes) != 2 || !strings.Contains(doc.Notes[0], "no dependencies for the metadata component (app); its roots are the 4 components nothing depends on") ||
		!strings.Contains(doc.Notes[1], "3 components are the system's own modules (group com.bank)") {
		t.Errorf("notes %q", doc.Notes)
	}
	// No metadata component at all: the same roots (own modules cannot be
	// told without the system's group: core, web are plain roots).
	// core → guava (transitive now), web → api (transitive) → jackson.
	doc = mustParse(t, "noroot.cdx.json", `{"bomFormat": "CycloneDX", "components": [
	  {"bom-ref": "core", "name": "core"}, {"bom-ref": "guava", "name": "guava"}, {"bom-ref": "fa", "name": "fa"}],
	  "dependencies": [{"ref": "core", "dependsOn": ["guava"]}, {"ref": "guava", "dependsOn": ["fa"]}]}`)
	var rel []string
	for _, c := range doc.Components {
		rel = append(rel, c.Relation)
	}
	if strings.Join(rel, " ") != "direct transitive transitive" || !strings.HasPrefix(doc.Notes[0], "the SBOM names no root component; its roots are the 1 components") {
		t.Errorf("no metadata: %v %q", rel, doc.Notes)
	}
}

// SPDX relationships by meaning: kinds, directions, scope as the least
// restricted over paths of the most restricted edge, linking.
//
//	app DEPENDS_ON a                  a: direct, runtime
//	b TEST_DEPENDENCY_OF app          b: direct, test
//	c BUILD_TOOL_OF app               c: direct, build
//	d DEPENDENCY_OF b; a DEPENDS_ON e; e DEPENDS_ON d
//	    d via b: test; via a→e: runtime → runtime (least restricted), transitive
//	f DEPENDENCY_OF b                 f: only via the test dependency → test, transitive
//	g OPTIONAL_DEPENDENCY_OF a        g: optional, transitive
//	app STATIC_LINK h                 h: direct, static
//	app DYNAMIC_LINK i                i: direct, dynamic
//	j DESCENDANT_OF a                 j: not a dependency → unreached: transitive (graph present), scope unset
//	k PROVIDED_DEPENDENCY_OF app; m DEV_DEPENDENCY_OF app; app CONTAINS n
func TestSPDXRelationships(t *testing.T) {
	pkgs := []string{"app", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "m", "n"}
	var ps []string
	for _, p := range pkgs {
		ps = append(ps, `{"SPDXID": "SPDXRef-`+p+`", "name": "`+p+`", "versionInfo": "1", "downloadLocation": "NOASSERTION",
		  "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:generic/`+p+`@1"}]}`)
	}
	rels := [][3]string{{"app", "DEPENDS_ON", "a"}, {"b", "TEST_DEPENDENCY_OF", "app"}, {"c", "BUILD_TOOL_OF", "app"},
		{"d", "DEPENDENCY_OF", "b"}, {"a", "DEPENDS_ON", "e"}, {"e", "DEPENDS_ON", "d"}, {"f", "DEPENDENCY_OF", "b"},
		{"g", "OPTIONAL_DEPENDENCY_OF", "a"}, {"app", "STATIC_LINK", "h"}, {"app", "DYNAMIC_LINK", "i"}, {"j", "DESCENDANT_OF", "a"},
		{"k", "PROVIDED_DEPENDENCY_OF", "app"}, {"m", "DEV_DEPENDENCY_OF", "app"}, {"app", "CONTAINS", "n"}}
	var rs []string
	for _, r := range rels {
		rs = append(rs, `{"spdxElementId": "SPDXRef-`+r[0]+`", "relationshipType": "`+r[1]+`", "relatedSpdxElement": "SPDXRef-`+r[2]+`"}`)
	}
	// The relationships come before the packages, and DESCRIBES last:
	// the stream takes any order.
	body := `{"relationships": [` + strings.Join(rs, ",\n") + `], "spdxVersion": "SPDX-2.3", "packages": [` + strings.Join(ps, ",\n") +
		`], "documentDescribes": ["SPDXRef-app"]}`
	doc := mustParse(t, "rel.spdx.json", body)
	want := map[string]string{"a": "direct  ", "b": "direct test ", "c": "direct build ", "d": "transitive  ", "e": "transitive  ",
		"f": "transitive test ", "g": "transitive optional ", "h": "direct  static", "i": "direct  dynamic", "j": "transitive  ",
		"k": "direct provided ", "m": "direct dev ", "n": "direct  "}
	if doc.Root != "app" || len(doc.Components) != len(want) {
		t.Fatalf("root %q, %d components", doc.Root, len(doc.Components))
	}
	for _, c := range doc.Components {
		if got := c.Relation + " " + c.Scope + " " + c.Linking; got != want[c.Name] {
			t.Errorf("%s: %q, want %q", c.Name, got, want[c.Name])
		}
	}
}

// CycloneDX component.scope: required is runtime, optional and excluded
// are kept.
func TestCycloneDXScope(t *testing.T) {
	m := byName(mustParse(t, "s.cdx.json", `{"bomFormat": "CycloneDX", "components": [
	  {"name": "r", "scope": "required"}, {"name": "o", "scope": "optional"}, {"name": "x", "scope": "excluded"}, {"name": "n"}]}`))
	if m["r"].Scope != "" || m["o"].Scope != ScopeOptional || m["x"].Scope != ScopeExcluded || m["n"].Scope != "" {
		t.Errorf("%+v", m)
	}
}

// Package URLs: one canonical Key per artefact whatever the spelling;
// ParsePURL(Key) gives the Key back; qualifiers that make another
// artefact are kept, the others dropped.
func TestPURLKeys(t *testing.T) {
	cases := []struct{ in, key, display string }{
		{"pkg:npm/@babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0", "@babel/core"},
		{"pkg:npm/%40babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0", "@babel/core"},
		{"pkg:NPM/%40babel/core@7.0.0#lib", "pkg:npm/%40babel/core@7.0.0", "@babel/core"},
		{"pkg:npm/@babel/core", "pkg:npm/%40babel/core", "@babel/core"},
		{"pkg:maven/org.eclipse.jetty/jetty-server@9.4.18?type=jar", "pkg:maven/org.eclipse.jetty/jetty-server@9.4.18", "org.eclipse.jetty:jetty-server"},
		{"pkg:maven/org.eclipse.jetty/jetty-server@9.4.18?type=test-jar&classifier=tests&repository_url=https://repo.example",
			"pkg:maven/org.eclipse.jetty/jetty-server@9.4.18?classifier=tests&type=test-jar", "org.eclipse.jetty:jetty-server"},
		{"pkg:golang/github.com/a/b@v1.2.3", "pkg:golang/github.com/a/b@v1.2.3", "github.com/a/b"},
		{"pkg:deb/debian/openssl@1.1.1n-0+deb11u3?distro=debian-11&arch=amd64&checksum=sha256:00",
			"pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11", "debian/openssl"},
		{"pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25&epoch=1", "pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386&distro=fedora-25&epoch=1", "fedora/curl"},
		{"pkg:pypi/Django_Rest@3.0?file_name=django_rest-3.0-py3-none-any.whl", "pkg:pypi/django-rest@3.0", "django-rest"},
		{"pkg:generic/a%20b/c%2Fd@1%3F", "pkg:generic/a%20b/c%2Fd@1%3F", "a b/c/d"},
	}
	for _, c := range cases {
		p, ok := ParsePURL(c.in)
		if !ok || p.Key() != c.key {
			t.Errorf("ParsePURL(%s).Key() = %s, want %s", c.in, p.Key(), c.key)
			continue
		}
		if q, _ := ParsePURL(p.Key()); q.Key() != p.Key() {
			t.Errorf("Key of %s not stable: %s", p.Key(), q.Key())
		}
		comp := Component{PURL: c.in}
		comp.fill()
		if comp.DisplayName() != c.display || comp.Key != c.key {
			t.Errorf("%s: display %q key %q", c.in, comp.DisplayName(), comp.Key)
		}
	}
	// A jar and its test-jar are two components, with their own hashes.
	doc := mustParse(t, "q.cdx.json", `{"bomFormat": "CycloneDX", "components": [
	  {"name": "x", "purl": "pkg:maven/g/x@1?type=jar", "hashes": [{"alg": "SHA-1", "content": "AA"}]},
	  {"name": "x", "purl": "pkg:maven/g/x@1?classifier=tests&type=test-jar", "hashes": [{"alg": "SHA-1", "content": "BB"}]}]}`)
	if a, b := doc.Components[0], doc.Components[1]; a.Key == b.Key || a.Qualifiers != "" || b.Qualifiers != "classifier=tests&type=test-jar" || b.Hashes[0] != "SHA-1:bb" {
		t.Errorf("%+v\n%+v", a, b)
	}
	for _, bad := range []string{"pkg:", "pkg:npm", "pkg:npm/", "pkg:1x/a", "pkg:n m/a", "npm/a"} {
		if _, ok := ParsePURL(bad); ok {
			t.Errorf("%q read as a purl", bad)
		}
	}
}

// The stream reads keys in any order, skips what it does not read, names
// the line of errors deep in a file, and gives the same result from a
// file, a byte slice and a reader that returns one byte at a time.
func TestStreamOrderErrorsAndReaders(t *testing.T) {
	doc := mustParse(t, "order.cdx.json", `{"dependencies": [{"ref": "app", "dependsOn": ["a", {"ref": "b"}]}],
	  "vulnerabilities": [{"id": "CVE-1", "ratings": [{"score": 9.8}]}, "odd", 3, null],
	  "components": [{"bom-ref": "a", "name": "a", "components": [{"bom-ref": "a1", "name": "a1"}]}, {"bom-ref": "b", "name": "b"}],
	  "metadata": {"component": {"bom-ref": "app", "name": "app"}},
	  "bomFormat": "CycloneDX", "specVersion": "1.5", "services": {"x": [1, {"y": null}]}}`)
	// a, b: the root's dependencies → direct; a1: a sub-component outside
	// the graph → transitive.
	var got []string
	for _, c := range doc.Components {
		got = append(got, c.Name+":"+c.Relation)
	}
	if strings.Join(got, " ") != "a:direct a1:transitive b:direct" || doc.Root != "app" || doc.RootInferred {
		t.Errorf("%v root %s", got, doc.Root)
	}
	// Errors on line 5 of a document, past 3 components.
	lines := []string{`{"bomFormat": "CycloneDX",`, `"components": [`, `{"name": "a"},`, `{"name": "b"},`}
	for _, c := range []struct{ last, want string }{
		{`{"name": 5}]}`, `cyclonedx-json: line 5: json: cannot unmarshal number`},
		{`{"name": "c",, }]}`, `not valid JSON: line 5: invalid character ','`},
		{`{"name": "c"}`, `not valid JSON: line 5: unexpected end of file`},
		{`{"name": "c"}]} {}`, `not valid JSON: line 5: data after the document`},
		{`{"name": "c"}], "dependencies": {"a": 1}}`, `cyclonedx-json: line 5: expected an array`},
	} {
		body := strings.Join(append(slices.Clone(lines), c.last), "\n")
		if _, err := Parse("deep.json", []byte(body)); err == nil || !strings.Contains(err.Error(), "deep.json: "+c.want) {
			t.Errorf("%s: err = %v, want %q", c.last, err, c.want)
		}
	}
	// The same document through ParseFile, Parse and a one-byte reader.
	path := filepath.Join("testdata", "laravel-7.12.0_bom.1.4.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err1 := ParseFile(path)
	b, err2 := Parse(path, data)
	c, err3 := ParseReader(path, iotest.OneByteReader(bytes.NewReader(append([]byte("\xef\xbb\xbf \n"), data...))))
	if err1 != nil || err2 != nil || err3 != nil || len(a.Components) != 62 || !slices.EqualFunc(a.Components, b.Components, sameComponent) ||
		!slices.EqualFunc(a.Components, c.Components, sameComponent) {
		t.Errorf("readers differ: %v %v %v", err1, err2, err3)
	}
}

func sameComponent(a, b Component) bool {
	return a.Key == b.Key && a.Relation == b.Relation && a.License == b.License && slices.Equal(a.Hashes, b.Hashes) && a.Scope == b.Scope
}

// Real SBOMs (CycloneDX bom-examples, Apache-2.0: see testdata/README.md), small ones copied
// whole, Dropwizard's trimmed (descriptions, URLs and all hashes but
// SHA-256 dropped; components, licences and graph kept). The CycloneDX
// counts were computed without osgauge's code:
//
//	python3 testdata/relations.py testdata/*.json
//	dropwizard-1.3.15-trimmed.cdx.json 167 before 0 0 167 after 111 56 0 own 25 roots 29
//	laravel-7.12.0_bom.1.4.json 62 before 1 61 0 after 1 61 0 own 0 roots 0
//	proton-bridge_proton-bridge-v1.8.0.bom.json 201 before 56 145 0 after 56 145 0 own 0 roots 0
//	cern-lhc-vdm-editor-e564943_bom.json 43 before 0 0 43 after 0 0 43 own 0 roots 0
//
// (The full Dropwizard SBOM gives the same; Keycloak's, 2.2 MB, gives 903
// components: 248 direct, 655 transitive, 0 unknown, 59 own, 175 roots.)
// The SPDX ones are written for these tests (the spdx-examples documents
// they follow are GPL-3.0-or-later, so they are not copied here) and
// counted by hand: spdx-app-graph describes SPDXRef-app, which depends on
// commons-lang3, slf4j-api (DEPENDENCY_OF) and junit (TEST_DEPENDENCY_OF):
// 3 direct; hamcrest-core is junit's → transitive, test; Gradle and the
// vendor file's package are outside the graph → transitive. spdx-bin-links:
// the described package rates-bin has no edges; its file rates (no
// package, nothing depends on it) dynamically links libc and libdl → both
// direct, dynamic.
func TestRealSBOMs(t *testing.T) {
	cases := []struct {
		file                                string
		n, direct, transitive, unknown, own int
		roots                               int
	}{
		{"dropwizard-1.3.15-trimmed.cdx.json", 167, 111, 56, 0, 25, 29},
		{"laravel-7.12.0_bom.1.4.json", 62, 1, 61, 0, 0, 0},
		{"proton-bridge_proton-bridge-v1.8.0.bom.json", 201, 56, 145, 0, 0, 0},
		{"cern-lhc-vdm-editor-e564943_bom.json", 43, 0, 0, 43, 0, 0},
		{"spdx-app-graph.spdx.json", 6, 3, 3, 0, 0, 0},
		{"spdx-bin-links.spdx", 2, 2, 0, 0, 0, 1},
	}
	for _, c := range cases {
		doc, err := ParseFile(filepath.Join("testdata", c.file))
		if err != nil {
			t.Fatal(err)
		}
		cnt := map[string]int{}
		for _, x := range doc.Components {
			cnt[x.Relation]++
			if x.Scope == ScopeOwn {
				cnt["own"]++
			}
		}
		if len(doc.Components) != c.n || cnt[Direct] != c.direct || cnt[Transitive] != c.transitive || cnt[Unknown] != c.unknown ||
			cnt["own"] != c.own || len(doc.Roots) != c.roots {
			t.Errorf("%s: %d components %v, %d roots", c.file, len(doc.Components), cnt, len(doc.Roots))
		}
	}
	m := byName(must(ParseFile(filepath.Join("testdata", "spdx-app-graph.spdx.json"))))
	if m["junit"].Scope != ScopeTest || m["hamcrest-core"].Scope != ScopeTest || m["commons-lang3"].Scope != "" {
		t.Errorf("scopes: junit %q hamcrest %q", m["junit"].Scope, m["hamcrest-core"].Scope)
	}
	m = byName(must(ParseFile(filepath.Join("testdata", "spdx-bin-links.spdx"))))
	if m["libc"].Linking != LinkDynamic {
		t.Errorf("libc %+v", m["libc"])
	}
	// Dropwizard's Jetty lists Apache-2.0 and EPL-1.0: a choice.
	m = byName(must(ParseFile(filepath.Join("testdata", "dropwizard-1.3.15-trimmed.cdx.json"))))
	if j := m["jetty-server"]; j.License != "Apache-2.0 OR EPL-1.0" || !strings.Contains(j.LicenseNote, "Maven POM") {
		t.Errorf("jetty %q %q", j.License, j.LicenseNote)
	}
}

func must(d *Doc, err error) *Doc {
	if err != nil {
		panic(err)
	}
	return d
}
