package assess

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func gmi(t *testing.T) *models.Model {
	t.Helper()
	m, err := models.Builtin(models.GovernanceMaturity)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The case: an institution answers only the level-2 practices of the
// GMI, all at 4, and nothing else.
//   - Every domain: its level-2 practices pass (4 ≥ 3), its level-3 practices
//     are unanswered, so level 2 is proven and level 3 is not: low = 2.
//   - The unanswered practices (levels 3-5) are unknown, not failed: answered
//     at 4 they would all pass, so every core domain could reach its top,
//     level 5 (each core domain has practices up to 5): high = 5.
//   - Institution: min over the core domains G1-G10 = [2, 5].
//   - Coverage: the level-2 practices carry weight 2 each, against 14 or 17
//     per domain, far below the 60 % minimum: the status stays inconclusive,
//     but the proven level is not thrown away (0.1.0 gave "no level").
func TestOnlyLevel2AnsweredAt4GivesRangeFrom2(t *testing.T) {
	m := gmi(t)
	kv := map[string]float64{}
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			if in.Level == 2 {
				kv[in.Metrics[0]] = 4
			}
		}
	}
	r := Score(m, models.Subject{ID: "bank"}, facts(kv), Env{Now: time.Unix(0, 0)})
	if r.Level != 2 || len(r.LevelRange) != 2 || r.LevelRange[0] != 2 || r.LevelRange[1] != 5 {
		t.Fatalf("level %d range %v, want 2 and [2 5]: %s", r.Level, r.LevelRange, r.Explanation)
	}
	if r.Coverage >= m.MinCoverage || r.Status != models.StatusInconclusive {
		t.Errorf("coverage %v status %s: want inconclusive below %v", r.Coverage, r.Status, m.MinCoverage)
	}
	if !strings.Contains(r.Explanation, "level between 2 and 5") {
		t.Errorf("explanation %q lacks the range", r.Explanation)
	}
	for _, d := range r.Dimensions {
		if d.Level != 2 {
			t.Errorf("%s level %d, want 2", d.ID, d.Level)
		}
	}
	// The gaps are the level-3 practices (the next level), none at level 2.
	for _, g := range r.Gaps {
		if g.Level != 3 || g.Evidence != nil {
			t.Errorf("gap %+v: want an unanswered level-3 practice", g)
		}
	}
}

// Unknown versus failed, on the small ladder of engine_test.go
// (D1: p1 L2, p2 L3, p3 L4; D2: q1 L2, q2 L3; D3 not core: r1 L2):
//
//	D1: p1=4 passes; p2 unanswered; p3=1 answered and failing.
//	    low: L2 passes, L3 needs p2 → 2.  high: p2 at 4 → L3; L4 needs p3=1 → 3.
//	D2: q1 unanswered, q2=4.
//	    low: L2 needs q1 → 1 (level 1 is the floor, kept).  high: q1 at 4 → L2, L3 → 3.
//	D3: r1 unanswered → low 1, high 2 (not core, not in the minimum).
//	institution: low = min(2, 1) = 1, high = min(3, 3) = 3; Level = 1.
func TestUnansweredLowersLowNotHigh(t *testing.T) {
	m := mustModel(t, stagedModel)
	r := Score(m, models.Subject{ID: "bank"}, facts(map[string]float64{"manual.p1": 4, "manual.p3": 1, "manual.q2": 4}), Env{Now: time.Unix(0, 0)})
	if r.Level != 1 || len(r.LevelRange) != 2 || r.LevelRange[0] != 1 || r.LevelRange[1] != 3 {
		t.Fatalf("level %d range %v, want 1 [1 3]: %s", r.Level, r.LevelRange, r.Explanation)
	}
	if r.Dimensions[0].Level != 2 || r.Dimensions[1].Level != 1 || r.Dimensions[2].Level != 1 {
		t.Errorf("domain levels %d %d %d, want 2 1 1", r.Dimensions[0].Level, r.Dimensions[1].Level, r.Dimensions[2].Level)
	}
	if !strings.Contains(r.Explanation, "level between 1 and 3") {
		t.Errorf("explanation %q", r.Explanation)
	}
}

