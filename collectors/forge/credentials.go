package forge

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
)

// TokenSource gives the token of one credential. A source that renews
// (a GitHub App installation) caches its token and returns a fresh one
// before the old one expires; expiry is zero for a token that never does.
// It is called for every request, so it must be cheap while its token is
// good, and safe for concurrent use.
type TokenSource interface {
	Token(ctx context.Context) (token string, expiry time.Time, err error)
}

// BudgetIdentity is implemented by token sources whose token changes
// (renewal) while the rate limit it spends stays the same — a GitHub App
// installation. Its value takes the token's place in the budget key; it
// must not be a secret.
type BudgetIdentity interface {
	BudgetID() string
}

// StaticToken is a token that never changes (a personal access token).
type StaticToken string

// Token implements TokenSource.
func (s StaticToken) Token(context.Context) (string, time.Time, error) {
	if s == "" {
		return "", time.Time{}, fmt.Errorf("empty token")
	}
	return string(s), time.Time{}, nil
}

// Credential is one token the transport may send, with a name for
// messages (the environment variable it came from, "GitHub App 12
// installation 34"); the name must not be the token.
type Credential struct {
	Name   string
	Source TokenSource
}

// Credentials are the credentials a Transport uses in turn: each request
// goes out with the first one whose budget lets it through (see
// Transport.Budget). Safe for concurrent use; build with NewCredentials.
type Credentials struct {
	list []*credential
}

type credential struct {
	Credential
	mu        sync.Mutex
	lastToken string // for scrubbing errors, and to know when the key changes
	lastKey   string
	keyOf     string // dialect+host the key was made for
	failNote  string // last error notified
}

// NewCredentials returns the credentials in the order they are tried.
// Credentials without a source are left out.
func NewCredentials(cs ...Credential) *Credentials {
	out := &Credentials{}
	for _, c := range cs {
		if c.Source != nil {
			out.list = append(out.list, &credential{Credential: c})
		}
	}
	return out
}

// Len is the number of credentials; 0 for nil.
func (c *Credentials) Len() int {
	if c == nil {
		return 0
	}
	return len(c.list)
}

// Names are the credentials' names, in order.
func (c *Credentials) Names() []string {
	if c == nil {
		return nil
	}
	out := make([]string, len(c.list))
	for i, x := range c.list {
		out[i] = x.Name
	}
	return out
}

// creds is Credentials, or Token as a single static credential, or none.
func (t *Transport) creds() *Credentials {
	if t.Credentials != nil {
		return t.Credentials
	}
	t.bs.credsOnce.Do(func() {
		if t.Token != "" {
			t.bs.creds = NewCredentials(Credential{Name: "token", Source: StaticToken(t.Token)})
		} else {
			t.bs.creds = &Credentials{}
		}
	})
	return t.bs.creds
}

// current is the credential's token now; a failure is notified once per
// distinct message (it never holds the token: sources must not put it in
// their errors).
func (c *credential) current(ctx context.Context, t *Transport) (string, error) {
	tok, _, err := c.Source.Token(ctx)
	if err == nil && tok == "" {
		err = fmt.Errorf("empty token")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		err = fmt.Errorf("credential %s: %w", c.Name, err)
		if msg := err.Error(); msg != c.failNote && ctx.Err() == nil {
			c.failNote = msg
			t.notify(fmt.Sprintf("%s %s", t.dialect().Name, msg))
		}
		return "", err
	}
	c.failNote = ""
	c.lastToken = tok
	return tok, nil
}

// budgetKey is "cred:" and the first 16 hex digits of sha256(dialect name,
// API host, token) — or the source's BudgetID instead of the token, so a
// renewed token keeps its budget. It never contains the token.
func (c *credential) budgetKey(dialect, host, tok string) string {
	id := tok
	if bi, ok := c.Source.(BudgetIdentity); ok {
		id = "id:" + bi.BudgetID()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	of := dialect + "\x00" + host
	if c.lastKey != "" && c.keyOf == of+"\x00"+id {
		return c.lastKey
	}
	sum := sha256.Sum256([]byte(dialect + "\x00" + host + "\x00" + id))
	c.lastKey, c.keyOf = "cred:"+hex.EncodeToString(sum[:])[:16], of+"\x00"+id
	return c.lastKey
}

// BudgetKey is the budget key of a credential with token tok on the API at
// host (host[:port]) of the dialect: for operators and tests; it is what
// the shared store's rows are named by.
func BudgetKey(d Dialect, host, tok string) string {
	return (&credential{Credential: Credential{Source: StaticToken(tok)}}).budgetKey(d.Name, host, tok)
}

// secrets are the tokens to scrub from errors.
func (t *Transport) secrets() []string {
	var out []string
	if t.Token != "" {
		out = append(out, t.Token)
	}
	if t.Credentials != nil {
		for _, c := range t.Credentials.list {
			c.mu.Lock()
			if c.lastToken != "" {
				out = append(out, c.lastToken)
			}
			c.mu.Unlock()
		}
	}
	return out
}
