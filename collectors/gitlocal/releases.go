package gitlocal

import (
	"context"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/internal/release"
	"github.com/osgauge/osgauge/models"
)

// hasRelease reports whether any tag names a release (not a pre-release).
func hasRelease(tags []tagRec) bool {
	for _, t := range tags {
		if !release.IsPrerelease(t.name) {
			return true
		}
	}
	return false
}

// oldestCommit is the commit reachable from h.start (HEAD, or where it
// stood as of a past instant) with the oldest committer
// date: where the project's history (or a shallow clone's) begins. The
// 36-month walk already holds it when it did not stop at its bound;
// otherwise the rest of the history is walked.
func oldestCommit(ctx context.Context, repo *git.Repository, h *history, shallow map[plumbing.Hash]bool) (commitRec, error) {
	oldest := h.commits[0]
	for _, c := range h.commits[1:] {
		if c.committed.Before(oldest.committed) {
			oldest = c
		}
	}
	if !h.stopped {
		return oldest, nil
	}
	err := walk(ctx, repo, h.start, shallow, func(c *object.Commit) bool {
		if c.Committer.When.Before(oldest.committed) {
			oldest = commitRec{hash: c.Hash, committed: c.Committer.When, authored: c.Author.When}
		}
		if shallow[c.Hash] {
			h.shallow = true
		}
		return true
	})
	if err != nil {
		return oldest, fmt.Errorf("git log HEAD: %w", err)
	}
	return oldest, nil
}

// releaseObservations records the release tags dated in 12 months and the
// months since the newest release tag. Pre-releases (release.IsPrerelease:
// v1.2.0-rc.1, 2.0.0-beta1, 3.0.0.M2) are not releases and are left out of
// both, and the evidence says how many.
func (h *history) releaseObservations(cut365, now time.Time, obs func(string, float64, string, string) models.Observation) []models.Observation {
	var in []tagRec
	var newest *tagRec
	preIn, preAll := 0, 0
	for i, t := range h.tags {
		pre := release.IsPrerelease(t.name)
		inWindow := !t.when.Before(cut365)
		if pre {
			preAll++
			if inWindow {
				preIn++
			}
			continue
		}
		if inWindow {
			in = append(in, t)
		}
		if newest == nil || t.when.After(newest.when) || (t.when.Equal(newest.when) && t.name > newest.name) {
			newest = &h.tags[i]
		}
	}
	tagEv := fmt.Sprintf("%d of %s dated since %s", len(in), plural(len(h.tags)-preAll, "release tag", "release tags"), day(cut365))
	if len(in) > 0 {
		n := in[0]
		for _, t := range in[1:] {
			if t.when.After(n.when) || (t.when.Equal(n.when) && t.name > n.name) {
				n = t
			}
		}
		tagEv += fmt.Sprintf(" (newest %s %s)", n.name, day(n.when))
	}
	tagEv += fmt.Sprintf("; %s left out (%d of them dated since %s)", plural(preAll, "pre-release tag", "pre-release tags"), preIn, day(cut365))
	out := []models.Observation{obs(MetricTags12m, float64(len(in)), "tags", tagEv)}

	months := func(since time.Time) (float64, string) {
		d := max(0, now.Sub(since).Hours()/24)
		return d / daysPerMonth, fmt.Sprintf("%.1f days ÷ %g", d, daysPerMonth)
	}
	if newest != nil {
		m, arith := months(newest.when)
		out = append(out, obs(MetricMonthsSinceRelease, m, "months",
			fmt.Sprintf("newest release tag %s dated %s (%s; %s left out)", newest.name, newest.when.UTC().Format(time.RFC3339), arith,
				plural(preAll, "pre-release tag", "pre-release tags"))))
		return out
	}
	m, arith := months(h.first.committed)
	ev := fmt.Sprintf("no release or tag since the first commit on %s (%s %s; %s)", day(h.first.committed), short(h.first.hash),
		h.first.committed.UTC().Format(time.RFC3339), arith)
	if preAll > 0 {
		ev = fmt.Sprintf("no release since the first commit on %s, only %s (%s %s; %s)", day(h.first.committed),
			plural(preAll, "pre-release tag", "pre-release tags"), short(h.first.hash), h.first.committed.UTC().Format(time.RFC3339), arith)
	}
	if h.shallow {
		ev += "; shallow clone: the first commit held is the clone's edge, the project is older"
	}
	return append(out, obs(MetricMonthsSinceRelease, m, "months", ev))
}
