package forge

import (
	"context"
	"fmt"
	"time"

	"github.com/osgauge/osgauge/collectors/affiliation"
)

// UserTTL is how long a fetched user profile (company) is reused.
const UserTTL = 30 * 24 * time.Hour

// TopAuthors are the logins of the people (not bots) with the most
// non-merge commits authored since cut, most first, at most n: the
// profiles worth reading for organisations.
func TopAuthors(cs []Commit, cut time.Time, ids *affiliation.Identities, n int) []string {
	counts := map[string]int{}
	for _, c := range cs {
		if c.Login == "" || c.Merge || c.Bot || ids.IsBot(c.Name, c.Email, c.Login) || c.Authored.Before(cut) {
			continue
		}
		counts[c.Login]++
	}
	top := affiliation.Ranked(counts)
	if len(top) > n {
		top = top[:n]
	}
	out := make([]string, len(top))
	for i, s := range top {
		out[i] = s.Key
	}
	return out
}

// Profiles reads user profiles through the cache: a profile kept under
// its key younger than UserTTL is reused, else fetched once however many
// projects need it at the same time, and kept.
type Profiles struct {
	Cache Cache
	locks KeyedMutex
}

// Get returns login's profile kept under key at now, or fetches it; fetch
// reports a user the forge does not know (404) as a User with Missing set.
func (p *Profiles) Get(ctx context.Context, key, login string, now time.Time, fetch func(context.Context) (User, error)) (User, error) {
	defer p.locks.Lock(key)()
	var u User
	if LoadJSON(ctx, p.Cache, key, &u) && !u.At.IsZero() && now.Sub(u.At) < UserTTL && !now.Before(u.At) {
		return u, nil
	}
	u, err := fetch(ctx)
	if err != nil {
		return User{}, err
	}
	if u.Login == "" {
		u.Login = login
	}
	u.At = now
	if err := SaveJSON(ctx, p.Cache, key, u); err != nil {
		return User{}, fmt.Errorf("save user profile: %w", err)
	}
	return u, nil
}
