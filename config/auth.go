package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/internal/yamlpos"
)

// ServerConfig is the config's server: section (issue 29): who may use
// `osgauge serve` and how decisions are signed off.
//
//	server:
//	  auth:
//	    tokens_file: tokens.yaml          # per-user API keys (hashes only), osgauge token create
//	    oidc:                             # sign-in for people (Keycloak, ADFS, …)
//	      issuer: https://sso.bank.internal/realms/bank
//	      client_id: osgauge
//	      client_secret_env: OSGAUGE_OIDC_SECRET
//	      roles_claim: groups
//	      role_map: {osgauge-viewers: viewer, osgauge-assessors: assessor, osgauge-approvers: approver, osgauge-admins: admin}
//	    trusted_proxy:                    # an SSO gateway that sets the user's name in a header
//	      header: X-Remote-User
//	      from: [10.0.0.0/24]
//	      role: viewer
//	    maker_checker: [intake, waiver, exit, vex_kev]
//
// The `serve:` section (listen address, trusted origins, hosts) is apart.
type ServerConfig struct {
	Auth Auth `yaml:"auth"`
}

// Auth is server.auth.
type Auth struct {
	// TokensFile is the YAML file of per-user API keys (only their
	// SHA-256 hashes), written by `osgauge token create|revoke`; relative
	// to the config's directory.
	TokensFile string `yaml:"tokens_file"`
	// OIDC signs people in through the bank's identity provider.
	OIDC *OIDC `yaml:"oidc"`
	// TrustedProxy accepts a user name from a header set by an SSO
	// gateway, only on requests from the gateway's addresses.
	TrustedProxy *TrustedProxy `yaml:"trusted_proxy"`
	// MakerChecker lists the decisions that need a second person: intake
	// (intake approvals), waiver, exit (exits cancelled), vex_kev
	// (not_affected analyses of known-exploited vulnerabilities). Unset:
	// all four (DefaultMakerChecker); an empty list [] turns it off.
	MakerChecker []string `yaml:"maker_checker"`
}

// OIDC is server.auth.oidc: OpenID Connect sign-in (authorization code
// with PKCE).
type OIDC struct {
	// Issuer is the provider's issuer URL (its discovery document is at
	// Issuer/.well-known/openid-configuration).
	Issuer   string `yaml:"issuer"`
	ClientID string `yaml:"client_id"`
	// ClientSecretEnv names the environment variable holding the client
	// secret (none for a public client).
	ClientSecretEnv string `yaml:"client_secret_env"`
	// RedirectURL is osgauge's callback as the provider knows it
	// (https://osgauge.bank.internal/auth/callback); default: the
	// request's own scheme and host with /auth/callback.
	RedirectURL string `yaml:"redirect_url"`
	// Scopes are requested besides openid (default: profile, email).
	Scopes []string `yaml:"scopes"`
	// RolesClaim is the ID token claim holding the user's groups or roles
	// (a string or a list), e.g. groups or roles.
	RolesClaim string `yaml:"roles_claim"`
	// NameClaim is the claim naming the user (default preferred_username,
	// then email, then sub).
	NameClaim string `yaml:"name_claim"`
	// RoleMap maps a value of the roles claim to an osgauge role; a user
	// none of whose values is mapped has no access. The strongest mapped
	// role wins.
	RoleMap map[string]string `yaml:"role_map"`
}

// TrustedProxy is server.auth.trusted_proxy.
type TrustedProxy struct {
	// Header is the request header holding the signed-in user's name.
	Header string `yaml:"header"`
	// From are the proxy's addresses (CIDRs, or single addresses); the
	// header on a request from anywhere else is ignored.
	From []string `yaml:"from"`
	// RolesHeader optionally names a header with the user's groups
	// (comma-separated), mapped by RoleMap like OIDC's roles claim.
	RolesHeader string            `yaml:"roles_header"`
	RoleMap     map[string]string `yaml:"role_map"`
	// Role is the role of a proxied user whose groups map to none (or
	// when RolesHeader is unset); default viewer. "none" gives no access.
	Role string `yaml:"role"`
}

// MakerChecker kinds.
var MakerCheckerKinds = []string{"intake", "waiver", "exit", "vex_kev"}

// DefaultMakerChecker is server.auth.maker_checker when unset.
var DefaultMakerChecker = []string{"intake", "waiver", "exit", "vex_kev"}

// MakerCheckerPolicy is the decisions that need a second person: the
// configured list, or DefaultMakerChecker when unset.
func (a Auth) MakerCheckerPolicy() []string {
	if a.MakerChecker == nil {
		return slices.Clone(DefaultMakerChecker)
	}
	return slices.Clone(a.MakerChecker)
}

