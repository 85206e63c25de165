package assess

import (
	"fmt"
	"strings"

	"github.com/osgauge/osgauge/models"
)

// NoteOverrides says, on each indicator of res scored from an assessor's
// typed fact (source manual) while a measured metric listed after it also
// has data, that the fact overrides the measurement and what was measured:
// the model lists the typed fact first, so it wins (PHI SCJ-1, SCJ-4,
// SCJ-5); the report shows both. facts are the observations Score was
// given. Call it after Score.
func NoteOverrides(m *models.Model, res *models.Result, facts Facts) {
	metricsOf := map[string][]string{}
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			metricsOf[in.ID] = in.Metrics
		}
	}
	for i := range res.Indicators {
		ir := &res.Indicators[i]
		if ir.Source != "manual" || (ir.Raw == nil && ir.RawText == "") {
			continue
		}
		metrics := metricsOf[ir.ID]
		after := false
		for _, metric := range metrics {
			if metric == ir.Metric {
				after = true
				continue
			}
			if !after || strings.HasPrefix(metric, "manual.") {
				continue
			}
			o, ok := facts[metric]
			if !ok || !o.HasData() {
				continue
			}
			val := o.Text
			if o.Value != nil {
				val = fmt.Sprintf("%g", round4(*o.Value))
			} else {
				val = fmt.Sprintf("%q", val)
			}
			note := fmt.Sprintf("the typed fact overrides the measured %s = %s", metric, val)
			if o.Evidence != "" {
				note += " (" + o.Evidence + ")"
			}
			if ir.Evidence != "" {
				ir.Evidence += "; " + note
			} else {
				ir.Evidence = note
			}
			ir.Explanation += "; override: the typed fact wins over " + metric + " = " + val
			break
		}
	}
}
