// Package i18n is the one zh/en text catalogue that collectors and reports
// share: an entry per key in English and Chinese and one lookup. It knows
// no report and no collector, so both may import it (collectors never
// import reports). Report labels register here from reports/labels; the
// questionnaire templates' labels live here (questionnaire.go), because
// both the questionnaire collector and the reports read them.
//
// The name: it holds text in two languages and nothing else. "vocab"
// was the other candidate, but models/vocab.go already names the data
// vocabulary (subjects, observations, results).
package i18n

import "fmt"

// Entry holds a label in English and Chinese.
type Entry struct{ En, Zh string }

var catalogue = map[string]Entry{}

// Register adds keys; a duplicate key is a programming error, caught at
// start-up whichever package registered the first one.
func Register(m map[string]Entry) {
	for k, v := range m {
		if _, dup := catalogue[k]; dup {
			panic(fmt.Sprintf("i18n: duplicate key %q", k))
		}
		catalogue[k] = v
	}
}

// T returns the label for key in lang ("zh" or "en"). An unknown key
// returns the key itself, so a missing label is visible, never blank.
func T(lang, key string) string {
	e, ok := catalogue[key]
	if !ok {
		return key
	}
	if lang == "zh" && e.Zh != "" {
		return e.Zh
	}
	return e.En
}

// Has reports whether key is in the catalogue.
func Has(key string) bool { _, ok := catalogue[key]; return ok }
