package gitee

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/osgauge/osgauge/collectors/forge"
)

// securityDirs are the directories besides the root a security policy is
// looked for in: Gitee's own .gitee/, docs/, and .github/ (projects
// mirrored from GitHub keep it there).
var securityDirs = map[string]bool{".gitee": true, ".github": true, "docs": true}

const securitySearched = "the root, .gitee/, .github/ or docs/"

// securityPolicyFile looks for SECURITY.* by listing the default branch's
// root tree (GET .../git/trees/{branch}) and the trees of .gitee/, .github/
// and docs/ (GET .../git/trees/{sha}): conditional requests, so a refresh
// costs 304s, and a changed directory has a new URL.
func (r *run) securityPolicyFile(ctx context.Context) error {
	branch := r.repo.DefaultBranch
	if branch == "" || r.commitsEmpty {
		r.securityReason = "the repository has no commits, so no files"
		return nil
	}
	var root apiTree
	if err := r.getJSON(ctx, r.endpoint("git", "trees", branch), nil, &root); err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusForbidden || s == http.StatusConflict {
			r.securityReason = fmt.Sprintf("repository files not readable (HTTP %d from the %s trees API)", s, r.c.forgeName)
			return nil
		}
		return err
	}
	found := false
	var dirs []struct{ name, sha string }
	for _, e := range root.Tree {
		switch {
		case e.Type == "blob" && forge.IsSecurityPolicy(e.Path):
			if !found {
				found, r.securityPath = true, e.Path
			}
		case e.Type == "tree" && securityDirs[strings.ToLower(e.Path)] && e.SHA != "":
			dirs = append(dirs, struct{ name, sha string }{e.Path, e.SHA})
		}
	}
	sort.Slice(dirs, func(i, j int) bool { return dirs[i].name < dirs[j].name })
	for _, d := range dirs {
		if found {
			break
		}
		var t apiTree
		if err := r.getJSON(ctx, r.endpoint("git", "trees", d.sha), nil, &t); err != nil {
			if statusOf(err) == http.StatusNotFound {
				continue
			}
			return err
		}
		for _, e := range t.Tree {
			if e.Type == "blob" && forge.IsSecurityPolicy(path.Base(e.Path)) {
				found, r.securityPath = true, path.Join(d.name, path.Base(e.Path))
				break
			}
		}
	}
	r.securityPolicy = &found
	return nil
}
