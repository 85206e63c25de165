package github

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/osgauge/osgauge/collectors/forge"
)

var (
	appKeysOnce     sync.Once
	appKey, appKey2 *rsa.PrivateKey
)

func appKeys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	appKeysOnce.Do(func() {
		var err error
		if appKey, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if appKey2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return appKey, appKey2
}

func pkcs1PEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
}

func pkcs8PEM(t *testing.T, k *rsa.PrivateKey) []byte {
	b, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: b})
}

// fakeAppAPI is GitHub's installation-token endpoint (it verifies the JWT
// with the app's public key and checks its claims against the clock) and
// one repository endpoint that records the Authorization it gets.
type fakeAppAPI struct {
	t      *testing.T
	pub    *rsa.PublicKey
	now    func() time.Time
	ttl    time.Duration
	fail   int // answer the token endpoint with this status instead
	mu     sync.Mutex
	issued int
	auth   []string // of repository requests
	jwts   []string
}

func (f *fakeAppAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	switch r.URL.Path {
	case "/api/v3/app/installations/456/access_tokens":
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.Method != http.MethodPost || r.Header.Get("Accept") != "application/vnd.github+json" {
			f.t.Errorf("token request %s Accept %q", r.Method, r.Header.Get("Accept"))
		}
		jwt := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		f.jwts = append(f.jwts, jwt)
		if f.fail != 0 {
			w.WriteHeader(f.fail)
			io.WriteString(w, `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}`)
			return
		}
		if why := f.checkJWT(jwt); why != "" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"message":%q}`, "A JSON web token could not be decoded: "+why)
			return
		}
		f.issued++
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"token":"ghs_inst%d","expires_at":%q,"permissions":{"contents":"read"},"repository_selection":"all"}`,
			f.issued, f.now().Add(f.ttl).UTC().Format(time.RFC3339))
	case "/api/v3/repos/o/r":
		f.mu.Lock()
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		rate(w, 4999, f.now().Add(time.Hour))
		io.WriteString(w, `{"id":1,"name":"r","full_name":"o/r","owner":{"login":"o","type":"Organization"},"default_branch":"main"}`)
	default:
		http.NotFound(w, r)
	}
}

// checkJWT verifies the RS256 signature and the claims: iss = the app id,
// iat = now − 60 s, exp = now + 9 min.
func (f *fakeAppAPI) checkJWT(jwt string) string {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "not three parts"
	}
	enc := base64.RawURLEncoding
	hb, err1 := enc.DecodeString(parts[0])
	cb, err2 := enc.DecodeString(parts[1])
	sig, err3 := enc.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return "not base64url"
	}
	var hdr struct{ Alg, Typ string }
	if json.Unmarshal(hb, &hdr) != nil || hdr.Alg != "RS256" || hdr.Typ != "JWT" {
		return "header " + string(hb)
	}
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(f.pub, crypto.SHA256, sum[:], sig) != nil {
		return "bad signature"
	}
	var c struct {
		IAT, EXP int64
		ISS      string
	}
	if json.Unmarshal(cb, &c) != nil {
		return "claims " + string(cb)
	}
	now := f.now()
	if c.ISS != "123" || c.IAT != now.Unix()-60 || c.EXP != now.Unix()+9*60 {
		return fmt.Sprintf("claims %s at %d", cb, now.Unix())
	}
	return ""
}

