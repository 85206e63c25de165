package ledger

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// An analysis recorded, read back, superseded by a later one and mirrored.
func TestRecordVulnAnalysis(t *testing.T) {
	dir := t.TempDir()
	t1 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	a := VulnAnalysis{System: "payments", Target: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.24",
		Vuln: "CVE-2017-18349", State: "not_affected", Justification: "vulnerable_code_not_in_execute_path",
		Detail: "autoType is never enabled", By: "alice", Why: "code review, ticket SEC-1234"}
	p1, err := Record(dir, &a, t1)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(filepath.Dir(p1)) != VulnsDir || !strings.HasPrefix(filepath.Base(p1), "2026-12-07-va-") {
		t.Fatalf("path %s, want vulns/2026-12-07-va-….yaml", p1)
	}
	data, _ := os.ReadFile(p1)
	if !strings.HasPrefix(string(data), "kind: vuln-analysis\n") {
		t.Fatalf("file starts %q, want the kind first", string(data)[:30])
	}
	m := a
	m.State, m.Justification, m.Detail, m.Until, m.Why = "mitigated", "", "WAF rule 9001 drops @type", "2027-01-31", "review found a path after all"
	if _, err := Record(dir, m, t1.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Analyses) != 2 || l.Analyses[0].State != "not_affected" || l.Analyses[1].State != "mitigated" || l.Analyses[0].Line != 2 {
		t.Fatalf("analyses %+v", l.Analyses)
	}
	sup := l.SupersededAnalyses()
	if sup[l.Analyses[0].ID] != l.Analyses[1].ID {
		t.Errorf("superseded %v, want the first replaced by the second", sup)
	}
	// The mitigation holds through its last day, 2027-01-31, and has expired on 2027-02-01.
	if l.Analyses[1].Expired(time.Date(2027, 1, 31, 23, 59, 0, 0, time.UTC)) || !l.Analyses[1].Expired(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("mitigation expiry: want in force on 2027-01-31, expired from 2027-02-01")
	}

	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Sync(context.Background(), st, l, t1); err != nil {
		t.Fatal(err)
	}
	recs, err := st.LedgerRecords(context.Background(), KindVulnAnalysis)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Status != store.LedgerSuperseded || recs[1].Status != store.LedgerCurrent || recs[1].State != "mitigated" || recs[0].File != "vulns/"+filepath.Base(p1) {
		t.Fatalf("mirror %+v", recs)
	}
}

// Bad analyses are refused with the key; hand-written files with file:line.
func TestVulnAnalysisErrors(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		a    VulnAnalysis
		want string
	}{
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "verified", By: "a", Why: "b"}, "verified is set by the re-test"},
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "not_affected", By: "a", Why: "b"}, "not_affected needs a justification"},
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "not_affected", Justification: "because", By: "a", Why: "b"}, "justification: must be one of"},
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "mitigated", Detail: "waf", By: "a", Why: "b"}, "until: a mitigation states its last day"},
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "affected", Until: "2027-01-01", By: "a", Why: "b"}, "only a mitigation has an end date"},
		{VulnAnalysis{Target: "pkg:npm/x@1.0", Vuln: "CVE-1", State: "affected", By: "a", Why: "b"}, "without version"},
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "affected", By: "a"}, "why: why is required"},
		{VulnAnalysis{Target: "pkg:npm/x", Vuln: "CVE-1", State: "affected", Response: "patch", By: "a", Why: "b"}, "response: must be"},
	} {
		if _, err := Record(dir, c.a, now); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Record(%+v) = %v, want %q", c.a, err, c.want)
		}
	}
	// A hand-written file in vulns/ needs no kind; its id is its name.
	os.MkdirAll(filepath.Join(dir, VulnsDir), 0o755)
	os.WriteFile(filepath.Join(dir, VulnsDir, "va-hand.yaml"), []byte("target: pkg:npm/x\nvuln: GHSA-aaaa-bbbb-cccc\nstate: false_positive\nby: bob\nwhy: not this package\nat: 2026-12-01\n"), 0o644)
	l, err := Load(dir)
	if err != nil || len(l.Analyses) != 1 || l.Analyses[0].ID != "va-hand" || !l.Analyses[0].At.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("hand-written analysis: %v %+v", err, l)
	}
	os.WriteFile(filepath.Join(dir, VulnsDir, "va-bad.yaml"), []byte("target: pkg:npm/x\nvuln: CVE-1\nstate: exploitable\nby: bob\nwhy: x\nat: 2026-12-01\n"), 0o644)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "va-bad.yaml:3: state: must be one of") {
		t.Errorf("bad state: %v, want file:3: state", err)
	}
}

