package auth

// API keys (issue 29): per-user keys for scripts and pipelines, kept in
// the tokens file (server.auth.tokens_file). This file is the one part of
// the package that does I/O: it reads and writes that file.
//
// A key is "osg_" followed by 43 characters of base64url (32 random bytes,
// 256 bits). It is shown once, when created; the file keeps only its
// SHA-256 hash ("sha256:" and 64 hex digits), its id (the first characters
// of the hash, for list and revoke), its user, role, creation time and
// optional expiry and revocation. A fast hash suffices: a 256-bit random
// key cannot be guessed from its hash, unlike a password. A presented key
// is hashed and compared with every stored hash in constant time
// (crypto/subtle), so that neither the comparison's time nor an early
// exit tells how close a guess came.

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"
)

// KeyPrefix starts every API key.
const KeyPrefix = "osg_"

// Key is one API key as the tokens file keeps it (never the key itself).
type Key struct {
	// ID names the key in list and revoke: "k" and the first 10 hex
	// digits of its hash.
	ID      string    `yaml:"id" json:"id"`
	User    string    `yaml:"user" json:"user"`
	Role    Role      `yaml:"role" json:"role"`
	Hash    string    `yaml:"hash" json:"-"`
	Created time.Time `yaml:"created" json:"created"`
	// Expires, when set, is the instant the key stops working.
	Expires time.Time `yaml:"expires,omitempty" json:"expires,omitzero"`
	// Revoked, when set, is when it was revoked; it no longer works.
	Revoked time.Time `yaml:"revoked,omitempty" json:"revoked,omitzero"`

	hash [32]byte
}

// State is "active", "expired" or "revoked" at now.
func (k Key) State(now time.Time) string {
	switch {
	case !k.Revoked.IsZero():
		return "revoked"
	case !k.Expires.IsZero() && !now.Before(k.Expires):
		return "expired"
	}
	return "active"
}

// Errors of Lookup.
var (
	ErrUnknownKey = errors.New("unknown API key")
	ErrRevokedKey = errors.New("the API key was revoked")
	ErrExpiredKey = errors.New("the API key has expired")
)

// keysFile is the tokens file's layout.
type keysFile struct {
	Keys []yaml.Node `yaml:"keys"`
}

const keysHeader = `# osgauge API keys (server.auth.tokens_file). Only SHA-256 hashes of the
# keys are kept here; a key is shown once, by 'osgauge token create'.
# Edit with 'osgauge token create|list|revoke'.
`

// ReadKeys reads the tokens file; a missing file has no keys. Errors name
// the file and line.
func ReadKeys(path string) ([]Key, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return parseKeys(path, data)
}

