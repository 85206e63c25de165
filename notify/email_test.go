package notify

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/vulns"
)

// fakeSMTP is a tiny SMTP server on a loopback listener: EHLO (offering
// STARTTLS and AUTH PLAIN when it has a certificate), STARTTLS, AUTH
// PLAIN, MAIL, RCPT, DATA, QUIT. It records the commands (with whether
// they came inside TLS) and the messages.
type fakeSMTP struct {
	ln   net.Listener
	cert *tls.Certificate // nil: no STARTTLS
	user string
	pass string
	// rcptCode answers RCPT TO (default 250).
	rcptCode string

	mu       sync.Mutex
	commands []string
	messages []string
	auth     []string
}

func newFakeSMTP(t *testing.T, cert *tls.Certificate) *fakeSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeSMTP{ln: ln, cert: cert, rcptCode: "250 ok"}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(c)
		}
	}()
	return f
}

func (f *fakeSMTP) record(list *[]string, s string) {
	f.mu.Lock()
	*list = append(*list, s)
	f.mu.Unlock()
}

func (f *fakeSMTP) serve(c net.Conn) {
	defer func() { c.Close() }()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r, w := bufio.NewReader(c), bufio.NewWriter(c)
	say := func(s string) { w.WriteString(s + "\r\n"); w.Flush() }
	say("220 fake.smtp ESMTP")
	secure := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		tag := cmd
		if secure {
			tag += " (tls)"
		}
		f.record(&f.commands, tag)
		switch cmd {
		case "EHLO", "HELO":
			if f.cert != nil && !secure {
				say("250-fake.smtp\r\n250-STARTTLS\r\n250 AUTH PLAIN")
			} else {
				say("250-fake.smtp\r\n250 AUTH PLAIN")
			}
		case "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{*f.cert}})
			if err := tc.Handshake(); err != nil {
				return
			}
			c, secure = tc, true
			r, w = bufio.NewReader(tc), bufio.NewWriter(tc)
		case "AUTH":
			parts := strings.Fields(line)
			raw, _ := base64.StdEncoding.DecodeString(parts[len(parts)-1])
			f.record(&f.auth, string(raw))
			if string(raw) == "\x00"+f.user+"\x00"+f.pass {
				say("235 ok")
			} else {
				say("535 bad credentials")
			}
		case "MAIL":
			say("250 ok")
		case "RCPT":
			say(f.rcptCode)
		case "DATA":
			say("354 go on")
			var msg strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				msg.WriteString(strings.TrimPrefix(l, "."))
			}
			f.record(&f.messages, msg.String())
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 unknown")
		}
	}
}

