// Package gitlocal measures a project's activity, contributor diversity,
// releases and licence stability from a local git clone. It reads the
// repository with go-git, so no git binary is needed, and never touches the
// network.
//
// Windows are measured back from Collector.Now:
//
//   - activity metrics (commits, authors, bus and elephant factors) use the
//     commit's author date;
//   - when the history changed (the newest commit, licence changes, and the
//     bound of the walk) uses the committer date;
//   - days_since_last_commit and months_since_last_commit count from the
//     newest commit authored by a person (personActivity), so automation
//     (dependency updates, CI commits) cannot make an abandoned project look
//     maintained;
//   - a date inside a window is one not before its start; dates after Now
//     (clock skew) count as inside.
//
// As of a past instant (Target.AsOf, osgauge collect --as-of) the history
// is HEAD's as it stood then: the walk starts at the newest commit on
// HEAD's first-parent line committed by then (`git rev-list --first-parent
// -1 --before=AS-OF HEAD`), the one the branch pointed at; the maintainer
// files and .mailmap are read from its tree; only tags dated by then
// count; and Now is the as-of instant, so 12-month windows end at it and
// "months since" values are counted from it. Observations are recorded
// at it.
//
// The walk follows HEAD in committer-time order (as `git log` does) and stops
// at the first commit older than 36 months, so an old, large history costs no
// more than its last three years; when no commit by a person was seen by
// then it goes on, counting nothing, until it finds one.
package gitlocal

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
)

// Source is the source name recorded on every observation.
const Source = "gitlocal"

// Metric names.
const (
	MetricAuthors12m        = "gitlocal.authors_12m"
	MetricBusFactor12m      = "gitlocal.bus_factor_12m"
	MetricCommits12m        = "gitlocal.commits_12m"
	MetricCommitsPerWeek    = "gitlocal.commits_per_week"
	MetricDaysSinceLast     = "gitlocal.days_since_last_commit"
	MetricElephantFactor12m = "gitlocal.elephant_factor_12m"
	MetricLicenseChanges36m = "gitlocal.license_changes_36m"
	MetricMerges12m         = "gitlocal.merges_12m"
	MetricRelicensed12m     = "gitlocal.relicensed_12m"
	MetricMonthsSinceLast   = "gitlocal.months_since_last_commit"
	MetricOrgCount12m       = "gitlocal.org_count_12m"
	MetricTags12m           = "gitlocal.tags_12m"
	// MetricMonthsSinceRelease is months since the newest release tag (pre-releases left out), or since the first commit when the project never released.
	MetricMonthsSinceRelease = "gitlocal.months_since_last_release"
	// MetricRelicensedSourceAvailable36m is 1 when the declared licence changed to a source-available one within 36 months.
	MetricRelicensedSourceAvailable36m = "gitlocal.relicensed_source_available_36m"
	daysPerMonth                       = 30.4375 // 365.25 / 12
	weeksPerYear                       = 52
	maxLicenceChangesInProof           = 10
)

// ErrNoCommits is returned by Collect when the repository has no commits.
var ErrNoCommits = errors.New("repository has no commits")

// errNoCommitsYet is returned by scan when HEAD has no commit committed by
// the as-of instant: the project's history had not begun.
var errNoCommitsYet = errors.New("no commit on HEAD was committed by then")

// Collector reads a local git clone. The zero value is ready to use.
type Collector struct {
	// Now returns the time windows are measured back from; nil means time.Now.
	Now func() time.Time
	// Identities recognises bots and merges one person's e-mails; nil
	// means the built-in rules. The repository's own .mailmap is applied
	// on top.
	Identities *affiliation.Identities
}

// New returns a Collector that measures from the current time.
func New() *Collector { return &Collector{Now: time.Now} }

// Name is the source name recorded on every observation.
func (c *Collector) Name() string { return Source }

// Needs reports that the collector needs a local clone and nothing else.
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{Clone: true} }

// Applies reports whether t has a local path holding a git repository.
func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if t.LocalPath == "" {
		return false, "no local_path"
	}
	if _, err := open(t.LocalPath); err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return false, "not a git repository: " + t.LocalPath
		}
		return false, fmt.Sprintf("cannot open git repository %s: %v", t.LocalPath, err)
	}
	return true, ""
}

