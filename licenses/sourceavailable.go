package licenses

import (
	"regexp"
	"strings"
)

// The source-available licences: published source, but terms that restrict
// use (production use, hosting for others, competing products, commercial
// use), so none is OSI-approved. Each is classed SourceAvailable.
var sourceAvailableIDs = []string{
	"BUSL-1.1", "Elastic-2.0", "SSPL-1.0", "LicenseRef-Commons-Clause", "Confluent-Community-1.0",
	"FSL-1.1-ALv2", "FSL-1.1-MIT",
	"PolyForm-Noncommercial-1.0.0", "PolyForm-Small-Business-1.0.0", "PolyForm-Shield-1.0.0", "PolyForm-Perimeter-1.0.0",
	"PolyForm-Internal-Use-1.0.0", "PolyForm-Strict-1.0.0", "PolyForm-Free-Trial-1.0.0",
	"CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-NC-ND-4.0",
	// Redis 7.4–7.8 (2024): not in the SPDX list.
	"LicenseRef-RSALv2",
}

// sourceAvailableTexts recognise the source-available licences whose texts
// the licence scanner (github.com/google/licensecheck) does not know, by
// the wording each text carries (words lower-cased and spaces collapsed
// first). The first entry whose phrases all occur wins, so the more
// specific entries come first.
var sourceAvailableTexts = []struct {
	id  string
	all []string // every phrase must occur
}{
	// MariaDB's Business Source License (HashiCorp, CockroachDB, Sentry
	// before FSL…): a parameters block with a Change Date and a Change
	// License.
	{"BUSL-1.1", []string{"business source license", "change date", "change license"}},
	{"Elastic-2.0", []string{"elastic license 2.0", "you may not provide the software to third parties as a hosted or managed service"}},
	{"Confluent-Community-1.0", []string{"confluent community license agreement"}},
	// Sentry's Functional Source License, with its future licence.
	{"FSL-1.1-ALv2", []string{"functional source license", "apache license, version 2.0"}},
	{"FSL-1.1-ALv2", []string{"functional source license", "apache 2.0 future license"}},
	{"FSL-1.1-MIT", []string{"functional source license"}},
	{"PolyForm-Shield-1.0.0", []string{"polyform shield license 1.0.0"}},
	{"PolyForm-Perimeter-1.0.0", []string{"polyform perimeter license 1.0.0"}},
	{"PolyForm-Internal-Use-1.0.0", []string{"polyform internal use license 1.0.0"}},
	{"PolyForm-Strict-1.0.0", []string{"polyform strict license 1.0.0"}},
	{"PolyForm-Free-Trial-1.0.0", []string{"polyform free trial license 1.0.0"}},
	{"PolyForm-Noncommercial-1.0.0", []string{"polyform noncommercial license 1.0.0"}},
	{"PolyForm-Small-Business-1.0.0", []string{"polyform small business license 1.0.0"}},
	// Redis's dual RSALv2 / SSPL file names RSALv2 first.
	{"LicenseRef-RSALv2", []string{"redis source available license 2.0"}},
	{"SSPL-1.0", []string{"server side public license", "service source code"}},
}

// scancodeKeys are ScanCode's names for source-available licences whose
// key is not the SPDX id lower-cased (SBOM tools write them as
// LicenseRef-scancode-KEY).
var scancodeKeys = map[string]string{
	"elastic-license-v2": "Elastic-2.0", "bsl-1.1": "BUSL-1.1", "commons-clause": "LicenseRef-Commons-Clause",
	"sspl-1.0": "SSPL-1.0", "confluent-community-1.0": "Confluent-Community-1.0", "rsalv2": "LicenseRef-RSALv2",
	"redis-source-available-2.0": "LicenseRef-RSALv2",
}

func init() {
	// SBOMs name the licences SPDX does not list as LicenseRef-… (Apache's
	// policy writes LicenseRef-Confluent-Community-1.0): read them as the
	// ids above.
	for _, id := range sourceAvailableIDs {
		if !strings.HasPrefix(id, "LicenseRef-") {
			deprecated["LicenseRef-"+id] = id
			deprecated["LicenseRef-scancode-"+strings.ToLower(id)] = id
		}
	}
	for k, id := range scancodeKeys {
		deprecated["LicenseRef-scancode-"+k] = id
	}
}

var spaces = regexp.MustCompile(`\s+`)

// SourceAvailableText is the source-available licence a licence file's
// text declares, recognised by its wording, or "". It is meant for texts a
// licence scanner did not recognise: it looks for the phrases each licence
// carries, not for the whole text.
func SourceAvailableText(text []byte) string {
	s := spaces.ReplaceAllString(strings.ToLower(string(text)), " ")
	for _, t := range sourceAvailableTexts {
		ok := true
		for _, p := range t.all {
			if !strings.Contains(s, p) {
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

// IsSourceAvailable reports whether a licence id (canonical or not, with or
// without an exception) is a source-available one: BUSL, SSPL, Elastic,
// the Commons Clause, Confluent Community, FSL, PolyForm, CC non-commercial.
func IsSourceAvailable(id string) bool { return Class(id) == SourceAvailable }
