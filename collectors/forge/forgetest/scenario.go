// Package forgetest describes one repository history in forge-neutral
// terms, so that tests can serve the same history from a fake GitHub, a
// fake GitLab and a fake Gitee (each in its forge's real response shapes)
// and check that every forge collector measures it alike.
package forgetest

import "time"

// Scenario is one repository as a forge would serve it.
type Scenario struct {
	// Path is "owner/name"; on GitLab it may hold subgroups ("group/sub/name").
	Path          string
	DefaultBranch string
	Description   string
	Created       time.Time
	Pushed        time.Time // last push (GitLab: last_activity_at)
	Stars, Forks  int
	Watchers      int
	Archived      bool
	License       string    // SPDX id the forge detected; "" none
	Commits       []Commit  // default branch, newest first
	Issues        []Issue   // newest first
	Changes       []Change  // pull / merge requests, newest first
	Releases      []Release // newest first
	Tags          []Tag     // newest first
	SecurityFile  string    // path of a security policy ("SECURITY.md"), "" none
	Users         []User    // profiles of the commit authors that have accounts
}

// Commit is one default-branch commit. Login is the forge account the
// commit is linked to ("" none).
type Commit struct {
	SHA                 string
	Login, Name, Email  string
	Parents             int // 2 for a merge
	Authored, Committed time.Time
	Message             string
}

// Issue is one issue. N is its number (iid on GitLab).
type Issue struct {
	N                int
	Author           string
	Labels           []string
	Title            string
	Created, Updated time.Time
	Closed           *time.Time
	Comments         []Comment
}

// Change is one pull request (merge request on GitLab). N is its number
// (iid on GitLab).
type Change struct {
	N                int
	Author           string
	Title            string
	Created, Updated time.Time
	Closed, Merged   *time.Time // a merged change is also closed at Merged
	Comments         []Comment
	Reviews          []Comment // approvals / reviews
}

// Comment is one comment (a note on GitLab). System comments are the
// forge's own notes ("added 1 commit", "changed the label"): never a
// response.
type Comment struct {
	ID     int64
	Author string
	At     time.Time
	Body   string
	System bool
}

// Release is one published release. Prerelease is the forge's flag
// (GitHub, Gitee); GitLab has none and serves it without.
type Release struct {
	Tag        string
	Name       string
	Published  time.Time
	Draft      bool
	Prerelease bool
}

// Tag is one tag on a commit.
type Tag struct {
	Name string
	SHA  string
}

// User is an account's public profile.
type User struct {
	Login, Name, Company string
	ID                   int64
}

// Ptr returns a pointer to t (for Closed and Merged).
func Ptr(t time.Time) *time.Time { return &t }