var (
	_ collectors.Collector = (*Collector)(nil)
	_ collectors.Historian = (*Collector)(nil)
)

// AsOf reports that the collector computes its observations as of
// t.AsOf from the clone's history, unless HEAD holds no commit committed by
// then (the project's history had not begun) or the as-of instant is after
// the collector's clock.
func (c *Collector) AsOf(t collectors.Target) (bool, string) {
	if t.AsOf.IsZero() {
		return true, ""
	}
	if t.AsOf.After(c.now()) {
		return false, "as of " + collectors.AsOfDay(t.AsOf) + ": a date in the future has no history yet"
	}
	repo, err := open(t.LocalPath)
	if err != nil {
		return true, "" // Applies and Collect say what is wrong
	}
	head, err := repo.Head()
	if err != nil {
		return true, ""
	}
	if _, err := startAsOf(repo, head.Hash(), t.AsOf); errors.Is(err, errNoCommitsYet) {
		return false, fmt.Sprintf("no commit on HEAD was committed by %s: the history begins later", collectors.AsOfDay(t.AsOf))
	}
	return true, ""
}

// startAsOf is the commit HEAD pointed at, as near as history tells, at
// asOf: the newest commit on HEAD's first-parent line committed by then
// (git rev-list --first-parent -1 --before=asOf HEAD). Following the first
// parent keeps to the branch itself: a side branch merged later, whose
// commits are older than the merge, was not on it yet.
func startAsOf(repo *git.Repository, head plumbing.Hash, asOf time.Time) (plumbing.Hash, error) {
	h := head
	for n := 0; ; n++ {
		c, err := object.GetCommit(repo.Storer, h)
		if err != nil {
			return plumbing.ZeroHash, fmt.Errorf("commit %s: %w", h, err)
		}
		if !c.Committer.When.After(asOf) {
			return c.Hash, nil
		}
		if len(c.ParentHashes) == 0 {
			return plumbing.ZeroHash, errNoCommitsYet
		}
		h = c.ParentHashes[0]
	}
}

// open opens the repository at or above path. A linked worktree (git
// worktree add: .git is a file naming the main repository's
// worktrees/<name>) reads its objects and refs from the main repository's
// common directory.
func open(path string) (*git.Repository, error) {
	return git.PlainOpenWithOptions(path, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
}

func (c *Collector) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Collect walks HEAD's history and returns one observation per metric,
// sorted by metric name.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	if t.LocalPath == "" {
		return nil, cost, errors.New("gitlocal: no local_path")
	}
	if err := ctx.Err(); err != nil {
		return nil, cost, err
	}
	repo, err := open(t.LocalPath)
	if err != nil {
		if errors.Is(err, git.ErrRepositoryNotExists) {
			return nil, cost, fmt.Errorf("gitlocal: not a git repository: %s", t.LocalPath)
		}
		return nil, cost, fmt.Errorf("gitlocal: open %s: %w", t.LocalPath, err)
	}
	repo, done := keepDescriptors(repo)
	defer done()
	now := c.now()
	if !t.AsOf.IsZero() {
		if t.AsOf.After(now) {
			return nil, cost, fmt.Errorf("gitlocal: as of %s: a date in the future has no history yet", collectors.AsOfDay(t.AsOf))
		}
		now = t.AsOf
	}
	h, err := scan(ctx, repo, now, c.Identities, !t.AsOf.IsZero())
	if err != nil {
		if errors.Is(err, errNoCommitsYet) {
			err = fmt.Errorf("%w (%s)", err, collectors.AsOfDay(now))
		}
		return nil, cost, fmt.Errorf("gitlocal: %s: %w", t.LocalPath, err)
	}
	return h.observations(t.Subject.ID, repoName(repo, t.LocalPath), now), cost, nil
}

