package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"

	"github.com/osgauge/osgauge/policy"
)

// Checker checks an SBOM read from body for a system, as `osgauge check`
// does (the command wires it into serve); name names the SBOM in
// messages and SARIF locations. An error that is a policy.InputError is
// the request's (an SBOM that does not parse): 400.
type Checker func(ctx context.Context, system, name string, body io.Reader) (policy.Result, error)

// DefaultMaxSBOM bounds a POST /api/v1/check body when Options.MaxSBOM is
// not set: SBOMs run to megabytes, beyond MaxBody.
const DefaultMaxSBOM = 64 << 20

// bodyLimit is the body bound of a request: MaxSBOM for the check, MaxBody
// for every other route.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if r.Method == http.MethodPost && r.URL.Path == "/api/v1/check" {
		if s.opt.MaxSBOM > 0 {
			return s.opt.MaxSBOM
		}
		return DefaultMaxSBOM
	}
	return s.opt.MaxBody
}

// check serves POST /api/v1/check?system=NAME[&format=json|sarif|junit|text][&sbom=NAME]:
// the body is the SBOM; the answer is `osgauge check`'s output in that
// format (200 whether or not the policy blocks: read "passed").
func (s *Server) check(w http.ResponseWriter, r *http.Request) {
	if s.opt.Check == nil {
		writeError(w, http.StatusServiceUnavailable, "check is not configured on this server")
		return
	}
	q := r.URL.Query()
	system := q.Get("system")
	if system == "" {
		writeError(w, http.StatusBadRequest, "system: name the system the SBOM describes (?system=NAME)")
		return
	}
	format := q.Get("format")
	if format == "" {
		format = "json"
	}
	if !slices.Contains(policy.Formats, format) {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("format: %q is not one of json, sarif, junit, text", format))
		return
	}
	name := q.Get("sbom")
	if name == "" {
		name = "request body"
	}
	res, err := s.opt.Check(r.Context(), system, name, r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("SBOM over %d bytes", tooBig.Limit))
		return
	case policy.IsInputError(err):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	ct := map[string]string{"json": "application/json; charset=utf-8", "sarif": "application/sarif+json",
		"junit": "application/xml; charset=utf-8", "text": "text/plain; charset=utf-8"}[format]
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "no-store")
	if err := res.Write(w, format, ""); err != nil {
		s.opt.Logger.Error("check: writing the answer", "err", err)
	}
}
