package clones

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	git "github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/transport"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
)

// goGitPrepare clones or fetches with go-git, for machines without the
// git program: a full clone of the default branch with every tag (go-git
// has no partial clone), the working tree reset to the fetched tip.
func goGitPrepare(ctx context.Context, dir, rawURL string, cred credential, exists bool) (opInfo, error) {
	var info opInfo
	var auth transport.AuthMethod
	if cred.ok() {
		auth = &githttp.BasicAuth{Username: cred.user, Password: cred.secret}
	}
	var repo *git.Repository
	var err error
	if !exists {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return info, err
		}
		os.RemoveAll(dir)
		// The URL given is the one stored as origin: it carries no
		// credential (Redact), the credential goes in auth.
		repo, err = git.PlainCloneContext(ctx, dir, false, &git.CloneOptions{URL: rawURL, Auth: auth, SingleBranch: true, Tags: git.AllTags})
		if err != nil {
			return info, fmt.Errorf("go-git clone: %w", err)
		}
	} else {
		if repo, err = git.PlainOpen(dir); err != nil {
			return info, fmt.Errorf("go-git open %s: %w", dir, err)
		}
		cfg, err := repo.Config()
		if err != nil {
			return info, err
		}
		if r, ok := cfg.Remotes["origin"]; ok && (len(r.URLs) != 1 || r.URLs[0] != rawURL) {
			r.URLs = []string{rawURL}
			if err := repo.SetConfig(cfg); err != nil {
				return info, err
			}
		}
	}
	head, err := repo.Head()
	if err != nil {
		return info, fmt.Errorf("go-git: %w", err)
	}
	branch := head.Name().Short()
	spec := gitconfig.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/remotes/origin/%s", branch, branch))
	err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", RefSpecs: []gitconfig.RefSpec{spec, "+refs/tags/*:refs/tags/*"},
		Auth: auth, Tags: git.AllTags, Prune: true, Force: true})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return info, fmt.Errorf("go-git fetch: %w", err)
	}
	tip, err := repo.Reference(plumbing.NewRemoteReferenceName("origin", branch), true)
	if err != nil {
		return info, fmt.Errorf("go-git: origin/%s: %w", branch, err)
	}
	if exists {
		wt, err := repo.Worktree()
		if err != nil {
			return info, err
		}
		if err := wt.Reset(&git.ResetOptions{Commit: tip.Hash(), Mode: git.HardReset}); err != nil {
			return info, fmt.Errorf("go-git reset: %w", err)
		}
	}
	c, err := repo.CommitObject(tip.Hash())
	if err != nil {
		return info, err
	}
	info.newest = c.Committer.When.UTC()
	return info, nil
}
