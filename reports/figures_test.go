package reports

import (
	"reflect"
	"testing"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/vulns"
)

func builtinDefs(t *testing.T, ids ...string) models.Set {
	t.Helper()
	set := models.Set{}
	for _, id := range ids {
		m, err := models.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		set[id] = m
	}
	return set
}

// One count per word: suppliers are not projects; undecided is every
// result without a decided grade (between two grades, or no range at all,
// whatever the status); gates fired are those not waived.
func TestFigures(t *testing.T) {
	ph, sp := models.ProjectHealth, models.Supplier
	missGH := []models.MissingIndicator{{ID: "ACT-1", Swing: 10, Sources: []string{"github"}}}
	r := &Report{Defs: builtinDefs(t, ph, sp), Subjects: []SubjectReport{
		{Kind: models.KindProject, ID: "p1", Results: []models.Result{{Model: ph, Grade: "A", Status: models.StatusOK}}},
		{Kind: models.KindProject, ID: "p2", Results: []models.Result{{Model: ph, Grade: "D", Status: models.StatusOK,
			Gates: []models.GateHit{{ID: "G1"}, {ID: "G2", Waived: "EX-1"}}}}},
		{Kind: models.KindProject, ID: "p3", Results: []models.Result{{Model: ph, GradeRange: []string{"D", "B"}, GradeEstimate: "B", Status: models.StatusOK, Missing: missGH}}},
		{Kind: models.KindProject, ID: "p4", Results: []models.Result{{Model: ph, GradeRange: []string{"D", "B"}, Status: models.StatusInconclusive, Missing: missGH}}},
		{Kind: models.KindProject, ID: "p5", Results: []models.Result{{Model: ph, Status: models.StatusInconclusive}}},
		{Kind: models.KindProject, ID: "p6"}, // no result: a project, not assessed
		{Kind: models.KindSupplier, ID: "s1", Results: []models.Result{{Model: sp, GradeRange: []string{"conditional", "preferred"}, Status: models.StatusInconclusive}}},
		{Kind: models.KindSupplier, ID: "s2", Results: []models.Result{{Model: sp, Grade: "preferred", Status: models.StatusOK, Gates: []models.GateHit{{ID: "S-G"}}}}},
		{Kind: models.KindInstitution, ID: "i"},
	},
		Vulnerabilities: &VulnReport{Totals: VulnTotals{Totals: vulns.Totals{Overdue: 3, OverdueKEV: 1}, OverdueBySeverity: map[string]int{"critical": 2}}},
		Inventory:       &Inventory{Totals: InvTotals{ByPolicy: map[string]int{licenses.Banned: 4}, ByCompatibility: map[string]int{licenses.Incompatible: 5}}},
	}
	// Projects: 6 (p6 has no result: 5 assessed); graded p1 (A), p2 (D);
	// undecided p3, p4 (D–B, whatever their status) and p5 (no range):
	// 3 = 2 + 1. Suppliers: 2, s2 decided, s1 undecided. Gates: p2's G1
	// and s2's S-G fired (2, on 2 subjects), p2's G2 waived (1).
	want := Figures{Projects: 6, Suppliers: 2, Institutions: 1,
		ProjectGrades: GradeFigures{Model: ph, Assessed: 5, Graded: 2, Undecided: 3,
			Grades:  []GradeCount{{"A", 1}, {"B", 0}, {"C", 0}, {"D", 1}},
			Between: []GradeSpan{{"D", "B", 2}}, NoRange: 1, DecidedBy: []string{"github"}},
		SupplierTiers: GradeFigures{Model: sp, Assessed: 2, Graded: 1, Undecided: 1,
			Grades:  []GradeCount{{"strategic", 0}, {"preferred", 1}, {"conditional", 0}, {"not-approved", 0}},
			Between: []GradeSpan{{"conditional", "preferred", 1}}, DecidedBy: []string{}},
		GatesFired: 2, GatesWaived: 1, SubjectsGated: 2,
		OverdueFindings: 3, OverdueKEV: 1, OverdueCritical: 2, BannedLicences: 4, IncompatibleLicences: 5,
	}
	if got := r.Figures(); !reflect.DeepEqual(got, want) {
		t.Errorf("Figures =\n%+v\nwant\n%+v", got, want)
	}
}

// The grade cell: a decided grade by its label; an undecided one by its
// range, worst first, and the word, never the estimate; "undecided" alone
// without a range. The estimate is in the detail.
func TestCellOf(t *testing.T) {
	defs := builtinDefs(t, models.ProjectHealth, models.Supplier)
	ph, sp := defs[models.ProjectHealth], defs[models.Supplier]
	between := &models.Result{GradeRange: []string{"D", "B"}, GradeEstimate: "B"}
	for _, c := range []struct {
		res  *models.Result
		def  *models.Model
		lang string
		want GradeCell
	}{
		{&models.Result{Grade: "B"}, ph, "en", GradeCell{"B (acceptable)", true}},
		{&models.Result{Grade: "B"}, ph, "zh", GradeCell{"B（可接受）", true}},
		{between, ph, "en", GradeCell{"D–B, undecided", false}},
		{between, ph, "zh", GradeCell{"D–B，未定级", false}},
		{between, nil, "en", GradeCell{"D–B, undecided", false}},
		{&models.Result{Status: models.StatusInconclusive}, ph, "en", GradeCell{"undecided", false}},
		// tiers whose labels do not start with their ids are named by label
		{&models.Result{GradeRange: []string{"conditional", "preferred"}}, sp, "en", GradeCell{"Conditional–Preferred, undecided", false}},
		{&models.Result{GradeRange: []string{"conditional", "preferred"}}, sp, "zh", GradeCell{"有条件准入–优选级，未定级", false}},
	} {
		if got := CellOf(c.res, c.def, c.lang); got != c.want {
			t.Errorf("CellOf(%+v, %s) = %+v, want %+v", c.res, c.lang, got, c.want)
		}
	}
	if got, want := GradeDetail(between, ph, "en"), "Likeliest grade B (the score's grade); with the missing data at its worst and at its best the grade is D or B."; got != want {
		t.Errorf("GradeDetail = %q, want %q", got, want)
	}
	if got := GradeDetail(&models.Result{Grade: "B"}, ph, "en"); got != "" {
		t.Errorf("GradeDetail of a decided grade = %q, want none", got)
	}
	if got := ScoreText(&models.Result{Score: models.Num(37.94)}); got != "37.9" {
		t.Errorf("ScoreText = %q, want 37.9", got)
	}
}
