// Package forge is what every forge collector (GitHub, GitLab, Gitee,
// GitCode) shares: one vocabulary of platform-neutral metrics, the History
// a collector reads from its forge's API, the one computation that turns a
// History into observations, and the conditional, rate-limit-aware HTTP
// transport. A collector only reads its API into a History; so the same
// project history served by any forge gives the same metrics, and the
// models never depend on where a project is hosted.
package forge

import (
	"context"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/internal/release"
)

// Windows measured back from the collection time: 52 weeks for commit
// frequency, 12 months for authors, organisations, releases and merged
// change requests, 180 days for issues and change requests.
const (
	Day       = 24 * time.Hour
	Window52w = 52 * 7 * Day
	Window12m = 365 * Day
	Window180 = 180 * Day
)

// Commit is one default-branch commit. Its JSON names are those the GitHub
// collector has kept in its state since state version 2.
type Commit struct {
	SHA       string    `json:"sha"`
	Login     string    `json:"login,omitempty"` // the forge account the commit is linked to
	Bot       bool      `json:"bot,omitempty"`   // the forge says the account is a bot
	Name      string    `json:"name,omitempty"`
	Email     string    `json:"email,omitempty"`
	Merge     bool      `json:"merge,omitempty"` // more than one parent
	Authored  time.Time `json:"a"`
	Committed time.Time `json:"c"`
}

// Item is one issue or change request (pull request, merge request). N is
// unique across both kinds within a History: forges that number merge
// requests apart from issues (GitLab) offset one of them.
type Item struct {
	N       int        `json:"n"`
	PR      bool       `json:"pr,omitempty"` // a change request
	Author  string     `json:"author,omitempty"`
	Bot     bool       `json:"bot,omitempty"`
	Bug     bool       `json:"bug,omitempty"`
	Created time.Time  `json:"created"`
	Updated time.Time  `json:"updated"`
	Closed  *time.Time `json:"closed,omitempty"`
	Merged  *time.Time `json:"merged,omitempty"`
}

// Response is one answer on an issue or change request: a comment, a diff
// comment or a review. System notes (GitLab's "changed the label") are not
// responses and are never recorded.
type Response struct {
	Kind    string    `json:"k"` // "c" comment, "r" diff comment, "v" review
	ID      int64     `json:"id"`
	N       int       `json:"n"` // the Item it answers
	Login   string    `json:"login,omitempty"`
	Bot     bool      `json:"bot,omitempty"`
	At      time.Time `json:"at"`
	Updated time.Time `json:"u,omitzero"`
}

// User is the part of a forge profile organisations come from.
type User struct {
	Login   string    `json:"login"`
	Name    string    `json:"name,omitempty"`
	Company string    `json:"company,omitempty"`
	Missing bool      `json:"missing,omitempty"` // 404: deleted or renamed
	At      time.Time `json:"at"`
}

// Repo is a repository's metadata. Pointers are nil when the forge does not
// give the figure.
type Repo struct {
	Archived, Fork, Disabled bool
	Stars, Forks             int
	Watchers                 *int
	OpenIssues               *int
	OpenIssuesNote           string // what the count includes, for evidence
	LicenseSPDX              string // as the forge detected it; "" none
	DefaultBranch            string
	OwnerType, OwnerLogin    string
	Topics                   []string
	Homepage                 string
	Created                  time.Time
	// Pushed is the last push (GitHub pushed_at, GitLab last_activity_at,
	// Gitee pushed_at); PushedField names the field for evidence.
	Pushed      time.Time
	PushedField string
}

// Releases is what the forge says of releases, or of tags when the project
// publishes no releases. Pre-releases (the forge's flag, or a name
// release.IsPrerelease reads as one: v1.2.0-rc.1, 2.0.0-beta1) are not
// releases: Count leaves them out of In12m and Newest and counts them
// apart.
type Releases struct {
	In12m, Total int       // releases dated in 12 months; everything read, pre-releases included
	Pre12m, Pre  int       // pre-releases dated in 12 months, and read in all: left out
	Newest       time.Time // the newest release read (zero: none)
	NewestName   string
	Truncated    bool // only the newest pages were read
	ReadLimit    int  // how many were read when Truncated
	// TagsUsed: no releases published, so tags dated by their commit are
	// counted instead.
	TagsUsed      bool
	TagsUndated   int
	TagsPageLimit int // > 0: only the first TagsPageLimit tags were read
}

