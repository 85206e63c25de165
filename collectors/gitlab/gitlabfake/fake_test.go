package gitlabfake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors/forge/forgetest"
)

func TestShapes(t *testing.T) {
	now := time.Date(2026, 11, 15, 12, 0, 0, 0, time.UTC)
	s := New(forgetest.Sample(now), WithNow(func() time.Time { return now }), WithPageSize(2))
	defer s.Close()
	get := func(path, inm string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, s.APIURL()+path, nil)
		if inm != "" {
			req.Header.Set("If-None-Match", inm)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	resp, body := get("/projects/acme%2Fwidget/merge_requests?state=all&order_by=updated_at&sort=desc&per_page=100", "")
	if resp.StatusCode != 200 || resp.Header.Get("X-Total") != "3" || resp.Header.Get("X-Total-Pages") != "2" ||
		resp.Header.Get("X-Next-Page") != "2" || resp.Header.Get("X-Per-Page") != "2" || !strings.Contains(resp.Header.Get("Link"), `rel="next"`) ||
		resp.Header.Get("RateLimit-Remaining") == "" || resp.Header.Get("ETag") == "" {
		t.Fatalf("headers %v", resp.Header)
	}
	var mrs []map[string]any
	if err := json.Unmarshal(body, &mrs); err != nil || len(mrs) != 2 {
		t.Fatalf("body %s", body)
	}
	// Newest updated first: !7 (5 d), !5 (28 d, merged: closed_at null).
	if mrs[0]["iid"].(float64) != 7 || mrs[1]["state"] != "merged" || mrs[1]["closed_at"] != nil || mrs[1]["merged_at"] == nil {
		t.Errorf("merge requests %v", mrs)
	}
	resp2, body2 := get("/projects/acme%2Fwidget/merge_requests?state=all&order_by=updated_at&sort=desc&per_page=100", resp.Header.Get("ETag"))
	if resp2.StatusCode != 304 || len(body2) != 0 || resp2.Header.Get("X-Next-Page") != "2" {
		t.Errorf("conditional GET: %d %v", resp2.StatusCode, resp2.Header)
	}
	resp, body = get("/projects/acme%2Fnope", "")
	if resp.StatusCode != 404 || strings.TrimSpace(string(body)) != `{"message":"404 Project Not Found"}` {
		t.Errorf("404: %d %s", resp.StatusCode, body)
	}
	_, body = get("/projects/acme%2Fwidget/issues/2/notes?sort=asc&order_by=created_at", "")
	var notes []map[string]any
	json.Unmarshal(body, &notes)
	if len(notes) != 2 || notes[0]["system"] != true { // page size 2
		t.Errorf("notes %s", body)
	}
	if s.NotModified() != 1 || s.Requests() != 4 {
		t.Errorf("counts %d %d", s.Requests(), s.NotModified())
	}
}