// keepDescriptors reopens a repository found by PlainOpenWithOptions over
// storage that keeps its packfiles open between reads: go-git otherwise
// reopens the packfile for every object, which doubles the cost of a walk.
// done closes the descriptors. A repository whose storage is not on the
// file system is returned as it is.
func keepDescriptors(repo *git.Repository) (*git.Repository, func()) {
	fsStore, ok := repo.Storer.(*filesystem.Storage)
	if !ok {
		return repo, func() {}
	}
	s := filesystem.NewStorageWithOptions(fsStore.Filesystem(), cache.NewObjectLRUDefault(),
		filesystem.Options{KeepDescriptors: true})
	var wt billy.Filesystem
	if w, err := repo.Worktree(); err == nil {
		wt = w.Filesystem
	}
	r, err := git.Open(s, wt)
	if err != nil {
		_ = s.Close()
		return repo, func() {}
	}
	return r, func() { _ = s.Close() }
}

// repoName is the base name of the repository's root directory, for
// evidence: it names the clone without revealing where it lives.
func repoName(repo *git.Repository, localPath string) string {
	if wt, err := repo.Worktree(); err == nil {
		if root := wt.Filesystem.Root(); root != "" {
			return filepath.Base(root)
		}
	}
	if abs, err := filepath.Abs(localPath); err == nil {
		return filepath.Base(abs)
	}
	return filepath.Base(localPath)
}

// commitRec is what the metrics need of one commit.
type commitRec struct {
	hash      plumbing.Hash
	tree      plumbing.Hash
	parents   []plumbing.Hash
	author    affiliation.Person // after .mailmap; Bot set for automation
	security  bool               // the message names a CVE or GHSA advisory
	authored  time.Time
	committed time.Time
}

// merge reports whether the commit merges branches (more than one parent):
// merged changes are activity, but not a person's authored work.
func (c commitRec) merge() bool { return len(c.parents) > 1 }

// human reports whether the commit counts for people metrics: authored by
// a person, not a merge.
func (c commitRec) human() bool { return !c.author.Bot && !c.merge() }

// byPerson reports whether the commit is a person's activity for the age
// of the newest commit: its author is not automation (the rule the people
// metrics use, affiliation.Identities). A merge authored by a person counts:
// a maintainer chose to merge, which is maintenance even when the merged
// change came from a bot. A merge authored by a bot (a merge queue, an
// automerge) does not. The commit is dated by its committer date, as the
// newest commit of any author was.
func (c commitRec) byPerson() bool { return !c.author.Bot }

// tagRec is one tag and the date that places it in time.
type tagRec struct {
	name string
	when time.Time
}

// history is everything scan learns; observations derives the metrics.
type history struct {
	commits []commitRec // walked commits, newest committer date first
	newest  commitRec
	// person is the newest commit by a person (byPerson); found is false
	// when HEAD's history holds none. botsNewer counts the commits by bots
	// the walk met before it, by bot (shown name); searched counts the
	// commits walked beyond the 36-month bound to find it.
	person    commitRec
	found     bool
	botsNewer map[string]int
	searched  int
	tags      []tagRec       // all tags, dated
	licence   []licenceEvent // changes of the declared licence, oldest first
	// licenceEdits counts commits that changed licence files' bytes.
	licenceEdits int
	walked       int  // commits walked (all within 36 months, plus the newest)
	stopped      bool // the walk stopped at the 36-month bound
	shallow      bool // the walk reached the edge of a shallow clone
	cutoff36     time.Time
	// maintainers are the people the project's maintainer files name.
	maintainers maintainerList
	// mailmap says how many .mailmap entries were applied and which lines
	// were not understood, for evidence.
	mailmapEntries int
	mailmapErr     error
	// fresh is how recent the clone is (freshness.go).
	fresh freshness
	// first is the oldest commit reachable from HEAD (the edge of a shallow
	// clone), read only when no tag is a release: the project has gone
	// unreleased since then. Zero otherwise.
	first commitRec
	// start is where the walk began: HEAD, or as of a past instant the
	// commit HEAD's first-parent line held then (startAsOf).
	start plumbing.Hash
}

