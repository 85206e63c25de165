package reports

import (
	"reflect"
	"testing"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
)

func num(v float64) *float64 { return &v }

// trendReport is a hand-built portfolio of one index model over three
// periods (newest first 2026Q4, Q3, Q2; Q3 is the previous one). Each
// project's points, oldest first, and what they count as:
//
//	p1: Q2 C 50 ok (decided) · Q3 no grade, 60 ok (between grades, range
//	    not stored) · Q4 B 70 (decided)
//	p2: Q2 no grade, 30 inconclusive, range not read (inconclusive,
//	    unsplit) · Q3 B 72 (decided) · Q4 between D and B, estimate C, 55
//	    ok (between grades)
//	p3: Q3 between C and A, estimate B, 66 ok, range read (between) ·
//	    Q4 between D and A, estimate B, 65 inconclusive: below the
//	    coverage minimum (between grades, not in the mean)
//	p4: Q2 D 20 (decided) · Q3 no grade, inconclusive, range read
//	    (inconclusive) · Q4 no grade, no range, no score (inconclusive)
//	p5: Q3 C 40 (decided) · Q4 B 68 (decided): a grade change
//	p6: Q3 between C and A, estimate B, 64 ok, range read · Q4 B 69
//	    (decided): estimate B → decided B, not a grade change
//
// This period's points carry no range (as the pipeline builds them): the
// trend takes it from the results.
func trendReport() *Report {
	const m = models.ProjectHealth
	def := &models.Model{ID: m, Version: "1.0.0", Kind: models.ModelIndex, Subject: models.KindProject,
		Grades: []models.Grade{{ID: "A", Min: 80}, {ID: "B", Min: 65}, {ID: "C", Min: 45}, {ID: "D"}}}
	r := &Report{Period: "2026Q4", Periods: []string{"2026Q4", "2026Q3", "2026Q2"}, PreviousPeriod: "2026Q3",
		Models: []ModelRef{{ID: m, Version: "1.0.0"}}, Defs: models.Set{m: def}}
	ok, inc := models.StatusOK, models.StatusInconclusive
	pt := func(p string, score *float64, grade, status string) HistoryPoint {
		return HistoryPoint{Period: p, Model: m, ModelVersion: "1.0.0", Score: score, Grade: grade, Status: status, Comparable: true}
	}
	ranged := func(h HistoryPoint, worst, best, est string) HistoryPoint {
		h.GradeRange, h.GradeEstimate, h.Ranged = []string{worst, best}, est, true
		return h
	}
	subject := func(id string, res models.Result, hist ...HistoryPoint) SubjectReport {
		res.Model, res.ModelVersion = m, "1.0.0"
		s := SubjectReport{Kind: models.KindProject, ID: id, Name: id, Results: []models.Result{res},
			History: append([]HistoryPoint{pt("2026Q4", res.Score, res.Grade, res.Status)}, hist...)}
		for _, h := range hist {
			if h.Period == r.PreviousPeriod {
				s.Changes = []assess.Change{{Model: m, PrevPeriod: h.Period, PrevScore: h.Score, PrevGrade: h.Grade, Comparable: true}}
			}
		}
		return s
	}
	inQ3 := pt("2026Q3", nil, "", inc)
	inQ3.Ranged = true
	r.Subjects = []SubjectReport{
		subject("p1", models.Result{Score: num(70), Grade: "B", Status: ok},
			pt("2026Q3", num(60), "", ok), pt("2026Q2", num(50), "C", ok)),
		subject("p2", models.Result{Score: num(55), GradeRange: []string{"D", "B"}, GradeEstimate: "C", Status: ok},
			pt("2026Q3", num(72), "B", ok), pt("2026Q2", num(30), "", inc)),
		subject("p3", models.Result{Score: num(65), GradeRange: []string{"D", "A"}, GradeEstimate: "B", Status: inc},
			ranged(pt("2026Q3", num(66), "", ok), "C", "A", "B")),
		subject("p4", models.Result{Status: inc},
			inQ3, pt("2026Q2", num(20), "D", ok)),
		subject("p5", models.Result{Score: num(68), Grade: "B", Status: ok},
			pt("2026Q3", num(40), "C", ok)),
		subject("p6", models.Result{Score: num(69), Grade: "B", Status: ok},
			ranged(pt("2026Q3", num(64), "", ok), "C", "A", "B")),
	}
	return r
}

