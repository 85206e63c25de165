package osv

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// HighUnpatchedMetric is the gate "a critical or high vulnerability
// unpatched more than 30 days after a fix exists" (issue 16).
const HighUnpatchedMetric = "osv.high_unpatched_fixed_30d"

// unpatchedDays is the grace period: a fix must have been available for
// more than this many whole days.
const unpatchedDays = 30

// fixDateNote says where the date of a fix comes from; OSV records carry
// no date per fixed version.
const fixDateNote = "fix date: the advisory's published date (OSV gives no date per fixed version; an advisory is assumed to be published with its fix), " +
	"its modified date when it has no published date, or the fixed release's tag date in the project's clone when that is later"

// fixFact is one dated fix of one record for one version in use.
type fixFact struct {
	id, key, fixed string
	date           time.Time
	basis          string
}

// highUnpatched computes osv.high_unpatched_fixed_30d: the distinct
// vulnerabilities (records sharing an id or alias are one) of severity
// critical or high that affect a version in use and whose fixed version
// for it has been available for more than 30 whole days at now. A merged
// vulnerability takes the worst severity of its records and the oldest
// fix of any of them. There is no value, with a Reason, when no version
// in use is known or checked, or when nothing qualifies but a version in
// use was not checked or a fix could not be dated (0 would claim "clear").
// tags dates the project's releases (version → date), nil when unknown.
// why says why a version was not checked (nil: no OSV ecosystem or version).
func highUnpatched(o models.Observation, now time.Time, inUse map[string]store.InvComponent, checked map[string]bool,
	matches map[string][]store.ComponentVuln, tags func() (map[string]time.Time, error), why func(key string) string) models.Observation {
	if len(inUse) == 0 {
		o.Reason = "no component of the project is in a current SBOM: its versions in use are unknown"
		return o
	}
	var checkedKeys, unchecked []string
	for _, k := range slices.Sorted(mapKeys(inUse)) {
		if checked[k] {
			checkedKeys = append(checkedKeys, k)
		} else {
			unchecked = append(unchecked, k)
		}
	}
	if len(checkedKeys) == 0 {
		o.Reason = "OSV data was not read for any version in use: " + uncheckedText(inUse, unchecked, why)
		return o
	}

	// Records sharing an id or an alias are one vulnerability.
	sets := aliasSets{}
	for _, k := range checkedKeys {
		for _, m := range matches[k] {
			sets.add(m.Vuln)
		}
	}

	var dates map[string]time.Time
	datesRead := false
	tagDate := func(version string) (time.Time, bool) {
		if !datesRead {
			datesRead = true
			if tags != nil {
				dates, _ = tags()
			}
		}
		if len(dates) == 0 {
			return time.Time{}, false
		}
		return releaseDate(dates, version)
	}

	type group struct {
		ids      map[string]bool
		severity string
		fix      *fixFact
		undated  bool
	}
	groups := map[string]*group{}
	for _, k := range checkedKeys {
		for _, m := range matches[k] {
			root := sets.find(m.ID)
			g := groups[root]
			if g == nil {
				g = &group{ids: map[string]bool{}}
				groups[root] = g
			}
			g.ids[m.ID] = true
			for _, a := range m.Aliases {
				g.ids[a] = true
			}
			if severityRank(m.Severity) > severityRank(g.severity) {
				g.severity = m.Severity
			}
			if m.Fixed == "" {
				continue // no fixed version after the version in use
			}
			f := fixFact{id: m.ID, key: k, fixed: m.Fixed}
			if p, ok := parseTime(m.Published); ok {
				f.date, f.basis = p, "advisory published "+p.Format("2006-01-02")
			} else if p, ok := parseTime(m.Modified); ok {
				f.date, f.basis = p, "advisory modified "+p.Format("2006-01-02")+", no published date"
			} else {
				g.undated = true
				continue
			}
			if d, ok := tagDate(m.Fixed); ok && d.After(f.date) {
				f.basis = fmt.Sprintf("release %s tagged %s, after the %s", m.Fixed, d.Format("2006-01-02"), f.basis)
				f.date = d
			}
			if g.fix == nil || f.date.Before(g.fix.date) || (f.date.Equal(g.fix.date) && f.id+f.key < g.fix.id+g.fix.key) {
				g.fix = &f
			}
		}
	}

	type hit struct {
		g    *group
		days float64
	}
	var hits []hit
	undated := 0
	highs := 0
	for _, g := range groups {
		if g.severity != Critical && g.severity != High {
			continue
		}
		highs++
		var days float64 = -1
		if g.fix != nil {
			days = math.Floor(now.Sub(g.fix.date).Hours() / 24)
		}
		switch {
		case days > unpatchedDays:
			hits = append(hits, hit{g, days})
		case g.undated:
			undated++
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.days != b.days {
			return int(b.days - a.days)
		}
		return strings.Compare(a.g.fix.id, b.g.fix.id)
	})
	scope := fmt.Sprintf("critical or high vulnerabilities (aliases merged) of the %d versions in use checked, with a fix available for more than %d days on %s; %s",
		len(checkedKeys), unpatchedDays, now.Format("2006-01-02"), fixDateNote)
	if len(unchecked) > 0 {
		scope += "; not checked: " + uncheckedText(inUse, unchecked, why)
	}
	if len(hits) == 0 {
		switch {
		case undated > 0:
			o.Reason = fmt.Sprintf("%d critical or high vulnerabilities of a version in use have a fixed version but no date in their records", undated)
			return o
		case len(unchecked) > 0:
			o.Reason = "OSV data was not read for every version in use: " + uncheckedText(inUse, unchecked, why)
			return o
		}
	}
	var list []string
	for i, h := range hits {
		if i == 5 {
			list = append(list, fmt.Sprintf("and %d more", len(hits)-5))
			break
		}
		f := h.g.fix
		id := f.id
		if others := otherIDs(h.g.ids, f.id); len(others) > 0 {
			id += " (" + strings.Join(others, ", ") + ")"
		}
		comp := inUse[f.key]
		list = append(list, fmt.Sprintf("%s %s: %s %s in use, fixed in %s, %g days since the fix (%s)",
			id, h.g.severity, comp.Name, comp.Version, f.fixed, h.days, f.basis))
	}
	ev := scope
	if len(list) > 0 {
		ev += ": " + strings.Join(list, "; ")
	} else {
		ev += fmt.Sprintf(": none (%d known vulnerabilities of the versions in use, %d of them critical or high)", len(groups), highs)
	}
	// Every hit's ids, machine-readable for exceptions (accepts:).
	var items [][]string
	for _, h := range hits {
		items = append(items, cveFirst(h.g.ids))
	}
	o.Value, o.Unit, o.Evidence = models.Num(float64(len(hits))), "vulnerabilities", models.WithIDs(ev, items)
	return o
}

