package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/vulns"
)

// keys of a JSON object, sorted.
func keys(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// WeCom: {"msgtype":"markdown","markdown":{"content":…}} and nothing
// else; errcode 45009 (rate limit) is tried again.
func TestWeComBody(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t, answer{status: 200, body: `{"errcode":45009,"errmsg":"api freq out of limit"}`}, answer{status: 200, body: `{"errcode":0,"errmsg":"ok"}`})
	cfg := []config.NotifyChannel{{Type: "wecom", URL: rc.srv.URL + "/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", Events: []string{"kev"}, DueSoonDays: 7}}
	opt := testOptions(st, nil, nil)
	opt.Lang = "zh"
	res := New(cfg, opt).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	got := rc.requests()
	if res[0].Sent != 1 || len(got) != 2 {
		t.Fatalf("%+v, %d requests (want a retry after 45009)", res, len(got))
	}
	r := got[1]
	if r.Path != "/cgi-bin/webhook/send" || r.Query["key"][0] != "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa" || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Errorf("request %s %v %v", r.Path, r.Query, r.Header)
	}
	if ks := keys(t, r.Body); !slices.Equal(ks, []string{"markdown", "msgtype"}) {
		t.Errorf("body keys %v", ks)
	}
	var b struct {
		MsgType  string                     `json:"msgtype"`
		Markdown map[string]json.RawMessage `json:"markdown"`
	}
	json.Unmarshal(r.Body, &b)
	var content string
	json.Unmarshal(b.Markdown["content"], &content)
	want := "### osgauge 漏洞预警：已知被利用(KEV)\n" +
		"- [已知被利用(KEV)] 系统 payments：pkg:maven/org.apache.logging.log4j/log4j-core 2.14.1 — CVE-2021-44228（严重）；修复版本 2.17.1；处置期限 2026-12-19\n" +
		"\n详情与处置：osgauge vuln list / osgauge vuln set"
	if b.MsgType != "markdown" || len(b.Markdown) != 1 || content != want {
		t.Errorf("wecom body %s\ncontent %q\nwant    %q", r.Body, content, want)
	}
}

// DingTalk: {"msgtype":"markdown","markdown":{"title","text"}}; signed
// with &timestamp=<ms>&sign=<Base64 HMAC-SHA256 of "<ms>\n<secret>">
// beside the access_token; a refused signature is not tried again.
func TestDingTalkBodyAndSignature(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t, answer{status: 200, body: `{"errcode":0,"errmsg":"ok"}`})
	const secret = "SECtestsecret0123456789"
	cfg := []config.NotifyChannel{{Type: "dingtalk", URL: rc.srv.URL + "/robot/send?access_token=at-0123456789abcdef", SecretEnv: "DT", Events: []string{"kev"}, DueSoonDays: 7}}
	res := New(cfg, testOptions(st, map[string]string{"DT": secret}, nil)).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	got := rc.requests()
	if res[0].Sent != 1 || len(got) != 1 {
		t.Fatalf("%+v", res)
	}
	r := got[0]
	ts := r.Query["timestamp"][0]
	if r.Query["access_token"][0] != "at-0123456789abcdef" || ts != "1796634000000" {
		t.Errorf("query %v", r.Query)
	}
	// The signature, computed here: HMAC-SHA256 keyed by the secret of
	// "1796634000000\n<secret>", Base64 (the query is URL-decoded already).
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); r.Query["sign"][0] != want {
		t.Errorf("sign %q, want %q", r.Query["sign"][0], want)
	}
	// And against a vector computed apart (Python's hmac, the robot
	// documentation's recipe) for timestamp 1765098000000.
	if got := DingTalkSign(secret, 1765098000000); got != "mzOpFsQ47FaJ03JjAY5a04F7SZ5rbhZ/CSt//rV4G/E=" {
		t.Errorf("DingTalkSign vector: %s", got)
	}
	if ks := keys(t, r.Body); !slices.Equal(ks, []string{"markdown", "msgtype"}) {
		t.Errorf("body keys %v", ks)
	}
	var b DingTalkBody
	json.Unmarshal(r.Body, &b)
	var md map[string]json.RawMessage
	json.Unmarshal(r.Body, &struct {
		M *map[string]json.RawMessage `json:"markdown"`
	}{&md})
	if b.MsgType != "markdown" || b.Markdown.Title != "osgauge vulnerability alert: known exploited (KEV)" ||
		!strings.HasPrefix(b.Markdown.Text, "### osgauge vulnerability alert: known exploited (KEV)\n- [known exploited (KEV)] payments: ") ||
		!slices.Equal(keys(t, mustJSON(t, md)), []string{"text", "title"}) {
		t.Errorf("dingtalk body %s", r.Body)
	}

	// 310000 (sign not match) is not tried again.
	st2 := openStore(t)
	bad := newReceiver(t, answer{status: 200, body: `{"errcode":310000,"errmsg":"sign not match"}`})
	cfg[0].URL = bad.srv.URL + "/robot/send?access_token=at-0123456789abcdef"
	res = New(cfg, testOptions(st2, map[string]string{"DT": secret}, nil)).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if len(bad.requests()) != 1 || res[0].Failed != 1 || !strings.Contains(res[0].Err, "robot error 310000: sign not match") ||
		strings.Contains(res[0].Err, "at-0123456789abcdef") {
		t.Errorf("310000: %d requests, %+v", len(bad.requests()), res)
	}
}

