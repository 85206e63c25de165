package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/osgauge/osgauge/internal/yamlpos"
)

// FactsAsOf is the reserved key of a facts: block that dates its facts
// (facts: {as_of: 2025-10-01, governance: foundation}): the day the
// assessor established them. The facts are observed on that day and age
// from it (the models' evidence_max_age for manual facts); a block without
// as_of is dated at each collection, as before as_of existed.
const FactsAsOf = "as_of"

// validateFacts checks the as_of of every project's and supplier's facts.
func (c *Config) validateFacts(doc yamlpos.Doc) []string {
	var errs []string
	check := func(kind string, i int, name string, facts map[string]string) {
		s, ok := facts[FactsAsOf]
		if !ok {
			return
		}
		if _, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err != nil {
			errs = append(errs, doc.At(kind, fmt.Sprint(i), "facts", FactsAsOf)+
				fmt.Sprintf("%s[%s].facts.as_of must be a date written YYYY-MM-DD, got %q", kind, name, s))
		}
	}
	for i, p := range c.Projects {
		check("projects", i, p.Name, p.Facts)
	}
	for i, s := range c.Suppliers {
		check("suppliers", i, s.Name, s.Facts)
	}
	return errs
}
