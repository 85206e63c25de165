package forge

import (
	"math"
	"time"
)

// Demand is what a collection will spend of one credential's rate-limit
// resource, estimated before it starts.
type Demand struct {
	Forge      string  // "GitHub"
	Credential string  // the budget key ("cred:…", never the token), or a description ("3 credentials")
	Resource   string  // "core", "graphql"
	Unit       string  // "requests", "points"
	Amount     float64 // estimated units the run spends
	Limit      int     // units per window per credential (GitHub: 5,000 an hour)
	Projects   int     // projects the demand is for
	What       string  // e.g. "first collection by GraphQL (8 repositories a query)"
}

// Window is what the shared budget (the store's api_budget table) knows of
// one credential's resource: Remaining units until Reset.
type Window struct {
	Remaining int
	Reset     time.Time
}

// PlanLine is one demand and how long it takes at the known limits.
type PlanLine struct {
	Demand
	Remaining int       // units available now
	Reset     time.Time // when the current window ends
	Known     bool      // Remaining and Reset come from the store, not assumed
	Windows   int       // further windows needed after the current one
	Duration  time.Duration
}

// PlanWindow is GitHub's (and GitLab's) rate-limit window.
const PlanWindow = time.Hour

// MakePlan says how long each demand takes: the units left in the current
// window (the stored ones, when known[Credential + ":" + Resource] — or
// Credential alone for "core" — names a window that has not ended; else a
// full window starting now) are spent at once; the rest needs
// ⌈(Amount − Remaining) ÷ Limit⌉ more windows, the last of which is spent as
// soon as it opens. So Duration = 0 when the current window covers the
// demand, else (Reset − now) + (windows − 1) × window.
func MakePlan(ds []Demand, known map[string]Window, now time.Time, window time.Duration) []PlanLine {
	out := make([]PlanLine, 0, len(ds))
	for _, d := range ds {
		l := PlanLine{Demand: d, Remaining: d.Limit, Reset: now.Add(window)}
		key := d.Credential
		if d.Resource != "" && d.Resource != "core" {
			key += ":" + d.Resource
		}
		if w, ok := known[key]; ok && w.Reset.After(now) {
			l.Remaining, l.Reset, l.Known = max(w.Remaining, 0), w.Reset, true
		}
		need := math.Ceil(d.Amount)
		if need > float64(l.Remaining) && d.Limit > 0 {
			l.Windows = int(math.Ceil((need - float64(l.Remaining)) / float64(d.Limit)))
			l.Duration = l.Reset.Sub(now) + time.Duration(l.Windows-1)*window
		}
		out = append(out, l)
	}
	return out
}
