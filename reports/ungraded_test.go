package reports

import (
	"reflect"
	"testing"

	"github.com/osgauge/osgauge/models"
)

func TestGroup(t *testing.T) {
	rs := []models.Result{
		{Grade: "D", Missing: []models.MissingIndicator{{Swing: 4, Sources: []string{"osv"}}}},
		{GradeRange: []string{"D", "A"}, Missing: []models.MissingIndicator{{Swing: 10, Sources: []string{"github"}}, {Swing: 6, Sources: []string{"github", "scorecard"}}}},
		{GradeRange: []string{"D", "A"}, Missing: []models.MissingIndicator{{Swing: 3, Sources: []string{"manual"}}}},
		{GradeRange: []string{"C", "B"}},
	}
	// Swing by source over the results between two grades (the graded
	// one's osv 4 does not count): github 10 + 6/2 = 13, scorecard 6/2 = 3,
	// manual 3 (a tie at 3: by name, manual first).
	want := Ungraded{Graded: 1, Between: []GradeSpan{{"C", "B", 1}, {"D", "A", 2}}, Sources: []string{"github", "manual", "scorecard"}}
	if got := Group(rs); !reflect.DeepEqual(got, want) {
		t.Errorf("Group = %+v\nwant    %+v", got, want)
	}
}
