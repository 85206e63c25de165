package config

import (
	"slices"
	"strings"
	"testing"
)

func TestServerAuthParses(t *testing.T) {
	c, err := Parse("a.yaml", []byte(`server:
  auth:
    tokens_file: tokens.yaml
    oidc: {issuer: "https://sso.bank.internal/realms/bank", client_id: osgauge, client_secret_env: OIDC_SECRET, roles_claim: groups, role_map: {g-approvers: approver}}
    trusted_proxy: {header: X-Remote-User, from: [10.0.0.0/24, 192.0.2.7]}
    maker_checker: [intake, exit]
`))
	if err != nil {
		t.Fatal(err)
	}
	a := c.Server.Auth
	if a.TokensFile != "tokens.yaml" || a.OIDC == nil || a.OIDC.RoleMap["g-approvers"] != "approver" || a.TrustedProxy.Header != "X-Remote-User" {
		t.Fatalf("parsed %+v", a)
	}
	if !a.UsersConfigured() {
		t.Error("tokens_file, oidc and trusted_proxy set: users are configured")
	}
	// maker_checker [intake, exit]: waiver is not in it.
	if !a.NeedsSecondPerson("intake") || a.NeedsSecondPerson("waiver") {
		t.Errorf("maker_checker %v", a.MakerCheckerPolicy())
	}
	// trusted_proxy.role unset: viewer.
	if a.TrustedProxy.ProxyRole() != "viewer" {
		t.Errorf("proxy role %q", a.TrustedProxy.ProxyRole())
	}
	// 192.0.2.7 alone is a /32.
	nets, err := ParseCIDRs(a.TrustedProxy.From)
	if err != nil || len(nets) != 2 || nets[1].String() != "192.0.2.7/32" {
		t.Fatalf("cidrs %v %v", nets, err)
	}
}

func TestServerAuthDefaults(t *testing.T) {
	c, err := Parse("a.yaml", []byte("projects: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Auth.UsersConfigured() {
		t.Error("nothing configured: no users")
	}
	if got := c.Server.Auth.MakerCheckerPolicy(); !slices.Equal(got, []string{"intake", "waiver", "exit", "vex_kev"}) {
		t.Errorf("default maker_checker %v", got)
	}
	c, err = Parse("a.yaml", []byte("server: {auth: {maker_checker: []}}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Server.Auth.NeedsSecondPerson("intake") {
		t.Error("maker_checker: [] turns it off")
	}
}

func TestServerAuthErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"server:\n  auth:\n    trusted_proxy: {header: X-User, from: [10.0.0.0/33]}\n", "a.yaml: line 3:"},
		{"server:\n  auth:\n    trusted_proxy: {header: X-User, from: [10.0.0.0/33]}\n", `"10.0.0.0/33" is not a CIDR`},
		{"server: {auth: {trusted_proxy: {from: [10.0.0.1]}}}\n", "trusted_proxy.header is required"},
		{"server: {auth: {oidc: {issuer: sso, client_id: x, roles_claim: groups, role_map: {a: viewer}}}}\n", "oidc.issuer must be"},
		{"server: {auth: {oidc: {issuer: \"https://sso\", client_id: x, roles_claim: groups, role_map: {a: boss}}}}\n", `role_map.a: role "boss"`},
		{"server:\n  auth:\n    maker_checker: [intake, lunch]\n", `unknown decision "lunch"`},
		{"server: {auth: {tokens: x}}\n", "tokens"},
	} {
		_, err := Parse("a.yaml", []byte(tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
}
