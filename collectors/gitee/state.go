package gitee

import (
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/forge"
)

const (
	stateVersion = 1
)

// projectState is what earlier runs saw of one repository, kept in the
// cache so that a run reads only what changed; pruned to the windows.
type projectState struct {
	V      int       `json:"v"`
	FullAt time.Time `json:"full_at"`

	Commits []forge.Commit `json:"commits,omitempty"`
	Items   []itemRec      `json:"items,omitempty"`
	// IssuesTop and PullsTop are the newest updated_at seen in each list:
	// the next run reads its newest-first lists back to them.
	IssuesTop time.Time `json:"issues_top"`
	PullsTop  time.Time `json:"pulls_top"`
	// Responses are each item's comments, as read when the item was last
	// updated at Updated (key: forge.Item.N).
	Responses map[int]respSet `json:"responses,omitempty"`
	// TagDates: tag commit SHA → committer date (Unix).
	TagDates map[string]int64 `json:"tag_dates,omitempty"`
}

// itemRec is an issue or pull request: the forge record, plus the number
// as the API spells it (for the comments URL) and its comment count.
type itemRec struct {
	forge.Item
	Ref      string `json:"ref"`
	Comments *int   `json:"nc,omitempty"`
}

// respSet is an item's comments as read when it was last updated at Updated.
type respSet struct {
	Updated   time.Time        `json:"u"`
	Responses []forge.Response `json:"r,omitempty"`
}

func stateKey(kind, host string, r repoRef) string {
	return "state:" + kind + ":" + host + "/" + r.Owner + "/" + r.Name
}

func userKey(kind, host, login string) string {
	return "state:" + kind + ":" + host + ":user:" + login
}

// issueBase offsets issue numbers in forge.Item.N above every pull request
// number, because both forges number issues apart from pull requests.
const issueBase = 1 << 50

// itemN is an issue's forge.Item.N. Gitee numbers issues with strings such
// as "I5ABCD": read as a base-36 number (stable, and distinct for distinct
// numbers up to 9 characters; Gitee's have 6), offset by issueBase. A
// decimal number (GitCode) is read as such. Anything else (longer, or with
// other characters) is an FNV-1a hash into a range base-36 numbers never
// reach. The API's own spelling is kept beside it (itemRec.Ref).
func itemN(ref string) int {
	ref = strings.TrimSpace(ref)
	if v, err := strconv.ParseInt(ref, 10, 64); err == nil && v >= 0 && v < 1<<47 {
		return issueBase + int(v)
	}
	if len(ref) <= 9 {
		if v, err := strconv.ParseInt(ref, 36, 64); err == nil && v >= 0 { // 36^9 < 2^47
			return issueBase + int(v)
		}
	}
	h := fnv.New64a()
	h.Write([]byte(ref))
	return issueBase + 1<<48 + int(h.Sum64()%(1<<48))
}
