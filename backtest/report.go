package backtest

import (
	"fmt"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// Report is a backtest's result, written as DIR/backtest-<DATE>.json. The
// fields as_of, horizon_months, projects (name, score, grade, score_range,
// gates, outcome), auc_abandoned, rates_by_grade and left_out are a
// contract: add fields, never rename these.
type Report struct {
	AsOf          string    `json:"as_of"` // the day, or the RFC 3339 instant when not a day's end
	AsOfInstant   time.Time `json:"as_of_instant"`
	HorizonMonths int       `json:"horizon_months"`
	HorizonEnds   string    `json:"horizon_ends"`
	Model         ModelRef  `json:"model"`
	Projects      []Row     `json:"projects"`
	// AUCAbandoned is the area under the ROC curve of the score for
	// "abandoned" (a lower score predicts it), null without a pair.
	AUCAbandoned *float64 `json:"auc_abandoned"`
	// AUC gives it with its counts, and the same per dimension and per
	// gate (a gate fired predicts abandoned).
	AUC          AUCSummary            `json:"auc"`
	RatesByGrade map[string]GradeRates `json:"rates_by_grade"`
	Outcomes     map[string]int        `json:"outcomes"`
	LeftOut      LeftOut               `json:"left_out"`
	// Rules says how outcomes were read; Limits what the backtest cannot
	// see (the sources left out, the snapshot).
	Rules       []string  `json:"rules"`
	Limits      []string  `json:"limits"`
	GeneratedAt time.Time `json:"generated_at"`
	Seconds     float64   `json:"seconds"`
	// states are each row's gate states (fired, clear, not evaluated),
	// for the gates' AUC; the rows list the fired gates only.
	states map[string]map[string]string
	model  *models.Model
}

// ModelRef names the model judged.
type ModelRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Hash    string `json:"hash"`
}

// Row is one project's grade as of the date and its outcome after it.
type Row struct {
	Name  string   `json:"name"`
	ID    string   `json:"id"`
	Score *float64 `json:"score"`
	// Grade is the grade as of the date. GradeBasis says what it rests on:
	// "decided" (the worst and best cases agree, or a gate decides),
	// "estimate" (the model's estimate of a result between two grades), or
	// "point" (below the model's coverage minimum the model gives no
	// estimate; the backtest takes the point score's grade under the fired
	// gates, within GradeRange, as the model's estimate is made). History
	// alone covers little of the model, so most grades are "point".
	Grade        string           `json:"grade"`
	GradeBasis   string           `json:"grade_basis"`
	GradeRange   []string         `json:"grade_range,omitempty"`
	ScoreRange   []float64        `json:"score_range"`
	Coverage     float64          `json:"coverage"`
	Status       string           `json:"status"`
	Gates        []models.GateHit `json:"gates"`
	GatesUnknown []string         `json:"gates_unknown,omitempty"`
	// Dimensions are the dimension scores (null: no data in it).
	Dimensions map[string]*float64 `json:"dimensions"`
	Outcome    string              `json:"outcome"`
	OutcomeWhy string              `json:"outcome_why"`
	Before     Window              `json:"before"`
	After      Window              `json:"after"`
	// StartCommit is the commit assessed; HistoryEnds the clone's newest.
	StartCommit string `json:"start_commit"`
	HistoryEnds string `json:"history_ends"`
	// ArchivedSeen is when a forge was seen to say the repository is
	// archived, when it was.
	ArchivedSeen string `json:"archived_seen,omitempty"`
	// Seconds is the time spent on the project (outcome, collection).
	Seconds float64 `json:"seconds"`
}

// AUCSummary is the AUC for "abandoned" of the score, of each dimension's
// score and of each gate.
type AUCSummary struct {
	Score      AUCResult            `json:"score"`
	Dimensions map[string]AUCResult `json:"dimensions"`
	Gates      map[string]AUCResult `json:"gates"`
}

// GradeRates are the outcomes of the projects graded one grade.
type GradeRates struct {
	Projects int                `json:"projects"`
	Counts   map[string]int     `json:"counts"`
	Rates    map[string]float64 `json:"rates"`
}

// LeftOut counts the projects whose outcome or assessment could not be
// had, by reason code, and names each.
type LeftOut struct {
	Count    int              `json:"count"`
	ByCode   map[string]int   `json:"by_code"`
	Projects []LeftOutProject `json:"projects"`
}

