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
//
// The store is written outside the mutex that guards the jobs' state, in
// order, by one writer, each write with a deadline (Options.StoreTimeout):
// a store that stops answering (a partition from PostgreSQL) delays the
// records, never Status, Trigger or Stop.
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
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
	// Elector picks the one that schedules. Start then also fires at once
	// each job whose stored next run passed without a start (the old
	// leader died just before firing it), so a handover neither loses nor
	// repeats a scheduled run.
	Shared bool
	// StoreTimeout bounds each write to and read from the store (default
	// DefaultStoreTimeout). A job waits at most this long for its start
	// to be recorded before it runs, and for its end before it is shown
	// finished.
	StoreTimeout time.Duration
	// RecoverRuns is called once by Start, before the schedules start
	// (this node has just become the leader, or serves alone): runs whose
	// owning processes, or queue jobs, are gone are its to mark
	// interrupted. On a Shared store its error is logged and the schedule
	// starts anyway; alone, Start fails. Without it, Start marks the runs
	// of processes that are gone (store.MarkInterrupted).
	RecoverRuns func(ctx context.Context) error
}

// DefaultStoreTimeout is Options.StoreTimeout's default: short enough that
// a leader stepping down (serve gives Stop 30 s) is not held up by a store
// that stopped answering.
const DefaultStoreTimeout = 10 * time.Second

// Scheduler runs jobs on their schedules.
type Scheduler struct {
	rec  Recorder
	opt  Options
	cron *cron.Cron

	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu      sync.Mutex // guards the fields below; never held during I/O
	jobs    map[string]*entry
	order   []string
	started bool
	stopped bool

	// The store writer: records waiting, in order, and whether a drain
	// goroutine runs (ww counts it).
	wmu     sync.Mutex
	ops     []op
	writing bool
	ww      sync.WaitGroup
}

// op is one store write.
type op struct {
	what, job string
	f         func(ctx context.Context) error
	done      chan struct{}
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
	if opt.StoreTimeout <= 0 {
		opt.StoreTimeout = DefaultStoreTimeout
	}
	base, cancel := context.WithCancel(context.Background())
	return &Scheduler{rec: rec, opt: opt, base: base, cancel: cancel, jobs: map[string]*entry{},
		cron: cron.New(cron.WithLogger(cron.DiscardLogger))}
}

func (s *Scheduler) now() time.Time { return s.opt.Now() }

// record queues a store write; the writer runs them in the order queued,
// each with the StoreTimeout deadline, logging failures. The channel is
// closed once the write returned.
func (s *Scheduler) record(what, job string, f func(ctx context.Context) error) <-chan struct{} {
	done := make(chan struct{})
	s.wmu.Lock()
	s.ops = append(s.ops, op{what: what, job: job, f: f, done: done})
	if !s.writing {
		s.writing = true
		s.ww.Add(1)
		go s.drain()
	}
	s.wmu.Unlock()
	return done
}

func (s *Scheduler) drain() {
	defer s.ww.Done()
	for {
		s.wmu.Lock()
		if len(s.ops) == 0 {
			s.writing = false
			s.wmu.Unlock()
			return
		}
		o := s.ops[0]
		s.ops = s.ops[1:]
		s.wmu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), s.opt.StoreTimeout)
		err := o.f(ctx)
		cancel()
		if err != nil {
			s.opt.Logger.Error("record "+o.what, "job", o.job, "err", err)
		}
		close(o.done)
	}
}

// wait waits for a queued write, at most StoreTimeout (the write goes on
// in the background).
func (s *Scheduler) wait(done <-chan struct{}) {
	t := time.NewTimer(s.opt.StoreTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}

// bounded returns ctx with the StoreTimeout deadline.
func (s *Scheduler) bounded(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, s.opt.StoreTimeout)
}

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

