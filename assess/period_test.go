package assess

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	p, err := ParsePeriod("2026Q4")
	if err != nil || !p.Start.Equal(time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) || !p.End.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2026Q4 = %+v %v", p, err)
	}
	p, _ = ParsePeriod("2026-02")
	if !p.End.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("2026-02 end = %v", p.End)
	}
	p, _ = ParsePeriod("2026-10-01..2026-10-15")
	if !p.End.Equal(time.Date(2026, 10, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("range end = %v", p.End)
	}
	for _, bad := range []string{"2026Q5", "2026-13", "Q4", "2026-10-15..2026-10-01"} {
		if _, err := ParsePeriod(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if q := CurrentQuarter(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); q.Name != "2026Q4" {
		t.Errorf("current quarter %s", q.Name)
	}
}
