package config

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

// A support tier that is not a grade of the supplier model is caught when
// the models are loaded, before any collection, naming the file and the
// line: "gold" on line 4 below (line 1 is "projects:"). The built-in
// supplier model's grades are strategic, preferred, conditional,
// not-approved.
func TestSupportTierCheckedAgainstTheSupplierModel(t *testing.T) {
	set, err := models.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	yaml := `projects:
  - {name: lib, repo: https://github.com/acme/lib}
continuity:
  support_tier: gold
`
	c, err := Parse("bank.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err) // the config alone is valid: the tier needs the model
	}
	err = c.CheckContinuity(set)
	want := `bank.yaml: line 4: continuity.support_tier: "gold" is not a grade of model supplier`
	if err == nil || !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), "(grades: strategic, preferred, conditional, not-approved)") {
		t.Fatalf("err = %v, want %s … (grades: …)", err, want)
	}
	// Each grade of the model passes; no tier means the default, preferred.
	for _, tier := range []string{"strategic", "conditional", ""} {
		c.Continuity.SupportTier = tier
		if err := c.CheckContinuity(set); err != nil {
			t.Errorf("tier %q: %v", tier, err)
		}
	}
	// A config's own supplier model with other grades: preferred is not one.
	own := &models.Model{ID: "supplier", Version: "1.0.0", Subject: models.KindSupplier, Grades: []models.Grade{{ID: "gold", Min: 70}, {ID: "silver", Min: 0}}}
	c.Continuity.SupportTier = ""
	if err := c.CheckContinuity(models.Set{"supplier": own}); err == nil || !strings.Contains(err.Error(), `continuity.support_tier: "preferred" is not a grade of model supplier 1.0.0 (grades: gold, silver)`) {
		t.Errorf("own model: %v", err)
	}
	c.Continuity.SupportTier = "gold"
	if err := c.CheckContinuity(models.Set{"supplier": own}); err != nil {
		t.Errorf("own model, gold: %v", err)
	}
}

// Country codes of the home jurisdiction and of a supplier's jurisdiction
// are checked when the config loads, with their lines.
func TestContinuityCountryCodes(t *testing.T) {
	yaml := `projects:
  - {name: lib, repo: https://github.com/acme/lib}
suppliers:
  - {name: Acme, jurisdiction: CN, supports: [lib]}
  - {name: Beta, jurisdiction: usa, supports: [lib]}
continuity: {home_jurisdiction: cn}
`
	_, err := Parse("bank.yaml", []byte(yaml))
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`line 5: suppliers[Beta].jurisdiction must be an ISO 3166-1 alpha-2 country code such as CN, got "usa"`,
		`line 6: continuity.home_jurisdiction must be an ISO 3166-1 alpha-2 country code such as CN, got "cn"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("err = %v\nwant %s", err, want)
		}
	}
	if strings.Contains(err.Error(), "suppliers[Acme]") {
		t.Errorf("CN refused: %v", err)
	}
}
