package gitlab

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors/forge"
)

// issues reads the project's issues by last update, newest first, back to
// 12 months (a full read) or to the newest update the last run saw.
func (r *run) issues(ctx context.Context) error {
	if r.itemsDisabled != "" {
		r.st.Items, r.st.IssuesTop, r.st.ChangesTop = nil, time.Time{}, time.Time{}
		return nil
	}
	opt := &gl.ListProjectIssuesOptions{State: gl.Ptr("all"), OrderBy: gl.Ptr("updated_at"), Sort: gl.Ptr("desc"),
		ListOptions: gl.ListOptions{PerPage: perPage}}
	list := func(ctx context.Context) ([]forge.Item, *gl.Response, error) {
		is, resp, err := r.c.cl.Issues.ListProjectIssues(r.ref.Path, opt, gl.WithContext(ctx))
		out := make([]forge.Item, 0, len(is))
		for _, i := range is {
			it := forge.Item{N: int(i.IID), Created: ts(i.CreatedAt), Updated: ts(i.UpdatedAt), Closed: tsPtr(i.ClosedAt)}
			if i.Author != nil {
				it.Author = i.Author.Username
				it.Bot = r.isBot(i.Author.Username, i.Author.Name, false)
			}
			for _, l := range i.Labels {
				if forge.IsBugLabel(l) {
					it.Bug = true
				}
			}
			out = append(out, it)
		}
		return out, resp, err
	}
	top, err := r.readItems(ctx, false, r.st.IssuesTop, list, func(p int64) { opt.Page = p })
	if err != nil {
		if s := statusOf(err); s == http.StatusForbidden || s == http.StatusNotFound {
			r.itemsDisabled = "the issues API answered HTTP " + strconv.Itoa(s) + " (issues are disabled or not visible), so neither issues nor merge requests were read"
			r.st.Items, r.st.IssuesTop, r.st.ChangesTop = nil, time.Time{}, time.Time{}
			return nil
		}
		return err
	}
	r.st.IssuesTop = top
	return nil
}

// mergeRequests reads merge requests the same way. Merge requests switched
// off (HTTP 403 or 404) leave none.
func (r *run) mergeRequests(ctx context.Context) error {
	if r.itemsDisabled != "" {
		return nil
	}
	opt := &gl.ListProjectMergeRequestsOptions{State: gl.Ptr("all"), OrderBy: gl.Ptr("updated_at"), Sort: gl.Ptr("desc"),
		ListOptions: gl.ListOptions{PerPage: perPage}}
	list := func(ctx context.Context) ([]forge.Item, *gl.Response, error) {
		ms, resp, err := r.c.cl.MergeRequests.ListProjectMergeRequests(r.ref.Path, opt, gl.WithContext(ctx))
		out := make([]forge.Item, 0, len(ms))
		for _, m := range ms {
			it := forge.Item{N: MergeRequestOffset + int(m.IID), PR: true, Created: ts(m.CreatedAt), Updated: ts(m.UpdatedAt),
				Closed: tsPtr(m.ClosedAt), Merged: tsPtr(m.MergedAt)}
			if m.Author != nil {
				it.Author = m.Author.Username
				it.Bot = r.isBot(m.Author.Username, m.Author.Name, false)
			}
			out = append(out, it)
		}
		return out, resp, err
	}
	top, err := r.readItems(ctx, true, r.st.ChangesTop, list, func(p int64) { opt.Page = p })
	if err != nil {
		if s := statusOf(err); s == http.StatusForbidden || s == http.StatusNotFound {
			r.st.ChangesTop = time.Time{}
			return nil
		}
		return err
	}
	r.st.ChangesTop = top
	return nil
}

