package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/notify"
	"github.com/osgauge/osgauge/store"
)

// notifyTimeout bounds a background early-warning round after a
// collection (robots are paced at about 20 messages a minute).
const notifyTimeout = 15 * time.Minute

// notifyOptions are the Notifier's options for a config; tests replace it
// (retry waits, the clock).
var notifyOptions = func(c *config.Config, st *store.Store, log *slog.Logger) notify.Options {
	return notify.Options{Lang: c.Report.Lang, Store: st, Logger: log}
}

// notifyAfterCollect starts the early-warning round after a collection:
// the findings as of now, each new alert sent to the channels of
// notify: — in the background, so that the collection never waits; its
// errors are logged. Nothing happens without channels.
func notifyAfterCollect(ctx context.Context, c *config.Config, st *store.Store, log *slog.Logger) {
	if len(c.Notify) == 0 {
		return
	}
	notify.Background(ctx, notifyTimeout, log, func(ctx context.Context) error {
		_, err := notifyRound(ctx, c, st, log)
		return err
	})
}

// notifyRound builds the findings as of now and sends the alerts that are
// new for each channel.
func notifyRound(ctx context.Context, c *config.Config, st *store.Store, log *slog.Logger) ([]notify.Result, error) {
	opt := notifyOptions(c, st, log)
	now := time.Now()
	if opt.Now != nil {
		now = opt.Now()
	}
	fs, err := vulnFindings(ctx, c, st, now)
	if err != nil {
		return nil, fmt.Errorf("early warning: %w", err)
	}
	return notify.New(c.Notify, opt).NotifyFindings(ctx, fs), nil
}

func newNotify(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Early warning (预警): send vulnerability alerts to the notify: channels",
		Long: `notify sends the alerts of vulnerability findings to the channels of the
config's notify: list — a generic webhook (JSON signed with HMAC-SHA256), the
WeCom, DingTalk and Feishu group robots, e-mail over SMTP with STARTTLS.

serve does it after every scheduled collection, in the background. Each alert
(a finding, an event — kev, critical, high_fixable, due_soon, overdue — and
the state it is in) is sent once per channel; every send is recorded in the
store.

  osgauge notify test [--channel N|NAME]   a test message to every channel, or one
  osgauge notify run                       send the new alerts now (after 'osgauge collect' from cron)`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newNotifyTest(g), newNotifyRun(g))
	return cmd
}

func newNotifyTest(g *globals) *cobra.Command {
	var channel string
	cmd := &cobra.Command{
		Use:   "test [--channel N|NAME]",
		Short: "Send a test message to every notify channel, or to one",
		Long: `test sends a test message to every channel of notify:, or with --channel to
the one at that position (1 is the first) or of that name, and says for each
whether it was delivered. Sends are retried as alerts are and recorded in
the store. It exits 1 when a channel failed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			if len(c.Notify) == 0 {
				return fmt.Errorf("%s: no notify: channels to test", c.Path)
			}
			st, err := openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			n := notify.New(c.Notify, notifyOptions(c, st, cliLogger(cmd.ErrOrStderr())))
			which := -1
			if channel != "" {
				if which, err = n.ChannelIndex(channel); err != nil {
					return err
				}
			}
			return printNotifyResults(cmd.OutOrStdout(), n.Test(cmd.Context(), which), true)
		},
	}
	cmd.Flags().StringVar(&channel, "channel", "", "only this channel: its number in notify: (1 is the first) or its name")
	return cmd
}

func newNotifyRun(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Send the new vulnerability alerts now",
		Long: `run builds the findings as of now (as 'osgauge vuln list' does) and sends
each channel the alerts it has not received yet, then says what it sent. serve
does this after every scheduled collection; run it after 'osgauge collect'
when collections are driven by cron. It exits 1 when a channel failed (the
alerts it did not deliver are sent again by the next round).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			if len(c.Notify) == 0 {
				return fmt.Errorf("%s: no notify: channels", c.Path)
			}
			st, err := openStore(cmd.Context(), c)
			if err != nil {
				return err
			}
			defer st.Close()
			res, err := notifyRound(cmd.Context(), c, st, cliLogger(cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			return printNotifyResults(cmd.OutOrStdout(), res, false)
		},
	}
}

// cliLogger logs warnings and errors to w.
func cliLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// printNotifyResults prints one line per channel; an error when one failed.
func printNotifyResults(w io.Writer, res []notify.Result, test bool) error {
	failed := 0
	for _, r := range res {
		switch {
		case test && r.Err == "":
			fmt.Fprintf(w, "%s: test message delivered\n", r.Channel)
		case test:
			fmt.Fprintf(w, "%s: FAILED: %s\n", r.Channel, r.Err)
		default:
			fmt.Fprintf(w, "%s: %d alerts, %d sent before, %d sent now in %d messages, %d failed", r.Channel, r.Alerts, r.Already, r.Sent, r.Messages, r.Failed)
			if r.Err != "" {
				fmt.Fprintf(w, ": %s", r.Err)
			}
			fmt.Fprintln(w)
		}
		if r.Err != "" {
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notify channels failed", failed, len(res))
	}
	return nil
}
