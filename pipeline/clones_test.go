package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// commitTo commits one file into a test-made repository at when.
func commitTo(t *testing.T, dir, name, content string, when time.Time) {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err == git.ErrRepositoryNotExists {
		r, err = git.PlainInit(dir, false)
	}
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := r.Worktree()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	wt.Add(name)
	sig := &object.Signature{Name: "Ada", Email: "ada@example.org", When: when}
	if _, err := wt.Commit("change "+name, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
		t.Fatal(err)
	}
}

// A portfolio whose projects have no local_path is cloned through the
// mirror before the collectors run, and gitlocal reads the clones; the
// next collection fetches the new commit. A repository the mirror does
// not have fails once, with its URL; a project with local_path is not
// cloned; a host without a forge collector gets its one line.
func TestCollectClonesThroughMirror(t *testing.T) {
	if _, err := os.Stat("/usr/bin/git"); err != nil {
		t.Skip("needs the git program")
	}
	ctx := context.Background()
	root := t.TempDir()
	now := time.Now().UTC()
	upstream := filepath.Join(root, "mirror/o/a")
	commitTo(t, upstream, "README", "1\n", now.AddDate(0, 0, -20))
	commitTo(t, upstream, "README", "2\n", now.AddDate(0, 0, -10))
	local := filepath.Join(root, "local")
	commitTo(t, local, "README", "l\n", now.AddDate(0, 0, -5))
	cfgPath := filepath.Join(root, "osgauge.yaml")
	yaml := `
clones: {dir: clones, concurrency: 2}
mirrors:
  - {from: "https://git.example.org/", to: "file://` + root + `/mirror/"}
projects:
  - {name: a, repo: "https://git.example.org/o/a"}
  - {name: gone, repo: "https://git.example.org/o/gone"}
  - {name: mine, repo: "https://github.com/o/mine", local_path: local}
`
	cfg, err := config.Parse(cfgPath, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, filepath.Join(root, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var notes noteRecorder
	collect := func() *CollectSummary {
		sum, err := Collect(ctx, st, Targets(cfg), []collectors.Collector{gitlocal.New()}, CollectOptions{Clones: ClonesFromConfig(cfg), Progress: &notes})
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	sum := collect()
	// One failure, the clone that cannot be made, naming the mirror URL.
	if len(sum.Failed) != 1 || sum.Failed[0].Source != "clones" || sum.Failed[0].Subject != "git.example.org/o/gone" ||
		!strings.Contains(sum.Failed[0].Error, "file://"+root+"/mirror/o/gone") {
		t.Fatalf("failed = %+v", sum.Failed)
	}
	// ... and only there: no progress note repeats it (review item 11;
	// only a failure's line names the URL that failed, in any language).
	for _, n := range notes.lines {
		if strings.Contains(n, root+"/mirror/o/gone") {
			t.Errorf("the failure is also a progress note: %s", n)
		}
	}
	noForge := 0
	for _, s := range sum.Skipped {
		if s.Source == "forge" && strings.Contains(s.Reason, "no forge collector serves git.example.org: assessed from git only, no forge data") {
			noForge++
		}
	}
	if noForge != 2 { // a and gone; mine is on github.com
		t.Errorf("no-forge lines %d, want 2: %+v", noForge, sum.Skipped)
	}
	facts, err := st.LatestFacts(ctx, time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	a, gone := facts["git.example.org/o/a"], facts["git.example.org/o/gone"]
	// a: held, fetched just now (age 0 days), 2 commits in 12 months read from the clone.
	if v := a["clones.source_held"].Value; v == nil || *v != 1 {
		t.Errorf("a source_held %v", a["clones.source_held"])
	}
	if v := a["clones.source_age_days"].Value; v == nil || *v != 0 {
		t.Errorf("a source_age_days %v", a["clones.source_age_days"])
	}
	if ev := a["clones.source_held"].Evidence; !strings.Contains(ev, "mirror rule https://git.example.org/ → file://"+root+"/mirror/") || !strings.Contains(ev, "newest commit served") {
		t.Errorf("evidence %q", ev)
	}
	if v := a["gitlocal.commits_12m"].Value; v == nil || *v != 2 {
		t.Errorf("a commits_12m %v, want 2", a["gitlocal.commits_12m"])
	}
	// gone: not held, and no age (never fetched).
	if v := gone["clones.source_held"].Value; v == nil || *v != 0 || gone["clones.source_age_days"].Value != nil {
		t.Errorf("gone: %v %v", gone["clones.source_held"], gone["clones.source_age_days"])
	}
	if _, err := os.Stat(filepath.Join(root, "clones/github.com")); !os.IsNotExist(err) {
		t.Error("the project with local_path was cloned")
	}
	if v := facts["github.com/o/mine"]["gitlocal.commits_12m"].Value; v == nil || *v != 1 {
		t.Errorf("mine commits_12m %v, want 1 (its local_path)", facts["github.com/o/mine"]["gitlocal.commits_12m"])
	}

	// The next collection fetches: the third commit is counted.
	commitTo(t, upstream, "README", "3\n", now.AddDate(0, 0, -1))
	sum = collect()
	if len(sum.Failed) != 1 {
		t.Errorf("second run failed = %+v", sum.Failed)
	}
	facts, _ = st.LatestFacts(ctx, time.Now().Add(time.Minute))
	if v := facts["git.example.org/o/a"]["gitlocal.commits_12m"].Value; v == nil || *v != 3 {
		t.Errorf("after the fetch commits_12m %v, want 3", facts["git.example.org/o/a"]["gitlocal.commits_12m"])
	}
}

// noteRecorder is a Progress that keeps the notes.
type noteRecorder struct{ lines []string }

func (*noteRecorder) Start(int)                                 {}
func (*noteRecorder) Step(string, string, error, time.Duration) {}
func (*noteRecorder) Done()                                     {}
func (n *noteRecorder) Note(s string)                           { n.lines = append(n.lines, s) }

// The plan line before a collection: the clones to fetch, with the disk
// the state file says they hold, and those to clone. Targets: a (known,
// 3 MiB), the same a spelt with .git and capitals (one clone), b (new),
// c with its local_path (not osgauge's) and a supplier (no clone):
// 1 to fetch, 3 MiB = 3.0 MB; 1 to clone.
func TestClonesPlanLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "osgauge-clones.json"), []byte(`{"version":1,"clones":{"git.example.org+o+a":{"bytes":3145728}}}`), 0o644)
	c := &Clones{}
	c.Options.Dir = dir
	p := func(id, repo, local string) collectors.Target {
		return collectors.Target{Subject: models.Subject{Kind: models.KindProject, ID: id}, Repo: repo, LocalPath: local}
	}
	targets := []collectors.Target{p("a", "https://git.example.org/o/a", ""), p("a2", "https://Git.Example.org/o/a.git", ""),
		p("b", "https://git.example.org/o/b", ""), p("c", "https://git.example.org/o/c", "/src/c"),
		{Subject: models.Subject{Kind: models.KindSupplier, ID: "s"}}}
	want := "plan: clones: 1 to fetch (3.0 MB on disk), 1 to clone (size not known until cloned) in " + dir
	if got := c.PlanLine(targets); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// b alone: nothing to fetch, so no fetch figure
	if got, want := c.PlanLine(targets[2:3]), "plan: clones: 1 to clone (size not known until cloned) in "+dir; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := (*Clones)(nil).PlanLine(targets); got != "" {
		t.Errorf("clones off: %q", got)
	}
}
