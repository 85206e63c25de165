package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The recorded demo: the embedded portfolio imported, its quarters
// assessed, the supply chain from the two SBOMs and the recorded OSV
// advisory, labelled as recorded sample data; offline, no token.
func TestDemoRecorded(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	out := t.TempDir()
	stdout, err := runCLI(t, "demo", "--out", out, "--lang", "en")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stdout)
	}
	// The snapshot is 2026-08-22 (examples/recorded/portfolio.json), in
	// July–September: the report is 2026Q3, and the four quarters before
	// it were recorded at their ends.
	for _, want := range []string{
		"recorded sample data: imported 1230 observations of 6 projects at 5 instants up to 2026-08-22",
		"assessed 6 results for 2025Q3", "assessed 6 results for 2026Q2",
		"RECORDED SAMPLE DATA: ", "osgauge-2026Q3.html",
		// fastjson's newest commit is 2023-05-12: 39 months before the snapshot.
		"G-UNMAINTAINED",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(filepath.Join(out, "osgauge-2026Q3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Institution    string   `json:"institution"`
		PreviousPeriod string   `json:"previous_period"`
		Periods        []string `json:"periods"`
		Subjects       []struct {
			Kind, Name, Description string
		}
		Runs      []struct{ Note string }
		Inventory struct {
			Totals struct{ Systems, Components, Direct, Transitive int }
		}
		Vulnerabilities struct {
			Totals struct {
				Open           int            `json:"open"`
				OpenBySeverity map[string]int `json:"open_by_severity"`
			}
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Institution != "Example Bank (fictional) · recorded sample data" {
		t.Errorf("institution title = %q, want the sample-data label", doc.Institution)
	}
	// 2026Q3 and the four recorded quarters, newest first.
	if doc.PreviousPeriod != "2026Q2" || strings.Join(doc.Periods, ",") != "2026Q3,2026Q2,2026Q1,2025Q4,2025Q3" {
		t.Errorf("previous %q, periods %v", doc.PreviousPeriod, doc.Periods)
	}
	kinds := map[string]int{}
	for _, s := range doc.Subjects {
		kinds[s.Kind]++
		if s.Kind == "project" && !strings.HasPrefix(s.Description, "recorded sample data: https://github.com/") {
			t.Errorf("%s: description %q does not say it is recorded", s.Name, s.Description)
		}
		if s.Kind == "supplier" && !strings.Contains(s.Description, "Fictional") {
			t.Errorf("%s: description %q does not say it is fictional", s.Name, s.Description)
		}
	}
	if kinds["project"] != 6 || kinds["supplier"] != 3 || kinds["institution"] != 1 {
		t.Errorf("kinds = %v, want 6 projects, 3 suppliers, 1 institution", kinds)
	}
	recorded := 0
	for _, r := range doc.Runs {
		if strings.HasPrefix(r.Note, "recorded sample data imported from recorded/portfolio.json") {
			recorded++
		}
	}
	if recorded != 5 {
		t.Errorf("%d runs noted as recorded sample data, want 5 (one per instant)", recorded)
	}
	// payments-gateway: gson, fastjson, commons-lang3, json, log4j-core
	// direct, log4j-api under log4j-core; container-platform: karmada and
	// errors direct, yaml.v3 under karmada. 6 + 3 = 9 components, 7 direct,
	// 2 transitive.
	if it := doc.Inventory.Totals; it.Systems != 2 || it.Components != 9 || it.Direct != 7 || it.Transitive != 2 {
		t.Errorf("inventory totals = %+v, want 2 systems, 9 components, 7 direct, 2 transitive", it)
	}
	// log4j-core 2.14.1 lies in GHSA-jfh8-c2jp-5v3q's range [2.13.0, 2.15.0):
	// one open critical finding.
	if v := doc.Vulnerabilities.Totals; v.Open != 1 || v.OpenBySeverity["critical"] != 1 {
		t.Errorf("vulnerabilities = %+v, want one open critical (Log4Shell)", v)
	}
	page, err := os.ReadFile(filepath.Join(out, "osgauge-2026Q3.html"))
	if err != nil || !strings.Contains(string(page), "recorded sample data") {
		t.Errorf("dashboard does not name the recorded sample data (%v)", err)
	}

	// Again, into the same store: nothing imported twice.
	stdout, err = runCLI(t, "demo", "--out", out, "--lang", "en")
	if err != nil || !strings.Contains(stdout, "recorded sample data: imported into ") || strings.Contains(stdout, "assessed 6 results for 2025Q3") {
		t.Errorf("second demo: %v\n%s", err, stdout)
	}
}

// init says how to get from the starter config to a full run: the clones
// its two example projects' local_path expect (./clones/karmada and
// ./clones/excelize, resolved against the folder written), the token
// variable (github.token_env: GITHUB_TOKEN) and that run works offline.
func TestInitNextSteps(t *testing.T) {
	dir := t.TempDir()
	stdout, err := runCLI(t, "init", "--dir", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"git clone https://github.com/karmada-io/karmada " + filepath.Join(dir, "clones", "karmada") + "\n",
		"git clone https://github.com/qax-os/excelize " + filepath.Join(dir, "clones", "excelize") + "\n",
		"export GITHUB_TOKEN=", "osgauge run --config " + filepath.Join(dir, "osgauge.yaml"), "works offline meanwhile",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("init output lacks %q:\n%s", want, stdout)
		}
	}
}

// The help texts: run's is more than its one-line summary; model show
// lists the ids it accepts; questionnaire check is validate under another
// name, and says how it differs from import and from osgauge check.
func TestHelpTexts(t *testing.T) {
	out, _ := runCLI(t, "run", "--help")
	if !strings.Contains(out, "It works offline") || !strings.Contains(out, "GITHUB_TOKEN") {
		t.Errorf("run --help:\n%s", out)
	}
	out, _ = runCLI(t, "model", "show", "--help")
	if !strings.Contains(out, "governance-maturity, project-health, supplier") {
		t.Errorf("model show --help does not list the ids:\n%s", out)
	}
	out, _ = runCLI(t, "questionnaire", "check", "--help")
	if !strings.Contains(out, "'questionnaire check' is another name for validate") || !strings.Contains(out, "top-level 'osgauge check'") {
		t.Errorf("questionnaire check --help:\n%s", out)
	}
}
