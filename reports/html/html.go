// Package html writes the report as one self-contained HTML dashboard: the
// ECharts script is inlined (templates.EChartsJS), nothing is loaded from
// the network, and the file works from file://.
//
// Charts are built with go-echarts; their element comes from RenderSnippet
// and their option is marshalled here with encoding/json, which escapes <,
// > and & (go-echarts' own snippet script does not), so outside text in a
// chart can never close the <script> element. Everything else is laid out
// by html/template, which escapes all outside text.
package html

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"github.com/osgauge/osgauge/docs/validation"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
	"github.com/osgauge/osgauge/templates"
)

// MaxScoreBars is how many of the lowest-scoring projects the score chart
// shows; the project table always lists all.
const MaxScoreBars = 50

// MaxRadarSuppliers is how many suppliers (highest score first) the
// supplier radar draws; the ranking table lists all.
const MaxRadarSuppliers = 12

const dash = "—"

var tpl = template.Must(template.New("dashboard").Funcs(template.FuncMap{
	// t is replaced per call by Write (it needs the language); this stub
	// only lets the template parse.
	"t": func(string) string { return "" },
}).Parse(templates.Dashboard))

// WriteFile writes the dashboard to path. It writes a temporary file in the
// same directory and renames it, so a failure never leaves a half-written
// report at path.
func WriteFile(path string, r *reports.Report) error {
	return reports.WriteAtomic(path, func(w io.Writer) error { return Write(w, r) })
}

// Write renders the dashboard for r to w.
func Write(w io.Writer, r *reports.Report) error {
	if r == nil {
		return fmt.Errorf("html report: no report")
	}
	v, err := build(r)
	if err != nil {
		return err
	}
	lang := v.Lang
	t, err := tpl.Clone()
	if err != nil {
		return err
	}
	t.Funcs(template.FuncMap{"t": func(key string) string { return labels.T(lang, key) }})
	if v.projectData == nil {
		return t.Execute(w, v)
	}
	// The project data is streamed where the template prints its
	// placeholder, never built whole.
	var nonce [16]byte
	if _, err := rand.Read(nonce[:]); err != nil {
		return err
	}
	mark := "__osgauge_project_data_" + hex.EncodeToString(nonce[:]) + "__"
	v.ProjectData = template.JS(mark)
	sp := &splicer{w: w, mark: []byte(mark), fill: v.projectData}
	if err := t.Execute(sp, v); err != nil {
		return err
	}
	return sp.close()
}

// splicer passes writes on to w, replacing the first occurrence of mark
// by what fill writes. It holds back at most len(mark)-1 bytes: a tail
// that may be the start of mark.
type splicer struct {
	w       io.Writer
	mark    []byte
	fill    func(io.Writer) error
	pending []byte
	done    bool
}

