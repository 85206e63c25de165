package gitlab

import (
	"context"
	"net/http"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors/forge"
)

// commits reads the default branch newest first, back to 12 months, or, on
// an incremental run, back to the first page that reaches what the last run
// saw. No `since=` is sent: it would move the first page's URL every run and
// defeat the 304s.
//
// GitLab links no account to a commit: Login stays "", and the identity
// layer keys the author by e-mail.
func (r *run) commits(ctx context.Context) error {
	branch := r.proj.DefaultBranch
	if branch == "" || r.proj.EmptyRepo {
		r.commitsEmpty = true
		r.st.Commits = nil
		return nil
	}
	m := forge.NewCommitMerge(r.st.Commits, r.full, r.now.Add(-forge.Window12m))
	opt := &gl.ListCommitsOptions{RefName: gl.Ptr(branch), ListOptions: gl.ListOptions{PerPage: perPage}}
	for page := 0; ; page++ {
		if page == maxCommitPages {
			r.commitsTruncated = true
			break
		}
		list, resp, err := r.c.cl.Commits.ListCommits(r.ref.Path, opt, gl.WithContext(ctx))
		if err != nil {
			if statusOf(err) == http.StatusNotFound && page == 0 { // "404 Tree Not Found": no commits yet
				r.commitsEmpty = true
				r.st.Commits = nil
				return nil
			}
			return err
		}
		cs := make([]forge.Commit, 0, len(list))
		for _, gc := range list {
			cs = append(cs, commitFrom(gc))
		}
		next := nextPage(resp)
		if m.Page(cs) || next == 0 {
			break
		}
		opt.Page = next
	}
	if m.Len() == 0 && r.full {
		// An empty first page on a full read: no commits at all.
		r.commitsEmpty = true
	}
	r.st.Commits = m.Commits(r.st.Commits)
	return nil
}

func commitFrom(gc *gl.Commit) forge.Commit {
	c := forge.Commit{
		SHA:       gc.ID,
		Name:      strings.TrimSpace(gc.AuthorName),
		Email:     strings.ToLower(strings.TrimSpace(gc.AuthorEmail)),
		Authored:  ts(gc.AuthoredDate),
		Committed: ts(gc.CommittedDate),
		Merge:     len(gc.ParentIDs) > 1,
	}
	if c.Committed.IsZero() {
		c.Committed = ts(gc.CreatedAt)
	}
	if c.Committed.IsZero() {
		c.Committed = c.Authored
	}
	if c.Authored.IsZero() {
		c.Authored = c.Committed
	}
	return c
}
