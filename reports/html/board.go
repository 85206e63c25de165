package html

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// PageSize is how many project rows the table shows at a time. The rows of
// the first page are written into the page (readable without script); the
// rest are drawn from the embedded data as the reader pages, sorts and
// searches, so 10,000 projects never become 10,000 table rows at once.
const PageSize = 50

// MaxChangeRows caps the largest-changes table of the overview.
const MaxChangeRows = 20

// projectJSON is one project in the embedded data. Keys are short because
// a large portfolio repeats them ten thousand times.
type projectJSON struct {
	N  string   `json:"n"`
	I  string   `json:"i"`
	D  string   `json:"d,omitempty"`
	S  *float64 `json:"s"`
	G  string   `json:"g"`
	C  float64  `json:"c"`
	St string   `json:"st"`
	X  int      `json:"x,omitempty"`  // 1: inconclusive
	Ge int      `json:"ge,omitempty"` // 1: the grade is an estimate between two grades
	U  int      `json:"u,omitempty"`  // 1: no decided grade (the cell is greyed: class "undecided")
	En string   `json:"en,omitempty"` // the estimate explained
	// Gs are the gates in three states: [name, state label, reason or
	// what is missing, cap, best grade while not evaluated, what to run,
	// id, state, the metric and evidence behind the reason].
	Gs [][9]string  `json:"gs,omitempty"`
	Ne string       `json:"ne,omitempty"` // "2 not evaluated"
	Nt string       `json:"nt,omitempty"` // the gates not evaluated and their sources
	Gt [][5]string  `json:"gt,omitempty"` // [name, reason, cap, id, metric and evidence]
	Dl *float64     `json:"dl,omitempty"`
	Pg string       `json:"pg,omitempty"`
	Ch int          `json:"ch,omitempty"` // 1: new this period, 2: not directly comparable
	Ng []string     `json:"ng,omitempty"`
	Rg []string     `json:"rg,omitempty"`
	Dm []*float64   `json:"dm,omitempty"`
	H  []historyRow `json:"h,omitempty"`
	E  string       `json:"e,omitempty"`
	R  string       `json:"r,omitempty"`  // score range "low–high"
	Ms [][2]string  `json:"ms,omitempty"` // missing data that would narrow the range most: [text, measured by]
	Pf string       `json:"pf,omitempty"`
	In [][]any      `json:"in,omitempty"`
	Md [][]any      `json:"md,omitempty"`
}

// historyRow is [period, score|null, grade, comparable 0/1, model version].
type historyRow [5]any

type dataJSON struct {
	Dims    [][2]string          `json:"dims"`
	Inds    map[string][2]string `json:"inds"`
	Periods []string             `json:"periods"`
	Prev    string               `json:"prev"`
	L       map[string]string    `json:"L"`
	P       []projectJSON        `json:"p"`
}

// jsLabels are the labels the script needs.
var jsLabels = []string{"score", "grade", "coverage", "status", "score_range", "missing.title", "missing.needs", "gates", "dimension", "indicator", "raw", "normalized",
	"weight", "contribution", "source", "evidence", "explanation", "html.reason", "html.cap", "html.gate", "html.name",
	"html.exception", "html.trend", "html.page", "html.of", "html.prev", "html.next", "html.not_comparable",
	"html.new_subject", "html.change_vs", "html.new_gates", "html.resolved_gates", "html.close", "html.modifiers",
	"html.dim_radar", "html.no_match", "html.model_version", "html.profile", "period", "html.indicators_of",
	"html.gate_state", "html.gate_detail", "html.gate_run", "html.gate_best_cap"}

func r1(p *float64) *float64 {
	if p == nil || math.IsNaN(*p) {
		return nil
	}
	v := round1(*p)
	return &v
}

// r3 rounds for the data: three decimals are all a reader sees.
func r3(p *float64) any {
	if p == nil || math.IsNaN(*p) {
		return nil
	}
	return math.Round(*p*1000) / 1000
}

// projectData builds the embedded project data (encoded by encoding/json,
// which escapes <, > and & so no text can end the script element). The
// dashboard streams it (writeProjectData); this builds it whole.
func projectData(r *reports.Report, pm string, idx []int, lang string) (template.JS, error) {
	var b bytes.Buffer
	if err := writeProjectData(&b, r, pm, idx, lang); err != nil {
		return "", err
	}
	return template.JS(b.String()), nil
}

