package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultsAndResolve(t *testing.T) {
	c, err := Parse("/etc/osgauge/osgauge.yaml", []byte(`
institution: {name: Example Bank}
projects:
  - {name: karmada, repo: https://github.com/karmada-io/karmada, local_path: ./clones/karmada}
suppliers:
  - {name: Acme, questionnaire: suppliers/acme.yaml, github_orgs: [acme], supports: [karmada]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.DSN != "osgauge.db" || c.GitHub.Concurrency != 4 || c.Report.Lang != "zh" || c.Projects[0].UseType != "simple" {
		t.Errorf("defaults not applied: %+v", c)
	}
	if got := c.Resolve(c.Projects[0].LocalPath); got != "/etc/osgauge/clones/karmada" {
		t.Errorf("resolve = %q", got)
	}
}

func TestErrorsNameFileAndLine(t *testing.T) {
	cases := []struct{ yaml, want string }{
		{"institution:\n  name: X\n  nmae: Y\n", "bank.yaml: line 3: field nmae not found"},
		{"projects:\n  - {name: a, repo: https://github.com/o/r}\n  - {name: a, repo: https://github.com/o/r}\n", "bank.yaml: line 3: duplicate project name \"a\""},
		{"projects:\n  - name: a\n    repo: r\n    use_type: heavy\n", "line 4: project \"a\": use_type must be simple, deep or custom"},
		{"report:\n  lang: fr\n", "line 2: report.lang must be zh or en"},
		{"suppliers:\n  - name: s\n    supports: [ghost]\n", "line 3: supplier \"s\" supports unknown project \"ghost\""},
		{"github:\n  concurrency: 0\n  api_url: ftp://x\n", "github.api_url must be an http(s) URL"},
	}
	for _, c := range cases {
		_, err := Parse("bank.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want %q", c.yaml, err, c.want)
		}
	}
}

func TestLoadEmptyFileGivesDefaults(t *testing.T) {
	p := filepath.Join(t.TempDir(), "osgauge.yaml")
	os.WriteFile(p, nil, 0o644)
	c, err := Load(p)
	if err != nil || c.Scorecard.Mode != "local" {
		t.Fatalf("%+v %v", c, err)
	}
}

func TestExceptions(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "risk.yaml"), []byte(`
- {subject: karmada, gate: G-ARCHIVED, who: CISO, why: "fork maintained in-house", accepted: 2026-04-01, expires: 2027-03-31}
`), 0o644)
	c, err := Parse(filepath.Join(dir, "osgauge.yaml"), []byte(`
exceptions_file: risk.yaml
exceptions:
  - {subject: karmada, indicator: SCJ-2, normalized: 1, who: OSPO, why: "test fixture binaries", accepted: 2026-01-01, expires: 2026-12-31}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exceptions) != 2 || c.Exceptions[1].Gate != "G-ARCHIVED" {
		t.Errorf("exceptions = %+v", c.Exceptions)
	}
	bad := []struct{ yaml, want string }{
		{"exceptions:\n  - {subject: k, gate: G, who: a, why: b, accepted: 2026-01-01, expires: soon}\n", `line 2: exception 1 (k G): expires must be a date YYYY-MM-DD, got "soon"`},
		{"exceptions:\n  - {subject: k, gate: G, accepted: 2025-06-01, expires: 2026-01-01}\n", "line 2: exception 1 (k G): who and why are required"},
		// Without normalized it is "not applicable" (issue 22,
		// config/notapplicable_test.go); with it, within 0..1.
		{"exceptions:\n  - {subject: k, indicator: I, normalized: 1.5, who: a, why: b, accepted: 2025-06-01, expires: 2026-01-01}\n", "normalized must be the value (0..1)"},
		{"exceptions:\n  - {subject: k, gate: G, indicator: I, normalized: 1, who: a, why: b, accepted: 2025-06-01, expires: 2026-01-01}\n", "exactly one of indicator or gate"},
		// accepted is required, on its own line here.
		{"exceptions:\n  - subject: k\n    gate: G\n    who: a\n    why: b\n    expires: 2026-01-01\n", `line 2: exception 1 (k G): accepted must be the date the risk was accepted, YYYY-MM-DD (required: an exception applies from it), got ""`},
		// 12 months from 2025-06-01 run through 2026-05-31: 2026-06-01 is one day too many.
		{"exceptions:\n  - subject: k\n    gate: G\n    who: a\n    why: b\n    accepted: 2025-06-01\n    expires: 2026-06-01\n",
			"line 7: exception 1 (k G): runs from 2025-06-01 to 2026-06-01, longer than the policy's maximum of 12 months (exception_policy.max_months): expire it on 2026-05-31 at the latest"},
		// A stricter policy: 6 months.
		{"exception_policy: {max_months: 6}\nexceptions:\n  - {subject: k, gate: G, who: a, why: b, accepted: 2025-06-01, expires: 2025-12-31}\n",
			"line 3: exception 1 (k G): runs from 2025-06-01 to 2025-12-31, longer than the policy's maximum of 6 months"},
		{"exception_policy: {max_months: -1}\n", "line 1: exception_policy.max_months must be a number of months (default 12), got -1"},
		{"exceptions:\n  - {subject: k, gate: G, who: a, why: b, accepted: 2025-06-01, expires: 2025-06-01}\n  - {subject: k, indicator: I, normalized: 1, accepts: [CVE-2021-44228], who: a, why: b, accepted: 2025-06-01, expires: 2026-01-01}\n",
			"line 3: exception 2 (k I): accepts names what a gate exception accepted"},
		{"exceptions:\n  - {subject: k, gate: G, accepts: [\"CVE-1, CVE-2\"], who: a, why: b, accepted: 2025-06-01, expires: 2026-01-01}\n",
			`line 2: exception 1 (k G): each accepts entry is one identifier or value (CVE-2021-44228, BUSL-1.1, 1), got "CVE-1, CVE-2"`},
	}
	for _, b := range bad {
		if _, err := Parse("x.yaml", []byte(b.yaml)); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%q: err = %v, want %q", b.yaml, err, b.want)
		}
	}
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("- {subject: k, gate: G, who: a, why: b, expires: 2026-01-01, colour: red}\n"), 0o644)
	if _, err := LoadExceptions(filepath.Join(dir, "bad.yaml"), 0); err == nil || !strings.Contains(err.Error(), "bad.yaml: line 1: field colour not found") {
		t.Errorf("err = %v", err)
	}
	// An exceptions file is held to the config's policy, its errors naming
	// the file and line; accepts: [1] reads as the value "1".
	os.WriteFile(filepath.Join(dir, "long.yaml"), []byte("- {subject: k, gate: G-KEY-PERSON, accepts: [1], who: a, why: b, accepted: 2026-01-10, expires: 2026-04-09}\n"+
		"- {subject: k, gate: G-KEV, accepts: [CVE-2021-44228], who: a, why: b, accepted: 2026-01-10, expires: 2026-06-30}\n"), 0o644)
	_, err = Parse(filepath.Join(dir, "osgauge.yaml"), []byte("exception_policy: {max_months: 3}\nexceptions_file: long.yaml\n"))
	if err == nil || !strings.Contains(err.Error(), "long.yaml: line 2: exception 2 (k G-KEV): runs from 2026-01-10 to 2026-06-30, longer than the policy's maximum of 3 months") ||
		strings.Contains(err.Error(), "exception 1") {
		t.Errorf("err = %v", err)
	}
	list, err := LoadExceptions(filepath.Join(dir, "long.yaml"), 0)
	if err != nil || len(list) != 2 || len(list[0].Accepts) != 1 || list[0].Accepts[0] != "1" || list[0].Accepted != "2026-01-10" {
		t.Errorf("list %+v err %v", list, err)
	}
}

