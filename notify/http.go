package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// httpTarget is a webhook or robot address with its secrets, and the
// client that posts to it.
type httpTarget struct {
	url      string // the whole address: may hold a key; never logged
	redacted string // scheme://host/… : what logs, errors and the store see
	secret   string // signing secret (may be empty)
	client   *http.Client
	now      func() time.Time // signing timestamps
	// secrets are the strings scrubbed from every error text: the URL, its
	// query values and path segments, the signing secret.
	secrets []string
}

func newHTTPTarget(raw, secret string, opt Options) (*httpTarget, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("the url is not an http(s) URL") // never echo it: it may hold a key
	}
	t := &httpTarget{url: raw, redacted: RedactURL(raw), secret: secret, client: opt.HTTP, now: opt.Now}
	t.secrets = append(t.secrets, raw, secret)
	for _, vs := range u.Query() {
		t.secrets = append(t.secrets, vs...)
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if len(seg) >= 16 { // a hook id or token in the path (Feishu's hook/<id>)
			t.secrets = append(t.secrets, seg)
		}
	}
	if u.User != nil {
		t.secrets = append(t.secrets, u.User.String())
	}
	return t, nil
}

// RedactURL keeps a URL's scheme and host, and marks a path with "/…":
// robots carry their keys in the query (WeCom's key, DingTalk's
// access_token) or the path (Feishu's hook id), generic webhooks may too.
func RedactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(an address that does not parse)"
	}
	r := u.Scheme + "://" + u.Host
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		r += "/…"
	}
	return r
}

// scrub replaces every secret in s by "[redacted]".
func scrub(s string, secrets []string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[redacted]")
			if q := url.QueryEscape(sec); q != sec {
				s = strings.ReplaceAll(s, q, "[redacted]")
			}
		}
	}
	return s
}

// maxResponse bounds what is read of an answer.
const maxResponse = 64 << 10

// post sends body to addr (the target's URL, perhaps with signing
// parameters added) and returns the answer's body for a 2xx. Errors are
// classified (5xx, 429 and network errors retryable; other statuses not)
// and never carry the address or a secret.
func (t *httpTarget) post(ctx context.Context, addr string, body []byte, header http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, addr, bytes.NewReader(body))
	if err != nil {
		return nil, permanent("%s: the request cannot be built", t.redacted)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "osgauge-notify")
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := t.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// *url.Error prints the whole URL: keep only its cause.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		secrets := append(t.secrets, addr)
		return nil, temporary(0, "%s: %s", t.redacted, scrub(err.Error(), secrets))
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return data, nil
	}
	msg := fmt.Sprintf("%s: HTTP %d", t.redacted, resp.StatusCode)
	if s := snippet(data, t.secrets); s != "" {
		msg += ": " + s
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 || resp.StatusCode == http.StatusRequestTimeout:
		return nil, temporary(retryAfter(resp.Header.Get("Retry-After"), time.Now()), "%s", msg)
	default:
		return nil, permanent("%s", msg)
	}
}

// snippet is the start of an answer's body, on one line, scrubbed.
func snippet(data []byte, secrets []string) string {
	s := strings.Join(strings.Fields(string(data)), " ")
	if len(s) > 200 {
		s = s[:200]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return scrub(s, secrets)
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
