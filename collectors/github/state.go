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

	// Read by GraphQL (Via "graphql"): what a refresh whose check finds
	// nothing moved reuses. A state of the other path is not used: a
	// REST state is refreshed by REST until its next full read, then read
	// by GraphQL; a GraphQL state found by a REST run is read in full.
	Via              string             `json:"via,omitempty"`
	Heads            string             `json:"heads,omitempty"`
	Rels             []relRec           `json:"rels,omitempty"` // releases read, newest first
	RelsTruncated    bool               `json:"rels_truncated,omitempty"`
	Tags             []relRec           `json:"tags,omitempty"` // tags dated by their commit (no releases)
	TagsUndated      int                `json:"tags_undated,omitempty"`
	Users            map[string]userRec `json:"users,omitempty"`
	Security         *bool              `json:"security,omitempty"`
	SecurityPath     string             `json:"security_path,omitempty"`
	SecurityReason   string             `json:"security_reason,omitempty"`
	CommitsEmpty     bool               `json:"commits_empty,omitempty"`
	CommitsTruncated bool               `json:"commits_truncated,omitempty"`
	ItemsTruncated   bool               `json:"items_truncated,omitempty"`
	ItemsGone        bool               `json:"items_gone,omitempty"`
}

// relRec is one release or tag: its name, date and whether the forge
// flags it a pre-release.
type relRec struct {
	Name string    `json:"name"`
	At   time.Time `json:"at"`
	Pre  bool      `json:"pre,omitempty"`
}

const viaGraphQL = "graphql"

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