func (s *splicer) Write(p []byte) (int, error) {
	if s.done {
		return s.w.Write(p)
	}
	buf := p
	if len(s.pending) > 0 {
		buf = append(s.pending, p...)
		s.pending = nil
	}
	if i := bytes.Index(buf, s.mark); i >= 0 {
		s.done = true
		if _, err := s.w.Write(buf[:i]); err != nil {
			return 0, err
		}
		if err := s.fill(s.w); err != nil {
			return 0, err
		}
		if _, err := s.w.Write(buf[i+len(s.mark):]); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	keep := min(len(buf), len(s.mark)-1)
	if _, err := s.w.Write(buf[:len(buf)-keep]); err != nil {
		return 0, err
	}
	s.pending = append([]byte(nil), buf[len(buf)-keep:]...)
	return len(p), nil
}

// close reports a template that never printed the mark (nothing is held
// back once it has been replaced).
func (s *splicer) close() error {
	if !s.done {
		return errors.New("html report: the template did not print the project data")
	}
	return nil
}

// ---- view model ----

type view struct {
	Lang        string
	Title       string
	Period      string
	Generated   string
	Institution string
	EChartsJS   template.JS

	NProjects, NSuppliers, NGates, NInconclusive int
	// NGraded and NUndecided count the projects with and without a decided
	// grade; they, NProjects, NSuppliers and NGates (gates fired, not
	// waived) are the report's key figures (reports.Figures), the same in
	// every output (issue 26).
	NGraded, NUndecided int

	GradeChart *chartView
	ScoreChart *chartView
	ScoreNote  string
	// UngradedNote says in one line what the ungraded projects lie
	// between and what data would grade them ("" when all are graded).
	UngradedNote string
	Risks        []risk
	ProjectModel string
	Projects     []*resultView
	// FirstPage are the rows written into the table (the first page in
	// risk order); ProjectData holds every project for the script.
	FirstPage   []*resultView
	ProjectData template.JS
	// projectData writes ProjectData (nil: no projects); Write streams it
	// in place of a placeholder.
	projectData func(io.Writer) error
	PageSize    int
	PrevPeriod  string
	Changes     *changesView
	Trends      *trendsView

	SupplierModel string
	SupplierRadar *chartView
	RadarNote     string
	Suppliers     []*resultView

	Maturity []*maturityView

	Supply *supplyView // the supply chain (supply.go), nil without an inventory

	Lifecycle *lifecycleView // intake, use, exit (lifecycle.go), nil without a lifecycle

	Vulns *vulnView // vulnerability handling (vulns.go), nil without findings

	Models []modelRow
	Runs   []runRow
	Charts []*chartView
}

type chartView struct {
	ID      string
	Element template.HTML // from go-echarts' RenderSnippet: a div with our fixed ID and size
	Option  template.JS   // json.Marshal output: <, >, & escaped as \u003c, \u003e, \u0026
}

type risk struct {
	Anchor, Subject, Kind, Model string
	Gate, Reason, Cap            string
	Detail                       string // the metric and evidence behind Reason
}

// gateView is a fired gate: Reason the plain-language sentence, Detail
// the metric, value and evidence (reports.ExplainGate), Cap the grade's
// label.
type gateView struct{ ID, Name, Reason, Detail, Cap string }

type resultView struct {
	Anchor      string
	Name        string
	ID          string
	Description string
	Search      string // lower-cased name and id, for the table filter
	Model       string
	HasResult   bool
	Score       string
	ScoreSort   string // numeric sort key; empty when there is no score
	Grade       string
	// Undecided: the grade is an estimate between two grades (Grade says
	// so); EstimateNote explains it in a sentence.
	Undecided bool
	// GradeClass is "undecided" for a grade cell without a decided grade
	// (greyed and hatched by the CSS class), "" otherwise (issue 26).
	GradeClass   string
	EstimateNote string
	Level        int
	LevelName    string
	// LevelRange is a staged result's level, "L2–L4" while undecided or
	// "L3"; LevelNote explains an undecided level.
	LevelRange string
	LevelNote  string
	// GateStates are the gates in three states; NotEval counts those not
	// evaluated and NotEvalTitle names them with their sources.
	GateStates   []gateStateView
	NotEval      int
	NotEvalText  string
	NotEvalTitle string
	Coverage     string
	CoverSort    string
	Status       string
	Inconc       bool
	Range        string        // score range "low–high", "" when not recorded
	Missing      []missingView // the missing data that would narrow the range most
	Rank         int
	Gates        []gateView
	Dims         []dimView
	Inds         []models.IndicatorResult // laid out by IndRows
	Mods         []models.IndicatorResult // laid out by ModRows
	Explanation  string
	Profile      string
	// Idx is the project's index in the embedded data; Delta, PrevGrade
	// and Change describe the change since the previous period.
	Idx       int
	Delta     string
	DeltaSort string
	PrevGrade string
	Change    string

	score    *float64
	gradeKey string // the grade chart's category: a decided grade's label, between grades, or inconclusive
	def      *models.Model
	lang     string
	dimName  map[string]string
}

// IndRows lays out the indicator rows. They are built here, when the
// template asks, rather than by the template itself: with 10,000 projects
// of 40 indicators, template field evaluation dominated the run time.
// Every value is escaped with template.HTMLEscapeString.
func (rv *resultView) IndRows() template.HTML { return indRows(rv.def, rv.Inds, rv.dimName, rv.lang) }

// ModRows lays out the modifier rows, as IndRows.
func (rv *resultView) ModRows() template.HTML { return indRows(rv.def, rv.Mods, rv.dimName, rv.lang) }

type dimView struct {
	ID, Name, Score, Coverage, Weight string
	Level                             int
	LevelName                         string
	Core                              bool

	val *float64
}

type maturityView struct {
	Result *resultView
	Radar  *chartView
	Gaps   []gapView
	Heat   *heatView
}

type gapView struct {
	Domain, Practice, PracticeName, Evidence, Clause, Weight string
	Level                                                    int
}

type modelRow struct {
	ID, Name, Version, Hash string
	// Changes is the model's change log, newest first: [version, text].
	Changes [][2]string
	// Validation cites the published backtest (docs/validation.md) for
	// the Project Health Index: [title and colon, sentence]; empty
	// otherwise.
	Validation [2]string
}

type runRow struct{ ID, Kind, Status, Started, Finished, Note string }

func build(r *reports.Report) (*view, error) {
	lang := r.Lang
	if lang != "zh" {
		lang = "en"
	}
	L := func(k string) string { return labels.T(lang, k) }
	v := &view{
		Lang:        lang,
		Title:       L("html.title"),
		Period:      r.Period,
		Generated:   fmtTime(r.GeneratedAt),
		Institution: r.Institution,
		EChartsJS:   template.JS(templates.EChartsJS),
	}
	if v.Period == "" {
		v.Period = dash
	}

	pm := primaryModel(r, models.KindProject, models.ProjectHealth)
	sm := primaryModel(r, models.KindSupplier, models.Supplier)
	gm := primaryModel(r, models.KindInstitution, models.GovernanceMaturity)
	v.ProjectModel = modelName(r, pm, lang)
	v.SupplierModel = modelName(r, sm, lang)

	// Projects are shown from the embedded data, in risk order; their
	// anchors name their index there.
	var pidx []int
	for i, s := range r.Subjects {
		if s.Kind == models.KindProject {
			pidx = append(pidx, i)
		}
	}
	pidx = riskOrder(r, pm, pidx)
	anchors := map[int]string{}
	for j, i := range pidx {
		anchors[i] = "p" + strconv.Itoa(j)
	}
	for i, s := range r.Subjects {
		if s.Kind != models.KindProject {
			anchors[i] = anchor(i)
		}
	}
	v.PrevPeriod = r.PreviousPeriod
	v.PageSize = PageSize

	// Risks: every gate that fired, in report order, for every result.
	for i, s := range r.Subjects {
		for _, res := range s.Results {
			def := r.Defs[res.Model]
			for _, g := range res.Gates {
				gv := gate(def, g, lang)
				v.Risks = append(v.Risks, risk{
					Anchor: anchors[i], Subject: s.Name, Kind: L("kind." + string(s.Kind)),
					Model: modelName(r, res.Model, lang), Gate: gv.Name, Reason: gv.Reason, Cap: gv.Cap, Detail: gv.Detail,
				})
			}
		}
	}
	v.NGates = len(v.Risks)

	for j, i := range pidx {
		rv := resultOf(r, i, pm, lang)
		rv.Idx, rv.Anchor = j, anchors[i]
		changeOf(r, rv, r.Subjects[i], pm, lang)
		v.Projects = append(v.Projects, rv)
		v.NProjects++
		if rv.Inconc {
			v.NInconclusive++
		}
		if rv.Undecided {
			v.NUndecided++
		}
		if j < PageSize {
			v.FirstPage = append(v.FirstPage, rv)
		}
	}
	if len(pidx) > 0 {
		v.projectData = func(w io.Writer) error { return writeProjectData(w, r, pm, pidx, lang) }
	}
	v.Changes = changes(r, anchors, lang)
	for i, s := range r.Subjects {
		switch s.Kind {
		case models.KindSupplier:
			rv := resultOf(r, i, sm, lang)
			changeOf(r, rv, s, sm, lang)
			v.Suppliers = append(v.Suppliers, rv)
			v.NSuppliers++
			if rv.Inconc {
				v.NInconclusive++
			}
			if rv.Undecided {
				v.NUndecided++
			}
		case models.KindInstitution:
			rv := resultOf(r, i, gm, lang)
			if rv.Inconc {
				v.NInconclusive++
			}
			mv := &maturityView{Result: rv}
			if res := s.Result(gm); res != nil {
				mv.Gaps = gaps(r.Defs[gm], res.Gaps, lang)
				mv.Heat = heatMap(r.Defs[gm], res, lang)
			}
			v.Maturity = append(v.Maturity, mv)
		}
	}

	// The cards count from the key figures, as every output does.
	fig := r.Figures()
	v.NProjects, v.NSuppliers, v.NGates = fig.Projects, fig.Suppliers, fig.GatesFired
	v.NGraded, v.NUndecided = fig.ProjectGrades.Graded, fig.ProjectGrades.Undecided

	var err error
	if len(v.Projects) > 0 {
		v.UngradedNote = ungradedNote(r, pm, lang)
		if v.GradeChart, err = gradeChart(r, fig.ProjectGrades, lang); err != nil {
			return nil, err
		}
		v.Charts = append(v.Charts, v.GradeChart)
		var shown, scored int
		if v.ScoreChart, shown, scored, err = scoreChart(v.Projects, lang); err != nil {
			return nil, err
		}
		if v.ScoreChart != nil {
			v.Charts = append(v.Charts, v.ScoreChart)
			v.ScoreNote = strings.NewReplacer("{n}", strconv.Itoa(shown), "{total}", strconv.Itoa(scored)).
				Replace(L("html.chart_limit"))
		}
	}
	if len(v.Suppliers) > 0 {
		rankSuppliers(v.Suppliers)
		var shown int
		if v.SupplierRadar, shown, err = supplierRadar(r.Defs[sm], v.Suppliers, lang); err != nil {
			return nil, err
		}
		if v.SupplierRadar != nil {
			v.Charts = append(v.Charts, v.SupplierRadar)
			if shown < len(v.Suppliers) {
				v.RadarNote = strings.NewReplacer("{n}", strconv.Itoa(shown), "{total}", strconv.Itoa(len(v.Suppliers))).
					Replace(L("html.radar_limit"))
			}
		}
	}
	if v.Trends, err = trends(r, pm, pidx, lang); err != nil {
		return nil, err
	}
	if v.Trends != nil {
		v.Charts = append(v.Charts, v.Trends.Chart, v.Trends.GradeChart)
	}
	v.Lifecycle = lifecycle(r, lang)
	if v.Vulns, err = vulnSection(r, lang); err != nil {
		return nil, err
	}
	if v.Vulns != nil {
		v.Charts = append(v.Charts, v.Vulns.charts()...)
	}
	if v.Supply, err = supply(r, anchors, lang); err != nil {
		return nil, err
	}
	if v.Supply != nil {
		v.Charts = append(v.Charts, v.Supply.charts()...)
	}
	for i, mv := range v.Maturity {
		if mv.Radar, err = maturityRadar(i, mv.Result, lang); err != nil {
			return nil, err
		}
		if mv.Radar != nil {
			v.Charts = append(v.Charts, mv.Radar)
		}
	}

	for _, m := range r.Models {
		row := modelRow{ID: m.ID, Name: modelName(r, m.ID, lang), Version: m.Version, Hash: m.Hash}
		if def := r.Defs[m.ID]; def != nil {
			for _, c := range def.Changes {
				row.Changes = append(row.Changes, [2]string{c.Version, strings.Join(strings.Fields(c.Text.In(lang)), " ")})
			}
		}
		if m.ID == models.ProjectHealth {
			if f, ok := validation.Headline(); ok {
				colon := ":"
				if lang == "zh" {
					colon = "："
				}
				row.Validation = [2]string{validation.Title(lang) + colon, f.Sentence(lang)}
			}
		}
		v.Models = append(v.Models, row)
	}
	for _, run := range r.Runs {
		kind, status := reports.RunLabel(lang, run.Kind, run.Status)
		v.Runs = append(v.Runs, runRow{
			ID: strconv.FormatInt(run.ID, 10), Kind: kind, Status: status,
			Started: fmtTime(run.StartedAt), Finished: fmtTime(run.FinishedAt), Note: run.Note,
		})
	}
	return v, nil
}

// primaryModel picks the model whose results the views of kind k show:
// the built-in id if the report defines it, else the first model for k,
// else the first result found on a subject of kind k.
func primaryModel(r *reports.Report, k models.SubjectKind, builtin string) string {
	if _, ok := r.Defs[builtin]; ok {
		return builtin
	}
	if ms := r.Defs.For(k); len(ms) > 0 {
		return ms[0].ID
	}
	for _, s := range r.Subjects {
		if s.Kind == k && len(s.Results) > 0 {
			return s.Results[0].Model
		}
	}
	return builtin
}

func modelName(r *reports.Report, id, lang string) string {
	if m := r.Defs[id]; m != nil {
		if n := m.Name.In(lang); n != "" {
			return n
		}
	}
	return id
}

func anchor(i int) string { return "s" + strconv.Itoa(i) }

// changeOf fills the change since the previous period (assess.Diff's).
func changeOf(r *reports.Report, rv *resultView, s reports.SubjectReport, model, lang string) {
	if r.PreviousPeriod == "" {
		return
	}
	c := s.Change(model)
	if c == nil {
		rv.Change = labels.T(lang, "html.new_subject")
		return
	}
	rv.Delta = dash
	if c.Delta != nil {
		rv.Delta = strconv.FormatFloat(*c.Delta, 'f', 1, 64)
		if *c.Delta > 0 {
			rv.Delta = "+" + rv.Delta
		}
		rv.DeltaSort = strconv.FormatFloat(*c.Delta, 'f', -1, 64)
	}
	rv.PrevGrade = c.PrevGrade
	if def := r.Defs[model]; def != nil && c.PrevGrade != "" {
		rv.PrevGrade = def.GradeLabel(c.PrevGrade, lang)
	}
	if pg := prevGradeText(r, s, model, r.Defs[model], lang); pg != "" {
		rv.PrevGrade = pg // an estimate, between grades or inconclusive: not a grade
	}
	if !c.Comparable {
		rv.Change = labels.T(lang, "html.not_comparable")
	}
}

func gate(def *models.Model, g models.GateHit, lang string) gateView {
	ex := reports.ExplainGate(def, models.GateState{ID: g.ID, State: models.GateFired, Cap: g.Cap, Reason: g.Reason, Waived: g.Waived}, lang)
	gv := gateView{ID: g.ID, Name: g.ID, Reason: ex.Text, Detail: ex.Detail, Cap: g.Cap}
	if def != nil {
		for _, dg := range def.Gates {
			if dg.ID == g.ID {
				if n := dg.Name.In(lang); n != "" {
					gv.Name = n
				}
				break
			}
		}
		if g.Cap != "" && def.Kind != models.ModelStaged {
			gv.Cap = def.GradeLabel(g.Cap, lang)
		}
	}
	return gv
}

// resultOf lays out subject i's result for model id.
func resultOf(r *reports.Report, i int, id, lang string) *resultView {
	s := r.Subjects[i]
	rv := &resultView{
		Anchor: anchor(i), Name: s.Name, ID: s.ID, Description: s.Description,
		Search: strings.ToLower(s.Name + " " + s.ID),
		Score:  dash, Grade: dash, Coverage: dash, Status: dash,
	}
	res := s.Result(id)
	if res == nil {
		return rv
	}
	def := r.Defs[res.Model]
	rv.HasResult = true
	rv.Model = modelName(r, res.Model, lang)
	rv.Explanation = labels.ResultExplanation(lang, res.Explanation, func(id string) string { return reports.GradeName(def, id, lang) }) // the engine's sentence in the report's language
	rv.Profile = res.Profile
	rv.Inconc = res.Status == models.StatusInconclusive
	rv.Status = statusText(res, lang)
	rv.Range = scoreRange(res)
	rv.Missing = missingViews(res, lang, maxMissingShown)
	if res.Score != nil && !math.IsNaN(*res.Score) {
		rv.score = res.Score
		rv.Score = f1(*res.Score)
		rv.ScoreSort = strconv.FormatFloat(*res.Score, 'f', -1, 64)
	}
	rv.Coverage = pct(res.Coverage)
	rv.CoverSort = strconv.FormatFloat(res.Coverage, 'f', -1, 64)
	rv.gradeKey = labels.T(lang, "status.inconclusive")
	switch {
	case res.Grade != "" || len(res.GradeRange) == 2 || rv.Inconc:
		// A decided grade; else the estimate between the grades the
		// missing data leaves open (at any status); else "inconclusive".
		rv.Grade = gradeDisplay(res, def, lang)
		rv.Undecided = reports.Undecided(res)
		if res.Grade == "" && (def == nil || def.Kind != models.ModelStaged) {
			rv.GradeClass = "undecided"
		}
		rv.EstimateNote = estimateNote(res, def, lang)
		switch {
		case res.Grade != "":
			rv.gradeKey = rv.Grade
		case rv.Undecided:
			rv.gradeKey = labels.T(lang, "html.between_grades")
		}
	}
	levelName := func(n int) string {
		if def != nil {
			return def.LevelName(n, lang)
		}
		return fmt.Sprintf("L%d", n)
	}
	if res.Level > 0 && !rv.Inconc {
		rv.Level = res.Level
		rv.LevelName = levelName(res.Level)
		rv.LevelRange = reports.LevelRange(res)
	}
	if reports.LevelOpen(res) { // inconclusive or not, the range is what is known
		lo, hi := res.LevelRange[0], res.LevelRange[1]
		rv.LevelRange = reports.LevelRange(res)
		rv.LevelName = levelName(lo) + " – " + levelName(hi)
		rv.LevelNote = strings.NewReplacer("{a}", strconv.Itoa(lo), "{b}", strconv.Itoa(hi)).Replace(labels.T(lang, "html.level_between"))
	}
	for _, g := range res.Gates {
		rv.Gates = append(rv.Gates, gate(def, g, lang))
	}
	rv.GateStates = gateStateViews(res, def, lang)
	if rv.NotEval = notEvaluated(res); rv.NotEval > 0 {
		rv.NotEvalText = strings.ReplaceAll(labels.T(lang, "html.not_evaluated_n"), "{n}", strconv.Itoa(rv.NotEval))
		rv.NotEvalTitle = notEvaluatedTitle(res)
	}
	dimName := map[string]string{}
	dimCore := map[string]bool{}
	if def != nil {
		for _, d := range def.Dimensions {
			dimName[d.ID] = d.Name.In(lang)
			dimCore[d.ID] = d.Core
		}
	}
	for _, d := range res.Dimensions {
		dv := dimView{ID: d.ID, Name: orID(dimName[d.ID], d.ID), Score: fptr(d.Score, f1), Coverage: pct(d.Coverage),
			Weight: num(d.Weight), Level: d.Level, Core: dimCore[d.ID], val: d.Score}
		if def != nil && def.Kind == models.ModelStaged {
			dv.LevelName = def.LevelName(d.Level, lang)
		}
		rv.Dims = append(rv.Dims, dv)
	}
	rv.Inds, rv.Mods = res.Indicators, res.Modifiers
	rv.def, rv.lang, rv.dimName = def, lang, dimName
	return rv
}

func indRows(def *models.Model, in []models.IndicatorResult, dimName map[string]string, lang string) template.HTML {
	var b strings.Builder
	b.Grow(len(in) * 320)
	esc := template.HTMLEscapeString
	cell := func(class, v string) {
		b.WriteString("<td")
		if class != "" {
			b.WriteString(` class="`)
			b.WriteString(class)
			b.WriteString(`"`)
		}
		b.WriteString(">")
		b.WriteString(esc(v))
		b.WriteString("</td>")
	}
	for _, x := range in {
		name := ""
		if def != nil {
			if d := def.Indicator(x.ID); d != nil {
				name = d.Name.In(lang)
			}
		}
		raw := dash
		switch {
		case x.Raw != nil:
			raw = num(*x.Raw)
		case x.RawText != "":
			raw = x.RawText
		}
		st, stClass := x.Status, ""
		if st != "" {
			st = labels.T(lang, "status."+st)
		}
		if x.Status == models.StatusInconclusive {
			stClass = "inc"
		}
		b.WriteString("\n<tr>")
		cell("", x.ID)
		cell("", name)
		cell("", orID(dimName[x.Dimension], x.Dimension))
		cell("n", raw)
		cell("n", fptr(x.Normalized, f2))
		cell("n", num(x.Weight))
		cell("n", fptr(x.Contribution, f2))
		cell("", reports.SourceLabel(lang, x.Source))
		cell("ev", reports.DatedEvidence(x))
		cell(stClass, st)
		cell("", explainIndicator(def, x, lang))
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}

func gaps(def *models.Model, in []models.Gap, lang string) []gapView {
	var out []gapView
	for _, g := range in {
		gv := gapView{Domain: g.Domain, Practice: g.Practice, Level: g.Level, Evidence: fptr(g.Evidence, num),
			Clause: g.Clause, Weight: num(g.Weight)}
		if def != nil {
			for _, d := range def.Dimensions {
				if d.ID == g.Domain {
					gv.Domain = orID(d.Name.In(lang), g.Domain)
				}
			}
			if p := def.Indicator(g.Practice); p != nil {
				gv.PracticeName = p.Name.In(lang)
				if gv.Clause == "" {
					gv.Clause = p.Clause
				}
			}
		}
		out = append(out, gv)
	}
	return out
}

// rankSuppliers orders suppliers by score, best first; those without a
// confident score go last, unranked.
func rankSuppliers(s []*resultView) {
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		ac, bc := a.score != nil && !a.Inconc, b.score != nil && !b.Inconc
		if ac != bc {
			return ac
		}
		if ac && *a.score != *b.score {
			return *a.score > *b.score
		}
		return false
	})
	rank := 0
	for _, x := range s {
		if x.score != nil && !x.Inconc {
			rank++
			x.Rank = rank
		}
	}
}

