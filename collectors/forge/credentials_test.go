package forge

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

type renewing struct {
	mu   sync.Mutex
	toks []string // handed out in turn
	n    int
	err  error
	id   string
}

func (r *renewing) Token(context.Context) (string, time.Time, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return "", time.Time{}, r.err
	}
	tok := r.toks[min(r.n, len(r.toks)-1)]
	r.n++
	return tok, time.Time{}, nil
}

func (r *renewing) BudgetID() string { return r.id }

// A credential whose source fails is passed over (notified once, without
// its token) and the next one used; when every source fails the request
// fails with an error naming the credentials, not their tokens.
func TestFailingTokenSourcePassedOver(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	broken := &renewing{err: errors.New("token endpoint answered HTTP 502")}
	var notes []string
	tr := &Transport{Notify: func(s string) { notes = append(notes, s) },
		Credentials: NewCredentials(
			Credential{Name: "GitHub App 1 installation 2", Source: broken},
			Credential{Name: "BACKUP_TOKEN", Source: StaticToken("tok-backup")})}
	for range 2 {
		if err := getOK(t, tr, srv.URL+"/x"); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(auth, ",") != "Bearer tok-backup,Bearer tok-backup" {
		t.Errorf("sent %q", auth)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "credential GitHub App 1 installation 2: token endpoint answered HTTP 502") {
		t.Errorf("notices %q", notes)
	}
	only := &Transport{Credentials: NewCredentials(Credential{Name: "APP", Source: broken})}
	err := getOK(t, only, srv.URL+"/x")
	if err == nil || !strings.Contains(err.Error(), "no usable credential: credential APP: token endpoint answered HTTP 502") {
		t.Errorf("err %v", err)
	}
	if len(auth) != 2 {
		t.Errorf("a request without a usable credential was sent")
	}
}

// A renewing source's new token is sent at once, and keeps the budget key
// (its BudgetID stands for the token); errors are scrubbed of every
// credential's token.
func TestRenewedTokenKeepsBudgetKeyAndIsScrubbed(t *testing.T) {
	var mu sync.Mutex
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("X-RateLimit-Remaining", "10")
		w.Header().Set("X-RateLimit-Reset", "4000000000")
		w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	src := &renewing{toks: []string{"ghs_one", "ghs_two"}, id: "app:1/installation:2"}
	rec := &recBudget{Budget: NewMemBudget()}
	tr := &Transport{Budget: rec, Credentials: NewCredentials(Credential{Name: "app", Source: src})}
	for range 2 {
		if err := getOK(t, tr, srv.URL+"/x"); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(auth, ",") != "Bearer ghs_one,Bearer ghs_two" {
		t.Errorf("sent %q", auth)
	}
	if rec.calls[0] != rec.calls[2] || strings.Contains(strings.Join(rec.calls, " "), "ghs_") {
		t.Errorf("budget calls %q", rec.calls)
	}
	err := tr.scrub(errors.New("dial https://x/?access_token=ghs_two: refused"))
	if strings.Contains(err.Error(), "ghs_two") {
		t.Errorf("not scrubbed: %v", err)
	}
}

// Token alone still works as one static credential; no Token and no
// Credentials sends nothing.
func TestTokenIsOneCredential(t *testing.T) {
	if n := (&Transport{Token: "x"}).creds().Len(); n != 1 {
		t.Errorf("Token gives %d credentials", n)
	}
	if n := (&Transport{}).creds().Len(); n != 0 {
		t.Errorf("no token gives %d credentials", n)
	}
	cs := NewCredentials(Credential{Name: "A", Source: StaticToken("a")}, Credential{Name: "none"})
	if cs.Len() != 1 || strings.Join(cs.Names(), ",") != "A" {
		t.Errorf("credentials %v", cs.Names())
	}
}
