package osv

import (
	"math"
	"slices"
	"testing"
)

// FuzzCVSS3: no vector panics the scorer; a vector it scores has a base
// score between 0 and 10 with one decimal, and its level is a known one.
func FuzzCVSS3(f *testing.F) {
	for _, s := range []string{
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:N",
		"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N/E:P", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:X/C:H/I:H/A:H",
		"CVSS:3.1/AV/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
		"AV:N/AC:L/Au:N/C:P/I:P/A:P", "CVSS:3.1/AV:N/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		score, ok := CVSS3(v)
		if !ok {
			return
		}
		if math.IsNaN(score) || score < 0 || score > 10 || math.Abs(score*10-math.Round(score*10)) > 1e-9 {
			t.Fatalf("%q scored %v", v, score)
		}
		if l := Level(score); !slices.Contains([]string{Critical, High, Medium, Low, None}, l) {
			t.Fatalf("%q: level %q", v, l)
		}
	})
}

// FuzzParseRecord: no OSV record panics the reader or what osgauge does
// with a record (rating it, matching versions against its ranges, turning
// it into what the store keeps).
func FuzzParseRecord(f *testing.F) {
	for _, s := range []string{
		`{"id":"GHSA-xxxx","aliases":["CVE-2024-1"],"modified":"2024-01-02T00:00:00Z","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
		  "affected":[{"package":{"ecosystem":"Maven","name":"com.alibaba:fastjson"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2.25"}]}],"versions":["1.2.24"]}]}`,
		`{"id":"PYSEC-1","database_specific":{"severity":"MODERATE"},"affected":[{"package":{"ecosystem":"PyPI","name":"django"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"3.0"},{"last_affected":"3.2.1"},{"introduced":"4.0a1"},{"limit":"4.1"}]}]}]}`,
		`{"id":"GO-1","affected":[{"package":{"ecosystem":"Go","name":"golang.org/x/net"},"ranges":[{"type":"SEMVER","events":[{"introduced":""},{"fixed":"v0.0.0-20230101-abcdef"}]}],"severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N"}]}]}`,
		`{"id":"X","withdrawn":"2024-01-01T00:00:00Z","affected":[{"ranges":[{"events":[{"fixed":"99999999999999999999999"}]}]}]}`,
		`{}`, `[]`, `{"affected":null}`,
	} {
		f.Add([]byte(s), "1.2.24")
	}
	f.Fuzz(func(t *testing.T, data []byte, version string) {
		r, err := ParseRecord(data)
		if err != nil {
			return
		}
		levels := []string{Critical, High, Medium, Low, None, Unrated}
		v := toVuln(r, data, "fuzz")
		if !slices.Contains(levels, v.Severity) {
			t.Fatalf("level %q", v.Severity)
		}
		for _, a := range r.Affected {
			level, score := r.Rate(a.Package.Ecosystem, a.Package.Name)
			if !slices.Contains(levels, level) || (score != nil && (*score < 0 || *score > 10)) {
				t.Fatalf("rated %q %v", level, score)
			}
			r.AffectedVersion(a.Package.Ecosystem, a.Package.Name, version)
			for _, w := range a.Versions {
				if c := Compare(w, w); c != 0 {
					t.Fatalf("Compare(%q, itself) = %d", w, c)
				}
				if Compare(w, version) != -Compare(version, w) {
					t.Fatalf("Compare(%q, %q) is not antisymmetric", w, version)
				}
			}
		}
	})
}
