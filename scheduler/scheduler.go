// Package scheduler runs osgauge's jobs (collect, scorecard, report) on
// their cron schedules for `osgauge serve`, on robfig/cron v3.
//
// A job never overlaps itself: a fire (or a manual trigger) while the job
// is still running is skipped and counted. A panic in a job is recovered
// and recorded as the job's outcome. Each job's last start, end, outcome
// and next run are kept in memory and in the store (table jobs), so that
// they survive a restart. On start, runs and jobs that a crashed process
// left "running" are marked interrupted (never complete), and the jobs
// that were interrupted run again at once. Stop cancels running jobs
// through their context and waits for them.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/osgauge/osgauge/store"
)

// Result is what a job reports about the run it did.
type Result struct {
	// RunID is the store run the job recorded (0 when none).
	RunID int64
	// Outcome overrides the recorded outcome when the job succeeded, e.g.
	// "partial" for a collection in which some sources failed.
	Outcome string
}

// Func is a job's work. It must return when ctx is cancelled.
type Func func(ctx context.Context) (Result, error)

// Job is a named piece of work on a schedule.
type Job struct {
	// Name identifies the job (collect, scorecard, report); it is also
	// the config key of its schedule, for messages.
	Name string
	// Spec is a standard cron spec ("0 6 * * 1") or a descriptor
	// ("@daily", "@every 6h"). Empty: the job runs only when triggered.
	Spec string
	// Schedule, when set, is used instead of parsing Spec (tests use it
	// for sub-second schedules, which "@every" rounds up to 1s).
	Schedule cron.Schedule
	Run      Func
}

// Recorder persists job state; *store.Store is one.
type Recorder interface {
	PutJob(ctx context.Context, name, spec string, next time.Time) error
	JobStarted(ctx context.Context, name string, start, next time.Time) error
	JobFinished(ctx context.Context, name string, end time.Time, outcome, errMsg string, runID int64, next time.Time, failure bool) error
	JobSkipped(ctx context.Context, name string, next time.Time) error
	MarkJobsInterrupted(ctx context.Context) ([]string, error)
	MarkInterrupted(ctx context.Context) (int64, error)
	Jobs(ctx context.Context) ([]store.Job, error)
}

// Status is what is known about one job.
type Status struct {
	Name         string        `json:"name"`
	Spec         string        `json:"spec"`
	Running      bool          `json:"running"`
	LastStart    time.Time     `json:"last_start,omitzero"`
	LastEnd      time.Time     `json:"last_end,omitzero"`
	LastOutcome  string        `json:"last_outcome,omitempty"`
	LastError    string        `json:"last_error,omitempty"`
	LastRunID    int64         `json:"last_run_id,omitempty"`
	LastDuration time.Duration `json:"last_duration_ns,omitempty"`
	NextRun      time.Time     `json:"next_run,omitzero"`
	Runs         int           `json:"runs"`
	Failures     int           `json:"failures"`
	Skipped      int           `json:"skipped"`
}

// Recorded takes the last run's facts from a job's stored state.
func (st *Status) Recorded(j store.Job) {
	st.LastStart, st.LastEnd, st.LastOutcome, st.LastError = j.LastStart, j.LastEnd, j.LastOutcome, j.LastError
	st.LastRunID, st.Runs, st.Failures, st.Skipped = j.LastRunID, j.Runs, j.Failures, j.Skipped
	if !j.LastEnd.IsZero() && j.LastEnd.After(j.LastStart) {
		st.LastDuration = j.LastEnd.Sub(j.LastStart)
	}
}

// Period returns the time between the job's next two fires (0 when it
// has no schedule), so that callers can tell what counts as stale.
func (s *Scheduler) Period(name string) time.Duration {
	s.mu.Lock()
	e := s.jobs[name]
	s.mu.Unlock()
	if e == nil || e.sched == nil {
		return 0
	}
	a := e.sched.Next(s.now())
	return e.sched.Next(a).Sub(a)
}

// Errors from Trigger.
var (
	ErrRunning = errors.New("job is already running")
	ErrUnknown = errors.New("unknown job")
	ErrStopped = errors.New("scheduler is stopped")
)

// Options tune a scheduler.
type Options struct {
	Logger *slog.Logger
	// Now is the clock for start/end times and next runs (time.Now).
	Now func() time.Time
	// OnFinish is called after each run of a job, e.g. for metrics.
	OnFinish func(st Status)
	// NoResume keeps jobs interrupted by a crash from running again at
	// once on Start; they wait for their next fire.
	NoResume bool
	// Shared is set when several serve nodes share the store and an
	// Elector picks the one that schedules. Start then leaves other
	// processes' runs alone (queue workers may be running them), resumes
	// nothing, and fires at once each job whose stored next run passed
	// without a start (the old leader died just before firing it), so a
	// handover neither loses nor repeats a scheduled run.
	Shared bool
}

