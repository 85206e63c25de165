package gitlab

import (
	"context"
	"net/http"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors/forge"
)

// releases counts releases published in 12 months (released_at, newest
// first as GitLab lists them); an upcoming release (released_at in the
// future) is not published yet and not counted. A project that has never
// published a release is measured by its tags instead.
func (r *run) releases(ctx context.Context) error {
	cut := r.now.Add(-forge.Window12m)
	opt := &gl.ListReleasesOptions{ListOptions: gl.ListOptions{PerPage: perPage}}
	for page := 0; ; page++ {
		if page == maxReleasePages {
			r.releasesTruncated = true
			break
		}
		list, resp, err := r.c.cl.Releases.ListReleases(r.ref.Path, opt, gl.WithContext(ctx))
		if err != nil {
			if s := statusOf(err); s == http.StatusForbidden || s == http.StatusNotFound {
				break // releases not visible (feature off): tags below
			}
			return err
		}
		var oldest time.Time
		for _, rel := range list {
			at := ts(rel.ReleasedAt)
			if at.IsZero() {
				at = ts(rel.CreatedAt)
			}
			if rel.UpcomingRelease || at.After(r.now) {
				continue
			}
			r.releasesTotal++
			if !at.Before(cut) {
				r.releases12m++
			}
			oldest = at
		}
		next := nextPage(resp)
		if len(list) == 0 || next == 0 || (!oldest.IsZero() && oldest.Before(cut)) {
			break
		}
		opt.Page = next
	}
	if r.releasesTotal > 0 {
		return nil
	}
	return r.tags(ctx, cut)
}

// tags counts the tags whose commit was committed in 12 months. GitLab
// lists each tag with its commit, so the date needs no lookup. Only the
// first page (the 100 most recently updated tags) is read.
func (r *run) tags(ctx context.Context, cut time.Time) error {
	r.tagsUsed = true
	if r.commitsEmpty {
		return nil
	}
	list, _, err := r.c.cl.Tags.ListTags(r.ref.Path, &gl.ListTagsOptions{ListOptions: gl.ListOptions{PerPage: perPage}}, gl.WithContext(ctx))
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
			return nil
		}
		return err
	}
	if len(list) >= perPage {
		r.tagsPageLimit = perPage
	}
	for _, tg := range list {
		r.tagsTotal++
		var at time.Time
		if tg.Commit != nil {
			at = ts(tg.Commit.CommittedDate)
			if at.IsZero() {
				at = ts(tg.Commit.CreatedAt)
			}
		}
		if at.IsZero() {
			at = ts(tg.CreatedAt)
		}
		if at.IsZero() {
			r.tagsUndated++
			continue
		}
		if !at.Before(cut) {
			r.tags12m++
		}
	}
	return nil
}
