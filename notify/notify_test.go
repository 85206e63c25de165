package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/vulns"
)

// t0 is the clock of the tests: 2026-12-07 09:00 UTC (Unix 1796634000).
var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "n.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// request is what a fake receiver saw.
type request struct {
	Path   string
	Query  map[string][]string
	Header http.Header
	Body   []byte
}

// receiver is a loopback webhook that records every request and answers
// with the next of answers (the last one repeats).
type receiver struct {
	srv     *httptest.Server
	mu      sync.Mutex
	got     []request
	answers []answer
}

type answer struct {
	status int
	body   string
	header map[string]string
}

func newReceiver(t *testing.T, answers ...answer) *receiver {
	t.Helper()
	if len(answers) == 0 {
		answers = []answer{{status: 200, body: `{"ok":true}`}}
	}
	rc := &receiver{answers: answers}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		n := len(rc.got)
		rc.got = append(rc.got, request{Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body})
		a := rc.answers[min(n, len(rc.answers)-1)]
		rc.mu.Unlock()
		for k, v := range a.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

// waits records the retry waits instead of sleeping.
type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(_ context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return nil
}

func testOptions(st *store.Store, env map[string]string, w *waits) Options {
	if w == nil {
		w = &waits{}
	}
	return Options{
		Lang: "en", Store: st, Now: func() time.Time { return t0 }, Pace: -1,
		Getenv: func(k string) string { return env[k] },
		Retry:  Retry{Attempts: 4, Base: 2 * time.Second, Max: time.Minute, Jitter: func() float64 { return 0.5 }, Sleep: w.sleep},
	}
}

// kevFinding is an open finding of a known-exploited vulnerability, in
// triage since t0 − 2 days, due t0 + 12 days (14 days for KEV).
func kevFinding() vulns.Finding {
	since := t0.AddDate(0, 0, -2)
	return vulns.Finding{
		ID: "payments/pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1/CVE-2021-44228", System: "payments",
		Component: "pkg:maven/org.apache.logging.log4j/log4j-core", Version: "2.14.1", Vuln: "CVE-2021-44228",
		Severity: "critical", KEV: true, FixedIn: "2.17.1", State: vulns.InTriage, Open: true,
		Since: since, Due: since.AddDate(0, 0, 14),
		History: []vulns.Event{{At: since, State: vulns.InTriage, By: "osgauge", Source: vulns.SourceSBOM}},
	}
}

// The acceptance test: a webhook on a loopback listener receives exactly
// one signed message for a new KEV finding across two identical runs, and
// the signature verifies by hand.
func TestWebhookOneSignedMessageAcrossTwoRuns(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t)
	const secret = "hook-secret"
	// The path holds a token, as many webhooks' do.
	url := rc.srv.URL + "/hooks/T0KEN-in-the-path-0123456789?key=query-token-abc"
	cfg := []config.NotifyChannel{{Type: "webhook", URL: url, SecretEnv: "HOOK_SECRET", Events: []string{"kev"}, DueSoonDays: 7}}
	n := New(cfg, testOptions(st, map[string]string{"HOOK_SECRET": secret}, nil))
	findings := []vulns.Finding{kevFinding()}

	for run := 1; run <= 2; run++ {
		res := n.NotifyFindings(context.Background(), findings)
		if len(res) != 1 || res[0].Err != "" {
			t.Fatalf("run %d: %+v", run, res)
		}
		want := Result{Channel: "webhook-1", Alerts: 1, Sent: 1, Messages: 1}
		if run == 2 {
			want = Result{Channel: "webhook-1", Alerts: 1, Already: 1}
		}
		if res[0] != want {
			t.Errorf("run %d: %+v, want %+v", run, res[0], want)
		}
	}
	got := rc.requests()
	if len(got) != 1 {
		t.Fatalf("the receiver got %d requests, want exactly 1", len(got))
	}
	r := got[0]
	// By hand: HMAC-SHA256 keyed "hook-secret" over "<timestamp>.<body>";
	// the timestamp is the Notifier's clock, t0 = 1796634000.
	ts := r.Header.Get("X-Osgauge-Timestamp")
	if ts != "1796634000" {
		t.Errorf("timestamp header %q, want 1796634000", ts)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + string(r.Body)))
	if want := "sha256=" + hex.EncodeToString(mac.Sum(nil)); r.Header.Get("X-Osgauge-Signature") != want {
		t.Errorf("signature %q, want %q", r.Header.Get("X-Osgauge-Signature"), want)
	}
	// The same scheme, checked against a vector computed apart (Python's
	// hmac): key "hook-secret", message `1765098000.{"a":1}`.
	if got := Sign("hook-secret", "1765098000", []byte(`{"a":1}`)); got != "sha256=d5c2f32f97b6e5f45a4c1dca4dad2906f5aa13df942d192a290b48d9724d9a98" {
		t.Errorf("Sign vector: %s", got)
	}
	var body WebhookBody
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	if body.Source != "osgauge" || body.Kind != KindAlert || len(body.Alerts) != 1 || r.Header.Get("X-Osgauge-Event") != "alert" {
		t.Fatalf("body %+v", body)
	}
	a := body.Alerts[0]
	// Due: since (t0 − 2 d = 2026-12-05) + 14 days = 2026-12-19.
	if a.Event != "kev" || !a.KEV || a.Vuln != "CVE-2021-44228" || a.Due != "2026-12-19" ||
		a.Key != "payments/pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1/CVE-2021-44228|kev|in_triage@2026-12-05T09:00:00Z" {
		t.Errorf("alert %+v", a)
	}
	if body.Title != "osgauge vulnerability alert: known exploited (KEV)" ||
		!strings.Contains(body.Text, "[known exploited (KEV)] payments: pkg:maven/org.apache.logging.log4j/log4j-core 2.14.1 — CVE-2021-44228 (critical); fixed in 2.17.1; due 2026-12-19") {
		t.Errorf("title %q text %q", body.Title, body.Text)
	}

	// The store's record: one sent row; nothing in the store names the tokens.
	rows, err := st.NotifySends(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Status != store.NotifySent || rows[0].Attempts != 1 || rows[0].Event != "kev" {
		t.Fatalf("send log %+v", rows)
	}
	for _, tok := range []string{"T0KEN", "query-token", "hook-secret"} {
		if strings.Contains(rows[0].Channel+rows[0].Key+rows[0].Error, tok) {
			t.Errorf("the store holds %q: %+v", tok, rows[0])
		}
	}
	if !strings.HasPrefix(rows[0].Channel, "webhook:http://127.0.0.1:") || !strings.Contains(rows[0].Channel, "/…#") {
		t.Errorf("channel id %q", rows[0].Channel)
	}

	// The finding changes state (triaged affected): told again, once.
	f := kevFinding()
	f.State = vulns.Affected
	f.History = append(f.History, vulns.Event{At: t0, State: vulns.Affected, By: "secops"})
	n.NotifyFindings(context.Background(), []vulns.Finding{f})
	n.NotifyFindings(context.Background(), []vulns.Finding{f})
	if got := rc.requests(); len(got) != 2 {
		t.Errorf("after the state change: %d requests, want 2", len(got))
	}
}

