package github

import (
	"time"
)

const (
	// stateVersion 2: commits record whether they merge (earlier states
	// did not, so they are read again in full).
	stateVersion = 2
	// fullEvery is how often the lists are read in full again, so that
	// deleted items, force-pushed commits and commits merged in with old
	// dates do not linger or stay missing.
	fullEvery = 30 * 24 * time.Hour
	// userTTL is how long a fetched user profile (company) is reused.
	userTTL = 30 * 24 * time.Hour
)

// projectState is what earlier runs saw of one repository, kept in the cache
// so that a run reads only what changed. Everything in it is pruned to the
// windows before it is saved.
type projectState struct {
	V      int       `json:"v"`
	FullAt time.Time `json:"full_at"` // last time the lists were read in full

	Commits []commitRec `json:"commits,omitempty"`
	Items   []itemRec   `json:"items,omitempty"` // issues and pull requests
	// ItemsTop, CommentsTop and ReviewCommentsTop are the newest updated_at
	// seen: the next run reads its newest-first lists back to them.
	ItemsTop          time.Time         `json:"items_top"`
	Comments          []respRec         `json:"comments,omitempty"` // issue comments ("c") and review comments ("r")
	CommentsTop       time.Time         `json:"comments_top"`
	ReviewCommentsTop time.Time         `json:"review_comments_top"`
	Reviews           map[int]reviewRec `json:"reviews,omitempty"`   // pull request number → its reviews
	TagDates          map[string]int64  `json:"tag_dates,omitempty"` // tag commit SHA → committer date (Unix)
}

// commitRec is what the metrics need of one default-branch commit.
type commitRec struct {
	SHA       string    `json:"sha"`
	Login     string    `json:"login,omitempty"` // the GitHub account the commit is linked to
	Bot       bool      `json:"bot,omitempty"`
	Name      string    `json:"name,omitempty"`
	Email     string    `json:"email,omitempty"`
	Merge     bool      `json:"merge,omitempty"` // more than one parent
	Authored  time.Time `json:"a"`
	Committed time.Time `json:"c"`
}

// itemRec is one issue or pull request.
type itemRec struct {
	N       int        `json:"n"`
	PR      bool       `json:"pr,omitempty"`
	Author  string     `json:"author,omitempty"`
	Bot     bool       `json:"bot,omitempty"`
	Bug     bool       `json:"bug,omitempty"`
	Created time.Time  `json:"created"`
	Updated time.Time  `json:"updated"`
	Closed  *time.Time `json:"closed,omitempty"`
	Merged  *time.Time `json:"merged,omitempty"`
}

// respRec is one response on an issue or pull request: a comment, a review
// comment or a review.
type respRec struct {
	Kind    string    `json:"k"` // "c" issue comment, "r" review comment, "v" review
	ID      int64     `json:"id"`
	N       int       `json:"n"`
	Login   string    `json:"login,omitempty"`
	Bot     bool      `json:"bot,omitempty"`
	At      time.Time `json:"at"`
	Updated time.Time `json:"u,omitzero"`
}

// reviewRec is the reviews of a pull request as read when the pull request
// was last updated at PRUpdated.
type reviewRec struct {
	PRUpdated time.Time `json:"pr_updated"`
	Reviews   []respRec `json:"reviews,omitempty"`
}

// userRec is the part of a user profile organisations come from.
type userRec struct {
	Login   string    `json:"login"`
	Name    string    `json:"name,omitempty"`
	Company string    `json:"company,omitempty"`
	Missing bool      `json:"missing,omitempty"` // 404: deleted or renamed
	At      time.Time `json:"at"`
}

func stateKey(host string, r repoRef) string {
	return "state:github:" + host + "/" + r.Owner + "/" + r.Name
}

func userKey(host, login string) string { return "state:github:" + host + ":user:" + login }
