package queue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// CollectJob is one source to run for one subject.
type CollectJob struct {
	SubjectID string
	Source    string
}

// RunOptions are what EnqueueRun records beside the collections.
type RunOptions struct {
	// Skipped and Failed are known before the jobs run (collectors that do
	// not apply, failed Prepare steps); they end up in the run's summary.
	Skipped []pipeline.Skip
	Failed  []pipeline.Failure
	// Then chains evidence, assess and report after the run (nil: none).
	Then *Then
}

// EnqueueRun puts a run's collections and its finisher on the queue in one
// transaction: a crash never leaves half a run enqueued. Enqueuing the same
// run again adds nothing (the jobs are unique).
func (q *Queue) EnqueueRun(ctx context.Context, runID int64, jobs []CollectJob, opt RunOptions) error {
	params := make([]river.InsertManyParams, 0, len(jobs)+1)
	for _, j := range jobs {
		params = append(params, river.InsertManyParams{Args: CollectArgs{RunID: runID, SubjectID: j.SubjectID, Source: j.Source}})
	}
	params = append(params, river.InsertManyParams{Args: FinishArgs{RunID: runID, Started: time.Now().UTC(), Skipped: opt.Skipped, Failed: opt.Failed, Then: opt.Then}})
	if _, err := q.b.insertMany(ctx, params); err != nil {
		return fmt.Errorf("queue: enqueue run %d: %w", runID, err)
	}
	return nil
}

// runJobs lists a run's jobs of the given kinds.
func (q *Queue) runJobs(ctx context.Context, runID int64, kinds ...string) ([]*rivertype.JobRow, error) {
	return q.b.list(ctx, river.NewJobListParams().Kinds(kinds...).TagsAll(runTag(runID)).
		States(allStates...).OrderBy(river.JobListOrderByID, river.SortOrderAsc))
}

// collectionCounter is the store's count of what each collection of a run
// wrote (*store.Store has it).
type collectionCounter interface {
	RunCollectionCounts(ctx context.Context, runID int64) (map[string]int, error)
}

var allStates = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateCancelled, rivertype.JobStateCompleted,
	rivertype.JobStateDiscarded, rivertype.JobStatePending, rivertype.JobStateRetryable,
	rivertype.JobStateRunning, rivertype.JobStateScheduled,
}

// Summary is what run runID's collections did so far, in the same shape as
// an in-process collection's; pending counts the collections not yet
// finalized.
func (q *Queue) Summary(ctx context.Context, runID int64) (sum *pipeline.CollectSummary, pending int, err error) {
	fin, err := q.runJobs(ctx, runID, KindFinish)
	if err != nil {
		return nil, 0, err
	}
	if len(fin) == 0 {
		return nil, 0, fmt.Errorf("queue: run %d is not on the queue", runID)
	}
	var a FinishArgs
	if err := json.Unmarshal(fin[0].EncodedArgs, &a); err != nil {
		return nil, 0, err
	}
	return q.summary(ctx, a)
}

