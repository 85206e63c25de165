package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

const token = "s3cret-token-for-tests"

// now is the server's clock in these tests: inside 2026Q4.
var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type fixture struct {
	st      *store.Store
	dir     string // holds osgauge.db and reports/
	reports string
	sched   *scheduler.Scheduler
	release chan struct{} // closes to let the "slow" collect job end
	logs    *syncBuffer
	srv     *Server
	ts      *httptest.Server
	token   string
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func write(t *testing.T, path, content string, mod time.Time) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

// seed stores subjects, a collect run (with a rate limit in its stats and
// observations from a fresh and a stale source) and a 2026Q4 assessment.
func seed(t *testing.T, st *store.Store) {
	t.Helper()
	ctx := context.Background()
	subs := []models.Subject{
		{Kind: models.KindProject, ID: "github.com/o/r", Name: "r"},
		{Kind: models.KindProject, ID: "github.com/o/other", Name: "other"},
		{Kind: models.KindSupplier, ID: "supplier/acme", Name: "Acme"},
	}
	for _, s := range subs {
		if err := st.PutSubject(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	run, _ := st.StartRun(ctx, "collect", "")
	obs := []models.Observation{
		{SubjectID: "github.com/o/r", Metric: "forge.stars", Value: models.Num(10), Source: "github", ObservedAt: now.Add(-30 * time.Minute)},
		{SubjectID: "github.com/o/r", Metric: "old.metric", Value: models.Num(1), Source: "old", ObservedAt: now.Add(-5 * time.Hour)},
	}
	if err := st.AppendObservations(ctx, run, obs); err != nil {
		t.Fatal(err)
	}
	sum := pipeline.CollectSummary{RunID: run, Status: store.RunComplete, Observations: 2,
		Cost: map[string]collectors.Cost{"github": {Requests: 12, NotModified: 3, RateRemaining: 4321}, "gitlocal": {RateRemaining: -1}}}
	if err := st.FinishRun(ctx, run, store.RunComplete, "2 observations", sum); err != nil {
		t.Fatal(err)
	}
	arun, _ := st.StartRun(ctx, "assess", "2026Q4")
	res := []models.Result{
		{SubjectID: "github.com/o/r", Model: "project-health", ModelVersion: "1.0.0", ModelHash: "sha256:x", Score: models.Num(71.2), Grade: "B", Coverage: 0.82, Status: "ok", AssessedAt: now},
		{SubjectID: "github.com/o/other", Model: "project-health", ModelVersion: "1.0.0", ModelHash: "sha256:x", Score: models.Num(40), Grade: "D", Coverage: 0.9, Status: "ok", AssessedAt: now},
	}
	if err := st.SaveResults(ctx, arun, "2026Q4", res); err != nil {
		t.Fatal(err)
	}
	st.FinishRun(ctx, arun, store.RunComplete, "", nil)
}

func newFixture(t *testing.T, tok string) *fixture {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	seed(t, st)
	f := &fixture{st: st, dir: dir, reports: filepath.Join(dir, "reports"), release: make(chan struct{}), logs: &syncBuffer{}, token: tok}
	os.MkdirAll(f.reports, 0o755)
	t0 := time.Now().Add(-time.Hour)
	write(t, filepath.Join(f.reports, "osgauge-2026Q3.html"), "<html>Q3 dashboard</html>", t0)
	write(t, filepath.Join(f.reports, "osgauge-2026Q4.html"), "<html><script>var x=1</script>Q4 dashboard</html>", t0.Add(time.Minute))
	write(t, filepath.Join(f.reports, "osgauge-2026Q4.json"), `{"period":"2026Q4"}`, t0.Add(time.Minute))
	write(t, filepath.Join(f.reports, "osgauge-2026Q4.xlsx"), "PK\x03\x04 workbook", t0.Add(time.Minute))
	write(t, filepath.Join(f.reports, "notes.txt"), "not a report", t0)
	write(t, filepath.Join(dir, "secret.html"), "SECRET outside the report dir", t0)
	// A report-named symlink that leads out of the directory.
	if err := os.Symlink(filepath.Join(dir, "secret.html"), filepath.Join(f.reports, "osgauge-2026Q1.html")); err != nil {
		t.Fatal(err)
	}

	log := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	m := NewMetrics()
	f.sched = scheduler.New(st, scheduler.Options{Logger: log, OnFinish: m.ObserveJob})
	fc := fakeCollector{name: "github", metrics: 2}
	collect := scheduler.CollectJob{Store: st, Targets: func() []collectors.Target { return targets(3) },
		Collectors: func() ([]collectors.Collector, error) { return []collectors.Collector{fc}, nil },
		Summary:    m.ObserveCollect}.Func()
	for _, j := range []scheduler.Job{
		{Name: "collect", Spec: "@every 1h", Run: func(ctx context.Context) (scheduler.Result, error) {
			select {
			case <-f.release:
			case <-ctx.Done():
				return scheduler.Result{}, ctx.Err()
			}
			return collect(ctx)
		}},
		{Name: "scorecard", Spec: "", Run: collect},
		{Name: "report", Spec: "0 6 1 1,4,7,10 *", Run: func(context.Context) (scheduler.Result, error) { return scheduler.Result{}, nil }},
	} {
		if err := f.sched.Add(j); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.sched.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		f.sched.Stop(ctx)
	})
	f.srv, err = New(Options{Store: st, Jobs: f.sched, ReportDir: f.reports, Token: tok, Metrics: m, Logger: log,
		Now: func() time.Time { return now }, SourceJobs: map[string]string{"scorecard": "scorecard"}, Sources: []string{"github", "scorecard"}})
	if err != nil {
		t.Fatal(err)
	}
	f.ts = httptest.NewUnstartedServer(f.srv.Handler())
	f.ts.Config = f.srv.HTTPServer("")
	f.ts.Start()
	t.Cleanup(f.ts.Close)
	return f
}

type fakeCollector struct {
	name    string
	metrics int
	delay   time.Duration
}

func (f fakeCollector) Name() string                             { return f.name }
func (f fakeCollector) Needs() collectors.Needs                  { return collectors.Needs{} }
func (f fakeCollector) Applies(collectors.Target) (bool, string) { return true, "" }
func (f fakeCollector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	if f.delay > 0 {
		select {
		case <-time.After(f.delay):
		case <-ctx.Done():
			return nil, collectors.Cost{RateRemaining: -1}, ctx.Err()
		}
	}
	var obs []models.Observation
	for i := range f.metrics {
		obs = append(obs, models.Observation{SubjectID: t.Subject.ID, Metric: fmt.Sprintf("%s.m%d", f.name, i),
			Value: models.Num(float64(i)), Source: f.name, ObservedAt: time.Now()})
	}
	return obs, collectors.Cost{Requests: 1, RateRemaining: 5000}, nil
}

func targets(n int) []collectors.Target {
	out := make([]collectors.Target, n)
	for i := range out {
		id := fmt.Sprintf("github.com/load/r%04d", i)
		out[i] = collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: id, Name: id[len("github.com/load/"):]}}
	}
	return out
}

