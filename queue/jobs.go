package queue

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
)

// Runner does the work of the jobs in a worker process. The CLI implements
// it from the config's collectors and targets.
type Runner interface {
	// Collect runs one source for one subject.
	Collect(ctx context.Context, subjectID, source string) ([]models.Observation, collectors.Cost, error)
}

// Stages are the post-collection steps a Runner may also run (the CLI's
// does): supplier evidence from the latest observations, assessment of a
// period, report files. A worker whose Runner lacks them fails those jobs.
type Stages interface {
	Evidence(ctx context.Context) (observations int, err error)
	Assess(ctx context.Context, period string) error
	Report(ctx context.Context, period string, formats []string) error
}

// Job kinds.
const (
	KindCollect  = "collect_subject"
	KindFinish   = "finish_run"
	KindEvidence = "evidence"
	KindAssess   = "assess"
	KindReport   = "report"
)

// nonFinal are the states of a job that has not finished; a collection is
// unique among them (a finished one may be enqueued again by a new run,
// which has a new run id anyway).
var nonFinal = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

func isFinal(s rivertype.JobState) bool {
	switch s {
	case rivertype.JobStateCompleted, rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
		return true
	}
	return false
}

// runTag tags every job of a run, so that the run's jobs can be listed.
func runTag(runID int64) string { return "run-" + strconv.FormatInt(runID, 10) }

// CollectArgs is one source for one subject of a run.
type CollectArgs struct {
	RunID     int64  `json:"run_id" river:"unique"`
	SubjectID string `json:"subject_id" river:"unique"`
	Source    string `json:"source" river:"unique"`
}

func (CollectArgs) Kind() string { return KindCollect }

func (a CollectArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{
		MaxAttempts: CollectAttempts,
		Tags:        []string{runTag(a.RunID)},
		UniqueOpts:  river.UniqueOpts{ByArgs: true, ByState: nonFinal},
	}
}

// FinishArgs finishes a run once its collections are finalized.
type FinishArgs struct {
	RunID int64 `json:"run_id" river:"unique"`
	// Started is when the run was enqueued (the summary's duration).
	Started time.Time `json:"started"`
	// Skipped and Failed are what the enqueuer already knew: collectors
	// that do not apply, and Prepare steps that failed.
	Skipped []pipeline.Skip    `json:"skipped,omitempty"`
	Failed  []pipeline.Failure `json:"failed,omitempty"`
	Then    *Then              `json:"then,omitempty"`
}

// Then says what follows a finished run: supplier evidence, then, if
// Period is set, the assessment of that period, then, if Formats are set,
// its report.
type Then struct {
	Evidence bool     `json:"evidence"`
	Period   string   `json:"period,omitempty"`
	Formats  []string `json:"formats,omitempty"`
}

func (FinishArgs) Kind() string { return KindFinish }

func (a FinishArgs) InsertOpts() river.InsertOpts {
	return runOpts(a.RunID, 10)
}

