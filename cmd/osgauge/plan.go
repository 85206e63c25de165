package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/store"
)

// planner is a collector that can estimate a run's spending before it
// starts (the GitHub collector).
type planner interface {
	Plan(ctx context.Context, targets []collectors.Target) []forge.Demand
}

// printPlan states, before anything is spent, what the run will cost per
// credential and how long it takes at the limits the store knows (its
// api_budget table: the remaining count and reset of each credential's
// window, as the last responses said).
func printPlan(ctx context.Context, w io.Writer, st *store.Store, targets []collectors.Target, colls []collectors.Collector, now time.Time) {
	var ds []forge.Demand
	for _, c := range colls {
		if p, ok := c.(planner); ok {
			ds = append(ds, p.Plan(ctx, targets)...)
		}
	}
	if len(ds) == 0 {
		return
	}
	known := map[string]forge.Window{}
	if rows, err := st.BudgetState(ctx); err == nil {
		for _, r := range rows {
			known[r.Key] = forge.Window{Remaining: r.Remaining, Reset: r.Reset}
		}
	}
	for _, line := range planLines(forge.MakePlan(ds, known, now, forge.PlanWindow), now) {
		fmt.Fprintln(w, line)
	}
}

// planLines words a plan, one line per demand.
func planLines(plan []forge.PlanLine, now time.Time) []string {
	var out []string
	for _, l := range plan {
		res := l.Resource
		if res == "" {
			res = "core"
		}
		var when string
		switch {
		case l.Amount == 0:
			when = "nothing counted when unchanged"
		case l.Windows == 0:
			when = fmt.Sprintf("within the current window (%d of %d left)", l.Remaining, l.Limit)
		default:
			src := "assumed full now"
			if l.Known {
				src = "as the store last saw it"
			}
			when = fmt.Sprintf("about %s: %d left until %s (%s), then %d more window(s) of %d an hour",
				roundPlan(l.Duration), l.Remaining, l.Reset.Local().Format("15:04"), src, l.Windows, l.Limit)
		}
		out = append(out, fmt.Sprintf("plan: %s %s (%s): %d projects, %s — about %s %s; %s",
			strings.ToLower(l.Forge), res, l.Credential, l.Projects, l.What, thousands(int(l.Amount+0.5)), l.Unit, when))
	}
	return out
}

func roundPlan(d time.Duration) string {
	if d >= time.Hour {
		return d.Round(time.Minute).String()
	}
	return d.Round(time.Second).String()
}

// thousands writes n with thousands separators (24,000).
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
