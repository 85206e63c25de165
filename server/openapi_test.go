package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestOpenAPI keeps openapi.json true: every documented operation is
// served by a registered API route and every API route is documented;
// then each example request below is sent, and its status must be one
// the operation documents, with the documented content type and a body
// that satisfies the documented schema (types, required keys, and no
// undocumented key where the schema closes its properties).
func TestOpenAPI(t *testing.T) {
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Comps   struct {
			Schemas map[string]any `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", doc.OpenAPI)
	}
	f := newAPIFixture(t)
	srv, _ := New(Options{Store: f.st})
	mux := srv.handler.(*guard).mux
	registered := map[string]bool{}
	for _, rt := range srv.apiRoutes() {
		registered[rt.pattern] = false
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			m := strings.ToUpper(method)
			concrete := strings.NewReplacer("{id}", "github.com%2Fo%2Fp1", "{finding}", "F-1").Replace(path)
			req := httptest.NewRequest(m, concrete, nil)
			_, pattern := mux.Handler(req)
			if _, ok := registered[pattern]; !ok {
				t.Errorf("%s %s is documented but served by %q, not an API route", m, path, pattern)
				continue
			}
			registered[pattern] = true
		}
	}
	for p, seen := range registered {
		if !seen {
			t.Errorf("route %s is not documented", p)
		}
	}

	type op struct {
		Responses map[string]struct {
			Headers map[string]any `json:"headers"`
			Content map[string]struct {
				Schema any `json:"schema"`
			} `json:"content"`
		} `json:"responses"`
	}
	// Every read documents its ETag, the 304 it answers to If-None-Match
	// and the 500 of a failure; every operation documents the 500.
	for path, ops := range doc.Paths {
		for m, raw := range ops {
			var o op
			if err := json.Unmarshal(raw, &o); err != nil {
				t.Fatal(err)
			}
			want := []string{"500"}
			if m == "get" {
				want = append(want, "304")
				if _, ok := o.Responses["200"].Headers["ETag"]; !ok {
					t.Errorf("GET %s: 200 without the ETag header documented", path)
				}
			}
			for _, code := range want {
				if _, ok := o.Responses[code]; !ok {
					t.Errorf("%s %s: %s not documented", strings.ToUpper(m), path, code)
				}
			}
		}
	}
	checked := map[string]bool{}
	for _, ex := range []struct{ method, path, docPath string }{
		{"GET", "/api/v1/openapi.json", "/api/v1/openapi.json"},
		{"GET", "/api/v1/subjects?limit=2", "/api/v1/subjects"},
		{"GET", "/api/v1/subjects?grade=A..C&supplier=Acme", "/api/v1/subjects"},
		{"GET", "/api/v1/subjects?system=payments", "/api/v1/subjects"},
		{"GET", "/api/v1/subjects?grde=B", "/api/v1/subjects"},
		{"GET", "/api/v1/subjects/supplier%2Facme", "/api/v1/subjects/{id}"},
		{"GET", "/api/v1/subjects/github.com%2Fo%2Fnope", "/api/v1/subjects/{id}"},
		{"GET", "/api/v1/subjects/github.com%2Fo%2Fp3/results", "/api/v1/subjects/{id}/results"},
		{"GET", "/api/v1/subjects/github.com%2Fo%2Fp3/results?period=2026Q3", "/api/v1/subjects/{id}/results"},
		{"GET", "/api/v1/subjects/github.com%2Fo%2Fp3/history", "/api/v1/subjects/{id}/history"},
		{"GET", "/api/v1/subjects/github.com%2Fo%2Fp3/indicators", "/api/v1/subjects/{id}/indicators"},
		{"GET", "/api/v1/results?limit=3", "/api/v1/results"},
		{"GET", "/api/v1/results?period=2026Q3", "/api/v1/results"},
		{"GET", "/api/v1/runs", "/api/v1/runs"},
		{"POST", "/api/v1/runs", "/api/v1/runs"}, // no scheduler: 503
		{"GET", "/api/v1/status", "/api/v1/status"},
		{"GET", "/api/v1/inventory/components?name=fastjson", "/api/v1/inventory/components"},
		{"GET", "/api/v1/inventory/components?kev=maybe", "/api/v1/inventory/components"},
		{"GET", "/api/v1/vulnerabilities", "/api/v1/vulnerabilities"},    // not configured: 503
		{"POST", "/api/v1/check?system=payments", "/api/v1/check"},       // not configured: 503
		{"GET", "/api/v1/decisions?state=proposed", "/api/v1/decisions"}, // not configured: 503
		{"POST", "/api/v1/decisions", "/api/v1/decisions"},
		{"POST", "/api/v1/decisions/prop-1/confirm", "/api/v1/decisions/{id}/confirm"},
		{"POST", "/api/v1/decisions/prop-1/reject", "/api/v1/decisions/{id}/reject"},
	} {
		var o op
		if err := json.Unmarshal(doc.Paths[ex.docPath][strings.ToLower(ex.method)], &o); err != nil {
			t.Fatalf("%s %s: %v", ex.method, ex.docPath, err)
		}
		checked[ex.method+" "+ex.docPath] = true
		req, _ := http.NewRequest(ex.method, f.ts.URL+ex.path, strings.NewReader(`{"kind":"collect"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body any
		derr := json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		code := fmt.Sprint(resp.StatusCode)
		r, ok := o.Responses[code]
		if !ok {
			t.Errorf("%s %s: status %s not documented", ex.method, ex.path, code)
			continue
		}
		ct, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
		c, ok := r.Content[ct]
		if !ok {
			t.Errorf("%s %s: %s content type %q not documented", ex.method, ex.path, code, ct)
			continue
		}
		if derr != nil {
			t.Errorf("%s %s: %v", ex.method, ex.path, derr)
			continue
		}
		for _, e := range conform(body, c.Schema, doc.Comps.Schemas, "$") {
			t.Errorf("%s %s (%s): %s", ex.method, ex.path, code, e)
		}
		// A read's 200 carries an ETag, and the ETag sent back is a 304.
		if ex.method == "GET" && resp.StatusCode == http.StatusOK {
			etag := resp.Header.Get("ETag")
			if etag == "" {
				t.Errorf("GET %s: no ETag", ex.path)
				continue
			}
			req, _ := http.NewRequest("GET", f.ts.URL+ex.path, nil)
			req.Header.Set("If-None-Match", etag)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("GET %s with If-None-Match %s: %d, want 304", ex.path, etag, resp.StatusCode)
			}
		}
	}
	for path, ops := range doc.Paths {
		for m := range ops {
			if k := strings.ToUpper(m) + " " + path; !checked[k] && !slices.Contains([]string{"POST /api/v1/vulnerabilities/{finding}/analysis"}, k) {
				t.Errorf("%s has no example request in this test", k)
			}
		}
	}
}

