// Package manual records the facts an assessor states in the config
// (facts: {governance: foundation}) as observations, so that indicators no
// API can measure (governance neutrality, export-control exposure, contract
// SLA attainment) are scored from a named, traceable source.
package manual

import (
	"context"
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
	return len(t.Facts) > 0, "" // nothing stated: nothing to record, nothing to report
}

// Collect records each fact: numbers as values, anything else as text.
func (c *Collector) Collect(_ context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	keys := make([]string, 0, len(t.Facts))
	for k := range t.Facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	now := c.Now()
	var obs []models.Observation
	for _, k := range keys {
		v := strings.TrimSpace(t.Facts[k])
		o := models.Observation{SubjectID: t.Subject.ID, Metric: Name + "." + k, Source: Name, ObservedAt: now,
			Evidence: t.FactsSource + "." + k + " = " + v}
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			o.Value = models.Num(x)
		} else {
			o.Text = v
		}
		obs = append(obs, o)
	}
	return obs, collectors.Cost{RateRemaining: -1}, nil
}
