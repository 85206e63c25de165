package config

import (
	"strings"
	"testing"
)

// facts: may be dated by as_of (YYYY-MM-DD); a bad date is refused with
// the file, line and key.
func TestFactsAsOf(t *testing.T) {
	c, err := Parse("bank.yaml", []byte(`projects:
  - name: karmada
    repo: https://github.com/karmada-io/karmada
    facts: {as_of: 2025-10-01, governance: foundation}
suppliers:
  - name: Acme
    facts: {sla_attainment_pct: "99.4"}
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Projects[0].Facts[FactsAsOf]; got != "2025-10-01" {
		t.Errorf("as_of = %q", got)
	}
	_, err = Parse("bank.yaml", []byte(`projects:
  - name: karmada
    repo: https://github.com/karmada-io/karmada
    facts:
      governance: foundation
      as_of: 1 Oct 2025
`))
	want := `bank.yaml: line 6: projects[karmada].facts.as_of must be a date written YYYY-MM-DD, got "1 Oct 2025"`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("bad as_of: %v, want %q", err, want)
	}
}