// selfSigned makes a certificate for the names and a pool that trusts it.
func selfSigned(t *testing.T, names ...string) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// emailChannel builds the config's e-mail channel pointed at the fake
// server (dialled whatever the host name says).
func emailChannel(t *testing.T, c config.NotifyChannel, env map[string]string, srv *fakeSMTP, pool *x509.CertPool) *email {
	t.Helper()
	ch, err := newEmail(c, "mail-1", testOptions(nil, env, nil).withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	e := ch.(*email)
	e.dial = func(ctx context.Context, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", srv.ln.Addr().String())
	}
	e.tlsConfig = &tls.Config{RootCAs: pool}
	return e
}

// A mail server that offers STARTTLS: the message goes inside TLS (the
// certificate checked against the configured host), then AUTH PLAIN, and
// arrives as UTF-8 quoted-printable with an encoded subject.
func TestEmailOverSTARTTLS(t *testing.T) {
	cert, pool := selfSigned(t, "mail.bank.example")
	srv := newFakeSMTP(t, cert)
	srv.user, srv.pass = "osgauge@bank.example", "smtp-pass-123"
	cfg := config.NotifyChannel{Type: "email", SMTP: "mail.bank.example:587", From: "osgauge <osgauge@bank.example>",
		To: config.StringList{"secops@bank.example", "Risk Office <risk@bank.example>"}, Username: "osgauge@bank.example", PasswordEnv: "SMTP_PW"}
	e := emailChannel(t, cfg, map[string]string{"SMTP_PW": "smtp-pass-123"}, srv, pool)

	a := Alerts([]vulns.Finding{kevFinding()}, t0, 7)
	if err := e.Send(context.Background(), BuildMessage(KindAlert, a[:1], "zh", t0)); err != nil {
		t.Fatal(err)
	}
	srv.mu.Lock()
	cmds, msgs, auth := slices.Clone(srv.commands), slices.Clone(srv.messages), slices.Clone(srv.auth)
	srv.mu.Unlock()
	want := []string{"EHLO", "STARTTLS", "EHLO (tls)", "AUTH (tls)", "MAIL (tls)", "RCPT (tls)", "RCPT (tls)", "DATA (tls)", "QUIT (tls)"}
	if !slices.Equal(cmds, want) {
		t.Errorf("commands %v, want %v", cmds, want)
	}
	if len(auth) != 1 || auth[0] != "\x00osgauge@bank.example\x00smtp-pass-123" {
		t.Errorf("auth %q", auth)
	}
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m, err := mail.ReadMessage(strings.NewReader(msgs[0]))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subject != "osgauge 漏洞预警：已知被利用(KEV)" {
		t.Errorf("subject %q %v (raw %q)", subject, err, m.Header.Get("Subject"))
	}
	if m.Header.Get("To") != "<secops@bank.example>, \"Risk Office\" <risk@bank.example>" || m.Header.Get("Content-Transfer-Encoding") != "quoted-printable" ||
		m.Header.Get("Auto-Submitted") != "auto-generated" || !strings.HasSuffix(m.Header.Get("Message-ID"), "@bank.example>") {
		t.Errorf("headers %v", m.Header)
	}
	body, _ := io.ReadAll(quotedprintable.NewReader(m.Body))
	if !strings.Contains(string(body), "[已知被利用(KEV)] 系统 payments：pkg:maven/org.apache.logging.log4j/log4j-core 2.14.1 — CVE-2021-44228（严重）；修复版本 2.17.1；处置期限 2026-12-19\r\n") {
		t.Errorf("body %q", body)
	}
}

// A server that does not offer STARTTLS is refused unless it is on a
// loopback address; a 5xx is not tried again, a 4xx is.
func TestEmailRequiresSTARTTLSBeyondLoopback(t *testing.T) {
	srv := newFakeSMTP(t, nil) // no STARTTLS
	cfg := config.NotifyChannel{Type: "email", SMTP: "mail.bank.example:25", From: "osgauge@bank.example", To: config.StringList{"secops@bank.example"}}
	e := emailChannel(t, cfg, nil, srv, nil)
	m := BuildMessage(KindTest, nil, "en", t0)
	err := e.Send(context.Background(), m)
	if err == nil || retryable(err) || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("non-loopback without STARTTLS: %v", err)
	}
	srv.mu.Lock()
	if len(srv.messages) != 0 || slices.Contains(srv.commands, "MAIL") {
		t.Errorf("sent in clear: %v", srv.commands)
	}
	srv.mu.Unlock()

	// A relay on loopback: plain SMTP is accepted (no password, no AUTH).
	cfg.SMTP = "127.0.0.1:25"
	e = emailChannel(t, cfg, nil, srv, nil)
	if err := e.Send(context.Background(), m); err != nil {
		t.Fatalf("loopback relay: %v", err)
	}
	srv.mu.Lock()
	n := len(srv.messages)
	srv.mu.Unlock()
	if n != 1 {
		t.Errorf("%d messages on the loopback relay", n)
	}

	// RCPT refused: 550 is permanent, 451 temporary.
	srv.rcptCode = "550 no such user"
	if err := e.Send(context.Background(), m); err == nil || retryable(err) || !strings.Contains(err.Error(), "550") {
		t.Errorf("550: %v", err)
	}
	srv.rcptCode = "451 try later"
	if err := e.Send(context.Background(), m); err == nil || !retryable(err) {
		t.Errorf("451: %v", err)
	}
}

// A password without its environment variable makes the channel broken,
// and isLoopback knows its addresses.
func TestEmailChannelChecks(t *testing.T) {
	cfg := config.NotifyChannel{Type: "email", SMTP: "mail.bank.example:587", From: "osgauge@bank.example", To: config.StringList{"a@bank.example"}, PasswordEnv: "NOPE"}
	n := New([]config.NotifyChannel{cfg}, testOptions(nil, nil, nil))
	if res := n.Test(context.Background(), -1); res[0].Failed != 1 || !strings.Contains(res[0].Err, "NOPE") {
		t.Errorf("%+v", res)
	}
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "[::1]": true, "127.0.0.2": true, "mail.bank.example": false, "10.0.0.1": false} {
		if isLoopback(host) != want {
			t.Errorf("isLoopback(%q) = %v", host, !want)
		}
	}
}

func TestLabelsComplete(t *testing.T) {
	for k := range labels["zh"] {
		if _, ok := labels["en"][k]; !ok {
			t.Errorf("en lacks %q", k)
		}
	}
	for k := range labels["en"] {
		if _, ok := labels["zh"][k]; !ok {
			t.Errorf("zh lacks %q", k)
		}
	}
}
