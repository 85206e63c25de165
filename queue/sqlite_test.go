package queue

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/osgauge/osgauge/store"
)

func sqliteStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestSQLiteRunCompletes(t *testing.T)    { testRunCompletes(t, sqliteStore) }
func TestSQLiteRunPartial(t *testing.T)      { testRunPartial(t, sqliteStore) }
func TestSQLiteRetryAfterCrash(t *testing.T) { testRetryAfterCrash(t, sqliteStore) }
func TestSQLiteUnique(t *testing.T)          { testUnique(t, sqliteStore) }
func TestSQLiteTwoWorkers(t *testing.T)      { testTwoWorkers(t, sqliteStore) }
func TestSQLiteConcurrentOpen(t *testing.T)  { testConcurrentOpen(t, sqliteStore) }
func TestSQLiteStages(t *testing.T)          { testStages(t, sqliteStore) }