func (q *Queue) summary(ctx context.Context, a FinishArgs) (*pipeline.CollectSummary, int, error) {
	jobs, err := q.runJobs(ctx, a.RunID, KindCollect)
	if err != nil {
		return nil, 0, err
	}
	sum := &pipeline.CollectSummary{
		RunID: a.RunID, BySource: map[string]int{}, Cost: map[string]collectors.Cost{}, SubjectCost: map[string]collectors.Cost{},
		Skipped: append([]pipeline.Skip(nil), a.Skipped...), Failed: append([]pipeline.Failure(nil), a.Failed...),
	}
	// What the store holds decides: a finalized collection is done when its
	// data is written (even if the job delivering it was then discarded,
	// e.g. a rescued last attempt), and it counts the observations written,
	// not those of a retry that found them already there.
	var stored map[string]int
	if c, ok := q.st.(collectionCounter); ok {
		if stored, err = c.RunCollectionCounts(ctx, a.RunID); err != nil {
			return nil, 0, err
		}
	}
	pending := 0
	for _, j := range jobs {
		var args CollectArgs
		if err := json.Unmarshal(j.EncodedArgs, &args); err != nil {
			return nil, 0, fmt.Errorf("queue: job %d: %w", j.ID, err)
		}
		var out collectOutput
		if b := j.Output(); len(b) > 0 {
			if err := json.Unmarshal(b, &out); err != nil {
				return nil, 0, fmt.Errorf("queue: job %d output: %w", j.ID, err)
			}
		}
		n, written := stored[args.SubjectID+"\x00"+args.Source]
		state := j.State
		switch {
		case written:
			out.Observations = n
			if isFinal(state) { // a job still retrying finishes soon, writing nothing
				state = rivertype.JobStateCompleted
			}
		case stored != nil && state == rivertype.JobStateCompleted && !out.Written:
			out.Observations = 0 // nothing of it is in the store
		}
		switch state {
		case rivertype.JobStateCompleted:
			sum.Observations += out.Observations
			sum.BySource[args.Source] += out.Observations
			c, ok := sum.Cost[args.Source]
			if !ok {
				c.RateRemaining = -1
			}
			sum.Cost[args.Source] = c.Add(out.Cost)
			if out.Cost.Requests > 0 {
				sc, ok := sum.SubjectCost[args.SubjectID]
				if !ok {
					sc.RateRemaining = -1
				}
				sum.SubjectCost[args.SubjectID] = sc.Add(out.Cost)
			}
		case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
			msg := string(j.State)
			if n := len(j.Errors); n > 0 {
				msg = j.Errors[n-1].Error
				if n > 1 {
					msg += fmt.Sprintf(" (after %d attempts)", n)
				}
			}
			sum.Failed = append(sum.Failed, pipeline.Failure{Source: args.Source, Subject: args.SubjectID, Error: msg})
		default:
			pending++
		}
	}
	sort.Slice(sum.Failed, func(i, j int) bool {
		return sum.Failed[i].Subject+sum.Failed[i].Source < sum.Failed[j].Subject+sum.Failed[j].Source
	})
	if !a.Started.IsZero() {
		sum.Duration = time.Since(a.Started)
	}
	sum.Status = store.RunComplete
	if len(sum.Failed) > 0 {
		sum.Status = store.RunPartial
	}
	if pending > 0 {
		sum.Status = store.RunRunning
	}
	return sum, pending, nil
}

// note is the run's one-line note, as an in-process collection writes it.
func note(s *pipeline.CollectSummary) string {
	srcs := make([]string, 0, len(s.BySource))
	for k := range s.BySource {
		srcs = append(srcs, k)
	}
	sort.Strings(srcs)
	var parts []string
	for _, src := range srcs {
		parts = append(parts, fmt.Sprintf("%s %d", src, s.BySource[src]))
	}
	n := fmt.Sprintf("%d observations (%s)", s.Observations, strings.Join(parts, ", "))
	if len(s.Failed) > 0 {
		n += fmt.Sprintf("; %d failed", len(s.Failed))
	}
	if len(s.Skipped) > 0 {
		n += fmt.Sprintf("; %d skipped", len(s.Skipped))
	}
	return n + "; via the queue"
}

// Wait polls until run runID is finished and returns its status (complete
// or partial). progress, if not nil, is told how many of the run's
// collections are finalized whenever that changes.
func (q *Queue) Wait(ctx context.Context, runID int64, progress func(done, total int)) (string, error) {
	lastDone, lastTotal := -1, -1
	for {
		fin, err := q.runJobs(ctx, runID, KindFinish)
		if err != nil {
			return "", err
		}
		if len(fin) == 0 {
			return "", fmt.Errorf("queue: run %d is not on the queue", runID)
		}
		if progress != nil {
			jobs, err := q.runJobs(ctx, runID, KindCollect)
			if err != nil {
				return "", err
			}
			done := 0
			for _, j := range jobs {
				if isFinal(j.State) {
					done++
				}
			}
			if done != lastDone || len(jobs) != lastTotal {
				progress(done, len(jobs))
				lastDone, lastTotal = done, len(jobs)
			}
		}
		f := fin[0]
		switch f.State {
		case rivertype.JobStateCompleted:
			var out finishOutput
			if err := json.Unmarshal(f.Output(), &out); err != nil || out.Status == "" {
				return "", fmt.Errorf("queue: run %d finished without a status", runID)
			}
			return out.Status, nil
		case rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
			msg := string(f.State)
			if n := len(f.Errors); n > 0 {
				msg = f.Errors[n-1].Error
			}
			return "", fmt.Errorf("queue: finishing run %d failed: %s", runID, msg)
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(q.poll):
		}
	}
}

