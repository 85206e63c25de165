package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/queue"
	"github.com/osgauge/osgauge/store"
)

func newWorkerCmd(g *globals) *cobra.Command {
	var concurrency int
	var rescueAfter, deadAfter time.Duration
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Take collection jobs from the queue in the store",
		Long: `worker takes collection jobs from the durable queue kept in the store that
osgauge.yaml names (store.dsn or store.dsn_env), runs them with the collectors of this config
and writes their observations, until it is stopped (Ctrl-C or SIGTERM: jobs
in progress get ` + queue.GracefulStop.String() + ` to finish, then go back to the queue).

Enqueue a run with 'osgauge collect --queue'. Run several workers on several
machines against one PostgreSQL store to share the work; a SQLite store is
shared only by processes on one machine. Each job is retried (up to ` + fmt.Sprint(queue.CollectAttempts) + `
attempts, with backoff) and written exactly once; a run is complete, or
partial with its failures listed, when every job has finished. Workers also
run the steps that follow a run: supplier evidence, and assess and report
when the run asked for them. Every worker needs the same config (the
projects' local_path clones, tokens in the environment). A project without
local_path is cloned or fetched into the worker's clones.dir by the job that
first needs it (locked, so workers sharing the directory never fetch into
or evict a clone another is reading; a fetch younger than 15 minutes is
reused).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSession(cmd, g, nil, func(s *session, ctx context.Context) error {
				return s.work(ctx, concurrency, rescueAfter, deadAfter)
			})
		},
	}
	cmd.Flags().IntVar(&concurrency, "concurrency", 0, "jobs worked at a time (default: the number of CPUs, at least github.concurrency)")
	cmd.Flags().DurationVar(&rescueAfter, "rescue-after", queue.JobTimeout+15*time.Minute,
		"a job running longer than this on a live worker is taken for stuck and run again (it is cancelled after 2/3 of it); its observations are still written once")
	cmd.Flags().DurationVar(&deadAfter, "dead-after", queue.DeadAfter,
		"a worker whose heartbeat (every 10s) is older than this is taken for dead (killed, machine lost): the jobs it was running are run again by another worker")
	return cmd
}

// work runs queue jobs until ctx is done.
func (s *session) work(ctx context.Context, concurrency int, rescueAfter, deadAfter time.Duration) error {
	if concurrency <= 0 {
		concurrency = max(runtime.NumCPU(), s.cfg.GitHub.Concurrency)
	}
	q, err := queue.Open(ctx, s.st)
	if err != nil {
		return err
	}
	defer q.Close()
	q.SetRescueAfter(rescueAfter)
	q.SetDeadAfter(deadAfter)
	q.SetLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	r, err := newQueueRunner(ctx, s)
	if err != nil {
		return err
	}
	fmt.Fprintf(s.w, "worker: taking jobs from the %s store's queue, %d at a time (Ctrl-C stops)\n", s.st.Driver(), concurrency)
	return q.Work(ctx, concurrency, r)
}

// queueCollect is `osgauge collect --queue [--no-wait]`: it starts a run,
// registers its subjects, enqueues one job per subject and source (the
// same ones an in-process collect would run) and, unless noWait, waits for
// the workers to finish the run and its supplier evidence, showing
// progress, then prints the run's summary.
func queueCollect(ctx context.Context, s *session, targets []collectors.Target, only []string, noWait bool) error {
	colls, err := allCollectors(s.cfg, s.set, s.st, only)
	if err != nil {
		return err
	}
	if targets, err = s.discovered(ctx, targets, colls); err != nil {
		return err
	}
	q, err := queue.Open(ctx, s.st)
	if err != nil {
		return err
	}
	defer q.Close()
	runID, err := s.st.StartRun(ctx, "collect", "")
	if err != nil {
		return err
	}
	jobs, opt, err := planQueueRun(ctx, s, targets, colls)
	if err == nil {
		err = q.EnqueueRun(ctx, runID, jobs, opt)
	}
	if err == nil {
		// From now on the queue carries the run (this process may exit):
		// queue.RecoverRuns looks after it, not this process's heartbeat.
		err = s.st.SetRunOwner(ctx, runID, store.OwnerQueue)
	}
	if err != nil {
		s.st.FinishRun(context.WithoutCancel(ctx), runID, store.RunFailed, err.Error(), nil)
		return err
	}
	fmt.Fprintf(s.w, "collection run %d: %d jobs on the queue\n", runID, len(jobs))
	if noWait {
		fmt.Fprintf(s.w, "run 'osgauge worker' to work them; the run is complete when every job has finished\n")
		return nil
	}
	status, err := q.Wait(ctx, runID, func(done, total int) {
		fmt.Fprintf(os.Stderr, "queue: run %d: %d/%d collections finished\n", runID, done, total)
	})
	if err != nil {
		return err
	}
	if err := q.WaitAll(ctx, runID); err != nil {
		return err
	}
	sum, _, err := q.Summary(ctx, runID)
	if err != nil {
		return err
	}
	sum.Status = status
	printCollect(s.w, sum)
	s.failed += len(sum.Failed)
	return nil
}

// planQueueRun registers the subjects, runs the collectors' once-per-run
// preparation here (SBOM imports) and lists the jobs, with the same
// skipping rules as an in-process collection (pipeline.Collect).
func planQueueRun(ctx context.Context, s *session, targets []collectors.Target, colls []collectors.Collector) ([]queue.CollectJob, queue.RunOptions, error) {
	opt := queue.RunOptions{Then: &queue.Then{Evidence: true}}
	for _, t := range targets {
		if err := s.st.PutSubject(ctx, t.Subject); err != nil {
			return nil, opt, err
		}
	}
	// A project osgauge clones has no clone here yet: the worker that runs
	// its job makes it, so its clone-reading collectors are planned as if
	// it were there.
	if cl := pipeline.ClonesFromConfig(s.cfg); cl != nil {
		for i, c := range colls {
			if c.Needs().Clone {
				colls[i] = cloneLater{c, cl}
			}
		}
	}
	planned, skipped, failed := pipeline.Plan(ctx, targets, colls, func(line string) { fmt.Fprintln(os.Stderr, line) })
	opt.Skipped, opt.Failed = append(opt.Skipped, skipped...), append(opt.Failed, failed...)
	jobs := make([]queue.CollectJob, 0, len(planned))
	for _, p := range planned {
		jobs = append(jobs, queue.CollectJob{SubjectID: p.Target.Subject.ID, Source: p.Collector.Name()})
	}
	return jobs, opt, nil
}

// cloneLater plans a clone-reading collector for a project whose managed
// clone a worker makes when it runs the job.
type cloneLater struct {
	collectors.Collector
	clones *pipeline.Clones
}

func (c cloneLater) Applies(t collectors.Target) (bool, string) {
	if c.clones.Managed(t) {
		return true, ""
	}
	return c.Collector.Applies(t)
}

// queueRunner works a worker's jobs with the config's collectors and
// targets (queue.Runner and queue.Stages).
type queueRunner struct {
	s      *session
	colls  map[string]collectors.Collector
	clones *pipeline.Worker // nil when clones.enabled is false

	mu      sync.Mutex // targets only: never held across I/O other than reloading them
	targets map[string]collectors.Target

	reportMu sync.Mutex // one report at a time (they write the same files); collections never wait for it
}

func newQueueRunner(ctx context.Context, s *session) (*queueRunner, error) {
	colls, err := allCollectors(s.cfg, s.set, s.st, nil)
	if err != nil {
		return nil, err
	}
	r := &queueRunner{s: s, colls: map[string]collectors.Collector{}, clones: pipeline.ClonesFromConfig(s.cfg).Worker()}
	for _, c := range colls {
		r.colls[c.Name()] = c
	}
	return r, r.loadTargets(ctx)
}

// loadTargets reads the config's targets and those the SBOMs discovered
// (as stored by the collect that enqueued the run).
func (r *queueRunner) loadTargets(ctx context.Context) error {
	ts := pipeline.Targets(r.s.cfg)
	found, err := pipeline.DiscoveredTargets(ctx, r.s.st, r.s.cfg.Inventory.Assess, ts)
	if err != nil {
		return err
	}
	r.targets = map[string]collectors.Target{}
	for _, t := range append(ts, found...) {
		r.targets[t.Subject.ID] = t
	}
	return nil
}

func (r *queueRunner) target(ctx context.Context, id string) (collectors.Target, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if t, ok := r.targets[id]; ok {
		return t, nil
	}
	// A project discovered in an SBOM after this worker started.
	if err := r.loadTargets(ctx); err != nil {
		return collectors.Target{}, err
	}
	if t, ok := r.targets[id]; ok {
		return t, nil
	}
	return collectors.Target{}, fmt.Errorf("subject %s is not in this worker's config (%s)", id, r.s.cfg.Path)
}

func (r *queueRunner) Collect(ctx context.Context, subjectID, source string) ([]models.Observation, collectors.Cost, error) {
	none := collectors.Cost{RateRemaining: -1}
	c, ok := r.colls[source]
	if !ok {
		return nil, none, fmt.Errorf("this worker has no %s collector", source)
	}
	t, err := r.target(ctx, subjectID)
	if err != nil {
		return nil, none, err
	}
	if !c.Needs().Clone {
		return c.Collect(ctx, t)
	}
	// The project's managed clone, prepared (or reused) and held while
	// the collector reads it; its clones observations ride with the job
	// that fetched it.
	t, cobs, release, skip, err := r.clones.Use(ctx, t)
	defer release()
	if err != nil || skip {
		return nil, none, err
	}
	if ok, _ := c.Applies(t); !ok {
		return cobs, none, nil
	}
	obs, cost, err := c.Collect(ctx, t)
	if err != nil {
		return nil, cost, err
	}
	return append(obs, cobs...), cost, nil
}

func (r *queueRunner) Evidence(ctx context.Context) (int, error) {
	suppliers, supports := pipeline.Suppliers(r.s.cfg)
	n, err := pipeline.DeriveEvidence(ctx, r.s.st, suppliers, supports, time.Now())
	if err != nil {
		return n, err
	}
	m, err := pipeline.DeriveContinuity(ctx, r.s.st, r.s.cfg, r.s.set, time.Now())
	return n + m, err
}

func (r *queueRunner) Assess(ctx context.Context, period string) error {
	p, err := assess.ParsePeriod(period)
	if err != nil {
		return err
	}
	_, err = pipeline.Assess(ctx, r.s.st, r.s.set, p, time.Now(), r.s.cfg.Exceptions)
	return err
}

func (r *queueRunner) Report(ctx context.Context, period string, formats []string) error {
	p, err := assess.ParsePeriod(period)
	if err != nil {
		return err
	}
	r.reportMu.Lock()
	defer r.reportMu.Unlock()
	cfg := *r.s.cfg
	cfg.Report.Formats = formats
	s := *r.s
	s.cfg, s.period, s.now = &cfg, p, time.Now()
	return s.report(ctx)
}