// Scheduler runs jobs on their schedules.
type Scheduler struct {
	rec  Recorder
	opt  Options
	cron *cron.Cron

	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex
	jobs    map[string]*entry
	order   []string
	started bool
	stopped bool
}

type entry struct {
	job   Job
	sched cron.Schedule // nil: on demand only
	st    Status
	done  chan struct{} // closed when the current run ends
}

// New returns a scheduler that records to rec.
func New(rec Recorder, opt Options) *Scheduler {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	base, cancel := context.WithCancel(context.Background())
	return &Scheduler{rec: rec, opt: opt, base: base, cancel: cancel, jobs: map[string]*entry{},
		cron: cron.New(cron.WithLogger(cron.DiscardLogger))}
}

func (s *Scheduler) now() time.Time { return s.opt.Now() }

// Add registers a job; call it before Start. A spec that does not parse is
// an error naming schedule.<name>.
func (s *Scheduler) Add(j Job) error {
	if j.Name == "" || j.Run == nil {
		return errors.New("scheduler: a job needs a name and a func")
	}
	sched := j.Schedule
	if sched == nil && j.Spec != "" {
		var err error
		sched, err = cron.ParseStandard(j.Spec)
		if err != nil {
			return fmt.Errorf("schedule.%s: %q is not a cron spec or descriptor (e.g. \"@daily\", \"0 6 * * 1\"): %w", j.Name, j.Spec, err)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("scheduler: Add after Start")
	}
	if s.jobs[j.Name] != nil {
		return fmt.Errorf("scheduler: job %s added twice", j.Name)
	}
	s.jobs[j.Name] = &entry{job: j, sched: sched, st: Status{Name: j.Name, Spec: j.Spec}}
	s.order = append(s.order, j.Name)
	return nil
}

// Start recovers from a crash (runs and jobs left "running" are marked
// interrupted), loads each job's stored state, starts the schedules and
// runs the interrupted jobs again (unless NoResume). It returns the names
// of the jobs it resumed.
func (s *Scheduler) Start(ctx context.Context) ([]string, error) {
	if !s.opt.Shared {
		n, err := s.rec.MarkInterrupted(ctx)
		if err != nil {
			return nil, fmt.Errorf("scheduler: mark interrupted runs: %w", err)
		}
		if n > 0 {
			s.opt.Logger.Warn("runs left running by an earlier process marked interrupted", "runs", n)
		}
	}
	interrupted, err := s.rec.MarkJobsInterrupted(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduler: mark interrupted jobs: %w", err)
	}
	stored, err := s.rec.Jobs(ctx)
	if err != nil {
		return nil, fmt.Errorf("scheduler: jobs: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return nil, errors.New("scheduler: started twice")
	}
	s.started = true
	for _, j := range stored {
		if e := s.jobs[j.Name]; e != nil {
			e.st.Recorded(j)
		}
	}
	now := s.now()
	var missed []string
	for _, j := range stored {
		if e := s.jobs[j.Name]; e != nil && s.opt.Shared && e.sched != nil &&
			!j.NextRun.IsZero() && !j.NextRun.After(now) && j.LastStart.Before(j.NextRun) {
			missed = append(missed, j.Name)
		}
	}
	for _, name := range s.order {
		e := s.jobs[name]
		e.st.NextRun = e.next(now)
		if err := s.rec.PutJob(ctx, name, e.job.Spec, e.st.NextRun); err != nil {
			return nil, err
		}
		if e.sched != nil {
			s.cron.Schedule(e.sched, cron.FuncJob(func() { s.fire(name) }))
		}
	}
	s.cron.Start()
	var resumed []string
	for _, name := range missed {
		if _, err := s.startLocked(name); err == nil {
			s.opt.Logger.Info("job whose scheduled run passed during a leader handover runs now", "job", name)
			resumed = append(resumed, name)
		}
	}
	if !s.opt.NoResume && !s.opt.Shared {
		for _, name := range interrupted {
			if _, err := s.startLocked(name); err == nil {
				s.opt.Logger.Info("job interrupted by the last shutdown runs again", "job", name)
				resumed = append(resumed, name)
			}
		}
	}
	return resumed, nil
}

func (e *entry) next(now time.Time) time.Time {
	if e.sched == nil {
		return time.Time{}
	}
	return e.sched.Next(now)
}

// fire is the cron entry of a job.
func (s *Scheduler) fire(name string) {
	if _, err := s.Trigger(name); errors.Is(err, ErrRunning) {
		s.opt.Logger.Warn("job still running: this fire is skipped", "job", name)
	}
}

// Trigger starts a job now, in the background. It returns ErrRunning (and
// counts a skip) when the job is still running, and a channel closed when
// the run it started ends.
func (s *Scheduler) Trigger(name string) (<-chan struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.startLocked(name)
}

func (s *Scheduler) startLocked(name string) (<-chan struct{}, error) {
	e := s.jobs[name]
	switch {
	case e == nil:
		return nil, fmt.Errorf("%w %q", ErrUnknown, name)
	case s.stopped:
		return nil, ErrStopped
	case e.st.Running:
		e.st.Skipped++
		next := e.next(s.now())
		e.st.NextRun = next
		if err := s.rec.JobSkipped(context.Background(), name, next); err != nil {
			s.opt.Logger.Error("record skipped job", "job", name, "err", err)
		}
		return nil, fmt.Errorf("%s: %w", name, ErrRunning)
	}
	start := s.now()
	e.st.Running = true
	e.st.LastStart, e.st.LastEnd, e.st.LastOutcome, e.st.LastError, e.st.LastRunID = start, time.Time{}, store.JobRunning, "", 0
	e.st.Runs++
	e.st.NextRun = e.next(start)
	e.done = make(chan struct{})
	done := e.done
	// Recorded before the job runs, so that a crash mid-run leaves the job
	// marked running in the store, for the next start to find.
	if err := s.rec.JobStarted(context.Background(), name, start, e.st.NextRun); err != nil {
		s.opt.Logger.Error("record job start", "job", name, "err", err)
	}
	ctx, cancel := context.WithCancel(s.base)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		s.run(ctx, e, start)
		close(done)
	}()
	return done, nil
}

func (s *Scheduler) run(ctx context.Context, e *entry, start time.Time) {
	name := e.job.Name
	s.opt.Logger.Info("job started", "job", name)
	res, err, panicked := call(ctx, e.job.Run)
	end := s.now()
	outcome := store.JobOK
	switch {
	case panicked:
		outcome = store.JobPanicked
		s.opt.Logger.Error("job panicked", "job", name, "err", err)
	case err != nil && ctx.Err() != nil:
		outcome = store.JobInterrupted
	case err != nil:
		outcome = store.JobFailed
	case res.Outcome != "":
		outcome = res.Outcome
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	failure := outcome == store.JobPanicked || outcome == store.JobInterrupted || outcome == store.JobFailed

	s.mu.Lock()
	e.st.Running = false
	e.st.LastEnd, e.st.LastOutcome, e.st.LastError, e.st.LastRunID = end, outcome, msg, res.RunID
	e.st.LastDuration = end.Sub(start)
	if failure {
		e.st.Failures++
	}
	e.st.NextRun = e.next(end)
	st := e.st
	// Recorded under the lock so that a new run cannot start (and record
	// its start) before this end is recorded.
	if rerr := s.rec.JobFinished(context.Background(), name, end, outcome, msg, res.RunID, st.NextRun, failure); rerr != nil {
		s.opt.Logger.Error("record job end", "job", name, "err", rerr)
	}
	s.mu.Unlock()

	level := slog.LevelInfo
	if failure {
		level = slog.LevelError
	}
	s.opt.Logger.Log(context.Background(), level, "job finished", "job", name, "outcome", outcome, "run", res.RunID,
		"took", st.LastDuration.Round(time.Millisecond), "err", msg, "next", st.NextRun)
	if s.opt.OnFinish != nil {
		s.opt.OnFinish(st)
	}
}

// call runs f and turns a panic into an error.
func call(ctx context.Context, f Func) (res Result, err error, panicked bool) {
	defer func() {
		if p := recover(); p != nil {
			res, err, panicked = Result{}, fmt.Errorf("panic: %v\n%s", p, debug.Stack()), true
		}
	}()
	res, err = f(ctx)
	return res, err, false
}

// Status returns every job's state, in the order they were added.
func (s *Scheduler) Status() []Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Status, 0, len(s.order))
	for _, name := range s.order {
		out = append(out, s.jobs[name].st)
	}
	return out
}

// Running reports whether the job is running.
func (s *Scheduler) Running(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.jobs[name]
	return e != nil && e.st.Running
}

// Has reports whether a job of that name is registered.
func (s *Scheduler) Has(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.jobs[name] != nil
}

// Stop stops the schedules, cancels running jobs through their context
// and waits for them to return, or for ctx to end.
func (s *Scheduler) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	s.mu.Unlock()
	<-s.cron.Stop().Done() // our cron entries only start goroutines: quick
	s.cancel()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scheduler: jobs still running at shutdown: %w", ctx.Err())
	}
}
