package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/store"
)

// apiFixture: a store of six projects and two suppliers, assessed for
// 2026Q4, one project in an SBOM of system "payments", served with the
// subject view asked on every request (SubjectsTTL < 0).
//
//	project  grade            gates           status
//	p1       A                -               ok
//	p2       B                G-KEV           ok
//	p3       between D and B  -               ok
//	p4       C                G-KEV (waived)  ok
//	p5       -                -               inconclusive
//	p6       E                G-OLD           ok
//
// Acme supports p1 and p2 (by name), Beta supports p6.
type apiFixture struct {
	st  *store.Store
	ts  *httptest.Server
	inv *reports.Inventory
}

func newAPIFixture(t *testing.T) *apiFixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, s := range []models.Subject{
		{Kind: models.KindProject, ID: "github.com/o/p1", Name: "p1"},
		{Kind: models.KindProject, ID: "github.com/o/p2", Name: "p2"},
		{Kind: models.KindProject, ID: "github.com/o/p3", Name: "p3"},
		{Kind: models.KindProject, ID: "github.com/o/p4", Name: "p4"},
		{Kind: models.KindProject, ID: "github.com/o/p5", Name: "p5"},
		{Kind: models.KindProject, ID: "github.com/o/p6", Name: "Fastjson"},
		{Kind: models.KindSupplier, ID: "supplier/acme", Name: "Acme", Attrs: map[string]string{"supports": "p1,p2"}},
		{Kind: models.KindSupplier, ID: "supplier/beta", Name: "Beta", Attrs: map[string]string{"supports": "Fastjson"}},
	} {
		if err := st.PutSubject(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	res := func(id, grade string) models.Result {
		return models.Result{SubjectID: "github.com/o/" + id, Model: "project-health", ModelVersion: "1", Grade: grade, Status: "ok", Coverage: 1,
			Score: models.Num(50), AssessedAt: now, Indicators: []models.IndicatorResult{{ID: "I-1", Dimension: "D", Weight: 1, Status: "ok"}}}
	}
	p2, p3, p4, p5, p6 := res("p2", "B"), res("p3", ""), res("p4", "C"), res("p5", ""), res("p6", "E")
	p2.Gates = []models.GateHit{{ID: "G-KEV", Reason: "kev"}}
	p3.GradeRange, p3.GradeEstimate = []string{"D", "B"}, "C"
	p4.Gates = []models.GateHit{{ID: "G-KEV", Reason: "kev", Waived: "EX-1"}}
	p5.Status = "inconclusive"
	p6.Gates = []models.GateHit{{ID: "G-OLD", Reason: "old"}}
	assessQ4(t, st, []models.Result{res("p1", "A"), p2, p3, p4, p5, p6})
	if _, err := st.SaveSnapshot(ctx, store.Snapshot{System: "payments", Path: "p.json", Format: "cyclonedx-json", SHA256: "x", ImportedAt: now},
		[]store.InvComponent{{Key: "pkg:maven/com.alibaba/fastjson@1.2.24", Name: "fastjson", Version: "1.2.24", ProjectID: "github.com/o/p6"}},
		[]store.InvRef{{Key: "pkg:maven/com.alibaba/fastjson@1.2.24", Relation: "direct"}}); err != nil {
		t.Fatal(err)
	}
	f := &apiFixture{st: st}
	f.inv = &reports.Inventory{Components: []reports.InvComponent{
		{Name: "fastjson", Version: "1.2.24", LicenceClass: "permissive", Policy: "allowed", Compatibility: "directly-compatible",
			Systems: []reports.InvUse{{System: "payments"}, {System: "ledger"}}, Vulnerabilities: reports.InvVuln{Critical: 2, KEV: 1}},
		{Name: "fastjson", Version: "1.2.83", LicenceClass: "permissive", Policy: "allowed", Systems: []reports.InvUse{{System: "portal"}}},
		{Name: "mysql-connector", Version: "8.0", LicenceClass: "strong-copyleft", Policy: "banned", Compatibility: "incompatible",
			Systems: []reports.InvUse{{System: "payments"}}, Vulnerabilities: reports.InvVuln{High: 1}},
	}}
	srv, err := New(Options{Store: st, SubjectsTTL: -1, InventoryTTL: -1, Now: func() time.Time { return now },
		Inventory: func(context.Context) (*reports.Inventory, error) { return f.inv, nil }})
	if err != nil {
		t.Fatal(err)
	}
	f.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(f.ts.Close)
	return f
}

func assessQ4(t *testing.T, st *store.Store, rs []models.Result) int64 {
	t.Helper()
	ctx := context.Background()
	run, _ := st.StartRun(ctx, "assess", "2026Q4")
	if err := st.SaveResults(ctx, run, "2026Q4", rs); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, run, store.RunComplete, "", nil); err != nil {
		t.Fatal(err)
	}
	return run
}

