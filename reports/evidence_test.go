package reports

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestDatedEvidence(t *testing.T) {
	d := time.Date(2026, 3, 1, 23, 30, 0, 0, time.FixedZone("CST", 8*3600)) // 15:30 UTC
	for _, tc := range []struct {
		ir   models.IndicatorResult
		want string
	}{
		{models.IndicatorResult{Evidence: "git log", ObservedAt: &d}, "2026-03-01 · git log"},
		{models.IndicatorResult{ObservedAt: &d}, "2026-03-01"},
		{models.IndicatorResult{Evidence: "git log"}, "git log"},
	} {
		if got := DatedEvidence(tc.ir); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.ir, got, tc.want)
		}
	}
	// The JSON report carries the time itself on each indicator.
	b, err := json.Marshal(models.IndicatorResult{ID: "ACT-1", ObservedAt: &d})
	if err != nil || !strings.Contains(string(b), `"observed_at":"2026-03-01T23:30:00+08:00"`) {
		t.Errorf("%s %v", b, err)
	}
}