// ---- charts ----

// echart is what a go-echarts chart offers that we use.
type echart interface {
	RenderSnippet() render.ChartSnippet
	JSON() map[string]interface{}
}

// snippetOf finishes a go-echarts chart: the element from RenderSnippet
// (which also runs the chart's Validate; its script is not used because it
// embeds the option without HTML escaping), and the option marshalled by
// encoding/json, which escapes <, >, &, U+2028 and U+2029, so no text in
// the option can end the <script> element. fix may adjust the chart after
// Validate (e.g. the radar legend).
func snippetOf(id string, c echart, fix func()) (*chartView, error) {
	sn := c.RenderSnippet()
	if fix != nil {
		fix()
	}
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return nil, fmt.Errorf("html report: chart %s: %w", id, err)
	}
	return &chartView{ID: id, Element: template.HTML(sn.Element), Option: template.JS(b)}, nil
}

func gradeChart(r *reports.Report, g reports.GradeFigures, lang string) (*chartView, error) {
	// From the key figures (reports.Figures): the decided grades, best
	// first, then one bar for the undecided, never counted as a grade.
	def := r.Defs[g.Model]
	var names []string
	data := make([]opts.BarData, 0, len(g.Grades)+1)
	for _, c := range g.Grades {
		l := c.Grade
		if def != nil {
			l = def.GradeLabel(c.Grade, lang)
		}
		names = append(names, l)
		data = append(data, opts.BarData{Name: l, Value: c.N})
	}
	und := labels.T(lang, "fig.undecided")
	names = append(names, und)
	data = append(data, opts.BarData{Name: und, Value: g.Undecided, ItemStyle: &opts.ItemStyle{Color: "#d7ccc8", BorderColor: "#757575", BorderWidth: 1}})
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "chart-grades", Width: "100%", Height: "280px"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{MinInterval: 1}),
		charts.WithAnimation(false),
	)
	bar.SetXAxis(names).AddSeries(labels.T(lang, "projects"), data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top"}))
	return snippetOf("chart-grades", bar, nil)
}