type response struct {
	code   int
	header http.Header
	body   string
}

// do sends a request; auth is "" (none), "bearer", "basic" or "wrong".
func (f *fixture) do(t *testing.T, method, path string, body io.Reader, auth string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, f.ts.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	switch auth {
	case "bearer":
		req.Header.Set("Authorization", "Bearer "+f.token)
	case "basic":
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("board:"+f.token)))
	case "wrong":
		req.Header.Set("Authorization", "Bearer wrong-"+f.token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := f.ts.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func (f *fixture) get(t *testing.T, path string) response {
	t.Helper()
	auth := ""
	if f.token != "" {
		auth = "bearer"
	}
	return f.do(t, "GET", path, nil, auth)
}

func decode(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("%v in %s", err, r.body)
	}
}

var everyRoute = []string{"/", "/reports/", "/reports/osgauge-2026Q4.json", "/api/v1/subjects", "/api/v1/subjects/github.com%2Fo%2Fr/results?period=2026Q4",
	"/api/v1/runs", "/api/v1/status", "/metrics"}

func TestAuthOn(t *testing.T) {
	f := newFixture(t, token)
	for _, p := range everyRoute {
		for _, auth := range []string{"", "wrong", "Token " + token} {
			var r response
			if strings.HasPrefix(auth, "Token ") {
				r = f.do(t, "GET", p, nil, "", "Authorization", auth)
			} else {
				r = f.do(t, "GET", p, nil, auth)
			}
			if r.code != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("GET %s with auth %q: %d %q", p, auth, r.code, r.header.Get("WWW-Authenticate"))
			}
		}
		if r := f.do(t, "GET", p, nil, "bearer"); r.code != http.StatusOK {
			t.Errorf("GET %s with the token: %d %s", p, r.code, r.body)
		}
		if r := f.do(t, "GET", p, nil, "basic"); r.code != http.StatusOK {
			t.Errorf("GET %s with basic auth: %d", p, r.code)
		}
	}
	if r := f.do(t, "POST", "/api/v1/runs", nil, ""); r.code != http.StatusUnauthorized {
		t.Errorf("POST without token: %d", r.code)
	}
	// The browser pages ask for Basic auth; the API for a bearer token.
	if h := f.do(t, "GET", "/", nil, "").header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Basic") {
		t.Errorf("dashboard challenge %q", h)
	}
	if h := f.do(t, "GET", "/api/v1/status", nil, "").header.Get("WWW-Authenticate"); !strings.HasPrefix(h, "Bearer") {
		t.Errorf("API challenge %q", h)
	}
	// /healthz needs no token.
	if r := f.do(t, "GET", "/healthz", nil, ""); r.code != http.StatusOK || !strings.Contains(r.body, "ok") {
		t.Errorf("healthz: %d %s", r.code, r.body)
	}
	// The token, right or wrong, is never logged.
	if logs := f.logs.String(); strings.Contains(logs, token) || !strings.Contains(logs, "unauthorized") {
		t.Errorf("logs: %s", logs)
	}
}

