//go:build postgres

package queue

import (
	"context"
	"testing"

	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/store/storetest"
)

// pgStore opens a store on a fresh PostgreSQL database; it fails (never
// skips) when OSGAUGE_TEST_PG_DSN is unset.
func pgStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestPostgresRunCompletes(t *testing.T)    { testRunCompletes(t, pgStore) }
func TestPostgresRunPartial(t *testing.T)      { testRunPartial(t, pgStore) }
func TestPostgresRetryAfterCrash(t *testing.T) { testRetryAfterCrash(t, pgStore) }
func TestPostgresUnique(t *testing.T)          { testUnique(t, pgStore) }
func TestPostgresTwoWorkers(t *testing.T)      { testTwoWorkers(t, pgStore) }
func TestPostgresConcurrentOpen(t *testing.T)  { testConcurrentOpen(t, pgStore) }
func TestPostgresStages(t *testing.T)          { testStages(t, pgStore) }
