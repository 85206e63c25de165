package models

import (
	"strings"
	"testing"
)

// A staged domain with practices at levels 2 and 4 but none at 3: the
// ladder rule would count level 3 as passed, so the model is refused with
// the domain's line, its id and the empty level.
func TestLadderWithAnEmptyLevelIsRefused(t *testing.T) {
	src := `id: s
version: "1"
kind: staged
subject: institution
pass_evidence: 3
levels: [{level: 1}, {level: 2}, {level: 3}, {level: 4}, {level: 5}]
dimensions:
  - id: D1
    weight: 50
    indicators:
      - {id: p1, level: 2, metrics: [manual.p1], normalize: {evidence: true}, clause: c}
      - {id: p2, level: 3, metrics: [manual.p2], normalize: {evidence: true}, clause: c}
  - id: D2
    weight: 50
    indicators:
      - {id: q1, level: 2, metrics: [manual.q1], normalize: {evidence: true}, clause: c}
      - {id: q3, level: 4, metrics: [manual.q3], normalize: {evidence: true}, clause: c}
`
	_, err := Parse("ladder.yaml", []byte(src))
	if err == nil {
		t.Fatal("a ladder with an empty level 3 in D2 was accepted")
	}
	msg := err.Error()
	// D2 starts on line 13 ("  - id: D2"); D1 (levels 2, 3) is complete.
	want := "line 13: domain D2: level 3 has no practice"
	if !strings.Contains(msg, "ladder.yaml") || !strings.Contains(msg, want) {
		t.Errorf("error %q does not contain %q", msg, want)
	}
	if strings.Contains(msg, "domain D1") {
		t.Errorf("complete domain D1 reported: %q", msg)
	}
}

// Level 1 (ad hoc) is the floor and needs no practice; a domain whose
// practices start at level 2 and have no gap is valid. A domain whose first
// practice is at level 3 leaves level 2 empty and is refused.
func TestLadderLevelOneNeedsNoPractice(t *testing.T) {
	base := `id: s
version: "1"
kind: staged
subject: institution
pass_evidence: 3
levels: [{level: 1}, {level: 2}, {level: 3}]
dimensions:
  - id: D1
    weight: 100
    indicators:
`
	ok := base + "      - {id: p2, level: 2, metrics: [manual.p2], normalize: {evidence: true}, clause: c}\n" +
		"      - {id: p3, level: 3, metrics: [manual.p3], normalize: {evidence: true}, clause: c}\n"
	if _, err := Parse("ok.yaml", []byte(ok)); err != nil {
		t.Fatalf("a ladder from level 2 up was refused: %v", err)
	}
	bad := base + "      - {id: p3, level: 3, metrics: [manual.p3], normalize: {evidence: true}, clause: c}\n"
	_, err := Parse("bad.yaml", []byte(bad))
	if err == nil || !strings.Contains(err.Error(), "line 8: domain D1: level 2 has no practice") {
		t.Fatalf("level 2 empty below level 3: err = %v", err)
	}
}

// The built-in GMI: every core domain has at least one practice at each of
// levels 2 to 5, so level 5 is reachable in every core domain.
func TestBuiltinGMICoreDomainsReachLevel5(t *testing.T) {
	m, err := Builtin(GovernanceMaturity)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range m.Dimensions {
		if !d.Core {
			continue
		}
		has := map[int][]string{}
		for _, in := range d.Indicators {
			has[in.Level] = append(has[in.Level], in.ID)
		}
		for n := 2; n <= 5; n++ {
			if len(has[n]) == 0 {
				t.Errorf("core domain %s has no practice at level %d", d.ID, n)
			}
		}
	}
}
