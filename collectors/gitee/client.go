package gitee

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Bounds of the small JSON client.
const (
	perPage         = 100      // the API's largest page
	maxBody         = 64 << 20 // a larger answer is refused
	maxErrorMessage = 200      // characters of a server's message kept in an error
	limit403Retries = 3        // waits on a 403 that says the rate limit is spent
	limit403Wait    = 60 * time.Second
)

// apiError is an answer other than 200. It names the request's path (built
// without the token) and the server's message.
type apiError struct {
	Status  int
	Path    string
	Message string
}

func (e *apiError) Error() string {
	s := fmt.Sprintf("GET %s: HTTP %d", e.Path, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// statusOf is the HTTP status of an apiError, 0 for other errors.
func statusOf(err error) int {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Status
	}
	return 0
}

// endpoint is the API path of a repository resource; segments are escaped.
func (r *run) endpoint(segs ...string) string {
	p := "/repos/" + url.PathEscape(r.ref.Owner) + "/" + url.PathEscape(r.ref.Name)
	for _, s := range segs {
		p += "/" + url.PathEscape(s)
	}
	return p
}

// get sends GET <api><p>?<q> and returns the body of a 200. The URL never
// holds the token: the Transport adds it to the outgoing copy. A 403 whose
// message says the rate limit is spent (Gitee answers so, without
// Retry-After or X-RateLimit headers the Transport could act on) is waited
// out a few times, a minute doubling.
func (c *Collector) get(ctx context.Context, p string, q url.Values) ([]byte, http.Header, error) {
	u := c.base.String() + p
	shown := p
	if len(q) > 0 {
		u += "?" + q.Encode()
		shown += "?" + q.Encode()
	}
	wait := limit403Wait
	for try := 0; ; try++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, nil, err
		}
		req.Header.Set("User-Agent", "osgauge")
		resp, err := c.hc.Do(req)
		if err != nil {
			return nil, nil, fmt.Errorf("GET %s: %w", shown, unwrapURLError(err))
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
		resp.Body.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("GET %s: reading the answer: %w", shown, err)
		}
		if len(body) > maxBody {
			return nil, nil, fmt.Errorf("GET %s: answer larger than %d MiB", shown, maxBody>>20)
		}
		if resp.StatusCode == http.StatusOK {
			return body, resp.Header, nil
		}
		ae := &apiError{Status: resp.StatusCode, Path: shown, Message: messageOf(body)}
		if resp.StatusCode == http.StatusForbidden && rateLimitMessage(ae.Message) && try < limit403Retries {
			c.notify(fmt.Sprintf("%s rate limit spent (HTTP 403 on %s): waiting %s", c.forgeName, p, wait))
			if err := c.opts.Sleep(ctx, wait); err != nil {
				return nil, nil, err
			}
			wait *= 2
			continue
		}
		if resp.StatusCode == http.StatusForbidden && rateLimitMessage(ae.Message) {
			ae.Message += " (rate limit still spent after waiting; a token raises the limit)"
		}
		return nil, resp.Header, ae
	}
}

func (c *Collector) notify(msg string) {
	if c.opts.Notify != nil {
		c.opts.Notify(msg)
	}
}

// unwrapURLError drops net/http's "Get <url>:" prefix: the URL is named by
// the caller already.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// messageOf is the server's message in an error body: {"message": "..."}
// (Gitee, GitCode) or {"error_message": "..."}, else the start of the body.
func messageOf(body []byte) string {
	var m struct {
		Message      string `json:"message"`
		ErrorMessage string `json:"error_message"`
		Error        any    `json:"error"`
	}
	msg := ""
	if json.Unmarshal(body, &m) == nil {
		msg = m.Message
		if msg == "" {
			msg = m.ErrorMessage
		}
		if s, ok := m.Error.(string); ok && msg == "" {
			msg = s
		}
	} else {
		msg = strings.TrimSpace(string(body))
		if strings.HasPrefix(msg, "<") {
			msg = "" // an HTML error page says nothing useful
		}
	}
	msg = strings.Join(strings.Fields(msg), " ")
	if r := []rune(msg); len(r) > maxErrorMessage {
		msg = string(r[:maxErrorMessage]) + "…"
	}
	return msg
}

func rateLimitMessage(msg string) bool {
	low := strings.ToLower(msg)
	return strings.Contains(low, "rate limit") || strings.Contains(low, "ratelimit") ||
		strings.Contains(low, "too many requests") || strings.Contains(msg, "频率") || strings.Contains(msg, "限流")
}

var linkNext = regexp.MustCompile(`<([^>]*)>\s*;\s*rel="?next"?`)

// nextPage is the page after page: from a Link rel="next" when the server
// sends one, else up to the total_page header, else while pages are full.
func nextPage(h http.Header, page, n int) int {
	if m := linkNext.FindStringSubmatch(h.Get("Link")); m != nil {
		if u, err := url.Parse(m[1]); err == nil {
			if p, err := strconv.Atoi(u.Query().Get("page")); err == nil && p > page {
				return p
			}
		}
		return 0
	}
	if strings.Contains(h.Get("Link"), "rel=") { // links, but none to a next page: the last page
		return 0
	}
	if tp, err := strconv.Atoi(strings.TrimSpace(h.Get("total_page"))); err == nil {
		if page < tp {
			return page + 1
		}
		return 0
	}
	if n >= perPage {
		return page + 1
	}
	return 0
}

// list reads a paged list from its first page: each page's body goes to
// each, which returns how many entries it held and whether to stop. It
// reports whether maxPages were read with more to come.
func (r *run) list(ctx context.Context, p string, q url.Values, maxPages int,
	each func(body []byte) (n int, stop bool, err error)) (truncated bool, err error) {
	if q == nil {
		q = url.Values{}
	}
	page := 1
	for read := 0; ; read++ {
		if read == maxPages {
			return true, nil
		}
		q.Set("page", strconv.Itoa(page))
		q.Set("per_page", strconv.Itoa(perPage))
		body, h, err := r.c.get(ctx, p, q)
		if err != nil {
			return false, err
		}
		n, stop, err := each(body)
		if err != nil {
			return false, fmt.Errorf("GET %s?%s: %w", p, q.Encode(), err)
		}
		next := nextPage(h, page, n)
		if stop || n == 0 || next == 0 {
			return false, nil
		}
		page = next
	}
}

// getJSON reads one object.
func (r *run) getJSON(ctx context.Context, p string, q url.Values, v any) error {
	body, _, err := r.c.get(ctx, p, q)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("GET %s: the answer is not the JSON the API documents: %v", p, err)
	}
	return nil
}
