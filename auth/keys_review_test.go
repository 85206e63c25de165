package auth

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Review of issue 29: when the tokens file cannot be read (here: it was
// rewritten badly), no key is accepted — not the last keys read, which
// may include a key revoked since. Without the fix alice's key kept
// working after the file went bad.
func TestKeysUnreadableFileRefusesAll(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	alice, _, err := CreateKey(path, "alice", Admin, time.Time{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := OpenKeys(path, func() time.Time { return t0 })
	if err != nil {
		t.Fatal(err)
	}
	if id, _, err := keys.Lookup(alice); err != nil || id.Name != "alice" {
		t.Fatalf("before: %+v %v", id, err)
	}
	// A bad file (a different size, so reload rereads it).
	if err := os.WriteFile(path, []byte("keys: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if id, _, err := keys.Lookup(alice); !errors.Is(err, ErrKeysUnavailable) {
		t.Errorf("bad file: %+v %v, want ErrKeysUnavailable", id, err)
	}
	if keys.Err() == nil {
		t.Error("Err is nil after a bad read")
	}
	// Gone altogether: no key either.
	os.Remove(path)
	if _, _, err := keys.Lookup(alice); !errors.Is(err, ErrKeysUnavailable) {
		t.Errorf("missing file: %v, want ErrKeysUnavailable", err)
	}
}

// writeKeys keeps the file's owner: run as root (sudo osgauge token
// revoke), the rewritten file is given back to the server's user; else
// the server, reading as that user, could not read it. Run as another
// user than the owner, it refuses.
func TestKeysRewriteKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the file to another user")
	}
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if _, _, err := CreateKey(path, "alice", Admin, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(path, 4321, 4322); err != nil {
		t.Fatal(err)
	}
	if _, err := RevokeKeys(path, "alice", t0); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if uid, gid, ok := fileOwner(st); ok && (uid != 4321 || gid != 4322) {
		t.Errorf("owner after revoke %d:%d, want 4321:4322", uid, gid)
	}
}

// token revoke USER matches the user case-insensitively (FoldName, as
// SamePerson): before, "Alice" revoked nothing of alice's. A confusable
// user name is refused at creation.
func TestRevokeByUserFoldsCase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens.yaml")
	t0 := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	if _, _, err := CreateKey(path, "alice", Admin, time.Time{}, t0); err != nil {
		t.Fatal(err)
	}
	done, err := RevokeKeys(path, "ALICE", t0)
	if err != nil || len(done) != 1 || done[0].User != "alice" {
		t.Errorf("revoke ALICE: %+v %v", done, err)
	}
	if _, _, err := CreateKey(path, "\u0430lice", Admin, time.Time{}, t0); err == nil {
		t.Error("a key for a mixed-script name was created")
	}
}
