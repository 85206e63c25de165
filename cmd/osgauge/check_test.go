package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

// log4jOSV is GHSA-jfh8-c2jp-5v3q (CVE-2021-44228) as OSV publishes it,
// cut to the fields osgauge reads. 2.14.1 lies in [2.13.0, 2.15.0): the
// first fixed version after it is 2.15.0. CVSS 3.1 AV:N/AC:L/PR:N/UI:N/
// S:C/C:H/I:H/A:H is 10.0: critical.
const log4jOSV = `{"id": "GHSA-jfh8-c2jp-5v3q", "modified": "2024-01-01T00:00:00Z", "published": "2021-12-10T00:00:00Z",
 "aliases": ["CVE-2021-44228"], "summary": "Remote code injection in Log4j",
 "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"}],
 "affected": [{"package": {"ecosystem": "Maven", "name": "org.apache.logging.log4j:log4j-core"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0-beta9"}, {"fixed": "2.3.1"}, {"introduced": "2.4"}, {"fixed": "2.12.2"}, {"introduced": "2.13.0"}, {"fixed": "2.15.0"}]}]}]}`

// A moderate advisory on snakeyaml that 2.2 is outside of (fixed in 2.0):
// no finding.
const snakeOSV = `{"id": "GHSA-mjmj-j48q-9wg2", "modified": "2024-01-01T00:00:00Z", "aliases": ["CVE-2022-1471"],
 "database_specific": {"severity": "HIGH"},
 "affected": [{"package": {"ecosystem": "Maven", "name": "org.yaml:snakeyaml"},
   "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}`

const kevJSON = `{"catalogVersion": "test", "vulnerabilities": [{"cveID": "CVE-2021-44228", "vendorProject": "Apache", "product": "Log4j2",
 "vulnerabilityName": "Apache Log4j2 Remote Code Execution Vulnerability", "dateAdded": "2021-12-10", "dueDate": "2021-12-24"}]}`

// checkSBOM is the SBOM: an approved (gson), a rejected
// (fastjson), an unlisted (snakeyaml) and an exit-listed component
// (commons-collections, overdue; joda-time, not yet due), an approved
// log4j-core with a known-exploited vulnerability, and slf4j-api, unlisted
// and transitive (through log4j-core).
const checkSBOM = `{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "payments", "version": "1.0", "purl": "pkg:maven/com.bank/payments@1.0"}},
  "components": [
    {"bom-ref": "gson", "type": "library", "group": "com.google.code.gson", "name": "gson", "version": "2.10.1",
     "purl": "pkg:maven/com.google.code.gson/gson@2.10.1", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "fastjson", "type": "library", "group": "com.alibaba", "name": "fastjson", "version": "1.2.24",
     "purl": "pkg:maven/com.alibaba/fastjson@1.2.24", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "snakeyaml", "type": "library", "group": "org.yaml", "name": "snakeyaml", "version": "2.2",
     "purl": "pkg:maven/org.yaml/snakeyaml@2.2", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "cc", "type": "library", "group": "commons-collections", "name": "commons-collections", "version": "3.2.2",
     "purl": "pkg:maven/commons-collections/commons-collections@3.2.2", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "joda", "type": "library", "group": "joda-time", "name": "joda-time", "version": "2.12.5",
     "purl": "pkg:maven/joda-time/joda-time@2.12.5", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "log4j", "type": "library", "group": "org.apache.logging.log4j", "name": "log4j-core", "version": "2.14.1",
     "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "licenses": [{"license": {"id": "Apache-2.0"}}]},
    {"bom-ref": "slf4j", "type": "library", "group": "org.slf4j", "name": "slf4j-api", "version": "2.0.9",
     "purl": "pkg:maven/org.slf4j/slf4j-api@2.0.9", "licenses": [{"license": {"id": "MIT"}}]}
  ],
  "dependencies": [
    {"ref": "app", "dependsOn": ["gson", "fastjson", "snakeyaml", "cc", "joda", "log4j"]},
    {"ref": "log4j", "dependsOn": ["slf4j"]}
  ]
}
`

