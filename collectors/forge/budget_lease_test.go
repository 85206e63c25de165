package forge

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A token spent by another tool while this transport holds a lease of it:
// the server's 403 with X-RateLimit-Remaining: 0 ends the lease. With a
// second credential the refused request goes out again with it at once;
// with one credential it waits for the reset (+1 s) and is sent once.
// Worked by hand (limit 1000 an hour, the window opened at t0 ends at
// t0 + 1h):
//
//	req 1: A (window unknown: one request taken); answer 999 left
//	req 2: A, leasing 8 (the request and 7 more)
//	       another tool spends A's window
//	req 3: A from the lease → 403, 0 left; without the fix the lease's
//	       6 other requests and the limit retries all went out as 403s
//	       retry: A must wait → B (two credentials) / sleep 1h + 1 s (one)
func TestLeaseEndsWhenLimitSpentElsewhere(t *testing.T) {
	for _, two := range []bool{true, false} {
		t.Run(fmt.Sprintf("two credentials=%v", two), func(t *testing.T) {
			clk := &fakeClock{t: time.Unix(1_700_000_000, 0)}
			api := newLimitedAPI(clk.Now, 1000)
			ts := httptest.NewServer(api)
			defer ts.Close()
			srv := ts.URL
			creds := []Credential{{Name: "A", Source: StaticToken("tokA")}}
			if two {
				creds = append(creds, Credential{Name: "B", Source: StaticToken("tokB")})
			}
			tr := &Transport{Now: clk.Now, Sleep: clk.Sleep, Budget: NewMemBudget(), Credentials: NewCredentials(creds...)}
			for i := range 2 {
				if err := getOK(t, tr, srv+"/repos/o/r"); err != nil {
					t.Fatalf("request %d: %v", i+1, err)
				}
			}
			api.mu.Lock()
			api.win["tokA"].used = 1000 // the other tool
			api.mu.Unlock()
			for i := 2; i < 4; i++ {
				if err := getOK(t, tr, srv+"/repos/o/r"); err != nil {
					t.Fatalf("request %d: %v (tokens sent %s)", i+1, err, strings.Join(api.tokens, " "))
				}
			}
			want, wantSlept := "tokA tokA tokA tokB tokB", "[]"
			if !two {
				// After the reset A opens a new window.
				want, wantSlept = "tokA tokA tokA tokA tokA", "[1h0m1s]"
			}
			if got := strings.Join(api.tokens, " "); got != want {
				t.Errorf("tokens sent: %s, want %s", got, want)
			}
			if fmt.Sprint(clk.slept) != wantSlept {
				t.Errorf("slept %v, want %s", clk.slept, wantSlept)
			}
			if api.violations != 1 {
				t.Errorf("%d requests over the limit, want 1 (the one that learnt it)", api.violations)
			}
		})
	}
}
