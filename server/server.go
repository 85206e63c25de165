// Package server is the HTTP side of `osgauge serve`: the latest
// dashboard, the report downloads, a JSON API over the store and the
// scheduler, health and Prometheus metrics. It uses net/http only.
//
// Routes (Go 1.22 patterns):
//
//	GET  /                               the newest osgauge-*.html in the report directory
//	GET  /reports/                       the reports, with downloads (Accept: application/json for JSON)
//	GET  /reports/{file}                 one report: osgauge-<period>.(xlsx|html|json), nothing else
//	GET  /api/v1/subjects                subjects (?kind=project|supplier|institution)
//	GET  /api/v1/subjects/{id}           one subject
//	GET  /api/v1/subjects/{id}/results   its results (?period=2026Q4; default the current quarter)
//	GET  /api/v1/runs                    recent runs (?limit=50&kind=collect)
//	POST /api/v1/runs                    start a job now: body {"kind":"collect"|"scorecard"|"report"} (default collect); 202, 409 if running
//	GET  /api/v1/status                  jobs, next runs, last outcomes, rate limit remaining, freshness of each source
//	POST /api/v1/check?system=NAME       body: an SBOM; osgauge check's answer (?format=json|sarif|junit|text, default json)
//	GET  /healthz                        liveness (never needs the token)
//	GET  /metrics                        Prometheus text format
//
// Subject ids contain slashes (github.com/o/r). Send them URL-escaped as
// one path segment: /api/v1/subjects/github.com%2Fo%2Fr/results. The
// unescaped form (/api/v1/subjects/github.com/o/r/results) is accepted
// too, since everything between /subjects/ and a final /results is taken
// as the id.
//
// Authentication (authn.go): every route except /healthz and the sign-in
// routes needs an identity — a sign-in session, a per-user API key
// ("Authorization: Bearer <key>", or HTTP Basic with the key as the
// password, so that a browser can open the dashboard), the legacy shared
// token (an admin), or a trusted proxy's header — unless no users are
// configured and no token is set (loopback, as before). Each route needs
// a role (auth.Need); state-changing requests are audited.
// CheckListenUsers refuses a non-loopback address without users.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/queue"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

// Jobs is what the server needs of the scheduler.
type Jobs interface {
	Status() []scheduler.Status
	Trigger(name string) (<-chan struct{}, error)
	Period(name string) time.Duration
	Has(name string) bool
}

// QueueStats is what /metrics needs of the job queue (*queue.Queue).
type QueueStats interface {
	Stats(ctx context.Context) (queue.QueueStats, error)
}

// Options configure a Server.
type Options struct {
	Store *store.Store
	// Jobs is the scheduler; nil serves the store read-only (POST
	// /api/v1/runs answers 503).
	Jobs Jobs
	// ReportDir holds osgauge-<period>.{xlsx,html,json}.
	ReportDir string
	// Token is the legacy shared token (OSGAUGE_TOKEN): accepted as an
	// admin key, with a warning (authn.go).
	Token string
	// Keys are the per-user API keys (server.auth.tokens_file) and Proxy
	// the trusted proxy (server.auth.trusted_proxy); nil: none (authn.go).
	Keys  *auth.Keys
	Proxy *auth.Proxy
	// SourceJobs names, per source, the job whose schedule keeps it
	// fresh; sources not listed are kept by "collect".
	SourceJobs map[string]string
	// Sources are the sources expected to have observations (listed in
	// the status even before their first observation).
	Sources []string
	Metrics *Metrics
	// Queue, if set, reports the durable job queue's state for /metrics.
	Queue  QueueStats
	Logger *slog.Logger
	Now    func() time.Time
	// MaxBody bounds request bodies (default 1 MiB; larger: 413).
	MaxBody int64
	// Check, if set, answers POST /api/v1/check (else 503); MaxSBOM
	// bounds its body (default DefaultMaxSBOM).
	Check   Checker
	MaxSBOM int64
	// Vulns, if set, answers /api/v1/vulnerabilities (else 503).
	Vulns *VulnService
	// Decisions, if set, answers /api/v1/decisions (proposals and their
	// confirmations, decisions.go; else 503).
	Decisions *DecisionService
	// SubjectsTTL is how long the subject list is served from memory
	// before the store is asked whether a run started or ended or a
	// subject was added since (default 1s; negative: asked every time).
	SubjectsTTL time.Duration
	// Inventory, if set, builds the judged inventory for
	// /api/v1/inventory/components (else 503); it is kept for
	// InventoryTTL (default 30s; negative: built every time).
	Inventory    func(ctx context.Context) (*reports.Inventory, error)
	InventoryTTL time.Duration
	// OIDC, if set, serves single sign-on (/auth/login, /auth/callback,
	// /auth/logout: oidc.go); its sessions identify people (OIDC.Identify).
	OIDC *OIDC
}

