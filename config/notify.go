package config

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/osgauge/osgauge/internal/yamlpos"
)

// NotifyChannel is one entry of the config's notify: list (issue 24,
// early warning): where alerts about vulnerability findings go after each
// scheduled collection.
//
//	notify:
//	  - {type: webhook, url: https://hooks.bank.internal/osgauge, secret_env: OSGAUGE_HOOK_SECRET, events: [kev, critical]}
//	  - {type: wecom, url_env: OSGAUGE_WECOM_URL, digest: true}
//	  - {type: dingtalk, url_env: OSGAUGE_DINGTALK_URL, secret_env: OSGAUGE_DINGTALK_SECRET}
//	  - {type: feishu, url_env: OSGAUGE_FEISHU_URL, secret_env: OSGAUGE_FEISHU_SECRET}
//	  - {type: email, smtp: mail.bank.internal:587, from: osgauge@bank.example,
//	     to: [secops@bank.example], password_env: OSGAUGE_SMTP_PASSWORD}
//
// Secrets never sit in the file: secret_env and password_env name
// environment variables, and a robot URL that holds its key (WeCom's
// ?key=, DingTalk's ?access_token=, Feishu's hook path) may be given by
// url_env instead of url.
type NotifyChannel struct {
	// Name labels the channel in logs, in the store's send records and
	// for `osgauge notify test --channel NAME`; default: its type and
	// number (wecom-2).
	Name string `yaml:"name"`
	// Type is webhook, wecom, dingtalk, feishu or email.
	Type string `yaml:"type"`
	// URL is the webhook's or robot's address; URLEnv names an
	// environment variable holding it instead (set one of them).
	URL    string `yaml:"url"`
	URLEnv string `yaml:"url_env"`
	// SecretEnv names the environment variable of the signing secret:
	// required for webhook (HMAC-SHA256 of timestamp and body), optional
	// for dingtalk and feishu (their robots' 加签 / signature check), not
	// used by wecom (its robots are not signed) nor email.
	SecretEnv string `yaml:"secret_env"`
	// Events are the alerts this channel receives: kev, critical,
	// high_fixable, due_soon, overdue (default: all of them).
	Events []string `yaml:"events"`
	// Digest sends one message per run with every new alert instead of one
	// message per alert.
	Digest bool `yaml:"digest"`
	// DueSoonDays is how many days before its deadline a finding raises
	// due_soon (default 7).
	DueSoonDays int `yaml:"due_soon_days"`

	// E-mail: the SMTP server (host:port; STARTTLS is required unless the
	// host is a loopback address), sender, recipients, and the login
	// (username, default from) whose password is in password_env (no
	// login when password_env is unset).
	SMTP        string     `yaml:"smtp"`
	From        string     `yaml:"from"`
	To          StringList `yaml:"to"`
	Username    string     `yaml:"username"`
	PasswordEnv string     `yaml:"password_env"`
}

// Notification channel types and events.
var (
	NotifyTypes  = []string{"webhook", "wecom", "dingtalk", "feishu", "email"}
	NotifyEvents = []string{"kev", "critical", "high_fixable", "due_soon", "overdue"}
)

// DefaultDueSoonDays is notify[].due_soon_days when unset.
const DefaultDueSoonDays = 7

// ChannelName is the channel's name, or its type and 1-based number.
func (n NotifyChannel) ChannelName(i int) string {
	if strings.TrimSpace(n.Name) != "" {
		return n.Name
	}
	return n.Type + "-" + strconv.Itoa(i+1)
}

// Endpoint returns the channel's URL: url, or the value of url_env. The
// result may hold a token: never log or store it.
func (n NotifyChannel) Endpoint() (string, error) {
	if n.URL != "" {
		return n.URL, nil
	}
	if n.URLEnv == "" {
		return "", fmt.Errorf("notify %s: no url and no url_env", n.Type)
	}
	v := strings.TrimSpace(os.Getenv(n.URLEnv))
	if v == "" {
		return "", fmt.Errorf("notify %s: environment variable %s (url_env) is empty or unset", n.Type, n.URLEnv)
	}
	return v, nil
}

func (c *Config) applyNotifyDefaults() {
	for i := range c.Notify {
		n := &c.Notify[i]
		n.Type = strings.ToLower(strings.TrimSpace(n.Type))
		if len(n.Events) == 0 {
			n.Events = slices.Clone(NotifyEvents)
		}
		if n.DueSoonDays == 0 {
			n.DueSoonDays = DefaultDueSoonDays
		}
		if n.Type == "email" && n.Username == "" {
			if a, err := mail.ParseAddress(n.From); err == nil {
				n.Username = a.Address
			}
		}
	}
}