func scoreChart(ps []*resultView, lang string) (cv *chartView, shown, scored int, err error) {
	var sc []*resultView
	for _, p := range ps {
		if p.score != nil && !p.Inconc { // inconclusive results are never drawn as scores
			sc = append(sc, p)
		}
	}
	if len(sc) == 0 {
		return nil, 0, 0, nil
	}
	sort.SliceStable(sc, func(i, j int) bool { return *sc[i].score < *sc[j].score })
	scored = len(sc)
	if len(sc) > MaxScoreBars {
		sc = sc[:MaxScoreBars]
	}
	names := make([]string, len(sc))
	data := make([]opts.BarData, len(sc))
	for i, p := range sc {
		names[i] = p.Name
		data[i] = opts.BarData{Name: p.Name, Value: round1(*p.score)}
		if len(p.Gates) > 0 {
			data[i].ItemStyle = &opts.ItemStyle{Color: "#c62828"}
		}
	}
	h := 22*len(sc) + 60
	if h < 160 {
		h = 160
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "chart-scores", Width: "100%", Height: strconv.Itoa(h) + "px"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "40", Top: "10", Bottom: "20", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: 0, Max: 100}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		charts.WithAnimation(false),
	)
	bar.SetXAxis(names).AddSeries(labels.T(lang, "score"), data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	cv, err = snippetOf("chart-scores", bar, nil)
	return cv, len(sc), scored, err
}