func TestSupplyChainKeys(t *testing.T) {
	c, err := Parse("/etc/osgauge/osgauge.yaml", []byte(`
sboms:
  - {system: payments, path: sboms/payments.cdx.json, licence: Apache-2.0, use: distributed}
  - {system: teller, path: sboms/teller.spdx}
component_repos:
  "pkg:maven/com.alibaba/fastjson": https://github.com/alibaba/fastjson
license_policy:
  distributed: {strong-copyleft: banned, weak-copyleft: review}
  saas: {network-copyleft: banned}
osv: {export: mirrors/Maven.zip, kev: mirrors/kev.json}
`))
	if err != nil {
		t.Fatal(err)
	}
	// teller states no use: internal by default, and marked as not stated.
	if c.SBOMs[1].Use != "internal" || c.SBOMs[1].UseStated || !c.SBOMs[0].UseStated || c.SBOMs[0].Licence != "Apache-2.0" ||
		c.Resolve(c.SBOMs[0].Path) != "/etc/osgauge/sboms/payments.cdx.json" {
		t.Errorf("sboms = %+v", c.SBOMs)
	}
	// An export without api_url means offline: no API.
	if c.OSV.APIURL != "" || len(c.OSV.Export) != 1 || c.OSV.KEV != "mirrors/kev.json" {
		t.Errorf("osv = %+v", c.OSV)
	}
	if c.LicensePolicy.Uses["distributed"]["strong-copyleft"] != "banned" || c.ComponentRepos["pkg:maven/com.alibaba/fastjson"] == "" {
		t.Errorf("policy/repos = %+v %+v", c.LicensePolicy, c.ComponentRepos)
	}
	d, err := Parse("x.yaml", []byte("osv: {export: [a.zip, b.zip]}\n"))
	if err != nil || len(d.OSV.Export) != 2 {
		t.Errorf("export list: %+v %v", d, err)
	}
	if d, _ := Parse("x.yaml", nil); d.OSV.APIURL != OSVDefaultAPI {
		t.Errorf("default api_url = %q", d.OSV.APIURL)
	}
	bad := []struct{ yaml, want string }{
		{"sboms:\n  - {system: a, path: a.json, use: cloud}\n", `line 2: sboms "a": use must be internal, distributed or saas, got "cloud"`},
		{"sboms:\n  - {system: a, path: a.json}\n  - {system: a, path: b.json}\n", `line 3: duplicate sboms system "a"`},
		{"sboms:\n  - {system: a}\n", "line 2: sboms entry 1 needs system and path"},
		{"sboms:\n  - {system: a, path: p, licence: MIT OR Apache-2.0}\n", "must be one SPDX licence id"},
		{"sboms:\n  - {system: a, path: p, colour: red}\n", "line 2: field colour not found"},
		{"license_policy:\n  cloud: {permissive: allowed}\n", `line 2: license_policy: unknown use "cloud"`},
		{"license_policy:\n  saas:\n    copyleft: banned\n", `line 3: license_policy.saas: unknown licence class "copyleft"`},
		{"license_policy:\n  saas:\n    permissive: ok\n", `line 3: license_policy.saas.permissive: decision must be allowed, review or banned, got "ok"`},
		{"component_repos:\n  fastjson: https://github.com/alibaba/fastjson\n", `line 2: component_repos: key "fastjson" must be a package URL`},
		{"osv:\n  api_url: ftp://x\n", "line 2: osv.api_url must be an http(s) URL or off"},
		{"osv:\n  feed: x\n", "line 2: field feed not found"},
	}
	for _, b := range bad {
		if _, err := Parse("x.yaml", []byte(b.yaml)); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%q: err = %v, want %q", b.yaml, err, b.want)
		}
	}
}

