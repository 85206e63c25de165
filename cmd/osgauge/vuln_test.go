package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vulns"
)

// vulnFixture is a config and a store holding two SBOMs of payments:
// v1 (2026-01-05) with fastjson 1.2.80 (GHSA-pv7h-hx5h-mgfj, alias
// CVE-2022-25845, critical) and jackson-databind 2.9.10 (CVE-2020-36518,
// high); v2 (2026-02-01) with fastjson 1.2.83 and the same jackson.
func vulnFixture(t *testing.T) (dir, cfgPath string) {
	t.Helper()
	dir = t.TempDir()
	cfgPath = filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfgPath, []byte("institution: {name: Example Bank}\nstore: {dsn: osgauge.db}\nosv: {api_url: \"off\"}\n"+
		"vulnerability_policy:\n  deadlines_days: {high: 60}\n"), 0o644)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := func(ns, name, v string) store.InvComponent {
		p := "pkg:maven/" + ns + "/" + name + "@" + v
		return store.InvComponent{Key: p, PURL: p, Ecosystem: "maven", Namespace: ns, Name: name, Version: v}
	}
	fj80, fj83, jd := c("com.alibaba", "fastjson", "1.2.80"), c("com.alibaba", "fastjson", "1.2.83"), c("com.fasterxml.jackson.core", "jackson-databind", "2.9.10")
	for _, s := range []struct {
		path, at string
		cs       []store.InvComponent
	}{{"payments-v1.json", "2026-01-05", []store.InvComponent{fj80, jd}}, {"payments-v2.json", "2026-02-01", []store.InvComponent{fj83, jd}}} {
		at, _ := time.Parse("2006-01-02", s.at)
		var refs []store.InvRef
		for _, x := range s.cs {
			refs = append(refs, store.InvRef{Key: x.Key, Relation: "direct"})
		}
		if _, err := st.SaveSnapshot(ctx, store.Snapshot{System: "payments", Path: s.path, Format: "cyclonedx-json", SHA256: s.path, ImportedAt: at}, s.cs, refs); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.PutVulns(ctx, []store.Vuln{
		{ID: "GHSA-pv7h-hx5h-mgfj", Severity: "critical", Published: "2022-06-10T00:00:00Z", Aliases: []string{"CVE-2022-25845"}, Record: []byte(`{}`)},
		{ID: "GHSA-57j2-w4cx-62h2", Severity: "high", Published: "2022-03-11T00:00:00Z", Aliases: []string{"CVE-2020-36518"}, Record: []byte(`{}`)},
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMatches(ctx, []string{fj80.Key, fj83.Key, jd.Key}, []store.VulnMatch{
		{Key: fj80.Key, Vuln: "GHSA-pv7h-hx5h-mgfj", Fixed: "1.2.83"}, {Key: jd.Key, Vuln: "GHSA-57j2-w4cx-62h2", Fixed: "2.12.6.1"},
	}, "test"); err != nil {
		t.Fatal(err)
	}
	return dir, cfgPath
}

func setVulnNow(t *testing.T, now time.Time) {
	t.Helper()
	old := vulnNow
	vulnNow = func() time.Time { return now }
	t.Cleanup(func() { vulnNow = old })
}

const jacksonFinding = "payments/pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.10/CVE-2020-36518"

func TestVulnListAndSet(t *testing.T) {
	asUser(t, "alice") // --by is the OS user's (cliBy)
	dir, cfg := vulnFixture(t)
	setVulnNow(t, time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))

	// jackson: high, since 2026-01-05, deadline (config: high 60 days)
	// 2026-03-06: overdue on 2026-03-10. fastjson: verified by v2 on 2026-02-01.
	out, err := runCLI(t, "--config", cfg, "vuln", "list")
	if err != nil {
		t.Fatalf("list: %v\n%s", err, out)
	}
	lines := strings.Split(out, "\n")
	if got := strings.Join(strings.Fields(lines[1]), " "); got != jacksonFinding+" in_triage high 2026-01-05 2026-03-06 2.12.6.1 OVERDUE" {
		t.Errorf("first line %q, want the overdue jackson finding", lines[1])
	}
	if got := strings.Join(strings.Fields(lines[2]), " "); got != "payments/pkg:maven/com.alibaba/fastjson@1.2.80/CVE-2022-25845 verified critical 2026-01-05 2026-02-04 1.2.83 verified 2026-02-01 by snapshot #2 payments-v2.json" {
		t.Errorf("second line %q, want fastjson verified", lines[2])
	}
	if !strings.Contains(out, "2 findings: 1 open (critical 0, high 1, medium 0, low 0, unknown 0), 1 overdue (0 KEV)") || !strings.Contains(out, "verified in 2026-Q1: 1") {
		t.Errorf("totals line:\n%s", out)
	}
	if out, _ := runCLI(t, "--config", cfg, "vuln", "list", "--overdue"); strings.Contains(out, "fastjson") || !strings.Contains(out, "jackson") {
		t.Errorf("--overdue:\n%s", out)
	}
	if _, err := runCLI(t, "--config", cfg, "vuln", "list", "--state", "broken"); err == nil || !strings.Contains(err.Error(), "--state must be one of") {
		t.Errorf("bad --state: %v", err)
	}

	// not_affected without a justification is refused; with one, recorded
	// and no longer a risk, listed with its justification.
	if _, err := runCLI(t, "--config", cfg, "vuln", "set", jacksonFinding, "--state", "not_affected", "--by", "alice", "--why", "review"); err == nil || !strings.Contains(err.Error(), "not_affected needs a justification") {
		t.Fatalf("not_affected without justification: %v", err)
	}
	// A mitigation whose last day (2026-03-09) is before today (2026-03-10) is refused.
	if _, err := runCLI(t, "--config", cfg, "vuln", "set", jacksonFinding, "--state", "mitigated", "--detail", "waf", "--until", "2026-03-09", "--by", "alice", "--why", "b"); err == nil || !strings.Contains(err.Error(), "until: 2026-03-09 has passed") {
		t.Errorf("past mitigation: %v", err)
	}
	// Review finding 4: recorded 2026-03-10, a mitigation may run 12 months
	// (exception_policy.max_months default): through 2027-03-09; 2027-03-10 is refused.
	if _, err := runCLI(t, "--config", cfg, "vuln", "set", jacksonFinding, "--state", "mitigated", "--detail", "waf", "--until", "2027-03-10", "--by", "alice", "--why", "b"); err == nil || !strings.Contains(err.Error(), "longer than the maximum of 12 months") || !strings.Contains(err.Error(), "end it on 2027-03-09 at the latest") {
		t.Errorf("a 12 months and 1 day mitigation: %v", err)
	}
	out, err = runCLI(t, "--config", cfg, "vuln", "set", "CVE-2020-36518", "--state", "not_affected", "--justification", "vulnerable_code_not_in_execute_path",
		"--by", "alice", "--why", "nesting depth is capped at the gateway")
	if err != nil {
		t.Fatalf("set: %v\n%s", err, out)
	}
	if !strings.Contains(out, "recorded not_affected for "+jacksonFinding) || !strings.Contains(out, "now not_affected (vulnerable_code_not_in_execute_path)") {
		t.Errorf("set output:\n%s", out)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "ledger", "vulns", "2026-03-10-va-*.yaml"))
	if len(files) != 1 {
		t.Fatalf("ledger files %v, want one analysis", files)
	}
	l, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil || len(l.Analyses) != 1 || l.Analyses[0].Versions != "2.9.10" /* exactly the version running */ || l.Analyses[0].Target != "pkg:maven/com.fasterxml.jackson.core/jackson-databind" || l.Analyses[0].System != "payments" {
		t.Fatalf("ledger %v %+v", err, l)
	}
	out, err = runCLI(t, "--config", cfg, "vuln", "list", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc server.VulnListDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Totals.Open != 0 || doc.Totals.Overdue != 0 || doc.Totals.NotAffected != 1 || doc.Period != "2026-Q1" || len(doc.Findings) != 2 {
		t.Errorf("json totals %+v period %s", doc.Totals, doc.Period)
	}
	if !strings.Contains(out, `"id": "CVE-2020-36518"`) || !strings.Contains(out, `"finding": "`+jacksonFinding+`"`) || !strings.Contains(out, `"justification": "vulnerable_code_not_in_execute_path"`) {
		t.Errorf("json:\n%s", out)
	}
	// The store mirrors the record.
	st, _ := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	defer st.Close()
	if recs, _ := st.LedgerRecords(context.Background(), ledger.KindVulnAnalysis); len(recs) != 1 || recs[0].State != "not_affected" {
		t.Errorf("mirror %+v", recs)
	}
	if _, err := runCLI(t, "--config", cfg, "vuln", "set", "CVE-1999-0001", "--state", "affected", "--by", "alice", "--why", "b"); err == nil || !strings.Contains(err.Error(), `no finding "CVE-1999-0001"`) {
		t.Errorf("unknown finding: %v", err)
	}
}

// The API answers as the CLI: the list, an analysis recorded (201), its
// errors (400, 404), and the token required.
func TestVulnAPI(t *testing.T) {
	dir, cfgPath := vulnFixture(t)
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	srv, err := server.New(server.Options{Store: st, Token: "s3cret", Now: func() time.Time { return now }, Vulns: vulnService(cfg, st)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	do := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer s3cret")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	code, body := do("GET", "/api/v1/vulnerabilities?overdue=true", "")
	var doc server.VulnListDoc
	json.Unmarshal([]byte(body), &doc)
	if code != 200 || len(doc.Findings) != 1 || doc.Findings[0].ID != jacksonFinding || !doc.Findings[0].Overdue {
		t.Fatalf("GET overdue: %d %s", code, body)
	}
	path := "/api/v1/vulnerabilities/" + url.PathEscape(jacksonFinding) + "/analysis"
	// by is the identity's (here the shared token's, "shared-token"):
	// left out, it is filled; another name would be 403.
	code, body = do("POST", path, `{"state": "mitigated", "detail": "max nesting depth 100 at the gateway", "until": "2026-06-30", "why": "upgrade in the Q2 release"}`)
	var f vulns.Finding
	json.Unmarshal([]byte(body), &f)
	if code != 201 || f.State != vulns.Mitigated || f.MitigatedUntil != "2026-06-30" || f.Overdue || f.History[len(f.History)-1].By != "shared-token" {
		t.Fatalf("POST analysis: %d %s", code, body)
	}
	if code, body := do("POST", path, `{"state": "mitigated", "why": "x", "until": "2026-06-30"}`); code != 400 || !strings.Contains(body, "a mitigation names its measure") {
		t.Errorf("mitigation without measure: %d %s", code, body)
	}
	if code, body := do("POST", path, `{"state": "affected"}`); code != 400 || !strings.Contains(body, "why required") {
		t.Errorf("without why: %d %s", code, body)
	}
	if code, body := do("POST", "/api/v1/vulnerabilities/CVE-1999-0001/analysis", `{"state": "affected", "why": "x"}`); code != 404 {
		t.Errorf("unknown finding: %d %s", code, body)
	}
	if code, _ := do("GET", "/api/v1/vulnerabilities?state=nonsense", ""); code != 400 {
		t.Errorf("bad state: %d", code)
	}
	resp, _ := http.Get(ts.URL + "/api/v1/vulnerabilities")
	if resp.StatusCode != 401 {
		t.Errorf("without the token: %d, want 401", resp.StatusCode)
	}
	resp.Body.Close()
}