// passingSBOM holds gson alone: approved, clean.
const passingSBOM = `{"bomFormat": "CycloneDX", "specVersion": "1.5",
  "metadata": {"component": {"bom-ref": "app", "type": "application", "name": "payments", "version": "1.0"}},
  "components": [{"bom-ref": "gson", "type": "library", "group": "com.google.code.gson", "name": "gson", "version": "2.10.1",
     "purl": "pkg:maven/com.google.code.gson/gson@2.10.1", "licenses": [{"license": {"id": "Apache-2.0"}}]}],
  "dependencies": [{"ref": "app", "dependsOn": ["gson"]}]}
`

// ledger files in the ledger's layout (decisions/, exits/), as
// osgauge intake decide and intake exit write them.
var checkLedger = map[string]string{
	"decisions/2026-01-05-dec-gson.yaml": `kind: decision
id: dec-gson
target: pkg:maven/com.google.code.gson/gson
versions: ">=2.10"
decision: approved
by: alice
why: PHI B, Apache-2.0
review_by: "2099-01-31"
at: 2026-01-05T10:00:00Z
`,
	"decisions/2026-01-06-dec-fastjson.yaml": `kind: decision
id: dec-fastjson
target: pkg:maven/com.alibaba/fastjson
decision: rejected
by: bob
why: autoType deserialisation flaws; use fastjson2
at: 2026-01-06T10:00:00Z
`,
	"decisions/2026-01-07-dec-log4j.yaml": `kind: decision
id: dec-log4j
target: pkg:maven/org.apache.logging.log4j/log4j-core
decision: approved
by: alice
why: the standard logger
at: 2026-01-07T10:00:00Z
`,
	"exits/2026-01-08-exit-cc.yaml": `kind: exit
id: exit-cc
target: pkg:maven/commons-collections/commons-collections
versions: <4
reason: security
replacement: pkg:maven/org.apache.commons/commons-collections4
deadline: "2020-06-30"
owner: platform team
by: carol
why: deserialisation gadgets
at: 2020-01-08T10:00:00Z
`,
	"exits/2026-01-09-exit-joda.yaml": `kind: exit
id: exit-joda
target: pkg:maven/joda-time/joda-time
reason: replaced
replacement: java.time
deadline: "2099-03-31"
owner: platform team
by: carol
why: java.time is in the JDK
at: 2026-01-09T10:00:00Z
`,
}

// checkSetup writes a config, a ledger, the SBOMs and a store holding
// the OSV records and the KEV list; it returns the config path and dir.
func checkSetup(t *testing.T, intake string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range checkLedger {
		write(filepath.Join("ledger", name), body)
	}
	write("payments.cdx.json", checkSBOM)
	write("ok.cdx.json", passingSBOM)
	write("osv/log4j.json", log4jOSV)
	write("osv/snakeyaml.json", snakeOSV)
	write("kev.json", kevJSON)
	write("osgauge.yaml", fmt.Sprintf(`store: {driver: sqlite, dsn: osgauge.db}
sboms:
  - {system: payments, path: payments.cdx.json, licence: proprietary, use: distributed}
lifecycle: {intake_required: %s, ledger: ledger}
`, intake))
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, _, err := osv.ImportExport(ctx, st, filepath.Join(dir, "osv")); err != nil {
		t.Fatal(err)
	}
	if _, err := osv.ImportKEV(ctx, st, filepath.Join(dir, "kev.json")); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "osgauge.yaml"), dir
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return 1
}

