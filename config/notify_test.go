package config

import (
	"slices"
	"strings"
	"testing"
)

func TestNotifyChannels(t *testing.T) {
	c, err := Parse("osgauge.yaml", []byte(`report: {lang: en}
notify:
  - {type: webhook, url: https://hooks.bank.internal/osgauge, secret_env: OSGAUGE_HOOK_SECRET, events: [kev, critical]}
  - {name: secops, type: wecom, url_env: OSGAUGE_WECOM_URL, digest: true}
  - {type: dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=abc", secret_env: DT_SECRET, due_soon_days: 3}
  - {type: feishu, url_env: FEISHU_URL}
  - {type: email, smtp: "mail.bank.internal:587", from: "osgauge <osgauge@bank.example>", to: [secops@bank.example], password_env: SMTP_PW}
`))
	if err != nil {
		t.Fatal(err)
	}
	n := c.Notify
	if len(n) != 5 {
		t.Fatalf("%d channels", len(n))
	}
	if !slices.Equal(n[0].Events, []string{"kev", "critical"}) || n[0].DueSoonDays != DefaultDueSoonDays {
		t.Errorf("webhook %+v", n[0])
	}
	// Defaults: every event, 7 days; the e-mail login is the sender.
	if !slices.Equal(n[1].Events, NotifyEvents) || !n[1].Digest || n[2].DueSoonDays != 3 || n[4].Username != "osgauge@bank.example" {
		t.Errorf("defaults %+v", n)
	}
	if got := []string{n[0].ChannelName(0), n[1].ChannelName(1), n[4].ChannelName(4)}; !slices.Equal(got, []string{"webhook-1", "secops", "email-5"}) {
		t.Errorf("names %v", got)
	}
	t.Setenv("OSGAUGE_WECOM_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
	if u, err := n[1].Endpoint(); err != nil || !strings.HasSuffix(u, "key=k") {
		t.Errorf("url_env: %q %v", u, err)
	}
	if _, err := n[3].Endpoint(); err == nil || !strings.Contains(err.Error(), "FEISHU_URL") {
		t.Errorf("unset url_env: %v", err)
	}
}

func TestNotifyErrorsNameLineAndKey(t *testing.T) {
	_, err := Parse("osgauge.yaml", []byte(`notify:
  - {type: slack, url: https://x}
  - type: webhook
    url: https://hooks.bank.internal/x
  - type: wecom
    url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k
    secret_env: WECOM
  - type: dingtalk
    url_env: "not a variable name"
    events: [kev, new]
  - type: email
    smtp: mail.bank.internal
    from: nobody
  - type: feishu
    url: "ftp://open.feishu.cn/hook/secret-hook-id"
    smtp: x:25
`))
	if err == nil {
		t.Fatal("accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"line 2: notify entry 1: type must be one of webhook, wecom, dingtalk, feishu, email, got \"slack\"",
		"line 3: notify entry 2: type webhook needs secret_env",
		"line 7: notify entry 3: WeCom group robots are not signed",
		"line 9: notify entry 4: url_env must be the name of an environment variable",
		"line 10: notify entry 4: unknown event \"new\"",
		"line 12: notify entry 5: smtp must be host:port, got \"mail.bank.internal\"",
		"line 13: notify entry 5: from must be an e-mail address",
		"line 11: notify entry 5: type email needs to:",
		"line 15: notify entry 6: url must be an http(s) URL",
		"line 16: notify entry 6: smtp is an e-mail key; type feishu does not use it",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	// Values that may be secrets are never echoed.
	for _, secret := range []string{"secret-hook-id", "not a variable name"} {
		if strings.Contains(msg, secret) {
			t.Errorf("the error echoes %q:\n%s", secret, msg)
		}
	}
}
