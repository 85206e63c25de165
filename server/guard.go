package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
)

// The guard keeps web pages from driving the server through a browser:
//
//   - Host: on a loopback bind (the http.Server's Addr, as HTTPServer sets
//     it; else the address the connection came in on) only Host
//     localhost, 127.0.0.1 or [::1] with the listen port, or a name given
//     to Trust, is answered; any other is 421 Misdirected Request. A page
//     that rebinds its own name to 127.0.0.1 sends its own name as Host,
//     so it can neither read /api/v1/* and the reports nor post. Beyond
//     loopback every Host is served (a proxy in front names the server
//     as it likes; the token protects it there).
//   - Cross-origin: every request but GET, HEAD and OPTIONS goes through
//     net/http.CrossOriginProtection (Sec-Fetch-Site, else Origin against
//     Host); a cross-site one is 403. Origins given to Trust are let
//     through.
//   - Bodies: a state-changing route (POST, PUT, PATCH, DELETE) takes
//     Content-Type application/json (415 otherwise: no HTML form can send
//     it, and a page's fetch with it needs a CORS preflight the server
//     never grants) and a non-empty body (400). POST /api/v1/check takes
//     an SBOM as it is: JSON, XML or SPDX tag-value types, never a form's
//     (application/x-www-form-urlencoded, multipart/form-data,
//     text/plain).
//
// Host and cross-origin checks run before authentication (a rebinding
// page gets no password prompt), the body checks after it (without the
// token: 401, whatever the body).
type guard struct {
	cop   *http.CrossOriginProtection
	mux   *http.ServeMux
	inner http.Handler // the cross-origin check over the middleware over the body check over mux

	mu    sync.RWMutex
	hosts []string // extra Host names on a loopback bind, lower case, without port

	metrics *Metrics
	log     interface {
		Warn(msg string, args ...any)
	}
}

// guard wraps mux: Host and cross-origin checks, then mw (authentication,
// limits, headers, metrics), then the body checks, then mux.
func (s *Server) guard(mw func(http.Handler) http.Handler, mux *http.ServeMux) http.Handler {
	g := &guard{cop: http.NewCrossOriginProtection(), mux: mux, metrics: s.opt.Metrics, log: s.opt.Logger}
	g.cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.refuse(w, r, http.StatusForbidden, "cross-origin request refused: the server does not act on requests from other sites")
	}))
	g.inner = g.cop.Handler(mw(http.HandlerFunc(g.bodies)))
	return g
}

// Trust lets requests from origins ("https://portal.bank.internal":
// scheme://host[:port], exactly as a browser sends Origin) through the
// cross-origin check, and accepts hosts (names or IPs, without port) as
// Host on a loopback bind, e.g. the name a reverse proxy on the same
// machine forwards. Call it before serving.
func (s *Server) Trust(origins, hosts []string) error {
	g, ok := s.handler.(*guard)
	if !ok {
		return errors.New("server: no guard")
	}
	for _, o := range origins {
		if err := g.cop.AddTrustedOrigin(o); err != nil {
			return fmt.Errorf("trusted origin %q: %w", o, err)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, h := range hosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" || strings.ContainsAny(h, "/ ") {
			return fmt.Errorf("host %q: a name or an IP without scheme, port or path", h)
		}
		if strings.Contains(h, ":") && !strings.HasPrefix(h, "[") { // an IPv6 address
			h = "[" + h + "]"
		}
		g.hosts = append(g.hosts, h)
	}
	return nil
}

func (g *guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !g.hostAllowed(r) {
		g.refuse(w, r, http.StatusMisdirectedRequest,
			"Host "+fmt.Sprintf("%q", r.Host)+" is not this server's: on a loopback address it answers localhost, 127.0.0.1 and [::1] only")
		return
	}
	g.inner.ServeHTTP(w, r)
}

