package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
)

// The group robots of WeCom (企业微信), DingTalk (钉钉) and Feishu/Lark
// (飞书). Each answers HTTP 200 with its own error code in the body; a
// rate limit (about 20 messages a minute per robot) is retried, other
// codes (a bad key, a refused signature or keyword) are not.

// robotAnswer is the answer of the three robots: WeCom and DingTalk give
// errcode/errmsg, Feishu code/msg (older hooks StatusCode/StatusMessage).
type robotAnswer struct {
	ErrCode    *int   `json:"errcode"`
	ErrMsg     string `json:"errmsg"`
	Code       *int   `json:"code"`
	Msg        string `json:"msg"`
	StatusCode *int   `json:"StatusCode"`
	StatusMsg  string `json:"StatusMessage"`
}

// check reads a robot's answer: nil when its code is 0; retryable when
// the code is one of retry (rate limits, "system busy").
func (t *httpTarget) check(data []byte, retry ...int) error {
	var a robotAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return permanent("%s: the answer is not the robot's JSON: %s", t.redacted, snippet(data, t.secrets))
	}
	code, msg := 0, ""
	switch {
	case a.ErrCode != nil:
		code, msg = *a.ErrCode, a.ErrMsg
	case a.Code != nil:
		code, msg = *a.Code, a.Msg
	case a.StatusCode != nil:
		code, msg = *a.StatusCode, a.StatusMsg
	default:
		return permanent("%s: the answer has no error code: %s", t.redacted, snippet(data, t.secrets))
	}
	if code == 0 {
		return nil
	}
	text := fmt.Sprintf("%s: robot error %d: %s", t.redacted, code, snippet([]byte(msg), t.secrets))
	for _, r := range retry {
		if code == r {
			return temporary(0, "%s", text)
		}
	}
	return permanent("%s", text)
}

// WeCom: POST {"msgtype":"markdown","markdown":{"content":…}} to
// https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY; content at
// most 4096 bytes; errcode 45009 is the rate limit, -1 "system busy".
const wecomLimit = 4096

type wecom struct {
	base
	t *httpTarget
}

func (w *wecom) Robot() bool { return true }

// WeComBody is a WeCom group robot's markdown message.
type WeComBody struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Content string `json:"content"`
	} `json:"markdown"`
}

func (w *wecom) Send(ctx context.Context, m Message) error {
	var b WeComBody
	b.MsgType = "markdown"
	b.Markdown.Content = render(m, markdown, wecomLimit)
	body, _ := json.Marshal(b)
	data, err := w.t.post(ctx, w.t.url, body, nil)
	if err != nil {
		return err
	}
	return w.t.check(data, 45009, -1)
}

// DingTalk: POST {"msgtype":"markdown","markdown":{"title":…,"text":…}}
// to https://oapi.dingtalk.com/robot/send?access_token=TOKEN. With the
// robot's 加签 setting, &timestamp=<ms>&sign=<s> are added to the URL, s
// the Base64 HMAC-SHA256, keyed by the secret, of "<ms>\n<secret>"
// (URL-encoded). errcode 130101 is the rate limit ("send too fast").
const dingtalkLimit = 18000

type dingtalk struct {
	base
	t *httpTarget
}

func (d *dingtalk) Robot() bool { return true }

// DingTalkBody is a DingTalk robot's markdown message.
type DingTalkBody struct {
	MsgType  string `json:"msgtype"`
	Markdown struct {
		Title string `json:"title"`
		Text  string `json:"text"`
	} `json:"markdown"`
}

// DingTalkSign is DingTalk's signature for a millisecond timestamp.
func DingTalkSign(secret string, timestampMS int64) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestampMS, 10) + "\n" + secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (d *dingtalk) Send(ctx context.Context, m Message) error {
	var b DingTalkBody
	b.MsgType = "markdown"
	b.Markdown.Title = clean(m.Title)
	b.Markdown.Text = render(m, markdown, dingtalkLimit)
	body, _ := json.Marshal(b)
	addr := d.t.url
	if d.t.secret != "" {
		u, err := url.Parse(addr)
		if err != nil {
			return permanent("%s: the url does not parse", d.t.redacted)
		}
		ms := d.t.now().UnixMilli()
		q := u.Query()
		q.Set("timestamp", strconv.FormatInt(ms, 10))
		q.Set("sign", DingTalkSign(d.t.secret, ms))
		u.RawQuery = q.Encode()
		addr = u.String()
	}
	data, err := d.t.post(ctx, addr, body, nil)
	if err != nil {
		return err
	}
	return d.t.check(data, 130101, -1)
}

// Feishu/Lark: POST {"msg_type":"text","content":{"text":…}} to
// https://open.feishu.cn/open-apis/bot/v2/hook/HOOK_ID (Lark:
// open.larksuite.com). With the robot's signature check, the body also
// carries "timestamp" (Unix seconds, a string) and "sign": the Base64
// HMAC-SHA256 keyed by "<seconds>\n<secret>" of an empty message. A body
// is at most 20 KB; codes 9499 and 11232 are rate limits.
const feishuLimit = 18000

type feishu struct {
	base
	t *httpTarget
}

func (f *feishu) Robot() bool { return true }

// FeishuBody is a Feishu/Lark robot's text message.
type FeishuBody struct {
	Timestamp string `json:"timestamp,omitempty"`
	Sign      string `json:"sign,omitempty"`
	MsgType   string `json:"msg_type"`
	Content   struct {
		Text string `json:"text"`
	} `json:"content"`
}

// FeishuSign is Feishu's signature for a timestamp in seconds.
func FeishuSign(secret string, timestampS int64) string {
	mac := hmac.New(sha256.New, []byte(strconv.FormatInt(timestampS, 10)+"\n"+secret))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (f *feishu) Send(ctx context.Context, m Message) error {
	var b FeishuBody
	b.MsgType = "text"
	b.Content.Text = render(m, plain, feishuLimit)
	if f.t.secret != "" {
		s := f.t.now().Unix()
		b.Timestamp, b.Sign = strconv.FormatInt(s, 10), FeishuSign(f.t.secret, s)
	}
	body, _ := json.Marshal(b)
	data, err := f.t.post(ctx, f.t.url, body, nil)
	if err != nil {
		return err
	}
	return f.t.check(data, 9499, 11232)
}
