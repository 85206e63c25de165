package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Headers of the generic webhook.
const (
	HeaderSignature = "X-Osgauge-Signature" // sha256=<hex>
	HeaderTimestamp = "X-Osgauge-Timestamp" // Unix seconds
	HeaderEvent     = "X-Osgauge-Event"     // alert, digest or test
)

// WebhookBody is the generic webhook's JSON body.
type WebhookBody struct {
	Source string  `json:"source"` // "osgauge"
	Kind   string  `json:"kind"`   // alert, digest, test
	Title  string  `json:"title"`
	Text   string  `json:"text"`
	SentAt string  `json:"sent_at"` // RFC 3339
	Alerts []Alert `json:"alerts"`
}

// Sign is the generic webhook's signature: the hex HMAC-SHA256, keyed by
// the secret, of the timestamp header's value, a dot and the raw body
// ("1765098000.{…}"), as X-Osgauge-Signature: sha256=<hex>. A receiver
// recomputes it over the bytes it received, compares in constant time,
// and refuses a timestamp more than five minutes from its clock (a
// replayed message carries an old one, and the timestamp cannot be
// changed without breaking the signature).
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// webhookLimit bounds a generic webhook's text.
const webhookLimit = 256 << 10

type webhook struct {
	base
	t *httpTarget
}

func (w *webhook) Robot() bool { return false }

func (w *webhook) Send(ctx context.Context, m Message) error {
	alerts := m.Alerts
	if alerts == nil {
		alerts = []Alert{}
	}
	body, err := json.Marshal(WebhookBody{Source: "osgauge", Kind: m.Kind, Title: m.Title, Text: render(m, plain, webhookLimit),
		SentAt: m.At.UTC().Format(time.RFC3339), Alerts: alerts})
	if err != nil {
		return permanent("webhook body: %v", err)
	}
	ts := strconv.FormatInt(w.t.now().Unix(), 10)
	h := http.Header{}
	h.Set(HeaderTimestamp, ts)
	h.Set(HeaderSignature, Sign(w.t.secret, ts, body))
	h.Set(HeaderEvent, m.Kind)
	_, err = w.t.post(ctx, w.t.url, body, h)
	return err
}
