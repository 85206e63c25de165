package excel

import (
	"fmt"
	"sort"
	"strings"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/docs/validation"
	"github.com/osgauge/osgauge/models"
)

// writeModels lays out every model the report was made with, from its
// definition (r.Defs, the same YAML that drives scoring): grades or
// levels, dimensions and their weights, indicators with their weights,
// metrics, normalisation (assess.Describe) and standard clauses, the
// modifiers and the gates.
func (w *writer) writeModels() error {
	sh := w.modelSheet
	put := w.cellRows(sh)
	if err := w.colWidths(sh, []float64{12, 30, 10, 12, 40, 9, 8, 34, 44, 36}); err != nil {
		return err
	}
	row := 1
	if len(w.r.Defs) == 0 {
		return put(row, []any{w.s(w.t("xlsx.no_models"))})
	}
	ids := make([]string, 0, len(w.r.Defs))
	for id := range w.r.Defs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		m := w.r.Defs[id]
		if err := put(row, []any{titleCell(w, fmt.Sprintf("%s (%s %s)", orNone(m.Name.In(w.lang), m.ID), m.ID, m.Version))}); err != nil {
			return err
		}
		row++
		info := [][]any{
			{w.b(w.t("xlsx.hash")), w.s(m.Hash)},
			{w.b(w.t("xlsx.subject_kind")), w.s(w.t("kind." + string(m.Subject)))},
			{w.b(w.t("xlsx.min_coverage")), w.pct(m.MinCoverage)},
		}
		if d := m.Description.In(w.lang); d != "" {
			info = append(info, []any{w.b(w.t("xlsx.description")), w.s(d)})
		}
		if m.Kind == models.ModelStaged {
			info = append(info, []any{w.b(w.t("xlsx.pass_evidence")), m.PassEvidence})
		}
		if m.ID == models.ProjectHealth {
			// the published backtest (docs/validation.md), from its result files
			if f, ok := validation.Headline(); ok {
				info = append(info, []any{w.b(validation.Title(w.lang)), w.s(f.Sentence(w.lang))})
			}
		}
		for _, v := range info {
			if err := put(row, v); err != nil {
				return err
			}
			row++
		}
		row++
		if len(m.Grades) > 0 {
			if err := put(row, []any{w.h(w.t("grade")), w.h(w.t("xlsx.grade_min")), w.h(w.t("xlsx.grade_label"))}); err != nil {
				return err
			}
			row++
			for _, g := range m.Grades {
				if err := put(row, []any{w.s(g.ID), g.Min, w.s(g.Label.In(w.lang))}); err != nil {
					return err
				}
				row++
			}
			row++
		}
		if len(m.Levels) > 0 {
			if err := put(row, []any{w.h(w.t("level")), w.h(w.t("xlsx.level_name"))}); err != nil {
				return err
			}
			row++
			for _, l := range m.Levels {
				if err := put(row, []any{l.Level, w.s(l.Name.In(w.lang))}); err != nil {
					return err
				}
				row++
			}
			row++
		}
		if err := put(row, []any{w.h(w.t("dimension")), w.h(w.t("xlsx.domain_name")), w.h(w.t("xlsx.dim_weight")),
			w.h(w.t("xlsx.indicator_id")), w.h(w.t("xlsx.indicator_name")), w.h(w.t("weight")), w.h(w.t("level")),
			w.h(w.t("xlsx.metrics")), w.h(w.t("xlsx.normalisation")), w.h(w.t("clause"))}); err != nil {
			return err
		}
		row++
		ind := func(dimID, dimName string, dimW any, in models.Indicator) error {
			var lvl any
			if in.Level > 0 {
				lvl = in.Level
			}
			metrics := strings.Join(in.Metrics, ", ")
			if in.Combine != "" && len(in.Metrics) > 1 {
				metrics += " (" + in.Combine + ")"
			}
			err := put(row, []any{w.s(dimID), w.s(dimName), dimW, w.s(in.ID), w.s(in.Name.In(w.lang)), in.Weight, lvl,
				w.s(metrics), w.s(assess.Describe(in.Normalize)), w.s(in.Clause)})
			row++
			return err
		}
		for _, d := range m.Dimensions {
			for i, in := range d.Indicators {
				var dw any
				if i == 0 {
					dw = d.Weight
				}
				if err := ind(d.ID, d.Name.In(w.lang), dw, in); err != nil {
					return err
				}
			}
		}
		for _, in := range m.Modifiers {
			if err := ind("", w.t("xlsx.modifier"), nil, in); err != nil {
				return err
			}
		}
		for _, name := range m.SortedProfiles() {
			p := m.Profiles[name]
			parts := []string{}
			for _, d := range m.Dimensions {
				parts = append(parts, fmt.Sprintf("%s %g", d.ID, m.DimensionWeight(d, name)))
			}
			if err := put(row, []any{w.b(w.t("xlsx.profile")), w.s(name + " · " + p.Name.In(w.lang)), nil, nil, w.s(strings.Join(parts, ", "))}); err != nil {
				return err
			}
			row++
		}
		if len(m.Gates) > 0 {
			row++
			if err := put(row, []any{w.h(w.t("xlsx.gate")), w.h(w.t("xlsx.gate_name")), nil, nil, w.h(w.t("xlsx.condition")),
				w.h(w.t("xlsx.cap")), w.h(w.t("xlsx.gate_best_cap")), nil, nil, w.h(w.t("clause"))}); err != nil {
				return err
			}
			row++
			for _, g := range m.Gates {
				cond := g.Condition()
				if err := put(row, []any{w.s(g.ID), w.s(g.Name.In(w.lang)), nil, nil, w.s(cond), w.s(w.capName(m.ID, g.Cap)), w.s(w.capName(m.ID, g.UnevaluatedCap)), nil, nil, w.s(g.Clause)}); err != nil {
					return err
				}
				row++
			}
		}
		if len(m.Changes) > 0 { // what each version changed, newest first
			row++
			if err := put(row, []any{w.b(w.t("xlsx.model_changes"))}); err != nil {
				return err
			}
			row++
			if err := put(row, []any{w.h(w.t("xlsx.version")), w.h(w.t("xlsx.change_text"))}); err != nil {
				return err
			}
			row++
			for _, c := range m.Changes {
				if err := put(row, []any{w.s(c.Version), w.s(strings.Join(strings.Fields(c.Text.In(w.lang)), " "))}); err != nil {
					return err
				}
				row++
			}
		}
		row += 2
	}
	return nil
}

