package models

import (
	"strings"
	"testing"
)

// Issue 22 item 11: negative weights are refused, naming the file, the
// line and the key path. The profile's weights add up to 100 (110 − 10),
// which the sum check alone let through.
func TestNegativeWeightsRefused(t *testing.T) {
	src := `id: x
version: "1"
subject: project
grades: [{id: A, min: 0}]
profiles:
  deep:
    name: {en: deep}
    dimensions: {D: 110, E: -10}
dimensions:
  - id: D
    weight: 60
    indicators:
      - {id: I, metrics: [manual.m1], normalize: {bool: true}, weight: -1, clause: c}
  - id: E
    weight: 40
    indicators:
      - {id: J, metrics: [manual.m2], normalize: {bool: true}, weight: 1, clause: c}
modifiers:
  - {id: M, metrics: [manual.m3], normalize: {bool: true}, weight: -5, clause: c}
`
	_, err := Parse("my-phi.yaml", []byte(src))
	if err == nil {
		t.Fatal("negative weights accepted")
	}
	for _, want := range []string{
		"my-phi.yaml: invalid model",
		"line 8: profiles.deep.dimensions.E: profile deep: weight of dimension E must not be negative, got -10",
		"line 13: dimensions[0].indicators[0].weight: indicator I: weight must not be negative, got -1",
		"line 19: modifiers[0].weight: indicator M: weight must not be negative, got -5",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// A negative dimension weight.
	_, err = Parse("m.yaml", []byte(strings.Replace(src, "weight: 40", "weight: -40", 1)))
	if err == nil || !strings.Contains(err.Error(), "dimensions[1].weight: dimension E: weight must not be negative, got -40") {
		t.Errorf("negative dimension weight: %v", err)
	}
}
