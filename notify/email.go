package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/config"
)

// E-mail over SMTP (net/smtp): STARTTLS is required (TLS 1.2 or later,
// the server's certificate checked against its host name) unless the
// server is on a loopback address (a local relay: STARTTLS when offered,
// its certificate unchecked, plain SMTP otherwise); with password_env set
// the login is AUTH PLAIN, inside TLS. Implicit TLS (port 465) is not
// supported. An SMTP 4xx answer or a network error is tried
// again, a 5xx (a recipient refused, a bad login) is not.
type email struct {
	base
	host, addr string
	from       string   // the envelope sender
	header     string   // the From header
	to         []string // envelope recipients
	toHeader   string
	username   string
	password   string
	timeout    time.Duration
	// dial and tlsConfig are replaced by tests.
	dial      func(ctx context.Context, addr string) (net.Conn, error)
	tlsConfig *tls.Config
}

const emailLimit = 1 << 20

func newEmail(c config.NotifyChannel, name string, opt Options) (Channel, error) {
	host, _, err := net.SplitHostPort(c.SMTP)
	if err != nil {
		return nil, fmt.Errorf("smtp must be host:port, got %q", c.SMTP)
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("from: %v", err)
	}
	e := &email{host: host, addr: c.SMTP, from: from.Address, header: from.String(), username: c.Username, timeout: opt.Timeout}
	var heads []string
	for _, t := range c.To {
		a, err := mail.ParseAddress(t)
		if err != nil {
			return nil, fmt.Errorf("to %q: %v", t, err)
		}
		e.to = append(e.to, a.Address)
		heads = append(heads, a.String())
	}
	e.toHeader = strings.Join(heads, ", ")
	if c.PasswordEnv != "" {
		e.password = opt.Getenv(c.PasswordEnv)
		if e.password == "" {
			return nil, fmt.Errorf("environment variable %s (password_env) is empty or unset", c.PasswordEnv)
		}
		if e.username == "" {
			e.username = e.from
		}
	}
	key := c.Name
	if strings.TrimSpace(key) != "" {
		key = "name=" + key
	} else {
		to := slices.Sorted(slices.Values(e.to))
		sum := sha256.Sum256([]byte(e.from + ">" + strings.Join(to, ",")))
		key = c.SMTP + "#" + hex.EncodeToString(sum[:6])
	}
	e.base = base{id: "email:" + key, name: name}
	d := &net.Dialer{Timeout: opt.Timeout}
	e.dial = func(ctx context.Context, addr string) (net.Conn, error) { return d.DialContext(ctx, "tcp", addr) }
	return e, nil
}

func (e *email) Robot() bool { return false }

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func (e *email) Send(ctx context.Context, m Message) error {
	msg, err := e.build(m)
	if err != nil {
		return permanent("e-mail: %v", err)
	}
	conn, err := e.dial(ctx, e.addr)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return temporary(0, "smtp %s: %v", e.addr, err)
	}
	deadline := time.Now().Add(e.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetDeadline(deadline)
	// Closing the connection when ctx ends interrupts a blocked exchange.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	c, err := smtp.NewClient(conn, e.host)
	if err != nil {
		conn.Close()
		return e.smtpError("greeting", err)
	}
	defer c.Close()
	if err := c.Hello("osgauge.localhost"); err != nil {
		return e.smtpError("EHLO", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := e.tlsConfig
		if cfg == nil {
			cfg = &tls.Config{}
		}
		cfg = cfg.Clone()
		cfg.ServerName = e.host
		cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS12)
		if isLoopback(e.host) && cfg.RootCAs == nil {
			// A relay on this machine (often with a self-signed
			// certificate): the connection never leaves the host, so TLS
			// is taken when offered but its certificate not checked.
			cfg.InsecureSkipVerify = true
		}
		if err := c.StartTLS(cfg); err != nil {
			return e.smtpError("STARTTLS", err)
		}
	} else if !isLoopback(e.host) {
		return permanent("smtp %s: the server does not offer STARTTLS; osgauge sends mail only over TLS (or to a loopback relay)", e.addr)
	}
	if e.password != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return permanent("smtp %s: password_env is set but the server offers no AUTH", e.addr)
		}
		if err := c.Auth(smtp.PlainAuth("", e.username, e.password, e.host)); err != nil {
			return e.smtpError("AUTH", err)
		}
	}
	if err := c.Mail(e.from); err != nil {
		return e.smtpError("MAIL FROM", err)
	}
	for _, to := range e.to {
		if err := c.Rcpt(to); err != nil {
			return e.smtpError("RCPT TO "+to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return e.smtpError("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return e.smtpError("DATA", err)
	}
	if err := w.Close(); err != nil {
		return e.smtpError("DATA", err)
	}
	if err := c.Quit(); err != nil {
		// The message was accepted at the end of DATA; a failed QUIT does
		// not unsend it.
		return nil
	}
	return nil
}

// smtpError classifies an SMTP failure: a 4xx reply (and a broken
// connection) may pass, a 5xx will not. The password never appears: net/smtp
// does not echo it, and replies are scrubbed anyway.
func (e *email) smtpError(step string, err error) error {
	msg := fmt.Sprintf("smtp %s: %s: %s", e.addr, step, scrub(err.Error(), []string{e.password}))
	var te *textproto.Error
	if errors.As(err, &te) {
		if te.Code >= 400 && te.Code < 500 {
			return temporary(0, "%s", msg)
		}
		return permanent("%s", msg)
	}
	if strings.Contains(err.Error(), "unencrypted connection") || strings.Contains(err.Error(), "certificate") {
		return permanent("%s", msg)
	}
	return temporary(0, "%s", msg)
}

// build writes the message (RFC 5322, UTF-8, quoted-printable, CRLF line
// ends); the subject is RFC 2047-encoded, so that no outside text can
// start a header.
func (e *email) build(m Message) ([]byte, error) {
	var b bytes.Buffer
	id := make([]byte, 12)
	rand.Read(id)
	host := e.from[strings.LastIndexByte(e.from, '@')+1:]
	at := m.At
	if at.IsZero() {
		at = time.Now()
	}
	hdr := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	hdr("From", e.header)
	hdr("To", e.toHeader)
	hdr("Subject", mime.QEncoding.Encode("utf-8", clean(m.Title)))
	hdr("Date", at.Format(time.RFC1123Z))
	hdr("Message-ID", "<"+hex.EncodeToString(id)+"@"+host+">")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	hdr("Content-Transfer-Encoding", "quoted-printable")
	hdr("Auto-Submitted", "auto-generated")
	hdr("X-Osgauge-Event", m.Kind)
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	text := strings.ReplaceAll(render(m, plain, emailLimit), "\n", "\r\n") + "\r\n"
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
