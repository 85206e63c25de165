package gitlocal

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/models"
)

// sourceAvailableTexts recognise the source-available licences whose texts
// the licence scanner (licensecheck) does not know, by the wording each
// text carries (words lower-cased and spaces collapsed first). They are
// asked only when the scanner recognised no licence in the file.
var sourceAvailableTexts = []struct {
	id  string
	all []string // every phrase must occur
}{
	// MariaDB's Business Source License: a parameters block with a Change
	// Date and a Change License.
	{"BUSL-1.1", []string{"business source license", "change date", "change license"}},
	{"Elastic-2.0", []string{"elastic license 2.0", "you may not provide the software to third parties as a hosted or managed service"}},
	{"Confluent-Community-1.0", []string{"confluent community license agreement"}},
	// Sentry's Functional Source License, with its future licence.
	{"FSL-1.1-ALv2", []string{"functional source license", "apache license, version 2.0"}},
	{"FSL-1.1-MIT", []string{"functional source license"}},
	{"PolyForm-Shield-1.0.0", []string{"polyform shield license 1.0.0"}},
	{"PolyForm-Perimeter-1.0.0", []string{"polyform perimeter license 1.0.0"}},
	{"PolyForm-Internal-Use-1.0.0", []string{"polyform internal use license 1.0.0"}},
	{"PolyForm-Strict-1.0.0", []string{"polyform strict license 1.0.0"}},
	{"PolyForm-Free-Trial-1.0.0", []string{"polyform free trial license 1.0.0"}},
	{"PolyForm-Noncommercial-1.0.0", []string{"polyform noncommercial license 1.0.0"}},
	{"PolyForm-Small-Business-1.0.0", []string{"polyform small business license 1.0.0"}},
	{"SSPL-1.0", []string{"server side public license", "service source code"}},
}

// sourceAvailableIDs are the ids above that the licence class table
// (licenses.Class) does not list yet; they are source-available all the
// same.
var sourceAvailableIDs = map[string]bool{}

func init() {
	for _, t := range sourceAvailableTexts {
		if license.Class(t.id) != license.SourceAvailable {
			sourceAvailableIDs[t.id] = true
		}
	}
}

var spaces = regexp.MustCompile(`\s+`)

// sourceAvailableText is the source-available licence a text the scanner
// did not recognise declares, or "".
func sourceAvailableText(data []byte) string {
	text := spaces.ReplaceAllString(strings.ToLower(string(data)), " ")
	for _, t := range sourceAvailableTexts {
		ok := true
		for _, p := range t.all {
			if !strings.Contains(text, p) {
				ok = false
				break
			}
		}
		if ok {
			return t.id
		}
	}
	return ""
}

// isSourceAvailable reports whether a licence id is a source-available one
// (BUSL, SSPL, Elastic, the Commons Clause, Confluent Community, PolyForm,
// FSL).
func isSourceAvailable(id string) bool {
	return license.Class(id) == license.SourceAvailable || sourceAvailableIDs[id]
}

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
