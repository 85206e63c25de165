package main

import (
	"context"
	"sync"
	"time"

	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

// leadingJobs is the server's view of the schedule on a node that may or
// may not lead it: the running scheduler while this node leads, else the
// jobs' state as the leader recorded it in the shared store.
type leadingJobs struct {
	template *scheduler.Scheduler // the job definitions, never started
	st       *store.Store
	mu       sync.Mutex
	current  *scheduler.Scheduler
}

func (j *leadingJobs) set(s *scheduler.Scheduler) {
	j.mu.Lock()
	j.current = s
	j.mu.Unlock()
}

func (j *leadingJobs) leader() *scheduler.Scheduler {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.current
}

func (j *leadingJobs) Status() []scheduler.Status {
	if s := j.leader(); s != nil {
		return s.Status()
	}
	out := j.template.Status()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	stored, err := j.st.Jobs(ctx)
	if err != nil {
		return out
	}
	byName := map[string]store.Job{}
	for _, r := range stored {
		byName[r.Name] = r
	}
	for i, s := range out {
		if r, ok := byName[s.Name]; ok {
			out[i].Recorded(r)
			out[i].Running, out[i].NextRun = r.LastOutcome == store.JobRunning, r.NextRun
		}
	}
	return out
}

func (j *leadingJobs) Trigger(name string) (<-chan struct{}, error) {
	if s := j.leader(); s != nil {
		return s.Trigger(name)
	}
	if !j.template.Has(name) {
		return nil, scheduler.ErrUnknown
	}
	// A scheduler.NotLeaderError naming the leader, when the store says.
	nl := &scheduler.NotLeaderError{}
	if j.st.Driver() == store.DriverPostgres {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if id, err := scheduler.Leader(ctx, j.st.DB()); err == nil {
			nl.Leader = id
		}
	}
	return nil, nl
}

// Leading says whether this node fires the schedule now (/api/v1/status's
// "leader").
func (j *leadingJobs) Leading() bool { return j.leader() != nil }

func (j *leadingJobs) Period(name string) time.Duration { return j.template.Period(name) }
func (j *leadingJobs) Has(name string) bool             { return j.template.Has(name) }
