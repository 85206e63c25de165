// Package manual records the facts an assessor states in the config
// (facts: {governance: foundation}) as observations, so that indicators no
// API can measure (governance neutrality, export-control exposure, contract
// SLA attainment) are scored from a named, traceable source. A facts block
// may be dated (as_of: 2025-10-01): its facts are then observed on that day
// and age from it.
package manual

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// Name is the source name of manual observations.
const Name = "manual"

// Collector turns config facts into observations.
type Collector struct{ Now func() time.Time }

// New returns a manual-facts collector.
func New() *Collector { return &Collector{Now: time.Now} }

func (c *Collector) Name() string            { return Name }
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{} }

func (c *Collector) Applies(t collectors.Target) (bool, string) {
	return len(factKeys(t.Facts)) > 0, "" // nothing stated: nothing to record, nothing to report
}

// AsOfKey is the reserved key of a facts: block that dates its facts
// (as_of: 2025-10-01): the day the assessor established them.
const AsOfKey = "as_of"

// ParseAsOf reads an as_of date (YYYY-MM-DD) as the start of that day, UTC.
func ParseAsOf(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("as_of must be a date written YYYY-MM-DD, got %q", s)
	}
	return d, nil
}

// Collect records each fact: numbers as values, anything else as text.
// Facts dated by as_of are observed on that day, so they age from it and
// the model's evidence_max_age for manual facts can retire them; facts
// without as_of are observed at this collection (as before as_of existed:
// they never age), and their evidence says so.
func (c *Collector) Collect(_ context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	keys := factKeys(t.Facts)
	now := c.Now()
	at, dated := now, ""
	if s, ok := t.Facts[AsOfKey]; ok {
		d, err := ParseAsOf(s)
		if err != nil {
			return nil, collectors.Cost{RateRemaining: -1}, fmt.Errorf("%s.%s: %w", t.FactsSource, AsOfKey, err)
		}
		if d.After(now) {
			return nil, collectors.Cost{RateRemaining: -1}, fmt.Errorf("%s.%s: %s is after the collection time %s: facts cannot be dated in the future",
				t.FactsSource, AsOfKey, d.Format(time.DateOnly), now.UTC().Format(time.DateOnly))
		}
		at, dated = d, " (as of "+d.Format(time.DateOnly)+")"
	} else {
		dated = " (no as_of: dated at this collection)"
	}
	var obs []models.Observation
	for _, k := range keys {
		v := strings.TrimSpace(t.Facts[k])
		o := models.Observation{SubjectID: t.Subject.ID, Metric: Name + "." + k, Source: Name, ObservedAt: at,
			Evidence: t.FactsSource + "." + k + " = " + v + dated}
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			o.Value = models.Num(x)
		} else {
			o.Text = v
		}
		obs = append(obs, o)
	}
	return obs, collectors.Cost{RateRemaining: -1}, nil
}

// factKeys are the facts' keys, sorted, without as_of.
func factKeys(facts map[string]string) []string {
	keys := make([]string, 0, len(facts))
	for k := range facts {
		if k != AsOfKey {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}