// WaitAll waits until every job of run runID is finished, the steps that
// follow the run (evidence, assess, report) included. It fails when one of
// those steps failed for good.
func (q *Queue) WaitAll(ctx context.Context, runID int64) error {
	for {
		jobs, err := q.runJobs(ctx, runID, KindCollect, KindFinish, KindEvidence, KindAssess, KindReport)
		if err != nil {
			return err
		}
		pending := 0
		var failed []string
		for _, j := range jobs {
			switch {
			case !isFinal(j.State):
				pending++
			case j.Kind != KindCollect && j.State != rivertype.JobStateCompleted:
				msg := string(j.State)
				if n := len(j.Errors); n > 0 {
					msg = j.Errors[n-1].Error
				}
				failed = append(failed, j.Kind+": "+msg)
			}
		}
		if pending == 0 {
			if len(failed) > 0 {
				return fmt.Errorf("queue: run %d: %s", runID, strings.Join(failed, "; "))
			}
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(q.poll):
		}
	}
}

var errNoRunner = errors.New("queue: Work needs a Runner")

// RecoverRuns marks interrupted the runs whose owners are gone, on either
// driver, and returns their ids. It is what a new scheduling leader (or
// serve on one node) calls before its schedules start; calling it again,
// or on several nodes, is harmless (only runs still running are marked,
// and only when their owner is gone):
//
//   - a run whose finisher is still on the queue is alive, whoever started
//     it (its owner is set to the queue if the enqueuer died before saying
//     so);
//   - a run owned by the queue whose finisher is gone or failed for good
//     is interrupted;
//   - a run owned by a process (in-process collect, assess, serve's own
//     jobs, or a `collect --queue` that crashed before enqueuing its jobs)
//     is interrupted once that process stops heartbeating
//     (store.ProcessDeadAfter; at once for a dead pid on the same host).
func RecoverRuns(ctx context.Context, st *store.Store) ([]int64, error) {
	runs, err := st.RunningRuns(ctx)
	if err != nil {
		return nil, fmt.Errorf("queue: recover runs: %w", err)
	}
	if len(runs) == 0 {
		return nil, nil
	}
	q, err := Open(ctx, st)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	var out []int64
	for _, r := range runs {
		fin, err := q.runJobs(ctx, r.ID, KindFinish)
		if err != nil {
			return out, fmt.Errorf("queue: recover run %d: %w", r.ID, err)
		}
		if len(fin) > 0 && !isFinal(fin[0].State) {
			if r.Owner != store.OwnerQueue {
				if err := st.SetRunOwner(ctx, r.ID, store.OwnerQueue); err != nil {
					return out, err
				}
			}
			continue
		}
		if r.Owner != store.OwnerQueue {
			continue // a process's run: below
		}
		why := "its jobs are no longer on the queue"
		if len(fin) > 0 {
			why = "finishing it on the queue ended " + string(fin[0].State)
		}
		ok, err := st.MarkRunInterrupted(ctx, r.ID, why)
		if err != nil {
			return out, err
		}
		if ok {
			out = append(out, r.ID)
		}
	}
	// Runs of processes that are gone.
	ids, err := st.MarkInterruptedRuns(ctx)
	if err != nil {
		return out, fmt.Errorf("queue: recover runs: %w", err)
	}
	return append(out, ids...), nil
}
