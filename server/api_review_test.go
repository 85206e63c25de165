package server

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/vulns"
)

// Tests of the review of issue 28's API (defects numbered as the review
// numbers them).

// 1. Twenty first requests at once run one build, on a context of its
// own; while it runs past the warm wait the answer is a 503 with
// Retry-After; afterwards the copy is served.
func TestInventorySingleFlight(t *testing.T) {
	f := newAPIFixture(t)
	old := inventoryWarmWait
	inventoryWarmWait = 50 * time.Millisecond
	t.Cleanup(func() { inventoryWarmWait = old })
	var calls atomic.Int32
	buildErr := make(chan error, 1)
	release := make(chan struct{})
	srv, err := New(Options{Store: f.st, Inventory: func(ctx context.Context) (*reports.Inventory, error) {
		calls.Add(1)
		select { // held until the requests are answered (2 s at most)
		case <-release:
		case <-time.After(2 * time.Second):
		}
		select { // the requests that started it have been answered: their contexts are done
		case buildErr <- ctx.Err():
		default:
		}
		return f.inv, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	var wg sync.WaitGroup
	codes := make([]int, 20)
	retry := make([]string, 20)
	for i := range 20 {
		wg.Go(func() {
			r, err := http.Get(ts.URL + "/api/v1/inventory/components")
			if err != nil {
				t.Error(err)
				return
			}
			r.Body.Close()
			codes[i], retry[i] = r.StatusCode, r.Header.Get("Retry-After")
		})
	}
	wg.Wait()
	close(release)
	// Every request waited 50 ms and got the 503 (the build was held).
	for i := range 20 {
		if codes[i] != http.StatusServiceUnavailable || retry[i] != "10" {
			t.Errorf("request %d while warming: %d Retry-After %q, want 503 and 10", i, codes[i], retry[i])
		}
	}
	if err := <-buildErr; err != nil {
		t.Errorf("the build's context ended with the requests: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d builds for 20 concurrent first requests, want 1", n)
	}
	// Built: served (the build may still be storing its copy: wait a bit).
	deadline := time.Now().Add(5 * time.Second)
	for {
		r, _ := http.Get(ts.URL + "/api/v1/inventory/components?name=fastjson")
		r.Body.Close()
		if r.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the build: %d", r.StatusCode)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("%d builds, want 1", n)
	}
}

// 1. InventoryTTL < 0 builds on every request, in the request: a changed
// inventory is in the very next answer.
func TestInventoryTTLNegativeBuildsEachTime(t *testing.T) {
	f := newAPIFixture(t) // InventoryTTL: -1
	if r := f.get(t, "/api/v1/inventory/components?name=new-one"); !strings.Contains(r.body, `"total": 0`) {
		t.Fatalf("before: %s", r.body)
	}
	f.inv = &reports.Inventory{Components: []reports.InvComponent{{Name: "new-one", Version: "1", LicenceClass: "permissive", Policy: "allowed"}}}
	if r := f.get(t, "/api/v1/inventory/components?name=new-one"); r.code != 200 || !strings.Contains(r.body, `"total": 1`) {
		t.Errorf("the next request: %d %s, want new-one", r.code, r.body)
	}
}

// 2. Readers asking many periods do not evict the default period's view:
// after ten other periods it is still the view built first.
func TestSubjectViewsKeepTheDefaultPeriod(t *testing.T) {
	f := newAPIFixture(t)
	srv, err := New(Options{Store: f.st, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) {
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if rec.Code != 200 {
			t.Fatalf("%s: %d %s", path, rec.Code, rec.Body)
		}
	}
	get("/api/v1/subjects")
	first := srv.views.views["2026Q4"]
	if first == nil {
		t.Fatal("no view of 2026Q4 (the latest assessed period)")
	}
	for _, p := range []string{"2025Q1", "2025Q2", "2025Q3", "2025Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2023Q1", "2023Q2"} {
		get("/api/v1/subjects?period=" + p)
	}
	srv.views.mu.Lock()
	n, kept := len(srv.views.views), srv.views.views["2026Q4"]
	srv.views.mu.Unlock()
	// 11 periods asked, 8 kept: 2026Q4 (pinned) and the 7 latest asked.
	if n != maxViews || kept != first {
		t.Errorf("%d views, 2026Q4's the first built: %v; want %d and true", n, kept == first, maxViews)
	}
}

// 3 and 11. The findings are computed once per store state, ledger stamp
// and hour; a poller gets 304 while they stay the same (as_of aside);
// pages follow vulns.List's order (overdue, then open, then severity…).
func TestVulnListCachedOrderedAndNotModified(t *testing.T) {
	f := newAPIFixture(t)
	due := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	// In vulns.List's order: the overdue one, then the open ones (critical
	// before low), then the closed one; ids chosen so that id order differs.
	list := []vulns.Finding{
		{ID: "F-4", System: "payments", Severity: "low", Overdue: true, Open: true, State: "affected", Due: due},
		{ID: "F-3", System: "payments", Severity: "critical", Open: true, State: "in_triage", Due: due},
		{ID: "F-1", System: "ledger", Severity: "low", Open: true, State: "in_triage", Due: due},
		{ID: "F-2", System: "payments", Severity: "critical", State: "not_affected", Due: due},
	}
	var calls atomic.Int32
	stamp := "ledger-1"
	clock := now
	var mu sync.Mutex
	srv, err := New(Options{Store: f.st, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Millisecond); return clock },
		Vulns: &VulnService{
			List:  func(context.Context, time.Time) ([]vulns.Finding, error) { calls.Add(1); return list, nil },
			Stamp: func() (string, error) { mu.Lock(); defer mu.Unlock(); return stamp, nil },
		}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	g := &apiFixture{ts: ts}
	var ids []string
	cursor := ""
	for range 5 {
		r := g.get(t, "/api/v1/vulnerabilities?limit=1"+cursor)
		var page struct {
			NextCursor string          `json:"next_cursor"`
			Findings   []vulns.Finding `json:"findings"`
		}
		decode(t, r, &page)
		for _, x := range page.Findings {
			ids = append(ids, x.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = "&cursor=" + page.NextCursor
	}
	if got := strings.Join(ids, " "); got != "F-4 F-3 F-1 F-2" {
		t.Errorf("pages: %s, want vulns.List's order F-4 F-3 F-1 F-2", got)
	}
	r1 := g.get(t, "/api/v1/vulnerabilities")
	r2 := g.get(t, "/api/v1/vulnerabilities", "If-None-Match", r1.header.Get("ETag"))
	if r2.code != http.StatusNotModified {
		t.Errorf("same findings a millisecond later: %d, want 304", r2.code)
	}
	// Five pages and two lists: one computation.
	if n := calls.Load(); n != 1 {
		t.Errorf("%d computations, want 1", n)
	}
	// The ledger changes: computed again, and a new ETag.
	mu.Lock()
	stamp = "ledger-2"
	list = list[:3]
	mu.Unlock()
	r3 := g.get(t, "/api/v1/vulnerabilities", "If-None-Match", r1.header.Get("ETag"))
	if r3.code != 200 || !strings.Contains(r3.body, `"total": 3`) || calls.Load() != 2 {
		t.Errorf("after the ledger changed: %d, %d computations, %s", r3.code, calls.Load(), r3.body)
	}
	// Without a Stamp the list is computed per request, as_of the
	// request's time: the ETag still leaves as_of out.
	srv2, _ := New(Options{Store: f.st, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Millisecond); return clock },
		Vulns: &VulnService{List: func(context.Context, time.Time) ([]vulns.Finding, error) { return list, nil }}})
	ts2 := httptest.NewServer(srv2.Handler())
	defer ts2.Close()
	g2 := &apiFixture{ts: ts2}
	a := g2.get(t, "/api/v1/vulnerabilities")
	if b := g2.get(t, "/api/v1/vulnerabilities", "If-None-Match", a.header.Get("ETag")); b.code != http.StatusNotModified {
		t.Errorf("uncached list, same findings: %d, want 304", b.code)
	}
}

// 4. The answer cache is bounded by bytes, least recently used out first.
func TestByteLRU(t *testing.T) {
	c := byteLRU{max: 1000}
	// Each entry: 100 bytes + a 2-byte key + 64 of bookkeeping = 166:
	// six fit in 1000 (996), a seventh pushes out the oldest.
	for _, k := range []string{"k1", "k2", "k3", "k4", "k5", "k6"} {
		c.put(k, k, 100)
	}
	if _, ok := c.get("k1"); !ok { // k1 now the most recently used
		t.Fatal("k1 missing")
	}
	c.put("k7", "k7", 100)
	used, n := c.bytes()
	if _, ok := c.get("k2"); ok || n != 6 || used != 996 {
		t.Errorf("after k7: k2 kept %v, %d entries, %d bytes; want k2 out, 6, 996", ok, n, used)
	}
	if _, ok := c.get("k1"); !ok {
		t.Error("k1 (recently used) dropped")
	}
	c.put("huge", "x", 2000) // larger than the cache: not kept, nothing dropped
	if _, n := c.bytes(); n != 6 {
		t.Errorf("a value over the cap changed the cache: %d entries", n)
	}
}

// 5. A cursor is good only on its route with its filters; a /results
// cursor pins its run.
func TestCursorsAreBound(t *testing.T) {
	f := newAPIFixture(t)
	var sp subjectPage
	decode(t, f.get(t, "/api/v1/subjects?kind=project&limit=1"), &sp)
	var rp struct {
		RunID      int64  `json:"run_id"`
		NextCursor string `json:"next_cursor"`
		Results    []struct {
			Subject string `json:"subject"`
		} `json:"results"`
	}
	decode(t, f.get(t, "/api/v1/results?limit=1"), &rp)
	for _, path := range []string{
		"/api/v1/subjects?cursor=" + rp.NextCursor,                      // /results' (no filters either)
		"/api/v1/results?cursor=" + sp.NextCursor,                       // another route
		"/api/v1/subjects?kind=supplier&cursor=" + sp.NextCursor,        // other filters
		"/api/v1/inventory/components?cursor=" + sp.NextCursor,          // another route
		"/api/v1/subjects?kind=project&q=p&cursor=" + sp.NextCursor,     // a filter added
		"/api/v1/subjects?kind=project&limit=2&cursor=" + sp.NextCursor, // only limit changed: good
	} {
		r := f.get(t, path)
		var p problem
		json.Unmarshal([]byte(r.body), &p)
		good := strings.Contains(path, "limit=2")
		if good && r.code != 200 || !good && (r.code != 400 || p.Param != "cursor") {
			t.Errorf("%s: %d %s", path, r.code, r.body)
		}
	}
	// /results: page 1 of run 1 (p1, p2), then a new assessment of the
	// period with p5 alone; page 2 goes on in run 1: p3, p4.
	decode(t, f.get(t, "/api/v1/results?limit=2"), &rp)
	run1 := rp.RunID
	assessQ4(t, f.st, []models.Result{{SubjectID: "github.com/o/p5", Model: "project-health", ModelVersion: "1", Grade: "A", Status: "ok"}})
	decode(t, f.get(t, "/api/v1/results?limit=2&cursor="+rp.NextCursor), &rp)
	if rp.RunID != run1 || len(rp.Results) != 2 || rp.Results[0].Subject != "github.com/o/p3" || rp.Results[1].Subject != "github.com/o/p4" {
		t.Errorf("page 2 after a new run: run %d (want %d) %+v, want p3 p4", rp.RunID, run1, rp.Results)
	}
	// A cursor naming a run that is not an assessment of the period: 400.
	b, _ := base64.RawURLEncoding.DecodeString(rp.NextCursor)
	var c cursorJSON
	json.Unmarshal(b, &c)
	c.Run = 999
	forged, _ := json.Marshal(c)
	if r := f.get(t, "/api/v1/results?limit=2&cursor="+base64.RawURLEncoding.EncodeToString(forged)); r.code != 400 || !strings.Contains(r.body, `"param": "cursor"`) {
		t.Errorf("cursor of run 999: %d %s", r.code, r.body)
	}
}

// 6. Grade ranges follow the model's grade list (supplier: strategic,
// preferred, conditional, not-approved), not the alphabet.
func TestGradeRangeInModelOrder(t *testing.T) {
	f := newAPIFixture(t)
	sup := func(id, grade string, rng ...string) models.Result {
		return models.Result{SubjectID: id, Model: models.Supplier, ModelVersion: "1", Grade: grade, GradeRange: rng, Status: "ok"}
	}
	assessQ4(t, f.st, []models.Result{sup("supplier/acme", "conditional"), sup("supplier/beta", "", "not-approved", "strategic")})
	for q, want := range map[string]string{
		// preferred..not-approved is preferred, conditional, not-approved:
		// acme's conditional is in it (alphabetically, conditional <
		// not-approved < preferred, it would not be); beta's range reaches
		// strategic, outside.
		"preferred..not-approved": "supplier/acme",
		"not-approved..preferred": "supplier/acme", // either order
		// the whole list holds beta's range too
		"strategic..not-approved": "supplier/acme supplier/beta",
		"conditional":             "supplier/acme",
		"strategic..preferred":    "",
	} {
		var p subjectPage
		decode(t, f.get(t, "/api/v1/subjects?kind=supplier&grade="+q), &p)
		var ids []string
		for _, s := range p.Subjects {
			ids = append(ids, s.ID)
		}
		if got := strings.Join(ids, " "); got != want {
			t.Errorf("grade=%s: %q, want %q", q, got, want)
		}
	}
}

// 8. A subject's changed attributes are in its cached results and
// indicators at once (no run needed), with a new ETag.
func TestSubjectResultsFollowTheSubject(t *testing.T) {
	f := newAPIFixture(t)
	for _, sub := range []string{"results", "indicators"} {
		path := "/api/v1/subjects/github.com%2Fo%2Fp1/" + sub
		before := f.get(t, path)
		if err := f.st.PutSubject(context.Background(), models.Subject{Kind: models.KindProject, ID: "github.com/o/p1", Name: "p1",
			Attrs: map[string]string{"owner": "team-" + sub}}); err != nil {
			t.Fatal(err)
		}
		after := f.get(t, path, "If-None-Match", before.header.Get("ETag"))
		if after.code != 200 || !strings.Contains(after.body, `"owner": "team-`+sub+`"`) {
			t.Errorf("%s after the subject changed: %d %s", sub, after.code, after.body)
		}
	}
}

// 9. Unknown /api/v1 paths and wrong methods are problems.
func TestAPINotFoundAndMethodProblems(t *testing.T) {
	f := newAPIFixture(t)
	for _, c := range []struct {
		method, path string
		code         int
		allow        string
	}{
		{"GET", "/api/v1/nope", 404, ""},
		{"GET", "/api/v1/", 404, ""},
		{"DELETE", "/api/v1/subjects", 405, "GET, HEAD"},
		{"PUT", "/api/v1/runs", 405, "GET, POST, HEAD"},
		{"GET", "/api/v1/check", 405, "POST"},
	} {
		req, _ := http.NewRequest(c.method, f.ts.URL+c.path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var p problem
		json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != c.code || resp.Header.Get("Content-Type") != "application/problem+json" || p.Status != c.code ||
			resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d %s Allow %q %+v; want %d problem, Allow %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Content-Type"),
				resp.Header.Get("Allow"), p, c.code, c.allow)
		}
	}
}

// 10. Before the quarter's first assessment the default period is the
// latest assessed one, named in the answer.
func TestDefaultPeriodIsTheLatestAssessed(t *testing.T) {
	f := newAPIFixture(t)
	// 2027-01-05: the clock's quarter is 2027Q1, which has no assessment.
	srv, err := New(Options{Store: f.st, Now: func() time.Time { return time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	g := &apiFixture{ts: ts}
	r := g.get(t, "/api/v1/subjects/github.com%2Fo%2Fp1/results")
	if r.code != 200 || !strings.Contains(r.body, `"period": "2026Q4"`) || !strings.Contains(r.body, `"grade": "A"`) {
		t.Errorf("results: %d %s", r.code, r.body)
	}
	if r := g.get(t, "/api/v1/subjects?kind=project&limit=1"); !strings.Contains(r.body, `"period": "2026Q4"`) || !strings.Contains(r.body, `"grade": "A"`) {
		t.Errorf("subjects: %s", r.body)
	}
	// Asked explicitly, the clock's quarter is still a 404.
	if r := g.get(t, "/api/v1/results?period=2027Q1"); r.code != 404 {
		t.Errorf("period=2027Q1: %d", r.code)
	}
	if got := latestPeriod([]string{"2026Q3", "2026-11", "2026Q4", "junk", "2026-10-01..2026-10-31"}); got != "2026-11" {
		// starts: Q3 Jul 1, 2026-11 Nov 1, Q4 Oct 1, the range Oct 1: Nov 1 is the latest start
		t.Errorf("latestPeriod: %s, want 2026-11", got)
	}
}

// 11. A parameter given twice is a 400 naming it.
func TestRepeatedParameter(t *testing.T) {
	f := newAPIFixture(t)
	for path, param := range map[string]string{
		"/api/v1/subjects?limit=5&limit=2000":   "limit",
		"/api/v1/results?model=a&model=b":       "model",
		"/api/v1/runs?kind=collect&kind=assess": "kind",
	} {
		r := f.get(t, path)
		var p problem
		decode(t, r, &p)
		if r.code != 400 || p.Param != param || !strings.Contains(p.Detail, "given 2 times") {
			t.Errorf("%s: %d %+v", path, r.code, p)
		}
	}
}

// 13. History is ordered by the period's start: 2026Q1 (1 January),
// 2026Q4 (1 October), 2026-11 (1 November); text order would give
// 2026-11, 2026Q1, 2026Q4 ('-' sorts before 'Q').
func TestHistoryByPeriodStart(t *testing.T) {
	f := newAPIFixture(t)
	ctx := context.Background()
	for _, period := range []string{"2026-11", "2026Q1"} {
		run, _ := f.st.StartRun(ctx, "assess", period)
		if err := f.st.SaveResults(ctx, run, period, []models.Result{{SubjectID: "github.com/o/p1", Model: "project-health", ModelVersion: "1", Grade: "B", Status: "ok"}}); err != nil {
			t.Fatal(err)
		}
		if err := f.st.FinishRun(ctx, run, "complete", "", nil); err != nil {
			t.Fatal(err)
		}
	}
	var h struct {
		History []struct {
			Period string `json:"period"`
		} `json:"history"`
	}
	decode(t, f.get(t, "/api/v1/subjects/github.com%2Fo%2Fp1/history"), &h)
	var got []string
	for _, p := range h.History {
		got = append(got, p.Period)
	}
	if strings.Join(got, " ") != "2026Q1 2026Q4 2026-11" {
		t.Errorf("history: %v, want 2026Q1 2026Q4 2026-11", got)
	}
}

// 1. A run's end rebuilds the inventory (in the background) before
// InventoryTTL has passed; without one the copy is kept.
func TestInventoryRebuiltAfterARun(t *testing.T) {
	f := newAPIFixture(t)
	var mu sync.Mutex
	inv := f.inv
	srv, err := New(Options{Store: f.st, SubjectsTTL: -1, InventoryTTL: time.Hour, Inventory: func(context.Context) (*reports.Inventory, error) {
		mu.Lock()
		defer mu.Unlock()
		return inv, nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	g := &apiFixture{ts: ts}
	if r := g.get(t, "/api/v1/inventory/components"); r.code != 200 || !strings.Contains(r.body, `"total": 3`) {
		t.Fatalf("first: %d %s", r.code, r.body)
	}
	mu.Lock()
	inv = &reports.Inventory{Components: []reports.InvComponent{{Name: "new-one", Version: "1", LicenceClass: "permissive", Policy: "allowed"}}}
	mu.Unlock()
	if r := g.get(t, "/api/v1/inventory/components"); !strings.Contains(r.body, `"total": 3`) {
		t.Errorf("no run, within the TTL: the copy should be kept: %s", r.body)
	}
	ctx := context.Background()
	run, _ := f.st.StartRun(ctx, "collect", "")
	f.st.FinishRun(ctx, run, "complete", "", nil)
	deadline := time.Now().Add(3 * time.Second)
	for {
		r := g.get(t, "/api/v1/inventory/components")
		if strings.Contains(r.body, "new-one") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("3 s after the run the inventory is still the old copy: %s", r.body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
