package server

import (
	neturl "net/url"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/auth"
)

// Review of issue 29: browsers drop tab, CR and LF from URLs and read a
// backslash as a slash, so "/\t/evil.example" is "//evil.example" to
// them. Without the fix "/\t/evil.example/x" (next=/%09/evil.example/x)
// came back unchanged and the signed-in page sent the browser there.
func TestLocalPathControlsAndEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"/\t/evil.example/x": "/",
		"/\n/evil.example":   "/",
		"/\r/evil.example":   "/",
		"/\t\\evil.example":  "/",
		"/a\\b":              "/", // backslash anywhere
		"/a\x00b":            "/", // NUL
		"/a\x7fb":            "/", // DEL
		"/a\u0085b":          "/", // C1 control (NEL)
		// Kept, re-escaped: a space is %20; the query re-encoded.
		"/a b":              "/a%20b",
		"/x?q=<s>":          "/x?q=%3Cs%3E",
		"/reports/?a=1&b=2": "/reports/?a=1&b=2",
		"/reports/":         "/reports/",
		"/%2F/evil.example": "/", // refused too: its decoded path starts with //
	} {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// End to end: next=/%09/evil.example/x through a sign-in lands on "/".
func TestSignInNextWithTabStaysLocal(t *testing.T) {
	rig := newSSORig(t, nil)
	rig.idp.user, rig.idp.groups = "alice", []string{"osgauge-viewers"}
	resp, _ := rig.get(t, rig.srv.URL+"/auth/login?next=/%09/evil.example/x")
	u, err := neturl.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	back := rig.backFromIdP(t, u)
	_, body := rig.get(t, back.String())
	if !strings.Contains(body, `content="0;url=/"`) || strings.Contains(body, "evil.example") {
		t.Errorf("signed-in page: %s", body)
	}
}

// redirect_url over plain http is refused beyond loopback (the code and
// the session cookie would cross the network in clear); on loopback it
// is allowed.
func TestRedirectURLPlainHTTPOnlyOnLoopback(t *testing.T) {
	base := OIDCOptions{Issuer: "https://idp.example", ClientID: "osgauge", RoleMap: map[string]auth.Role{"g": auth.Viewer}}
	for ru, ok := range map[string]bool{
		"http://osgauge.bank.internal/auth/callback":  false,
		"http://10.0.0.5:8080/auth/callback":          false,
		"http://127.0.0.1:8080/auth/callback":         true,
		"http://localhost:8080/auth/callback":         true,
		"http://[::1]:8080/auth/callback":             true,
		"https://osgauge.bank.internal/auth/callback": true,
	} {
		o := base
		o.RedirectURL = ru
		_, err := NewOIDC(o)
		if (err == nil) != ok {
			t.Errorf("%s: err %v, want ok=%v", ru, err, ok)
		}
	}
}

// The sign-in name comes from email only when email_verified is true
// (issue 29 review): anyone can put a colleague's address in an
// unverified email claim. Without the fix both gave "bob@bank.example".
func TestUserNameNeedsVerifiedEmail(t *testing.T) {
	if got := userName(map[string]any{"email": "bob@bank.example"}, "", "sub-1"); got != "sub-1" {
		t.Errorf("unverified email: %q, want the subject sub-1", got)
	}
	if got := userName(map[string]any{"email": "bob@bank.example", "email_verified": true}, "", "sub-1"); got != "bob@bank.example" {
		t.Errorf("verified email: %q", got)
	}
}
