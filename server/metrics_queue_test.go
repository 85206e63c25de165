package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/queue"
	"github.com/osgauge/osgauge/store"
)

type fakeQueue struct{ s queue.QueueStats }

func (f fakeQueue) Stats(context.Context) (queue.QueueStats, error) { return f.s, nil }

// /metrics shows the queue (jobs by state, depth, workers) and each
// credential's shared budget, by its hash.
func TestMetricsQueueAndBudget(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	reset := now.Add(30 * time.Minute).Truncate(time.Second)
	// One take while unknown, then the first answer: 4999 − (1 − 1) = 4999.
	st.BudgetTake(ctx, "cred:0123456789abcdef", now)
	st.BudgetObserve(ctx, "cred:0123456789abcdef", 4999, reset, now)
	srv, err := New(Options{Store: st, Queue: fakeQueue{queue.QueueStats{ByState: map[string]int{"available": 7, "running": 3, "completed": 90}, Depth: 7, Workers: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := rec.Body.String()
	// The reset as Unix seconds, in the exposition's float notation.
	resetLine := `osgauge_api_budget_reset_timestamp_seconds{credential="cred:0123456789abcdef"} ` + strconv.FormatFloat(float64(reset.Unix()), 'g', -1, 64)
	if !strings.Contains(body, resetLine) {
		t.Errorf("metrics lack %s", resetLine)
	}
	for _, want := range []string{
		`osgauge_queue_jobs{state="available"} 7`, `osgauge_queue_jobs{state="running"} 3`, `osgauge_queue_depth 7`, `osgauge_queue_workers 3`,
		`osgauge_api_budget_remaining{credential="cred:0123456789abcdef"} 4999`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s\n%s", want, body)
		}
	}
}
