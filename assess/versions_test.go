package assess

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

// Issue 22 item 10: new and resolved gates and deltas only between
// results of the same model version and the same weight profile.
func TestDiffAcrossVersionsAndProfiles(t *testing.T) {
	prev := models.Result{Model: "project-health", ModelVersion: "0.4.0", ModelHash: "h1", Score: models.Num(70), Grade: "B", Profile: "simple",
		Gates: []models.GateHit{{ID: "G-OLD"}}}
	cur := prev
	cur.Score, cur.Gates = models.Num(66.5), []models.GateHit{{ID: "G-NEW"}}

	// Same version and profile: 66.5 − 70 = −3.5, G-NEW new, G-OLD resolved.
	c := Diff(prev, cur, "2026Q3")
	if !c.Comparable || c.Delta == nil || *c.Delta != -3.5 || strings.Join(c.NewGates, ",") != "G-NEW" || strings.Join(c.ResolvedGates, ",") != "G-OLD" {
		t.Fatalf("comparable: %+v", c)
	}

	// A new model version added G-NEW: not news about the subject.
	v := cur
	v.ModelVersion, v.ModelHash = "0.5.0", "h2"
	c = Diff(prev, v, "2026Q3")
	if c.Comparable || c.Delta != nil || c.NewGates != nil || c.ResolvedGates != nil || !strings.Contains(c.Note, "0.4.0 → 0.5.0") {
		t.Errorf("across versions: %+v", c)
	}

	// Same version, the use type changed from simple to deep: the
	// dimensions are weighted differently, so no delta either.
	p := cur
	p.Profile = "deep"
	c = Diff(prev, p, "2026Q3")
	if c.Comparable || c.Delta != nil || c.NewGates != nil || !strings.Contains(c.Note, "weight profile simple → deep") {
		t.Errorf("across profiles: %+v", c)
	}

	// The same version edited in place (hash changed), profile dropped.
	e := cur
	e.ModelHash, e.Profile = "h3", ""
	c = Diff(prev, e, "2026Q3")
	if c.Comparable || !strings.Contains(c.Note, "0.4.0 edited (hash changed)") || !strings.Contains(c.Note, "simple → default") {
		t.Errorf("edited: %+v", c)
	}
}
