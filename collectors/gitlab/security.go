package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"path"
	"sort"

	gl "gitlab.com/gitlab-org/api/client-go"

	"github.com/osgauge/osgauge/collectors/forge"
)

// securityPolicyFile looks for SECURITY.* in the repository root, .gitlab/
// and docs/ of the default branch, by listing those directories (stable
// URLs, so a refresh costs 304s).
func (r *run) securityPolicyFile(ctx context.Context) error {
	if r.commitsEmpty {
		r.securityReason = "the repository has no commits"
		return nil
	}
	branch := r.proj.DefaultBranch
	var dirs []string
	found := func(dir string) (bool, error) {
		opt := &gl.ListTreeOptions{Ref: gl.Ptr(branch), ListOptions: gl.ListOptions{PerPage: perPage}}
		if dir != "" {
			opt.Path = gl.Ptr(dir)
		}
		for page := 0; page < maxTreePages; page++ {
			entries, resp, err := r.c.cl.Repositories.ListTree(r.ref.Path, opt, gl.WithContext(ctx))
			if err != nil {
				return false, err
			}
			for _, e := range entries {
				if e.Type == "tree" && dir == "" && (e.Name == ".gitlab" || e.Name == "docs") {
					dirs = append(dirs, e.Name)
					continue
				}
				if e.Type == "blob" && forge.IsSecurityPolicy(e.Name) {
					r.securityPath = path.Join(dir, e.Name)
					return true, nil
				}
			}
			next := nextPage(resp)
			if next == 0 {
				break
			}
			opt.Page = next
		}
		return false, nil
	}
	ok, err := found("")
	if err != nil {
		if s := statusOf(err); s == http.StatusNotFound || s == http.StatusForbidden {
			r.securityReason = fmt.Sprintf("repository files not readable (HTTP %d; an empty repository has none)", s)
			return nil
		}
		return err
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		if ok {
			break
		}
		if ok, err = found(d); err != nil {
			if statusOf(err) == http.StatusNotFound {
				ok = false
				continue
			}
			return err
		}
	}
	r.securityPolicy = &ok
	return nil
}
