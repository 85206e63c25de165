package github

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

// GraphQL. A first collection reads a repository through the GraphQL API
// (docs.github.com/graphql): its metadata, the first page of its
// default-branch history, releases, tags, issues and pull requests with
// their first comments and reviews, and the root, .github and docs trees,
// for several repositories per query (aliases r0, r1, …). An unchanged
// refresh asks one small batched query whether anything moved (the newest
// commit, the newest updated issue and pull request, the release and tag
// counts) and reuses what the last run kept. Repository security advisories
// have no GraphQL field and stay on REST, conditional (a 304 costs
// nothing).
//
// Where the endpoint is missing or refuses (HTTP 404, 401, 403 without a
// rate limit, an answer that is not GraphQL JSON, errors of type FORBIDDEN
// or INSUFFICIENT_SCOPES, or a query GitHub will not run at all — errors
// and no data, as an older GitHub Enterprise answers a field its schema
// lacks: an old GitHub Enterprise, a proxy, a token without the scopes),
// the collector switches to REST for the rest of the run and says so once
// through Notify.
//
// The queries are checked against GitHub's published schema by
// TestQueriesMatchGitHubSchema (testdata/github-schema.graphql.gz).

// graphqlURL is the GraphQL endpoint an API root serves:
// https://api.github.com/graphql, or https://host/api/graphql beside an
// Enterprise server's https://host/api/v3/.
func graphqlURL(api *url.URL) string {
	u := *api
	p := strings.TrimSuffix(u.Path, "/")
	if strings.HasSuffix(p, "/v3") {
		p = strings.TrimSuffix(p, "/v3")
	}
	u.Path = p + "/graphql"
	u.RawQuery = ""
	return u.String()
}

// gqlError is one entry of a GraphQL response's errors[]. GitHub types its
// execution errors (type NOT_FOUND, FORBIDDEN, RATE_LIMITED, …); a query
// it does not run at all (a parse or validation error) has no type but an
// extensions.code (undefinedField, argumentLiteralsIncompatible, …) and a
// path into the query's text, not into the data.
type gqlError struct {
	Type       string `json:"type"`
	Message    string `json:"message"`
	Path       []any  `json:"path"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

// gqlResponse is a GraphQL answer: data (aliases → raw JSON) and errors.
// noData is true when the answer has no "data" key at all: the GraphQL
// specification's request error, raised before execution (data: null is
// an execution that failed, e.g. a timeout).
type gqlResponse struct {
	Data   map[string]json.RawMessage
	Errors []gqlError
	noData bool
}

func (r *gqlResponse) UnmarshalJSON(b []byte) error {
	var raw struct {
		Data   json.RawMessage `json:"data"`
		Errors []gqlError      `json:"errors"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	r.Errors, r.noData = raw.Errors, len(raw.Data) == 0
	if r.noData || string(raw.Data) == "null" {
		return nil
	}
	return json.Unmarshal(raw.Data, &r.Data)
}

// gqlRateLimit is the rateLimit every query asks for.
type gqlRateLimit struct {
	Cost      int       `json:"cost"`
	Remaining int       `json:"remaining"`
	ResetAt   time.Time `json:"resetAt"`
}

// errRefused says the GraphQL endpoint cannot be used: the collection
// falls back to REST.
type errRefused struct{ why string }

func (e *errRefused) Error() string { return "GraphQL refused: " + e.why }

// refusalTypes are the errors[].type values that mean the endpoint will
// not serve this token's queries at all.
var refusalTypes = map[string]bool{"FORBIDDEN": true, "INSUFFICIENT_SCOPES": true}

