package affiliation

import "testing"

// Foundation organisations are matched by host and owner (case-insensitive),
// Eclipse's also by the eclipse-<project> prefix; the host matters.
func TestFoundationFor(t *testing.T) {
	for _, tc := range []struct {
		host, owner, want, seat string
	}{
		{"github.com", "apache", "Apache Software Foundation", "US"},
		{"github.com", "Kubernetes", "Cloud Native Computing Foundation (Linux Foundation)", "US"}, // landscape: kubernetes/kubernetes, graduated
		{"github.com", "karmada-io", "Cloud Native Computing Foundation (Linux Foundation)", "US"},
		{"github.com", "eclipse-ee4j", "Eclipse Foundation", "BE"}, // by the prefix
		{"github.com", "eclipse", "Eclipse Foundation", "BE"},
		{"github.com", "nodejs", "OpenJS Foundation (Linux Foundation)", "US"},
		{"github.com", "python", "Python Software Foundation", "US"},
		{"github.com", "openstack", "OpenInfra Foundation", "US"},
		{"gitee.com", "openharmony", "OpenAtom Foundation (开放原子开源基金会)", "CN"},
		{"github.com", "eclipse-", "", ""}, // the prefix alone is no organisation
		{"github.com", "acme", "", ""},
		{"gitlab.com", "apache", "", ""}, // the ASF's organisation is on GitHub
		{"gitee.com", "apache", "", ""},
	} {
		f, ok := FoundationFor(tc.host, tc.owner)
		if f.Name != tc.want || ok != (tc.want != "") || f.Seat != tc.seat {
			t.Errorf("%s/%s: %q %v seat %q, want %q seat %q", tc.host, tc.owner, f.Name, ok, f.Seat, tc.want, tc.seat)
		}
	}
	// Every entry names its source and a seat; every forge host its source.
	for _, f := range Foundations {
		if f.Source == "" || f.SeatSource == "" || len(f.Seat) != 2 || len(f.Orgs) == 0 {
			t.Errorf("%s: incomplete entry %+v", f.Name, f)
		}
	}
	for h, p := range ForgeHosts {
		if p.Source == "" || len(p.Country) != 2 {
			t.Errorf("%s: incomplete %+v", h, p)
		}
	}
}
