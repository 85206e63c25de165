package gitee

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/osgauge/osgauge/internal/release"
)

// releases counts releases created in 12 months (GET .../releases; Gitee
// has no drafts in the list and no published_at: created_at dates a
// release). Pre-releases (the prerelease flag, or a name that reads as one:
// release.IsPrerelease) are counted apart, as on GitHub. The list's order is not
// relied on: every page is read, up to maxReleasePages. A repository that
// has never published a release is measured by its tags instead.
func (r *run) releases(ctx context.Context) error {
	cut := r.now.Add(-windowMembership)
	truncated, err := r.list(ctx, r.endpoint("releases"), nil, maxReleasePages, func(body []byte) (int, bool, error) {
		var list []apiRelease
		if err := json.Unmarshal(body, &list); err != nil {
			return 0, false, err
		}
		for _, rel := range list {
			if rel.Created.IsZero() {
				r.rel.Total++ // undated: neither in the window nor the newest
				continue
			}
			r.rel.Count(rel.TagName, rel.Created.Time, rel.Prerelease || release.IsPrerelease(rel.Name), cut)
		}
		return len(list), false, nil
	})
	if err != nil {
		if s := statusOf(err); s != http.StatusNotFound {
			return err
		}
	}
	r.releasesTruncated = truncated
	if r.rel.Total > 0 {
		return nil
	}
	return r.tags(ctx, cut)
}

// tags counts tags (the first page: the API's first 100) whose commit is
// dated in 12 months: by the tag's commit.date when the API gives it, else
// by the default-branch commits already read, else by a date kept from an
// earlier run, else looked up (GET .../commits/{sha}, at most maxTagLookups
// per run; commits never change, so a date is kept for good).
func (r *run) tags(ctx context.Context, cut time.Time) error {
	r.tagsUsed = true
	var list []apiTag
	truncated, err := r.list(ctx, r.endpoint("tags"), nil, 1, func(body []byte) (int, bool, error) {
		if err := json.Unmarshal(body, &list); err != nil {
			return 0, false, err
		}
		return len(list), false, nil
	})
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusConflict {
			return nil
		}
		return err
	}
	if truncated {
		r.tagsPageLimit = perPage
	}
	dates := map[string]time.Time{}
	for _, c := range r.st.Commits {
		dates[c.SHA] = c.Committed
	}
	keep := map[string]int64{}
	lookups := 0
	for _, tg := range list {
		sha := tg.Commit.SHA
		if sha == "" {
			continue
		}
		at, ok := tg.Commit.Date.Time, !tg.Commit.Date.IsZero()
		if !ok {
			at, ok = dates[sha]
		}
		if !ok {
			if u, ok2 := r.st.TagDates[sha]; ok2 {
				at, ok = time.Unix(u, 0).UTC(), true
			}
		}
		if !ok && lookups < maxTagLookups {
			lookups++
			var ac apiCommit
			if err := r.getJSON(ctx, r.endpoint("commits", sha), nil, &ac); err != nil {
				if statusOf(err) != http.StatusNotFound {
					return err
				}
			} else if c := commitFrom(ac); !c.Committed.IsZero() {
				at, ok = c.Committed, true
			}
		}
		if !ok {
			r.tagRel.Total++
			r.tagsUndated++
			continue
		}
		keep[sha] = at.Unix()
		r.tagRel.Count(tg.Name, at, false, cut)
	}
	r.st.TagDates = keep
	return nil
}
