package auth

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
)

// Proxy is the trusted-proxy mode (server.auth.trusted_proxy): an SSO
// gateway in front of serve signs people in and names the user in a
// header. The header is believed only on a request whose connection comes
// from one of the gateway's addresses (From); from anywhere else it is
// ignored, since any client can send any header.
type Proxy struct {
	Header string
	From   []*net.IPNet
	// RolesHeader, if set, holds the user's groups (comma-separated),
	// mapped by RoleMap; the strongest mapped role wins.
	RolesHeader string
	RoleMap     map[string]Role
	// Role is given when no group maps (or RolesHeader is unset); ""
	// gives no access.
	Role Role
}

// NewProxy builds the trusted-proxy mode from the config's fields: from
// are CIDRs or addresses, roleMap's values and role are role names (role
// "" is viewer, "none" is no access).
func NewProxy(header string, from []string, rolesHeader string, roleMap map[string]string, role string) (*Proxy, error) {
	if strings.TrimSpace(header) == "" {
		return nil, fmt.Errorf("trusted_proxy.header is required")
	}
	nets, err := ParseCIDRs(from)
	if err != nil {
		return nil, fmt.Errorf("trusted_proxy.from: %w", err)
	}
	if len(nets) == 0 {
		return nil, fmt.Errorf("trusted_proxy.from is required (the gateway's addresses)")
	}
	p := &Proxy{Header: http.CanonicalHeaderKey(strings.TrimSpace(header)), From: nets, RolesHeader: rolesHeader, RoleMap: map[string]Role{}}
	for g, r := range roleMap {
		role, err := ParseRole(r)
		if err != nil {
			return nil, fmt.Errorf("trusted_proxy.role_map.%s: %w", g, err)
		}
		p.RoleMap[g] = role
	}
	switch strings.ToLower(strings.TrimSpace(role)) {
	case "":
		p.Role = Viewer
	case "none":
		p.Role = ""
	default:
		if p.Role, err = ParseRole(role); err != nil {
			return nil, fmt.Errorf("trusted_proxy.role: %w", err)
		}
	}
	return p, nil
}

// ParseCIDRs reads CIDRs (10.0.0.0/24) or single addresses (taken as /32
// or /128).
func ParseCIDRs(list []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, s := range list {
		s = strings.TrimSpace(s)
		if !strings.Contains(s, "/") {
			ip := net.ParseIP(s)
			if ip == nil {
				return nil, fmt.Errorf("%q is not a CIDR (10.0.0.0/24) or an IP address", s)
			}
			bits := 128
			if ip4 := ip.To4(); ip4 != nil {
				ip, bits = ip4, 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR (10.0.0.0/24) or an IP address", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// RemoteIP is the address of the connection r came on (RemoteAddr without
// port), nil if it is not an IP.
func RemoteIP(r *http.Request) net.IP {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return net.ParseIP(strings.Trim(host, "[]"))
}

// Trusted says whether r's connection comes from one of the proxy's
// addresses.
func (p *Proxy) Trusted(r *http.Request) bool {
	if p == nil {
		return false
	}
	ip := RemoteIP(r)
	if ip == nil {
		return false
	}
	return slices.ContainsFunc(p.From, func(n *net.IPNet) bool { return n.Contains(ip) })
}

// Repeated names the first of the proxy's headers (the user, the groups,
// X-Forwarded-For) that r carries more than once, or "". A gateway that
// appends its header to the client's leaves two: which one is the
// gateway's cannot be told, so such a request is refused.
func (p *Proxy) Repeated(r *http.Request) string {
	if p == nil {
		return ""
	}
	for _, h := range []string{p.Header, p.RolesHeader, "X-Forwarded-For"} {
		if h != "" && len(r.Header.Values(h)) > 1 {
			return h
		}
	}
	return ""
}

// Identify returns the identity the header names (Via "proxy"), if r
// comes from the proxy and the header is set. present reports whether the
// header was sent at all, trusted or not, so that the server can log a
// header it ignored. An identity with Role "" has no access (none of its
// groups maps and the proxy's default role is none).
func (p *Proxy) Identify(r *http.Request) (id Identity, ok, present bool) {
	if p == nil {
		return Identity{}, false, false
	}
	name := strings.TrimSpace(r.Header.Get(p.Header))
	if name == "" {
		return Identity{}, false, false
	}
	if !p.Trusted(r) || p.Repeated(r) != "" {
		return Identity{}, false, true
	}
	role := p.Role
	if p.RolesHeader != "" {
		var best Role
		for _, g := range strings.Split(r.Header.Get(p.RolesHeader), ",") {
			if m, ok := p.RoleMap[strings.TrimSpace(g)]; ok && (best == "" || m.Allows(best)) {
				best = m
			}
		}
		if best != "" {
			role = best
		}
	}
	return Identity{Name: name, Role: role, Via: "proxy"}, true, true
}
