package store

import (
	"context"
	"fmt"
)

// migrations are applied in order, each once, each in its own transaction.
// Never edit a migration that has shipped: add a new one. Files that own a
// table add theirs with addMigration from init, so versions 3, 4, … can
// live beside the code that uses them.
var migrations = []string{
	// 1: runs, subjects, observations (append-only), results.
	`CREATE TABLE runs (
		id          INTEGER PRIMARY KEY AUTOINCREMENT,
		kind        TEXT NOT NULL,
		period      TEXT NOT NULL DEFAULT '',
		status      TEXT NOT NULL,
		started_at  TEXT NOT NULL,
		finished_at TEXT,
		note        TEXT,
		stats       TEXT
	);
	CREATE TABLE subjects (
		id         TEXT PRIMARY KEY,
		kind       TEXT NOT NULL,
		name       TEXT NOT NULL,
		attrs      TEXT NOT NULL DEFAULT '{}',
		first_seen TEXT NOT NULL
	);
	CREATE TABLE observations (
		id          INTEGER PRIMARY KEY AUTOINCREMENT,
		run_id      INTEGER NOT NULL REFERENCES runs(id),
		subject_id  TEXT NOT NULL,
		metric      TEXT NOT NULL,
		value       REAL,
		text        TEXT NOT NULL DEFAULT '',
		unit        TEXT NOT NULL DEFAULT '',
		source      TEXT NOT NULL,
		observed_at TEXT NOT NULL,
		evidence    TEXT NOT NULL DEFAULT '',
		reason      TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX observations_subject_metric ON observations (subject_id, metric, id);
	CREATE INDEX observations_run ON observations (run_id);
	CREATE TRIGGER observations_no_update BEFORE UPDATE ON observations
		BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
	CREATE TRIGGER observations_no_delete BEFORE DELETE ON observations
		BEGIN SELECT RAISE(ABORT, 'observations are append-only'); END;
	CREATE TABLE results (
		id            INTEGER PRIMARY KEY AUTOINCREMENT,
		run_id        INTEGER NOT NULL REFERENCES runs(id),
		period        TEXT NOT NULL,
		subject_id    TEXT NOT NULL,
		model_id      TEXT NOT NULL,
		model_version TEXT NOT NULL,
		model_hash    TEXT NOT NULL,
		score         REAL,
		grade         TEXT NOT NULL DEFAULT '',
		level         INTEGER NOT NULL DEFAULT 0,
		coverage      REAL NOT NULL,
		status        TEXT NOT NULL,
		detail        TEXT NOT NULL,
		assessed_at   TEXT NOT NULL
	);
	CREATE INDEX results_period ON results (period, run_id);`,
	// 2: HTTP cache for conditional requests (ETag / If-None-Match) and
	// collector state such as incremental "since" watermarks. Keyed by the
	// caller (which must keep credentials out of the key).
	`CREATE TABLE http_cache (
		key        TEXT PRIMARY KEY,
		etag       TEXT NOT NULL DEFAULT '',
		body       BLOB,
		updated_at TEXT NOT NULL
	);`,
}

var extraMigrations = map[int]string{}

// addMigration registers migration version v (3 and up).
func addMigration(v int, sql string) {
	if v <= 2 || extraMigrations[v] != "" {
		panic(fmt.Sprintf("store: migration %d registered twice or reserved", v))
	}
	extraMigrations[v] = sql
}

// allMigrations returns every migration in order; versions must not have gaps.
func allMigrations() []string {
	all := append([]string(nil), migrations...)
	for v := len(all) + 1; ; v++ {
		sql, ok := extraMigrations[v]
		if !ok {
			break
		}
		all = append(all, sql)
	}
	if len(all) != len(migrations)+len(extraMigrations) {
		panic("store: migration versions have a gap")
	}
	return all
}

func (s *Store) migrate(ctx context.Context) error {
	migrations := allMigrations()
	if _, err := s.db.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	var current int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return err
	}
	if current > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this osgauge (%d): upgrade osgauge", current, len(migrations))
	}
	for v := current + 1; v <= len(migrations); v++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v-1]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, datetime('now'))`, v); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the applied schema version.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}