// scan walks HEAD's history back to 36 months before now, reads every tag
// and finds the commits that changed a root licence file. With past set,
// now is a past instant: the history is HEAD's as it stood then
// (startAsOf) and tags dated after it are left out.
func scan(ctx context.Context, repo *git.Repository, now time.Time, ids *affiliation.Identities, past bool) (*history, error) {
	head, err := repo.Head()
	if err != nil {
		if errors.Is(err, plumbing.ErrReferenceNotFound) {
			return nil, ErrNoCommits
		}
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	h := &history{cutoff36: now.AddDate(0, -36, 0), botsNewer: map[string]int{}, start: head.Hash()}
	if past {
		if h.start, err = startAsOf(repo, head.Hash(), now); err != nil {
			return nil, err
		}
	}
	tree, err := headTree(repo, h.start)
	if err != nil {
		return nil, err
	}
	mm, err := readMailmap(tree)
	if err != nil && mm == nil {
		return nil, err
	}
	h.mailmapErr = err
	h.mailmapEntries = mm.Len()
	ids = ids.WithMailmap(mm)
	shallow := map[plumbing.Hash]bool{}
	if hs, err := repo.Storer.Shallow(); err == nil {
		for _, s := range hs {
			shallow[s] = true
		}
	}
	// One author signs many commits: resolve each name and e-mail once.
	people := map[[2]string]affiliation.Person{}
	resolve := func(name, email string) affiliation.Person {
		k := [2]string{name, email}
		p, ok := people[k]
		if !ok {
			p = ids.Resolve(name, email, "")
			people[k] = p
		}
		return p
	}
	err = walk(ctx, repo, h.start, shallow, func(c *object.Commit) bool {
		committed := c.Committer.When
		beyond := len(h.commits) > 0 && committed.Before(h.cutoff36)
		if beyond {
			h.stopped = true
			if h.found {
				return false
			}
		}
		rec := commitRec{
			hash:      c.Hash,
			tree:      c.TreeHash,
			parents:   c.ParentHashes,
			author:    resolve(c.Author.Name, c.Author.Email),
			security:  securityRef.MatchString(c.Message),
			authored:  c.Author.When,
			committed: committed,
		}
		if shallow[c.Hash] {
			rec.parents = nil // the clone holds no parents: history starts here
			h.shallow = true
		}
		// Committer-time order: the first commit by a person met is the
		// newest; every commit met before it is a bot's.
		if !h.found {
			if rec.byPerson() {
				h.person, h.found = rec, true
			} else {
				h.botsNewer[shownName(rec.author)]++
			}
		}
		if beyond {
			h.searched++ // looked at for the newest person's commit only
			return !h.found
		}
		if len(h.commits) == 0 || committed.After(h.newest.committed) {
			h.newest = rec
		}
		h.commits = append(h.commits, rec)
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("git log HEAD: %w", err)
	}
	if len(h.commits) == 0 {
		return nil, ErrNoCommits
	}
	h.walked = len(h.commits)

	if h.licence, h.licenceEdits, err = licenceHistory(ctx, repo, h.commits, h.cutoff36); err != nil {
		return nil, err
	}
	all, err := tags(ctx, repo)
	if err != nil {
		return nil, err
	}
	h.tags = all
	if past {
		h.tags = nil
		for _, t := range all {
			if !t.when.After(now) {
				h.tags = append(h.tags, t)
			}
		}
	}
	if !hasRelease(h.tags) {
		if h.first, err = oldestCommit(ctx, repo, h, shallow); err != nil {
			return nil, err
		}
	}
	if h.maintainers, err = maintainers(tree); err != nil {
		return nil, err
	}
	if h.fresh, err = readFreshness(ctx, repo, h, all); err != nil {
		return nil, err
	}
	if past {
		h.fresh.past = fmt.Sprintf("; as of %s: HEAD's history then, from %s (git rev-list --first-parent -1 --before=%s HEAD), tags dated by then",
			collectors.AsOfDay(now), short(h.start), now.UTC().Format(time.RFC3339))
	}
	return h, nil
}

// byCommitTime is a max-heap of commits by committer date (ties by hash,
// so the walk is deterministic).
type byCommitTime []*object.Commit

func (q byCommitTime) Len() int { return len(q) }
func (q byCommitTime) Less(i, j int) bool {
	a, b := q[i].Committer.When, q[j].Committer.When
	if !a.Equal(b) {
		return a.After(b)
	}
	return q[i].Hash.String() < q[j].Hash.String()
}
func (q byCommitTime) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *byCommitTime) Push(x any)   { *q = append(*q, x.(*object.Commit)) }
func (q *byCommitTime) Pop() any {
	old := *q
	c := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return c
}

// Walk visits the commits reachable from start, newest committer date
// first (as git log does), until visit returns false; the parents of the
// repository's shallow commits are not followed. Other packages that read
// a history (the backtest) walk it as gitlocal does.
func Walk(ctx context.Context, repo *git.Repository, start plumbing.Hash, visit func(*object.Commit) bool) error {
	shallow := map[plumbing.Hash]bool{}
	if hs, err := repo.Storer.Shallow(); err == nil {
		for _, s := range hs {
			shallow[s] = true
		}
	}
	return walk(ctx, repo, start, shallow, visit)
}

// walk visits the commits reachable from start, newest committer date
// first (as git log does), until visit returns false. It does not follow
// the parents of shallow commits, whose parents a shallow clone lacks. It
// checks ctx before each commit.
func walk(ctx context.Context, repo *git.Repository, start plumbing.Hash, shallow map[plumbing.Hash]bool, visit func(*object.Commit) bool) error {
	first, err := object.GetCommit(repo.Storer, start)
	if err != nil {
		return err
	}
	seen := map[plumbing.Hash]bool{start: true}
	q := &byCommitTime{first}
	for q.Len() > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		c := heap.Pop(q).(*object.Commit)
		if !visit(c) {
			return nil
		}
		if shallow[c.Hash] {
			continue
		}
		for _, p := range c.ParentHashes {
			if seen[p] {
				continue
			}
			seen[p] = true
			pc, err := object.GetCommit(repo.Storer, p)
			if err != nil {
				return fmt.Errorf("parent %s of %s: %w", p, c.Hash, err)
			}
			heap.Push(q, pc)
		}
	}
	return nil
}