// A 500 is tried again with backoff; the third attempt succeeds.
func TestRetryOn500ThenSuccess(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t, answer{status: 500, body: "busy"}, answer{status: 503}, answer{status: 200})
	w := &waits{}
	cfg := []config.NotifyChannel{{Type: "webhook", URL: rc.srv.URL, SecretEnv: "S", Events: []string{"kev"}, DueSoonDays: 7}}
	n := New(cfg, testOptions(st, map[string]string{"S": "x"}, w))
	res := n.NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if res[0].Sent != 1 || res[0].Err != "" || len(rc.requests()) != 3 {
		t.Fatalf("%+v, %d requests", res, len(rc.requests()))
	}
	// Waits with jitter 0.5: before try 2, d = 2 s → 1 s + 0.5·1 s = 1.5 s;
	// before try 3, d = 4 s → 2 s + 0.5·2 s = 3 s.
	if len(w.d) != 2 || w.d[0] != 1500*time.Millisecond || w.d[1] != 3*time.Second {
		t.Errorf("waits %v, want [1.5s 3s]", w.d)
	}
	rows, _ := st.NotifySends(context.Background(), "", 0)
	if len(rows) != 1 || rows[0].Attempts != 3 || rows[0].Status != store.NotifySent {
		t.Errorf("send log %+v", rows)
	}
	// The backoff doubles to Max: try 7 would wait d = min(60 s, 2·2⁶ = 128 s) = 60 s, from 30 s to 60 s.
	r := Retry{Base: 2 * time.Second, Max: time.Minute}
	if got := r.Backoff(7, 0); got != 30*time.Second {
		t.Errorf("Backoff(7, 0) = %v, want 30s", got)
	}
	if got := r.Backoff(7, 0.999); got < 59*time.Second || got >= time.Minute {
		t.Errorf("Backoff(7, .999) = %v, want just under 60s", got)
	}
}

