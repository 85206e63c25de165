package gitee

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/osgauge/osgauge/collectors/forge"
)

// commits reads the default branch newest first (GET .../commits?sha=
// <branch>), back to 12 months, or, on an incremental run, back to the
// first page that reaches what the last run saw. The first page's URL never
// changes, so an unchanged branch costs one 304.
func (r *run) commits(ctx context.Context) error {
	branch := r.repo.DefaultBranch
	if branch == "" {
		r.commitsEmpty = true
		r.st.Commits = nil
		return nil
	}
	m := forge.NewCommitMerge(r.st.Commits, r.full, r.now.Add(-windowMembership))
	q := url.Values{"sha": {branch}}
	truncated, err := r.list(ctx, r.endpoint("commits"), q, maxCommitPages, func(body []byte) (int, bool, error) {
		var list []apiCommit
		if err := json.Unmarshal(body, &list); err != nil {
			return 0, false, err
		}
		cs := make([]forge.Commit, 0, len(list))
		for _, ac := range list {
			cs = append(cs, commitFrom(ac))
		}
		return len(list), m.Page(cs), nil
	})
	if err != nil {
		// An empty repository has no branch to list: Gitee answers 404
		// (GitCode may answer 409, as GitHub does).
		if s := statusOf(err); (s == http.StatusNotFound || s == http.StatusConflict) && m.Len() == 0 {
			r.commitsEmpty = true
			r.st.Commits = nil
			return nil
		}
		return err
	}
	r.commitsTruncated = truncated
	r.st.Commits = m.Commits(r.st.Commits)
	if len(r.st.Commits) == 0 {
		r.commitsEmpty = true
	}
	return nil
}

func commitFrom(ac apiCommit) forge.Commit {
	c := forge.Commit{
		SHA:       ac.SHA,
		Name:      strings.TrimSpace(ac.Commit.Author.Name),
		Email:     strings.ToLower(strings.TrimSpace(ac.Commit.Author.Email)),
		Authored:  ac.Commit.Author.Date.Time,
		Committed: ac.Commit.Committer.Date.Time,
		Merge:     len(ac.Parents) > 1,
	}
	if c.Committed.IsZero() {
		c.Committed = c.Authored
	}
	if c.Authored.IsZero() {
		c.Authored = c.Committed
	}
	if ac.Author != nil && ac.Author.Login != "" {
		c.Login = ac.Author.Login
		c.Bot = ac.Author.bot()
	}
	if !c.Bot && strings.HasSuffix(strings.ToLower(c.Name), "[bot]") {
		c.Bot = true
	}
	return c
}

// profiles reads the profiles of the top authors of the last 12 months
// (GET /users/{login}), reusing a profile for 30 days. Gitee documents no
// company field: a profile without one leaves the organisation to the
// e-mail domain.
func (r *run) profiles(ctx context.Context) error {
	for _, login := range forge.TopAuthors(r.st.Commits, r.now.Add(-windowMembership), r.c.opts.Identities, maxUsers) {
		u, err := r.c.profiles.Get(ctx, userKey(r.c.opts.Kind, r.c.webHost, strings.ToLower(login)), login, r.now, func(ctx context.Context) (forge.User, error) {
			var au apiUser
			err := r.getJSON(ctx, "/users/"+url.PathEscape(login), nil, &au)
			switch {
			case err == nil:
				return forge.User{Login: au.Login, Name: strings.TrimSpace(au.Name), Company: strings.TrimSpace(au.Company)}, nil
			case statusOf(err) == http.StatusNotFound:
				return forge.User{Login: login, Missing: true}, nil
			}
			return forge.User{}, err
		})
		if err != nil {
			return err
		}
		r.users[login] = u
	}
	return nil
}
