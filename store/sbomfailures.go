package store

import (
	"context"
	"time"
)

// ImportFailure is one SBOM import that failed: the file could not be read
// or parsed, so the system's previous snapshot (if any) is no longer its
// current state but the last one known.
type ImportFailure struct {
	System   string
	Path     string
	Error    string
	FailedAt time.Time
}

// RecordImportFailure keeps a failed import, so that every report can mark
// the system stale with the error until an import succeeds.
func (s *Store) RecordImportFailure(ctx context.Context, f ImportFailure) error {
	_, err := s.exec(ctx, `INSERT INTO sbom_import_failures (system, path, error, failed_at) VALUES (?, ?, ?, ?)`,
		f.System, f.Path, f.Error, ts(f.FailedAt))
	return err
}

// FailedImports returns, per system, its latest failed import when no
// snapshot was stored after it: the systems whose inventory is stale.
func (s *Store) FailedImports(ctx context.Context) (map[string]ImportFailure, error) {
	rows, err := s.query(ctx, `SELECT system, path, error, failed_at FROM sbom_import_failures
		WHERE id IN (SELECT MAX(id) FROM sbom_import_failures GROUP BY system)`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]ImportFailure{}
	for rows.Next() {
		var f ImportFailure
		var at string
		if err := rows.Scan(&f.System, &f.Path, &f.Error, &at); err != nil {
			return nil, err
		}
		f.FailedAt = parseTS(at)
		out[f.System] = f
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	snaps, err := s.CurrentSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	for _, sn := range snaps {
		if f, ok := out[sn.System]; ok && !sn.ImportedAt.Before(f.FailedAt) {
			delete(out, sn.System) // imported again since
		}
	}
	return out, nil
}