// runOpts are the insert options of a run's job: tagged with the run,
// unique by its arguments, tried attempts times.
func runOpts(runID int64, attempts int) river.InsertOpts {
	return river.InsertOpts{MaxAttempts: attempts, Tags: []string{runTag(runID)}, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// EvidenceArgs derives supplier evidence after run RunID.
type EvidenceArgs struct {
	RunID   int64    `json:"run_id" river:"unique"`
	Period  string   `json:"period,omitempty"`
	Formats []string `json:"formats,omitempty"`
}

func (EvidenceArgs) Kind() string { return KindEvidence }

func (a EvidenceArgs) InsertOpts() river.InsertOpts {
	return runOpts(a.RunID, 5)
}

// AssessArgs assesses a period after run RunID.
type AssessArgs struct {
	RunID   int64    `json:"run_id" river:"unique"`
	Period  string   `json:"period"`
	Formats []string `json:"formats,omitempty"`
}

func (AssessArgs) Kind() string { return KindAssess }

func (a AssessArgs) InsertOpts() river.InsertOpts {
	return runOpts(a.RunID, 5)
}

// ReportArgs writes a period's report after run RunID.
type ReportArgs struct {
	RunID   int64    `json:"run_id" river:"unique"`
	Period  string   `json:"period"`
	Formats []string `json:"formats"`
}

func (ReportArgs) Kind() string { return KindReport }

func (a ReportArgs) InsertOpts() river.InsertOpts {
	return runOpts(a.RunID, 5)
}

// collectOutput is recorded with a completed collection (River job output).
type collectOutput struct {
	Observations int             `json:"observations"`
	Written      bool            `json:"written"`
	Cost         collectors.Cost `json:"cost"`
}

// finishOutput is recorded with a completed finish_run job.
type finishOutput struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// cancelled turns a job cancelled by a stopping worker into a snooze, so
// that it is taken again at once by the next worker without losing an
// attempt.
func (q *Queue) cancelled(ctx context.Context, err error) error {
	if q.stopping.Load() && ctx.Err() != nil {
		return river.JobSnooze(0)
	}
	return err
}

type collectWorker struct {
	river.WorkerDefaults[CollectArgs]
	q      *Queue
	runner Runner
}

func (w *collectWorker) Work(ctx context.Context, job *river.Job[CollectArgs]) error {
	a := job.Args
	t0 := time.Now()
	obs, cost, err := safeCollect(ctx, w.runner, a.SubjectID, a.Source)
	if err != nil {
		w.q.log.Warn("collection failed", "run", a.RunID, "source", a.Source, "subject", a.SubjectID, "attempt", job.Attempt, "of", job.MaxAttempts, "error", err)
		return w.q.cancelled(ctx, err)
	}
	for i := range obs {
		obs[i].RunID = a.RunID
	}
	written, err := w.q.st.AppendObservationsOnce(ctx, a.RunID, a.SubjectID, a.Source, obs)
	if err != nil {
		return w.q.cancelled(ctx, fmt.Errorf("store: %w", err))
	}
	w.q.log.Info("collected", "run", a.RunID, "source", a.Source, "subject", a.SubjectID, "observations", len(obs), "written", written, "took", time.Since(t0).Round(time.Millisecond))
	return river.RecordOutput(ctx, collectOutput{Observations: len(obs), Written: written, Cost: cost})
}

// safeCollect runs one collection; a panic in a collector fails that
// collection with a readable error instead of a stack trace.
func safeCollect(ctx context.Context, r Runner, subjectID, source string) (obs []models.Observation, cost collectors.Cost, err error) {
	defer func() {
		if p := recover(); p != nil {
			obs, cost, err = nil, collectors.Cost{RateRemaining: -1}, fmt.Errorf("collector %s panicked: %v", source, p)
		}
	}()
	return r.Collect(ctx, subjectID, source)
}

type finishWorker struct {
	river.WorkerDefaults[FinishArgs]
	q *Queue
}

func (w *finishWorker) Work(ctx context.Context, job *river.Job[FinishArgs]) error {
	a := job.Args
	sum, pending, err := w.q.summary(ctx, a)
	if err != nil {
		return err
	}
	if pending > 0 {
		return river.JobSnooze(w.q.poll)
	}
	if err := w.q.st.FinishRun(ctx, a.RunID, sum.Status, note(sum), sum); err != nil {
		return err
	}
	w.q.log.Info("run finished", "run", a.RunID, "status", sum.Status, "observations", sum.Observations, "failed", len(sum.Failed))
	if a.Then != nil && a.Then.Evidence {
		if err := w.q.insert(ctx, EvidenceArgs{RunID: a.RunID, Period: a.Then.Period, Formats: a.Then.Formats}); err != nil {
			return err
		}
	}
	return river.RecordOutput(ctx, finishOutput{Status: sum.Status, Note: note(sum)})
}

type evidenceWorker struct {
	river.WorkerDefaults[EvidenceArgs]
	q      *Queue
	runner Runner
}

func (w *evidenceWorker) Work(ctx context.Context, job *river.Job[EvidenceArgs]) error {
	s, ok := w.runner.(Stages)
	if !ok {
		return river.JobCancel(errors.New("this worker cannot derive supplier evidence"))
	}
	n, err := s.Evidence(ctx)
	if err != nil {
		return w.q.cancelled(ctx, err)
	}
	w.q.log.Info("supplier evidence", "run", job.Args.RunID, "observations", n)
	if job.Args.Period != "" {
		return w.q.insert(ctx, AssessArgs{RunID: job.Args.RunID, Period: job.Args.Period, Formats: job.Args.Formats})
	}
	return nil
}

type assessWorker struct {
	river.WorkerDefaults[AssessArgs]
	q      *Queue
	runner Runner
}

func (w *assessWorker) Work(ctx context.Context, job *river.Job[AssessArgs]) error {
	s, ok := w.runner.(Stages)
	if !ok {
		return river.JobCancel(errors.New("this worker cannot assess"))
	}
	if err := s.Assess(ctx, job.Args.Period); err != nil {
		return w.q.cancelled(ctx, err)
	}
	if len(job.Args.Formats) > 0 {
		return w.q.insert(ctx, ReportArgs{RunID: job.Args.RunID, Period: job.Args.Period, Formats: job.Args.Formats})
	}
	return nil
}

type reportWorker struct {
	river.WorkerDefaults[ReportArgs]
	q      *Queue
	runner Runner
}

func (w *reportWorker) Work(ctx context.Context, job *river.Job[ReportArgs]) error {
	s, ok := w.runner.(Stages)
	if !ok {
		return river.JobCancel(errors.New("this worker cannot write reports"))
	}
	return w.q.cancelled(ctx, s.Report(ctx, job.Args.Period, job.Args.Formats))
}

// insert enqueues one follow-up job. Its uniqueness (by run id, completed
// jobs included) makes a retried finisher enqueue it once.
func (q *Queue) insert(ctx context.Context, args river.JobArgs) error {
	_, err := q.b.insertMany(ctx, []river.InsertManyParams{{Args: args}})
	return err
}