// Count adds one dated release (or tag) named name; flagged says the forge
// marks it a pre-release. cut is the start of the 12-month window.
func (r *Releases) Count(name string, at time.Time, flagged bool, cut time.Time) {
	r.Total++
	if flagged || release.IsPrerelease(name) {
		r.Pre++
		if !at.Before(cut) {
			r.Pre12m++
		}
		return
	}
	if !at.Before(cut) {
		r.In12m++
	}
	if r.NewestName == "" || at.After(r.Newest) || (at.Equal(r.Newest) && name > r.NewestName) {
		r.Newest, r.NewestName = at, name
	}
}

// Links are the web pages (and API URLs) evidence points a reader to. Each
// forge collector fills them for its URL scheme; the window start is
// already in the filtered lists' URLs.
type Links struct {
	Repo                     string // the project's web page
	Commits                  string // default-branch history
	Stars, Forks, Watchers   string
	Releases, Tags           string
	Issues, IssuesClosed     string // issues opened / closed in 180 days
	Changes                  string // change requests opened in 180 days
	Bugs                     string // bug-labelled issues opened in 180 days
	SecurityFile, Advisories string
	API                      string // the repository's API URL
}

// History is everything a forge collector read of one repository, in
// platform-neutral form. Observations turns it into metrics.
type History struct {
	Source     string // the observation source: github, gitlab, gitee, gitcode
	Forge      string // the forge's name in evidence: GitHub, GitLab, Gitee, GitCode
	ChangeNoun string // "pull request" or "merge request"
	Links      Links
	Now        time.Time
	Identities *affiliation.Identities // nil: the built-in rules

	Repo Repo

	Commits          []Commit // default branch, newest first
	CommitsEmpty     bool     // the repository has no commits
	CommitsTruncated bool
	CommitLimit      int // commits read when truncated

	Items          []Item
	ItemsTruncated bool
	ItemLimit      int    // items read when truncated
	ItemsDisabled  string // non-empty: issues are off, and why (neither issues nor change requests were read)
	Responses      []Response
	ReviewsSkipped int // change requests whose reviews were not read this run

	// Users are the profiles read, by login; ProfilesRead says how many top
	// authors' profiles were asked for (for evidence).
	Users        map[string]User
	ProfilesRead int

	Releases Releases

	SecurityPolicy   *bool // nil: not known (SecurityReason says why)
	SecurityPath     string
	SecurityReason   string // why SecurityPolicy is nil
	SecuritySearched string // where it was looked for, e.g. "the root, .github/ and docs/"
	Advisories       *int   // nil: not offered or not visible (AdvisoriesReason)
	AdvisoriesReason string
}

// KeepCommits keeps, in place, the commits authored or committed since cut
// (what a collector's state needs for its windows).
func KeepCommits(cs []Commit, cut time.Time) []Commit {
	out := cs[:0]
	for _, c := range cs {
		if !c.Committed.Before(cut) || !c.Authored.Before(cut) {
			out = append(out, c)
		}
	}
	return out
}

// ActiveSince reports whether the item was opened, closed or merged since
// cut.
func (it Item) ActiveSince(cut time.Time) bool {
	return !it.Created.Before(cut) || (it.Closed != nil && !it.Closed.Before(cut)) || (it.Merged != nil && !it.Merged.Before(cut))
}

// KeepItems keeps, in place, the issues and change requests active since
// cut (what a collector's state needs for its windows).
func KeepItems(items []Item, cut time.Time) []Item {
	out := items[:0]
	for _, it := range items {
		if it.ActiveSince(cut) {
			out = append(out, it)
		}
	}
	return out
}

// Step is one API area a collector reads (commits, issues, …), named for
// the error when it fails.
type Step struct {
	What string
	Do   func(context.Context) error
}

// RunSteps runs the steps in order and stops at the first that fails,
// its error put in words by explain (what failed, and why in the forge's
// terms).
func RunSteps(ctx context.Context, steps []Step, explain func(what string, err error) error) error {
	for _, s := range steps {
		if err := s.Do(ctx); err != nil {
			return explain(s.What, err)
		}
	}
	return nil
}

// NoHistory is why a forge collector does not collect as of a past date:
// the repository's metadata (stars, forks, watchers, the archived flag,
// topics) is what it is now, and the collectors read their commit, issue
// and change-request lists incrementally for windows that end today. The
// forge's activity, release and licence figures as of a date come from a
// clone's history (gitlocal).
func NoHistory(asOf time.Time) string {
	return "stars, forks and the archived flag have no history, and the commit, issue and change-request lists are read for windows ending today; skipped as of " +
		collectors.AsOfDay(asOf) + " (gitlocal computes activity, releases and licence changes from a clone's history)"
}
