package validation

import (
	"strings"
	"testing"
	"testing/fstest"
)

// A hand-made backtest file: eight scored projects and one without a score.
//
//	score  outcome    band
//	10     abandoned  below 50
//	40     alive      below 50
//	49.9   abandoned  below 50
//	50     abandoned  neither (50 is not below 50)
//	75     alive      neither (75 is not above 75)
//	80     abandoned  above 75
//	90     alive      above 75
//	95     declining  above 75
//	null   abandoned  not counted
//
// Below 50: 3 projects, 2 abandoned: 2/3 = 66.7 % → 67 %.
// Above 75: 3 projects, 1 abandoned: 1/3 = 33.3 % → 33 %.
const handMade = `{"as_of": "2023-02-28", "horizon_months": 12,
 "model": {"id": "project-health", "version": "0.7.0"},
 "projects": [
  {"name": "a", "score": 10, "outcome": "abandoned"},
  {"name": "b", "score": 40, "outcome": "alive"},
  {"name": "c", "score": 49.9, "outcome": "abandoned"},
  {"name": "d", "score": 50, "outcome": "abandoned"},
  {"name": "e", "score": 75, "outcome": "alive"},
  {"name": "f", "score": 80, "outcome": "abandoned"},
  {"name": "g", "score": 90, "outcome": "alive"},
  {"name": "h", "score": 95, "outcome": "declining"},
  {"name": "i", "score": null, "outcome": "abandoned"}],
 "auc_abandoned": 0.8125, "left_out": {"count": 4}}`

func TestFiguresByHand(t *testing.T) {
	fsys := fstest.MapFS{
		"backtest-2023-02-28.json": {Data: []byte(handMade)},
		// an older date, with no project in either band
		"backtest-2021-02-28.json": {Data: []byte(`{"as_of": "2021-02-28", "horizon_months": 12, "projects": [{"name": "x", "score": 60, "outcome": "alive"}], "auc_abandoned": null, "left_out": {"count": 0}}`)},
		"notes.json":               {Data: []byte(`not read`)},
	}
	figs, err := Figures(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 2 || figs[0].AsOf != "2021-02-28" || figs[1].AsOf != "2023-02-28" {
		t.Fatalf("figures %+v: want 2021 then 2023", figs)
	}
	f := figs[1]
	if f.Projects != 8 || f.LeftOut != 4 || f.Below != (Band{3, 2}) || f.Above != (Band{3, 1}) {
		t.Fatalf("figure %+v: want 8 projects, 4 left out, below {3 2}, above {3 1}", f)
	}
	if f.Below.Pct() != 67 || f.Above.Pct() != 33 {
		t.Fatalf("pct below %d above %d: want 67 and 33", f.Below.Pct(), f.Above.Pct())
	}
	want := "PHI below 50 as of 2023-02-28: 67 % abandoned within 12 months (2 of 3); above 75: 33 % (1 of 3)." +
		" Backtest of 8 public repositories (PHI 0.7.0), AUC for abandonment 0.81; method and limits in docs/validation.md."
	if got := f.Sentence("en"); got != want {
		t.Errorf("en sentence\n got %q\nwant %q", got, want)
	}
	wantZh := "PHI 低于 50（截至 2023-02-28）：12 个月内停止维护 67 %（3 个中 2 个）；高于 75：33 %（3 个中 1 个）。" +
		"回测 8 个公开仓库（PHI 0.7.0），停止维护的 AUC 0.81；方法与局限见 docs/validation.md。"
	if got := f.Sentence("zh"); got != wantZh {
		t.Errorf("zh sentence\n got %q\nwant %q", got, wantZh)
	}
	// No project in a band: a dash, not 0 %; no AUC: not cited.
	old := figs[0].Sentence("en")
	if !strings.Contains(old, "below 50 as of 2021-02-28: — abandoned") || !strings.Contains(old, "above 75: — (0 of 0)") || strings.Contains(old, "AUC") {
		t.Errorf("empty bands: %q", old)
	}
}

func TestFiguresBadFile(t *testing.T) {
	for name, data := range map[string]string{
		"outcome":   `{"as_of": "2023-02-28", "horizon_months": 12, "projects": [{"name": "a", "score": 1, "outcome": "alive"}, {"name": "b", "score": 2, "outcome": "gone"}]}`,
		"as_of":     `{"horizon_months": 12, "projects": []}`,
		"malformed": `{"as_of": `,
	} {
		_, err := Figures(fstest.MapFS{"backtest-x.json": {Data: []byte(data)}})
		if err == nil || !strings.Contains(err.Error(), "backtest-x.json") {
			t.Errorf("%s: err %v, want one naming backtest-x.json", name, err)
		}
		if name == "outcome" && (err == nil || !strings.Contains(err.Error(), "projects[1] (b)")) {
			t.Errorf("outcome: err %v, want projects[1] (b) named", err)
		}
	}
}

// The embedded files are the published ones and read without error.
func TestEmbedded(t *testing.T) {
	figs, err := Figures(files)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) < 2 {
		t.Fatalf("%d backtest files embedded: the study publishes two dates", len(figs))
	}
	if _, ok := Headline(); !ok {
		t.Fatal("no headline")
	}
}
