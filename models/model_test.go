package models

import (
	"strings"
	"testing"
)

func TestBuiltinModelsParse(t *testing.T) {
	for _, id := range BuiltinIDs() {
		m, err := Builtin(id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if m.ID != id || !strings.HasPrefix(m.Hash, "sha256:") {
			t.Errorf("%s: id %q hash %q", id, m.ID, m.Hash)
		}
		for _, ind := range m.IndicatorIDs() {
			if m.Indicator(ind).Clause == "" {
				t.Errorf("%s: %s has no clause", id, ind)
			}
		}
	}
	if got := BuiltinIDs(); strings.Join(got, ",") != "governance-maturity,project-health,supplier" {
		t.Errorf("builtin ids = %v", got)
	}
}

func TestParseErrorsNameTheLine(t *testing.T) {
	cases := []struct{ name, yaml, want string }{
		{"unknown key", "id: x\nversion: 1\nsubject: project\nbogus: 1\n", "line 4: field bogus not found"},
		{"duplicate id", `id: x
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: D
    weight: 1
    indicators:
      - {id: I, metrics: [m], normalize: {bool: true}, weight: 1, clause: c}
      - {id: I, metrics: [m], normalize: {bool: true}, weight: 1, clause: c}
`, `line 10: duplicate id "I"`},
		{"two normalisations", `id: x
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: D
    weight: 1
    indicators:
      - {id: I, metrics: [m], normalize: {bool: true, log: {threshold: 5}}, weight: 1, clause: c}
`, "line 9: indicator I: exactly one normalisation"},
		{"bad bands", `id: x
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: D
    weight: 1
    indicators:
      - id: I
        metrics: [m]
        normalize: {bands: [{min: 3, score: 1}, {min: 1, score: 0.5}]}
        weight: 1
        clause: c
`, "band mins must increase"},
		{"grades out of order", `id: x
version: "1"
subject: project
grades: [{id: B, min: 50}, {id: A, min: 80}]
dimensions:
  - id: D
    weight: 1
    indicators:
      - {id: I, metrics: [m], normalize: {bool: true}, weight: 1, clause: c}
`, "line 4: grades must be listed best first"},
		{"unknown metric", `id: x
version: "1"
subject: project
grades: [{id: A, min: 0}]
dimensions:
  - id: D
    weight: 100
    indicators:
      - id: I
        metrics: [gitlocal.comits_per_week]
        normalize: {bool: true}
        weight: 1
        clause: c
`, `line 10: unknown metric "gitlocal.comits_per_week" (gitlocal records: authors_12m`},
		{"weights do not add up", `id: x
version: "1"
subject: project
grades: [{id: A, min: 0}]
profiles:
  deep: {dimensions: {D: 90}}
dimensions:
  - id: D
    weight: 80
    indicators:
      - {id: I, metrics: [manual.x], normalize: {bool: true}, weight: 1, clause: c}
`, "dimension weights add up to 80, not 100"},
	}
	for _, c := range cases {
		_, err := Parse("my.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "my.yaml: ") {
			t.Errorf("%s: err = %v, want it to contain %q", c.name, err, c.want)
		}
	}
}