// tags dates every tag: an annotated tag by its tagger date, a lightweight
// tag by its commit's committer date. Tags on trees or blobs are skipped.
func tags(ctx context.Context, repo *git.Repository) ([]tagRec, error) {
	refs, err := repo.Tags()
	if err != nil {
		return nil, fmt.Errorf("list tags: %w", err)
	}
	var out []tagRec
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ref.Type() != plumbing.HashReference {
			return nil
		}
		name := ref.Name().Short()
		tag, err := repo.TagObject(ref.Hash())
		switch {
		case err == nil:
			out = append(out, tagRec{name: name, when: tag.Tagger.When})
			return nil
		case !errors.Is(err, plumbing.ErrObjectNotFound):
			return fmt.Errorf("tag %s: %w", name, err)
		}
		c, err := repo.CommitObject(ref.Hash())
		if err != nil {
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return nil // points at a tree or blob, or at nothing
			}
			return fmt.Errorf("tag %s: %w", name, err)
		}
		out = append(out, tagRec{name: name, when: c.Committer.When})
		return nil
	})
	refs.Close()
	if err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// independentGroup is the one organisation all independent authors form
// together (CHAOSS Organizational Diversity's "unaffiliated"): it counts
// once in org_count_12m and once in the elephant factor, so that a project
// of many independents is not made to look diverse by counting each of
// them as an organisation of their own.
const independentGroup = "independent authors"

// orgKey groups a person into an organisation: the canonical e-mail's
// domain, or "independent:<person>" for public mail services, no-reply
// addresses and addresses without a domain.
func orgKey(p affiliation.Person) string {
	return affiliation.DomainOrg(p.Email, p.Key)
}

// shownName is how evidence names a person: the login, else the name,
// never the e-mail address.
func shownName(p affiliation.Person) string {
	switch {
	case p.Login != "":
		return "@" + p.Login
	case p.Name != "":
		return p.Name
	}
	return "an author without a name"
}

