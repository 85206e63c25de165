package gitlab

import (
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

const (
	// stateVersion changes when the state's meaning does; an older state
	// is dropped and the project read in full.
	stateVersion = 1
)

// projectState is what earlier runs saw of one project, kept in the cache
// so that a run reads only what changed. It is pruned to the windows before
// it is saved.
type projectState struct {
	V      int       `json:"v"`
	FullAt time.Time `json:"full_at"`

	Commits []forge.Commit `json:"commits,omitempty"`
	// Items are issues and merge requests (N as forge.Item documents);
	// IssuesTop and ChangesTop are the newest updated_at seen of each list:
	// the next run reads its newest-first list back to them.
	Items      []forge.Item `json:"items,omitempty"`
	IssuesTop  time.Time    `json:"issues_top"`
	ChangesTop time.Time    `json:"changes_top"`
	// Notes are, per item N, what its notes said when it was last updated
	// at Updated.
	Notes map[int]notesRec `json:"notes,omitempty"`
}

// notesRec is the first response on an item, as read when the item was
// last updated at Updated. Notes are read oldest first and only until the
// first note that answers (by someone other than the author, not a bot,
// not a system note), so First is that note or nil when none did.
type notesRec struct {
	Updated time.Time       `json:"updated"`
	First   *forge.Response `json:"first,omitempty"`
}

// stateKey is where a project's state is kept. It holds the web host and
// the project path, never the token.
func stateKey(host string, r projectRef) string {
	return "state:gitlab:" + host + "/" + r.Path
}
