package queue

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/riverqueue/river"
)

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
			}
		}
	}
	bg := context.WithoutCancel(ctx)
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
