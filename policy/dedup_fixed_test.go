package policy

import "testing"

// Review finding 9a: two records of one flaw (a GHSA and its CVE) merge
// with the later fixed version, compared as versions: 1.2.83 > 1.2.9
// (83 > 9 as numbers), whichever record comes first.
func TestDedupVulnsKeepsLaterFix(t *testing.T) {
	for _, vs := range [][]Vuln{
		{{ID: "GHSA-aaaa", Aliases: []string{"CVE-2022-1"}, Fixed: "1.2.9"}, {ID: "CVE-2022-1", Fixed: "1.2.83"}},
		{{ID: "CVE-2022-1", Fixed: "1.2.83"}, {ID: "GHSA-aaaa", Aliases: []string{"CVE-2022-1"}, Fixed: "1.2.9"}},
		{{ID: "CVE-2022-1"}, {ID: "GHSA-aaaa", Aliases: []string{"CVE-2022-1"}, Fixed: "1.2.83"}},
	} {
		out := dedupVulns(vs)
		if len(out) != 1 || out[0].Fixed != "1.2.83" {
			t.Errorf("dedupVulns(%+v) = %+v, want one with fixed 1.2.83", vs, out)
		}
	}
}
