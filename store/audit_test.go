package store

import (
	"context"
	"testing"
	"time"
)

func TestAuditLogAppendOnly(t *testing.T) {
	forEachDriver(t, func(t *testing.T, open func() *Store) {
		ctx := context.Background()
		s := open()
		t0 := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
		for i, e := range []AuditEntry{
			{At: t0, User: "alice", Role: "assessor", Via: "key", Source: "10.1.2.3", Action: "POST /api/v1/runs", Target: "/api/v1/runs", Status: 202, Detail: `{"kind":"collect"}`},
			{At: t0.Add(time.Hour), User: "bob", Role: "approver", Via: "oidc", Source: "10.1.2.4", Action: "POST /api/v1/decisions/d1/confirm", Target: "/api/v1/decisions/d1/confirm", Status: 200},
			{At: t0.Add(48 * time.Hour), User: "alice", Role: "admin", Via: "cli", Source: "cli", Action: "vex import", Target: "vendor.vex.json", Detail: `{"statements":3}`},
		} {
			id, err := s.AppendAudit(ctx, e)
			if err != nil || id <= 0 {
				t.Fatalf("entry %d: id %d, %v", i, id, err)
			}
		}
		if _, err := s.AppendAudit(ctx, AuditEntry{Action: "x"}); err == nil {
			t.Error("an entry without a user was written")
		}
		if _, err := s.exec(ctx, `UPDATE audit_log SET actor = 'mallory'`); !IsAppendOnlyError(err) {
			t.Errorf("update allowed: %v", err)
		}
		if _, err := s.exec(ctx, `DELETE FROM audit_log WHERE actor = 'alice'`); !IsAppendOnlyError(err) {
			t.Errorf("delete allowed: %v", err)
		}
		if s.pg() {
			if _, err := s.exec(ctx, `TRUNCATE audit_log`); !IsAppendOnlyError(err) {
				t.Errorf("truncate allowed: %v", err)
			}
		}
		all, err := s.Audit(ctx, AuditQuery{})
		// Three written, none changed: alice, bob, alice in time order.
		if err != nil || len(all) != 3 || all[0].User != "alice" || all[1].User != "bob" || all[2].User != "alice" {
			t.Fatalf("all = %+v, %v", all, err)
		}
		if e := all[0]; !e.At.Equal(t0) || e.Role != "assessor" || e.Via != "key" || e.Source != "10.1.2.3" || e.Status != 202 || e.Detail != `{"kind":"collect"}` {
			t.Errorf("first entry read back as %+v", e)
		}
		// Since t0+1h: bob's (at exactly t0+1h, included) and alice's CLI import.
		got, _ := s.Audit(ctx, AuditQuery{Since: t0.Add(time.Hour)})
		if len(got) != 2 || got[0].User != "bob" || got[1].Action != "vex import" {
			t.Errorf("since = %+v", got)
		}
		// alice only: entries 1 and 3.
		got, _ = s.Audit(ctx, AuditQuery{User: "alice"})
		if len(got) != 2 || got[0].Target != "/api/v1/runs" || got[1].Target != "vendor.vex.json" {
			t.Errorf("user alice = %+v", got)
		}
		// alice since t0+1m: the CLI import only.
		got, _ = s.Audit(ctx, AuditQuery{User: "alice", Since: t0.Add(time.Minute)})
		if len(got) != 1 || got[0].Source != "cli" {
			t.Errorf("alice since = %+v", got)
		}
	})
}