func supplierRadar(def *models.Model, ss []*resultView, lang string) (*chartView, int, error) {
	// Axes: the model's dimensions, else the dimensions the results carry.
	type axis struct{ id, name string }
	var axes []axis
	if def != nil {
		for _, d := range def.Dimensions {
			axes = append(axes, axis{d.ID, orID(d.Name.In(lang), d.ID)})
		}
	} else {
		seen := map[string]bool{}
		for _, s := range ss {
			for _, d := range s.Dims {
				if !seen[d.ID] {
					seen[d.ID] = true
					axes = append(axes, axis{d.ID, d.Name})
				}
			}
		}
	}
	if len(axes) < 3 {
		return nil, 0, nil // a radar needs three axes to mean anything
	}
	var items []opts.RadarData
	var legend []string
	for _, s := range ss { // ss is ranked best first
		if len(items) == MaxRadarSuppliers {
			break
		}
		byID := map[string]*float64{}
		for _, d := range s.Dims {
			byID[d.ID] = d.val
		}
		vals := make([]interface{}, len(axes))
		has := false
		for i, a := range axes {
			vals[i] = "-" // ECharts' "no data"; never drawn as 0
			if sc := byID[a.id]; sc != nil && !math.IsNaN(*sc) {
				vals[i] = round1(*sc)
				has = true
			}
		}
		if !has {
			continue
		}
		items = append(items, opts.RadarData{Name: s.Name, Value: vals})
		legend = append(legend, s.Name)
	}
	if len(items) == 0 {
		return nil, 0, nil
	}
	ind := make([]*opts.Indicator, len(axes))
	for i, a := range axes {
		ind[i] = &opts.Indicator{Name: a.name, Max: 100}
	}
	radar := charts.NewRadar()
	radar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: "chart-suppliers", Width: "100%", Height: "420px"}),
		charts.WithRadarComponentOpts(opts.RadarComponent{Indicator: ind, Center: []string{"50%", "55%"}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		charts.WithAnimation(false),
	)
	// One series, one named item per supplier: each gets its own colour.
	radar.AddSeries(labels.T(lang, "suppliers"), items)
	cv, err := snippetOf("chart-suppliers", radar, func() { radar.Legend.Data = legend })
	return cv, len(items), err
}

