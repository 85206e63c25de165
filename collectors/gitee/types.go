package gitee

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// The API v5 answers, reduced to the fields the collector reads. Field
// names follow Gitee's documentation (https://gitee.com/api/v5/swagger);
// GitCode mirrors them.

// when is a time the API may give as RFC 3339 ("2020-05-25T20:01:39+08:00"),
// as "2006-01-02 15:04:05", as "" or null. An unreadable time is zero (the
// item then lacks the date rather than failing the whole list).
type when struct{ time.Time }

func (w *when) UnmarshalJSON(b []byte) error {
	w.Time = time.Time{}
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			w.Time = t.UTC()
			return nil
		}
	}
	return nil
}

// ptr is the time as a pointer, nil when zero.
func (w when) ptr() *time.Time {
	if w.IsZero() {
		return nil
	}
	t := w.Time
	return &t
}

// number is an issue or pull-request number, which Gitee gives as a string
// for issues ("I5ABCD") and as an integer for pull requests, and GitCode
// may give either way.
type number string

func (n *number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*n = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*n = number(strings.TrimSpace(s))
		return nil
	}
	var f json.Number
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*n = number(f.String())
	return nil
}

// apiUser is a user as lists embed it, or a profile (GET /users/{login}).
type apiUser struct {
	Login   string `json:"login"`
	Name    string `json:"name"`
	Type    string `json:"type"`
	Company string `json:"company"` // not documented by Gitee: "" when absent
}

// bot reports whether an account is a bot: type Bot or a login ending in
// "[bot]" (Gitee has no bot account type that we know of; the rule is
// GitHub's and harmless).
func (u *apiUser) bot() bool {
	if u == nil {
		return false
	}
	return strings.EqualFold(u.Type, "Bot") || strings.HasSuffix(strings.ToLower(u.Login), "[bot]")
}

func (u *apiUser) login() string {
	if u == nil {
		return ""
	}
	return u.Login
}

// apiRepo is GET /repos/{owner}/{repo}.
type apiRepo struct {
	FullName      string          `json:"full_name"`
	HTMLURL       string          `json:"html_url"`
	DefaultBranch string          `json:"default_branch"`
	Stars         int             `json:"stargazers_count"`
	Forks         int             `json:"forks_count"`
	Watchers      *int            `json:"watchers_count"`
	OpenIssues    *int            `json:"open_issues_count"`
	Archived      *bool           `json:"archived"` // not in Gitee's documentation; read when given
	Status        string          `json:"status"`   // Gitee: the repository's state ("开始" = active)
	Fork          bool            `json:"fork"`
	License       json.RawMessage `json:"license"` // Gitee: a string ("MIT"); an object elsewhere
	Homepage      string          `json:"homepage"`
	HasIssues     *bool           `json:"has_issues"`
	Created       when            `json:"created_at"`
	Pushed        when            `json:"pushed_at"`
	Owner         *apiUser        `json:"owner"`
	Namespace     *struct {
		Type string `json:"type"` // personal, group, enterprise
		Path string `json:"path"`
	} `json:"namespace"`
}

// apiCommit is one entry of GET /repos/{owner}/{repo}/commits.
type apiCommit struct {
	SHA    string `json:"sha"`
	Commit struct {
		Author struct {
			Name  string `json:"name"`
			Email string `json:"email"`
			Date  when   `json:"date"`
		} `json:"author"`
		Committer struct {
			Date when `json:"date"`
		} `json:"committer"`
	} `json:"commit"`
	Author  *apiUser `json:"author"`
	Parents []struct {
		SHA string `json:"sha"`
	} `json:"parents"`
}

type apiLabel struct {
	Name string `json:"name"`
}

// apiIssue is one entry of GET /repos/{owner}/{repo}/issues. Gitee's
// states are open, progressing, closed and rejected; it records the close
// in finished_at.
type apiIssue struct {
	Number   number     `json:"number"`
	State    string     `json:"state"`
	User     *apiUser   `json:"user"`
	Labels   []apiLabel `json:"labels"`
	Created  when       `json:"created_at"`
	Updated  when       `json:"updated_at"`
	Finished when       `json:"finished_at"`
	Closed   when       `json:"closed_at"`
	Comments *int       `json:"comments"` // the comment count
}

// apiPull is one entry of GET /repos/{owner}/{repo}/pulls.
type apiPull struct {
	Number   number   `json:"number"`
	State    string   `json:"state"` // open, closed, merged
	User     *apiUser `json:"user"`
	Created  when     `json:"created_at"`
	Updated  when     `json:"updated_at"`
	Closed   when     `json:"closed_at"`
	Merged   when     `json:"merged_at"`
	Comments *int     `json:"comments"` // not documented for pulls; used when given
}

// apiComment is one comment of an issue or a pull request (Gitee's pull
// request comments hold both diff comments, comment_type "diff_comment",
// and general ones).
type apiComment struct {
	ID          int64    `json:"id"`
	User        *apiUser `json:"user"`
	Created     when     `json:"created_at"`
	Updated     when     `json:"updated_at"`
	CommentType string   `json:"comment_type"`
}

// apiRelease is one entry of GET /repos/{owner}/{repo}/releases.
type apiRelease struct {
	TagName    string `json:"tag_name"`
	Name       string `json:"name"`
	Prerelease bool   `json:"prerelease"`
	Created    when   `json:"created_at"`
}