// topKeys lists the n biggest counts as "key N, key N".
func topKeys(counts map[string]int, n int) string {
	r := affiliation.Ranked(counts)
	parts := make([]string, 0, n+1)
	for i, s := range r {
		if i == n {
			parts = append(parts, fmt.Sprintf("…%d more", len(r)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", s.Key, s.N))
	}
	return strings.Join(parts, ", ")
}

// pct is n as a percentage of total (0 when total is 0).
func pct(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(n) / float64(total)
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

func short(h plumbing.Hash) string { return h.String()[:7] }

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// observations turns the history into one observation per metric, sorted
// by metric name.
func (h *history) observations(subject, repo string, now time.Time) []models.Observation {
	cut52w := now.Add(-weeksPerYear * 7 * 24 * time.Hour)
	cut365 := now.Add(-365 * 24 * time.Hour)

	var n52w, human52w, merges52w, bots52w, n12m, human12, merges12, bots12 int
	authors := map[string]int{}
	orgs := map[string]int{}
	independents := map[string]bool{} // people on public mail, no-reply or local addresses
	botNames := map[string]int{}
	display := map[string]string{} // person key → name shown in evidence (never an e-mail)
	// One person signing from several addresses under one name counts once
	// (affiliation.Aliases), as git shortlog counts.
	aliases := affiliation.NewAliases()
	for _, c := range h.commits {
		if !c.authored.Before(cut365) && c.human() {
			aliases.Add(c.author)
		}
	}
	for _, c := range h.commits {
		if !c.authored.Before(cut52w) {
			n52w++
			switch {
			case c.merge():
				merges52w++
			case c.author.Bot:
				bots52w++
			default:
				human52w++
			}
		}
		if c.authored.Before(cut365) {
			continue
		}
		n12m++
		switch {
		case c.merge():
			merges12++
			continue
		case c.author.Bot:
			bots12++
			botNames[shownName(c.author)]++
			continue
		}
		who := aliases.Key(c.author)
		if _, ok := display[who]; !ok {
			display[who] = shownName(c.author) // newest commit first: the name used now
		}
		human12++
		authors[who]++
		org := orgKey(c.author)
		if affiliation.IsIndependent(org) {
			independents[who] = true
			org = independentGroup
		}
		orgs[org]++
	}
	byAuthor := affiliation.Ranked(authors)
	byOrg := affiliation.Ranked(orgs)
	bus := affiliation.Factor(byAuthor, human12)
	elephant := affiliation.Factor(byOrg, human12)
	var named []affiliation.Share // organisations that are not the independents' group
	for _, o := range byOrg {
		if o.Key != independentGroup {
			named = append(named, o)
		}
	}

	in := h.fresh.evidence() + " in " + repo
	history := ""
	if h.shallow {
		history = "; shallow clone, older history absent"
	}
	obs := func(metric string, v float64, unit, evidence string) models.Observation {
		return models.Observation{
			SubjectID:  subject,
			Metric:     metric,
			Value:      models.Num(v),
			Unit:       unit,
			Source:     Source,
			ObservedAt: now,
			Evidence:   evidence + in,
		}
	}

	var out []models.Observation

	// Activity: commits per week counts people's work (merges and
	// automation left out, as ACT-1 asks); commits_12m counts every commit
	// on HEAD and says how many were which.
	out = append(out,
		obs(MetricCommitsPerWeek, float64(human52w)/weeksPerYear, "commits/week",
			fmt.Sprintf("git log HEAD --no-merges (%s by people in 52 weeks since %s ÷ %d weeks, excluding %s and %s; %s in all)",
				plural(human52w, "commit", "commits"), day(cut52w), weeksPerYear, plural(merges52w, "merge", "merges"),
				plural(bots52w, "bot commit", "bot commits"), plural(n52w, "commit", "commits"))+history),
		obs(MetricCommits12m, float64(n12m), "commits",
			fmt.Sprintf("git log HEAD (%s authored since %s: %d by people, %d merges, %d by bots)", plural(n12m, "commit", "commits"), day(cut365), human12, merges12, bots12)+history),
		obs(MetricMerges12m, float64(merges12), "merges",
			fmt.Sprintf("git log HEAD --merges (%s authored since %s)", plural(merges12, "merge commit", "merge commits"), day(cut365))+history),
	)
	out = append(out, h.personActivity(now, obs)...)

	// Contributors: people only. Say what was left out and how identities
	// were merged, so a reviewer can redo the count with git log.
	left := fmt.Sprintf("%s by people since %s", plural(human12, "non-merge commit", "non-merge commits"), day(cut365))
	if merges12 > 0 || bots12 > 0 {
		left += fmt.Sprintf("; left out: %s, %s", plural(merges12, "merge", "merges"), plural(bots12, "commit by bots", "commits by bots"))
		if len(botNames) > 0 {
			left += " (" + topKeys(botNames, 3) + ")"
		}
	}
	if h.mailmapEntries > 0 {
		left += fmt.Sprintf("; .mailmap applied (%s)", plural(h.mailmapEntries, "entry", "entries"))
	}
	if ev := aliases.Evidence(3); ev != "" { // who was merged, through which login
		left += "; " + ev
	}
	if h.mailmapErr != nil {
		left += "; .mailmap lines not understood: " + h.mailmapErr.Error()
	}
	out = append(out, obs(MetricAuthors12m, float64(len(authors)), "authors",
		fmt.Sprintf("%s by GitHub login or e-mail in %s", plural(len(authors), "author", "authors"), left)))
	busEv := "no commits by people since " + day(cut365)
	if human12 > 0 {
		top := 0
		parts := make([]string, 0, bus)
		for _, s := range byAuthor[:bus] {
			top += s.N
			parts = append(parts, fmt.Sprintf("%s %d", display[s.Key], s.N))
		}
		busEv = fmt.Sprintf("top %s of %d made %d of %d non-merge commits by people (%.0f%%) since %s: %s",
			plural(bus, "author", "authors"), len(byAuthor), top, human12, pct(top, human12), day(cut365), strings.Join(parts, ", "))
	}
	out = append(out, obs(MetricBusFactor12m, float64(bus), "authors", busEv))

	indepCommits := orgs[independentGroup]
	indepNote := fmt.Sprintf("%s on public mail, no-reply or local addresses made %s, counted together as one organisation",
		plural(len(independents), "independent author", "independent authors"), plural(indepCommits, "commit", "commits"))
	elEv := "no commits by people since " + day(cut365)
	if human12 > 0 {
		parts := make([]string, 0, elephant)
		top := 0
		for _, s := range byOrg[:elephant] {
			top += s.N
			parts = append(parts, fmt.Sprintf("%s %d", s.Key, s.N))
		}
		elEv = fmt.Sprintf("top %s made %d of %d non-merge commits by people (%.0f%%) since %s: %s",
			plural(elephant, "organisation", "organisations"), top, human12, pct(top, human12), day(cut365), strings.Join(parts, ", "))
		if indepCommits > 0 {
			elEv += "; " + indepNote
		}
	}
	out = append(out, obs(MetricElephantFactor12m, float64(elephant), "organisations", elEv))

	orgCount := len(named)
	if indepCommits > 0 {
		orgCount++
	}
	orgEv := fmt.Sprintf("%s by e-mail domain of people's non-merge commits since %s", plural(orgCount, "organisation", "organisations"), day(cut365))
	if len(named) > 0 || indepCommits > 0 {
		names := make([]string, 0, len(named)+1)
		for i, o := range named {
			if i == 10 {
				names = append(names, fmt.Sprintf("…%d more", len(named)-10))
				break
			}
			names = append(names, o.Key)
		}
		if indepCommits > 0 {
			names = append(names, independentGroup)
		}
		orgEv += " (" + strings.Join(names, ", ") + ")"
	}
	if indepCommits > 0 {
		orgEv += "; " + indepNote
	}
	out = append(out, obs(MetricOrgCount12m, float64(orgCount), "organisations", orgEv))

	// Releases: tags, pre-releases left out.
	out = append(out, h.releaseObservations(cut365, now, obs)...)

	// Licence stability: changes of the declared licence, not edits.
	out = append(out, h.licenceObservations(cut365, obs)...)

	out = append(out, h.supplierEvidence(subject, repo, now)...)
	out = h.fresh.apply(out, subject, repo, now)
	sort.Slice(out, func(i, j int) bool { return out[i].Metric < out[j].Metric })
	return out
}

// licenceObservations records the licence changes in 36 months and in 12
// months (which feeds the relicensing gate), each with "before → after,
// commit, date" as evidence and the number of mere edits beside them.
func (h *history) licenceObservations(cut365 time.Time, obs func(string, float64, string, string) models.Observation) []models.Observation {
	// Only a move to a more restrictive licence counts (licenses.Direction:
	// permissive → weak → strong → network copyleft → source-available);
	// a relaxation, such as an AGPL option added beside a source-available
	// licence, or a change within a class is listed, not counted.
	direction := func(l licenceEvent) string {
		dir, _ := licenses.Direction(strings.ReplaceAll(l.before, licenceUnrecognised, "LicenseRef-unrecognised"),
			strings.ReplaceAll(l.after, licenceUnrecognised, "LicenseRef-unrecognised"))
		return dir
	}
	list := func(events []licenceEvent) string {
		parts := make([]string, 0, len(events))
		for i, l := range events {
			if i == maxLicenceChangesInProof {
				parts = append(parts, fmt.Sprintf("…%d more", len(events)-maxLicenceChangesInProof))
				break
			}
			parts = append(parts, fmt.Sprintf("%s → %s in %s %s (%s)", l.before, l.after, short(l.hash), day(l.when), direction(l)))
		}
		return strings.Join(parts, ", ")
	}
	restrictive := func(events []licenceEvent) int {
		n := 0
		for _, l := range events {
			if direction(l) == licenses.MoreRestrictive {
				n++
			}
		}
		return n
	}
	n36 := restrictive(h.licence)
	ev36 := fmt.Sprintf("%s to a more restrictive licence (%s of the declared licence in all, %s to root licence files) committed since %s",
		plural(n36, "change", "changes"), plural(len(h.licence), "change", "changes"), plural(h.licenceEdits, "edit", "edits"), day(h.cutoff36))
	if len(h.licence) > 0 {
		ev36 += ": " + list(h.licence)
	}
	var recent []licenceEvent
	for _, l := range h.licence {
		if !l.when.Before(cut365) {
			recent = append(recent, l)
		}
	}
	n12 := restrictive(recent)
	ev12 := fmt.Sprintf("%s to a more restrictive licence (%s of the declared licence in all) committed since %s",
		plural(n12, "change", "changes"), plural(len(recent), "change", "changes"), day(cut365))
	if len(recent) > 0 {
		ev12 += ": " + list(recent)
	}
	return []models.Observation{
		obs(MetricLicenseChanges36m, float64(n36), "changes to a more restrictive licence", ev36),
		obs(MetricRelicensed12m, float64(n12), "changes to a more restrictive licence", ev12),
		h.sourceAvailableObservation(obs),
	}
}

// personActivity is days_since_last_commit and months_since_last_commit,
// counted from the newest commit by a person (commitRec.byPerson), with
// the newer commits by bots named in the evidence as not counted. When
// HEAD's history holds no commit by a person both are left without a value
// (so a gate on them is not evaluated rather than cleared).
func (h *history) personActivity(now time.Time, obs func(string, float64, string, string) models.Observation) []models.Observation {
	bots := 0
	for _, n := range h.botsNewer {
		bots += n
	}
	botNote := ""
	if bots > 0 {
		botNote = fmt.Sprintf("; %s by bots (%s) not counted",
			plural(bots, "newer commit", "newer commits"), topKeys(h.botsNewer, 3))
	}
	if !h.found {
		walked := h.walked + h.searched
		ev := fmt.Sprintf("no commit by a person in the %s on HEAD; newest commit %s committed %s%s",
			plural(walked, "commit", "commits"), short(h.newest.hash), h.newest.committed.UTC().Format(time.RFC3339), botNote)
		if h.shallow {
			ev += "; shallow clone, older history absent"
		}
		reason := "no commit by a person: all " + plural(walked, "commit", "commits") + " on HEAD are by bots"
		none := func(metric, unit string) models.Observation {
			o := obs(metric, 0, unit, ev)
			o.Value, o.Reason = nil, reason
			return o
		}
		return []models.Observation{none(MetricDaysSinceLast, "days"), none(MetricMonthsSinceLast, "months")}
	}
	p := h.person
	days := now.Sub(p.committed).Hours() / 24
	if days < 0 {
		days = 0
	}
	last := fmt.Sprintf("newest commit by a person %s (%s, %s) committed %s", day(p.committed), short(p.hash), shownName(p.author),
		p.committed.UTC().Format(time.RFC3339))
	if p.merge() {
		last += ", a merge"
	}
	return []models.Observation{
		obs(MetricDaysSinceLast, days, "days", last+botNote),
		obs(MetricMonthsSinceLast, days/daysPerMonth, "months", last+fmt.Sprintf(" (%.1f days ÷ %g)", days, daysPerMonth)+botNote),
	}
}
