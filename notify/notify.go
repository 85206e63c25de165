// Package notify is osgauge's early warning (预警, issue 24): after each
// scheduled collection, the vulnerability findings that matter — a new
// known-exploited one, a new critical one, a high one with a fix, a
// deadline about to pass, an overdue one — are sent to the channels of the
// config's notify: list: a generic webhook (JSON signed with HMAC-SHA256),
// the group robots of WeCom (企业微信), DingTalk (钉钉) and Feishu/Lark (飞书),
// and e-mail over SMTP with STARTTLS.
//
// Each alert is sent once per channel, finding, event and state: its key
// (Alert.Key) is claimed in the store before sending and recorded as sent
// or failed with the attempts made and the error (store.ClaimNotify,
// FinishNotify), so two identical runs send one message, a failed send is
// tried again by the next run, and a finding that changes state (reopened,
// a mitigation expired, a fix not verified) is told again. Sending is
// retried with exponential backoff and jitter, bounded, and stops with
// its context; Background runs a whole round in a goroutine with a
// timeout, so that collection never waits for it.
//
// Tokens never leave the process: robot URLs (which hold their keys) are
// redacted to scheme and host in every log line, error and store record;
// channels are recorded by a token-free id.
package notify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
)

// Events an alert is raised for (config notify[].events), and the test
// message of `osgauge notify test`.
const (
	EventKEV         = "kev"          // a known-exploited vulnerability (CISA KEV)
	EventCritical    = "critical"     // a critical one
	EventHighFixable = "high_fixable" // a high one with a fixed version available
	EventDueSoon     = "due_soon"     // its deadline is within due_soon_days
	EventOverdue     = "overdue"      // its deadline has passed
	EventTest        = "test"
)

// Alert is one event of one finding, ready to send. Key is its
// de-duplication key: the finding, the event and the state it is in (with
// the time that state began), so that the same alert is sent once per
// channel and a change of state is told again.
type Alert struct {
	Key       string `json:"key"`
	Finding   string `json:"finding"` // the finding's id (alerts of one finding travel in one message)
	Event     string `json:"event"`
	System    string `json:"system"`
	Component string `json:"component"`
	Version   string `json:"version"`
	Vuln      string `json:"vuln"`
	Severity  string `json:"severity"`
	FixedIn   string `json:"fixed_in,omitempty"`
	Due       string `json:"due,omitempty"` // YYYY-MM-DD
	State     string `json:"state,omitempty"`
	KEV       bool   `json:"kev"`
	// Note says how the finding came to be open again: reopened,
	// fix_not_verified, mitigation_expired (shown in the message's
	// language); may be empty.
	Note string `json:"note,omitempty"`
	// Text is free text shown after the alert's line; may be empty.
	Text string `json:"text,omitempty"`
}

// Message kinds.
const (
	KindAlert  = "alert"  // the alerts of one finding
	KindDigest = "digest" // every new alert of a run, for one channel
	KindTest   = "test"
)

// Message is what a channel sends: a title and one line per alert, in the
// config's language, and the alerts themselves (the generic webhook sends
// them as JSON).
type Message struct {
	Kind   string
	Lang   string
	Title  string
	Lines  []string
	Alerts []Alert
	At     time.Time
}

// Channel sends messages to one destination. Send makes one attempt; an
// error it returns says whether trying again may help (retryable).
type Channel interface {
	// ID is stable and token-free: the store's de-duplication is per ID.
	ID() string
	// Name is the config's name (or type-N), for logs and --channel.
	Name() string
	// Robot says the destination is a group robot with a per-minute
	// message limit (sends to it are paced).
	Robot() bool
	Send(ctx context.Context, m Message) error
}

// Options configure a Notifier; zero values take the defaults.
type Options struct {
	Lang   string       // zh or en (report.lang); default zh
	Store  *store.Store // the send log and de-duplication; required to notify (not to test)
	Logger *slog.Logger
	Now    func() time.Time
	HTTP   *http.Client
	Retry  Retry
	Getenv func(string) string
	// Pace is the pause between two messages to one group robot
	// (WeCom, DingTalk and Feishu take about 20 a minute): default 3s.
	Pace time.Duration
	// StaleAfter abandons a claim left "sending" by a run that died:
	// default one hour.
	StaleAfter time.Duration
	// Timeout bounds one HTTP request or SMTP session: default 30s.
	Timeout time.Duration
}

