package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/collectors/license"
	"github.com/osgauge/osgauge/collectors/manual"
	"github.com/osgauge/osgauge/collectors/questionnaire"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/collectors/scorecard"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/internal/buildinfo"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
	"github.com/osgauge/osgauge/store"
)

// knownSources are the collectors `collect --only` can name.
var knownSources = []string{"github", "gitlab", "gitee", "gitcode", "gitlocal", "scorecard", "license", "questionnaire", "manual", "sbom", "osv"}

// allCollectors returns the collectors this build has, filtered by only.
func allCollectors(cfg *config.Config, set models.Set, st *store.Store, only []string) ([]collectors.Collector, error) {
	for _, o := range only {
		if !slices.Contains(knownSources, o) {
			return nil, fmt.Errorf("--only: unknown source %q (known: %s)", o, strings.Join(knownSources, ", "))
		}
	}
	// The token is read here, from the variable the config names, and only
	// handed to the collectors' transports: never logged or stored.
	token := os.Getenv(cfg.GitHub.TokenEnv)
	// One transport per forge for the run: conditional requests against the
	// store's cache, rate-limit waits, retries, bounded concurrency.
	ids := affiliation.NewIdentities(cfg.Identities.Bots, cfg.Identities.Humans)
	forges, gh, err := forgeCollectors(cfg, st, ids)
	if err != nil {
		return nil, err
	}
	gitlabHosts := map[string]string{}
	for _, f := range cfg.AllForges() {
		if f.Type == "gitlab" {
			gitlabHosts[f.WebHost] = os.Getenv(f.TokenEnv)
		}
	}
	sc, err := scorecard.NewPerProject(cfg.Scorecard.Mode,
		scorecard.GitHubOptions{APIURL: cfg.GitHub.APIURL, Token: token, Online: cfg.Scorecard.Online, Transport: gh.Transport()},
		scorecard.GitLabOptions{Hosts: gitlabHosts, Online: cfg.Scorecard.Online},
		scorecard.APIOptions{BaseURL: cfg.Scorecard.APIURL})
	if err != nil {
		return nil, fmt.Errorf("%s: scorecard.mode %s: %w", cfg.Path, cfg.Scorecard.Mode, err)
	}
	sb, ov := supplyChain(cfg, st, only)
	gl := gitlocal.New()
	gl.Identities = ids
	all := append(forges, gl, sc, license.New(), questionnaire.New(set), manual.New(), sb, ov)
	if len(only) == 0 {
		return all, nil
	}
	var out []collectors.Collector
	for _, c := range all {
		if slices.Contains(only, c.Name()) {
			out = append(out, c)
		}
	}
	return out, nil
}

// session is one command's working set: the config, the models, the
// store, the period. Every command opens one and runs its steps on it.
type session struct {
	w      io.Writer
	cfg    *config.Config
	set    models.Set
	st     *store.Store
	period assess.Period
	now    time.Time
	failed int // collections that failed: the run goes on, the exit code says so
	// asOf, when set, collects as of that past instant (collect --as-of).
	asOf time.Time
	// maxRows bounds the project rows of the printed summary (0: all).
	maxRows int
}

func openSession(ctx context.Context, w io.Writer, g *globals, c *config.Config) (*session, error) {
	set, err := loadModels(c)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	period, err := g.periodOr(now)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, c)
	if err != nil {
		return nil, err
	}
	return &session{w: w, cfg: c, set: set, st: st, period: period, now: now}, nil
}

func (s *session) Close() error { return s.st.Close() }

// lang is the language of the session's lines: the report's (report.lang
// or --lang), English unless zh.
func (s *session) lang() string { return termLang(s.cfg.Report.Lang) }

// say prints the terminal line key in the session's language with its
// {placeholders} replaced by kv.
func (s *session) say(key string, kv ...string) {
	fmt.Fprintln(s.w, labels.TermLine(s.lang(), key, kv...))
}

