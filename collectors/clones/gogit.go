package clones

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	gitconfig "github.com/go-git/go-git/v5/config"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/plumbing/transport"
	"github.com/go-git/go-git/v5/plumbing/transport/client"
	githttp "github.com/go-git/go-git/v5/plumbing/transport/http"
	"github.com/go-git/go-git/v5/plumbing/transport/server"
	"github.com/go-git/go-git/v5/storage/filesystem"
)

var fileTransport sync.Once

// installFileTransport serves file:// URLs in-process for go-git (its
// default file transport runs the git-upload-pack program, which is
// missing exactly where go-git is used): the repository at the path, or
// its .git directory for a working tree. It is installed for the whole
// process, once, when a Manager uses go-git.
func installFileTransport() {
	fileTransport.Do(func() { client.InstallProtocol("file", server.NewServer(dirLoader{})) })
}

// dirLoader opens a file:// endpoint's repository: a bare repository or
// a working tree's .git.
type dirLoader struct{}

func (dirLoader) Load(ep *transport.Endpoint) (storer.Storer, error) {
	p := filepath.FromSlash(ep.Path)
	if fi, err := os.Stat(filepath.Join(p, ".git")); err == nil && fi.IsDir() {
		p = filepath.Join(p, ".git")
	}
	if fi, err := os.Stat(filepath.Join(p, "objects")); err != nil || !fi.IsDir() {
		return nil, transport.ErrRepositoryNotFound
	}
	return filesystem.NewStorage(osfs.New(p), cache.NewObjectLRUDefault()), nil
}

// goGitPrepare clones or fetches with go-git, for machines without the
// git program: a full clone of the default branch with every tag (go-git
// has no partial clone), the working tree set to the fetched tip of the
// branch the remote's HEAD names (followed when it is renamed). The whole
// operation is bounded by op.timeout.
func goGitPrepare(ctx context.Context, op gitOp) (opInfo, error) {
	var info opInfo
	ctx, cancel := context.WithTimeout(ctx, op.timeout)
	defer cancel()
	var auth transport.AuthMethod
	if op.cred.ok() {
		auth = &githttp.BasicAuth{Username: op.cred.user, Password: op.cred.secret}
	}
	dir := op.dir
	var repo *git.Repository
	var err error
	if !op.exists {
		if err := os.MkdirAll(op.tmpRoot, 0o755); err != nil {
			return info, err
		}
		tmp, err := os.MkdirTemp(op.tmpRoot, filepath.Base(dir)+".")
		if err != nil {
			return info, err
		}
		defer os.RemoveAll(tmp)
		// The URL given is the one stored as origin: it carries no
		// credential (Redact), the credential goes in auth.
		r, err := git.PlainCloneContext(ctx, tmp, false, &git.CloneOptions{URL: op.url, Auth: auth, SingleBranch: true, Tags: git.AllTags})
		if err != nil {
			return info, timedOut(ctx, op, fmt.Errorf("go-git clone: %w", err))
		}
		cfg, err := r.Config()
		if err != nil {
			return info, err
		}
		cfg.Raw.Section("osgauge").SetOption("managed", "true")
		if err := r.SetConfig(cfg); err != nil {
			return info, err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return info, err
		}
	}
	if repo, err = git.PlainOpen(dir); err != nil {
		return info, fmt.Errorf("go-git open %s: %w", dir, err)
	}
	cfg, err := repo.Config()
	if err != nil {
		return info, err
	}
	if r, ok := cfg.Remotes["origin"]; ok && (len(r.URLs) != 1 || r.URLs[0] != op.url) {
		r.URLs = []string{op.url}
		if err := repo.SetConfig(cfg); err != nil {
			return info, err
		}
	}
	head, err := repo.Head()
	if err != nil {
		return info, fmt.Errorf("go-git: %w", err)
	}
	branch := head.Name().Short()
	if op.exists {
		info.branchWas = branch
		if b := remoteHead(ctx, repo, auth); b != "" {
			branch = b
		}
	}
	info.branch = branch
	spec := gitconfig.RefSpec(fmt.Sprintf("+refs/heads/%s:refs/remotes/origin/%s", branch, branch))
	err = repo.FetchContext(ctx, &git.FetchOptions{RemoteName: "origin", RefSpecs: []gitconfig.RefSpec{spec, "+refs/tags/*:refs/tags/*"},
		Auth: auth, Tags: git.AllTags, Prune: true, Force: true})
	if err != nil && !errors.Is(err, git.NoErrAlreadyUpToDate) {
		return info, timedOut(ctx, op, fmt.Errorf("go-git fetch: %w", err))
	}
	tip, err := repo.Reference(plumbing.NewRemoteReferenceName("origin", branch), true)
	if err != nil {
		return info, fmt.Errorf("go-git: origin/%s: %w", branch, err)
	}
	if op.exists {
		local := plumbing.NewBranchReferenceName(branch)
		if err := repo.Storer.SetReference(plumbing.NewHashReference(local, tip.Hash())); err != nil {
			return info, err
		}
		wt, err := repo.Worktree()
		if err != nil {
			return info, err
		}
		if err := wt.Checkout(&git.CheckoutOptions{Branch: local, Force: true}); err != nil {
			return info, fmt.Errorf("go-git checkout %s: %w", branch, err)
		}
	}
	c, err := repo.CommitObject(tip.Hash())
	if err != nil {
		return info, err
	}
	info.newest = c.Committer.When.UTC()
	return info, nil
}

// remoteHead is the branch the remote's HEAD names ("" when it does not
// say): its symbolic HEAD, else the one branch whose tip HEAD points at.
func remoteHead(ctx context.Context, repo *git.Repository, auth transport.AuthMethod) string {
	rem, err := repo.Remote("origin")
	if err != nil {
		return ""
	}
	refs, err := rem.ListContext(ctx, &git.ListOptions{Auth: auth})
	if err != nil {
		return ""
	}
	var head *plumbing.Reference
	for _, r := range refs {
		if r.Name() == plumbing.HEAD {
			head = r
		}
	}
	if head == nil {
		return ""
	}
	if head.Type() == plumbing.SymbolicReference && head.Target().IsBranch() {
		return head.Target().Short()
	}
	var match []string
	for _, r := range refs {
		if r.Name().IsBranch() && r.Type() == plumbing.HashReference && r.Hash() == head.Hash() {
			match = append(match, r.Name().Short())
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return ""
}

func timedOut(ctx context.Context, op gitOp, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: gave up after %s (clones.timeout)", err, op.timeout)
	}
	return err
}
