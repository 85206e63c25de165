package html

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

// A result between two grades shows them, its range and the missing data
// that would narrow it; one graded on partial data says so.
func TestBoundsShown(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		r := sampleReport(t, lang)
		thin := &r.Subjects[2].Results[0]
		thin.ScoreRange, thin.GradeRange = []float64{12, 70}, []string{"D", "B"}
		thin.Missing = []models.MissingIndicator{{ID: "RSP-1", Dimension: "RSP", Metrics: []string{"forge.issue_first_response_days"}, Swing: 4, Sources: []string{"github"}}}
		bad := &r.Subjects[1].Results[0]
		bad.Partial, bad.ScoreRange = true, []float64{11, 62.1}
		// Project details are drawn by the script from the embedded data:
		// look in the whole page, data included.
		out := renderHTML(t, r)
		doc, _ := parse(t, out)
		want := map[string][]string{
			"en": {"D–B, undecided", "graded on partial data", "12.0–70.0", "11.0–62.1", "GitHub collector (network and a token)", "±4.0",
				"Projects undecided: 1 (1 between D and B). The missing data that would decide them comes mostly from GitHub collector (network and a token)."}, // issue 26: one word
			"zh": {"D–B，未定级", "部分数据定级", "12.0–70.0", "GitHub 采集器（需网络与令牌）"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: dashboard lacks %q", lang, w)
			}
		}
		row := projectRow(t, doc, "thin-data")
		if got, w := text(elements(row, "td")[3]), want[0]; got != w {
			t.Errorf("%s: grade cell %q, want %q", lang, got, w)
		}
	}
}
