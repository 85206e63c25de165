package auth

import (
	"net/http/httptest"
	"testing"
)

func TestProxyTrustsOnlyItsAddresses(t *testing.T) {
	p, err := NewProxy("X-Remote-User", []string{"10.0.0.0/24", "2001:db8::1"}, "X-Remote-Groups",
		map[string]string{"osgauge-approvers": "approver", "osgauge-assessors": "assessor"}, "")
	if err != nil {
		t.Fatal(err)
	}
	req := func(remote, user, groups string) (Identity, bool, bool) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		if user != "" {
			r.Header.Set("X-Remote-User", user)
		}
		if groups != "" {
			r.Header.Set("X-Remote-Groups", groups)
		}
		return p.Identify(r)
	}
	// 10.0.0.200 is inside 10.0.0.0/24 (10.0.0.0–10.0.0.255).
	if id, ok, _ := req("10.0.0.200:5555", "alice", ""); !ok || id != (Identity{Name: "alice", Role: Viewer, Via: "proxy"}) {
		t.Errorf("from the proxy, no groups: %+v %v (want viewer, the default role)", id, ok)
	}
	// Two groups: the stronger (approver) wins.
	if id, ok, _ := req("10.0.0.7:5555", "bob", "osgauge-assessors, osgauge-approvers"); !ok || id.Role != Approver {
		t.Errorf("groups: %+v %v", id, ok)
	}
	// 10.0.1.7 is outside the /24; the header is ignored, but seen.
	if id, ok, present := req("10.0.1.7:5555", "admin", "osgauge-approvers"); ok || !present || id.Name != "" {
		t.Errorf("from elsewhere: %+v ok=%v present=%v", id, ok, present)
	}
	if _, ok, _ := req("[2001:db8::1]:443", "carol", ""); !ok {
		t.Error("from the IPv6 proxy address (a /128)")
	}
	if _, ok, _ := req("[2001:db8::2]:443", "carol", ""); ok {
		t.Error("from the next IPv6 address")
	}
	if _, ok, present := req("10.0.0.7:5555", "", ""); ok || present {
		t.Error("no header: no identity")
	}
	// role none: a proxied user without a mapped group has no role.
	p2, _ := NewProxy("X-User", []string{"127.0.0.1"}, "", nil, "none")
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:1"
	r.Header.Set("X-User", "dave")
	if id, ok, _ := p2.Identify(r); !ok || id.Role != "" {
		t.Errorf("role none: %+v %v", id, ok)
	}
	for _, bad := range [][]string{{"10.0.0.0/33"}, {"ten"}, {}} {
		if _, err := NewProxy("X-User", bad, "", nil, ""); err == nil {
			t.Errorf("from %q accepted", bad)
		}
	}
	if _, err := NewProxy("", []string{"10.0.0.1"}, "", nil, ""); err == nil {
		t.Error("no header accepted")
	}
}
