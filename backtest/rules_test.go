package backtest

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/models"
)

func TestAUCHandWorked(t *testing.T) {
	cases := []struct {
		name     string
		pos, neg []float64
		want     float64
	}{
		// 2 × 3 = 6 pairs. 10 is below 30, 50, 70: 3 wins. 30 ties 30
		// (0.5) and is below 50, 70 (2): 2.5. (3 + 2.5) / 6 = 0.916666….
		{"ties", []float64{10, 30}, []float64{30, 50, 70}, 5.5 / 6},
		// Inverted: the abandoned one scored above both others: 0 / 2.
		{"inverted", []float64{90}, []float64{10, 20}, 0},
		// All equal: every pair a tie, 0.5 each: 4 × 0.5 / 4.
		{"all ties", []float64{5, 5}, []float64{5, 5}, 0.5},
		// 1 below 2 and 3 (2 wins); 4 above both (0): 2 / 4.
		{"mixed", []float64{1, 4}, []float64{2, 3}, 0.5},
	}
	for _, c := range cases {
		got, ok := AUC(c.pos, c.neg)
		if !ok || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: AUC = %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
	if _, ok := AUC(nil, []float64{1}); ok {
		t.Error("AUC without an abandoned project must say there is no pair")
	}
	// Rounded to 4 places in the report: 0.916666… → 0.9167.
	if r := aucOf([]float64{10, 30}, []float64{30, 50, 70}); r.AUC == nil || *r.AUC != 0.9167 || r.Abandoned != 2 || r.Others != 3 {
		t.Errorf("aucOf = %+v", r)
	}
}

func TestSummariseRatesAndGateAUC(t *testing.T) {
	m := &models.Model{ID: ModelID,
		Grades:     []models.Grade{{ID: "A", Min: 80}, {ID: "B", Min: 65}, {ID: "C", Min: 50}, {ID: "D", Min: 0}},
		Dimensions: []models.Dimension{{ID: "ACT"}},
		Gates:      []models.Gate{{ID: "G-X"}}}
	r := &Report{RatesByGrade: map[string]GradeRates{}, states: map[string]map[string]string{}}
	num := func(x float64) *float64 { return &x }
	rows := []struct {
		id, grade, outcome string
		score, act         float64
		gate               string
	}{
		{"a1", "A", Alive, 90, 80, models.GateClear},
		{"a2", "A", Alive, 85, 70, models.GateClear},
		{"c1", "C", Abandoned, 55, 20, models.GateFired},
		{"c2", "C", Declining, 52, 40, models.GateFired},
		{"d1", "D", Abandoned, 30, 10, models.GateFired},
		{"d2", "D", Alive, 40, 60, models.GateNotEvaluated},
	}
	for _, x := range rows {
		r.Projects = append(r.Projects, Row{Name: x.id, ID: x.id, Grade: x.grade, Outcome: x.outcome, Score: num(x.score), Dimensions: map[string]*float64{"ACT": num(x.act)}})
		r.states[x.id] = map[string]string{"G-X": x.gate}
	}
	r.summarise(m)
	// A: 2 alive → alive 1. C: 1 abandoned, 1 declining → 0.5, 0.5.
	// D: 1 abandoned, 1 alive → 0.5, 0.5.
	want := map[string]map[string]float64{
		"A": {Abandoned: 0, Declining: 0, Alive: 1},
		"C": {Abandoned: 0.5, Declining: 0.5, Alive: 0},
		"D": {Abandoned: 0.5, Declining: 0, Alive: 0.5},
	}
	for g, w := range want {
		gr := r.RatesByGrade[g]
		for o, v := range w {
			if gr.Rates[o] != v {
				t.Errorf("grade %s %s rate %v, want %v", g, o, gr.Rates[o], v)
			}
		}
		if gr.Projects != 2 {
			t.Errorf("grade %s: %d projects, want 2", g, gr.Projects)
		}
	}
	// Score: abandoned {55, 30}, others {90, 85, 52, 40}. 30 is below all
	// four (4); 55 is below 90, 85 (2) and above 52, 40: 6 / 8 = 0.75.
	if a := r.AUCAbandoned; a == nil || *a != 0.75 {
		t.Errorf("auc_abandoned = %v, want 0.75", deref(a))
	}
	// ACT: abandoned {20, 10}, others {80, 70, 40, 60}: all 8 pairs won: 1.
	if a := r.AUC.Dimensions["ACT"].AUC; a == nil || *a != 1 {
		t.Errorf("ACT AUC = %v, want 1", deref(a))
	}
	// G-X, d2 not evaluated and left out: abandoned {0, 0}, others {1, 1,
	// 0}: each abandoned one wins 2 and ties 1 (2.5): 5 / 6 = 0.8333.
	if a := r.AUC.Gates["G-X"]; a.AUC == nil || *a.AUC != 0.8333 || a.Others != 3 {
		t.Errorf("G-X AUC = %+v, want 0.8333 over 2 and 3", a)
	}
}

func TestGradeOfBelowCoverage(t *testing.T) {
	m := &models.Model{Grades: []models.Grade{{ID: "A", Min: 80}, {ID: "B", Min: 65}, {ID: "C", Min: 50}, {ID: "D", Min: 0}}}
	num := func(x float64) *float64 { return &x }
	cases := []struct {
		res       models.Result
		want, why string
	}{
		{models.Result{Grade: "B", Score: num(70)}, "B", BasisDecided},
		{models.Result{GradeEstimate: "C", Score: num(70)}, "C", BasisEstimate},
		// 77.2 reaches B's 65, not A's 80: B.
		{models.Result{Score: num(77.2), GradeRange: []string{"D", "A"}}, "B", BasisPoint},
		// 85 is A, a fired gate capping at C makes it C.
		{models.Result{Score: num(85), GradeRange: []string{"D", "A"}, Gates: []models.GateHit{{ID: "G", Cap: "C"}}}, "C", BasisPoint},
		// 85 is A, but the best case is B: B.
		{models.Result{Score: num(85), GradeRange: []string{"D", "B"}}, "B", BasisPoint},
		// 40 is D, the worst case C: C.
		{models.Result{Score: num(40), GradeRange: []string{"C", "A"}}, "C", BasisPoint},
	}
	for i, c := range cases {
		if g, why := gradeOf(m, c.res); g != c.want || why != c.why {
			t.Errorf("case %d: %s (%s), want %s (%s)", i, g, why, c.want, c.why)
		}
	}
}

// The declining rule, worked by hand. Before the date (2024): Ann, Bob,
// Cai and Dee two commits each: 8 commits, 4 authors. After (2025): Ann
// alone, 4 commits: 4 ≤ 8 / 2 and 1 ≤ 4 / 2: declining. A fifth commit
// after would make it alive (5 > 4). One commit in 2026 shows the history
// goes on past the horizon.
func TestObserveDecliningAndAlive(t *testing.T) {
	for _, after := range []int{4, 5} {
		m := newRepo(t, "decl")
		m.every(utc(2023, 6, 1), utc(2023, 6, 2), 1, eve) // before the windows
		m.every(utc(2024, 2, 1), utc(2024, 2, 9), 1, ann, bob, cai, dee)
		m.every(utc(2025, 3, 1), utc(2025, 3, 1).AddDate(0, 0, after), 1, ann)
		m.commit(depbt, utc(2025, 6, 1)) // a bot's: left out
		m.commit(ann, utc(2026, 1, 15))
		m.flush()
		o, err := Observe(context.Background(), m.dir, ObserveOptions{AsOf: asOf, Horizon: 12, Identities: affiliation.NewIdentities(nil, nil)})
		if err != nil {
			t.Fatal(err)
		}
		want := Declining
		if after == 5 {
			want = Alive
		}
		if o.Outcome != want || o.Before.Commits != 8 || o.Before.Authors != 4 || o.After.Commits != after || o.After.Authors != 1 || o.After.BotCommits != 1 {
			t.Errorf("%d after: %s (%s) before %+v after %+v; want %s, 8/4 before, %d/1 after, 1 bot", after, o.Outcome, o.Why, o.Before, o.After, want, after)
		}
	}
}

// A history that ends inside the horizon while people committed in it is
// cut short: left out, unless the clones are known to have been fetched
// after the horizon's end. One that ends inside it with no person's commit
// after the date is abandoned.
func TestObserveHistoryEndsEarly(t *testing.T) {
	m := newRepo(t, "short")
	m.every(utc(2024, 1, 5), utc(2024, 12, 1), 10, ann, bob)
	m.every(utc(2025, 1, 5), utc(2025, 5, 1), 10, ann)
	m.flush()
	ids := affiliation.NewIdentities(nil, nil)
	o, err := Observe(context.Background(), m.dir, ObserveOptions{AsOf: asOf, Horizon: 12, Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	if o.LeftOut != CodeHistoryEnds || !strings.Contains(o.Why, "2025-04") {
		t.Errorf("left out %q (%s), want %s naming the history's end in April 2025", o.LeftOut, o.Why, CodeHistoryEnds)
	}
	fetched := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	o, err = Observe(context.Background(), m.dir, ObserveOptions{AsOf: asOf, Horizon: 12, Identities: ids, FetchedAt: fetched})
	if err != nil {
		t.Fatal(err)
	}
	// Fetched after the horizon: the history is complete. 2024: from
	// 01-05 every 10 days to 12-01: 33 commits (01-05 + 320 days =
	// 11-20; + 330 = 11-30 < 12-01: 34 dates, 0..33), Ann and Bob; 2025:
	// 01-05 .. 04-25, 12 commits by Ann. 12 ≤ 34/2 and 1 ≤ 2/2: declining.
	if o.LeftOut != "" || o.Outcome != Declining || o.Before.Commits != 34 || o.After.Commits != 12 {
		t.Errorf("fetched after: %q %s (%s) %+v %+v; want declining, 34 → 12", o.LeftOut, o.Outcome, o.Why, o.Before, o.After)
	}

	dead := newRepo(t, "dead")
	dead.every(utc(2023, 1, 5), utc(2024, 6, 1), 10, ann)
	dead.flush()
	o, err = Observe(context.Background(), dead.dir, ObserveOptions{AsOf: asOf, Horizon: 12, Identities: ids})
	if err != nil {
		t.Fatal(err)
	}
	if o.Outcome != Abandoned || o.LeftOut != "" {
		t.Errorf("dead: %q %s (%s), want abandoned", o.LeftOut, o.Outcome, o.Why)
	}
}

// A forge seen to say "archived" by the horizon's end makes a busy
// project abandoned; seen after it, the flag is only noted (the forge
// keeps no date of archiving).
func TestArchivedSeen(t *testing.T) {
	m := busy(t, "arch")
	tg := m.target("arch")
	for seen, want := range map[time.Time]string{
		time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC): Abandoned, // before 2025-12-31 23:59:59
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC): Alive,
	} {
		opt := options(t)
		opt.Archived = map[string]time.Time{tg.Subject.ID: seen}
		rep, err := Run(context.Background(), []collectors.Target{tg}, opt)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Projects) != 1 || rep.Projects[0].Outcome != want || rep.Projects[0].ArchivedSeen != seen.Format("2006-01-02") {
			t.Errorf("archived seen %s: %+v, want %s", seen.Format("2006-01-02"), rep.Projects, want)
		}
	}
}
