package config

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLifecycleDefaults(t *testing.T) {
	c, err := Parse(filepath.Join("conf", "osgauge.yaml"), []byte("institution: {name: Bank}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lifecycle.IntakeRequired != "direct" || c.Lifecycle.Policy.IntakeRequired != "direct" {
		t.Errorf("intake_required %q / policy %q, want direct", c.Lifecycle.IntakeRequired, c.Lifecycle.Policy.IntakeRequired)
	}
	if got := c.LedgerDir(); got != filepath.Join("conf", "ledger") {
		t.Errorf("ledger dir %q, want conf/ledger (beside the config)", got)
	}
	if c.Lifecycle.Policy.MinGrade != "C" || c.Lifecycle.Policy.ReviewMonths != 12 {
		t.Errorf("policy defaults not applied: %+v", c.Lifecycle.Policy)
	}

	c, err = Parse(filepath.Join("conf", "osgauge.yaml"), []byte("lifecycle:\n  intake_required: all\n  ledger: ../decisions/\n  policy: {min_grade: B}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lifecycle.IntakeRequired != "all" || c.Lifecycle.Policy.IntakeRequired != "all" || c.LedgerDir() != "decisions" || c.Lifecycle.Policy.MinGrade != "B" {
		t.Errorf("lifecycle %+v, ledger dir %q", c.Lifecycle, c.LedgerDir())
	}
}

func TestLifecycleErrorsNameLine(t *testing.T) {
	_, err := Parse("osgauge.yaml", []byte(`institution: {name: Bank}
lifecycle:
  intake_required: some
  policy:
    review_months: 100
`))
	if err == nil {
		t.Fatal("a bad lifecycle section was accepted")
	}
	for _, want := range []string{
		`line 3: lifecycle.intake_required must be direct, all or none, got "some"`,
		"line 5: lifecycle.policy.review_months",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := Parse("osgauge.yaml", []byte("lifecycle: {policy: {colour: red}}\n")); err == nil || !strings.Contains(err.Error(), "line 1: field colour not found") {
		t.Errorf("unknown policy key: %v", err)
	}
}