// writeProjectData writes the embedded project data to w, one project at
// a time, so that a large portfolio's data (tens of megabytes, and several
// times that as Go values) is never held whole. The bytes are those of
// encoding/json's encoding of dataJSON.
func writeProjectData(w io.Writer, r *reports.Report, pm string, idx []int, lang string) error {
	def := r.Defs[pm]
	d := dataJSON{Inds: map[string][2]string{}, Periods: r.Periods, Prev: r.PreviousPeriod, L: map[string]string{}}
	if len(d.Periods) == 0 {
		d.Periods = []string{r.Period}
	}
	for _, k := range jsLabels {
		d.L[k] = labels.T(lang, k)
	}
	d.L["prev_grade"] = strings.ReplaceAll(labels.T(lang, "html.prev_grade"), "{p}", r.PreviousPeriod)
	dimName := map[string]string{}
	if def != nil {
		for _, dm := range def.Dimensions {
			name := orID(dm.Name.In(lang), dm.ID)
			dimName[dm.ID] = name
			d.Dims = append(d.Dims, [2]string{dm.ID, name})
			for _, in := range dm.Indicators {
				d.Inds[in.ID] = [2]string{in.Name.In(lang), name}
			}
		}
		for _, in := range def.Modifiers {
			d.Inds[in.ID] = [2]string{in.Name.In(lang), ""}
		}
	} else {
		seen := map[string]bool{}
		for _, i := range idx {
			if res := r.Subjects[i].Result(pm); res != nil {
				for _, dm := range res.Dimensions {
					if !seen[dm.ID] {
						seen[dm.ID] = true
						d.Dims = append(d.Dims, [2]string{dm.ID, dm.ID})
					}
				}
			}
		}
	}
	inc := labels.T(lang, "status.inconclusive")
	// "p" is dataJSON's last member: the head is its encoding with no
	// project, "...,"p":[]}", reopened after the "[".
	d.P = []projectJSON{}
	head, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("html report: project data: %w", err)
	}
	if !bytes.HasSuffix(head, []byte(`"p":[]}`)) {
		return fmt.Errorf("html report: project data: unexpected encoding of the header")
	}
	if _, err := w.Write(head[:len(head)-2]); err != nil {
		return err
	}
	for j, i := range idx {
		s := r.Subjects[i]
		p := projectJSON{N: s.Name, I: s.ID, D: s.Description, G: dash, St: dash}
		res := s.Result(pm)
		if res != nil {
			p.S = r1(res.Score)
			p.C = math.Round(res.Coverage*1000) / 1000
			p.St = statusText(res, lang)
			p.E, p.Pf = labels.ResultExplanation(lang, res.Explanation, func(id string) string { return reports.GradeName(r.Defs[pm], id, lang) }), res.Profile
			p.R = scoreRange(res)
			for _, mv := range missingViews(res, lang, maxMissingShown) {
				p.Ms = append(p.Ms, [2]string{mv.ID + " " + mv.Swing, mv.Needs})
			}
			if res.Status == models.StatusInconclusive {
				p.X = 1 // the score is still shown, greyed with its grade (issue 26)
			}
			if res.Grade == "" && (def == nil || def.Kind != models.ModelStaged) {
				p.U = 1
			}
			if res.Grade != "" || len(res.GradeRange) == 2 || p.X == 1 {
				// decided, else the estimate between the grades left open
				p.G = gradeDisplay(res, def, lang)
			}
			if reports.Undecided(res) {
				p.Ge, p.En = 1, estimateNote(res, def, lang)
			}
			for _, g := range gateStateViews(res, def, lang) {
				reason := g.Reason
				if g.Waived != "" {
					reason += " (" + labels.T(lang, "gate.waived") + ": " + g.Waived + ")"
				}
				p.Gs = append(p.Gs, [9]string{g.Name, g.StateText, reason, g.Cap, g.BestCap, g.Run, g.ID, g.State, g.Detail})
			}
			if n := notEvaluated(res); n > 0 {
				p.Ne = strings.ReplaceAll(labels.T(lang, "html.not_evaluated_n"), "{n}", strconv.Itoa(n))
				p.Nt = notEvaluatedTitle(res)
			}
			for _, g := range res.Gates {
				gv := gate(def, g, lang)
				reason := gv.Reason
				if g.Waived != "" {
					reason += " (" + g.Waived + ")"
				}
				p.Gt = append(p.Gt, [5]string{gv.Name, reason, gv.Cap, g.ID, gv.Detail})
			}
			for _, dm := range d.Dims {
				var v *float64
				for _, x := range res.Dimensions {
					if x.ID == dm[0] {
						v = r1(x.Score)
					}
				}
				p.Dm = append(p.Dm, v)
			}
			p.In = indData(res.Indicators, def, lang)
			p.Md = indData(res.Modifiers, def, lang)
		}
		if r.PreviousPeriod != "" {
			if c := s.Change(pm); c == nil {
				p.Ch = 1
			} else {
				p.Dl, p.Pg, p.Ng, p.Rg = c.Delta, c.PrevGrade, c.NewGates, c.ResolvedGates
				if def != nil && p.Pg != "" {
					p.Pg = def.GradeLabel(p.Pg, lang)
				}
				if pg := prevGradeText(r, s, pm, def, lang); pg != "" {
					p.Pg = pg
				}
				if !c.Comparable {
					p.Ch = 2
				}
			}
		}
		for _, h := range s.Trend(pm) {
			comp := 0
			if h.Comparable {
				comp = 1
			}
			var sc any
			if h.Score != nil && h.Status != models.StatusInconclusive {
				sc = round1(*h.Score)
			}
			g := h.Grade
			switch {
			case res != nil && h.Period == r.Period && reports.Undecided(res):
				g = p.G // this period's estimate, labelled
			case h.Status == models.StatusInconclusive && (def == nil || def.Kind == models.ModelStaged):
				g = inc
			case h.Period != r.Period && (def == nil || def.Kind != models.ModelStaged):
				// an earlier period: estimate and range where stored
				if pg := reports.GradeOfPoint(h); pg.Kind != reports.GradeDecided {
					g = pg.Text(lang, func(id string) string { return shortLabel(def, id, lang) })
				}
			}
			p.H = append(p.H, historyRow{h.Period, sc, g, comp, h.ModelVersion})
		}
		b, err := json.Marshal(&p)
		if err != nil {
			return fmt.Errorf("html report: project data: %s: %w", s.ID, err)
		}
		if j > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, "]}")
	return err
}

