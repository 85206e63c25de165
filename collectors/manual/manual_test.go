package manual

import (
	"context"
	"testing"

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
	if obs[1].Text != "foundation" || obs[1].Value != nil || obs[1].Evidence != "bank.yaml: projects[p].facts.governance = foundation" {
		t.Errorf("governance = %+v", obs[1])
	}
	if ok, why := New().Applies(collectors.Target{}); ok || why != "" {
		t.Errorf("empty facts: %v %q", ok, why)
	}
}
