package server

import "net/http"

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