func (f *apiFixture) get(t *testing.T, path string, hdr ...string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", f.ts.URL+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: string(b)}
}

type subjectPage struct {
	Count      int    `json:"count"`
	Total      int    `json:"total"`
	Limit      int    `json:"limit"`
	NextCursor string `json:"next_cursor"`
	Subjects   []struct {
		ID         string `json:"id"`
		Kind       string `json:"kind"`
		Assessment []struct {
			Grade string `json:"grade"`
		} `json:"assessment"`
		Systems   []string `json:"systems"`
		Suppliers []string `json:"suppliers"`
	} `json:"subjects"`
}

func (p subjectPage) ids() string {
	var out []string
	for _, s := range p.Subjects {
		out = append(out, strings.TrimPrefix(s.ID, "github.com/o/"))
	}
	return strings.Join(out, " ")
}

func TestSubjectFilters(t *testing.T) {
	f := newAPIFixture(t)
	for q, want := range map[string]string{
		"":                               "p1 p2 p3 p4 p5 p6 supplier/acme supplier/beta", // kind, then id
		"?kind=supplier":                 "supplier/acme supplier/beta",
		"?q=fast":                        "p6",                  // name Fastjson, case-insensitive
		"?q=P3":                          "p3",                  // in the id
		"?grade=B":                       "p2",                  // decided B only: p3 is between D and B
		"?grade=A..C":                    "p1 p2 p4",            // A, B, C decided; p3's range D..B reaches past C
		"?grade=B..D":                    "p2 p3 p4",            // p3's whole range D..B is within B..D
		"?grade=D..B":                    "p2 p3 p4",            // the same range written worst first
		"?gate=G-KEV":                    "p2",                  // p4's G-KEV is waived
		"?gate=any":                      "p2 p6",               // unwaived gates: p2 G-KEV, p6 G-OLD
		"?status=inconclusive":           "p5",                  //
		"?model=project-health":          "p1 p2 p3 p4 p5 p6",   // every project has a result of the model
		"?model=other":                   "",                    //
		"?supplier=Acme":                 "p1 p2 supplier/acme", // by name: what Acme supports, and Acme
		"?supplier=supplier%2Fbeta":      "p6 supplier/beta",    // by id
		"?system=payments":               "p6",                  // fastjson maps to p6
		"?kind=project&gate=any&grade=E": "p6",                  // every filter at once
	} {
		r := f.get(t, "/api/v1/subjects"+q)
		var p subjectPage
		decode(t, r, &p)
		if r.code != 200 || p.ids() != want || p.Total != len(p.Subjects) || p.Count != len(p.Subjects) || p.NextCursor != "" {
			t.Errorf("subjects%s: %d %q (total %d), want %q", q, r.code, p.ids(), p.Total, want)
		}
	}
}

