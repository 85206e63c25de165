package pipeline

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/excel"
	"github.com/osgauge/osgauge/reports/html"
	"github.com/osgauge/osgauge/reports/jsonreport"
)

const (
	benchProjects   = 10000
	benchDims       = 5
	benchPerDim     = 8 // 40 indicators
	benchPeriods    = 4
	benchSuppliers  = 30
	benchEvidenceSz = 60
)

// boardPack is a portfolio of 10,000 projects × 40 indicators with four
// periods of history (the oldest scored with an earlier model version),
// changes against the previous period, 30 suppliers and the institution.
func boardPack(b testing.TB) *reports.Report {
	var y strings.Builder
	y.WriteString("id: project-health\nversion: 1.0.0\nsubject: project\nname: {en: Project Health Index, zh: 项目健康度}\nmin_coverage: 0.5\n")
	y.WriteString("grades:\n  - {id: A, min: 80}\n  - {id: B, min: 65}\n  - {id: C, min: 50}\n  - {id: D, min: 0}\n")
	y.WriteString("gates:\n  - {id: G-ARCHIVED, name: {en: Archived}, metric: manual.archived, op: eq, value: 1, cap: D}\ndimensions:\n")
	for d := 0; d < benchDims; d++ {
		fmt.Fprintf(&y, "  - id: D%d\n    name: {en: Dimension %d, zh: 维度%d}\n    weight: 20\n    indicators:\n", d, d, d)
		for i := 0; i < benchPerDim; i++ {
			fmt.Fprintf(&y, "      - {id: D%d-%d, name: {en: Indicator %d.%d}, metrics: [manual.m%d_%d], normalize: {log: {threshold: 10}}, weight: 1, clause: \"CHAOSS %d\"}\n", d, i, d, i, d, i, i)
		}
	}
	m, err := models.Parse("bench.yaml", []byte(y.String()))
	if err != nil {
		b.Fatal(err)
	}
	periods := []string{"2026Q4", "2026Q3", "2026Q2", "2026Q1"}
	r := &reports.Report{Period: periods[0], PreviousPeriod: periods[1], Periods: periods, Lang: "en", GeneratedAt: time.Now(),
		Defs: models.Set{m.ID: m}, Models: []reports.ModelRef{{ID: m.ID, Version: "1.0.0", Hash: "sha256:new"}},
		Delta: &reports.PortfolioDelta{PreviousPeriod: periods[1]}}
	grade := func(s float64) string {
		switch {
		case s >= 80:
			return "A"
		case s >= 65:
			return "B"
		case s >= 50:
			return "C"
		}
		return "D"
	}
	ev := strings.Repeat("e", benchEvidenceSz)
	for p := 0; p < benchProjects; p++ {
		score := float64((p*37)%1000) / 10
		res := models.Result{Model: m.ID, ModelVersion: "1.0.0", ModelHash: "sha256:new", Score: models.Num(score), Grade: grade(score),
			Status: "ok", Coverage: 0.9, Explanation: "weighted mean over 5 dimensions; coverage 90%"}
		if p%50 == 0 {
			res.Gates = []models.GateHit{{ID: "G-ARCHIVED", Reason: "repository archived", Cap: "D"}}
			res.Grade = "D"
		}
		for d := 0; d < benchDims; d++ {
			res.Dimensions = append(res.Dimensions, models.DimensionResult{ID: fmt.Sprintf("D%d", d), Score: models.Num(float64((p + 13*d) % 100)), Coverage: 1, Weight: 20})
			for i := 0; i < benchPerDim; i++ {
				raw := float64((p + i) % 97)
				res.Indicators = append(res.Indicators, models.IndicatorResult{
					ID: fmt.Sprintf("D%d-%d", d, i), Dimension: fmt.Sprintf("D%d", d), Raw: models.Num(raw), Normalized: models.Num(0.5),
					Weight: 1, Contribution: models.Num(2.5), Source: "github", Evidence: fmt.Sprintf("https://github.com/org/repo-%d/%s", p, ev[:20]),
					Status: "ok", Explanation: fmt.Sprintf("%g → log(T=10) = 0.500", raw),
				})
			}
		}
		s := reports.SubjectReport{Kind: models.KindProject, ID: fmt.Sprintf("github.com/org/repo-%d", p), Name: fmt.Sprintf("repo-%05d", p),
			Description: "A project <with> markup & text", Results: []models.Result{res}}
		s.History = append(s.History, reports.HistoryPoint{Period: periods[0], Model: m.ID, ModelVersion: "1.0.0", Score: res.Score, Grade: res.Grade, Status: "ok", Comparable: true})
		if p%100 == 99 {
			r.Delta.Added = append(r.Delta.Added, reports.SubjectRef{Kind: models.KindProject, ID: s.ID, Name: s.Name})
		} else {
			for k := 1; k < benchPeriods; k++ {
				old := score - float64(k*((p%7)-3))
				old = max(0, min(100, old))
				version := "1.0.0"
				if k == benchPeriods-1 {
					version = "0.9.0"
				}
				s.History = append(s.History, reports.HistoryPoint{Period: periods[k], Model: m.ID, ModelVersion: version, Score: models.Num(old),
					Grade: grade(old), Status: "ok", Comparable: version == "1.0.0"})
				if k == 1 {
					prev := res
					prev.Score, prev.Grade, prev.Gates = models.Num(old), grade(old), nil
					if p%75 == 0 {
						prev.Gates = []models.GateHit{{ID: "G-ARCHIVED"}}
					}
					s.Changes = []assess.Change{assess.Diff(prev, res, periods[1])}
				}
			}
		}
		r.Subjects = append(r.Subjects, s)
	}
	for i := 0; i < benchSuppliers; i++ {
		r.Subjects = append(r.Subjects, reports.SubjectReport{Kind: models.KindSupplier, ID: fmt.Sprintf("sup-%d", i), Name: fmt.Sprintf("Supplier %d", i),
			Results: []models.Result{{Model: models.Supplier, Score: models.Num(float64(40 + i)), Grade: "T2", Status: "ok", Coverage: 1}}})
	}
	return r
}

