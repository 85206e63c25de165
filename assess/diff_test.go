package assess

import (
	"testing"

	"github.com/osgauge/osgauge/models"
)

func TestDiff(t *testing.T) {
	prev := models.Result{Model: "m", ModelVersion: "1", ModelHash: "h1", Score: models.Num(61.9), Grade: "C",
		Gates: []models.GateHit{{ID: "G-OLD"}, {ID: "G-KEPT"}}}
	cur := models.Result{Model: "m", ModelVersion: "1", ModelHash: "h1", Score: models.Num(70.2), Grade: "B",
		Gates: []models.GateHit{{ID: "G-KEPT"}, {ID: "G-NEW"}, {ID: "G-WAIVED", Waived: "accepted"}}}
	c := Diff(prev, cur, "2026Q3")
	// 70.2 − 61.9 = 8.3
	if !c.Comparable || c.Delta == nil || *c.Delta != 8.3 || c.PrevGrade != "C" {
		t.Errorf("change = %+v", c)
	}
	if len(c.NewGates) != 1 || c.NewGates[0] != "G-NEW" || len(c.ResolvedGates) != 1 || c.ResolvedGates[0] != "G-OLD" {
		t.Errorf("gates: new %v resolved %v", c.NewGates, c.ResolvedGates)
	}
	cur.ModelVersion, cur.ModelHash = "2", "h2"
	c = Diff(prev, cur, "2026Q3")
	if c.Comparable || c.Delta != nil || c.Note == "" {
		t.Errorf("different model versions compared: %+v", c)
	}
}
