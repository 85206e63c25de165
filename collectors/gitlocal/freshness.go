package gitlocal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/osgauge/osgauge/models"
)

// MetricCloneAgeDays is how many days before the collection time the clone
// was last brought up to date (its freshness, below).
const MetricCloneAgeDays = "gitlocal.clone_age_days"

// staleAfterDays is the age above which a clone no longer tells how active
// the project is: its history stops at its last fetch, so a project that
// moved on since looks quiet.
const staleAfterDays = 30

// freshness is how recent the clone's copy of the project is: the newest of
// its last fetch and the newest commit on any of its refs. A repository
// without a remote is the project's own history, not a copy: it is never
// stale.
type freshness struct {
	clone      bool      // the repository has a remote
	asOf       time.Time // newest of fetched and newestRef
	fetched    time.Time // last fetch: FETCH_HEAD's mtime or the remote-tracking reflogs
	fetchFrom  string    // "FETCH_HEAD" or the reflog it came from
	newestRef  time.Time // newest committer (or tagger) date on any ref
	newestName string    // the ref holding it
	// mirror is the local repository the clone fetches from (a remote
	// whose URL is a path on this machine), when there is one: the clone
	// can be no fresher than it was at the clone's last fetch.
	mirror *mirrorFreshness
	// past says, as of a past instant, which history was read (scan).
	past string
}

// mirrorFreshness is how recent a local mirror is: its last fetch, else
// its newest ref.
type mirrorFreshness struct {
	name       string // the mirror's folder name (never its full path)
	asOf       time.Time
	fetched    time.Time
	fetchFrom  string
	newestRef  time.Time
	newestName string
	decides    bool // older than the clone's own freshness: it sets asOf
}

// readFreshness reads the clone's last fetch and its newest ref. tags are
// all the dated tags scan read (as of a past instant too: the clone's
// freshness is its own, whatever instant is measured); h.newest is the
// newest commit walked.
func readFreshness(ctx context.Context, repo *git.Repository, h *history, tags []tagRec) (freshness, error) {
	var f freshness
	if remotes, err := repo.Remotes(); err == nil && len(remotes) > 0 {
		f.clone = true
	}
	f.newestRef, f.newestName = h.newest.committed, "HEAD"
	for _, t := range tags {
		if t.when.After(f.newestRef) {
			f.newestRef, f.newestName = t.when, "refs/tags/"+t.name
		}
	}
	refs, err := repo.References()
	if err != nil {
		return f, fmt.Errorf("list refs: %w", err)
	}
	err = refs.ForEach(func(ref *plumbing.Reference) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ref.Type() != plumbing.HashReference || ref.Name().IsTag() {
			return nil // tags are dated already; symbolic refs point at others
		}
		c, err := repo.CommitObject(ref.Hash())
		if err != nil {
			if errors.Is(err, plumbing.ErrObjectNotFound) {
				return nil // a ref to a tree, a blob or a missing object
			}
			return fmt.Errorf("ref %s: %w", ref.Name(), err)
		}
		if c.Committer.When.After(f.newestRef) {
			f.newestRef, f.newestName = c.Committer.When, ref.Name().String()
		}
		return nil
	})
	refs.Close()
	if err != nil {
		return f, err
	}
	if fs, ok := repo.Storer.(*filesystem.Storage); ok {
		f.fetched, f.fetchFrom = lastFetch(fs.Filesystem())
	}
	f.asOf = f.newestRef
	if f.fetched.After(f.asOf) {
		f.asOf = f.fetched
	}
	if m := readMirror(ctx, repo); m != nil {
		f.mirror = m
		if m.asOf.Before(f.asOf) {
			f.asOf, m.decides = m.asOf, true
		}
	}
	return f, nil
}