// BenchmarkBoardPack writes the workbook, the dashboard and the JSON of
// boardPack; it reports each writer's seconds and the output sizes. Peak
// memory: run the test binary under /usr/bin/time -v.
func BenchmarkBoardPack(b *testing.B) {
	b.Run("projects", func(b *testing.B) { benchBoardPack(b, boardPack(b)) })
	// Issue 12's target: the same plus 50,000 components in 200 systems.
	b.Run("with-inventory", func(b *testing.B) {
		r := boardPack(b)
		r.Inventory = benchInventory(50000, 200)
		benchBoardPack(b, r)
	})
}

// benchInventory is n components in systems systems, each component run
// by 5 of them; one in 50 maps to a portfolio project, one in 20 has a
// high and one in 500 a known-exploited critical vulnerability.
func benchInventory(n, systems int) *reports.Inventory {
	inv := &reports.Inventory{Totals: reports.InvTotals{ByClass: map[string]int{}, ByCompatibility: map[string]int{},
		ByPolicy: map[string]int{}, Vulnerable: map[string]int{}, DeclaredProjects: benchProjects}}
	for i := 0; i < systems; i++ {
		inv.Systems = append(inv.Systems, reports.InvSystem{Name: fmt.Sprintf("system-%03d", i), Licence: "Apache-2.0", LicenceSource: "config",
			Use: "distributed", Format: "cyclonedx-json", Components: n * 5 / systems})
	}
	classes := []string{"permissive", "permissive", "permissive", "weak-copyleft", "strong-copyleft", "unknown"}
	compat := []string{"directly-compatible", "directly-compatible", "directly-compatible", "compatible-with-conditions", "incompatible", "needs-review"}
	for i := 0; i < n; i++ {
		c := reports.InvComponent{Name: fmt.Sprintf("org.example/lib-%05d", i), Version: "1.2.3", PURL: fmt.Sprintf("pkg:maven/org.example/lib-%05d@1.2.3", i),
			Ecosystem: "maven", Licence: "Apache-2.0", LicenceClass: classes[i%len(classes)], Compatibility: compat[i%len(compat)],
			CompatibilityWhy: "system-000: OSADL: Apache-2.0 in Apache-2.0: Same", Policy: "allowed"}
		d := i%4 == 0
		c.Direct = &d
		for k := 0; k < 5; k++ {
			c.Systems = append(c.Systems, reports.InvUse{System: fmt.Sprintf("system-%03d", (i+k*37)%systems)})
		}
		if i%50 == 0 {
			c.Project = fmt.Sprintf("github.com/bench/p%d", i/50%benchProjects)
		}
		if i%20 == 0 {
			c.Vulnerabilities = reports.InvVuln{Checked: true, High: 1, Fixable: 1, IDs: []string{fmt.Sprintf("GHSA-%d", i)}}
		}
		if i%500 == 0 {
			c.Vulnerabilities.Critical, c.Vulnerabilities.KEV = 1, 1
		}
		inv.Components = append(inv.Components, c)
		inv.Totals.ByClass[c.LicenceClass]++
		inv.Totals.ByCompatibility[c.Compatibility]++
		inv.Totals.ByPolicy[c.Policy]++
	}
	inv.Totals.Systems, inv.Totals.Components = systems, n
	return inv
}

func benchBoardPack(b *testing.B, r *reports.Report) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "report-MiB")
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	var tx, th, tj time.Duration
	for b.Loop() {
		t0 := time.Now()
		if err := excel.Write(filepath.Join(dir, "r.xlsx"), r); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := html.WriteFile(filepath.Join(dir, "r.html"), r); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := jsonreport.WriteFile(filepath.Join(dir, "r.json"), r); err != nil {
			b.Fatal(err)
		}
		tx, th, tj = tx+t1.Sub(t0), th+t2.Sub(t1), tj+time.Since(t2)
	}
	n := float64(b.N)
	b.ReportMetric(tx.Seconds()/n, "xlsx-s")
	b.ReportMetric(th.Seconds()/n, "html-s")
	b.ReportMetric(tj.Seconds()/n, "json-s")
}