func TestCheckCommand(t *testing.T) {
	cfg, dir := checkSetup(t, "direct")
	sbomPath := filepath.Join(dir, "payments.cdx.json")

	// Text: one line per finding with its fix, blocking first; exit 1.
	out, err := runCLI(t, "check", "--config", cfg, "--sbom", sbomPath, "--system", "payments")
	if exitCode(err) != 1 || err.Error() != "" {
		t.Fatalf("exit %d (%v), want 1 and no message:\n%s", exitCode(err), err, out)
	}
	want := []string{
		"BLOCK rejected             com.alibaba:fastjson@1.2.24: com.alibaba:fastjson 1.2.24 was rejected on 2026-01-06 by bob: autoType deserialisation flaws; use fastjson2; fix: replace it",
		"BLOCK exit-overdue         commons-collections:commons-collections@3.2.2: commons-collections:commons-collections 3.2.2 is on the exit list (security) and its deadline 2020-06-30 has passed; fix: replace with pkg:maven/org.apache.commons/commons-collections4 (overdue since 2020-06-30)",
		"BLOCK kev                  org.apache.logging.log4j:log4j-core@2.14.1: org.apache.logging.log4j:log4j-core 2.14.1 is affected by GHSA-jfh8-c2jp-5v3q (CVE-2021-44228): critical, known exploited (CISA KEV); fix: upgrade to ≥ 2.15.0",
		"BLOCK unapproved           org.yaml:snakeyaml@2.2: org.yaml:snakeyaml 2.2 is used by payments without an intake decision: a direct dependency; fix: request intake: osgauge intake assess pkg:maven/org.yaml/snakeyaml@2.2",
		"WARN  exit                 joda-time:joda-time@2.12.5: joda-time:joda-time 2.12.5 is on the exit list (replaced), deadline 2099-03-31; fix: replace with java.time before 2099-03-31",
	}
	got := strings.Split(strings.TrimSpace(out), "\n")
	if len(got) < len(want) || strings.Join(got[:len(want)], "\n") != strings.Join(want, "\n") {
		t.Errorf("text:\n%s\nwant first lines:\n%s", out, strings.Join(want, "\n"))
	}
	// gson (approved), slf4j-api (transitive, intake_required direct) and
	// snakeyaml's advisory (fixed in 2.0, before 2.2) give nothing.
	for _, no := range []string{"gson@", "slf4j", "GHSA-mjmj"} {
		if strings.Contains(out, no) {
			t.Errorf("text mentions %s:\n%s", no, out)
		}
	}
	if !strings.Contains(out, "payments: "+sbomPath+": 7 components checked, 4 blocking, 1 warning: blocked") {
		t.Errorf("summary line missing:\n%s", out)
	}

	// JSON: the contract's shape.
	out, err = runCLI(t, "check", "--config", cfg, "--sbom", sbomPath, "--system", "payments", "--format", "json")
	if exitCode(err) != 1 {
		t.Fatalf("json: exit %d: %v", exitCode(err), err)
	}
	var doc struct {
		Passed   *bool `json:"passed"`
		Findings []struct {
			Component, Version, PURL, Rule, Message, Fix *string
			Blocking                                     bool
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if doc.Passed == nil || *doc.Passed || len(doc.Findings) != 5 {
		t.Fatalf("json: passed %v, %d findings:\n%s", doc.Passed, len(doc.Findings), out)
	}
	f := doc.Findings[3]
	if f.Component == nil || *f.Component != "org.yaml:snakeyaml" || *f.Version != "2.2" || *f.PURL != "pkg:maven/org.yaml/snakeyaml@2.2" ||
		*f.Rule != "unapproved" || !strings.HasPrefix(*f.Fix, "request intake: ") || *f.Message == "" || !f.Blocking {
		t.Errorf("json finding 4: %+v", f)
	}

	// SARIF 2.1.0: the driver, its rules, error/warning levels, the SBOM
	// file and the line of each component's purl.
	out, err = runCLI(t, "check", "--config", cfg, "--sbom", sbomPath, "--system", "payments", "--format", "sarif")
	if exitCode(err) != 1 {
		t.Fatalf("sarif: exit %d: %v", exitCode(err), err)
	}
	var sarif struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Level     string
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &sarif); err != nil {
		t.Fatalf("sarif: %v", err)
	}
	if sarif.Version != "2.1.0" || len(sarif.Runs) != 1 || sarif.Runs[0].Tool.Driver.Name != "osgauge" || len(sarif.Runs[0].Results) != 5 {
		t.Fatalf("sarif:\n%s", out)
	}
	run := sarif.Runs[0]
	levels := ""
	for _, r := range run.Results {
		levels += r.Level[:1]
		if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %s: ruleIndex %d names %s", r.RuleID, r.RuleIndex, run.Tool.Driver.Rules[r.RuleIndex].ID)
		}
		if r.Locations[0].PhysicalLocation.ArtifactLocation.URI != filepath.ToSlash(sbomPath) {
			t.Errorf("location %q", r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		}
	}
	if levels != "eeeew" {
		t.Errorf("levels %s, want eeeew (4 errors, 1 warning)", levels)
	}
	// snakeyaml's purl is on line 11 of checkSBOM: "{" is line 1,
	// "components": [ line 5, then two lines per component, snakeyaml's
	// the third: 5 + 2·3 = 11.
	if r := run.Results[3]; r.RuleID != "unapproved" || r.Locations[0].PhysicalLocation.Region.StartLine != 11 {
		t.Errorf("snakeyaml result: %s at line %d, want unapproved at 11", r.RuleID, r.Locations[0].PhysicalLocation.Region.StartLine)
	}

	// JUnit: one test case per component (7), a failure per blocking
	// finding (4 components fail).
	out, err = runCLI(t, "check", "--config", cfg, "--sbom", sbomPath, "--system", "payments", "--format", "junit")
	if exitCode(err) != 1 {
		t.Fatalf("junit: exit %d: %v", exitCode(err), err)
	}
	var ju struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name     string `xml:"name,attr"`
				Failures []struct {
					Type    string `xml:"type,attr"`
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(out), &ju); err != nil {
		t.Fatalf("junit: %v\n%s", err, out)
	}
	if ju.Tests != 7 || ju.Failures != 4 || len(ju.Suites) != 1 || len(ju.Suites[0].Cases) != 7 {
		t.Fatalf("junit: tests %d failures %d:\n%s", ju.Tests, ju.Failures, out)
	}
	cases := map[string]int{}
	for _, c := range ju.Suites[0].Cases {
		cases[c.Name] = len(c.Failures)
		if c.Name == "org.apache.logging.log4j:log4j-core@2.14.1" && (c.Failures[0].Type != "kev" || c.Failures[0].Text != "fix: upgrade to ≥ 2.15.0") {
			t.Errorf("log4j failure: %+v", c.Failures)
		}
		if c.Name == "joda-time:joda-time@2.12.5" && !strings.Contains(c.SystemOut, "warning exit:") {
			t.Errorf("joda-time system-out: %q", c.SystemOut)
		}
	}
	if cases["com.google.code.gson:gson@2.10.1"] != 0 || cases["com.alibaba:fastjson@1.2.24"] != 1 || cases["org.slf4j:slf4j-api@2.0.9"] != 0 {
		t.Errorf("junit cases: %v", cases)
	}

	// Exit 0: nothing blocks.
	out, err = runCLI(t, "check", "--config", cfg, "--sbom", filepath.Join(dir, "ok.cdx.json"), "--system", "payments", "--format", "json")
	if exitCode(err) != 0 || !strings.Contains(out, `"passed": true`) || !strings.Contains(out, `"findings": []`) {
		t.Errorf("passing SBOM: exit %d (%v):\n%s", exitCode(err), err, out)
	}
}

// A transitive component needs intake only under intake_required: all.
func TestCheckIntakeRequiredAll(t *testing.T) {
	cfg, dir := checkSetup(t, "all")
	out, err := runCLI(t, "check", "--config", cfg, "--sbom", filepath.Join(dir, "payments.cdx.json"), "--system", "payments")
	if exitCode(err) != 1 {
		t.Fatalf("exit %d: %v", exitCode(err), err)
	}
	if !strings.Contains(out, "BLOCK unapproved           org.slf4j:slf4j-api@2.0.9: org.slf4j:slf4j-api 2.0.9 is used by payments without an intake decision: a transitive dependency (lifecycle.intake_required: all); fix: request intake: osgauge intake assess pkg:maven/org.slf4j/slf4j-api@2.0.9") {
		t.Errorf("slf4j-api not blocked under intake_required all:\n%s", out)
	}
	if !strings.Contains(out, "5 blocking") {
		t.Errorf("want 5 blocking:\n%s", out)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	cfg, dir := checkSetup(t, "direct")
	broken := filepath.Join(dir, "broken.cdx.json")
	// Line 4 holds the stray comma.
	if err := os.WriteFile(broken, []byte("{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [,]\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--sbom", broken, "--system", "payments"}, broken + ": not valid JSON: line 4"},
		{[]string{"--sbom", filepath.Join(dir, "none.json"), "--system", "payments"}, "none.json"},
		{[]string{"--system", "payments"}, "check needs --sbom FILE and --system NAME"},
		{[]string{"--sbom", broken}, "check needs --sbom FILE and --system NAME"},
		{[]string{"--sbom", broken, "--system", "payments", "--format", "xml"}, `--format "xml"`},
		{[]string{"--sbom", broken, "--system", "payments", "--colour"}, "unknown flag: --colour"},
		{[]string{"extra", "--sbom", broken, "--system", "payments"}, "check takes no arguments"},
	} {
		_, err := runCLI(t, append([]string{"check", "--config", cfg}, tc.args...)...)
		if exitCode(err) != 2 || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: exit %d, %v; want 2 and %q", tc.args, exitCode(err), err, tc.want)
		}
	}
	// A broken ledger file is an input error too, named with its line.
	bad := filepath.Join(dir, "ledger", "decisions", "bad.yaml")
	if err := os.WriteFile(bad, []byte("kind: decision\ntarget: pkg:npm/x\ndecision: approve\nby: a\nwhy: b\nat: 2026-01-01T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := runCLI(t, "check", "--config", cfg, "--sbom", filepath.Join(dir, "ok.cdx.json"), "--system", "payments")
	if exitCode(err) != 2 || !strings.Contains(err.Error(), bad+":3: decision") {
		t.Errorf("broken ledger: exit %d, %v", exitCode(err), err)
	}
}

// POST /api/v1/check answers what osgauge check --format json prints
// (serve's wiring: the real checker over the same config and store).
func TestCheckAPIMatchesCLI(t *testing.T) {
	cfgPath, dir := checkSetup(t, "direct")
	sbomPath := filepath.Join(dir, "payments.cdx.json")
	cli, err := runCLI(t, "check", "--config", cfgPath, "--sbom", sbomPath, "--system", "payments", "--format", "json")
	if exitCode(err) != 1 {
		t.Fatalf("cli: exit %d: %v", exitCode(err), err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv, err := server.New(server.Options{Store: st, Check: checker(cfg, st)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	data, _ := os.ReadFile(sbomPath)
	resp, err := http.Post(ts.URL+"/api/v1/check?system=payments&format=json&sbom="+url.QueryEscape(sbomPath), "application/json", bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	api, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("api: %d %s", resp.StatusCode, api)
	}
	type answer struct {
		Passed   bool
		Findings []policy.Finding
	}
	var a, c answer
	if err := json.Unmarshal(api, &a); err != nil {
		t.Fatal(err)
	}
	json.Unmarshal([]byte(cli), &c)
	if a.Passed || len(a.Findings) != 5 || fmt.Sprint(a) != fmt.Sprint(c) {
		t.Errorf("api:\n%+v\ncli:\n%+v", a, c)
	}
	// A broken SBOM is a 400 naming the line.
	resp, err = http.Post(ts.URL+"/api/v1/check?system=payments&sbom=bom.json", "application/json", strings.NewReader("{\n\"components\": [,]}"))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 400 || !strings.Contains(string(body), "bom.json: not valid JSON: line 2") {
		t.Errorf("broken SBOM: %d %s", resp.StatusCode, body)
	}
}

// A decision on the project's repository applies to its package (the
// config's component_repos maps one to the other), as in the report's
// lifecycle section.
func TestCheckDecisionOnRepository(t *testing.T) {
	cfgPath, dir := checkSetup(t, "direct")
	os.Remove(filepath.Join(dir, "ledger", "decisions", "2026-01-05-dec-gson.yaml"))
	out, err := runCLI(t, "check", "--config", cfgPath, "--sbom", filepath.Join(dir, "ok.cdx.json"), "--system", "payments")
	if exitCode(err) != 1 || !strings.Contains(out, "BLOCK unapproved           com.google.code.gson:gson@2.10.1") {
		t.Fatalf("without a decision: exit %d:\n%s", exitCode(err), out)
	}
	os.WriteFile(filepath.Join(dir, "ledger", "decisions", "repo.yaml"), []byte(`target: https://github.com/google/gson
decision: approved
by: alice
why: PHI B
at: 2026-02-01T00:00:00Z
`), 0o644)
	cfg, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, append(cfg, []byte("component_repos: {\"pkg:maven/com.google.code.gson/gson\": https://github.com/google/gson}\n")...), 0o644)
	out, err = runCLI(t, "check", "--config", cfgPath, "--sbom", filepath.Join(dir, "ok.cdx.json"), "--system", "payments")
	if exitCode(err) != 0 {
		t.Errorf("with the decision on the repository: exit %d (%v):\n%s", exitCode(err), err, out)
	}
}
