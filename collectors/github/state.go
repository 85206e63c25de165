package github

import (
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

const (
	// stateVersion 2: commits record whether they merge (earlier states
	// did not, so they are read again in full).
	stateVersion = 2
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

// The records are the forge vocabulary's (same JSON names as before).
type (
	commitRec = forge.Commit
	itemRec   = forge.Item
	respRec   = forge.Response
	userRec   = forge.User
)

// reviewRec is the reviews of a pull request as read when the pull request
// was last updated at PRUpdated.
type reviewRec struct {
	PRUpdated time.Time `json:"pr_updated"`
	Reviews   []respRec `json:"reviews,omitempty"`
}

func stateKey(host string, r repoRef) string {
	return "state:github:" + host + "/" + r.Owner + "/" + r.Name
}

func userKey(host, login string) string { return "state:github:" + host + ":user:" + login }
