package config

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/vulns"
)

func TestVulnerabilityPolicy(t *testing.T) {
	c, err := Parse("osgauge.yaml", []byte("institution: {name: Bank}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.VulnerabilityPolicy.Deadlines(); got != (vulns.Deadlines{KEV: 14, Critical: 30, High: 30, Medium: 90, Low: 180}) {
		t.Errorf("default deadlines %+v", got)
	}
	c, err = Parse("osgauge.yaml", []byte("vulnerability_policy:\n  deadlines_days: {kev: 7, high: 60, low: 365}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.VulnerabilityPolicy.Deadlines(); got != (vulns.Deadlines{KEV: 7, Critical: 30, High: 60, Medium: 90, Low: 365}) {
		t.Errorf("deadlines %+v, want kev 7, high 60, low 365 and the defaults", got)
	}
	for _, c := range []struct{ yaml, want string }{
		{"vulnerability_policy:\n  deadlines_days:\n    critical: 0\n", "line 3: vulnerability_policy.deadlines_days.critical must be a positive number of days (default 30), got 0"},
		{"vulnerability_policy:\n  deadlines_days:\n    medium: -5\n", "line 3: vulnerability_policy.deadlines_days.medium must be a positive number"},
		{"vulnerability_policy:\n  deadlines_days:\n    urgent: 3\n", "line 3: field urgent not found"},
		{"vulnerability_policy:\n  deadline_days: {kev: 3}\n", "line 2: field deadline_days not found"},
		{"vulnerability_policy:\n  deadlines_days:\n    kev: two weeks\n", "line 3:"},
	} {
		if _, err := Parse("osgauge.yaml", []byte(c.yaml)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.yaml, err, c.want)
		}
	}
}
