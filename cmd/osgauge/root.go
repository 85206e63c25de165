package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// globals are the flags every command shares (DESIGN.md CLI contract).
type globals struct {
	configPath string
	db         string
	lang       string
	out        string
	period     string
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "osgauge",
		Short: "Open-source maturity assessment and supplier evaluation",
		Long: `osgauge scores the open source an institution runs (Project Health Index),
the suppliers it buys open-source services from (Supplier Evaluation Index)
and its own open-source governance (Governance Maturity Index), following
JR/T 0290/0291-2024, GB/T 42927-2023, ISO/IEC 5230 and 18974, CHAOSS and
OpenSSF Scorecard. It writes an Excel workbook, an offline HTML dashboard
and a JSON report, in Chinese or English.

Start with 'osgauge demo' (offline, on a recorded sample portfolio), then
'osgauge init' to write a starter osgauge.yaml for your own portfolio.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.configPath, "config", "", "config file (default ./osgauge.yaml)")
	pf.StringVar(&g.db, "db", "", "the store: a SQLite file path or a postgres:// DSN (overrides store.dsn and store.dsn_env)")
	pf.StringVar(&g.lang, "lang", "", "report language: zh or en (overrides report.lang)")
	pf.StringVar(&g.out, "out", "", "report output directory (overrides report.out)")
	pf.StringVar(&g.period, "period", "", "assessment period: 2026Q4, 2026-11 or 2026-10-01..2026-12-31 (default: the current quarter)")
	root.AddCommand(newDemo(g), newInit(), newCollect(g), newAssess(g), newReport(g), newRun(g), newModel(g), newQuestionnaire(g), newVersion(), newServe(g), newInventory(g), newWorkerCmd(g), newIntake(g))
	root.AddCommand(newCheck(g))
	root.AddCommand(newVex(g))
	root.AddCommand(newVuln(g))
	root.AddCommand(newNotify(g))
	root.AddCommand(newToken(g), newAudit(g))
	root.AddCommand(newBacktest(g))
	return root
}

// loadConfig reads the config and applies the global flag overrides.
func (g *globals) loadConfig() (*config.Config, error) {
	path := g.configPath
	if path == "" {
		path = "osgauge.yaml"
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return nil, errors.New("no osgauge.yaml here: run 'osgauge init' to write one, pass --config FILE, or try 'osgauge demo'")
		}
	}
	c, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	if err := g.override(c); err != nil {
		return nil, err
	}
	if err := withLedgerWaivers(c); err != nil { // confirm.go
		return nil, err
	}
	return c, nil
}

func (g *globals) override(c *config.Config) error {
	switch {
	case g.db != "":
		c.Store.DSN = g.db
		if store.IsPostgresDSN(g.db) {
			c.Store.Driver = store.DriverPostgres
		}
	case c.Store.DSN != "" && !store.IsPostgresDSN(c.Store.DSN):
		c.Store.DSN = c.Resolve(c.Store.DSN) // a SQLite path, relative to the config
	}
	if g.out != "" {
		c.Report.Out = g.out
	} else {
		c.Report.Out = c.Resolve(c.Report.Out)
	}
	if g.lang != "" {
		if !slices.Contains(config.KnownLangs, g.lang) {
			return fmt.Errorf("--lang must be zh or en, got %q", g.lang)
		}
		c.Report.Lang = g.lang
	}
	return nil
}

func (g *globals) periodOr(now time.Time) (assess.Period, error) {
	if g.period == "" {
		return assess.CurrentQuarter(now), nil
	}
	return assess.ParsePeriod(g.period)
}

// loadModels returns the built-in models with the config's overrides.
func loadModels(c *config.Config) (models.Set, error) {
	overrides := map[string]string{}
	for id, p := range c.Models {
		overrides[id] = c.Resolve(p)
	}
	set, err := models.Load(overrides)
	if err != nil {
		return nil, err
	}
	// continuity.support_tier names a grade of the supplier model: a typo
	// is caught here, before any collection, with its file and line.
	if err := c.CheckContinuity(set); err != nil {
		return nil, err
	}
	return set, nil
}

func absOr(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
