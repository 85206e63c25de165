package assess

import (
	"math"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// Delays in the built-in models are scored linearly or in bands around
// published targets (the thresholds' sources are in the YAML).
func TestDelaysScoredAroundTargets(t *testing.T) {
	phi, err := models.Builtin(models.ProjectHealth)
	if err != nil {
		t.Fatal(err)
	}
	sei, err := models.Builtin(models.Supplier)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		m    *models.Model
		id   string
		x    float64
		want float64
	}{
		// The three examples. A 3-day first response: linear 0..15
		// inverted, 1 − 3/15 = 0.8 (inv-log T=15 gave 1 − ln4/ln16 = 0.50).
		{phi, "RSP-1", 3, 0.8},
		// A fix in 30 days, G-UNPATCHED-FIXED's bar: band "over 14 up to
		// 30" = 0.8 (inv-log T=90 gave 1 − ln31/ln91 = 1 − 3.4340/4.5109 = 0.24).
		{phi, "VUL-3", 30, 0.8},
		// The supplier model's own example, 12 days: band "up to 14" = 1
		// (inv-log T=30 gave 1 − ln13/ln31 = 1 − 2.5649/3.4340 = 0.25).
		{sei, "SCC-2", 12, 1},
		// Around them. RSP-1: a week 1 − 7/15 = 0.5333; 15 days or more 0.
		{phi, "RSP-1", 7, 1 - 7.0/15},
		{phi, "RSP-1", 0, 1},
		{phi, "RSP-1", 20, 0},
		// RSP-2 as RSP-1: 1.5 days 1 − 1.5/15 = 0.9.
		{phi, "RSP-2", 1.5, 0.9},
		// RSP-4 linear 0..60: 30 days 1 − 30/60 = 0.5; 45 days 0.25.
		{phi, "RSP-4", 30, 0.5},
		{phi, "RSP-4", 45, 0.25},
		// VUL-3 bands 14 | 30 | 90 | 180: 14 days 1; 14.5 days 0.8;
		// 31 days 0.5; 90 days 0.5; 120 days 0.2; 180 days 0.2; 181 days 0.
		{phi, "VUL-3", 14, 1},
		{phi, "VUL-3", 14.5, 0.8},
		{phi, "VUL-3", 31, 0.5},
		{phi, "VUL-3", 90, 0.5},
		{phi, "VUL-3", 120, 0.2},
		{phi, "VUL-3", 180, 0.2},
		{phi, "VUL-3", 181, 0},
		// SCC-2 bands 14 | 30 | 90: 14 days 1; 30 days 0.7; 31 days 0.3;
		// 91 days 0.
		{sei, "SCC-2", 14, 1},
		{sei, "SCC-2", 30, 0.7},
		{sei, "SCC-2", 31, 0.3},
		{sei, "SCC-2", 91, 0},
	} {
		in := c.m.Indicator(c.id)
		if in == nil {
			t.Fatalf("%s has no %s", c.m.ID, c.id)
		}
		got, ok, why := Normalize(in.Normalize, models.Num(c.x), "")
		if !ok || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("%s %s(%v) = %v (%v %s), want %v", c.m.ID, c.id, c.x, got, ok, why, c.want)
		}
	}
}

// The supplier's knock-out gates fire below "documented" (evidence 2): a
// claimed process (1) is no process.
func TestSupplierGatesNeedDocuments(t *testing.T) {
	sei, err := models.Builtin(models.Supplier)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	answer := func(level float64) Facts {
		f := Facts{}
		for _, q := range []string{"questionnaire.SCC-1", "questionnaire.SCC-4"} {
			f[q] = models.Observation{Metric: q, Value: models.Num(level), Source: "questionnaire", ObservedAt: now.AddDate(0, -1, 0)}
		}
		return f
	}
	for _, c := range []struct {
		level float64
		want  string
	}{{0, models.GateFired}, {1, models.GateFired}, {2, models.GateClear}, {4, models.GateClear}} {
		r := Score(sei, models.Subject{Kind: models.KindSupplier, ID: "s"}, answer(c.level), Env{Now: now})
		for _, id := range []string{"G-NO-VULN-PROCESS", "G-NO-COMPLIANCE-ARTEFACTS"} {
			if g := gate(t, r, id); g.State != c.want {
				t.Errorf("evidence %v: %s %s, want %s (%s)", c.level, id, g.State, c.want, g.Reason)
			}
		}
		if c.want == models.GateFired && r.Grade != "not-approved" {
			t.Errorf("evidence %v: tier %q, want not-approved", c.level, r.Grade)
		}
	}
}
