package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/osgauge/osgauge/auth"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
)

// cliStderr is where a command without its cobra.Command says that its
// audit entry could not be written.
var cliStderr io.Writer = os.Stderr

// tokenNow is the clock of the token commands (tests set it).
var tokenNow = time.Now

func newToken(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token create|list|revoke",
		Short: "Per-user API keys for serve (scripts and pipelines): create, list, revoke",
		Long: `token manages the API keys of osgauge serve, kept in the file
server.auth.tokens_file names (relative to the config). A key belongs to a
user and has a role — viewer (read everything; a pipeline's check), assessor
(start collections, propose decisions and analyses, import VEX and SBOMs),
approver (confirm or reject proposals, grant waivers) or admin (users, keys,
settings). create prints the key once; the file keeps only its SHA-256 hash.
A running serve rereads the file when it changes: a key created works at
once, a key revoked or expired is refused (401) at once. Once the file holds
a key, every request to serve needs an identity, loopback included.

Clients send "Authorization: Bearer <key>" (a browser: HTTP Basic with the
key as the password). Each create and revoke is written to the audit log
with the operating-system user who ran it.`,
		Args: cobra.NoArgs,
	}
	var file string
	cmd.PersistentFlags().StringVar(&file, "tokens-file", "", "the tokens file (default: server.auth.tokens_file)")
	path := func() (*config.Config, string, error) {
		c, err := g.loadConfig()
		if err != nil {
			return nil, "", err
		}
		if file != "" {
			return c, file, nil
		}
		if c.Server.Auth.TokensFile == "" {
			return c, "", usageError(fmt.Errorf("%s: server.auth.tokens_file is not set: add it (server: {auth: {tokens_file: tokens.yaml}}) or pass --tokens-file", c.Path))
		}
		return c, c.Resolve(c.Server.Auth.TokensFile), nil
	}

	var user, role, expires string
	create := &cobra.Command{
		Use:   "create --user NAME --role viewer|assessor|approver|admin [--expires DATE]",
		Short: "Make a key for a user and print it once",
		Long: `create makes a key (osg_ and 43 characters, 256 random bits) for the user with
the role, adds its hash to the tokens file and prints the key — the only time
it is shown: store it in the pipeline's secrets. --expires DATE (2027-01-31:
the key stops working at the start of that day, UTC; or an RFC 3339 time).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, p, err := path()
			if err != nil {
				return err
			}
			r, err := auth.ParseRole(role)
			if err != nil {
				return usageError(fmt.Errorf("--role: %w", err))
			}
			var exp time.Time
			if expires != "" {
				if exp, err = auth.ParseExpiry(expires); err != nil {
					return usageError(err)
				}
			}
			key, rec, err := auth.CreateKey(p, user, r, exp, tokenNow())
			if err != nil {
				return usageError(err)
			}
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "key %s for %s (%s), %s:\n\n    %s\n\n", rec.ID, rec.User, rec.Role, expiryText(rec.Expires), key)
			fmt.Fprintf(w, "It is shown this once: %s keeps only its hash. Clients send \"Authorization: Bearer <key>\".\n", p)
			recordCLI(cmd.Context(), cmd.ErrOrStderr(), c, "token create", rec.User,
				map[string]any{"key_id": rec.ID, "user": rec.User, "role": rec.Role, "expires": timeOrEmpty(rec.Expires), "tokens_file": p})
			return nil
		},
	}
	create.Flags().StringVar(&user, "user", "", "the user the key belongs to (required)")
	create.Flags().StringVar(&role, "role", "", "viewer, assessor, approver or admin (required)")
	create.Flags().StringVar(&expires, "expires", "", "when the key stops working: DATE (start of the day, UTC) or an RFC 3339 time")
	create.MarkFlagRequired("user")
	create.MarkFlagRequired("role")

	var asJSON bool
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the keys: id, user, role, created, expires, state (never the keys)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, p, err := path()
			if err != nil {
				return err
			}
			keys, err := auth.ReadKeys(p)
			if err != nil {
				return err
			}
			return printKeys(cmd.OutOrStdout(), keys, tokenNow(), asJSON)
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "JSON instead of a table")

	revoke := &cobra.Command{
		Use:   "revoke ID|USER",
		Short: "Revoke a key (by its id) or every active key of a user; revoked keys stay listed",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, p, err := path()
			if err != nil {
				return err
			}
			done, err := auth.RevokeKeys(p, args[0], tokenNow())
			if err != nil {
				return usageError(err)
			}
			for _, k := range done {
				fmt.Fprintf(cmd.OutOrStdout(), "revoked %s (%s, %s)\n", k.ID, k.User, k.Role)
				recordCLI(cmd.Context(), cmd.ErrOrStderr(), c, "token revoke", k.User,
					map[string]any{"key_id": k.ID, "user": k.User, "role": k.Role, "tokens_file": p})
			}
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

func expiryText(t time.Time) string {
	if t.IsZero() {
		return "no expiry"
	}
	return "expires " + t.UTC().Format("2006-01-02 15:04 UTC")
}

func timeOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func printKeys(w io.Writer, keys []auth.Key, now time.Time, asJSON bool) error {
	if asJSON {
		type row struct {
			auth.Key
			State string `json:"state"`
		}
		rows := make([]row, 0, len(keys))
		for _, k := range keys {
			rows = append(rows, row{k, k.State(now)})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	if len(keys) == 0 {
		fmt.Fprintln(w, "no keys (osgauge token create --user NAME --role ROLE)")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tROLE\tCREATED\tEXPIRES\tSTATE")
	day := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	for _, k := range keys {
		state := k.State(now)
		if state == "revoked" {
			state += " " + day(k.Revoked)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.User, k.Role, day(k.Created), day(k.Expires), state)
	}
	return tw.Flush()
}

// recordCLI writes a state-changing command to the audit log, as the
// operating-system user who ran it (auth.CLI), from "cli". A store that
// cannot be opened or written is said on stderr: the change is made, its
// record is missing, and the operator must know.
func recordCLI(ctx context.Context, stderr io.Writer, c *config.Config, action, target string, detail any) {
	st, err := openStore(ctx, c)
	if err != nil {
		fmt.Fprintf(stderr, "warning: audit log: %s not recorded: %v\n", action, err)
		return
	}
	defer st.Close()
	recordCLIIn(ctx, stderr, st, action, target, detail)
}

// recordCLIIn is recordCLI in an open store.
func recordCLIIn(ctx context.Context, stderr io.Writer, st *store.Store, action, target string, detail any) {
	id, ok := auth.From(ctx) // the command's identity, when it set one
	if !ok {
		id = auth.CLI()
	}
	d, err := json.Marshal(detail)
	if err != nil {
		d = []byte(fmt.Sprintf("%q", fmt.Sprint(detail)))
	}
	if _, err := st.AppendAudit(context.WithoutCancel(ctx), store.AuditEntry{At: time.Now(), User: id.Name, Role: string(id.Role),
		Via: id.Via, Source: "cli", Action: action, Target: target, Detail: string(d)}); err != nil {
		fmt.Fprintf(stderr, "warning: audit log: %s not recorded: %v\n", action, err)
	}
}

// cliAction is the command's name for the audit log: "collect",
// "intake decide".
func cliAction(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
}

// cliFlags are the flags the command was given (name: value), for the
// audit log's detail.
func cliFlags(cmd *cobra.Command) map[string]any {
	flags := map[string]any{}
	cmd.Flags().Visit(func(f *pflag.Flag) { flags[f.Name] = f.Value.String() })
	return map[string]any{"flags": flags}
}

// serveAuth builds serve's users from server.auth: the API keys, the
// trusted proxy, and whether users are configured (keys in the tokens
// file, sign-in or a trusted proxy).
func serveAuth(c *config.Config) (*auth.Keys, *auth.Proxy, bool, error) {
	a := c.Server.Auth
	var keys *auth.Keys
	if a.TokensFile != "" {
		var err error
		if keys, err = auth.OpenKeys(c.Resolve(a.TokensFile), nil); err != nil {
			return nil, nil, false, err
		}
	}
	var proxy *auth.Proxy
	if p := a.TrustedProxy; p != nil {
		var err error
		if proxy, err = auth.NewProxy(p.Header, p.From, p.RolesHeader, p.RoleMap, p.Role); err != nil {
			return nil, nil, false, fmt.Errorf("%s: server.auth.%w", c.Path, err)
		}
	}
	users := a.UsersConfigured() // from the configuration, not from what the tokens file holds now
	return keys, proxy, users, nil
}
