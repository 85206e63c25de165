package pipeline

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// historian is a fake that can compute as of a date and stamps its
// observations with the wall clock: the run records them at the as-of
// instant whatever the collector says.
type historian struct{ fake }

func (historian) AsOf(collectors.Target) (bool, string) { return true, "" }

// eodUTC is 23:59:59 UTC of a day: `collect --as-of DAY`'s instant.
func eodUTC(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, time.UTC) }

// asOfRepo commits, each at 23:59:59 UTC: Alice 2025-01-15, Bob 2025-06-10,
// Carol 2025-09-20, Alice 2026-11-20.
func asOfRepo(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "proj")
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, email string
		when        time.Time
	}{
		{"Alice", "alice@acme.com", eodUTC(2025, 1, 15)},
		{"Bob", "bob@acme.com", eodUTC(2025, 6, 10)},
		{"Carol", "carol@globex.cn", eodUTC(2025, 9, 20)},
		{"Alice", "alice@acme.com", eodUTC(2026, 11, 20)},
	} {
		sig := &object.Signature{Name: c.name, Email: c.email, When: c.when}
		if _, err := wt.Commit("work", &git.CommitOptions{Author: sig, Committer: sig, AllowEmptyCommits: true}); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A collection of today, then a backfill as of 2025-09-30 stored after
// it: each period reads its own figures, the later-stored past ones never
// replace today's; the sources without history are skipped with their
// reason; every backfilled observation is recorded at the as-of instant.
//
// Today is 2026-12-01 23:59:59 (gitlocal's clock): the 12-month window
// from 2025-12-01 23:59:59 holds Alice's 2026-11-20 only: 1 commit, 11
// days since it. As of 2025-09-30 23:59:59 the window from 2024-09-30
// holds Alice, Bob and Carol: 3 commits, 10 days since Carol's.
func TestCollectAsOfBackfill(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	today := eodUTC(2026, 12, 1)
	gl := &gitlocal.Collector{Now: func() time.Time { return today }}
	present := fake{name: "forgefake", values: map[string]float64{"forgefake.stars": 10}}
	past := historian{fake{name: "histfake", values: map[string]float64{"histfake.x": 1}}}
	targets := []collectors.Target{{
		Subject:   models.Subject{Kind: models.KindProject, ID: "example.org/proj", Name: "proj"},
		LocalPath: asOfRepo(t),
	}}
	colls := []collectors.Collector{gl, present, past}

	if _, err := Collect(ctx, st, targets, colls, CollectOptions{}); err != nil {
		t.Fatal(err)
	}
	asOf := eodUTC(2025, 9, 30)
	sum, err := Collect(ctx, st, targets, colls, CollectOptions{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	if sum.AsOf == nil || !sum.AsOf.Equal(asOf) {
		t.Errorf("summary as_of = %v, want %s", sum.AsOf, asOf)
	}
	if len(sum.Skipped) != 1 || sum.Skipped[0].Source != "forgefake" ||
		sum.Skipped[0].Reason != "reads only the present state, which has no history; skipped as of 2025-09-30" {
		t.Errorf("skipped = %+v, want forgefake with its reason", sum.Skipped)
	}
	if sum.BySource["gitlocal"] == 0 || sum.BySource["histfake"] != 1 || sum.BySource["forgefake"] != 0 {
		t.Errorf("by source = %v", sum.BySource)
	}
	if !strings.Contains(sum.note(), "as of 2025-09-30") {
		t.Errorf("run note %q does not say as of when", sum.note())
	}

	hist, err := st.History(ctx, "example.org/proj", "histfake.x")
	if err != nil || len(hist) != 2 {
		t.Fatalf("histfake.x history = %v, %v", hist, err)
	}
	if !hist[1].ObservedAt.Equal(asOf) {
		t.Errorf("backfilled histfake.x observed at %s, want %s (the collector said the wall clock)", hist[1].ObservedAt, asOf)
	}

	check := func(until time.Time, commits, days float64, observed time.Time) {
		t.Helper()
		facts, err := st.LatestFacts(ctx, until)
		if err != nil {
			t.Fatal(err)
		}
		f := facts["example.org/proj"]
		for metric, want := range map[string]float64{gitlocal.MetricCommits12m: commits, gitlocal.MetricDaysSinceLast: days} {
			o := f[metric]
			if o.Value == nil || *o.Value != want || !o.ObservedAt.Equal(observed) {
				got := "no value"
				if o.Value != nil {
					got = strconv.FormatFloat(*o.Value, 'g', -1, 64)
				}
				t.Errorf("until %s: %s = %s observed %s, want %g observed %s", until, metric, got, o.ObservedAt, want, observed)
			}
		}
	}
	check(today, 1, 11, today)                                       // the present, though the backfill was stored after it
	check(time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), 3, 10, asOf) // 2025Q3's end
	// The forge fake has nothing as of 2025Q3: its only observation is today's.
	facts, _ := st.LatestFacts(ctx, time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC))
	if _, ok := facts["example.org/proj"]["forgefake.stars"]; ok {
		t.Error("2025Q3 reads a forge figure collected today")
	}
}

// A date after the run's clock is refused before anything is stored.
func TestCollectAsOfFuture(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, err = Collect(ctx, st, nil, nil, CollectOptions{AsOf: time.Now().Add(48 * time.Hour)})
	if err == nil || !strings.Contains(err.Error(), "a date in the future has no history yet") {
		t.Errorf("err = %v", err)
	}
}
