package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/excel"
	"github.com/osgauge/osgauge/reports/html"
	"github.com/osgauge/osgauge/reports/jsonreport"
	"github.com/osgauge/osgauge/store"
)

// HistoryPeriods is how many periods (this one included) a report's
// trends cover.
const HistoryPeriods = 8

// ReportTimings splits the time a report takes: reading the store,
// assembling the report (changes since the previous period, history,
// portfolio delta) and writing each format. Benchmarks read it.
type ReportTimings struct {
	Read   time.Duration // results, subjects, earlier periods and runs from the store
	Diff   time.Duration // changes, history and delta
	Write  time.Duration // all formats
	Format map[string]time.Duration
}

// lap adds the time since *t0 to the phase's total and restarts the
// clock; t may be nil.
func (t *ReportTimings) lap(phase string, t0 *time.Time) {
	if t == nil {
		return
	}
	now := time.Now()
	switch phase {
	case "read":
		t.Read += now.Sub(*t0)
	case "diff":
		t.Diff += now.Sub(*t0)
	}
	*t0 = now
}

// BuildReport assembles the stored results of period into a Report, with
// the changes since the previous assessed period and the history of up to
// HistoryPeriods periods for trends.
func BuildReport(ctx context.Context, st *store.Store, set models.Set, period, lang, institution string, now time.Time) (*reports.Report, error) {
	return BuildReportTimed(ctx, st, set, period, lang, institution, now, nil)
}

// BuildReportTimed is BuildReport that adds its reading and diffing time
// to t (nil: not timed).
func BuildReportTimed(ctx context.Context, st *store.Store, set models.Set, period, lang, institution string, now time.Time, t *ReportTimings) (*reports.Report, error) {
	t0 := time.Now()
	// The previous period is read from the results' columns and gates
	// only (what diffs, trends and the delta need): its detail is never
	// decoded.
	earlier, err := st.EarlierPeriods(ctx, period, HistoryPeriods-1)
	if err != nil {
		return nil, err
	}
	prev, err := previousResults(ctx, st, earlier)
	if err != nil {
		return nil, err
	}
	results, err := st.Results(ctx, period)
	if err != nil {
		return nil, err
	}
	subjects, err := st.Subjects(ctx)
	if err != nil {
		return nil, err
	}
	bySubject := map[string][]models.Result{}
	usedModels := map[string]reports.ModelRef{}
	for _, r := range results {
		bySubject[r.SubjectID] = append(bySubject[r.SubjectID], r)
		usedModels[r.Model+"@"+r.ModelHash] = reports.ModelRef{ID: r.Model, Version: r.ModelVersion, Hash: r.ModelHash}
	}
	rep := &reports.Report{Period: period, GeneratedAt: now.UTC(), Lang: lang, Institution: institution, Defs: set}
	if len(prev.results) > 0 {
		rep.PreviousPeriod = prev.period
	}
	for _, k := range sortedKeys(usedModels) {
		rep.Models = append(rep.Models, usedModels[k])
	}
	kindOrder := []models.SubjectKind{models.KindProject, models.KindSupplier, models.KindInstitution}
	sort.SliceStable(subjects, func(i, j int) bool {
		return slices.Index(kindOrder, subjects[i].Kind) < slices.Index(kindOrder, subjects[j].Kind)
	})
	hist, err := history(ctx, st, earlier, prev)
	if err != nil {
		return nil, err
	}
	t.lap("read", &t0)
	names := map[string]models.Subject{}
	for _, s := range subjects {
		names[s.ID] = s
	}
	var delta *reports.PortfolioDelta
	if rep.PreviousPeriod != "" {
		delta = &reports.PortfolioDelta{PreviousPeriod: prev.period}
	}
	for _, s := range subjects {
		rs, ok := bySubject[s.ID]
		if !ok {
			continue // registered, but not assessed in this period
		}
		sr := reports.SubjectReport{Kind: s.Kind, ID: s.ID, Name: s.Name, Description: s.Attrs["description"], Results: rs}
		inPrev := false
		for _, r := range rs {
			sr.History = append(sr.History, reports.HistoryPoint{Period: period, Model: r.Model, ModelVersion: r.ModelVersion,
				Score: r.Score, Grade: r.Grade, GradeRange: r.GradeRange, GradeEstimate: r.GradeEstimate, Ranged: true,
				Level: r.Level, Status: r.Status, Gates: activeGates(r.Gates), Comparable: true})
			for _, h := range hist {
				if e, ok := h.results[s.ID+"\x00"+r.Model]; ok {
					// The store's summaries carry the range and estimate
					// (schema 9), so an earlier period's point is ranged.
					sr.History = append(sr.History, reports.HistoryPoint{Period: h.period, Model: e.Model, ModelVersion: e.ModelVersion,
						Score: e.Score, Grade: e.Grade, GradeRange: e.GradeRange, GradeEstimate: e.GradeEstimate, Ranged: true,
						Level: e.Level, Status: e.Status,
						Comparable: e.ModelVersion == r.ModelVersion && e.ModelHash == r.ModelHash})
				}
			}
			p, ok := prev.results[s.ID+"\x00"+r.Model]
			if !ok {
				continue
			}
			inPrev = true
			c := assess.Diff(p, r, prev.period)
			sr.Changes = append(sr.Changes, c)
			if !c.Comparable {
				// Another model version or weight profile: its grade
				// moves are not counted as changes (issue 22); the
				// change says why (c.Note).
				delta.NotComparable++
				continue
			}
			// A grade change is a decided grade that became another
			// decided grade; a result moving between an estimate and a
			// decision is not one (reports.GradeMove says it in words).
			move := reports.GradeMove{From: reports.GradeOfResult(&p), To: reports.GradeOfResult(&r), Comparable: c.Comparable}
			if move.Moved() && !move.Changed() {
				delta.DecisionChanges++
			}
			if move.Changed() {
				delta.GradeChanges++
				if s.Kind == models.KindSupplier {
					delta.TierChanges = append(delta.TierChanges, reports.GradeChange{SubjectRef: ref(s), Model: r.Model,
						From: p.Grade, To: r.Grade, Comparable: c.Comparable})
				}
			}
		}
		if delta != nil && !inPrev && s.Kind != models.KindInstitution {
			delta.Added = append(delta.Added, ref(s))
		}
		rep.Subjects = append(rep.Subjects, sr)
	}
	if delta != nil {
		seen := map[string]bool{}
		for _, k := range sortedKeys(prev.results) {
			r := prev.results[k]
			if _, now := bySubject[r.SubjectID]; now || seen[r.SubjectID] {
				continue
			}
			seen[r.SubjectID] = true
			sub, ok := names[r.SubjectID]
			if !ok {
				sub = models.Subject{ID: r.SubjectID, Name: r.SubjectID}
			}
			if sub.Kind == "" {
				if m := set[r.Model]; m != nil {
					sub.Kind = m.Subject
				}
			}
			delta.Removed = append(delta.Removed, ref(sub))
		}
		rep.Delta = delta
	}
	rep.Periods = []string{period}
	for _, h := range hist {
		rep.Periods = append(rep.Periods, h.period)
	}
	t.lap("diff", &t0)
	runs, err := st.Runs(ctx, 20)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		rep.Runs = append(rep.Runs, runSummary(r))
	}
	t.lap("read", &t0)
	return rep, nil
}

