package main

import (
	"testing"

	"github.com/osgauge/osgauge/models"
)

// The projects left out of the terminal summary are described in one line:
// how many are graded or between which grades, and which sources' missing
// indicators weigh most.
func TestGroupNote(t *testing.T) {
	rs := []models.Result{
		{Grade: "D", Missing: []models.MissingIndicator{{Swing: 4, Sources: []string{"osv"}}}},
		{GradeRange: []string{"D", "A"}, Missing: []models.MissingIndicator{{Swing: 10, Sources: []string{"github"}}, {Swing: 6, Sources: []string{"github", "scorecard"}}}},
		{GradeRange: []string{"D", "A"}, Missing: []models.MissingIndicator{{Swing: 2, Sources: []string{"manual"}}}},
		{GradeRange: []string{"C", "B"}},
	}
	// swing by source over the ungraded: github 10 + 6/2 = 13, scorecard 3,
	// manual 2 (the graded one's osv does not count) → github, scorecard, manual.
	want := ": 1 graded, 1 between C and B, 2 between D and A; most missing data comes from github, scorecard, manual"
	if got := groupNote(rs); got != want {
		t.Errorf("groupNote = %q\nwant        %q", got, want)
	}
}
