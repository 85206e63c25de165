package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/store"
)

func newAudit(g *globals) *cobra.Command {
	var since, user, format string
	cmd := &cobra.Command{
		Use:   "audit [--since DATE] [--user NAME] [--format csv|json]",
		Short: "Export the audit log: who changed what, when, from where",
		Long: `audit writes the audit log for the bank's auditors, oldest first: every
state-changing request to serve (decisions, proposals and confirmations,
imports, runs started) and every state-changing command on the server
(intake decide and exit, vuln set, vex import, collect and run, token create
and revoke), each with the identity (user, role, and how it was established:
key, oidc, proxy, shared-token, loopback, or cli for the operating-system
user), the time (UTC), the source address, the action, its target, the HTTP
status and what changed (JSON). The log is append-only in the store: no
entry can be changed or deleted.

--since DATE (2026-11-01, the start of that day UTC, or an RFC 3339 time)
and --user NAME (any case) select entries. --format csv (the default) quotes
as RFC 4180 and neutralises spreadsheet formulas: a text cell that begins
with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so
that a user name or path cannot run as a formula when opened in Excel or
WPS; json writes the entries as they are.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// --user matches as the maker-checker rule compares people
			// (auth.FoldName: Unicode-normalised, case-folded), so that
			// "Alice" finds alice's entries; the store is asked for all.
			var q store.AuditQuery
			who := auth.FoldName(user)
			if since != "" {
				t, err := parseSince(since)
				if err != nil {
					return usageError(err)
				}
				q.Since = t
			}
			if format != "csv" && format != "json" {
				return usageError(fmt.Errorf("--format must be csv or json, got %q", format))
			}
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			st, err := openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			entries, err := st.Audit(cmd.Context(), q)
			if err != nil {
				return err
			}
			if who != "" {
				entries = slices.DeleteFunc(entries, func(e store.AuditEntry) bool { return auth.FoldName(e.User) != who })
			}
			if format == "json" {
				return writeAuditJSON(cmd.OutOrStdout(), entries)
			}
			return writeAuditCSV(cmd.OutOrStdout(), entries)
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "entries at or after DATE (start of the day, UTC) or an RFC 3339 time")
	cmd.Flags().StringVar(&user, "user", "", "entries of this user only")
	cmd.Flags().StringVar(&format, "format", "csv", "csv or json")
	return cmd
}

func parseSince(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: give a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:00:00+08:00)", s)
}

// auditColumns are the CSV export's columns.
var auditColumns = []string{"id", "at", "user", "role", "via", "source", "action", "target", "status", "detail"}

func writeAuditCSV(w io.Writer, entries []store.AuditEntry) error {
	cw := csv.NewWriter(w)
	cw.Write(auditColumns)
	for _, e := range entries {
		cw.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339Nano),
			csvSafe(e.User), csvSafe(e.Role), csvSafe(e.Via), csvSafe(e.Source), csvSafe(e.Action), csvSafe(e.Target),
			strconv.Itoa(e.Status), csvSafe(e.Detail)})
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe neutralises a text cell a spreadsheet would run as a formula
// (OWASP's CSV injection advice): one that begins with =, +, -, @, a tab
// or a carriage return gets a leading apostrophe.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeAuditJSON(w io.Writer, entries []store.AuditEntry) error {
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	for i := range entries {
		entries[i].At = entries[i].At.UTC()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(entries)
}