func TestAuthOff(t *testing.T) {
	f := newFixture(t, "")
	for _, p := range append(everyRoute, "/healthz") {
		if r := f.do(t, "GET", p, nil, ""); r.code != http.StatusOK {
			t.Errorf("GET %s: %d %s", p, r.code, r.body)
		}
	}
}

func TestCheckListen(t *testing.T) {
	for _, c := range []struct {
		addr, token string
		ok          bool
	}{
		{"127.0.0.1:8080", "", true},
		{"localhost:8080", "", true},
		{"[::1]:8080", "", true},
		{"127.0.0.2:9000", "", true},
		{"0.0.0.0:8080", "", false},
		{":8080", "", false},
		{"10.1.2.3:8080", "", false},
		{"[::]:8080", "", false},
		{"intranet.example:8080", "", false},
		{"0.0.0.0:8080", "t", true},
		{"no-port", "t", false},
	} {
		err := CheckListen(c.addr, c.token, "OSGAUGE_TOKEN")
		if (err == nil) != c.ok {
			t.Errorf("%s token %q: %v", c.addr, c.token, err)
		}
		if err != nil && c.token == "" && c.addr != "no-port" && !strings.Contains(err.Error(), "OSGAUGE_TOKEN") {
			t.Errorf("message does not name the variable: %v", err)
		}
	}
}

func TestDashboardAndHeaders(t *testing.T) {
	f := newFixture(t, "")
	r := f.get(t, "/")
	if r.code != 200 || !strings.Contains(r.body, "Q4 dashboard") {
		t.Fatalf("GET /: %d %s", r.code, r.body)
	}
	csp := r.header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'unsafe-inline'", "default-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Errorf("headers %v", r.header)
	}
	if h := f.get(t, "/api/v1/subjects").header; h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") != "no-store" {
		t.Errorf("API headers %v", h)
	}
	// A newer dashboard wins.
	write(t, filepath.Join(f.reports, "osgauge-2026-11.html"), "<html>November</html>", time.Now())
	if r := f.get(t, "/"); !strings.Contains(r.body, "November") {
		t.Errorf("newest dashboard: %s", r.body)
	}
	// No report yet: a page that says how to make one.
	os.RemoveAll(f.reports)
	if r := f.get(t, "/"); r.code != 404 || !strings.Contains(r.body, "No dashboard yet") {
		t.Errorf("no dashboard: %d %s", r.code, r.body)
	}
	if r := f.get(t, "/reports/"); r.code != 200 || !strings.Contains(r.body, "No reports yet") {
		t.Errorf("no reports: %d %s", r.code, r.body)
	}
	if r := f.get(t, "/nope"); r.code != 404 {
		t.Errorf("/nope: %d", r.code)
	}
}