func indData(in []models.IndicatorResult, def *models.Model, lang string) [][]any {
	if len(in) == 0 {
		return nil
	}
	out := make([][]any, len(in))
	for i, x := range in {
		var raw any = r3(x.Raw)
		if x.Raw == nil && x.RawText != "" {
			raw = x.RawText
		}
		st := x.Status
		if st != "" {
			st = labels.T(lang, "status."+st)
		}
		inc := 0
		if x.Status == models.StatusInconclusive {
			inc = 1
		}
		out[i] = []any{x.ID, raw, r3(x.Normalized), x.Weight, r3(x.Contribution), reports.SourceLabel(lang, x.Source), reports.DatedEvidence(x), st, explainIndicator(def, x, lang), x.Exception, inc}
	}
	return out
}

// riskOrder is the project table's first order: gated projects first, then
// the lowest scores, inconclusive last.
func riskOrder(r *reports.Report, pm string, idx []int) []int {
	out := slices.Clone(idx)
	key := func(i int) (int, float64) {
		res := r.Subjects[i].Result(pm)
		if res == nil {
			return 2, 0
		}
		g := 1
		for _, x := range res.Gates {
			if x.Waived == "" {
				g = 0
			}
		}
		if res.Score == nil || res.Status == models.StatusInconclusive {
			return g, math.Inf(1)
		}
		return g, *res.Score
	}
	slices.SortStableFunc(out, func(a, b int) int {
		ga, sa := key(a)
		gb, sb := key(b)
		if c := cmp.Compare(ga, gb); c != 0 {
			return c
		}
		return cmp.Compare(sa, sb)
	})
	return out
}

