package gitlab

import (
	"context"
	"net/http"
	"time"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/internal/release"
)

// releases counts releases published in 12 months (released_at, newest
// first as GitLab lists them); an upcoming release (released_at in the
// future) is not published yet and not counted. GitLab has no pre-release
// flag: a tag or release name that reads as one (release.IsPrerelease) is
// counted apart. A project that has never published a release is measured
// by its tags instead.
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
			r.rel.Count(rel.TagName, at, release.IsPrerelease(rel.Name), cut)
			oldest = at
		}
		next := nextPage(resp)
		// Past the window, read on until a release (not a pre-release)
		// dates the newest one.
		if len(list) == 0 || next == 0 || (!oldest.IsZero() && oldest.Before(cut) && !r.rel.Newest.IsZero()) {
			break
		}
		opt.Page = next
	}
	if r.rel.Total > 0 {
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
			r.tagRel.Total++
			r.tagsUndated++
			continue
		}
		r.tagRel.Count(tg.Name, at, false, cut)
	}
	return nil
}