// A failing answer stops high as well: D1 p1=2 (answered, < 3) blocks level 2
// for good, so D1 is [1, 1] whatever p2 and p3 turn out to be; D2 fully
// answered q1=3, q2=3 → [3, 3]. Institution: [min(1,3), min(1,3)] = [1, 1],
// the level is certain and the explanation has no "between".
func TestFailingAnswerCapsHigh(t *testing.T) {
	m := mustModel(t, stagedModel)
	r := Score(m, models.Subject{ID: "bank"}, facts(map[string]float64{"manual.p1": 2, "manual.q1": 3, "manual.q2": 3}), Env{Now: time.Unix(0, 0)})
	if r.Level != 1 || len(r.LevelRange) != 2 || r.LevelRange[0] != 1 || r.LevelRange[1] != 1 {
		t.Fatalf("level %d range %v, want 1 [1 1]: %s", r.Level, r.LevelRange, r.Explanation)
	}
	if strings.Contains(r.Explanation, "between") {
		t.Errorf("explanation %q: the level is certain", r.Explanation)
	}
}

// Below the coverage minimum, a level the missing answers cannot change is
// given with status ok: only G1-1 (L2) is answered, at 0. G1 is then [1, 1]
// (an answered failure at level 2), so the institution's high is
// min(1, …) = 1 and its low is 1: [1, 1]. Coverage = 10·(2/14)/100 = 1.4 %.
func TestCertainLevelBelowCoverage(t *testing.T) {
	m := gmi(t)
	r := Score(m, models.Subject{ID: "bank"}, facts(map[string]float64{"questionnaire.G1-1": 0}), Env{Now: time.Unix(0, 0)})
	if r.Level != 1 || r.LevelRange[0] != 1 || r.LevelRange[1] != 1 || r.Status != models.StatusOK {
		t.Fatalf("level %d range %v status %s: %s", r.Level, r.LevelRange, r.Status, r.Explanation)
	}
	if !near2(r.Coverage, 0.0143) {
		t.Errorf("coverage %v, want 0.0143", r.Coverage)
	}
}

// Property: answering any of the unanswered practices (at any evidence)
// never moves the level outside the earlier [low, high], and the range
// only narrows.
func TestLevelRangeContainsEveryCompletion(t *testing.T) {
	m := gmi(t)
	rnd := rand.New(rand.NewPCG(3, 5))
	var metrics []string
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			metrics = append(metrics, in.Metrics[0])
		}
	}
	for trial := 0; trial < 300; trial++ {
		kv := map[string]float64{}
		keep := rnd.Float64()
		for _, mt := range metrics {
			if rnd.Float64() < keep {
				kv[mt] = float64(rnd.IntN(5))
			}
		}
		r := Score(m, models.Subject{ID: "bank"}, facts(kv), Env{})
		lo, hi := r.LevelRange[0], r.LevelRange[1]
		if r.Level != lo || lo > hi || lo < 1 || hi > 5 {
			t.Fatalf("level %d range %v", r.Level, r.LevelRange)
		}
		for _, mt := range metrics {
			if _, ok := kv[mt]; !ok && rnd.IntN(2) == 0 {
				kv[mt] = float64(rnd.IntN(5))
			}
		}
		r2 := Score(m, models.Subject{ID: "bank"}, facts(kv), Env{})
		if r2.Level < lo || r2.Level > hi || r2.LevelRange[0] < lo || r2.LevelRange[1] > hi {
			t.Fatalf("range %v, then with more answers level %d range %v", r.LevelRange, r2.Level, r2.LevelRange)
		}
	}
}

func near2(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

// An expired answer is an unanswered practice: GMI 0.3.0's answers are
// valid 18 months. Every level-2 practice answered 4 on 2026-10-01, but
// G1's first level-2 practice on 2024-06-01, expired on 2025-12-01 before
// the assessment of 2026-11-29: G1 no longer proves level 2 (low 1), and
// answered anew it could still reach 5 (high 5). Institution: [1, 5].
func TestExpiredAnswerLowersTheProvenLevel(t *testing.T) {
	m := gmi(t)
	f := Facts{}
	recent, old := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	expired := ""
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			if in.Level != 2 {
				continue
			}
			at := recent
			if d.ID == "G1" && expired == "" {
				at, expired = old, in.ID
			}
			f[in.Metrics[0]] = models.Observation{Metric: in.Metrics[0], Value: models.Num(4), Source: "questionnaire", ObservedAt: at}
		}
	}
	r := Score(m, models.Subject{ID: "bank"}, f, Env{Now: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)})
	if r.Level != 1 || len(r.LevelRange) != 2 || r.LevelRange[0] != 1 || r.LevelRange[1] != 5 {
		t.Fatalf("level %d range %v, want 1 and [1 5]: %s", r.Level, r.LevelRange, r.Explanation)
	}
	for _, in := range r.Indicators {
		if in.ID == expired && (in.Normalized != nil || !strings.Contains(in.Explanation, "answer dated 2024-06-01 expired on 2025-12-01")) {
			t.Errorf("%s: %+v", expired, in)
		}
	}
}
