package vulns

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/store"
)

// fastjsonInput is payments with the given snapshots of fastjson, every
// version from 1.2.24 to 1.2.80 affected by CVE-2022-25845 (critical,
// fixed in 1.2.83; later versions have no match).
func fastjsonInput(snaps [][]store.InvComponent, at ...string) Input {
	in := Input{Keys: map[int64][]string{}, Components: map[string]store.InvComponent{}, Matches: map[string][]store.ComponentVuln{},
		Deadlines: testDeadl, Now: day("2026-01-20")}
	for i, cs := range snaps {
		id := int64(i + 1)
		in.Snapshots = append(in.Snapshots, store.Snapshot{ID: id, System: payments, Path: "v" + string(rune('1'+i)) + ".json", ImportedAt: day(at[i])})
		for _, c := range cs {
			in.Keys[id] = append(in.Keys[id], c.Key)
			in.Components[c.Key] = c
			if ledger.CompareVersions(c.Version, "1.2.80") <= 0 && c.Name == "fastjson" {
				in.Matches[c.Key] = []store.ComponentVuln{{Key: c.Key, Fixed: "1.2.83", Vuln: store.Vuln{ID: "CVE-2022-25845", Severity: "critical"}}}
			}
		}
	}
	return in
}

var (
	fastjson24 = comp("maven", "com.alibaba", "fastjson", "1.2.24")
	fastjson81 = comp("maven", "com.alibaba", "fastjson", "1.2.81")
)

// Finding 1: a not_affected analysis of 1.2.24 says nothing of 1.2.80,
// which runs beside it from snapshot 2: the finding goes back to
// in_triage and stays open.
func TestNotAffectedOfOneVersionDoesNotHideAnother(t *testing.T) {
	in := fastjsonInput([][]store.InvComponent{{fastjson24}, {fastjson24, fastjson80}}, "2026-01-01", "2026-01-10")
	in.Analyses = []ledger.VulnAnalysis{{ID: "va-1", Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.24", Vuln: "CVE-2022-25845",
		State: NotAffected, Justification: "requires_configuration", By: "a", Why: "autoType off", At: day("2026-01-02")}}
	fs := Build(in)
	if len(fs) != 1 {
		t.Fatalf("%d findings, want 1", len(fs))
	}
	f := fs[0]
	// 01-01 in_triage, 01-02 not_affected (covers 1.2.24, the only version),
	// 01-10 1.2.24 and 1.2.80: the analysis does not cover 1.2.80: in_triage.
	if f.Version != "1.2.24, 1.2.80" || f.State != InTriage || !f.Open || f.Justification != "" || f.AnalysisVersions != "" {
		t.Fatalf("finding %+v", f)
	}
	if n := len(f.History); n != 3 || !strings.Contains(f.History[2].Why, "no analysis applies") {
		t.Errorf("history %+v", f.History)
	}
	// An analysis recorded later for 1.2.24 only does not apply either.
	in.Analyses = append(in.Analyses, ledger.VulnAnalysis{ID: "va-2", Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.24", Vuln: "CVE-2022-25845",
		State: NotAffected, Justification: "requires_configuration", By: "a", Why: "again", At: day("2026-01-12")})
	if f := Build(in)[0]; f.State != InTriage || !strings.Contains(f.History[len(f.History)-1].Why, "must cover every version running") {
		t.Errorf("after a second analysis of 1.2.24: %+v", f)
	}
	// One covering both (>=1.2.24,<=1.2.80) applies: not_affected, range kept.
	in.Analyses = append(in.Analyses, ledger.VulnAnalysis{ID: "va-3", Target: "pkg:maven/com.alibaba/fastjson", Versions: ">=1.2.24,<=1.2.80", Vuln: "CVE-2022-25845",
		State: NotAffected, Justification: "requires_configuration", By: "a", Why: "both", At: day("2026-01-13")})
	if f := Build(in)[0]; f.State != NotAffected || f.Open || f.AnalysisVersions != ">=1.2.24,<=1.2.80" {
		t.Errorf("with an analysis of both versions: %+v", f)
	}
}

// Finding 3: a snapshot whose fastjson OSV has not checked yet does not
// verify the finding; once checked (and clean) it does, dated by that
// snapshot; a snapshot without fastjson at all verifies it.
func TestRetestWaitsForOSVCheck(t *testing.T) {
	in := fastjsonInput([][]store.InvComponent{{fastjson24}, {fastjson81}}, "2026-01-01", "2026-01-10")
	in.Checked = map[string]bool{fastjson24.Key: true} // 1.2.81 not checked yet
	f := Build(in)[0]
	if f.State != InTriage || !f.Open || f.VerifiedAt != nil || f.Version != "1.2.24" {
		t.Fatalf("unchecked 1.2.81: %+v", f)
	}
	last := f.History[len(f.History)-1]
	if last.Source != SourceRetest || !last.At.Equal(day("2026-01-10")) || !strings.Contains(last.Why, "re-test waits for the OSV check") || !strings.Contains(last.Why, "1.2.81") {
		t.Errorf("last event %+v", last)
	}
	// Checked and clean: verified on 2026-01-10, 9 days to fix (01-01 → 01-10).
	in.Checked[fastjson81.Key] = true
	in.snapVersions, in.pkgs = nil, nil
	f = Build(in)[0]
	if f.State != Verified || f.VerifiedAt == nil || !f.VerifiedAt.Equal(day("2026-01-10")) || *f.DaysToFix != 9 {
		t.Errorf("checked 1.2.81: %+v", f)
	}
	// Removed: snapshot 2 holds no fastjson; nothing to check: verified.
	other := comp("npm", "", "left-pad", "1.3.0")
	in = fastjsonInput([][]store.InvComponent{{fastjson24}, {other}}, "2026-01-01", "2026-01-10")
	in.Checked = map[string]bool{fastjson24.Key: true} // left-pad unchecked: another package
	if f := Build(in)[0]; f.State != Verified || !strings.Contains(f.History[len(f.History)-1].Why, "removed") {
		t.Errorf("removed: %+v", f)
	}
}

