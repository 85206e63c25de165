package sbom

import (
	"strings"
	"testing"
)

// FuzzParse: no input panics, and every error names the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{paymentsCDX, tellerCDX, portalSPDX, batchSPDX,
		`{"bomFormat": "CycloneDX", "components": [{"name": "a", "bom-ref": "a"}], "dependencies": [{"ref": "a", "dependsOn": ["a"]}]}`,
		`{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "x", "name": "x"}], "relationships": [{"spdxElementId": "x", "relationshipType": "STATIC_LINK", "relatedSpdxElement": "x"}]}`,
		"\xef\xbb\xbf{", "{\"bomFormat\": 1}", "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"></bom>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("fuzz.sbom", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.sbom: ") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		for _, c := range doc.Components {
			if c.Name == "" || c.Key == "" || c.Relation == "" {
				t.Fatalf("component %+v", c)
			}
		}
	})
}

// FuzzParsePURL: no input panics, and a Key reads back as itself.
func FuzzParsePURL(f *testing.F) {
	for _, s := range []string{"pkg:npm/@babel/core@7.0.0", "pkg:npm/%40babel/core@7.0.0#lib", "pkg:maven/g/a@1?classifier=tests&type=test-jar",
		"pkg:deb/debian/openssl@1.1.1n-0+deb11u3?arch=amd64&distro=debian-11", "pkg:golang/github.com/a/b/v2@v2.0.0", "pkg:pypi/Django_Rest@3.0",
		"pkg:generic/a%2Fb/%zz@1%3F", "pkg:x//a//b@"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, ok := ParsePURL(s)
		if !ok {
			return
		}
		k := p.Key()
		q, ok := ParsePURL(k)
		if !ok || q.Key() != k {
			t.Fatalf("%q: key %q reads back as %q (%v)", s, k, q.Key(), ok)
		}
		_ = Component{Ecosystem: p.Type, Namespace: p.Namespace, Name: p.Name}.DisplayName()
	})
}