func TestReportListAndDownloads(t *testing.T) {
	f := newFixture(t, "")
	r := f.get(t, "/reports/")
	if r.code != 200 || r.header.Get("Content-Security-Policy") == "" {
		t.Fatalf("%d %v", r.code, r.header)
	}
	for _, want := range []string{`href="/reports/osgauge-2026Q4.xlsx" download`, `href="/reports/osgauge-2026Q4.json" download`,
		`href="/reports/osgauge-2026Q4.html"`, `href="/reports/osgauge-2026Q3.html"`} {
		if !strings.Contains(r.body, want) {
			t.Errorf("list lacks %s:\n%s", want, r.body)
		}
	}
	if strings.Contains(r.body, "notes.txt") || strings.Contains(r.body, "2026Q1") {
		t.Errorf("list shows a file that is not a report (or a symlink):\n%s", r.body)
	}
	var list struct {
		Reports []reportPeriod `json:"reports"`
	}
	decode(t, f.do(t, "GET", "/reports/", nil, "", "Accept", "application/json"), &list)
	if len(list.Reports) != 2 || list.Reports[0].Period != "2026Q4" || len(list.Reports[0].Files) != 3 || list.Reports[0].Files[2].Format != "xlsx" {
		t.Errorf("JSON list %+v", list)
	}
	if r := f.get(t, "/reports"); r.code != 200 { // redirected
		t.Errorf("/reports: %d", r.code)
	}
	x := f.get(t, "/reports/osgauge-2026Q4.xlsx")
	if x.code != 200 || !strings.HasPrefix(x.body, "PK") || !strings.Contains(x.header.Get("Content-Type"), "spreadsheetml") ||
		!strings.Contains(x.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("xlsx: %d %v", x.code, x.header)
	}
	j := f.get(t, "/reports/osgauge-2026Q4.json")
	if j.code != 200 || j.body != `{"period":"2026Q4"}` || !strings.HasPrefix(j.header.Get("Content-Type"), "application/json") {
		t.Errorf("json: %d %v %s", j.code, j.header, j.body)
	}
	h := f.get(t, "/reports/osgauge-2026Q3.html")
	if h.code != 200 || !strings.Contains(h.body, "Q3") || h.header.Get("Content-Security-Policy") != dashboardCSP {
		t.Errorf("html: %d %v", h.code, h.header)
	}
}

func TestNoDirectoryTraversal(t *testing.T) {
	f := newFixture(t, "")
	write(t, filepath.Join(f.dir, "osgauge.db.txt"), "SQLite format 3 SECRET", time.Now())
	for _, p := range []string{
		"/reports/../osgauge.db",
		"/reports/%2e%2e/osgauge.db",
		"/reports/%2E%2E/osgauge.db",
		"/reports/%2e%2e%2fosgauge.db",
		"/reports/..%2Fosgauge.db",
		"/reports/..%2fsecret.html",
		"/reports/..%5csecret.html",
		"/reports/%2Fetc%2Fpasswd",
		"/reports//etc/passwd",
		"/reports/" + url(filepath.Join(f.dir, "secret.html")),
		"/reports/osgauge-2026Q1.html", // a symlink out of the directory
		"/reports/osgauge-..%2fsecret.html",
		"/reports/osgauge-2026Q4.html%00.txt",
		"/reports/notes.txt",
		"/reports/osgauge.db",
		"/reports/.",
		"/reports/..",
		"/../osgauge.db",
		"/%2e%2e/osgauge.db",
	} {
		r := f.get(t, p)
		t.Logf("GET %s: %d", p, r.code)
		if r.code == 200 && !strings.Contains(r.body, "osgauge reports") && !strings.Contains(r.body, "Q4 dashboard") {
			t.Errorf("GET %s: 200 %q", p, r.body)
		}
		if strings.Contains(r.body, "SECRET") || strings.Contains(r.body, "root:") || strings.Contains(r.body, "SQLite") {
			t.Errorf("GET %s leaked: %d %q", p, r.code, r.body)
		}
	}
}

