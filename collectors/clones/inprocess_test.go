package clones

import (
	"testing"

	"github.com/go-git/go-git/v5/plumbing/transport/client"
	"github.com/go-git/go-git/v5/plumbing/transport/file"
	"github.com/go-git/go-git/v5/plumbing/transport/server"
)

// useInProcessFile serves file:// URLs with go-git's own server for the
// test, so that the go-git path runs where git-upload-pack is not
// installed.
func useInProcessFile(t testing.TB) {
	client.InstallProtocol("file", server.DefaultServer)
	t.Cleanup(func() { client.InstallProtocol("file", file.DefaultClient) })
}
