package clones

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/license"
)

// opInfo is what a clone or fetch learnt.
type opInfo struct {
	partial   bool
	newest    time.Time // the tip of the default branch
	warning   string
	branch    string // the default branch fetched
	branchWas string // the branch checked out before, for an existing clone
}

// gitOp is one clone or fetch.
type gitOp struct {
	dir     string // the clone's path
	url     string // the URL fetched (no credential in it)
	cred    credential
	exists  bool          // a clone of osgauge's is at dir
	timeout time.Duration // per git command
	tmpRoot string        // where a new clone is made before it is renamed to dir
}

// localUploadPack lets a file:// source serve a filtered (blob-less)
// clone: a plain repository's upload-pack refuses filters unless
// uploadpack.allowFilter is set, and the mirror is not ours to configure.
const localUploadPack = "git -c uploadpack.allowFilter=true upload-pack"

// gitPrepare clones (blob-less, the default branch with every tag) or
// fetches (tags, pruned) with the git program, checks out the default
// branch's tip, and fetches the history's licence, maintainer and mailmap
// blobs, which gitlocal reads at past commits. A fetch first asks the
// remote which branch its HEAD names (git ls-remote --symref), so that a
// renamed default branch (master → main) is followed. A new clone is made
// in tmpRoot, marked osgauge's (osgauge.managed) and renamed to dir.
func gitPrepare(ctx context.Context, op gitOp) (opInfo, error) {
	var info opInfo
	env := gitEnv(os.Environ(), op.url, op.cred)
	local := strings.HasPrefix(op.url, "file:")
	run := func(args ...string) (string, error) {
		c, cancel := context.WithTimeout(ctx, op.timeout)
		defer cancel()
		out, err := runGit(c, env, args...)
		if err != nil && c.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			return out, fmt.Errorf("git %s: gave up after %s (clones.timeout)", gitSub(append([]string{"git"}, args...)), op.timeout)
		}
		return out, err
	}
	dir := op.dir
	if !op.exists {
		if err := os.MkdirAll(op.tmpRoot, 0o755); err != nil {
			return info, err
		}
		tmp, err := os.MkdirTemp(op.tmpRoot, filepath.Base(dir)+".")
		if err != nil {
			return info, err
		}
		defer os.RemoveAll(tmp) // gone once renamed; a failed clone is not kept
		args := []string{"clone", "--quiet", "--filter=blob:none", "--single-branch"}
		if local {
			args = append(args, "--upload-pack", localUploadPack)
		}
		if _, err := run(append(args, "--", op.url, tmp)...); err != nil {
			return info, err
		}
		if local {
			if _, err := run("-C", tmp, "config", "remote.origin.uploadpack", localUploadPack); err != nil {
				return info, err
			}
		}
		if _, err := run("-C", tmp, "config", ManagedKey, "true"); err != nil {
			return info, err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return info, err
		}
	} else if _, err := run("-C", dir, "remote", "set-url", "origin", op.url); err != nil {
		return info, err
	}
	cur, _ := run("-C", dir, "symbolic-ref", "--quiet", "--short", "HEAD")
	cur = strings.TrimSpace(cur)
	branch := cur
	if op.exists {
		info.branchWas = cur
		// ref: refs/heads/main<TAB>HEAD
		if out, err := run("-C", dir, "ls-remote", "--symref", "origin", "HEAD"); err == nil {
			for _, line := range strings.Split(out, "\n") {
				if rest, ok := strings.CutPrefix(line, "ref: refs/heads/"); ok {
					if b, _, ok := strings.Cut(rest, "\t"); ok && b != "" {
						branch = b
					}
					break
				}
			}
		}
		if branch == "" {
			return info, fmt.Errorf("%s: no branch checked out and the remote names no HEAD", dir)
		}
		if branch != cur {
			if _, err := run("-C", dir, "remote", "set-branches", "origin", branch); err != nil {
				return info, err
			}
		}
	}
	info.branch = branch
	before := ""
	if op.exists {
		before, _ = run("-C", dir, "for-each-ref", "--format=%(objectname) %(refname)")
	}
	if _, err := run("-C", dir, "fetch", "--quiet", "--tags", "--prune", "--force", "origin"); err != nil {
		return info, err
	}
	after, _ := run("-C", dir, "for-each-ref", "--format=%(objectname) %(refname)")
	changed := !op.exists || before != after
	if op.exists {
		// The default branch as the remote has it, whatever the checkout
		// held (the working tree is osgauge's: local edits are dropped).
		if _, err := run("-C", dir, "checkout", "--quiet", "--force", "-B", branch, "refs/remotes/origin/"+branch); err != nil {
			return info, err
		}
		if branch != cur && cur != "" {
			run("-C", dir, "update-ref", "-d", "refs/remotes/origin/"+cur)
		}
	}
	if out, _ := run("-C", dir, "config", "--get", "remote.origin.promisor"); strings.TrimSpace(out) == "true" {
		info.partial = true
		// Nothing new fetched: the history's files are those of the last time.
		if changed {
			c, cancel := context.WithTimeout(ctx, op.timeout)
			err := fetchHistoryBlobs(c, env, dir)
			cancel()
			if err != nil {
				info.warning = "the history's licence and maintainer files were not fetched: " + err.Error()
			}
		}
	}
	out, err := run("-C", dir, "log", "-1", "--format=%ct", "HEAD")
	if err != nil {
		return info, err
	}
	if sec, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64); err == nil {
		info.newest = time.Unix(sec, 0).UTC()
	}
	return info, nil
}

