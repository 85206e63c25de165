package vulns

import (
	"fmt"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
)

// BenchmarkBuild: 100 systems × 12 snapshots × 500 components (2,000
// component versions, one in ten affected by two aliased records) and
// 1,000 analyses, versions changing every snapshot: about 0.4 s per Build
// on 2 cores.
func BenchmarkBuild(b *testing.B) {
	in := Input{Keys: map[int64][]string{}, Components: map[string]store.InvComponent{}, Matches: map[string][]store.ComponentVuln{}, Now: day("2026-12-31")}
	for i := 0; i < 2000; i++ {
		c := comp("npm", "", fmt.Sprintf("p%d", i%1000), fmt.Sprintf("1.0.%d", i/1000))
		in.Components[c.Key] = c
		if i%10 == 0 {
			id := fmt.Sprintf("GHSA-%04d", i)
			in.Matches[c.Key] = []store.ComponentVuln{{Key: c.Key, Vuln: store.Vuln{ID: id, Severity: "high", Aliases: []string{"CVE-2026-" + id[5:]}}}}
		}
	}
	id := int64(0)
	for s := 0; s < 100; s++ {
		for v := 0; v < 12; v++ {
			id++
			in.Snapshots = append(in.Snapshots, store.Snapshot{ID: id, System: fmt.Sprintf("sys%d", s), ImportedAt: day("2026-01-01").AddDate(0, v, 0)})
			for k := 0; k < 500; k++ {
				in.Keys[id] = append(in.Keys[id], fmt.Sprintf("pkg:npm/p%d@1.0.%d", (s*7+k)%1000, (v+k)%2))
			}
		}
	}
	for i := 0; i < 1000; i++ {
		in.Analyses = append(in.Analyses, ledger.VulnAnalysis{ID: fmt.Sprint(i), Target: fmt.Sprintf("pkg:npm/p%d", i), Vuln: fmt.Sprintf("CVE-2026-%04d", i), State: NotAffected, Justification: "code_not_reachable", At: day("2026-03-01").Add(time.Duration(i) * time.Minute)})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fs := Build(in)
		if len(fs) == 0 {
			b.Fatal("no findings")
		}
	}
}