func (o Options) withDefaults() Options {
	if o.Lang == "" {
		o.Lang = "zh"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.HTTP == nil {
		o.HTTP = &http.Client{Timeout: o.Timeout}
	}
	// A webhook answers; it does not redirect. Following a redirect
	// could carry the message (and a signature) elsewhere.
	c := *o.HTTP
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	o.HTTP = &c
	o.Retry = o.Retry.withDefaults()
	if o.Getenv == nil {
		o.Getenv = lookupEnv
	}
	if o.Pace < 0 {
		o.Pace = 0
	} else if o.Pace == 0 {
		o.Pace = 3 * time.Second
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = time.Hour
	}
	return o
}

// Notifier sends alerts to the configured channels.
type Notifier struct {
	opt      Options
	channels []entry
}

type entry struct {
	cfg    config.NotifyChannel
	name   string
	ch     Channel // nil when broken
	broken error
}

// New builds the channels of the config's notify: list. A channel whose
// URL or secret cannot be read (an environment variable unset) is kept as
// broken: its error is reported by every round and by Test, the others
// work.
func New(channels []config.NotifyChannel, opt Options) *Notifier {
	opt = opt.withDefaults()
	n := &Notifier{opt: opt}
	for i, c := range channels {
		name := c.ChannelName(i)
		ch, err := newChannel(c, name, opt)
		if err != nil {
			err = fmt.Errorf("notify channel %s: %w", name, err)
		}
		n.channels = append(n.channels, entry{cfg: c, name: name, ch: ch, broken: err})
	}
	return n
}

// Channels lists the channels' names in config order.
func (n *Notifier) Channels() []string {
	var out []string
	for _, e := range n.channels {
		out = append(out, e.name)
	}
	return out
}

// Result is what one round did for one channel.
type Result struct {
	Channel  string `json:"channel"`
	Alerts   int    `json:"alerts"`   // alerts for this channel (its events)
	Already  int    `json:"already"`  // sent before (or being sent by another run)
	Sent     int    `json:"sent"`     // alerts delivered now
	Failed   int    `json:"failed"`   // alerts not delivered (sent again next round)
	Messages int    `json:"messages"` // messages delivered
	Err      string `json:"error,omitempty"`
}

// Notify sends the alerts that are new for each channel: alertsFor gives
// a channel's alerts from its due_soon_days (Alerts over the findings, as
// NotifyFindings does); each channel keeps the events it subscribed. The
// channels are served in parallel; the call returns when every channel is
// done or ctx ends.
func (n *Notifier) Notify(ctx context.Context, alertsFor func(dueSoonDays int) []Alert) []Result {
	results := make([]Result, len(n.channels))
	var wg sync.WaitGroup
	for i, e := range n.channels {
		results[i].Channel = e.name
		if e.broken != nil {
			results[i].Err = e.broken.Error()
			n.opt.Logger.Error("notify: channel not usable", "channel", e.name, "err", e.broken)
			continue
		}
		var mine []Alert
		seen := map[string]bool{}
		for _, a := range alertsFor(e.cfg.DueSoonDays) {
			if slices.Contains(e.cfg.Events, a.Event) && !seen[a.Key] {
				seen[a.Key] = true
				mine = append(mine, a)
			}
		}
		results[i].Alerts = len(mine)
		if len(mine) == 0 {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			n.notifyChannel(ctx, e, mine, &results[i])
		}()
	}
	wg.Wait()
	return results
}

// notifyChannel claims the channel's alerts, sends the new ones (one
// message per finding, or one digest) and records each outcome.
func (n *Notifier) notifyChannel(ctx context.Context, e entry, alerts []Alert, res *Result) {
	log := n.opt.Logger.With("channel", e.name)
	if n.opt.Store == nil {
		res.Err = "notify: no store to record sends in"
		log.Error(res.Err)
		return
	}
	claims := make([]store.NotifyClaim, len(alerts))
	for i, a := range alerts {
		claims[i] = store.NotifyClaim{Key: a.Key, Event: a.Event}
	}
	ids, err := n.opt.Store.ClaimNotify(ctx, e.ch.ID(), claims, n.opt.Now(), n.opt.StaleAfter)
	if err != nil {
		res.Err = err.Error()
		log.Error("notify: claiming alerts", "err", err)
		return
	}
	// The new alerts, grouped per finding in first-seen order.
	type group struct {
		alerts []Alert
		ids    []int64
	}
	var groups []*group
	byFinding := map[string]*group{}
	for i, a := range alerts {
		if ids[i] == 0 {
			res.Already++
			continue
		}
		k := a.Finding
		if k == "" || e.cfg.Digest {
			k = "\x00" + strconv.Itoa(i)
			if e.cfg.Digest {
				k = "digest"
			}
		}
		g := byFinding[k]
		if g == nil {
			g = &group{}
			byFinding[k] = g
			groups = append(groups, g)
		}
		g.alerts = append(g.alerts, a)
		g.ids = append(g.ids, ids[i])
	}
	for gi, g := range groups {
		if ctx.Err() != nil {
			break // the rest is released below
		}
		if gi > 0 && e.ch.Robot() && n.opt.Pace > 0 {
			if err := sleep(ctx, n.opt.Pace); err != nil {
				break // the rest is released below
			}
		}
		kind := KindAlert
		if e.cfg.Digest {
			kind = KindDigest
		}
		m := BuildMessage(kind, g.alerts, n.opt.Lang, n.opt.Now())
		attempts, err := n.opt.Retry.Do(ctx, func(ctx context.Context) error { return e.ch.Send(ctx, m) })
		status, errText := store.NotifySent, ""
		if err != nil {
			status, errText = store.NotifyFailed, err.Error()
			res.Failed += len(g.alerts)
			res.Err = errText
			log.Warn("notify: not sent", "alerts", len(g.alerts), "attempts", attempts, "err", errText)
		} else {
			res.Sent += len(g.alerts)
			res.Messages++
		}
		if ferr := n.finish(ctx, g.ids, status, attempts, errText); ferr != nil {
			log.Error("notify: recording the send", "err", ferr)
		}
		g.ids = nil
	}
	// Claims not reached (ctx ended) are released for the next round.
	var left []int64
	for _, g := range groups {
		left = append(left, g.ids...)
		if len(g.ids) > 0 {
			res.Failed += len(g.alerts)
		}
	}
	if len(left) > 0 {
		res.Err = "not sent: " + ctx.Err().Error()
		if ferr := n.finish(ctx, left, store.NotifyFailed, 0, res.Err); ferr != nil {
			log.Error("notify: releasing claims", "err", ferr)
		}
	}
	log.Info("notify: round done", "alerts", res.Alerts, "already_sent", res.Already, "sent", res.Sent, "failed", res.Failed)
}

// finish records an outcome even when ctx has ended (a short grace).
func (n *Notifier) finish(ctx context.Context, ids []int64, status string, attempts int, errText string) error {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	return n.opt.Store.FinishNotify(fctx, ids, status, attempts, errText, n.opt.Now())
}

// Test sends a test message to every channel (which < 0) or to the
// channel at index which, and records each send (key test:<time>:<nonce>) when
// the Notifier has a store. It returns one result per channel tried.
func (n *Notifier) Test(ctx context.Context, which int) []Result {
	var out []Result
	for i, e := range n.channels {
		if which >= 0 && i != which {
			continue
		}
		res := Result{Channel: e.name, Alerts: 1}
		if e.broken != nil {
			res.Err, res.Failed = e.broken.Error(), 1
			out = append(out, res)
			continue
		}
		now := n.opt.Now()
		var ids []int64
		if n.opt.Store != nil {
			var err error
			nonce := make([]byte, 4)
			rand.Read(nonce)
			key := "test:" + now.UTC().Format(time.RFC3339Nano) + ":" + hex.EncodeToString(nonce)
			ids, err = n.opt.Store.ClaimNotify(ctx, e.ch.ID(), []store.NotifyClaim{{Key: key, Event: EventTest}}, now, 0)
			if err != nil {
				res.Err, res.Failed = err.Error(), 1
				out = append(out, res)
				continue
			}
		}
		m := BuildMessage(KindTest, nil, n.opt.Lang, now)
		attempts, err := n.opt.Retry.Do(ctx, func(ctx context.Context) error { return e.ch.Send(ctx, m) })
		status, errText := store.NotifySent, ""
		if err != nil {
			status, errText = store.NotifyFailed, err.Error()
			res.Err, res.Failed = errText, 1
		} else {
			res.Sent, res.Messages = 1, 1
		}
		if ids != nil {
			if ferr := n.finish(ctx, ids, status, attempts, errText); ferr != nil && res.Err == "" {
				res.Err = ferr.Error()
			}
		}
		out = append(out, res)
	}
	return out
}

// ChannelIndex finds a channel by its 1-based number or its name.
func (n *Notifier) ChannelIndex(s string) (int, error) {
	if i, err := strconv.Atoi(s); err == nil {
		if i < 1 || i > len(n.channels) {
			return 0, fmt.Errorf("no notify channel %d: the config has %d", i, len(n.channels))
		}
		return i - 1, nil
	}
	for i, e := range n.channels {
		if e.name == s {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no notify channel named %q (channels: %s)", s, strings.Join(n.Channels(), ", "))
}

// Background runs f in its own goroutine with a timeout and returns at
// once: the caller (a collection) never waits for it. The context is
// detached from ctx's cancellation (a finished job's context may end) but
// keeps its values; an error is logged, a panic recovered and logged.
func Background(ctx context.Context, timeout time.Duration, log *slog.Logger, f func(ctx context.Context) error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	go func() {
		defer func() {
			if p := recover(); p != nil {
				log.Error("notify: panicked", "panic", fmt.Sprint(p))
			}
		}()
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		if err := f(bctx); err != nil {
			log.Error("notify: round failed", "err", err)
		}
	}()
}

// newChannel builds the channel of a config entry.
func newChannel(c config.NotifyChannel, name string, opt Options) (Channel, error) {
	secret := ""
	if c.SecretEnv != "" {
		secret = strings.TrimSpace(opt.Getenv(c.SecretEnv))
		if secret == "" {
			return nil, fmt.Errorf("environment variable %s (secret_env) is empty or unset", c.SecretEnv)
		}
	}
	if c.Type == "email" {
		return newEmail(c, name, opt)
	}
	u := c.URL
	if u == "" {
		if c.URLEnv == "" {
			return nil, errors.New("no url and no url_env")
		}
		u = strings.TrimSpace(opt.Getenv(c.URLEnv))
		if u == "" {
			return nil, fmt.Errorf("environment variable %s (url_env) is empty or unset", c.URLEnv)
		}
	}
	h, err := newHTTPTarget(u, secret, opt)
	if err != nil {
		return nil, err
	}
	id := c.Type + ":" + channelKey(c.Name, h.redacted, u)
	base := base{id: id, name: name}
	switch c.Type {
	case "webhook":
		if secret == "" {
			return nil, errors.New("a webhook is signed: set secret_env")
		}
		return &webhook{base: base, t: h}, nil
	case "wecom":
		return &wecom{base: base, t: h}, nil
	case "dingtalk":
		return &dingtalk{base: base, t: h}, nil
	case "feishu":
		return &feishu{base: base, t: h}, nil
	}
	return nil, fmt.Errorf("unknown type %q", c.Type)
}

// channelKey is the token-free part of a channel's id: its configured
// name when it has one (so a robot's key can be rotated without sending
// everything again), else where it points (redacted) and a short
// fingerprint of the whole address (two robots on one host differ only by
// their keys). A 48-bit prefix of SHA-256 cannot give a key back.
func channelKey(name, redacted, full string) string {
	if strings.TrimSpace(name) != "" {
		return "name=" + name
	}
	sum := sha256.Sum256([]byte(full))
	return redacted + "#" + hex.EncodeToString(sum[:6])
}

type base struct{ id, name string }

func (b base) ID() string   { return b.id }
func (b base) Name() string { return b.name }