// refuse answers a request the guard stops before the middleware, with
// its headers, and counts it.
func (g *guard) refuse(w http.ResponseWriter, r *http.Request, code int, msg string) {
	g.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "host", r.Host,
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "remote", r.RemoteAddr, "status", code)
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	writeError(w, code, msg)
	g.metrics.observeHTTP("refused", code, 0)
}

// hostAllowed reports whether r may be answered: always beyond loopback;
// on a loopback bind only for a loopback name with the listen port, or a
// trusted name.
func (g *guard) hostAllowed(r *http.Request) bool {
	bindHost, port, ok := bindAddr(r)
	if !ok || !IsLoopback(bindHost) {
		return true
	}
	host, hport, err := net.SplitHostPort(r.Host)
	if err != nil { // no port: the scheme's default
		host, hport = r.Host, "80"
		if r.TLS != nil {
			hport = "443"
		}
	}
	host = strings.ToLower(host)
	if strings.Contains(host, ":") { // SplitHostPort strips the brackets of an IPv6 address
		host = "[" + host + "]"
	}
	g.mu.RLock()
	trusted := slices.Contains(g.hosts, host)
	g.mu.RUnlock()
	if trusted {
		return true
	}
	switch host {
	case "localhost", "127.0.0.1", "[::1]":
		return hport == port
	}
	return false
}

// bindAddr is the host the server listens on and the port the connection
// came in on: the host from the http.Server's Addr (HTTPServer sets it to
// --listen), else from the connection's local address.
func bindAddr(r *http.Request) (host, port string, ok bool) {
	local, _ := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if local == nil {
		return "", "", false // not from a listener (a test calling the handler)
	}
	lhost, lport, err := net.SplitHostPort(local.String())
	if err != nil {
		return "", "", false
	}
	host = lhost
	if hs, _ := r.Context().Value(http.ServerContextKey).(*http.Server); hs != nil && hs.Addr != "" {
		h, _, err := net.SplitHostPort(hs.Addr)
		if err != nil {
			return "", "", false
		}
		host = h // "" (every interface) is not loopback
	}
	return host, lport, true
}

// bodies applies the body checks to the state-changing routes, then
// serves r with the mux.
func (g *guard) bodies(w http.ResponseWriter, r *http.Request) {
	_, pattern := g.mux.Handler(r)
	method, _, _ := strings.Cut(pattern, " ")
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default: // safe, or not a route (the mux answers 404 or 405)
		g.mux.ServeHTTP(w, r)
		return
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if pattern == "POST /api/v1/check" {
		if err != nil || !sbomType(mt) {
			writeError(w, http.StatusUnsupportedMediaType, "Content-Type: send the SBOM as application/json (CycloneDX or SPDX JSON, "+
				"or application/vnd.cyclonedx+json, application/spdx+json), application/xml (CycloneDX XML) or text/spdx (SPDX tag-value)")
			return
		}
		g.mux.ServeHTTP(w, r)
		return
	}
	if err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "Content-Type: application/json required")
		return
	}
	// Skip leading white space: a body of nothing else is empty.
	br := bufio.NewReader(r.Body)
	for {
		c, err := br.ReadByte()
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", tooBig.Limit))
			return
		case err == io.EOF:
			writeError(w, http.StatusBadRequest, "a JSON body is required")
			return
		case err != nil:
			writeError(w, http.StatusBadRequest, "reading the body: "+err.Error())
			return
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			br.UnreadByte()
			break
		}
	}
	r.Body = struct {
		io.Reader
		io.Closer
	}{br, r.Body}
	g.mux.ServeHTTP(w, r)
}

// sbomType reports whether POST /api/v1/check takes a body of media type
// mt: JSON and XML (CycloneDX, SPDX JSON), SPDX tag-value; never a type
// an HTML form sends.
func sbomType(mt string) bool {
	switch mt {
	case "application/json", "application/xml", "text/xml", "text/spdx":
		return true
	}
	return strings.HasPrefix(mt, "application/") && (strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml"))
}
