package gitlocal

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A linked worktree (git worktree add) is read through the main
// repository: its .git is a file naming <main>/.git/worktrees/<name>,
// which holds HEAD and a commondir pointing back to the objects and refs.
// CI checks out into such worktrees; go-git's plain open failed with
// "read HEAD: object not found".
func TestLinkedWorktree(t *testing.T) {
	f := newFixture(t, "main")
	head := f.at(alice, date(2026, 5, 1, 0), nil)
	admin := filepath.Join(f.dir, ".git", "worktrees", "wt")
	wt := filepath.Join(t.TempDir(), "wt")
	for path, content := range map[string]string{
		filepath.Join(admin, "HEAD"):      head.String() + "\n", // detached, as git worktree add --detach
		filepath.Join(admin, "commondir"): "../..\n",
		filepath.Join(admin, "gitdir"):    filepath.Join(wt, ".git") + "\n",
		filepath.Join(wt, ".git"):         "gitdir: " + admin + "\n",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	target := f.target()
	target.LocalPath = wt
	obs, _, err := (&Collector{Now: fixed}).Collect(context.Background(), target)
	if err != nil {
		t.Fatalf("collect a linked worktree: %v", err)
	}
	// Alice's one commit on 2026-05-01, 31 days before 2026-06-01.
	if o := byMetric(t, obs)[MetricDaysSinceLast]; o.Value == nil || !near(*o.Value, 31) {
		t.Errorf("days_since_last_commit = %v (%q), want 31", deref(o.Value), o.Reason)
	}
}
