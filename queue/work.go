package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivertype"
)

// DeadAfter is how long a worker may miss its heartbeats (written every
// 10 s) before it is taken for dead (killed, its machine lost) and the
// jobs it was running are run again by another worker.
const DeadAfter = time.Minute

// SetDeadAfter sets how long a worker may go without a heartbeat before
// its running jobs are taken for lost and run again (DeadAfter by
// default). It should span several heartbeats (10 s each).
func (q *Queue) SetDeadAfter(d time.Duration) {
	if d > 0 {
		q.deadAfter = d
	}
}

// Work takes jobs from the queue, concurrency at a time, until ctx is done.
// Then it stops taking jobs and lets running ones finish for up to
// GracefulStop; jobs still running after that are cancelled and go back to
// the queue at once, without losing an attempt, for another worker.
func (q *Queue) Work(ctx context.Context, concurrency int, runner Runner) error {
	if runner == nil {
		return errNoRunner
	}
	if concurrency < 1 {
		concurrency = 1
	}
	id := workerID()
	workers := river.NewWorkers()
	river.AddWorker(workers, &collectWorker{q: q, runner: runner})
	river.AddWorker(workers, &finishWorker{q: q})
	river.AddWorker(workers, &evidenceWorker{q: q, runner: runner})
	river.AddWorker(workers, &assessWorker{q: q, runner: runner})
	river.AddWorker(workers, &reportWorker{q: q, runner: runner})
	cfg := &river.Config{
		ID:                          id,
		Logger:                      q.log,
		Queues:                      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: concurrency}},
		Workers:                     workers,
		FetchPollInterval:           q.fetchPoll,
		FetchCooldown:               min(q.fetchPoll, 100*time.Millisecond),
		JobTimeout:                  q.jobTimeout,
		RescueStuckJobsAfter:        q.rescue,
		RetryPolicy:                 q.retry,
		CompletedJobRetentionPeriod: 7 * 24 * time.Hour, // the finisher of a long run still sees every collection
	}
	q.stopping.Store(false)
	if err := q.beat(ctx, id, true); err != nil {
		return fmt.Errorf("queue: worker heartbeat: %w", err)
	}
	client, err := q.b.work(ctx, cfg)
	if err != nil {
		return fmt.Errorf("queue: start worker: %w", err)
	}
	tick := time.NewTicker(q.heartbeat)
	defer tick.Stop()
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-tick.C:
			if err := q.beat(ctx, id, false); err != nil && ctx.Err() == nil {
				q.log.Warn("worker heartbeat", "error", err)
				continue // this worker may be the one that looks dead
			}
			if n, err := q.RescueDead(ctx); err != nil && ctx.Err() == nil {
				q.log.Warn("rescuing the jobs of dead workers", "error", err)
			} else if n > 0 {
				q.log.Warn("jobs of a worker that stopped heartbeating run again", "jobs", n, "dead_after", q.deadAfter)
			}
		}
	}
	bg := context.WithoutCancel(ctx)
	// Jobs finishing during the graceful stop are still this worker's: keep
	// heartbeating, so that no other worker takes them for a dead one's.
	stopped := make(chan struct{})
	defer close(stopped)
	go func() {
		t := time.NewTicker(q.heartbeat)
		defer t.Stop()
		for {
			select {
			case <-stopped:
				return
			case <-t.C:
				q.beat(bg, id, false)
			}
		}
	}()
	soft, cancel := context.WithTimeout(bg, q.graceful)
	err = client.Stop(soft)
	cancel()
	if err != nil {
		q.log.Warn("jobs still running after the graceful stop: cancelling them", "waited", q.graceful)
		q.stopping.Store(true)
		hard, cancel := context.WithTimeout(bg, 30*time.Second)
		err = client.StopAndCancel(hard)
		cancel()
	}
	q.b.exec(bg, `DELETE FROM osgauge_queue_workers WHERE id = ?`, id)
	return err
}

// beat records that worker id is alive.
func (q *Queue) beat(ctx context.Context, id string, first bool) error {
	now := time.Now().Unix()
	if first {
		host, _ := os.Hostname()
		return q.b.exec(ctx, `INSERT INTO osgauge_queue_workers (id, host, pid, started_at, seen_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at`, id, host, int64(os.Getpid()), now, now)
	}
	return q.b.exec(ctx, `UPDATE osgauge_queue_workers SET seen_at = ? WHERE id = ?`, now, id)
}