// readItems merges one newest-updated-first list (issues, or merge
// requests when pr) into the state and returns the newest update seen.
func (r *run) readItems(ctx context.Context, pr bool, prevTop time.Time,
	list func(context.Context) ([]forge.Item, *gl.Response, error), setPage func(int64)) (time.Time, error) {
	cut := r.now.Add(-forge.Window12m)
	incremental := !r.full && !prevTop.IsZero()
	got := map[int]forge.Item{}
	var others []forge.Item
	for _, it := range r.st.Items {
		switch {
		case it.PR != pr:
			others = append(others, it)
		case incremental:
			got[it.N] = it
		}
	}
	top := prevTop
	if !incremental {
		top = time.Time{}
	}
	for page := 0; ; page++ {
		if page == maxItemPages {
			r.itemsTruncated = true
			break
		}
		items, resp, err := list(ctx)
		if err != nil {
			return top, err
		}
		var oldest time.Time
		for _, it := range items {
			got[it.N] = it
			oldest = it.Updated
			if it.Updated.After(top) {
				top = it.Updated
			}
		}
		next := nextPage(resp)
		if len(items) == 0 || next == 0 || oldest.Before(cut) {
			break
		}
		if incremental && !oldest.After(prevTop) {
			break
		}
		setPage(next)
	}
	r.st.Items = others
	for _, it := range got {
		r.st.Items = append(r.st.Items, it)
	}
	sort.Slice(r.st.Items, func(i, j int) bool { return r.st.Items[i].N > r.st.Items[j].N })
	return top, nil
}

// notes finds the first response on every issue and merge request opened in
// 180 days (what the responsiveness metrics need). An item's notes are read
// oldest first, only until the first note by someone other than its author
// that is neither a bot's nor a system note ("added 1 commit", "changed the
// label"), and read again only when the item was updated since (a new note
// updates it) and no response was found before. At most maxNoteFetches
// items per run, newest first; merge requests left over are counted as
// skipped for the evidence.
func (r *run) notes(ctx context.Context) error {
	if r.itemsDisabled != "" {
		r.st.Notes = nil
		return nil
	}
	if r.st.Notes == nil {
		r.st.Notes = map[int]notesRec{}
	}
	cut := r.now.Add(-forge.Window180)
	todo := make([]forge.Item, 0, len(r.st.Items))
	for _, it := range r.st.Items {
		if !it.Created.Before(cut) {
			todo = append(todo, it)
		}
	}
	sort.SliceStable(todo, func(i, j int) bool { return todo[i].Created.After(todo[j].Created) })
	for _, it := range todo {
		rec, ok := r.st.Notes[it.N]
		if ok && (rec.Updated.Equal(it.Updated) || (rec.First != nil && !r.full)) {
			rec.Updated = it.Updated
			r.st.Notes[it.N] = rec
			continue
		}
		if r.noteFetches == maxNoteFetches {
			if it.PR {
				r.notesSkipped++
			}
			continue
		}
		r.noteFetches++
		first, err := r.firstResponse(ctx, it)
		if err != nil {
			if s := statusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
				continue // deleted or hidden since it was listed
			}
			return err
		}
		r.st.Notes[it.N] = notesRec{Updated: it.Updated, First: first}
	}
	return nil
}

// firstResponse reads an item's notes oldest first until one answers it.
func (r *run) firstResponse(ctx context.Context, it forge.Item) (*forge.Response, error) {
	var page int64
	for i := 0; i < maxNotePages; i++ {
		lo := gl.ListOptions{PerPage: perPage, Page: page}
		var ns []*gl.Note
		var resp *gl.Response
		var err error
		if it.PR {
			ns, resp, err = r.c.cl.Notes.ListMergeRequestNotes(r.ref.Path, int64(it.N-MergeRequestOffset),
				&gl.ListMergeRequestNotesOptions{ListOptions: lo, OrderBy: gl.Ptr("created_at"), Sort: gl.Ptr("asc")}, gl.WithContext(ctx))
		} else {
			ns, resp, err = r.c.cl.Notes.ListIssueNotes(r.ref.Path, int64(it.N),
				&gl.ListIssueNotesOptions{ListOptions: lo, OrderBy: gl.Ptr("created_at"), Sort: gl.Ptr("asc")}, gl.WithContext(ctx))
		}
		if err != nil {
			return nil, err
		}
		var first *forge.Response
		for _, n := range ns {
			if n.System {
				continue // GitLab's own notes are never a response
			}
			kind := "c"
			if n.Type == gl.DiffNote {
				kind = "r"
			}
			c := forge.Response{Kind: kind, ID: n.ID, N: it.N, Login: n.Author.Username,
				Bot: r.isBot(n.Author.Username, n.Author.Name, false), At: ts(n.CreatedAt), Updated: ts(n.UpdatedAt)}
			if !forge.IsResponse(c, it.Author) || c.At.Before(it.Created) {
				continue
			}
			if first == nil || c.At.Before(first.At) {
				first = &c
			}
		}
		if first != nil {
			return first, nil
		}
		page = nextPage(resp)
		if page == 0 {
			break
		}
	}
	return nil, nil
}
