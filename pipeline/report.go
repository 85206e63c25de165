package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/excel"
	"github.com/osgauge/osgauge/reports/html"
	"github.com/osgauge/osgauge/reports/jsonreport"
	"github.com/osgauge/osgauge/store"
)

// BuildReport assembles the stored results of period into a Report.
func BuildReport(ctx context.Context, st *store.Store, set models.Set, period, lang, institution string, now time.Time) (*reports.Report, error) {
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
	prev, err := previousResults(ctx, st, period)
	if err != nil {
		return nil, err
	}
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
	for _, s := range subjects {
		rs, ok := bySubject[s.ID]
		if !ok {
			continue // registered, but not assessed in this period
		}
		sr := reports.SubjectReport{Kind: s.Kind, ID: s.ID, Name: s.Name, Description: s.Attrs["description"], Results: rs}
		for _, r := range rs {
			if p, ok := prev.results[s.ID+"\x00"+r.Model]; ok {
				sr.Changes = append(sr.Changes, assess.Diff(p, r, prev.period))
			}
		}
		rep.Subjects = append(rep.Subjects, sr)
	}
	runs, err := st.Runs(ctx, 20)
	if err != nil {
		return nil, err
	}
	for _, r := range runs {
		rep.Runs = append(rep.Runs, reports.RunSummary{ID: r.ID, Kind: r.Kind, Status: r.Status, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, Note: r.Note})
	}
	return rep, nil
}

// WriteReports writes the report in each format into dir and returns the
// paths written. Each file is written whole or not at all.
func WriteReports(rep *reports.Report, dir string, formats []string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var paths []string
	for _, f := range formats {
		path := filepath.Join(dir, fmt.Sprintf("osgauge-%s.%s", rep.Period, f))
		var err error
		switch f {
		case "xlsx":
			err = excel.Write(path, rep)
		case "html":
			err = html.WriteFile(path, rep)
		case "json":
			err = jsonreport.WriteFile(path, rep)
		default:
			err = fmt.Errorf("unknown report format %q", f)
		}
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

type previous struct {
	period  string
	results map[string]models.Result // by subject id + NUL + model
}

// previousResults loads the results of the period before period, if any.
func previousResults(ctx context.Context, st *store.Store, period string) (previous, error) {
	p := previous{results: map[string]models.Result{}}
	name, err := st.PreviousPeriod(ctx, period)
	if err != nil || name == "" {
		return p, err
	}
	rs, err := st.Results(ctx, name)
	if err != nil {
		return p, err
	}
	p.period = name
	for _, r := range rs {
		p.results[r.SubjectID+"\x00"+r.Model] = r
	}
	return p, nil
}
