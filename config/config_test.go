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
		{"projects:\n  - {name: a, repo: r}\n  - {name: a, repo: r}\n", "bank.yaml: line 3: duplicate project name \"a\""},
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
- {subject: karmada, gate: G-ARCHIVED, who: CISO, why: "fork maintained in-house", expires: 2027-03-31}
`), 0o644)
	c, err := Parse(filepath.Join(dir, "osgauge.yaml"), []byte(`
exceptions_file: risk.yaml
exceptions:
  - {subject: karmada, indicator: SCJ-2, normalized: 1, who: OSPO, why: "test fixture binaries", expires: 2026-12-31}
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exceptions) != 2 || c.Exceptions[1].Gate != "G-ARCHIVED" {
		t.Errorf("exceptions = %+v", c.Exceptions)
	}
	bad := []struct{ yaml, want string }{
		{"exceptions:\n  - {subject: k, gate: G, who: a, why: b, expires: soon}\n", `line 2: exception 1 (k G): expires must be a date YYYY-MM-DD, got "soon"`},
		{"exceptions:\n  - {subject: k, gate: G, expires: 2026-01-01}\n", "line 2: exception 1 (k G): who and why are required"},
		{"exceptions:\n  - {subject: k, indicator: I, who: a, why: b, expires: 2026-01-01}\n", "needs normalized"},
		{"exceptions:\n  - {subject: k, gate: G, indicator: I, normalized: 1, who: a, why: b, expires: 2026-01-01}\n", "exactly one of indicator or gate"},
	}
	for _, b := range bad {
		if _, err := Parse("x.yaml", []byte(b.yaml)); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%q: err = %v, want %q", b.yaml, err, b.want)
		}
	}
	os.WriteFile(filepath.Join(dir, "bad.yaml"), []byte("- {subject: k, gate: G, who: a, why: b, expires: 2026-01-01, colour: red}\n"), 0o644)
	if _, err := LoadExceptions(filepath.Join(dir, "bad.yaml")); err == nil || !strings.Contains(err.Error(), "bad.yaml: line 1: field colour not found") {
		t.Errorf("err = %v", err)
	}
}
