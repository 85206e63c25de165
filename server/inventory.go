package server

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/reports"
)

// inventoryCache keeps the judged inventory (every system's latest SBOM,
// each component's licence class, compatibility, policy and known
// vulnerabilities, as the dashboard shows it) for InventoryTTL. An old
// copy is served while one request builds the next in the background.
type inventoryCache struct {
	mu       sync.Mutex
	ttl      time.Duration
	at       time.Time
	inv      *reports.Inventory
	comps    []reports.InvComponent // by name, version, purl
	have     bool
	building bool
}

func (c *inventoryCache) get(ctx context.Context, build func(context.Context) (*reports.Inventory, error), now time.Time) ([]reports.InvComponent, error) {
	c.mu.Lock()
	fresh := c.have && c.ttl > 0 && now.Sub(c.at) < c.ttl
	if fresh || (c.have && c.building) {
		defer c.mu.Unlock()
		return c.comps, nil
	}
	if c.have { // stale: refresh in the background, answer from the copy
		c.building = true
		comps := c.comps
		c.mu.Unlock()
		go func() {
			bctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			c.fill(bctx, build, now)
		}()
		return comps, nil
	}
	c.mu.Unlock()
	if err := c.fill(ctx, build, now); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.comps, nil
}

func (c *inventoryCache) fill(ctx context.Context, build func(context.Context) (*reports.Inventory, error), now time.Time) error {
	inv, err := build(ctx)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.building = false
	if err != nil {
		return err
	}
	var comps []reports.InvComponent
	if inv != nil {
		comps = slices.Clone(inv.Components)
	}
	slices.SortStableFunc(comps, func(a, b reports.InvComponent) int { return compareKeys(componentKey(a), componentKey(b)) })
	c.inv, c.comps, c.at, c.have = inv, comps, now, true
	return nil
}

func componentKey(c reports.InvComponent) []string { return []string{c.Name, c.Version, c.PURL} }

var componentParams = []string{"name", "version", "q", "system", "project", "licence_class", "compatibility", "policy", "severity", "kev", "limit", "cursor"}

// nameMatches says whether a component is the one ?name= asks for: its
// full name (com.alibaba:fastjson, @scope/pkg, a Go module path), its
// package URL with or without the version, or the name's last part alone
// (fastjson, log4j-core), which is what people type.
func nameMatches(c reports.InvComponent, name string) bool {
	if strings.EqualFold(c.Name, name) || c.PURL == name || strings.HasPrefix(c.PURL, name+"@") {
		return true
	}
	short := c.Name
	if i := strings.LastIndexAny(short, ":/"); i >= 0 {
		short = short[i+1:]
	}
	return strings.EqualFold(short, name)
}

// inventoryComponents serves GET /api/v1/inventory/components: the
// components of every system's latest SBOM, judged, with the dashboard's
// filters; ?name=&version= answers "which systems run X@version" (each
// component lists its systems).
func (s *Server) inventoryComponents(w http.ResponseWriter, r *http.Request) {
	if s.opt.Inventory == nil {
		writeError(w, http.StatusServiceUnavailable, "the inventory is not configured on this server")
		return
	}
	q := r.URL.Query()
	if err := checkParams(q, componentParams...); err != nil {
		badParam(w, err)
		return
	}
	class, err := oneOf(q, "licence_class", licenses.Classes...)
	if err != nil {
		badParam(w, err)
		return
	}
	compat, err := oneOf(q, "compatibility", licenses.Verdicts...)
	if err != nil {
		badParam(w, err)
		return
	}
	pol, err := oneOf(q, "policy", licenses.Allowed, licenses.Review, licenses.Banned)
	if err != nil {
		badParam(w, err)
		return
	}
	sev, err := oneOf(q, "severity", "critical", "high", "medium", "low", "unknown")
	if err != nil {
		badParam(w, err)
		return
	}
	kevSet, kev, err := parseBool(q, "kev")
	if err != nil {
		badParam(w, err)
		return
	}
	p, err := parsePage(q, 3)
	if err != nil {
		badParam(w, err)
		return
	}
	comps, err := s.inv.get(r.Context(), s.opt.Inventory, time.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	name, version, system, project := q.Get("name"), q.Get("version"), q.Get("system"), q.Get("project")
	text := strings.ToLower(q.Get("q"))
	var sel []reports.InvComponent
	for _, c := range comps {
		switch {
		case name != "" && !nameMatches(c, name),
			version != "" && c.Version != version,
			text != "" && !strings.Contains(strings.ToLower(c.Name), text) && !strings.Contains(strings.ToLower(c.PURL), text),
			system != "" && !slices.Contains(c.SystemNames(), system),
			project != "" && c.Project != project,
			class != "" && c.LicenceClass != class,
			compat != "" && c.Compatibility != compat,
			pol != "" && c.Policy != pol,
			sev != "" && severityCount(c.Vulnerabilities, sev) == 0,
			kevSet && (c.Vulnerabilities.KEV > 0) != kev:
			continue
		}
		sel = append(sel, c)
	}
	out, next := pageOf(sel, p, componentKey)
	if out == nil {
		out = []reports.InvComponent{}
	}
	writeRead(w, r, struct {
		listMeta
		Components []reports.InvComponent `json:"components"`
	}{listMeta{Count: len(out), Total: len(sel), Limit: p.limit, NextCursor: next}, out}, nil)
}

func severityCount(v reports.InvVuln, sev string) int {
	switch sev {
	case "critical":
		return v.Critical
	case "high":
		return v.High
	case "medium":
		return v.Medium
	case "low":
		return v.Low
	}
	return v.Unknown
}
