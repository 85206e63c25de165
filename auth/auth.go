// Package auth is who may do what in osgauge: the roles, the identity of
// the person or script behind a request or a command, and what each role
// allows. It holds no credentials and does no I/O: the server resolves an
// identity (API key, sign-in session, trusted proxy header), the CLI takes
// the operating-system user, and both check it here.
package auth

import (
	"context"
	"fmt"
	"os/user"
	"slices"
	"strings"
)

// Role is what an identity may do. Each role includes the ones before it.
type Role string

// The roles, weakest first.
const (
	Viewer   Role = "viewer"   // read everything; a pipeline's check
	Assessor Role = "assessor" // start collections, propose decisions, import VEX and SBOMs
	Approver Role = "approver" // approve or reject proposals, grant waivers
	Admin    Role = "admin"    // users, keys and settings
)

// Roles lists the roles, weakest first.
var Roles = []Role{Viewer, Assessor, Approver, Admin}

// ParseRole reads a role name, refusing anything else with the list.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(Roles, r) {
		return "", fmt.Errorf("role %q is not one of viewer, assessor, approver, admin", s)
	}
	return r, nil
}

func (r Role) rank() int { return slices.Index(Roles, r) }

// Allows says whether an identity with role r may do what needs role
// need: the same role or a stronger one. An unknown role allows nothing.
func (r Role) Allows(need Role) bool {
	return r.rank() >= 0 && need.rank() >= 0 && r.rank() >= need.rank()
}

// Identity is who is behind a request or a command.
type Identity struct {
	// Name is the user's name: the key's user, the sign-in subject's
	// preferred name, the proxy header's value, or the OS user.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Via says how the identity was established: "key", "oidc",
	// "proxy", "shared-token", "cli" or "loopback" (no users configured).
	Via string `json:"via"`
}

// String is "name (role, via)" for logs and the audit trail.
func (id Identity) String() string {
	return fmt.Sprintf("%s (%s, %s)", id.Name, id.Role, id.Via)
}

type ctxKey struct{}

// With returns ctx carrying id.
func With(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the identity ctx carries, if any.
func From(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(ctxKey{}).(Identity)
	return id, ok
}

// CLI is the identity of a command run on the server by an operating-system
// user: an admin (whoever runs the binary can edit the files it reads), named
// by the OS account, so the audit trail says who typed the command.
func CLI() Identity {
	name := "unknown"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return Identity{Name: name, Role: Admin, Via: "cli"}
}
