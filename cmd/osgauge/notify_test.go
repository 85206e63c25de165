package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/notify"
	"github.com/osgauge/osgauge/store"
)

// hookServer records the bodies and headers it receives and answers as a
// WeCom robot does (which a generic webhook ignores).
type hookServer struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
	body [][]byte
}

func newHookServer(t *testing.T) *hookServer {
	h := &hookServer{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.reqs, h.body = append(h.reqs, r), append(h.body, b)
		h.mu.Unlock()
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *hookServer) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.body)
}

// notifyFixture is vulnFixture with CVE-2020-36518 in the KEV list (added
// 2026-02-25) and two channels: a signed webhook for kev, and a WeCom
// robot taking every event as a digest. The clock is 2026-03-01.
func notifyFixture(t *testing.T) (cfgPath string, hook, wecom *hookServer) {
	t.Helper()
	dir, cfgPath := vulnFixture(t)
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutKEV(context.Background(), []store.KEVEntry{{CVE: "CVE-2020-36518", DateAdded: "2026-02-25"}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	hook, wecom = newHookServer(t), newHookServer(t)
	t.Setenv("TEST_HOOK_SECRET", "s3cret")
	t.Setenv("TEST_WECOM_URL", wecom.URL+"/cgi-bin/webhook/send?key=wecom-key-0123456789")
	f, _ := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("report: {lang: en}\nnotify:\n" +
		"  - {type: webhook, url: " + hook.URL + "/osgauge, secret_env: TEST_HOOK_SECRET, events: [kev]}\n" +
		"  - {name: secops, type: wecom, url_env: TEST_WECOM_URL, digest: true}\n")
	f.Close()
	now := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	old := notifyOptions
	notifyOptions = func(c *config.Config, st *store.Store, log *slog.Logger) notify.Options {
		o := old(c, st, log)
		o.Now = func() time.Time { return now }
		o.Pace = -1
		o.Retry = notify.Retry{Sleep: func(context.Context, time.Duration) error { return nil }}
		return o
	}
	t.Cleanup(func() { notifyOptions = old })
	return cfgPath, hook, wecom
}

func TestNotifyTestCommand(t *testing.T) {
	cfgPath, hook, wecom := notifyFixture(t)
	out, err := runCLI(t, "--config", cfgPath, "notify", "test")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if out != "webhook-1: test message delivered\nsecops: test message delivered\n" || hook.count() != 1 || wecom.count() != 1 {
		t.Fatalf("out %q; webhook %d, wecom %d", out, hook.count(), wecom.count())
	}
	out, err = runCLI(t, "--config", cfgPath, "notify", "test", "--channel", "2")
	if err != nil || out != "secops: test message delivered\n" || hook.count() != 1 || wecom.count() != 2 {
		t.Fatalf("--channel 2: %v %q; webhook %d, wecom %d", err, out, hook.count(), wecom.count())
	}
	if _, err := runCLI(t, "--config", cfgPath, "notify", "test", "--channel", "nope"); err == nil || !strings.Contains(err.Error(), "secops") {
		t.Errorf("unknown channel: %v", err)
	}
	var body notify.WeComBody
	json.Unmarshal(wecom.body[0], &body)
	if body.MsgType != "markdown" || !strings.Contains(body.Markdown.Content, "osgauge early-warning test") {
		t.Errorf("wecom test body %s", wecom.body[0])
	}
}

// notify run, twice: the new KEV finding reaches the webhook once, signed;
// the WeCom digest carries its three alerts once.
func TestNotifyRunSendsOnce(t *testing.T) {
	cfgPath, hook, wecom := notifyFixture(t)
	for run := 1; run <= 2; run++ {
		out, err := runCLI(t, "--config", cfgPath, "notify", "run")
		if err != nil {
			t.Fatalf("run %d: %v\n%s", run, err, out)
		}
		// Jackson (high, fixed in 2.12.6.1, KEV): due the earlier of
		// 2026-01-05 + 60 days (high) = 2026-03-06 and 2026-02-25 + 14 days
		// (KEV) = 2026-03-11, so 2026-03-06: 5 days from 2026-03-01, due
		// soon. Alerts: kev, high_fixable, due_soon; the webhook takes kev.
		want := "webhook-1: 1 alerts, 0 sent before, 1 sent now in 1 messages, 0 failed\nsecops: 3 alerts, 0 sent before, 3 sent now in 1 messages, 0 failed\n"
		if run == 2 {
			want = "webhook-1: 1 alerts, 1 sent before, 0 sent now in 0 messages, 0 failed\nsecops: 3 alerts, 3 sent before, 0 sent now in 0 messages, 0 failed\n"
		}
		if out != want {
			t.Errorf("run %d:\n%s\nwant\n%s", run, out, want)
		}
	}
	if hook.count() != 1 || wecom.count() != 1 {
		t.Fatalf("webhook %d, wecom %d messages; want 1 each", hook.count(), wecom.count())
	}
	r, b := hook.reqs[0], hook.body[0]
	mac := hmac.New(sha256.New, []byte("s3cret"))
	mac.Write([]byte(r.Header.Get("X-Osgauge-Timestamp") + "." + string(b)))
	if r.Header.Get("X-Osgauge-Signature") != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
		t.Error("the webhook's signature does not verify")
	}
	var wb notify.WebhookBody
	json.Unmarshal(b, &wb)
	if len(wb.Alerts) != 1 || wb.Alerts[0].Event != "kev" || wb.Alerts[0].Finding != jacksonFinding || wb.Alerts[0].Due != "2026-03-06" {
		t.Errorf("webhook body %s", b)
	}
	var wc notify.WeComBody
	json.Unmarshal(wecom.body[0], &wc)
	if !strings.Contains(wc.Markdown.Content, "### osgauge vulnerability alerts: 1 findings this round\n- [known exploited (KEV), high, fix available, deadline soon] payments: pkg:maven/com.fasterxml.jackson.core/jackson-databind 2.9.10 — CVE-2020-36518 (high); fixed in 2.12.6.1; due 2026-03-06") {
		t.Errorf("wecom digest %q", wc.Markdown.Content)
	}
}

// After a collection serve calls notifyAfterCollect: it returns at once,
// and the message arrives from the background.
func TestNotifyAfterCollectInBackground(t *testing.T) {
	cfgPath, hook, _ := notifyFixture(t)
	c, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), c.Resolve(c.Store.DSN))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	notifyAfterCollect(ctx, c, st, slog.New(slog.DiscardHandler))
	cancel() // the job ends: the round goes on
	deadline := time.Now().Add(10 * time.Second)
	for hook.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if hook.count() != 1 {
		t.Fatalf("webhook got %d messages from the background round", hook.count())
	}
	// Let the round record its sends before the store closes.
	for time.Now().Before(deadline) {
		// 1 webhook alert and the digest's 3, each recorded sent.
		rows, _ := st.NotifySends(context.Background(), "", 0)
		sent := 0
		for _, r := range rows {
			if r.Status == store.NotifySent {
				sent++
			}
		}
		if sent == 4 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Error("the background round did not record its sends")
}