// NeedsSecondPerson says whether decisions of kind (intake, waiver, exit,
// vex_kev) need a confirmation by another approver.
func (a Auth) NeedsSecondPerson(kind string) bool {
	return slices.Contains(a.MakerCheckerPolicy(), kind)
}

// UsersConfigured says whether any way of naming users is configured
// (tokens_file, oidc or trusted_proxy). Once one is, every request to
// serve needs an identity, loopback included.
func (a Auth) UsersConfigured() bool {
	return a.TokensFile != "" || a.OIDC != nil || a.TrustedProxy != nil
}

// ProxyRole is the trusted proxy's default role (viewer when unset).
func (p TrustedProxy) ProxyRole() string {
	if strings.TrimSpace(p.Role) == "" {
		return string(auth.Viewer)
	}
	return strings.ToLower(strings.TrimSpace(p.Role))
}

// ParseCIDRs reads trusted_proxy.from: CIDRs, or single IPv4/IPv6
// addresses (taken as /32 or /128).
func ParseCIDRs(list []string) ([]*net.IPNet, error) { return auth.ParseCIDRs(list) }

func validateRoleMap(m map[string]string, where func(...string) string, path ...string) []string {
	var errs []string
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := auth.ParseRole(m[k]); err != nil {
			p := append(slices.Clone(path), k)
			errs = append(errs, where(p...)+fmt.Sprintf("%s.%s: %v", strings.Join(path, "."), k, err))
		}
	}
	return errs
}

func (c *Config) validateAuth(doc yamlpos.Doc) []string {
	var errs []string
	at := doc.At
	a := c.Server.Auth
	if o := a.OIDC; o != nil {
		if u, err := url.Parse(o.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, at("server", "auth", "oidc", "issuer")+fmt.Sprintf("server.auth.oidc.issuer must be the provider's http(s) issuer URL, got %q", o.Issuer))
		}
		if strings.TrimSpace(o.ClientID) == "" {
			errs = append(errs, at("server", "auth", "oidc")+"server.auth.oidc.client_id is required")
		}
		if o.RedirectURL != "" {
			if u, err := url.Parse(o.RedirectURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				errs = append(errs, at("server", "auth", "oidc", "redirect_url")+fmt.Sprintf("server.auth.oidc.redirect_url must be an http(s) URL, got %q", o.RedirectURL))
			}
		}
		if strings.TrimSpace(o.RolesClaim) == "" {
			errs = append(errs, at("server", "auth", "oidc")+"server.auth.oidc.roles_claim is required (the ID token claim with the user's groups, e.g. groups)")
		}
		if len(o.RoleMap) == 0 {
			errs = append(errs, at("server", "auth", "oidc")+"server.auth.oidc.role_map is required (which group is which role: viewer, assessor, approver, admin)")
		}
		errs = append(errs, validateRoleMap(o.RoleMap, at, "server", "auth", "oidc", "role_map")...)
	}
	if p := a.TrustedProxy; p != nil {
		if strings.TrimSpace(p.Header) == "" {
			errs = append(errs, at("server", "auth", "trusted_proxy")+"server.auth.trusted_proxy.header is required (the header the gateway sets, e.g. X-Remote-User)")
		}
		if len(p.From) == 0 {
			errs = append(errs, at("server", "auth", "trusted_proxy")+"server.auth.trusted_proxy.from is required (the gateway's addresses as CIDRs)")
		}
		for i, s := range p.From {
			if _, err := ParseCIDRs([]string{s}); err != nil {
				errs = append(errs, at("server", "auth", "trusted_proxy", "from", fmt.Sprint(i))+"server.auth.trusted_proxy.from: "+err.Error())
			}
		}
		if r := p.ProxyRole(); r != "none" {
			if _, err := auth.ParseRole(r); err != nil {
				errs = append(errs, at("server", "auth", "trusted_proxy", "role")+fmt.Sprintf("server.auth.trusted_proxy.role: %v (or none)", err))
			}
		}
		errs = append(errs, validateRoleMap(p.RoleMap, at, "server", "auth", "trusted_proxy", "role_map")...)
	}
	for i, k := range a.MakerChecker {
		if !slices.Contains(MakerCheckerKinds, k) {
			errs = append(errs, at("server", "auth", "maker_checker", fmt.Sprint(i))+fmt.Sprintf("server.auth.maker_checker: unknown decision %q (known: %s)", k, strings.Join(MakerCheckerKinds, ", ")))
		}
	}
	return errs
}
