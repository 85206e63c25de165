package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/internal/yamlpos"
	"github.com/osgauge/osgauge/models"
)

// Continuity is the config's continuity section. SupportTier is the
// lowest supplier grade (an id of the supplier model's grades, default
// DefaultSupportTier) at which a supplier supporting a project counts as
// qualified support; HomeJurisdiction is the institution's own country
// (ISO 3166-1 alpha-2, default DefaultHomeJurisdiction), against which a
// project's forge host and foundation seat, and a supporting supplier's
// jurisdiction (suppliers[].jurisdiction), count as abroad.
type Continuity struct {
	SupportTier      string `yaml:"support_tier"`
	HomeJurisdiction string `yaml:"home_jurisdiction"`

	// tierAt is "line N: " of support_tier in the file, for CheckContinuity.
	tierAt string
}

// Continuity defaults: a supplier graded preferred or better (SEI ≥ 65)
// is qualified support; home is China (JR/T 0290/0291, 银办发〔2021〕146号).
const (
	DefaultSupportTier      = "preferred"
	DefaultHomeJurisdiction = "CN"
)

var countryCode = regexp.MustCompile(`^[A-Z]{2}$`)

// validateContinuity checks the country codes of the continuity section
// and of the suppliers, and notes where support_tier is written (a grade
// of the supplier model, which only CheckContinuity can judge: the model
// may be the config's own, loaded after the config).
func (c *Config) validateContinuity(doc yamlpos.Doc) []string {
	var errs []string
	c.Continuity.tierAt = doc.At("continuity", "support_tier")
	if h := c.Continuity.HomeJurisdiction; h != "" && !countryCode.MatchString(h) {
		errs = append(errs, doc.At("continuity", "home_jurisdiction")+fmt.Sprintf("continuity.home_jurisdiction must be an ISO 3166-1 alpha-2 country code such as CN, got %q", h))
	}
	for i, s := range c.Suppliers {
		if j := s.Jurisdiction; j != "" && !countryCode.MatchString(j) {
			errs = append(errs, doc.At("suppliers", strconv.Itoa(i), "jurisdiction")+
				fmt.Sprintf("suppliers[%s].jurisdiction must be an ISO 3166-1 alpha-2 country code such as CN, got %q", s.Name, j))
		}
	}
	return errs
}

// CheckContinuity checks continuity.support_tier against the grades of
// the supplier model of set (the built-in one or the config's models:
// override): a tier that is not one of its grades is an error naming the
// file, the line and the grades. Call it right after the models are
// loaded, before anything is collected. A set without a supplier model
// has nothing to check against.
func (c *Config) CheckContinuity(set models.Set) error {
	tier := strings.TrimSpace(c.Continuity.SupportTier)
	if tier == "" {
		tier = DefaultSupportTier
	}
	ms := set.For(models.KindSupplier)
	if len(ms) == 0 {
		return nil
	}
	m := ms[0]
	var ids []string
	for _, g := range m.Grades {
		if g.ID == tier {
			return nil
		}
		ids = append(ids, g.ID)
	}
	name := c.Path
	if name == "" {
		name = "config"
	}
	return fmt.Errorf("%s: %scontinuity.support_tier: %q is not a grade of model %s %s (grades: %s)",
		name, c.Continuity.tierAt, tier, m.ID, m.Version, strings.Join(ids, ", "))
}
