package main

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

// A follower node shows the schedule as the leader recorded it in the
// shared store, and refuses manual triggers, naming why.
func TestFollowerShowsLeadersJobs(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC)
	next := start.Add(24 * time.Hour)
	st.PutJob(ctx, "collect", "@daily", start)
	st.JobStarted(ctx, "collect", start, next)
	st.JobFinished(ctx, "collect", start.Add(90*time.Second), "complete", "", 7, next, false)
	tmpl := scheduler.New(st, scheduler.Options{})
	tmpl.Add(scheduler.Job{Name: "collect", Spec: "@daily", Run: func(context.Context) (scheduler.Result, error) { return scheduler.Result{}, nil }})
	jobs := &leadingJobs{template: tmpl, st: st}
	got := jobs.Status()
	if len(got) != 1 || !got[0].LastStart.Equal(start) || !got[0].NextRun.Equal(next) || got[0].LastRunID != 7 ||
		got[0].LastDuration != 90*time.Second || got[0].Running || got[0].Runs != 1 {
		t.Errorf("follower status %+v", got)
	}
	if _, err := jobs.Trigger("collect"); !errors.Is(err, scheduler.ErrNotLeader) {
		t.Errorf("trigger on a follower: %v", err)
	}
	if _, err := jobs.Trigger("nope"); !errors.Is(err, scheduler.ErrUnknown) {
		t.Errorf("unknown job: %v", err)
	}
}