// ---- changes since the previous period ----

type changesView struct {
	Prev                                                  string
	Improved, Declined, NewGates, Resolved, NotComparable int
	Added, Removed                                        []refView
	MoreAdded, MoreRemoved                                int
	Tiers                                                 []tierView
	TierChanged                                           int // tiers moved between two decided tiers
	Rows                                                  []changeRow
}

type refView struct{ Kind, Name, ID string }

type tierView struct {
	Name, Label, From, To string
	NotComparable         bool
}

type changeRow struct {
	Anchor, Name, Kind, Model, PrevScore, Score, Delta, PrevGrade, Grade string
	Up, Down, NotComparable, Undecided                                   bool
	NewGates                                                             []string
	Resolved                                                             string
}

func changes(r *reports.Report, anchors map[int]string, lang string) *changesView {
	if r.PreviousPeriod == "" {
		return nil
	}
	L := func(k string) string { return labels.T(lang, k) }
	cv := &changesView{Prev: r.PreviousPeriod}
	type x struct {
		i   int
		res *models.Result
		c   *assess.Change
	}
	var all []x
	for i, s := range r.Subjects {
		for j := range s.Results {
			c := s.Change(s.Results[j].Model)
			if c == nil {
				continue
			}
			all = append(all, x{i, &s.Results[j], c})
			cv.NewGates += len(c.NewGates)
			cv.Resolved += len(c.ResolvedGates)
			switch {
			case !c.Comparable:
				cv.NotComparable++
			case c.Delta != nil && *c.Delta > 0:
				cv.Improved++
			case c.Delta != nil && *c.Delta < 0:
				cv.Declined++
			}
		}
	}
	abs := func(c *assess.Change) float64 {
		if c.Delta == nil {
			return 0
		}
		return math.Abs(*c.Delta)
	}
	slices.SortStableFunc(all, func(a, b x) int {
		if c := cmp.Compare(len(b.c.NewGates), len(a.c.NewGates)); c != 0 {
			return c
		}
		return cmp.Compare(abs(b.c), abs(a.c))
	})
	for _, e := range all {
		if len(cv.Rows) == MaxChangeRows || (len(e.c.NewGates) == 0 && len(e.c.ResolvedGates) == 0 && abs(e.c) == 0 && e.c.Comparable) {
			break
		}
		s := r.Subjects[e.i]
		def := r.Defs[e.res.Model]
		gl := func(g string) string {
			if def != nil && g != "" {
				return def.GradeLabel(g, lang)
			}
			return g
		}
		row := changeRow{Anchor: anchors[e.i], Name: s.Name, Kind: L("kind." + string(s.Kind)), Model: modelName(r, e.res.Model, lang),
			PrevScore: fptr(e.c.PrevScore, f1), Score: fptr(e.res.Score, f1), Delta: dash, PrevGrade: gl(e.c.PrevGrade), Grade: gl(e.res.Grade),
			NotComparable: !e.c.Comparable, NewGates: e.c.NewGates, Resolved: strings.Join(e.c.ResolvedGates, ", ")}
		if pg := prevGradeText(r, s, e.res.Model, def, lang); pg != "" {
			row.PrevGrade = pg
		}
		switch {
		case def != nil && def.Kind == models.ModelStaged:
			if row.Grade = reports.LevelRange(e.res); row.Grade == "" {
				row.Grade = dash
			}
		case e.res.Grade != "" || len(e.res.GradeRange) == 2 || e.res.Status == models.StatusInconclusive:
			row.Grade = gradeDisplay(e.res, def, lang)
			row.Undecided = reports.Undecided(e.res)
		}
		if e.c.Delta != nil {
			row.Delta = strconv.FormatFloat(*e.c.Delta, 'f', 1, 64)
			if *e.c.Delta > 0 {
				row.Delta = "+" + row.Delta
			}
			row.Up, row.Down = *e.c.Delta > 0, *e.c.Delta < 0
		}
		cv.Rows = append(cv.Rows, row)
	}
	if d := r.Delta; d != nil {
		refs := func(in []reports.SubjectRef) ([]refView, int) {
			var out []refView
			for _, x := range in {
				if len(out) == MaxChangeRows {
					return out, len(in) - MaxChangeRows
				}
				out = append(out, refView{L("kind." + string(x.Kind)), x.Name, x.ID})
			}
			return out, 0
		}
		cv.Added, cv.MoreAdded = refs(d.Added)
		cv.Removed, cv.MoreRemoved = refs(d.Removed)
	}
	// Tier moves from the results: only a move between two decided tiers
	// is a tier change; a move from or to an estimate is said as such.
	for _, t := range r.GradeMoves(models.KindSupplier) {
		def := r.Defs[t.Model]
		tv := tierView{Name: t.Name, Label: L("html.tier_changes"), NotComparable: !t.Comparable}
		if t.Changed() {
			cv.TierChanged++
			tv.From, tv.To = t.From.Grade, t.To.Grade
			if def != nil {
				tv.From, tv.To = def.GradeLabel(tv.From, lang), def.GradeLabel(tv.To, lang)
			}
		} else {
			name := func(id string) string { return shortLabel(def, id, lang) }
			tv.Label, tv.From, tv.To = L("grade.moves.estimate"), t.From.Text(lang, name), t.To.Text(lang, name)
		}
		cv.Tiers = append(cv.Tiers, tv)
	}
	return cv
}