// Server serves the dashboard, the reports and the API.
type Server struct {
	opt      Options
	authn    *authn
	handler  http.Handler
	views    subjectViews
	inv      inventoryCache
	totalsMu sync.Mutex
	totals   map[any]any // resultTotal's counts
}

// New returns a server.
func New(opt Options) (*Server, error) {
	if opt.Store == nil {
		return nil, errors.New("server: no store")
	}
	if opt.Metrics == nil {
		opt.Metrics = NewMetrics()
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = 1 << 20
	}
	if opt.SubjectsTTL == 0 {
		opt.SubjectsTTL = time.Second
	}
	if opt.InventoryTTL == 0 {
		opt.InventoryTTL = 30 * time.Second
	}
	s := &Server{opt: opt, authn: newAuthn(opt.Token), views: subjectViews{ttl: opt.SubjectsTTL, views: map[string]*subjectView{}, building: map[string]chan struct{}{}},
		inv: inventoryCache{ttl: opt.InventoryTTL}, totals: map[any]any{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.dashboard)
	mux.HandleFunc("GET /reports", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/reports/", http.StatusMovedPermanently)
	})
	mux.HandleFunc("GET /reports/{$}", s.reportList)
	mux.HandleFunc("GET /reports/{file}", s.reportFile)
	for _, rt := range s.apiRoutes() {
		h := rt.handler
		if strings.HasPrefix(rt.pattern, "GET ") {
			h = bounded(h)
		}
		mux.HandleFunc(rt.pattern, h)
	}
	mux.HandleFunc(apiCatchAll, s.apiNotFound) // routes.go: other /api/v1 paths and methods, as problems
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /metrics", s.metrics)
	if opt.OIDC != nil {
		opt.OIDC.addr = s.sourceAddr // failed sign-ins counted by the client's address (authn.go)
		opt.OIDC.Register(mux)
	}
	s.handler = s.guard(s.middleware, mux) // guard.go: Host, cross-origin and body checks around the middleware
	return s, nil
}

// Handler returns the server's handler (auth, limits and headers included).
func (s *Server) Handler() http.Handler { return s.handler }

// HTTPServer returns an http.Server for addr with the handler and
// timeouts: slow clients cannot hold connections open for ever.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // workbooks of large portfolios
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.opt.Logger.Handler(), slog.LevelWarn),
	}
}

// CheckListen refuses to listen beyond loopback without a token.
// tokenEnv names the variable, for the message.
func CheckListen(addr, token, tokenEnv string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--listen %q: %w", addr, err)
	}
	if token != "" || IsLoopback(host) {
		return nil
	}
	where := host
	if where == "" {
		where = "every interface"
	}
	return fmt.Errorf("--listen %s listens beyond loopback (%s): set a token in the environment variable %s "+
		"(clients then send \"Authorization: Bearer <token>\"), or listen on 127.0.0.1", addr, where, tokenEnv)
}

// IsLoopback reports whether host (an IP or "localhost") is loopback only.
// An empty host means every interface: not loopback.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// --- middleware ---------------------------------------------------------

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			code := sw.code
			if code == 0 {
				code = http.StatusOK
			}
			route := r.Pattern
			if route == "" {
				route = "unmatched"
			}
			s.opt.Metrics.observeHTTP(route, code, time.Since(start))
		}()
		h := sw.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		var ok bool
		if r, ok = s.authenticate(sw, r); !ok { // authn.go: the identity and its role
			return
		}
		limit := s.bodyLimit(r)
		if r.ContentLength > limit {
			writeError(sw, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", limit))
			return
		}
		r.Body = http.MaxBytesReader(sw, r.Body, limit)
		s.serveAudited(sw, r, next) // authn.go: state-changing requests to the audit log
	})
}

// --- responses ----------------------------------------------------------

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// writeError answers an RFC 9457 problem (conventions.go).
func writeError(w http.ResponseWriter, code int, msg string) {
	writeProblem(w, problem{Status: code, Detail: msg})
}

// serverError logs err and answers 500 without details.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	s.opt.Logger.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal error (see the server log)")
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