func parseKeys(path string, data []byte) ([]Key, error) {
	var f keysFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err.Error() != "EOF" {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	var keys []Key
	ids := map[string]int{}
	for _, n := range f.Keys {
		var k Key
		if err := n.Decode(&k); err != nil {
			return nil, fmt.Errorf("%s: line %d: %v", path, n.Line, err)
		}
		where := fmt.Sprintf("%s: line %d: key %q", path, n.Line, k.ID)
		if k.ID == "" || k.User == "" {
			return nil, fmt.Errorf("%s: line %d: a key needs id and user", path, n.Line)
		}
		if _, err := ParseRole(string(k.Role)); err != nil {
			return nil, fmt.Errorf("%s: %v", where, err)
		}
		hx, ok := strings.CutPrefix(k.Hash, "sha256:")
		b, err := hex.DecodeString(hx)
		if !ok || err != nil || len(b) != 32 {
			return nil, fmt.Errorf("%s: hash must be sha256: and 64 hex digits", where)
		}
		copy(k.hash[:], b)
		if line, dup := ids[k.ID]; dup {
			return nil, fmt.Errorf("%s: id already used on line %d", where, line)
		}
		ids[k.ID] = n.Line
		keys = append(keys, k)
	}
	return keys, nil
}

// writeKeys replaces the tokens file (mode 0600) through a temporary file
// and a rename, so that a reader never sees half a file.
func writeKeys(path string, keys []Key) error {
	var buf bytes.Buffer
	buf.WriteString(keysHeader)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Keys []Key `yaml:"keys"`
	}{keys}); err != nil {
		return err
	}
	enc.Close()
	// The new file replaces the old one by a rename, so it must have the
	// old one's owner: as root (sudo osgauge token revoke …) it is given
	// to the old owner; as another user than the owner the write is
	// refused, or the server running as the owner could no longer read
	// the file and a revocation would not take effect.
	owner, group, keepOwner := -1, -1, false
	if st, err := os.Stat(path); err == nil {
		if uid, gid, ok := fileOwner(st); ok {
			switch euid := os.Geteuid(); {
			case euid == 0:
				owner, group, keepOwner = uid, gid, true
			case uid != euid:
				return fmt.Errorf("%s is owned by uid %d, not by this user (uid %d): run the command as its owner (or as root, which keeps the owner)", path, uid, euid)
			}
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tokens-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if keepOwner {
		if err := tmp.Chown(owner, group); err != nil {
			tmp.Close()
			return fmt.Errorf("%s: keeping the owner (uid %d, gid %d): %w", path, owner, group, err)
		}
	}
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// lockKeys takes the tokens file's lock (path.lock, created exclusively)
// so that two commands do not lose each other's change; a lock older
// than a minute is taken as left by a crashed command.
func lockKeys(path string) (unlock func(), err error) {
	lock := path + ".lock"
	deadline := time.Now().Add(10 * time.Second)
	for {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(lock) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if st, serr := os.Stat(lock); serr == nil && time.Since(st.ModTime()) > time.Minute {
			os.Remove(lock)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s is held by another osgauge token command (remove it if none runs)", lock)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func hashKey(key string) [32]byte { return sha256.Sum256([]byte(key)) }

// CreateKey makes a key for user with role, expiring at expires (zero:
// never), adds its hash to the tokens file at path and returns the key —
// the only time it is seen — and its record.
func CreateKey(path, user string, role Role, expires, now time.Time) (string, Key, error) {
	user = strings.TrimSpace(user)
	if user == "" {
		return "", Key{}, errors.New("a key needs a user name")
	}
	if err := CheckName(user); err != nil {
		return "", Key{}, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return "", Key{}, err
	}
	if !expires.IsZero() && !expires.After(now) {
		return "", Key{}, fmt.Errorf("the expiry %s is not in the future", expires.UTC().Format(time.RFC3339))
	}
	unlock, err := lockKeys(path)
	if err != nil {
		return "", Key{}, err
	}
	defer unlock()
	keys, err := ReadKeys(path)
	if err != nil {
		return "", Key{}, err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", Key{}, err
	}
	secret := KeyPrefix + base64.RawURLEncoding.EncodeToString(raw[:])
	h := hashKey(secret)
	k := Key{ID: "k" + hex.EncodeToString(h[:5]), User: user, Role: role, Hash: "sha256:" + hex.EncodeToString(h[:]),
		Created: now.UTC().Truncate(time.Second), hash: h}
	if !expires.IsZero() {
		k.Expires = expires.UTC()
	}
	keys = append(keys, k)
	if err := writeKeys(path, keys); err != nil {
		return "", Key{}, err
	}
	return secret, k, nil
}

// RevokeKeys marks as revoked, at now, the key with id idOrUser, or every
// active key of the user idOrUser, and returns those revoked. Revoked keys
// stay in the file (the record of who had access, and when).
func RevokeKeys(path, idOrUser string, now time.Time) ([]Key, error) {
	unlock, err := lockKeys(path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	keys, err := ReadKeys(path)
	if err != nil {
		return nil, err
	}
	var done []Key
	byID := strings.HasPrefix(idOrUser, "k") && len(idOrUser) == 11
	for i := range keys {
		k := &keys[i]
		if (byID && k.ID == idOrUser) || (!byID && FoldName(k.User) == FoldName(idOrUser)) {
			if !k.Revoked.IsZero() {
				continue
			}
			k.Revoked = now.UTC().Truncate(time.Second)
			done = append(done, *k)
		}
	}
	if len(done) == 0 {
		return nil, fmt.Errorf("%s: no active key with id or user %q (osgauge token list shows them)", path, idOrUser)
	}
	return done, writeKeys(path, keys)
}

// Keys answers which identity a presented key stands for, from the tokens
// file, read again whenever it changes (so that a key created or revoked
// by `osgauge token` takes effect on a running server without restart).
type Keys struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	modTime time.Time
	size    int64
	keys    []Key
	err     error
}

// OpenKeys reads the tokens file at path (a missing file: no keys yet).
// now is the clock for expiry (nil: time.Now).
func OpenKeys(path string, now func() time.Time) (*Keys, error) {
	if now == nil {
		now = time.Now
	}
	k := &Keys{path: path, now: now}
	if err := k.reload(); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return k, nil
}

// ErrKeysUnavailable wraps the error of a tokens file that is missing or
// cannot be read: then no key is accepted.
var ErrKeysUnavailable = errors.New("the tokens file cannot be read: no API key is accepted")

// reload rereads the file when its modification time or size changed.
// A missing, unreadable or bad file leaves no key in force (a revoked
// key must not keep working because the file could not be read); the
// error is kept for Err and returned by Lookup.
func (k *Keys) reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	st, err := os.Stat(k.path)
	if err != nil {
		k.keys, k.modTime, k.size = nil, time.Time{}, 0
		k.err = fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
		return k.err
	}
	if st.ModTime().Equal(k.modTime) && st.Size() == k.size && k.err == nil {
		return nil
	}
	keys, err := ReadKeys(k.path)
	if err != nil {
		k.keys, k.modTime, k.size = nil, time.Time{}, 0
		k.err = fmt.Errorf("%w: %w", ErrKeysUnavailable, err)
		return k.err
	}
	k.keys, k.modTime, k.size, k.err = keys, st.ModTime(), st.Size(), nil
	return nil
}

// Path is the tokens file.
func (k *Keys) Path() string { return k.path }

// Err is the last error reading the tokens file (nil when it was read).
func (k *Keys) Err() error {
	if k == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.err
}

// Configured says whether the tokens file holds any key (active or not):
// then users are configured and every request needs an identity.
func (k *Keys) Configured() bool {
	if k == nil {
		return false
	}
	k.reload()
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.keys) > 0
}

// Lookup returns the identity of presented (Via "key") and the key's id,
// or ErrUnknownKey, ErrRevokedKey, ErrExpiredKey. Every stored hash is
// compared, in constant time, whatever matched.
func (k *Keys) Lookup(presented string) (Identity, string, error) {
	if k == nil {
		return Identity{}, "", ErrUnknownKey
	}
	if err := k.reload(); err != nil {
		return Identity{}, "", err
	}
	h := hashKey(presented)
	match := -1
	keys := k.snapshot()
	for i := range keys {
		if subtle.ConstantTimeCompare(h[:], keys[i].hash[:]) == 1 {
			match = i
		}
	}
	if match < 0 {
		return Identity{}, "", ErrUnknownKey
	}
	m := keys[match]
	switch m.State(k.now()) {
	case "revoked":
		return Identity{}, m.ID, ErrRevokedKey
	case "expired":
		return Identity{}, m.ID, ErrExpiredKey
	}
	return Identity{Name: m.User, Role: m.Role, Via: "key"}, m.ID, nil
}

func (k *Keys) snapshot() []Key {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys
}

// ParseExpiry reads --expires: a date (2027-01-31: the key stops working
// at the start of that day, UTC) or an RFC 3339 time.
func ParseExpiry(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--expires %q: give a date (2027-01-31) or an RFC 3339 time (2027-01-31T18:00:00+08:00)", s)
}
