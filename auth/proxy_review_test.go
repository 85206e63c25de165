package auth

import (
	"net/http/httptest"
	"testing"
)

// Review of issue 29: a gateway that appends its header to the one the
// client sent leaves two; Header.Get took the client's (the first).
// Without the fix this request was bob, admin (the client's values).
func TestProxyRefusesRepeatedHeaders(t *testing.T) {
	p, err := NewProxy("X-Remote-User", []string{"10.0.0.1"}, "X-Remote-Groups", map[string]string{"osg-admins": "admin"}, "viewer")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		hdr  [][2]string
		want string // the header Repeated names; "" for none
	}{
		{"user twice", [][2]string{{"X-Remote-User", "bob"}, {"X-Remote-User", "mallory"}}, "X-Remote-User"},
		{"groups twice", [][2]string{{"X-Remote-User", "bob"}, {"X-Remote-Groups", "osg-admins"}, {"X-Remote-Groups", "osg-viewers"}}, "X-Remote-Groups"},
		{"XFF twice", [][2]string{{"X-Remote-User", "bob"}, {"X-Forwarded-For", "1.2.3.4"}, {"X-Forwarded-For", "5.6.7.8"}}, "X-Forwarded-For"},
		{"once each", [][2]string{{"X-Remote-User", "bob"}, {"X-Remote-Groups", "osg-admins"}, {"X-Forwarded-For", "1.2.3.4"}}, ""},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:5000"
		for _, h := range tc.hdr {
			r.Header.Add(h[0], h[1])
		}
		if got := p.Repeated(r); got != tc.want {
			t.Errorf("%s: Repeated %q, want %q", tc.name, got, tc.want)
		}
		id, ok, _ := p.Identify(r)
		if ok != (tc.want == "") {
			t.Errorf("%s: Identify %+v ok=%v", tc.name, id, ok)
		}
		if tc.want == "" && (id.Name != "bob" || id.Role != Admin) {
			t.Errorf("%s: %+v, want bob admin", tc.name, id)
		}
	}
}
