package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/reports"
)

// inventoryCache keeps the judged inventory (every system's latest SBOM,
// each component's licence class, compatibility, policy and known
// vulnerabilities, as the dashboard shows it) for InventoryTTL. It is
// built by one build at a time (single flight), on a context of its own
// (not a request's, whose deadline would cut it short), when first
// needed and again in the background when InventoryTTL has passed or a
// run started or ended (the store's change token moved); an old copy is
// served meanwhile. Before the first copy, a request waits
// up to inventoryWarmWait and is then answered 503 with Retry-After.
// InventoryTTL < 0 builds it on every request, in the request.
type inventoryCache struct {
	mu       sync.Mutex
	ttl      time.Duration
	at       time.Time
	comps    []reports.InvComponent // by name, version, purl
	have     bool
	building chan struct{} // closed when the build under way ends; nil: none
	err      error         // the last build's error, until the next
	tok      string        // the store's change token when the copy's build started
	builds   int           // builds started (for tests)
}

// inventoryWarmWait is how long a request waits for the first build.
var inventoryWarmWait = 2 * time.Second

const (
	// inventoryRetryAfter is the Retry-After (seconds) of the 503 while
	// the first build runs.
	inventoryRetryAfter = 10
	// inventoryBuildTimeout bounds one build.
	inventoryBuildTimeout = 10 * time.Minute
)

// errInventoryWarming: the first build is under way.
var errInventoryWarming = errors.New("the inventory is being built")

// get returns the components and when they were built (zero: built for
// this request, InventoryTTL < 0); tok is the store's change token now.
func (c *inventoryCache) get(ctx context.Context, build func(context.Context) (*reports.Inventory, error), now time.Time, tok string) ([]reports.InvComponent, time.Time, error) {
	if c.ttl < 0 {
		inv, err := build(ctx)
		if err != nil {
			return nil, time.Time{}, err
		}
		return sortedComponents(inv), time.Time{}, nil
	}
	c.mu.Lock()
	if c.have && now.Sub(c.at) < c.ttl && !now.Before(c.at) && tok == c.tok {
		defer c.mu.Unlock()
		return c.comps, c.at, nil
	}
	ch := c.start(build, tok)
	if c.have { // stale: refreshed in the background, answered from the copy
		defer c.mu.Unlock()
		return c.comps, c.at, nil
	}
	c.mu.Unlock()
	t := time.NewTimer(inventoryWarmWait)
	defer t.Stop()
	select {
	case <-ch:
	case <-t.C:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.have:
		return c.comps, c.at, nil
	case c.building == nil && c.err != nil:
		return nil, time.Time{}, c.err
	}
	return nil, time.Time{}, errInventoryWarming
}

// start starts a build unless one is under way (c.mu held) and returns
// the channel closed when the build under way ends.
func (c *inventoryCache) start(build func(context.Context) (*reports.Inventory, error), tok string) chan struct{} {
	if c.building != nil {
		return c.building
	}
	ch := make(chan struct{})
	c.building = ch
	c.builds++
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), inventoryBuildTimeout)
		defer cancel()
		inv, err := build(ctx)
		var comps []reports.InvComponent
		if err == nil {
			comps = sortedComponents(inv)
		}
		c.mu.Lock()
		c.building, c.err = nil, err
		if err == nil {
			c.comps, c.at, c.have, c.tok = comps, time.Now(), true, tok
		}
		c.mu.Unlock()
		close(ch)
	}()
	return ch
}

func sortedComponents(inv *reports.Inventory) []reports.InvComponent {
	var comps []reports.InvComponent
	if inv != nil {
		comps = slices.Clone(inv.Components)
	}
	slices.SortStableFunc(comps, func(a, b reports.InvComponent) int { return compareKeys(componentKey(a), componentKey(b)) })
	return comps
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
	p, err := routePage(q, "inventory/components", 3)
	if err != nil {
		badParam(w, err)
		return
	}
	tok := ""
	if s.opt.InventoryTTL > 0 {
		if tok, _, err = s.views.state(r.Context(), s.opt.Store, time.Now()); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	comps, builtAt, err := s.inv.get(r.Context(), s.opt.Inventory, time.Now(), tok)
	if errors.Is(err, errInventoryWarming) {
		w.Header().Set("Retry-After", strconv.Itoa(inventoryRetryAfter))
		writeProblem(w, problem{Status: http.StatusServiceUnavailable, RetryAfter: inventoryRetryAfter,
			Detail: "the inventory is being built (the first time since serve started): retry in a few seconds"})
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// A copy does not change: its answers are kept (answer cache) by copy
	// and query.
	key := ""
	if !builtAt.IsZero() {
		key = fmt.Sprintf("inventory|%d|%s", builtAt.UnixNano(), q.Encode())
		if ans, ok := s.cachedAnswer(key); ok {
			writeRead(w, r, ans, nil)
			return
		}
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
	var ans any = struct {
		listMeta
		Components []reports.InvComponent `json:"components"`
	}{listMeta{Count: len(out), Total: len(sel), Limit: p.limit, NextCursor: next}, out}
	if key != "" {
		ans = s.keepAnswer(key, ans)
	}
	writeRead(w, r, ans, nil)
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
