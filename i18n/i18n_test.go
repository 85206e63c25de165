package i18n

import (
	"os/exec"
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	// qx.na is registered by questionnaire.go as {"N/A", "不适用"}.
	if got := T("zh", "qx.na"); got != "不适用" {
		t.Errorf(`T("zh", "qx.na") = %q, want 不适用`, got)
	}
	if got := T("en", "qx.na"); got != "N/A" {
		t.Errorf(`T("en", "qx.na") = %q, want N/A`, got)
	}
	// An unknown key shows itself, never blank.
	if got := T("zh", "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key gave %q", got)
	}
	// A Chinese label left empty falls back to English.
	Register(map[string]Entry{"test.only_en": {"only English", ""}})
	if got := T("zh", "test.only_en"); got != "only English" {
		t.Errorf("empty zh gave %q", got)
	}
}

func TestDuplicateKeyPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("registering qx.na twice did not panic")
		}
	}()
	Register(map[string]Entry{"qx.na": {"again", "再次"}})
}

// Collectors know no report: no package under collectors/ may depend on
// one under reports/ (issue 26; the questionnaire collector's labels are
// here for that reason).
func TestCollectorsImportNoReport(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/osgauge/osgauge/collectors/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "github.com/osgauge/osgauge/reports" || strings.HasPrefix(p, "github.com/osgauge/osgauge/reports/") {
			t.Errorf("a collector depends on %s", p)
		}
	}
	if !strings.Contains(string(out), "github.com/osgauge/osgauge/i18n") {
		t.Error("go list shows no collector using i18n: is the test looking at the right module?")
	}
}
