package osv

import (
	"slices"

	"github.com/osgauge/osgauge/store"
)

// aliasSets joins records that share an id or an alias (a GHSA record and
// the CVE it aliases, or two databases' records of one CVE): they are one
// vulnerability. find gives a record's representative, the smallest id
// of its set.
type aliasSets map[string]string

func (p aliasSets) find(x string) string {
	q, ok := p[x]
	if !ok || q == x {
		p[x] = x
		return x
	}
	r := p.find(q)
	p[x] = r
	return r
}

func (p aliasSets) union(a, b string) {
	ra, rb := p.find(a), p.find(b)
	if ra != rb {
		if rb < ra {
			ra, rb = rb, ra
		}
		p[rb] = ra
	}
}

// add joins a record with its aliases.
func (p aliasSets) add(v store.Vuln) {
	p.find(v.ID)
	for _, a := range v.Aliases {
		p.union(v.ID, a)
	}
}

// vulnGroup is one vulnerability: the records of an alias set that
// affect the versions looked at.
type vulnGroup struct {
	ids       []string // record ids, in the order met
	aliases   []string // the aliases its records name (CVE ids), in the order met
	severity  string   // the worst of its records
	fixed     bool     // a record names a fixed version after a version in use
	kev       bool     // a record or an alias is in CISA KEV
	published string   // the oldest publication date of its records
}

// groupVulns merges the matches of the given component versions into
// distinct vulnerabilities, by alias set.
// The alias sets built come back too.
func groupVulns(keys []string, matches map[string][]store.ComponentVuln, kev map[string]store.KEVEntry) (map[string]*vulnGroup, aliasSets) {
	sets := aliasSets{}
	for _, k := range keys {
		for _, m := range matches[k] {
			sets.add(m.Vuln)
		}
	}
	out := map[string]*vulnGroup{}
	for _, k := range keys {
		for _, m := range matches[k] {
			root := sets.find(m.ID)
			g := out[root]
			if g == nil {
				g = &vulnGroup{}
				out[root] = g
			}
			seen := false
			for _, id := range g.ids {
				seen = seen || id == m.ID
			}
			if !seen {
				g.ids = append(g.ids, m.ID)
			}
			for _, a := range m.Aliases {
				if !slices.Contains(g.aliases, a) {
					g.aliases = append(g.aliases, a)
				}
			}
			if severityRank(m.Severity) > severityRank(g.severity) {
				g.severity = m.Severity
			}
			g.fixed = g.fixed || m.Fixed != ""
			g.kev = g.kev || InKEV(m.Vuln, kev)
			if p, ok := parseTime(m.Published); ok {
				if q, ok := parseTime(g.published); !ok || p.Before(q) {
					g.published = m.Published
				}
			}
		}
	}
	return out, sets
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