func ref(s models.Subject) reports.SubjectRef {
	return reports.SubjectRef{Kind: s.Kind, ID: s.ID, Name: s.Name}
}

func activeGates(gs []models.GateHit) int {
	n := 0
	for _, g := range gs {
		if g.Waived == "" {
			n++
		}
	}
	return n
}

// runSummary reads what a run stored about itself: a collection run's
// summary (observations, API calls per source) is in its stats JSON.
func runSummary(r store.Run) reports.RunSummary {
	rs := reports.RunSummary{ID: r.ID, Kind: r.Kind, Status: r.Status, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt,
		Note: r.Note, Period: r.Period}
	if r.Kind != "collect" || r.Stats == "" {
		return rs
	}
	var cs CollectSummary
	if err := json.Unmarshal([]byte(r.Stats), &cs); err != nil {
		if rs.Note != "" {
			rs.Note += "; "
		}
		rs.Note += "run statistics unreadable: " + err.Error()
		return rs
	}
	rs.Observations = cs.Observations
	for _, src := range sortedKeys(cs.Cost) {
		c := cs.Cost[src]
		rs.Costs = append(rs.Costs, reports.SourceCost{Source: src, Requests: c.Requests, NotModified: c.NotModified,
			Retries: c.Retries, RateRemaining: c.RateRemaining})
	}
	if rs.Note == "" && (len(cs.Failed) > 0 || len(cs.Skipped) > 0) {
		rs.Note = fmt.Sprintf("%d failed, %d skipped", len(cs.Failed), len(cs.Skipped))
	}
	return rs
}

type periodSummaries struct {
	period  string
	results map[string]store.ResultSummary // by subject id + NUL + model
}

