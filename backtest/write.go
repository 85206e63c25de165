package backtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// FileBase is the report files' name without extension: backtest-<DATE>.
func (r *Report) FileBase() string {
	return "backtest-" + strings.NewReplacer(":", "", "+", "").Replace(r.AsOf)
}

// Write writes DIR/backtest-<DATE>.json and DIR/backtest-<DATE>.xlsx (the
// table and the summary as two sheets). Each file is written beside and
// renamed into place, so a failure leaves no half-written file.
func (r *Report) Write(dir string) (paths []string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	jp := filepath.Join(dir, r.FileBase()+".json")
	if err := writeAtomic(jp, func(p string) error { return os.WriteFile(p, append(data, '\n'), 0o644) }); err != nil {
		return nil, err
	}
	xp := filepath.Join(dir, r.FileBase()+".xlsx")
	if err := writeAtomic(xp, r.writeXLSX); err != nil {
		return []string{jp}, err
	}
	return []string{jp, xp}, nil
}

func writeAtomic(path string, write func(string) error) error {
	ext := filepath.Ext(path)
	tmp := strings.TrimSuffix(path, ext) + ".tmp" + ext // excelize knows a workbook by its extension
	if err := write(tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Sheet names of the workbook.
const (
	SheetProjects = "Backtest"
	SheetSummary  = "Summary"
)

func (r *Report) writeXLSX(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetProjects); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetSummary); err != nil {
		return err
	}
	// Text from outside (project names, reasons) is written as strings, so
	// that "=", "+", "-" or "@" never start a formula.
	row := 1
	put := func(sheet string, vals ...any) error {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			var err error
			switch x := v.(type) {
			case string:
				err = f.SetCellStr(sheet, cell, x)
			case *float64:
				if x != nil {
					err = f.SetCellFloat(sheet, cell, *x, -1, 64)
				}
			default:
				err = f.SetCellValue(sheet, cell, x)
			}
			if err != nil {
				return err
			}
		}
		row++
		return nil
	}
	if err := put(SheetProjects, "Project", "Id", "Score", "Low", "High", "Grade", "Gates fired", "Outcome", "Commits before", "Commits after", "Authors before", "Authors after", "Why"); err != nil {
		return err
	}
	for _, p := range r.Projects {
		lo, hi := rangeEnds(p.ScoreRange)
		grade := p.Grade
		if p.GradeBasis != BasisDecided && grade != "" {
			grade += " (" + p.GradeBasis + ")"
		}
		var ids []string
		for _, g := range p.Gates {
			ids = append(ids, g.ID)
		}
		if err := put(SheetProjects, p.Name, p.ID, p.Score, lo, hi, grade, strings.Join(ids, ", "), p.Outcome,
			p.Before.Commits, p.After.Commits, p.Before.Authors, p.After.Authors, p.OutcomeWhy); err != nil {
			return err
		}
	}
	for _, lo := range r.LeftOut.Projects {
		if err := put(SheetProjects, lo.Name, lo.ID, "", "", "", "", "", "left out: "+lo.Code, "", "", "", "", lo.Reason); err != nil {
			return err
		}
	}
	_ = f.SetPanes(SheetProjects, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})

	row = 1
	lines := [][]any{
		{"As of", r.AsOf}, {"Horizon (months)", r.HorizonMonths}, {"Horizon ends", r.HorizonEnds},
		{"Model", r.Model.ID + " " + r.Model.Version},
		{"Projects assessed", len(r.Projects)}, {"Left out", r.LeftOut.Count},
		{"AUC of the score for abandoned", r.AUCAbandoned},
		{},
		{"Grade", "Projects", "Abandoned", "Declining", "Alive"},
	}
	for _, g := range sortedKeys(r.RatesByGrade) {
		gr := r.RatesByGrade[g]
		lines = append(lines, []any{g, gr.Projects, gr.Rates[Abandoned], gr.Rates[Declining], gr.Rates[Alive]})
	}
	lines = append(lines, []any{}, []any{"AUC for abandoned", "AUC", "Abandoned", "Others"}, []any{"score", r.AUC.Score.AUC, r.AUC.Score.Abandoned, r.AUC.Score.Others})
	for _, k := range sortedKeys(r.AUC.Dimensions) {
		a := r.AUC.Dimensions[k]
		lines = append(lines, []any{"dimension " + k, a.AUC, a.Abandoned, a.Others})
	}
	for _, k := range sortedKeys(r.AUC.Gates) {
		a := r.AUC.Gates[k]
		lines = append(lines, []any{"gate " + k, a.AUC, a.Abandoned, a.Others})
	}
	lines = append(lines, []any{}, []any{"Left out by reason"})
	for _, k := range sortedKeys(r.LeftOut.ByCode) {
		lines = append(lines, []any{k, r.LeftOut.ByCode[k]})
	}
	lines = append(lines, []any{}, []any{"Rules"})
	for _, s := range r.Rules {
		lines = append(lines, []any{s})
	}
	lines = append(lines, []any{}, []any{"Limits"})
	for _, s := range r.Limits {
		lines = append(lines, []any{s})
	}
	for _, l := range lines {
		if err := put(SheetSummary, l...); err != nil {
			return err
		}
	}
	_ = f.SetColWidth(SheetProjects, "A", "A", 24)
	_ = f.SetColWidth(SheetProjects, "M", "M", 80)
	_ = f.SetColWidth(SheetSummary, "A", "A", 34)
	return f.SaveAs(path)
}

func rangeEnds(r []float64) (lo, hi *float64) {
	if len(r) == 2 {
		return &r[0], &r[1]
	}
	return nil, nil
}
