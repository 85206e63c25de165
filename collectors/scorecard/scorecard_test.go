package scorecard

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ossf/scorecard/v5/checker"
	"github.com/ossf/scorecard/v5/finding"
	"github.com/ossf/scorecard/v5/pkg/scorecard"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

const apache = `                                 Apache License
                           Version 2.0, January 2004
                        http://www.apache.org/licenses/

   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION
`

func run(t *testing.T, files map[string][]byte) map[string]models.Observation {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, body, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := New()
	c.Now = func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) }
	obs, _, err := c.Collect(context.Background(), collectors.Target{Subject: models.Subject{ID: "p"}, LocalPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]models.Observation{}
	for _, o := range obs {
		if o.SubjectID != "p" || o.Source != "scorecard" {
			t.Errorf("bad provenance %+v", o)
		}
		out[o.Metric] = o
	}
	return out
}

func TestLocalChecks(t *testing.T) {
	// ELF magic makes a file a binary artifact for Scorecard.
	elf := append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1}, make([]byte, 64)...)
	with := run(t, map[string][]byte{
		"LICENSE": []byte(apache),
		"main.go": []byte("package main\n\nfunc main() {}\n"),
	})
	without := run(t, map[string][]byte{
		"main.go":     []byte("package main\n\nfunc main() {}\n"),
		"bin/tool":    elf,
		"bin/tool.so": elf,
	})

	// License: present → a positive score (local mode tops out at 9 because
	// the host's licence API is not asked); absent → 0.
	if v := with["scorecard.License"].Value; v == nil || *v <= 0 {
		t.Errorf("License with a LICENSE file = %+v", with["scorecard.License"])
	}
	if v := without["scorecard.License"].Value; v == nil || *v != 0 {
		t.Errorf("License without a LICENSE file = %+v", without["scorecard.License"])
	}
	// Binary-Artifacts: none → 10; two binaries → lower, with the paths in evidence.
	if v := with["scorecard.Binary-Artifacts"].Value; v == nil || *v != 10 {
		t.Errorf("Binary-Artifacts clean = %+v", with["scorecard.Binary-Artifacts"])
	}
	ba := without["scorecard.Binary-Artifacts"]
	if ba.Value == nil || *ba.Value >= 10 {
		t.Errorf("Binary-Artifacts with binaries = %+v", ba)
	}
	// Security-Policy is a probe-based check: its warnings are findings,
	// whose text is not in Msg.Text. The upstream CLI on a folder without a
	// policy (pkg/errors) prints four warnings: "no security policy file
	// detected", then "no security file to analyze" three times; the
	// evidence keeps the first three and counts the rest (it read
	// "[; ; ; … 1 more]" before).
	sp := without["scorecard.Security-Policy"]
	if sp.Value == nil || *sp.Value != 0 || !strings.Contains(sp.Evidence,
		"[no security policy file detected; no security file to analyze; no security file to analyze; … 1 more]") {
		t.Errorf("Security-Policy without a policy = %v, evidence %q", sp.Value, sp.Evidence)
	}
	// Network checks are inconclusive with a reason, never scored.
	for _, m := range []string{"scorecard.Vulnerabilities", "scorecard.CII-Best-Practices", "scorecard.Maintained", "scorecard.Code-Review"} {
		o, ok := with[m]
		if !ok || o.Value != nil || o.Reason == "" {
			t.Errorf("%s should be inconclusive with a reason: %+v (present %v)", m, o, ok)
		}
	}
	if o := with["scorecard.Vulnerabilities"]; o.Reason != "needs network (offline run)" {
		t.Errorf("Vulnerabilities reason = %q", o.Reason)
	}
	if a := with["scorecard.aggregate"]; a.Value == nil || *a.Value <= 0 || *a.Value > 10 {
		t.Errorf("aggregate = %+v", a)
	}
}

func TestAppliesNeedsADirectory(t *testing.T) {
	if ok, why := New().Applies(collectors.Target{}); ok || why == "" {
		t.Errorf("applies without local_path: %v %q", ok, why)
	}
	_, _, err := New().Collect(context.Background(), collectors.Target{LocalPath: "/nonexistent/osgauge"})
	if err == nil {
		t.Error("missing directory accepted")
	}
}

