package assess

import (
	"fmt"
	"slices"

	"github.com/osgauge/osgauge/models"
)

// Change compares one subject's result with its result for the previous
// period: score and grade deltas, gates that appeared or were resolved.
// Results of different model versions are marked not directly comparable
// and carry no delta.
type Change struct {
	Model         string   `json:"model"`
	PrevPeriod    string   `json:"previous_period"`
	PrevScore     *float64 `json:"previous_score"`
	PrevGrade     string   `json:"previous_grade,omitempty"`
	PrevLevel     int      `json:"previous_level,omitempty"`
	Delta         *float64 `json:"delta"`
	Comparable    bool     `json:"comparable"`
	Note          string   `json:"note,omitempty"`
	NewGates      []string `json:"new_gates,omitempty"`
	ResolvedGates []string `json:"resolved_gates,omitempty"`
}

// Diff compares cur with prev (the previous period's result of the same
// subject and model).
func Diff(prev, cur models.Result, prevPeriod string) Change {
	c := Change{Model: cur.Model, PrevPeriod: prevPeriod, PrevScore: prev.Score, PrevGrade: prev.Grade, PrevLevel: prev.Level, Comparable: true}
	if prev.ModelVersion != cur.ModelVersion || prev.ModelHash != cur.ModelHash {
		c.Comparable = false
		c.Note = fmt.Sprintf("model %s %s → %s (hash changed): not directly comparable", cur.Model, prev.ModelVersion, cur.ModelVersion)
	}
	if c.Comparable && prev.Score != nil && cur.Score != nil {
		d := round(*cur.Score - *prev.Score)
		c.Delta = &d
	}
	active := func(gs []models.GateHit) []string {
		var ids []string
		for _, g := range gs {
			if g.Waived == "" {
				ids = append(ids, g.ID)
			}
		}
		return ids
	}
	was, is := active(prev.Gates), active(cur.Gates)
	for _, g := range is {
		if !slices.Contains(was, g) {
			c.NewGates = append(c.NewGates, g)
		}
	}
	for _, g := range was {
		if !slices.Contains(is, g) {
			c.ResolvedGates = append(c.ResolvedGates, g)
		}
	}
	return c
}