func workerID() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// QueueStats is the queue's state for /metrics.
type QueueStats struct {
	// ByState counts jobs by River state (available, running, retryable,
	// scheduled, completed, discarded, cancelled, pending).
	ByState map[string]int `json:"by_state"`
	// Workers counts the worker processes seen in the last three
	// heartbeats.
	Workers int `json:"workers"`
	// Depth is the jobs waiting to run (available, retryable, scheduled,
	// pending).
	Depth int `json:"depth"`
}

// Stats counts the queue's jobs and live workers.
func (q *Queue) Stats(ctx context.Context) (QueueStats, error) {
	by, err := q.b.queryCounts(ctx, `SELECT CAST(state AS TEXT), COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return QueueStats{}, fmt.Errorf("queue: stats: %w", err)
	}
	s := QueueStats{ByState: by}
	for _, st := range []string{"available", "retryable", "scheduled", "pending"} {
		s.Depth += by[st]
	}
	since := time.Now().Add(-3 * q.heartbeat).Unix()
	w, err := q.b.queryCounts(ctx, `SELECT 'workers', COUNT(*) FROM osgauge_queue_workers WHERE seen_at >= ?`, since)
	if err != nil {
		return QueueStats{}, fmt.Errorf("queue: stats: %w", err)
	}
	s.Workers = w["workers"]
	return s, nil
}

// RescueDead puts the running jobs of workers that stopped heartbeating
// more than the dead-after time ago (or whose heartbeat row is gone) back
// on the queue at once, as River's own rescuer does for a job running
// longer than --rescue-after: an attempt left becomes available now, the
// last attempt is discarded. Every live worker calls it on its heartbeat.
// It returns how many jobs it rescued.
func (q *Queue) RescueDead(ctx context.Context) (int, error) {
	res, ok := q.b.(rescuer)
	if !ok {
		return 0, nil
	}
	horizon := time.Now().UTC()
	running, err := q.b.list(ctx, river.NewJobListParams().States(rivertype.JobStateRunning).OrderBy(river.JobListOrderByID, river.SortOrderAsc))
	if err != nil || len(running) == 0 {
		return 0, err
	}
	live, err := q.liveWorkers(ctx)
	if err != nil {
		return 0, err
	}
	p := &riverdriver.JobRescueManyParams{StuckHorizon: horizon}
	now := time.Now().UTC()
	for _, j := range running {
		if len(j.AttemptedBy) == 0 || j.AttemptedAt == nil || !j.AttemptedAt.Before(horizon) {
			continue
		}
		by := j.AttemptedBy[len(j.AttemptedBy)-1]
		if live[by] {
			continue
		}
		e, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(j.Attempt, 0),
			Error: fmt.Sprintf("worker %s stopped heartbeating (dead after %s): job run again", by, q.deadAfter)})
		if err != nil {
			return 0, err
		}
		p.ID, p.Error = append(p.ID, j.ID), append(p.Error, e)
		if j.Attempt < j.MaxAttempts {
			p.State, p.ScheduledAt, p.FinalizedAt = append(p.State, string(rivertype.JobStateAvailable)), append(p.ScheduledAt, now), append(p.FinalizedAt, nil)
		} else {
			p.State, p.ScheduledAt, p.FinalizedAt = append(p.State, string(rivertype.JobStateDiscarded)), append(p.ScheduledAt, j.ScheduledAt), append(p.FinalizedAt, &now)
		}
	}
	if len(p.ID) == 0 {
		return 0, nil
	}
	if err := res.rescueMany(ctx, p); err != nil {
		return 0, fmt.Errorf("queue: rescue: %w", err)
	}
	return len(p.ID), nil
}

// liveWorkers returns the ids of the workers seen within the dead-after
// time.
func (q *Queue) liveWorkers(ctx context.Context) (map[string]bool, error) {
	since := time.Now().Add(-q.deadAfter).Unix()
	rows, err := q.b.queryCounts(ctx, `SELECT id, 1 FROM osgauge_queue_workers WHERE seen_at >= ?`, since)
	if err != nil {
		return nil, err
	}
	live := make(map[string]bool, len(rows))
	for id := range rows {
		live[id] = true
	}
	return live, nil
}

type rescuer interface {
	rescueMany(ctx context.Context, p *riverdriver.JobRescueManyParams) error
}

func (b *riverBackend[TTx]) rescueMany(ctx context.Context, p *riverdriver.JobRescueManyParams) error {
	_, err := b.driver.GetExecutor().JobRescueMany(ctx, p)
	return err
}