// url escapes every slash of an absolute path.
func url(p string) string { return strings.ReplaceAll(p, "/", "%2F") }

func TestSubjectsAndResults(t *testing.T) {
	f := newFixture(t, "")
	var subs struct {
		Count    int              `json:"count"`
		Subjects []models.Subject `json:"subjects"`
	}
	decode(t, f.get(t, "/api/v1/subjects"), &subs)
	if subs.Count != 3 || len(subs.Subjects) != 3 {
		t.Errorf("subjects %+v", subs)
	}
	decode(t, f.get(t, "/api/v1/subjects?kind=supplier"), &subs)
	if subs.Count != 1 || subs.Subjects[0].ID != "supplier/acme" {
		t.Errorf("suppliers %+v", subs)
	}
	type results struct {
		Subject models.Subject `json:"subject"`
		Period  string         `json:"period"`
		Results []struct {
			Model string   `json:"model"`
			Score *float64 `json:"score"`
			Grade string   `json:"grade"`
		} `json:"results"`
	}
	// Escaped (the documented form), unescaped, and the default period
	// (the current quarter of the server's clock: 2026Q4).
	for _, p := range []string{"/api/v1/subjects/github.com%2Fo%2Fr/results?period=2026Q4", "/api/v1/subjects/github.com/o/r/results?period=2026Q4",
		"/api/v1/subjects/github.com%2fo%2fr/results"} {
		var res results
		r := f.get(t, p)
		decode(t, r, &res)
		if r.code != 200 || res.Subject.ID != "github.com/o/r" || res.Period != "2026Q4" || len(res.Results) != 1 ||
			res.Results[0].Grade != "B" || *res.Results[0].Score != 71.2 {
			t.Errorf("%s: %d %+v", p, r.code, res)
		}
	}
	var one models.Subject
	decode(t, f.get(t, "/api/v1/subjects/supplier%2Facme"), &one)
	if one.Name != "Acme" {
		t.Errorf("subject %+v", one)
	}
	for p, code := range map[string]int{
		"/api/v1/subjects/github.com%2Fo%2Fnope/results":              404,
		"/api/v1/subjects/github.com%2Fo%2Fr/results?period=2026Q3":   404, // not assessed
		"/api/v1/subjects/github.com%2Fo%2Fr/results?period=tomorrow": 400,
		"/api/v1/subjects/supplier%2Facme/results?period=2026Q4":      200, // assessed, no results for it
	} {
		if r := f.get(t, p); r.code != code {
			t.Errorf("%s: %d, want %d: %s", p, r.code, code, r.body)
		}
	}
}

func TestRunsList(t *testing.T) {
	f := newFixture(t, "")
	var runs struct {
		Runs []runJSON `json:"runs"`
	}
	decode(t, f.get(t, "/api/v1/runs"), &runs)
	if len(runs.Runs) != 2 || runs.Runs[0].Kind != "assess" || runs.Runs[1].Kind != "collect" || runs.Runs[1].Status != store.RunComplete {
		t.Fatalf("runs %+v", runs)
	}
	if !strings.Contains(string(runs.Runs[1].Stats), `"rate_remaining": 4321`) && !strings.Contains(string(runs.Runs[1].Stats), `"rate_remaining":4321`) {
		t.Errorf("stats %s", runs.Runs[1].Stats)
	}
	decode(t, f.get(t, "/api/v1/runs?kind=collect&limit=1"), &runs)
	if len(runs.Runs) != 1 || runs.Runs[0].Kind != "collect" {
		t.Errorf("filtered %+v", runs)
	}
	if r := f.get(t, "/api/v1/runs?limit=0"); r.code != 400 {
		t.Errorf("limit=0: %d", r.code)
	}
}