// history loads the results of the earlier periods (up to
// HistoryPeriods-1 before the report's, newest first) from the results
// table's columns only.
func history(ctx context.Context, st *store.Store, runs []store.PeriodRun, prev previous) ([]periodSummaries, error) {
	out := make([]periodSummaries, 0, len(runs))
	for _, pr := range runs {
		ps := periodSummaries{period: pr.Period, results: map[string]store.ResultSummary{}}
		if pr.Period == prev.period {
			for k, r := range prev.results {
				ps.results[k] = store.ResultSummary{SubjectID: r.SubjectID, Model: r.Model, ModelVersion: r.ModelVersion,
					ModelHash: r.ModelHash, Score: r.Score, Grade: r.Grade, GradeRange: r.GradeRange, GradeEstimate: r.GradeEstimate,
					Level: r.Level, Coverage: r.Coverage, Status: r.Status}
			}
		} else {
			rs, err := st.ResultSummaries(ctx, pr.RunID)
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				ps.results[r.SubjectID+"\x00"+r.Model] = r
			}
		}
		out = append(out, ps)
	}
	return out, nil
}

// WriteReports writes the report in each format into dir and returns the
// paths written, in the order of formats. Each file is written whole or
// not at all; a format that fails does not stop the others.
func WriteReports(rep *reports.Report, dir string, formats []string) ([]string, error) {
	return WriteReportsTimed(rep, dir, formats, nil)
}

// writeMemoryLimit is the soft heap limit WriteReports sets while it
// writes, unless the process has one (GOMEMLIMIT). Writing a 10,000-project
// report holds the report (about 270 MiB) and the writers' transient
// buffers (the workbook's, mostly; the dashboard's project data and the
// JSON are streamed a subject at a time); without a limit the heap goal
// doubles the peak. A soft limit: the GC works harder near it, nothing
// fails above it.
const writeMemoryLimit = 700 << 20

// WriteReportsTimed is WriteReports that adds each format's writing time
// to t (nil: not timed). The dashboard is written first, then the
// workbook and the JSON in parallel (CPU-bound). All three at once saved
// about 0.5 s of 9 on two cores for a 10,000-project report but took
// 70 MiB more (max RSS): the dashboard's lead keeps the peak lower.
func WriteReportsTimed(rep *reports.Report, dir string, formats []string, t *ReportTimings) ([]string, error) {
	for _, f := range formats {
		if !slices.Contains([]string{"xlsx", "html", "json"}, f) {
			return nil, fmt.Errorf("unknown report format %q", f)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if limit := debug.SetMemoryLimit(-1); limit == math.MaxInt64 {
		debug.SetMemoryLimit(writeMemoryLimit)
		defer debug.SetMemoryLimit(limit)
	}
	errs := make([]error, len(formats))
	took := make([]time.Duration, len(formats))
	path := func(f string) string { return filepath.Join(dir, fmt.Sprintf("osgauge-%s.%s", rep.Period, f)) }
	write := func(i int) {
		t0 := time.Now()
		switch f := formats[i]; f {
		case "xlsx":
			errs[i] = excel.Write(path(f), rep)
		case "html":
			errs[i] = html.WriteFile(path(f), rep)
		case "json":
			errs[i] = jsonreport.WriteFile(path(f), rep)
		}
		took[i] = time.Since(t0)
	}
	t0 := time.Now()
	var wg sync.WaitGroup
	for i, f := range formats {
		if f == "html" {
			write(i)
		}
	}
	for i, f := range formats {
		if f != "html" {
			wg.Go(func() { write(i) })
		}
	}
	wg.Wait()
	if t != nil {
		t.Write += time.Since(t0)
		if t.Format == nil {
			t.Format = map[string]time.Duration{}
		}
		for i, f := range formats {
			t.Format[f] += took[i]
		}
	}
	var paths []string
	for i, f := range formats {
		if errs[i] == nil {
			paths = append(paths, path(f))
		}
	}
	return paths, errors.Join(errs...)
}

type previous struct {
	period  string
	results map[string]models.Result // by subject id + NUL + model
}

// previousResults loads the results of the period before the report's,
// the first of earlier (newest first), if any: the results table's
// columns and each result's gates, what assess.Diff, the trends and the
// delta read, so that the detail (indicators, dimensions) of 10,000
// results is neither decoded nor kept while the report is written.
func previousResults(ctx context.Context, st *store.Store, earlier []store.PeriodRun) (previous, error) {
	p := previous{results: map[string]models.Result{}}
	if len(earlier) == 0 {
		return p, nil
	}
	rs, err := st.ResultSummariesWithGates(ctx, earlier[0].RunID)
	if err != nil {
		return p, err
	}
	p.period = earlier[0].Period
	for _, r := range rs {
		p.results[r.SubjectID+"\x00"+r.Model] = models.Result{SubjectID: r.SubjectID, Model: r.Model,
			ModelVersion: r.ModelVersion, ModelHash: r.ModelHash, Score: r.Score, Grade: r.Grade, GradeRange: r.GradeRange,
			GradeEstimate: r.GradeEstimate, Level: r.Level, Coverage: r.Coverage, Status: r.Status, Gates: r.Gates, Profile: r.Profile}
	}
	return p, nil
}
