package forge

import (
	"context"
	"fmt"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// ByHost is one source made of several instances of one forge type
// (gitlab.com and a self-managed GitLab): each project goes to the
// instance that serves its host, and the source keeps one name, so
// `collect --only gitlab` and the cost summary see one source.
type ByHost struct {
	Source    string
	Instances []collectors.Collector // each says no, with no reason, to another host's project
}

var _ collectors.Collector = (*ByHost)(nil)

func (b *ByHost) Name() string { return b.Source }

// Needs is the first instance's (instances of one type need the same).
func (b *ByHost) Needs() collectors.Needs {
	if len(b.Instances) == 0 {
		return collectors.Needs{}
	}
	return b.Instances[0].Needs()
}

func (b *ByHost) pick(t collectors.Target) (collectors.Collector, string) {
	reason := ""
	for _, c := range b.Instances {
		ok, why := c.Applies(t)
		if ok {
			return c, ""
		}
		if why != "" && reason == "" {
			reason = why
		}
	}
	return nil, reason
}

// Applies is true when an instance takes the project; the reason is the
// first instance's that gave one.
func (b *ByHost) Applies(t collectors.Target) (bool, string) {
	c, why := b.pick(t)
	return c != nil, why
}

func (b *ByHost) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	c, why := b.pick(t)
	if c == nil {
		return nil, collectors.Cost{RateRemaining: -1}, fmt.Errorf("%s: %s: %s", b.Source, t.Repo, why)
	}
	return c.Collect(ctx, t)
}
