package auth

import (
	"net/http"
	"sync"
)

// Rule says which role a request pattern (Go 1.22 ServeMux syntax: method,
// path, {wildcards}, a trailing slash for a subtree) needs.
type Rule struct {
	Pattern string
	Need    Role
}

// Rules are the roles the state-changing API routes need. Reads (GET,
// HEAD) need viewer; a state-changing request no rule names needs admin,
// so that a route added without a rule fails closed.
var Rules = []Rule{
	// A pipeline's check reads: viewer.
	{"POST /api/v1/check", Viewer},
	// Assessors start collections, propose decisions, exits and
	// vulnerability analyses, import VEX and SBOMs.
	{"POST /api/v1/runs", Assessor},
	{"POST /api/v1/vulnerabilities/{finding}/analysis", Assessor},
	{"POST /api/v1/decisions", Assessor},
	{"POST /api/v1/exits", Assessor},
	{"POST /api/v1/vex", Assessor},
	{"POST /api/v1/vex/", Assessor},
	{"POST /api/v1/sboms", Assessor},
	{"POST /api/v1/sboms/", Assessor},
	{"POST /api/v1/imports/", Assessor},
	// Approvers confirm or reject what was proposed and grant waivers.
	{"POST /api/v1/decisions/{id}/confirm", Approver},
	{"POST /api/v1/decisions/{id}/reject", Approver},
	{"POST /api/v1/waivers", Approver},
	{"POST /api/v1/waivers/", Approver},
	// Admins manage users, keys and settings.
	{"/api/v1/tokens", Admin},
	{"/api/v1/tokens/", Admin},
	{"/api/v1/users", Admin},
	{"/api/v1/users/", Admin},
	{"/api/v1/settings", Admin},
	{"/api/v1/settings/", Admin},
}

var (
	policyOnce sync.Once
	policyMux  *http.ServeMux
	policyNeed map[string]Role
)

func policy() (*http.ServeMux, map[string]Role) {
	policyOnce.Do(func() {
		policyMux = http.NewServeMux()
		policyNeed = map[string]Role{}
		nop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
		for _, r := range Rules {
			policyMux.Handle(r.Pattern, nop)
			policyNeed[r.Pattern] = r.Need
		}
	})
	return policyMux, policyNeed
}

// Public says whether r needs no identity at all: liveness (/healthz)
// and the sign-in routes (/auth/…), which are how one gets an identity.
func Public(r *http.Request) bool {
	p := r.URL.Path
	return p == "/healthz" || p == "/auth/login" || p == "/auth/callback" || p == "/auth/logout"
}

// Need is the role r needs, and the rule that says so (the pattern, or
// "read" / "state-changing request" for the defaults).
func Need(r *http.Request) (Role, string) {
	mux, need := policy()
	if _, pattern := mux.Handler(r); pattern != "" {
		if role, ok := need[pattern]; ok {
			// A rule without a method (the admin subtrees) covers reads
			// too: who may read the keys is who may manage them.
			return role, pattern
		}
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return Viewer, "read"
	}
	return Admin, "state-changing request"
}

// Changes says whether r changes state (and so is audited): every method
// but GET, HEAD and OPTIONS, except POST /api/v1/check, which only reads.
func Changes(r *http.Request) bool {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return !(r.Method == http.MethodPost && r.URL.Path == "/api/v1/check")
}