// A 4xx is not tried again; a 429 is, after its Retry-After; attempts are
// bounded.
func TestClientErrorsAndBoundedAttempts(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t, answer{status: 400, body: `{"error":"bad payload for key query-token-abc"}`})
	cfg := []config.NotifyChannel{{Type: "webhook", URL: rc.srv.URL + "/h?key=query-token-abc", SecretEnv: "S", Events: []string{"kev"}, DueSoonDays: 7}}
	n := New(cfg, testOptions(st, map[string]string{"S": "x"}, nil))
	res := n.NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if len(rc.requests()) != 1 || res[0].Failed != 1 {
		t.Fatalf("400: %d requests, %+v; want 1 request, failed", len(rc.requests()), res)
	}
	if !strings.Contains(res[0].Err, "HTTP 400") || strings.Contains(res[0].Err, "query-token-abc") {
		t.Errorf("error %q: must say HTTP 400 and not hold the key", res[0].Err)
	}
	rows, _ := st.NotifySends(context.Background(), "", 0)
	if len(rows) != 1 || rows[0].Status != store.NotifyFailed || rows[0].Attempts != 1 || strings.Contains(rows[0].Error, "query-token-abc") {
		t.Errorf("send log %+v", rows)
	}
	// A failed alert is tried again by the next round (one attempt again).
	n.NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if len(rc.requests()) != 2 {
		t.Errorf("next round: %d requests, want 2", len(rc.requests()))
	}

	// 429 with Retry-After: 7 → the wait is 7 s (more than the 1.5 s
	// backoff); always 429 → 4 attempts, then it gives up.
	st2 := openStore(t)
	busy := newReceiver(t, answer{status: 429, header: map[string]string{"Retry-After": "7"}})
	w := &waits{}
	cfg[0].URL = busy.srv.URL
	res = New(cfg, testOptions(st2, map[string]string{"S": "x"}, w)).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if len(busy.requests()) != 4 || res[0].Failed != 1 || !strings.Contains(res[0].Err, "gave up after 4 attempts") {
		t.Errorf("429: %d requests, %+v", len(busy.requests()), res)
	}
	// Waits: the larger of the backoff (1.5 s, 3 s, 6 s with jitter 0.5)
	// and Retry-After's 7 s: 7 s each time.
	if len(w.d) != 3 || w.d[0] != 7*time.Second || w.d[1] != 7*time.Second || w.d[2] != 7*time.Second {
		t.Errorf("waits %v, want [7s 7s 7s]", w.d)
	}
}

// The round stops with its context: what it could not send is released
// (failed) for the next round.
func TestCancelledRoundReleasesClaims(t *testing.T) {
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		cancel() // the round's time runs out while the first message is sent
		w.WriteHeader(500)
	}))
	defer srv.Close()
	cfg := []config.NotifyChannel{{Type: "webhook", URL: srv.URL, SecretEnv: "S", Events: []string{"kev"}, DueSoonDays: 7}}
	n := New(cfg, testOptions(st, map[string]string{"S": "x"}, nil))
	b := kevFinding()
	b.ID = "payments/other"
	res := n.NotifyFindings(ctx, []vulns.Finding{kevFinding(), b})
	if calls != 1 || res[0].Failed != 2 || res[0].Sent != 0 || !strings.Contains(res[0].Err, "canceled") {
		t.Fatalf("cancelled: %d requests, %+v", calls, res)
	}
	rows, _ := st.NotifySends(context.Background(), "", 0)
	// Newest first: the second finding released unsent (0 attempts), the
	// first failed after its one attempt.
	if len(rows) != 2 || rows[0].Status != store.NotifyFailed || rows[0].Attempts != 0 || !strings.HasPrefix(rows[0].Error, "not sent: context canceled") ||
		rows[1].Status != store.NotifyFailed || rows[1].Attempts != 1 {
		t.Fatalf("send log %+v", rows)
	}
	// A cancelled context before the claim: nothing claimed, nothing sent.
	res = n.NotifyFindings(ctx, []vulns.Finding{kevFinding()})
	if calls != 1 || res[0].Err == "" {
		t.Errorf("claim under a cancelled context: %+v", res)
	}
}

