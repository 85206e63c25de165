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
	partial bool
	newest  time.Time // the tip of the default branch
	warning string
}

// localUploadPack lets a file:// source serve a filtered (blob-less)
// clone: a plain repository's upload-pack refuses filters unless
// uploadpack.allowFilter is set, and the mirror is not ours to configure.
const localUploadPack = "git -c uploadpack.allowFilter=true upload-pack"

// gitPrepare clones (blob-less, the default branch with every tag) or
// fetches (tags, pruned) with the git program, checks out the default
// branch's tip, and fetches the history's licence, maintainer and mailmap
// blobs, which gitlocal reads at past commits.
func gitPrepare(ctx context.Context, dir, rawURL string, cred credential, exists bool) (opInfo, error) {
	var info opInfo
	env := gitEnv(rawURL, cred)
	local := strings.HasPrefix(rawURL, "file:")
	run := func(args ...string) (string, error) { return runGit(ctx, env, args...) }
	if !exists {
		if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
			return info, err
		}
		os.RemoveAll(dir) // leftovers of an interrupted clone
		args := []string{"clone", "--quiet", "--filter=blob:none", "--single-branch"}
		if local {
			args = append(args, "--upload-pack", localUploadPack)
		}
		if _, err := run(append(args, "--", rawURL, dir)...); err != nil {
			return info, err
		}
		if local {
			if _, err := run("-C", dir, "config", "remote.origin.uploadpack", localUploadPack); err != nil {
				return info, err
			}
		}
	} else if _, err := run("-C", dir, "remote", "set-url", "origin", rawURL); err != nil {
		return info, err
	}
	before := ""
	if exists {
		before, _ = run("-C", dir, "for-each-ref", "--format=%(objectname) %(refname)")
	}
	if _, err := run("-C", dir, "fetch", "--quiet", "--tags", "--prune", "--force", "origin"); err != nil {
		return info, err
	}
	after, _ := run("-C", dir, "for-each-ref", "--format=%(objectname) %(refname)")
	changed := !exists || before != after
	if exists {
		if _, err := run("-C", dir, "reset", "--quiet", "--hard", "@{upstream}"); err != nil {
			return info, err
		}
	}
	if out, _ := run("-C", dir, "config", "--get", "remote.origin.promisor"); strings.TrimSpace(out) == "true" {
		info.partial = true
		// Nothing new fetched: the history's files are those of the last time.
		if changed {
			if err := fetchHistoryBlobs(ctx, env, dir); err != nil {
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
// must not hang on a password question), and the credential as an HTTP
// header scoped to the URL's host, passed through git's environment
// configuration (GIT_CONFIG_COUNT) so that it is neither on the command
// line nor in the clone's config.
func gitEnv(rawURL string, cred credential) []string {
	env := append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=true", "GCM_INTERACTIVE=never")
	u, err := url.Parse(rawURL)
	if !cred.ok() || err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return env
	}
	basic := base64.StdEncoding.EncodeToString([]byte(cred.user + ":" + cred.secret))
	return append(env, "GIT_CONFIG_COUNT=1",
		"GIT_CONFIG_KEY_0=http."+u.Scheme+"://"+u.Host+"/.extraHeader",
		"GIT_CONFIG_VALUE_0=Authorization: Basic "+basic)
}

func gitCmd(ctx context.Context, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Env = env
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