func maturityRadar(i int, rv *resultView, lang string) (*chartView, error) {
	if len(rv.Dims) < 3 {
		return nil, nil
	}
	ind := make([]*opts.Indicator, len(rv.Dims))
	vals := make([]interface{}, len(rv.Dims))
	has := false
	for j, d := range rv.Dims {
		ind[j] = &opts.Indicator{Name: d.Name, Max: 100}
		vals[j] = "-"
		if d.val != nil && !math.IsNaN(*d.val) {
			vals[j] = round1(*d.val)
			has = true
		}
	}
	if !has {
		return nil, nil
	}
	id := "chart-maturity-" + strconv.Itoa(i)
	radar := charts.NewRadar()
	radar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "420px"}),
		charts.WithRadarComponentOpts(opts.RadarComponent{Indicator: ind}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithAnimation(false),
	)
	name := rv.Name
	if rv.LevelRange != "" {
		name += " · " + rv.LevelRange
	}
	radar.AddSeries(labels.T(lang, "score"), []opts.RadarData{{Name: name, Value: vals}},
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.2)}))
	return snippetOf(id, radar, nil)
}

// ---- formatting ----

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return dash
	}
	return t.Format("2006-01-02 15:04:05 MST")
}

func f1(x float64) string { return strconv.FormatFloat(round1(x), 'f', 1, 64) }
func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

func round1(x float64) float64 { return math.Round(x*10) / 10 }

// num prints a raw value or weight without noise: integers plainly, other
// values with at most three decimals.
func num(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	s := strconv.FormatFloat(x, 'f', 3, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

func pct(x float64) string { return strconv.FormatFloat(x*100, 'f', 0, 64) + "%" }

func fptr(p *float64, f func(float64) string) string {
	if p == nil || math.IsNaN(*p) {
		return dash
	}
	return f(*p)
}

func orID(name, id string) string {
	if name == "" {
		return id
	}
	return name
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// explainIndicator is what an indicator's explanation cell shows: the
// sentence that says what its value means (reports.ExplainIndicator), then
// the engine's explanation when there is one (what is missing, a decay).
func explainIndicator(def *models.Model, x models.IndicatorResult, lang string) string {
	s, e := reports.ExplainIndicator(def, x, lang), labels.IndicatorExplanation(lang, x.Explanation)
	switch {
	case s == "":
		return e
	case e == "":
		return s
	}
	return s + " " + e
}
