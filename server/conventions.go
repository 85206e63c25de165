package server

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	neturl "net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// HTTP conventions of the API (issue 28):
//
//   - Lists are paged: ?limit= (default DefaultPageSize, at most
//     MaxPageSize) and ?cursor= (the next_cursor of the previous page, an
//     opaque token holding the last item's sort key, so that a page
//     starts after that item whatever was stored meanwhile). Every list
//     answers total (the items its filters select), limit and, when more
//     follow, next_cursor.
//   - A query parameter the route does not know, or a bad value, is a
//     400 naming the parameter (problem "param").
//   - Errors are RFC 9457 problem details (application/problem+json):
//     type, title, status, detail, and "error" (= detail) as before.
//   - Reads carry an ETag (a hash of the answer); If-None-Match with it
//     is a 304 without a body.
//   - Times are RFC 3339 in UTC.
//   - Every API read is bounded by ReadTimeout.

const (
	// DefaultPageSize is a list's page size without ?limit=.
	DefaultPageSize = 100
	// MaxPageSize caps ?limit=.
	MaxPageSize = 1000
	// ReadTimeout bounds the work of one API read.
	ReadTimeout = 10 * time.Second
)

// problem is an RFC 9457 problem detail.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Error repeats Detail: the field clients read before problems.
	Error string `json:"error"`
	// Param names the query parameter at fault (a 400 for a bad filter).
	Param string `json:"param,omitempty"`
	// Leader and RetryAfter: a follower's 503 to POST /api/v1/runs.
	Leader     *string `json:"leader,omitempty"`
	RetryAfter int     `json:"retry_after_seconds,omitempty"`
}

func writeProblem(w http.ResponseWriter, p problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	p.Error = p.Detail
	b, _ := json.MarshalIndent(p, "", "  ")
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	w.Write(append(b, '\n'))
}

// paramError is a 400 for query parameter name.
type paramError struct{ name, msg string }

func (e *paramError) Error() string { return e.name + ": " + e.msg }

func badParam(w http.ResponseWriter, err error) {
	var pe *paramError
	if e, ok := err.(*paramError); ok {
		pe = e
	} else {
		pe = &paramError{msg: err.Error()}
	}
	detail := pe.msg
	if pe.name != "" {
		detail = pe.name + ": " + pe.msg
	}
	writeProblem(w, problem{Status: http.StatusBadRequest, Detail: detail, Param: pe.name})
}

// checkParams refuses a query parameter not in allowed (a misspelt
// filter must not silently select everything) and a parameter given more
// than once (limit=5&limit=2000 would otherwise take the first).
func checkParams(q neturl.Values, allowed ...string) error {
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	}) {
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return &paramError{k, "unknown parameter; this route takes none"}
			}
			return &paramError{k, "unknown parameter; this route takes " + strings.Join(allowed, ", ")}
		}
		if len(q[k]) > 1 {
			return &paramError{k, fmt.Sprintf("given %d times; give it once", len(q[k]))}
		}
	}
	return nil
}

// page is a list request's paging.
type page struct {
	limit int
	after []string // the sort key of the last item of the previous page
	// route and filter (a hash of the request's other parameters) are
	// written into the cursors of this list and checked when one comes
	// back; run is the assessment run a cursor of /results pins.
	route, filter string
	run           int64
}

// cursorJSON is what a cursor holds (base64url of its JSON): the route
// and filters it pages, the run it pins (/results) and the last item's
// sort key.
type cursorJSON struct {
	Route  string   `json:"r"`
	Filter string   `json:"f"`
	Run    int64    `json:"run,omitempty"`
	Key    []string `json:"k"`
}

// filterHash is a hash of q's parameters but limit and cursor, in a
// normal form (keys sorted): a cursor is good only with the filters
// whose list it pages.
func filterHash(q neturl.Values) string {
	n := neturl.Values{}
	for k, v := range q {
		if k != "limit" && k != "cursor" {
			n[k] = v
		}
	}
	sum := sha256.Sum256([]byte(n.Encode()))
	return hex.EncodeToString(sum[:8])
}

// parsePage reads ?limit= and ?cursor=; keys is the cursor's key length.
// Its cursors are bound to the filters (routePage: to the route too).
func parsePage(q neturl.Values, keys int) (page, error) { return routePage(q, "", keys) }

