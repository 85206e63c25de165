package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
)

// Migration 11: the ledger's mirror. The ledger's files (decisions and
// exits, beside the config) are the record; this table mirrors them so
// that serve, reports and check read them from the store. One row per
// record id, upserted on each sync. A record whose file is gone is
// withdrawn, never deleted: in the bank's git a deleted decision file is a
// reverted decision, and what was in force, and when, stays answerable.
func init() {
	addMigration(11, `CREATE TABLE ledger_records (
		id           TEXT PRIMARY KEY,
		kind         TEXT NOT NULL,
		target       TEXT NOT NULL,
		versions     TEXT NOT NULL DEFAULT '',
		state        TEXT NOT NULL,
		status       TEXT NOT NULL,
		superseded_by TEXT NOT NULL DEFAULT '',
		at           TEXT NOT NULL,
		file         TEXT NOT NULL DEFAULT '',
		record       TEXT NOT NULL,
		first_synced TEXT NOT NULL,
		synced_at    TEXT NOT NULL,
		withdrawn_at TEXT NOT NULL DEFAULT ''
	);
	CREATE INDEX ledger_records_target ON ledger_records (target, kind, at);`,
		// PostgreSQL
		`CREATE TABLE ledger_records (
		id           TEXT COLLATE "C" PRIMARY KEY,
		kind         TEXT COLLATE "C" NOT NULL,
		target       TEXT COLLATE "C" NOT NULL,
		versions     TEXT COLLATE "C" NOT NULL DEFAULT '',
		state        TEXT COLLATE "C" NOT NULL,
		status       TEXT COLLATE "C" NOT NULL,
		superseded_by TEXT COLLATE "C" NOT NULL DEFAULT '',
		at           TEXT COLLATE "C" NOT NULL,
		file         TEXT COLLATE "C" NOT NULL DEFAULT '',
		record       TEXT COLLATE "C" NOT NULL,
		first_synced TEXT COLLATE "C" NOT NULL,
		synced_at    TEXT COLLATE "C" NOT NULL,
		withdrawn_at TEXT COLLATE "C" NOT NULL DEFAULT ''
	);
	CREATE INDEX ledger_records_target ON ledger_records (target, kind, at);`)
}

// Statuses of a mirrored ledger record.
const (
	LedgerCurrent    = "current"    // in the ledger and in force
	LedgerSuperseded = "superseded" // in the ledger, replaced by a later record
	LedgerWithdrawn  = "withdrawn"  // its file is gone from the ledger
)

// LedgerRecord is one ledger record as mirrored: the columns the store
// filters on and the whole record as JSON.
type LedgerRecord struct {
	ID           string
	Kind         string // decision, exit (later: vulnerability analyses, exceptions)
	Target       string
	Versions     string
	State        string // a decision's decision (approved, conditional, rejected); "exit" for an exit
	Status       string // current, superseded, withdrawn
	SupersededBy string
	At           time.Time
	File         string
	Record       json.RawMessage
	FirstSynced  time.Time // read only
	SyncedAt     time.Time // read only
	WithdrawnAt  time.Time // read only; zero unless withdrawn
}

// LedgerSync counts what a sync changed.
type LedgerSync struct {
	Added, Updated, Withdrawn, Restored int
}