// readMirror reads the freshness of the clone's remote when that remote is
// a repository on this machine (an absolute path or a file:// URL), as an
// internal mirror on a shared disk is: a clone fetched today from a mirror
// last updated three months ago holds three-month-old history. Only when
// every remote is local (otherwise the clone may have fetched from the
// forge) and only mirrors, that is repositories with remotes of their own
// (a repository without remotes is the project's own history, as fresh as
// its commits); the freshest of them bounds the clone. A mirror's
// freshness is its last fetch (FETCH_HEAD, remote-tracking reflogs), else
// when its refs were last written (packed-refs: git clone --mirror writes
// it), else its newest branch or tag. One level only; nil when none
// applies.
func readMirror(ctx context.Context, repo *git.Repository) *mirrorFreshness {
	remotes, err := repo.Remotes()
	if err != nil || len(remotes) == 0 {
		return nil
	}
	var dirs []string
	for _, r := range remotes {
		urls := r.Config().URLs
		if len(urls) == 0 {
			return nil
		}
		dir := localRemotePath(urls[0])
		if dir == "" {
			return nil // this remote may be the forge itself
		}
		dirs = append(dirs, dir)
	}
	sort.Strings(dirs) // Remotes() comes from a map
	var best *mirrorFreshness
	for _, dir := range dirs {
		m, err := git.PlainOpenWithOptions(dir, &git.PlainOpenOptions{EnableDotGitCommonDir: true})
		if err != nil {
			continue
		}
		if rs, err := m.Remotes(); err != nil || len(rs) == 0 {
			continue // the project's own repository, not a copy
		}
		mf := &mirrorFreshness{name: filepath.Base(filepath.Clean(dir))}
		mf.newestRef, mf.newestName = newestRefOf(ctx, m)
		mf.asOf = mf.newestRef
		if fs, ok := m.Storer.(*filesystem.Storage); ok {
			mf.fetched, mf.fetchFrom = lastFetch(fs.Filesystem())
			if mf.fetched.IsZero() {
				if fi, err := fs.Filesystem().Stat("packed-refs"); err == nil {
					mf.fetched, mf.fetchFrom = fi.ModTime(), "packed-refs written"
				}
			}
		}
		if mf.fetched.After(mf.asOf) {
			mf.asOf = mf.fetched
		}
		if mf.asOf.IsZero() {
			continue // an empty repository tells nothing
		}
		if best == nil || mf.asOf.After(best.asOf) {
			best = mf
		}
	}
	return best
}

// localRemotePath is the folder a remote URL names on this machine, or "".
func localRemotePath(u string) string {
	if strings.HasPrefix(u, "file://") {
		pu, err := url.Parse(u)
		if err != nil {
			return ""
		}
		p := pu.Path
		if len(p) > 2 && p[0] == '/' && p[2] == ':' { // file:///C:/mirror on Windows
			p = p[1:]
		}
		u = filepath.FromSlash(p)
	}
	if !filepath.IsAbs(u) {
		return "" // https://, ssh://, git@host:path, or a relative path
	}
	if fi, err := os.Stat(u); err != nil || !fi.IsDir() {
		return ""
	}
	return u
}

// newestRefOf is the newest committer date of a branch and tagger (or
// commit) date of a tag in repo, with the ref holding it. Other refs are
// left out: a GitHub mirror holds tens of thousands of refs/pull/*.
func newestRefOf(ctx context.Context, repo *git.Repository) (time.Time, string) {
	var newest time.Time
	var name string
	refs, err := repo.References()
	if err != nil {
		return newest, name
	}
	defer refs.Close()
	_ = refs.ForEach(func(ref *plumbing.Reference) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if ref.Type() != plumbing.HashReference || !(ref.Name().IsBranch() || ref.Name().IsTag()) {
			return nil
		}
		var when time.Time
		if c, err := repo.CommitObject(ref.Hash()); err == nil {
			when = c.Committer.When
		} else if t, err := repo.TagObject(ref.Hash()); err == nil {
			when = t.Tagger.When
		} else {
			return nil // a ref to a tree, a blob or a missing object
		}
		if when.After(newest) {
			newest, name = when, ref.Name().String()
		}
		return nil
	})
	return newest, name
}

// lastFetch is the newest of FETCH_HEAD's modification time and the
// newest entry of the remote-tracking refs' reflogs (logs/refs/remotes),
// with where it came from. Zero when the clone records neither.
func lastFetch(dotgit billy.Filesystem) (time.Time, string) {
	var when time.Time
	var from string
	if fi, err := dotgit.Stat("FETCH_HEAD"); err == nil {
		when, from = fi.ModTime(), "FETCH_HEAD"
	}
	var visit func(dir string)
	visit = func(dir string) {
		entries, err := dotgit.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			if e.IsDir() {
				visit(p)
				continue
			}
			if t, ok := newestReflogEntry(dotgit, p); ok && t.After(when) {
				when, from = t, "reflog of "+strings.TrimPrefix(p, "logs/")
			}
		}
	}
	visit("logs/refs/remotes")
	return when, from
}

// newestReflogEntry reads a reflog, whose lines are
// "<old> <new> <name> <<email>> <unix time> <zone>\t<message>", and returns
// its newest time.
func newestReflogEntry(dotgit billy.Filesystem, name string) (time.Time, bool) {
	file, err := dotgit.Open(name)
	if err != nil {
		return time.Time{}, false
	}
	defer file.Close()
	var newest time.Time
	found := false
	r := bufio.NewReader(io.LimitReader(file, 64<<20))
	for {
		line, err := r.ReadString('\n')
		if i := strings.IndexByte(line, '\t'); i >= 0 {
			line = line[:i]
		}
		if j := strings.LastIndexByte(line, '>'); j >= 0 {
			fields := strings.Fields(line[j+1:])
			if len(fields) >= 1 {
				if sec, perr := strconv.ParseInt(fields[0], 10, 64); perr == nil {
					if t := time.Unix(sec, 0).UTC(); !found || t.After(newest) {
						newest, found = t, true
					}
				}
			}
		}
		if err != nil {
			break
		}
	}
	return newest, found
}

