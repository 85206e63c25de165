package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeysCreateLookupRevoke(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	clock := t0
	keys, err := OpenKeys(path, func() time.Time { return clock })
	if err != nil || keys.Configured() {
		t.Fatalf("a missing file is no keys: %v %v", keys.Configured(), err)
	}
	alice, ka, err := CreateKey(path, "alice", Assessor, time.Time{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	// Expires 2026-12-01: a date is the start of that day, UTC.
	exp, err := ParseExpiry("2026-12-01")
	if err != nil || !exp.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("expiry %v %v", exp, err)
	}
	bob, kb, err := CreateKey(path, "bob", Approver, exp, t0)
	if err != nil {
		t.Fatal(err)
	}
	// osg_ + 43 base64url characters (32 bytes, unpadded: ceil(32*8/6) = 43).
	if !strings.HasPrefix(alice, "osg_") || len(alice) != 4+43 || alice == bob {
		t.Fatalf("keys %q %q", alice, bob)
	}
	// The file holds no key, only hashes.
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), alice) || strings.Contains(string(data), alice[4:]) || strings.Contains(string(data), bob[4:]) {
		t.Fatalf("the tokens file holds a key:\n%s", data)
	}
	if !strings.Contains(string(data), ka.Hash) || !strings.Contains(string(data), "user: bob") {
		t.Fatalf("tokens file:\n%s", data)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("tokens file mode %v, want 0600", st.Mode().Perm())
	}
	if !keys.Configured() {
		t.Fatal("two keys written: configured (the file is reread on change)")
	}
	id, keyID, err := keys.Lookup(alice)
	if err != nil || id != (Identity{Name: "alice", Role: Assessor, Via: "key"}) || keyID != ka.ID {
		t.Fatalf("alice: %+v %q %v", id, keyID, err)
	}
	if id, _, err := keys.Lookup(bob); err != nil || id.Role != Approver {
		t.Fatalf("bob: %+v %v", id, err)
	}
	// A near miss (one character changed) is unknown.
	wrong := alice[:len(alice)-1] + string(rune('A'+(alice[len(alice)-1]-'A'+1)%26))
	if _, _, err := keys.Lookup(wrong); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("near miss: %v", err)
	}
	if _, _, err := keys.Lookup(""); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("empty: %v", err)
	}
	// bob's key at 2026-12-01 00:00 UTC: expired (not Before the expiry).
	clock = exp
	if _, _, err := keys.Lookup(bob); !errors.Is(err, ErrExpiredKey) {
		t.Errorf("bob at expiry: %v", err)
	}
	clock = exp.Add(-time.Second)
	if _, _, err := keys.Lookup(bob); err != nil {
		t.Errorf("bob a second before expiry: %v", err)
	}
	// Revoke alice's keys by user; the record stays, the key fails.
	revoked, err := RevokeKeys(path, "alice", t0.Add(time.Hour))
	if err != nil || len(revoked) != 1 || revoked[0].ID != ka.ID {
		t.Fatalf("revoke: %+v %v", revoked, err)
	}
	if _, _, err := keys.Lookup(alice); !errors.Is(err, ErrRevokedKey) {
		t.Errorf("alice after revoke: %v", err)
	}
	if _, err := RevokeKeys(path, "alice", t0.Add(2*time.Hour)); err == nil {
		t.Error("revoking again: nothing active, want an error")
	}
	// By id.
	if r, err := RevokeKeys(path, kb.ID, t0.Add(time.Hour)); err != nil || len(r) != 1 || r[0].User != "bob" {
		t.Fatalf("revoke by id: %+v %v", r, err)
	}
	list, err := ReadKeys(path)
	if err != nil || len(list) != 2 || list[0].State(clock) != "revoked" || list[1].State(clock) != "revoked" {
		t.Fatalf("list %+v %v", list, err)
	}
}

func TestKeysCreateRefuses(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if _, _, err := CreateKey(path, "", Viewer, time.Time{}, t0); err == nil {
		t.Error("no user accepted")
	}
	if _, _, err := CreateKey(path, "x", Role("boss"), time.Time{}, t0); err == nil {
		t.Error("unknown role accepted")
	}
	if _, _, err := CreateKey(path, "x", Viewer, t0.Add(-time.Hour), t0); err == nil {
		t.Error("expiry in the past accepted")
	}
	if _, err := ParseExpiry("31/12/2026"); err == nil {
		t.Error("a bad date accepted")
	}
}

func TestKeysFileErrorsNameLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	h := "sha256:" + strings.Repeat("ab", 32)
	for _, tc := range []struct{ body, want string }{
		{"keys:\n  - {id: k1, user: a, role: viewer, hash: " + h + "}\n  - {id: k2, user: b, role: boss, hash: " + h + "}\n", "line 3: key \"k2\": role \"boss\""},
		{"keys:\n  - {id: k1, user: a, role: viewer, hash: md5:abc}\n", "line 2: key \"k1\": hash must be"},
		{"keys:\n  - {id: k1, user: a, role: viewer, hash: " + h + "}\n  - {id: k1, user: b, role: viewer, hash: " + h + "}\n", "id already used on line 2"},
		{"keys:\n  - {id: k1, role: viewer, hash: " + h + "}\n", "line 2: a key needs id and user"},
	} {
		os.WriteFile(path, []byte(tc.body), 0o600)
		_, err := ReadKeys(path)
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.body, err, tc.want)
		}
	}
}