func TestStartRun(t *testing.T) {
	f := newFixture(t, token)
	post := func(body string, hdr ...string) response {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		return f.do(t, "POST", "/api/v1/runs", rd, "bearer", append([]string{"Content-Type", "application/json"}, hdr...)...)
	}
	r := post("{}")
	var got map[string]string
	decode(t, r, &got)
	if r.code != http.StatusAccepted || got["kind"] != "collect" || r.header.Get("Location") != "/api/v1/status" {
		t.Fatalf("POST: %d %s", r.code, r.body)
	}
	if r := post(`{"kind":"collect"}`); r.code != http.StatusConflict {
		t.Errorf("second POST while running: %d %s", r.code, r.body)
	}
	if !f.sched.Running("collect") {
		t.Error("collect is not running")
	}
	if r := post(`{"kind":"scorecard"}`); r.code != http.StatusAccepted || !strings.Contains(r.body, `"scorecard"`) {
		t.Errorf("scorecard: %d %s", r.code, r.body)
	}
	for body, code := range map[string]int{`{"kind":"nope"}`: 400, `{"kind":"report","x":1}`: 400, `not json`: 400} {
		if r := post(body); r.code != code {
			t.Errorf("%s: %d, want %d", body, r.code, code)
		}
	}
	close(f.release)
	deadline := time.Now().Add(10 * time.Second)
	for f.sched.Running("collect") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	for _, st := range f.sched.Status() {
		if st.Name == "collect" && (st.LastOutcome != store.RunComplete || st.Skipped != 1) {
			t.Errorf("collect after the trigger: %+v", st)
		}
	}
	// The run the trigger started is listed.
	var runs struct {
		Runs []runJSON `json:"runs"`
	}
	decode(t, f.get(t, "/api/v1/runs?kind=collect"), &runs)
	if len(runs.Runs) < 2 {
		t.Errorf("runs %+v", runs)
	}
	// Without a scheduler: 503.
	srv, _ := New(Options{Store: f.st, ReportDir: f.reports})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/runs", strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("no scheduler: %d", rec.Code)
	}
}

func TestBodyLimit(t *testing.T) {
	f := newFixture(t, token)
	big := bytes.Repeat([]byte("x"), 10<<20)
	// With a Content-Length: refused before reading.
	if r := f.do(t, "POST", "/api/v1/runs", bytes.NewReader(big), "bearer"); r.code != http.StatusRequestEntityTooLarge {
		t.Errorf("10 MB body: %d %s", r.code, r.body)
	}
	// Chunked (no length): cut off by MaxBytesReader while reading.
	chunked := io.MultiReader(strings.NewReader(`{"kind":"collect", "pad": "`), bytes.NewReader(big), strings.NewReader(`"}`))
	if r := f.do(t, "POST", "/api/v1/runs", struct{ io.Reader }{chunked}, "bearer", "Content-Type", "application/json"); r.code != http.StatusRequestEntityTooLarge {
		t.Errorf("10 MB chunked body: %d %s", r.code, r.body)
	}
	if f.sched.Running("collect") {
		t.Error("an oversized request started a run")
	}
	// On a GET too.
	if r := f.do(t, "GET", "/api/v1/subjects", bytes.NewReader(big), "bearer"); r.code != http.StatusRequestEntityTooLarge {
		t.Errorf("10 MB GET: %d", r.code)
	}
}