// Digest: one message per run with every new alert; the next run sends
// only what is new.
func TestDigestOneMessagePerRun(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t)
	cfg := []config.NotifyChannel{{Type: "webhook", URL: rc.srv.URL, SecretEnv: "S", Digest: true,
		Events: []string{"kev", "critical", "high_fixable", "due_soon", "overdue"}, DueSoonDays: 7}}
	n := New(cfg, testOptions(st, map[string]string{"S": "x"}, nil))
	a := kevFinding() // kev and critical: 2 alerts
	b := kevFinding()
	b.ID, b.Vuln, b.KEV, b.Severity = "payments/x@1/CVE-2026-0001", "CVE-2026-0001", false, "high" // high_fixable
	c := kevFinding()
	c.ID, c.System, c.Vuln, c.KEV, c.Severity, c.Due = "loans/y@2/CVE-2026-0002", "loans", "CVE-2026-0002", false, "medium", t0.Add(-time.Hour) // overdue
	res := n.NotifyFindings(context.Background(), []vulns.Finding{a, b, c})
	if res[0] != (Result{Channel: "webhook-1", Alerts: 4, Sent: 4, Messages: 1}) {
		t.Fatalf("first run %+v", res[0])
	}
	got := rc.requests()
	if len(got) != 1 {
		t.Fatalf("%d messages, want 1 digest", len(got))
	}
	var body WebhookBody
	json.Unmarshal(got[0].Body, &body)
	// 4 alerts of 3 findings: a's two on one line.
	if body.Kind != KindDigest || len(body.Alerts) != 4 || body.Title != "osgauge vulnerability alerts: 3 findings this round" ||
		!strings.Contains(body.Text, "[known exploited (KEV), critical] payments:") ||
		!strings.Contains(body.Text, "[overdue] loans: pkg:maven/org.apache.logging.log4j/log4j-core 2.14.1 — CVE-2026-0002 (medium); fixed in 2.17.1; due 2026-12-07") ||
		!strings.Contains(body.Text, "[high, fix available] payments:") {
		t.Errorf("digest %+v", body)
	}
	// Second run, the same findings: nothing. Third, one more: a digest of one.
	n.NotifyFindings(context.Background(), []vulns.Finding{a, b, c})
	d := c
	d.ID = "loans/z@3/CVE-2026-0003"
	res = n.NotifyFindings(context.Background(), []vulns.Finding{a, b, c, d})
	if got := rc.requests(); len(got) != 2 || res[0].Sent != 1 || res[0].Already != 4 {
		t.Errorf("after 3 runs: %d messages, %+v; want 2 messages", len(got), res[0])
	}
}

// Without digest, alerts of one finding travel in one message; each
// finding is its own message.
func TestOneMessagePerFinding(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t)
	cfg := []config.NotifyChannel{{Type: "webhook", URL: rc.srv.URL, SecretEnv: "S", Events: config.NotifyEvents, DueSoonDays: 7}}
	n := New(cfg, testOptions(st, map[string]string{"S": "x"}, nil))
	b := kevFinding()
	b.ID, b.KEV = "other", false
	res := n.NotifyFindings(context.Background(), []vulns.Finding{kevFinding(), b})
	// kevFinding: kev + critical; b: critical → 3 alerts, 2 messages.
	if res[0] != (Result{Channel: "webhook-1", Alerts: 3, Sent: 3, Messages: 2}) || len(rc.requests()) != 2 {
		t.Errorf("%+v, %d requests", res[0], len(rc.requests()))
	}
}

// Background returns at once; the work runs with its own timeout.
func TestBackgroundNeverBlocks(t *testing.T) {
	release := make(chan struct{})
	done := make(chan error, 1)
	start := time.Now()
	Background(context.Background(), 50*time.Millisecond, nil, func(ctx context.Context) error {
		<-ctx.Done() // the timeout ends it
		<-release
		done <- ctx.Err()
		return ctx.Err()
	})
	if el := time.Since(start); el > time.Second {
		t.Fatalf("Background took %v", el)
	}
	close(release)
	if err := <-done; err != context.DeadlineExceeded {
		t.Errorf("ctx ended with %v, want the deadline", err)
	}
	// A cancelled parent (a finished job) does not cancel the round.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ok := make(chan error, 1)
	Background(ctx, time.Minute, nil, func(ctx context.Context) error { ok <- ctx.Err(); return nil })
	if err := <-ok; err != nil {
		t.Errorf("detached ctx: %v", err)
	}
}

