package reports

import (
	"slices"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports/labels"
)

// Kinds of a result's grade (issue 16).
const (
	// GradeDecided: the worst and best cases agree (Grade).
	GradeDecided = "decided"
	// GradeBetween: undecided, between two grades (GradeRange), with the
	// point score's grade as an estimate (GradeEstimate). Range and
	// Estimate are empty when the stored summary did not carry them.
	GradeBetween = "between"
	// GradeInconclusive: no grade and no range.
	GradeInconclusive = "inconclusive"
	// GradeUnknown: no grade, and a stored summary that cannot tell an
	// inconclusive result from one between grades below the coverage
	// minimum (status inconclusive, range not read).
	GradeUnknown = "unknown"
)

// PointGrade is what a result says about its grade.
type PointGrade struct {
	Kind     string
	Grade    string   // GradeDecided
	Range    []string // GradeBetween: [worst, best] when known
	Estimate string   // GradeBetween: when known
}

// GradeOfResult classifies a result in hand (its range and estimate are
// known): decided, between grades, or inconclusive. For index models only;
// a staged model's results have levels, not grades.
func GradeOfResult(res *models.Result) PointGrade {
	switch {
	case res.Grade != "":
		return PointGrade{Kind: GradeDecided, Grade: res.Grade}
	case Undecided(res):
		return PointGrade{Kind: GradeBetween, Range: res.GradeRange, Estimate: res.GradeEstimate}
	}
	return PointGrade{Kind: GradeInconclusive}
}

// Undecided reports whether the result lies between two grades: no
// decided grade, whatever its status or coverage, and a grade range.
func Undecided(res *models.Result) bool { return res.Grade == "" && len(res.GradeRange) == 2 }

// GradeDisplay is a result's grade as a grade cell shows it (issue 26):
// the decided grade named by label; when the worst and best cases grade
// differently, the grades left open, worst first, and the word — "D–B,
// undecided" — at any coverage and status, never the estimate first (it
// is in the detail, GradeDetail); "undecided" when there is no grade and
// no range. Grades inside the range are named by name (nil: ids); label
// nil: ids. CellOf is the same with a model's labels.
func GradeDisplay(res *models.Result, lang string, label, name func(string) string) string {
	if name == nil {
		name = func(id string) string { return id }
	}
	switch g := GradeOfResult(res); g.Kind {
	case GradeDecided:
		if label == nil {
			return g.Grade
		}
		return label(g.Grade)
	case GradeBetween:
		return rangeCell(lang, name(g.Range[0]), name(g.Range[1]))
	}
	return labels.T(lang, "grade.cell.undecided")
}

// rangeCell is "a–b, undecided" in lang.
func rangeCell(lang, a, b string) string {
	return strings.ReplaceAll(labels.T(lang, "grade.cell.range"), "{range}", a+"–"+b)
}

// GradeOfPoint classifies a history point. A point whose range was read
// (Ranged) is classified like a result. Otherwise the grade column and
// the status are all there is: no grade with status ok is a result
// between grades whose range and estimate were not stored (a decided
// result always has its grade, and a result without grade or range is
// never ok: it is inconclusive or, for results stored before ranges
// existed, below the coverage minimum); no grade with status
// inconclusive is GradeUnknown.
func GradeOfPoint(h HistoryPoint) PointGrade {
	switch {
	case h.Grade != "":
		return PointGrade{Kind: GradeDecided, Grade: h.Grade}
	case len(h.GradeRange) == 2:
		return PointGrade{Kind: GradeBetween, Range: h.GradeRange, Estimate: h.GradeEstimate}
	case h.Ranged:
		return PointGrade{Kind: GradeInconclusive}
	case h.Status == models.StatusOK:
		return PointGrade{Kind: GradeBetween}
	}
	return PointGrade{Kind: GradeUnknown}
}

// Text says the grade in lang, naming grades with name (an id to label
// function; nil: ids): "decided B", "D–A, undecided (likeliest B)",
// "D–A, undecided", "between grades (range not stored)", "undecided",
// "not graded (…)".
func (g PointGrade) Text(lang string, name func(string) string) string {
	if name == nil {
		name = func(id string) string { return id }
	}
	r := func(key string, kv ...string) string {
		return strings.NewReplacer(kv...).Replace(labels.T(lang, key))
	}
	switch g.Kind {
	case GradeDecided:
		return r("grade.kind.decided", "{g}", name(g.Grade))
	case GradeBetween:
		switch { // the range first, as in a grade cell; the estimate after it
		case len(g.Range) == 2 && g.Estimate != "":
			return r("grade.cell.range_likeliest", "{range}", name(g.Range[0])+"–"+name(g.Range[1]), "{g}", name(g.Estimate))
		case len(g.Range) == 2:
			return rangeCell(lang, name(g.Range[0]), name(g.Range[1]))
		}
		return labels.T(lang, "grade.kind.between_unstored")
	case GradeInconclusive:
		return labels.T(lang, "grade.cell.undecided")
	}
	return labels.T(lang, "grade.kind.unknown")
}

// GradeMove is a result's grade in the previous period and in this one.
type GradeMove struct {
	From, To PointGrade
	// Comparable is false when the two results were made with different
	// model versions (assess.Diff's).
	Comparable bool
}

// Changed reports a grade change: both grades decided, and different.
// Only this is a grade (or tier) change; every other move is a change of
// estimate or of decision, said as such (see Text).
func (m GradeMove) Changed() bool {
	return m.From.Kind == GradeDecided && m.To.Kind == GradeDecided && m.From.Grade != m.To.Grade
}

