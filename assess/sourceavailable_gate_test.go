package assess

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/models"
)

// End to end: a repository whose LICENSE is the Business Source License 1.1
// (HashiCorp's parameters block and MariaDB's full terms) → the licence
// collector's observations → the PHI model. Before the collector fell back
// to the source-available recogniser it reported class "unknown" for BUSL,
// so G-LICENSE-UNKNOWN fired and G-SOURCE-AVAILABLE never did.
func TestSourceAvailableGateFromBUSLRepository(t *testing.T) {
	busl, err := os.ReadFile(filepath.Join("..", "collectors", "license", "testdata", "BUSL-1.1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "LICENSE"), busl, 0o644); err != nil {
		t.Fatal(err)
	}
	obs, _, err := license.New().Collect(context.Background(), collectors.Target{Subject: phiSubject, LocalPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	f := healthyFacts()
	for _, o := range obs {
		f[o.Metric] = o
	}
	if f["license.spdx"].Text != "BUSL-1.1" || f["license.class"].Text != "source-available" {
		t.Fatalf("observations: spdx %q class %q", f["license.spdx"].Text, f["license.class"].Text)
	}
	r := Score(builtin(t, "project-health"), phiSubject, f, Env{Now: rulesNow})
	if g := gateState(r, "G-SOURCE-AVAILABLE"); g.State != models.GateFired {
		t.Errorf("G-SOURCE-AVAILABLE %+v, want fired", g)
	}
	if g := gateState(r, "G-LICENSE-UNKNOWN"); g.State == models.GateFired {
		t.Errorf("G-LICENSE-UNKNOWN fired for a recognised BUSL: %+v", g)
	}
	// The gate caps at C (project-health.yaml: cap C); every indicator but
	// LIC-2 is at its best, so the cap decides the grade.
	if r.Grade != "C" {
		t.Errorf("grade %q, want C (capped by G-SOURCE-AVAILABLE): %s", r.Grade, r.Explanation)
	}
}