// Test sends one message to each channel, or to the one chosen; a channel
// whose secret is missing says so and the others still work.
func TestTestMessages(t *testing.T) {
	st := openStore(t)
	hook := newReceiver(t)
	wc := newReceiver(t, answer{status: 200, body: `{"errcode":0,"errmsg":"ok"}`})
	cfg := []config.NotifyChannel{
		{Type: "webhook", URL: hook.srv.URL, SecretEnv: "S"},
		{Name: "secops-wecom", Type: "wecom", URL: wc.srv.URL + "/cgi-bin/webhook/send?key=k-123"},
		{Type: "dingtalk", URL: wc.srv.URL, SecretEnv: "UNSET"},
		{Type: "webhook", URL: hook.srv.URL}, // unsigned: refused
	}
	opt := testOptions(st, map[string]string{"S": "x"}, nil)
	opt.Lang = "zh"
	n := New(cfg, opt)
	res := n.Test(context.Background(), -1)
	if len(res) != 4 || res[0].Sent != 1 || res[1].Sent != 1 || res[2].Failed != 1 || !strings.Contains(res[2].Err, "UNSET") ||
		res[3].Failed != 1 || !strings.Contains(res[3].Err, "set secret_env") {
		t.Fatalf("%+v", res)
	}
	if len(hook.requests()) != 1 || len(wc.requests()) != 1 {
		t.Fatalf("requests: webhook %d, wecom %d", len(hook.requests()), len(wc.requests()))
	}
	var body WeComBody
	json.Unmarshal(wc.requests()[0].Body, &body)
	if body.Markdown.Content != "### osgauge 预警通道测试\n- 这是一条测试消息：此通道已可接收 osgauge 的漏洞预警。" {
		t.Errorf("wecom test content %q", body.Markdown.Content)
	}
	i, err := n.ChannelIndex("secops-wecom")
	if err != nil || i != 1 {
		t.Fatalf("ChannelIndex: %d %v", i, err)
	}
	if j, err := n.ChannelIndex("2"); err != nil || j != 1 {
		t.Fatalf("ChannelIndex(2): %d %v", j, err)
	}
	if _, err := n.ChannelIndex("5"); err == nil {
		t.Error("channel 5 of 4 accepted")
	}
	if res := n.Test(context.Background(), i); len(res) != 1 || res[0].Channel != "secops-wecom" || len(wc.requests()) != 2 || len(hook.requests()) != 1 {
		t.Errorf("--channel secops-wecom: %+v", res)
	}
	rows, _ := st.NotifySends(context.Background(), "", 0)
	if len(rows) != 3 || rows[0].Event != "test" || rows[0].Channel != "wecom:name=secops-wecom" {
		t.Errorf("send log %+v", rows)
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx": "https://qyapi.weixin.qq.com/…",
		"https://open.feishu.cn/open-apis/bot/v2/hook/0c8a-secret":           "https://open.feishu.cn/…",
		"https://hooks.bank.internal":                                        "https://hooks.bank.internal",
		"https://user:pw@hooks.bank.internal/":                               "https://hooks.bank.internal",
		"::":                                                                 "(an address that does not parse)",
	} {
		if got := RedactURL(in); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q", in, got, want)
		}
	}
	// A network error names the host, never the key.
	ln := httptest.NewServer(http.NotFoundHandler())
	addr := ln.URL + "/robot/send?access_token=very-secret-token-1"
	ln.Close() // nothing listens: connection refused
	st := openStore(t)
	cfg := []config.NotifyChannel{{Type: "dingtalk", URL: addr, Events: []string{"kev"}, DueSoonDays: 7}}
	opt := testOptions(st, nil, nil)
	opt.Retry.Attempts = 2
	res := New(cfg, opt).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if res[0].Failed != 1 || strings.Contains(res[0].Err, "very-secret-token-1") || !strings.Contains(res[0].Err, "127.0.0.1") {
		t.Errorf("error %q", res[0].Err)
	}
}