// query posts one GraphQL query, charging points (the estimated cost) to
// the credential's graphql budget before it is sent, and adds the cost the
// server reports (rateLimit.cost) to the context's Counter. A query
// refused by rate limit (errors[].type RATE_LIMITED) is sent again after
// the transport's wait, twice at most.
func (c *Collector) query(ctx context.Context, op, text string, vars map[string]any, points int) (*gqlResponse, error) {
	body, err := json.Marshal(map[string]any{"query": text, "variables": vars, "operationName": op})
	if err != nil {
		return nil, err
	}
	for try := 0; ; try++ {
		req, err := http.NewRequestWithContext(forge.WithPoints(ctx, points), http.MethodPost, c.gqlURL, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "osgauge")
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, err
		}
		raw, err := io.ReadAll(io.LimitReader(resp.Body, 256<<20))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		limitedHTTP := strings.TrimSpace(resp.Header.Get("X-RateLimit-Remaining")) == "0" || resp.Header.Get("Retry-After") != "" ||
			resp.StatusCode == http.StatusTooManyRequests
		switch {
		case resp.StatusCode >= 400 && limitedHTTP:
			return nil, fmt.Errorf("GraphQL %s: rate limit still spent after waiting (HTTP %d)", op, resp.StatusCode)
		case resp.StatusCode == http.StatusNotFound, resp.StatusCode == http.StatusUnauthorized,
			resp.StatusCode == http.StatusForbidden, resp.StatusCode == http.StatusMethodNotAllowed,
			resp.StatusCode == http.StatusGone, resp.StatusCode == http.StatusNotImplemented:
			return nil, &errRefused{fmt.Sprintf("%s answered HTTP %d", c.gqlURL, resp.StatusCode)}
		case resp.StatusCode >= 400:
			return nil, fmt.Errorf("GraphQL %s: HTTP %d", op, resp.StatusCode)
		}
		var out gqlResponse
		if err := json.Unmarshal(raw, &out); err != nil || (out.Data == nil && len(out.Errors) == 0) {
			return nil, &errRefused{fmt.Sprintf("%s did not answer GraphQL JSON (HTTP %d, %s)", c.gqlURL, resp.StatusCode, resp.Header.Get("Content-Type"))}
		}
		limited := false
		for _, e := range out.Errors {
			if refusalTypes[e.Type] && len(e.Path) == 0 {
				return nil, &errRefused{fmt.Sprintf("%s: %s (%s)", c.gqlURL, e.Type, e.Message)}
			}
			limited = limited || e.Type == "RATE_LIMITED"
		}
		if e, ok := queryError(&out); ok {
			return nil, &errRefused{fmt.Sprintf("%s did not run the %s query: %s", c.gqlURL, op, e)}
		}
		var rl gqlRateLimit
		if b, ok := out.Data["rateLimit"]; ok && json.Unmarshal(b, &rl) == nil {
			c.tr.AddPoints(ctx, rl.Cost)
		}
		if limited {
			if try < 2 {
				if err := c.waitGraphQL(ctx, resp, rl.ResetAt); err != nil {
					return nil, err
				}
				continue
			}
			return nil, fmt.Errorf("GraphQL %s: rate limit still spent after waiting", op)
		}
		if out.Data == nil {
			// Errors and no data (a timeout, a node limit): no alias has
			// an answer; the batch is read again alone, then fails.
			e := out.Errors[0]
			return nil, fmt.Errorf("GraphQL %s: %s", op, strings.TrimSpace(e.Type+" "+e.Message))
		}
		return &out, nil
	}
}

// queryError reports a query GitHub did not run at all: errors and no
// "data" key, with an error that is no typed execution error (GitHub's
// RATE_LIMITED, MAX_NODE_LIMIT_EXCEEDED and the like carry a type; a
// validation error carries extensions.code, or nothing). That is what an
// older GitHub Enterprise answers to a field or argument value its schema
// lacks (undefinedField, argumentLiteralsIncompatible, …), so no later
// query of the run can succeed either.
func queryError(r *gqlResponse) (string, bool) {
	if !r.noData {
		return "", false
	}
	for _, e := range r.Errors {
		if e.Type != "" {
			continue
		}
		msg := e.Message
		if e.Extensions.Code != "" {
			msg = e.Extensions.Code + ": " + msg
		}
		return msg, true
	}
	return "", false
}

// waitGraphQL waits for the GraphQL budget's reset after a RATE_LIMITED
// answer: X-RateLimit-Reset, else rateLimit.resetAt, else a minute.
func (c *Collector) waitGraphQL(ctx context.Context, resp *http.Response, resetAt time.Time) error {
	now := c.opts.Now()
	until := now.Add(time.Minute)
	var s int64
	if _, err := fmt.Sscan(resp.Header.Get("X-RateLimit-Reset"), &s); err == nil && time.Unix(s, 0).After(now) {
		until = time.Unix(s, 0).Add(time.Second)
	} else if resetAt.After(now) {
		until = resetAt.Add(time.Second)
	}
	if c.opts.Notify != nil {
		c.opts.Notify(fmt.Sprintf("GitHub rate limit spent (graphql): waiting %s until %s", until.Sub(now).Round(time.Second), until.Local().Format("15:04:05")))
	}
	return c.opts.Sleep(ctx, until.Sub(now))
}

// useGraphQL reports whether this run still reads by GraphQL.
func (c *Collector) useGraphQL() bool { return c.opts.GraphQL && !c.gqlOff.Load() }

// refuse switches the collector to REST and says why, once.
func (c *Collector) refuse(err error) bool {
	var rf *errRefused
	if !errors.As(err, &rf) {
		return false
	}
	if c.gqlOff.CompareAndSwap(false, true) && c.opts.Notify != nil {
		c.opts.Notify("GitHub GraphQL unavailable (" + rf.why + "): collecting by REST for the rest of this run")
	}
	return true
}