func mustJSON(t *testing.T, v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Feishu/Lark: {"timestamp","sign","msg_type":"text","content":{"text"}};
// sign is the Base64 HMAC-SHA256 keyed by "<seconds>\n<secret>" of an
// empty message.
func TestFeishuBodyAndSignature(t *testing.T) {
	st := openStore(t)
	rc := newReceiver(t, answer{status: 200, body: `{"code":0,"data":{},"msg":"success"}`})
	const secret = "feishu-secret-xyz"
	cfg := []config.NotifyChannel{{Type: "feishu", URL: rc.srv.URL + "/open-apis/bot/v2/hook/0c8a1f2e-hook-id-secret", SecretEnv: "FS", Events: []string{"kev"}, DueSoonDays: 7}}
	res := New(cfg, testOptions(st, map[string]string{"FS": secret}, nil)).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	got := rc.requests()
	if res[0].Sent != 1 || len(got) != 1 {
		t.Fatalf("%+v", res)
	}
	r := got[0]
	if ks := keys(t, r.Body); !slices.Equal(ks, []string{"content", "msg_type", "sign", "timestamp"}) {
		t.Errorf("body keys %v", ks)
	}
	var b FeishuBody
	json.Unmarshal(r.Body, &b)
	if b.Timestamp != "1796634000" || b.MsgType != "text" || !strings.HasPrefix(b.Content.Text, "osgauge vulnerability alert: known exploited (KEV)\n\n[known exploited (KEV)] payments: ") {
		t.Errorf("feishu body %s", r.Body)
	}
	mac := hmac.New(sha256.New, []byte(b.Timestamp+"\n"+secret))
	if want := base64.StdEncoding.EncodeToString(mac.Sum(nil)); b.Sign != want {
		t.Errorf("sign %q, want %q", b.Sign, want)
	}
	// Vector computed apart (Python's hmac) for timestamp 1765098000.
	if got := FeishuSign(secret, 1765098000); got != "VtGYXUYbsrjottAXULiQP0L0+0XyaBxaKm2zFxznK1E=" {
		t.Errorf("FeishuSign vector: %s", got)
	}
	// Unsigned (no secret_env): no timestamp, no sign.
	st2 := openStore(t)
	plainRC := newReceiver(t, answer{status: 200, body: `{"StatusCode":0,"StatusMessage":"success"}`})
	cfg[0].URL, cfg[0].SecretEnv = plainRC.srv.URL+"/hook/x", ""
	New(cfg, testOptions(st2, nil, nil)).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if ks := keys(t, plainRC.requests()[0].Body); !slices.Equal(ks, []string{"content", "msg_type"}) {
		t.Errorf("unsigned body keys %v", ks)
	}
	// Code 9499 (too many requests) is tried again; 19021 (sign match
	// fail) is not.
	st3 := openStore(t)
	limited := newReceiver(t, answer{status: 200, body: `{"code":9499,"msg":"too many request"}`}, answer{status: 200, body: `{"code":19021,"msg":"sign match fail or timestamp is not within one hour from current time"}`})
	cfg[0].URL = limited.srv.URL + "/hook/y"
	res = New(cfg, testOptions(st3, nil, nil)).NotifyFindings(context.Background(), []vulns.Finding{kevFinding()})
	if len(limited.requests()) != 2 || !strings.Contains(res[0].Err, "robot error 19021") {
		t.Errorf("9499 then 19021: %d requests, %+v", len(limited.requests()), res)
	}
}

// A digest larger than a robot takes is cut to fit, the rest counted.
func TestDigestFitsTheRobotLimit(t *testing.T) {
	var alerts []Alert
	for i := range 200 {
		alerts = append(alerts, Alert{Key: string(rune('a'+i%26)) + strings.Repeat("x", i), Finding: strings.Repeat("f", i+1), Event: EventCritical,
			System: "payments", Component: "pkg:npm/some-long-package-name-" + strings.Repeat("z", 20), Version: "1.0.0", Vuln: "CVE-2026-1000", Severity: "critical"})
	}
	m := BuildMessage(KindDigest, alerts, "zh", t0)
	if len(m.Lines) != 200 || m.Title != "osgauge 漏洞预警：本轮 200 个漏洞发现" {
		t.Fatalf("%d lines, title %q", len(m.Lines), m.Title)
	}
	text := render(m, markdown, wecomLimit)
	if len(text) > wecomLimit || !utf8.ValidString(text) {
		t.Fatalf("%d bytes, limit %d", len(text), wecomLimit)
	}
	// The lines shown plus the count of the rest make 200.
	shown := strings.Count(text, "\n- [严重]")
	var rest int
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, "- ……另有 ") {
			var n int
			if _, err := fmt.Sscanf(l, "- ……另有 %d 个漏洞发现", &n); err == nil {
				rest = n
			}
		}
	}
	if shown == 0 || rest == 0 || shown+rest != 200 {
		t.Errorf("shown %d + rest %d ≠ 200:\n%s", shown, rest, text)
	}
}

// Outside text cannot break a message's structure.
func TestOutsideTextIsOneLine(t *testing.T) {
	a := Alert{Finding: "f", Event: EventKEV, System: "pay\nments", Component: "evil\r\n### Injected\u2028x", Version: "1\t0", Vuln: "CVE-1", Severity: "critical"}
	m := BuildMessage(KindAlert, []Alert{a}, "en", t0)
	if len(m.Lines) != 1 || strings.ContainsAny(m.Lines[0], "\r\n\t\u2028") ||
		m.Lines[0] != "[known exploited (KEV)] pay ments: evil ### Injected x 1 0 — CVE-1 (critical)" {
		t.Errorf("line %q", m.Lines[0])
	}
	if long := clean(strings.Repeat("é", 300)); utf8.RuneCountInString(long) != 201 {
		t.Errorf("clean keeps %d runes, want 200 + …", utf8.RuneCountInString(long))
	}
}