// LeftOutProject is one project left out and why.
type LeftOutProject struct {
	Name   string `json:"name"`
	ID     string `json:"id"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

func newReport(m *models.Model, opt Options, end time.Time) *Report {
	r := &Report{
		AsOf: collectors.AsOfDay(opt.AsOf), AsOfInstant: opt.AsOf.UTC(), HorizonMonths: opt.Horizon, HorizonEnds: day(end),
		Model:        ModelRef{ID: m.ID, Version: m.Version, Hash: m.Hash},
		Projects:     []Row{},
		RatesByGrade: map[string]GradeRates{},
		Outcomes:     map[string]int{Abandoned: 0, Declining: 0, Alive: 0},
		LeftOut:      LeftOut{ByCode: map[string]int{}, Projects: []LeftOutProject{}},
		GeneratedAt:  opt.Now().UTC(),
		model:        m,
	}
	r.Rules = []string{
		fmt.Sprintf("abandoned: no commit by a person (bots left out through the identity layer, the clone's .mailmap applied; merges by people count) committed in (%s, %s]; or a forge seen to say the repository is archived by %s", day(opt.AsOf), day(end), day(end)),
		fmt.Sprintf("declining: people's non-merge commits and their distinct authors both down by half or more, (%s, %s] against the %d months before %s", day(opt.AsOf), day(end), opt.Horizon, day(opt.AsOf)),
		"alive: otherwise",
		"dates are committer dates (when a change landed on the branch), commits those reachable from the clone's HEAD",
		"left out and counted: a project without a clone; one whose HEAD holds no commit by the as-of date; one whose clone's history ends before the horizon's end while people committed in it (the horizon is only partly seen, unless the clones are known to have been fetched after it: --clones-fetched)",
		"AUC: Mann–Whitney, over every pair of an abandoned project and one that was not, the share in which the abandoned one scored lower, ties half; for a gate, fired counts as the lower score, and only projects whose gate was evaluated are compared",
	}
	r.Limits = []string{
		"assessed from history only, as 'osgauge collect --as-of' does: gitlocal (activity, people, releases from tags, licence changes) on HEAD's history as of the date, and the licence files of the tree then; forge data (stars, issues, change reviews, releases, the archived flag), OSV and SBOMs, questionnaires and manual facts know only the present and are left out, so their indicators are missing and widen score_range",
		"a snapshot's end: outcomes are read from the clone as fetched; a history that ends before the horizon's end is left out unless nobody committed after the date",
		"survivorship: the projects are those the portfolio lists today; a project deleted from its forge has no clone and cannot be counted",
		"what a clone cannot see: work on other branches or forks, issues and reviews, a move to a new repository (the old one looks abandoned)",
	}
	scorecard := false
	for _, s := range opt.Tree {
		if s.Collector.Name() == "scorecard" {
			scorecard = true
		}
	}
	if scorecard {
		r.Limits = append(r.Limits, "Scorecard's local checks ran on the tree as of the date, written out to a temporary directory; its checks that need the host's API (Code-Review, Maintained, …) and the network (Vulnerabilities, Fuzzing's OSS-Fuzz, CII) are missing; a partial (blob-less) clone holds no past tree, so Scorecard is left out for it")
	} else {
		r.Limits = append(r.Limits, "Scorecard's local checks were left out (--scorecard=false): the security indicators they feed are missing")
	}
	if opt.Archived == nil {
		r.Limits = append(r.Limits, "no forge archived flags were read (--forge-archived): abandoned rests on the commits alone")
	}
	return r
}

func (r *Report) leaveOut(t collectors.Target, code, why string) {
	r.LeftOut.Count++
	r.LeftOut.ByCode[code]++
	r.LeftOut.Projects = append(r.LeftOut.Projects, LeftOutProject{Name: t.Subject.Name, ID: t.Subject.ID, Code: code, Reason: why})
}

func (r *Report) add(t collectors.Target, res models.Result, o *Observation, took time.Duration, archived map[string]time.Time) {
	row := Row{
		Name: t.Subject.Name, ID: t.Subject.ID, Score: res.Score, Grade: res.Grade, GradeRange: res.GradeRange,
		ScoreRange: res.ScoreRange, Coverage: res.Coverage, Status: res.Status, Gates: res.Gates, GatesUnknown: res.GatesUnknown,
		Dimensions: map[string]*float64{}, Outcome: o.Outcome, OutcomeWhy: o.Why, Before: o.Before, After: o.After,
		StartCommit: o.Start, HistoryEnds: day(o.HistoryEnds), Seconds: round4(took.Seconds()),
	}
	row.Grade, row.GradeBasis = gradeOf(r.model, res)
	if row.Gates == nil {
		row.Gates = []models.GateHit{}
	}
	if row.ScoreRange == nil {
		row.ScoreRange = []float64{}
	}
	for _, d := range res.Dimensions {
		row.Dimensions[d.ID] = d.Score
	}
	if at, ok := archived[t.Subject.ID]; ok {
		row.ArchivedSeen = day(at)
	}
	r.Projects = append(r.Projects, row)
	r.Outcomes[o.Outcome]++
	if r.states == nil {
		r.states = map[string]map[string]string{}
	}
	r.states[t.Subject.ID] = gateStates(res)
}

// Grade bases (Row.GradeBasis).
const (
	BasisDecided  = "decided"
	BasisEstimate = "estimate"
	BasisPoint    = "point"
)

// gradeOf is a result's grade and what it rests on (Row.GradeBasis): the
// point score's grade is the first grade whose minimum it reaches, made no
// better than any fired gate's cap, and kept within the result's grade
// range [worst, best].
func gradeOf(m *models.Model, res models.Result) (string, string) {
	switch {
	case res.Grade != "":
		return res.Grade, BasisDecided
	case res.GradeEstimate != "":
		return res.GradeEstimate, BasisEstimate
	case res.Score == nil || len(m.Grades) == 0:
		return "", ""
	}
	rank := func(id string) int {
		for i, g := range m.Grades {
			if g.ID == id {
				return i
			}
		}
		return len(m.Grades) - 1
	}
	i := len(m.Grades) - 1
	for j, g := range m.Grades { // best first
		if *res.Score >= g.Min {
			i = j
			break
		}
	}
	for _, h := range res.Gates {
		if h.Waived == "" && h.Cap != "" {
			i = max(i, rank(h.Cap))
		}
	}
	if len(res.GradeRange) == 2 {
		i = min(max(i, rank(res.GradeRange[1])), rank(res.GradeRange[0]))
	}
	return m.Grades[i].ID, BasisPoint
}
