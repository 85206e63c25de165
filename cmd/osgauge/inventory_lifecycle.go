package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/store"
)

// printInventoryLifecycle adds the lifecycle to the terminal inventory:
// the components in use by ledger state, use without intake by system and
// the exit list's overdue entries. A ledger that does not load is named
// with its error and the rest of the inventory still shows.
func printInventoryLifecycle(ctx context.Context, w io.Writer, st *store.Store, cfg *config.Config) error {
	lc, err := pipeline.BuildLifecycle(ctx, st, nil, pipeline.LifecycleOptions{LedgerDir: cfg.LedgerDir(),
		IntakeRequired: cfg.Lifecycle.IntakeRequired, Now: time.Now()})
	if err != nil {
		fmt.Fprintf(w, "\nlifecycle: not shown: %v\n", err)
		return nil
	}
	if lc == nil {
		return nil
	}
	fmt.Fprintf(w, "\nlifecycle (ledger %s, intake_required: %s)\n  %s\n", lc.Ledger, lc.IntakeRequired, pipeline.LifecycleSummary(lc))
	if lc.InUse.Unapproved > 0 {
		fmt.Fprintln(w, "\nuse without intake by system:")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  SYSTEM\tWITHOUT INTAKE\tCOMPONENTS")
		for _, s := range lc.UnapprovedBySystem {
			if s.Unapproved > 0 {
				fmt.Fprintf(tw, "  %s\t%d\t%d\n", s.System, s.Unapproved, s.Components)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, x := range lc.Exits {
		if !x.Overdue {
			continue
		}
		var sys []string
		for _, s := range x.Systems {
			sys = append(sys, s.System+" ("+s.Relation+")")
		}
		fmt.Fprintf(w, "  EXIT OVERDUE %s %s: deadline %s, %d systems remaining: %s\n", x.Component, orAll(x.Versions), x.Deadline,
			x.SystemsRemaining, strings.Join(sys, ", "))
	}
	return nil
}

func orAll(v string) string {
	if v == "" {
		return "(all versions)"
	}
	return v
}

// componentStates returns a state lookup for the --component table: the
// ledger state of a component version known by its inventory row ("" when
// the ledger does not load).
func componentStates(cfg *config.Config) func(store.InventoryRow) string {
	l, err := ledger.Load(cfg.LedgerDir())
	if err != nil {
		return func(store.InventoryRow) string { return "" }
	}
	return func(r store.InventoryRow) string {
		if !pipeline.ThirdPartyUse(r.Scope) {
			return "-"
		}
		s, _ := pipeline.LifecycleState(l, pipeline.LifecycleTargets(r), r.Version)
		if s == ledger.StateUnapproved && !pipeline.NeedsIntake(cfg.Lifecycle.IntakeRequired, r.Relation) {
			return "no decision (intake not required)"
		}
		return s
	}
}
