package scorecard

import (
	"context"
	"fmt"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// PerProject runs each project in the Scorecard mode its config names
// (subject attribute "scorecard_mode"), else in the default mode.
type PerProject struct {
	Default string
	Modes   map[string]collectors.Collector
}

// NewPerProject builds the collectors for every mode and picks per target.
func NewPerProject(defaultMode string, github GitHubOptions, gitlab GitLabOptions, api APIOptions) (*PerProject, error) {
	p := &PerProject{Default: defaultMode, Modes: map[string]collectors.Collector{}}
	for _, mode := range []string{"local", "github", "gitlab", "api"} {
		c, err := ForMode(mode, github, gitlab, api)
		if err != nil {
			if mode == defaultMode {
				return nil, err
			}
			continue // a mode nobody asked for may be unconfigured
		}
		p.Modes[mode] = c
	}
	return p, nil
}

func (p *PerProject) pick(t collectors.Target) (collectors.Collector, error) {
	mode := t.Subject.Attrs["scorecard_mode"]
	if mode == "" {
		mode = p.Default
	}
	c, ok := p.Modes[mode]
	if !ok {
		return nil, fmt.Errorf("scorecard mode %q is not available (check github.api_url, forges and scorecard.api_url)", mode)
	}
	return c, nil
}

func (p *PerProject) Name() string { return Name }

// Needs reports the default mode's needs.
func (p *PerProject) Needs() collectors.Needs {
	if c, ok := p.Modes[p.Default]; ok {
		return c.Needs()
	}
	return collectors.Needs{}
}

func (p *PerProject) Applies(t collectors.Target) (bool, string) {
	c, err := p.pick(t)
	if err != nil {
		return false, err.Error()
	}
	return c.Applies(t)
}

func (p *PerProject) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	c, err := p.pick(t)
	if err != nil {
		return nil, collectors.Cost{RateRemaining: -1}, err
	}
	return c.Collect(ctx, t)
}

// noHistory is why Scorecard cannot be run as of a past date: its checks
// read the repository and its settings as they are now.
func noHistory(t collectors.Target) (bool, string) {
	if t.AsOf.IsZero() {
		return true, ""
	}
	return false, "Scorecard's checks read the repository and its settings as they are now (branch protection, workflows, tokens, the published score), which have no history; skipped as of " + collectors.AsOfDay(t.AsOf)
}

// AsOf reports that Scorecard cannot compute as of a past date.
func (p *PerProject) AsOf(t collectors.Target) (bool, string) { return noHistory(t) }

// AsOf reports that Scorecard cannot compute as of a past date.
func (c *Collector) AsOf(t collectors.Target) (bool, string) { return noHistory(t) }

// AsOf reports that Scorecard cannot compute as of a past date.
func (c *GitHubCollector) AsOf(t collectors.Target) (bool, string) { return noHistory(t) }

// AsOf reports that Scorecard cannot compute as of a past date.
func (c *GitLabCollector) AsOf(t collectors.Target) (bool, string) { return noHistory(t) }

// AsOf reports that Scorecard cannot compute as of a past date.
func (c *APICollector) AsOf(t collectors.Target) (bool, string) { return noHistory(t) }

var (
	_ collectors.Historian = (*PerProject)(nil)
	_ collectors.Historian = (*Collector)(nil)
	_ collectors.Historian = (*GitHubCollector)(nil)
	_ collectors.Historian = (*GitLabCollector)(nil)
	_ collectors.Historian = (*APICollector)(nil)
)
