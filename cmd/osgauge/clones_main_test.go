package main

import (
	"os"
	"testing"
)

// TestMain keeps the command's tests off the network and off the user's
// cache: managed clones are on by default (issue 27), so a test config
// with a repository and no local_path would clone it. Clones go to a
// temporary cache directory, and git may use file:// alone
// (GIT_ALLOW_PROTOCOL), so a clone of a real forge fails at once instead
// of reaching it; tests that clone use file:// mirrors.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "osgauge-cmd-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CACHE_HOME", dir)
	os.Setenv("GIT_ALLOW_PROTOCOL", "file")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