// schemaKeywords are the JSON Schema keywords conform knows; a schema
// with any other keyword is an error, so that the document cannot say
// more than this test checks.
var schemaKeywords = []string{"$ref", "allOf", "type", "required", "properties", "additionalProperties", "items", "enum",
	"description", "format", "minimum", "maximum"}

// conform checks v against a JSON Schema subset: $ref, allOf (each
// subschema on its own, as JSON Schema applies them: a subschema's
// additionalProperties sees only its own properties), type (one or
// several), required, properties, additionalProperties false or a
// schema, items, enum, minimum and maximum; description and format are
// annotations. Any other keyword is reported.
func conform(v, schema any, defs map[string]any, at string) []string {
	s, _ := schema.(map[string]any)
	if s == nil {
		return nil
	}
	var errs []string
	for k := range s {
		if !slices.Contains(schemaKeywords, k) {
			errs = append(errs, fmt.Sprintf("%s: schema keyword %q is not checked by this test", at, k))
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		def, ok := defs[strings.TrimPrefix(ref, "#/components/schemas/")]
		if !ok {
			return append(errs, fmt.Sprintf("%s: $ref %s names no schema", at, ref))
		}
		return append(errs, conform(v, def, defs, at)...)
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, conform(v, sub, defs, at)...)
		}
	}
	if types := typesOf(s["type"]); len(types) > 0 && !slices.Contains(types, jsonType(v)) &&
		!(jsonType(v) == "integer" && slices.Contains(types, "number")) {
		return append(errs, fmt.Sprintf("%s: %s, want %v", at, jsonType(v), types))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		errs = append(errs, fmt.Sprintf("%s: %v not in %v", at, v, enum))
	}
	if n, ok := v.(float64); ok {
		if lo, ok := s["minimum"].(float64); ok && n < lo {
			errs = append(errs, fmt.Sprintf("%s: %v below the minimum %v", at, n, lo))
		}
		if hi, ok := s["maximum"].(float64); ok && n > hi {
			errs = append(errs, fmt.Sprintf("%s: %v above the maximum %v", at, n, hi))
		}
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		for _, k := range req {
			if _, ok := x[k.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required key %q missing", at, k))
			}
		}
		for k, val := range x {
			if ps, ok := props[k]; ok {
				errs = append(errs, conform(val, ps, defs, at+"."+k)...)
			} else if ap, ok := s["additionalProperties"]; ok {
				if ap == false {
					errs = append(errs, fmt.Sprintf("%s: key %q not documented", at, k))
				} else {
					errs = append(errs, conform(val, ap, defs, at+"."+k)...)
				}
			}
		}
	case []any:
		for i, it := range x {
			errs = append(errs, conform(it, s["items"], defs, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return errs
}

func typesOf(t any) []string {
	switch x := t.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, y := range x {
			out = append(out, y.(string))
		}
		return out
	}
	return nil
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == float64(int64(x)) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "?"
}

// TestConform: conform reads allOf as JSON Schema does (each subschema on its own)
// and refuses keywords it does not check.
func TestConform(t *testing.T) {
	defs := map[string]any{}
	json.Unmarshal([]byte(`{
		"Subject": {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"], "additionalProperties": false},
		"Item": {"allOf": [{"$ref": "#/components/schemas/Subject"}], "type": "object",
			"properties": {"id": {"type": "string"}, "systems": {"type": "array"}}, "additionalProperties": false},
		"Loose": {"type": "object", "unevaluatedProperties": false}
	}`), &defs)
	item := map[string]any{"id": "x", "systems": []any{}}
	// Subject closes its properties: "systems" is not one of them.
	if errs := conform(item, map[string]any{"$ref": "#/components/schemas/Item"}, defs, "$"); len(errs) != 1 || !strings.Contains(errs[0], `"systems" not documented`) {
		t.Errorf("allOf with a closed subschema: %v", errs)
	}
	if errs := conform(map[string]any{}, map[string]any{"$ref": "#/components/schemas/Loose"}, defs, "$"); len(errs) != 1 || !strings.Contains(errs[0], "unevaluatedProperties") {
		t.Errorf("unknown keyword: %v", errs)
	}
}