func TestPortfolioTrend(t *testing.T) {
	r := trendReport()
	aggs, grades := r.PortfolioTrend(models.ProjectHealth, r.Subjects)
	if want := []string{"A", "B", "C", "D"}; !reflect.DeepEqual(grades, want) {
		t.Errorf("grades = %v, want %v", grades, want)
	}
	type counts struct {
		Period                            string
		N, Between, Inconclusive, Unsplit int
		Grades                            map[string]int
		Mean                              float64
	}
	// Means over the scores with status ok:
	// Q2 p1 50, p4 20 (p2's 30 is inconclusive) = 35;
	// Q3 p1 60, p2 72, p3 66, p5 40, p6 64 = 302 / 5 = 60.4;
	// Q4 p1 70, p2 55, p5 68, p6 69 (p3's 65 is below the minimum) = 262 / 4 = 65.5.
	want := []counts{
		{"2026Q2", 3, 0, 1, 1, map[string]int{"C": 1, "D": 1}, 35},
		{"2026Q3", 6, 3, 1, 0, map[string]int{"B": 1, "C": 1}, 60.4},
		{"2026Q4", 6, 2, 1, 0, map[string]int{"B": 3}, 65.5},
	}
	if len(aggs) != len(want) {
		t.Fatalf("%d periods, want %d", len(aggs), len(want))
	}
	for i, a := range aggs {
		mean, _ := a.Mean()
		got := counts{a.Period, a.N, a.Between, a.Inconclusive, a.Unsplit, a.Grades, mean}
		if !reflect.DeepEqual(got, want[i]) {
			t.Errorf("period %d = %+v\nwant       %+v", i, got, want[i])
		}
		decided := 0
		for _, n := range a.Grades {
			decided += n
		}
		if decided+a.Between+a.Inconclusive != a.N {
			t.Errorf("%s: %d decided + %d between + %d inconclusive != %d results", a.Period, decided, a.Between, a.Inconclusive, a.N)
		}
	}
}

func TestGradeMoves(t *testing.T) {
	r := trendReport()
	type move struct {
		ID      string
		Changed bool
		En, Zh  string
	}
	// p4 (inconclusive both times) did not move.
	want := []move{
		{"p1", false, "between grades (range not stored) → decided B", "介于等级之间（区间未存储） → 已判定 B"},
		{"p2", false, "decided B → D–B, undecided (likeliest C)", "已判定 B → D–B，未定级（最可能 C）"}, // issue 26: the range first
		{"p3", false, "C–A, undecided (likeliest B) → D–A, undecided (likeliest B)", "C–A，未定级（最可能 B） → D–A，未定级（最可能 B）"},
		{"p5", true, "C → B", "C → B"},
		{"p6", false, "C–A, undecided (likeliest B) → decided B", "C–A，未定级（最可能 B） → 已判定 B"},
	}
	var got []move
	for _, m := range r.GradeMoves(models.KindProject) {
		got = append(got, move{m.ID, m.Changed(), m.Text("en", nil), m.Text("zh", nil)})
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("moves:\n%+v\nwant\n%+v", got, want)
	}
	if n := len(r.GradeMoves(models.KindSupplier)); n != 0 {
		t.Errorf("%d supplier moves, want none", n)
	}
}

func TestGradeMoveUnknown(t *testing.T) {
	unknown := PointGrade{Kind: GradeUnknown}
	between := PointGrade{Kind: GradeBetween, Range: []string{"D", "B"}, Estimate: "C"}
	decided := PointGrade{Kind: GradeDecided, Grade: "C"}
	for _, c := range []struct {
		m     GradeMove
		moved bool
	}{
		// not stored whether inconclusive or between: no known move to
		// another ungraded result, a move to a decided grade
		{GradeMove{From: unknown, To: between}, false},
		{GradeMove{From: unknown, To: PointGrade{Kind: GradeInconclusive}}, false},
		{GradeMove{From: unknown, To: decided}, true},
		// a range not stored: whether the estimate moved is not known
		{GradeMove{From: PointGrade{Kind: GradeBetween}, To: between}, false},
		{GradeMove{From: between, To: between}, false},
		{GradeMove{From: decided, To: decided}, false},
		{GradeMove{From: PointGrade{Kind: GradeInconclusive}, To: between}, true},
	} {
		if got := c.m.Moved(); got != c.moved {
			t.Errorf("%s: moved = %v, want %v", c.m.Text("en", nil), got, c.moved)
		}
		if c.m.Changed() {
			t.Errorf("%s: a grade change", c.m.Text("en", nil))
		}
	}
	if got := (GradeMove{From: unknown, To: decided}).Text("en", nil); got != "not graded (inconclusive or between grades: not stored) → decided C" {
		t.Errorf("unknown → decided = %q", got)
	}
}
