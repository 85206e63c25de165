package auth

import (
	"net/http/httptest"
	"testing"
)

func TestNeed(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         Role
	}{
		{"GET", "/", Viewer},
		{"GET", "/api/v1/subjects/github.com%2Fo%2Fr/results", Viewer},
		{"GET", "/metrics", Viewer},
		{"POST", "/api/v1/check", Viewer}, // a pipeline's check
		{"POST", "/api/v1/runs", Assessor},
		{"POST", "/api/v1/vulnerabilities/f-1/analysis", Assessor},
		{"POST", "/api/v1/decisions", Assessor},
		{"POST", "/api/v1/vex", Assessor},
		{"POST", "/api/v1/sboms/payments", Assessor},
		{"POST", "/api/v1/decisions/d-7/confirm", Approver},
		{"POST", "/api/v1/decisions/d-7/reject", Approver},
		{"POST", "/api/v1/waivers", Approver},
		{"POST", "/api/v1/tokens", Admin},
		{"DELETE", "/api/v1/tokens/k123", Admin},
		{"GET", "/api/v1/tokens", Admin},
		// A state-changing route without a rule fails closed: admin.
		{"POST", "/api/v1/something-new", Admin},
		{"DELETE", "/api/v1/runs", Admin},
	} {
		got, rule := Need(httptest.NewRequest(tc.method, tc.path, nil))
		if got != tc.want {
			t.Errorf("%s %s needs %s (rule %q), want %s", tc.method, tc.path, got, rule, tc.want)
		}
	}
	if Changes(httptest.NewRequest("POST", "/api/v1/check", nil)) || !Changes(httptest.NewRequest("POST", "/api/v1/runs", nil)) ||
		Changes(httptest.NewRequest("GET", "/api/v1/runs", nil)) {
		t.Error("Changes")
	}
	if !Public(httptest.NewRequest("GET", "/healthz", nil)) || !Public(httptest.NewRequest("GET", "/auth/callback", nil)) ||
		Public(httptest.NewRequest("GET", "/", nil)) || Public(httptest.NewRequest("GET", "/auth/other", nil)) {
		t.Error("Public")
	}
}