// collect runs the collectors on the targets and says what it did.
func (s *session) collect(ctx context.Context, targets []collectors.Target, only []string, workers int, extraSkips []pipeline.Skip) error {
	colls, err := allCollectors(s.cfg, s.set, s.st, only)
	if workers == 0 {
		workers = max(runtime.NumCPU(), s.cfg.GitHub.Concurrency)
	}
	if err != nil {
		return err
	}
	if s.asOf.IsZero() { // SBOM imports are the present
		if targets, err = s.discovered(ctx, targets, colls); err != nil {
			return err
		}
	}
	if s.asOf.IsZero() {
		printPlan(ctx, s.w, s.st, targets, colls, time.Now(), s.lang())        // what the run will spend, before it does
		printClonesPlan(s.w, pipeline.ClonesFromConfig(s.cfg), targets, colls) // the clones to fetch and make
	}
	prog := pipeline.NewProgress()
	prog.Lang = s.lang()
	sum, err := pipeline.Collect(ctx, s.st, targets, colls, pipeline.CollectOptions{Workers: workers, Progress: prog, AsOf: s.asOf,
		Clones: pipeline.ClonesFromConfig(s.cfg)})
	if sum != nil {
		sum.Skipped = append(extraSkips, sum.Skipped...)
		printCollectLang(s.w, sum, s.lang())
		s.failed += len(sum.Failed)
	}
	if err != nil {
		return err
	}
	// Supplier evidence is derived from what was just collected.
	suppliers, supports := pipeline.Suppliers(s.cfg)
	at := time.Now()
	if !s.asOf.IsZero() {
		at = s.asOf // from what was known then, recorded then
	}
	n, err := pipeline.DeriveEvidence(ctx, s.st, suppliers, supports, at)
	if n > 0 {
		s.say("term.evidence.suppliers", "{n}", strconv.Itoa(n), "{m}", strconv.Itoa(len(suppliers)))
	}
	if err == nil { // supply cut-off facts, from the supplier evidence just derived
		if n, err = pipeline.DeriveContinuity(ctx, s.st, s.cfg, s.set, at); n > 0 {
			s.say("term.evidence.continuity", "{n}", strconv.Itoa(n))
		}
	}
	if err != nil || !s.asOf.IsZero() { // the ledger and the SBOMs are the present
		return err
	}
	// A ledger that does not load is reported; the collection stands.
	if n, err := pipeline.DeriveLifecycleEvidence(ctx, s.st, s.cfg, s.set, at); err != nil {
		s.say("term.evidence.lifecycle_err", "{err}", err.Error())
	} else if n > 0 {
		s.say("term.evidence.lifecycle", "{n}", strconv.Itoa(n))
	}
	return nil
}

// discovered imports the SBOMs first and adds the projects they discover
// (inventory.assess: direct, all or none) to the targets, saying how many
// and what collecting them costs before it is spent.
func (s *session) discovered(ctx context.Context, targets []collectors.Target, colls []collectors.Collector) ([]collectors.Target, error) {
	var sb *sbom.Collector
	for _, c := range colls {
		if x, ok := c.(*sbom.Collector); ok {
			sb = x
		}
	}
	if sb == nil || len(s.cfg.SBOMs) == 0 || s.cfg.Inventory.Assess == "none" {
		return targets, nil
	}
	_ = sb.Import(ctx) // errors are reported by the run, once
	found, err := pipeline.DiscoveredTargets(ctx, s.st, s.cfg.Inventory.Assess, targets)
	if err != nil || len(found) == 0 {
		return targets, err
	}
	budget := labels.T(s.lang(), "term.discovered.no_token")
	if os.Getenv(s.cfg.GitHub.TokenEnv) != "" {
		budget = labels.TermLine(s.lang(), "term.discovered.budget", "{n}", strconv.Itoa(20*len(found)))
	}
	s.say("term.discovered", "{n}", strconv.Itoa(len(found)), "{mode}", s.cfg.Inventory.Assess, "{budget}", budget)
	return append(targets, found...), nil
}