// cveFirst lists a vulnerability's ids, its CVE ids first, each part
// sorted.
func cveFirst(ids map[string]bool) []string {
	var cves, other []string
	for id := range ids {
		if strings.HasPrefix(id, "CVE-") {
			cves = append(cves, id)
		} else {
			other = append(other, id)
		}
	}
	slices.Sort(cves)
	slices.Sort(other)
	return append(cves, other...)
}

// noEcosystem is why a version without an OSV ecosystem or a version
// was not checked.
const noEcosystem = "no OSV ecosystem or version in the SBOM"

// uncheckedText names the versions not checked, grouped by why (why(key),
// noEcosystem when why is nil or says nothing): "no OSV data for Go
// modules: add the Go all.zip export to osv.exports or turn the API on
// (golang.org/x/net 0.1.0); no OSV ecosystem or version in the SBOM (libb 2.0.0)".
func uncheckedText(inUse map[string]store.InvComponent, keys []string, why func(key string) string) string {
	var causes []string
	byCause := map[string][]string{}
	for _, k := range keys {
		cause := ""
		if why != nil {
			cause = why(k)
		}
		if cause == "" {
			cause = noEcosystem
		}
		if byCause[cause] == nil {
			causes = append(causes, cause)
		}
		if len(byCause[cause]) == 5 {
			byCause[cause] = append(byCause[cause], "…")
		} else if len(byCause[cause]) < 5 {
			byCause[cause] = append(byCause[cause], strings.TrimSpace(inUse[k].Name+" "+inUse[k].Version))
		}
	}
	slices.Sort(causes)
	var out []string
	for _, cause := range causes {
		out = append(out, cause+" ("+strings.Join(byCause[cause], ", ")+")")
	}
	return strings.Join(out, "; ")
}

// severityRank orders severity levels, worst highest.
func severityRank(level string) int {
	switch level {
	case Critical:
		return 5
	case High:
		return 4
	case Medium:
		return 3
	case Low:
		return 2
	case None:
		return 1
	}
	return 0 // unrated or none yet
}

func otherIDs(ids map[string]bool, except string) []string {
	var out []string
	for _, id := range slices.Sorted(mapKeys(ids)) {
		if id != except {
			out = append(out, id)
		}
	}
	return out
}

// clip shortens s to at most n bytes, on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