// Scorecard's aggregate is the risk-weighted mean of the conclusive checks
// (Critical 10, High 7.5, Medium 5, Low 2.5); inconclusive checks drop out.
func TestAggregateWeighting(t *testing.T) {
	res := &scorecard.Result{Checks: []checker.CheckResult{
		{Name: "Dangerous-Workflow", Score: 0},  // Critical: 10
		{Name: "Binary-Artifacts", Score: 10},   // High: 7.5
		{Name: "Pinned-Dependencies", Score: 6}, // Medium: 5
		{Name: "License", Score: 9},             // Low: 2.5
		{Name: "Vulnerabilities", Score: -1},    // High, inconclusive: dropped
	}}
	obs := observations(runInfo{subject: "p", where: "x", kind: "local", now: time.Now()}, res)
	var agg *float64
	for _, o := range obs {
		if o.Metric == "scorecard.aggregate" {
			agg = o.Value
		}
	}
	// (10·0 + 7.5·10 + 5·6 + 2.5·9) / (10 + 7.5 + 5 + 2.5) = (0 + 75 + 30 + 22.5)/25
	// = 127.5/25 = 5.1
	if agg == nil || *agg != 5.1 {
		t.Errorf("aggregate = %v, want 5.1", agg)
	}
}

// The aggregate is rounded as the upstream CLI prints it. Nine checks:
// Dangerous-Workflow 10 (Critical 10 → 100), Binary-Artifacts 10,
// Token-Permissions 10, Maintained 10 (High 7.5 → 75 each), Pinned-
// Dependencies 5, SAST 5 (Medium 5 → 25 each), License 10 (Low 2.5 → 25),
// CI-Tests 7 (→ 17.5), CII-Best-Practices 0 (→ 0): 417.5 / 50 = 8.35,
// which is 8.3499… as a float64; `scorecard --local` prints "%.1f" → 8.3.
// Rounding half up (the old code) gave 8.4.
func TestAggregateRoundsLikeUpstream(t *testing.T) {
	res := &scorecard.Result{Checks: []checker.CheckResult{
		{Name: "Dangerous-Workflow", Score: 10}, {Name: "Binary-Artifacts", Score: 10},
		{Name: "Token-Permissions", Score: 10}, {Name: "Maintained", Score: 10},
		{Name: "Pinned-Dependencies", Score: 5}, {Name: "SAST", Score: 5},
		{Name: "License", Score: 10}, {Name: "CI-Tests", Score: 7}, {Name: "CII-Best-Practices", Score: 0},
	}}
	for _, o := range observations(runInfo{subject: "p", where: "x", kind: "local", now: time.Now()}, res) {
		if o.Metric == "scorecard.aggregate" && (o.Value == nil || *o.Value != 8.3) {
			t.Errorf("aggregate = %v, want 8.3 as the scorecard CLI prints it", o.Value)
		}
	}
}

// A finding without a message falls back to the detail's text; a warning
// with no text at all is left out, and out of the "more" count.
func TestDetailsText(t *testing.T) {
	line := uint(7)
	ds := []checker.CheckDetail{
		{Type: checker.DetailWarn, Msg: checker.LogMessage{Finding: &finding.Finding{Message: "no policy", Location: &finding.Location{Path: "SECURITY.md", LineStart: &line}}}},
		{Type: checker.DetailWarn, Msg: checker.LogMessage{Text: "legacy text", Finding: &finding.Finding{}}},
		{Type: checker.DetailWarn, Msg: checker.LogMessage{}},
		{Type: checker.DetailInfo, Msg: checker.LogMessage{Text: "info is not a warning"}},
		{Type: checker.DetailWarn, Msg: checker.LogMessage{Text: "third", Path: "a.yml", Offset: 3}},
		{Type: checker.DetailWarn, Msg: checker.LogMessage{Text: "fourth"}},
	}
	want := "SECURITY.md:7: no policy; legacy text; a.yml:3: third; … 1 more"
	if got := details(ds); got != want {
		t.Errorf("details = %q, want %q", got, want)
	}
}