// apiTag is one entry of GET /repos/{owner}/{repo}/tags.
type apiTag struct {
	Name   string `json:"name"`
	Commit struct {
		SHA  string `json:"sha"`
		Date when   `json:"date"`
	} `json:"commit"`
}

// apiTree is GET /repos/{owner}/{repo}/git/trees/{sha}.
type apiTree struct {
	SHA  string `json:"sha"`
	Tree []struct {
		Path string `json:"path"`
		Type string `json:"type"` // blob, tree
		SHA  string `json:"sha"`
	} `json:"tree"`
}

// licenseSPDX reads the licence the forge detected: Gitee's string
// ("MIT", "Apache-2.0", "Apache License 2.0", "木兰宽松许可证, 第2版") or an
// object with spdx_id / key / name. A common licence is mapped to its SPDX
// id; another string that looks like an SPDX id is kept as given; anything
// else is "" (not known).
func licenseSPDX(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var o struct {
			SPDX string `json:"spdx_id"`
			Key  string `json:"key"`
			Name string `json:"name"`
		}
		if json.Unmarshal(raw, &o) != nil {
			return ""
		}
		s = o.SPDX
		if s == "" || strings.EqualFold(s, "NOASSERTION") {
			s = o.Key
		}
		if s == "" {
			s = o.Name
		}
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	key := strings.ToLower(strings.NewReplacer(" ", "", "_", "-", "v", "").Replace(s))
	if id, ok := spdxAliases[key]; ok {
		return id
	}
	for _, id := range spdxKnown {
		if strings.EqualFold(id, s) {
			return id
		}
	}
	if spdxLike(s) {
		return s
	}
	return ""
}

var spdxKnown = []string{
	"MIT", "Apache-2.0", "GPL-2.0", "GPL-3.0", "LGPL-2.1", "LGPL-3.0", "AGPL-3.0", "BSD-2-Clause", "BSD-3-Clause",
	"MPL-2.0", "EPL-1.0", "EPL-2.0", "MulanPSL-1.0", "MulanPSL-2.0", "MulanPubL-2.0", "Unlicense", "CC0-1.0", "WTFPL",
	"ISC", "Zlib", "BSL-1.0", "Artistic-2.0", "0BSD", "GPL-2.0-only", "GPL-3.0-only", "GPL-2.0-or-later",
	"GPL-3.0-or-later", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "AGPL-3.0-only",
	"AGPL-3.0-or-later", "CC-BY-4.0", "CC-BY-SA-4.0",
}

// spdxAliases are licence names as forges spell them, lower case, without
// spaces, "_" as "-" and "v" dropped (so "GPLv3" is "gpl3").
var spdxAliases = map[string]string{
	"apache2": "Apache-2.0", "apache-2": "Apache-2.0", "apachelicense2.0": "Apache-2.0", "apachelicense2": "Apache-2.0",
	"apache2.0": "Apache-2.0", "apache-2.0": "Apache-2.0", "mitlicense": "MIT", "mit": "MIT",
	"gpl3": "GPL-3.0", "gpl-3": "GPL-3.0", "gpl3.0": "GPL-3.0", "gpl-3.0": "GPL-3.0", "gpl2": "GPL-2.0", "gpl-2": "GPL-2.0", "gpl2.0": "GPL-2.0", "gpl-2.0": "GPL-2.0",
	"lgpl3": "LGPL-3.0", "lgpl-3.0": "LGPL-3.0", "lgpl2.1": "LGPL-2.1", "lgpl-2.1": "LGPL-2.1",
	"agpl3": "AGPL-3.0", "agpl-3.0": "AGPL-3.0", "bsd": "BSD-3-Clause", "bsd3": "BSD-3-Clause", "bsd-3": "BSD-3-Clause", "bsd-3-clause": "BSD-3-Clause",
	"bsd2": "BSD-2-Clause", "bsd-2": "BSD-2-Clause", "bsd-2-clause": "BSD-2-Clause", "mpl2.0": "MPL-2.0", "mpl-2.0": "MPL-2.0",
	"epl2.0": "EPL-2.0", "epl-2.0": "EPL-2.0", "epl1.0": "EPL-1.0", "epl-1.0": "EPL-1.0",
	"mulanpsl2": "MulanPSL-2.0", "mulanpsl-2.0": "MulanPSL-2.0", "mulanpsl2.0": "MulanPSL-2.0", "mulanpsl-2": "MulanPSL-2.0",
	"mulanpsl1": "MulanPSL-1.0", "mulanpsl-1.0": "MulanPSL-1.0", "mulanpsl1.0": "MulanPSL-1.0",
	"木兰宽松许可证,第2版": "MulanPSL-2.0", "木兰宽松许可证,第1版": "MulanPSL-1.0", "木兰宽松许可证第2版": "MulanPSL-2.0",
	"unlicense": "Unlicense", "theunlicense": "Unlicense", "cc0": "CC0-1.0", "cc0-1.0": "CC0-1.0", "wtfpl": "WTFPL",
}

// spdxLike reports whether s could be an SPDX identifier: letters, digits,
// ".", "-" and "+", starting with a letter.
func spdxLike(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case (r >= '0' && r <= '9') || r == '.' || r == '-' || r == '+':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// prNumber is a pull request's number as an int (0 if unreadable).
func prNumber(n number) int {
	v, err := strconv.Atoi(string(n))
	if err != nil || v < 0 {
		return 0
	}
	return v
}