// Review finding 4: a mitigation runs at most 12 months from the day it is
// recorded. Recorded 2026-01-15: the last day allowed is 2027-01-14 (the
// day before 2027-01-15). Record refuses 2027-01-15, and a file written by
// hand with it is an error naming the file and line.
func TestMitigationAtMostTwelveMonths(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	m := VulnAnalysis{System: "payments", Target: "pkg:maven/org.yaml/snakeyaml", Vuln: "CVE-2022-1471", State: "mitigated",
		Detail: "SafeConstructor enforced", Until: "2027-01-14", By: "dave", Why: "upgrade in Q2"}
	if _, err := Record(dir, m, at); err != nil {
		t.Fatalf("12 months: %v", err)
	}
	m.Until = "2027-01-15"
	if _, err := Record(dir, m, at); err == nil || !strings.Contains(err.Error(), "longer than the maximum of 12 months") || !strings.Contains(err.Error(), "2027-01-14") {
		t.Errorf("12 months and a day: %v", err)
	}
	// A configured 6 months: through 2026-07-14.
	m.At, m.Until = at, "2026-07-15"
	if msg := m.CheckMitigationLength(6); !strings.Contains(msg, "end it on 2026-07-14") {
		t.Errorf("6 months: %q", msg)
	}
	m.Until = "2026-07-14"
	if msg := m.CheckMitigationLength(6); msg != "" {
		t.Errorf("6 months to the day: %q", msg)
	}
	bad := "kind: vuln-analysis\nid: va-long\nsystem: payments\ntarget: pkg:maven/org.yaml/snakeyaml\nvuln: CVE-2022-1471\nstate: mitigated\n" +
		"detail: waf\nuntil: 2030-01-01\nby: dave\nwhy: forever\nat: 2026-01-15T09:00:00Z\n"
	d2 := t.TempDir()
	os.MkdirAll(filepath.Join(d2, VulnsDir), 0o755)
	p := filepath.Join(d2, VulnsDir, "2026-01-15-va-long.yaml")
	os.WriteFile(p, []byte(bad), 0o644)
	if _, err := Load(d2); err == nil || !strings.Contains(err.Error(), "2026-01-15-va-long.yaml") || !strings.Contains(err.Error(), "until") || !strings.Contains(err.Error(), "12 months") {
		t.Errorf("hand-written 4-year mitigation: %v", err)
	}
}

// Review finding 2: ExactRange names one version and nothing else.
func TestExactRange(t *testing.T) {
	for v, want := range map[string]string{"1.2.24": "1.2.24", "2.5.1.RELEASE": "2.5.1.RELEASE", "v1.0": "v1.0"} {
		if r, err := ExactRange(v); err != nil || r != want || !VersionMatches(r, v) || VersionMatches(r, "1.2.25") {
			t.Errorf("ExactRange(%q) = %q, %v; want %q", v, r, err, want)
		}
	}
	for _, v := range []string{"", "1.2.x", "*", "latest", "1.0, 2.0", ">=1.0"} {
		if r, err := ExactRange(v); err == nil {
			t.Errorf("ExactRange(%q) = %q, want an error", v, r)
		}
	}
}