func TestStatus(t *testing.T) {
	f := newFixture(t, "")
	var st struct {
		Leader    *bool               `json:"leader"`
		Jobs      []scheduler.Status  `json:"jobs"`
		RateLimit map[string]rateJSON `json:"rate_limit"`
		Sources   []sourceJSON        `json:"sources"`
	}
	decode(t, f.get(t, "/api/v1/status"), &st)
	// A lone scheduler (no election) always fires its schedule.
	if st.Leader == nil || !*st.Leader {
		t.Errorf("leader %v, want true", st.Leader)
	}
	if len(st.Jobs) != 3 || st.Jobs[0].Name != "collect" || st.Jobs[0].NextRun.IsZero() || !st.Jobs[1].NextRun.IsZero() || st.Jobs[2].NextRun.Day() != 1 {
		t.Errorf("jobs %+v", st.Jobs)
	}
	if st.RateLimit["github"].Remaining != 4321 || len(st.RateLimit) != 1 {
		t.Errorf("rate limit %+v", st.RateLimit)
	}
	want := map[string]struct {
		stale bool
		age   float64
	}{
		"github":    {false, 1800},    // 30 min old, collect every hour
		"old":       {true, 5 * 3600}, // 5 h old: more than two periods
		"scorecard": {false, 0},       // no schedule: not judged
	}
	if len(st.Sources) != 3 {
		t.Fatalf("sources %+v", st.Sources)
	}
	for _, s := range st.Sources {
		w := want[s.Source]
		if s.Stale != w.stale || s.AgeSeconds != w.age || (s.Stale && s.Reason == "") {
			t.Errorf("%+v, want %+v", s, w)
		}
	}
	if st.Sources[2].Job != "scorecard" || st.Sources[0].Schedule != "@every 1h" {
		t.Errorf("source jobs %+v", st.Sources)
	}
	// After a run, its outcome shows.
	close(f.release)
	done, err := f.sched.Trigger("collect")
	if err != nil {
		t.Fatal(err)
	}
	<-done
	decode(t, f.get(t, "/api/v1/status"), &st)
	if st.Jobs[0].LastOutcome != store.RunComplete || st.Jobs[0].LastRunID == 0 || st.Jobs[0].Runs != 1 {
		t.Errorf("after a run: %+v", st.Jobs[0])
	}
	if st.RateLimit["github"].Remaining != 5000 {
		t.Errorf("rate limit after a run %+v", st.RateLimit)
	}
}

var sampleLine = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? -?[0-9.e+\-]+$`)

func TestMetrics(t *testing.T) {
	f := newFixture(t, "")
	close(f.release)
	done, _ := f.sched.Trigger("collect")
	<-done
	time.Sleep(10 * time.Millisecond) // OnFinish runs just after done
	f.get(t, "/api/v1/subjects")
	r := f.get(t, "/metrics")
	if r.code != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("%d %v", r.code, r.header)
	}
	for _, want := range []string{
		`osgauge_runs{kind="collect",status="complete"} 2`,
		`osgauge_job_runs_total{job="collect",outcome="complete"} 1`,
		`osgauge_job_duration_seconds_count{job="collect"} 1`,
		`osgauge_collect_api_calls_total{source="github"} 3`,
		`osgauge_collect_observations_total{source="github"} 6`,
		`osgauge_collect_errors_total`,
		`osgauge_rate_limit_remaining{source="github"} 5000`,
		`osgauge_job_next_run_timestamp_seconds{job="collect"}`,
		`osgauge_job_running{job="collect"} 0`,
		`osgauge_http_requests_total{route="GET /api/v1/subjects",code="200"} 1`,
		"# TYPE osgauge_job_runs_total counter",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(r.body), "\n") {
		if !strings.HasPrefix(line, "# ") && !sampleLine.MatchString(line) {
			t.Errorf("not an exposition line: %q", line)
		}
	}
}

func TestGracefulShutdownCancelsJobs(t *testing.T) {
	f := newFixture(t, "")
	if _, err := f.sched.Trigger("collect"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := f.sched.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	if st := f.sched.Status()[0]; st.LastOutcome != store.JobInterrupted {
		t.Errorf("after stop: %+v", st)
	}
	if _, err := f.sched.Trigger("collect"); !errors.Is(err, scheduler.ErrStopped) {
		t.Errorf("trigger after stop: %v", err)
	}
	if r := f.do(t, "POST", "/api/v1/runs", strings.NewReader("{}"), "", "Content-Type", "application/json"); r.code != http.StatusServiceUnavailable {
		t.Errorf("POST after stop: %d", r.code)
	}
}

func TestServerTimeouts(t *testing.T) {
	srv, err := New(Options{Store: newFixture(t, "").st})
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer("127.0.0.1:0")
	if hs.ReadHeaderTimeout <= 0 || hs.ReadTimeout <= 0 || hs.WriteTimeout <= 0 || hs.IdleTimeout <= 0 || hs.MaxHeaderBytes <= 0 {
		t.Errorf("timeouts %+v", hs)
	}
	if hs.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("slow clients may hold a connection for %v before sending headers", hs.ReadHeaderTimeout)
	}
}