// Start recovers from a crash: the runs and jobs whose owning processes
// are gone are marked interrupted (those of live processes, such as a node
// that lost the leadership and is finishing a job, are left alone). It then
// loads each job's stored state, starts the schedules and runs the
// interrupted jobs again, once (unless NoResume). It returns the names of
// the jobs it started at once.
func (s *Scheduler) Start(ctx context.Context) ([]string, error) {
	if s.opt.RecoverRuns != nil {
		if err := s.opt.RecoverRuns(ctx); err != nil {
			if s.opt.Shared { // a leader schedules anyway; recovery is retried by the next one
				s.opt.Logger.Error("leader: recovering the runs of processes that are gone", "err", err)
			} else {
				return nil, fmt.Errorf("scheduler: recover interrupted runs: %w", err)
			}
		}
	} else {
		mctx, cancel := s.bounded(ctx)
		n, err := s.rec.MarkInterrupted(mctx)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("scheduler: mark interrupted runs: %w", err)
		}
		if n > 0 {
			s.opt.Logger.Warn("runs left running by an earlier process marked interrupted", "runs", n)
		}
	}
	mctx, cancel := s.bounded(ctx)
	interrupted, err := s.rec.MarkJobsInterrupted(mctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("scheduler: mark interrupted jobs: %w", err)
	}
	jctx, cancel := s.bounded(ctx)
	stored, err := s.rec.Jobs(jctx)
	cancel()
	if err != nil {
		return nil, fmt.Errorf("scheduler: jobs: %w", err)
	}
	s.mu.Lock()
	if s.started {
		s.mu.Unlock()
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
	type put struct {
		name, spec string
		next       time.Time
	}
	var puts []put
	for _, name := range s.order {
		e := s.jobs[name]
		e.st.NextRun = e.next(now)
		puts = append(puts, put{name, e.job.Spec, e.st.NextRun})
	}
	s.mu.Unlock()
	for _, p := range puts { // outside the lock: Status answers meanwhile
		pctx, cancel := s.bounded(ctx)
		err := s.rec.PutJob(pctx, p.name, p.spec, p.next)
		cancel()
		if err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, name := range s.order {
		if e := s.jobs[name]; e.sched != nil {
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
	if !s.opt.NoResume {
		for _, name := range interrupted {
			if slices.Contains(resumed, name) {
				continue // already fired as a missed slot
			}
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
		s.record("skipped job", name, func(ctx context.Context) error { return s.rec.JobSkipped(ctx, name, next) })
		return nil, fmt.Errorf("%s: %w", name, ErrRunning)
	}
	start := s.now()
	e.st.Running = true
	e.st.LastStart, e.st.LastEnd, e.st.LastOutcome, e.st.LastError, e.st.LastRunID = start, time.Time{}, store.JobRunning, "", 0
	e.st.Runs++
	e.st.NextRun = e.next(start)
	e.done = make(chan struct{})
	done := e.done
	next := e.st.NextRun
	// Recorded before the job runs (the job waits for it, at most
	// StoreTimeout), so that a crash mid-run leaves the job marked running
	// in the store, for the next start to find.
	recorded := s.record("job start", name, func(ctx context.Context) error { return s.rec.JobStarted(ctx, name, start, next) })
	ctx, cancel := context.WithCancel(s.base)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer cancel()
		s.wait(recorded)
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
	next := e.next(end)

	// The end is queued while the job still shows running, so that a new
	// run's start is queued (and written) after it; the job is shown
	// finished once it is written, or after StoreTimeout.
	s.wait(s.record("job end", name, func(ctx context.Context) error {
		return s.rec.JobFinished(ctx, name, end, outcome, msg, res.RunID, next, failure)
	}))
	s.mu.Lock()
	e.st.Running = false
	e.st.LastEnd, e.st.LastOutcome, e.st.LastError, e.st.LastRunID = end, outcome, msg, res.RunID
	e.st.LastDuration = end.Sub(start)
	if failure {
		e.st.Failures++
	}
	e.st.NextRun = next
	st := e.st
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
// and waits for them to return and for their records to be written, or
// for ctx to end. It never waits on the store beyond that: the lock it
// takes is never held during I/O.
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
	case <-ctx.Done():
		return fmt.Errorf("scheduler: jobs still running at shutdown: %w", ctx.Err())
	}
	// Every record is queued once the jobs returned.
	flushed := make(chan struct{})
	go func() { s.ww.Wait(); close(flushed) }()
	select {
	case <-flushed:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("scheduler: the store did not take the jobs' last records at shutdown: %w", ctx.Err())
	}
}
