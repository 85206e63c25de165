package reports

import (
	"time"

	"github.com/osgauge/osgauge/models"
)

// DatedEvidence is an indicator's evidence with the day it was observed in
// front ("2026-03-01 · git log …"), as every report shows it, so a reader
// sees how old each piece of evidence is; the evidence alone when the
// result carries no date (results stored before dates existed).
func DatedEvidence(ir models.IndicatorResult) string {
	if ir.ObservedAt == nil || ir.ObservedAt.IsZero() {
		return ir.Evidence
	}
	day := ir.ObservedAt.UTC().Format(time.DateOnly)
	if ir.Evidence == "" {
		return day
	}
	return day + " · " + ir.Evidence
}