func newAppFake(t *testing.T, clk *fakeClock) (*fakeAppAPI, *httptest.Server) {
	k, _ := appKeys(t)
	f := &fakeAppAPI{t: t, pub: &k.PublicKey, now: clk.Now, ttl: 10 * time.Minute}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

// The token is fetched with a valid JWT, kept while at least 5 minutes of
// it remain, and renewed before it expires: tokens live 10 minutes here.
func TestAppTokenSourceRenewsBeforeExpiry(t *testing.T) {
	k, _ := appKeys(t)
	for name, pemBytes := range map[string][]byte{"pkcs1": pkcs1PEM(k), "pkcs8": pkcs8PEM(t, k)} {
		t.Run(name, func(t *testing.T) {
			clk := &fakeClock{t: testNow}
			f, srv := newAppFake(t, clk)
			src := &AppTokenSource{AppID: 123, InstallationID: 456, PrivateKeyPEM: pemBytes,
				APIURL: srv.URL + "/api/v3", HTTPClient: srv.Client(), Now: clk.Now}
			ctx := context.Background()
			step := func(advance time.Duration, wantTok string, wantExp time.Time) {
				t.Helper()
				clk.Sleep(ctx, advance)
				tok, exp, err := src.Token(ctx)
				if err != nil || tok != wantTok || !exp.Equal(wantExp) {
					t.Fatalf("at +%v: %q %v %v, want %q %v", clk.Now().Sub(testNow), tok, exp, err, wantTok, wantExp)
				}
			}
			step(0, "ghs_inst1", testNow.Add(10*time.Minute))
			step(4*time.Minute+59*time.Second, "ghs_inst1", testNow.Add(10*time.Minute)) // 5m1s left
			step(time.Second, "ghs_inst1", testNow.Add(10*time.Minute))                  // 5m0s left: not less than 5m
			// 4m59s left: renewed, 4m59s before the old token expires.
			renewedAt := testNow.Add(5*time.Minute + time.Second)
			step(time.Second, "ghs_inst2", renewedAt.Add(10*time.Minute))
			if f.issued != 2 {
				t.Errorf("%d tokens issued, want 2", f.issued)
			}
		})
	}
}

// The collector's transport sends the installation token (renewed in
// time) as a bearer token; the token endpoint gets the JWT, never an
// installation token; the budget key names the installation, so renewal
// keeps it.
func TestTransportSendsInstallationToken(t *testing.T) {
	k, _ := appKeys(t)
	clk := &fakeClock{t: testNow}
	f, srv := newAppFake(t, clk)
	src := &AppTokenSource{AppID: 123, InstallationID: 456, PrivateKeyPEM: pkcs1PEM(k),
		APIURL: srv.URL + "/api/v3/", HTTPClient: srv.Client(), Now: clk.Now}
	tr := &Transport{Credentials: NewCredentials(Credential{Name: src.Name(), Source: src}),
		APIHost: strings.TrimPrefix(srv.URL, "http://"), Budget: forge.NewMemBudget(), Now: clk.Now, Sleep: clk.Sleep}
	client, err := gh.NewClient(&http.Client{Transport: tr}).WithEnterpriseURLs(srv.URL+"/api/v3/", srv.URL+"/api/v3/")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, advance := range []time.Duration{0, 2 * time.Minute, 4 * time.Minute} {
		clk.Sleep(ctx, advance)
		if _, _, err := client.Repositories.Get(ctx, "o", "r"); err != nil {
			t.Fatal(err)
		}
	}
	// At +0 and +2m the first token (10 min) has ≥ 5 min left; at +6m it
	// has 4 min: the second.
	if got := strings.Join(f.auth, ","); got != "Bearer ghs_inst1,Bearer ghs_inst1,Bearer ghs_inst2" {
		t.Errorf("repository requests carried %s", got)
	}
	for _, j := range f.jwts {
		if strings.HasPrefix(j, "ghs_") || strings.Count(j, ".") != 2 {
			t.Errorf("token endpoint got %q", j)
		}
	}
}

// Errors name the app and installation, never the JWT, a token or the
// key; a failed renewal keeps a token that is still good.
func TestAppTokenSourceErrors(t *testing.T) {
	k, wrong := appKeys(t)
	clk := &fakeClock{t: testNow}
	f, srv := newAppFake(t, clk)
	ctx := context.Background()

	// Signed with another key: GitHub answers 401.
	bad := &AppTokenSource{AppID: 123, InstallationID: 456, PrivateKeyPEM: pkcs1PEM(wrong),
		APIURL: srv.URL + "/api/v3/", HTTPClient: srv.Client(), Now: clk.Now}
	_, _, err := bad.Token(ctx)
	if err == nil || !strings.Contains(err.Error(), "github app 123 installation 456") || !strings.Contains(err.Error(), "HTTP 401") {
		t.Fatalf("err %v", err)
	}
	for _, secret := range append([]string{string(pkcs1PEM(wrong))[40:80]}, f.jwts...) {
		if strings.Contains(err.Error(), secret) {
			t.Errorf("error %v holds a secret", err)
		}
	}
	for name, pemBytes := range map[string][]byte{
		"no PEM block found":      []byte("not a key"),
		`PEM block "CERTIFICATE"`: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2}}),
		"not a valid PKCS#1":      pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{1, 2}}),
	} {
		s := &AppTokenSource{AppID: 123, InstallationID: 456, PrivateKeyPEM: pemBytes, APIURL: srv.URL, HTTPClient: srv.Client()}
		if _, _, err := s.Token(ctx); err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "github app 123 installation 456") {
			t.Errorf("%s: err %v", name, err)
		}
	}

	// A renewal that fails while the old token has more than a minute
	// left keeps the old one, and is tried again 30 s later.
	good := &AppTokenSource{AppID: 123, InstallationID: 456, PrivateKeyPEM: pkcs8PEM(t, k),
		APIURL: srv.URL + "/api/v3/", HTTPClient: srv.Client(), Now: clk.Now}
	if tok, _, err := good.Token(ctx); err != nil || tok != "ghs_inst1" {
		t.Fatalf("%q %v", tok, err)
	}
	f.mu.Lock()
	f.fail = http.StatusBadGateway
	f.mu.Unlock()
	calls := len(f.jwts)
	clk.Sleep(ctx, 6*time.Minute) // 4 min left
	for range 3 {
		if tok, _, err := good.Token(ctx); err != nil || tok != "ghs_inst1" {
			t.Fatalf("during a failed renewal: %q %v", tok, err)
		}
	}
	if len(f.jwts) != calls+1 {
		t.Errorf("%d renewal attempts, want 1 within 30 s", len(f.jwts)-calls)
	}
	clk.Sleep(ctx, 3*time.Minute+30*time.Second) // 30 s left: the old token is no good
	if _, _, err := good.Token(ctx); err == nil || !strings.Contains(err.Error(), "HTTP 502: Bad credentials") {
		t.Errorf("err %v", err)
	}
}