func TestSubjectPagingAcrossARun(t *testing.T) {
	f := newAPIFixture(t)
	var p1 subjectPage
	decode(t, f.get(t, "/api/v1/subjects?kind=project&limit=4"), &p1)
	// 6 projects by id, 4 a page: p1..p4, then p5 p6.
	if p1.ids() != "p1 p2 p3 p4" || p1.Total != 6 || p1.Limit != 4 || p1.NextCursor == "" {
		t.Fatalf("page 1: %q total %d next %q", p1.ids(), p1.Total, p1.NextCursor)
	}
	// Meanwhile a subject sorting before the cursor arrives and a new
	// assessment regrades every project: page 2 still starts after p4.
	ctx := context.Background()
	if err := f.st.PutSubject(ctx, models.Subject{Kind: models.KindProject, ID: "github.com/o/p0", Name: "p0"}); err != nil {
		t.Fatal(err)
	}
	assessQ4(t, f.st, []models.Result{{SubjectID: "github.com/o/p5", Model: "project-health", ModelVersion: "1", Grade: "A", Status: "ok"}})
	var p2 subjectPage
	decode(t, f.get(t, "/api/v1/subjects?kind=project&limit=4&cursor="+p1.NextCursor), &p2)
	// total is now 7 (p0 added); p5 has the new run's grade A.
	if p2.ids() != "p5 p6" || p2.Total != 7 || p2.NextCursor != "" || len(p2.Subjects[0].Assessment) != 1 || p2.Subjects[0].Assessment[0].Grade != "A" {
		t.Errorf("page 2: %q total %d next %q %+v", p2.ids(), p2.Total, p2.NextCursor, p2.Subjects)
	}
}

func TestBadFiltersAreProblems(t *testing.T) {
	f := newAPIFixture(t)
	for path, param := range map[string]string{
		"/api/v1/subjects?grde=B":                          "grde",
		"/api/v1/subjects?kind=robot":                      "kind",
		"/api/v1/subjects?grade=..":                        "grade",
		"/api/v1/subjects?limit=5000":                      "limit", // over MaxPageSize
		"/api/v1/subjects?limit=0":                         "limit",
		"/api/v1/subjects?cursor=bm9wZQ":                   "cursor",
		"/api/v1/subjects?period=tomorrow":                 "period",
		"/api/v1/results?status=fine":                      "status",
		"/api/v1/runs?status=done":                         "status",
		"/api/v1/inventory/components?kev=maybe":           "kev",
		"/api/v1/inventory/components?policy=ok":           "policy",
		"/api/v1/inventory/components?licence_class=gpl":   "licence_class",
		"/api/v1/subjects/github.com%2Fo%2Fp1/results?x=1": "x",
	} {
		r := f.get(t, path)
		var p problem
		decode(t, r, &p)
		if r.code != 400 || r.header.Get("Content-Type") != "application/problem+json" || p.Param != param || p.Status != 400 ||
			p.Title != "Bad Request" || !strings.HasPrefix(p.Detail, param+": ") || p.Error != p.Detail {
			t.Errorf("%s: %d %s %+v, want a 400 problem naming %s", path, r.code, r.header.Get("Content-Type"), p, param)
		}
	}
	r := f.get(t, "/api/v1/subjects/github.com%2Fo%2Fnope")
	if r.code != 404 || r.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(r.body, `"detail": "no subject \"github.com/o/nope\""`) {
		t.Errorf("404: %d %s %s", r.code, r.header.Get("Content-Type"), r.body)
	}
}

func TestETag(t *testing.T) {
	f := newAPIFixture(t)
	for _, path := range []string{"/api/v1/subjects", "/api/v1/status", "/api/v1/results", "/api/v1/runs", "/api/v1/openapi.json",
		"/api/v1/subjects/github.com%2Fo%2Fp1/history"} {
		r := f.get(t, path)
		tag := r.header.Get("ETag")
		if r.code != 200 || !strings.HasPrefix(tag, `"`) {
			t.Fatalf("%s: %d ETag %q", path, r.code, tag)
		}
		for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag} {
			if r2 := f.get(t, path, "If-None-Match", inm); r2.code != 304 || r2.body != "" || r2.header.Get("ETag") != tag {
				t.Errorf("%s If-None-Match %s: %d %q", path, inm, r2.code, r2.body)
			}
		}
		if r3 := f.get(t, path, "If-None-Match", `"other"`); r3.code != 200 {
			t.Errorf("%s other tag: %d", path, r3.code)
		}
	}
	// The status's ETag holds until something happens (not with the
	// clock): a collection that finishes changes it.
	tag := f.get(t, "/api/v1/status").header.Get("ETag")
	ctx := context.Background()
	run, _ := f.st.StartRun(ctx, "collect", "")
	f.st.AppendObservations(ctx, run, []models.Observation{{SubjectID: "github.com/o/p1", Metric: "m", Value: models.Num(1), Source: "github", ObservedAt: now}})
	f.st.FinishRun(ctx, run, store.RunComplete, "", nil)
	r := f.get(t, "/api/v1/status", "If-None-Match", tag)
	var st struct {
		Now     string `json:"now"`
		Sources []struct {
			Source string `json:"source"`
			Newest string `json:"newest_observation"`
		} `json:"sources"`
	}
	decode(t, r, &st)
	// now is 2026-11-24T10:00:00Z (the test clock), RFC 3339 in UTC.
	if r.code != 200 || st.Now != "2026-11-24T10:00:00Z" || len(st.Sources) != 1 || st.Sources[0].Newest != "2026-11-24T10:00:00Z" {
		t.Errorf("status after a collection: %d %s", r.code, r.body)
	}
}