// ---- trends ----

type trendRow struct {
	Period, Mean, Versions, Unsplit string
	N, Between, Inconc              int
	Grades                          []int // decided grades only
	NotComparable                   bool
}

type trendsView struct {
	Grades []string
	Rows   []trendRow
	Chart  *chartView
	// GradeChart is a stacked bar per period of the projects' grade
	// counts, inconclusive results on top in grey.
	GradeChart *chartView
}

func trends(r *reports.Report, pm string, idx []int, lang string) (*trendsView, error) {
	if len(r.Periods) < 2 {
		return nil, nil
	}
	def := r.Defs[pm]
	subjects := make([]reports.SubjectReport, len(idx))
	for k, i := range idx {
		subjects[k] = r.Subjects[i]
	}
	aggs, gradeIDs := r.PortfolioTrend(pm, subjects)
	chrono := make([]string, len(aggs))
	for i, a := range aggs {
		chrono[i] = a.Period
	}
	tv := &trendsView{}
	for _, g := range gradeIDs {
		l := g
		if def != nil {
			l = def.GradeLabel(g, lang)
		}
		tv.Grades = append(tv.Grades, l)
	}
	var means []opts.LineData
	for _, a := range aggs {
		row := trendRow{Period: a.Period, N: a.N, Between: a.Between, Inconc: a.Inconclusive, Mean: dash, Versions: strings.Join(a.Versions, ", "), NotComparable: a.NotComparable}
		if a.Unsplit > 0 {
			row.Unsplit = strings.ReplaceAll(labels.T(lang, "trend.unsplit"), "{n}", strconv.Itoa(a.Unsplit))
		}
		for _, g := range gradeIDs {
			row.Grades = append(row.Grades, a.Grades[g])
		}
		ld := opts.LineData{Name: a.Period, Value: "-"}
		if m, ok := a.Mean(); ok {
			row.Mean = f1(m)
			ld.Value = round1(m)
			if row.NotComparable {
				ld.Symbol = "emptyCircle"
			}
		}
		means = append(means, ld)
		tv.Rows = append(tv.Rows, row)
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "chart-trend", Width: "100%", Height: "280px"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Min: 0, Max: 100}),
		charts.WithAnimation(false),
	)
	line.SetXAxis(chrono).AddSeries(labels.T(lang, "html.mean_score"), means,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	var err error
	if tv.Chart, err = snippetOf("chart-trend", line, nil); err != nil {
		return nil, err
	}
	tv.GradeChart, err = gradeTrendChart(aggs, gradeIDs, tv.Grades, chrono, lang)
	return tv, err
}

