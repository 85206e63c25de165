package main

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

// A 2,000-project first collection on one token by REST, nothing stored:
// 24,000 requests at 5,000 an hour take 4 h (forge.TestMakePlan works it
// out); the line says so, with the count and the credential.
func TestPlanLines2000Projects(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	plan := forge.MakePlan([]forge.Demand{{Forge: "GitHub", Credential: "cred:abc", Resource: "core", Unit: "requests",
		Amount: 24000, Limit: 5000, Projects: 2000, What: "first collection by REST"}}, nil, now, forge.PlanWindow)
	lines := planLines(plan, now)
	if len(lines) != 1 {
		t.Fatalf("lines %q", lines)
	}
	for _, want := range []string{"cred:abc", "2000 projects", "24,000 requests", "about 4h0m0s", "4 more window(s) of 5000 an hour", "assumed full now"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("line %q lacks %q", lines[0], want)
		}
	}
}
