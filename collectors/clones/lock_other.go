//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package clones

import "os"

// lockSupported is false here (Windows and other systems without
// flock(2)): processes sharing one clones.dir are not coordinated, so
// give each process its own clones.dir there. One process's Managers are
// still coordinated by the in-process locks.
const lockSupported = false

func flock(*os.File, bool, bool) error { return nil }

func funlock(*os.File) error { return nil }