// finish turns failed collections into a non-zero exit once everything
// else is done, and repeats them after the summary where they are seen.
func (s *session) finish(err error) error {
	if err != nil || s.failed == 0 {
		return err
	}
	return errors.New(labels.TermLine(s.lang(), "term.collect.failed_total", "{n}", strconv.Itoa(s.failed)))
}

func (s *session) assess(ctx context.Context) error {
	s.now = time.Now() // observations collected a moment ago must count
	results, err := pipeline.Assess(ctx, s.st, s.set, s.period, s.now, s.cfg.Exceptions)
	if err != nil {
		return err
	}
	s.say("term.assessed", "{n}", strconv.Itoa(len(results)), "{period}", s.period.Name)
	return nil
}

// report prints the summary table and writes the report files.
func (s *session) report(ctx context.Context) error {
	for _, f := range s.cfg.Report.Formats {
		if !slices.Contains(config.KnownFormats, f) {
			return fmt.Errorf("--format: unknown format %q (known: %s)", f, strings.Join(config.KnownFormats, ", "))
		}
	}
	rep, err := pipeline.BuildReport(ctx, s.st, s.set, s.period.Name, s.cfg.Report.Lang, s.cfg.Institution.Name, s.now)
	if err != nil {
		return err
	}
	var declared []string
	for _, p := range s.cfg.Projects {
		declared = append(declared, pipeline.ProjectID(p.Name, p.Repo))
	}
	subjects := map[string]bool{}
	for _, sr := range rep.Subjects {
		subjects[sr.ID] = true
	}
	// The ledger once for the three sections that read it.
	led, err := ledger.Load(s.cfg.LedgerDir())
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if rep.Inventory, err = pipeline.BuildInventory(ctx, s.st, pipeline.InventoryOptions{
		Policy: licenses.WithOverrides(s.cfg.LicensePolicy.Uses), DefaultSystemLicence: s.cfg.LicensePolicy.DefaultSystemLicence,
		Declared: declared, Subjects: subjects, Ledger: led}); err != nil {
		return fmt.Errorf("supply chain: %w", err)
	}
	if rep.Lifecycle, err = pipeline.BuildLifecycle(ctx, s.st, rep, pipeline.LifecycleOptions{Ledger: led, LedgerDir: s.cfg.LedgerDir(),
		IntakeRequired: s.cfg.Lifecycle.IntakeRequired, Now: s.now}); err != nil {
		return fmt.Errorf("lifecycle: %w", err)
	}
	if rep.Vulnerabilities, err = pipeline.BuildVulnerabilities(ctx, s.st, rep, pipeline.VulnOptions{Ledger: led, LedgerDir: s.cfg.LedgerDir(), Deadlines: s.cfg.VulnerabilityPolicy.Deadlines(), Now: s.now}); err != nil {
		return fmt.Errorf("vulnerabilities: %w", err)
	}
	fmt.Fprintln(s.w)
	printSummary(s.w, rep, s.maxRows)
	fmt.Fprintln(s.w)
	paths, err := pipeline.WriteReports(rep, s.cfg.Report.Out, s.cfg.Report.Formats)
	for _, p := range paths {
		s.say("term.wrote", "{path}", absOr(p))
	}
	printNextStep(s.w, rep.Lang, paths, len(s.cfg.Projects) > 0)
	return err
}

// withSession loads the config, opens a session and runs steps in order.
func withSession(cmd *cobra.Command, g *globals, adjust func(*config.Config), steps ...func(*session, context.Context) error) error {
	c, err := g.loadConfig()
	if err != nil {
		return err
	}
	if adjust != nil {
		adjust(c)
	}
	s, err := openSession(cmd.Context(), cmd.OutOrStdout(), g, c)
	if err != nil {
		return err
	}
	defer s.Close()
	recordCLIIn(cmd.Context(), cmd.ErrOrStderr(), s.st, cliAction(cmd), "", cliFlags(cmd)) // the audit log: collect, run, assess, report started (token.go)
	for _, step := range steps {
		if err := step(s, cmd.Context()); err != nil {
			return err
		}
	}
	return s.finish(nil)
}

