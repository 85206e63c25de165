package assess

import (
	"fmt"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

// BenchmarkScorePortfolio scores 10,000 projects with the built-in PHI,
// every metric observed.
func BenchmarkScorePortfolio(b *testing.B) {
	m, err := models.Builtin(models.ProjectHealth)
	if err != nil {
		b.Fatal(err)
	}
	facts := Facts{}
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			for _, metric := range in.Metrics {
				facts[metric] = models.Observation{Metric: metric, Value: models.Num(3), Text: "", Source: "bench"}
			}
		}
	}
	facts["license.class"] = models.Observation{Metric: "license.class", Text: "permissive", Source: "bench"}
	subjects := make([]models.Subject, 10000)
	for i := range subjects {
		subjects[i] = models.Subject{Kind: models.KindProject, ID: fmt.Sprintf("p%d", i)}
	}
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range subjects {
			Score(m, s, facts, Env{Now: now})
		}
	}
}