// SyncLedger mirrors the whole ledger, records, into ledger_records in one
// transaction: each record is upserted by id (a record whose content,
// status or file changed is updated; an unchanged one keeps its row), and
// every stored record that is not in records and not yet withdrawn is
// marked withdrawn (records must therefore be the whole ledger). A
// withdrawn record that comes back is restored.
func (s *Store) SyncLedger(ctx context.Context, records []LedgerRecord, now time.Time) (LedgerSync, error) {
	var st LedgerSync
	seen := map[string]bool{}
	for _, r := range records {
		if r.ID == "" || r.Kind == "" || r.Target == "" || r.State == "" || !json.Valid(r.Record) {
			return st, fmt.Errorf("store: ledger record %q needs id, kind, target, state and its JSON", r.ID)
		}
		if seen[r.ID] {
			return st, fmt.Errorf("store: ledger record id %q given twice", r.ID)
		}
		seen[r.ID] = true
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return st, err
	}
	defer tx.Rollback()
	type row struct{ fingerprint, withdrawnAt string }
	stored := map[string]row{}
	rows, err := tx.query(ctx, `SELECT id, kind, target, versions, state, status, superseded_by, at, file, record, withdrawn_at FROM ledger_records`)
	if err != nil {
		return st, err
	}
	for rows.Next() {
		var id, kind, target, versions, state, status, supBy, at, file, rec, wd string
		if err := rows.Scan(&id, &kind, &target, &versions, &state, &status, &supBy, &at, &file, &rec, &wd); err != nil {
			rows.Close()
			return st, err
		}
		stored[id] = row{strings.Join([]string{kind, target, versions, state, status, supBy, at, file, rec}, "\x00"), wd}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return st, err
	}
	syncedAt := ts(now)
	for _, r := range records {
		status := r.Status
		if status == "" {
			status = LedgerCurrent
		}
		rec := string(r.Record)
		fp := strings.Join([]string{r.Kind, r.Target, r.Versions, r.State, status, r.SupersededBy, budgetTS(r.At), r.File, rec}, "\x00")
		old, ok := stored[r.ID]
		switch {
		case !ok:
			st.Added++
			_, err = tx.exec(ctx, `INSERT INTO ledger_records (id, kind, target, versions, state, status, superseded_by, at, file, record, first_synced, synced_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.ID, r.Kind, r.Target, r.Versions, r.State, status, r.SupersededBy, budgetTS(r.At), r.File, rec, syncedAt, syncedAt)
		case old.fingerprint != fp || old.withdrawnAt != "":
			if old.withdrawnAt != "" {
				st.Restored++
			} else {
				st.Updated++
			}
			_, err = tx.exec(ctx, `UPDATE ledger_records SET kind = ?, target = ?, versions = ?, state = ?, status = ?, superseded_by = ?, at = ?, file = ?, record = ?, synced_at = ?, withdrawn_at = ''
				WHERE id = ?`,
				r.Kind, r.Target, r.Versions, r.State, status, r.SupersededBy, budgetTS(r.At), r.File, rec, syncedAt, r.ID)
		}
		if err != nil {
			return st, fmt.Errorf("store: ledger record %s: %w", r.ID, err)
		}
	}
	for id, old := range stored {
		if seen[id] || old.withdrawnAt != "" {
			continue
		}
		st.Withdrawn++
		if _, err := tx.exec(ctx, `UPDATE ledger_records SET status = ?, withdrawn_at = ?, synced_at = ? WHERE id = ?`,
			LedgerWithdrawn, syncedAt, syncedAt, id); err != nil {
			return st, err
		}
	}
	return st, tx.Commit()
}

// LedgerRecords returns the mirrored records of kind ("" for every kind),
// withdrawn ones included, ordered by at, then id (at is stored with a
// fixed-width fraction, so that it orders as text).
func (s *Store) LedgerRecords(ctx context.Context, kind string) ([]LedgerRecord, error) {
	q := `SELECT id, kind, target, versions, state, status, superseded_by, at, file, record, first_synced, synced_at, withdrawn_at FROM ledger_records`
	var args []any
	if kind != "" {
		q += ` WHERE kind = ?`
		args = append(args, kind)
	}
	rows, err := s.query(ctx, q+` ORDER BY at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LedgerRecord
	for rows.Next() {
		var r LedgerRecord
		var at, first, synced, wd, rec string
		if err := rows.Scan(&r.ID, &r.Kind, &r.Target, &r.Versions, &r.State, &r.Status, &r.SupersededBy, &at, &r.File, &rec, &first, &synced, &wd); err != nil {
			return nil, err
		}
		r.At, r.FirstSynced, r.SyncedAt = parseTS(at), parseTS(first), parseTS(synced)
		if wd != "" {
			r.WithdrawnAt = parseTS(wd)
		}
		r.Record = json.RawMessage(rec)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LatestResult returns the latest result of model for subject, over every
// finished assessment run (complete or partial) and every period: what an
// intake decision records as the assessment it was based on.
func (s *Store) LatestResult(ctx context.Context, subjectID, modelID string) (models.Result, bool, error) {
	rows, err := s.query(ctx, `SELECT r.subject_id, r.detail FROM results r JOIN runs ON runs.id = r.run_id
		WHERE r.subject_id = ? AND r.model_id = ? AND runs.status IN `+usableRuns+`
		ORDER BY r.assessed_at DESC, r.id DESC LIMIT 1`, subjectID, modelID)
	if err != nil {
		return models.Result{}, false, err
	}
	defer rows.Close()
	rs, err := decodeResults(rows)
	if err != nil || len(rs) == 0 {
		return models.Result{}, false, err
	}
	return rs[0], true, nil
}