// routePage reads ?limit= and ?cursor= of route; keys is the cursor's
// key length. A cursor of another route or of other filters is a 400
// naming cursor.
func routePage(q neturl.Values, route string, keys int) (page, error) {
	p := page{limit: DefaultPageSize, route: route, filter: filterHash(q)}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > MaxPageSize {
			return p, &paramError{"limit", fmt.Sprintf("a whole number within 1..%d, got %q", MaxPageSize, l)}
		}
		p.limit = n
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		var cur cursorJSON
		if err == nil {
			err = json.Unmarshal(b, &cur)
		}
		if err != nil || len(cur.Key) != keys || cur.Route != route {
			return p, &paramError{"cursor", "not a cursor of " + route + ": pass next_cursor of the previous page as it is"}
		}
		if cur.Filter != p.filter {
			return p, &paramError{"cursor", "a cursor of other filters: page with the parameters of the request that gave it (only limit may change)"}
		}
		p.after, p.run = cur.Key, cur.Run
	}
	return p, nil
}

// cursor returns the cursor of the page after the item whose sort key is
// key, on p's route and filters, pinning run (0: none).
func (p page) cursor(run int64, key ...string) string {
	b, _ := json.Marshal(cursorJSON{Route: p.route, Filter: p.filter, Run: run, Key: key})
	return base64.RawURLEncoding.EncodeToString(b)
}

// compareKeys orders sort keys field by field.
func compareKeys(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if c := strings.Compare(a[i], b[i]); c != 0 {
			return c
		}
	}
	return len(a) - len(b)
}

// pageOf cuts the page after p.after from items sorted by key; next is
// the cursor of the page after it, "" at the end.
func pageOf[T any](items []T, p page, key func(T) []string) (out []T, next string) {
	start := 0
	if p.after != nil {
		start, _ = slices.BinarySearchFunc(items, p.after, func(x T, k []string) int { return compareKeys(key(x), k) })
		for start < len(items) && compareKeys(key(items[start]), p.after) <= 0 {
			start++
		}
	}
	end := min(start+p.limit, len(items))
	out = items[start:end]
	if end < len(items) && end > start {
		next = p.cursor(0, key(items[end-1])...)
	}
	return out, next
}

// listMeta are the paging fields of every list answer.
type listMeta struct {
	Count      int    `json:"count"`
	Total      int    `json:"total"`
	Limit      int    `json:"limit"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// writeRead answers a GET with v, an ETag over the encoded answer, and a
// 304 when the client's If-None-Match holds that ETag. tag, when not
// nil, is hashed instead of the answer (for answers holding the time of
// the request).
func writeRead(w http.ResponseWriter, r *http.Request, v any, tag any) {
	var body []byte
	var etag string
	if e, ok := v.(encodedAnswer); ok {
		body, etag = e.body, e.etag
	} else {
		e := encoded(v)
		if e.err != nil {
			writeProblem(w, problem{Status: http.StatusInternalServerError, Detail: "encoding the answer: " + e.err.Error()})
			return
		}
		body, etag = e.body, e.etag
		if tag != nil {
			if hb, err := json.Marshal(tag); err == nil {
				etag = etagOf(hb)
			}
		}
	}
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "no-store")
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.Write(body)
}

// encodedAnswer is an answer encoded once, with its ETag.
type encodedAnswer struct {
	body []byte
	etag string
	err  error
}

func encoded(v any) encodedAnswer {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return encodedAnswer{err: err}
	}
	body = append(body, '\n')
	return encodedAnswer{body: body, etag: etagOf(body)}
}

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// etagMatch applies If-None-Match's weak comparison (RFC 9110 13.1.2).
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// bounded gives an API read its deadline.
func bounded(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), ReadTimeout)
		defer cancel()
		next(w, r.WithContext(ctx))
	}
}

// utc returns t in UTC, the zero time unchanged.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// parseBool reads a true/false filter.
func parseBool(q neturl.Values, name string) (set, v bool, err error) {
	switch q.Get(name) {
	case "":
		return false, false, nil
	case "true", "1":
		return true, true, nil
	case "false", "0":
		return true, false, nil
	}
	return false, false, &paramError{name, fmt.Sprintf("true or false, got %q", q.Get(name))}
}

// oneOf checks an enumerated filter.
func oneOf(q neturl.Values, name string, values ...string) (string, error) {
	v := q.Get(name)
	if v == "" || slices.Contains(values, v) {
		return v, nil
	}
	return "", &paramError{name, fmt.Sprintf("one of %s, got %q", strings.Join(values, ", "), v)}
}
