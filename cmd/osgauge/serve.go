package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/queue"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
)

func newServe(g *globals) *cobra.Command {
	var listen, tokenEnv string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the scheduler, the dashboard and the JSON API",
		Long: `serve runs collect, scorecard and report on the schedules of osgauge.yaml
(schedule.collect, schedule.scorecard, schedule.report: cron specs such as
"0 6 1 1,4,7,10 *" or descriptors such as @daily; an empty one runs only on
demand) and serves, on --listen:

  GET  /                     the latest dashboard
  GET  /reports/             the reports, with downloads (xlsx, html, json)
  GET  /api/v1/subjects      subjects; /api/v1/subjects/{id}/results?period=2026Q4
                             (the id URL-escaped: github.com%2Fo%2Fr)
  GET  /api/v1/runs          recent runs; POST starts a job now ({"kind":"collect"})
  GET  /api/v1/status        jobs, next runs, last outcomes, rate limit, freshness
  POST /api/v1/check?system=NAME  body: an SBOM; osgauge check's JSON (&format=sarif|junit|text)
  GET  /healthz, /metrics    liveness, Prometheus metrics

A job never overlaps itself. Runs and jobs record the process that runs
them; when it is gone (killed, its machine lost: no heartbeat for a minute,
or a dead pid on this host), the node that leads marks them interrupted and
runs each interrupted job again, once.

On PostgreSQL (store.driver: postgres) run serve on several nodes: the one
holding the store's leader lock fires the schedule; the others serve the
API and dashboard and take over within seconds when the leader dies (a
scheduled run its death skipped is fired once by the new leader). SIGINT or SIGTERM
cancels running jobs, waits for them and closes the store.

Users (server.auth): per-user API keys (tokens_file, osgauge token create),
sign-in (oidc) or an SSO gateway's header (trusted_proxy). Once any is
configured every request but /healthz needs an identity, loopback included,
and each route a role (viewer reads and checks; assessor starts runs,
proposes and imports; approver confirms and grants waivers; admin manages
keys). Without users, on loopback, serve is open as before. The token
variable (--token-env, default OSGAUGE_TOKEN), when set, is accepted as an
admin key for compatibility, with a warning. serve refuses to listen beyond
loopback without users or that token. Every state-changing request is
written to the audit log (osgauge audit).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := g.loadConfig()
			if err != nil {
				return err
			}
			// The config's serve: section, unless the flags say otherwise.
			if !cmd.Flags().Changed("listen") && c.Serve.Listen != "" {
				listen = c.Serve.Listen
			}
			if !cmd.Flags().Changed("token-env") && c.Serve.TokenEnv != "" {
				tokenEnv = c.Serve.TokenEnv
			}
			token := os.Getenv(tokenEnv)
			keys, proxy, users, err := serveAuth(c) // token.go: server.auth's keys and trusted proxy
			if err != nil {
				return err
			}
			authWarning, err := server.CheckListenUsers(listen, users, token, tokenEnv)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			logw := cmd.ErrOrStderr()
			log := slog.New(slog.NewTextHandler(logw, nil))
			if authWarning != "" {
				log.Warn(authWarning)
			}
			// Single sign-on (server/oidc.go): the client secret from the variable client_secret_env names.
			sso, err := server.OIDCFromConfig(c.Server.Auth.OIDC, os.Getenv, log)
			if err != nil {
				return fmt.Errorf("%s: %w", c.Path, err)
			}
			if host, _, _ := net.SplitHostPort(listen); sso != nil && server.IsLoopback(host) && c.Server.Auth.OIDC.RedirectURL == "" {
				log.Info(server.LoopbackNote(listen))
			}
			s, err := openSession(ctx, logw, g, c)
			if err != nil {
				return err
			}
			defer s.Close()

			metrics := server.NewMetrics()
			collect := func(only, without []string) scheduler.Func {
				return scheduler.CollectJob{
					Store:   s.st,
					Targets: func() []collectors.Target { return pipeline.Targets(c) },
					Collectors: func() ([]collectors.Collector, error) {
						colls, err := allCollectors(c, s.set, s.st, only)
						return slices.DeleteFunc(colls, func(x collectors.Collector) bool { return slices.Contains(without, x.Name()) }), err
					},
					Workers: max(runtime.NumCPU(), c.GitHub.Concurrency),
					Clones:  pipeline.ClonesFromConfig(c),
					Summary: func(sum *pipeline.CollectSummary) { metrics.ObserveCollect(sum); printCollect(logw, sum) },
					After: func(ctx context.Context) error {
						suppliers, supports := pipeline.Suppliers(c)
						_, err := pipeline.DeriveEvidence(ctx, s.st, suppliers, supports, time.Now())
						if err == nil {
							_, err = pipeline.DeriveContinuity(ctx, s.st, c, s.set, time.Now())
						}
						notifyAfterCollect(ctx, c, s.st, log) // early warning, in the background: never waits
						return err
					},
				}.Func()
			}
			// With its own schedule, scorecard (costly) leaves the collect job.
			var notInCollect []string
			sourceJobs := map[string]string{}
			if c.Schedule.Scorecard != "" {
				notInCollect = []string{"scorecard"}
				sourceJobs["scorecard"] = "scorecard"
			}
			report := func(ctx context.Context) (scheduler.Result, error) {
				period, err := g.periodOr(time.Now()) // the current quarter unless --period
				if err != nil {
					return scheduler.Result{}, err
				}
				rs := &session{w: logw, cfg: c, set: s.set, st: s.st, period: period, now: time.Now()}
				if err := rs.assess(ctx); err != nil {
					return scheduler.Result{}, err
				}
				return scheduler.Result{}, rs.report(ctx)
			}
			// On PostgreSQL several serve nodes may share the store: the one
			// that holds the leader lock fires the schedule (a new scheduler
			// each time it becomes leader), the others serve the API and
			// dashboard. On SQLite this node leads.
			shared := s.st.Driver() == store.DriverPostgres
			newSched := func() (*scheduler.Scheduler, error) {
				// RecoverRuns: the new leader's recovery of runs whose
				// owners (processes, or the queue) are gone.
				sched := scheduler.New(s.st, scheduler.Options{Logger: log, OnFinish: metrics.ObserveJob, Shared: shared,
					RecoverRuns: func(ctx context.Context) error { _, err := queue.RecoverRuns(ctx, s.st); return err }})
				for _, j := range []scheduler.Job{
					{Name: "collect", Spec: c.Schedule.Collect, Run: collect(nil, notInCollect)},
					{Name: "scorecard", Spec: c.Schedule.Scorecard, Run: collect([]string{"scorecard"}, nil)},
					{Name: "report", Spec: c.Schedule.Report, Run: report},
				} {
					if err := sched.Add(j); err != nil {
						return nil, fmt.Errorf("%s: %w", c.Path, err)
					}
				}
				return sched, nil
			}
			template, err := newSched()
			if err != nil {
				return err
			}
			jobs := &leadingJobs{template: template, st: s.st}

			var qstats server.QueueStats
			if q, err := queue.Open(ctx, s.st); err != nil {
				log.Warn("the job queue is not readable: /metrics leaves it out", "err", err)
			} else {
				defer q.Close()
				qstats = q
			}
			srv, err := server.New(server.Options{Store: s.st, Jobs: jobs, ReportDir: c.Report.Out, Token: token, Keys: keys, Proxy: proxy, OIDC: sso,
				SourceJobs: sourceJobs, Metrics: metrics, Logger: log, Queue: qstats, Check: checker(c, s.st),
				Vulns: vulnService(c, s.st), Decisions: decisionService(c, s.st), Inventory: apiInventory(c, s.st)})
			if err != nil {
				return err
			}
			if set, err := loadModels(c); err == nil {
				srv.SetModels(set) // ?grade= ranges in each model's grade order
			}
			if err := srv.Trust(c.Serve.TrustedOrigins, c.Serve.Hosts); err != nil {
				return fmt.Errorf("%s: serve: %w", c.Path, err)
			}
			ln, err := net.Listen("tcp", listen)
			if err != nil {
				return err
			}
			elected := make(chan struct{})
			if !shared {
				if _, err := template.Start(ctx); err != nil {
					ln.Close()
					return err
				}
				jobs.set(template)
				close(elected)
			} else {
				host, _ := os.Hostname()
				// The ID names this node to the followers (their 503 to
				// POST /api/v1/runs says who leads).
				el := &scheduler.Elector{DB: s.st.DB(), Driver: s.st.Driver(), Logger: log, ID: host + " " + ln.Addr().String()}
				go func() {
					defer close(elected)
					el.Run(ctx, func(lctx context.Context) {
						sched, err := newSched()
						if err == nil {
							_, err = sched.Start(lctx)
						}
						if err != nil {
							log.Error("leader: the schedule did not start", "err", err)
							return
						}
						jobs.set(sched)
						<-lctx.Done()
						jobs.set(nil)
						sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
						defer cancel()
						if err := sched.Stop(sctx); err != nil {
							log.Warn("leader: stopping the schedule", "err", err)
						}
					})
				}()
			}
			hs := srv.HTTPServer(listen)
			log.Info("osgauge serve", "listen", "http://"+ln.Addr().String()+"/", "users", users, "shared_token", token != "",
				"reports", c.Report.Out, "store", s.st.Driver())
			served := make(chan error, 1)
			go func() { served <- hs.Serve(ln) }()
			select {
			case <-ctx.Done():
				log.Info("shutting down: cancelling running jobs")
			case err = <-served:
			}
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			herr := hs.Shutdown(sctx)
			var serr error
			if !shared {
				serr = template.Stop(sctx)
			}
			select { // a leader stops its schedule when ctx ends
			case <-elected:
			case <-sctx.Done():
			}
			if errors.Is(err, http.ErrServerClosed) {
				err = nil
			}
			return errors.Join(err, herr, serr) // the deferred Close closes the store
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "address to listen on; beyond loopback a token is required")
	cmd.Flags().StringVar(&tokenEnv, "token-env", "OSGAUGE_TOKEN", "environment variable holding the API token")
	return cmd
}

// apiInventory builds the judged inventory for /api/v1/inventory/components
// as the report does (the config's licence policy and ledger), every
// registered subject a project a component may link to.
func apiInventory(c *config.Config, st *store.Store) func(context.Context) (*reports.Inventory, error) {
	return func(ctx context.Context) (*reports.Inventory, error) {
		subs, err := st.Subjects(ctx)
		if err != nil {
			return nil, err
		}
		subjects := map[string]bool{}
		for _, sub := range subs {
			subjects[sub.ID] = true
		}
		led, err := ledger.Load(c.LedgerDir())
		if err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		return pipeline.BuildInventory(ctx, st, pipeline.InventoryOptions{
			Policy: licenses.WithOverrides(c.LicensePolicy.Uses), DefaultSystemLicence: c.LicensePolicy.DefaultSystemLicence,
			Subjects: subjects, Ledger: led})
	}
}
