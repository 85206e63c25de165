package github

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

// The credential types of the forge transport, under the GitHub
// collector's names.
type (
	Credentials = forge.Credentials
	Credential  = forge.Credential
	TokenSource = forge.TokenSource
	StaticToken = forge.StaticToken
	Budget      = forge.Budget
)

// NewCredentials returns credentials used in turn (see forge.Credentials).
var NewCredentials = forge.NewCredentials

// appTokenRenewBefore is how long before its expiry an installation token
// is replaced.
const appTokenRenewBefore = 5 * time.Minute

// appRetryAfter is how long a failed renewal is not tried again while the
// old token is still good.
const appRetryAfter = 30 * time.Second

// AppTokenSource is a forge.TokenSource of GitHub App installation tokens:
// it signs a JWT with the app's private key, exchanges it at
// POST {APIURL}app/installations/{InstallationID}/access_tokens for an
// installation token (valid an hour), caches the token and renews it when
// less than 5 minutes remain (a failed renewal keeps the old token while it
// has more than a minute left, and is tried again 30 s later). Safe for concurrent use; one renewal runs at
// a time. Its errors name the app and installation, never a token, the
// JWT or the key.
type AppTokenSource struct {
	AppID          int64
	InstallationID int64
	PrivateKeyPEM  []byte // PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY"
	// APIURL is the REST API root (default https://api.github.com/; a
	// GitHub Enterprise Server's https://host/api/v3/).
	APIURL string
	// HTTPClient sends the token request (nil: a client with a 30 s
	// timeout). It must not be a client whose transport adds a token of
	// its own: the request carries the JWT.
	HTTPClient *http.Client
	Now        func() time.Time // nil: time.Now

	mu      sync.Mutex
	key     *rsa.PrivateKey
	token   string
	expires time.Time
	retryAt time.Time // after a failed renewal
}

var (
	_ forge.TokenSource    = (*AppTokenSource)(nil)
	_ forge.BudgetIdentity = (*AppTokenSource)(nil)
)

// BudgetID names the installation, whose rate limit every token of it
// spends.
func (s *AppTokenSource) BudgetID() string {
	return fmt.Sprintf("github-app:%d/installation:%d", s.AppID, s.InstallationID)
}

// Name is how messages name the credential.
func (s *AppTokenSource) Name() string {
	return fmt.Sprintf("GitHub App %d installation %d", s.AppID, s.InstallationID)
}

func (s *AppTokenSource) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *AppTokenSource) errorf(format string, args ...any) error {
	return fmt.Errorf("github app %d installation %d: %s", s.AppID, s.InstallationID, fmt.Sprintf(format, args...))
}

// Token returns the installation token, renewing it first when less than
// 5 minutes of it remain.
func (s *AppTokenSource) Token(ctx context.Context) (string, time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && s.expires.Sub(now) >= appTokenRenewBefore {
		return s.token, s.expires, nil
	}
	// A token still good for a minute outlives a failed renewal; the
	// renewal is tried again after appRetryAfter, not on every request.
	stillGood := s.token != "" && s.expires.Sub(now) > time.Minute
	if stillGood && now.Before(s.retryAt) {
		return s.token, s.expires, nil
	}
	tok, exp, err := s.fetch(ctx, now)
	if err != nil {
		if stillGood && ctx.Err() == nil {
			s.retryAt = now.Add(appRetryAfter)
			return s.token, s.expires, nil
		}
		return "", time.Time{}, err
	}
	s.token, s.expires, s.retryAt = tok, exp, time.Time{}
	return tok, exp, nil
}

func (s *AppTokenSource) fetch(ctx context.Context, now time.Time) (string, time.Time, error) {
	if s.AppID <= 0 || s.InstallationID <= 0 {
		return "", time.Time{}, s.errorf("app_id and installation_id must be positive")
	}
	if s.key == nil {
		k, err := ParseAppPrivateKey(s.PrivateKeyPEM)
		if err != nil {
			return "", time.Time{}, s.errorf("%v", err)
		}
		s.key = k
	}
	jwt, err := AppJWT(s.AppID, s.key, now)
	if err != nil {
		return "", time.Time{}, s.errorf("%v", err)
	}
	api := s.APIURL
	if api == "" {
		api = DefaultAPIURL
	}
	base, err := url.Parse(api)
	if err != nil || base.Host == "" || (base.Scheme != "https" && base.Scheme != "http") {
		return "", time.Time{}, s.errorf("api_url %q is not an http(s) URL", api)
	}
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
	}
	u := base.JoinPath("app", "installations", strconv.FormatInt(s.InstallationID, 10), "access_tokens")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
	if err != nil {
		return "", time.Time{}, s.errorf("%v", err)
	}
	req.Header.Set("Authorization", "Bearer "+jwt)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	hc := s.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL holds no secret, but keep the message short
		}
		return "", time.Time{}, s.errorf("installation token request to %s failed: %v", base.Host, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", time.Time{}, s.errorf("reading the installation token answer: %v", err)
	}
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(body, &e)
		msg := strings.TrimSpace(e.Message)
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		if msg != "" {
			msg = ": " + msg
		}
		return "", time.Time{}, s.errorf("installation token request answered HTTP %d%s", resp.StatusCode, msg)
	}
	var out struct {
		Token     string `json:"token"`
		ExpiresAt string `json:"expires_at"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Token == "" {
		return "", time.Time{}, s.errorf("installation token answer (HTTP %d) holds no token", resp.StatusCode)
	}
	exp := now.Add(time.Hour) // GitHub's lifetime, should expires_at be missing
	if out.ExpiresAt != "" {
		t, err := time.Parse(time.RFC3339, out.ExpiresAt)
		if err != nil {
			return "", time.Time{}, s.errorf("installation token answer: expires_at %q is not an RFC 3339 time", out.ExpiresAt)
		}
		exp = t
	}
	return out.Token, exp, nil
}

// ParseAppPrivateKey reads a GitHub App's private key: PEM, PKCS#1
// ("RSA PRIVATE KEY", as GitHub hands it out) or PKCS#8 ("PRIVATE KEY").
// Its errors never quote the key.
func ParseAppPrivateKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		return nil, errors.New("private key: no PEM block found")
	}
	switch block.Type {
	case "RSA PRIVATE KEY":
		k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("private key: not a valid PKCS#1 RSA key")
		}
		return k, nil
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return nil, errors.New("private key: not a valid PKCS#8 key")
		}
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("private key: a %T, but GitHub Apps sign with RSA", k)
		}
		return rk, nil
	}
	return nil, fmt.Errorf("private key: PEM block %q, want \"RSA PRIVATE KEY\" or \"PRIVATE KEY\"", block.Type)
}

// AppJWT is the RS256 JSON Web Token a GitHub App authenticates as itself
// with: iat 60 s in the past (clock drift), exp 9 minutes ahead (GitHub
// allows at most 10), iss the app id.
func AppJWT(appID int64, key *rsa.PrivateKey, now time.Time) (string, error) {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	claims, err := json.Marshal(struct {
		IAT int64  `json:"iat"`
		EXP int64  `json:"exp"`
		ISS string `json:"iss"`
	}{now.Add(-60 * time.Second).Unix(), now.Add(9 * time.Minute).Unix(), strconv.FormatInt(appID, 10)})
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteByte('.')
	b.WriteString(enc.EncodeToString(claims))
	sum := sha256.Sum256(b.Bytes())
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", errors.New("signing the app JWT failed")
	}
	b.WriteByte('.')
	b.WriteString(enc.EncodeToString(sig))
	return b.String(), nil
}
