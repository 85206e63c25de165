package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
)

// BenchmarkCheck1000 checks a 1,000-component SBOM against a warm store
// holding 2,000 OSV records (two per package of the first 1,000
// packages, half of them affecting the version in use, one in ten of
// those in the KEV list) and a ledger of 300 decisions and 50 exits. The
// goal (issue 23): under 2 s per check.
func BenchmarkCheck1000(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	const n = 1000
	// The SBOM: 1,000 Maven components, the first 100 direct.
	var sb strings.Builder
	sb.WriteString(`{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "app"}}, "components": [`)
	var direct []string
	for i := range n {
		if i > 0 {
			sb.WriteString(",\n")
		}
		fmt.Fprintf(&sb, `{"bom-ref": "c%d", "type": "library", "group": "org.example.g%d", "name": "lib%d", "version": "1.%d.0", "purl": "pkg:maven/org.example.g%d/lib%d@1.%d.0", "licenses": [{"license": {"id": %q}}]}`,
			i, i%37, i, i%10, i%37, i, i%10, []string{"Apache-2.0", "MIT", "MPL-2.0", "BSD-3-Clause", "GPL-2.0-only"}[i%5])
		if i < 100 {
			direct = append(direct, fmt.Sprintf(`"c%d"`, i))
		}
	}
	fmt.Fprintf(&sb, `], "dependencies": [{"ref": "app", "dependsOn": [%s]}`, strings.Join(direct, ", "))
	for i := 0; i < 100; i++ {
		var deps []string
		for j := 100 + i*9; j < 100+(i+1)*9 && j < n; j++ {
			deps = append(deps, fmt.Sprintf(`"c%d"`, j))
		}
		fmt.Fprintf(&sb, `, {"ref": "c%d", "dependsOn": [%s]}`, i, strings.Join(deps, ", "))
	}
	sb.WriteString("]}\n")
	sbomData := []byte(sb.String())

	// OSV records: two per package; the first affects versions < 1.5.0
	// (so components 1.0.0–1.4.0 are affected), the second < 1.0.0 (none).
	osvDir := filepath.Join(dir, "osv")
	os.MkdirAll(osvDir, 0o755)
	var kev []string
	for i := range n {
		pkg := fmt.Sprintf("org.example.g%d:lib%d", i%37, i)
		for k, fixed := range []string{"1.5.0", "1.0.0"} {
			id := fmt.Sprintf("GHSA-%04d-%d", i, k)
			cve := fmt.Sprintf("CVE-2099-%05d", i*2+k)
			if k == 0 && i%10 == 0 {
				kev = append(kev, fmt.Sprintf(`{"cveID": %q}`, cve))
			}
			rec := fmt.Sprintf(`{"id": %q, "modified": "2026-01-01T00:00:00Z", "aliases": [%q], "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Maven", "name": %q}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": %q}]}]}]}`, id, cve, pkg, fixed)
			os.WriteFile(filepath.Join(osvDir, id+".json"), []byte(rec), 0o644)
		}
	}
	os.WriteFile(filepath.Join(dir, "kev.json"), []byte(`{"vulnerabilities": [`+strings.Join(kev, ",")+`]}`), 0o644)
	// The ledger: 300 decisions, 50 exits.
	for i := range 300 {
		d := []string{"approved", "rejected", "approved"}[i%3]
		body := fmt.Sprintf("target: pkg:maven/org.example.g%d/lib%d\ndecision: %s\nby: a\nwhy: b\nat: 2026-01-01T00:00:00Z\n", i%37, i, d)
		p := filepath.Join(dir, "ledger", "decisions", fmt.Sprintf("d%d.yaml", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	for i := 300; i < 350; i++ {
		body := fmt.Sprintf("target: pkg:maven/org.example.g%d/lib%d\nreason: unmaintained\ndeadline: \"2030-01-01\"\nowner: o\nby: a\nwhy: b\nat: 2026-01-01T00:00:00Z\n", i%37, i)
		p := filepath.Join(dir, "ledger", "exits", fmt.Sprintf("e%d.yaml", i))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "osgauge.yaml"), []byte(`store: {driver: sqlite, dsn: osgauge.db}
osv: {export: osv, kev: kev.json}
sboms: [{system: app, path: app.json, licence: proprietary, use: distributed}]
`), 0o644)
	cfg, err := config.Load(filepath.Join(dir, "osgauge.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	_, ov := supplyChain(cfg, st, []string{"osv"})
	if err := ov.Prepare(ctx); err != nil { // imports the export and the KEV list
		b.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	res, err := runCheck(ctx, cfg, st, "app", "app.json", bytes.NewReader(sbomData), now)
	if err != nil {
		b.Fatal(err)
	}
	// Components 1.0.0–1.4.0 (i%10 < 5: 500) have the first record; one
	// in ten (i%10 == 0: 100) is in the KEV list; AV:N/AC:H/PR:N/UI:N/
	// S:U/C:H/I:H/A:H is CVSS 8.1, high, below block_severity critical,
	// so only the 100 KEV ones block for a vulnerability.
	rules := map[string]int{}
	for _, f := range res.Findings {
		rules[f.Rule]++
	}
	if res.Components != n || rules["kev"] != 100 || rules["vulnerability"] != 0 {
		b.Fatalf("components %d, findings by rule %v; want %d, 100 kev, no vulnerability", res.Components, rules, n)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := runCheck(ctx, cfg, st, "app", "app.json", bytes.NewReader(sbomData), now); err != nil {
			b.Fatal(err)
		}
	}
}