func titleCell(w *writer, s string) any { return cellStyled(w.st.title, s) }

// writeSources lists the runs (collection, assessment, report) with their
// times and the API calls each collection spent, per source, and the
// models used.
func (w *writer) writeSources() error {
	sh := w.sources
	put := w.cellRows(sh)
	if err := w.colWidths(sh, []float64{10, 14, 12, 14, 21, 21, 11, 13, 11, 11, 11, 14, 60}); err != nil {
		return err
	}
	row := 1
	if err := put(row, []any{w.b(w.t("xlsx.runs"))}); err != nil {
		return err
	}
	row++
	if err := put(row, []any{w.h(w.t("xlsx.run_id")), w.h(w.t("xlsx.run_kind")), w.h(w.t("period")), w.h(w.t("status")),
		w.h(w.t("xlsx.started")), w.h(w.t("xlsx.finished")), w.h(w.t("xlsx.duration_s")), w.h(w.t("xlsx.observations")),
		w.h(w.t("xlsx.api_calls")), w.h(w.t("xlsx.not_modified")), w.h(w.t("xlsx.retries")), w.h(w.t("xlsx.rate_remaining")),
		w.h(w.t("xlsx.note"))}); err != nil {
		return err
	}
	row++
	if len(w.r.Runs) == 0 {
		if err := put(row, []any{w.s(w.t("xlsx.no_runs"))}); err != nil {
			return err
		}
		row++
	}
	for _, run := range w.r.Runs {
		var dur, obs, calls, nm, retries, rate any
		if !run.FinishedAt.IsZero() && !run.StartedAt.IsZero() {
			dur = w.score(run.FinishedAt.Sub(run.StartedAt).Seconds())
		}
		if run.Kind == "collect" {
			r, n, t := run.Calls()
			obs, calls, nm, retries = run.Observations, r, n, t
			lowest := -1
			for _, c := range run.Costs {
				if c.RateRemaining >= 0 && (lowest < 0 || c.RateRemaining < lowest) {
					lowest = c.RateRemaining
				}
			}
			if lowest >= 0 {
				rate = lowest
			}
		}
		if err := put(row, []any{run.ID, w.s(run.Kind), w.s(run.Period), w.s(w.status(run.Status)), w.date(run.StartedAt),
			w.date(run.FinishedAt), dur, obs, calls, nm, retries, rate, w.s(run.Note)}); err != nil {
			return err
		}
		row++
	}
	// API calls by source, per collection run.
	header := false
	for _, run := range w.r.Runs {
		for _, c := range run.Costs {
			if !header {
				row++
				if err := put(row, []any{w.b(w.t("xlsx.calls_by_source"))}); err != nil {
					return err
				}
				row++
				if err := put(row, []any{w.h(w.t("xlsx.run_id")), w.h(w.t("source")), w.h(w.t("xlsx.api_calls")),
					w.h(w.t("xlsx.not_modified")), w.h(w.t("xlsx.retries")), w.h(w.t("xlsx.rate_remaining"))}); err != nil {
					return err
				}
				row++
				header = true
			}
			var rate any
			if c.RateRemaining >= 0 {
				rate = c.RateRemaining
			}
			if err := put(row, []any{run.ID, w.s(c.Source), c.Requests, c.NotModified, c.Retries, rate}); err != nil {
				return err
			}
			row++
		}
	}
	row++
	if err := put(row, []any{w.b(w.t("xlsx.models"))}); err != nil {
		return err
	}
	row++
	if err := put(row, []any{w.h(w.t("xlsx.id")), w.h(w.t("xlsx.name")), w.h(w.t("xlsx.version")), w.h(w.t("xlsx.hash"))}); err != nil {
		return err
	}
	for _, mr := range w.r.Models {
		row++
		if err := put(row, []any{w.s(mr.ID), w.s(w.modelName(mr.ID)), w.s(mr.Version), w.s(mr.Hash)}); err != nil {
			return err
		}
	}
	return nil
}
