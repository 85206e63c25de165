package backtest

import (
	"context"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/scorecard"
)

// bigHistory is a 10,000-commit history: five people taking turns every
// 4 hours from 2020-01-01 (to mid-2024), so the as-of date 2022-12-31 has
// about 6,500 commits before it and 2,200 in its horizon.
func bigHistory(b *testing.B) *repoMaker {
	m := newRepo(b, "big")
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	people := []who{ann, bob, cai, dee, eve}
	for i := range 10000 {
		m.commit(people[i%len(people)], start.Add(time.Duration(i)*4*time.Hour))
		if i%500 == 499 {
			m.tag("v" + start.Add(time.Duration(i)*4*time.Hour).Format("2006.01.02"))
		}
	}
	return m
}

// BenchmarkBacktestPerProject is the backtest of one project on a
// 10,000-commit history, everything the command does for it: the outcome
// walk, gitlocal as of the date, the licence files and Scorecard's local
// checks on the tree then, the assessment in a temporary store, the
// summary.
func BenchmarkBacktestPerProject(b *testing.B) {
	m := bigHistory(b)
	target := m.target("big")
	opt := options(b)
	opt.AsOf = time.Date(2022, 12, 31, 23, 59, 59, 0, time.UTC)
	opt.Tree = append(opt.Tree, TreeSource{Collector: scorecard.New()})
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		rep, err := Run(ctx, []collectors.Target{target}, opt)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Projects) != 1 {
			b.Fatalf("left out: %+v", rep.LeftOut)
		}
	}
}

// BenchmarkObserve10k is the outcome walk alone on the same history.
func BenchmarkObserve10k(b *testing.B) {
	m := bigHistory(b)
	m.flush()
	opt := ObserveOptions{AsOf: time.Date(2022, 12, 31, 23, 59, 59, 0, time.UTC), Horizon: 12, Identities: affiliation.NewIdentities(nil, nil)}
	for b.Loop() {
		if _, err := Observe(context.Background(), m.dir, opt); err != nil {
			b.Fatal(err)
		}
	}
}