// Finding 8: a deadline is the whole due day, UTC. Opened on 2026-01-05
// at 10:30, critical: due day 01-05 + 30 = 2026-02-04; in time all that
// day (23:00), overdue from 2026-02-05 00:00. KEV added 2026-01-10 (after
// since): 01-10 + 14 = 2026-01-24, earlier: in time at 01-24 12:00,
// overdue from 2026-01-25 00:00.
func TestDueIsEndOfDay(t *testing.T) {
	in := fastjsonInput([][]store.InvComponent{{fastjson24}}, "2026-01-05")
	in.Snapshots[0].ImportedAt = day("2026-01-05").Add(10*time.Hour + 30*time.Minute)
	check := func(now time.Time, wantDue string, wantOverdue bool) {
		t.Helper()
		in.Now = now
		f := Build(in)[0]
		if !f.Due.Equal(EndOfDay(day(wantDue))) || f.Due.Format("2006-01-02") != wantDue || f.Overdue != wantOverdue {
			t.Errorf("at %s: due %s overdue %v, want end of %s, %v", now, f.Due, f.Overdue, wantDue, wantOverdue)
		}
	}
	check(day("2026-02-04").Add(23*time.Hour), "2026-02-04", false)
	check(day("2026-02-05"), "2026-02-04", true)
	in.KEV = map[string]store.KEVEntry{"CVE-2022-25845": {CVE: "CVE-2022-25845", DateAdded: "2026-01-10"}}
	check(day("2026-01-24").Add(12*time.Hour), "2026-01-24", false)
	check(day("2026-01-25"), "2026-01-24", true)
}

// Review finding 2: a decision about a finding running 1.2.24 and 1.2.80
// is two records, 1.2.24 and 1.2.80 (each exactly that version), never every version; a version no
// range names exactly is refused.
func TestAnalysesOnePerRunningVersion(t *testing.T) {
	f := Finding{ID: "pay/x/CVE-2022-25845", System: "pay", Component: "pkg:maven/com.alibaba/fastjson", Version: "1.2.24, 1.2.80", Vuln: "CVE-2022-25845"}
	as, err := Analyses(f, Decision{State: "not_affected", Justification: "requires_configuration", By: "a", Why: "b"})
	if err != nil || len(as) != 2 || as[0].Versions != "1.2.24" || as[1].Versions != "1.2.80" || as[0].System != "pay" || as[1].State != NotAffected {
		t.Fatalf("analyses %+v, %v", as, err)
	}
	for _, v := range []string{"latest", "1.2.x", ""} {
		f.Version = v
		if as, err := Analyses(f, Decision{State: "fixed", By: "a", Why: "b"}); err == nil {
			t.Errorf("version %q: %+v, want refused", v, as)
		}
	}
}

// Review finding 9c: a GHSA-only finding's id ends in the GHSA; once an
// OSV record adds the CVE alias, the id ends in the CVE (documented), and
// Find still takes the id printed before.
func TestFindAcceptsIDBeforeCVE(t *testing.T) {
	in := fastjsonInput([][]store.InvComponent{{fastjson24}}, "2026-01-01")
	in.Matches[fastjson24.Key] = []store.ComponentVuln{{Key: fastjson24.Key, Vuln: store.Vuln{ID: "GHSA-aaaa-bbbb-cccc", Severity: "high"}}}
	old := Build(in)[0].ID
	if old != "payments/pkg:maven/com.alibaba/fastjson@1.2.24/GHSA-aaaa-bbbb-cccc" {
		t.Fatalf("id %q", old)
	}
	in.Matches[fastjson24.Key][0].Vuln.Aliases = []string{"CVE-2026-0001"}
	in.snapVersions, in.pkgs = nil, nil
	fs := Build(in)
	if fs[0].ID != "payments/pkg:maven/com.alibaba/fastjson@1.2.24/CVE-2026-0001" {
		t.Fatalf("id with the CVE %q", fs[0].ID)
	}
	for _, ref := range []string{old, fs[0].ID, "GHSA-aaaa-bbbb-cccc", "cve-2026-0001"} {
		if f, err := Find(fs, ref, ""); err != nil || f.ID != fs[0].ID {
			t.Errorf("Find(%q): %v", ref, err)
		}
	}
	if _, err := Find(fs, "payments/pkg:maven/com.alibaba/fastjson@1.2.25/GHSA-aaaa-bbbb-cccc", ""); err == nil {
		t.Error("another version's id found")
	}
}