// gradeTrendChart is the grade distribution per period: one stacked bar per
// period (oldest first), one series per decided grade, one for results
// between grades and one for inconclusive results.
func gradeTrendChart(aggs []reports.PeriodAggregate, gradeIDs, gradeLabels, chrono []string, lang string) (*chartView, error) {
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "chart-grade-trend", Width: "100%", Height: "300px"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithYAxisOpts(opts.YAxis{MinInterval: 1}),
		charts.WithAnimation(false),
	)
	bar.SetXAxis(chrono)
	stack := charts.WithBarChartOpts(opts.BarChart{Stack: "grades"})
	for i, g := range gradeIDs {
		data := make([]opts.BarData, len(aggs))
		for k, a := range aggs {
			data[k] = opts.BarData{Name: a.Period, Value: a.Grades[g]}
		}
		bar.AddSeries(gradeLabels[i], data, stack)
	}
	between := make([]opts.BarData, len(aggs))
	data := make([]opts.BarData, len(aggs))
	for k, a := range aggs {
		between[k] = opts.BarData{Name: a.Period, Value: a.Between}
		data[k] = opts.BarData{Name: a.Period, Value: a.Inconclusive}
	}
	bar.AddSeries(labels.T(lang, "trend.between"), between, stack,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#c8c8c8"}))
	bar.AddSeries(labels.T(lang, "trend.inconclusive"), data, stack,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#9e9e9e"}))
	return snippetOf("chart-grade-trend", bar, nil)
}

// ---- maturity heat map ----

type heatView struct {
	Levels []string
	Rows   []heatRow
	Pass   string
}

type heatRow struct {
	Domain string
	Cells  []heatCell
}

type heatCell struct {
	Text, Class string
}

// heatMap is the domain × level grid of mean evidence levels (0–4).
func heatMap(def *models.Model, res *models.Result, lang string) *heatView {
	if res == nil || len(res.Dimensions) == 0 {
		return nil
	}
	level := func(in models.IndicatorResult) int {
		if in.Level > 0 || def == nil {
			return in.Level
		}
		if d := def.Indicator(in.ID); d != nil {
			return d.Level
		}
		return 0
	}
	maxL := 0
	for _, in := range res.Indicators {
		maxL = max(maxL, level(in))
	}
	if def != nil {
		maxL = max(maxL, len(def.Levels))
	}
	if maxL == 0 {
		return nil
	}
	hv := &heatView{Pass: "3"}
	if def != nil && def.PassEvidence > 0 {
		hv.Pass = num(def.PassEvidence)
	}
	for l := 1; l <= maxL; l++ {
		n := fmt.Sprintf("L%d", l)
		if def != nil {
			n += " " + def.LevelName(l, lang)
		}
		hv.Levels = append(hv.Levels, n)
	}
	dimName := map[string]string{}
	if def != nil {
		for _, d := range def.Dimensions {
			dimName[d.ID] = d.Name.In(lang)
		}
	}
	for _, d := range res.Dimensions {
		hr := heatRow{Domain: orID(dimName[d.ID], d.ID)}
		for l := 1; l <= maxL; l++ {
			sum, n, total := 0.0, 0, 0
			for _, in := range res.Indicators {
				if in.Dimension == d.ID && level(in) == l {
					total++
					if in.Raw != nil {
						sum += *in.Raw
						n++
					}
				}
			}
			switch {
			case total == 0:
				hr.Cells = append(hr.Cells, heatCell{"", "hn"})
			case n == 0:
				hr.Cells = append(hr.Cells, heatCell{labels.T(lang, "status.inconclusive"), "hn inc"})
			default:
				m := sum / float64(n)
				hr.Cells = append(hr.Cells, heatCell{f1(m), "h" + strconv.Itoa(min(4, int(math.Floor(m))))})
			}
		}
		hv.Rows = append(hv.Rows, hr)
	}
	return hv
}

// prevGradeText is the previous period's grade of s's result for model
// when it was not decided: its estimate and range where stored, between
// grades, inconclusive; "" when it was decided (or for a staged model).
func prevGradeText(r *reports.Report, s reports.SubjectReport, model string, def *models.Model, lang string) string {
	if def != nil && def.Kind == models.ModelStaged {
		return ""
	}
	m, ok := r.GradeMoveOf(s, model)
	if !ok || m.From.Kind == reports.GradeDecided {
		return ""
	}
	return m.From.Text(lang, func(id string) string { return shortLabel(def, id, lang) })
}
