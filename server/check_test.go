package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/policy"
	"github.com/osgauge/osgauge/store"
)

// fakeChecker answers like osgauge check: "broken" in the body is an
// input error, "boom" a server error; otherwise one unapproved component
// named by the body blocks.
func fakeChecker(ctx context.Context, system, name string, body io.Reader) (policy.Result, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return policy.Result{}, &policy.InputError{Err: err}
	}
	switch strings.TrimSpace(string(data)) {
	case "broken":
		return policy.Result{}, &policy.InputError{Err: errors.New(name + ": not valid JSON: line 3: invalid character")}
	case "boom":
		return policy.Result{}, errors.New("store: disk I/O error")
	}
	comps := []policy.Component{{Name: strings.TrimSpace(string(data)), Version: "1.0", PURL: "pkg:npm/x@1.0", Direct: true}}
	return policy.NewResult(system, name, comps, policy.Defaults(), now), nil
}

func checkServer(t *testing.T, opt Options) *httptest.Server {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	opt.Store, opt.Now = st, func() time.Time { return now }
	srv, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func post(t *testing.T, url, tok, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestCheckAPI(t *testing.T) {
	ts := checkServer(t, Options{Check: fakeChecker, Token: token, MaxBody: 64, MaxSBOM: 1024})
	u := ts.URL + "/api/v1/check"

	// The same JSON as osgauge check --format json; 200 though it blocks.
	resp, body := post(t, u+"?system=payments&sbom=bom.json", token, "left-pad")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var doc struct {
		Passed   bool
		System   string
		SBOM     string
		Findings []policy.Finding
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Passed || doc.System != "payments" || doc.SBOM != "bom.json" || len(doc.Findings) != 1 || doc.Findings[0].Rule != "unapproved" ||
		doc.Findings[0].Fix != "request intake: osgauge intake assess pkg:npm/x@1.0" {
		t.Errorf("answer: %s", body)
	}

	// A body over MaxBody (64 bytes here) but under MaxSBOM is read.
	big := strings.Repeat("x", 200)
	if resp, body := post(t, u+"?system=payments", token, big); resp.StatusCode != 200 {
		t.Errorf("200-byte SBOM: %d %s", resp.StatusCode, body)
	}

	// Formats.
	resp, body = post(t, u+"?system=payments&format=sarif", token, "left-pad")
	if resp.Header.Get("Content-Type") != "application/sarif+json" || !strings.Contains(body, `"version": "2.1.0"`) {
		t.Errorf("sarif: %s %s", resp.Header.Get("Content-Type"), body)
	}
	resp, body = post(t, u+"?system=payments&format=junit", token, "left-pad")
	if !strings.Contains(body, `<failure type="unapproved"`) {
		t.Errorf("junit: %s", body)
	}

	// Errors: unauthenticated, no system, a bad format, a broken SBOM
	// (400 with the line), a server error (500 without details).
	for _, tc := range []struct {
		query, tok, body string
		code             int
		want             string
	}{
		{"?system=payments", "", "left-pad", 401, "bearer token"},
		{"", token, "left-pad", 400, "system: name the system"},
		{"?system=payments&format=xml", token, "left-pad", 400, `format: \"xml\"`},
		{"?system=payments&sbom=bom.json", token, "broken", 400, "bom.json: not valid JSON: line 3"},
		{"?system=payments", token, "boom", 500, "internal error"},
	} {
		resp, body := post(t, u+tc.query, tc.tok, tc.body)
		if resp.StatusCode != tc.code || !strings.Contains(body, tc.want) {
			t.Errorf("%s %q: %d %s; want %d and %q", tc.query, tc.body, resp.StatusCode, body, tc.code, tc.want)
		}
	}
	if resp, _ := post(t, u+"?system=payments", token, strings.Repeat("y", 1025)); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("over MaxSBOM: %d", resp.StatusCode)
	}

	// Without a checker: 503.
	ts2 := checkServer(t, Options{})
	if resp, body := post(t, ts2.URL+"/api/v1/check?system=s", "", "x"); resp.StatusCode != 503 {
		t.Errorf("no checker: %d %s", resp.StatusCode, body)
	}
}
