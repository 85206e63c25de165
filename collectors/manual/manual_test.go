package manual

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

func TestFacts(t *testing.T) {
	tg := collectors.Target{Subject: models.Subject{ID: "p"}, FactsSource: "bank.yaml: projects[p].facts",
		Facts: map[string]string{"governance": "foundation", "eol_policy": "1"}}
	if ok, _ := New().Applies(tg); !ok {
		t.Fatal("facts not applied")
	}
	obs, _, err := New().Collect(context.Background(), tg)
	if err != nil || len(obs) != 2 {
		t.Fatalf("%v %v", obs, err)
	}
	// Sorted by key: eol_policy (a number), governance (text).
	if obs[0].Metric != "manual.eol_policy" || obs[0].Value == nil || *obs[0].Value != 1 {
		t.Errorf("eol_policy = %+v", obs[0])
	}
	if obs[1].Text != "foundation" || obs[1].Value != nil || obs[1].Evidence != "bank.yaml: projects[p].facts.governance = foundation (no as_of: dated at this collection)" {
		t.Errorf("governance = %+v", obs[1])
	}
	if ok, why := New().Applies(collectors.Target{}); ok || why != "" {
		t.Errorf("empty facts: %v %q", ok, why)
	}
}

// A dated block: its facts are observed on the as_of day (start of day,
// UTC), not at the collection, and as_of itself is no fact.
func TestFactsAsOf(t *testing.T) {
	now := time.Date(2026, 3, 31, 12, 0, 0, 0, time.UTC)
	c := &Collector{Now: func() time.Time { return now }}
	tg := collectors.Target{Subject: models.Subject{ID: "p"}, FactsSource: "bank.yaml: projects[p].facts",
		Facts: map[string]string{"governance": "foundation", "as_of": "2025-10-01"}}
	obs, _, err := c.Collect(context.Background(), tg)
	if err != nil || len(obs) != 1 {
		t.Fatalf("%+v %v", obs, err)
	}
	if want := time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC); !obs[0].ObservedAt.Equal(want) {
		t.Errorf("observed at %v, want %v", obs[0].ObservedAt, want)
	}
	if obs[0].Evidence != "bank.yaml: projects[p].facts.governance = foundation (as of 2025-10-01)" {
		t.Errorf("evidence %q", obs[0].Evidence)
	}
	// as_of alone dates nothing: nothing to record.
	if ok, _ := c.Applies(collectors.Target{Facts: map[string]string{"as_of": "2025-10-01"}}); ok {
		t.Error("a block with only as_of applies")
	}
	for _, tc := range []struct{ asOf, want string }{
		{"1 Oct 2025", `bank.yaml: projects[p].facts.as_of: as_of must be a date written YYYY-MM-DD, got "1 Oct 2025"`},
		{"2026-04-01", "bank.yaml: projects[p].facts.as_of: 2026-04-01 is after the collection time 2026-03-31: facts cannot be dated in the future"},
	} {
		tg.Facts["as_of"] = tc.asOf
		_, _, err := c.Collect(context.Background(), tg)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("as_of %q: %v, want %q", tc.asOf, err, tc.want)
		}
	}
}
