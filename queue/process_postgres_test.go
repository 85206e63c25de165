//go:build postgres

package queue

import "testing"

func TestPostgresDeadWorker(t *testing.T)     { testDeadWorker(t, pgStore) }
func TestPostgresLiveWorkerKept(t *testing.T) { testLiveWorkerKept(t, pgStore) }

func TestPostgresWrittenThenDiscarded(t *testing.T) { testWrittenThenDiscarded(t, pgStore) }
func TestPostgresRetryCountsWritten(t *testing.T)   { testRetryCountsWritten(t, pgStore) }
func TestPostgresRecoverRuns(t *testing.T)          { testRecoverRuns(t, pgStore) }