// HistoryFiles are the files gitlocal reads at commits other than the
// checked-out one, beside the root's licence files: its maintainer files
// (gitlocal's maintainerFiles) and the mailmap. A partial clone fetches
// every version of them.
var HistoryFiles = []string{"MAINTAINERS", "MAINTAINERS.md", "MAINTAINERS.txt", "OWNERS", "OWNERS.md", "CODEOWNERS",
	".github/CODEOWNERS", "docs/CODEOWNERS", ".github/MAINTAINERS.md", "docs/MAINTAINERS.md", ".mailmap"}

// historyFile reports whether gitlocal reads p at past commits: a licence
// text at the root (as its licence history counts them) or a HistoryFiles
// entry.
func historyFile(p string) bool {
	for _, h := range HistoryFiles {
		if p == h {
			return true
		}
	}
	if strings.Contains(p, "/") {
		return false
	}
	name := path.Base(p)
	return license.IsLicenceFile(name) && license.IsLicenceText(name)
}

// fetchHistoryBlobs lists the blobs of the history files in every commit
// (git log --raw reads trees only, so nothing is fetched to list them)
// and fetches them in one request; objects already present cost nothing.
func fetchHistoryBlobs(ctx context.Context, env []string, dir string) error {
	args := []string{"-C", dir, "log", "--all", "-m", "--format=", "--raw", "--no-abbrev", "--no-renames", "--", ":(glob)*"}
	args = append(args, HistoryFiles...)
	out, err := runGit(ctx, env, args...)
	if err != nil {
		return err
	}
	seen := map[string]bool{}
	var want bytes.Buffer
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		// :100644 100644 <old> <new> M\tpath
		line := sc.Text()
		tab := strings.IndexByte(line, '\t')
		if !strings.HasPrefix(line, ":") || tab < 0 || !historyFile(line[tab+1:]) {
			continue
		}
		f := strings.Fields(line[:tab])
		if len(f) < 4 {
			continue
		}
		for _, oid := range f[2:4] {
			if strings.Trim(oid, "0") != "" && !seen[oid] {
				seen[oid] = true
				want.WriteString(oid + "\n")
			}
		}
	}
	if len(seen) == 0 {
		return nil
	}
	cmd := gitCmd(ctx, env, "-C", dir, "-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "--no-tags",
		"--no-write-fetch-head", "--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin")
	cmd.Stdin = &want
	return runCmd(cmd)
}

// gitEnv is the environment of every git command: no prompt ever (a run
// must not hang on a password question), no LFS download
// (GIT_LFS_SKIP_SMUDGE), a transfer slower than 1000 bytes/s for 60 s
// given up, and the credential as an HTTP header scoped to the URL's
// host with redirects not followed (git sends http.extraHeader to
// wherever a redirect leads). The settings go through git's environment
// configuration (GIT_CONFIG_COUNT, after any the user set there), so the
// credential is neither on the command line nor in the clone's config.
func gitEnv(base []string, rawURL string, cred credential) []string {
	env := make([]string, 0, len(base)+10)
	n := 0
	for _, kv := range base {
		if v, ok := strings.CutPrefix(kv, "GIT_CONFIG_COUNT="); ok {
			if c, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && c > 0 {
				n = c
			}
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=true", "GCM_INTERACTIVE=never", "GIT_LFS_SKIP_SMUDGE=1")
	cfg := [][2]string{{"http.lowSpeedLimit", "1000"}, {"http.lowSpeedTime", "60"}}
	if u, err := url.Parse(rawURL); cred.ok() && err == nil && (u.Scheme == "https" || u.Scheme == "http") {
		basic := base64.StdEncoding.EncodeToString([]byte(cred.user + ":" + cred.secret))
		cfg = append(cfg, [2]string{"http.followRedirects", "false"},
			[2]string{"http." + u.Scheme + "://" + u.Host + "/.extraHeader", "Authorization: Basic " + basic})
	}
	for i, kv := range cfg {
		env = append(env, fmt.Sprintf("GIT_CONFIG_KEY_%d=%s", n+i, kv[0]), fmt.Sprintf("GIT_CONFIG_VALUE_%d=%s", n+i, kv[1]))
	}
	return append(env, fmt.Sprintf("GIT_CONFIG_COUNT=%d", n+len(cfg)))
}

func gitCmd(ctx context.Context, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Env = env
	killGroup(cmd)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

func runGit(ctx context.Context, env []string, args ...string) (string, error) {
	cmd := gitCmd(ctx, env, args...)
	var out bytes.Buffer
	cmd.Stdout = &out
	err := runCmd(cmd)
	return out.String(), err
}

// runCmd runs cmd and makes its failure an error that carries git's last
// words (what it says is wrong: repository not found, authentication
// failed, could not resolve host).
func runCmd(cmd *exec.Cmd) error {
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		var lines []string
		for _, l := range strings.Split(msg, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "warning: filtering not recognized") {
				lines = append(lines, l)
			}
		}
		if len(lines) > 3 {
			lines = lines[len(lines)-3:]
		}
		if len(lines) == 0 {
			return fmt.Errorf("git %s: %v", gitSub(cmd.Args), err)
		}
		return fmt.Errorf("git %s: %s", gitSub(cmd.Args), strings.Join(lines, "; "))
	}
	return nil
}

// gitSub is the git subcommand of args (clone, fetch, reset), for messages.
func gitSub(args []string) string {
	for i := 1; i < len(args); i++ {
		switch args[i] {
		case "-C", "-c":
			i++
			continue
		}
		if !strings.HasPrefix(args[i], "-") {
			return args[i]
		}
	}
	return ""
}
