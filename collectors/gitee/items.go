package gitee

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

// issues reads GET .../issues?state=all&sort=updated&direction=desc, newest
// update first, back to 12 months (first run) or to the newest update the
// last run saw. A 404 or 410 from a repository that exists means issues
// are turned off: then neither issues nor pull requests are measured.
func (r *run) issues(ctx context.Context) error {
	top, truncated, err := r.readItems(ctx, false, r.st.IssuesTop, "issues", func(body []byte) ([]itemRec, error) {
		var list []apiIssue
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, err
		}
		out := make([]itemRec, 0, len(list))
		for _, ai := range list {
			if ai.Number == "" {
				continue
			}
			out = append(out, issueFrom(ai))
		}
		return out, nil
	})
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusGone {
			r.itemsDisabled = fmt.Sprintf("the %s issues API answered HTTP %d (issues are turned off for this repository), so neither issues nor pull requests were read", r.c.forgeName, s)
			r.st.Items, r.st.IssuesTop, r.st.PullsTop, r.st.Responses = nil, time.Time{}, time.Time{}, nil
			return nil
		}
		return err
	}
	r.st.IssuesTop = top
	r.itemsTruncated = r.itemsTruncated || truncated
	return nil
}

// pulls reads GET .../pulls?state=all&sort=updated&direction=desc the same
// way.
func (r *run) pulls(ctx context.Context) error {
	if r.itemsDisabled != "" {
		return nil
	}
	top, truncated, err := r.readItems(ctx, true, r.st.PullsTop, "pulls", func(body []byte) ([]itemRec, error) {
		var list []apiPull
		if err := json.Unmarshal(body, &list); err != nil {
			return nil, err
		}
		out := make([]itemRec, 0, len(list))
		for _, ap := range list {
			if it := pullFrom(ap); it.N > 0 {
				out = append(out, it)
			}
		}
		return out, nil
	})
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusGone {
			// Pull requests turned off: none to measure.
			var keep []itemRec
			for _, it := range r.st.Items {
				if !it.PR {
					keep = append(keep, it)
				}
			}
			r.st.Items, r.st.PullsTop = keep, time.Time{}
			return nil
		}
		return err
	}
	r.st.PullsTop = top
	r.itemsTruncated = r.itemsTruncated || truncated
	return nil
}

// readItems merges one newest-updated-first list (issues or pull requests)
// into the state and returns the new newest update.
func (r *run) readItems(ctx context.Context, pr bool, prevTop time.Time, what string,
	decode func([]byte) ([]itemRec, error)) (time.Time, bool, error) {
	incremental := !r.full && !prevTop.IsZero()
	got := map[int]itemRec{}
	var others []itemRec
	for _, it := range r.st.Items {
		switch {
		case it.PR != pr:
			others = append(others, it)
		case incremental:
			got[it.N] = it
		}
	}
	cut := r.now.Add(-windowMembership)
	top := prevTop
	q := url.Values{"state": {"all"}, "sort": {"updated"}, "direction": {"desc"}}
	truncated, err := r.list(ctx, r.endpoint(what), q, maxItemPages, func(body []byte) (int, bool, error) {
		items, err := decode(body)
		if err != nil {
			return 0, false, err
		}
		var oldest time.Time
		for _, it := range items {
			got[it.N] = it
			oldest = it.Updated
			if it.Updated.After(top) {
				top = it.Updated
			}
		}
		stop := len(items) > 0 && (oldest.Before(cut) || (incremental && !oldest.After(prevTop)))
		return len(items), stop, nil
	})
	if err != nil {
		return prevTop, false, err
	}
	r.st.Items = others
	for _, it := range got {
		r.st.Items = append(r.st.Items, it)
	}
	sortItems(r.st.Items)
	return top, truncated, nil
}

// issueFrom reads one issue. Gitee's open states are open and progressing,
// its closed ones closed and rejected; the close time is finished_at
// (closed_at when a forge gives it). A closed issue without either date is
// taken as closed at its last update.
func issueFrom(ai apiIssue) itemRec {
	it := itemRec{Item: forge.Item{
		N: itemN(string(ai.Number)), Author: ai.User.login(), Bot: ai.User.bot(),
		Created: ai.Created.Time, Updated: ai.Updated.Time,
	}, Ref: string(ai.Number), Comments: ai.Comments}
	for _, l := range ai.Labels {
		if forge.IsBugLabel(l.Name) {
			it.Bug = true
		}
	}
	closed := ai.Closed.ptr()
	if closed == nil {
		closed = ai.Finished.ptr()
	}
	switch strings.ToLower(ai.State) {
	case "open", "opened", "progressing", "reopened":
		closed = nil
	case "closed", "rejected":
		if closed == nil {
			closed = ai.Updated.ptr()
		}
	}
	it.Closed = closed
	return it
}

