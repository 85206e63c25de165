//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package ledger

import "os"

// lockFile is a no-op where flock(2) is not available: the review marker
// (created with O_EXCL) still lets only one confirm or reject win.
func lockFile(f *os.File) error { return nil }

func unlockFile(f *os.File) error { return nil }
