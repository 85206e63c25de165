package gitlocal

import (
	"fmt"
	"strings"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
)

// sourceAvailableText is the source-available licence a text the scanner
// did not recognise declares, or "" (licenses.SourceAvailableText, which
// the licence collector uses as well).
func sourceAvailableText(data []byte) string { return licenses.SourceAvailableText(data) }

// isSourceAvailable reports whether a licence id is a source-available one
// (BUSL, SSPL, Elastic, the Commons Clause, Confluent Community, PolyForm,
// FSL): licenses.IsSourceAvailable, one table for every collector.
func isSourceAvailable(id string) bool { return licenses.IsSourceAvailable(id) }

// licenceIDs are the licence ids in a declared state ("Apache-2.0 AND
// LicenseRef-Commons-Clause OR MIT"), without the operators; none for
// licenceNone, licenceUnrecognised stays a word of its own.
func licenceIDs(expr string) []string {
	var ids []string
	for _, f := range strings.Fields(strings.NewReplacer("(", " ", ")", " ").Replace(expr)) {
		switch f {
		case "AND", "OR", "WITH", licenceNone:
			continue
		}
		ids = append(ids, f)
	}
	return ids
}

// toSourceAvailable is the source-available licences a change brings that
// the licence before it did not have ("" when none).
func (l licenceEvent) toSourceAvailable() []string {
	before := map[string]bool{}
	for _, id := range licenceIDs(l.before) {
		before[id] = true
	}
	var out []string
	for _, id := range licenceIDs(l.after) {
		if isSourceAvailable(id) && !before[id] {
			out = append(out, id)
		}
	}
	return out
}

// sourceAvailableObservation records whether, within 36 months, the
// declared licence changed to a source-available one, naming each such
// change (commit, date, before → after).
func (h *history) sourceAvailableObservation(obs func(string, float64, string, string) models.Observation) models.Observation {
	var parts []string
	for _, l := range h.licence {
		if ids := l.toSourceAvailable(); len(ids) > 0 {
			parts = append(parts, fmt.Sprintf("%s → %s in %s %s (source-available: %s)", l.before, l.after, short(l.hash), day(l.when), strings.Join(ids, ", ")))
		}
	}
	if len(parts) == 0 {
		return obs(MetricRelicensedSourceAvailable36m, 0, "bool",
			fmt.Sprintf("no change of the declared licence to a source-available licence (BUSL, SSPL, Elastic, Commons Clause, Confluent Community, PolyForm, FSL) committed since %s (%s of the declared licence in all)",
				day(h.cutoff36), plural(len(h.licence), "change", "changes")))
	}
	if len(parts) > maxLicenceChangesInProof {
		parts = append(parts[:maxLicenceChangesInProof], fmt.Sprintf("…%d more", len(parts)-maxLicenceChangesInProof))
	}
	return obs(MetricRelicensedSourceAvailable36m, 1, "bool",
		fmt.Sprintf("the declared licence changed to a source-available licence since %s: %s", day(h.cutoff36), strings.Join(parts, ", ")))
}