func TestScheduleAndServe(t *testing.T) {
	c, err := Parse("s.yaml", []byte("schedule: {collect: \"@daily\", report: \"0 6 1 1,4,7,10 *\"}\nserve: {listen: \"0.0.0.0:9000\", token_env: BANK_TOKEN, trusted_origins: [\"https://portal.bank.internal\"], hosts: [osgauge.bank.internal]}\n"))
	if err != nil || c.Serve.Listen != "0.0.0.0:9000" || c.Serve.TokenEnv != "BANK_TOKEN" ||
		len(c.Serve.TrustedOrigins) != 1 || c.Serve.TrustedOrigins[0] != "https://portal.bank.internal" || len(c.Serve.Hosts) != 1 || c.Serve.Hosts[0] != "osgauge.bank.internal" {
		t.Fatalf("%+v %v", c, err)
	}
	_, err = Parse("s.yaml", []byte("schedule:\n  collect: every day\n"))
	if err == nil || !strings.Contains(err.Error(), `line 2: schedule.collect: "every day" is not a cron spec`) {
		t.Errorf("err = %v", err)
	}
}

func TestIdentities(t *testing.T) {
	c, err := Parse("bank.yaml", []byte("identities:\n  bots: [release-robot@bank.example, ci-account]\n  humans: talbot@bank.example\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Identities.Bots) != 2 || c.Identities.Bots[1] != "ci-account" || len(c.Identities.Humans) != 1 {
		t.Errorf("identities = %+v", c.Identities)
	}
	if _, err := Parse("bank.yaml", []byte("identities:\n  robots: [x]\n")); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("unknown key: err = %v", err)
	}
}

func TestInventoryAssess(t *testing.T) {
	c, err := Parse("bank.yaml", []byte("report: {lang: en}\n"))
	if err != nil || c.Inventory.Assess != "direct" {
		t.Errorf("default inventory.assess = %q, %v", c.Inventory.Assess, err)
	}
	if _, err := Parse("bank.yaml", []byte("inventory:\n  assess: some\n")); err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "direct, all or none") {
		t.Errorf("bad scope: %v", err)
	}
}

func TestDefaultSystemLicence(t *testing.T) {
	// Not given: the institution's own systems are proprietary.
	c, err := Parse("x.yaml", []byte("license_policy: {distributed: {strong-copyleft: banned}}\n"))
	if err != nil || c.LicensePolicy.DefaultSystemLicence != "proprietary" || c.LicensePolicy.Uses["distributed"]["strong-copyleft"] != "banned" {
		t.Fatalf("%+v %v", c.LicensePolicy, err)
	}
	// Given beside the per-use decisions.
	c, err = Parse("x.yaml", []byte("license_policy:\n  default_system_licence: LicenseRef-Bank\n  saas: {network-copyleft: banned}\n"))
	if err != nil || c.LicensePolicy.DefaultSystemLicence != "LicenseRef-Bank" || c.LicensePolicy.Uses["saas"]["network-copyleft"] != "banned" {
		t.Fatalf("%+v %v", c.LicensePolicy, err)
	}
	// An expression is refused, naming the file, line and key.
	_, err = Parse("x.yaml", []byte("license_policy:\n  default_system_licence: MIT OR Apache-2.0\n"))
	if err == nil || !strings.Contains(err.Error(), "x.yaml: line 2") || !strings.Contains(err.Error(), "default_system_licence") {
		t.Fatalf("err = %v", err)
	}
}