// ageDays is the clone's age at now in days (never below 0).
func (f freshness) ageDays(now time.Time) float64 {
	d := now.Sub(f.asOf).Hours() / 24
	if d < 0 {
		return 0
	}
	return d
}

// stale reports whether the clone was last updated more than 30 days
// before now, so its history cannot tell how active the project is.
func (f freshness) stale(now time.Time) bool {
	return f.clone && f.ageDays(now) > staleAfterDays
}

// evidence is the note every observation carries: how recent the history
// it was read from is.
func (f freshness) evidence() string {
	if !f.clone {
		return fmt.Sprintf("; repository as of %s (no remote: the project's own history, newest ref %s)", day(f.asOf), f.newestName) + f.past
	}
	s := fmt.Sprintf("; clone as of %s (newest ref %s %s", day(f.asOf), f.newestName, day(f.newestRef))
	if f.fetchFrom != "" {
		s += fmt.Sprintf(", last fetch %s by %s", day(f.fetched), f.fetchFrom)
	} else {
		s += ", no fetch recorded"
	}
	if m := f.mirror; m != nil {
		s += fmt.Sprintf("; fetched from the local mirror %s, as of %s (newest ref %s %s", m.name, day(m.asOf), m.newestName, day(m.newestRef))
		switch m.fetchFrom {
		case "":
			s += ", no fetch recorded)"
		case "packed-refs written":
			s += fmt.Sprintf(", no fetch recorded, refs written %s)", day(m.fetched))
		default:
			s += fmt.Sprintf(", last fetch %s by %s)", day(m.fetched), m.fetchFrom)
		}
	}
	return s + ")" + f.past
}

// staleReason is why activity metrics of a stale clone are left
// inconclusive.
func (f freshness) staleReason() string {
	if m := f.mirror; m != nil && m.decides {
		return fmt.Sprintf("clone not updated since %s: its local mirror %s holds nothing newer; update the mirror and fetch to judge the project's activity", day(f.asOf), m.name)
	}
	return fmt.Sprintf("clone not updated since %s: fetch it to judge the project's activity", day(f.asOf))
}

// timeBound lists the metrics measured in windows back from the collection
// time: on a stale clone they describe the clone's gap, not the project.
var timeBound = map[string]bool{
	MetricCommitsPerWeek:               true,
	MetricCommits12m:                   true,
	MetricMerges12m:                    true,
	MetricDaysSinceLast:                true,
	MetricMonthsSinceLast:              true,
	MetricAuthors12m:                   true,
	MetricBusFactor12m:                 true,
	MetricElephantFactor12m:            true,
	MetricOrgCount12m:                  true,
	MetricTags12m:                      true,
	MetricMonthsSinceRelease:           true,
	MetricRelicensedSourceAvailable36m: true,
	MetricContributors12m:              true,
	MetricRelicensed12m:                true,
	MetricLicenseChanges36m:            true,
}

// apply records the clone's age and, on a stale clone, leaves
// every time-bound metric inconclusive: the value read from the clone
// stays in the evidence, the reason says to fetch.
func (f freshness) apply(obs []models.Observation, subject, repo string, now time.Time) []models.Observation {
	stale := f.stale(now)
	for i := range obs {
		if !stale || !timeBound[obs[i].Metric] {
			continue
		}
		o := &obs[i]
		if o.Value != nil {
			// two decimals at most: 25.56 months, not 25.55894630770401
			o.Evidence = fmt.Sprintf("clone shows %s %s: %s", strconv.FormatFloat(math.Round(*o.Value*100)/100, 'f', -1, 64), o.Unit, o.Evidence)
		}
		o.Value, o.Text, o.Reason = nil, "", f.staleReason()
	}
	age := models.Observation{
		SubjectID: subject, Metric: MetricCloneAgeDays, Unit: "days", Source: Source, ObservedAt: now,
		Evidence: fmt.Sprintf("%s − %s", now.UTC().Format(time.RFC3339), f.asOf.UTC().Format(time.RFC3339)) + f.evidence() + " in " + repo,
	}
	if f.clone {
		age.Value = models.Num(f.ageDays(now))
	} else {
		age.Reason = "not a clone: the repository has no remote, its history is the project's own"
	}
	return append(obs, age)
}
