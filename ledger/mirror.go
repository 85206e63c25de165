package ledger

import (
	"context"
	"encoding/json"
	"path/filepath"
	"time"

	"github.com/osgauge/osgauge/store"
)

// Records returns the ledger as store rows: every decision and exit with
// its status (current or superseded, and by which record) and its JSON.
// File is the record's path relative to the ledger folder.
func (l *Ledger) Records() []store.LedgerRecord {
	sup, supExits := l.Superseded(), l.SupersededExits()
	var out []store.LedgerRecord
	status := func(by string) string {
		if by != "" {
			return store.LedgerSuperseded
		}
		return store.LedgerCurrent
	}
	for _, d := range l.Decisions {
		b, _ := json.Marshal(d)
		out = append(out, store.LedgerRecord{ID: d.ID, Kind: KindDecision, Target: d.Target, Versions: d.Versions,
			State: d.Decision, Status: status(sup[d.ID]), SupersededBy: sup[d.ID], At: d.At, File: l.rel(d.File), Record: b})
	}
	for _, c := range l.Cancels { // a cancelled exit is superseded by its cancellation
		if _, done := supExits[c.Exit]; !done {
			supExits[c.Exit] = c.ID
		}
	}
	for _, e := range l.Exits {
		b, _ := json.Marshal(e)
		out = append(out, store.LedgerRecord{ID: e.ID, Kind: KindExit, Target: e.Target, Versions: e.Versions,
			State: StateExit, Status: status(supExits[e.ID]), SupersededBy: supExits[e.ID], At: e.At, File: l.rel(e.File), Record: b})
	}
	out = append(out, l.analysisRecords(status)...)
	return append(out, l.proposalRecords()...)
}

func (l *Ledger) rel(file string) string {
	if r, err := filepath.Rel(l.Dir, file); err == nil && l.Dir != "" {
		return filepath.ToSlash(r)
	}
	return file
}

// Sync mirrors the whole ledger into the store (store.SyncLedger): new
// records are added, changed ones updated, and records whose files are
// gone marked withdrawn, never deleted.
func Sync(ctx context.Context, st *store.Store, l *Ledger, now time.Time) (store.LedgerSync, error) {
	return st.SyncLedger(ctx, l.Records(), now)
}
