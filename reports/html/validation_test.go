package html

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// publishedFigure reads the study's result files (docs/validation/
// backtest-*.json) on its own and counts, for the newest as-of date, the
// projects scored below 50 and above 75 and those of them abandoned. The
// percentage is rounded half up with integers: (200·a + n) / (2·n).
func publishedFigure(t *testing.T) (asOf string, months, n, lowN, lowAb, highN, highAb int) {
	t.Helper()
	paths, err := filepath.Glob("../../docs/validation/backtest-*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no published backtest files: %v", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			AsOf     string `json:"as_of"`
			Months   int    `json:"horizon_months"`
			Projects []struct {
				Score   *float64 `json:"score"`
				Outcome string   `json:"outcome"`
			} `json:"projects"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if f.AsOf < asOf {
			continue
		}
		asOf, months, n, lowN, lowAb, highN, highAb = f.AsOf, f.Months, 0, 0, 0, 0, 0
		for _, pr := range f.Projects {
			if pr.Score == nil {
				continue
			}
			n++
			ab := 0
			if pr.Outcome == "abandoned" {
				ab = 1
			}
			if *pr.Score < 50 {
				lowN, lowAb = lowN+1, lowAb+ab
			} else if *pr.Score > 75 {
				highN, highAb = highN+1, highAb+ab
			}
		}
	}
	if lowN == 0 || highN == 0 {
		t.Fatalf("%s: no project below 50 (%d) or above 75 (%d)", asOf, lowN, highN)
	}
	return
}

func roundPct(a, n int) int { return (200*a + n) / (2 * n) }

// TestDashboardCitesValidation: the dashboard's model section (#models)
// cites the published backtest with the figures of its files, once (the
// sample report holds one Project Health Index).
func TestDashboardCitesValidation(t *testing.T) {
	asOf, months, n, lowN, lowAb, highN, highAb := publishedFigure(t)
	want := map[string][]string{
		"en": {"Validation:", fmt.Sprintf("PHI below 50 as of %s: %d %% abandoned within %d months (%d of %d); above 75: %d %% (%d of %d).",
			asOf, roundPct(lowAb, lowN), months, lowAb, lowN, roundPct(highAb, highN), highAb, highN),
			fmt.Sprintf("Backtest of %d public repositories", n), "docs/validation.md"},
		"zh": {"回测验证：", fmt.Sprintf("PHI 低于 50（截至 %s）：%d 个月内停止维护 %d %%（%d 个中 %d 个）；高于 75：%d %%（%d 个中 %d 个）。",
			asOf, months, roundPct(lowAb, lowN), lowN, lowAb, roundPct(highAb, highN), highN, highAb),
			fmt.Sprintf("回测 %d 个公开仓库", n), "docs/validation.md"},
	}
	for lang, parts := range want {
		var buf bytes.Buffer
		if err := Write(&buf, sampleReport(t, lang)); err != nil {
			t.Fatal(err)
		}
		doc, err := xhtml.Parse(&buf)
		if err != nil {
			t.Fatal(err)
		}
		var cites []string
		var walk func(n *xhtml.Node, inModels bool)
		walk = func(n *xhtml.Node, inModels bool) {
			if n.Type == xhtml.ElementNode {
				for _, a := range n.Attr {
					if n.Data == "section" && a.Key == "id" && a.Val == "models" {
						inModels = true
					}
					if inModels && n.Data == "p" && a.Key == "class" && a.Val == "validation" {
						cites = append(cites, text(n))
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, inModels)
			}
		}
		walk(doc, false)
		if len(cites) != 1 {
			t.Fatalf("%s: %d citations in #models, want 1: %q", lang, len(cites), cites)
		}
		for _, p := range parts {
			if !strings.Contains(cites[0], p) {
				t.Errorf("%s: the citation %q lacks %q", lang, cites[0], p)
			}
		}
	}
}