// Moved reports whether anything known about the grade moved: a grade
// change, a grade decided or no longer decided, a result becoming or
// ceasing to be inconclusive, or an estimate or range that changed. A
// side whose range or estimate was not stored is not taken to have moved
// from or to another between-grades result: that is not known.
func (m GradeMove) Moved() bool {
	f, t := m.From, m.To
	if f.Kind == GradeUnknown || t.Kind == GradeUnknown {
		// inconclusive or between grades, not stored which: moved only if
		// the other side is decided
		return f.Kind == GradeDecided || t.Kind == GradeDecided
	}
	if f.Kind != t.Kind {
		return true
	}
	switch f.Kind {
	case GradeDecided:
		return f.Grade != t.Grade
	case GradeBetween:
		if len(f.Range) != 2 || len(t.Range) != 2 {
			return false
		}
		return f.Estimate != t.Estimate || !slices.Equal(f.Range, t.Range)
	}
	return false
}

// Text says the move in lang: "B → C" for a grade change, else both sides
// with their kind ("B (estimate; between D and A) → decided B").
func (m GradeMove) Text(lang string, name func(string) string) string {
	if name == nil {
		name = func(id string) string { return id }
	}
	from, to := m.From.Text(lang, name), m.To.Text(lang, name)
	if m.Changed() {
		from, to = name(m.From.Grade), name(m.To.Grade)
	}
	return strings.NewReplacer("{from}", from, "{to}", to).Replace(labels.T(lang, "grade.move"))
}

// GradeMoveOf is the grade move of s's result for model since the
// previous period, false when there is no previous result to compare
// with. The previous grade is the history point's of the previous period
// (its status tells a result between grades from an inconclusive one);
// without history, the change's previous grade.
func (r *Report) GradeMoveOf(s SubjectReport, model string) (GradeMove, bool) {
	res, c := s.Result(model), s.Change(model)
	if res == nil || c == nil || r.PreviousPeriod == "" {
		return GradeMove{}, false
	}
	m := GradeMove{To: GradeOfResult(res), Comparable: c.Comparable}
	prev := -1
	for i, h := range s.History {
		if h.Model == model && h.Period == r.PreviousPeriod {
			prev = i
		}
	}
	switch {
	case prev >= 0:
		m.From = GradeOfPoint(s.History[prev])
	case c.PrevGrade != "":
		m.From = PointGrade{Kind: GradeDecided, Grade: c.PrevGrade}
	default:
		m.From = PointGrade{Kind: GradeUnknown}
	}
	return m, true
}

// TierMove is a subject whose grade moved since the previous period.
type TierMove struct {
	SubjectRef
	Model string
	GradeMove
}

// GradeMoves lists, in report order, the subjects of kind whose grade
// moved since the previous period (GradeMove.Moved): the honest form of
// PortfolioDelta.TierChanges, which compares the stored grade columns
// only and so takes a result between grades (no grade) for a grade.
func (r *Report) GradeMoves(kind models.SubjectKind) []TierMove {
	var out []TierMove
	for _, s := range r.OfKind(kind) {
		for _, res := range s.Results {
			if def := r.Defs[res.Model]; def != nil && def.Kind == models.ModelStaged {
				continue
			}
			if m, ok := r.GradeMoveOf(s, res.Model); ok && m.Moved() {
				out = append(out, TierMove{SubjectRef{s.Kind, s.ID, s.Name}, res.Model, m})
			}
		}
	}
	return out
}

// GradeName names grade id inside a cell or a sentence: its id when the
// model's label starts with it ("B" for "B (acceptable)"), else its label
// ("Preferred" for "preferred"); the id without a model.
func GradeName(def *models.Model, id, lang string) string {
	if def == nil {
		return id
	}
	if l := def.GradeLabel(id, lang); !strings.HasPrefix(l, id) {
		return l
	}
	return id
}

// GradeCell is a result's grade as every table shows it (issue 26): a
// decided grade by its label, "B (acceptable)"; an undecided one by the
// grades it lies between, worst first, and the word, "D–B, undecided" —
// never a single letter that reads as a grade (the likeliest grade, the
// point score's, is in the detail: GradeDetail); "undecided" alone when no
// range is known. Undecided cells are greyed where the output can (a grey
// font in the workbook, the CSS class "undecided" in the dashboard).
type GradeCell struct {
	Text    string
	Decided bool
}

// CellOf is res's grade cell under model def (nil: grades by id): a
// decided grade by its label, grades in a range by GradeName.
func CellOf(res *models.Result, def *models.Model, lang string) GradeCell {
	label := func(id string) string {
		if def == nil {
			return id
		}
		return def.GradeLabel(id, lang)
	}
	return GradeCell{Text: GradeDisplay(res, lang, label, func(id string) string { return GradeName(def, id, lang) }), Decided: res.Grade != ""}
}

// GradeDetail says, for the detail beside an undecided grade, which grade
// is likeliest and why it is not decided: "Likeliest grade B (the score's
// grade); with the missing data at its worst and at its best the grade is
// D or B." "" for a decided grade or one without an estimate.
func GradeDetail(res *models.Result, def *models.Model, lang string) string {
	if !Undecided(res) || res.GradeEstimate == "" {
		return ""
	}
	return strings.NewReplacer("{g}", GradeName(def, res.GradeEstimate, lang),
		"{a}", GradeName(def, res.GradeRange[0], lang), "{b}", GradeName(def, res.GradeRange[1], lang)).
		Replace(labels.T(lang, "grade.cell.detail"))
}

// ScoreText is a result's score as every output shows it: one decimal,
// "37.9", whatever the grade or coverage (an undecided result's score is
// greyed with its grade, never bracketed or hidden); "—" without a score.
func ScoreText(res *models.Result) string {
	if res == nil || res.Score == nil {
		return "—"
	}
	return strconv.FormatFloat(*res.Score, 'f', 1, 64)
}
