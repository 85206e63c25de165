//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package clones

import (
	"os/exec"
	"syscall"
)

// killGroup makes a cancelled or timed-out git command end with its
// helpers (git-remote-https, upload-pack): the command gets its own
// process group, and the whole group is killed.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
