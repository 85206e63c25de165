package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/policy"
)

// How POST /api/v1/decisions answers the service's errors: a store
// failure is the server's (500) even when the service wraps it in an
// input error, as the command's service wraps every failure of a
// decision; an input error alone is 400; the maker-checker's own errors
// 403, 404, 409. The request is bob's (assessor) through the middleware.
func TestDecisionErrors(t *testing.T) {
	storeErr := errors.New("sql: database is closed")
	for _, c := range []struct {
		name string
		err  error
		code int
	}{
		{"store error wrapped as input", &policy.InputError{Err: &StoreError{Err: storeErr}}, http.StatusInternalServerError},
		{"store error", &StoreError{Err: storeErr}, http.StatusInternalServerError},
		{"input error", &policy.InputError{Err: errors.New(`--decision must be approved, conditional or rejected, got "maybe"`)}, http.StatusBadRequest},
		{"own proposal", ledger.ErrOwnProposal, http.StatusForbidden},
		{"no proposal", ledger.ErrNoProposal, http.StatusNotFound},
		{"not proposed", ledger.ErrNotProposed, http.StatusConflict},
		{"anything else", errors.New("disk full"), http.StatusInternalServerError},
	} {
		t.Run(c.name, func(t *testing.T) {
			rig := newAuthRig(t, false, Options{Decisions: &DecisionService{
				Propose: func(context.Context, DecisionRequest, time.Time) (DecisionResult, error) {
					return DecisionResult{}, c.err
				},
			}})
			r := httptest.NewRequest("POST", "/api/v1/decisions",
				strings.NewReader(`{"decision": {"target": "pkg:maven/com.alibaba/fastjson@1.2.24", "decision": "approved", "why": "x"}}`))
			r.RemoteAddr = "10.0.0.9:4000"
			r.Header.Set("Content-Type", "application/json")
			r.Header.Set("Authorization", "Bearer "+rig.keys[auth.Assessor])
			w := httptest.NewRecorder()
			rig.srv.Handler().ServeHTTP(w, r)
			if w.Code != c.code {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, c.code)
			}
			p := problemOf(t, w)
			if c.code == 500 && p.Detail != "internal error (see the server log)" {
				t.Errorf("500 tells the cause: %q", p.Detail)
			}
		})
	}
}

// The analysis request body does not require by: the request's identity
// names who decided (the handler drops by from the required fields when
// an identity is in the context, as the middleware always puts one).
func TestOpenAPIAnalysisByOptional(t *testing.T) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Schema struct {
						Required []string `json:"required"`
					} `json:"schema"`
				} `json:"content"`
			} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	req := doc.Paths["/api/v1/vulnerabilities/{finding}/analysis"]["post"].RequestBody.Content["application/json"].Schema.Required
	if !slices.Equal(req, []string{"state", "why"}) {
		t.Errorf("required %v, want [state why]", req)
	}
}
