// Package validation carries the published backtest of the Project Health
// Index (docs/validation.md): the result files of `osgauge backtest`
// (backtest-<DATE>.json, beside this file) are embedded, and the figure a
// board is shown — the share of projects abandoned within the horizon among
// those scored below 50 and among those scored above 75 — is computed from
// them here, so the Model sheet and the dashboard cite the files' numbers
// and nothing typed by hand.
package validation

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strings"
)

//go:embed backtest-*.json
var files embed.FS

// Doc is where the study is described: method, repositories, limits and
// the commands that reproduce it.
const Doc = "docs/validation.md"

// The score bands of the cited figure: below Low, above High.
const (
	Low  = 50.0
	High = 75.0
)

// Band counts the projects of a score band and those of them abandoned.
type Band struct {
	Projects  int `json:"projects"`
	Abandoned int `json:"abandoned"`
}

// Pct is the whole percentage abandoned (half up), -1 without projects.
func (b Band) Pct() int {
	if b.Projects == 0 {
		return -1
	}
	return int(math.Floor(100*float64(b.Abandoned)/float64(b.Projects) + 0.5))
}

// Figure is one backtest file's cited figure.
type Figure struct {
	File          string   // backtest-<DATE>.json
	AsOf          string   // as_of
	HorizonMonths int      // horizon_months
	ModelVersion  string   // model.version
	Projects      int      // projects graded and observed
	LeftOut       int      // left_out.count
	Below, Above  Band     // score < Low, score > High
	AUC           *float64 // auc_abandoned
}

// file is the part of a backtest file read here.
type file struct {
	AsOf          string `json:"as_of"`
	HorizonMonths int    `json:"horizon_months"`
	Model         struct {
		ID      string `json:"id"`
		Version string `json:"version"`
	} `json:"model"`
	Projects []struct {
		Name    string   `json:"name"`
		Score   *float64 `json:"score"`
		Outcome string   `json:"outcome"`
	} `json:"projects"`
	AUC     *float64 `json:"auc_abandoned"`
	LeftOut struct {
		Count int `json:"count"`
	} `json:"left_out"`
}

// Figures reads every backtest-*.json of fsys, oldest as-of date first.
func Figures(fsys fs.FS) ([]Figure, error) {
	names, err := fs.Glob(fsys, "backtest-*.json")
	if err != nil {
		return nil, err
	}
	var out []Figure
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		f, err := parse(path.Base(n), data)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AsOf < out[j].AsOf })
	return out, nil
}

func parse(name string, data []byte) (Figure, error) {
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return Figure{}, fmt.Errorf("%s: %w", name, err)
	}
	if f.AsOf == "" || f.HorizonMonths <= 0 {
		return Figure{}, fmt.Errorf("%s: as_of and horizon_months are required", name)
	}
	fig := Figure{File: name, AsOf: f.AsOf, HorizonMonths: f.HorizonMonths, ModelVersion: f.Model.Version, LeftOut: f.LeftOut.Count, AUC: f.AUC}
	for i, p := range f.Projects {
		if p.Score == nil {
			continue
		}
		switch p.Outcome {
		case "abandoned", "declining", "alive":
		default:
			return Figure{}, fmt.Errorf("%s: projects[%d] (%s): outcome %q is not abandoned, declining or alive", name, i, p.Name, p.Outcome)
		}
		fig.Projects++
		ab := 0
		if p.Outcome == "abandoned" {
			ab = 1
		}
		switch {
		case *p.Score < Low:
			fig.Below.Projects++
			fig.Below.Abandoned += ab
		case *p.Score > High:
			fig.Above.Projects++
			fig.Above.Abandoned += ab
		}
	}
	return fig, nil
}

// Headline is the figure of the newest as-of date among the embedded
// files; false when none is embedded.
func Headline() (Figure, bool) {
	figs, err := Figures(files)
	if err != nil || len(figs) == 0 {
		return Figure{}, false
	}
	return figs[len(figs)-1], true
}

// Title names the citation in a report ("Validation").
func Title(lang string) string {
	if lang == "zh" {
		return "回测验证"
	}
	return "Validation"
}

// Sentence is the cited figure in words, in English or Chinese (lang
// "zh"), naming the document that describes the study.
func (f Figure) Sentence(lang string) string {
	pct := func(b Band) string {
		if b.Pct() < 0 {
			return "—"
		}
		return fmt.Sprintf("%d %%", b.Pct())
	}
	auc := ""
	if f.AUC != nil {
		auc = fmt.Sprintf("%.2f", *f.AUC)
	}
	var b strings.Builder
	if lang == "zh" {
		fmt.Fprintf(&b, "PHI 低于 %g（截至 %s）：%d 个月内停止维护 %s（%d 个中 %d 个）；高于 %g：%s（%d 个中 %d 个）。",
			Low, f.AsOf, f.HorizonMonths, pct(f.Below), f.Below.Projects, f.Below.Abandoned, High, pct(f.Above), f.Above.Projects, f.Above.Abandoned)
		fmt.Fprintf(&b, "回测 %d 个公开仓库（PHI %s）", f.Projects, f.ModelVersion)
		if auc != "" {
			fmt.Fprintf(&b, "，停止维护的 AUC %s", auc)
		}
		fmt.Fprintf(&b, "；方法与局限见 %s。", Doc)
		return b.String()
	}
	fmt.Fprintf(&b, "PHI below %g as of %s: %s abandoned within %d months (%d of %d); above %g: %s (%d of %d).",
		Low, f.AsOf, pct(f.Below), f.HorizonMonths, f.Below.Abandoned, f.Below.Projects, High, pct(f.Above), f.Above.Abandoned, f.Above.Projects)
	fmt.Fprintf(&b, " Backtest of %d public repositories (PHI %s)", f.Projects, f.ModelVersion)
	if auc != "" {
		fmt.Fprintf(&b, ", AUC for abandonment %s", auc)
	}
	fmt.Fprintf(&b, "; method and limits in %s.", Doc)
	return b.String()
}
