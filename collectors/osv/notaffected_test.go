package osv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/store"
)

// fakeAnalyses says FJ-1 (GHSA-fj-1, alias CVE-2017-18349) is not_affected
// in fastjson 1.2.24 of the systems listed.
type fakeAnalyses struct{ systems []string }

func (a fakeAnalyses) NotAffected(system string, comp store.InvComponent, ids []string) (string, bool) {
	if !slices.Contains(a.systems, system) || comp.Version != "1.2.24" || !slices.Contains(ids, "CVE-2017-18349") {
		return "", false
	}
	return "not_affected (code_not_reachable)", true
}

func TestNotAffectedLeftOutOfProjectMetrics(t *testing.T) {
	setup := func(t *testing.T, portal bool) (*fixture, Options) {
		f := newFixture(t)
		zipPath := filepath.Join(f.dir, "Maven.zip")
		writeZip(t, zipPath, records)
		kev := filepath.Join(f.dir, "kev.json")
		os.WriteFile(kev, []byte(kevJSON), 0o644)
		if portal {
			f.sys = append(f.sys, sbom.System{Name: "portal", Path: f.sys[0].Path, Use: "internal"})
		}
		return f, Options{Exports: []string{zipPath}, KEV: kev,
			Analyses: func(context.Context) (Analyses, error) { return fakeAnalyses{[]string{"payments"}}, nil }}
	}

	// payments alone runs fastjson 1.2.24, and analysed FJ-1 not_affected:
	// only FJ-3 (moderate, no fix, published 2026-03-01) is counted.
	f, opt := setup(t, false)
	got, _, err := f.run(t, opt)
	if err != nil {
		t.Fatal(err)
	}
	fj := got[f.fj.Subject.ID]
	for m, want := range map[string]float64{
		"osv.vulns_weighted_in_use":    2, // FJ-3 moderate 2 (FJ-1's critical 10 left out)
		"osv.vulns_open":               1,
		"osv.vulns_critical":           0,
		"osv.vulns_fixable":            0,  // FJ-3 has no fix
		"osv.kev_unpatched":            0,  // FJ-1 was the known-exploited one
		"osv.days_exposed_max":         92, // FJ-3: 2026-03-01 → 06-01 = 31 + 30 + 31
		"osv.high_unpatched_fixed_30d": 0,
		// Facts of the project's releases, not of the version in use: as before.
		"osv.vulns_weighted_latest": 2,
		"osv.fix_days_median":       49.5,
	} {
		if v := val(t, fj, m); v != want {
			t.Errorf("%s = %v, want %v (evidence %s)", m, v, want, fj[m].Evidence)
		}
	}
	// Listed, with the analysis, where the count is read.
	note := "not counted, analysed not affected or a false positive in every system that runs it (1): fastjson 1.2.24 GHSA-fj-1 (payments: not_affected (code_not_reachable))"
	for _, m := range []string{"osv.vulns_open", "osv.vulns_weighted_in_use", "osv.kev_unpatched"} {
		if !strings.Contains(fj[m].Evidence, note) {
			t.Errorf("%s evidence lacks the note: %s", m, fj[m].Evidence)
		}
	}

	// The institution's figures leave it out too: without analyses FJ-1,
	// FJ-3 and SPR-1 are open (3) and FJ-1 is the KEV one (1); with FJ-1
	// not affected in payments, the only system running 1.2.24: 2 and 0.
	in := got[f.inst.Subject.ID]
	if val(t, in, "osv.vulns_open") != 2 || val(t, in, "osv.kev_unpatched") != 0 || !strings.Contains(in["osv.vulns_open"].Evidence, note) {
		t.Errorf("institution: open %v, KEV %v (%s)", val(t, in, "osv.vulns_open"), val(t, in, "osv.kev_unpatched"), in["osv.vulns_open"].Evidence)
	}

	// portal runs the same version without an analysis: FJ-1 is a risk
	// there, so every hand-worked fact stands as without analyses.
	f, opt = setup(t, true)
	got, _, err = f.run(t, opt)
	if err != nil {
		t.Fatal(err)
	}
	checkFastjson(t, got[f.fj.Subject.ID])
	if ev := got[f.fj.Subject.ID]["osv.vulns_open"].Evidence; strings.Contains(ev, "not counted") {
		t.Errorf("a match still a risk in portal is said not counted: %s", ev)
	}
	if in := got[f.inst.Subject.ID]; val(t, in, "osv.vulns_open") != 3 || val(t, in, "osv.kev_unpatched") != 1 {
		t.Errorf("institution with portal: open %v, KEV %v", val(t, in, "osv.vulns_open"), val(t, in, "osv.kev_unpatched"))
	}

	// Analyses that cannot be read: the error is said once, and the
	// matches are counted as before.
	f, opt = setup(t, false)
	opt.Analyses = func(context.Context) (Analyses, error) { return nil, errors.New("ledger/vulns/x.yaml:2: state: bad") }
	got, _, err = f.run(t, opt)
	if err == nil || !strings.Contains(err.Error(), "vulnerability analyses: ledger/vulns/x.yaml:2") {
		t.Errorf("err = %v", err)
	}
	checkFastjson(t, got[f.fj.Subject.ID])
}
