package auth

import (
	"context"
	"testing"
)

// Each role includes the weaker ones and nothing stronger: 4 roles × 4
// needs = 16 cases, allowed exactly when the role's place in
// viewer < assessor < approver < admin is at or after the need's.
func TestAllows(t *testing.T) {
	want := map[Role][]bool{ // needs: viewer, assessor, approver, admin
		Viewer:   {true, false, false, false},
		Assessor: {true, true, false, false},
		Approver: {true, true, true, false},
		Admin:    {true, true, true, true},
	}
	for r, row := range want {
		for i, need := range Roles {
			if got := r.Allows(need); got != row[i] {
				t.Errorf("%s allows %s = %v, want %v", r, need, got, row[i])
			}
		}
	}
	if Role("root").Allows(Viewer) || Admin.Allows(Role("root")) {
		t.Error("an unknown role allows, or is allowed, something")
	}
}

func TestParseRole(t *testing.T) {
	if r, err := ParseRole(" Approver "); err != nil || r != Approver {
		t.Errorf("ParseRole(Approver) = %q, %v", r, err)
	}
	if _, err := ParseRole("superuser"); err == nil {
		t.Error("superuser accepted")
	}
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	if _, ok := From(ctx); ok {
		t.Error("an identity in an empty context")
	}
	id := Identity{Name: "li.wei", Role: Assessor, Via: "key"}
	if got, ok := From(With(ctx, id)); !ok || got != id {
		t.Errorf("From(With(id)) = %v, %v", got, ok)
	}
	if s := id.String(); s != "li.wei (assessor, key)" {
		t.Errorf("String() = %q", s)
	}
}