// validateNotify applies the notify: defaults (here, so that config.go
// needs one call) and checks the entries.
func (c *Config) validateNotify(doc yamlpos.Doc) []string {
	c.applyNotifyDefaults()
	var errs []string
	names := map[string]int{}
	for i, n := range c.Notify {
		idx := strconv.Itoa(i)
		at := func(key string) string { return doc.At("notify", idx, key) }
		what := fmt.Sprintf("notify entry %d", i+1)
		add := func(key, msg string, args ...any) {
			errs = append(errs, at(key)+what+": "+fmt.Sprintf(msg, args...))
		}
		if !slices.Contains(NotifyTypes, n.Type) {
			add("type", "type must be one of %s, got %q", strings.Join(NotifyTypes, ", "), n.Type)
			continue
		}
		name := n.ChannelName(i)
		if j, dup := names[name]; dup {
			add("name", "name %q is also entry %d's", name, j+1)
		}
		names[name] = i
		if _, err := strconv.Atoi(name); err == nil {
			add("name", "name %q must not be a number (numbers pick channels by position)", name)
		}
		for _, e := range n.Events {
			if !slices.Contains(NotifyEvents, e) {
				add("events", "unknown event %q (known: %s)", e, strings.Join(NotifyEvents, ", "))
			}
		}
		if n.DueSoonDays < 0 || n.DueSoonDays > 365 {
			add("due_soon_days", "due_soon_days must be within 1..365, got %d", n.DueSoonDays)
		}
		for _, kv := range [][2]string{{"secret_env", n.SecretEnv}, {"url_env", n.URLEnv}, {"password_env", n.PasswordEnv}} {
			if kv[1] != "" && !envName.MatchString(kv[1]) {
				// Never echo it: it may be the secret itself.
				add(kv[0], "%s must be the name of an environment variable (letters, digits, _), not the value itself", kv[0])
			}
		}
		if n.Type == "email" {
			errs = append(errs, validateEmailChannel(n, at, what)...)
			continue
		}
		for _, k := range []struct {
			key string
			set bool
		}{{"smtp", n.SMTP != ""}, {"from", n.From != ""}, {"to", len(n.To) > 0}, {"username", n.Username != ""}, {"password_env", n.PasswordEnv != ""}} {
			if k.set {
				add(k.key, "%s is an e-mail key; type %s does not use it", k.key, n.Type)
			}
		}
		switch {
		case n.URL == "" && n.URLEnv == "":
			add("type", "type %s needs url (or url_env: the environment variable that holds it)", n.Type)
		case n.URL != "" && n.URLEnv != "":
			add("url", "set url or url_env, not both")
		case n.URL != "":
			u, err := url.Parse(n.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				// The URL may hold a robot's key: name the key, not the value.
				add("url", "url must be an http(s) URL")
			} else if u.User != nil {
				add("url", "url must not carry a user or password: use secret_env")
			}
		}
		switch n.Type {
		case "webhook":
			if n.SecretEnv == "" {
				add("type", "type webhook needs secret_env: the environment variable of the HMAC secret its messages are signed with")
			}
		case "wecom":
			if n.SecretEnv != "" {
				add("secret_env", "WeCom group robots are not signed: drop secret_env (keep the key out of the file with url_env)")
			}
		}
	}
	return errs
}

func validateEmailChannel(n NotifyChannel, at func(string) string, what string) []string {
	var errs []string
	add := func(key, msg string, args ...any) {
		errs = append(errs, at(key)+what+": "+fmt.Sprintf(msg, args...))
	}
	if n.URL != "" || n.URLEnv != "" {
		add("url", "type email takes smtp, not url")
	}
	if n.SecretEnv != "" {
		add("secret_env", "type email takes password_env, not secret_env")
	}
	if n.SMTP == "" {
		add("type", "type email needs smtp: host:port (e.g. mail.bank.internal:587)")
	} else if host, port, err := net.SplitHostPort(n.SMTP); err != nil || host == "" || port == "" {
		add("smtp", "smtp must be host:port, got %q", n.SMTP)
	} else if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		add("smtp", "smtp port must be a number within 1..65535, got %q", port)
	}
	if a, err := mail.ParseAddress(n.From); err != nil || a.Address == "" {
		add("from", "from must be an e-mail address, got %q", n.From)
	}
	if len(n.To) == 0 {
		add("type", "type email needs to: [addresses]")
	}
	for _, t := range n.To {
		if _, err := mail.ParseAddress(t); err != nil {
			add("to", "to: %q is not an e-mail address", t)
		}
	}
	return errs
}
