package osv_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// BenchmarkInventory imports 200 CycloneDX SBOMs holding 50,000 distinct
// components in 250,000 references (component k sits in 5 SBOMs), matches
// them against an offline OSV export of 2,000 advisories, records the
// licence and vulnerability facts of 100 portfolio projects and the
// institution, and assesses them with the built-in models.
//
//	go test ./collectors/osv -run '^$' -bench Inventory -benchtime 1x
func BenchmarkInventory(b *testing.B) {
	const systems, distinct, perSBOM, stride = 200, 50000, 1250, 250
	dir := b.TempDir()
	licences := []string{"Apache-2.0", "MIT", "BSD-3-Clause", "MIT OR GPL-3.0-only", "LGPL-2.1-only", "EPL-2.0", "GPL-2.0-only WITH Classpath-exception-2.0", "SSPL-1.0", ""}
	var paths []string
	for s := 0; s < systems; s++ {
		var sb strings.Builder
		sb.WriteString(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": {"type": "application", "bom-ref": "root", "name": "sys` + strconv.Itoa(s) + `"}}, "components": [`)
		var deps []string
		for j := 0; j < perSBOM; j++ {
			k := (s*stride + j) % distinct
			if j > 0 {
				sb.WriteString(",")
			}
			lic := licences[k%len(licences)]
			licJSON := ""
			if lic != "" {
				licJSON = `, "licenses": [{"expression": "` + lic + `"}]`
			}
			fmt.Fprintf(&sb, `{"type": "library", "bom-ref": "c%d", "name": "lib%d", "group": "org.bench%d", "version": "1.%d.0", "purl": "pkg:maven/org.bench%d/lib%d@1.%d.0"%s, "externalReferences": [{"type": "vcs", "url": "https://github.com/bench%d/lib%d"}]}`,
				k, k, k%500, k%7, k%500, k, k%7, licJSON, k%500, k)
			if j < 50 {
				deps = append(deps, fmt.Sprintf(`"c%d"`, k))
			}
		}
		sb.WriteString(`], "dependencies": [{"ref": "root", "dependsOn": [` + strings.Join(deps, ",") + `]}]}`)
		p := filepath.Join(dir, fmt.Sprintf("sys%d.cdx.json", s))
		if err := os.WriteFile(p, []byte(sb.String()), 0o644); err != nil {
			b.Fatal(err)
		}
		paths = append(paths, p)
	}
	// 2,000 advisories on the packages of components 0, 25, 50, …: each
	// affects versions below 1.3.0 (so every version in use), half fixed.
	exp := filepath.Join(dir, "osv")
	os.MkdirAll(exp, 0o755)
	for i := 0; i < 2000; i++ {
		k := i * 25
		fixed := ""
		if i%2 == 0 {
			fixed = `, {"fixed": "1.3.0"}`
		}
		rec := fmt.Sprintf(`{"id": "BENCH-%d", "modified": "2026-01-01T00:00:00Z", "published": "2026-01-01T00:00:00Z", "database_specific": {"severity": "HIGH"},
		  "affected": [{"package": {"ecosystem": "Maven", "name": "org.bench%d:lib%d"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}%s]}]}]}`, i, k%500, k, fixed)
		os.WriteFile(filepath.Join(exp, fmt.Sprintf("BENCH-%d.json", i)), []byte(rec), 0o644)
	}
	set, err := models.Load(nil)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		ctx := context.Background()
		st, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		var sys []sbom.System
		for i, p := range paths {
			sys = append(sys, sbom.System{Name: fmt.Sprintf("sys%d", i), Path: p, Licence: "Apache-2.0", Use: "distributed"})
		}
		sc := sbom.New(sbom.Options{Systems: sys, Store: st, HasInstitution: true})
		oc := osv.New(osv.Options{Exports: []string{exp}, Store: st, Before: sc.Import, HasInstitution: true})
		targets := []collectors.Target{{Subject: models.Subject{Kind: models.KindInstitution, ID: "institution/bench", Name: "Bench Bank"}}}
		for p := 0; p < 100; p++ {
			k := p * 25
			id := fmt.Sprintf("github.com/bench%d/lib%d", k%500, k)
			targets = append(targets, collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: id, Name: id}})
		}
		t0 := time.Now()
		sum, err := pipeline.Collect(ctx, st, targets, []collectors.Collector{sc, oc}, pipeline.CollectOptions{Workers: 2})
		if err != nil || len(sum.Failed) > 0 {
			b.Fatalf("%v %+v", err, sum.Failed)
		}
		collected := time.Since(t0)
		now := time.Now()
		res, err := pipeline.Assess(ctx, st, set, assess.CurrentQuarter(now), now, nil)
		if err != nil {
			b.Fatal(err)
		}
		rows, _ := st.CurrentInventory(ctx)
		comps, _ := st.Components(ctx)
		if len(rows) != systems*perSBOM || len(comps) != distinct || sc.Stats.References != systems*perSBOM || oc.Stats.Checked != distinct {
			b.Fatalf("refs %d comps %d stats %+v %+v", len(rows), len(comps), sc.Stats, oc.Stats)
		}
		b.ReportMetric(collected.Seconds(), "collect-s")
		b.ReportMetric(float64(len(res)), "results")
		b.ReportMetric(float64(oc.Stats.Matches), "matches")
		st.Close()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
	if data, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, "VmHWM:") {
				f := strings.Fields(line)
				if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
					b.ReportMetric(kb/1024, "peak-RSS-MiB")
				}
			}
		}
	}
}
