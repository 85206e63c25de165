package assess

import (
	"fmt"
	"slices"
	"strings"

	"github.com/osgauge/osgauge/models"
)

// Change compares one subject's result with its result for the previous
// period: score and grade deltas, gates that appeared or were resolved.
// Results of different model versions, or of different weight profiles
// (the subject's use_type changed), are marked not comparable with the
// reason in Note, and carry no delta and no new or resolved gates: a gate
// a new version added is not news about the subject (issue 22).
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
	if reason := notComparable(prev, cur); reason != "" {
		c.Comparable = false
		c.Note = reason
		return c
	}
	if prev.Score != nil && cur.Score != nil {
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

// notComparable says why two results of one subject and model cannot be
// compared ("" when they can): another model version (or the same version
// edited: another hash), or another weight profile.
func notComparable(prev, cur models.Result) string {
	var why []string
	if prev.ModelVersion != cur.ModelVersion || prev.ModelHash != cur.ModelHash {
		what := fmt.Sprintf("model %s %s → %s", cur.Model, prev.ModelVersion, cur.ModelVersion)
		if prev.ModelVersion == cur.ModelVersion {
			what = fmt.Sprintf("model %s %s edited (hash changed)", cur.Model, cur.ModelVersion)
		}
		why = append(why, what)
	}
	if prev.Profile != cur.Profile {
		why = append(why, fmt.Sprintf("weight profile %s → %s (the use type changed)", profileName(prev.Profile), profileName(cur.Profile)))
	}
	if len(why) == 0 {
		return ""
	}
	return strings.Join(why, "; ") + ": no score delta, no new or resolved gates, no grade change counted"
}

func profileName(p string) string {
	if p == "" {
		return "default"
	}
	return p
}