// parseAsOf reads --as-of: a day (2025-09-30, meaning its end, 23:59:59
// UTC, so that the day's commits count) or an RFC 3339 instant. A date
// after now is refused.
func parseAsOf(s string, now time.Time) (time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err == nil {
		t = t.Add(24*time.Hour - time.Second)
	} else if t, err = time.Parse(time.RFC3339, s); err != nil {
		return time.Time{}, fmt.Errorf("--as-of %q: use a day (2025-09-30, its end) or an RFC 3339 instant (2025-09-30T12:00:00Z)", s)
	}
	if t.After(now) {
		return time.Time{}, fmt.Errorf("--as-of %s is in the future: history reaches only to now", s)
	}
	return t.UTC(), nil
}

// backfillQuarters are the n complete quarters before the one holding
// now, oldest first.
func backfillQuarters(n int, now time.Time) []assess.Period {
	cur := assess.CurrentQuarter(now)
	out := make([]assess.Period, n)
	for i := range n {
		start := cur.Start.AddDate(0, -3*(n-i), 0)
		out[i] = assess.CurrentQuarter(start)
	}
	return out
}

// backfill collects as of the end of each of the last n quarters, oldest
// first, and assesses each quarter, so that the first report already has
// trends.
func (s *session) backfill(ctx context.Context, n int, only []string) error {
	for _, p := range backfillQuarters(n, time.Now()) {
		s.asOf = p.End.Add(-time.Second) // 23:59:59 on the quarter's last day
		fmt.Fprintln(s.w)
		s.say("term.backfill", "{period}", p.Name, "{day}", collectors.AsOfDay(s.asOf))
		if err := s.collect(ctx, pipeline.Targets(s.cfg), only, 0, nil); err != nil {
			return fmt.Errorf("backfill %s: %w", p.Name, err)
		}
		s.period = p
		if err := s.assess(ctx); err != nil {
			return fmt.Errorf("backfill %s: %w", p.Name, err)
		}
	}
	s.asOf = time.Time{}
	return nil
}

func newCollect(g *globals) *cobra.Command {
	var only []string
	var queued, noWait bool
	var asOf string
	var quarters int
	cmd := &cobra.Command{
		Use:   "collect",
		Short: "Collect observations for every project, supplier and the institution",
		Long: `collect runs each source for every subject of osgauge.yaml and stores the
observations (append-only, with provenance). A source that fails for one
subject is reported and the rest of the run goes on.

Sources: gitlocal (a local clone's history), github, gitlab, gitee, gitcode
(the forges' APIs), scorecard (OpenSSF Scorecard; network checks are
inconclusive offline), license (licence files), questionnaire (supplier and
self-assessment answers), sbom, osv, manual.

With --queue the collection becomes durable jobs in the store, worked by
'osgauge worker' processes (on PostgreSQL, on several machines); collect
waits with progress, or with --no-wait prints the run id.

With --as-of DATE the history-based sources compute what history allows as
of that instant (the end of the day DATE, UTC) and record their
observations at it: gitlocal reads HEAD's history as it stood then (the
newest commit on its first-parent line committed by then), the tags dated
by then and the licence files' changes up to it; its 12-month windows end
at DATE and "months since" values count from it. Sources that read only
the present (the forges' stars and archived flag, Scorecard, the licence
files of the working tree, questionnaires, manual facts, SBOMs, OSV) are
skipped, each with its reason. 'osgauge assess --period' then judges the
period DATE falls in with them. Reproducible runs and backfills use it.

With --backfill N collect does that for the ends of the N complete
quarters before the current one, oldest first, and assesses each of those
quarters, so that the first report already shows trends.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var at time.Time
			switch {
			case asOf != "" && quarters != 0:
				return errors.New("--as-of and --backfill: give one (--backfill N collects as of the last N quarter ends)")
			case quarters < 0 || quarters > 20:
				return fmt.Errorf("--backfill %d: give the number of past quarters, 1 to 20", quarters)
			case (asOf != "" || quarters != 0) && queued:
				return errors.New("--as-of and --backfill run here, not on the queue: leave out --queue")
			case asOf != "":
				var err error
				if at, err = parseAsOf(asOf, time.Now()); err != nil {
					return err
				}
			}
			return withSession(cmd, g, nil, func(s *session, ctx context.Context) error {
				if queued {
					return queueCollect(ctx, s, pipeline.Targets(s.cfg), only, noWait)
				}
				if quarters > 0 {
					return s.backfill(ctx, quarters, only)
				}
				s.asOf = at
				return s.collect(ctx, pipeline.Targets(s.cfg), only, 0, nil)
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "compute the history-based sources as of DATE (2025-09-30: the end of that day, UTC) and record the observations then; the others are skipped with their reason")
	cmd.Flags().IntVar(&quarters, "backfill", 0, "collect as of the ends of the last N complete quarters and assess each (oldest first), so the first report has trends")
	cmd.Flags().StringSliceVar(&only, "only", nil, "run only these sources (comma-separated): "+strings.Join(knownSources, ","))
	cmd.Flags().BoolVar(&queued, "queue", false, "enqueue the collection as durable jobs for 'osgauge worker' processes instead of running it here, and wait for it with progress")
	cmd.Flags().BoolVar(&noWait, "no-wait", false, "with --queue: print the run id and return without waiting")
	return cmd
}

func newAssess(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "assess",
		Short: "Score every subject from the stored observations",
		Long: `assess reads only the store and the models (never the network), scores every
subject with the models for its kind, and stores the results with the model
id, version and hash. Observations after the period's end are not used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withSession(cmd, g, nil, (*session).assess)
		},
	}
}