func TestResultsHistoryIndicators(t *testing.T) {
	f := newAPIFixture(t)
	var page struct {
		Total      int    `json:"total"`
		NextCursor string `json:"next_cursor"`
		Results    []struct {
			Subject string `json:"subject"`
			Grade   string `json:"grade"`
		} `json:"results"`
	}
	var got []string
	cursor := ""
	for range 5 {
		page.NextCursor, page.Results = "", nil // fields absent from an answer keep no old value
		decode(t, f.get(t, "/api/v1/results?limit=4&cursor="+cursor), &page)
		for _, r := range page.Results {
			got = append(got, strings.TrimPrefix(r.Subject, "github.com/o/")+r.Grade)
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	// Six results, 4 then 2; p3 and p5 have no decided grade.
	if strings.Join(got, " ") != "p1A p2B p3 p4C p5 p6E" || page.Total != 6 {
		t.Errorf("results %v total %d", got, page.Total)
	}
	decode(t, f.get(t, "/api/v1/results?grade=B"), &page)
	if page.Total != 1 || len(page.Results) != 1 || page.Results[0].Subject != "github.com/o/p2" {
		t.Errorf("grade B: %+v", page)
	}
	if r := f.get(t, "/api/v1/results?period=2026Q3"); r.code != 404 {
		t.Errorf("2026Q3: %d", r.code)
	}
	var inds struct {
		Indicators []struct {
			Model string `json:"model"`
			ID    string `json:"id"`
		} `json:"indicators"`
	}
	decode(t, f.get(t, "/api/v1/subjects/github.com%2Fo%2Fp2/indicators?period=2026Q4"), &inds)
	if len(inds.Indicators) != 1 || inds.Indicators[0].ID != "I-1" || inds.Indicators[0].Model != "project-health" {
		t.Errorf("indicators %+v", inds)
	}
	var hist struct {
		History []struct {
			Period string `json:"period"`
			Grade  string `json:"grade"`
		} `json:"history"`
	}
	// A second Q4 assessment: the history has one point for 2026Q4, the
	// latest run's.
	assessQ4(t, f.st, []models.Result{{SubjectID: "github.com/o/p1", Model: "project-health", ModelVersion: "1", Grade: "B", Status: "ok"}})
	decode(t, f.get(t, "/api/v1/subjects/github.com%2Fo%2Fp1/history"), &hist)
	if len(hist.History) != 1 || hist.History[0].Period != "2026Q4" || hist.History[0].Grade != "B" {
		t.Errorf("history %+v", hist)
	}
}

func TestInventoryComponents(t *testing.T) {
	f := newAPIFixture(t)
	type comps struct {
		Total      int `json:"total"`
		Components []struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Systems []struct {
				System string `json:"system"`
			} `json:"systems"`
		} `json:"components"`
	}
	for q, want := range map[string]string{
		"":                               "fastjson@1.2.24 fastjson@1.2.83 mysql-connector@8.0",
		"?name=fastjson&version=1.2.24":  "fastjson@1.2.24",
		"?licence_class=strong-copyleft": "mysql-connector@8.0",
		"?compatibility=incompatible":    "mysql-connector@8.0",
		"?policy=allowed":                "fastjson@1.2.24 fastjson@1.2.83",
		"?severity=critical":             "fastjson@1.2.24",
		"?severity=high":                 "mysql-connector@8.0",
		"?kev=true":                      "fastjson@1.2.24",
		"?kev=false":                     "fastjson@1.2.83 mysql-connector@8.0",
		"?system=payments":               "fastjson@1.2.24 mysql-connector@8.0",
		"?q=CONNECT":                     "mysql-connector@8.0",
	} {
		var c comps
		decode(t, f.get(t, "/api/v1/inventory/components"+q), &c)
		var got []string
		for _, x := range c.Components {
			got = append(got, x.Name+"@"+x.Version)
		}
		if strings.Join(got, " ") != want || c.Total != len(got) {
			t.Errorf("components%s: %v (total %d), want %s", q, got, c.Total, want)
		}
	}
	// Which systems run fastjson 1.2.24: payments and ledger.
	var c comps
	decode(t, f.get(t, "/api/v1/inventory/components?name=fastjson&version=1.2.24"), &c)
	var systems []string
	for _, s := range c.Components[0].Systems {
		systems = append(systems, s.System)
	}
	if !slices.Equal(systems, []string{"payments", "ledger"}) {
		t.Errorf("systems %v", systems)
	}
}

func TestRunsPaging(t *testing.T) {
	f := newAPIFixture(t)
	// One assess run (id 1) in the fixture; two collect runs more.
	ctx := context.Background()
	for range 2 {
		run, _ := f.st.StartRun(ctx, "collect", "")
		f.st.FinishRun(ctx, run, store.RunComplete, "", nil)
	}
	var p struct {
		Total      int    `json:"total"`
		NextCursor string `json:"next_cursor"`
		Runs       []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"runs"`
	}
	decode(t, f.get(t, "/api/v1/runs?limit=2"), &p)
	// Newest first: 3, 2; then 1.
	if p.Total != 3 || len(p.Runs) != 2 || p.Runs[0].ID != 3 || p.Runs[1].ID != 2 || p.NextCursor == "" {
		t.Fatalf("runs page 1 %+v", p)
	}
	next := p.NextCursor
	p.NextCursor = "" // absent on the last page
	decode(t, f.get(t, "/api/v1/runs?limit=2&cursor="+next), &p)
	if len(p.Runs) != 1 || p.Runs[0].ID != 1 || p.Runs[0].Kind != "assess" || p.NextCursor != "" {
		t.Errorf("runs page 2 %+v", p)
	}
	decode(t, f.get(t, "/api/v1/runs?kind=collect"), &p)
	if p.Total != 2 || len(p.Runs) != 2 {
		t.Errorf("collect runs %+v", p)
	}
	_ = json.Valid
}

// ?name= takes what people type: the full name, the package URL with or
// without its version, or the name's last part (a Maven artifact, an npm
// package without its scope, a Go module's last element), any case.
func TestNameMatches(t *testing.T) {
	maven := reports.InvComponent{Name: "com.alibaba:fastjson", PURL: "pkg:maven/com.alibaba/fastjson@1.2.24"}
	npm := reports.InvComponent{Name: "@babel/core", PURL: "pkg:npm/%40babel/core@7.0.0"}
	gomod := reports.InvComponent{Name: "github.com/pkg/errors", PURL: "pkg:golang/github.com/pkg/errors@v0.9.1"}
	for _, tc := range []struct {
		c    reports.InvComponent
		name string
		want bool
	}{
		{maven, "com.alibaba:fastjson", true},
		{maven, "fastjson", true},
		{maven, "FastJSON", true},
		{maven, "pkg:maven/com.alibaba/fastjson", true},
		{maven, "pkg:maven/com.alibaba/fastjson@1.2.24", true},
		{maven, "fast", false},        // no prefix matching: that is ?q=
		{maven, "com.alibaba", false}, // the group alone is not the component
		{npm, "core", true},
		{npm, "@babel/core", true},
		{gomod, "errors", true},
		{gomod, "pkg/errors", false}, // a partial path is ?q='s job
	} {
		if got := nameMatches(tc.c, tc.name); got != tc.want {
			t.Errorf("nameMatches(%s, %q) = %v, want %v", tc.c.Name, tc.name, got, tc.want)
		}
	}
}
