package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/reports/labels"
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
func printPlan(ctx context.Context, w io.Writer, st *store.Store, targets []collectors.Target, colls []collectors.Collector, now time.Time, lang string) {
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
	for _, line := range planLinesLang(forge.MakePlan(ds, known, now, forge.PlanWindow), now, lang) {
		fmt.Fprintln(w, line)
	}
}

// printClonesPlan states, before a collection, the managed clones it will
// fetch (with the disk they hold, from the clones' state file) and make
// (their size is known once cloned); nothing when no collector reads a
// clone or no project needs one.
func printClonesPlan(w io.Writer, cl *pipeline.Clones, targets []collectors.Target, colls []collectors.Collector) {
	reads := false
	for _, c := range colls {
		reads = reads || c.Needs().Clone
	}
	if !reads {
		return
	}
	if line := cl.PlanLine(targets); line != "" {
		fmt.Fprintln(w, line)
	}
}

// planLines words a plan, one line per demand, in English.
func planLines(plan []forge.PlanLine, now time.Time) []string { return planLinesLang(plan, now, "en") }

// planLinesLang words a plan, one line per demand, in lang: the
// collector's wording of the demand and its credential in lang when they
// are known phrases (labels.TermPhrase), else as they are.
func planLinesLang(plan []forge.PlanLine, now time.Time, lang string) []string {
	lang = termLang(lang)
	T := func(key string, kv ...string) string { return labels.TermLine(lang, key, kv...) }
	var out []string
	for _, l := range plan {
		res := l.Resource
		if res == "" {
			res = "core"
		}
		var when string
		switch {
		case l.Amount == 0:
			when = T("term.plan.unchanged")
		case l.Windows == 0:
			when = T("term.plan.within", "{left}", strconv.Itoa(l.Remaining), "{limit}", strconv.Itoa(l.Limit))
		default:
			src := T("term.plan.assumed")
			if l.Known {
				src = T("term.plan.known")
			}
			when = T("term.plan.windows", "{duration}", roundPlan(l.Duration), "{left}", strconv.Itoa(l.Remaining),
				"{reset}", l.Reset.Local().Format("15:04"), "{src}", src, "{windows}", strconv.Itoa(l.Windows), "{limit}", strconv.Itoa(l.Limit))
		}
		unit := l.Unit
		if labels.Has("term.plan.unit." + unit) {
			unit = labels.T(lang, "term.plan.unit."+unit)
		}
		out = append(out, T("term.plan.line", "{forge}", strings.ToLower(l.Forge), "{resource}", res,
			"{credential}", labels.TermPhrase(lang, l.Credential), "{n}", strconv.Itoa(l.Projects), "{what}", labels.TermPhrase(lang, l.What),
			"{amount}", thousands(int(l.Amount+0.5)), "{unit}", unit, "{when}", when))
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
