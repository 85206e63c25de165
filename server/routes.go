package server

import (
	"net/http"
	"slices"
	"strings"
	"sync"
)

// route is one API route: its pattern (Go 1.22 ServeMux) and handler.
// The OpenAPI document (openapi.json) describes each; TestOpenAPI checks
// that they agree.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// apiRoutes are the /api/v1 routes, registered by New.
func (s *Server) apiRoutes() []route {
	return []route{
		{"GET /api/v1/openapi.json", s.openAPI},
		{"GET /api/v1/subjects", s.subjects},
		{"GET /api/v1/subjects/{rest...}", s.subject},
		{"GET /api/v1/results", s.results},
		{"GET /api/v1/runs", s.runs},
		{"POST /api/v1/runs", s.startRun},
		{"GET /api/v1/status", s.status},
		{"POST /api/v1/check", s.check},
		{"GET /api/v1/inventory/components", s.inventoryComponents},
		{"GET /api/v1/vulnerabilities", s.vulnList},
		{"POST /api/v1/vulnerabilities/{finding}/analysis", s.vulnAnalysis},
		{"GET /api/v1/decisions", s.decisionsList},
		{"POST /api/v1/decisions", s.decisionsPropose},
		{"POST /api/v1/decisions/{id}/confirm", s.decisionsConfirm},
		{"POST /api/v1/decisions/{id}/reject", s.decisionsReject},
	}
}

// apiMethods returns a mux of the API's patterns alone (handlers unused):
// it tells the catch-all which methods a path has.
func apiMethods() *http.ServeMux {
	apiMethodsOnce.Do(func() {
		apiMethodsMux = http.NewServeMux()
		for _, rt := range (&Server{}).apiRoutes() {
			apiMethodsMux.HandleFunc(rt.pattern, func(http.ResponseWriter, *http.Request) {})
		}
	})
	return apiMethodsMux
}

var (
	apiMethodsOnce sync.Once
	apiMethodsMux  *http.ServeMux
)

// apiCatchAll is the pattern of every /api/v1 path and method no route
// serves (registered by New after apiRoutes).
const apiCatchAll = "/api/v1/"

// apiNotFound answers what no API route serves as a problem: 405 with
// Allow when the path has other methods, 404 otherwise.
func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		req := r.Clone(r.Context())
		req.Method = m
		if _, pattern := apiMethods().Handler(req); pattern != "" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		writeError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+": it takes "+strings.Join(allow, ", "))
		return
	}
	writeError(w, http.StatusNotFound, "no API route "+r.URL.Path+": see /api/v1/openapi.json")
}
