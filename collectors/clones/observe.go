package clones

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
)

// Source is the source name of the clones' observations.
const Source = "clones"

// The metrics recorded for every prepared clone (a contract with the
// continuity indicators built on them).
const (
	// MetricSourceHeld is 1 when the clone fetched successfully in this
	// collection, 0 when it failed.
	MetricSourceHeld = "clones.source_held"
	// MetricSourceAgeDays is the days since the clone's newest successful
	// fetch (0 right after one); inconclusive when it never succeeded.
	MetricSourceAgeDays = "clones.source_age_days"
)

// Observations are the clones observations of one subject whose
// repository r prepared, at now. The evidence names the URL actually
// fetched, the mirror rule that rewrote it, the tool, when the fetch
// succeeded and the newest commit the source served then (a mirror's own
// age: a mirror that stopped syncing serves an old newest commit however
// fresh the fetch).
func Observations(subject string, r *Result, now time.Time) []models.Observation {
	ev := Evidence(r)
	held := models.Observation{SubjectID: subject, Metric: MetricSourceHeld, Value: models.Bool(r.Err == nil), Unit: "bool",
		Source: Source, ObservedAt: now, Evidence: ev}
	age := models.Observation{SubjectID: subject, Metric: MetricSourceAgeDays, Unit: "days", Source: Source, ObservedAt: now, Evidence: ev}
	if r.FetchedAt.IsZero() {
		age.Reason = "no successful clone or fetch of " + r.Repo + " yet"
	} else {
		d := now.Sub(r.FetchedAt).Hours() / 24
		age.Value = models.Num(math.Max(0, math.Round(d*100)/100))
	}
	return []models.Observation{held, age}
}

// Evidence says where a clone came from and how fresh it is, in one line
// without credentials.
func Evidence(r *Result) string {
	var b strings.Builder
	if r.Err != nil {
		fmt.Fprintf(&b, "%s from %s failed: %v", verb(r.Cloned), r.URL, r.Err)
	} else {
		fmt.Fprintf(&b, "%s from %s", done(r.Cloned), r.URL)
	}
	if r.Mirror != nil {
		fmt.Fprintf(&b, " (mirror rule %s → %s)", Redact(r.Mirror.From), Redact(r.Mirror.To))
	}
	if r.Tool != "" {
		kind := "full clone"
		if r.Partial {
			kind = "blob-less partial clone"
		}
		fmt.Fprintf(&b, " with %s, %s", r.Tool, kind)
	}
	switch {
	case r.FetchedAt.IsZero():
		b.WriteString("; no clone is held")
	case r.Err != nil:
		fmt.Fprintf(&b, "; the clone of the last successful fetch, %s, is used", r.FetchedAt.UTC().Format(time.RFC3339))
	default:
		fmt.Fprintf(&b, "; fetch succeeded %s", r.FetchedAt.UTC().Format(time.RFC3339))
	}
	if !r.NewestCommit.IsZero() && !r.FetchedAt.IsZero() {
		lag := r.FetchedAt.Sub(r.NewestCommit).Hours() / 24
		fmt.Fprintf(&b, "; newest commit served %s (%.1f days before that fetch)", r.NewestCommit.UTC().Format(time.RFC3339), math.Max(0, lag))
	}
	if r.Path != "" {
		fmt.Fprintf(&b, "; %s at %s", humanBytes(r.Bytes), r.Path)
	}
	return b.String()
}
