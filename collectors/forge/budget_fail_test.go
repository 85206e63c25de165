package forge

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/store"
)

// A store whose budget table is broken (dropped) does not hold a run's
// requests for ever: a take is retried each second, and after 10 failures
// in a row (9 waits of 1 s) the transport counts its own requests, says
// so, and the requests go out. Before the fix every request waited a
// second and tried again without end (the test's clock stops it after 100
// waits).
func TestBrokenBudgetTableFallsBack(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.DB().ExecContext(ctx, `DROP TABLE api_budget`); err != nil {
		t.Fatal(err)
	}
	clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	api := newLimitedAPI(clk.Now, 1000)
	srv := httptest.NewServer(api)
	defer srv.Close()
	var notes []string
	sleep := func(ctx context.Context, d time.Duration) error {
		if len(clk.slept) >= 100 {
			return errors.New("still waiting after 100 sleeps")
		}
		return clk.Sleep(ctx, d)
	}
	tr := &Transport{Token: "tok", Budget: st, Now: clk.Now, Sleep: sleep, Notify: func(s string) { notes = append(notes, s) }}
	for i := range 3 {
		req, _ := httptestRequest(ctx, srv.URL+"/repos/o/r")
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatalf("request %d: %v (slept %d times)", i+1, err, len(clk.slept))
		}
		resp.Body.Close()
	}
	if want := "[1s 1s 1s 1s 1s 1s 1s 1s 1s]"; fmt.Sprint(clk.slept) != want {
		t.Errorf("slept %v, want %s", clk.slept, want)
	}
	if api.requests != 3 {
		t.Errorf("%d requests reached the API, want 3", api.requests)
	}
	// Five minutes on, the shared budget is asked again (and, still
	// broken, given up on after 10 more failures).
	clk.mu.Lock()
	clk.t = clk.t.Add(5 * time.Minute)
	clk.mu.Unlock()
	req, _ := httptestRequest(ctx, srv.URL+"/repos/o/r")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(clk.slept) != 18 || api.requests != 4 {
		t.Errorf("after 5 min: slept %d times, %d requests; want 18, 4", len(clk.slept), api.requests)
	}
	found := false
	for _, n := range notes {
		if strings.Contains(n, "shared rate budget failed 10 times in a row") && strings.Contains(n, "this process counts its own requests until") {
			found = true
		}
	}
	if !found {
		t.Errorf("no fallback notice in %q", notes)
	}
}

func httptestRequest(ctx context.Context, url string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
}