func newReport(g *globals) *cobra.Command {
	var formats []string
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Write the Excel workbook, HTML dashboard and JSON report",
		Long: `report renders the stored results of the period into <out>/osgauge-<period>.xlsx,
.html (one self-contained file that works offline) and .json.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			adjust := func(c *config.Config) {
				if len(formats) > 0 {
					c.Report.Formats = formats
				}
			}
			return withSession(cmd, g, adjust, (*session).report)
		},
	}
	cmd.Flags().StringSliceVar(&formats, "format", nil, "formats to write (comma-separated): xlsx,html,json")
	return cmd
}

func newRun(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "run",
		Short: "Collect, assess and report in one go",
		Long: `run does what 'osgauge collect', 'osgauge assess' and 'osgauge report' do, in
that order, for the current period (or --period): it collects every source
for every subject of osgauge.yaml, scores them, prints the summary and writes
<out>/osgauge-<period>.{xlsx,html,json}.

It works offline: a source that cannot run is skipped with its reason (a
project without a clone at its local_path has no gitlocal or local Scorecard
data; without a token in github.token_env, GITHUB_TOKEN by default, no forge
data), and the indicators it feeds are shown as inconclusive, never as zero.
To fill them: clone each project where its local_path points
(git clone https://github.com/karmada-io/karmada ./clones/karmada), and
export GITHUB_TOKEN=… ('osgauge init' prints the commands for its example).

For a first report with trends, run 'osgauge collect --backfill 4' once
before.`,
		Example: "  osgauge run\n  osgauge run --config bank.yaml --lang zh --out reports",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			collect := func(s *session, ctx context.Context) error {
				return s.collect(ctx, pipeline.Targets(s.cfg), nil, 0, nil)
			}
			return withSession(cmd, g, nil, collect, (*session).assess, (*session).report)
		},
	}
}

// printCollect says what a collection did, skipped and failed, in English.
func printCollect(w io.Writer, s *pipeline.CollectSummary) { printCollectLang(w, s, "en") }

// printCollectLang says what a collection did, skipped and failed, in
// lang; the skip reasons other packages give are shown in lang when they
// are known phrases (labels.TermPhrase), else as they are; errors stay as
// they are.
func printCollectLang(w io.Writer, s *pipeline.CollectSummary, lang string) {
	lang = termLang(lang)
	say := func(key string, kv ...string) { fmt.Fprintln(w, labels.TermLine(lang, key, kv...)) }
	src := func(source string) string { return reports.SourceLabel(lang, source) }
	asOf := ""
	if s.AsOf != nil {
		asOf = labels.TermLine(lang, "term.collect.asof", "{day}", collectors.AsOfDay(*s.AsOf))
	}
	_, status := reports.RunLabel(lang, "collect", s.Status)
	if lang != "zh" {
		status = s.Status // "partial", as the store says
	}
	say("term.collect.run", "{id}", fmt.Sprint(s.RunID), "{status}", status, "{n}", strconv.Itoa(s.Observations), "{asof}", asOf,
		"{took}", s.Duration.Round(time.Millisecond).String())
	if len(s.Skipped) > 0 {
		// Group skips by source and the general part of the reason:
		// "gitlocal: not a git repository (230 subjects, e.g. golang.org/x/mod)".
		type group struct {
			n       int
			example string
			label   string // the key in lang
		}
		groups := map[string]*group{}
		var order []string
		for _, k := range s.Skipped {
			reason := strings.SplitN(k.Reason, ": ", 2)[0]
			key := k.Source + ": " + reason
			if groups[key] == nil {
				groups[key] = &group{example: k.Subject,
					label: labels.TermLine(lang, "term.collect.skip_key", "{source}", src(k.Source), "{reason}", labels.TermPhrase(lang, reason))}
				order = append(order, key)
			}
			groups[key].n++
		}
		say("term.collect.skipped")
		for _, key := range order {
			g := groups[key]
			if g.n == 1 {
				say("term.collect.skip_one", "{key}", g.label, "{subject}", g.example)
			} else {
				say("term.collect.skip_many", "{key}", g.label, "{n}", strconv.Itoa(g.n), "{subject}", g.example)
			}
		}
	}
	for _, source := range slices.Sorted(maps.Keys(s.Cost)) {
		c := s.Cost[source]
		if c.Requests == 0 {
			continue
		}
		line := labels.TermLine(lang, "term.collect.cost", "{source}", src(source), "{n}", strconv.Itoa(c.Requests), "{nm}", strconv.Itoa(c.NotModified), "{r}", strconv.Itoa(c.Retries))
		if c.RateRemaining >= 0 {
			line += labels.TermLine(lang, "term.collect.cost_left", "{n}", strconv.Itoa(c.RateRemaining))
		}
		fmt.Fprintln(w, line)
	}
	// Per project: every project on a small portfolio, the costliest ten
	// on a large one (all of them are stored with the run).
	subjects := slices.Collect(maps.Keys(s.SubjectCost))
	sort.Slice(subjects, func(i, j int) bool {
		a, b := s.SubjectCost[subjects[i]], s.SubjectCost[subjects[j]]
		if a.Requests != b.Requests {
			return a.Requests > b.Requests
		}
		return subjects[i] < subjects[j]
	})
	if len(subjects) > 20 {
		say("term.collect.costliest", "{n}", strconv.Itoa(len(subjects)))
		subjects = subjects[:10]
	}
	for _, id := range subjects {
		c := s.SubjectCost[id]
		say("term.collect.subject_cost", "{id}", id, "{n}", strconv.Itoa(c.Requests), "{nm}", strconv.Itoa(c.NotModified), "{r}", strconv.Itoa(c.Retries))
	}
	for _, f := range s.Failed {
		subject := f.Subject
		if subject == labels.T("en", "term.collect.whole_run") { // pipeline's subject of a run-wide failure
			subject = labels.T(lang, "term.collect.whole_run")
		}
		say("term.collect.failed", "{source}", src(f.Source), "{subject}", subject, "{err}", f.Error)
	}
}

func newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the osgauge version and the models it carries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "osgauge %s\n", buildinfo.Version())
			for _, id := range models.BuiltinIDs() {
				m, err := models.Builtin(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "  model %s %s %s\n", m.ID, m.Version, m.Hash)
			}
			return nil
		},
	}
}
