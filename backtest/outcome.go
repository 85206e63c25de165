package backtest

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/gitlocal"
)

// Outcomes, spelled as the JSON contract spells them.
const (
	Abandoned = "abandoned"
	Declining = "declining"
	Alive     = "alive"
)

// Reasons a project is left out (LeftOutProject.Code).
const (
	CodeNoClone        = "no_clone"
	CodeNoHistory      = "no_history_before"
	CodeHistoryEnds    = "history_ends_before_horizon"
	CodeNotAssessed    = "not_assessed"
	CodeUnreadableRepo = "unreadable_repository"
)

// Window counts a history window's activity by people (bots left out
// through the identity layer, .mailmap applied).
type Window struct {
	// PersonCommits are commits authored by a person, merges included (a
	// maintainer merging is maintenance): the abandoned rule reads them.
	PersonCommits int `json:"person_commits"`
	// Commits are people's non-merge commits and Authors the distinct
	// people who made them: the declining rule reads them, as gitlocal's
	// people metrics count.
	Commits int `json:"commits"`
	Authors int `json:"authors"`
	// BotCommits are the commits left out as automation's.
	BotCommits int `json:"bot_commits"`
}

// Observation is what the history shows after (and before) the as-of
// instant.
type Observation struct {
	Outcome string `json:"outcome,omitempty"`
	// Why says in words how the outcome was read.
	Why string `json:"why"`
	// Before is (as-of − horizon, as-of], After (as-of, as-of + horizon],
	// by committer date.
	Before Window `json:"before"`
	After  Window `json:"after"`
	// LastPersonCommit is the newest commit by a person by the end of the
	// horizon (committer date), zero when none was seen.
	LastPersonCommit time.Time `json:"last_person_commit,omitzero"`
	// HistoryEnds is the newest commit the clone holds (committer date).
	HistoryEnds time.Time `json:"history_ends"`
	// Start is the commit HEAD's first-parent line held at the as-of
	// instant, the tree the assessment read.
	Start string `json:"start_commit,omitempty"`
	// LeftOut is set (a Code*) when the outcome cannot be observed.
	LeftOut string `json:"-"`
	// Walked counts the commits read.
	Walked int `json:"-"`
}

// ObserveOptions are the rules' inputs beside the clone.
type ObserveOptions struct {
	AsOf    time.Time
	Horizon int // months
	// Identities tells bots from people; nil means the built-in rules. The
	// clone's .mailmap (at HEAD) is applied on top.
	Identities *affiliation.Identities
	// FetchedAt, when known, is when the clone's history was fetched from
	// its source: a history ending before the horizon's end but fetched
	// after it is complete, not cut short.
	FetchedAt time.Time
}

// Observe reads a clone's outcome over the horizon after opt.AsOf:
//
//   - abandoned: no commit by a person in (as-of, as-of + horizon];
//   - declining: people's non-merge commits and their distinct authors both
//     down by half or more, the horizon against the same length before the
//     as-of instant (after ≤ before / 2, before ≥ 1);
//   - alive otherwise.
//
// A project whose HEAD holds no commit committed by the as-of instant is
// left out (CodeNoHistory). So is one whose history is cut short: the
// newest commit the clone holds is before the horizon's end, a person
// committed in the horizon (so the project is not abandoned by the rule),
// and the clone is not known to have been fetched after the horizon's end
// (CodeHistoryEnds): its horizon is only partly seen, so "declining" and
// "alive" cannot be told apart. A history with no person's commit from the
// as-of instant to its end is abandoned even when it ends early: nobody
// committed in what the clone shows of the horizon.
func Observe(ctx context.Context, path string, opt ObserveOptions) (*Observation, error) {
	repo, done, err := openRepo(path)
	if err != nil {
		return nil, err
	}
	defer done()
	asOf := opt.AsOf
	end := asOf.AddDate(0, opt.Horizon, 0)
	begin := asOf.AddDate(0, -opt.Horizon, 0)
	o := &Observation{}
	start, err := startAsOf(repo, asOf)
	if errors.Is(err, errNoHistoryYet) {
		o.LeftOut = CodeNoHistory
		o.Why = fmt.Sprintf("no commit on HEAD was committed by %s: the history begins later", day(asOf))
		return o, nil
	}
	if err != nil {
		return nil, err
	}
	o.Start = start.Hash.String()
	head, err := repo.Head()
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	headCommit, err := object.GetCommit(repo.Storer, head.Hash())
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	mm, err := mailmapAt(headCommit)
	if err != nil {
		return nil, err
	}
	ids := opt.Identities.WithMailmap(mm)
	people := map[[2]string]affiliation.Person{}
	resolve := func(c *object.Commit) affiliation.Person {
		k := [2]string{c.Author.Name, c.Author.Email}
		p, ok := people[k]
		if !ok {
			p = ids.Resolve(c.Author.Name, c.Author.Email, "")
			people[k] = p
		}
		return p
	}
	before, after := map[string]bool{}, map[string]bool{}
	err = gitlocal.Walk(ctx, repo, head.Hash(), func(c *object.Commit) bool {
		o.Walked++
		when := c.Committer.When
		if o.HistoryEnds.IsZero() || when.After(o.HistoryEnds) {
			o.HistoryEnds = when
		}
		if !when.After(begin) {
			return false // committer-time order: the rest is older
		}
		if when.After(end) {
			return true
		}
		p := resolve(c)
		w, authors := &o.Before, before
		if when.After(asOf) {
			w, authors = &o.After, after
		}
		if p.Bot {
			w.BotCommits++
			return true
		}
		w.PersonCommits++
		if o.LastPersonCommit.IsZero() || when.After(o.LastPersonCommit) {
			o.LastPersonCommit = when
		}
		if len(c.ParentHashes) < 2 {
			w.Commits++
			authors[p.Key] = true
		}
		return true
	})
	if err != nil {
		return nil, fmt.Errorf("git log HEAD: %w", err)
	}
	o.Before.Authors, o.After.Authors = len(before), len(after)
	cut := o.HistoryEnds.Before(end) && (opt.FetchedAt.IsZero() || opt.FetchedAt.Before(end))
	switch {
	case o.After.PersonCommits == 0:
		o.Outcome = Abandoned
		o.Why = fmt.Sprintf("no commit by a person from %s to %s", day(asOf), day(end))
		if cut {
			o.Why += fmt.Sprintf(" (the clone's history ends %s)", day(o.HistoryEnds))
		}
		if o.After.BotCommits > 0 {
			o.Why += fmt.Sprintf("; %d commit(s) by bots left out", o.After.BotCommits)
		}
	case cut:
		o.LeftOut = CodeHistoryEnds
		o.Why = fmt.Sprintf("the clone's history ends %s, before the horizon's end %s, and people committed after %s: the horizon is only partly seen",
			day(o.HistoryEnds), day(end), day(asOf))
	case o.Before.Commits > 0 && 2*o.After.Commits <= o.Before.Commits && 2*o.After.Authors <= o.Before.Authors:
		o.Outcome = Declining
		o.Why = fmt.Sprintf("people's commits %d → %d and authors %d → %d, the %d months after %s against the %d months before: both down by half or more",
			o.Before.Commits, o.After.Commits, o.Before.Authors, o.After.Authors, opt.Horizon, day(asOf), opt.Horizon)
	default:
		o.Outcome = Alive
		o.Why = fmt.Sprintf("people's commits %d → %d and authors %d → %d, the %d months after %s against the %d months before",
			o.Before.Commits, o.After.Commits, o.Before.Authors, o.After.Authors, opt.Horizon, day(asOf), opt.Horizon)
	}
	return o, nil
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
