package excel

import (
	"fmt"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// tpn is a label with {n} replaced by a number.
func (w *writer) tpn(key string, n int) string {
	return strings.ReplaceAll(w.t(key), "{n}", fmt.Sprint(n))
}

// writeTrends lays out, per period (up to the report's history), the
// project portfolio (count, mean score, grade distribution) with native
// charts, then every subject's score and grade per period. Results made
// with another model version than this period's are shown in grey italics
// and named in the last column: not directly comparable.
func (w *writer) writeTrends() error {
	sh := w.trends
	periods := w.r.Periods
	if len(periods) == 0 {
		periods = []string{w.r.Period}
	}
	// Portfolio per period, oldest first so charts read left to right.
	aggs, gradeIDs := w.r.PortfolioTrend(models.ProjectHealth, w.r.OfKind(models.KindProject))
	chrono := make([]string, len(aggs))
	for i, a := range aggs {
		chrono[i] = a.Period
	}
	const top = 4 // header row of the portfolio table
	hdr := []any{w.h(w.t("period")), w.h(w.t("xlsx.count.projects")), w.h(w.t("xlsx.mean_score"))}
	for _, g := range gradeIDs {
		hdr = append(hdr, w.h(g))
	}
	// decided grades, then results between grades, then inconclusive ones
	hdr = append(hdr, w.h(w.t("trend.between")), w.h(w.t("trend.inconclusive")), w.h(w.t("xlsx.model_versions")))
	last := top + len(chrono)

	// Per-subject table below the charts.
	subTop := max(last+3, top+20)
	subHdr := []any{w.h(w.t("kind")), w.h(w.t("xlsx.name")), w.h(w.t("xlsx.id")), w.h(w.t("model"))}
	for _, p := range periods {
		subHdr = append(subHdr, w.h(p+" "+w.t("score")), w.h(p+" "+w.t("grade")))
	}
	subHdr = append(subHdr, w.h(w.t("xlsx.comparability")))
	nSub := 0
	for _, s := range w.r.Subjects {
		nSub += len(s.Results)
	}

	// Charts and the filter go in before the stream writer.
	if w.model(models.ProjectHealth) != nil || len(gradeIDs) > 0 {
		title := w.t("xlsx.chart.mean_trend")
		minY, maxY := 0.0, 100.0
		if err := w.addChart(sh, cell(len(hdr)+2, 1), &excelize.Chart{
			Type: excelize.Line,
			Series: []excelize.ChartSeries{{
				Name:       absRef(sh, 3, top, 3, top),
				Categories: absRef(sh, 1, top+1, 1, last),
				Values:     absRef(sh, 3, top+1, 3, last),
				Marker:     excelize.ChartMarker{Symbol: "circle", Size: 6},
			}},
			Title:     chartTitle(title),
			Legend:    excelize.ChartLegend{Position: "none"},
			YAxis:     excelize.ChartAxis{Minimum: &minY, Maximum: &maxY, MajorGridLines: true},
			Dimension: excelize.ChartDimension{Width: 480, Height: 280},
			Format:    excelize.GraphicOptions{AltText: title},
		}); err != nil {
			return err
		}
		var series []excelize.ChartSeries
		for i := range gradeIDs {
			c := 4 + i
			series = append(series, excelize.ChartSeries{
				Name: absRef(sh, c, top, c, top), Categories: absRef(sh, 1, top+1, 1, last), Values: absRef(sh, c, top+1, c, last),
			})
		}
		for ic := 4 + len(gradeIDs); ic <= 5+len(gradeIDs); ic++ { // between grades, inconclusive
			series = append(series, excelize.ChartSeries{Name: absRef(sh, ic, top, ic, top),
				Categories: absRef(sh, 1, top+1, 1, last), Values: absRef(sh, ic, top+1, ic, last)})
		}
		title = w.t("xlsx.chart.grade_trend")
		tallest := 0 // the highest stack: every result of a period
		for _, a := range aggs {
			n := a.Between + a.Inconclusive
			for _, g := range gradeIDs {
				n += a.Grades[g]
			}
			tallest = max(tallest, n)
		}
		if err := w.countChart(sh, cell(len(hdr)+10, 1), &excelize.Chart{
			Type:      excelize.ColStacked,
			Series:    series,
			Title:     chartTitle(title),
			Legend:    excelize.ChartLegend{Position: "bottom"},
			Dimension: excelize.ChartDimension{Width: 480, Height: 280},
			Format:    excelize.GraphicOptions{AltText: title},
		}, tallest); err != nil {
			return err
		}
	}
	if nSub > 0 {
		if err := w.f.AutoFilter(sh, cell(1, subTop)+":"+cell(len(subHdr), subTop+nSub), nil); err != nil {
			return err
		}
	}

	widths := []float64{14, 30, 36, 22}
	for range periods {
		widths = append(widths, 14, 14)
	}
	widths = append(widths, 50)
	sw, err := w.newStreamWriter(sh, widths)
	if err != nil {
		return err
	}
	if err := w.streamWidths(sw, widths); err != nil {
		return err
	}
	put := w.streamRows(sw)
	if err := put(1, []any{excelize.Cell{StyleID: w.st.title, Value: w.t("xlsx.sheet.trends")}}); err != nil {
		return err
	}
	if err := put(2, []any{w.s(w.t("xlsx.trends_note") + " " + w.t("trend.mean_note"))}); err != nil {
		return err
	}
	if err := put(top-1, []any{w.b(w.t("xlsx.portfolio_trend"))}); err != nil {
		return err
	}
	if err := put(top, hdr); err != nil {
		return err
	}
	for i, a := range aggs {
		vals := []any{w.s(a.Period), a.N}
		if mean, ok := a.Mean(); ok {
			vals = append(vals, w.score(mean))
		} else {
			vals = append(vals, nil)
		}
		for _, g := range gradeIDs {
			vals = append(vals, a.Grades[g])
		}
		vs := strings.Join(a.Versions, ", ")
		if a.NotComparable {
			vs += " — " + w.t("xlsx.not_comparable")
		}
		if a.Unsplit > 0 {
			vs += " — " + w.tpn("trend.unsplit", a.Unsplit)
		}
		vals = append(vals, a.Between, a.Inconclusive, w.s(vs))
		if err := put(top+1+i, vals); err != nil {
			return err
		}
	}
	if err := put(subTop-1, []any{w.b(w.t("xlsx.subject_trend"))}); err != nil {
		return err
	}
	if err := put(subTop, subHdr); err != nil {
		return err
	}
	row := subTop + 1
	vals := make([]any, 0, len(subHdr))
	for _, s := range w.r.Subjects {
		kind := w.s(w.t("kind." + string(s.Kind)))
		for _, res := range s.Results {
			vals = append(vals[:0], kind, w.s(s.Name), w.s(s.ID), w.s(w.modelName(res.Model)))
			hist := s.Trend(res.Model)
			if len(hist) == 0 { // a report built without history: this period only
				hist = []reports.HistoryPoint{{Period: w.r.Period, Score: res.Score, Grade: res.Grade, Level: res.Level,
					Status: res.Status, ModelVersion: res.ModelVersion, Comparable: true}}
			}
			var notes []string
			staged := w.model(res.Model) != nil && w.model(res.Model).Kind == models.ModelStaged
			for _, p := range periods {
				i := slices.IndexFunc(hist, func(h reports.HistoryPoint) bool { return h.Period == p })
				if i < 0 {
					vals = append(vals, nil, nil)
					continue
				}
				h := hist[i]
				var sc any
				if h.Score != nil && h.Status != models.StatusInconclusive {
					st := w.st.score
					if !h.Comparable {
						st = w.st.dim
					}
					sc = excelize.Cell{StyleID: st, Value: *h.Score}
				} else {
					sc = w.inconclusive()
				}
				g := h.Grade
				switch {
				case h.Period == w.r.Period:
					// this period: the result itself, its estimate and range
					// or its level range when undecided
					g = w.currentGrade(&res)
				case h.Grade == "" && (h.Level > 0 || staged):
					if h.Status == models.StatusInconclusive {
						g = w.t("status.inconclusive")
					} else if h.Level > 0 {
						g = fmt.Sprintf("L%d", h.Level)
					}
				default:
					// an earlier period: decided, estimate and range where
					// stored, between grades or inconclusive
					if pg := reports.GradeOfPoint(h); pg.Kind != reports.GradeDecided {
						g = pg.Text(w.lang, w.gradeNamer(h.Model))
					} else if name := w.gradeNamer(h.Model); name != nil && g != "" {
						g = name(g) // a tier by its name (issue 26)
					}
				}
				vals = append(vals, sc, w.s(g))
				if !h.Comparable {
					notes = append(notes, fmt.Sprintf("%s (%s %s)", p, w.t("xlsx.version"), h.ModelVersion))
				}
			}
			note := ""
			if len(notes) > 0 {
				note = w.t("xlsx.not_comparable") + ": " + strings.Join(notes, ", ")
			}
			vals = append(vals, w.s(note))
			if err := put(row, vals); err != nil {
				return err
			}
			row++
		}
	}
	return sw.Flush()
}