// pullFrom reads one pull request: state open, closed or merged; a merged
// one is also closed.
func pullFrom(ap apiPull) itemRec {
	n := prNumber(ap.Number)
	it := itemRec{Item: forge.Item{
		N: n, PR: true, Author: ap.User.login(), Bot: ap.User.bot(),
		Created: ap.Created.Time, Updated: ap.Updated.Time,
		Closed: ap.Closed.ptr(), Merged: ap.Merged.ptr(),
	}, Ref: string(ap.Number), Comments: ap.Comments}
	switch strings.ToLower(ap.State) {
	case "open", "opened":
		it.Closed, it.Merged = nil, nil
	case "merged":
		if it.Merged == nil {
			it.Merged = it.Closed
		}
		if it.Merged == nil {
			it.Merged = ap.Updated.ptr()
		}
		if it.Closed == nil {
			it.Closed = it.Merged
		}
	case "closed":
		if it.Closed == nil {
			it.Closed = ap.Updated.ptr()
		}
	}
	return it
}

// comments reads the comments of issues and pull requests opened in 180
// days (GET .../issues/{number}/comments, .../pulls/{number}/comments),
// newest item first. An item's comments are read again only when its
// updated_at moved and nobody had answered it yet (a later comment cannot
// make the first response earlier); an item whose comment count is 0 costs
// nothing. At most maxCommentFetch items per run; the rest wait for the
// next run.
func (r *run) comments(ctx context.Context) error {
	if r.itemsDisabled != "" {
		return nil
	}
	cut := r.now.Add(-windowComments)
	if r.st.Responses == nil {
		r.st.Responses = map[int]respSet{}
	}
	for _, it := range r.st.Items { // newest created first
		if it.Created.Before(cut) {
			continue
		}
		prev, have := r.st.Responses[it.N]
		if have && prev.Updated.Equal(it.Updated) {
			continue
		}
		if have && answered(prev.Responses, it.Author) {
			prev.Updated = it.Updated
			r.st.Responses[it.N] = prev
			continue
		}
		if it.Comments != nil && *it.Comments == 0 {
			r.st.Responses[it.N] = respSet{Updated: it.Updated}
			continue
		}
		if r.commentFetches == maxCommentFetch {
			if it.PR {
				r.commentsSkipped++
			}
			continue
		}
		r.commentFetches++
		rs, err := r.itemComments(ctx, it)
		if err != nil {
			return err
		}
		r.st.Responses[it.N] = respSet{Updated: it.Updated, Responses: rs}
	}
	return nil
}

func answered(rs []forge.Response, author string) bool {
	for _, c := range rs {
		if forge.IsResponse(c, author) {
			return true
		}
	}
	return false
}

func (r *run) itemComments(ctx context.Context, it itemRec) ([]forge.Response, error) {
	kind := "issues"
	if it.PR {
		kind = "pulls"
	}
	var out []forge.Response
	_, err := r.list(ctx, r.endpoint(kind, it.Ref, "comments"), nil, maxCommentPages, func(body []byte) (int, bool, error) {
		var list []apiComment
		if err := json.Unmarshal(body, &list); err != nil {
			return 0, false, err
		}
		for _, ac := range list {
			k := "c"
			if strings.EqualFold(ac.CommentType, "diff_comment") {
				k = "r"
			}
			out = append(out, forge.Response{Kind: k, ID: ac.ID, N: it.N, Login: ac.User.login(), Bot: ac.User.bot(),
				At: ac.Created.Time, Updated: ac.Updated.Time})
		}
		return len(list), false, nil
	})
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusGone {
			return nil, nil // deleted since it was listed
		}
		return nil, err
	}
	return out, nil
}

// responses are the comments kept in the state.
func (r *run) responses() []forge.Response {
	var out []forge.Response
	for _, it := range r.st.Items {
		out = append(out, r.st.Responses[it.N].Responses...)
	}
	return out
}
